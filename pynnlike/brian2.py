"""The Brian2 face: `import pynnlike.brian2 as sim`."""
from pynnlike.api import build_namespace
from pynnlike.backends.brian2 import Brian2Driver

globals().update(build_namespace(Brian2Driver, __name__))
__all__ = [name for name in globals() if not name.startswith("_")
           and name not in ("build_namespace", "Brian2Driver")]
