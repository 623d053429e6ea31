"""pynnlike.random: streams equal to numpy's RandomState for the same seed, masks, errors."""
import sys
import types
from copy import deepcopy

import numpy as np
import pytest
from lazyarray import larray

from pynnlike.errors import InvalidDimensionsError
from pynnlike.random import (GSLRNG, AbstractRNG, NativeRNG, NumpyRNG, RandomDistribution,
                             WrappedRNG, available_distributions, get_mpi_config)

SEED = 2718


def reference(seed=SEED):
    return np.random.RandomState(seed)


# -- NumpyRNG ---------------------------------------------------------------------------------

def test_uniform_stream_equals_randomstate():
    rng = NumpyRNG(SEED)
    expected = reference().uniform(0, 1, 20)
    np.testing.assert_array_equal(rng.next(10, "uniform", {"low": 0, "high": 1}), expected[:10])
    np.testing.assert_array_equal(rng.next(10), expected[10:])  # default: uniform [0, 1)


def test_scalar_empty_and_negative():
    rng = NumpyRNG(SEED)
    value = rng.next()
    assert np.ndim(value) == 0
    assert value == reference().uniform(0, 1, 1)[0]
    empty = rng.next(0)
    assert isinstance(empty, np.ndarray) and empty.shape == (0,)
    with pytest.raises(ValueError):
        rng.next(-1)


def test_aliases_random_and_sample():
    a, b, c = NumpyRNG(SEED), NumpyRNG(SEED), NumpyRNG(SEED)
    np.testing.assert_array_equal(a.random(5, "normal", (0.0, 1.0)),
                                  b.sample(5, "normal", {"mu": 0.0, "sigma": 1.0}))
    np.testing.assert_array_equal(c.next(5, "normal", (0.0, 1.0)), reference().normal(0, 1, 5))


@pytest.mark.parametrize("seed", [1.5, "42", True])
def test_seed_must_be_int(seed):
    with pytest.raises(TypeError):
        NumpyRNG(seed)


def test_numpy_integer_seed_accepted():
    np.testing.assert_array_equal(NumpyRNG(np.int64(7)).next(3), reference(7).uniform(0, 1, 3))


def test_unknown_attributes_forwarded():
    rng = NumpyRNG(SEED)
    np.testing.assert_array_equal(rng.permutation(10), reference().permutation(10))
    ref = reference()
    ref.permutation(10)
    np.testing.assert_array_equal(rng.normal(1.0, 2.0, size=4), ref.normal(1.0, 2.0, size=4))
    with pytest.raises(AttributeError):
        rng.no_such_method


def test_deepcopy_continues_same_stream_independently():
    rng = NumpyRNG(SEED)
    rng.next(3)
    copy = deepcopy(rng)
    np.testing.assert_array_equal(copy.next(4), rng.next(4))


@pytest.mark.parametrize("name, params, draw", [
    ("binomial", {"n": 10, "p": 0.3}, lambda r, n: r.binomial(10, 0.3, size=n)),
    ("gamma", {"k": 2.0, "theta": 3.0}, lambda r, n: r.gamma(shape=2.0, scale=3.0, size=n)),
    ("exponential", {"beta": 4.0}, lambda r, n: r.exponential(scale=4.0, size=n)),
    ("lognormal", {"mu": 0.5, "sigma": 0.2}, lambda r, n: r.lognormal(0.5, 0.2, size=n)),
    ("normal", {"mu": -65.0, "sigma": 3.0}, lambda r, n: r.normal(-65.0, 3.0, size=n)),
    ("normal_clipped_to_boundary", {"mu": 0.0, "sigma": 1.0, "low": -0.5, "high": 0.7},
     lambda r, n: np.clip(r.normal(0.0, 1.0, size=n), -0.5, 0.7)),
    ("poisson", {"lambda_": 3.5}, lambda r, n: r.poisson(3.5, size=n)),
    ("uniform", {"low": -70.0, "high": -50.0}, lambda r, n: r.uniform(-70.0, -50.0, size=n)),
    ("uniform_int", {"low": 2, "high": 9}, lambda r, n: r.randint(2, 9, size=n)),
    ("vonmises", {"mu": 0.3, "kappa": 2.0}, lambda r, n: r.vonmises(0.3, 2.0, size=n)),
])
def test_distribution_parameter_mapping(name, params, draw):
    expected = draw(reference(), 50)
    np.testing.assert_array_equal(NumpyRNG(SEED).next(50, name, params), expected)
    positional = tuple(params[k] for k in available_distributions[name])
    np.testing.assert_array_equal(RandomDistribution(name, positional, rng=NumpyRNG(SEED)).next(50),
                                  expected)
    np.testing.assert_array_equal(RandomDistribution(name, rng=NumpyRNG(SEED), **params).next(50),
                                  expected)


