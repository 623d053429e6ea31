"""The whole API on Brian2: numbers against closed forms, the API's check values and the Brian2
objects pynnlike builds. Code generation: the numpy target (nothing to compile) everywhere but
one small network run with both targets, whose cython build (about a minute on 2 cores the first
time) is cached in ~/.cython afterwards."""
import brian2
import numpy as np
import pytest

import pynnlike.brian2 as sim
from pynnlike import errors
from references import analytic_period, hh_first_crossing


@pytest.fixture(autouse=True)
def fresh():
    sim.setup(timestep=0.1)
    yield


def driver():
    return sim.state.driver


def synapse_objects():
    return [o for o in driver().net.objects if isinstance(o, brian2.Synapses)
            and "I_inj" not in str(o.equations)]


def test_i_offset_and_heterogeneous_tau_refrac_give_the_analytic_period():
    sim.setup(timestep=0.01)
    parameters = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-70.0, v_thresh=-50.0)
    refrac = [2.0, 0.5, 3.0]
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=[1.0, 1.5, 2.0], tau_refrac=refrac,
                                              **parameters))
    cells.initialize(v=-70.0)
    cells.record("spikes")
    sim.run(110.0)
    trains = cells.get_data().segments[0].spiketrains
    for i_offset, tau_refrac, train in zip([1.0, 1.5, 2.0], refrac, trains):
        period = analytic_period(i=i_offset, tau_refrac=tau_refrac, **parameters)
        first = analytic_period(i=i_offset, tau_refrac=0.0, **parameters)
        assert train.magnitude[0] == pytest.approx(first, abs=0.011)
        assert np.allclose(np.diff(train.magnitude), period, atol=0.011)


def test_set_after_a_run_updates_the_derived_reciprocals_and_refractory_time():
    """tau_m, cm, tau_refrac enter the equations as r_tau_m, r_c_m, t_refrac: set() after a
    run must rewrite them (per cell), and get() must still give the standard values."""
    sim.setup(timestep=0.01)
    parameters = dict(v_rest=-65.0, v_reset=-70.0, v_thresh=-50.0, i_offset=1.5)
    cells = sim.Population(3, sim.IF_curr_exp(tau_m=20.0, cm=1.0, tau_refrac=2.0,
                                              **parameters))
    sim.run(5.0)
    tau_m, cm, refrac = [10.0, 20.0, 30.0], [0.5, 1.0, 2.0], [1.0, 3.0, 0.5]
    cells.set(tau_m=tau_m, cm=cm, tau_refrac=refrac)
    assert np.allclose(cells.get("tau_m"), tau_m) and np.allclose(cells.get("cm"), cm)
    group = cells._handle.base
    assert np.allclose(group.r_tau_m[:], 1 / np.array(tau_m))
    assert np.allclose(group.t_refrac[:] / brian2.ms, np.array(refrac) + 0.01)
    sim.reset()
    cells.initialize(v=-70.0)
    cells.record("spikes")
    sim.run(150.0)
    trains = cells.get_data().segments[-1].spiketrains
    for k, train in enumerate(trains):
        values = dict(parameters, tau_m=tau_m[k], cm=cm[k], v_rest=-65.0)
        values.pop("i_offset")
        period = analytic_period(i=1.5, tau_refrac=refrac[k], **values)
        assert len(train) > 2
        assert np.allclose(np.diff(train.magnitude), period, atol=0.011)


def test_dc_source_changes_v_from_start_plus_dt_and_several_runs_continue():
    cells = sim.Population(1, sim.IF_curr_exp(tau_m=10.0, cm=1.0))
    sim.DCSource(amplitude=1.0, start=5.0, stop=15.0).inject_into(cells)
    cells.record("v")
    sim.run(12.0)
    sim.run(18.0)
    v = cells.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    t = np.arange(301) * 0.1
    on = np.clip(t - 5.0, 0, 10.0)
    rise = -65.0 + 10.0 * (1 - np.exp(-on / 10.0))
    expected = np.where(t <= 15.0, rise, -65.0 + (rise[150] + 65.0) * np.exp(-(t - 15.0) / 10.0))
    assert v[50] == -65.0 and v[51] > -65.0
    assert np.allclose(v, expected, atol=1e-6)


