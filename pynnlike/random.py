"""Random number generators and distributions.

Random values are drawn in the core, from the user's generator, so that one seed gives the same
network on every backend and for every number of MPI processes. `NumpyRNG` wraps numpy's legacy
`RandomState` (MT19937): the same seed gives the same stream as PyNN.
"""
import os
import sys

import numpy as np
from lazyarray import VectorizedIterable

from pynnlike.errors import InvalidDimensionsError

__all__ = ["NumpyRNG", "PhiloxRNG", "GSLRNG", "NativeRNG", "RandomDistribution", "AbstractRNG",
           "WrappedRNG", "available_distributions", "get_mpi_config"]

#: distribution name -> parameter names, in the order positional parameters are given
available_distributions = {
    "binomial": ("n", "p"),
    "gamma": ("k", "theta"),
    "exponential": ("beta",),
    "lognormal": ("mu", "sigma"),
    "normal": ("mu", "sigma"),
    "normal_clipped": ("mu", "sigma", "low", "high"),
    "normal_clipped_to_boundary": ("mu", "sigma", "low", "high"),
    "poisson": ("lambda_",),
    "uniform": ("low", "high"),
    "uniform_int": ("low", "high"),
    "vonmises": ("mu", "kappa"),
}

MAX_REDRAWS = 1000  # redraw rounds allowed for normal_clipped

# environment variables set by the common MPI launchers (Open MPI, MPICH/Hydra, PMIx)
_MPI_LAUNCH_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS")


def get_mpi_config():
    """(rank, number of processes) of this process.

    mpi4py is consulted only if it is already imported or the process was started by an MPI
    launcher, so a plain serial run never pays for (or requires) MPI initialisation.
    """
    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is None and any(name in os.environ for name in _MPI_LAUNCH_VARIABLES):
        try:
            from mpi4py import MPI as mpi
        except ImportError:
            mpi = None
    if mpi is None or not mpi.Is_initialized() or mpi.Is_finalized():
        return 0, 1
    return mpi.COMM_WORLD.Get_rank(), mpi.COMM_WORLD.Get_size()


def check_parameters(distribution, parameters):
    """Parameters as a dict name -> value for `distribution`; a tuple/list is positional.

    All parameters are required: unknown or missing names raise KeyError, a wrong number of
    positional values ValueError.
    """
    try:
        expected = available_distributions[distribution]
    except KeyError:
        raise KeyError(f"unknown distribution {distribution!r}; available distributions are: "
                       f"{', '.join(sorted(available_distributions))}") from None
    if isinstance(parameters, dict):
        if set(parameters) != set(expected):
            raise KeyError(f"distribution {distribution!r} takes parameters {expected}, "
                           f"got {tuple(parameters)}")
        return dict(parameters)
    if parameters is None:
        raise KeyError(f"distribution {distribution!r} needs parameters {expected}")
    if len(parameters) != len(expected):
        raise ValueError(f"distribution {distribution!r} takes {len(expected)} parameters "
                         f"{expected}, got {len(parameters)}: {tuple(parameters)}")
    return dict(zip(expected, parameters))


def clip_by_redrawing(draw, n, low, high):
    """n values of `draw(k)`; those outside [low, high] are redrawn, in index order, for at most
    MAX_REDRAWS rounds (RuntimeError after that)."""
    values = draw(n)
    outside = np.flatnonzero((values < low) | (values > high))
    for _ in range(MAX_REDRAWS):
        if outside.size == 0:
            return values
        redrawn = draw(outside.size)
        values[outside] = redrawn
        outside = outside[(redrawn < low) | (redrawn > high)]
    if outside.size:
        raise RuntimeError(f"normal_clipped(low={low}, high={high}): {outside.size} values still "
                           f"outside the bounds after {MAX_REDRAWS} redraws; check the parameters")
    return values


