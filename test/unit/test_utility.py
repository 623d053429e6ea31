"""pynnlike.utility: command line, logging, file names, timing and progress display."""
import datetime
import logging
import pathlib
import subprocess
import sys
import types

import numpy as np
import pytest

from pynnlike import utility


# -- get_simulator / get_script_args ---------------------------------------------------------

@pytest.fixture
def fakesim(monkeypatch):
    module = types.ModuleType("pynnlike.fakesim")
    monkeypatch.setitem(sys.modules, "pynnlike.fakesim", module)
    return module


def test_get_simulator_imports_backend_and_parses_extra_arguments(monkeypatch, fakesim):
    monkeypatch.setattr(sys, "argv", ["script.py", "fakesim", "12.5", "--plot"])
    module, args = utility.get_simulator(
        ("t_stop", "simulation time", {"type": float}),
        ("--plot", "plot the results", {"action": "store_true"}),
        ("--debug", "debug output", {"action": "store_true"}),
    )
    assert module is fakesim
    assert (args.simulator, args.t_stop, args.plot, args.debug) == ("fakesim", 12.5, True, False)


def test_get_simulator_argument_without_kwargs(monkeypatch, fakesim):
    monkeypatch.setattr(sys, "argv", ["script.py", "fakesim", "run.json"])
    module, args = utility.get_simulator(("parameter_file", "a parameter file"))
    assert args.parameter_file == "run.json"


def test_get_simulator_unknown_backend_exits_with_usage(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["script.py", "nosuchsim"])
    with pytest.raises(SystemExit) as info:
        utility.get_simulator()
    assert info.value.code == 2
    assert "unknown simulator 'nosuchsim'" in capsys.readouterr().err


def test_utility_imports_no_simulator():
    code = ("import sys, pynnlike.utility; "
            "print(sorted({'nest', 'neuron', 'brian2'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=pathlib.Path(__file__).parents[2])
    assert out.stdout.strip() == "[]"


def test_get_script_args(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["script.py", "a", "b", "c"])
    assert utility.get_script_args(2) == ["a", "b"]
    with pytest.raises(ValueError, match="usage: script.py x y z w"):
        utility.get_script_args(4, usage="usage: script.py x y z w")


# -- init_logging ------------------------------------------------------------------------------

@pytest.fixture
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


def test_init_logging_single_process(tmp_path, restore_root_logger):
    logfile = tmp_path / "run.log"
    logfile.write_text("old content\n")
    logger = utility.init_logging(str(logfile), debug=True)
    assert logger.name == "pynnlike"
    logger.debug("a debug line")
    logging.getLogger("pynnlike.sub").info("an info line")
    logging.shutdown()
    lines = logfile.read_text().splitlines()
    assert len(lines) == 2  # file mode 'w': the old content is gone
    assert lines[0].endswith("pynnlike DEBUG a debug line")
    assert lines[1].endswith("pynnlike.sub INFO an info line")


def test_init_logging_rank_suffix_and_prefix(tmp_path, restore_root_logger):
    logfile = tmp_path / "run.log"
    logger = utility.init_logging(str(logfile), num_processes=4, rank=2)
    logger.debug("hidden at INFO level")
    logger.warning("visible")
    assert not logfile.exists()
    lines = (tmp_path / "run.log.2").read_text().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Rank 2 of 4: ") and lines[0].endswith("WARNING visible")


def test_init_logging_level_overrides_debug(tmp_path, restore_root_logger):
    logfile = tmp_path / "run.log"
    logger = utility.init_logging(str(logfile), debug=True, level=logging.ERROR)
    logger.warning("dropped")
    logger.error("kept")
    assert [line.split()[-1] for line in logfile.read_text().splitlines()] == ["kept"]


# -- normalized_filename, notify ---------------------------------------------------------------

class _FixedDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2024, 3, 7, 9, 5, 2)


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(utility.datetime, "datetime", _FixedDatetime)


def test_normalized_filename(fixed_now):
    assert utility.normalized_filename("Results", "spikes", "pkl", "nest") == \
        "Results/20240307/spikes_nest_20240307-090502.pkl"
    assert utility.normalized_filename("Results", "v", "h5", "neuron", num_processes=4) == \
        "Results/20240307/v_neuron_np4_20240307-090502.h5"
    assert utility.normalized_filename("R", "v", "nwb", "brian2", use_iso8601=True) == \
        "R/2024-03-07/v_brian2_2024-03-07T09:05:02.nwb"