def test_step_and_ac_sources_follow_their_waveforms_and_updates():
    cells = sim.Population(2, sim.IF_curr_exp(tau_m=10.0, cm=1.0))
    step = sim.StepCurrentSource(times=[2.0, 6.0], amplitudes=[0.5, -0.5])
    step.inject_into(cells[0:1])
    ac = sim.ACSource(amplitude=0.4, offset=0.1, frequency=100.0, start=1.0, stop=8.0)
    ac.inject_into(cells)
    cells.record("v")
    sim.run(5.0)
    ac.amplitude = 0.2  # from t = 5 on
    sim.run(5.0)
    v = cells.get_data().segments[0].analogsignals[0].magnitude
    # integrate dv/dt = -(v + 65)/10 + I exactly over each step with I(t_k) held on (t_k, t_k+dt]
    k = np.arange(100)
    t = k * 0.1
    amplitude = np.where(t < 5.0 - 1e-9, 0.4, 0.2)
    i_ac = np.where((t >= 1.0 - 1e-9) & (t < 8.0 - 1e-9),
                    0.1 + amplitude * np.sin(2 * np.pi * 100.0 * (t - 1.0) / 1000.0), 0.0)
    i_step = np.where(t >= 6.0 - 1e-9, -0.5, np.where(t >= 2.0 - 1e-9, 0.5, 0.0))
    decay = np.exp(-0.1 / 10.0)
    for cell, current in ((0, i_ac + i_step), (1, i_ac)):
        expected = [-65.0]
        for i in current:
            expected.append(-65.0 + (expected[-1] + 65.0) * decay + 10.0 * i * (1 - decay))
        assert np.allclose(v[:, cell], expected, atol=1e-9)
    assert step.get_parameters()["times"][0] == 2.0


def test_connections_are_one_synapses_object_and_round_trip():
    pre = sim.Population(30, sim.IF_cond_exp())
    post = sim.Population(20, sim.IF_cond_exp())
    prj = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.3, rng=sim.NumpyRNG(5)),
                         sim.StaticSynapse(weight=sim.RandomDistribution(
                             "uniform", (0.01, 0.02), rng=sim.NumpyRNG(6)),
                             delay=sim.RandomDistribution("uniform", (1.0, 3.0),
                                                          rng=sim.NumpyRNG(7))),
                         receptor_type="inhibitory")
    draws = np.random.RandomState(5).uniform(size=(20, 30))
    assert len(prj) == int((draws < 0.3).sum())
    [synapses] = synapse_objects()
    i, j, weights, delays = np.array(prj.get(["weight", "delay"], "list")).T
    # both populations are slices of one NeuronGroup
    assert post._handle.offset == 30 and synapses.source is synapses.target
    # Brian2 stores them in presynaptic order (the connector's is postsynaptic); ids maps
    [(_, _, handle)] = prj._groups
    assert np.all(np.diff(synapses.i[:]) >= 0) and not np.all(np.diff(i) >= 0)
    assert np.array_equal(synapses.i[:][handle.ids], i.astype(int))
    assert np.array_equal(synapses.j[:][handle.ids], j.astype(int) + 30)
    assert np.allclose(synapses.w_syn[:][handle.ids], weights) and np.all(weights > 0)
    assert len(np.unique(delays)) > 5  # heterogeneous, one Brian2 delay per synapse
    assert np.allclose(synapses.delay[:][handle.ids] / brian2.ms, delays - 0.1)
    matrix = 0.01 + 1e-4 * np.arange(600.0).reshape(30, 20)  # distinct per (pre, post)
    prj.set(weight=matrix)
    ii, jj = i.astype(int), j.astype(int)
    assert np.allclose(synapses.w_syn[:][handle.ids], matrix[ii, jj])
    assert np.allclose(synapses.w_syn[:], matrix[synapses.i[:], synapses.j[:] - 30])
    assert np.allclose(np.array(prj.get("weight", "list"))[:, 2], matrix[ii, jj])
    prj.set(weight=0.05)
    assert np.allclose(synapses.w_syn[:], 0.05)
    assert "g_I_post += w_syn" in str(synapses.pre.code)


