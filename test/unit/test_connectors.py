"""Connectors against hand-written references (numpy RandomState streams, closed-form distances)."""
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from pynnlike import connectors
from pynnlike.connectors import (AllToAllConnector, ArrayConnector, ConnectionSet, Connector,
                                 FixedNumberConnector, FixedProbabilityConnector,
                                 FromListConnector, MapConnector, OneToOneConnector)
from pynnlike.core import IndexBasedExpression
from pynnlike.errors import ConnectionError, InvalidDimensionsError
from pynnlike.random import NumpyRNG, RandomDistribution
from pynnlike.space import Space


def cells(ids, positions=None, label='p'):
    ids = np.asarray(ids, dtype=np.int64)
    if positions is None:
        positions = np.vstack([ids, np.zeros(ids.size), np.zeros(ids.size)]).astype(float)
    return SimpleNamespace(size=ids.size, all_cells=ids, positions=positions, label=label)


def projection(pre, post, space=None, **synapse_values):
    values = synapse_values or {'weight': 0.5, 'delay': 1.0}
    return SimpleNamespace(pre=pre, post=post, space=space or Space(), synapse_values=values)


def reference_fixed_probability(seed, m, n, p, column_extra=None, excluded=None):
    """PyNN's order: column by column, M uniform draws each; `column_extra(rs, rows)` draws the
    synapse values that share the stream, right after the column."""
    rs = np.random.RandomState(seed)
    ii, jj, extra = [], [], []
    for j in range(n):
        rows = np.flatnonzero(rs.uniform(0, 1, m) < p)
        if excluded is not None:
            rows = rows[~excluded(rows, j)]
        ii.append(rows)
        jj.append(np.full(rows.size, j))
        if column_extra is not None:
            extra.append(column_extra(rs, rows))
    return np.concatenate(ii), np.concatenate(jj), extra, rs


def test_fixed_probability_matches_column_by_column_reference():
    c = FixedProbabilityConnector(0.3, rng=NumpyRNG(seed=42))
    cs = c.connect(projection(cells(range(7)), cells(range(100, 111))))
    i, j, _, rs = reference_fixed_probability(42, 7, 11, 0.3)
    np.testing.assert_array_equal(cs.i, i)
    np.testing.assert_array_equal(cs.j, j)
    assert cs.i.dtype == np.int64 and cs.j.dtype == np.int64
    assert cs.parameters['weight'].tolist() == [0.5] * i.size
    assert cs.parameters['delay'].tolist() == [1.0] * i.size
    # exactly M*N draws were consumed
    assert c.rng.next(1)[0] == rs.uniform(0, 1, 1)[0]


def test_default_rng_has_pynn_seed():
    cs = FixedProbabilityConnector(0.5).connect(projection(cells(range(5)), cells(range(5, 9))))
    i, j, _, _ = reference_fixed_probability(151985012, 5, 4, 0.5)
    np.testing.assert_array_equal(cs.i, i)
    np.testing.assert_array_equal(cs.j, j)


@pytest.mark.parametrize('block_size', [1, 7 * 3, 7 * 4 + 3])
def test_blocks_give_same_result_as_one_block(monkeypatch, block_size):
    def run():
        rng = NumpyRNG(seed=7)
        prj = projection(cells(range(7)), cells(range(50, 63)),
                         weight=RandomDistribution('normal', (0.0, 1.0), rng=NumpyRNG(3)),
                         delay=RandomDistribution('uniform', (1.0, 2.0), rng=rng))
        return FixedProbabilityConnector(0.4, rng=rng).connect(prj)
    whole = run()
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', block_size)
    blocked = run()
    np.testing.assert_array_equal(whole.i, blocked.i)
    np.testing.assert_array_equal(whole.j, blocked.j)
    for name in ('weight', 'delay'):
        np.testing.assert_array_equal(whole.parameters[name], blocked.parameters[name])


@pytest.mark.parametrize('block_size', [connectors.BLOCK_SIZE, 8])
def test_shared_rng_draws_weights_and_delays_after_each_column(monkeypatch, block_size):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', block_size)
    rng = NumpyRNG(seed=11)
    prj = projection(cells(range(6)), cells(range(6, 15)),
                     weight=RandomDistribution('normal', (0.5, 0.1), rng=rng),
                     delay=RandomDistribution('uniform', (1.0, 2.0), rng=rng))
    cs = FixedProbabilityConnector(0.5, rng=rng).connect(prj)

    def extra(rs, rows):
        return rs.normal(0.5, 0.1, rows.size), rs.uniform(1.0, 2.0, rows.size)
    i, j, values, _ = reference_fixed_probability(11, 6, 9, 0.5, extra)
    np.testing.assert_array_equal(cs.i, i)
    np.testing.assert_array_equal(cs.j, j)
    np.testing.assert_array_equal(cs.parameters['weight'], np.concatenate([v[0] for v in values]))
    np.testing.assert_array_equal(cs.parameters['delay'], np.concatenate([v[1] for v in values]))
    assert list(cs.parameters) == ['weight', 'delay']


