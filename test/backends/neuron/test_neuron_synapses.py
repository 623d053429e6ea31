"""Synapse types on NEURON beyond the shared checks (test_synapses_every_backend.py): the
variable-step integrator, values reaching the NEURON objects, state surviving a recording
restart, reproducible random streams, native synapse types."""
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

import pynnlike.neuron as sim
import synapse_references as ref
from neuron import h  # after pynnlike.neuron: the same NEURON, mechanisms loaded

TIMES = [10.0, 15.0, 20.0, 25.0, 60.0, 62.0, 64.0, 150.0]
PRE = [[10.0, 50.0, 90.0, 130.0, 170.0], [25.0, 65.0, 105.0, 145.0, 185.0],
       [18.3, 24.7, 57.1, 63.3, 101.9, 120.4, 175.0]]
W0 = [0.008, 0.006, 0.005]
RULE = dict(tau_plus=20.0, tau_minus=15.0, A_plus=0.3, A_minus=0.3)
BOUNDS = dict(w_min=0.001, w_max=0.01)


@pytest.fixture(autouse=True)
def fresh():
    sim.setup(timestep=0.1)
    yield


def instances(projection):
    """The NEURON objects holding a projection's per-connection parameters and state."""
    return list(projection._groups[0][2].instances)


def forced_post(n):
    """IF_cond_exp cells firing once per forcing spike (at 20, 60, 100, 140 ms) through the
    'inhibitory' receptor turned excitatory, gsyn_exc left to the synapses under test."""
    cells = sim.Population(n, sim.IF_cond_exp(e_rev_I=0.0, tau_syn_I=1.0, tau_refrac=2.0))
    forcer = sim.Population(1, sim.SpikeSourceArray(spike_times=[20.0, 60.0, 100.0, 140.0]))
    sim.Projection(forcer, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.5, delay=0.1), receptor_type="inhibitory")
    cells.record(["spikes", "gsyn_exc"])
    return cells


def stdp(f=1.0, delay=2.0, dependence="GutigWeightDependence", **extra):
    weight_dependence = getattr(sim, dependence)(**BOUNDS, **extra)
    return sim.STDPMechanism(timing_dependence=sim.SpikePairRule(**RULE),
                             weight_dependence=weight_dependence, dendritic_delay_fraction=f,
                             weight=np.diag(W0), delay=delay)


def check_stdp(prj, post, f, delay, **extra):
    """Final weights of a one-to-one STDP projection from PRE against the reference."""
    trains = [list(t.magnitude) for t in post.get_data().segments[-1].spiketrains]
    assert [len(t) for t in trains] == [4, 4, 4]
    final = prj.get("weight", format="list", with_address=False)
    for k, (pre, post_times) in enumerate(zip(PRE, trains)):
        _, expected = ref.stdp(pre, post_times, W0[k], delay, f, **RULE, **BOUNDS, **extra)
        assert final[k] == pytest.approx(expected, abs=1e-9), k
    return final


def stdp_network(synapse):
    pre = sim.Population(3, sim.SpikeSourceArray(spike_times=PRE))
    post = forced_post(3)
    return sim.Projection(pre, post, sim.OneToOneConnector(), synapse), post


def test_tsodyks_markram_with_cvode_gives_the_conductance_of_the_reference():
    sim.setup(timestep=0.1, use_cvode=True, rtol=1e-9, atol=1e-9)
    tau = [2.0, 5.0]
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=TIMES))
    post = sim.Population(2, sim.IF_cond_exp(tau_syn_E=tau))
    sim.Projection(pre, post, sim.AllToAllConnector(),
                   sim.TsodyksMarkramSynapse(weight=0.01, delay=1.0, U=0.3, tau_rec=80.0,
                                             tau_facil=np.array([[0.0, 40.0]])))
    post.record("gsyn_exc")
    sim.run(160.0)
    g = post.get_data().segments[0].irregularlysampledsignals[0]
    t = g.times.magnitude
    arrivals = np.array(TIMES) + 1.0
    away = np.min(np.abs(t[:, None] - arrivals[None, :]), axis=1) > 1e-6
    for k, tau_facil in enumerate([0.0, 40.0]):
        fractions = ref.tsodyks_markram(TIMES, U=0.3, tau_rec=80.0, tau_facil=tau_facil,
                                        tau_psc=tau[k])
        since = t[:, None] - arrivals[None, :]
        expected = (0.01 * fractions * np.where(since > 0, np.exp(-np.clip(since, 0, None)
                                                                     / tau[k]), 0)).sum(1)
        assert np.allclose(g.magnitude[away, k], expected[away], rtol=0, atol=1e-8), k
    assert len(t) > 50