def test_heterogeneous_delays_deliver_each_spike_at_its_own_time():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0]))
    cells = sim.Population(3, sim.IF_curr_delta())
    sim.Projection(stimulus, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=[[1.0, 2.0, 3.0]], delay=[[1.0, 2.5, 4.0]]))
    cells.record("v")
    sim.run(10.0)
    v = cells.get_data().segments[0].analogsignals[0].magnitude
    t = np.arange(101) * 0.1
    for cell, (weight, delay) in enumerate([(1.0, 1.0), (2.0, 2.5), (3.0, 4.0)]):
        arrival = 2.0 + delay
        jumped = t >= arrival - 1e-9
        assert np.allclose(v[~jumped, cell], -65.0)
        assert np.allclose(v[jumped, cell], -65.0 + weight * np.exp(-(t[jumped] - arrival) / 20.0))


def test_delta_input_fires_in_its_own_step_and_is_discarded_while_refractory():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0, 3.0, 3.5]))
    cells = sim.Population(1, sim.IF_curr_delta(tau_refrac=2.0, v_thresh=-55.0))
    sim.Projection(stimulus, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=20.0, delay=1.0))
    cells.record(["spikes", "v"])
    sim.run(8.0)
    segment = cells.get_data().segments[0]
    # the jump at 2.0 fires at 2.0; the input at 4.0 and 4.5 arrives while v is held (until 4.0
    # inclusive) for the first, after it for the second
    assert list(segment.spiketrains[0].magnitude) == pytest.approx([2.0, 4.5])


def test_two_spike_times_of_a_cell_in_one_step_are_not_sent_silently():
    """NEST and NEURON send both; Brian2 sends one spike per step and cell, and says so."""
    with pytest.warns(UserWarning, match="1 of the spike times"):
        stimulus = sim.Population(2, sim.SpikeSourceArray(spike_times=[[1.0, 3.0],
                                                                       [2.02, 2.05]]))
    cells = sim.Population(2, sim.IF_curr_delta())
    sim.Projection(stimulus, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=1.0, delay=1.0))
    cells.record("v")
    sim.run(5.0)
    v = cells.get_data().segments[0].analogsignals[0].magnitude
    assert v[:, 1].max() + 65.0 == pytest.approx(1.0, abs=0.01)  # one jump of 1 mV, not two


def test_alpha_kernels_peak_at_the_weight_after_tau_syn():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cells = sim.Population(1, sim.IF_cond_alpha(tau_syn_E=2.0, tau_syn_I=4.0))
    for receptor, weight in (("excitatory", 0.01), ("inhibitory", 0.03)):
        sim.Projection(stimulus, cells, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=weight, delay=1.0), receptor_type=receptor)
    cells.record(["gsyn_exc", "gsyn_inh"])
    sim.run(15.0)
    signals = {s.name: s.magnitude[:, 0] for s in cells.get_data().segments[0].analogsignals}
    t = np.arange(151) * 0.1 - 2.0
    for name, weight, tau in (("gsyn_exc", 0.01, 2.0), ("gsyn_inh", 0.03, 4.0)):
        expected = np.where(t > 0, weight * t / tau * np.exp(1 - t / tau), 0.0)
        assert np.allclose(signals[name], expected, atol=1e-7)
        assert signals[name].max() == pytest.approx(weight, rel=1e-6)


