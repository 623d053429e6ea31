"""The one simulation state of a backend face: time, dt, delays, seeds and what lives in it."""
import sys
import time
import warnings

import numpy as np

from .injection import Injection

DEFAULT_RNG_SEED = 42
_SEED_ALIASES = ("native_rng_baseseed",)
_DEPRECATED_SEEDS = ("grng_seed", "rng_seeds_seed")
_COMMON_OPTIONS = {"max_delay", "rng_seed", "t_flush", "rng_seeds", "progress"} | set(
    _SEED_ALIASES) | set(_DEPRECATED_SEEDS)
PROGRESS_AFTER = 3.0  # s of wall-clock time after which a run shows its progress (auto mode)
_PROGRESS_CHUNK = 0.5  # s of wall-clock time wanted between two updates of the display
_PROGRESS_COST = 0.05  # the largest share of a run's time the chunking may add
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
        self.progress = None
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
        progress = extra_params.get("progress")
        if progress not in (None, True, False):
            raise ValueError(f"setup(progress=...) takes None (automatic), True or False, "
                             f"not {progress!r}")
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
        self.progress = progress
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
        elif self._shows_progress():
            self._run_with_progress(time_point)
        else:
            self._advance(time_point)
        return self.t

    def _shows_progress(self):
        """setup(progress=True/False) decides; None (the default) means: when stdout is a
        terminal. Never with several MPI processes, whose runs must advance in step."""
        if self.num_processes > 1:
            return False
        return self.progress if self.progress is not None else sys.stdout.isatty()

    def _run_with_progress(self, t_stop):
        """Advance in chunks, drawing a ProgressBar after each: from the first chunk with
        progress=True, otherwise once the run has lasted PROGRESS_AFTER s. Chunks are sized by
        _chunk_length from the ones before."""
        from .utility import ProgressBar

        t0, span = self.t, t_stop - self.t
        started = time.perf_counter()
        bar = None
        chunk, samples = span / 100, []
        while self.t < t_stop - self.dt / 2:
            before, t_before = time.perf_counter(), self.t
            self._advance(min(self.t + max(chunk, self.dt), t_stop))
            if self.t == t_before:  # t_stop lies less than half a step ahead
                break
            now = time.perf_counter()
            samples.append((self.t - t_before, now - before))
            chunk = _chunk_length(samples, self.dt)
            if bar is None and (self.progress or now - started > PROGRESS_AFTER):
                bar = ProgressBar()
            if bar is not None:
                bar((self.t - t0) / span)
        if bar is not None:
            bar(1.0)  # also when t_stop was rounded down to the time grid
            print()

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
        delays = [d for d in (prj._min_delay() for prj in self.projections) if d is not None]
        return float(min(delays)) if delays else self.dt

    @property
    def max_delay(self):
        if self._max_delay != "auto":
            return float(self._max_delay)
        delays = [d for d in (prj._max_delay() for prj in self.projections) if d is not None]
        return float(max(delays)) if delays else self.min_delay

    def explicit_delay_bounds(self):
        """(min, max) allowed delays; None where 'auto'."""
        low = None if self._min_delay == "auto" else float(self._min_delay)
        high = None if self._max_delay == "auto" else float(self._max_delay)
        return low, high

    def round_to_grid(self, times):
        return np.round(np.asarray(times, dtype=float) / self.dt) * self.dt


def _chunk_length(samples, dt):
    """Simulated ms of the next chunk of a run shown with progress, from the (ms, s of
    wall-clock time) of the chunks so far. The first chunk is 1 % of the run (and may include
    compiling); the second is one time step, whose time is the cost o of a run() call besides
    its simulated time (spike sources refilled, the simulator's own preparation). Later chunks
    last max(_PROGRESS_CHUNK, o / _PROGRESS_COST) s at the cost per ms of the latest chunk, so
    the chunking adds at most _PROGRESS_COST to the run."""
    if len(samples) == 1:
        return dt
    (ms0, s0), (ms1, s1) = samples[:2]
    overhead = max(s1 - ms1 * s0 / ms0, 0.0)
    ms, seconds = samples[-1] if len(samples) > 2 else samples[0]
    per_ms = max(seconds - overhead, 0.5 * seconds) / ms
    return max(_PROGRESS_CHUNK, overhead / _PROGRESS_COST) / max(per_ms, 1e-12)
