"""Where the core once differed from API.md: one test per discrepancy, on the in-memory driver."""
import pickle
import warnings

import neo
import numpy as np
import pytest

from pynnlike import errors


def _spikes(population, index, times):
    population._handle.spikes = (np.asarray(index), np.asarray(times, dtype=float))


# -- §2.1 simulation control -----------------------------------------------------------------
def test_callbacks_due_at_the_end_time_are_called(sim):
    calls = []

    def every_ms(t):
        calls.append(round(t, 9))
        return t + 1.0

    assert sim.run(3.0, callbacks=[every_ms]) == pytest.approx(3.0)
    assert calls == [0.0, 1.0, 2.0, 3.0]


def test_callbacks_closer_than_dt_share_one_stop(sim):
    calls = []
    first = lambda t: (calls.append(("a", round(t, 9))), t + 0.5)[1]  # noqa: E731
    second = lambda t: (calls.append(("b", round(t, 9))), t + 0.55)[1]  # noqa: E731
    sim.run(0.6, callbacks=[first, second])
    assert calls == [("a", 0.0), ("b", 0.0), ("a", 0.5), ("b", 0.5)]


def test_recorded_data_survive_end(sim):
    p = sim.Population(2, sim.IF_curr_exp(), label="p")
    p.record(["v", "spikes"])
    sim.run(2.0)
    _spikes(p, [1], [1.5])
    sim.end()
    p._handle.samples = {}  # the simulator's data are gone after end()
    p._handle.spikes = None
    block = p.get_data()
    assert block.segments[0].analogsignals[0].shape == (21, 2)
    assert [list(st.magnitude) for st in block.segments[0].spiketrains] == [[], [1.5]]
    assert p.get_spike_counts() == {p[0]: 0, p[1]: 1}


# -- §8.2 spike trains and clear ---------------------------------------------------------------
def test_spike_at_the_time_of_a_clear_belongs_to_the_data_before_it(sim):
    p = sim.Population(1, sim.IF_curr_exp(), label="p")
    p.record("spikes")
    sim.run(10.0)
    _spikes(p, [0], [10.0])
    before = p.get_data(clear=True).segments[0].spiketrains[0]
    assert list(before.magnitude) == [10.0]
    sim.run(5.0)
    _spikes(p, [0, 0], [10.0, 12.0])  # a simulator that still reports the spike at 10 ms
    after = p.get_data().segments[0].spiketrains[0]
    assert after.t_start == 10.0 and list(after.magnitude) == [12.0]
    assert p.get_spike_counts() == {p[0]: 1}


# -- §3.4 Assembly data ------------------------------------------------------------------------
def test_assembly_channel_index_counts_positions_in_the_assembly(sim):
    p = sim.Population(6, sim.IF_cond_exp(), label="p")
    assembly = sim.Assembly(p[0:2], p[4:6], label="asm")
    assembly.record("v")
    sim.run(1.0)
    signal = assembly.get_data().segments[0].analogsignals[0]
    assert list(signal.array_annotations["channel_index"]) == [0, 1, 2, 3]
    assert list(signal.annotations["channel_ids"]) == [0, 1, 4, 5]


def test_assembly_block_has_the_annotations_of_a_population_block(sim):
    p = sim.Population(2, sim.IF_cond_exp(), label="p")
    q = sim.Population(3, sim.IF_cond_exp(), label="q")
    assembly = sim.Assembly(p, q, label="pq")
    assembly.annotate(experiment="x")
    assembly.record("v")
    sim.run(1.0)
    block = assembly.get_data(annotations={"extra": 1})
    assert block.name == "pq"
    assert block.annotations == {"size": 5, "first_index": 0, "last_index": 5, "first_id": 0,
                                 "last_id": 4, "label": "pq", "simulator": "Fake", "dt": 0.1,
                                 "mpi_processes": 1, "experiment": "x", "extra": 1}
    assert "pq" in block.description
    assert block.segments[0].description


def test_assembly_get_data_clear_keeps_every_member(sim):
    p = sim.Population(6, sim.IF_cond_exp(), label="p")
    assembly = sim.Assembly(p[0:2], p[4:6])
    assembly.record(["v", "spikes"])
    sim.run(1.0)
    _spikes(p, [0, 4, 5], [0.5, 0.6, 0.7])
    segment = assembly.get_data(clear=True).segments[0]
    assert segment.analogsignals[0].shape == (11, 4)
    assert [len(st) for st in segment.spiketrains] == [1, 0, 1, 1]
    assert assembly.get_data().segments[0].analogsignals[0].shape == (1, 4)


def test_assembly_callable_values_take_the_index_in_the_assembly(sim):
    p = sim.Population(2, sim.IF_cond_exp())
    q = sim.Population(3, sim.IF_cond_exp())
    assembly = p + q
    assembly.set(tau_m=lambda i: 10.0 + i)
    assembly.initialize(v=lambda i: -70.0 + i)
    assert list(q.get("tau_m")) == [12.0, 13.0, 14.0]
    assert list(q.initial_values["v"].evaluate()) == [-68.0, -67.0, -66.0]


# -- §3.5 ID -----------------------------------------------------------------------------------
def test_id_get_parameters_gives_one_value_per_name(sim):
    p = sim.Population(3, sim.IF_cond_exp(tau_m=[10.0, 11.0, 12.0]))
    parameters = p[1].get_parameters()
    assert parameters["tau_m"] == 11.0 and np.ndim(parameters["tau_m"]) == 0
    assert parameters["cm"] == 1.0 and np.ndim(parameters["cm"]) == 0


