"""Probability map connectors (distance, index, displacement) and the counter-based PhiloxRNG."""
from types import SimpleNamespace

import numpy as np
import pytest

from pynnlike import connectors
from pynnlike.connectors import (DisplacementDependentProbabilityConnector,
                                 DistanceDependentProbabilityConnector,
                                 FixedNumberPreConnector, FixedProbabilityConnector,
                                 IndexBasedProbabilityConnector)
from pynnlike.core import IndexBasedExpression
from pynnlike.errors import ConnectionError
from pynnlike.random import NumpyRNG, PhiloxRNG
from pynnlike.space import Space


def line(n, start=0, spacing=1.0, label='p'):
    ids = np.arange(start, start + n, dtype=np.int64)
    positions = np.vstack([np.arange(n) * spacing, np.zeros(n), np.zeros(n)])
    return SimpleNamespace(size=n, all_cells=ids, positions=positions, label=label)


def projection(pre, post, space=None, **synapse_values):
    values = synapse_values or {'weight': 0.5, 'delay': 1.0}
    return SimpleNamespace(pre=pre, post=post, space=space or Space(), synapse_values=values)


def map_reference(seed, p):
    """Column by column, one uniform per pre cell: U[i, j] < p[i, j]."""
    rs = np.random.RandomState(seed)
    u = np.stack([rs.uniform(0, 1, p.shape[0]) for _ in range(p.shape[1])], axis=1)
    return np.argwhere((u < p).T)[:, ::-1]  # (i, j) rows in post-major order


def pairs(cs):
    return np.column_stack([cs.i, cs.j])


@pytest.mark.parametrize('expression', ['exp(-d / 3.0)', lambda d: np.exp(-d / 3.0)])
def test_distance_dependent_matches_reference(monkeypatch, expression):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 16)
    pre, post = line(8), line(6, start=10, spacing=2.0)
    c = DistanceDependentProbabilityConnector(expression, rng=NumpyRNG(seed=12))
    cs = c.connect(projection(pre, post))
    d = np.abs(np.arange(8)[:, None] - 2.0 * np.arange(6)[None, :])
    np.testing.assert_array_equal(pairs(cs), map_reference(12, np.exp(-d / 3.0)))


def test_distance_dependent_boolean_expression_is_a_hard_cutoff():
    pre = line(40)
    cs = DistanceDependentProbabilityConnector('d < 3', allow_self_connections=False).connect(
        projection(pre, pre))
    expected = [(i, j) for j in range(40) for i in range(40) if 0 < abs(i - j) < 3]
    assert list(zip(cs.i.tolist(), cs.j.tolist())) == expected


def test_distance_profile():
    """Connection frequency per distance follows p(d) = 0.8 exp(-d / 5) within binomial bounds."""
    pre = line(400)
    cs = DistanceDependentProbabilityConnector('0.8 * exp(-d / 5.0)', rng=NumpyRNG(seed=1)
                                               ).connect(projection(pre, pre))
    d = np.abs(cs.i - cs.j)
    for distance in (0, 2, 5, 10):
        trials = 400 if distance == 0 else 2 * (400 - distance)
        p = 0.8 * np.exp(-distance / 5.0)
        made = np.count_nonzero(d == distance)
        assert abs(made - trials * p) < 5 * np.sqrt(trials * p * (1 - p)) + 1


def test_distance_dependent_checks():
    with pytest.raises(ValueError):
        DistanceDependentProbabilityConnector('d - 1')  # negative at d = 0
    with pytest.raises(ValueError):
        DistanceDependentProbabilityConnector('1 - d')  # negative far away
    with pytest.raises(ValueError):
        DistanceDependentProbabilityConnector('exp(-q)')
    with pytest.raises(TypeError):
        DistanceDependentProbabilityConnector(3.0)


class Band(IndexBasedExpression):
    def __call__(self, i, j):
        assert self.projection is not None
        return np.where(np.abs(i - j) <= 1, 0.9, 0.05)


def test_index_based_matches_reference(monkeypatch):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 10)
    expression = Band()
    c = IndexBasedProbabilityConnector(expression, allow_self_connections=False,
                                       rng=NumpyRNG(seed=3))
    pre = line(9)
    cs = c.connect(projection(pre, pre))
    idx = np.arange(9)
    p = np.where(np.abs(idx[:, None] - idx[None, :]) <= 1, 0.9, 0.05)
    ref = map_reference(3, p)
    np.testing.assert_array_equal(pairs(cs), ref[ref[:, 0] != ref[:, 1]])
    assert expression.projection is None  # the user's object is untouched
    with pytest.raises(TypeError):
        IndexBasedProbabilityConnector(lambda i, j: 0.5)


