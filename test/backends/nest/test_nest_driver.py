"""The NEST driver against NEST itself, without the core: translation tables, firing and
electrode timing against closed forms, spike sources, connection order, recording, reset."""
import numpy as np
import pytest

from pynnlike.backends.nest import NESTDriver
from pynnlike.standardmodels.electrodes import current as waveform
from pynnlike.errors import ConnectionError
from pynnlike.parameters import ArrayParameter
from pynnlike.standardmodels import cells, receptors, synapses
from pynnlike.standardmodels.translations import native_inputs, reverse_translate, translate

import nest  # noqa: E402  (after the driver, which silences NEST's banner)

DT = 0.1
LIF_CURR = dict(v_rest=-65.0, cm=1.0, tau_m=20.0, tau_refrac=2.0, tau_syn_E=5.0, tau_syn_I=5.0,
                i_offset=0.0, v_reset=-65.0, v_thresh=-50.0)


def make_driver(precision="off_grid", min_delay=None, max_delay=None, **options):
    driver = NESTDriver()
    driver.setup(DT, min_delay, max_delay, 42, dict(spike_precision=precision, **options))
    return driver


def full(values, n):
    return {k: np.full(n, float(v)) for k, v in values.items()}


def create(driver, celltype, values, initial=None):
    """Create cells from standard values through the tables, as the core does."""
    model = driver.cell_model(celltype)
    n = len(next(iter(values.values())))
    return driver.create(model, n, translate(model.parameters, values),
                         translate(model.state, initial or {}, list(initial or {}))), model


def objects(rows):
    out = np.empty(len(rows), dtype=object)
    out[:] = [np.asarray(r, dtype=float) for r in rows]
    return out


def heterogeneous(celltype, model, n, factor=0.1):
    """Valid, different standard values for every name in the model's table."""
    values = {}
    for name in model.parameters:
        if name == "spike_times":
            values[name] = objects([np.arange(1, 4 + k) * 1.5 + factor for k in range(n)])
            continue
        default = celltype.default_parameters[name]
        if isinstance(default, ArrayParameter):
            values[name] = objects([default.value * (1 + factor * (k + 1)) for k in range(n)])
        elif default == 0:
            values[name] = factor * 0.1 * (np.arange(n) + 1)
        else:
            values[name] = default * (1 + factor * (np.arange(n) + 1))
    return values


def assert_same(got, expected):
    for name, value in expected.items():
        if np.asarray(value).dtype == object:
            for a, b in zip(got[name], value):
                np.testing.assert_allclose(a, b, rtol=1e-12, err_msg=name)
        else:
            np.testing.assert_allclose(got[name], value, rtol=1e-12, atol=1e-12, err_msg=name)


def read_back(driver, handle, table, index):
    names = native_inputs(table, list(table))
    return reverse_translate(table, driver.get(handle, index, names))


SOURCES = ["SpikeSourceArray", "SpikeSourcePoisson", "SpikeSourcePoissonRefractory",
           "SpikeSourceGamma", "SpikeSourceInhGamma"]
NEURONS = ["IF_curr_alpha", "IF_curr_exp", "IF_curr_delta", "IF_cond_alpha", "IF_cond_exp",
           "IF_cond_exp_gsfa_grr", "IF_facets_hardware1", "EIF_cond_alpha_isfa_ista",
           "EIF_cond_exp_isfa_ista", "GIF_cond_exp", "HH_cond_exp", "Izhikevich"]
POINT_NEURONS = {
    "LIF+CurrExp": lambda: cells.PointNeuron(
        cells.LIF(), AMPA=receptors.CurrExpPostSynapticResponse(),
        GABA=receptors.CurrExpPostSynapticResponse()),
    "LIF+CondAlpha": lambda: cells.PointNeuron(
        cells.LIF(), AMPA=receptors.CondAlphaPostSynapticResponse(),
        GABA=receptors.CondAlphaPostSynapticResponse()),
    "LIF+CondBeta": lambda: cells.PointNeuron(
        cells.LIF(), NMDA=receptors.CondBetaPostSynapticResponse()),
    "AdExp+CondAlpha": lambda: cells.PointNeuron(
        cells.AdExp(), AMPA=receptors.CondAlphaPostSynapticResponse(),
        GABA=receptors.CondAlphaPostSynapticResponse(),
        NMDA=receptors.CondAlphaPostSynapticResponse()),
    "AdExp+CondBeta": lambda: cells.PointNeuron(
        cells.AdExp(), AMPA=receptors.CondBetaPostSynapticResponse(),
        GABA=receptors.CondBetaPostSynapticResponse()),
}


