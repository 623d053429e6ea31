"""The NEURON driver through the public API, checked against what NEURON itself holds."""
import numpy as np
import pytest

import pynnlike.neuron as sim
from pynnlike import errors
from pynnlike.backends.neuron import models
from pynnlike.standardmodels import StandardSynapseType

CELL_TYPES = [name for name in sim.list_standard_models()
              if name != "PointNeuron" and not name.startswith("Spike")]


@pytest.fixture(autouse=True)
def fresh():
    sim.setup(timestep=0.1)
    yield


def driver():
    return sim.state.driver


@pytest.mark.parametrize("name", CELL_TYPES)
def test_every_parameter_round_trips_and_reaches_neuron(name):
    celltype = getattr(sim, name)()
    cells = sim.Population(3, celltype)
    rng = np.random.RandomState(3)
    new = {}
    for parameter, default in celltype.default_parameters.items():
        if isinstance(default, float):
            new[parameter] = default * (1 + 0.1 * rng.uniform(size=3)) if default else \
                0.1 * rng.uniform(size=3)
    cells.set(**new)
    for parameter, values in new.items():
        assert np.allclose(cells.get(parameter), values)
    handle, model = cells._handle, cells._model
    native = driver().get(handle, np.arange(3), [t.native_name for t in model.parameters.values()
                                                 if t.native_name != "spike_times"])
    if "cm" in new:
        assert np.allclose([s.cm for s in handle.sections], new["cm"])
    if "tau_m" in new and "g_pas" in native:
        assert np.allclose(native["g_pas"], 1e-3 * new["cm"] / new["tau_m"])


def test_point_neuron_mechanisms_per_receptor():
    celltype = sim.PointNeuron(sim.AdExp(), AMPA=sim.CondBetaPostSynapticResponse(),
                               NMDA=sim.CondExpPostSynapticResponse(tau_syn=50.0),
                               GABA=sim.CondAlphaPostSynapticResponse(e_syn=-70.0))
    cells = sim.Population(2, celltype)
    model = cells._model
    assert model.receptors == {"AMPA": "PnlCondBeta", "GABA": "PnlCondAlpha",
                               "NMDA": "PnlCondExp"}
    handle = cells._handle
    assert [p.tau for p in handle.receptors["NMDA"]] == [50.0, 50.0]
    assert [p.e for p in handle.receptors["GABA"]] == [-70.0, -70.0]
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    sim.Projection(source, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.01, delay=1.0), receptor_type="AMPA")
    cells.record(["AMPA.gsyn", "v"])
    sim.run(10.0)
    g = cells.get_data().segments[0].analogsignals
    gsyn = next(s for s in g if s.name == "AMPA.gsyn").magnitude[:, 0]
    peak = 0.2 * 1.7 * np.log(1.7 / 0.2) / (1.7 - 0.2)
    assert gsyn.max() == pytest.approx(0.01, rel=0.02)
    assert abs(np.argmax(gsyn) * 0.1 - (2.0 + peak)) <= 0.15  # samples precede events


def test_weights_and_delays_stay_in_the_core_order_with_multapses():
    pre = sim.Population(3, sim.IF_curr_exp())
    post = sim.Population(2, sim.IF_curr_exp())
    connections = [(0, 1, 0.1, 1.0), (2, 0, 0.2, 2.0), (0, 1, 0.3, 3.0), (1, 0, 0.4, 1.5)]
    prj = sim.Projection(pre, post, sim.FromListConnector(connections),
                         sim.StaticSynapse())
    listed = sorted(prj.get(["weight", "delay"], "list"))
    assert listed == sorted((i, j, w, d) for i, j, w, d in connections)
    handle = driver()._projections[0]
    gids = sorted((int(nc.srcgid()), round(nc.weight[0], 6), nc.delay) for nc in handle.netcons)
    assert gids == sorted((i, w, d) for i, _, w, d in connections)
    prj.set(weight=[0.5, 0.6, 0.7, 0.8])
    assert sorted(nc.weight[0] for nc in handle.netcons) == pytest.approx([0.5, 0.6, 0.7, 0.8])


def test_reset_restores_initialized_state_and_keeps_latest_parameters():
    cells = sim.Population(2, sim.IF_cond_exp(i_offset=0.5))
    cells.initialize(v=[-60.0, -55.0], gsyn_exc=[0.01, 0.0])
    cells.record(["v", "gsyn_exc"])
    sim.run(10.0)
    cells.set(i_offset=0.0)
    cells.initialize(v=-70.0)
    sim.reset()
    sim.run(10.0)
    first, second = cells.get_data().segments
    v1 = next(s for s in first.analogsignals if s.name == "v").magnitude
    v2 = next(s for s in second.analogsignals if s.name == "v").magnitude
    g2 = next(s for s in second.analogsignals if s.name == "gsyn_exc").magnitude
    assert np.allclose(v1[0], [-60.0, -55.0]) and np.allclose(v2[0], -70.0)
    assert np.allclose(g2[0], [0.01, 0.0]) and g2[-1, 0] < 0.01
    # no drive after the set: back from -70 towards v_rest
    assert v2[-1, 1] == pytest.approx(-65.0 - 5.0 * np.exp(-10.0 / 20.0), abs=2e-3)


