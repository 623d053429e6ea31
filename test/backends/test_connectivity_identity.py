"""The same seeds give the same connections, weights and delays on NEST, NEURON and Brian2.

Every connector of API.md §6 builds one small projection on each backend; weights and delays
come from distributions, distance expressions or plain numbers (plain numbers let AllToAll and
OneToOne go through the simulators' own rules on NEST and Brian2). Each backend's list must equal NEST's, and the values the simulator holds
must be the list's.
"""
import importlib

import csa
import numpy as np
import pytest

from pynnlike.core import IndexBasedExpression
from pynnlike.standardmodels.translations import native_inputs, reverse_translate

BACKENDS = ("nest", "neuron", "brian2")


class Band(IndexBasedExpression):
    """Probability 0.8 within 2 of the diagonal, else 0.1."""

    def __call__(self, i, j):
        return np.where(np.abs(i - j) <= 2, 0.8, 0.1)


def synapse(sim, seed):
    return sim.StaticSynapse(
        weight=sim.RandomDistribution("uniform", (0.1, 1.0), rng=sim.NumpyRNG(seed)),
        delay=sim.RandomDistribution("uniform", (0.5, 2.0), rng=sim.NumpyRNG(seed + 1)))


def cases(sim, a, b, path):
    """name -> (pre, post, connector, synapse type), built in this order on every backend."""
    rng = sim.NumpyRNG
    reference = sim.Projection(a, b, sim.FixedProbabilityConnector(0.4, rng=rng(90)),
                               synapse(sim, 91))
    reference.save("all", path)
    listed = [(0, 1, 0.5, 1.0), (3, 1, 0.25, 1.5), (11, 9, 0.75, 0.2), (3, 1, 0.1, 0.7)]
    mask = np.random.RandomState(5).uniform(size=(a.size, b.size)) < 0.3
    return {
        "AllToAll numbers": (a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.3,
                                                                               delay=1.2)),
        "AllToAll no self": (a, a, sim.AllToAllConnector(False), synapse(sim, 1)),
        "AllToAll NoMutual": (a, a, sim.AllToAllConnector("NoMutual"), synapse(sim, 3)),
        "OneToOne numbers": (a, a, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.2,
                                                                              delay=0.4)),
        "OneToOne": (a, a, sim.OneToOneConnector(), synapse(sim, 5)),
        "FixedProbability": (a, b, sim.FixedProbabilityConnector(0.3, rng=rng(7)),
                             synapse(sim, 8)),
        "FixedProbability no self": (a, a, sim.FixedProbabilityConnector(
            0.3, False, rng=rng(9)), synapse(sim, 10)),
        "DistanceDependent": (a, b, sim.DistanceDependentProbabilityConnector(
            "exp(-d/3)", rng=rng(11)), sim.StaticSynapse(weight="0.1 + 0.05*d", delay=0.6)),
        "IndexBased": (a, b, sim.IndexBasedProbabilityConnector(Band(), rng=rng(12)),
                       synapse(sim, 13)),
        "DisplacementDependent": (a, b, sim.DisplacementDependentProbabilityConnector(
            lambda D: np.exp(-np.abs(D[0]) / 4), rng=rng(14)), synapse(sim, 15)),
        "FixedNumberPre": (a, a, sim.FixedNumberPreConnector(4, False, rng=rng(16)),
                           synapse(sim, 17)),
        "FixedNumberPre replacement": (a, b, sim.FixedNumberPreConnector(
            5, with_replacement=True, rng=rng(18)), synapse(sim, 19)),
        "FixedNumberPre random n": (a, b, sim.FixedNumberPreConnector(
            sim.RandomDistribution("uniform_int", (1, 6), rng=rng(20)), rng=rng(21)),
            synapse(sim, 22)),
        "FixedNumberPost": (a, a, sim.FixedNumberPostConnector(3, False, rng=rng(23)),
                            synapse(sim, 24)),
        "FixedNumberPost replacement": (a, b, sim.FixedNumberPostConnector(
            4, with_replacement=True, rng=rng(25)), synapse(sim, 26)),
        "FixedTotalNumber": (a, b, sim.FixedTotalNumberConnector(30, rng=rng(27)),
                             synapse(sim, 28)),
        "FixedTotalNumber no replacement": (a, a, sim.FixedTotalNumberConnector(
            40, False, with_replacement=False, rng=rng(29)), synapse(sim, 30)),
        "FromList": (a, b, sim.FromListConnector(listed), sim.StaticSynapse()),
        "FromFile": (a, b, sim.FromFileConnector(path), sim.StaticSynapse()),
        "Array": (a, b, sim.ArrayConnector(mask), synapse(sim, 31)),
        "Clone": (a, b, sim.CloneConnector(reference), synapse(sim, 32)),
        "SmallWorld": (a, a, sim.SmallWorldConnector(2.5, 0.3, False, rng=rng(33)),
                       synapse(sim, 34)),
        "CSA mask": (a, b, sim.CSAConnector(csa.block(3, 2) * csa.oneToOne), synapse(sim, 35)),
        "CSA values": (a, a, sim.CSAConnector(csa.cset(csa.full - csa.oneToOne, 0.25, 1.5)),
                       sim.StaticSynapse()),
    }


