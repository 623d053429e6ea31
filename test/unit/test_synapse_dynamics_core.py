"""The core's part of synaptic dynamics on the in-memory driver: synapse state handed to the
driver, plastic weights read back, gap junctions, and the weight recorder."""
import numpy as np
import pytest

from pynnlike import errors
from pynnlike.recording.weights import WeightRecorder
from fakedriver import SCALE


def tm_projection(sim):
    pre = sim.Population(2, sim.SpikeSourceArray())
    post = sim.Population(2, sim.IF_cond_exp())
    return sim.Projection(pre, post, sim.AllToAllConnector(),
                          sim.TsodyksMarkramSynapse(weight=0.01, delay=1.0, U=0.3))


def test_initial_synapse_state_goes_to_the_driver_at_creation_and_initialize(sim):
    prj = tm_projection(sim)
    connection = sim.state.driver.connections[-1]
    assert np.allclose(connection["state"]["u_n"], 0.0)
    prj.initialize(u=[0.1, 0.2, 0.3, 0.4])
    assert np.allclose(connection["state"]["u_n"], np.array([0.1, 0.2, 0.3, 0.4]) * SCALE)
    assert prj.get("u", format="list", with_address=False) == [0.1, 0.2, 0.3, 0.4]
    assert "u_n" not in connection["parameters"]  # state is not a parameter
    with pytest.raises(errors.NonExistentParameterError):
        prj.initialize(U=0.5)
    calls = [c for c in sim.state.driver.calls if c[0] == "initialize_synapses"]
    assert len(calls) == 2 and list(calls[-1][1]) == [0, 1, 2, 3]


def test_static_synapses_have_no_state_to_hand_over(sim):
    pre = sim.Population(2, sim.SpikeSourceArray())
    post = sim.Population(2, sim.IF_cond_exp())
    sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    assert not [c for c in sim.state.driver.calls if c[0] == "initialize_synapses"]


def stdp_projection(sim, weight=0.004):
    pre = sim.Population(3, sim.SpikeSourceArray())
    post = sim.Population(1, sim.IF_cond_exp())
    return sim.Projection(pre, post, sim.AllToAllConnector(), sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(), weight_dependence=sim.AdditiveWeightDependence(),
        weight=weight, delay=1.0))


def test_plastic_weights_are_read_back_from_the_driver(sim):
    prj = stdp_projection(sim)
    assert sim.STDPMechanism.weights_change
    sim.state.driver.connections[-1]["parameters"]["weight_n"][:] = [1.0, 2.0, 3.0]
    assert prj.get("weight", format="list", with_address=False) == pytest.approx(
        [0.1, 0.2, 0.3])
    assert prj.get("tau_plus", format="list", with_address=False) == [20.0] * 3


def test_weight_recorder_samples_weights_at_its_interval(sim):
    prj = stdp_projection(sim)
    recorder = WeightRecorder(prj, sampling_interval=2.0)
    weights = sim.state.driver.connections[-1]["parameters"]["weight_n"]

    def grow(t):
        weights[:] = 1.0 + t  # the "simulator" changes the weights as time goes on
        return t + 0.5

    sim.run(10.0, callbacks=[grow, recorder])
    signal = recorder.get_weights()
    assert signal.shape == (6, 3) and str(signal.units.dimensionality) == "uS"
    assert np.allclose(signal.times.magnitude, [0, 2, 4, 6, 8, 10])
    assert np.allclose(signal.magnitude[:, 0], (1.0 + signal.times.magnitude) / SCALE)
    assert list(signal.array_annotations["presynaptic_index"]) == [0, 1, 2]
    recorder.clear()
    assert recorder.get_weights().shape == (0, 3)
    with pytest.raises(ValueError):
        WeightRecorder(prj, sampling_interval=0.0)


def test_electrical_synapses_take_the_gap_receptor_and_no_delay(sim):
    cells = sim.Population(2, sim.HH_cond_exp())
    prj = sim.Projection(cells[0:1], cells[1:2], sim.OneToOneConnector(),
                         sim.ElectricalSynapse(weight=0.005),
                         receptor_type="source_section.gap", source="source_section.gap")
    connection = sim.state.driver.connections[-1]
    assert list(connection["parameters"]) == ["weight_n"]
    assert connection["receptor"] == "source_section.gap"
    assert prj.get("weight", format="list") == [(0, 0, 0.005)]
    assert sim.get_min_delay() == 0.1 and sim.get_max_delay() == 0.1
    for synapse, receptor, source in [
            (sim.ElectricalSynapse(weight=0.005), "excitatory", None),
            (sim.StaticSynapse(weight=0.005), "source_section.gap", None),
            (sim.StaticSynapse(weight=0.005), "excitatory", "source_section.gap"),
            (sim.ElectricalSynapse(weight=0.005), "source_section.gap", "soma")]:
        with pytest.raises(errors.ConnectionError):
            sim.Projection(cells, cells, sim.OneToOneConnector(), synapse,
                           receptor_type=receptor, source=source)
    with pytest.raises(errors.ConnectionError):
        sim.Projection(cells, cells, sim.OneToOneConnector(),
                       sim.ElectricalSynapse(weight=-0.005), receptor_type="source_section.gap")
    assert len(sim.state.projections) == 1
