"""Connectors given a NativeRNG: NEST and Brian2 build the connections with their own rules
(Driver.connect_rule), NEURON (and any rule a simulator lacks) draws them in the core. The
connections must have the connector's statistics, and the core must know them exactly: the
values the simulator holds are the core's, through set(), run() and reset()."""
import importlib

import numpy as np
import pytest

from pynnlike import errors
from pynnlike.standardmodels.translations import native_inputs, reverse_translate

BACKENDS = ("nest", "neuron", "brian2")
# the rules each backend runs itself (Driver.connect_rule); the others fall back to the core
NATIVE = {
    "nest": {"FixedProbability", "FixedProbability no self", "FixedNumberPre",
             "FixedNumberPre replacement", "FixedNumberPost", "FixedTotalNumber"},
    "neuron": set(),
    "brian2": {"FixedProbability", "FixedProbability no self", "FixedNumberPost"},
}


@pytest.fixture(params=BACKENDS)
def sim(request, monkeypatch):
    face = importlib.import_module(f"pynnlike.{request.param}")
    face.setup(timestep=0.1, min_delay=0.1, max_delay=5.0)
    face.backend = request.param
    face.rules = []
    driver = face.Population(1, face.IF_curr_exp())._simulation.driver
    original = driver.connect_rule

    def spy(*args):  # records the rules the driver ran
        result = original(*args)
        face.rules.append(args[2])
        return result

    monkeypatch.setattr(driver, "connect_rule", spy)
    face.driver = driver
    yield face
    face.end()


def held(sim, projection, names=("weight", "delay")):
    """Values the simulator holds, in standard units and connection order."""
    out = {name: np.empty(len(projection)) for name in names}
    for positions, model, handle in projection._groups:
        native = sim.driver.get_synapses(handle, native_inputs(model.parameters, list(names)))
        for name, values in reverse_translate(model.parameters, native, list(names)).items():
            out[name][positions] = values
    return out


def build(sim, name, seed=3):
    a = sim.Population(60, sim.IF_curr_exp(), label="a")
    b = sim.Population(50, sim.IF_curr_exp(), label="b")
    rng = sim.NativeRNG(seed)
    connector, pre, post = {
        "FixedProbability": (sim.FixedProbabilityConnector(0.2, rng=rng), a, b),
        "FixedProbability no self": (sim.FixedProbabilityConnector(0.2, False, rng=rng), a, a),
        "FixedNumberPre": (sim.FixedNumberPreConnector(7, False, rng=rng), a, a),
        "FixedNumberPre replacement": (sim.FixedNumberPreConnector(
            7, with_replacement=True, rng=rng), a, b),
        "FixedNumberPost": (sim.FixedNumberPostConnector(6, rng=rng), a, b),
        "FixedTotalNumber": (sim.FixedTotalNumberConnector(500, False, rng=rng), a, a),
    }[name]
    return sim.Projection(pre, post, connector, sim.StaticSynapse(weight=0.7, delay=1.3))


@pytest.mark.parametrize("name", sorted(NATIVE["nest"]))
def test_native_builds_have_the_connector_statistics(sim, name):
    prj = build(sim, name)
    rule = name.split()[0].replace("FixedProbability", "fixed_probability").replace(
        "FixedNumberPre", "fixed_number_pre").replace("FixedNumberPost", "fixed_number_post")
    assert sim.rules == ([rule.replace("FixedTotalNumber", "fixed_total_number")]
                         if name in NATIVE[sim.backend] else [])
    i, j = prj._i, prj._j
    assert np.all(np.diff(j * 1000 + i) >= 0)  # the core's order
    pairs = np.unique(j * 1000 + i).size
    if name.startswith("FixedProbability"):
        m, n = (60, 50) if name == "FixedProbability" else (60, 60)
        pairs_possible = m * n - (0 if name == "FixedProbability" else 60)
        mean, sd = 0.2 * pairs_possible, np.sqrt(pairs_possible * 0.2 * 0.8)
        assert abs(len(prj) - mean) < 5 * sd
        assert pairs == len(prj)
    elif name.startswith("FixedNumberPre"):
        assert np.all(np.bincount(j) == 7)
        assert (pairs == len(prj)) == (name == "FixedNumberPre")
    elif name == "FixedNumberPost":
        assert np.all(np.bincount(i, minlength=60) == 6) and pairs == len(prj)
    else:
        assert len(prj) == 500
    if "no self" in name or name in ("FixedNumberPre", "FixedTotalNumber"):
        assert not np.any(i == j)
    values = held(sim, prj)
    listed = np.array(prj.get(["weight", "delay"], format="list"))
    assert np.allclose(values["weight"], 0.7) and np.allclose(listed[:, 2], 0.7)
    assert np.allclose(values["delay"], 1.3) and np.allclose(listed[:, 3], 1.3)


def test_same_native_seed_same_connections_other_seed_others(sim):
    first = build(sim, "FixedProbability", seed=11)
    again = build(sim, "FixedProbability", seed=11)
    other = build(sim, "FixedProbability", seed=12)
    assert np.array_equal(first._i, again._i) and np.array_equal(first._j, again._j)
    assert not (len(first) == len(other) and np.array_equal(first._i, other._i))