def test_every_distribution_is_tested_above():
    assert set(available_distributions) == {
        "binomial", "gamma", "exponential", "lognormal", "normal", "normal_clipped",
        "normal_clipped_to_boundary", "poisson", "uniform", "uniform_int", "vonmises"}


def test_normal_clipped_redraws_outside_values_in_index_order():
    low, high = -0.5, 1.0
    ref = reference()
    expected = ref.normal(0.0, 1.0, size=30)
    bad = np.flatnonzero((expected < low) | (expected > high))
    while bad.size:
        redrawn = ref.normal(0.0, 1.0, size=bad.size)
        expected[bad] = redrawn
        bad = bad[(redrawn < low) | (redrawn > high)]
    rng = NumpyRNG(SEED)
    values = rng.next(30, "normal_clipped", {"mu": 0.0, "sigma": 1.0, "low": low, "high": high})
    np.testing.assert_array_equal(values, expected)
    assert values.min() >= low and values.max() <= high
    assert rng.next() == ref.uniform()  # the stream continues where the reference is


def test_normal_clipped_gives_up_with_runtime_error():
    rng = NumpyRNG(SEED)
    with pytest.raises(RuntimeError, match="1000"):
        rng.next(3, "normal_clipped", {"mu": 0.0, "sigma": 1.0, "low": 50.0, "high": 51.0})


def test_unknown_distribution_and_bad_parameters():
    rng = NumpyRNG(SEED)
    with pytest.raises(KeyError, match="uniform"):
        rng.next(3, "cauchy", {})
    with pytest.raises(KeyError):
        rng.next(3, "normal", {"mu": 0.0})
    with pytest.raises(ValueError):
        rng.next(3, "normal", (0.0,))


# -- masks and parallel safety ----------------------------------------------------------------

def test_parallel_safe_mask_draws_all_then_selects():
    full = reference().normal(0, 1, 10)
    mask = np.array([True, False, False, True, True, False, False, False, True, False])
    np.testing.assert_array_equal(NumpyRNG(SEED).next(10, "normal", (0, 1), mask=mask), full[mask])
    index = np.array([7, 2])
    np.testing.assert_array_equal(NumpyRNG(SEED).next(10, "normal", (0, 1), mask=index),
                                  full[index])


def test_parallel_safe_mask_consumes_whole_stream():
    rng = NumpyRNG(SEED)
    rng.next(10, mask=np.arange(10) < 3)
    assert rng.next() == reference().uniform(0, 1, 11)[10]


def test_not_parallel_safe_mask_draws_only_selected_count():
    ref = reference().normal(0, 1, 4)
    rng = NumpyRNG(SEED, parallel_safe=False)
    mask = np.array([False, True, True, False, False, True])
    np.testing.assert_array_equal(rng.next(6, "normal", (0, 1), mask=mask), ref[:3])
    np.testing.assert_array_equal(
        NumpyRNG(SEED, parallel_safe=False).next(6, "normal", (0, 1), mask=np.array([4, 0])),
        ref[:2])


def test_mask_of_wrong_length_and_mask_without_n():
    rng = NumpyRNG(SEED)
    with pytest.raises(InvalidDimensionsError):
        rng.next(5, mask=np.ones(4, dtype=bool))
    with pytest.raises(ValueError):
        rng.next(None, mask=np.ones(4, dtype=bool))


@pytest.fixture
def fake_mpi(monkeypatch):
    """An initialised mpi4py.MPI with rank 2 of 4."""
    comm = types.SimpleNamespace(Get_rank=lambda: 2, Get_size=lambda: 4)
    mpi = types.SimpleNamespace(COMM_WORLD=comm, Is_initialized=lambda: True,
                                Is_finalized=lambda: False)
    monkeypatch.setitem(sys.modules, "mpi4py.MPI", mpi)
    return mpi


def test_mpi_config_serial(monkeypatch):
    monkeypatch.delitem(sys.modules, "mpi4py.MPI", raising=False)
    for name in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"):
        monkeypatch.delenv(name, raising=False)
    assert get_mpi_config() == (0, 1)


def test_mpi_config_from_initialised_mpi4py(fake_mpi):
    assert get_mpi_config() == (2, 4)
    fake_mpi.Is_initialized = lambda: False
    assert get_mpi_config() == (0, 1)


