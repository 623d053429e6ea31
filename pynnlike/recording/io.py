"""Choosing a Neo IO from a filename's extension (§8.4)."""
import importlib.util
import os

_UNSUPPORTED = (".txt", ".ras", ".v", ".gsyn")


def _require(package, extension):
    if importlib.util.find_spec(package) is None:
        raise ImportError(f"writing {extension} files needs the {package!r} package "
                          f"(pip install {package})")


def get_io(filename):
    """A Neo IO object for `filename`, chosen by extension; missing directories are created.

    .pkl/.pickle → PickleIO, .nix/.h5 → NixIO (overwrite mode, needs nixio), .nwb → NWBIO
    (mode 'w', needs pynwb), .mat → NeoMatlabIO. The old PyNN text formats raise OSError;
    anything else raises ValueError.
    """
    extension = os.path.splitext(filename)[1].lower()
    if extension in _UNSUPPORTED:
        raise OSError(f"{extension} files ({filename}) are not supported any more: use .pkl, "
                      f".nix/.h5, .nwb or .mat (Neo IO)")
    if extension not in (".pkl", ".pickle", ".nix", ".h5", ".nwb", ".mat"):
        raise ValueError(f"cannot choose a Neo IO for {filename!r}: unknown extension "
                         f"{extension!r} (use .pkl, .pickle, .nix, .h5, .nwb or .mat)")
    if extension in (".nix", ".h5"):
        _require("nixio", extension)
    elif extension == ".nwb":
        _require("pynwb", extension)
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)

    import neo.io  # heavy: imported only when a file is actually written

    if extension in (".pkl", ".pickle"):
        return neo.io.PickleIO(filename)
    if extension in (".nix", ".h5"):
        return neo.io.NixIO(filename, mode="ow")
    if extension == ".nwb":
        return neo.io.NWBIO(filename, mode="w")
    return neo.io.NeoMatlabIO(filename)