def all_types():
    return ([(getattr(cells, n)(), p) for n in NEURONS + SOURCES for p in ("off_grid",)]
            + [(getattr(cells, n)(), "on_grid")
               for n in ("IF_curr_exp", "IF_curr_delta", "SpikeSourceArray")]
            + [(make(), "off_grid") for make in POINT_NEURONS.values()])


# -- tables ------------------------------------------------------------------------------------
@pytest.mark.parametrize("celltype,precision", all_types(),
                         ids=lambda x: type(x).__name__ if not isinstance(x, str) else x)
def test_every_parameter_round_trips(celltype, precision):
    driver = make_driver(precision)
    model = driver.cell_model(celltype)
    if type(celltype).__name__ in SOURCES:
        assert set(model.parameters) == {"spike_times"}
    else:  # every standard parameter is in the table (PointNeuron 'locations' are ignored)
        assert set(model.parameters) == {n for n in celltype.default_parameters
                                         if not n.endswith(".locations")}
    values = heterogeneous(celltype, model, 3)
    handle = driver.create(model, 3, translate(model.parameters, values), {})
    assert_same(read_back(driver, handle, model.parameters, np.arange(3)), values)
    index = np.array([2, 0])
    changed = heterogeneous(celltype, model, 3, factor=0.2)
    merged = {k: v[index] for k, v in values.items()}
    name = sorted(model.parameters)[-1]
    merged[name] = changed[name][index]
    driver.set(handle, index, translate(model.parameters, merged, [name]))
    assert_same(read_back(driver, handle, model.parameters, index), merged)
    assert_same(read_back(driver, handle, model.parameters, np.array([1])),
                {k: v[[1]] for k, v in values.items()})


@pytest.mark.parametrize("celltype,precision", [t for t in all_types()
                                                if type(t[0]).__name__ not in SOURCES],
                         ids=lambda x: type(x).__name__ if not isinstance(x, str) else x)
def test_every_settable_state_variable_round_trips(celltype, precision):
    driver = make_driver(precision)
    model = driver.cell_model(celltype)
    assert set(celltype.default_initial_values) <= set(model.state)
    recordable = set(celltype.recordable) - {"spikes"}
    assert recordable <= set(model.state)
    handle = driver.create(model, 2, translate(model.parameters, heterogeneous(
        celltype, model, 2)), {})
    settable = {k: v for k, v in celltype.default_initial_values.items()
                if model.state[k].native_name not in model.fixed_state}
    state = {k: v + 0.01 * np.arange(1, 3) for k, v in settable.items()}
    driver.initialize(handle, np.arange(2), translate(model.state, state, list(state)))
    table = {k: model.state[k] for k in state}
    assert_same(read_back(driver, handle, table, np.arange(2)), state)


def test_fixed_state_accepts_its_resting_value_only():
    driver = make_driver("on_grid")
    handle, model = create(driver, cells.IF_curr_exp(), full(LIF_CURR, 2),
                           {"v": np.full(2, -60.0), "isyn_exc": np.zeros(2)})
    with pytest.raises(NotImplementedError, match="NEST.*iaf_psc_exp.*I_syn_ex"):
        driver.initialize(handle, np.arange(2), {"I_syn_ex": np.array([0.0, 500.0])})
    precise = make_driver("off_grid")  # iaf_psc_exp_ps lets the synaptic current be set
    handle, model = create(precise, cells.IF_curr_exp(), full(LIF_CURR, 2),
                           {"isyn_exc": np.array([0.0, 0.5])})
    np.testing.assert_allclose(precise.get(handle, np.arange(2), ["I_syn_ex"])["I_syn_ex"],
                               [0.0, 500.0])
    gif = cells.GIF_cond_exp()
    model = precise.cell_model(gif)
    values = heterogeneous(gif, model, 1)
    with pytest.raises(NotImplementedError, match="E_sfa"):
        precise.create(model, 1, translate(model.parameters, values), {"E_sfa": np.array([-48.0])})
    handle = precise.create(model, 1, translate(model.parameters, values),
                            {"E_sfa": np.zeros(1)})  # the threshold at rest: no shift
    assert handle.n == 1


