"""MPI for NEURON from a pip install.

NEURON's wheels load an MPI library at run time and look for it only on the system paths, or at
MPI_LIB_NRN_PATH. Under `mpiexec -n K` (K > 1) pynnlike hands NEURON the library mpi4py has
loaded (the `mpich` wheel's in a `pip install pynnlike[mpi]`), so nobody sets a variable. A single
process never touches MPI.
"""
import glob
import os
import re
import sys

from pynnlike.random import get_mpi_config

# what the common launchers (MPICH/Hydra, Open MPI) tell each process about its world
_SIZE_VARIABLES = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE")


def _launched_size():
    return max([int(os.environ.get(name, "1")) for name in _SIZE_VARIABLES])


def mpi_library():
    """Path of the MPI library of this process: the one mpi4py loaded (Linux), or else one next
    to the interpreter's environment (the mpich wheel installs it in <prefix>/lib)."""
    try:
        with open("/proc/self/maps") as maps:
            loaded = re.findall(r"(/\S*/lib(?:mpi|mpich)\.(?:so|dylib)[.\d]*)$", maps.read(),
                                re.MULTILINE)
    except OSError:
        loaded = []
    candidates = loaded + sorted(glob.glob(os.path.join(sys.prefix, "lib", "libmpi.*")))
    if not candidates:
        raise RuntimeError("NEURON: running under mpiexec, but no MPI library was found; "
                           "install one with pip install 'pynnlike[mpi]'")
    return candidates[0]


def start():
    """Before NEURON builds anything: switch it to MPI if this process is one of several."""
    if get_mpi_config()[1] == 1:
        if _launched_size() > 1:
            raise ImportError("NEURON: pynnlike needs mpi4py to run under mpiexec; install it "
                              "with pip install 'pynnlike[mpi]'")
        return
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")  # no DISPLAY warnings per rank
    os.environ.setdefault("MPI_LIB_NRN_PATH", mpi_library())
    from neuron import h
    h.nrnmpi_init()  # joins the MPI world mpi4py has initialised
