"""Choosing a Neo IO from a filename's extension (§8.4)."""
import importlib.util
import os
import warnings
from datetime import datetime

_UNSUPPORTED = (".txt", ".ras", ".v", ".gsyn")
#: extension -> (the package its Neo IO needs, the pip extra that installs it)
_NEEDS = {".nix": ("nixio", "nix"), ".h5": ("nixio", "nix"), ".nwb": ("pynwb", "nwb")}


def _require(extension):
    package, extra = _NEEDS[extension]
    if importlib.util.find_spec(package) is None:
        raise ImportError(f"writing {extension} files needs the {package!r} package "
                          f"(pip install {package}, or pip install pynnlike[{extra}])")


def get_io(filename):
    """A Neo IO object for writing `filename`, chosen by extension; missing directories are
    created.

    .pkl/.pickle → PickleIO, .nix/.h5 → NixIO (overwrite mode, needs nixio), .nwb → NWBIO
    (mode 'w', needs pynwb), .mat → NeoMatlabIO. The old PyNN text formats raise OSError;
    anything else raises ValueError. (To read a file back, open it with Neo's own IO in a read
    mode, e.g. `neo.io.NixIO(filename, mode='ro')`.)
    """
    extension = os.path.splitext(filename)[1].lower()
    if extension in _UNSUPPORTED:
        raise OSError(f"{extension} files ({filename}) are not supported any more: use .pkl, "
                      f".nix/.h5, .nwb or .mat (Neo IO)")
    if extension not in (".pkl", ".pickle", ".nix", ".h5", ".nwb", ".mat"):
        raise ValueError(f"cannot choose a Neo IO for {filename!r}: unknown extension "
                         f"{extension!r} (use .pkl, .pickle, .nix, .h5, .nwb or .mat)")
    if extension in _NEEDS:
        _require(extension)
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)

    import neo.io  # heavy: imported only when a file is actually written

    if extension in (".pkl", ".pickle"):
        return neo.io.PickleIO(filename)
    if extension in (".nix", ".h5"):
        return neo.io.NixIO(filename, mode="ow")
    if extension == ".nwb":
        return _nwb_io_class()(filename, mode="w")
    return neo.io.NeoMatlabIO(filename)


def prepare_for_nwb(block):
    """Give `block` what Neo's NWBIO needs to write it: parent links from every spike train and
    signal to its segment, and the NWB session start (the block's `rec_datetime`, in local
    time, unless a `session_start_time` annotation is already there)."""
    block.create_relationship(force=True, recursive=True)
    start = block.annotations.get("session_start_time") or block.rec_datetime or datetime.now()
    block.annotations["session_start_time"] = start.astimezone()  # NWB wants a time zone
    return block


def _nwb_io_class():
    """neo.io.NWBIO, made to accept pynnlike's Blocks as they come out of get_data()."""
    import neo.io

    class NWBIO(neo.io.NWBIO):
        __doc__ = neo.io.NWBIO.__doc__

        def write_all_blocks(self, blocks, **kwargs):
            with warnings.catch_warnings():  # Neo's call of pynwb.validate, not the user's
                warnings.filterwarnings("ignore", category=FutureWarning, module="neo.io.nwbio")
                return super().write_all_blocks([prepare_for_nwb(b) for b in blocks], **kwargs)

    return NWBIO
