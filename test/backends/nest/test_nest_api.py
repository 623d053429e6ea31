"""The whole API on NEST: numbers against closed forms and against the same model in PyNEST."""
import json
import os
import subprocess
import sys

import nest
import numpy as np
import pytest

import pynnlike.nest as sim
from pynnlike import errors
from references import analytic_period, hh_first_crossing

HERE = os.path.dirname(__file__)


@pytest.fixture(autouse=True)
def fresh():
    sim.setup(timestep=0.1)
    yield


def network_connections(name):
    """Values of `name` of every connection between neurons in NEST (not device connections)."""
    neurons = nest.GetNodes({"element_type": "neuron"})
    connections = nest.GetConnections(source=neurons, target=neurons) if len(neurons) else []
    return np.atleast_1d(connections.get(name)) if len(connections) else np.empty(0)


@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
def test_i_offset_drives_firing_at_the_analytic_period(precision):
    sim.setup(timestep=0.01, spike_precision=precision)
    parameters = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-70.0, v_thresh=-50.0,
                      tau_refrac=2.0)
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=[1.0, 1.5, 2.0], **parameters))
    cells.initialize(v=-70.0)
    cells.record("spikes")
    sim.run(300.0)
    for i_offset, train in zip([1.0, 1.5, 2.0], cells.get_data().segments[0].spiketrains):
        period = analytic_period(i=i_offset, **parameters)
        first = analytic_period(i=i_offset, **{**parameters, "tau_refrac": 0.0})
        times = train.magnitude
        tolerance = 0.011 if precision == "on_grid" else 1e-6
        assert times[0] == pytest.approx(first, abs=tolerance)
        assert np.allclose(np.diff(times), period, atol=tolerance)


def test_connections_reach_nest_and_round_trip():
    pre = sim.Population(30, sim.IF_cond_exp())
    post = sim.Population(20, sim.IF_cond_exp())
    prj = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.3, rng=sim.NumpyRNG(5)),
                         sim.StaticSynapse(weight=sim.RandomDistribution(
                             "uniform", (0.01, 0.02), rng=sim.NumpyRNG(6)), delay=1.0),
                         receptor_type="inhibitory")
    draws = np.random.RandomState(5).uniform(size=(20, 30))
    assert len(prj) == int((draws < 0.3).sum())
    weights = np.array(prj.get("weight", "list", with_address=False))
    assert np.all(weights > 0)
    nest_weights = np.sort(np.abs(network_connections("weight")))
    assert np.allclose(nest_weights, np.sort(weights) * 1000.0)
    prj.set(weight=0.05)
    assert np.allclose(np.abs(network_connections("weight")), 50.0)
    assert np.allclose(prj.get("weight", "array")[~np.isnan(prj.get("weight", "array"))], 0.05)


def test_bad_input_is_refused_and_the_simulation_goes_on():
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    with pytest.raises(errors.NonExistentParameterError):
        cells.set(tau_mm=3.0)
    with pytest.raises(errors.InvalidParameterValueError):
        sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0, 1.0]))
    with pytest.raises(errors.ConnectionError):
        sim.Projection(cells, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.1),
                       receptor_type="excitatory")
    with pytest.raises(errors.RecordingError):
        cells.record("gsyn_exc")
    with pytest.raises(ValueError):
        sim.run(-1.0)
    cells.record("spikes")
    sim.run(100.0)
    assert len(sim.state.projections) == 0
    assert cells.get_spike_counts()[cells[0]] > 0
    assert len(network_connections("weight")) == 0


def test_delays_beyond_nest_range_after_a_run_are_a_clear_error():
    cells = sim.Population(2, sim.IF_curr_exp())
    sim.run(1.0)
    with pytest.raises(errors.ConnectionError, match="max_delay"):
        sim.Projection(cells, cells, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.1, delay=5.0))
    sim.run(1.0)
    assert sim.get_current_time() == pytest.approx(2.0)


def test_spike_source_array_emits_at_the_given_times():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[0.1, 3.0, 12.5]))
    stimulus.record("spikes")
    sim.run(20.0)
    assert list(stimulus.get_data().segments[0].spiketrains[0].magnitude) == [0.1, 3.0, 12.5]


def direct_pynest_counts(model):
    """pynn_network.py written directly in PyNEST, its connectivity drawn as PyNN 0.13 does."""
    nest.ResetKernel()
    nest.set(resolution=0.1, min_delay=1.0, max_delay=10.0)
    parameters = {"tau_m": 20.0, "C_m": 250.0, "E_L": -65.0, "V_th": -55.0, "V_reset": -70.0,
                  "t_ref": 2.0, "tau_syn_ex": 2.0, "tau_syn_in": 5.0, "V_m": -65.0}
    exc = nest.Create(model, 80, parameters)
    inh = nest.Create(model, 20, parameters)
    cells = exc + inh
    times = np.random.RandomState(7).uniform(0.0, 500.0, size=(40, 15))
    stimulus = nest.Create("spike_generator", 40)
    for k, generator in enumerate(stimulus):
        generator.spike_times = np.sort(np.round(times[k], 1))
    rng = np.random.RandomState(98765)
    for pre, p, weight, delay in [(stimulus, 0.2, 400.0, 1.0), (exc, 0.1, 150.0, 1.5),
                                  (inh, 0.1, -300.0, 1.0)]:
        draws = rng.uniform(0.0, 1.0, size=(100, len(pre)))
        j, i = np.nonzero(draws < p)
        nest.Connect(np.array(pre.tolist())[i], np.array(cells.tolist())[j], "one_to_one",
                     {"weight": np.full(len(i), weight), "delay": np.full(len(i), delay)})
    recorder = nest.Create("spike_recorder")
    nest.Connect(cells, recorder)
    nest.Simulate(600.0)
    senders = recorder.events["senders"]
    counts = np.bincount(senders - cells[0].global_id, minlength=100)
    return {"exc": counts[:80].tolist(), "inh": counts[80:].tolist()}