def test_spikes_after_a_clear_and_a_stop():
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=2.0, tau_refrac=2.0))
    cells.record("spikes")
    sim.run(50.0)
    first = [t.magnitude.copy() for t in cells.get_data(clear=True).segments[0].spiketrains]
    cells[1:2].record(None)
    sim.run(50.0)
    second = cells.get_data().segments[0].spiketrains
    assert len(first[0]) > 2
    assert np.all(second[0].magnitude > 50.0) and len(second[0]) >= len(first[0]) - 1
    assert len(second) == 1


def test_models_neuron_cannot_build_raise_naming_neuron():
    class Unknown(StandardSynapseType):
        default_parameters = {"weight": 0.0, "delay": None}

    with pytest.raises(NotImplementedError, match="NEURON"):
        models.synapse_model(Unknown(), models.cell_model(sim.IF_cond_exp()), "excitatory")
    with pytest.raises(errors.ConnectionError, match="NEURON"):
        models.synapse_model(sim.ElectricalSynapse(), models.cell_model(sim.IF_cond_exp()),
                             "source_section.gap")


def test_electrode_after_a_run_is_refused_but_works_after_reset():
    cells = sim.Population(1, sim.IF_curr_exp())
    cells.record("v")
    sim.run(5.0)
    source = sim.DCSource(amplitude=1.0, start=1.0)
    with pytest.raises(NotImplementedError, match="NEURON"):
        source.inject_into(cells)
    sim.run(1.0)
    assert sim.get_current_time() == pytest.approx(6.0)


def test_adaptation_conductances_jump_at_spikes():
    cells = sim.Population(1, sim.IF_cond_exp_gsfa_grr(i_offset=1.0, tau_refrac=2.0))
    cells.record(["spikes", "g_s", "g_r"])
    sim.run(100.0)
    segment = cells.get_data().segments[0]
    k = int(round(segment.spiketrains[0].magnitude[0] / 0.1))
    g = {s.name: s.magnitude[:, 0] for s in segment.analogsignals}
    assert g["g_s"][k] == 0.0 and g["g_r"][k] == 0.0
    assert g["g_s"][k + 1] == pytest.approx(15.0 * np.exp(-0.1 / 100.0), rel=1e-6)
    assert g["g_r"][k + 1] == pytest.approx(3000.0 * np.exp(-0.1 / 2.0), rel=1e-6)
    assert len(segment.spiketrains[0]) >= 2


def test_facets_cell_has_its_fixed_capacitance_and_leak():
    cells = sim.Population(1, sim.IF_facets_hardware1(g_leak=40.0))
    sim.DCSource(amplitude=0.1).inject_into(cells)
    cells.record("v")
    sim.run(20.0)
    v = cells.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    t = np.arange(201) * 0.1
    assert np.allclose(v, -65.0 + 2.5 * (1 - np.exp(-t / 5.0)), atol=2e-3)
    assert cells._handle.sections[0].cm == 0.2


def test_cells_added_later_and_clear_with_a_coarse_interval():
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=0.5))
    d, handle = driver(), cells._handle
    closed = lambda t: -65.0 + 10.0 * (1 - np.exp(-np.asarray(t) / 20.0))  # noqa: E731
    d.record(handle, np.array([0]), ["v"], 0.5)
    sim.run_until(2.0)
    d.record(handle, np.array([2]), ["v"], 0.5)
    sim.run_until(4.0)
    index, v = d.read_signal(handle, "v")
    t = 0.5 * np.arange(9)
    assert list(index) == [0, 2] and v.shape == (9, 2)
    np.testing.assert_allclose(v[:, 0], closed(t), atol=1e-4)
    assert np.isnan(v[:4, 1]).all()
    np.testing.assert_allclose(v[4:, 1], closed(t[4:]), atol=1e-4)
    sim.run_until(4.3)
    d.clear_recordings(handle)  # the next period starts at 4.3: samples 4.3, 4.8, ...
    sim.run_until(6.0)
    index, v = d.read_signal(handle, "v")
    np.testing.assert_allclose(v, closed(np.c_[[4.3, 4.8, 5.3, 5.8]] + [0, 0]), atol=1e-4)
    d.stop_recording(handle, np.array([2]), ["v"])
    sim.run_until(7.3)
    index, v = d.read_signal(handle, "v")
    assert v.shape == (7, 2) and np.isnan(v[4:, 1]).all() and not np.isnan(v[:4]).any()
