"""Quick figures of recorded Neo data: stacked panels of signals, spike rasters, histograms,
scatter plots and images, plus a few ready-made layouts (comparison_plot, summary_plot).

The only pynnlike module that imports matplotlib. Without a display (and with no backend
chosen by the user) the non-interactive Agg backend is used, so scripts can save figures on
headless machines. Times are drawn in ms.
"""
import os
import sys

import matplotlib
import neo
import numpy as np

if ("matplotlib.pyplot" not in sys.modules and "MPLBACKEND" not in os.environ
        and sys.platform.startswith("linux")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after the backend choice)
from matplotlib.gridspec import GridSpec  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

DEFAULT_FIG_SETTINGS = {
    "lines.linewidth": 0.5,
    "axes.linewidth": 0.5,
    "axes.labelsize": "small",
    "legend.fontsize": "small",
    "font.size": 8,
    "savefig.dpi": 150,
}

# Panel options that shape the axes rather than the drawn artists
_AXES_OPTIONS = ("xticks", "yticks", "xlabel", "ylabel", "xlim", "ylim", "legend", "title")
_SIGNALS = (neo.AnalogSignal, neo.IrregularlySampledSignal)


# -- data containers ------------------------------------------------------------------------

class DataTable:
    """Paired x, y data for a scatter plot, optionally with a fitted curve."""

    def __init__(self, x, y):
        self.x, self.y = np.asarray(x), np.asarray(y)
        if self.x.shape != self.y.shape:
            raise ValueError(f"DataTable: x has shape {self.x.shape} but y has {self.y.shape}")
        self._f = self._popt = None

    def fit_curve(self, f, p0, **fitting_parameters):
        """Least-squares fit of `f(x, *p)` (scipy.optimize.curve_fit); returns (popt, pcov)."""
        from scipy.optimize import curve_fit  # scipy is needed only by those who fit
        popt, pcov = curve_fit(f, self.x, self.y, p0=p0, **fitting_parameters)
        self._f, self._popt = f, popt
        return popt, pcov

    @property
    def y_fit(self):
        """The fitted curve evaluated at x."""
        if self._f is None:
            raise ValueError("DataTable.y_fit: call fit_curve() first")
        return self._f(self.x, *self._popt)


class Histogram:
    """Counts of `data` in `int(sqrt(len(data)))` equal bins (at least one).

    `bins` and `weights` are passed to numpy.histogram when given (summary_plot uses them to
    draw a population rate). Iterating yields `(left_edge, count)` pairs.
    """

    def __init__(self, data, bins=None, weights=None):
        self.data = np.asarray(data, dtype=float)
        if bins is None:
            bins = max(1, int(np.sqrt(self.data.size)))
        self.counts, self.bins = np.histogram(self.data, bins=bins, weights=weights)

    @property
    def bin_width(self):
        return self.bins[1] - self.bins[0]

    def __iter__(self):
        return zip(self.bins[:-1], self.counts)


def isi_histogram(segment):
    """Histogram of the inter-spike intervals (ms) of every spike train of `segment`."""
    intervals = [np.diff(st.times.rescale("ms").magnitude) for st in segment.spiketrains]
    return Histogram(np.concatenate(intervals) if intervals else np.empty(0))


def variable_names(segment):
    """Names of the analog signals (regular and irregular) of a segment."""
    return {s.name for s in segment.analogsignals + segment.irregularlysampledsignals}


# -- building blocks: draw one item into an Axes ---------------------------------------------

def _channel_indices(signal):
    """channel_index of each column, or the column positions if the signal has none."""
    indices = signal.array_annotations.get("channel_index")
    return np.arange(signal.shape[1]) if indices is None else np.asarray(indices)


def plot_signal(ax, signal, index=None, label="", **options):
    """One channel of a signal: column `index` (may be None for a one-channel signal).

    The default label is "Neuron <channel_index>".
    """
    if index is None:
        if signal.shape[1] != 1:
            raise ValueError(f"plot_signal: signal {signal.name!r} has {signal.shape[1]} "
                             "channels; give an index")
        index = 0
    label = label or f"Neuron {_channel_indices(signal)[index]}"
    return ax.plot(signal.times.rescale("ms").magnitude, signal.magnitude[:, index],
                   label=label, **options)


def plot_signals(ax, signal_array, label_prefix="", y_offset=None, **options):
    """Every channel of a signal, one line each, labelled "<prefix> Neuron <channel_index>";
    with `y_offset` channel k is shifted up by k * y_offset."""
    times = signal_array.times.rescale("ms").magnitude
    values = signal_array.magnitude
    if y_offset:
        values = values + y_offset * np.arange(values.shape[1])
    lines = ax.plot(times, values, **options)
    for line, channel in zip(lines, _channel_indices(signal_array)):
        line.set_label(f"{label_prefix} Neuron {channel}".strip())
    return lines


