"""pynnlike.utility.plotting: panels draw exactly the given data, figures have the promised size,
helpers compute the right numbers."""
import struct

import matplotlib
import neo
import numpy as np
import pytest
import quantities as pq

from pynnlike.utility import plotting
from pynnlike.utility.plotting import (DataTable, Figure, Histogram, Panel, comparison_plot,
                                       connection_plot, isi_histogram, plot_signal, summary_plot,
                                       variable_names)

SPIKE_CELLS = np.array([0, 2, 2, 3])
SPIKE_TIMES = np.array([5.0, 10.0, 20.0, 30.0])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plotting.plt.close("all")


def png_size(path):
    """(width, height) in pixels of a PNG file; fails if it is not a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def sine_signal(channels=(2, 5, 7), name="v", units="mV"):
    t = np.arange(200) * 0.5
    values = -65 + np.sin(np.outer(t, np.arange(1, len(channels) + 1)) / 10)
    return neo.AnalogSignal(values, units=units, sampling_period=0.5 * pq.ms, name=name,
                            array_annotations={"channel_index": np.array(channels)})


@pytest.fixture
def recorded(sim):
    """Blocks of two recorded populations; spikes are put into the second one, so IDs (4..7)
    differ from source_index (0..3)."""
    first = sim.Population(4, sim.IF_cond_exp(), label="first")
    second = sim.Population(4, sim.IF_cond_exp(), label="second")
    first.record("v")
    second.record(["spikes", "v"])
    sim.run(100.0)
    sim.state.driver.cells[1].spikes = (SPIKE_CELLS, SPIKE_TIMES)
    return first, second


def draw(*panels, **options):
    figure = Figure(*panels, **options)
    return figure, figure.axes


# -- signals ---------------------------------------------------------------------------------

def test_signal_panel_one_line_per_channel_with_data_and_labels(tmp_path):
    signal = sine_signal()
    figure, (ax,) = draw(Panel(signal, ylabel="auto", xlabel="auto"))
    figure.save(tmp_path / "signal.png")
    assert png_size(tmp_path / "signal.png") == (900, 480)  # (6, 2 + 1.2) in at 150 dpi
    lines = ax.get_lines()
    assert len(lines) == 3
    for k, line in enumerate(lines):
        np.testing.assert_allclose(line.get_xdata(), np.arange(200) * 0.5)
        np.testing.assert_array_equal(line.get_ydata(), signal.magnitude[:, k])
    assert [line.get_label() for line in lines] == ["Neuron 2", "Neuron 5", "Neuron 7"]
    assert ax.get_ylabel() == "v (mV)"
    assert ax.get_xlabel() == "time (ms)"


def test_signal_panel_y_offset_prefix_and_line_properties():
    signal = sine_signal()
    _, (ax,) = draw(Panel(signal, y_offset=10.0, data_labels=["run1"],
                          line_properties=[{"color": "red"}]))
    lines = ax.get_lines()
    for k, line in enumerate(lines):
        np.testing.assert_allclose(line.get_ydata(), signal.magnitude[:, k] + 10.0 * k)
        assert line.get_color() == "red"
    assert lines[1].get_label() == "run1 Neuron 5"


def test_irregular_signal_in_seconds_is_drawn_in_ms():
    times = np.array([0.0, 0.001, 0.0035, 0.01]) * pq.s
    signal = neo.IrregularlySampledSignal(times, np.array([[1.0], [2.0], [4.0], [3.0]]),
                                          units="nA", name="i",
                                          array_annotations={"channel_index": np.array([4])})
    _, (ax,) = draw(Panel(signal, ylabel="auto"))
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), [0.0, 1.0, 3.5, 10.0])
    np.testing.assert_array_equal(line.get_ydata(), [1.0, 2.0, 4.0, 3.0])
    assert line.get_label() == "Neuron 4"
    assert ax.get_ylabel() == "i (nA)"


def test_plot_signal_picks_a_column_and_needs_an_index_for_several():
    signal = sine_signal()
    ax = plotting.plt.figure().add_subplot()
    (line,) = plot_signal(ax, signal, 1, label="second")
    np.testing.assert_array_equal(line.get_ydata(), signal.magnitude[:, 1])
    assert line.get_label() == "second"
    with pytest.raises(ValueError, match="3 channels"):
        plot_signal(ax, signal)


def test_axes_options_ticks_limits_legend_title():
    _, (plain, decorated) = draw(Panel(sine_signal()),
                                 Panel(sine_signal(), xticks=True, yticks=True, xlim=(10, 20),
                                       ylim=(-70, -60), legend=True, title="top"))
    params = plain.xaxis.get_tick_params(which="major")
    assert not params["labelbottom"]
    assert not plain.yaxis.get_tick_params(which="major")["labelleft"]
    assert decorated.xaxis.get_tick_params(which="major")["labelbottom"]
    assert decorated.get_xlim() == (10, 20) and decorated.get_ylim() == (-70, -60)
    assert [t.get_text() for t in decorated.get_legend().get_texts()] == \
        ["Neuron 2", "Neuron 5", "Neuron 7"]
    assert plain.get_legend() is None
    assert decorated.get_title() == "top"


# -- spikes ----------------------------------------------------------------------------------

def test_raster_from_get_data_uses_source_index(recorded, tmp_path):
    _, second = recorded
    segment = second.get_data().segments[0]
    figure, (ax,) = draw(Panel(segment.spiketrains, xticks=True, xlabel="auto"))
    figure.save(tmp_path / "raster.png")
    assert png_size(tmp_path / "raster.png") == (900, 480)
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), SPIKE_TIMES)
    np.testing.assert_array_equal(line.get_ydata(), SPIKE_CELLS)
    assert ax.get_xlabel() == "time (ms)"
    assert segment.spiketrains._items is None  # read in bulk: no SpikeTrain per cell was built


def test_raster_from_list_of_spiketrains():
    trains = [neo.SpikeTrain([0.002, 0.004] * pq.s, t_stop=0.01 * pq.s, source_index=6),
              neo.SpikeTrain([1.0] * pq.ms, t_stop=10 * pq.ms, source_index=3)]
    _, (ax,) = draw(Panel(trains))
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), [2.0, 4.0, 1.0])
    np.testing.assert_array_equal(line.get_ydata(), [6, 6, 3])


def test_isi_histogram_and_variable_names(recorded):
    _, second = recorded
    segment = second.get_data().segments[0]
    histogram = isi_histogram(segment)
    np.testing.assert_array_equal(histogram.data, [10.0])  # only cell 2 has two spikes
    assert variable_names(segment) == {"v"}


# -- histograms, tables, images ---------------------------------------------------------------

def test_histogram_matches_numpy_and_draws_one_bar_per_bin(tmp_path):
    data = np.random.default_rng(1).normal(size=103)
    histogram = Histogram(data)
    counts, edges = np.histogram(data, bins=10)  # int(sqrt(103)) = 10
    np.testing.assert_array_equal(histogram.counts, counts)
    np.testing.assert_allclose(histogram.bin_width, edges[1] - edges[0])
    assert list(histogram) == list(zip(edges[:-1], counts))
    figure, (ax,) = draw(Panel(histogram))
    figure.save(tmp_path / "hist.png")
    assert png_size(tmp_path / "hist.png") == (900, 480)
    assert len(ax.patches) == 10
    np.testing.assert_array_equal([p.get_height() for p in ax.patches], counts)
    np.testing.assert_allclose([p.get_x() for p in ax.patches], edges[:-1])
    assert Histogram([]).counts.tolist() == [0]


def test_datatable_fit_recovers_parameters_and_is_drawn(tmp_path):
    x = np.linspace(0, 30, 40)
    table = DataTable(x, 3.0 * np.exp(-x / 7.0) + 1.0)
    with pytest.raises(ValueError, match="fit_curve"):
        table.y_fit
    popt, pcov = table.fit_curve(lambda x, a, tau, c: a * np.exp(-x / tau) + c, (1, 1, 0))
    np.testing.assert_allclose(popt, [3.0, 7.0, 1.0], rtol=1e-6)
    assert pcov.shape == (3, 3)
    np.testing.assert_allclose(table.y_fit, table.y, atol=1e-8)
    figure, (ax,) = draw(Panel(table, show_fit=True))
    figure.save(tmp_path / "fit.png")
    assert png_size(tmp_path / "fit.png") == (900, 480)
    points, fit = ax.get_lines()
    np.testing.assert_array_equal(points.get_ydata(), table.y)
    assert points.get_marker() == "o" and points.get_linestyle() == "None"
    np.testing.assert_array_equal(fit.get_ydata(), table.y_fit)
    with pytest.raises(ValueError, match="shape"):
        DataTable([1, 2], [1])


def test_array_panel_is_an_image(tmp_path):
    array = np.arange(12.0).reshape(3, 4)
    figure, (ax,) = draw(Panel(array))
    figure.save(tmp_path / "image.png")
    assert png_size(tmp_path / "image.png") == (900, 480)
    (image,) = ax.get_images()
    np.testing.assert_array_equal(image.get_array(), array)


@pytest.mark.parametrize("item", ["text", [1, 2, 3], np.zeros(3), {"a": 1}])
def test_panel_rejects_other_types(item):
    with pytest.raises(TypeError, match="Panel cannot plot"):
        Panel(item)


# -- figures ---------------------------------------------------------------------------------

def test_figure_size_settings_title_annotations_and_directories(tmp_path):
    font_size = matplotlib.rcParams["font.size"]
    figure = Figure(Panel(sine_signal()), Panel(np.eye(3)), title="Title", annotations="note",
                    size=(4, 3), settings={"savefig.dpi": 50, "font.size": 11})
    target = tmp_path / "new" / "deeper" / "figure.png"
    figure.save(str(target))
    assert png_size(target) == (200, 150)
    assert figure.fig._suptitle.get_text() == "Title"
    assert [t.get_text() for t in figure.fig.texts] == ["Title", "note"]
    assert matplotlib.rcParams["font.size"] == font_size  # settings are not left behind
    default = Figure(Panel(sine_signal()), Panel(sine_signal()), Panel(sine_signal()))
    default.save(tmp_path / "default.png")
    assert png_size(tmp_path / "default.png") == (900, 1080)  # (6, 7.2) in at 150 dpi
    assert len(default.axes) == 3
    with pytest.raises(TypeError, match="unknown option"):
        Figure(Panel(np.eye(2)), colour="red")


def test_comparison_plot_overlays_segments_per_channel(tmp_path):
    segments = []
    for shift in (0.0, 1.0):
        segment = neo.Segment()
        segment.analogsignals.append(sine_signal(channels=(0, 1)) + shift * pq.mV)
        segment.spiketrains = [neo.SpikeTrain(SPIKE_TIMES * pq.ms, t_stop=100 * pq.ms,
                                              source_index=0)]
        segments.append(segment)
    figure = comparison_plot(segments, ["nest", "neuron"], title="cmp", annotations="a")
    figure.save(tmp_path / "cmp.png")
    assert png_size(tmp_path / "cmp.png") == (900, int(round((2 * 4 + 1.2) * 150)))
    first = figure.axes[0]
    assert [line.get_label() for line in first.get_lines()] == ["nest", "neuron"]
    reference = sine_signal(channels=(0, 1)).magnitude
    for shift, line in enumerate(figure.axes[1].get_lines()):
        np.testing.assert_allclose(line.get_ydata(), reference[:, 1] + shift)
    assert first.get_ylabel() == "v (mV)\nNeuron 0"
    assert [ax.get_ylabel() for ax in figure.axes[2:]] == ["nest", "neuron"]
    np.testing.assert_array_equal(figure.axes[3].get_lines()[0].get_xdata(), SPIKE_TIMES)
    assert figure.axes[3].get_xlabel() == "time (ms)"
    without = comparison_plot(segments, ["nest", "neuron"], with_spikes=False)
    assert len(without.axes) == 2
    with pytest.raises(ValueError, match="labels"):
        comparison_plot(segments, ["one"])


def test_summary_plot_raster_rate_and_traces(recorded, tmp_path):
    first, second = recorded
    figure = summary_plot([first, second], bin_width=10.0, n_traces=2, title="net")
    figure.save(tmp_path / "summary.png")
    # first: traces only; second: raster, rate, traces
    assert png_size(tmp_path / "summary.png") == (900, int(round((2 * 4 + 1.2) * 150)))
    traces_first, raster, rate, traces = figure.axes
    assert traces_first.get_title() == "first"
    assert len(traces_first.get_lines()) == 2 and traces_first.get_ylabel() == "v (mV)"
    np.testing.assert_array_equal(raster.get_lines()[0].get_ydata(), SPIKE_CELLS)
    assert raster.get_ylabel() == "second\ncell"
    heights = [p.get_height() for p in rate.patches]
    # one spike in each of [0,10), [10,20), [20,30), [30,40): 1 / (4 cells * 10 ms) = 25 Hz
    np.testing.assert_allclose(heights[:5], [25.0, 25.0, 25.0, 25.0, 0.0])
    assert sum(heights) == pytest.approx(100.0)
    assert rate.patches[1].get_width() == pytest.approx(10.0)
    assert traces.get_xlabel() == "time (ms)" and traces.get_ylabel() == "v (mV)"
    assert raster.get_xlim() == traces.get_xlim()


def test_summary_plot_accepts_blocks_and_networks_and_refuses_empty_data(sim, recorded):
    first, second = recorded
    figure = summary_plot(second.get_data())
    assert len(figure.axes) == 3
    network = sim.Network(first, second)
    assert len(summary_plot(network).axes) == 4
    empty = neo.Block(name="empty")
    empty.segments.append(neo.Segment())
    with pytest.raises(ValueError, match="no spikes or signals"):
        summary_plot(empty)


# -- connection_plot -------------------------------------------------------------------------

class StandInProjection:
    shape = (2, 3)

    def __init__(self, weights):
        self.weights = np.array(weights, dtype=float)

    def get(self, names, format):
        assert (names, format) == ("weight", "array")
        return self.weights


def test_connection_plot_text_picture():
    projection = StandInProjection([[0.5, np.nan, 0.0], [np.nan, -2.0, np.nan]])
    assert connection_plot(projection) == "O .\n O "
    assert connection_plot(projection, positive="#", zero="0", empty="-", spacer=" ") == \
        "# - 0\n- # -"
