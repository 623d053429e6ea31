"""FixedNumberPre/Post, FixedTotalNumber and SmallWorld against hand-written RandomState
references of the draw order API.md §6.2 fixes (and the order the docstrings make precise)."""
from types import SimpleNamespace

import numpy as np
import pytest

from pynnlike import connectors
from pynnlike.connectors import (FixedNumberPostConnector, FixedNumberPreConnector,
                                 FixedTotalNumberConnector, SmallWorldConnector)
from pynnlike.errors import ConnectionError
from pynnlike.random import NumpyRNG, RandomDistribution
from pynnlike.space import Space


def cells(ids, label='p'):
    ids = np.asarray(ids, dtype=np.int64)
    positions = np.vstack([ids, np.zeros(ids.size), np.zeros(ids.size)]).astype(float)
    return SimpleNamespace(size=ids.size, all_cells=ids, positions=positions, label=label)


def projection(pre, post, **synapse_values):
    values = synapse_values or {'weight': 0.5, 'delay': 1.0}
    return SimpleNamespace(pre=pre, post=post, space=Space(), synapse_values=values)


def pairs(cs):
    return list(zip(cs.i.tolist(), cs.j.tolist()))


def choose_reference(rs, n, size, own, with_replacement):
    """One cell's partners, written out as API.md §6.2 states them."""
    if with_replacement:
        chosen = rs.randint(0, size, n)
        while own is not None and np.any(chosen == own):
            bad = np.flatnonzero(chosen == own)
            chosen[bad] = rs.randint(0, size, bad.size)
        return sorted(chosen.tolist())
    candidates = [k for k in range(size) if k != own]
    q, r = divmod(n, len(candidates))
    chosen = candidates * q
    if r:
        chosen += rs.permutation(candidates)[:r].tolist()
    return sorted(chosen)


@pytest.mark.parametrize('with_replacement', [True, False])
@pytest.mark.parametrize('allow_self', [True, False])
@pytest.mark.parametrize('block_size', [2 ** 21, 5])
def test_fixed_number_pre_draw_order(monkeypatch, with_replacement, allow_self, block_size):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', block_size)
    m = 6
    c = FixedNumberPreConnector(4, allow_self_connections=allow_self,
                                with_replacement=with_replacement, rng=NumpyRNG(seed=11))
    cs = c.connect(projection(cells(range(m)), cells(range(2, 9))))  # post j is pre j + 2
    rs = np.random.RandomState(11)
    expected = []
    for j in range(7):
        own = None if allow_self or j + 2 >= m else j + 2
        expected += [(i, j) for i in choose_reference(rs, 4, m, own, with_replacement)]
    assert pairs(cs) == expected
    assert np.bincount(cs.j).tolist() == [4] * 7
    if not allow_self:
        assert not np.any(cs.i == cs.j + 2)
    assert c.rng.next(1)[0] == rs.uniform(0, 1, 1)[0]  # no extra draws


def test_fixed_number_pre_multapses_only_when_n_exceeds_candidates():
    cs = FixedNumberPreConnector(7, allow_self_connections=False, rng=NumpyRNG(seed=3)).connect(
        projection(cells(range(4)), cells(range(4))))
    for j in range(4):
        column = cs.i[cs.j == j]
        # 3 candidates: each twice, plus one more, never j itself
        assert sorted(np.bincount(column, minlength=4).tolist()) == [0, 2, 2, 3]
        assert np.count_nonzero(column == j) == 0


def test_fixed_number_pre_random_n_drawn_up_front_from_its_own_rng():
    n = RandomDistribution('uniform_int', (0, 5), rng=NumpyRNG(seed=2))
    c = FixedNumberPreConnector(n, with_replacement=True, rng=NumpyRNG(seed=9))
    cs = c.connect(projection(cells(range(10)), cells(range(10, 30))))
    counts = np.random.RandomState(2).randint(0, 5, 120)[100:]  # 100 checked at construction
    assert np.bincount(cs.j, minlength=20).tolist() == counts.tolist()
    rs = np.random.RandomState(9)
    expected = [(i, j) for j in range(20) for i in sorted(rs.randint(0, 10, counts[j]))]
    assert pairs(cs) == expected


