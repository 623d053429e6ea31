"""Plain files for connection lists and cell positions (Neo files go through `get_io`).

Every class stores one 2-D array plus a dict of metadata. Files only write: deciding which MPI
rank writes is the caller's job (§12).
"""
import ast
import os
import pickle

import numpy as np

try:
    import tables
except ImportError:  # PyTables is optional; HDF5ArrayFile exists only when it imports
    tables = None

__all__ = ["BaseFile", "StandardTextFile", "PickleFile", "NumpyBinaryFile"]


def _make_parent_directory(filename):
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)


def _parse_value(text):
    """A header value back to Python: a literal if it is one, else the text itself.

    Non-literal text must survive, since headers such as `# population = <label>` hold a bare
    label written with `str()`.
    """
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def _plain(value):
    """numpy scalars and arrays to Python objects, so their `repr` is a readable literal."""
    return value.tolist() if isinstance(value, (np.ndarray, np.generic)) else value


class BaseFile:
    """A file holding one array and its metadata; missing directories are created."""

    def __init__(self, filename, mode="rb"):
        self.name = filename
        self.mode = mode
        _make_parent_directory(filename)
        self.fileobj = open(filename, mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _ensure_open(self):
        if self.fileobj.closed:
            self.fileobj = open(self.name, self.mode)

    def write(self, data, metadata):
        """Write `data` (2-D array-like) and `metadata` (dict)."""
        raise NotImplementedError

    def read(self):
        """The stored data as an ndarray."""
        raise NotImplementedError

    def get_metadata(self):
        """The stored metadata as a dict."""
        raise NotImplementedError

    def rename(self, filename):
        """Close the file and move it to `filename`."""
        self.close()
        _make_parent_directory(filename)
        os.rename(self.name, filename)
        self.name = filename

    def close(self):
        self.fileobj.close()


class StandardTextFile(BaseFile):
    """Text: header lines `# key = value` (value written with `str`), then tab-separated rows
    (read back as any whitespace-separated rows; later `#` lines and blank lines are skipped).

    `read()` is always 2-D: one row gives shape (1, k); an empty body gives (0, k) with k the
    length of a `columns` header entry, or (0, 0) without one. The body goes straight to
    numpy's C parser, columns that look like integers in the first row parsed as integers (4x
    faster than floats); parsing 17-digit floats is then most of the time.
    `get_metadata()` turns each value that is a Python literal (number, string, list, tuple,
    dict, None, bool) back into that object; any other value (e.g. a bare label) stays a string.
    """

    def _header(self):
        """The leading `#` lines (as text) and the file position after them."""
        self._ensure_open()
        self.fileobj.seek(0)
        lines = []
        while True:
            position = self.fileobj.tell()
            line = self.fileobj.readline()
            text = line.decode("utf-8") if isinstance(line, bytes) else line
            if not text.lstrip().startswith("#"):
                return lines, position
            lines.append(text)

    def write(self, data, metadata):
        self._ensure_open()
        header = "".join(f"# {key} = {_plain(value)}\n" for key, value in metadata.items())
        self.fileobj.write(header.encode("utf-8") if "b" in self.mode else header)
        np.savetxt(self.fileobj, np.asarray(data), delimiter="\t", fmt="%.17g")
        self.fileobj.flush()

    def read(self):
        lines, start = self._header()
        self.fileobj.seek(start)
        first = self.fileobj.readline()
        while first and not first.strip():  # blank lines before the first row
            first = self.fileobj.readline()
        if not first:
            columns = self._parse_header(lines).get("columns", ())
            return np.empty((0, len(columns) if isinstance(columns, (list, tuple)) else 0))
        self.fileobj.seek(start)
        tokens = first.split()
        integer = [t.lstrip(b"-" if isinstance(t, bytes) else "-").isdigit() for t in tokens]
        if any(integer):
            try:
                return self._columns(np.loadtxt(self.fileobj, comments="#", dtype=[
                    (f"c{k}", np.int64 if flag else float) for k, flag in enumerate(integer)]))
            except ValueError:  # a later row holds a non-integer there
                self.fileobj.seek(start)
        return np.loadtxt(self.fileobj, comments="#", ndmin=2)

    @staticmethod
    def _columns(table):
        """A structured array (one field per column) as a 2-D float array."""
        table = np.atleast_1d(table)
        data = np.empty((table.size, len(table.dtype.names)))
        for k, name in enumerate(table.dtype.names):
            data[:, k] = table[name]
        return data

    def get_metadata(self):
        return self._parse_header(self._header()[0])

    @staticmethod
    def _parse_header(lines):
        metadata = {}
        for line in lines:
            key, sep, value = line.strip()[1:].partition("=")
            if sep:
                metadata[key.strip()] = _parse_value(value.strip())
        return metadata


class PickleFile(BaseFile):
    """The pickled tuple `(data, metadata)`."""

    def write(self, data, metadata):
        self._ensure_open()
        pickle.dump((data, metadata), self.fileobj)
        self.fileobj.flush()

    def _load(self):
        self._ensure_open()
        self.fileobj.seek(0)
        return pickle.load(self.fileobj)

    def read(self):
        return np.asarray(self._load()[0])

    def get_metadata(self):
        return self._load()[1]


class NumpyBinaryFile(BaseFile):
    """numpy `.npz` with arrays `data` and `metadata` (rows of key, repr(value)); no pickling."""

    def write(self, data, metadata):
        self._ensure_open()
        pairs = np.array([[key, repr(_plain(value))] for key, value in metadata.items()],
                         dtype=str).reshape(-1, 2)
        np.savez(self.fileobj, data=np.asarray(data), metadata=pairs)
        self.fileobj.flush()

    def _load(self, name):
        self._ensure_open()
        self.fileobj.seek(0)
        with np.load(self.fileobj) as archive:
            return archive[name]

    def read(self):
        return self._load("data")

    def get_metadata(self):
        return {str(key): _parse_value(str(value)) for key, value in self._load("metadata")}


if tables is not None:
    __all__.append("HDF5ArrayFile")

    class HDF5ArrayFile(BaseFile):
        """PyTables file: array node `data`, metadata as its attributes."""

        def __init__(self, filename, mode="r", title="PyNN data file"):
            self.name = filename
            self.mode = mode
            self.title = title
            _make_parent_directory(filename)
            self.fileobj = tables.open_file(filename, mode=mode, title=title)

        def _ensure_open(self):
            if not self.fileobj.isopen:
                self.fileobj = tables.open_file(self.name, mode=self.mode, title=self.title)

        def write(self, data, metadata):
            self._ensure_open()
            node = self.fileobj.create_array(self.fileobj.root, "data", np.asarray(data))
            for key, value in metadata.items():
                node.attrs[key] = _plain(value)
            self.fileobj.flush()

        def read(self):
            self._ensure_open()
            return np.asarray(self.fileobj.root.data.read())

        def get_metadata(self):
            self._ensure_open()
            attrs = self.fileobj.root.data.attrs
            return {name: attrs[name] for name in attrs._v_attrnamesuser}