def held(driver, projection):
    """(weights, delays) as the simulator holds them, in standard units and connection order."""
    out = {"weight": np.empty(len(projection)), "delay": np.empty(len(projection))}
    for positions, model, handle in projection._groups:
        native = driver.get_synapses(handle, native_inputs(model.parameters, list(out)))
        for name, values in reverse_translate(model.parameters, native, list(out)).items():
            out[name][positions] = values
    return out["weight"], out["delay"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """backend -> {case: (list of (i, j, weight, delay), weights held, delays held)}."""
    result = {}
    for backend in BACKENDS:
        sim = importlib.import_module(f"pynnlike.{backend}")
        sim.setup(timestep=0.1, min_delay=0.1, max_delay=5.0)
        a = sim.Population(12, sim.IF_curr_exp(), label="a")
        b = sim.Population(10, sim.IF_curr_exp(), label="b")
        path = str(tmp_path_factory.mktemp(backend) / "reference.txt")
        driver = a._simulation.driver
        result[backend] = {}
        for name, (pre, post, connector, syn) in cases(sim, a, b, path).items():
            prj = sim.Projection(pre, post, connector, syn)
            result[backend][name] = (prj.get(["weight", "delay"], format="list"),
                                     *held(driver, prj))
        sim.end()
    return result


CASES = ["AllToAll numbers", "AllToAll no self", "AllToAll NoMutual", "OneToOne numbers",
         "OneToOne", "FixedProbability", "FixedProbability no self", "DistanceDependent",
         "IndexBased", "DisplacementDependent", "FixedNumberPre", "FixedNumberPre replacement",
         "FixedNumberPre random n", "FixedNumberPost", "FixedNumberPost replacement",
         "FixedTotalNumber", "FixedTotalNumber no replacement", "FromList", "FromFile",
         "Array", "Clone", "SmallWorld", "CSA mask", "CSA values"]


@pytest.mark.parametrize("name", CASES)
def test_every_backend_builds_the_same_list(built, name):
    lists = {backend: built[backend][name][0] for backend in BACKENDS}
    assert len(lists["nest"]) > 0
    for backend in ("neuron", "brian2"):
        assert lists[backend] == lists["nest"], backend


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_simulator_holds_the_listed_values(built, backend, name):
    """Static multapses of one pair are interchangeable (NEST keeps no order among them), so
    values are compared in (i, j, weight, delay) order."""
    listed, weights, delays = built[backend][name]
    columns = np.array(listed, dtype=float).reshape(-1, 4)
    simulator = np.column_stack([columns[:, :2], weights, delays])
    columns, simulator = (c[np.lexsort(c.T[::-1])] for c in (columns, simulator))
    assert np.allclose(simulator[:, 2], columns[:, 2], rtol=1e-12, atol=0.0)
    assert np.allclose(simulator[:, 3], columns[:, 3], rtol=1e-12, atol=1e-12)


def test_the_cases_are_what_they_claim(built):
    lists = {name: np.array(built["nest"][name][0], dtype=float) for name in CASES}
    assert set(lists) == set(CASES)
    assert len(lists["AllToAll numbers"]) == 120 and len(lists["AllToAll no self"]) == 132
    assert len(lists["AllToAll NoMutual"]) == 66
    assert np.all(lists["AllToAll NoMutual"][:, 0] > lists["AllToAll NoMutual"][:, 1])
    assert np.all(lists["FixedProbability no self"][:, 0] != lists["FixedProbability no self"][
        :, 1])
    assert np.all(np.bincount(lists["FixedNumberPre"][:, 1].astype(int)) == 4)
    assert np.all(np.bincount(lists["FixedNumberPost"][:, 0].astype(int)) == 3)
    assert len(lists["FixedTotalNumber"]) == 30 and len(lists["FromList"]) == 4
    assert len(np.unique(lists["FixedTotalNumber no replacement"][:, :2], axis=0)) == 40
    # csa's blocks: pre cell i to post cell j where i // 3 == j // 2, for 12 x 10 cells
    mask = lists["CSA mask"][:, :2].astype(int)
    assert len(mask) == 4 * 3 * 2 and np.all(mask[:, 0] // 3 == mask[:, 1] // 2)
    assert len(lists["CSA values"]) == 132 and np.all(lists["CSA values"][:, 2:] == (0.25, 1.5))
    # distributions gave distinct values; delays are on the 0.1 ms grid
    assert len(np.unique(lists["FixedProbability"][:, 2])) == len(lists["FixedProbability"])
    delays = lists["FixedProbability"][:, 3]
    assert np.allclose(delays, np.round(delays / 0.1) * 0.1)
