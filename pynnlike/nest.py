"""The NEST face: `import pynnlike.nest as sim`."""
from pynnlike.api import build_namespace
from pynnlike.backends.nest import NESTDriver
from pynnlike.backends.nest.native import native_cell_type, native_synapse_type

globals().update(build_namespace(NESTDriver, __name__))
__all__ = [name for name in globals() if not name.startswith("_")
           and name not in ("build_namespace", "NESTDriver")]
