"""The NEURON backend: `NEURONDriver`, its translation tables (`models`) and the compiled NMODL
mechanisms (`compile`)."""
from pynnlike.backends.neuron.driver import NEURONDriver

__all__ = ["NEURONDriver"]
