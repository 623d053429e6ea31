"""Synaptic dynamics (API.md §5) checked on every backend against the event-by-event references
of synapse_references.py.

Pattern of every test: SpikeSourceArray pre-synaptic spikes; post-synaptic spikes forced by a
second SpikeSourceArray through a strong static input on the other receptor type (reversing at
0 mV), so that the recorded conductance carries only the synapses under test.
The post-synaptic spike times each backend actually produced are fed to the reference. The
weight transmitted at each pre-synaptic spike is read from the jump of the recorded conductance
at its arrival time (the exponential decay since the arrival taken out), final weights from
Projection.get. Stochastic synapses: statistics over many independent connections.

Where a simulator cannot do a combination exactly, the backend raises NotImplementedError naming
itself (REFUSED lists them) and these tests assert exactly that, and that the simulator stays
usable.
"""
import importlib

import numpy as np
import pytest

import synapse_references as ref
from references import hh_first_crossing

BACKENDS = ("nest", "neuron", "brian2")
NAMES = {"nest": "NEST", "neuron": "NEURON", "brian2": "Brian2"}
#: combinations a backend refuses with NotImplementedError (API.md §13, issue 6 notes)
REFUSED = {
    "nest": {"StochasticTsodyksMarkramSynapse", "w_min > 0", "dendritic_delay_fraction 0",
             "tau_minus per connection", "ElectricalSynapse"},
    "neuron": set(),
    "brian2": set(),
}
DT = 0.1
W_FORCE = 0.5          # µS of the forcing input: one post-synaptic spike per input spike
FORCE_TIMES = [20.0, 60.0, 100.0, 140.0]
WEIGHT_TOL = 1e-7      # µS: transmitted and final weights (weights here are ~1e-3 µS)


@pytest.fixture(params=BACKENDS)
def sim(request):
    face = importlib.import_module(f"pynnlike.{request.param}")
    face.setup(timestep=DT)
    face.backend = request.param
    return face


def refused(sim, feature, build):
    """If `sim` refuses `feature`: check the NotImplementedError names the backend and that the
    simulator still runs, and return True."""
    if feature not in REFUSED[sim.backend]:
        return False
    with pytest.raises(NotImplementedError, match=NAMES[sim.backend]):
        build()
    cells = sim.Population(1, sim.IF_cond_exp())
    cells.record("v")
    sim.run(1.0)
    assert cells.get_data().segments[0].analogsignals[0].shape == (11, 1)
    return True


# -- measuring transmitted weights ----------------------------------------------------------
def jumps(signal, arrivals, tau, rest=0.0):
    """Amplitude of the jump of an exponentially decaying trace (time constant `tau`, resting
    value `rest`; an AnalogSignal, one column per cell) at each arrival time: the largest
    deconvolved step within one sample after the arrival, scaled back to the arrival time.
    Shape (arrivals, cells)."""
    values = np.asarray(signal.magnitude).reshape(len(signal), -1) - rest
    times = signal.times.rescale("ms").magnitude
    steps = np.zeros_like(values)
    steps[1:] = values[1:] - values[:-1] * np.exp(-DT / tau)
    out = np.empty((len(arrivals), values.shape[1]))
    for a, t in enumerate(arrivals):
        window = np.flatnonzero((times > t - DT / 2) & (times < t + 1.5 * DT))
        k = window[np.argmax(np.abs(steps[window]), axis=0)]
        out[a] = steps[k, np.arange(values.shape[1])] * np.exp((times[k] - t) / tau)
    return out


def diagonal(values):
    """Per-connection values of a one-to-one projection, as the (M, N) array §3.6 takes."""
    return np.diag(np.asarray(values, dtype=float))


def trace(segment, name):
    return next(s for s in segment.analogsignals if s.name == name)