def test_stdp_with_cvode_ends_with_the_reference_weights():
    sim.setup(timestep=0.1, use_cvode=True, rtol=1e-8, atol=1e-8)
    prj, post = stdp_network(stdp(f=0.5, mu_plus=0.4, mu_minus=0.7))
    sim.run(200.0)
    final = check_stdp(prj, post, 0.5, 2.0, weight_dependence="GutigWeightDependence",
                       mu_plus=0.4, mu_minus=0.7)
    assert final[0] > W0[0] and final[1] < W0[1]


#: (timing and weight dependences, their reference) of the rules checked at shared instants
SEEN_TOGETHER = {
    "multiplicative": (lambda: dict(timing_dependence=sim.SpikePairRule(**RULE),
                                    weight_dependence=sim.MultiplicativeWeightDependence(
                                        **BOUNDS)),
                       lambda *a: ref.stdp(*a, **RULE, **BOUNDS,
                                           weight_dependence="MultiplicativeWeightDependence")),
    "vogels": (lambda: dict(timing_dependence=sim.Vogels2011Rule(tau=20.0, eta=5e-4, rho=10.0),
                            weight_dependence=sim.AdditiveWeightDependence(w_max=0.05)),
               lambda *a: ref.vogels2011(*a, tau=20.0, eta=5e-4, rho=10.0, w_max=0.05))}


def seen_together(rule, f, delay=2.0, use_cvode=False):
    """STDP onto an IF_curr_delta cell that a 50 mV jump fires at exactly the forcing times +
    0.1 ms (at f = 0 the post event is made in the instant it reaches the rule, through two
    zero-delay events); each post spike P is seen with a pre spike at P + (2 f - 1) d (float
    noise in the arrival times either way), 3 ms after another pre spike. Returns the pre
    times, the post times, the weights transmitted (read from the NetCon to the receptor when
    the rule emits) and the final weight."""
    sim.setup(timestep=0.1, use_cvode=use_cvode, rtol=1e-8, atol=1e-8)
    post = sim.Population(1, sim.IF_curr_delta())
    forcer = sim.Population(1, sim.SpikeSourceArray(spike_times=[20.0, 25.0, 60.0, 100.0]))
    sim.Projection(forcer, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=50.0,
                                                                            delay=0.1))
    together = np.array([20.1, 25.1, 60.1, 100.1]) + (2 * f - 1) * delay
    pre_times = np.sort(np.concatenate([together, together - 3.0]))
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=pre_times))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.STDPMechanism(
        dendritic_delay_fraction=f, weight=0.005, delay=delay, **SEEN_TOGETHER[rule][0]()))
    handle = prj._groups[0][2]
    transmitted, emitted = [], h.NetCon(handle.instances.o(0), None)
    emitted.record(lambda: transmitted.append(handle.others.o(0).weight[0]))
    post.record("spikes")
    sim.run(110.0)
    post_times = post.get_data().segments[0].spiketrains[0].magnitude
    final = prj.get("weight", format="list", with_address=False)[0]
    return pre_times, post_times, np.array(transmitted), final