def test_displacement_dependent_uses_raw_signed_displacements():
    seen = []

    def only_forward(D):
        seen.append(D.shape)
        return (D[0] > 0) & (D[0] <= 2)

    pre, post = line(5), line(5, start=20)
    cs = DisplacementDependentProbabilityConnector(
        only_forward, rng=NumpyRNG(seed=1)).connect(projection(pre, post, Space(scale_factor=9)))
    assert list(zip(cs.i.tolist(), cs.j.tolist())) == [
        (i, j) for j in range(5) for i in range(5) if 0 < j - i <= 2]
    assert seen == [(3, 25)]


def test_fixed_probability_binomial_bounds():
    pre = line(300)
    cs = FixedProbabilityConnector(0.1, allow_self_connections=False,
                                   rng=NumpyRNG(seed=99)).connect(projection(pre, pre))
    trials, p = 300 * 299, 0.1
    assert abs(len(cs) - trials * p) < 5 * np.sqrt(trials * p * (1 - p))
    assert not np.any(cs.i == cs.j)


def test_no_mutual_for_distance_dependent_needs_same_cells():
    with pytest.raises(ConnectionError):
        DistanceDependentProbabilityConnector('d < 2', allow_self_connections='NoMutual'
                                              ).connect(projection(line(3), line(3, start=3)))
    pre = line(5)
    cs = DistanceDependentProbabilityConnector('d < 2', allow_self_connections='NoMutual'
                                               ).connect(projection(pre, pre))
    assert list(zip(cs.i.tolist(), cs.j.tolist())) == [(1, 0), (2, 1), (3, 2), (4, 3)]


# -- PhiloxRNG: columns keyed by (seed, projection, post index) ------------------------------

def test_philox_columns_do_not_depend_on_blocks(monkeypatch):
    def run():
        return FixedProbabilityConnector(0.3, rng=PhiloxRNG(seed=5)).connect(
            projection(line(7), line(13, start=7)))
    whole = run()
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 7 * 2)
    blocked = run()
    np.testing.assert_array_equal(pairs(whole), pairs(blocked))
    # column j alone, as one process owning only that column would draw it
    rng = PhiloxRNG(seed=5)
    stream = rng.new_stream()
    for j in (0, 6, 12):
        rows = np.flatnonzero(rng.column_uniforms(stream, j, j + 1, 7)[0] < 0.3)
        assert whole.i[whole.j == j].tolist() == rows.tolist()


def test_philox_streams_differ_per_projection_and_fixed_number_columns_are_keyed():
    rng = PhiloxRNG(seed=8)
    c = FixedProbabilityConnector(0.5, rng=rng)
    first = c.connect(projection(line(20), line(20)))
    second = c.connect(projection(line(20), line(20)))
    assert not np.array_equal(pairs(first), pairs(second))
    again = FixedProbabilityConnector(0.5, rng=PhiloxRNG(seed=8)).connect(
        projection(line(20), line(20)))
    np.testing.assert_array_equal(pairs(first), pairs(again))

    cs = FixedNumberPreConnector(3, allow_self_connections=False, rng=PhiloxRNG(seed=2)
                                 ).connect(projection(line(6), line(6)))
    reference = PhiloxRNG(seed=2)
    stream = reference.new_stream()
    column = np.sort(reference.column_generator(stream, 4).permutation([0, 1, 2, 3, 5])[:3])
    assert cs.i[cs.j == 4].tolist() == column.tolist()
    assert np.bincount(cs.j).tolist() == [3] * 6 and not np.any(cs.i == cs.j)


def test_philox_next_and_distributions():
    a, b = PhiloxRNG(seed=1), PhiloxRNG(seed=1)
    np.testing.assert_array_equal(a.next(5, 'uniform_int', (0, 10)),
                                  b.next(5, 'uniform_int', (0, 10)))
    values = a.next(2000, 'normal', (1.0, 2.0))
    assert abs(values.mean() - 1.0) < 0.2 and abs(values.std() - 2.0) < 0.2
    with pytest.raises(TypeError):
        PhiloxRNG(seed=1.5)
