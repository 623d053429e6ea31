"""Projection on the in-memory driver: ordering, get/set, checks and atomicity."""
import numpy as np
import pytest

from pynnlike import errors
from fakedriver import SCALE


@pytest.fixture
def cells(sim):
    return (sim.Population(3, sim.IF_curr_exp(), label="pre"),
            sim.Population(2, sim.IF_curr_exp(), label="post"))


def test_all_to_all_in_post_major_order(sim, cells):
    pre, post = cells
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight=0.5, delay=1.0))
    assert len(prj) == 6 and prj.shape == (3, 2)
    assert prj.label == "pre→post"
    assert prj.get("weight", format="list") == [(0, 0, 0.5), (1, 0, 0.5), (2, 0, 0.5),
                                                (0, 1, 0.5), (1, 1, 0.5), (2, 1, 0.5)]
    connection = sim.state.driver.connections[-1]
    assert np.allclose(connection["parameters"]["weight_n"], 0.5 * SCALE)
    assert connection["receptor"] == "excitatory"


def test_receptor_follows_weight_sign_and_sign_is_checked(sim, cells):
    pre, post = cells
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.2))
    assert prj.receptor_type == "inhibitory"
    with pytest.raises(errors.ConnectionError):
        sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.2),
                       receptor_type="inhibitory")
    with pytest.raises(errors.ConnectionError):
        sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.2),
                       receptor_type="NMDA")
    assert len(sim.state.projections) == 1 and len(sim.state.driver.connections) == 1


def test_delays_are_rounded_and_range_checked(sim, cells):
    pre, post = cells
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight=0.1, delay=1.04))
    assert np.allclose(prj.get("delay", format="array"), 1.0)
    with pytest.raises(errors.ConnectionError):
        sim.Projection(pre, post, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.1, delay=0.01))
    assert len(sim.state.projections) == 1


def test_default_delay_is_min_delay(sim, cells):
    pre, post = cells
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    assert np.allclose(prj.get("delay", "array"), 0.1)


def test_set_kinds_and_get_formats(sim, cells):
    pre, post = cells
    prj = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.7, rng=sim.NumpyRNG(1)),
                         sim.StaticSynapse(weight=0.1, delay=1.0))
    n = len(prj)
    prj.set(weight=np.arange(n) * 0.1)
    assert np.allclose(prj.get("weight", "list", with_address=False), np.arange(n) * 0.1)
    matrix = np.arange(6.0).reshape(3, 2)
    prj.set(weight=matrix)
    array = prj.get("weight", format="array")
    connected = ~np.isnan(array)
    assert connected.sum() == n
    assert np.allclose(array[connected], matrix[connected])
    prj.set(weight=sim.RandomDistribution("uniform", (0.0, 1.0), rng=sim.NumpyRNG(5)))
    assert np.allclose(prj.get("weight", "list", with_address=False),
                       np.random.RandomState(5).uniform(0, 1, n))
    prj.set(delay=lambda d: 1.0 + d)
    i, j = np.array(prj.get([], "list")).T.astype(int) if n else ([], [])
    assert np.allclose(prj.get("delay", "list", with_address=False),
                       np.round((1.0 + np.abs(i - j)) / 0.1) * 0.1)
    native = sim.state.driver.connections[-1]["parameters"]["delay_n"]
    assert np.allclose(native, SCALE * np.array(prj.get("delay", "list", with_address=False)))
    with pytest.raises(ValueError):
        prj.get("weight", format="table")
    with pytest.raises(errors.NonExistentParameterError):
        prj.get("tau_rec", format="list")
    with pytest.raises(errors.ConnectionError):
        prj.set(weight=-1.0)
    assert all(w >= 0 for w in prj.get("weight", "list", with_address=False))


def test_multiple_synapses_are_combined(sim, cells):
    pre, post = cells
    prj = sim.Projection(pre, post, sim.FromListConnector([(0, 0, 0.1, 1.0), (0, 0, 0.3, 1.0),
                                                           (2, 1, 0.5, 1.0)]))
    for rule, value in [("sum", 0.4), ("first", 0.1), ("last", 0.3), ("min", 0.1),
                        ("max", 0.3)]:
        array = prj.get("weight", "array", multiple_synapses=rule)
        assert array[0, 0] == pytest.approx(value) and array[2, 1] == pytest.approx(0.5)
        assert np.isnan(array[1, 0])
    with pytest.raises(ValueError):
        prj.get("weight", "array", multiple_synapses="mean")


def test_connections_and_save(sim, cells, tmp_path):
    pre, post = cells
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight=0.25, delay=2.0))
    c = prj[4]
    assert (c.presynaptic_index, c.postsynaptic_index) == (1, 1)
    assert c.presynaptic_cell == pre[1] and c.target == post[1]
    assert c.as_tuple("weight", "delay") == (0.25, 2.0)
    c.weight = 0.5
    assert prj.get("weight", "array")[1, 1] == 0.5
    assert sum(1 for _ in prj.connections) == 6
    filename = str(tmp_path / "conn.txt")
    prj.save("all", filename)
    from pynnlike.recording.files import StandardTextFile
    f = StandardTextFile(filename)
    assert f.get_metadata()["columns"] == ["i", "j", "weight", "delay"]
    data = f.read()
    assert data.shape == (6, 4) and data[4, 2] == 0.5


def test_assemblies_connect_member_by_member(sim):
    a = sim.Population(2, sim.IF_curr_exp())
    b = sim.Population(3, sim.IF_curr_exp())
    prj = sim.Projection(a + b, b[1:], sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    assert len(prj) == 10
    groups = sim.state.driver.connections
    assert len(groups) == 2
    assert list(groups[1]["j"]) == [1, 1, 1, 2, 2, 2]
    assert list(groups[1]["i"]) == [0, 1, 2, 0, 1, 2]


def test_type_errors(sim, cells):
    pre, post = cells
    with pytest.raises(errors.ConnectionError):
        sim.Projection(pre, "post", sim.AllToAllConnector())
    with pytest.raises(TypeError):
        sim.Projection(pre, post, "all")
    with pytest.raises(TypeError):
        sim.Projection(pre, post, sim.AllToAllConnector(), synapse_type=1.0)
    cond = sim.Population(2, sim.IF_cond_exp())
    with pytest.raises(errors.ConnectionError):
        sim.Projection(pre, post + cond, sim.AllToAllConnector())


def test_procedural_connect(sim, cells):
    pre, post = cells
    with pytest.warns(DeprecationWarning):
        prj = sim.connect(pre, post, weight=0.3, delay=1.0, p=1.0)
    assert len(prj) == 6
