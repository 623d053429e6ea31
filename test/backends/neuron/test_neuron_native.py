"""native_cell_type on NEURON: a user's hh + ExpSyn cell class through the public API gives
exactly what the same cells give when simulated directly with neuron.h."""
import numpy as np
import pytest

import pynnlike.neuron as sim
from pynnlike import errors
from neuron import h  # after pynnlike.neuron: the same NEURON, mechanisms loaded


class BiasedHH:
    """A 20 µm hh soma with an ExpSyn receptor and a constant bias current (an IClamp)."""

    default_parameters = {"gnabar": 0.12, "i_bias": 0.0, "tau_syn": 2.0}
    receptor_types = ("excitatory",)
    recordable = ("v", "excitatory.g")
    units = {"i_bias": "nA", "tau_syn": "ms", "excitatory.g": "uS"}

    def __init__(self, gnabar, i_bias, tau_syn):
        self.soma = h.Section(name="soma")
        self.soma.L = self.soma.diam = 20.0
        self.soma.insert("hh")
        self.source_section = self.soma
        self.excitatory = h.ExpSyn(self.soma(0.5))
        self.bias = h.IClamp(self.soma(0.5))
        self.bias.dur = 1e9
        self.gnabar, self.i_bias, self.tau_syn = gnabar, i_bias, tau_syn

    @property
    def gnabar(self):
        return self.soma(0.5).hh.gnabar

    @gnabar.setter
    def gnabar(self, value):
        self.soma(0.5).hh.gnabar = value

    @property
    def i_bias(self):
        return self.bias.amp

    @i_bias.setter
    def i_bias(self, value):
        self.bias.amp = value

    @property
    def tau_syn(self):
        return self.excitatory.tau

    @tau_syn.setter
    def tau_syn(self, value):
        self.excitatory.tau = value


Native = sim.native_cell_type(BiasedHH)


@pytest.fixture(autouse=True)
def fresh():
    sim.setup(timestep=0.1)
    yield


def direct(cells, events, links, tstop, v=None):
    """Simulate `cells` (BiasedHH instances) with neuron.h alone: `events` (cell, time,
    weight) delivered to their ExpSyn, `links` (pre, post, weight, delay) as threshold
    NetCons; every cell starts at v[k] (-65 mV if None), its hh gates at rest there.
    -> spike times per cell, v samples per cell (every step from t = 0)."""
    h.dt, h.secondorder = 0.1, 2
    spikes, traces, netcons = [], [], []
    for cell in cells:
        spikes.append(h.Vector())
        detector = h.NetCon(cell.soma(0.5)._ref_v, None, sec=cell.soma)
        detector.threshold = 0.0
        detector.record(spikes[-1])
        traces.append(h.Vector().record(cell.soma(0.5)._ref_v))
        netcons.append(detector)
    for pre, post, weight, delay in links:
        link = h.NetCon(cells[pre].soma(0.5)._ref_v, cells[post].excitatory, 0.0, delay, weight,
                        sec=cells[pre].soma)
        netcons.append(link)
    feeds = []
    for cell, _, weight in events:
        feeds.append(h.NetCon(None, cells[cell].excitatory))
        feeds[-1].weight[0] = weight
    for cell, value in zip(cells, v or [None] * len(cells)):
        cell.soma(0.5).v = -65.0 if value is None else value
    h.finitialize()  # without an argument: each cell's own v
    h.frecord_init()
    for feed, (_, time, _) in zip(feeds, events):
        feed.event(time)
    h.continuerun(tstop)
    return [s.as_numpy().copy() for s in spikes], [t.as_numpy().copy() for t in traces]