def test_fixed_number_pre_shared_rng_draws_weights_after_each_column():
    rng = NumpyRNG(seed=5)
    prj = projection(cells(range(5)), cells(range(5, 8)),
                     weight=RandomDistribution('uniform', (0.0, 1.0), rng=rng), delay=1.0)
    cs = FixedNumberPreConnector(2, with_replacement=True, rng=rng).connect(prj)
    rs = np.random.RandomState(5)
    for j in range(3):
        assert cs.i[cs.j == j].tolist() == sorted(rs.randint(0, 5, 2).tolist())
        np.testing.assert_array_equal(cs.parameters['weight'][cs.j == j], rs.uniform(0, 1, 2))


@pytest.mark.parametrize('with_replacement', [True, False])
@pytest.mark.parametrize('allow_self', [True, False])
def test_fixed_number_post_draw_order(with_replacement, allow_self):
    c = FixedNumberPostConnector(3, allow_self_connections=allow_self,
                                 with_replacement=with_replacement, rng=NumpyRNG(seed=21))
    cs = c.connect(projection(cells(range(5)), cells(range(1, 5))))  # post j is pre j + 1
    rs = np.random.RandomState(21)
    expected = []
    for i in range(5):
        own = None if allow_self or i == 0 else i - 1
        expected += [(i, j) for j in choose_reference(rs, 3, 4, own, with_replacement)]
    assert pairs(cs) == sorted(expected, key=lambda p: (p[1], p[0]))
    assert np.bincount(cs.i).tolist() == [3] * 5


def test_fixed_number_errors():
    with pytest.raises(ConnectionError):
        FixedNumberPreConnector(1, allow_self_connections=False).connect(
            projection(cells([0]), cells([0])))


def total_reference(seed, m, n_post, n, with_replacement, own=None):
    """Allowed pairs numbered post-major; draws as FixedTotalNumberConnector's docstring says."""
    allowed = [(i, j) for j in range(n_post) for i in range(m) if own is None or own(i, j)]
    rs = np.random.RandomState(seed)
    if with_replacement:
        k = np.sort(rs.randint(0, len(allowed), n))
    else:
        complement = n > len(allowed) // 2
        wanted = len(allowed) - n if complement else n
        chosen = []
        while len(chosen) < wanted:
            for v in rs.randint(0, len(allowed), wanted - len(chosen)).tolist():
                if v not in chosen:
                    chosen.append(v)
        k = sorted(set(range(len(allowed))) - set(chosen)) if complement else sorted(chosen)
    return [allowed[x] for x in k]


@pytest.mark.parametrize('with_replacement', [True, False])
@pytest.mark.parametrize('n', [0, 9, 35])
def test_fixed_total_number_draw_order(with_replacement, n):
    c = FixedTotalNumberConnector(n, allow_self_connections=False,
                                  with_replacement=with_replacement, rng=NumpyRNG(seed=4))
    cs = c.connect(projection(cells(range(8)), cells(range(3, 9))))  # post j is pre j + 3
    assert len(cs) == n
    assert pairs(cs) == total_reference(4, 8, 6, n, with_replacement, lambda i, j: i != j + 3)
    if not with_replacement:
        assert len(set(pairs(cs))) == n


def test_fixed_total_number_statistics_and_errors():
    cs = FixedTotalNumberConnector(20000, rng=NumpyRNG(seed=8)).connect(
        projection(cells(range(10)), cells(range(10, 20))))
    counts = np.bincount(cs.i * 10 + cs.j, minlength=100)
    assert counts.sum() == 20000 and 150 < counts.min() and counts.max() < 250  # ~200 +- 5 sd
    with pytest.raises(ConnectionError):
        FixedTotalNumberConnector(10, with_replacement=False).connect(
            projection(cells(range(3)), cells(range(3))))
    n = RandomDistribution('uniform_int', (5, 10), rng=NumpyRNG(seed=1))
    cs = FixedTotalNumberConnector(n).connect(projection(cells(range(4)), cells(range(4))))
    assert len(cs) == np.random.RandomState(1).randint(5, 10, 101)[100]


