"""An in-memory driver: the protocol of pynnlike.backends.base with no simulator behind it.

Native names are the standard ones with a '_n' suffix and values scaled by 10, so tests see the
core translate in both directions. Signals are the last initialized state, held constant; spikes
are whatever a test puts into `spikes` of a handle.
"""
import numpy as np

from pynnlike.backends.base import Driver, NativeModel
from pynnlike.standardmodels.translations import build_translations

SCALE = 10.0


def _table(names, sequences=()):
    return build_translations(*[(n, n + "_n") if n in sequences else (n, n + "_n", SCALE)
                                for n in names])


class Cells:
    def __init__(self, model, n, parameters, state):
        self.model, self.n = model, n
        self.parameters = {k: np.array(v, copy=True) for k, v in parameters.items()}
        self.state = {k: np.array(v, dtype=float) for k, v in state.items()}
        self.recording = {}  # native variable -> boolean mask
        self.spikes = (np.empty(0, int), np.empty(0))
        self.samples = {}  # native variable -> list of rows


class FakeDriver(Driver):
    name = "Fake"
    options = ("fake_option",)

    def setup(self, timestep, min_delay, max_delay, rng_seed, options):
        self.dt, self.t, self.options = timestep, 0.0, options
        self.cells, self.connections, self.sources = [], [], []
        self.calls = []

    def end(self):
        self.ended = True

    def run_until(self, time):
        for cells in self.cells:
            for variable, mask in cells.recording.items():
                if variable != "spikes":
                    steps = int(round((time - self.t) / self.dt))
                    row = np.where(mask, cells.state.get(variable, np.zeros(cells.n)), np.nan)
                    cells.samples[variable].extend([row] * steps)
        self.t = time

    def reset(self):
        self.t = 0.0
        for cells in self.cells:
            self.clear_recordings(cells)

    def cell_model(self, celltype):
        sequences = [n for n, t in celltype.get_schema().items() if t is not float and
                     t is not int and t is not bool]
        states = list(dict.fromkeys(list(celltype.default_initial_values)
                                    + [r for r in celltype.recordable if r != "spikes"]))
        return NativeModel(type(celltype).__name__,
                           _table(celltype.get_parameter_names(), sequences), _table(states))

    def create(self, model, n, parameters, initial_values):
        cells = Cells(model, n, parameters, initial_values)
        self.cells.append(cells)
        return cells

    def local_mask(self, handle):
        return np.ones(handle.n, bool)

    def set(self, handle, index, parameters):
        self.calls.append(("set", index, parameters))
        for name, values in parameters.items():
            handle.parameters[name][index] = values

    def get(self, handle, index, names):
        return {name: handle.parameters[name][index] for name in names}

    def initialize(self, handle, index, state):
        for name, values in state.items():
            handle.state[name][index] = values

    def synapse_model(self, synapse_type, post_model, receptor_type):
        return NativeModel(type(synapse_type).__name__,
                           _table(synapse_type.get_parameter_names()),
                           _table(synapse_type.default_initial_values))

    def connect(self, pre, post, i, j, synapse, parameters, receptor_type):
        connection = {"pre": pre, "post": post, "i": i, "j": j, "receptor": receptor_type,
                      "parameters": {k: np.array(v, dtype=float) for k, v in parameters.items()}}
        self.connections.append(connection)
        return connection

    def set_synapses(self, projection, index, parameters):
        for name, values in parameters.items():
            projection["parameters"].setdefault(name, np.zeros(len(projection["i"])))[index] = \
                values

    def initialize_synapses(self, projection, index, state):
        self.calls.append(("initialize_synapses", index, state))
        for name, values in state.items():
            projection.setdefault("state", {}).setdefault(
                name, np.zeros(len(projection["i"])))[index] = values

    def get_synapses(self, projection, names):
        return {name: projection["parameters"][name] for name in names}

    def record(self, handle, index, variables, interval):
        for variable in variables:
            mask = handle.recording.setdefault(variable, np.zeros(handle.n, bool))
            if variable != "spikes" and variable not in handle.samples:
                handle.samples[variable] = [handle.state.get(variable, np.zeros(handle.n))]
            mask[index] = True

    def stop_recording(self, handle, index, variables):
        for variable in variables:
            handle.recording[variable][index] = False

    def read_spikes(self, handle):
        return handle.spikes

    def read_signal(self, handle, variable):
        cells = np.flatnonzero(handle.recording[variable])
        values = np.array(handle.samples[variable])[:, cells]
        if getattr(self, "irregular", False):  # as a variable-step integrator would
            return cells, values, np.linspace(0.0, self.t, len(values)) ** 2 / max(self.t, 1)
        return cells, values

    def clear_recordings(self, handle):
        handle.spikes = (np.empty(0, int), np.empty(0))
        for variable in handle.samples:
            handle.samples[variable] = [handle.state.get(variable, np.zeros(handle.n))]

    def inject(self, kind, parameters, handle, index):
        source = {"kind": kind, "parameters": parameters, "cells": handle, "index": index}
        self.sources.append(source)
        return source

    def update_source(self, source, parameters):
        source["parameters"] = parameters


class Face:
    """A backend face for tests, bound to the in-memory FakeDriver."""

    def __init__(self):
        from pynnlike.api import build_namespace
        self.__dict__.update(build_namespace(FakeDriver, "fakeface"))