def _raster_arrays(spiketrains):
    """(times in ms, source_index) of every spike of a list of spike trains.

    A SpikeTrainList built from arrays (as get_data() makes it) is read in bulk through
    `multiplexed`, mapping channel ids to neo's per-channel `source_index` annotation, so no
    SpikeTrain per cell is built; otherwise each train's own annotation is used.
    """
    per_channel = getattr(spiketrains, "_annotations", None) or {}
    if (isinstance(spiketrains, neo.core.spiketrainlist.SpikeTrainList)
            and spiketrains._spike_time_array is not None and "source_index" in per_channel):
        ids, times = spiketrains.multiplexed
        channels = np.asarray(spiketrains.all_channel_ids)
        order = np.argsort(channels)
        position = order[np.searchsorted(channels, np.asarray(ids), sorter=order)]
        return (times.rescale("ms").magnitude,
                np.asarray(per_channel["source_index"])[position])
    trains = list(spiketrains)
    if not trains:
        return np.empty(0), np.empty(0, int)
    times = np.concatenate([st.times.rescale("ms").magnitude for st in trains])
    cells = [st.annotations.get("source_index", k) for k, st in enumerate(trains)]
    return times, np.repeat(cells, [len(st) for st in trains])


def plot_spiketrains(ax, spiketrains, label="", **options):
    """Raster of a list of SpikeTrains: one dot per spike at y = the train's `source_index`."""
    times, cells = _raster_arrays(spiketrains)
    options = {"marker": ".", "markersize": 2, "linestyle": "none", **options}
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return ax.plot(times, cells, label=label, **options)


def plot_spiketrainlist(ax, spiketrains, label="", **options):
    """Raster of a neo SpikeTrainList, read in bulk (see plot_spiketrains)."""
    return plot_spiketrains(ax, spiketrains, label=label, **options)


def plot_array_as_image(ax, arr, label="", **options):
    """A 2-D array as an image (row 0 at the top, no interpolation between elements)."""
    options = {"interpolation": "none", "aspect": "auto", **options}
    image = ax.imshow(arr, **options)
    image.set_label(label)
    return image


def scatterplot(ax, data_table, label="", show_fit=False, **options):
    """Markers at the DataTable's points; with `show_fit` also the fitted curve as a line."""
    options = {"marker": "o", "linestyle": "none", **options}
    artists = ax.plot(data_table.x, data_table.y, label=label, **options)
    if show_fit:
        artists += ax.plot(data_table.x, data_table.y_fit, "-",
                           label=f"{label} fit".strip(), color=artists[0].get_color())
    return artists


def plot_hist(ax, histogram, label="", **options):
    """A Histogram as adjacent bars (one per bin, left-aligned on the bin edges)."""
    options = {"align": "edge", **options}
    return ax.bar(histogram.bins[:-1], histogram.counts, width=histogram.bin_width,
                  label=label, **options)


# -- panels and figures -----------------------------------------------------------------------

def _is_spiketrain_list(item):
    return (isinstance(item, neo.core.spiketrainlist.SpikeTrainList)
            or (isinstance(item, (list, tuple)) and all(isinstance(x, neo.SpikeTrain)
                                                        for x in item)))


def _plotter(item):
    """The drawing function for one Panel item; TypeError for anything else."""
    if isinstance(item, _SIGNALS):
        return plot_signals
    if isinstance(item, neo.core.spiketrainlist.SpikeTrainList):
        return plot_spiketrainlist
    if _is_spiketrain_list(item):
        return plot_spiketrains
    if isinstance(item, DataTable):
        return scatterplot
    if isinstance(item, Histogram):
        return plot_hist
    if isinstance(item, np.ndarray) and item.ndim == 2:
        return plot_array_as_image
    raise TypeError(f"Panel cannot plot an object of type {type(item).__name__}: expected an "
                    "AnalogSignal, IrregularlySampledSignal, list of SpikeTrains, "
                    "SpikeTrainList, DataTable, Histogram or 2-D array")


