"""Electrodes (API §7): parameters, waveforms on the time grid, noise streams, injection."""
import math
from types import SimpleNamespace

import numpy as np
import pytest
import quantities as pq

from pynnlike.errors import NonExistentParameterError
from pynnlike.random import NumpyRNG
from pynnlike.standardmodels.electrodes import (ACSource, DCSource, NoisyCurrentSource,
                                                StepCurrentSource)

DT = 0.1


def simulation(t=0.0):
    """A stand-in for the core's Simulation: inject() records its calls in `sources`."""
    sim = SimpleNamespace(dt=DT, t=t, rng_seed=42, segment_counter=0, sources=[])
    sim.inject = lambda source, cells: sim.sources.append((source, cells))
    return sim


def population(sim, injectable=True):
    return SimpleNamespace(_simulation=sim, injectable=injectable,
                           celltype=SimpleNamespace(injectable=injectable))


def injected(source, t=0.0):
    sim = simulation(t)
    source.inject_into(population(sim))
    return source, sim


def grid(t_stop):
    return np.arange(int(round(t_stop / DT)) + 1) * DT


def test_defaults_and_units():
    assert DCSource.default_parameters == {"amplitude": 1.0, "start": 0.0, "stop": 1e12}
    assert ACSource.default_parameters == {"amplitude": 1.0, "start": 0.0, "stop": 1e12,
                                           "frequency": 10.0, "offset": 0.0, "phase": 0.0}
    assert NoisyCurrentSource.default_parameters == {"mean": 0.0, "stdev": 1.0, "start": 0.0,
                                                     "stop": 1e12, "dt": 0.1}
    assert list(StepCurrentSource.default_parameters) == ["amplitudes", "times"]
    assert ACSource.units == {"amplitude": "nA", "start": "ms", "stop": "ms", "frequency": "Hz",
                              "offset": "nA", "phase": "deg"}
    assert NoisyCurrentSource.units == {"mean": "nA", "stdev": "nA", "start": "ms",
                                        "stop": "ms", "dt": "ms"}
    assert StepCurrentSource.units == {"amplitudes": "nA", "times": "ms"}
    step = StepCurrentSource()
    assert step.times.size == 0 and step.amplitudes.size == 0


def test_parameters_as_attributes():
    src = DCSource(amplitude=0.5)
    assert src.amplitude == 0.5 and src.stop == 1e12
    src.amplitude = 0.75
    assert src.get_parameters() == {"amplitude": 0.75, "start": 0.0, "stop": 1e12}
    src.set_parameters(start=10.0, stop=20.0)
    assert (src.start, src.stop) == (10.0, 20.0)
    assert DCSource(amplitude=500 * pq.pA).amplitude == pytest.approx(0.5)
    with pytest.raises(AttributeError):
        src.set
    with pytest.raises(NonExistentParameterError):
        src.set_parameters(amplitud=1.0)
    with pytest.raises(NonExistentParameterError):
        DCSource(frequency=1.0)
    assert repr(DCSource(amplitude=2.0)) == ("DCSource(amplitude=2.0, start=0.0, "
                                             "stop=1000000000000.0)")
    assert DCSource().describe(template=None)["parameters"]["stop"] == 1e12


def test_listeners_are_called_after_each_change():
    src = ACSource()
    calls = []
    src._listeners.append(lambda: calls.append(src.frequency))
    src.frequency = 20.0
    src.set_parameters(frequency=30.0, phase=90.0)
    assert calls == [20.0, 30.0]


def test_dc_waveform_rounds_start_and_stop_to_the_grid():
    src, _ = injected(DCSource(amplitude=0.5, start=1.04, stop=1.96))
    expected = np.where((grid(3.0) >= 1.0 - 1e-9) & (grid(3.0) < 2.0 - 1e-9), 0.5, 0.0)
    assert np.array_equal(src.waveform(grid(3.0)), expected)
    assert src.waveform(np.array([0.96, 1.0, 1.9, 2.04])).tolist() == [0.5, 0.5, 0.5, 0.0]