def test_models_nest_cannot_build_raise_naming_nest():
    driver = make_driver()
    for neuron, psr in [(cells.LIF, receptors.CondExpPostSynapticResponse),
                        (cells.AdExp, receptors.CondExpPostSynapticResponse),
                        (cells.AdExp, receptors.CurrExpPostSynapticResponse)]:
        with pytest.raises(NotImplementedError, match="NEST.*PointNeuron"):
            driver.cell_model(cells.PointNeuron(neuron(), AMPA=psr()))
    mixed = cells.PointNeuron(cells.AdExp(), A=receptors.CondAlphaPostSynapticResponse(),
                              B=receptors.CondBetaPostSynapticResponse())
    with pytest.raises(NotImplementedError, match="NEST"):
        driver.cell_model(mixed)
    post = driver.cell_model(cells.IF_cond_exp())
    with pytest.raises(NotImplementedError, match="NEST.*StochasticTsodyksMarkramSynapse"):
        driver.synapse_model(synapses.StochasticTsodyksMarkramSynapse(), post, "excitatory")
    with pytest.raises(ConnectionError, match="NEST.*'AMPA'"):
        driver.synapse_model(synapses.StaticSynapse(), post, "AMPA")


def test_weight_scales_and_signs():
    driver = make_driver()
    static = synapses.StaticSynapse()
    w = np.array([0.5])
    cases = [(cells.IF_cond_exp(), "inhibitory", -500.0),
             (cells.IF_cond_exp(), "excitatory", 500.0),
             (cells.IF_curr_exp(), "inhibitory", 500.0), (cells.IF_curr_delta(), "excitatory", 0.5),
             (cells.Izhikevich(), "inhibitory", 0.5),
             (POINT_NEURONS["AdExp+CondAlpha"](), "GABA", 500.0)]
    for celltype, receptor, native in cases:
        model = driver.synapse_model(static, driver.cell_model(celltype), receptor)
        assert translate(model.parameters, {"weight": w, "delay": w})["weight"][0] == native
    ports = driver.synapse_model(static, driver.cell_model(POINT_NEURONS["AdExp+CondAlpha"]()),
                                 "NMDA").constants
    assert ports == {"receptor_type": 3}  # receptors sorted: AMPA 1, GABA 2, NMDA 3


# -- dynamics against closed forms -------------------------------------------------------------
@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
def test_constant_current_fires_at_the_analytic_period(precision):
    driver = make_driver(precision)
    handle, _ = create(driver, cells.IF_curr_exp(), full(dict(LIF_CURR, i_offset=1.0), 2),
                       {"v": np.full(2, -65.0)})
    driver.record(handle, np.arange(2), ["spikes"], DT)
    driver.run_until(200.0)
    index, times = driver.read_spikes(handle)
    rise = 20.0 * np.log(20.0 / (20.0 - 15.0))  # R*I = 20 mV, threshold 15 mV above rest
    period = 2.0 + rise
    if precision == "off_grid":
        expected = rise + period * np.arange(6)
        np.testing.assert_allclose(times[index == 0], expected, atol=1e-9)
    else:  # grid: the spike is reported at the end of its step and the neuron restarts there
        grid_rise = np.ceil(rise / DT) * DT
        expected = grid_rise + (2.0 + grid_rise) * np.arange(6)
        np.testing.assert_allclose(times[index == 0], expected, atol=1e-9)
    np.testing.assert_array_equal(times[index == 1], times[index == 0])