def test_a_pynn_script_gives_the_spike_counts_of_the_same_model_in_pynest():
    script = os.path.join(HERE, "scripts", "pynn_network.py")
    result = subprocess.run([sys.executable, script], capture_output=True, text=True,
                            check=True, timeout=300)
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    expected = direct_pynest_counts("iaf_psc_exp_ps")
    assert sum(expected["exc"]) > 50
    assert counts == expected


def test_many_projections_and_the_clear_limit_between_one_pair():
    target = sim.Population(3, sim.IF_curr_exp())
    sources = [sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0])) for _ in range(500)]
    projections = [sim.Projection(s, target, sim.AllToAllConnector(),
                                  sim.StaticSynapse(weight=0.001 * k, delay=1.0))
                   for k, s in enumerate(sources)]
    projections[321].set(weight=[0.5, 0.6, 0.7])
    assert np.allclose(sorted(network_connections("weight"))[-3:], [500.0, 600.0, 700.0])
    target.record("v")
    sim.run(5.0)
    v = target.get_data().segments[0].analogsignals[0].magnitude
    assert np.all(v[-1] > -65.0)
    with pytest.raises(NotImplementedError, match="NEST.*merge"):
        for _ in range(500):
            sim.Projection(target, target, sim.AllToAllConnector(),
                           sim.StaticSynapse(weight=0.1, delay=1.0))


def test_native_cell_type_speaks_nest_and_fires_at_the_analytic_period():
    Native = sim.native_cell_type("iaf_psc_exp")
    assert Native.default_parameters["C_m"] == 250.0 and "V_m" in Native.default_initial_values
    cells = sim.Population(1, Native(I_e=1000.0, C_m=250.0, tau_m=10.0, E_L=-70.0,
                                     V_reset=-70.0, V_th=-55.0, t_ref=2.0),
                           initial_values={"V_m": -70.0})
    cells.record(["spikes", "V_m"])
    sim.run(100.0)
    segment = cells.get_data().segments[0]
    period = analytic_period(tau_m=10.0, cm=0.25, i=1.0, v_rest=-70.0, v_reset=-70.0,
                             v_thresh=-55.0, tau_refrac=2.0)
    assert np.allclose(np.diff(segment.spiketrains[0].magnitude), period, atol=0.1)
    assert str(segment.analogsignals[0].units.dimensionality) == "mV"
    assert cells.get("I_e") == 1000.0
    with pytest.raises(ValueError, match="NEST has no neuron model"):
        sim.native_cell_type("no_such_model")
    adex = sim.native_cell_type("aeif_cond_exp")
    assert adex.units["w"] == "pA" and adex.units["g_L"] == "nS"


def test_native_synapse_weights_follow_nest_and_reset_restores_them():
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=[1.0, 2.0]))
    sources = sim.Population(2, sim.SpikeSourcePoisson(rate=50.0))
    stdp = sim.native_synapse_type("stdp_synapse")
    prj = sim.Projection(sources, cells, sim.AllToAllConnector(),
                         stdp(weight=0.5, delay=1.0, Wmax=1000.0, tau_plus=15.0))
    sim.run(500.0)
    weights = np.array(prj.get("weight", "list", with_address=False))
    assert not np.allclose(weights, 0.5)
    assert np.allclose(np.sort(network_connections("weight")), np.sort(weights) * 1000.0)
    assert np.allclose(network_connections("tau_plus"), 15.0)
    sim.reset()
    assert np.allclose(prj.get("weight", "list", with_address=False), 0.5)


def test_hh_membrane_follows_the_api_equations():
    sim.setup(timestep=0.001)
    cells = sim.Population(1, sim.HH_cond_exp(i_offset=1.0), initial_values={"v": -64.0})
    cells.record(["v", "m", "h", "n"])
    sim.run(4.0)
    segment = cells.get_data().segments[0]
    v = next(s for s in segment.analogsignals if s.name == "v")
    first = v.times.magnitude[np.argmax(v.magnitude[:, 0] > 0.0)]
    assert first == pytest.approx(hh_first_crossing(), abs=0.002)
    h = next(s for s in segment.analogsignals if s.name == "h")
    assert h.magnitude[0, 0] == 1.0 and h.magnitude[-1, 0] < 1.0


def test_values_nest_refuses_are_a_clear_error_and_leave_everything_as_it_was():
    with pytest.raises(errors.InvalidParameterValueError, match="NEST"):
        sim.Population(2, sim.IF_curr_exp(v_reset=-40.0, v_thresh=-50.0))
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    assert int(cells[0]) == 0  # the refused population took no IDs
    cells.record("spikes")
    with pytest.raises(errors.InvalidParameterValueError, match="NEST"):
        cells[1:].set(v_reset=-40.0)
    assert cells.get("v_reset") == -65.0
    second_cell = nest.NodeCollection([sim.state.driver._cells[0].first_id + 1])
    assert second_cell.get("V_reset") == -65.0
    sim.run(50.0)
    sim.reset()
    sim.run(50.0)
    first, second = cells.get_data().segments
    assert [len(t) for t in first.spiketrains] == [len(t) for t in second.spiketrains] != [0, 0]