def test_not_parallel_safe_seed_is_offset_by_rank(fake_mpi):
    rng = NumpyRNG(10, parallel_safe=False)
    assert rng.seed == 12 and (rng.mpi_rank, rng.num_processes) == (2, 4)
    np.testing.assert_array_equal(rng.next(5), reference(12).uniform(0, 1, 5))
    assert NumpyRNG(10).seed == 10


# -- other generators -------------------------------------------------------------------------

def test_gslrng_without_pygsl_raises_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygsl", None)
    monkeypatch.setitem(sys.modules, "pygsl.rng", None)
    with pytest.raises(ImportError, match="pygsl"):
        GSLRNG(seed=1)


def test_native_rng_falls_back_to_seeded_numpy():
    rng = NativeRNG(seed=5)
    assert isinstance(rng, AbstractRNG) and not isinstance(rng, WrappedRNG)
    assert rng.seed == 5 and str(rng) == "NativeRNG(seed=5)"
    np.testing.assert_array_equal(rng.next(4, "normal", (0, 1)), reference(5).normal(0, 1, 4))
    with pytest.raises(TypeError):
        NativeRNG(seed=2.5)


def test_abstract_rng_next_is_abstract():
    with pytest.raises(NotImplementedError):
        AbstractRNG(1).next(3)


# -- RandomDistribution -----------------------------------------------------------------------

def test_random_distribution_attributes_and_repr():
    rng = NumpyRNG(SEED)
    rd = RandomDistribution("uniform", (-70.0, -50.0), rng=rng)
    assert rd.name == "uniform" and rd.parameters == {"low": -70.0, "high": -50.0}
    assert rd.rng is rng
    assert repr(rd) == str(rd) == ("RandomDistribution('uniform', low=-70.0, high=-50.0, "
                                   "rng=NumpyRNG(seed=2718, parallel_safe=True))")
    assert isinstance(RandomDistribution("normal", mu=0, sigma=1).rng, NumpyRNG)


def test_random_distribution_scalar_and_mask():
    full = reference().uniform(0, 1, 6)
    assert RandomDistribution("uniform", (0, 1), rng=NumpyRNG(SEED)).next() == full[0]
    mask = np.array([False, True, False, True, False, False])
    np.testing.assert_array_equal(
        RandomDistribution("uniform", (0, 1), rng=NumpyRNG(SEED)).next(6, mask=mask), full[mask])


@pytest.mark.parametrize("args, kwargs, error", [
    (("normal", (0.0, 1.0)), {"mu": 0.0}, ValueError),        # both forms
    (("normal", (0.0,)), {}, ValueError),                     # wrong count
    (("normal", (0.0, 1.0, 2.0)), {}, ValueError),
    (("normal",), {"mu": 0.0, "sd": 1.0}, KeyError),          # wrong name
    (("normal",), {"mu": 0.0}, KeyError),                     # missing name
    (("normal",), {}, KeyError),                              # nothing given
    (("normal", {"mu": 0.0, "sigma": 1.0}), {}, TypeError),   # dict as positional
    (("cauchy", (0.0, 1.0)), {}, KeyError),                   # unknown distribution
    (("normal", (0.0, 1.0), np.random.RandomState(1)), {}, TypeError),  # not a pynnlike rng
])
def test_random_distribution_errors(args, kwargs, error):
    with pytest.raises(error):
        RandomDistribution(*args, **kwargs)


def test_random_distribution_in_lazyarray():
    rd = RandomDistribution("normal", (0.0, 1.0), rng=NumpyRNG(SEED))
    expected = reference().normal(0, 1, 12)
    np.testing.assert_array_equal(larray(rd, shape=(3, 4)).evaluate(), expected.reshape(3, 4))
    # partial evaluation draws only the requested elements (lazyarray calls next(n))
    rd2 = RandomDistribution("normal", (0.0, 1.0), rng=NumpyRNG(SEED))
    np.testing.assert_array_equal(larray(rd2, shape=(10,))[np.array([1, 5, 7])], expected[:3])


def test_lazyarray_copies_share_the_distribution():
    rd = RandomDistribution("uniform", (0.0, 1.0), rng=NumpyRNG(SEED))
    doubled = larray(rd, shape=(4,)) * 2  # lazyarray deep-copies on operations
    assert doubled.base_value is rd
    expected = reference().uniform(0, 1, 8)
    np.testing.assert_array_equal(doubled.evaluate(), 2 * expected[:4])
    np.testing.assert_array_equal(rd.next(4), expected[4:])
