"""Connector.native_rule: which connectors a simulator may build by its own rule, and with what
parameters (Driver.connect_rule); Connector.values_for; and the text files FromFile reads."""
from types import SimpleNamespace

import numpy as np
import pytest

from pynnlike.connectors import (AllToAllConnector, DistanceDependentProbabilityConnector,
                                 FixedNumberPostConnector, FixedNumberPreConnector,
                                 FixedProbabilityConnector, FixedTotalNumberConnector,
                                 FromFileConnector, FromListConnector, OneToOneConnector)
from pynnlike.random import NativeRNG, NumpyRNG, RandomDistribution
from pynnlike.recording.files import StandardTextFile
from pynnlike.space import Space


def cells(n, first=0):
    ids = np.arange(first, first + n, dtype=np.int64)
    return SimpleNamespace(size=n, all_cells=ids, positions=np.zeros((3, n)), label='p')


def projection(pre, post, **synapse_values):
    values = synapse_values or {'weight': 0.5, 'delay': 1.0}
    return SimpleNamespace(pre=pre, post=post, space=Space(), synapse_values=values)


A, B = cells(10), cells(8, first=10)


def test_random_connectors_offer_rules_only_with_a_native_rng():
    rng = NativeRNG(seed=4)
    assert FixedProbabilityConnector(0.3, False, rng=rng).native_rule(projection(A, A)) == (
        'fixed_probability', {'p': 0.3, 'allow_self_connections': False}, 4)
    # other cells: nothing to exclude; p above 1 acts as 1
    assert FixedProbabilityConnector(1.5, False, rng=rng).native_rule(projection(A, B)) == (
        'fixed_probability', {'p': 1.0, 'allow_self_connections': True}, 4)
    assert FixedNumberPreConnector(3, rng=NativeRNG()).native_rule(projection(A, B)) == (
        'fixed_number_pre', {'n': 3, 'allow_self_connections': True,
                             'with_replacement': False}, None)
    assert FixedNumberPostConnector(2, False, True, rng=rng).native_rule(
        projection(A, A))[:2] == ('fixed_number_post', {'n': 2, 'allow_self_connections': False,
                                                        'with_replacement': True})
    assert FixedTotalNumberConnector(50, rng=rng).native_rule(projection(A, B))[:2] == (
        'fixed_total_number', {'n': 50, 'allow_self_connections': True,
                               'with_replacement': True})
    for connector in (FixedProbabilityConnector(0.3), FixedNumberPreConnector(3),
                      FixedProbabilityConnector(0.3, rng=NumpyRNG(1)),
                      DistanceDependentProbabilityConnector('d < 2', rng=rng)):
        assert connector.native_rule(projection(A, B)) is None


def test_no_rule_where_the_semantics_would_differ():
    rng = NativeRNG(seed=1)
    # without replacement, n above the candidates makes multapses here
    assert FixedNumberPreConnector(10, rng=rng).native_rule(projection(A, A)) is not None
    assert FixedNumberPreConnector(10, False, rng=rng).native_rule(projection(A, A)) is None
    assert FixedNumberPostConnector(9, rng=rng).native_rule(projection(A, B)) is None
    assert FixedTotalNumberConnector(81, False, False, rng=rng).native_rule(
        projection(cells(9), cells(9))) is None
    assert FixedTotalNumberConnector(72, False, False, rng=rng).native_rule(
        projection(cells(9), cells(9))) is not None
    # n drawn from a distribution; 'NoMutual'
    n = RandomDistribution('uniform_int', (1, 3), rng=NumpyRNG(2))
    assert FixedNumberPreConnector(n, rng=rng).native_rule(projection(A, B)) is None
    assert FixedProbabilityConnector(0.2, 'NoMutual', rng=rng).native_rule(
        projection(A, A)) is None


def test_deterministic_connectors_offer_rules():
    assert AllToAllConnector(False).native_rule(projection(A, A)) == (
        'all_to_all', {'allow_self_connections': False}, None)
    assert OneToOneConnector().native_rule(projection(A, cells(10, 20))) == ('one_to_one', {},
                                                                            None)
    assert OneToOneConnector().native_rule(projection(A, B)) is None  # sizes differ
    assert AllToAllConnector('NoMutual').native_rule(projection(A, A)) is None


def test_values_for_draws_as_for_the_connectors_own_connections():
    weights = RandomDistribution('uniform', (0.1, 0.2), rng=NumpyRNG(7))
    i, j = np.array([0, 3, 1, 2]), np.array([0, 0, 1, 1])
    made = FixedProbabilityConnector(0.5, rng=NativeRNG(1)).values_for(
        projection(A, B, weight=weights, delay=1.5), i, j)
    assert made.i.tolist() == i.tolist() and made.j.tolist() == j.tolist()
    assert made.parameters['weight'].tolist() == NumpyRNG(7).uniform(0.1, 0.2, 4).tolist()
    assert made.parameters['delay'].tolist() == [1.5] * 4


def test_text_file_reading_takes_any_whitespace_comments_and_late_floats(tmp_path):
    name = tmp_path / 'c.txt'
    name.write_text("# columns = ['i', 'j', 'weight']\n\n0 1   0.5\n# a comment\n\n"
                    "2\t0\t-1e-3\n3.5 1 7\n")
    data = StandardTextFile(str(name)).read()
    assert data.tolist() == [[0, 1, 0.5], [2, 0, -1e-3], [3.5, 1, 7]]
    name.write_text("# columns = ['i', 'j']\n4 5\n")
    assert StandardTextFile(str(name)).read().tolist() == [[4, 5]]
    name.write_text("1 2 nan\n")
    assert np.isnan(StandardTextFile(str(name)).read()[0, 2])


def test_saved_lists_read_back_exactly(tmp_path):
    rs = np.random.RandomState(3)
    rows = np.column_stack([rs.randint(0, 50, 1000), rs.randint(0, 40, 1000),
                            rs.uniform(size=1000) * 10.0 ** rs.randint(-9, 9, 1000),
                            np.round(rs.uniform(0.1, 5, 1000), 1)])
    name = str(tmp_path / 'saved.txt')
    with StandardTextFile(name, 'w') as f:
        f.write(rows, {'columns': ['i', 'j', 'weight', 'delay']})
    connector = FromFileConnector(name)
    assert np.array_equal(connector.conn_list, rows)
    reference = FromListConnector(rows).connect(projection(cells(50), cells(40)))
    made = connector.connect(projection(cells(50), cells(40)))
    assert np.array_equal(made.i, reference.i) and np.array_equal(
        made.parameters['weight'], reference.parameters['weight'])


@pytest.mark.parametrize('text, shape', [("# columns = ['i', 'j', 'weight']\n", (0, 3)),
                                         ("\n\n", (0, 0))])
def test_empty_bodies(tmp_path, text, shape):
    name = tmp_path / 'e.txt'
    name.write_text(text)
    assert StandardTextFile(str(name)).read().shape == shape
