"""Random spike trains drawn in the core: reproducible, independent of run splitting."""
import numpy as np

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
