"""The one simulation state of a backend face: time, dt, delays, seeds and what lives in it."""
import warnings

import numpy as np

from .injection import Injection

DEFAULT_RNG_SEED = 42
_SEED_ALIASES = ("native_rng_baseseed",)
_DEPRECATED_SEEDS = ("grng_seed", "rng_seeds_seed")
_COMMON_OPTIONS = {"max_delay", "rng_seed", "t_flush", "rng_seeds"} | set(_SEED_ALIASES) | set(
    _DEPRECATED_SEEDS)
_FORBIDDEN = ("mindelay", "maxdelay", "dt", "time_step")


class Simulation:
    """State shared by every object of one face (`sim.state`); the driver does the simulating.

    Populations, projections and electrodes register here so that run/reset/end can visit them:
    random spike sources get their next window of spikes before each run, recorders close their
    segment at reset and write their files at end.
    """

    def __init__(self, driver_class):
        self.driver_class = driver_class
        self.driver = None
        self.running = False
        self.t = 0.0
        self.dt = 0.1
        self._min_delay = "auto"
        self._max_delay = "auto"
        self.rng_seed = DEFAULT_RNG_SEED
        self.segment_counter = 0
        self.mpi_rank, self.num_processes = 0, 1
        self._clear_registry()

    def _clear_registry(self):
        self.populations = []
        self.projections = []
        self.sources = []  # electrodes injected somewhere
        self.files_to_write = []  # (object, filename, variables) written at end()
        self.next_id = 0

    # -- set-up and tear-down ----------------------------------------------------------------
    def setup(self, timestep=0.1, min_delay="auto", **extra_params):
        for name in _FORBIDDEN:
            if name in extra_params:
                raise TypeError(f"setup() got an unexpected keyword {name!r}; use 'timestep', "
                                f"'min_delay' and 'max_delay'")
        max_delay = extra_params.get("max_delay", "auto")
        if timestep <= 0:
            raise ValueError(f"timestep must be positive, not {timestep}")
        if min_delay != "auto" and min_delay < timestep:
            raise ValueError(f"min_delay ({min_delay} ms) must not be smaller than the timestep "
                             f"({timestep} ms)")
        if min_delay != "auto" and max_delay != "auto" and min_delay > max_delay:
            raise ValueError(f"min_delay ({min_delay} ms) exceeds max_delay ({max_delay} ms)")
        self.rng_seed = self._seed_from(extra_params)
        driver_class = self.driver_class
        options = {k: v for k, v in extra_params.items() if k not in _COMMON_OPTIONS}
        unknown = set(options) - set(driver_class.options)
        for key in sorted(unknown - set(driver_class.foreign_options)):
            warnings.warn(f"setup(): unknown option {key!r} ignored")
        options = {k: v for k, v in options.items() if k in driver_class.options}
        if self.driver is not None:
            self.driver.end()
        self.driver = driver_class()
        self.t = 0.0
        self.dt = float(timestep)
        self._min_delay, self._max_delay = min_delay, max_delay
        self.segment_counter = 0
        self._clear_registry()
        self.driver.setup(self.dt, None if min_delay == "auto" else float(min_delay),
                          None if max_delay == "auto" else float(max_delay), self.rng_seed,
                          options)
        self.mpi_rank, self.num_processes = self.driver.mpi_config()
        self.running = False
        return self.mpi_rank

    @staticmethod
    def _seed_from(extra):
        for key in _DEPRECATED_SEEDS + ("rng_seeds",):
            if key in extra:
                warnings.warn(f"setup({key}=...) is deprecated, use rng_seed", DeprecationWarning)
        if "rng_seed" in extra:
            return int(extra["rng_seed"])
        for key in _SEED_ALIASES + _DEPRECATED_SEEDS:
            if key in extra:
                return int(extra[key])
        if "rng_seeds" in extra:
            return int(extra["rng_seeds"][0])
        return DEFAULT_RNG_SEED

    def require_setup(self):
        if self.driver is None:
            raise RuntimeError("call setup() before building or running a network")

    def end(self):
        self.require_setup()
        for obj, filename, variables in self.files_to_write:
            obj.write_data(filename, variables)
        self.files_to_write = []
        for population in self.populations:
            population._recorder.end()
        self.driver.end()

    # -- time --------------------------------------------------------------------------------
    def run(self, simtime, callbacks=None):
        if simtime < 0:
            raise ValueError(f"run time must not be negative, not {simtime} ms")
        return self.run_until(self.t + simtime, callbacks)

    def run_until(self, time_point, callbacks=None):
        self.require_setup()
        if time_point < self.t - self.dt / 2:
            raise ValueError(f"cannot run back in time: t = {self.t} ms, asked for "
                             f"{time_point} ms")
        if callbacks:
            self._run_with_callbacks(time_point, list(callbacks))
        else:
            self._advance(time_point)
        return self.t

    def _run_with_callbacks(self, t_stop, callbacks):
        """Each callback f(t) -> t_next is called first at the current time, then whenever the
        simulation reaches its next time (times closer than dt count as equal), the end time
        included; at least one step is taken between two stops."""
        due = [cb(self.t) for cb in callbacks]
        near = self.dt * (1 - 1e-9)
        while self.t < t_stop - self.dt / 2:
            self._advance(min(max(min(due), self.t + self.dt), t_stop))
            for k, cb in enumerate(callbacks):
                if due[k] - self.t < near:
                    due[k] = cb(self.t)

    def _advance(self, time_point):
        steps = int(round(time_point / self.dt))
        target = steps * self.dt
        if target <= self.t + self.dt / 2:
            return
        for population in self.populations:
            population._before_run(self.t, target)
        for source in self.sources:
            source._before_run(self.t, target)
        self.running = True
        self.driver.run_until(target)
        self.t = target

    def reset(self, annotations=None):
        self.require_setup()
        for population in self.populations:
            population._recorder.close_segment(annotations or {})
        self.driver.reset()
        self.t = 0.0
        self.segment_counter += 1
        for population in self.populations:
            population._after_reset()
        for source in self.sources:
            source._after_reset()
        self.running = False

    def inject(self, source, cells):
        """Called by an electrode's inject_into(): drive `cells` with `source`."""
        self.require_setup()
        for injection in self.sources:
            if injection.source is source:
                break
        else:
            injection = Injection(source, self)
            self.sources.append(injection)
        injection.add(cells)

    # -- ids and delays ----------------------------------------------------------------------
    def allocate_ids(self, n):
        first = self.next_id
        self.next_id += n
        return first

    @property
    def min_delay(self):
        if self._min_delay != "auto":
            return float(self._min_delay)
        delays = [prj._min_delay() for prj in self.projections if len(prj._i)]
        return float(min(delays)) if delays else self.dt

    @property
    def max_delay(self):
        if self._max_delay != "auto":
            return float(self._max_delay)
        delays = [prj._max_delay() for prj in self.projections if len(prj._i)]
        return float(max(delays)) if delays else self.min_delay

    def explicit_delay_bounds(self):
        """(min, max) allowed delays; None where 'auto'."""
        low = None if self._min_delay == "auto" else float(self._min_delay)
        high = None if self._max_delay == "auto" else float(self._max_delay)
        return low, high

    def round_to_grid(self, times):
        return np.round(np.asarray(times, dtype=float) / self.dt) * self.dt
