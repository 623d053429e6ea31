"""Random spike trains drawn in the core: reproducible, independent of run splitting."""
import numpy as np
import pytest

from pynnlike.spiketrains import SpikeTrainGenerator
from pynnlike.standardmodels.cells import SpikeSourceGamma, SpikeSourcePoisson, \
    SpikeSourcePoissonRefractory


def _values(n, **values):
    return {k: np.full(n, float(v)) for k, v in values.items()}


def test_poisson_rate_window_and_grid():
    n = 200
    values = _values(n, rate=50.0, start=100.0, duration=400.0)
    trains = SpikeTrainGenerator(SpikeSourcePoisson(), np.arange(n), 42).window(
        values, 0.0, 1000.0, 0.1)
    counts = np.array([len(t) for t in trains])
    # 20 spikes expected per source; the mean of 200 sources is within 4 standard errors
    assert abs(counts.mean() - 20.0) < 4 * np.sqrt(20.0 / n)
    every = np.concatenate(list(trains))
    assert every.min() > 100.0 and every.max() <= 500.0
    assert np.allclose(every / 0.1, np.round(every / 0.1))


def test_split_runs_give_the_same_trains():
    values = _values(5, rate=80.0, start=0.0, duration=1e10)
    whole = SpikeTrainGenerator(SpikeSourcePoisson(), np.arange(5), 7).window(
        values, 0.0, 300.0, 0.1)
    generator = SpikeTrainGenerator(SpikeSourcePoisson(), np.arange(5), 7)
    parts = [generator.window(values, t0, t1, 0.1) for t0, t1 in [(0, 50), (50, 51.3),
                                                                   (51.3, 300)]]
    for k in range(5):
        assert np.array_equal(whole[k], np.concatenate([p[k] for p in parts]))


def test_seed_and_id_select_the_stream():
    values = _values(1, rate=100.0, start=0.0, duration=1e10)
    a = SpikeTrainGenerator(SpikeSourcePoisson(), [3], 1).window(values, 0, 200, 0.1)[0]
    b = SpikeTrainGenerator(SpikeSourcePoisson(), [3], 1).window(values, 0, 200, 0.1)[0]
    c = SpikeTrainGenerator(SpikeSourcePoisson(), [4], 1).window(values, 0, 200, 0.1)[0]
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_refractory_and_gamma_intervals():
    n = 100
    values = _values(n, rate=100.0, tau_refrac=5.0, start=0.0, duration=1e10)
    trains = SpikeTrainGenerator(SpikeSourcePoissonRefractory(), np.arange(n), 3).window(
        values, 0.0, 2000.0, 0.1)
    intervals = np.concatenate([np.diff(t) for t in trains])
    assert intervals.min() >= 5.0 - 0.1 - 1e-9
    assert abs(np.mean([len(t) for t in trains]) - 200.0) < 4 * np.sqrt(200.0 / n)
    values = _values(n, alpha=4, beta=200.0, start=0.0, duration=1e10)
    trains = SpikeTrainGenerator(SpikeSourceGamma(), np.arange(n), 3).window(
        values, 0.0, 2000.0, 0.1)
    intervals = np.concatenate([np.diff(t) for t in trains])
    # Gamma(4, 5 ms): mean 20 ms, coefficient of variation 1/2
    assert abs(intervals.mean() - 20.0) < 0.5
    assert abs(intervals.std() / intervals.mean() - 0.5) < 0.03


def test_zero_rate_gives_no_spikes():
    values = _values(2, rate=0.0, start=0.0, duration=1e10)
    trains = SpikeTrainGenerator(SpikeSourcePoisson(), [0, 1], 1).window(values, 0, 100, 0.1)
    assert [len(t) for t in trains] == [0, 0]


def test_stopped_source_stays_silent_over_later_windows():
    values = _values(1, rate=200.0, start=0.0, duration=20.0)
    generator = SpikeTrainGenerator(SpikeSourcePoisson(), [0], 5)
    assert len(generator.window(values, 0.0, 100.0, 0.1)[0]) > 0
    assert len(generator.window(values, 100.0, 200.0, 0.1)[0]) == 0


def test_gamma_hazard_closed_forms():
    from pynnlike.spiketrains import gamma_hazard
    # shape 1: constant hazard 1/b; shape 2: h(s) = s / (b (b + s))
    assert gamma_hazard(1.0, 0.02, 0.3) == pytest.approx(50.0)
    for s in (0.001, 0.01, 0.05, 0.5):
        assert gamma_hazard(2.0, 0.01, s) == pytest.approx(s / (0.01 * (0.01 + s)), rel=1e-9)


def test_inhomogeneous_gamma_rate_and_bins():
    from pynnlike.parameters import Sequence
    from pynnlike.standardmodels.cells import SpikeSourceInhGamma
    n = 100
    values = {"a": np.array([Sequence([2.0, 2.0])] * n, dtype=object),
              "b": np.array([Sequence([0.01, 0.005])] * n, dtype=object),
              "tbins": np.array([Sequence([100.0, 600.0])] * n, dtype=object),
              "start": np.zeros(n), "duration": np.full(n, 1e10)}
    trains = SpikeTrainGenerator(SpikeSourceInhGamma(), np.arange(n), 11).window(
        values, 0.0, 1100.0, 0.1)
    every = np.concatenate(list(trains))
    assert every.min() >= 100.0
    # 1/(a b): 50 Hz in [100, 600), 100 Hz from 600 ms on
    first = np.sum((every >= 150) & (every < 600)) / n / 0.45
    second = np.sum(every >= 650) / n / 0.45
    assert abs(first - 50.0) < 3.0 and abs(second - 100.0) < 5.0