class Panel:
    """One Axes of a Figure, holding any number of data items drawn on top of each other.

    Options: `data_labels` and `line_properties` (one label / dict of matplotlib properties
    per item), `xticks`/`yticks` (tick labels shown only if True), `xlabel`, `ylabel` (`'auto'`:
    "<name> (<units>)" of the first signal, or "time (ms)" for the x axis of signals and
    rasters), `xlim`, `ylim`, `y_offset` (vertical shift between channels of a signal),
    `legend`, `show_fit` (draw DataTable fits), `title`; every other option goes to matplotlib.
    """

    def __init__(self, *data, **options):
        self.plotters = [_plotter(item) for item in data]
        self.data = data
        self.options = options

    def plot(self, axes):
        options = dict(self.options)
        n = len(self.data)
        labels = options.pop("data_labels", None) or [""] * n
        properties = options.pop("line_properties", None) or [{}] * n
        settings = {key: options.pop(key) for key in _AXES_OPTIONS if key in options}
        show_fit = options.pop("show_fit", False)
        y_offset = options.pop("y_offset", None)
        for item, plotter, label, own in zip(self.data, self.plotters, labels, properties):
            kwargs = {**options, **own}
            if plotter is plot_signals:
                if item.shape[1] == 1:
                    plot_signal(axes, item, 0, label=label or "", **kwargs)
                else:
                    plot_signals(axes, item, label_prefix=label or "", y_offset=y_offset,
                                 **kwargs)
            elif plotter is scatterplot:
                scatterplot(axes, item, label=label or "", show_fit=show_fit, **kwargs)
            else:
                plotter(axes, item, label=label or "", **kwargs)
        self._decorate(axes, settings)

    def _decorate(self, axes, settings):
        signals = [item for item in self.data if isinstance(item, _SIGNALS)]
        timed = signals or [item for item in self.data if _is_spiketrain_list(item)]
        xlabel, ylabel = settings.get("xlabel"), settings.get("ylabel")
        if xlabel == "auto":
            xlabel = "time (ms)" if timed else None
        if ylabel == "auto":
            ylabel = (f"{signals[0].name} ({signals[0].units.dimensionality.string})"
                      if signals else None)
        if xlabel:
            axes.set_xlabel(xlabel)
        if ylabel:
            axes.set_ylabel(ylabel)
        axes.tick_params(labelbottom=bool(settings.get("xticks")),
                         labelleft=bool(settings.get("yticks")))
        if "xlim" in settings:
            axes.set_xlim(settings["xlim"])
        if "ylim" in settings:
            axes.set_ylim(settings["ylim"])
        if settings.get("title"):
            axes.set_title(settings["title"])
        if settings.get("legend"):
            axes.legend()


class Figure:
    """Panels stacked vertically in one matplotlib figure.

    Options: `settings` (rcParams, default DEFAULT_FIG_SETTINGS, applied while drawing and
    saving only), `title`, `annotations` (small footer text), `size` (inches, default
    `(6, 2 * n_panels + 1.2)`). The matplotlib figure is `self.fig`, its axes `self.axes`.
    """

    _OPTIONS = {"settings", "title", "annotations", "size"}

    def __init__(self, *panels, **options):
        unknown = set(options) - self._OPTIONS
        if unknown:
            raise TypeError(f"Figure: unknown option(s) {sorted(unknown)}; "
                            f"valid: {sorted(self._OPTIONS)}")
        self.panels = panels
        self.settings = options.get("settings") or DEFAULT_FIG_SETTINGS
        width, height = options.get("size") or (6, 2 * len(panels) + 1.2)
        title, annotations = options.get("title"), options.get("annotations")
        with matplotlib.rc_context(self.settings):
            self.fig = plt.figure(figsize=(width, height))
            # margins in inches, so they stay the same whatever the number of panels
            grid = GridSpec(max(len(panels), 1), 1, figure=self.fig, left=0.8 / width,
                            right=1 - 0.2 / width, top=1 - (0.5 if title else 0.2) / height,
                            bottom=(0.8 if annotations else 0.5) / height, hspace=0.25)
            self.axes = [self.fig.add_subplot(grid[k]) for k in range(len(panels))]
            for panel, axes in zip(panels, self.axes):
                panel.plot(axes)
            if title:
                self.fig.suptitle(title)
            if annotations:
                self.fig.text(0.01, 0.01, annotations, fontsize="x-small", va="bottom")

    def save(self, filename):
        """Write the figure (format from the extension), creating missing directories."""
        directory = os.path.dirname(filename)
        if directory:
            os.makedirs(directory, exist_ok=True)
        with matplotlib.rc_context(self.settings):
            self.fig.savefig(filename)

    def show(self):
        plt.show()


# -- ready-made layouts -------------------------------------------------------------------------

def _signals(segment):
    return segment.analogsignals + segment.irregularlysampledsignals