def test_ac_waveform():
    src, _ = injected(ACSource(amplitude=2.0, offset=0.5, frequency=100.0, phase=90.0, start=1.0,
                               stop=3.0))
    times = np.array([0.0, 0.9, 1.0, 1.5, 2.3, 2.9, 3.0, 4.0])
    expected = [0.0, 0.0] + [0.5 + 2.0 * math.sin(2 * math.pi * 100.0 * (t - 1.0) / 1000.0
                                                   + math.pi / 2) for t in (1.0, 1.5, 2.3, 2.9)]
    expected += [0.0, 0.0]
    assert np.allclose(src.waveform(times), expected)
    assert src.waveform(np.array([1.0]))[0] == pytest.approx(2.5)


def test_step_source_rounds_merges_and_holds():
    src = StepCurrentSource(times=[0.12, 0.5, 0.54, 1.0], amplitudes=[1.0, 2.0, 3.0, 4.0])
    assert np.array_equal(src.times, [0.12, 0.5, 0.54, 1.0])  # dt unknown yet: as given
    injected(src)
    assert np.allclose(src.times, [0.1, 0.5, 1.0])
    assert np.array_equal(src.amplitudes, [1.0, 3.0, 4.0])
    assert np.allclose(src.get_parameters()["times"], [0.1, 0.5, 1.0])
    expected = [0.0] + [1.0] * 4 + [3.0] * 5 + [4.0] * 11
    assert np.array_equal(src.waveform(grid(2.0)), expected)
    assert src.waveform(np.array([1e6]))[0] == 4.0


def test_step_source_checks_times():
    for times in ([-1.0, 2.0], [1.0, 1.0], [2.0, 1.0]):
        with pytest.raises(ValueError):
            StepCurrentSource(times=times, amplitudes=[1.0, 2.0])
    with pytest.raises(ValueError):
        StepCurrentSource(times=[1.0, 2.0], amplitudes=[1.0])
    src = StepCurrentSource(times=[1.0], amplitudes=[1.0])
    with pytest.raises(ValueError):
        src.times = [3.0, 2.0]
    assert np.array_equal(src.times, [1.0])


def test_empty_step_source_gives_no_current():
    src, _ = injected(StepCurrentSource())
    assert np.array_equal(src.waveform(grid(1.0)), np.zeros(11))


def test_changes_apply_from_the_current_time_until_a_reset():
    src, sim = injected(DCSource(amplitude=0.5))
    sim.t = 1.0
    src.amplitude = 2.0
    assert src.waveform(np.array([0.0, 0.9, 1.0, 5.0])).tolist() == [0.5, 0.5, 2.0, 2.0]
    sim.t = 2.0
    src.start = 3.0
    assert src.waveform(np.array([0.9, 1.5, 2.5, 3.0])).tolist() == [0.5, 2.0, 0.0, 2.0]
    sim.segment_counter, sim.t = 1, 0.0  # what reset() does
    assert src.waveform(np.array([0.9, 1.5, 2.5, 3.0])).tolist() == [0.0, 0.0, 0.0, 2.0]


def test_get_data_samples_the_waveform():
    src, sim = injected(DCSource(amplitude=0.25, start=0.5, stop=1.5))
    src.record()
    assert src.recording
    sim.t = 2.0
    signal = src.get_data()
    assert signal.shape == (21, 1)
    assert signal.units == pq.nA
    assert float(signal.t_start.rescale(pq.ms)) == 0.0
    assert float(signal.sampling_period.rescale(pq.ms)) == pytest.approx(DT)
    expected = np.zeros(21)
    expected[5:15] = 0.25
    assert np.array_equal(signal.magnitude[:, 0], expected)


def test_injection_into_spike_sources_is_refused():
    sim = simulation()
    with pytest.raises(TypeError):
        DCSource().inject_into(population(sim, injectable=False))
    assert sim.sources == []


class FakePopulation:
    """Enough of a Population for grouping IDs: first_id, id_to_index and indexing."""

    def __init__(self, sim, first_id, size):
        self._simulation, self.first_id, self.size = sim, first_id, size
        self.injectable = True

    def id_to_index(self, ids):
        return np.asarray(ids) - self.first_id

    def __getitem__(self, index):
        return SimpleNamespace(_simulation=self._simulation, injectable=True, parent=self,
                               index=list(index))


