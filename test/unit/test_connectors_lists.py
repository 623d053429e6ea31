"""FromFile, Clone and CSA connectors, and connectors end to end through a face on the
in-memory driver."""
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from pynnlike import connectors
from pynnlike.connectors import CSAConnector, FromFileConnector, FromListConnector
from pynnlike.errors import ConnectionError
from pynnlike.random import NumpyRNG, RandomDistribution
from pynnlike.recording.files import StandardTextFile
from pynnlike.space import Line


def write(filename, rows, columns=None):
    with open(filename, 'w') as f:
        if columns is not None:
            f.write(f"# columns = {columns}\n")
        for row in rows:
            f.write("\t".join(str(v) for v in row) + "\n")


def cells(n, label='p'):
    ids = np.arange(n, dtype=np.int64)
    return SimpleNamespace(size=n, all_cells=ids, positions=np.zeros((3, n)), label=label)


def projection(m, n, **synapse_values):
    values = synapse_values or {'weight': 0.5, 'delay': 1.0}
    return SimpleNamespace(pre=cells(m), post=cells(n), space=None, synapse_values=values)


def test_from_file_header_columns_and_defaults(tmp_path):
    name = str(tmp_path / 'c.txt')
    write(name, [(2, 1, 0.3), (0, 1, 0.7), (1, 0, 0.2)], "('i', 'j', 'weight')")
    cs = FromFileConnector(name).connect(projection(3, 2))
    assert list(zip(cs.i.tolist(), cs.j.tolist())) == [(1, 0), (0, 1), (2, 1)]
    assert cs.parameters['weight'].tolist() == [0.2, 0.7, 0.3]
    assert cs.parameters['delay'].tolist() == [1.0] * 3
    write(name, [(0, 0, 0.1, 2.0)])  # no header: weight, delay
    c = FromFileConnector(StandardTextFile(name))
    assert c.column_names == ('weight', 'delay')
    assert c.connect(projection(1, 1)).parameters['delay'].tolist() == [2.0]
    write(name, [(0, 1)])
    assert FromFileConnector(name).column_names == ()


def test_from_file_distributed_reads_the_rank_file(tmp_path):
    name = str(tmp_path / 'c.txt')
    write(name + '.0', [(1, 1, 0.4, 3.0)], ['i', 'j', 'weight', 'delay'])
    c = FromFileConnector(name, distributed=True)
    assert c.conn_list.tolist() == [[1, 1, 0.4, 3.0]]
    assert c.get_parameters() == {'file': name, 'distributed': True}


def test_from_list_column_conventions():
    assert FromListConnector([(0, 1)]).column_names == ()
    assert FromListConnector([(0, 1, 0.1, 1.0)]).column_names == ('weight', 'delay')
    with pytest.raises(TypeError):
        FromListConnector([(0, 1, 0.1)])
    c = FromListConnector([(0, 1, 0.1, 9.0, 2.0)], column_names=['weight', 'tau', 'delay'])
    with pytest.raises(ValueError):  # 'tau' is not a parameter of the synapse type
        c.connect(projection(2, 2))


def test_csa_needs_the_csa_package(monkeypatch):
    monkeypatch.setitem(sys.modules, 'csa', None)  # import fails as if not installed
    with pytest.raises(RuntimeError, match='csa'):
        CSAConnector(object())


def test_csa_connector_with_a_stand_in_module(monkeypatch):
    """The connector's use of the csa API (arity, cross, iteration), on a tiny stand-in."""
    class Cross:
        def __init__(self, rows, columns):
            self.rows, self.columns = rows, columns

        def __mul__(self, cset):
            return [(i, j, *cset(i, j)) for j in self.columns for i in self.rows
                    if cset(i, j) is not None]

    def cset(i, j):  # a one-to-one set carrying weight 0.1 * i and delay 2.0
        return (0.1 * i, 2.0) if i == j else None

    stand_in = SimpleNamespace(arity=lambda c: 2, cross=Cross)
    monkeypatch.setitem(sys.modules, 'csa', stand_in)
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 4)
    cs = CSAConnector(cset).connect(projection(3, 3))
    assert cs.i.tolist() == [0, 1, 2] and cs.j.tolist() == [0, 1, 2]
    np.testing.assert_allclose(cs.parameters['weight'], [0.0, 0.1, 0.2])
    assert cs.parameters['delay'].tolist() == [2.0] * 3


