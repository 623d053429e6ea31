"""The whole API on NEURON: numbers against closed forms, and against what NEURON holds."""
import os
import subprocess
import sys

import numpy as np
import pytest

import pynnlike.neuron as sim
from pynnlike import errors
from references import analytic_period, hh_first_crossing


@pytest.fixture(autouse=True)
def fresh():
    sim.setup(timestep=0.1)
    yield


def all_netcons(name):
    """Values of `name` read from every NetCon one by one, through neuron.h."""
    values = [nc.weight[0] if name == "weight" else nc.delay
              for p in sim.state.driver._projections for nc in p.netcons]
    return np.array(values)


def test_i_offset_drives_firing_at_the_analytic_period():
    sim.setup(timestep=0.01)
    parameters = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-70.0, v_thresh=-50.0,
                      tau_refrac=2.0)
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=[1.0, 1.5, 2.0], **parameters))
    cells.initialize(v=-70.0)
    cells.record(["spikes", "v"])
    sim.run(300.0)
    segment = cells.get_data().segments[0]
    for i_offset, train in zip([1.0, 1.5, 2.0], segment.spiketrains):
        period = analytic_period(i=i_offset, **parameters)
        first = analytic_period(i=i_offset, **{**parameters, "tau_refrac": 0.0})
        times = train.magnitude
        assert times[0] == pytest.approx(first, abs=0.011)
        assert np.allclose(np.diff(times), period, atol=0.011)
    v = segment.analogsignals[0].magnitude[:, 0]
    spike = int(round(segment.spiketrains[0].magnitude[0] / 0.01))
    # the sample at the spike time holds v above threshold; then 2 ms at v_reset
    assert v[spike] > -50.0 and v[spike - 1] < -50.0
    assert np.allclose(v[spike + 1:spike + 201], -70.0, atol=1e-6) and v[spike + 201] > -69.99


def test_step_and_ac_sources_follow_the_timing_convention():
    cells = sim.Population(2, sim.IF_curr_exp(tau_m=10.0))
    step = sim.StepCurrentSource(times=[2.0, 6.0], amplitudes=[0.5, 0.0])
    step.inject_into(cells[0:1])
    sim.ACSource(amplitude=0.5, frequency=100.0, start=3.0, stop=8.0).inject_into(cells[1:2])
    cells.record("v")
    sim.run(5.0)
    step.amplitudes = [0.5, 1.0]  # change while running: the step at 6 ms now goes up
    sim.run(10.0)
    v = cells.get_data().segments[0].analogsignals[0].magnitude
    assert v[20, 0] == -65.0 and v[21, 0] > -65.0
    assert v[60, 0] < v[61, 0] and v[61, 0] - v[60, 0] > v[60, 0] - v[59, 0]
    assert v[30, 1] == -65.0 and v[31, 1] == -65.0 and v[32, 1] > -65.0  # sin(0) = 0
    assert v[80, 1] != v[81, 1]


def test_connections_reach_neuron_and_round_trip():
    pre = sim.Population(30, sim.IF_cond_exp())
    post = sim.Population(20, sim.IF_cond_exp())
    prj = sim.Projection(pre, post, sim.FixedProbabilityConnector(0.3, rng=sim.NumpyRNG(5)),
                         sim.StaticSynapse(weight=sim.RandomDistribution(
                             "uniform", (0.01, 0.02), rng=sim.NumpyRNG(6)), delay=1.0),
                         receptor_type="inhibitory")
    draws = np.random.RandomState(5).uniform(size=(20, 30))
    assert len(prj) == int((draws < 0.3).sum())
    weights = np.array(prj.get("weight", "list", with_address=False))
    assert np.all(weights > 0)
    assert np.allclose(np.sort(all_netcons("weight")), np.sort(weights))
    assert np.allclose(all_netcons("delay"), 1.0)
    prj.set(weight=0.05, delay=2.0)
    assert np.allclose(all_netcons("weight"), 0.05) and np.allclose(all_netcons("delay"), 2.0)
    prj.set(weight=sim.RandomDistribution("uniform", (0.1, 0.2), rng=sim.NumpyRNG(1)))
    assert np.allclose(np.sort(all_netcons("weight")),
                       np.sort(prj.get("weight", "list", with_address=False)))