def test_bad_input_is_refused_and_nothing_is_left_behind():
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    with pytest.raises(errors.NonExistentParameterError):
        cells.set(tau_mm=3.0)
    objects = len(driver().net.objects)
    with pytest.raises(errors.InvalidParameterValueError):
        sim.Population(2, sim.IF_curr_exp(tau_m=[10.0, -1.0]))
    assert len(driver().net.objects) == objects
    with pytest.raises(errors.InvalidParameterValueError):
        cells.set(cm=0.0)
    with pytest.raises(errors.ConnectionError):
        sim.Projection(cells, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.1),
                       receptor_type="excitatory")
    with pytest.raises(errors.ConnectionError):
        sim.Projection(cells, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1),
                       receptor_type="AMPA")
    with pytest.raises(errors.InvalidParameterValueError):
        sim.Projection(cells, cells, sim.AllToAllConnector(), sim.MultiQuantalSynapse(n=2.5))
    cells.record("spikes")
    sim.run(100.0)
    assert len(synapse_objects()) == 0
    assert cells.get("cm") == 1.0
    assert cells.get_spike_counts()[cells[0]] > 0


def test_reset_replays_a_deterministic_network_exactly_with_set_values():
    stimulus = sim.Population(2, sim.SpikeSourceArray(spike_times=[[5.0, 20.0], [7.5]]))
    cells = sim.Population(3, sim.IF_curr_exp(tau_m=10.0))
    prj = sim.Projection(stimulus, cells, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight=2.0, delay=1.0))
    cells.record(["v", "spikes"])
    sim.run(40.0)
    prj.set(weight=3.0)
    cells.initialize(v=-60.0)
    sim.reset()
    sim.run(40.0)
    sim.reset()
    sim.run(40.0)
    first, second, third = cells.get_data().segments
    assert first.analogsignals[0].magnitude[0, 0] == -65.0
    assert second.analogsignals[0].magnitude[0, 0] == -60.0
    assert np.array_equal(second.analogsignals[0].magnitude, third.analogsignals[0].magnitude)
    assert second.analogsignals[0].magnitude.max() > first.analogsignals[0].magnitude.max()
    assert [list(t) for t in second.spiketrains] == [list(t) for t in third.spiketrains]


def test_spike_source_array_emits_at_the_given_times_and_takes_new_ones():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[0.1, 3.0, 12.5]))
    stimulus.record("spikes")
    sim.run(5.0)
    stimulus.set(spike_times=[4.0, 6.25, 9.0])
    sim.run(15.0)
    assert list(stimulus.get_data().segments[0].spiketrains[0].magnitude) == [0.1, 3.0, 6.25,
                                                                              9.0]


def test_sampling_interval_and_a_cleared_period_follow_the_contract():
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=0.5))
    cells.record("v", sampling_interval=0.5)
    sim.run(10.0)
    first = cells.get_data(clear=True).segments[0].analogsignals[0]
    sim.run(5.0)
    second = cells.get_data().segments[0].analogsignals[0]
    assert first.shape == (21, 2) and second.shape == (11, 2)
    assert second.magnitude[0, 0] == pytest.approx(first.magnitude[-1, 0])
    t = np.arange(31) * 0.5
    expected = -65.0 + 10.0 * (1 - np.exp(-t / 20.0))
    assert np.allclose(first.magnitude[:, 0], expected[:21], atol=1e-9)
    assert np.allclose(second.magnitude[:, 1], expected[20:], atol=1e-9)




def test_adaptation_increments_are_per_cell():
    cells = sim.Population(2, sim.EIF_cond_exp_isfa_ista(i_offset=1.0, b=[0.0, 0.2], a=0.0))
    gsfa = sim.Population(2, sim.IF_cond_exp_gsfa_grr(i_offset=2.0, q_sfa=[0.0, 50.0],
                                                      q_rr=[0.0, 10.0]))
    izh = sim.Population(2, sim.Izhikevich(i_offset=0.01, d=[2.0, 8.0]))
    for population in (cells, gsfa, izh):
        population.record("spikes")
    sim.run(200.0)
    for population in (cells, gsfa, izh):
        counts = [len(t) for t in population.get_data().segments[0].spiketrains]
        assert counts[0] > counts[1] > 0