@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
def test_subthreshold_trace_is_the_closed_form(precision):
    driver = make_driver(precision)
    handle, _ = create(driver, cells.IF_curr_exp(), full(dict(LIF_CURR, i_offset=0.5), 1),
                       {"v": np.full(1, -65.0)})
    driver.record(handle, np.arange(1), ["V_m"], DT)
    driver.run_until(50.0)
    cells_, v = driver.read_signal(handle, "V_m")
    t = DT * np.arange(501)
    assert list(cells_) == [0] and v.shape == (501, 1)
    np.testing.assert_allclose(v[:, 0], -65.0 + 10.0 * (1 - np.exp(-t / 20.0)), atol=1e-6)


def per_step(currents, v0=-65.0, tau_m=20.0, cm=1.0):
    """v at t_k = k*dt when I(t_k) (nA) flows during (t_k, t_k + dt]: exact for a leaky
    membrane with piecewise-constant current."""
    decay = np.exp(-DT / tau_m)
    v = [v0]
    for current in currents[:-1]:
        v.append(-65.0 + (v[-1] + 65.0) * decay + tau_m / cm * current * (1 - decay))
    return np.array(v)


@pytest.mark.parametrize("precision,min_delay", [("on_grid", None), ("off_grid", None),
                                                 ("off_grid", 1.0)])
def test_electrode_timing_convention(precision, min_delay):
    driver = make_driver(precision, min_delay, 10.0 if min_delay else None)
    handle, model = create(driver, cells.IF_curr_exp(), full(dict(LIF_CURR, v_thresh=100.0), 2),
                           {"v": np.full(2, -65.0)})
    static = driver.synapse_model(synapses.StaticSynapse(), model, "excitatory")
    driver.connect(handle, handle, np.array([0]), np.array([1]), static,
                   {"weight": np.zeros(1), "delay": np.array([1.0])}, "excitatory")
    driver.record(handle, np.arange(2), ["V_m"], DT)
    first = {"DCSource": {"amplitude": 0.5, "start": 0.0, "stop": 3.0},
             "ACSource": {"amplitude": 0.3, "start": 1.0, "stop": 8.0, "frequency": 200.0,
                          "offset": 0.1, "phase": 30.0},
             "StepCurrentSource": {"times": np.array([0.0, 0.1, 2.0, 4.5]),
                                   "amplitudes": np.array([0.2, 0.4, -0.3, 0.25])}}
    second = {"DCSource": {"amplitude": 0.7, "start": 3.5, "stop": 6.0},
              "ACSource": {"amplitude": 0.2, "start": 1.0, "stop": 9.0, "frequency": 150.0,
                           "offset": 0.0, "phase": 10.0},
              "StepCurrentSource": {"times": np.array([0.0, 0.1, 2.0, 4.0, 4.1, 5.0]),
                                    "amplitudes": np.array([0.2, 0.4, -0.3, 0.6, 0.1, 0.25])}}
    targets = {"DCSource": [0], "ACSource": [0, 1], "StepCurrentSource": [1]}
    sources = {k: driver.inject(k, first[k], handle, np.array(targets[k])) for k in first}
    driver.run_until(4.0)
    for kind, source in sources.items():
        driver.update_source(source, second[kind])
    driver.run_until(10.0)
    _, v = driver.read_signal(handle, "V_m")
    steps = np.arange(101)
    for cell in (0, 1):
        current = sum(np.where(steps < 40, waveform(k, first[k], steps, DT),
                               waveform(k, second[k], steps, DT))
                      for k in first if cell in targets[k])
        np.testing.assert_allclose(v[:, cell], per_step(current), atol=1e-9)
    assert list(v[0]) == [-65.0, -65.0] and v[1, 0] > -65.0  # DC from t = 0 shows at dt