class FakeID(int):
    def __new__(cls, n, parent):
        obj = int.__new__(cls, n)
        obj.parent = parent
        return obj


def test_lists_of_ids_are_injected_per_parent_population():
    sim = simulation()
    a, b = FakePopulation(sim, 10, 5), FakePopulation(sim, 20, 3)
    src = DCSource()
    src.inject_into([FakeID(11, a), FakeID(20, b), FakeID(13, a)])
    assert [(view.parent, view.index) for _, view in sim.sources] == [(a, [1, 3]), (b, [0])]
    assert all(source is src for source, _ in sim.sources)
    src.inject_into(FakeID(22, b))
    assert (sim.sources[-1][1].parent, sim.sources[-1][1].index) == (b, [2])
    assert src._simulation is sim


# -- noise ----------------------------------------------------------------------------------

def test_noise_values_come_from_the_seeded_stream():
    src, _ = injected(NoisyCurrentSource(mean=1.0, stdev=0.5, dt=0.3, start=0.5, stop=2.0))
    z = np.random.RandomState([42, 0]).normal(0.0, 1.0, 5)
    times, amplitudes = src.steps(3.0)
    assert np.allclose(times, [0.5, 0.8, 1.1, 1.4, 1.7])
    assert np.allclose(amplitudes, 1.0 + 0.5 * z)
    expected = np.zeros(31)
    expected[5:20] = np.repeat(1.0 + 0.5 * z, 3)
    assert np.allclose(src.waveform(grid(3.0)), expected)


def test_noise_stream_depends_on_the_number_of_sources_injected_before():
    sim = simulation()
    DCSource().inject_into(population(sim))
    noise = NoisyCurrentSource(stdev=1.0)
    noise.inject_into(population(sim))
    z = np.random.RandomState([42, 1]).normal(0.0, 1.0, 3)
    assert np.allclose(noise.steps(0.2)[1], z)


def test_noise_steps_are_cached_and_extended_lazily():
    src, _ = injected(NoisyCurrentSource(mean=0.0, stdev=1.0, dt=0.1))
    first_times, first = src.steps(1.0)
    assert len(first) == 11
    times, longer = src.steps(2.0)
    assert np.array_equal(longer[:11], first) and len(longer) == 21
    again_times, again = src.steps(1.0)
    assert np.array_equal(again, first) and np.array_equal(again_times, first_times)
    z = np.random.RandomState([42, 0]).normal(0.0, 1.0, 21)
    assert np.allclose(longer, z)


def test_noise_from_the_users_rng():
    src, _ = injected(NoisyCurrentSource(mean=0.2, stdev=2.0, dt=0.2, rng=NumpyRNG(seed=7)))
    z = np.random.RandomState(7).normal(0.0, 1.0, 6)
    times, amplitudes = src.steps(1.0)
    assert np.allclose(times, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert np.allclose(amplitudes, 0.2 + 2.0 * z)


def test_noise_dt_rules():
    with pytest.raises(ValueError):
        injected(NoisyCurrentSource(dt=0.25))
    src, _ = injected(NoisyCurrentSource(dt=0.05, stdev=1.0))
    times, _ = src.steps(0.5)
    assert np.allclose(times, grid(0.5))  # raised to the time step
    with pytest.raises(ValueError):
        src.dt = 0.15
    assert src.dt == 0.05
    src.dt = 0.3
    assert np.allclose(src.steps(0.6)[0], [0.0, 0.3, 0.6])


def test_noise_change_takes_effect_at_the_time_it_is_made():
    src, sim = injected(NoisyCurrentSource(mean=1.0, stdev=0.5, dt=0.3, start=0.5, stop=2.0))
    z = np.random.RandomState([42, 0]).normal(0.0, 1.0, 5)
    src.steps(0.9)
    sim.t = 1.0
    src.mean = 3.0
    times, amplitudes = src.steps(2.0)
    assert np.allclose(times, [0.5, 0.8, 1.0, 1.1, 1.4, 1.7])
    assert np.allclose(amplitudes, [1.0 + 0.5 * z[0], 1.0 + 0.5 * z[1], 3.0 + 0.5 * z[1],
                                    3.0 + 0.5 * z[2], 3.0 + 0.5 * z[3], 3.0 + 0.5 * z[4]])
