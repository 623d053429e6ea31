"""Network container and the deprecated procedural API."""
import pytest


def test_network_collects_counts_and_filters(sim):
    exc = sim.Population(4, sim.IF_cond_exp(), label="exc")
    inh = sim.Population(2, sim.IF_curr_exp(), label="inh")
    source = sim.Population(3, sim.SpikeSourcePoisson(rate=5.0), label="noise")
    prj = sim.Projection(source, exc, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.01))
    net = sim.Network(exc[1:], inh + source, prj)
    assert net.populations == frozenset([exc, inh, source])
    assert len(net.views) == 1 and len(net.assemblies) == 1
    assert net.count_neurons() == 9 and net.count_connections() == 12
    assert net.get_component("inh") is inh and net.get_component("none") is None
    assert net.sim is sim
    assert [p.label for p in net.filter([type(exc.celltype)]).populations] == ["exc"]
    assert {p.label for p in net.filter("all").populations} == {"exc", "inh"}
    with pytest.raises(TypeError):
        net.add(3)
    net.record("spikes")
    sim.run(10.0)
    blocks = net.get_data()
    assert sorted(b.name for b in blocks) == ["exc", "inh", "noise"]


def test_procedural_api_delegates_and_warns(sim, tmp_path):
    with pytest.warns(DeprecationWarning):
        cells = sim.create(sim.IF_curr_exp, {"tau_m": 15.0}, n=3)
    assert cells.size == 3 and cells.get("tau_m") == 15.0
    with pytest.warns(DeprecationWarning):
        sim.set(cells, tau_m=12.0)
    assert cells.get("tau_m") == 12.0
    with pytest.raises(AttributeError), pytest.warns(DeprecationWarning):
        sim.set(cells[0], tau_m=1.0)
    with pytest.warns(DeprecationWarning):
        sim.initialize(cells, v=-60.0)
    assert cells.initial_values["v"].evaluate(simplify=True) == -60.0
    filename = str(tmp_path / "v.pkl")
    with pytest.warns(DeprecationWarning):
        sim.record_v(cells[0], filename)
    sim.run(1.0)
    sim.end()
    import neo
    assert neo.io.PickleIO(filename).read_block().segments[0].analogsignals[0].shape == (11, 1)
