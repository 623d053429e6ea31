"""An electrode's presence in one simulation: the driver sources that carry its current.

Electrodes are simulator-free (standardmodels.electrodes); when injected they tell the simulation,
which keeps one Injection per electrode and forwards every parameter change to the driver.
Noise is drawn in the core (the electrode's own stream) and sent as steps, run by run.
"""
import numpy as np

from .populations import Assembly


class Injection:
    """Driver handles of every group of cells one electrode drives."""

    def __init__(self, source, simulation):
        self.source = source
        self.simulation = simulation
        self.handles = []
        self.noisy = type(source).__name__ == "NoisyCurrentSource"
        source._listeners.append(self.update)

    def add(self, cells):
        members = cells.populations if isinstance(cells, Assembly) else [cells]
        for member in members:
            if not member.injectable:
                raise TypeError(f"{type(member.celltype).__name__} does not take current "
                                f"injection")
        kind, parameters = self._driver_parameters(self.simulation.t)
        for member in members:
            self.handles.append(self.simulation.driver.inject(
                kind, parameters, member._root._handle, member._index))

    def _driver_parameters(self, t_until):
        """(kind, standard parameters) as the driver takes them, times on the grid."""
        source, sim = self.source, self.simulation
        parameters = source.get_parameters()
        if self.noisy:
            times, amplitudes = source.steps(t_until)
            stop = sim.round_to_grid(parameters["stop"])
            if stop <= t_until and (not len(times) or stop > times[-1]):
                times, amplitudes = np.append(times, stop), np.append(amplitudes, 0.0)
            return "StepCurrentSource", {"times": sim.round_to_grid(times),
                                         "amplitudes": np.asarray(amplitudes, dtype=float)}
        for name in ("start", "stop", "times"):
            if name in parameters:
                parameters[name] = sim.round_to_grid(parameters[name])
        return type(source).__name__, parameters

    def update(self, t_until=None):
        _, parameters = self._driver_parameters(self.simulation.t if t_until is None
                                                else t_until)
        for handle in self.handles:
            self.simulation.driver.update_source(handle, parameters)

    def _before_run(self, t0, t1):
        if self.noisy:
            self.update(t1)

    def _after_reset(self):
        self.update()