# -- spike sources -----------------------------------------------------------------------------
@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
def test_spike_source_emits_at_the_given_times(precision):
    driver = make_driver(precision)
    source, _ = create(driver, cells.SpikeSourceArray(),
                       {"spike_times": objects([[0.1, 0.25, 3.0], [], [2.05]])})
    target, model = create(driver, cells.IF_curr_delta(), full(LIF_CURR, 1),
                           {"v": np.full(1, -65.0)})
    static = driver.synapse_model(synapses.StaticSynapse(), model, "excitatory")
    driver.connect(source, target, np.array([2]), np.array([0]), static,
                   translate(static.parameters, {"weight": np.array([2.0]),
                                                 "delay": np.array([1.0])}), "excitatory")
    driver.record(source, np.arange(3), ["spikes"], DT)
    driver.record(target, np.arange(1), ["V_m"], DT)
    driver.run_until(5.0)
    index, times = driver.read_spikes(source)
    first = [0.1, 0.25, 3.0] if precision == "off_grid" else [0.1, 0.3, 3.0]
    np.testing.assert_allclose(times[index == 0], first, atol=1e-12)
    _, v = driver.read_signal(target, "V_m")  # the 2 mV jump arrives 1.0 ms after the spike
    if precision == "off_grid":  # exactly at 3.05, then decays for 0.05 ms until 3.1
        np.testing.assert_allclose(times[index == 2], [2.05], atol=1e-12)
        expected = -65.0 + 2.0 * np.exp(-0.05 / 20.0)
    else:  # emitted at the end of its step (2.1), delivered at 3.1
        np.testing.assert_allclose(times[index == 2], [2.1], atol=1e-12)
        expected = -63.0
    assert list(v[:31, 0]) == [-65.0] * 31 and v[31, 0] == pytest.approx(expected, abs=1e-12)
    # new trains after a run: times <= t are dropped, t + dt is the earliest possible
    driver.set(source, np.array([1]), {"spike_times": objects([[4.0, 5.0, 5.1, 6.05]])})
    driver.run_until(7.0)
    index, times = driver.read_spikes(source)
    later = [5.1, 6.05] if precision == "off_grid" else [5.1, 6.1]
    np.testing.assert_allclose(times[index == 1], later, atol=1e-12)


# -- connections -------------------------------------------------------------------------------
@pytest.mark.parametrize("synapse", [synapses.StaticSynapse(),
                                     synapses.TsodyksMarkramSynapse(U=0.5)])
def test_get_synapses_keeps_the_core_order_with_multapses(synapse):
    """Labelled for models with state; static multapses of one pair are interchangeable, so
    their values need only be right as a set."""
    driver = make_driver(threads=2)
    cond = dict(LIF_CURR, e_rev_E=0.0, e_rev_I=-70.0)
    pre, model = create(driver, cells.IF_cond_exp(), full(dict(cond, i_offset=1.0), 5))
    post, _ = create(driver, cells.IF_cond_exp(), full(cond, 4))
    rng = np.random.default_rng(7)
    i, j = rng.integers(0, 5, 60), rng.integers(0, 4, 60)
    order = np.lexsort((i, j))
    i, j = i[order], j[order]
    weights = 0.001 * (1 + np.arange(60))
    delays = np.round(rng.uniform(0.1, 3.0, 60), 1)
    static = driver.synapse_model(synapse, model, "inhibitory")
    labelled = not isinstance(synapse, synapses.StaticSynapse)

    def native(values):  # the synapse type's values, but for weight and delay
        n = len(values["weight"])
        other = {k: np.full(n, float(v.base_value)) for k, v in synapse.parameter_space.items()}
        return translate(static.parameters, {**other, **values})

    projection = driver.connect(pre, post, i, j, static,
                                native({"weight": weights, "delay": delays}), "inhibitory")
    other = driver.connect(pre, post, i[:5], j[:5], static,
                           native({"weight": np.full(5, 9.0), "delay": np.ones(5)}), "inhibitory")
    ii, jj = np.meshgrid(np.arange(5), np.arange(4))  # no multapses: found by (target, source)
    single = driver.connect(pre, post, ii.ravel(), jj.ravel(), static,
                            native({"weight": weights[:20], "delay": np.ones(20)}), "inhibitory")
    assert projection.labelled == labelled and not single.labelled
    assert np.all(np.asarray(nest.GetConnections(
        synapse_model=projection.model_name).get("weight")) < 0)

    def as_sets(*columns):  # rows sorted within each (i, j) pair, unless labelled
        rows = np.column_stack([i, j, *columns])
        return rows if labelled else rows[np.lexsort(rows.T[::-1])]

    for _ in range(2):  # NEST sorts its connections when it first simulates
        got = reverse_translate(static.parameters, driver.get_synapses(
            projection, ["weight", "delay"]), ["weight", "delay"])
        np.testing.assert_allclose(as_sets(got["weight"], got["delay"]),
                                   as_sets(weights, delays), rtol=1e-12)
        driver.run_until(5.0)
    # the core sets whole projections; a part of a pair's static multapses has no identity
    index = np.array([3, 17, 42]) if labelled else np.arange(60)
    new = -1.0 - np.arange(len(index))
    driver.set_synapses(projection, index, {"weight": new})
    got = driver.get_synapses(projection, ["weight"])["weight"]
    expected = -1000 * weights
    expected[index] = new
    np.testing.assert_allclose(as_sets(got), as_sets(expected))
    np.testing.assert_allclose(driver.get_synapses(other, ["weight"])["weight"], -9000.0)
    np.testing.assert_allclose(driver.get_synapses(single, ["weight"])["weight"],
                               -1000 * weights[:20])