def test_set_run_and_reset_keep_the_simulator_in_step_with_the_core(sim):
    # 40 pre cells for 200 connections each: multapses certain (NEST labels them)
    a = sim.Population(40, sim.IF_curr_exp())
    b = sim.Population(5, sim.IF_curr_exp())
    prj = sim.Projection(a, b, sim.FixedNumberPreConnector(200, with_replacement=True,
                                                           rng=sim.NativeRNG(4)),
                         sim.StaticSynapse(weight=0.5, delay=1.0))
    assert len(np.unique(prj._j * 1000 + prj._i)) < len(prj) == 1000
    weights = np.linspace(0.1, 1.0, len(prj))
    delays = np.round(np.linspace(0.5, 3.0, len(prj)), 1)
    prj.set(weight=weights, delay=delays)
    sim.run(5.0)
    for _ in range(2):
        values = held(sim, prj)
        assert np.allclose(values["weight"], weights, rtol=1e-12)
        assert np.allclose(values["delay"], delays, rtol=1e-12)
        assert prj.get("weight", format="list", with_address=False) == pytest.approx(weights)
        sim.reset()
        sim.run(5.0)


def test_whole_populations_numbers_and_native_rngs_only_else_the_core_draws(sim):
    """Values that are not plain numbers are drawn and checked in the core before anything is
    built, and so are the connections (a NativeRNG then draws in numpy, from its seed)."""
    a = sim.Population(30, sim.IF_curr_exp())
    view = a[5:25]
    prj = sim.Projection(view, a, sim.FixedNumberPreConnector(3, rng=sim.NativeRNG(5)),
                         sim.StaticSynapse(weight=0.2))
    numpy = sim.Projection(a, a, sim.FixedNumberPreConnector(3, rng=sim.NumpyRNG(5)),
                           sim.StaticSynapse(weight=0.2))
    mixed = sim.RandomDistribution("uniform", (-0.2, 0.3), rng=sim.NumpyRNG(6))
    with pytest.raises(errors.ConnectionError):  # mixed signs: refused, nothing built
        sim.Projection(a, a, sim.FixedProbabilityConnector(0.5, rng=sim.NativeRNG(5)),
                       sim.StaticSynapse(weight=mixed), receptor_type="excitatory")
    drawn = sim.Projection(a, a, sim.FixedProbabilityConnector(0.5, rng=sim.NativeRNG(5)),
                           sim.StaticSynapse(weight=sim.RandomDistribution(
                               "uniform", (0.1, 0.3), rng=sim.NumpyRNG(6))))
    again = sim.Projection(a, a, sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(5)),
                           sim.StaticSynapse(weight=0.1))
    assert sim.rules == []
    assert np.all(np.bincount(prj._j) == 3) and np.all(np.bincount(numpy._j) == 3)
    assert prj._i.max() < 20
    assert np.array_equal(drawn._i, again._i) and np.array_equal(drawn._j, again._j)
    assert np.allclose(held(sim, drawn)["weight"], drawn.get("weight", "list",
                                                             with_address=False))


def test_brian2_draws_a_fixed_number_pre_only_onto_a_whole_group(sim):
    """Brian2's generator samples for every cell of the post group: onto part of a group (a
    population sharing its NeuronGroup) the core draws instead."""
    a = sim.Population(20, sim.IF_curr_exp())
    sim.Population(10, sim.IF_curr_exp())  # shares a's NeuronGroup on Brian2
    b = sim.Population(15, sim.IF_cond_exp())  # a group of its own
    onto_whole = sim.Projection(a, b, sim.FixedNumberPreConnector(4, rng=sim.NativeRNG(2)),
                                sim.StaticSynapse(weight=0.01))
    onto_part = sim.Projection(b, a, sim.FixedNumberPreConnector(3, rng=sim.NativeRNG(2)),
                               sim.StaticSynapse(weight=0.1))
    assert sim.rules == {"nest": ["fixed_number_pre"] * 2, "brian2": ["fixed_number_pre"],
                         "neuron": []}[sim.backend]
    assert np.all(np.bincount(onto_whole._j) == 4) and np.all(np.bincount(onto_part._j) == 3)
    assert np.all(np.diff(onto_whole._j * 100 + onto_whole._i) > 0)


def test_all_to_all_with_numbers_goes_through_the_simulators_rule(sim):
    a = sim.Population(8, sim.IF_curr_exp())
    b = sim.Population(6, sim.IF_curr_exp())
    prj = sim.Projection(a, a, sim.AllToAllConnector(False), sim.StaticSynapse(weight=0.4))
    one = sim.Projection(a, a, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.3))
    mixed = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(
        weight=sim.RandomDistribution("uniform", (0.1, 0.2), rng=sim.NumpyRNG(2))))
    native = sim.backend in ("nest", "brian2")
    assert sim.rules == (["all_to_all", "one_to_one"] if native else [])
    assert len(prj) == 56 and not np.any(prj._i == prj._j)
    assert np.array_equal(one._i, np.arange(8)) and np.array_equal(one._j, np.arange(8))
    assert len(mixed) == 48
    assert np.allclose(held(sim, prj)["weight"], 0.4) and np.allclose(held(sim, one)["weight"],
                                                                        0.3)
