"""The NEST backend: `NESTDriver` and its translation tables (`models`)."""
from pynnlike.backends.nest.driver import NESTDriver

__all__ = ["NESTDriver"]