@pytest.mark.parametrize("use_cvode", [False, True])
@pytest.mark.parametrize("f", [1.0, 0.5, 0.0])
@pytest.mark.parametrize("rule", list(SEEN_TOGETHER))
def test_stdp_potentiates_before_depressing_when_pre_and_post_are_seen_together(rule, f,
                                                                                use_cvode):
    pre, post, transmitted, final = seen_together(rule, f, use_cvode=use_cvode)
    seen = np.abs((pre[:, None] + (1 - f) * 2.0) - (post[None, :] + f * 2.0)) < 1e-9
    assert len(post) == 4 and seen.sum() == 4
    expected, expected_final = SEEN_TOGETHER[rule][1](pre, post, 0.005, 2.0, f)
    assert len(set(expected.round(9))) == len(expected)  # every update moved the weight
    assert np.allclose(transmitted, expected, rtol=1e-9, atol=0)
    assert final == pytest.approx(expected_final, rel=1e-9)


def test_delay_and_dendritic_fraction_set_after_creation_move_the_rule():
    prj, post = stdp_network(stdp(f=1.0, dependence="MultiplicativeWeightDependence"))
    prj.set(dendritic_delay_fraction=0.25, delay=3.0)
    assert prj.get("dendritic_delay_fraction", format="list", with_address=False) == [0.25] * 3
    sim.run(200.0)
    check_stdp(prj, post, 0.25, 3.0, weight_dependence="MultiplicativeWeightDependence")


def test_plasticity_goes_on_across_a_recording_restart():
    prj, post = stdp_network(stdp(f=0.5, dependence="AdditiveWeightDependence"))
    sim.run(95.0)
    post.record("v")  # NEURON re-initialises and restores the saved state
    sim.run(105.0)
    check_stdp(prj, post, 0.5, 2.0, weight_dependence="AdditiveWeightDependence")


def test_parameters_per_connection_reach_neuron_and_follow_set():
    pre = sim.Population(2, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(3, sim.IF_cond_exp(tau_syn_E=[2.0, 3.0, 4.0]))
    tm = sim.Projection(pre, post, sim.AllToAllConnector(),
                        sim.TsodyksMarkramSynapse(weight=0.01, U=sim.RandomDistribution(
                            "uniform", (0.1, 0.9), rng=sim.NumpyRNG(seed=3))))
    U = np.array(tm.get("U", format="list", with_address=False))
    assert len(set(U)) == 6 and [s.U for s in instances(tm)] == list(U)
    tm.set(tau_rec=np.arange(6.0) + 50.0)
    assert [s.tau_rec for s in instances(tm)] == list(np.arange(6.0) + 50.0)
    # tau_psc is the receptor's tau, also after a change
    assert [s.taupsc for s in instances(tm)] == [2.0, 2.0, 3.0, 3.0, 4.0, 4.0]
    post.set(tau_syn_E=7.0)
    assert [s.taupsc for s in instances(tm)] == [7.0] * 6
    plastic = sim.Projection(pre, post, sim.AllToAllConnector(), stdp_like_per_connection())
    assert [s.tau_minus for s in instances(plastic)] == list(np.arange(6.0) + 10.0)
    assert {(s.muplus, s.muminus) for s in instances(plastic)} == {(1.0, 1.0)}


def stdp_like_per_connection():
    return sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_minus=(np.arange(6.0) + 10.0).reshape(3, 2).T),
        weight_dependence=sim.MultiplicativeWeightDependence(), weight=0.001)


def test_tsodyks_markram_onto_a_beta_receptor_uses_its_decay_time():
    cell = sim.PointNeuron(sim.LIF(), AMPA=sim.CondBetaPostSynapticResponse(tau_rise=0.5,
                                                                           tau_decay=4.0))
    post = sim.Population(1, cell)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.TsodyksMarkramSynapse(weight=0.01), receptor_type="AMPA")
    assert instances(prj)[0].taupsc == 4.0


def transmitted(seed, n=60):
    """Which of n stochastic connections transmitted at each of 10 spikes."""
    sim.setup(timestep=0.1, rng_seed=seed)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=np.arange(1.0, 11.0) * 10.0))
    post = sim.Population(n, sim.IF_cond_exp(tau_syn_E=1.0))
    sim.Projection(pre, post, sim.AllToAllConnector(),
                   sim.SimpleStochasticSynapse(weight=0.01, delay=1.0, p=0.5))
    post.record("gsyn_exc")
    sim.run(112.0)
    g = post.get_data().segments[0].analogsignals[0].magnitude
    return g[np.arange(1, 11) * 100 + 10 + 1] > 0.005  # one step after each arrival