def test_synaptic_input_has_the_kernel_shapes():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cells = sim.Population(1, sim.IF_cond_exp(tau_syn_E=2.0))
    alpha = sim.Population(1, sim.IF_curr_alpha(tau_syn_E=2.0))
    exp = sim.Population(1, sim.IF_curr_exp(tau_syn_E=2.0, cm=0.25))
    for target, weight in [(cells, 0.01), (alpha, 0.3), (exp, 0.4)]:
        sim.Projection(stimulus, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=weight, delay=1.0))
    cells.record("gsyn_exc")
    alpha.record("v")
    exp.record("v")
    sim.run(30.0)
    g = cells.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    t = np.arange(301) * 0.1
    assert np.all(g[:21] == 0.0)  # the sample at the arrival time precedes the event
    assert np.allclose(g[21:], 0.01 * np.exp(-(t[21:] - 2.0) / 2.0), rtol=1e-6)
    # v of the alpha cell: the alpha current (peak 0.3 nA at 4 ms) filtered by the membrane
    fine = np.linspace(0.0, 30.0, 300001)
    s = np.clip(fine - 2.0, 0.0, None)
    current = 0.3 * np.e * s / 2.0 * np.exp(-s / 2.0)
    kernel = np.exp(-fine / 20.0)
    closed = -65.0 + np.convolve(current, kernel)[:fine.size] * (fine[1] - fine[0]) / 1.0
    v = alpha.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    assert v[20] == -65.0 and v.max() > -64.0
    assert np.allclose(v, closed[::1000], atol=1e-3)
    # the exponential PSP in closed form: (w/cm) tau_m tau_s/(tau_m - tau_s) (e^-t/tau_m - ...)
    v = exp.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    since = np.clip(t - 2.0, 0.0, None)
    psp = 0.4 / 0.25 * 20.0 * 2.0 / 18.0 * (np.exp(-since / 20.0) - np.exp(-since / 2.0))
    assert np.allclose(v, -65.0 + psp, atol=2e-4) and psp.max() > 2.0


def test_bad_input_is_refused_and_the_simulation_goes_on():
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    with pytest.raises(errors.NonExistentParameterError):
        cells.set(tau_mm=3.0)
    with pytest.raises(errors.InvalidParameterValueError):
        sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0, 1.0]))
    with pytest.raises(errors.ConnectionError):
        sim.Projection(cells, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.1),
                       receptor_type="excitatory")
    with pytest.raises(errors.RecordingError):
        cells.record("gsyn_exc")
    sim.run(1.0)
    with pytest.raises(NotImplementedError, match="NEURON"):  # added after a run
        sim.Projection(cells, cells, sim.AllToAllConnector(), sim.TsodyksMarkramSynapse())
    sim.setup()
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    cells.record("spikes")
    sim.run(100.0)
    period = analytic_period(tau_m=20.0, cm=1.0, i=1.0, v_rest=-65.0, v_reset=-65.0,
                             v_thresh=-50.0, tau_refrac=0.1)
    assert cells.get_spike_counts()[cells[0]] == int((100.0 + 0.1) // period)


def test_spike_source_array_emits_at_the_given_times_and_new_times_replace_them():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[0.1, 3.0, 12.5]))
    stimulus.record("spikes")
    sim.run(5.0)
    stimulus.set(spike_times=[4.0, 8.0, 9.0])
    sim.run(15.0)
    assert list(stimulus.get_data().segments[0].spiketrains[0].magnitude) == [0.1, 3.0, 8.0, 9.0]


def test_recording_added_later_and_cleared():
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=[0.5, 0.2], tau_m=10.0, cm=0.5))
    cells[0:1].record("v")
    sim.run(10.0)
    cells[1:2].record("v")
    sim.run(10.0)
    v = cells.get_data(clear=True).segments[0].analogsignals[0].magnitude
    assert v.shape == (201, 2) and np.isnan(v[:100, 1]).all() and not np.isnan(v[100:]).any()
    sim.run(5.0)
    after = cells.get_data().segments[0].analogsignals[0]
    assert after.shape == (51, 2) and after.t_start.magnitude == pytest.approx(20.0)
    assert np.allclose(after.magnitude[0], v[-1])


