"""NEURON cell classes used by their own definitions (`sim.native_cell_type`): not available
yet in pynnlike's NEURON backend."""


def native_cell_type(cell_class):
    """A cell type wrapping a user's NEURON cell class (not implemented yet)."""
    name = getattr(cell_class, "__name__", cell_class)
    raise NotImplementedError(f"NEURON: native_cell_type({name!r}) is not available in "
                              f"pynnlike's NEURON backend yet")


__all__ = ["native_cell_type"]
