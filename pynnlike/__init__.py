"""pynnlike: one spiking-network description, run on NEST, NEURON or Brian2.

Import a backend face, e.g. `import pynnlike.nest as sim`; nothing heavy is imported here.
"""
__version__ = "0.1.0"