def test_gif_fires_at_its_escape_rate_and_its_currents_jump_at_spikes():
    def run(seed):
        sim.setup(timestep=0.1, rng_seed=seed)
        # delta_v huge: the intensity is lambda0 whatever v, so spikes form a Poisson process
        cells = sim.Population(20, sim.GIF_cond_exp(
            delta_v=1e9, lambda0=20.0, tau_refrac=0.1, a_eta=sim.ArrayParameter([0.1, 0.05]),
            tau_eta=sim.ArrayParameter([10.0, 50.0]), tau_gamma=sim.ArrayParameter([20.0]),
            a_gamma=sim.ArrayParameter([2.0])))
        cells.record(["spikes", "i_eta", "v_t"])
        sim.run(5000.0)
        return cells.get_data().segments[0]

    segment = run(1)
    counts = [len(t) for t in segment.spiketrains]
    assert 1800 < sum(counts) < 2200  # 20 cells x 5 s x 20 Hz, sd 45
    assert [len(t) for t in run(1).spiketrains] == counts
    assert [len(t) for t in run(2).spiketrains] != counts
    i_eta = next(s for s in segment.analogsignals if s.name == "i_eta").magnitude[:, 0]
    v_t = next(s for s in segment.analogsignals if s.name == "v_t").magnitude[:, 0]
    k = int(round(segment.spiketrains[0].magnitude[0] / 0.1))
    assert i_eta[k + 1] - i_eta[k] == pytest.approx(0.15, abs=0.01)
    assert v_t[k + 1] - v_t[k] == pytest.approx(2.0, abs=0.1)
    assert v_t[0] == -48.0 and i_eta[0] == 0.0


def test_hh_membrane_follows_the_api_equations_and_spikes_once_per_crossing():
    sim.setup(timestep=0.001)
    cells = sim.Population(1, sim.HH_cond_exp(i_offset=1.0), initial_values={"v": -64.0})
    cells.record(["v", "m", "h", "n", "spikes"])
    sim.run(12.0)
    segment = cells.get_data().segments[0]
    v = next(s for s in segment.analogsignals if s.name == "v")
    first = v.times.magnitude[np.argmax(v.magnitude[:, 0] > 0.0)]
    assert first == pytest.approx(hh_first_crossing(), abs=0.002)
    h = next(s for s in segment.analogsignals if s.name == "h")
    assert h.magnitude[0, 0] == 1.0 and h.magnitude[-1, 0] < 1.0
    above = v.magnitude[:, 0] > -63.0 + 30.0
    crossings = np.sum(above[1:] & ~above[:-1])
    assert len(segment.spiketrains[0]) == crossings >= 1


def test_izhikevich_and_delta_synapses_jump_v_by_the_weight():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cells = sim.Population(1, sim.IF_curr_delta(tau_m=10.0))
    sim.Projection(stimulus, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=2.0, delay=1.0))
    izh = sim.Population(1, sim.Izhikevich(i_offset=0.01))
    cells.record("v")
    izh.record(["spikes", "v"])
    with pytest.raises(NotImplementedError, match="NEURON"):
        sim.run(5.0)
        sim.Population(1, sim.IF_curr_exp())
    v = cells.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    assert v[20] == -65.0 and v[21] == pytest.approx(-65.0 + 2.0 * np.exp(-0.01), abs=2e-3)
    sim.run(200.0)
    spikes = izh.get_data().segments[0].spiketrains[0].magnitude
    v = izh.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    assert len(spikes) > 2
    assert np.allclose(v[np.rint(spikes / 0.1).astype(int) + 1], -65.0, atol=1.0)