# -- STDP set-up -----------------------------------------------------------------------------
def forced_post(sim, n, force_times=FORCE_TIMES, tested="excitatory"):
    """n IF_cond_exp cells that fire once per forcing spike; the receptor type `tested` is
    free for the synapses under test (the forcing one reverses at 0 mV)."""
    if tested == "excitatory":
        forcing, parameters = "inhibitory", dict(e_rev_I=0.0, tau_syn_I=1.0)
    else:
        forcing, parameters = "excitatory", dict(tau_syn_E=1.0)
    cells = sim.Population(n, sim.IF_cond_exp(tau_refrac=2.0, **parameters))
    forcer = sim.Population(1, sim.SpikeSourceArray(spike_times=force_times))
    sim.Projection(forcer, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=W_FORCE, delay=DT), receptor_type=forcing)
    cells.record(["spikes", "gsyn_exc" if tested == "excitatory" else "gsyn_inh"])
    return cells


# pre trains: potentiation (pre before post), depression (pre after post), mixed; every train
# ends with a spike after the last post spike, so potentiation is visible to Projection.get
PRE_TRAINS = [[10.0, 50.0, 90.0, 130.0, 170.0],
              [25.0, 65.0, 105.0, 145.0, 185.0],
              [18.3, 24.7, 57.1, 63.3, 101.9, 120.4, 175.0],
              [16.0, 56.0, 96.0, 136.0, 176.0]]
DELAY = 2.0
W0 = [0.008, 0.006, 0.005, 0.005]
RULE = dict(tau_plus=[20.0, 15.0, 25.0, 20.0], A_plus=0.3, A_minus=0.3)
PAIR_RULE = dict(RULE, tau_plus=diagonal(RULE["tau_plus"]))
TAU_MINUS = [20.0, 30.0, 10.0, 20.0]   # one per post cell (one-to-one): every backend can do that
BOUNDS = dict(w_min=0.0, w_max=0.01)


def no_coincidence(pre_trains, post_trains, delay, f):
    """The rule never sees a pre and a post spike of one connection at the same instant (where
    the order of the two updates is a convention)."""
    for pre, post in zip(pre_trains, post_trains):
        seen_pre = np.asarray(pre) + (1 - f) * delay
        seen_post = np.asarray(post) + f * delay
        assert np.min(np.abs(seen_pre[:, None] - seen_post[None, :])) > 1e-6


def run_stdp(sim, synapse, pre_trains=PRE_TRAINS, receptor="excitatory", t_stop=200.0,
             post=None):
    n = len(pre_trains)
    pre = sim.Population(n, sim.SpikeSourceArray(spike_times=pre_trains))
    post = post or forced_post(sim, n, tested=receptor)
    prj = sim.Projection(pre, post, sim.OneToOneConnector(), synapse, receptor_type=receptor)
    sim.run(t_stop)
    segment = post.get_data().segments[-1]
    post_trains = [list(t.magnitude) for t in segment.spiketrains]
    return prj, post, segment, post_trains


WEIGHT_DEPENDENCES = {
    "AdditiveWeightDependence": {},
    "MultiplicativeWeightDependence": {},
    "AdditivePotentiationMultiplicativeDepression": {},
    "GutigWeightDependence": dict(mu_plus=0.4, mu_minus=0.7),
}


