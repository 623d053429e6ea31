"""Brian2's synapse types beyond the checks every backend shares: STDP with per-connection delays,
dendritic delay fractions off the time grid and tau_minus; stochastic synapses replayed by
reset(); gap junctions within and between groups; synaptic variables named like cell variables;
the cython target. References: synapse_references.py and references.py."""
import brian2
import numpy as np
import pytest

import pynnlike.brian2 as sim
import synapse_references as ref
from references import hh_gap_traces

DT = 0.1


@pytest.fixture(autouse=True)
def fresh():
    sim.setup(timestep=DT)
    yield


def synapse_objects():
    return [o for o in sim.state.driver.net.objects if isinstance(o, brian2.Synapses)
            and "I_inj" not in str(o.equations)]


def jumps(trace, arrivals, tau):
    """Steps of an exponentially decaying trace sampled every DT at the arrival times."""
    steps = np.round(np.asarray(arrivals) / DT).astype(int)
    return trace[steps] - trace[steps - 1] * np.exp(-DT / tau)


# -- STDP ------------------------------------------------------------------------------------
PRE = [[10.3, 25.3, 31.3, 60.3, 95.3, 140.3, 180.3, 230.3],
       [12.3, 40.3, 41.3, 77.3, 101.3, 150.3, 200.3, 241.3],
       [8.3, 30.3, 55.3, 56.3, 120.3, 121.3, 170.3, 250.3],
       [15.3, 45.3, 70.3, 110.3, 160.3, 161.3, 210.3, 260.3]]
KICKS = [[20.0, 60.0, 100.0, 190.0], [35.0, 80.0, 150.0, 205.0], [30.0, 57.0, 122.0, 172.0],
         [12.0, 50.0, 140.0, 255.0]]


def forced_by_current(n, kicks):
    """IF_cond_exp cells made to fire by a short strong current pulse at each kick time."""
    cells = sim.Population(n, sim.IF_cond_exp(tau_m=10.0, v_thresh=-55.0, tau_refrac=2.0))
    for k, times in enumerate(kicks):
        steps = np.repeat(times, 2) + np.tile([0.0, 0.3], len(times))
        sim.StepCurrentSource(times=steps, amplitudes=np.tile([60.0, 0.0], len(times))
                              ).inject_into(cells[k:k + 1])
    cells.record(["spikes", "gsyn_exc"])
    return cells


def test_stdp_with_per_connection_delays_fractions_and_tau_minus_matches_the_reference():
    """Delays, dendritic_delay_fraction (2·f·d off the grid for some) and tau_minus differ per
    connection and are set after creation; Gutig bounds with w_min > 0."""
    delay, f = np.array([1.0, 2.3, 0.7, 3.0]), np.array([1.0, 0.0, 0.25, 0.73])
    tau_minus = np.array([20.0, 10.0, 30.0, 15.0])
    rule = dict(tau_plus=16.0, A_plus=0.05, A_minus=0.06)
    bounds = dict(w_min=0.1, w_max=1.0, mu_plus=0.3, mu_minus=0.7)
    pre = sim.Population(4, sim.SpikeSourceArray(spike_times=PRE))
    post = forced_by_current(4, KICKS)
    prj = sim.Projection(pre, post, sim.OneToOneConnector(), sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_minus=20.0, **rule),
        weight_dependence=sim.GutigWeightDependence(**bounds), weight=0.5))
    prj.set(delay=delay, dendritic_delay_fraction=f, tau_minus=tau_minus)
    sim.run(300.0)
    segment = post.get_data().segments[0]
    final = prj.get("weight", format="list", with_address=False)
    for k in range(4):
        post_times = segment.spiketrains[k].magnitude
        assert len(post_times) >= len(KICKS[k])
        transmitted, expected = ref.stdp(
            PRE[k], post_times, 0.5, delay[k], f[k], tau_minus=tau_minus[k],
            weight_dependence="GutigWeightDependence", **rule, **bounds)
        measured = jumps(segment.analogsignals[0].magnitude[:, k], np.add(PRE[k], delay[k]), 5.0)
        assert np.allclose(measured, transmitted, rtol=0, atol=1e-9), k
        assert final[k] == pytest.approx(expected, abs=1e-12), k
    assert len({round(w, 6) for w in final}) == 4