def test_point_neuron_ports_match_the_plain_conductance_model():
    """LIF + CondAlpha (aeif multisynapse, Delta_T = 0) against IF_cond_alpha."""
    driver = make_driver()
    params = dict(LIF_CURR, tau_refrac=2.0)
    del params["tau_syn_E"], params["tau_syn_I"]
    point = cells.PointNeuron(cells.LIF(), AMPA=receptors.CondAlphaPostSynapticResponse(),
                              GABA=receptors.CondAlphaPostSynapticResponse())
    values = full(params, 1) | full({"AMPA.tau_syn": 0.3, "AMPA.e_syn": 0.0,
                                     "GABA.tau_syn": 0.5, "GABA.e_syn": -70.0}, 1)
    a, a_model = create(driver, point, values, {"v": np.full(1, -65.0)})
    b, b_model = create(driver, cells.IF_cond_alpha(),
                        full(dict(params, tau_syn_E=0.3, tau_syn_I=0.5, e_rev_E=0.0,
                                  e_rev_I=-70.0), 1), {"v": np.full(1, -65.0)})
    source, _ = create(driver, cells.SpikeSourceArray(),
                       {"spike_times": objects([np.arange(1.0, 40.0, 0.7),
                                                np.arange(5.0, 40.0, 2.3)])})
    for post, model, receptors_ in ((a, a_model, ("AMPA", "GABA")),
                                    (b, b_model, ("excitatory", "inhibitory"))):
        for k, receptor in enumerate(receptors_):
            syn = driver.synapse_model(synapses.StaticSynapse(), model, receptor)
            driver.connect(source, post, np.array([k]), np.array([0]), syn, translate(
                syn.parameters, {"weight": np.array([0.02, 0.05][k]), "delay": np.ones(1)}),
                receptor)
    driver.record(a, np.arange(1), ["V_m", "g_1", "g_2"], DT)
    driver.record(b, np.arange(1), ["V_m", "g_ex", "g_in"], DT)
    driver.run_until(40.0)
    for x, y in (("V_m", "V_m"), ("g_1", "g_ex"), ("g_2", "g_in")):
        np.testing.assert_allclose(driver.read_signal(a, x)[1], driver.read_signal(b, y)[1],
                                   atol=1e-3, err_msg=x)
    # first inhibitory event arrives at 5.0 + 1.0; the alpha peak (= weight, nS) follows tau later
    assert driver.read_signal(a, "g_2")[1][65, 0] == pytest.approx(50.0, abs=1e-3)


