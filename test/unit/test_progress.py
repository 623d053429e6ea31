"""The progress display of run(): automatic in a terminal for long runs, switchable with
setup(progress=...). Wall-clock time is faked: the fake driver's run costs 10 ms per simulated ms.
"""
import io
import re
import sys
import types
import warnings

import numpy as np
import pytest

import pynnlike.simulation as simulation

SECONDS_PER_MS = 0.01


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def clocked(sim, monkeypatch):
    """Set up again with `progress`; returns (face, list of the driver's run_until targets)."""
    clock = [0.0]
    monkeypatch.setattr(simulation, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))

    def setup(overhead=0.0, **options):
        """`overhead`: seconds every run_until call costs besides its simulated time."""
        sim.setup(timestep=0.1, **options)
        driver = sim.state.driver
        plain_run = driver.run_until
        targets = []

        def timed_run(t):
            clock[0] += overhead + (t - driver.t) * SECONDS_PER_MS
            targets.append(t)
            plain_run(t)

        monkeypatch.setattr(driver, "run_until", timed_run)
        return targets

    setup.clock = clock
    return setup


def levels(text):
    """The percentages drawn, in order."""
    return [int(p) for p in re.findall(r"\] +(\d+)%\r", text)]


def test_off_when_stdout_is_not_a_terminal(sim, clocked, capsys):
    targets = clocked()
    assert sim.run(1000.0) == 1000.0
    assert targets == [pytest.approx(1000.0)]
    assert capsys.readouterr().out == ""


def test_long_run_in_a_terminal_shows_progress_after_a_few_seconds(sim, clocked, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    targets = clocked()
    assert sim.run(1000.0) == pytest.approx(1000.0)
    drawn = levels(terminal.getvalue())
    # 3 s of (fake) wall-clock time pass at 300 ms of network time; chunks of 0.5 s = 50 ms
    assert drawn[0] >= 100 * simulation.PROGRESS_AFTER / (1000.0 * SECONDS_PER_MS)
    assert drawn[-1] == 100 and drawn == sorted(drawn) and len(drawn) >= 10
    assert terminal.getvalue().endswith("\r\n")
    # a 1 % probe, one step (the cost per call: none here), then 0.5 s = 50 ms each
    assert targets[:2] == pytest.approx([10.0, 10.1]) and targets[-1] == pytest.approx(1000.0)
    np.testing.assert_allclose(np.diff(targets[1:-1]), 50.0)


def test_chunks_grow_until_the_cost_per_call_is_small(sim, clocked, capsys):
    targets = clocked(overhead=0.3, progress=True)
    sim.run(10000.0)  # 100 s of simulation, 0.3 s more per call
    added = clocked.clock[0] - 10000.0 * SECONDS_PER_MS
    assert added == pytest.approx(0.3 * len(targets))
    assert added < 1.25 * simulation._PROGRESS_COST * 100.0  # the first chunks cost a bit more
    assert len(levels(capsys.readouterr().out)) >= 10  # still drawn often enough
    # 1 % probe, one step (the cost per call), then chunks of 0.3 s / 5 % = 6 s, i.e. 600 ms
    assert targets[:2] == pytest.approx([100.0, 100.1])
    np.testing.assert_allclose(np.diff(targets)[2:-1], 600.0, rtol=2e-3)


def test_short_run_in_a_terminal_prints_nothing(sim, clocked, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    targets = clocked()
    sim.run(200.0)  # 2 s < PROGRESS_AFTER
    assert terminal.getvalue() == ""
    assert targets[-1] == pytest.approx(200.0)


def test_switched_off_in_a_terminal(sim, clocked, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    targets = clocked(progress=False)
    sim.run(1000.0)
    assert terminal.getvalue() == "" and len(targets) == 1


def test_switched_on_without_a_terminal(sim, clocked, capsys):
    clocked(progress=True)
    sim.run(100.0)  # only 1 s: shown anyway, from the first chunk
    drawn = levels(capsys.readouterr().out)
    assert drawn[0] == 1 and drawn[-1] == 100


@pytest.mark.parametrize("progress", [True, False])
def test_chunked_run_ends_and_records_as_a_plain_run(sim, clocked, capsys, progress):
    clocked(progress=progress)
    cells = sim.Population(2, sim.IF_curr_exp())
    cells.record("v")
    sim.run(100.0)
    sim.run(50.04)  # less than half a step past the grid: rounded down
    signal = cells.get_data().segments[0].analogsignals[0]
    assert signal.shape == (1501, 2) and sim.get_current_time() == pytest.approx(150.0)
    assert levels(capsys.readouterr().out)[-1:] == ([100] if progress else [])


def test_user_callbacks_replace_the_automatic_display(sim, clocked, capsys):
    clocked(progress=True)
    seen = []
    sim.run(100.0, callbacks=[lambda t: seen.append(t) or t + 50.0])
    assert seen == pytest.approx([0.0, 50.0, 100.0])
    assert capsys.readouterr().out == ""


def test_progress_is_a_core_option(sim):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sim.setup(timestep=0.1, progress=False)
    assert "progress" not in sim.state.driver.options
    assert sim.state.progress is False


@pytest.mark.parametrize("value", ["yes", 2])
def test_bad_progress_value(sim, value):
    with pytest.raises(ValueError, match="progress"):
        sim.setup(timestep=0.1, progress=value)