def test_stdp_potentiates_first_when_pre_and_post_are_seen_at_the_same_instant():
    """For f = 1, 0.5 and 0 (one cell each), every forced post spike is seen at the instant a
    pre spike (t_pre = t_post + (2f - 1)d) is, and 4 ms after another pre spike: potentiation
    then depression, the pre spike transmitting the result (f = 0: in the step that fires the
    cell). Weights too small to move the post spikes."""
    d, fractions, w_max = 1.0, np.array([1.0, 0.5, 0.0]), 0.001
    planned = np.array([20.2, 40.2, 60.2])  # when forced_by_current fires the cells
    trains = [np.sort(np.round(np.r_[planned, planned - 4.0] + (2 * f - 1) * d, 6))
              for f in fractions]
    pair = dict(A_plus=0.05, A_minus=0.06)
    pre = sim.Population(3, sim.SpikeSourceArray(spike_times=trains))
    post = forced_by_current(3, [planned - 0.2] * 3)
    prj = sim.Projection(pre, post, sim.OneToOneConnector(), sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(**pair), weight=0.5 * w_max,
        weight_dependence=sim.MultiplicativeWeightDependence(w_max=w_max), delay=d))
    prj.set(dendritic_delay_fraction=fractions)
    sim.run(70.0)
    segment = post.get_data().segments[0]
    final = prj.get("weight", format="list", with_address=False)
    for k, f in enumerate(fractions):
        assert np.allclose(segment.spiketrains[k].magnitude, planned, rtol=0, atol=1e-9), f
        transmitted, expected = ref.stdp(trains[k], planned, 0.5 * w_max, d, f, **pair, w_max=w_max,
                                         weight_dependence="MultiplicativeWeightDependence")
        g = segment.analogsignals[0].magnitude[:, k]
        arrivals = np.zeros(len(g))  # nothing else reaches the cell
        arrivals[np.round((trains[k] + d) / DT).astype(int)] = transmitted
        measured = jumps(g, DT * np.arange(1, len(g)), 5.0)
        assert np.allclose(measured, arrivals[1:], rtol=0, atol=1e-9 * w_max), f
        assert final[k] == pytest.approx(expected, rel=1e-9, abs=0), f


def test_stdp_sees_post_spikes_two_f_d_late_so_get_shows_the_weight_about_f_d_ago():
    """The documented lag of Projection.get (synapses.py): one pre spike at 10 ms, one post
    spike at t_post; with f = 1 and d = 1.5 ms the rule sees it 3 ms later, in the step that
    ends then (ahead of the pre spikes of that instant): it shows from t_post + 2.9 ms on."""
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0]))
    post = forced_by_current(1, [[14.0]])
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(A_plus=0.1), weight=0.005, delay=1.5,
        weight_dependence=sim.AdditiveWeightDependence(), dendritic_delay_fraction=1.0))
    sim.run(16.0)
    [t_post] = post.get_data().segments[0].spiketrains[0].magnitude
    sim.run_until(t_post + 2.8)
    assert prj.get("weight", format="list", with_address=False) == [0.005]
    sim.run_until(t_post + 2.9)
    [w] = prj.get("weight", format="list", with_address=False)
    assert w == pytest.approx(0.005 + 0.1 * np.exp(-(t_post + 1.5 - 10.0) / 20.0), abs=1e-12)


def test_plastic_zero_weights_onto_current_based_inhibition_grow_negative():
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0, 30.0]))
    post = sim.Population(1, sim.IF_curr_exp(tau_refrac=2.0, i_offset=2.0))
    post.record("spikes")
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(A_plus=0.1, A_minus=0.0), weight=0.0,
        weight_dependence=sim.AdditiveWeightDependence(w_max=0.5)),
        receptor_type="inhibitory")
    sim.run(60.0)
    post_times = post.get_data().segments[0].spiketrains[0].magnitude
    _, expected = ref.stdp([10.0, 30.0], post_times, -0.0, DT, A_plus=0.1, A_minus=0.0,
                           w_max=0.5)
    [w] = prj.get("weight", format="list", with_address=False)
    assert w < 0 and w == pytest.approx(-abs(expected), abs=1e-12)