def test_separate_rngs_draw_in_connection_order():
    prj = projection(cells(range(8)), cells(range(8, 18)),
                     weight=RandomDistribution('normal', (0.0, 1.0), rng=NumpyRNG(5)),
                     delay=RandomDistribution('uniform', (1.0, 3.0), rng=NumpyRNG(6)))
    cs = FixedProbabilityConnector(0.25, rng=NumpyRNG(4)).connect(prj)
    i, j, _, _ = reference_fixed_probability(4, 8, 10, 0.25)
    np.testing.assert_array_equal(cs.i, i)
    np.testing.assert_array_equal(cs.parameters['weight'],
                                  np.random.RandomState(5).normal(0.0, 1.0, i.size))
    np.testing.assert_array_equal(cs.parameters['delay'],
                                  np.random.RandomState(6).uniform(1.0, 3.0, i.size))


def test_parameters_sharing_one_rng_alternate_per_column():
    shared = NumpyRNG(9)
    prj = projection(cells(range(3)), cells(range(3, 7)),
                     weight=RandomDistribution('uniform', (0.0, 1.0), rng=shared),
                     delay=RandomDistribution('uniform', (1.0, 2.0), rng=shared))
    cs = AllToAllConnector().connect(prj)
    rs = np.random.RandomState(9)
    w, d = [], []
    for _ in range(4):
        w.append(rs.uniform(0.0, 1.0, 3))
        d.append(rs.uniform(1.0, 2.0, 3))
    np.testing.assert_array_equal(cs.parameters['weight'], np.concatenate(w))
    np.testing.assert_array_equal(cs.parameters['delay'], np.concatenate(d))


def test_self_connections_excluded_but_draws_consumed():
    pop = cells(range(6))
    cs = FixedProbabilityConnector(0.6, allow_self_connections=False,
                                   rng=NumpyRNG(13)).connect(projection(pop, pop))
    i, j, _, _ = reference_fixed_probability(13, 6, 6, 0.6,
                                             excluded=lambda rows, j: rows == j)
    np.testing.assert_array_equal(cs.i, i)
    np.testing.assert_array_equal(cs.j, j)
    assert not np.any(cs.i == cs.j)


def test_self_connections_by_identity_for_overlapping_views():
    pre = cells(range(0, 10))       # a view of cells 0..9 of some parent
    post = cells(range(5, 15))      # cells 5..14: cells 5..9 are shared
    cs = AllToAllConnector(allow_self_connections=False).connect(projection(pre, post))
    assert len(cs) == 10 * 10 - 5
    pairs = set(zip(cs.i.tolist(), cs.j.tolist()))
    assert all((j + 5, j) not in pairs for j in range(5))
    assert (0, 0) in pairs and (9, 9) in pairs


def test_no_mutual_all_to_all():
    pop = cells(range(4))
    cs = AllToAllConnector(allow_self_connections='NoMutual').connect(projection(pop, pop))
    assert list(zip(cs.i.tolist(), cs.j.tolist())) == [(1, 0), (2, 0), (3, 0), (2, 1), (3, 1),
                                                       (3, 2)]
    # another object holding the same cells counts as the same population
    same = AllToAllConnector(allow_self_connections='NoMutual').connect(
        projection(pop, cells(range(4))))
    np.testing.assert_array_equal(same.i, cs.i)
    with pytest.raises(ConnectionError):
        AllToAllConnector(allow_self_connections='NoMutual').connect(
            projection(pop, cells(range(4, 8))))


def test_all_to_all_order_and_size():
    cs = AllToAllConnector().connect(projection(cells(range(3)), cells(range(3, 5))))
    assert cs.i.tolist() == [0, 1, 2, 0, 1, 2]
    assert cs.j.tolist() == [0, 0, 0, 1, 1, 1]
    assert len(cs) == 6