def test_hh_membrane_follows_the_api_equations():
    sim.setup(timestep=0.001)
    cells = sim.Population(1, sim.HH_cond_exp(i_offset=1.0), initial_values={"v": -64.0})
    cells.record("v")
    sim.run(3.2)
    v = cells.get_data().segments[0].analogsignals[0]
    first = v.times.magnitude[np.argmax(v.magnitude[:, 0] > 0.0)]
    assert first == pytest.approx(hh_first_crossing(), abs=0.002)


def test_hh_spikes_once_per_upward_crossing():
    sim.setup(timestep=0.01)
    cells = sim.Population(1, sim.HH_cond_exp(i_offset=1.0), initial_values={"v": -64.0})
    cells.record(["v", "h", "spikes"])
    sim.run(30.0)
    segment = cells.get_data().segments[0]
    v = next(s for s in segment.analogsignals if s.name == "v")
    trace = v.magnitude[:, 0]
    crossings = v.times.magnitude[1:][(trace[:-1] <= -33.0) & (trace[1:] > -33.0)]
    assert len(crossings) >= 2
    assert np.allclose(segment.spiketrains[0].magnitude, crossings, atol=1e-9)
    h = next(s for s in segment.analogsignals if s.name == "h")
    assert h.magnitude[0, 0] == 1.0 and h.magnitude[-1, 0] < 1.0


def test_gif_adaptation_sums_are_recorded_and_initialized():
    cells = sim.Population(2, sim.GIF_cond_exp(lambda0=[0.0, 1000.0], v_t_star=-60.0,
                                               i_offset=[0.0, 1.0],
                                               tau_eta=[1.0, 10.0], a_eta=[0.1, 0.2],
                                               tau_gamma=[5.0, 50.0], a_gamma=[1.0, 2.0]),
                           initial_values={"v_t": -50.0, "i_eta": 0.3})
    cells.record(["v_t", "i_eta", "spikes"])
    sim.run(20.0)
    segment = cells.get_data().segments[0]
    signals = {s.name: s.magnitude for s in segment.analogsignals}
    t = np.arange(201) * 0.1
    # cell 0 never fires: the first slots decay from their initial values
    assert np.allclose(signals["v_t"][:, 0], -60.0 + 10.0 * np.exp(-t / 5.0), atol=1e-6)
    assert np.allclose(signals["i_eta"][:, 0], 0.3 * np.exp(-t / 1.0), atol=1e-6)
    assert len(segment.spiketrains[0]) == 0 and len(segment.spiketrains[1]) > 0


def test_point_neuron_beta_and_exp_receptors():
    celltype = sim.PointNeuron(sim.LIF(), AMPA=sim.CondBetaPostSynapticResponse(
        tau_rise=0.5, tau_decay=3.0), GABA=sim.CondExpPostSynapticResponse(tau_syn=4.0,
                                                                          e_syn=-70.0))
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cells = sim.Population(1, celltype)
    for receptor in ("AMPA", "GABA"):
        sim.Projection(stimulus, cells, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.02, delay=1.0), receptor_type=receptor)
    cells.record(["AMPA.gsyn", "GABA.gsyn"])
    sim.run(20.0)
    signals = {s.name: s.magnitude[:, 0] for s in cells.get_data().segments[0].analogsignals}
    t = np.arange(201) * 0.1 - 2.0
    t_peak = 3.0 * 0.5 * np.log(3.0 / 0.5) / 2.5
    norm = 1 / (np.exp(-t_peak / 3.0) - np.exp(-t_peak / 0.5))
    beta = np.where(t >= 0, 0.02 * norm * (np.exp(-t / 3.0) - np.exp(-t / 0.5)), 0.0)
    assert np.allclose(signals["AMPA.gsyn"], beta, atol=1e-7)
    assert np.allclose(signals["GABA.gsyn"], np.where(t >= 0, 0.02 * np.exp(-t / 4.0), 0.0),
                       atol=1e-9)