def numpy_draw(rng, distribution, n, p):
    """n values of `distribution` from a numpy RandomState or Generator."""
    if distribution == "binomial":
        return rng.binomial(p["n"], p["p"], size=n)
    if distribution == "gamma":
        return rng.gamma(shape=p["k"], scale=p["theta"], size=n)
    if distribution == "exponential":
        return rng.exponential(scale=p["beta"], size=n)
    if distribution == "lognormal":
        return rng.lognormal(mean=p["mu"], sigma=p["sigma"], size=n)
    if distribution == "normal":
        return rng.normal(loc=p["mu"], scale=p["sigma"], size=n)
    if distribution == "normal_clipped":
        return clip_by_redrawing(lambda k: rng.normal(loc=p["mu"], scale=p["sigma"], size=k),
                                 n, p["low"], p["high"])
    if distribution == "normal_clipped_to_boundary":
        return np.clip(rng.normal(loc=p["mu"], scale=p["sigma"], size=n), p["low"], p["high"])
    if distribution == "poisson":
        return rng.poisson(lam=p["lambda_"], size=n)
    if distribution == "uniform":
        return rng.uniform(low=p["low"], high=p["high"], size=n)
    if distribution == "uniform_int":
        integers = rng.integers if isinstance(rng, np.random.Generator) else rng.randint
        return integers(p["low"], p["high"], size=n)
    return rng.vonmises(mu=p["mu"], kappa=p["kappa"], size=n)  # vonmises


class AbstractRNG:
    """Base of every generator: seed checking and the `next` interface (aliases random/sample)."""

    parallel_safe = True

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise TypeError(f"seed must be an int, not {type(seed).__name__}")
        self.seed = None if seed is None else int(seed)

    def __repr__(self):
        return f"{type(self).__name__}(seed={self.seed!r})"

    def next(self, n=None, distribution=None, parameters=None, mask=None):
        """n values of `distribution` (uniform [0, 1) if None); see WrappedRNG.next."""
        raise NotImplementedError

    def random(self, n=None, distribution=None, parameters=None, mask=None):
        return self.next(n, distribution, parameters, mask)

    sample = random


class WrappedRNG(AbstractRNG):
    """A generator object wrapped with the common interface; subclasses provide `_draw`."""

    def __init__(self, seed=None, parallel_safe=True):
        super().__init__(seed)
        self.parallel_safe = parallel_safe
        self.mpi_rank, self.num_processes = get_mpi_config()
        if self.seed is not None and not parallel_safe:
            self.seed += self.mpi_rank  # each rank needs its own stream

    def __repr__(self):
        return f"{type(self).__name__}(seed={self.seed!r}, parallel_safe={self.parallel_safe!r})"

    def next(self, n=None, distribution=None, parameters=None, mask=None):
        """Draw from `distribution` with `parameters` (dict or positional tuple).

        n None -> one scalar; n = 0 -> empty array; n < 0 -> ValueError. `mask` (boolean array
        of length n, or an index array) selects the values kept: a parallel-safe generator draws
        all n values and returns the selected ones (the same values whatever the number of
        processes); otherwise only as many values as the mask selects are drawn.
        """
        if distribution is None:
            distribution, parameters = "uniform", {"low": 0.0, "high": 1.0}
        parameters = check_parameters(distribution, parameters)
        if n is None:
            if mask is not None:
                raise ValueError("a mask needs a number of values n")
            return self._draw(distribution, 1, parameters)[0]
        n = int(n)
        if n < 0:
            raise ValueError(f"the number of values must be >= 0, not {n}")
        if mask is None:
            return self._draw(distribution, n, parameters)
        mask = np.asarray(mask)
        if mask.dtype == bool and mask.shape != (n,):
            raise InvalidDimensionsError(f"mask has shape {mask.shape}, expected ({n},)")
        if self.parallel_safe:
            return self._draw(distribution, n, parameters)[mask]
        count = int(mask.sum()) if mask.dtype == bool else mask.size
        return self._draw(distribution, count, parameters)

    def _draw(self, distribution, n, parameters):
        """n >= 0 values as an array."""
        raise NotImplementedError

    def describe(self):
        return (f"{type(self).__name__} with seed {self.seed} on MPI rank {self.mpi_rank} of "
                f"{self.num_processes}, {'' if self.parallel_safe else 'not '}parallel safe")