def test_random_streams_are_reproducible_and_follow_the_seed():
    first, again, other = transmitted(7), transmitted(7), transmitted(8)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    assert 0.35 < first.mean() < 0.65


def test_dynamic_connections_after_a_run_are_refused_until_reset():
    cells = sim.Population(2, sim.IF_cond_exp())
    sim.run(5.0)
    with pytest.raises(NotImplementedError, match="NEURON"):
        sim.Projection(cells, cells, sim.AllToAllConnector(),
                       sim.SimpleStochasticSynapse(weight=0.01))
    sim.run(5.0)
    sim.reset()
    prj = sim.Projection(cells, cells, sim.AllToAllConnector(),
                         sim.SimpleStochasticSynapse(weight=0.01))
    assert len(instances(prj)) == 4


def test_native_synapse_type_exp_syn_per_connection():
    ExpSyn = sim.native_synapse_type("ExpSyn")
    assert ExpSyn.default_parameters == {"weight": 0.0, "delay": None, "tau": 0.1, "e": 0.0}
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(2, sim.IF_cond_exp(tau_syn_E=2.0))
    static = sim.Projection(pre, post[0:1], sim.AllToAllConnector(),
                            sim.StaticSynapse(weight=0.02, delay=1.0))
    native = sim.Projection(pre, post[1:2], sim.AllToAllConnector(),
                            ExpSyn(weight=0.02, delay=1.0, tau=2.0, e=0.0))
    assert instances(native)[0].tau == 2.0 and instances(native)[0].get_segment().sec == \
        post[1:2]._root._handle.sections[1]
    post.record("v")
    sim.run(30.0)
    v = post.get_data().segments[0].analogsignals[0].magnitude
    assert v[:, 1].max() > -64.5  # the ExpSyn's current reaches the cell ...
    # ... as the standard receptor's, but ExpSyn applies g at the start of each step where
    # PnlCondExp applies its mean over the step: dt / (2 tau) = 2.5% of the 2 mV PSP
    assert np.allclose(v[:, 1], v[:, 0], atol=0.03 * (v[:, 0].max() + 65.0))
    native._groups[0][2].netcons.o(0).weight[0] = 0.03  # a mechanism may change its weights
    assert native.get("weight", format="list", with_address=False) == [0.03]
    assert static.get("weight", format="list", with_address=False) == [0.02]
    with pytest.raises(ValueError, match="NEURON"):
        sim.native_synapse_type("IClamp")


class Soma:
    """A 100 µm hh soma with an ExpSyn receptor (tau 2 ms): a native cell type."""

    default_parameters = {}
    receptor_types = ("excitatory",)

    def __init__(self):
        self.soma = h.Section(name="soma")
        self.soma.L = self.soma.diam = 100.0
        self.soma.insert("hh")
        self.source_section = self.soma
        self.excitatory = h.ExpSyn(self.soma(0.5))
        self.excitatory.tau = 2.0


def test_stdp_and_tsodyks_markram_onto_native_cells():
    cells = sim.Population(3, sim.native_cell_type(Soma)())
    forcer = sim.Population(1, sim.SpikeSourceArray(spike_times=[20.0, 60.0, 100.0, 140.0]))
    sim.Projection(forcer, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.5, delay=0.1))
    pre = sim.Population(3, sim.SpikeSourceArray(spike_times=PRE))
    plastic = sim.Projection(pre, cells, sim.OneToOneConnector(),
                             stdp(f=0.5, dependence="AdditiveWeightDependence"))
    tm = sim.Projection(pre, cells, sim.OneToOneConnector(),
                        sim.TsodyksMarkramSynapse(weight=0.0001))
    assert [s.taupsc for s in instances(tm)] == [2.0] * 3  # the ExpSyn's tau
    cells.record("spikes")
    sim.run(200.0)
    check_stdp(plastic, cells, 0.5, 2.0, weight_dependence="AdditiveWeightDependence")


