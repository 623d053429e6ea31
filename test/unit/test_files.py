"""pynnlike.recording.files round trips, and get_io dispatch."""
import numpy as np
import pytest

from pynnlike.recording import files
from pynnlike.recording.io import get_io

DATA = np.array([[0, 1, 0.5, 1.25], [2, 3, -0.125, 0.1], [4, 0, 1e-9, 3.0]])
METADATA = {"columns": ["i", "j", "weight", "delay"], "population": "exc",
            "shape": (3, 4), "dt": 0.1}
BINARY_CLASSES = [files.PickleFile, files.NumpyBinaryFile]


@pytest.mark.parametrize("cls", [files.StandardTextFile, *BINARY_CLASSES])
def test_round_trip(tmp_path, cls):
    name = str(tmp_path / "new" / "dir" / "data.out")  # directories do not exist yet
    with cls(name, mode="wb") as f:
        f.write(DATA, METADATA)
    f = cls(name)
    np.testing.assert_array_equal(f.read(), DATA)
    assert f.get_metadata() == METADATA
    f.close()


def test_numpy_binary_file_is_npz_with_data_and_metadata(tmp_path):
    name = tmp_path / "d.npz"
    with files.NumpyBinaryFile(str(name), "wb") as f:
        f.write(DATA, {"label": "exc", "n": np.int64(3)})
    with np.load(name) as archive:
        assert sorted(archive.files) == ["data", "metadata"]
        np.testing.assert_array_equal(archive["data"], DATA)
        assert archive["metadata"].tolist() == [["label", "'exc'"], ["n", "3"]]
    assert files.NumpyBinaryFile(str(name)).get_metadata() == {"label": "exc", "n": 3}


def test_text_file_layout(tmp_path):
    name = tmp_path / "conn.txt"
    with files.StandardTextFile(str(name), "w") as f:  # text mode works as well as binary
        f.write([(0, 1, 0.5), (2, 0, 0.25)], {"columns": ["i", "j", "weight"], "population": "exc"})
    assert name.read_text().splitlines() == [
        "# columns = ['i', 'j', 'weight']",
        "# population = exc",
        "0\t1\t0.5",
        "2\t0\t0.25",
    ]


def test_text_file_metadata_parsing(tmp_path):
    name = tmp_path / "meta.txt"
    name.write_text("# columns = ['i', 'x']\n# label = my cells\n# n = 4\n# pair = (1, 2.5)\n"
                    "# tricky = a = b\n0\t1\n")
    assert files.StandardTextFile(str(name)).get_metadata() == {
        "columns": ["i", "x"], "label": "my cells", "n": 4, "pair": (1, 2.5), "tricky": "a = b"}


def test_text_file_shapes(tmp_path):
    one = tmp_path / "one.txt"
    with files.StandardTextFile(str(one), "w") as f:
        f.write(np.array([[1.0, 2.0, 3.0]]), {})
    assert files.StandardTextFile(str(one)).read().shape == (1, 3)

    empty = tmp_path / "empty.txt"
    with files.StandardTextFile(str(empty), "w") as f:
        f.write(np.empty((0, 3)), {"columns": ["i", "j", "weight"]})
    assert files.StandardTextFile(str(empty)).read().shape == (0, 3)

    bare = tmp_path / "bare.txt"
    bare.write_text("")
    assert files.StandardTextFile(str(bare)).read().shape == (0, 0)


def test_text_file_keeps_full_precision(tmp_path):
    values = np.array([[1 / 3, np.pi, 1e-300, 123456789.123456789]])
    name = str(tmp_path / "p.txt")
    with files.StandardTextFile(name, "w") as f:
        f.write(values, {})
    assert np.array_equal(files.StandardTextFile(name).read(), values)


def test_rename_moves_file(tmp_path):
    old, new = tmp_path / "a.pkl", tmp_path / "sub" / "b.pkl"
    f = files.PickleFile(str(old), "wb")
    f.write(DATA, {"k": 1})
    f.rename(str(new))
    assert not old.exists() and f.name == str(new)
    assert files.PickleFile(str(new)).get_metadata() == {"k": 1}


def test_closed_file_reopens_for_reading(tmp_path):
    name = str(tmp_path / "r.npz")
    with files.NumpyBinaryFile(name, "wb") as f:
        f.write(DATA, {})
    f = files.NumpyBinaryFile(name)
    f.close()
    np.testing.assert_array_equal(f.read(), DATA)


def test_hdf5_class_only_with_pytables():
    try:
        import tables  # noqa: F401
        has_tables = True
    except ImportError:
        has_tables = False
    assert hasattr(files, "HDF5ArrayFile") == has_tables
    assert ("HDF5ArrayFile" in files.__all__) == has_tables


# -- get_io -----------------------------------------------------------------------------------

def test_get_io_pickle_round_trip(tmp_path):
    import neo
    import quantities as pq

    name = tmp_path / "deep" / "er" / "data.pkl"
    io = get_io(str(name))
    assert isinstance(io, neo.io.PickleIO)
    assert name.parent.is_dir()
    block = neo.Block(name="b")
    segment = neo.Segment()
    segment.spiketrains.append(neo.SpikeTrain([1.0, 2.5] * pq.ms, t_stop=10 * pq.ms))
    block.segments.append(segment)
    io.write_block(block)
    read = get_io(str(name)).read_block()
    assert read.name == "b"
    np.testing.assert_array_equal(read.segments[0].spiketrains[0].magnitude, [1.0, 2.5])


@pytest.mark.parametrize("extension, cls_name", [(".pickle", "PickleIO"), (".PKL", "PickleIO"),
                                                 (".mat", "NeoMatlabIO")])
def test_get_io_classes(tmp_path, extension, cls_name):
    assert type(get_io(str(tmp_path / f"x{extension}"))).__name__ == cls_name


@pytest.mark.parametrize("extension, package", [(".nix", "nixio"), (".h5", "nixio"),
                                                (".nwb", "pynwb")])
def test_get_io_missing_packages(tmp_path, monkeypatch, extension, package):
    import importlib.util
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)  # as if not installed
    with pytest.raises(ImportError, match=package):
        get_io(str(tmp_path / f"x{extension}"))


@pytest.mark.parametrize("extension", [".txt", ".ras", ".v", ".gsyn"])
def test_get_io_old_text_formats(tmp_path, extension):
    with pytest.raises(IOError, match="not supported"):
        get_io(str(tmp_path / f"x{extension}"))


@pytest.mark.parametrize("filename", ["x.csv", "noextension"])
def test_get_io_unknown_extension(tmp_path, filename):
    with pytest.raises(ValueError, match="unknown extension"):
        get_io(str(tmp_path / filename))