def smallworld_reference(seed, m, n_post, lattice, rewiring, forbidden):
    rs = np.random.RandomState(seed)
    edges = []
    for i in range(m):
        t = [j for j in range(n_post) if lattice(i, j)]
        rewired = np.flatnonzero(rs.uniform(0, 1, len(t)) < rewiring)
        if rewired.size:
            candidates = [j for j in range(n_post) if not lattice(i, j) and not forbidden(i, j)]
            new = rs.permutation(candidates)[:rewired.size] if candidates else []
            for position, target in zip(rewired, new):
                t[position] = int(target)
        edges += [(i, j) for j in t]
    return sorted(edges, key=lambda p: (p[1], p[0]))


@pytest.mark.parametrize('rewiring', [0.0, 0.3, 1.0])
def test_small_world_rewiring_order(monkeypatch, rewiring):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 50)  # several chunks of pre rows
    m = 30
    c = SmallWorldConnector(2.5, rewiring, allow_self_connections=False, rng=NumpyRNG(seed=6))
    cs = c.connect(projection(cells(range(m)), cells(range(m))))
    expected = smallworld_reference(6, m, m, lambda i, j: 0 < abs(i - j) < 2.5, rewiring,
                                    lambda i, j: i == j)
    assert pairs(cs) == expected
    assert np.bincount(cs.i).tolist() == [np.count_nonzero(np.abs(np.arange(m) - i) == 1) +
                                          np.count_nonzero(np.abs(np.arange(m) - i) == 2)
                                          for i in range(m)]  # out-degrees kept
    assert not np.any(cs.i == cs.j)
    assert len(set(pairs(cs))) == len(cs)


def test_small_world_nearest_and_rewiring_zero():
    c = SmallWorldConnector(0.0, 0.0, n_connections=3, rng=NumpyRNG(seed=1))
    cs = c.connect(projection(cells(range(6)), cells(range(6))))
    # nearest 3, ties to the lower index: self (d=0), then i-1 before i+1, then i+1 or i+-2
    expected = {0: [0, 1, 2], 1: [0, 1, 2], 2: [1, 2, 3], 3: [2, 3, 4], 4: [3, 4, 5],
                5: [3, 4, 5]}
    assert sorted(pairs(cs)) == sorted((i, j) for i, js in expected.items() for j in js)
    with pytest.raises(ValueError):
        SmallWorldConnector(1.0, 1.5)
    with pytest.warns(UserWarning):
        assert SmallWorldConnector(1.0, 0.1, allow_self_connections='NoMutual'
                                   ).allow_self_connections is False


@pytest.mark.parametrize('block_size', [2 ** 21, 6])
def test_synapse_values_from_distance_and_distributions(monkeypatch, block_size):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', block_size)
    prj = projection(cells(range(6)), cells(range(10, 14)), weight='0.5 * d',
                     delay=lambda d: d + 1.0,
                     tau=RandomDistribution('uniform', (1.0, 2.0), rng=NumpyRNG(seed=7)))
    for connector in (FixedNumberPreConnector(3, rng=NumpyRNG(seed=1)),
                      FixedNumberPostConnector(2, rng=NumpyRNG(seed=1)),
                      FixedTotalNumberConnector(7, rng=NumpyRNG(seed=1))):
        prj.synapse_values['tau'].rng = NumpyRNG(seed=7)
        cs = connector.connect(prj)
        d = np.abs((cs.j + 10) - cs.i).astype(float)  # x = cell ID
        np.testing.assert_allclose(cs.parameters['weight'], 0.5 * d)
        np.testing.assert_allclose(cs.parameters['delay'], d + 1.0)
        # separate rng: one value per connection, in connection order
        np.testing.assert_array_equal(cs.parameters['tau'],
                                      np.random.RandomState(7).uniform(1.0, 2.0, len(cs)))
        assert list(cs.parameters) == ['weight', 'delay', 'tau']


def test_progress_rises_to_one(monkeypatch):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 40)  # SmallWorld: 4 rows of 10 per chunk
    seen = []
    SmallWorldConnector(1.5, 0.2, rng=NumpyRNG(seed=1), callback=seen.append).connect(
        projection(cells(range(10)), cells(range(10)), weight=lambda d: d, delay=1.0))
    assert seen[:3] == pytest.approx([0.2, 0.4, 0.5])
    assert seen[-1] == 1.0 and np.all(np.diff(seen) >= 0) and len(seen) > 4