# -- recording ---------------------------------------------------------------------------------
def test_cells_added_later_and_clear_with_a_coarse_interval():
    driver = make_driver(min_delay=1.0, max_delay=10.0)  # NEST delivers samples 1 ms late
    handle, _ = create(driver, cells.IF_curr_exp(), full(dict(LIF_CURR, i_offset=0.5), 3),
                       {"v": np.full(3, -65.0)})
    closed = lambda t: -65.0 + 10.0 * (1 - np.exp(-np.asarray(t) / 20.0))  # noqa: E731
    driver.record(handle, np.array([0]), ["V_m"], 0.5)
    driver.run_until(2.0)
    driver.record(handle, np.array([2]), ["V_m"], 0.5)
    driver.run_until(4.0)
    index, v = driver.read_signal(handle, "V_m")
    t = 0.5 * np.arange(9)
    assert list(index) == [0, 2] and v.shape == (9, 2)
    np.testing.assert_allclose(v[:, 0], closed(t), atol=1e-9)
    assert np.isnan(v[:4, 1]).all()
    np.testing.assert_allclose(v[4:, 1], closed(t[4:]), atol=1e-9)
    driver.run_until(4.3)
    driver.clear_recordings(handle)  # the next period starts at 4.3: samples 4.3, 4.8, ...
    driver.run_until(6.0)
    index, v = driver.read_signal(handle, "V_m")
    np.testing.assert_allclose(v, closed(np.c_[[4.3, 4.8, 5.3, 5.8]] + [0, 0]), atol=1e-9)
    driver.stop_recording(handle, np.array([2]), ["V_m"])
    driver.run_until(7.3)
    index, v = driver.read_signal(handle, "V_m")
    assert v.shape == (7, 2) and np.isnan(v[4:, 1]).all() and not np.isnan(v[:4]).any()


def test_spikes_after_a_clear_and_a_stop():
    driver = make_driver()
    source, _ = create(driver, cells.SpikeSourceArray(),
                       {"spike_times": objects([[1.0, 2.0, 3.0, 4.0]] * 2)})
    driver.record(source, np.arange(2), ["spikes"], DT)
    driver.run_until(2.0)
    driver.clear_recordings(source)  # the spike at exactly 2.0 belonged to the first period
    driver.stop_recording(source, np.array([1]), ["spikes"])
    driver.run_until(5.0)
    index, times = driver.read_spikes(source)
    assert list(index) == [0, 0] and list(times) == [3.0, 4.0]


# -- reset -------------------------------------------------------------------------------------
def build_network(driver, trains):
    pops, models_ = {}, {}
    pops["src"], _ = create(driver, cells.SpikeSourceArray(), {"spike_times": trains})
    values = full(dict(LIF_CURR, tau_refrac=1.0, i_offset=0.2), 20)
    values = {k: v for k, v in values.items() if not k.startswith("tau_syn")}
    values.update(full(dict(tau_syn_E=2.0, tau_syn_I=4.0, e_rev_E=0.0, e_rev_I=-75.0), 20))
    values["tau_m"] = 20.0 + np.arange(20)
    pops["exc"], models_["exc"] = create(driver, cells.IF_cond_exp(), values,
                                         {"v": np.linspace(-65, -52, 20)})
    rng = np.random.default_rng(3)
    static = driver.synapse_model(synapses.StaticSynapse(), models_["exc"], "excitatory")
    i, j = rng.integers(0, 10, 200), rng.integers(0, 20, 200)
    order = np.lexsort((i, j))
    driver.connect(pops["src"], pops["exc"], i[order], j[order], static, translate(
        static.parameters, {"weight": np.full(200, 0.004), "delay": np.full(200, 0.5)}),
        "excitatory")
    inhibitory = driver.synapse_model(synapses.StaticSynapse(), models_["exc"], "inhibitory")
    i, j = rng.integers(0, 20, 100), rng.integers(0, 20, 100)
    order = np.lexsort((i, j))
    driver.connect(pops["exc"], pops["exc"], i[order], j[order], inhibitory, translate(
        inhibitory.parameters, {"weight": np.full(100, 0.01), "delay": np.full(100, 1.2)}),
        "inhibitory")
    driver.inject("ACSource", {"amplitude": 0.3, "start": 0.0, "stop": 1e12, "frequency": 50.0,
                               "offset": 0.1, "phase": 0.0}, pops["exc"], np.arange(0, 20, 2))
    driver.record(pops["exc"], np.arange(20), ["spikes", "V_m", "g_in"], DT)
    return pops