@pytest.mark.parametrize("f", [1.0, 0.5, 0.0])
@pytest.mark.parametrize("dependence", list(WEIGHT_DEPENDENCES))
def test_spike_pair_rule_transmits_and_ends_with_the_reference_weights(sim, dependence, f):
    extra = WEIGHT_DEPENDENCES[dependence]
    synapse = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_minus=diagonal(TAU_MINUS), **PAIR_RULE),
        weight_dependence=getattr(sim, dependence)(**BOUNDS, **extra),
        dendritic_delay_fraction=f, weight=diagonal(W0), delay=DELAY)
    if f == 0.0 and refused(sim, "dendritic_delay_fraction 0",
                            lambda: run_stdp(sim, synapse)):
        return
    prj, post, segment, post_trains = run_stdp(sim, synapse)
    assert [len(t) for t in post_trains] == [len(FORCE_TIMES)] * len(PRE_TRAINS)
    no_coincidence(PRE_TRAINS, post_trains, DELAY, f)
    final = prj.get("weight", format="list", with_address=False)
    for k, (pre, post_times) in enumerate(zip(PRE_TRAINS, post_trains)):
        transmitted, expected_final = ref.stdp(
            pre, post_times, W0[k], DELAY, f, tau_plus=RULE["tau_plus"][k],
            tau_minus=TAU_MINUS[k], A_plus=RULE["A_plus"], A_minus=RULE["A_minus"],
            weight_dependence=dependence, **BOUNDS, **extra)
        measured = jumps(trace(segment, "gsyn_exc"), np.asarray(pre) + DELAY, tau=5.0)[:, k]
        assert np.allclose(measured, transmitted, rtol=0, atol=WEIGHT_TOL), k
        assert final[k] == pytest.approx(expected_final, abs=WEIGHT_TOL), k
    # the pattern potentiates and depresses (to the lower bound when additive)
    assert final[3] > W0[3] and final[1] < W0[1]
    assert final[1] == 0.0 or dependence != "AdditiveWeightDependence"


def test_spike_pair_rule_on_negative_current_based_weights_keeps_the_sign(sim):
    weights = [-0.008, -0.006, -0.005, -0.005]
    synapse = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_minus=20.0, tau_plus=20.0, A_plus=0.2,
                                            A_minus=0.25),
        weight_dependence=sim.MultiplicativeWeightDependence(**BOUNDS),
        weight=diagonal(weights), delay=DELAY)
    n = len(PRE_TRAINS)
    post = sim.Population(n, sim.IF_curr_exp(tau_refrac=2.0, tau_syn_E=0.5))
    forcer = sim.Population(1, sim.SpikeSourceArray(spike_times=FORCE_TIMES))
    sim.Projection(forcer, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=40.0,
                                                                             delay=DT))
    post.record("spikes")
    prj, post, segment, post_trains = run_stdp(sim, synapse, receptor="inhibitory", post=post)
    assert [len(t) for t in post_trains] == [len(FORCE_TIMES)] * len(PRE_TRAINS)
    final = prj.get("weight", format="list", with_address=False)
    for k, (pre, post_times) in enumerate(zip(PRE_TRAINS, post_trains)):
        _, expected = ref.stdp(pre, post_times, weights[k], DELAY, 1.0, A_plus=0.2,
                               A_minus=0.25, weight_dependence="MultiplicativeWeightDependence",
                               **BOUNDS)
        assert expected < 0
        assert final[k] == pytest.approx(expected, abs=WEIGHT_TOL), k


def test_spike_pair_rule_with_w_min_above_zero(sim):
    bounds = dict(w_min=0.003, w_max=0.01)
    synapse = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_minus=20.0, **PAIR_RULE),
        weight_dependence=sim.MultiplicativeWeightDependence(**bounds),
        weight=diagonal(W0), delay=DELAY)
    if refused(sim, "w_min > 0", lambda: run_stdp(sim, synapse)):
        return
    prj, post, segment, post_trains = run_stdp(sim, synapse)
    final = prj.get("weight", format="list", with_address=False)
    for k, (pre, post_times) in enumerate(zip(PRE_TRAINS, post_trains)):
        transmitted, expected = ref.stdp(
            pre, post_times, W0[k], DELAY, 1.0, tau_plus=RULE["tau_plus"][k], tau_minus=20.0,
            A_plus=RULE["A_plus"], A_minus=RULE["A_minus"],
            weight_dependence="MultiplicativeWeightDependence", **bounds)
        measured = jumps(trace(segment, "gsyn_exc"), np.asarray(pre) + DELAY, tau=5.0)[:, k]
        assert np.allclose(measured, transmitted, rtol=0, atol=WEIGHT_TOL), k
        assert final[k] == pytest.approx(expected, abs=WEIGHT_TOL), k
    assert min(final) > bounds["w_min"] - 1e-12


