"""Network: a container of populations, views, assemblies and projections, acted on as a whole."""
import sys

from .populations import Assembly, Population, PopulationView
from .projections import Projection
from .recording import MPI_ROOT, get_io


class Network:
    """The components of a model, so they can be counted, recorded and written together."""

    def __init__(self, *components):
        self._components = {"populations": [], "views": [], "assemblies": [], "projections": []}
        self.add(*components)

    def _keep(self, kind, item):
        if not any(item is known for known in self._components[kind]):
            self._components[kind].append(item)

    def add(self, *components):
        for item in components:
            if isinstance(item, Population):
                self._keep("populations", item)
            elif isinstance(item, PopulationView):
                self._keep("views", item)
                self.add(item.parent)
            elif isinstance(item, Assembly):
                self._keep("assemblies", item)
                self.add(*item.populations)
            elif isinstance(item, Projection):
                self._keep("projections", item)
            else:
                raise TypeError(f"a Network holds populations, views, assemblies and "
                                f"projections, not {type(item).__name__}")

    populations = property(lambda self: frozenset(self._components["populations"]))
    views = property(lambda self: frozenset(self._components["views"]))
    assemblies = property(lambda self: frozenset(self._components["assemblies"]))
    projections = property(lambda self: frozenset(self._components["projections"]))

    @property
    def sim(self):
        for population in self._components["populations"]:
            return sys.modules[population._simulation.face]
        return None

    def count_neurons(self):
        return sum(p.size for p in self._components["populations"])

    def count_connections(self):
        return sum(prj.size() for prj in self._components["projections"])

    def get_component(self, label):
        for kind in ("populations", "views", "assemblies", "projections"):
            for item in self._components[kind]:
                if item.label == label:
                    return item
        return None

    def filter(self, cell_types):
        if cell_types == "all":
            members = [p for p in self._components["populations"] if p.injectable]
        else:
            members = [p for p in self._components["populations"]
                       if type(p.celltype) in tuple(cell_types)]
        return Assembly(*members)

    def _populations(self):
        """The populations in creation order."""
        populations = self._components["populations"]
        if not populations:
            return []
        created = {id(p): k for k, p in enumerate(populations[0]._simulation.populations)}
        return sorted(populations, key=lambda p: created.get(id(p), len(created)))

    def record(self, variables, to_file=None, sampling_interval=None,
               include_spike_source=True):
        populations = [p for p in self._populations()
                       if include_spike_source or p.injectable]
        for population in populations:
            population.record(variables, sampling_interval=sampling_interval)
        if to_file and populations:
            populations[0]._simulation.files_to_write.append((self, to_file, variables))

    def get_data(self, variables="all", gather=True, clear=False, annotations=None):
        return [p.get_data(variables, gather, clear, annotations=annotations)
                for p in self._populations()]

    def write_data(self, io, variables="all", gather=True, clear=False, annotations=None):
        """All Blocks into one file; an IO that stores one Block only (PickleIO) gets the
        list of Blocks pickled whole."""
        blocks = self.get_data(variables, gather, clear, annotations)
        populations = self._populations()
        if populations and populations[0]._simulation.mpi_rank == MPI_ROOT:
            io = get_io(io) if isinstance(io, str) else io
            if hasattr(io, "write_all_blocks"):
                io.write_all_blocks(blocks)
            else:
                io.write_block(blocks)


__all__ = ["Network"]