def test_distance_callable_and_string_parameters(monkeypatch):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 4)
    pre = cells(range(3), positions=np.array([[0.0, 1.0, 2.0], [0.0, 0.0, 0.0], [0, 0, 0]]))
    post = cells(range(3, 5), positions=np.array([[0.0, 3.0], [4.0, 4.0], [0.0, 0.0]]))
    prj = projection(pre, post, weight=lambda d: 2 * d, delay='0.1 + d/10 + (d > 4.5)')
    cs = AllToAllConnector().connect(prj)
    d = np.hypot(pre.positions[0][cs.i] - post.positions[0][cs.j], 4.0)
    np.testing.assert_allclose(cs.parameters['weight'], 2 * d)
    np.testing.assert_allclose(cs.parameters['delay'], 0.1 + d / 10 + (d > 4.5))
    assert cs.parameters['weight'][:3].tolist() == pytest.approx([8.0, 2 * np.sqrt(17),
                                                                  2 * np.sqrt(20)])


def test_space_scale_factor_is_used():
    pre = cells(range(2), positions=np.array([[0.0, 1.0], [0, 0], [0, 0]]))
    post = cells(range(2, 3), positions=np.array([[5.0], [0], [0]]))
    cs = AllToAllConnector().connect(projection(pre, post, space=Space(scale_factor=2.0),
                                                weight=lambda d: d))
    assert cs.parameters['weight'].tolist() == pytest.approx([10.0, 9.0])


class SumOfIndices(IndexBasedExpression):
    def __call__(self, i, j):
        return i * 10 + j + self.projection.post.size


def test_index_based_and_array_parameters():
    expression = SumOfIndices()
    array = np.arange(12.0).reshape(3, 4)
    cs = AllToAllConnector().connect(projection(cells(range(3)), cells(range(3, 7)),
                                                weight=expression, delay=array))
    np.testing.assert_array_equal(cs.parameters['weight'], cs.i * 10 + cs.j + 4)
    np.testing.assert_array_equal(cs.parameters['delay'], array[cs.i, cs.j])
    assert expression.projection is None
    with pytest.raises(InvalidDimensionsError):
        AllToAllConnector().connect(projection(cells(range(3)), cells(range(3, 7)),
                                               weight=array.T))


def test_index_based_expression_is_abstract():
    with pytest.raises(TypeError):
        IndexBasedExpression()


def test_one_to_one():
    rng = NumpyRNG(21)
    cs = OneToOneConnector().connect(projection(
        cells(range(5)), cells(range(5, 10)),
        weight=RandomDistribution('uniform', (0, 1), rng=rng), delay=0.2))
    assert cs.i.tolist() == cs.j.tolist() == list(range(5))
    np.testing.assert_array_equal(cs.parameters['weight'],
                                  np.random.RandomState(21).uniform(0, 1, 5))
    with pytest.raises(ConnectionError):
        OneToOneConnector().connect(projection(cells(range(5)), cells(range(5, 9))))


def test_one_to_one_distance_weights_in_small_blocks(monkeypatch):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 9)
    pre = cells(range(10))
    post = cells(range(10, 20), positions=np.vstack([np.arange(10.0), np.full(10, 3.0),
                                                     np.zeros(10)]))
    cs = OneToOneConnector().connect(projection(pre, post, weight=lambda d: d, delay=1.0))
    np.testing.assert_allclose(cs.parameters['weight'], np.full(10, 3.0))


def test_from_list_sorts_stably_and_overrides():
    rows = [(2, 1, 0.1, 1.5), (0, 1, 0.2, 2.5), (1, 0, 0.3, 3.5), (0, 1, 0.4, 4.5)]
    cs = FromListConnector(rows).connect(projection(cells(range(3)), cells(range(3, 5)),
                                                    weight=0.0, delay=1.0, U=0.7))
    assert list(zip(cs.i.tolist(), cs.j.tolist())) == [(1, 0), (0, 1), (0, 1), (2, 1)]
    assert cs.parameters['weight'].tolist() == [0.3, 0.2, 0.4, 0.1]
    assert cs.parameters['delay'].tolist() == [3.5, 2.5, 4.5, 1.5]
    assert cs.parameters['U'].tolist() == [0.7] * 4
    assert list(cs.parameters) == ['weight', 'delay', 'U']


def test_from_list_named_column_and_random_rest():
    rng = NumpyRNG(2)
    rows = np.array([[1, 1, 0.5], [0, 0, 0.25], [2, 0, 0.75]])
    cs = FromListConnector(rows, column_names=['weight']).connect(projection(
        cells(range(3)), cells(range(3, 5)), weight=0.0,
        delay=RandomDistribution('uniform', (1.0, 2.0), rng=rng)))
    assert cs.parameters['weight'].tolist() == [0.25, 0.75, 0.5]
    np.testing.assert_array_equal(cs.parameters['delay'],
                                  np.random.RandomState(2).uniform(1.0, 2.0, 3))