def test_spike_pair_rule_with_tau_minus_per_connection_onto_one_cell(sim):
    trains = PRE_TRAINS[:2]
    tau_minus = [10.0, 30.0]
    synapse = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_minus=np.array([tau_minus]).T, tau_plus=20.0,
                                            A_plus=0.2,
                                            A_minus=0.25),
        weight_dependence=sim.AdditiveWeightDependence(**BOUNDS), weight=0.005, delay=DELAY)

    def build():
        pre = sim.Population(2, sim.SpikeSourceArray(spike_times=trains))
        post = forced_post(sim, 1)
        prj = sim.Projection(pre, post, sim.AllToAllConnector(), synapse)
        return prj, post

    if refused(sim, "tau_minus per connection", build):
        return
    prj, post = build()
    sim.run(200.0)
    post_times = list(post.get_data().segments[0].spiketrains[0].magnitude)
    final = prj.get("weight", format="list", with_address=False)
    for k in range(2):
        _, expected = ref.stdp(trains[k], post_times, 0.005, DELAY, 1.0, tau_minus=tau_minus[k],
                               A_plus=0.2, A_minus=0.25, **BOUNDS)
        assert final[k] == pytest.approx(expected, abs=WEIGHT_TOL), k
    assert final[0] != pytest.approx(final[1], abs=1e-5)


@pytest.mark.parametrize("f, receptor", [(1.0, "excitatory"), (0.5, "excitatory"),
                                         (1.0, "inhibitory")])
def test_vogels2011_rule_matches_the_reference(sim, f, receptor):
    rule = dict(tau=20.0, eta=0.0005, rho=10.0)
    bounds = dict(w_min=0.0, w_max=0.05)  # far above the weights reached
    w0 = [0.004, 0.0005, 0.003]
    synapse = sim.STDPMechanism(timing_dependence=sim.Vogels2011Rule(**rule),
                                weight_dependence=sim.AdditiveWeightDependence(**bounds),
                                dendritic_delay_fraction=f, weight=diagonal(w0), delay=DELAY)
    trains = [PRE_TRAINS[0], [180.0, 182.0, 184.0, 186.0, 188.0, 190.0], PRE_TRAINS[2]]
    prj, post, segment, post_trains = run_stdp(sim, synapse, pre_trains=trains,
                                               receptor=receptor)
    no_coincidence(trains, post_trains, DELAY, f)
    conductance = "gsyn_exc" if receptor == "excitatory" else "gsyn_inh"
    final = prj.get("weight", format="list", with_address=False)
    for k, (pre, post_times) in enumerate(zip(trains, post_trains)):
        transmitted, expected = ref.vogels2011(pre, post_times, w0[k], DELAY, f, **rule,
                                               **bounds)
        measured = jumps(trace(segment, conductance), np.asarray(pre) + DELAY, tau=5.0)[:, k]
        assert np.allclose(measured, transmitted, rtol=0, atol=WEIGHT_TOL), k
        assert final[k] == pytest.approx(expected, abs=WEIGHT_TOL), k
    assert final[1] == 0.0  # depressed to the bound


def stdp_network(sim):
    synapse = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_minus=20.0, tau_plus=20.0, A_plus=0.2,
                                            A_minus=0.25),
        weight_dependence=sim.AdditiveWeightDependence(**BOUNDS), weight=diagonal(W0),
        delay=DELAY)
    pre = sim.Population(4, sim.SpikeSourceArray(spike_times=PRE_TRAINS))
    post = forced_post(sim, 4)
    return sim.Projection(pre, post, sim.OneToOneConnector(), synapse)


def test_reset_restores_the_last_weights_set_and_replays_the_plasticity(sim):
    prj = stdp_network(sim)
    sim.run(200.0)
    first = prj.get("weight", format="list", with_address=False)
    assert not np.allclose(first, W0)
    sim.reset()
    assert np.allclose(prj.get("weight", format="list", with_address=False), W0, atol=1e-12)
    sim.run(200.0)
    assert np.allclose(prj.get("weight", format="list", with_address=False), first,
                       rtol=0, atol=WEIGHT_TOL)
    prj.set(weight=0.007)
    sim.reset()
    assert np.allclose(prj.get("weight", format="list", with_address=False), 0.007,
                       atol=1e-12)