# -- short-term plasticity -------------------------------------------------------------------
def test_tsodyks_markram_reads_tau_psc_from_the_post_cells_when_spikes_arrive():
    times = [10.0, 20.0, 25.0]
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=times))
    post = sim.Population(2, sim.IF_cond_exp(tau_syn_E=2.0))
    sim.Projection(pre, post, sim.AllToAllConnector(),
                   sim.TsodyksMarkramSynapse(weight=0.01, delay=1.0, U=0.4, tau_rec=50.0))
    post.set(tau_syn_E=[7.0, 50.0])  # after the projection: the synapses follow
    post.record("gsyn_exc")
    sim.run(30.0)
    g = post.get_data().segments[0].analogsignals[0].magnitude
    for k, tau in enumerate([7.0, 50.0]):
        expected = 0.01 * ref.tsodyks_markram(times, U=0.4, tau_rec=50.0, tau_psc=tau)
        assert np.allclose(jumps(g[:, k], np.add(times, 1.0), tau), expected, atol=1e-12)


def test_synaptic_variables_do_not_clash_with_cell_variables():
    """AdEx has w, Izhikevich u, HH n: the synapses' own variables are named *_syn."""
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    adex = sim.Population(1, sim.EIF_cond_exp_isfa_ista())
    izh = sim.Population(1, sim.Izhikevich(), initial_values={"v": -70.0, "u": -14.0})
    hh = sim.Population(1, sim.HH_cond_exp())
    connect = sim.AllToAllConnector()
    sim.Projection(pre, adex, connect, sim.StaticSynapse(weight=0.02, delay=1.0))
    sim.Projection(pre, izh, connect, sim.TsodyksMarkramSynapse(weight=4.0, U=0.25, delay=1.0))
    sim.Projection(pre, hh, connect, sim.MultiQuantalSynapse(weight=0.03, U=1.0, n=3,
                                                            delay=1.0))
    for cells, variable in ((adex, "gsyn_exc"), (izh, "v"), (hh, "gsyn_exc")):
        cells.record(variable)
    sim.run(8.0)
    trace = {p: p.get_data().segments[0].analogsignals[0].magnitude[:, 0]
             for p in (adex, izh, hh)}
    assert trace[adex][60] == pytest.approx(0.02, abs=1e-12)
    assert trace[izh][59] == -70.0 and trace[izh][60] == pytest.approx(-69.0, abs=1e-9)
    assert trace[hh][60] == pytest.approx(0.03, abs=1e-12)  # u = 1: all 3 sites release


# -- stochastic synapses ---------------------------------------------------------------------
def stochastic_run(seed, resets=0):
    sim.setup(timestep=DT, rng_seed=seed)
    times = [5.0, 10.0, 12.0, 30.0]
    pre = sim.Population(200, sim.SpikeSourceArray(spike_times=times))
    post = sim.Population(3, sim.IF_cond_exp(tau_syn_E=2.0))
    every = sim.AllToAllConnector()
    sim.Projection(pre, post[0:1], every, sim.SimpleStochasticSynapse(weight=1e-4, p=0.3))
    sim.Projection(pre, post[1:2], every, sim.StochasticTsodyksMarkramSynapse(
        weight=1e-4, U=0.4, tau_rec=20.0))
    sim.Projection(pre, post[2:3], every, sim.MultiQuantalSynapse(weight=1e-4, U=0.4, n=4,
                                                                  tau_rec=20.0))
    post.record("gsyn_exc")
    for k in range(resets + 1):
        sim.run(40.0)
        if k < resets:
            sim.reset()
    arrivals = np.add(times, DT)
    return [np.column_stack([jumps(s.magnitude[:, c], arrivals, 2.0) for c in range(3)]) / 1e-4
            for s in (segment.analogsignals[0] for segment in post.get_data().segments)]


def test_stochastic_synapses_replay_after_reset_and_follow_the_seed():
    first, replay = stochastic_run(3, resets=1)
    [same_seed] = stochastic_run(3)
    [other_seed] = stochastic_run(4)
    assert np.array_equal(first, replay) and np.array_equal(first, same_seed)
    assert not np.allclose(first, other_seed)
    released = np.round(first * [1, 1, 4])  # whole connections, or quanta of 1/n
    assert np.allclose(first * [1, 1, 4], released, atol=1e-6)
    assert np.all(released[0] > 0) and np.all(released <= [200, 200, 800])


