"""Connectors building only one MPI process's post columns (PhiloxRNG), and the helpers that
place those connections in the order of all processes."""
from types import SimpleNamespace

import numpy as np
import pytest

from pynnlike import connectors, mpi
from pynnlike.connectors import (DistanceDependentProbabilityConnector, FixedNumberPreConnector,
                                 FixedProbabilityConnector, IndexBasedProbabilityConnector,
                                 global_positions)
from pynnlike.core import IndexBasedExpression
from pynnlike.random import NumpyRNG, PhiloxRNG, RandomDistribution
from pynnlike.space import Space


def line(n, start=0):
    positions = np.vstack([np.arange(n, dtype=float), np.zeros(n), np.zeros(n)])
    return SimpleNamespace(size=n, all_cells=np.arange(start, start + n), positions=positions,
                           label='p')


def projection(columns, **values):
    """A 9 x 12 stand-in whose process owns post `columns` (None: all)."""
    return SimpleNamespace(pre=line(9), post=line(12, start=9), space=Space(),
                           synapse_values=values, _own_columns=lambda: columns)


class Product(IndexBasedExpression):
    def __call__(self, i, j):
        return 0.01 * (i + 1) * (j + 1)


def test_runs_split_sorted_columns_into_consecutive_ranges():
    assert connectors._runs([]) == []
    assert connectors._runs([3]) == [(3, 4)]
    assert connectors._runs([0, 1, 2, 5, 7, 8]) == [(0, 3), (5, 6), (7, 9)]


def test_chunks_cover_every_column_and_never_split_one():
    assert connectors._chunks(np.array([], dtype=int), 4) == []
    assert connectors._chunks(np.array([0, 0, 0]), 4) == [(0, 3)]
    # a chunk ends with the column in which its share of `size` items is reached
    assert connectors._chunks(np.array([3, 3, 3, 3]), 4) == [(0, 2), (2, 3), (3, 4)]
    assert connectors._chunks(np.array([10, 1, 1]), 4) == [(0, 1), (1, 3)]


def test_global_positions_place_a_share_in_the_order_of_all_processes():
    counts = np.array([2, 3, 0, 1, 2])  # columns 1 and 4 are held here, 0 and 3 elsewhere
    assert global_positions([1, 1, 1, 4, 4], counts).tolist() == [2, 3, 4, 6, 7]
    assert global_positions([], counts).tolist() == []
    j = np.repeat(np.arange(5), counts)
    assert global_positions(j, counts).tolist() == list(range(8))


CONNECTORS = {
    'fixed_probability': lambda: FixedProbabilityConnector(0.4, rng=PhiloxRNG(seed=3)),
    'distance': lambda: DistanceDependentProbabilityConnector('exp(-d / 3)',
                                                              rng=PhiloxRNG(seed=3)),
    'index': lambda: IndexBasedProbabilityConnector(Product(), rng=PhiloxRNG(seed=3)),
    'fixed_number': lambda: FixedNumberPreConnector(4, rng=PhiloxRNG(seed=3)),
    'fixed_number_replacement': lambda: FixedNumberPreConnector(
        RandomDistribution('binomial', (6, 0.5), rng=NumpyRNG(seed=4)), with_replacement=True,
        rng=PhiloxRNG(seed=3)),
}


def values():
    """Synapse values of every kind, the random ones with fresh generators."""
    return {'weight': RandomDistribution('uniform', (1.0, 2.0), rng=NumpyRNG(seed=7)),
            'delay': RandomDistribution('normal_clipped', (2.0, 1.0, 1.0, 3.0),
                                        rng=NumpyRNG(seed=8)),  # drawn column by column
            'U': Product(), 'tau_rec': 'd + 1', 'tau_facil': np.arange(108.0).reshape(9, 12)}


@pytest.mark.parametrize('name', list(CONNECTORS))
@pytest.mark.parametrize('block_size', [2 ** 21, 9 * 2])
def test_a_process_builds_its_columns_exactly_as_all_processes_do(monkeypatch, name,
                                                                  block_size):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', block_size)
    whole = CONNECTORS[name]().connect(projection(None, **values()))
    assert not whole.local and len(whole) > 12
    # the other processes' column counts, as allgathered under MPI
    monkeypatch.setattr(mpi, 'allsum', lambda mine: np.bincount(whole.j, minlength=12))
    for columns in (np.array([0, 3, 6, 9]), np.array([4, 5, 6, 11])):
        share = CONNECTORS[name]().connect(projection(columns, **values()))
        mine = np.isin(whole.j, columns)
        assert share.local and len(share) == mine.sum() > 0
        np.testing.assert_array_equal(share.i, whole.i[mine])
        np.testing.assert_array_equal(share.j, whole.j[mine])
        assert list(share.parameters) == list(whole.parameters)
        for parameter, v in whole.parameters.items():
            np.testing.assert_array_equal(share.parameters[parameter], v[mine])


def test_numpy_rng_and_stand_ins_without_columns_build_everything():
    local = projection(np.array([1]))
    cs = FixedProbabilityConnector(0.5, rng=NumpyRNG(seed=1)).connect(local)
    assert not cs.local and set(cs.j.tolist()) == set(range(12))
    stand_in = SimpleNamespace(pre=line(9), post=line(12), space=Space(),
                               synapse_values={'weight': 1.0})
    cs = FixedProbabilityConnector(0.5, rng=PhiloxRNG(seed=1)).connect(stand_in)
    assert not cs.local and set(cs.j.tolist()) == set(range(12))