def test_weight_recorder_samples_the_weights_during_a_run(sim):
    from pynnlike.recording.weights import WeightRecorder

    prj = stdp_network(sim)
    recorder = WeightRecorder(prj, sampling_interval=40.0)
    sim.run(200.0, callbacks=[recorder])
    weights = recorder.get_weights()
    assert weights.shape == (6, 4)
    assert str(weights.units.dimensionality) == "uS"
    assert np.allclose(weights.magnitude[0], W0)
    assert np.allclose(weights.magnitude[-1], prj.get("weight", format="list",
                                                      with_address=False))
    changes = np.flatnonzero(np.any(np.diff(weights.magnitude, axis=0) != 0, axis=1))
    assert len(changes) >= 4  # the weights change during the run, not only at its end
    assert list(weights.array_annotations["postsynaptic_index"]) == [0, 1, 2, 3]


# -- short-term plasticity -------------------------------------------------------------------
TM_TIMES = [10.0, 15.0, 20.0, 25.0, 60.0, 62.0, 64.0, 150.0]
TM = dict(U=[0.5, 0.5, 0.1, 0.3], tau_rec=[100.0, 50.0, 200.0, 5.0],
          tau_facil=[0.0, 0.0, 300.0, 20.0])
TAU_SYN = [2.0, 5.0, 10.0, 5.0]  # the last equals its tau_rec: the limit case of §5


def tsodyks_markram_network(sim, receptor="excitatory", weight=0.01):
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=TM_TIMES))
    post = sim.Population(4, sim.IF_cond_exp(tau_syn_E=TAU_SYN, tau_syn_I=TAU_SYN))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.TsodyksMarkramSynapse(weight=weight, delay=1.0,
                                                   **{k: np.array([v]) for k, v in TM.items()}),
                         receptor_type=receptor)
    post.record(["gsyn_exc", "gsyn_inh"])
    return prj, post


def expected_tm(k, weight=0.01):
    return weight * ref.tsodyks_markram(TM_TIMES, U=TM["U"][k], tau_rec=TM["tau_rec"][k],
                                        tau_facil=TM["tau_facil"][k], tau_psc=TAU_SYN[k])


@pytest.mark.parametrize("receptor", ["excitatory", "inhibitory"])
def test_tsodyks_markram_transmits_u_times_x(sim, receptor):
    prj, post = tsodyks_markram_network(sim, receptor)
    sim.run(160.0)
    segment = post.get_data().segments[0]
    name = "gsyn_exc" if receptor == "excitatory" else "gsyn_inh"
    for k in range(4):
        measured = jumps(trace(segment, name), np.asarray(TM_TIMES) + 1.0, TAU_SYN[k])[:, k]
        assert np.allclose(measured, expected_tm(k), rtol=1e-5, atol=1e-9), k
    assert prj.get("tau_rec", format="list", with_address=False) == TM["tau_rec"]


def test_tsodyks_markram_initialize_reset_and_u(sim):
    prj, post = tsodyks_markram_network(sim)
    assert prj.get("u", format="list", with_address=False) == [0.0] * 4
    prj.initialize(u=[0.2, 0.4, 0.6, 0.8])
    assert prj.get("u", format="list", with_address=False) == [0.2, 0.4, 0.6, 0.8]
    sim.run(160.0)
    sim.reset()
    sim.run(160.0)
    for segment in post.get_data().segments:
        for k in range(4):
            # §5: the first spike sets u from U alone (Δ = ∞), whatever the initial u
            measured = jumps(trace(segment, "gsyn_exc"), np.asarray(TM_TIMES) + 1.0,
                             TAU_SYN[k])[:, k]
            assert np.allclose(measured, expected_tm(k), rtol=1e-5, atol=1e-9), k