def test_parameter_errors_name_the_cell_type(sim):
    p = sim.Population(3, sim.IF_cond_exp())
    with pytest.raises(errors.InvalidDimensionsError, match="IF_cond_exp"):
        p.set(tau_m=[1.0, 2.0])
    with pytest.raises(errors.InvalidDimensionsError, match="IF_cond_exp"):
        p.initialize(v=[1.0, 2.0])


# -- §2.3 procedural API -----------------------------------------------------------------------
def test_create_with_instance_and_cellparams_is_refused_like_population(sim):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(TypeError):
            sim.create(sim.IF_cond_exp(), {"tau_m": 12.0}, n=2)


# -- §3.7 Connection ---------------------------------------------------------------------------
def test_connection_unknown_attribute_is_a_nonexistent_parameter(sim):
    p = sim.Population(2, sim.IF_cond_exp())
    prj = sim.Projection(p, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    with pytest.raises(errors.NonExistentParameterError):
        prj[0].tau_rec = 3.0
    with pytest.raises(errors.NonExistentParameterError):
        prj[0].tau_rec


# -- §3.8 Network ------------------------------------------------------------------------------
def test_network_get_data_in_creation_order(sim):
    first = sim.Population(1, sim.IF_cond_exp(), label="first")
    second = sim.Population(1, sim.IF_cond_exp(), label="second")
    net = sim.Network(second, first)
    net.record("v")
    sim.run(1.0)
    assert [block.name for block in net.get_data()] == ["first", "second"]


def test_network_write_data_to_pickle(sim, tmp_path):
    a = sim.Population(1, sim.IF_cond_exp(), label="a")
    b = sim.Population(2, sim.IF_cond_exp(), label="b")
    net = sim.Network(a, b)
    net.record("v")
    sim.run(1.0)
    filename = str(tmp_path / "net.pkl")
    net.write_data(filename)
    with open(filename, "rb") as f:
        blocks = pickle.load(f)
    assert [block.name for block in blocks] == ["a", "b"]
    assert blocks[1].segments[0].analogsignals[0].shape == (11, 2)


def test_network_record_to_file_writes_every_population_at_end(sim, tmp_path):
    a = sim.Population(1, sim.IF_cond_exp(), label="a")
    b = sim.Population(2, sim.IF_cond_exp(), label="b")
    filename = str(tmp_path / "net.pkl")
    sim.Network(a, b).record("v", to_file=filename)
    sim.run(1.0)
    sim.end()
    with open(filename, "rb") as f:
        blocks = pickle.load(f)
    assert [block.name for block in blocks] == ["a", "b"]
    assert isinstance(blocks[0], neo.Block)


# -- §14.13 quantities as values ---------------------------------------------------------------
def test_projection_set_converts_quantities_to_standard_units(sim):
    import quantities as pq
    cond = sim.Population(2, sim.IF_cond_exp())
    curr = sim.Population(2, sim.IF_curr_exp())
    to_cond = sim.Projection(cond, cond, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    to_curr = sim.Projection(cond, curr, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    to_cond.set(weight=5 * pq.nS, delay=0.002 * pq.s)
    to_curr.set(weight=250 * pq.pA)
    assert to_cond.get("weight", "list", with_address=False) == pytest.approx([0.005] * 4)
    assert to_cond.get("delay", "list", with_address=False) == pytest.approx([2.0] * 4)
    assert to_curr.get("weight", "list", with_address=False) == pytest.approx([0.25] * 4)
    with pytest.raises(errors.InvalidParameterValueError, match="weight"):
        to_cond.set(weight=1 * pq.nA)


# -- §8.1 sampling interval --------------------------------------------------------------------
def test_record_without_interval_keeps_the_population_interval(sim):
    p = sim.Population(4, sim.IF_cond_exp())
    p[0:2].record("v", sampling_interval=1.0)
    p[2:4].record(["v", "gsyn_exc"])  # no request: no conflict
    with pytest.raises(ValueError, match="interval"):
        p.record("gsyn_inh", sampling_interval=0.5)
    sim.run(3.0)
    signal = p.get_data("v").segments[0].analogsignals[0]
    assert float(signal.sampling_period) == 1.0 and signal.shape[1] == 4


# -- §3.6 Projection.save ----------------------------------------------------------------------
def test_save_array_format_header_and_zeros(sim, tmp_path):
    from pynnlike.recording.files import StandardTextFile
    p = sim.Population(2, sim.IF_cond_exp())
    prj = sim.Projection(p, p, sim.FromListConnector([(0, 1, 0.5, 1.0)]))
    name = str(tmp_path / "w.txt")
    prj.save("weight", name, format="array")
    saved = StandardTextFile(name)
    assert saved.get_metadata()["columns"] == ["i", "j", "weight"]
    assert saved.read().tolist() == [[0.0, 0.5], [0.0, 0.0]]
    prj.save(["weight", "delay"], name, format="array", with_address=False)
    saved = StandardTextFile(name)
    assert saved.get_metadata()["columns"] == ["weight", "delay"]
    assert saved.read().tolist() == [[0.0, 0.5], [0.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
