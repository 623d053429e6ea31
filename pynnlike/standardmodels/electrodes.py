"""Current sources (API §7): parameters, and the exact current they inject on the time grid.

An electrode knows its simulation once injected (`inject_into`), and from then on can compute its
current `waveform(times)` at any grid time. Parameter changes take effect from the time they are
made: each source keeps the history of its parameter sets within the current segment (since the
last reset), so a recorded current shows the values that were really in force. The core registers
listeners in `_listeners`, called (without arguments) after every change.
"""
import neo
import numpy as np
import quantities as pq

from pynnlike.errors import InvalidParameterValueError
from pynnlike.parameters import ArrayParameter, ParameterSpace, Sequence

from .base import StandardCurrentSource, unit_table

__all__ = ["DCSource", "ACSource", "StepCurrentSource", "NoisyCurrentSource"]


class _CurrentSource(StandardCurrentSource):
    """Parameters as attributes; history of parameter sets; waveform and recording."""

    def __init__(self, **parameters):
        self._check_names(parameters)
        self._simulation = None
        self._listeners = []
        self.recording = False
        self._values = self._checked({**self.default_parameters, **parameters})
        self._history = [(0.0, self._values)]  # (time of the change, parameter values)
        self._segment = 0

    # -- parameters --------------------------------------------------------------------------
    def __getattr__(self, name):  # only reached when normal lookup fails
        if name in type(self).default_parameters:
            return self.get_parameters()[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __setattr__(self, name, value):
        if name in type(self).default_parameters:
            self.set_parameters(**{name: value})
        else:
            super().__setattr__(name, value)

    @property
    def parameter_space(self):
        return self._space(self.get_parameters())

    def _checked(self, parameters):
        """Standard-unit plain values (floats; float arrays for sequences), validated."""
        space = ParameterSpace(parameters, self.get_schema(), shape=(1,),
                               component=type(self).__name__, units=self.units)
        space.evaluate(simplify=True)
        values = {name: value.value.copy() if isinstance(value, ArrayParameter)
                  else float(np.asarray(value).ravel()[0]) for name, value in space.items()}
        self.validate(values)
        if self._simulation is not None:
            self._check_timing(values, self._simulation.dt)
        return values

    def _check_timing(self, values, dt):
        """Checks that need the time step (none by default)."""

    def get_parameters(self):
        return {name: value.copy() if isinstance(value, np.ndarray) else value
                for name, value in self._values.items()}

    def set_parameters(self, **parameters):
        """Change parameters from the current simulation time on."""
        self._check_names(parameters)
        values = self._checked({**self._values, **parameters})
        self._sync_segment()
        t = 0.0 if self._simulation is None else float(self._simulation.t)
        self._history = [(t0, v) for t0, v in self._history if t0 < t] + [(t, values)]
        self._values = values
        for listener in self._listeners:
            listener()

    def _sync_segment(self):
        """After a reset the history restarts from the current parameters."""
        segment = getattr(self._simulation, "segment_counter", 0)
        if segment != self._segment:
            self._history = [(0.0, self._values)]
            self._segment = segment

    # -- injection ---------------------------------------------------------------------------
    def inject_into(self, cells):
        """Drive `cells`: a Population, PopulationView, Assembly, an ID or a list of IDs."""
        groups = _cell_groups(cells)
        for group in groups:
            if not group.injectable:
                raise TypeError(f"{type(self).__name__} cannot be injected into "
                                f"{getattr(group, 'label', group)}: it holds spike sources")
        if not groups:
            return
        sim = groups[0]._simulation
        if self._simulation is not sim:
            self._check_timing(self._values, sim.dt)
            self._attach(sim)
        for group in groups:
            sim.inject(self, group)

    def _attach(self, sim):
        self._simulation = sim
        self._segment = getattr(sim, "segment_counter", 0)
        self._history = [(0.0, self._values)]

    # -- the current -------------------------------------------------------------------------
    def _require_simulation(self):
        if self._simulation is None:
            raise RuntimeError(f"this {type(self).__name__} has not been injected into any "
                               f"cells, so it has no time step")
        return self._simulation.dt

    def waveform(self, times):
        """Current (nA) at the grid times `times` (ms, rounded to the time step)."""
        dt = self._require_simulation()
        self._sync_segment()
        k = np.rint(np.asarray(times, dtype=float) / dt).astype(np.int64)
        current = np.zeros(k.shape)
        for values, k_from, k_to in self._periods(dt):
            inside = (k >= k_from) & (k < k_to)
            current[inside] = self._current(values, k[inside], dt)
        return current

    def _periods(self, dt):
        """(values, first step, end step) of each parameter set in the history."""
        starts = [int(np.rint(t / dt)) for t, _ in self._history]
        ends = starts[1:] + [np.iinfo(np.int64).max]
        return [(values, k0, k1) for (_, values), k0, k1 in zip(self._history, starts, ends)]

    @staticmethod
    def _window(values, k, dt):
        """Steps k within [start, stop), both rounded to the grid."""
        return (k >= np.rint(values["start"] / dt)) & (k < np.rint(values["stop"] / dt))

    @classmethod
    def _current(cls, values, k, dt):
        """Current (nA) at grid steps k for one set of parameter values."""
        raise NotImplementedError

    def record(self):
        self.recording = True

    def get_data(self):
        """The current at t_k = 0, dt, ..., t as an AnalogSignal (nA, shape (n, 1))."""
        dt = self._require_simulation()
        n = int(round(self._simulation.t / dt)) + 1
        samples = self.waveform(np.arange(n) * dt)
        return neo.AnalogSignal(samples[:, np.newaxis], units="nA", t_start=0.0 * pq.ms,
                                sampling_period=dt * pq.ms)


def _cell_groups(cells):
    """Population-like groups of `cells`: the object itself, or views of IDs per parent."""
    if isinstance(cells, int):
        cells = [cells]
    elif hasattr(cells, "_simulation"):
        return [cells]
    by_parent = {}
    for cell in cells:
        by_parent.setdefault(id(cell.parent), (cell.parent, []))[1].append(int(cell))
    return [parent[parent.id_to_index(np.array(ids))] for parent, ids in by_parent.values()]


class DCSource(_CurrentSource):
    """Constant current `amplitude` for start <= t < stop."""

    default_parameters = {"amplitude": 1.0, "start": 0.0, "stop": 1e12}
    units = unit_table(default_parameters)

    @classmethod
    def _current(cls, values, k, dt):
        return np.where(cls._window(values, k, dt), values["amplitude"], 0.0)


class ACSource(_CurrentSource):
    """Sinusoidal current offset + amplitude*sin(2π f (t - start) + phase), start <= t < stop."""

    default_parameters = {"amplitude": 1.0, "start": 0.0, "stop": 1e12, "frequency": 10.0,
                          "offset": 0.0, "phase": 0.0}
    units = unit_table(default_parameters)

    @classmethod
    def _current(cls, values, k, dt):
        since_start = (k - np.rint(values["start"] / dt)) * dt
        wave = values["offset"] + values["amplitude"] * np.sin(
            2 * np.pi * values["frequency"] * since_start / 1000.0
            + 2 * np.pi * values["phase"] / 360.0)
        return np.where(cls._window(values, k, dt), wave, 0.0)


class StepCurrentSource(_CurrentSource):
    """Piecewise-constant current: amplitudes[k] from times[k] on; 0 before times[0].

    Once the time step is known, times read back rounded to the grid, and steps falling on the
    same grid time are merged (the later amplitude wins).
    """

    default_parameters = {"amplitudes": Sequence([]), "times": Sequence([])}
    units = unit_table(["amplitudes", "times"])

    def validate(self, values):
        times, amplitudes = values["times"], values["amplitudes"]
        if times.size != amplitudes.size:
            raise InvalidParameterValueError(
                f"StepCurrentSource: {times.size} times but {amplitudes.size} amplitudes")
        if np.any(times < 0):
            raise InvalidParameterValueError(
                f"StepCurrentSource: times must be >= 0, got {times.min()}")
        if np.any(np.diff(times) <= 0):
            raise InvalidParameterValueError("StepCurrentSource: times must be strictly "
                                             "increasing")

    @staticmethod
    def _on_grid(values, dt):
        """(step indices, amplitudes) after rounding to the grid and merging equal times."""
        k = np.rint(values["times"] / dt).astype(np.int64)
        last = np.append(k[1:] != k[:-1], True) if k.size else np.zeros(0, dtype=bool)
        return k[last], values["amplitudes"][last]

    def get_parameters(self):
        parameters = super().get_parameters()
        if self._simulation is not None:
            k, amplitudes = self._on_grid(parameters, self._simulation.dt)
            parameters.update(times=k * self._simulation.dt, amplitudes=amplitudes)
        return parameters

    @classmethod
    def _current(cls, values, k, dt):
        steps, amplitudes = cls._on_grid(values, dt)
        if not steps.size:
            return np.zeros(k.shape)
        which = np.searchsorted(steps, k, side="right") - 1
        return np.where(which >= 0, amplitudes[np.maximum(which, 0)], 0.0)


class NoisyCurrentSource(_CurrentSource):
    """Gaussian white-noise current: a new value mean + stdev*N(0,1) every `dt` ms from start
    while start <= t < stop.

    The n-th value uses the n-th number of the source's own stream of N(0,1) draws: from `rng`
    (a pynnlike.random generator) if given, else from numpy.random.RandomState([rng_seed, k])
    where rng_seed is the simulation's and k the number of sources already injected in the
    simulation when this one was first injected (len(simulation.sources)). Draws are cached, so
    the same values come back on every call and after a reset.
    """

    default_parameters = {"mean": 0.0, "stdev": 1.0, "start": 0.0, "stop": 1e12, "dt": 0.1}
    units = unit_table(default_parameters)
    positive = ("dt",)
    non_negative = ("stdev",)

    def __init__(self, rng=None, **parameters):
        self._rng = rng
        self._stream = None
        self._normals = np.empty(0)
        super().__init__(**parameters)

    def _attach(self, sim):
        super()._attach(sim)
        if self._rng is None and self._stream is None:
            self._stream = np.random.RandomState([int(sim.rng_seed),
                                                  len(getattr(sim, "sources", ()))])

    def _check_timing(self, values, dt):
        self._steps_per_value(values, dt)

    @staticmethod
    def _steps_per_value(values, dt):
        """Time steps per noise value: dt of the noise (raised to the time step if below it)
        must be a multiple of the time step."""
        ratio = max(values["dt"], dt) / dt
        if abs(ratio - round(ratio)) > 1e-9 * ratio:
            raise ValueError(f"NoisyCurrentSource: dt ({values['dt']} ms) must be a multiple of "
                             f"the time step ({dt} ms)")
        return int(round(ratio))

    def _draws(self, n):
        """The first n numbers of the N(0,1) stream, drawing more when needed."""
        missing = n - self._normals.size
        if missing > 0:
            if self._rng is not None:
                more = self._rng.next(missing, "normal", {"mu": 0.0, "sigma": 1.0})
            else:
                more = self._stream.normal(0.0, 1.0, missing)
            self._normals = np.concatenate([self._normals, np.asarray(more, dtype=float)])
        return self._normals[:n]

    def _current(self, values, k, dt):
        inside = self._window(values, k, dt)
        m = (k - np.rint(values["start"] / dt).astype(np.int64)) // self._steps_per_value(
            values, dt)
        current = np.zeros(k.shape)
        if np.any(inside):
            z = self._draws(int(m[inside].max()) + 1)
            current[inside] = values["mean"] + values["stdev"] * z[m[inside]]
        return current

    def steps(self, t_until):
        """(times, amplitudes) of every change of the current from start up to t_until
        (inclusive): the noise values, and the changes made by `set_parameters`. The drop to 0
        at the current `stop` is left to the caller."""
        dt = self._require_simulation()
        self._sync_segment()
        k_until = int(np.rint(t_until / dt))
        periods = self._periods(dt)
        candidates = [np.empty(0, dtype=np.int64)]
        for n, (values, k_from, k_to) in enumerate(periods):
            k_start, k_stop = (int(np.rint(values[name] / dt)) for name in ("start", "stop"))
            end = min(k_to, k_until + 1)
            grid = np.arange(k_start, min(k_stop, end), self._steps_per_value(values, dt))
            candidates += [grid[grid >= k_from], [k_from]]
            if n < len(periods) - 1 and k_from <= k_stop < end:
                candidates.append([k_stop])
        k = np.unique(np.concatenate(candidates).astype(np.int64))
        k = k[k <= k_until]
        amplitudes = self.waveform(k * dt)
        changes = amplitudes != np.concatenate([[0.0], amplitudes[:-1]])
        return k[changes] * dt, amplitudes[changes]


def current(kind, values, steps, dt):
    """The current (nA) at grid `steps` of a DCSource, ACSource or StepCurrentSource (`kind`)
    with standard parameter `values`: for drivers that must deliver part of it themselves."""
    classes = {"DCSource": DCSource, "ACSource": ACSource, "StepCurrentSource": StepCurrentSource}
    return classes[kind]._current(values, np.asarray(steps), dt)
