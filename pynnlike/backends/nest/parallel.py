"""NEST and MPI: a NEST built without MPI ends the whole process when it is imported under an MPI
launcher; pynnlike says why, and what to do instead, before that happens."""
import importlib.util
import os

from pynnlike.random import get_mpi_config


def nest_has_mpi():
    """Whether the installed NEST was built with MPI (its config.h says so), without importing
    it; True when that cannot be told."""
    spec = importlib.util.find_spec("nest")
    if spec is None or not spec.submodule_search_locations:
        return True
    config = os.path.join(spec.submodule_search_locations[0], "include", "nest", "config.h")
    try:
        with open(config) as header:
            return "#define HAVE_MPI" in header.read()
    except OSError:
        return True


def refuse_mpi_launch():
    """Raise ImportError under `mpiexec -n K` (K > 1) if NEST cannot take part in MPI."""
    processes = get_mpi_config()[1]
    if processes > 1 and not nest_has_mpi():
        raise ImportError(
            f"NEST: the installed NEST was built without MPI, so pynnlike.nest cannot run on the "
            f"{processes} processes of mpiexec. Run one process and use threads "
            f"(setup(threads=N)), or run under mpiexec with pynnlike.neuron")