def test_tsodyks_markram_onto_a_delta_receptor_uses_the_instantaneous_limit(sim):
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=TM_TIMES))
    post = sim.Population(2, sim.IF_curr_delta(tau_m=1000.0))
    sim.Projection(pre, post, sim.AllToAllConnector(),
                   sim.TsodyksMarkramSynapse(weight=0.5, delay=1.0, U=np.array([[0.5, 0.1]]),
                                             tau_rec=np.array([[100.0, 200.0]]),
                                             tau_facil=np.array([[0.0, 300.0]])))
    post.record("v")
    sim.run(160.0)
    segment = post.get_data().segments[0]
    for k, (U, tau_rec, tau_facil) in enumerate([(0.5, 100.0, 0.0), (0.1, 200.0, 300.0)]):
        expected = 0.5 * ref.tsodyks_markram(TM_TIMES, U=U, tau_rec=tau_rec,
                                             tau_facil=tau_facil, tau_psc=0.0)
        measured = jumps(trace(segment, "v"), np.asarray(TM_TIMES) + 1.0, 1000.0,
                         rest=-65.0)[:, k]
        assert np.allclose(measured, expected, rtol=1e-4, atol=1e-6), k


def transmissions(sim, synapse, n_post, times, weight):
    """Fraction of `weight` transmitted to each of n_post cells at each spike of one source
    (shape spikes x cells), from the jumps of gsyn_exc."""
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=times))
    post = sim.Population(n_post, sim.IF_cond_exp(tau_syn_E=2.0))
    sim.Projection(pre, post, sim.AllToAllConnector(), synapse)
    post.record("gsyn_exc")
    sim.run(times[-1] + 5.0)
    signal = post.get_data().segments[0].analogsignals[0]
    return jumps(signal, np.asarray(times) + 1.0, 2.0) / weight


def test_simple_stochastic_synapse_transmits_with_probability_p(sim):
    times = list(np.arange(10.0, 210.0, 10.0))
    fractions = transmissions(sim, sim.SimpleStochasticSynapse(weight=0.01, delay=1.0, p=0.3),
                              100, times, 0.01)
    released = fractions > 0.5
    assert np.allclose(fractions[released], 1.0, rtol=1e-5)
    assert np.allclose(fractions[~released], 0.0, atol=1e-5)
    trials = released.size  # 2000 Bernoulli(0.3) trials: mean 600, sd 20.5
    assert abs(released.sum() - 0.3 * trials) < 5 * np.sqrt(trials * 0.3 * 0.7)
    assert len({tuple(c) for c in released.T}) > 50  # independent between connections


def test_multi_quantal_synapse_matches_the_mean_release(sim):
    times = [10.0, 20.0, 30.0, 40.0, 50.0, 100.0, 105.0, 110.0, 300.0]
    n_sites, n_post = 3, 400
    params = dict(U=0.4, n=n_sites, tau_rec=60.0, tau_facil=30.0)
    fractions = transmissions(sim, sim.MultiQuantalSynapse(weight=0.03, delay=1.0, **params),
                              n_post, times, 0.03)
    quanta = fractions * n_sites
    assert np.allclose(quanta, np.round(quanta), atol=1e-4)  # k/n of the weight, k in 0..n
    assert set(np.round(quanta).astype(int).ravel()) <= set(range(n_sites + 1))
    expected = ref.multiquantal_mean(times, **params)
    sd = fractions.std(axis=1, ddof=1) / np.sqrt(n_post)
    assert np.all(np.abs(fractions.mean(axis=1) - expected) < 5 * sd + 1e-9)
    totals = fractions.sum(axis=0)  # per connection: independent between connections
    assert abs(totals.mean() - expected.sum()) < 5 * totals.std(ddof=1) / np.sqrt(n_post)