class NumpyRNG(WrappedRNG):
    """numpy.random.RandomState (Mersenne Twister); other attributes (permutation, uniform, ...)
    are those of the RandomState."""

    def __init__(self, seed=None, parallel_safe=True):
        super().__init__(seed, parallel_safe)
        self.rng = np.random.RandomState(self.seed)

    def __getattr__(self, name):
        if name.startswith("__") or name == "rng":  # not yet initialised (copy, pickle)
            raise AttributeError(name)
        return getattr(self.rng, name)

    def _draw(self, distribution, n, p):
        return numpy_draw(self.rng, distribution, n, p)


class PhiloxRNG(WrappedRNG):
    """Counter-based generator (numpy's Philox4x64): any value can be computed from its key and
    position, without drawing the values before it.

    Connectors give each projection a stream (`new_stream()`, numbered in construction order,
    which is the same on every MPI process) and draw the values of post column j from a
    position fixed by (seed, stream, j). Under MPI, the probabilistic map connectors and
    FixedNumberPreConnector therefore draw only the columns of the process's own cells, and the
    projection keeps only those connections; they are the connections every process count
    gives.

    Trade-off against NumpyRNG: NumpyRNG reproduces PyNN's streams, but a column's draws start
    where the previous column's ended, so every process must draw the whole stream and keep
    every connection (time and memory O(all connections) on each process). PhiloxRNG's
    connections are not PyNN's, and synapse values drawn through `next()` (or from any other
    RandomDistribution) still come from one sequential stream (key (seed, 0)): each process
    draws them for all connections and keeps its own.
    """

    def __init__(self, seed=None, parallel_safe=True):
        super().__init__(seed, parallel_safe)
        if self.seed is None:
            self.seed = int.from_bytes(os.urandom(8), "little")
        self.rng = np.random.Generator(np.random.Philox(key=self._key(0)))
        self._streams = 0

    def _key(self, stream):
        return np.array([self.seed % 2 ** 64, stream], dtype=np.uint64)

    def new_stream(self):
        """A stream number (1, 2, ...) for the next projection."""
        self._streams += 1
        return self._streams

    def column_uniforms(self, stream, j0, j1, m):
        """(j1 - j0, m) uniform [0, 1) values; row c depends only on (seed, stream, j0 + c)."""
        blocks = -(-m // 4)  # Philox gives 4 values per counter step; columns start on a step
        bitgen = np.random.Philox(key=self._key(stream))
        bitgen.advance(j0 * blocks)
        values = np.random.Generator(bitgen).random((j1 - j0) * blocks * 4)
        return values.reshape(j1 - j0, blocks * 4)[:, :m]

    def column_generator(self, stream, j):
        """A numpy Generator for column j of `stream` (counter high word j: 2**64 steps each)."""
        counter = np.array([0, j, 0, 0], dtype=np.uint64)
        return np.random.Generator(np.random.Philox(key=self._key(stream), counter=counter))

    def _draw(self, distribution, n, p):
        return numpy_draw(self.rng, distribution, n, p)

    def permutation(self, x):
        return self.rng.permutation(x)


class GSLRNG(WrappedRNG):
    """GNU Scientific Library generators through pygsl (not installed with pynnlike)."""

    # distribution -> (pygsl.rng method, our parameters in the order GSL takes them)
    _translations = {
        "binomial": ("binomial", ("p", "n")),
        "gamma": ("gamma", ("k", "theta")),
        "exponential": ("exponential", ("beta",)),
        "lognormal": ("lognormal", ("mu", "sigma")),
        "poisson": ("poisson", ("lambda_",)),
    }

    def __init__(self, seed=None, type="mt19937", parallel_safe=True):  # noqa: A002 - PyNN's name
        try:
            import pygsl.rng
        except ImportError as err:
            raise ImportError("GSLRNG needs the pygsl package, which cannot be imported") from err
        super().__init__(seed, parallel_safe)
        self.rng = getattr(pygsl.rng, type)()
        if self.seed is None:
            self.seed = int.from_bytes(os.urandom(4), "little")
        self.rng.set(self.seed)

    def __getattr__(self, name):
        if name.startswith("__") or name == "rng":
            raise AttributeError(name)
        return getattr(self.rng, name)

    def _draw(self, distribution, n, p):
        rng = self.rng
        if distribution in ("normal", "normal_clipped", "normal_clipped_to_boundary"):
            def normal(k):
                return p["mu"] + np.atleast_1d(rng.gaussian(p["sigma"], k))
            if distribution == "normal_clipped":
                return clip_by_redrawing(normal, n, p["low"], p["high"])
            if distribution == "normal_clipped_to_boundary":
                return np.clip(normal(n), p["low"], p["high"])
            return normal(n)
        if distribution == "uniform":
            return np.atleast_1d(rng.flat(p["low"], p["high"], n))
        if distribution == "uniform_int":
            return p["low"] + np.atleast_1d(rng.uniform_int(p["high"] - p["low"], n))
        if distribution not in self._translations:
            raise NotImplementedError(f"GSLRNG does not provide the {distribution!r} distribution")
        method, names = self._translations[distribution]
        return np.atleast_1d(getattr(rng, method)(*(p[k] for k in names), n))


class NativeRNG(AbstractRNG):
    """Asks the backend to draw inside the simulator (values differ between backends).

    The backend reads `seed` (None: the one given to setup(rng_seed=...)). Given to
    FixedProbability-, FixedNumberPre-, FixedNumberPost- or FixedTotalNumberConnector between
    two whole Populations, it lets NEST (pairwise_bernoulli, fixed_indegree, ...) or Brian2
    (connect with sample()) choose the connections, when every synapse value is a plain
    number (other values are drawn and checked in the core before anything is built, and the
    connections with them). The core reads the connections from the simulator only when it
    needs them (get, save, set with varying values): ~6 µs per connection on NEST (see
    benchmarks/connectors_vs_native.py). Where values are needed in the core instead (a
    backend or rule without a native version), `next` draws from a numpy RandomState seeded
    with `seed`, so a NativeRNG always works.
    """

    def __init__(self, seed=None):
        super().__init__(seed)
        self._fallback = None

    def __str__(self):
        return f"NativeRNG(seed={self.seed})"

    def next(self, n=None, distribution=None, parameters=None, mask=None):
        if self._fallback is None:
            self._fallback = NumpyRNG(self.seed)
        return self._fallback.next(n, distribution, parameters, mask)


class RandomDistribution(VectorizedIterable):
    """A named distribution with fixed parameters and a generator: `next(n)` draws n values.

    Parameters are given as a tuple in the order of `available_distributions[name]`, or by
    name, never both. Being a lazyarray `VectorizedIterable`, it can be the value of a lazy array
    (lazyarray calls `next(n)`); copies of such arrays share the distribution and its generator.
    """

    def __init__(self, distribution, parameters_pos=None, rng=None, **parameters_named):
        if parameters_pos is not None and parameters_named:
            raise ValueError("give the parameters of a RandomDistribution either as a tuple or "
                             "by name, not both")
        if isinstance(parameters_pos, dict):
            raise TypeError("positional distribution parameters must be a tuple; give a dict as "
                            "keyword arguments (**parameters)")
        self.name = distribution
        given = parameters_named if parameters_pos is None else tuple(parameters_pos)
        self.parameters = check_parameters(distribution, given)
        if rng is None:
            rng = NumpyRNG()
        elif not isinstance(rng, AbstractRNG):
            raise TypeError(f"rng must be a pynnlike.random generator, not {type(rng).__name__}")
        self.rng = rng

    def next(self, n=None, mask=None):
        """n values (a scalar if n is None); `mask` as for the generator's `next`."""
        return self.rng.next(n, self.name, self.parameters, mask)

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        return f"RandomDistribution({self.name!r}, {params}, rng={self.rng!r})"

    __str__ = __repr__