def test_from_list_errors_and_empty():
    prj = projection(cells(range(3)), cells(range(3, 5)))
    with pytest.raises(TypeError):
        FromListConnector([(0, 1, 0.5)])
    with pytest.raises(ValueError):
        FromListConnector([(0, 1, 0.5)], column_names=['weight', 'delay'])
    with pytest.raises(ValueError):
        FromListConnector([(0, 1, 0.5)], column_names=['tau']).connect(prj)
    with pytest.raises(ConnectionError):
        FromListConnector([(3, 1)]).connect(prj)
    with pytest.raises(ConnectionError):
        FromListConnector([(0, -1)]).connect(prj)
    empty = FromListConnector([]).connect(prj)
    assert len(empty) == 0 and empty.parameters['weight'].size == 0


def test_array_connector():
    array = np.array([[True, False], [False, False], [True, True]])
    cs = ArrayConnector(array).connect(projection(cells(range(3)), cells(range(3, 5))))
    assert list(zip(cs.i.tolist(), cs.j.tolist())) == [(0, 0), (2, 0), (2, 1)]
    with pytest.raises(InvalidDimensionsError):
        ArrayConnector(array.T).connect(projection(cells(range(3)), cells(range(3, 5))))


def test_constructor_checks():
    with pytest.raises(TypeError):
        FixedProbabilityConnector(0.1, rng=np.random.RandomState(1))
    with pytest.raises(TypeError):
        FixedProbabilityConnector('0.1')
    with pytest.raises(ValueError):
        FixedProbabilityConnector(-0.1)
    with pytest.raises(ValueError):
        AllToAllConnector(allow_self_connections='sometimes')
    with pytest.raises(ValueError):
        FixedNumberConnector(-1)
    with pytest.raises(TypeError):
        FixedNumberConnector(2.5)
    with pytest.raises(ValueError):
        FixedNumberConnector(RandomDistribution('normal', (0.0, 1.0), rng=NumpyRNG(1)))
    with pytest.warns(UserWarning):
        c = FixedNumberConnector(3, allow_self_connections='NoMutual')
    assert c.allow_self_connections is False
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert FixedNumberConnector(RandomDistribution('uniform_int', (1, 5))).n.name == \
            'uniform_int'


def test_parameters_describe_repr():
    rng = NumpyRNG(seed=3)
    c = FixedProbabilityConnector(0.25, allow_self_connections=False, rng=rng)
    assert c.get_parameters() == {'p_connect': 0.25, 'allow_self_connections': False, 'rng': rng}
    context = c.describe(template=None)
    assert context['name'] == 'FixedProbabilityConnector'
    assert context['parameters']['p_connect'] == 0.25
    text = c.describe()
    assert 'FixedProbabilityConnector' in text and 'p_connect: 0.25' in text
    assert repr(c).startswith('FixedProbabilityConnector(p_connect=0.25, ')
    assert OneToOneConnector().get_parameters() == {}
    assert isinstance(OneToOneConnector(), Connector)
    assert isinstance(ArrayConnector([[True]]), MapConnector)


def test_callback_reports_progress(monkeypatch):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 4 * 3)
    seen = []
    AllToAllConnector(callback=seen.append).connect(projection(cells(range(4)),
                                                               cells(range(4, 14))))
    assert seen == pytest.approx([0.3, 0.6, 0.9, 1.0])


def test_connection_set():
    cs = ConnectionSet([0, 1], [2, 2], {'weight': [1, 2]})
    assert len(cs) == 2 and cs.i.dtype == np.int64
    assert cs.parameters['weight'].dtype == np.float64


def test_from_list_distance_values_across_blocks(monkeypatch):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 4)  # blocks of about 2 connections
    rows = [(3, 5), (0, 0), (1, 0), (1, 0), (2, 2), (0, 5), (3, 4), (2, 0)]
    seen = []
    c = FromListConnector(rows, callback=seen.append)
    cs = c.connect(projection(cells(range(4)), cells(range(10, 16)), weight=lambda d: d,
                              delay=1.0))
    assert list(zip(cs.i.tolist(), cs.j.tolist())) == [(0, 0), (1, 0), (1, 0), (2, 0), (2, 2),
                                                       (3, 4), (0, 5), (3, 5)]
    np.testing.assert_allclose(cs.parameters['weight'], (10 + cs.j) - cs.i)  # x = cell ID
    assert len(seen) > 1 and seen[-1] == 1.0


def test_empty_sides():
    c = FixedProbabilityConnector(0.5, rng=NumpyRNG(1))
    assert len(c.connect(projection(cells([]), cells(range(3))))) == 0
    cs = AllToAllConnector().connect(projection(cells(range(3)), cells([])))
    assert len(cs) == 0 and cs.parameters['weight'].size == 0
