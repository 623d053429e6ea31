"""Recording to Neo on the in-memory driver: structure, units, annotations, segments."""
import numpy as np
import pytest
import quantities as pq

from pynnlike import errors


def test_signal_shape_units_and_annotations(sim):
    p = sim.Population(3, sim.IF_cond_exp(), initial_values={"v": -60.0}, label="cond")
    p[[0, 2]].record(["v", "gsyn_exc"])
    sim.run(20.0)
    block = p.get_data()
    assert block.name == "cond"
    assert block.annotations["simulator"] == "Fake" and block.annotations["size"] == 3
    segment = block.segments[0]
    assert segment.name == "segment000"
    v = next(s for s in segment.analogsignals if s.name == "v")
    assert v.shape == (201, 2)
    assert v.units == pq.mV and v.sampling_period == 0.1 * pq.ms and v.t_start == 0 * pq.ms
    assert np.allclose(v.magnitude, -60.0)
    assert list(v.array_annotations["channel_index"]) == [0, 2]
    assert list(v.annotations["channel_ids"]) == [int(p[0]), int(p[2])]
    g = next(s for s in segment.analogsignals if s.name == "gsyn_exc")
    assert g.units == pq.uS


def test_spiketrains_sorted_with_empty_ones(sim):
    p = sim.Population(4, sim.IF_curr_exp(), label="exc")
    p.record("spikes")
    sim.run(10.0)
    handle = sim.state.driver.cells[-1]
    handle.spikes = (np.array([2, 0, 2]), np.array([5.0, 3.0, 1.0]))
    trains = p.get_data("spikes").segments[0].spiketrains
    assert [len(t) for t in trains] == [1, 0, 2, 0]
    assert list(trains[2].magnitude) == [1.0, 5.0]
    assert trains[2].annotations["source_index"] == 2
    assert trains[2].annotations["channel_id"] == int(p[2])
    assert trains[2].t_stop == 10.0 * pq.ms
    counts = p.get_spike_counts()
    assert counts == {p[0]: 1, p[1]: 0, p[2]: 2, p[3]: 0}
    assert p.mean_spike_count() == pytest.approx(0.75)
    view_trains = p[[2, 3]].get_data().segments[0].spiketrains
    assert [t.annotations["source_index"] for t in view_trains] == [2, 3]


def test_one_segment_per_reset(sim):
    p = sim.Population(2, sim.IF_curr_exp())
    p.record("v")
    sim.run(5.0)
    sim.reset(annotations={"trial": 1})
    sim.run(3.0)
    block = p.get_data()
    assert [s.name for s in block.segments] == ["segment000", "segment001"]
    assert block.segments[0].annotations["trial"] == 1
    assert [s.analogsignals[0].shape[0] for s in block.segments] == [51, 31]
    p.get_data(clear=True)
    sim.run(2.0)
    block = p.get_data()
    assert len(block.segments) == 1
    assert block.segments[0].analogsignals[0].t_start == 3.0 * pq.ms


def test_recording_errors(sim):
    p = sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(errors.RecordingError) as info:
        p.record("gsyn_exc")
    assert "spikes" in str(info.value)
    with pytest.raises(ValueError):
        p.record("v", sampling_interval=0.15)
    p.record("v", sampling_interval=0.5)
    with pytest.raises(ValueError):
        p.record("v", sampling_interval=1.0)
    with pytest.raises(NotImplementedError):
        p.record("v", locations=["soma"])


def test_record_none_on_a_view_stops_only_the_view(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    p.record("spikes")
    p[0:1].record(None)
    sim.run(1.0)
    assert len(p.get_data().segments[0].spiketrains) == 2


def test_write_data_and_nothing_to_write(sim, tmp_path):
    p = sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(errors.NothingToWriteError):
        p.write_data(str(tmp_path / "none.pkl"))
    p.record("v")
    sim.run(1.0)
    filename = str(tmp_path / "sub" / "data.pkl")
    p.write_data(filename)
    import neo
    assert neo.io.PickleIO(filename).read_block().segments[0].analogsignals[0].shape == (11, 2)


def test_assembly_data_offsets_channel_index(sim):
    a = sim.Population(2, sim.IF_curr_exp())
    b = sim.Population(3, sim.IF_curr_exp())
    (a + b).record("v")
    sim.run(1.0)
    signal = (a + b).get_data().segments[0].analogsignals[0]
    assert signal.shape == (11, 5)
    assert list(signal.array_annotations["channel_index"]) == [0, 1, 2, 3, 4]


def test_save_and_load_population_replays_spikes(sim, tmp_path):
    from pynnlike.utility import load_population, save_population
    p = sim.Population(3, sim.IF_curr_exp(), label="saved")
    p.record("spikes")
    sim.run(10.0)
    sim.state.driver.cells[-1].spikes = (np.array([0, 2, 2]), np.array([1.0, 2.0, 7.5]))
    filename = str(tmp_path / "population")
    save_population(p, filename, variables=["label"])
    replay = load_population(filename, sim)
    assert replay.size == 3 and replay.label == "saved"
    assert [list(s.value) for s in replay.get("spike_times")] == [[1.0], [], [2.0, 7.5]]


def test_variable_step_samples_become_irregularly_sampled_signals(sim):
    p = sim.Population(2, sim.IF_curr_exp(), label="cvode")
    p.record("v")
    sim.state.driver.irregular = True
    sim.run(4.0)
    segment = p.get_data().segments[0]
    assert len(segment.analogsignals) == 0
    signal = segment.irregularlysampledsignals[0]
    assert signal.name == "v" and signal.units == pq.mV and signal.shape == (41, 2)
    assert signal.times[-1] == 4.0 * pq.ms and signal.times[1] < 0.1 * pq.ms
    assert list(signal.array_annotations["channel_index"]) == [0, 1]