def test_point_neuron_gives_the_trace_of_the_matching_standard_cell():
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0, 4.0]))
    standard = sim.Population(1, sim.IF_cond_alpha(tau_syn_E=1.5, tau_syn_I=3.0))
    composed = sim.Population(1, sim.PointNeuron(
        sim.LIF(), AMPA=sim.CondAlphaPostSynapticResponse(tau_syn=1.5, e_syn=0.0),
        GABA=sim.CondAlphaPostSynapticResponse(tau_syn=3.0, e_syn=-70.0)))
    for target, excitatory, inhibitory in [(standard, "excitatory", "inhibitory"),
                                           (composed, "AMPA", "GABA")]:
        sim.Projection(stimulus, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.05, delay=1.0), receptor_type=excitatory)
        sim.Projection(stimulus, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.02, delay=2.0), receptor_type=inhibitory)
        target.record("v")
    sim.run(20.0)
    a = standard.get_data().segments[0].analogsignals[0].magnitude
    b = composed.get_data().segments[0].analogsignals[0].magnitude
    assert a.max() > -60.0 and np.allclose(a, b, atol=1e-9)


def test_first_import_compiles_the_mechanisms_into_a_fresh_cache(tmp_path):
    """Two processes importing at once into an empty cache: both compile or wait, both run,
    and the cache ends with one complete library and no half-built directory."""
    code = ("import pynnlike.neuron as sim\n"
            "sim.setup(); p = sim.Population(1, sim.IF_curr_exp(i_offset=1.0))\n"
            "p.record('spikes'); sim.run(100.0)\n"
            "print(len(p.get_data().segments[0].spiketrains[0]))\n")
    env = dict(os.environ, PYNNLIKE_CACHE_DIR=str(tmp_path))
    processes = [subprocess.Popen([sys.executable, "-c", code], env=env, cwd=str(tmp_path),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err[-2000:]
        assert out.split()[-1] == "3"
    from pynnlike.backends.neuron.compile import mechanism_key
    assert sorted(p.name for p in (tmp_path / "nrnmech").iterdir()) == [mechanism_key()]
    assert list(tmp_path.glob("nrnmech/*/*/libnrnmech.so"))


def test_variable_step_gives_irregular_signals_and_interpolated_spike_times():
    sim.setup(timestep=0.1, use_cvode=True, rtol=1e-6, atol=1e-6)
    parameters = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-70.0, v_thresh=-50.0,
                      tau_refrac=2.0)
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=[1.0, 0.0], **parameters))
    stimulus = sim.Population(1, sim.SpikeSourceArray(spike_times=[30.0]))
    sim.Projection(stimulus, cells[1:2], sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=1.0, delay=1.0))
    sim.DCSource(amplitude=1.0, start=5.0, stop=15.0).inject_into(cells[1:2])
    cells.record(["spikes", "v"])
    sim.run(100.0)
    segment = cells.get_data().segments[0]
    assert not segment.analogsignals
    signal = segment.irregularlysampledsignals[0]
    t, v = signal.times.magnitude, signal.magnitude[:, 1]
    assert t[0] == 0.0 and t[-1] == pytest.approx(100.0) and 20 < len(t) < 1000
    during = (t > 5.0) & (t <= 15.0)
    assert np.allclose(v[during], -65.0 + 20.0 * (1 - np.exp(-(t[during] - 5.0) / 20.0)),
                       atol=1e-3)
    assert v[(t > 31.0) & (t < 33.0)].max() > v[(t > 28.0) & (t < 31.0)].max()  # input at 31
    first = analytic_period(i=1.0, **{**parameters, "v_reset": -65.0, "tau_refrac": 0.0})
    period = analytic_period(i=1.0, **parameters)
    times = segment.spiketrains[0].magnitude
    assert times[0] == pytest.approx(first, abs=0.05)
    assert np.allclose(np.diff(times), period, atol=0.1)
    assert not np.allclose(times / 0.1, np.round(times / 0.1))  # off the grid
    sim.setup()
    assert not sim.state.driver.cvode


def test_without_a_compiler_the_error_says_what_to_install(tmp_path):
    code = "import pynnlike.neuron"
    env = dict(os.environ, PYNNLIKE_CACHE_DIR=str(tmp_path), PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120, cwd=str(tmp_path))
    assert result.returncode != 0
    assert "NEURON" in result.stderr and "C++ compiler" in result.stderr
    assert not list(tmp_path.glob("nrnmech/*"))
