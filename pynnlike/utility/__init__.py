"""Helpers for simulation scripts: choosing the backend from the command line, logging, timing,
progress display, file naming. Imports no simulator: the backend is imported on request only.
"""
import argparse
import datetime
import functools
import importlib
import logging
import os
import sys
import time
import warnings

import numpy as np

SIMULATORS = ("nest", "neuron", "brian2")


def get_simulator(*arguments):
    """Parse `sys.argv`: a positional backend name, then one argument per tuple
    `(name, help[, kwargs])` (kwargs go to `argparse.add_argument`).

    Returns `(pynnlike.<simulator> module, parsed arguments)`.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument("simulator", help=f"the backend: {', '.join(SIMULATORS)}")
    for argument in arguments:
        name, help_text, *options = argument
        parser.add_argument(name, help=help_text, **(options[0] if options else {}))
    args = parser.parse_args()
    module_name = f"pynnlike.{args.simulator}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        parser.error(f"unknown simulator {args.simulator!r}; "
                     f"choose one of {', '.join(SIMULATORS)}")
    return module, args


def get_script_args(n_args, usage=""):
    """The `n_args` command-line arguments after the script name; too few raise ValueError(usage)."""
    args = sys.argv[1:]
    if len(args) < n_args:
        raise ValueError(usage)
    return args[:n_args]


def init_logging(logfile, debug=False, num_processes=1, rank=0, level=None):
    """Configure the root logger (file rewritten, or stderr when `logfile` is None) and return the
    library's logger "pynnlike". With several processes each rank logs to `<logfile>.<rank>` and
    every line starts with `Rank <r> of <n>: `.
    """
    fmt = "%(asctime)s %(name)s %(levelname)s %(message)s"
    if num_processes > 1:
        fmt = f"Rank {rank} of {num_processes}: {fmt}"
        if logfile:
            logfile = f"{logfile}.{rank}"
    if level is None:
        level = logging.DEBUG if debug else logging.INFO
    logging.basicConfig(filename=logfile, filemode="w", level=level, format=fmt, force=True)
    return logging.getLogger("pynnlike")


def normalized_filename(root, basename, extension, simulator, num_processes=None,
                        use_iso8601=False):
    """`root/<date>/<basename>_<simulator>[_np<N>]_<datetime>.<extension>`, stamped now."""
    if use_iso8601:
        date_format, datetime_format = "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"
    else:
        date_format, datetime_format = "%Y%m%d", "%Y%m%d-%H%M%S"
    now = datetime.datetime.now()
    processes = f"_np{num_processes}" if num_processes else ""
    name = f"{basename}_{simulator}{processes}_{now.strftime(datetime_format)}.{extension}"
    return os.path.join(root, now.strftime(date_format), name)


def notify(msg="Simulation finished.", subject="Simulation finished.", smtphost=None,
           address=None):
    """E-mail `msg` when an SMTP host and an address are known (arguments, or `SMTPHOST` and
    `EMAIL` of an importable `settings` module); otherwise print it."""
    if smtphost is None or address is None:
        try:
            settings = importlib.import_module("settings")
        except ImportError:
            settings = None
        smtphost = smtphost or getattr(settings, "SMTPHOST", None)
        address = address or getattr(settings, "EMAIL", None)
    if not (smtphost and address):
        print(msg)
        return
    import smtplib
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = message["To"] = address
    message.set_content(msg)
    with smtplib.SMTP(smtphost) as server:
        server.send_message(message)


class Timer:
    """Wall-clock timer, started on creation; `marks` collects labelled intervals."""

    def __init__(self):
        self.marks = []
        self.start()

    def start(self):
        self._start_time = self._last_check = time.perf_counter()

    def reset(self):
        """Restart and forget the marks."""
        self.marks = []
        self.start()

    def elapsed_time(self, format=None):
        """Seconds since start (words with format='long')."""
        elapsed = time.perf_counter() - self._start_time
        return self.time_in_words(elapsed) if format == "long" else elapsed

    def elapsedTime(self, format=None):
        """Deprecated name of `elapsed_time`."""
        warnings.warn("elapsedTime() is deprecated, use elapsed_time()", DeprecationWarning,
                      stacklevel=2)
        return self.elapsed_time(format)

    def diff(self, format=None):
        """Seconds since the previous diff() (or the start); words with format='long'."""
        now = time.perf_counter()
        interval, self._last_check = now - self._last_check, now
        return self.time_in_words(interval) if format == "long" else interval

    def mark(self, label):
        self.marks.append((label, self.diff()))

    @staticmethod
    def time_in_words(s):
        """e.g. 3725.5 → '1 hour, 2 minutes, 5.5 seconds'; zero parts are left out."""
        minutes, seconds = divmod(round(s, 2), 60)
        hours, minutes = divmod(int(minutes), 60)
        days, hours = divmod(hours, 24)
        parts = [(days, "day"), (hours, "hour"), (minutes, "minute"), (round(seconds, 2), "second")]
        words = [f"{value:g} {unit}{'' if value == 1 else 's'}" for value, unit in parts if value]
        return ", ".join(words) or "0 seconds"


class ProgressBar:
    """Text progress bar redrawn in place: `[ ####     ]  40%` then carriage return.

    In 'fixed' mode the printed line is `width` characters; 'dynamic' mode omits the padding.
    """

    def __init__(self, width=77, char="#", mode="fixed"):
        if mode not in ("fixed", "dynamic"):
            raise ValueError(f"ProgressBar mode must be 'fixed' or 'dynamic', not {mode!r}")
        self.width = width
        self.char = char
        self.mode = mode
        self._bar_width = max(width - 9, 1)  # room left by "[ ", " ] " and "NNN%"

    def set_level(self, level):
        level = min(max(float(level), 0.0), 1.0)
        filled = self.char * int(level * self._bar_width)
        if self.mode == "fixed":
            filled = filled.ljust(self._bar_width)
        print(f"[ {filled} ] {int(level * 100):3d}%\r", end="", flush=True)

    __call__ = set_level


class SimulationProgressBar:
    """A `run(callbacks=...)` callback drawing t/t_stop; returns the next time to be called."""

    def __init__(self, interval, t_stop, char="#", mode="fixed"):
        self.interval = interval
        self.t_stop = t_stop
        self.progress_bar = ProgressBar(char=char, mode=mode)

    def __call__(self, t):
        self.progress_bar(t / self.t_stop)
        return t + self.interval


def sort_by_column(a, col):
    """Rows of the 2-D array `a` sorted (stably) by column `col`."""
    a = np.asarray(a)
    return a[np.argsort(a[:, col], kind="stable")]


def forgetful_memoize(func):
    """Cache only the most recent call. Arguments are compared by identity, so arrays and other
    unhashable objects work, and a repeat call with the very same objects is free."""
    last = None  # (keyword names, argument values, result)

    @functools.wraps(func)
    def memoized(*args, **kwargs):
        nonlocal last
        names = tuple(sorted(kwargs))
        values = args + tuple(kwargs[name] for name in names)
        if (last is None or last[0] != names or len(last[1]) != len(values)
                or any(x is not y for x, y in zip(last[1], values))):
            last = (names, values, func(*args, **kwargs))
        return last[2]

    return memoized


def save_population(population, filename, variables=None):
    """Keep a population's recorded spikes (and named attributes) in a `shelve` file, so that
    `load_population` can replay them as a SpikeSourceArray in another simulation."""
    import shelve
    trains = {st.annotations["source_index"]: st.magnitude
              for st in population.get_data("spikes").segments[-1].spiketrains}
    parents = getattr(population, "_index", np.arange(population.size))
    with shelve.open(filename) as store:
        store["spike_times"] = [trains.get(k, np.empty(0)) for k in parents]
        store["label"] = population.label
        store["size"] = population.size
        store["structure"] = getattr(population, "structure", None)
        store["variables"] = {name: getattr(population, name) for name in variables or []}


def load_population(filename, sim):
    """A `sim.SpikeSourceArray` Population replaying what `save_population` kept."""
    import shelve
    from pynnlike.parameters import Sequence
    with shelve.open(filename) as store:
        population = sim.Population(
            store["size"], sim.SpikeSourceArray(spike_times=[Sequence(t)
                                                             for t in store["spike_times"]]),
            structure=store["structure"], label=store["label"])
        for name, value in store["variables"].items():
            setattr(population, name, value)
    return population