def test_stochastic_tsodyks_markram_synapse_matches_the_mean_release(sim):
    times = [10.0, 20.0, 30.0, 40.0, 50.0, 100.0, 105.0, 300.0]
    params = dict(U=0.4, tau_rec=60.0, tau_facil=30.0)
    n_post = 400
    synapse = sim.StochasticTsodyksMarkramSynapse(weight=0.02, delay=1.0, **params)
    if refused(sim, "StochasticTsodyksMarkramSynapse",
               lambda: transmissions(sim, synapse, n_post, times, 0.02)):
        return
    fractions = transmissions(sim, synapse, n_post, times, 0.02)
    released = fractions > 0.5
    assert np.allclose(fractions[released], 1.0, rtol=1e-5)
    expected = ref.stochastic_tsodyks_markram_mean(times, **params)
    observed = released.mean(axis=1)
    assert np.all(np.abs(observed - expected) < 5 * np.sqrt(expected * (1 - expected) / n_post)
                  + 1e-9)


# -- gap junctions ---------------------------------------------------------------------------
def coupled_hh(g, i_offset, t_stop):
    """Two HH_cond_exp cells (API.md §4.3, defaults) joined by a gap junction of g µS, cell 0
    driven by i_offset nA: v of both every 0.1 ms (an independent high-accuracy integration)."""
    from scipy.integrate import solve_ivp

    def linear(x, y):  # x / (exp(x / y) - 1), with its limit y at x = 0
        small = np.abs(x) < 1e-9
        safe = np.where(small, 1.0, x)
        return np.where(small, y, safe / np.expm1(safe / y))

    drive = np.array([i_offset, 0.0])

    def derivative(t, s):
        v, m, h, n = s.reshape(4, 2)
        u = v + 63.0
        am, bm = 0.32 * linear(13 - u, 4), 0.28 * linear(u - 40, 5)
        ah, bh = 0.128 * np.exp((17 - u) / 18), 4 / (1 + np.exp((40 - u) / 5))
        an, bn = 0.032 * linear(15 - u, 5), 0.5 * np.exp((10 - u) / 40)
        current = (0.01 * (-65.0 - v) + 20.0 * m ** 3 * h * (50.0 - v)
                   + 6.0 * n ** 4 * (-90.0 - v) + drive + g * (v[::-1] - v))
        return np.concatenate([current / 0.2, am * (1 - m) - bm * m, ah * (1 - h) - bh * h,
                               an * (1 - n) - bn * n])

    times = np.arange(int(round(t_stop / 0.1)) + 1) * 0.1
    start = np.array([-65.0, -65.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    solution = solve_ivp(derivative, (0.0, t_stop), start, method="DOP853", t_eval=times,
                         rtol=1e-10, atol=1e-10)
    return solution.y[:2].T


def test_reference_of_coupled_hh_cells_without_coupling_is_the_single_cell_one():
    v = coupled_hh(0.0, 1.0, 4.0)
    first = np.argmax(v[:, 0] > 0.0) * 0.1
    assert abs(first - hh_first_crossing(v0=-65.0)) < 0.1
    assert np.allclose(v[:, 1], v[0, 1], atol=1.0)  # uncoupled, undriven: near rest


def test_electrical_synapse_couples_two_hh_cells(sim):
    def build():
        cells = sim.Population(2, sim.HH_cond_exp(i_offset=[0.1, 0.0]))
        sim.Projection(cells[0:1], cells[1:2], sim.OneToOneConnector(),
                       sim.ElectricalSynapse(weight=0.005),
                       receptor_type="source_section.gap", source="source_section.gap")
        return cells

    if refused(sim, "ElectricalSynapse", build):
        return
    sim.setup(timestep=0.01)
    cells = build()
    cells.record("v")
    sim.run(15.0)
    v = cells.get_data().segments[0].analogsignals[0].magnitude[::10]
    expected = coupled_hh(0.005, 0.1, 15.0)
    assert np.allclose(v, expected, atol=0.05)
    uncoupled = coupled_hh(0.0, 0.1, 15.0)
    assert expected[-1, 1] - uncoupled[-1, 1] > 0.4  # the coupling is visible in cell 1


def test_electrical_synapse_needs_the_gap_receptor(sim):
    cells = sim.Population(2, sim.HH_cond_exp())
    with pytest.raises(sim.errors.ConnectionError):
        sim.Projection(cells, cells, sim.OneToOneConnector(),
                       sim.ElectricalSynapse(weight=0.005), receptor_type="excitatory")