def comparison_plot(segments, labels, title="", annotations=None, fig_settings=None,
                    with_spikes=True):
    """Overlay the same recording from several segments (e.g. several backends or runs).

    One panel per (variable, channel) with one line per segment that has it, labelled from
    `labels`; then, with `with_spikes`, one raster per segment. Returns a Figure.
    """
    if len(labels) != len(segments):
        raise ValueError(f"comparison_plot: {len(segments)} segments but {len(labels)} labels")
    panels = []
    for name in sorted(set().union(*(variable_names(s) for s in segments))):
        found = [(label, signal) for segment, label in zip(segments, labels)
                 for signal in _signals(segment) if signal.name == name]
        channels = sorted(set().union(*(_channel_indices(s).tolist() for _, s in found)))
        units = found[0][1].units.dimensionality.string
        for channel in channels:
            columns = [(label, s, np.flatnonzero(_channel_indices(s) == channel))
                       for label, s in found]
            columns = [(label, s[:, c[0]:c[0] + 1]) for label, s, c in columns if c.size]
            panels.append(Panel(*[s for _, s in columns], data_labels=[lb for lb, _ in columns],
                                ylabel=f"{name} ({units})\nNeuron {channel}", yticks=True,
                                legend=not panels))
    if with_spikes:
        panels += [Panel(segment.spiketrains, ylabel=label, yticks=True)
                   for segment, label in zip(segments, labels)]
    if not panels:
        raise ValueError("comparison_plot: the segments hold no signals or spikes")
    spans = [(float(s.t_start.rescale("ms")), float(s.t_stop.rescale("ms")))
             for s in segments if s.t_start is not None]
    xlim = (min(a for a, _ in spans), max(b for _, b in spans))
    for panel in panels:
        panel.options.setdefault("xlim", xlim)
    panels[-1].options.update(xticks=True, xlabel="time (ms)")
    return Figure(*panels, title=title, annotations=annotations,
                  settings=fig_settings or DEFAULT_FIG_SETTINGS)


def _blocks(items):
    """Blocks from Blocks, Populations/Assemblies (get_data() → Block) or Networks (→ list)."""
    items = items if isinstance(items, (list, tuple)) else [items]
    blocks = []
    for item in items:
        data = item if isinstance(item, neo.Block) else item.get_data()
        blocks.extend(data if isinstance(data, (list, tuple)) else [data])
    return blocks


def summary_plot(blocks_or_populations, segment=-1, n_traces=5, bin_width=None, title="",
                 annotations=None, fig_settings=None, size=None):
    """A network at a glance: for each Block (or Population, Assembly, Network: their
    get_data()), from segment `segment`, up to three panels sharing the time axis:

    - a raster of its spike trains (y = cell index);
    - the population rate (Hz): spikes per bin / (recorded cells × bin width), with
      `bin_width` in ms (default: the segment's duration / 100);
    - the first `n_traces` channels of its first analog signal (ylabel "name (units)").

    Panels whose data were not recorded are left out; ValueError if nothing is left.
    Returns a Figure.
    """
    panels = []
    for block in _blocks(blocks_or_populations):
        seg = block.segments[segment]
        signals = _signals(seg)
        if not (len(seg.spiketrains) or signals):
            continue
        t_start, t_stop = (float(t.rescale("ms")) for t in (seg.t_start, seg.t_stop))
        own = []
        if len(seg.spiketrains):
            times, _ = _raster_arrays(seg.spiketrains)
            width = bin_width or (t_stop - t_start) / 100
            edges = t_start + width * np.arange(np.ceil((t_stop - t_start) / width - 1e-9) + 1)
            per_spike = 1000.0 / (len(seg.spiketrains) * width)  # one spike's share, in Hz
            rate = Histogram(times, bins=edges, weights=np.full(times.size, per_spike))
            own += [Panel(seg.spiketrains, ylabel=f"{block.name}\ncell", yticks=True,
                          xlim=(t_start, t_stop)),
                    Panel(rate, ylabel="rate (Hz)", yticks=True, xlim=(t_start, t_stop))]
        if signals:
            own.append(Panel(signals[0][:, :n_traces], ylabel="auto", yticks=True,
                             xlim=(t_start, t_stop), **({} if own else {"title": block.name})))
        own[-1].options.update(xticks=True, xlabel="time (ms)")
        panels += own
    if not panels:
        raise ValueError("summary_plot: no spikes or signals were recorded in the given data")
    return Figure(*panels, title=title, annotations=annotations, size=size,
                  settings=fig_settings or DEFAULT_FIG_SETTINGS)


def connection_plot(projection, positive="O", zero=".", empty=" ", spacer=""):
    """Text picture of a projection's weight matrix: one line per presynaptic cell, one
    character per postsynaptic cell: `positive` for a connection with non-zero weight (the
    sign is not shown), `zero` for a zero weight, `empty` where there is no connection."""
    weights = np.asarray(projection.get("weight", format="array"), dtype=float)
    picture = np.full(weights.shape, positive, dtype=object)
    picture[weights == 0] = zero
    picture[np.isnan(weights)] = empty
    return "\n".join(spacer.join(row) for row in picture)