def test_unknown_targets_are_refused_and_foreign_options_ignored():
    with pytest.raises(ValueError, match="Brian2"):
        sim.setup(codegen_target="fortran")
    sim.setup(timestep=0.1, codegen_target="numpy", threads=4, use_cvode=True)
    assert brian2.prefs.codegen.target == "numpy"


def test_cython_target_gives_the_numpy_numbers():
    """One small network compiled (cached in ~/.cython, so a few seconds after the first run)."""
    def trace(target):
        sim.setup(timestep=0.1, codegen_target=target)
        cells = sim.Population(2, sim.IF_curr_exp(tau_m=10.0, i_offset=[0.0, 2.0]))
        stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0]))
        sim.Projection(stimulus, cells, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=1.0, delay=1.5))
        cells.record(["v", "spikes"])
        sim.run(20.0)
        segment = cells.get_data().segments[0]
        return segment.analogsignals[0].magnitude, [list(t) for t in segment.spiketrains]

    v_numpy, spikes_numpy = trace("numpy")
    v_cython, spikes_cython = trace("cython")
    assert brian2.prefs.codegen.target == "cython"
    assert np.allclose(v_cython, v_numpy, atol=1e-9)
    assert spikes_cython == spikes_numpy and len(spikes_numpy[1]) > 0


def test_spike_timing_matches_nest_on_grid_in_a_recurrent_pair():
    """Spike times of NEST 3.10 (spike_precision='on_grid') for the same script: delivery at
    emission + delay, refractoriness and threshold steps agree to the step."""
    stimulus = sim.Population(1, sim.SpikeSourceArray(
        spike_times=[1.0, 1.3, 2.0, 2.2, 2.4, 5.0, 5.1, 5.2, 5.3, 9.0]))
    cells = sim.Population(2, sim.IF_curr_exp(cm=0.25, tau_syn_E=2.0, v_thresh=-55.0,
                                              v_reset=-70.0, tau_refrac=2.0,
                                              i_offset=[0.0, 0.3]))
    sim.Projection(stimulus, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.8, delay=1.5))
    sim.Projection(cells, cells, sim.AllToAllConnector(allow_self_connections=False),
                   sim.StaticSynapse(weight=0.5, delay=1.0))
    cells.record("spikes")
    sim.run(30.0)
    trains = [list(t.magnitude) for t in cells.get_data().segments[0].spiketrains]
    assert trains[0] == pytest.approx([4.2, 7.7, 14.5], abs=1e-9)
    assert trains[1] == pytest.approx([3.8, 7.3, 12.0, 23.0], abs=1e-9)


def test_a_projection_brian2_fails_to_build_leaves_nothing_behind(monkeypatch):
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    cells.record("spikes")
    sim.run(10.0)

    def broken(self, *args, **kwargs):
        raise RuntimeError("no memory for synapses")

    monkeypatch.setattr(brian2.Synapses, "connect", broken)
    with pytest.raises(errors.InvalidParameterValueError, match="Brian2"):
        sim.Projection(cells, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    monkeypatch.undo()
    assert synapse_objects() == []
    sim.run(90.0)
    assert cells.get_spike_counts()[cells[0]] > 0


def test_set_after_a_run_changes_each_cell_from_then_on():
    cells = sim.Population(2, sim.IF_curr_exp(tau_m=10.0, i_offset=0.0, tau_refrac=1.0))
    cells.record("v")
    sim.run(10.0)
    cells.set(i_offset=[0.5, 1.0], v_rest=[-65.0, -60.0])
    sim.run(10.0)
    v = cells.get_data().segments[0].analogsignals[0].magnitude
    t = np.arange(101) * 0.1
    assert np.allclose(v[:101], -65.0)
    assert np.allclose(v[100:, 0], -65.0 + 5.0 * (1 - np.exp(-t / 10.0)), atol=1e-6)
    # v_rest -60, R*I = 10 mV, starting 5 mV below the new rest
    assert np.allclose(v[100:, 1], -60.0 + 10.0 * (1 - np.exp(-t / 10.0))
                       - 5.0 * np.exp(-t / 10.0), atol=1e-6)