def test_spike_source_input_and_initial_v_give_neurons_own_numbers():
    expected_spikes, expected_v = direct(
        [BiasedHH(0.12, 0.0, 2.0), BiasedHH(0.12, 0.0, 3.0)],
        [(k, t + 1.0, w) for k, w in ((0, 0.0005), (1, 0.05)) for t in (5.0, 15.0, 25.0)],
        [], 40.0, v=[None, -66.0])
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0, 15.0, 25.0]))
    cells = sim.Population(2, Native(tau_syn=[2.0, 3.0]))
    cells[1:2].initialize(v=-66.0)
    sim.Projection(source, cells, sim.FromListConnector([(0, 0, 0.0005, 1.0),
                                                         (0, 1, 0.05, 1.0)]),
                   receptor_type="excitatory")
    cells.record(["spikes", "v", "excitatory.g"])
    sim.run(40.0)
    segment = cells.get_data().segments[0]
    trains = [train.magnitude for train in segment.spiketrains]
    assert [len(t) for t in trains] == [0, 3]
    for got, expected in zip(trains, expected_spikes):
        assert np.array_equal(got, expected)
    signals = {signal.name: signal for signal in segment.analogsignals}
    v = signals["v"].magnitude
    assert v.shape == (401, 2) and str(signals["v"].units.dimensionality) == "mV"
    assert v[0, 0] == -65.0 and v[0, 1] == -66.0
    assert np.array_equal(v, np.column_stack(expected_v))
    g = signals["excitatory.g"].magnitude[:, 1]
    # the spike at 5 ms arrives at 6 ms (step 60) and decays for one step by step 61
    assert g[60] == 0.0 and g[61] == pytest.approx(0.05 * np.exp(-0.1 / 3.0), rel=1e-12)


def test_native_to_native_connections_and_reset_repeat_neurons_numbers():
    expected, _ = direct([BiasedHH(0.12, 0.2, 2.0), BiasedHH(0.12, 0.0, 2.0)], [],
                         [(0, 1, 0.05, 2.0)], 50.0)
    cells = sim.Population(2, Native(i_bias=[0.2, 0.0]))
    sim.Projection(cells[0:1], cells[1:2], sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.05, delay=2.0), receptor_type="excitatory")
    cells.record("spikes")
    for _ in range(2):
        sim.run(50.0)
        trains = [train.magnitude for train in cells.get_data().segments[-1].spiketrains]
        assert len(trains[0]) >= 3 and len(trains[1]) == len(trains[0])
        for got, reference in zip(trains, expected):
            assert np.array_equal(got, reference)
        sim.reset()


def test_parameters_round_trip_and_reach_the_cell_objects():
    assert Native.default_parameters == {"gnabar": 0.12, "i_bias": 0.0, "tau_syn": 2.0}
    assert Native.recordable == ("spikes", "v", "excitatory.g")
    assert Native.units["v"] == "mV" and Native.units["i_bias"] == "nA"
    cells = sim.Population(3, Native(i_bias=0.2))
    assert cells.get("gnabar") == 0.12
    cells.set(gnabar=[0.0, 0.12, 0.2], tau_syn=5.0)
    assert np.array_equal(cells.get("gnabar"), [0.0, 0.12, 0.2])
    objects = cells._handle.membranes
    assert [c.soma(0.5).hh.gnabar for c in objects] == [0.0, 0.12, 0.2]
    assert [c.excitatory.tau for c in objects] == [5.0] * 3
    cells.record("spikes")
    sim.run(50.0)
    counts = [len(t) for t in cells.get_data().segments[0].spiketrains]
    assert counts[0] == 0 and counts[1] > 0 and counts[2] > 0  # no sodium, no spike


def test_protocol_errors_name_neuron():
    with pytest.raises(TypeError, match="NEURON.*default_parameters"):
        sim.native_cell_type(object)

    class NoNMDA(BiasedHH):
        receptor_types = ("excitatory", "nmda")

    with pytest.raises(TypeError, match="NEURON.*NoNMDA.*nmda"):
        sim.Population(1, sim.native_cell_type(NoNMDA)())
    cells = sim.Population(1, Native())
    with pytest.raises(errors.ConnectionError, match="inhibitory"):
        sim.Projection(cells, cells, sim.AllToAllConnector(), receptor_type="inhibitory")