def test_notify_prints_without_settings(capsys):
    utility.notify("all done")
    assert capsys.readouterr().out == "all done\n"


def test_notify_mails_with_settings_module(monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host):
            self.host = host

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append((self.host, message["To"], message["Subject"], message.get_content()))

    import smtplib
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(sys.modules, "settings",
                        types.SimpleNamespace(SMTPHOST="smtp.example.org", EMAIL="me@example.org"))
    utility.notify("body text", subject="done")
    assert sent == [("smtp.example.org", "me@example.org", "done", "body text\n")]


# -- Timer -------------------------------------------------------------------------------------

@pytest.fixture
def clock(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(utility.time, "perf_counter", lambda: now[0])
    return now


def test_timer(clock):
    timer = utility.Timer()
    clock[0] += 2.5
    assert timer.elapsed_time() == 2.5
    assert timer.diff() == 2.5
    clock[0] += 1.0
    assert timer.diff() == 1.0
    assert timer.elapsed_time() == 3.5
    timer.mark("build")
    clock[0] += 4.0
    timer.mark("run")
    assert timer.marks == [("build", 0.0), ("run", 4.0)]
    clock[0] += 3600.0
    assert timer.elapsed_time(format="long") == "1 hour, 7.5 seconds"
    with pytest.warns(DeprecationWarning):
        assert timer.elapsedTime() == 3607.5
    timer.start()
    assert timer.elapsed_time() == 0.0 and len(timer.marks) == 2
    timer.reset()
    assert timer.marks == []


@pytest.mark.parametrize("seconds, words", [
    (0, "0 seconds"), (1, "1 second"), (0.5, "0.5 seconds"), (60, "1 minute"),
    (123, "2 minutes, 3 seconds"), (3725.5, "1 hour, 2 minutes, 5.5 seconds"),
    (2 * 86400 + 60, "2 days, 1 minute"), (59.999, "1 minute"),
])
def test_time_in_words(seconds, words):
    assert utility.Timer.time_in_words(seconds) == words


# -- progress bars -----------------------------------------------------------------------------

def test_progress_bar_fixed(capsys):
    bar = utility.ProgressBar(width=29)  # 20 bar characters
    bar.set_level(0.5)
    out = capsys.readouterr().out
    assert out == "[ " + "#" * 10 + " " * 10 + " ]  50%\r"
    assert len(out) - 1 == 29
    bar(1.7)  # clipped
    assert capsys.readouterr().out == "[ " + "#" * 20 + " ] 100%\r"
    bar(-1)
    assert capsys.readouterr().out == "[ " + " " * 20 + " ]   0%\r"


def test_progress_bar_dynamic(capsys):
    bar = utility.ProgressBar(width=29, char="=", mode="dynamic")
    bar(0.25)
    assert capsys.readouterr().out == "[ ===== ]  25%\r"


def test_progress_bar_bad_mode():
    with pytest.raises(ValueError, match="'sliding'"):
        utility.ProgressBar(mode="sliding")


def test_simulation_progress_bar(capsys):
    callback = utility.SimulationProgressBar(10.0, 40.0, mode="dynamic")
    assert callback(10.0) == 20.0
    assert capsys.readouterr().out == "[ " + "#" * 17 + " ]  25%\r"  # 68 bar chars by default


# -- sort_by_column, forgetful_memoize ---------------------------------------------------------

def test_sort_by_column():
    a = np.array([[3, 0], [1, 1], [2, 2], [1, 3]])
    np.testing.assert_array_equal(utility.sort_by_column(a, 0), [[1, 1], [1, 3], [2, 2], [3, 0]])
    np.testing.assert_array_equal(utility.sort_by_column(a, 1), a)


def test_forgetful_memoize():
    calls = []

    @utility.forgetful_memoize
    def total(x, scale=1):
        calls.append(x)
        return x.sum() * scale

    x, y = np.arange(4), np.arange(5)
    assert total(x) == 6 and total(x) == 6
    assert len(calls) == 1
    assert total(y) == 10 and len(calls) == 2
    assert total(x) == 6 and len(calls) == 3  # only the last call is remembered
    assert total(x, scale=2) == 12 and len(calls) == 4
    assert total(x, scale=2) == 12 and len(calls) == 4
    assert total.__name__ == "total"
