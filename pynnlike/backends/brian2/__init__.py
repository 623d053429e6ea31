"""The Brian2 backend: `Brian2Driver` and its equations and translation tables (`models`)."""
from pynnlike.backends.brian2.driver import Brian2Driver

__all__ = ["Brian2Driver"]