def test_gap_junctions_with_cvode_match_the_reference_integration():
    from test_synapses_every_backend import coupled_hh  # the shared independent integration

    sim.setup(timestep=0.1, use_cvode=True, rtol=1e-7, atol=1e-7)
    cells = sim.Population(2, sim.HH_cond_exp(i_offset=[0.1, 0.0]))
    gap = sim.Projection(cells[0:1], cells[1:2], sim.OneToOneConnector(),
                         sim.ElectricalSynapse(weight=0.002),
                         receptor_type="source_section.gap", source="source_section.gap")
    gap.set(weight=0.005)
    cells.record("v")
    sim.run(15.0)
    v = cells.get_data().segments[0].irregularlysampledsignals[0]
    grid = np.arange(151) * 0.1
    on_grid = np.column_stack([np.interp(grid, v.times.magnitude, v.magnitude[:, k])
                               for k in range(2)])
    assert np.allclose(on_grid, coupled_hh(0.005, 0.1, 15.0), atol=0.01)
    assert gap.get("weight", format="list", with_address=False) == [0.005]


MPI_SCRIPT = '''
import pickle, sys
import numpy as np
import pynnlike.neuron as sim

sim.setup(timestep=0.1, rng_seed=11)
pre = sim.Population(4, sim.SpikeSourceArray(spike_times=[[10.0, 50.0, 90.0], [25.0, 65.0],
                                                          [18.3, 57.1], [30.0]]))
post = sim.Population(5, sim.IF_cond_exp(e_rev_I=0.0, tau_syn_I=1.0, tau_refrac=2.0))
forcer = sim.Population(1, sim.SpikeSourceArray(spike_times=[20.0, 60.0]))
sim.Projection(forcer, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=0.2),
               receptor_type="inhibitory")
stdp = sim.Projection(pre, post, sim.AllToAllConnector(), sim.STDPMechanism(
    timing_dependence=sim.SpikePairRule(A_plus=0.3, A_minus=0.3),
    weight_dependence=sim.MultiplicativeWeightDependence(w_max=0.01),
    dendritic_delay_fraction=0.5, weight=0.005, delay=2.0))
sim.Projection(pre, post, sim.AllToAllConnector(),
               sim.MultiQuantalSynapse(weight=0.001, n=3, delay=1.0))
hh = sim.Population(4, sim.HH_cond_exp(i_offset=[0.5, 0.0, 0.0, 0.0]))
sim.Projection(hh, hh, sim.FromListConnector([(0, 1), (1, 2), (2, 3), (3, 0)]),
               sim.ElectricalSynapse(weight=0.01), receptor_type="source_section.gap")
post.record("gsyn_exc")
hh.record("v")
sim.run(100.0)
out = dict(w=np.array(stdp.get("weight", format="list", with_address=False)),
           gsyn=post.get_data().segments[0].analogsignals[0].magnitude,
           v=hh.get_data().segments[0].analogsignals[0].magnitude)
if sim.rank() == 0:
    pickle.dump(out, open(sys.argv[1], "wb"))
'''


def test_plastic_stochastic_and_gap_synapses_are_the_same_for_1_and_2_processes(tmp_path):
    script = tmp_path / "network.py"
    script.write_text(MPI_SCRIPT)
    env = {**os.environ, "MPIR_CVAR_ENABLE_HEAVY_YIELD": "1"}
    results = []
    for launcher in ([], [os.path.join(os.path.dirname(sys.executable), "mpiexec"), "-n", "2"]):
        done = subprocess.run([*launcher, sys.executable, str(script), str(tmp_path / "out")],
                              capture_output=True, text=True, timeout=300, env=env,
                              cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        results.append(pickle.load(open(tmp_path / "out", "rb")))
    serial, parallel = results
    for name in serial:
        assert np.array_equal(serial[name], parallel[name]), name
    assert len(set(serial["w"].round(12))) > 3  # the weights moved, differently
    assert serial["gsyn"].max() > 0 and serial["v"][:, 1].max() > -64.0
