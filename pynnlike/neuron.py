"""The NEURON face: `import pynnlike.neuron as sim`."""
from pynnlike.api import build_namespace
from pynnlike.backends.neuron import NEURONDriver
from pynnlike.backends.neuron.native import native_cell_type, native_synapse_type

globals().update(build_namespace(NEURONDriver, __name__))
__all__ = [name for name in globals() if not name.startswith("_")
           and name not in ("build_namespace", "NEURONDriver")]
