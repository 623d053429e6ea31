"""Compiling and loading pynnlike's NMODL mechanisms (nmodl/*.mod).

They are compiled once with the `nrnivmodl` of the installed neuron package into a per-user
cache keyed by the files' content and the NEURON version, PYNNLIKE_CACHE_DIR or
~/.cache/pynnlike, under nrnmech/<key>/. Compilation happens in a temporary directory that is
renamed into place, so processes compiling at the same time never see a half-built library.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import neuron

NMODL_DIR = Path(__file__).parent / "nmodl"
_loaded = set()


def cache_root():
    base = os.environ.get("PYNNLIKE_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "pynnlike")
    return Path(base) / "nrnmech"


def mechanism_key():
    """Hash of the mechanisms' names and content and of the NEURON version."""
    digest = hashlib.sha256(neuron.__version__.encode())
    for path in sorted(NMODL_DIR.glob("*.mod")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def _nrnivmodl():
    candidates = [Path(sys.executable).parent / "nrnivmodl",
                  Path(neuron.__file__).parent / ".data" / "bin" / "nrnivmodl"]
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which("nrnivmodl")
    if found is None:
        raise RuntimeError("NEURON: nrnivmodl not found next to the Python interpreter or on "
                           "PATH; reinstall the 'neuron' package")
    return found


def _library(directory):
    for pattern in ("*/libnrnmech.so", "*/.libs/libnrnmech.so", "*/libnrnmech.dylib",
                    "*/.libs/libnrnmech.dylib"):
        found = sorted(Path(directory).glob(pattern))
        if found:
            return found[0]
    return None


def _check_compiler():
    if not any(shutil.which(c) for c in ("c++", "g++", "clang++")) or not shutil.which("make"):
        raise RuntimeError(
            "NEURON: pynnlike compiles its NMODL mechanisms on first use and needs a C++ "
            "compiler and make: install them (e.g. 'apt install g++ make' on Debian/Ubuntu, "
            "'xcode-select --install' on macOS)")


def compile_mechanisms():
    """Path of the compiled mechanism library, compiling it if the cache lacks it."""
    target = cache_root() / mechanism_key()
    library = _library(target)
    if library is not None:
        return library
    _check_compiler()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    try:
        for path in NMODL_DIR.glob("*.mod"):
            shutil.copy(path, work)
        result = subprocess.run([_nrnivmodl()], cwd=work, capture_output=True, text=True)
        if result.returncode != 0 or _library(work) is None:
            raise RuntimeError(f"NEURON: nrnivmodl failed to compile pynnlike's mechanisms:\n"
                               f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        try:
            os.rename(work, target)
        except OSError:  # another process got there first: use its library
            if _library(target) is None:
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return _library(target)


def load_mechanisms():
    """Compile if needed and load the mechanisms into this process (once)."""
    from neuron import h
    if hasattr(h, "PnlLIF"):  # already in this process (e.g. from the working directory)
        return
    library = str(compile_mechanisms())
    if library not in _loaded:
        h.nrn_load_dll(library)
        _loaded.add(library)
