"""write_data() to each Neo file format, read back with Neo: the same Block comes back.

The recorded data come from the in-memory driver: two segments (a reset between them), spikes
and two signals with distinct values per cell and per segment.
"""
import neo
import numpy as np
import pytest
import quantities as pq

from pynnlike.recording.io import get_io

READERS = {
    "pkl": lambda f: neo.io.PickleIO(f),
    "nix": lambda f: neo.io.NixIO(f, mode="ro"),
    "nwb": lambda f: neo.io.NWBIO(f, mode="r"),
    "mat": lambda f: neo.io.NeoMatlabIO(f),
}
# formats that keep pynnlike's annotations; NWB keeps only the data and its session fields
ANNOTATED = ("pkl", "nix")


@pytest.fixture
def written(sim):
    """The Block a write would build, and a function writing it to a file."""
    cells = sim.Population(3, sim.IF_cond_exp(), label="cells")
    cells.record(["spikes", "v", "gsyn_exc"])
    handle = sim.state.driver.cells[-1]
    for k, (index, times, v) in enumerate([
            ([0, 2, 2], [1.5, 0.3, 4.2], [-60.0, -55.0, -50.0]),
            ([1], [2.5], [-70.0, -65.0, -62.5])]):
        cells.initialize(v=v, gsyn_exc=[0.001, 0.002, 0.004])
        handle.spikes = (np.array(index), np.array(times))
        sim.run(5.0)
        if k == 0:
            sim.reset(annotations={"trial": 1})

    def write(tmp_path, extension):
        filename = str(tmp_path / "deep" / f"cells.{extension}")
        cells.write_data(filename, annotations={"experiment": "round trip"})
        reader = READERS[extension](filename)
        blocks = reader.read_all_blocks() if extension == "nwb" else [reader.read_block()]
        if hasattr(reader, "close"):
            reader.close()
        return blocks

    return cells.get_data(annotations={"experiment": "round trip"}), write


def same_signal(read, original):
    assert read.shape == original.shape
    assert read.units.dimensionality.simplified == original.units.dimensionality.simplified
    np.testing.assert_allclose(read.rescale(original.units).magnitude, original.magnitude)
    assert float(read.sampling_period.rescale("ms")) == pytest.approx(0.1)
    assert float(read.t_start.rescale("ms")) == pytest.approx(float(original.t_start))


@pytest.mark.parametrize("extension", list(READERS))
def test_round_trip_keeps_spikes_signals_and_units(tmp_path, written, extension):
    original, write = written
    blocks = write(tmp_path, extension)
    assert len(blocks) == 1
    block = blocks[0]
    assert block.name == "cells"
    assert len(block.segments) == 2
    for segment, expected in zip(block.segments, original.segments):
        assert len(segment.spiketrains) == 3
        for train, reference in zip(segment.spiketrains, expected.spiketrains):
            np.testing.assert_allclose(train.rescale("ms").magnitude, reference.magnitude)
            assert float(train.t_stop.rescale("ms")) == pytest.approx(5.0)
        assert len(segment.analogsignals) == 2
        for signal, reference in zip(sorted(segment.analogsignals, key=lambda s: s.name),
                                     expected.analogsignals):
            same_signal(signal, reference)
    # the spikes and values really differ between cells and segments
    assert [len(t) for t in block.segments[0].spiketrains] == [1, 0, 2]
    assert [len(t) for t in block.segments[1].spiketrains] == [0, 1, 0]


@pytest.mark.parametrize("extension", ANNOTATED)
def test_round_trip_keeps_annotations_and_names(tmp_path, written, extension):
    original, write = written
    block = write(tmp_path, extension)[0]
    for key in ("size", "first_id", "last_id", "label", "simulator", "dt", "experiment"):
        assert block.annotations[key] == original.annotations[key], key
    assert [s.name for s in block.segments] == ["segment000", "segment001"]
    assert block.segments[0].annotations["trial"] == 1
    train = block.segments[0].spiketrains[2]
    assert train.annotations["source_index"] == 2 and train.annotations["channel_id"] == 2
    assert train.annotations["source_population"] == "cells"
    v = next(s for s in block.segments[1].analogsignals if s.name == "v")
    assert v.units == pq.mV
    assert list(v.annotations["channel_ids"]) == [0, 1, 2]
    assert list(v.array_annotations["channel_index"]) == [0, 1, 2]
    np.testing.assert_allclose(v.magnitude[0], [-70.0, -65.0, -62.5])


def test_nwb_session_start_is_the_recording_time(tmp_path, written):
    original, write = written
    block = write(tmp_path, "nwb")[0]
    start = block.annotations["session_start_time"]
    assert abs((start - original.rec_datetime.astimezone()).total_seconds()) < 60


def test_get_io_by_extension_for_the_new_formats(tmp_path):
    assert isinstance(get_io(str(tmp_path / "a.nix")), neo.io.NixIO)
    assert isinstance(get_io(str(tmp_path / "a.h5")), neo.io.NixIO)
    assert isinstance(get_io(str(tmp_path / "a.nwb")), neo.io.NWBIO)