@pytest.mark.parametrize("threads", [1, 2])
def test_reset_replays_exactly(threads):
    driver = make_driver(threads=threads)
    rng = np.random.default_rng(11)
    trains = objects([np.sort(rng.uniform(0, 60, 40)) for _ in range(10)])
    pops = build_network(driver, trains)
    results = []
    for _ in range(2):
        driver.run_until(30.0)
        driver.run_until(60.0)
        spikes = driver.read_spikes(pops["exc"])
        results.append((spikes, driver.read_signal(pops["exc"], "V_m")[1],
                        driver.read_signal(pops["exc"], "g_in")[1]))
        driver.reset()
        driver.set(pops["src"], np.arange(10), {"spike_times": trains})  # the core re-sends
    (s1, v1, g1), (s2, v2, g2) = results
    assert len(s1[0]) > 20
    np.testing.assert_array_equal(s1[0], s2[0])
    np.testing.assert_array_equal(s1[1], s2[1])
    np.testing.assert_array_equal(v1, v2)
    np.testing.assert_array_equal(g1, g2)
    assert v1.shape == (601, 20) and not np.isnan(v1).any()


def test_reset_restores_initialized_state_and_keeps_latest_parameters():
    driver = make_driver()
    handle, _ = create(driver, cells.IF_curr_exp(), full(LIF_CURR, 2), {"v": np.full(2, -65.0)})
    driver.initialize(handle, np.arange(2), {"V_m": np.array([-60.0, -55.0])})
    driver.record(handle, np.arange(2), ["V_m"], DT)
    driver.run_until(5.0)
    driver.set(handle, np.array([1]), {"I_e": np.array([100.0])})
    driver.set(handle, np.array([0, 1]), {"E_L": np.array([-70.0, -70.0])})
    driver.set(handle, np.array([1, 0]), {"I_e": np.array([300.0, 0.0])})
    driver.run_until(10.0)
    driver.reset()
    assert driver.step == 0
    np.testing.assert_allclose(driver.get(handle, np.arange(2), ["V_m", "I_e", "E_L"])["I_e"],
                               [0.0, 300.0])
    np.testing.assert_allclose(driver.get(handle, np.arange(2), ["V_m"])["V_m"], [-60.0, -55.0])
    driver.run_until(1.0)
    _, v = driver.read_signal(handle, "V_m")
    assert v.shape == (11, 2) and list(v[0]) == [-60.0, -55.0]
    decay = np.exp(-1.0 / 20.0)
    np.testing.assert_allclose(v[-1], [-70 + 10 * decay, -70 + 15 * decay + 6 * (1 - decay)])
    assert [c[0] for c in driver._log].count("set") == 2  # the first I_e call was superseded


def test_setup_options_reach_the_kernel():
    driver = make_driver("on_grid", 0.5, 4.0, threads=2, rng_type="Philox_32",
                         verbosity="warning", recording_precision=3)
    assert (nest.resolution, nest.local_num_threads, nest.rng_type) == (DT, 2, "Philox_32")
    assert (nest.min_delay, nest.max_delay, nest.rng_seed) == (0.5, 4.0, 42)
    assert driver.cell_model(cells.IF_curr_exp()).name == "iaf_psc_exp"
    assert make_driver().cell_model(cells.IF_curr_exp()).name == "iaf_psc_exp_ps"
    assert driver.mpi_config() == (0, 1)
    handle, _ = create(driver, cells.IF_curr_exp(), full(LIF_CURR, 3))
    assert driver.local_mask(handle).tolist() == [True] * 3
    for bad in ({"spike_precision": "exact"}, {"verbosity": "loud"}):
        with pytest.raises(ValueError, match="NEST"):
            NESTDriver().setup(DT, None, None, 42, bad)