# -- end to end ---------------------------------------------------------------------------

def test_fixed_number_pre_through_a_projection(sim):
    pre = sim.Population(5, sim.IF_curr_exp())
    post = sim.Population(3, sim.IF_curr_exp())
    prj = sim.Projection(pre, post, sim.FixedNumberPreConnector(2, rng=NumpyRNG(seed=4)),
                         sim.StaticSynapse(weight=0.25, delay=1.0))
    rs = np.random.RandomState(4)
    expected = [(int(i), j, 0.25) for j in range(3) for i in np.unique(rs.permutation(5)[:2])]
    assert prj.get('weight', format='list') == expected


def test_distance_weights_and_clone_through_projections(sim):
    pre = sim.Population(4, sim.IF_curr_exp(), structure=Line(dx=2.0))
    prj = sim.Projection(pre, pre, sim.DistanceDependentProbabilityConnector('d < 3'),
                         sim.StaticSynapse(weight='0.1 * d + 0.05', delay=1.0))
    listed = prj.get('weight', format='list')
    assert [(i, j) for i, j, _ in listed] == [(0, 0), (1, 0), (0, 1), (1, 1), (2, 1), (1, 2),
                                              (2, 2), (3, 2), (2, 3), (3, 3)]
    np.testing.assert_allclose([w for *_, w in listed],
                               [0.1 * 2 * abs(i - j) + 0.05 for i, j, _ in listed])
    clone = sim.Projection(pre, pre, sim.CloneConnector(prj), sim.StaticSynapse(weight=0.3))
    assert [c[:2] for c in clone.get('weight', format='list')] == [(i, j) for i, j, _ in listed]
    assert {w for *_, w in clone.get('weight', format='list')} == {0.3}
    other = sim.Population(4, sim.IF_curr_exp())
    with pytest.raises(ConnectionError):
        sim.Projection(pre, other, sim.CloneConnector(prj))


def test_save_then_from_file_round_trip(sim, tmp_path):
    pre = sim.Population(6, sim.IF_curr_exp())
    post = sim.Population(4, sim.IF_curr_exp())
    weights = RandomDistribution('uniform', (0.1, 0.2), rng=NumpyRNG(seed=1))
    prj = sim.Projection(pre, post, sim.FixedTotalNumberConnector(9, rng=NumpyRNG(seed=2)),
                         sim.StaticSynapse(weight=weights, delay=1.5))
    name = str(tmp_path / 'prj.txt')
    prj.save('all', name)
    copy = sim.Projection(pre, post, sim.FromFileConnector(name), sim.StaticSynapse())
    assert copy.get(['weight', 'delay'], format='list') == prj.get(['weight', 'delay'],
                                                                   format='list')
    assert len(copy) == 9


def test_small_world_through_a_projection_reports_progress(sim):
    seen = []
    pre = sim.Population(10, sim.IF_curr_exp())
    connector = sim.SmallWorldConnector(1.5, 0.0, allow_self_connections=False,
                                        rng=NumpyRNG(seed=1), callback=seen.append)
    prj = sim.Projection(pre, pre, connector, sim.StaticSynapse(weight=0.1))
    assert len(prj) == 18  # a chain: each cell to its neighbours at distance 1
    assert seen and seen[-1] == 1.0


def test_safe_false_skips_the_weight_sign_check(sim):
    pre = sim.Population(4, sim.IF_curr_exp())
    with pytest.raises(ConnectionError):
        sim.Projection(pre, pre, sim.FixedTotalNumberConnector(3, rng=NumpyRNG(seed=1)),
                       sim.StaticSynapse(weight=-0.1), receptor_type='excitatory')
    prj = sim.Projection(pre, pre, sim.FixedTotalNumberConnector(3, rng=NumpyRNG(seed=1),
                                                                 safe=False),
                         sim.StaticSynapse(weight=-0.1), receptor_type='excitatory')
    assert [w for *_, w in prj.get('weight', format='list')] == [-0.1] * 3


def test_fixed_number_pre_reports_progress_per_block(monkeypatch):
    monkeypatch.setattr(connectors, 'BLOCK_SIZE', 8)  # 2 columns of 4 pre cells per block
    seen = []
    connectors.FixedNumberPreConnector(2, callback=seen.append).connect(projection(4, 6))
    assert seen == pytest.approx([2 / 6, 4 / 6, 1.0])