def test_multi_quantal_n_cannot_outgrow_the_code_and_failures_leave_nothing():
    pre = sim.Population(2, sim.SpikeSourceArray(spike_times=[[5.0], [6.0]]))
    post = sim.Population(2, sim.IF_cond_exp())
    prj = sim.Projection(pre, post, sim.OneToOneConnector(),
                         sim.MultiQuantalSynapse(weight=0.01, U=1.0, n=np.diag([1, 3])))
    [synapses] = synapse_objects()
    assert str(synapses.pre.code).count("rand() < u_syn") == 3  # one draw per site
    with pytest.raises(NotImplementedError, match="Brian2.*cannot exceed 3"):
        prj.set(n=4)
    assert prj.get("n", format="list", with_address=False) == [1, 3]
    prj.set(n=[3, 2])
    post.record("gsyn_exc")
    sim.run(10.0)
    g = post.get_data().segments[0].analogsignals[0].magnitude
    assert g[51, 0] == pytest.approx(0.01) and g[61, 1] == pytest.approx(0.01)
    sim.reset()  # restores a = n, the values set last
    assert list(synapses.a_syn[:]) == [3.0, 2.0]


# -- gap junctions ---------------------------------------------------------------------------
def test_gap_junctions_within_and_between_groups_match_an_independent_integration():
    """Cells 0-1 of one group, cell 1 to cell 2 of a group built later (its own NeuronGroup);
    below threshold, so the comparison is not dominated by spike timing."""
    sim.setup(timestep=0.01)
    first = sim.Population(2, sim.HH_cond_exp(i_offset=[0.05, 0.0]))
    sim.Projection(first, first, sim.FromListConnector([(0, 1, 0.004)], column_names=["weight"]),
                   sim.ElectricalSynapse(), receptor_type="source_section.gap")
    second = sim.Population(1, sim.HH_cond_exp(i_offset=-0.05))
    gap = sim.Projection(first[1:2], second, sim.AllToAllConnector(),
                         sim.ElectricalSynapse(weight=0.006),
                         receptor_type="source_section.gap", source="source_section.gap")
    assert second._handle.base is not first._handle.base
    for cells in (first, second):
        cells.record("v")
    sim.run(20.0)
    sim.reset()
    sim.run(20.0)
    traces = [np.column_stack([first.get_data().segments[k].analogsignals[0].magnitude,
                               second.get_data().segments[k].analogsignals[0].magnitude])
              for k in range(2)]
    conductances = np.array([[0.0, 0.004, 0.0], [0.004, 0.0, 0.006], [0.0, 0.006, 0.0]])
    expected = hh_gap_traces(conductances, [0.05, 0.0, -0.05], 20.0, dt=0.01)
    uncoupled = hh_gap_traces(np.zeros((3, 3)), [0.05, 0.0, -0.05], 20.0, dt=0.01)
    assert np.all(np.abs(expected - uncoupled).max(axis=0) > 0.1)
    assert np.allclose(traces[0], expected, atol=0.01)
    assert np.allclose(traces[1], traces[0], atol=1e-9)
    assert gap.get("weight", format="list") == [(0, 0, 0.006)]


# -- code generation -------------------------------------------------------------------------
def test_cython_target_gives_the_numpy_numbers_for_plastic_and_depressing_synapses():
    """One small network compiled (about a minute on 2 cores the first time; cached in
    ~/.cython afterwards)."""
    def traces(target):
        sim.setup(timestep=DT, codegen_target=target)
        pre = sim.Population(2, sim.SpikeSourceArray(spike_times=PRE[:2]))
        post = forced_by_current(2, KICKS[:2])
        sim.Projection(pre, post, sim.OneToOneConnector(), sim.TsodyksMarkramSynapse(
            weight=0.3, U=0.5, tau_rec=40.0, tau_facil=20.0, delay=1.0))
        prj = sim.Projection(pre, post, sim.OneToOneConnector(), sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(A_plus=0.05, A_minus=0.06), weight=0.5,
            weight_dependence=sim.GutigWeightDependence(w_min=0.1), delay=2.0,
            dendritic_delay_fraction=0.25))
        sim.run(280.0)
        segment = post.get_data().segments[0]
        return (segment.analogsignals[0].magnitude, [list(t) for t in segment.spiketrains],
                prj.get("weight", format="list", with_address=False))

    g_numpy, spikes_numpy, w_numpy = traces("numpy")
    g_cython, spikes_cython, w_cython = traces("cython")
    assert brian2.prefs.codegen.target == "cython"
    assert spikes_cython == spikes_numpy and len(spikes_numpy[0]) >= 4
    assert np.allclose(g_cython, g_numpy, atol=1e-12)
    assert np.allclose(w_cython, w_numpy, atol=1e-12) and w_numpy != [0.5, 0.5]
