"""The simulator-free standard library: cell, synapse and component types (API §4, §5)."""
from types import SimpleNamespace

import numpy as np
import pytest
import quantities as pq

from pynnlike import standardmodels
from pynnlike.errors import (ConnectionError, InvalidModelError, InvalidParameterValueError,
                             NoModelAvailableError, NonExistentParameterError)
from pynnlike.parameters import ArrayParameter, Sequence
from pynnlike.standardmodels import cells, receptors, synapses
from pynnlike.standardmodels.base import increasing

E_I = ("excitatory", "inhibitory")

# name: (parameters with defaults and units, recordable, initial values) transcribed from API §4.1
IF_CURR = {"v_rest": (-65.0, "mV"), "cm": (1.0, "nF"), "tau_m": (20.0, "ms"),
           "tau_refrac": (0.1, "ms"), "tau_syn_E": (0.5, "ms"), "tau_syn_I": (0.5, "ms"),
           "i_offset": (0.0, "nA"), "v_reset": (-65.0, "mV"), "v_thresh": (-50.0, "mV")}
IF_COND = {"v_rest": (-65.0, "mV"), "cm": (1.0, "nF"), "tau_m": (20.0, "ms"),
           "tau_refrac": (0.1, "ms"), "tau_syn_E": (0.3, "ms"), "tau_syn_I": (0.5, "ms"),
           "e_rev_E": (0.0, "mV"), "e_rev_I": (-70.0, "mV"), "v_thresh": (-50.0, "mV"),
           "v_reset": (-65.0, "mV"), "i_offset": (0.0, "nA")}
EIF = {"cm": (0.281, "nF"), "tau_refrac": (0.1, "ms"), "v_spike": (-40.0, "mV"),
       "v_reset": (-70.6, "mV"), "v_rest": (-70.6, "mV"), "tau_m": (9.3667, "ms"),
       "i_offset": (0.0, "nA"), "a": (4.0, "nS"), "b": (0.0805, "nA"), "delta_T": (2.0, "mV"),
       "tau_w": (144.0, "ms"), "v_thresh": (-50.4, "mV"), "e_rev_E": (0.0, "mV"),
       "tau_syn_E": (5.0, "ms"), "e_rev_I": (-80.0, "mV"), "tau_syn_I": (5.0, "ms")}
CURR_STATE = {"v": (-65.0, "mV"), "isyn_exc": (0.0, "nA"), "isyn_inh": (0.0, "nA")}
COND_STATE = {"v": (-65.0, "mV"), "gsyn_exc": (0.0, "uS"), "gsyn_inh": (0.0, "uS")}
COND_REC = ["spikes", "v", "gsyn_exc", "gsyn_inh"]
GSFA = {**IF_COND, "tau_syn_E": (5.0, "ms"), "tau_syn_I": (5.0, "ms"),
        "tau_sfa": (100.0, "ms"), "e_rev_sfa": (-75.0, "mV"), "q_sfa": (15.0, "nS"),
        "tau_rr": (2.0, "ms"), "e_rev_rr": (-75.0, "mV"), "q_rr": (3000.0, "nS")}

CELLS = {
    "IF_curr_alpha": (IF_CURR, ["spikes", "v"], CURR_STATE),
    "IF_curr_exp": ({**IF_CURR, "tau_syn_E": (5.0, "ms"), "tau_syn_I": (5.0, "ms")},
                    ["spikes", "v"], CURR_STATE),
    "IF_curr_delta": ({k: v for k, v in IF_CURR.items() if "syn" not in k}, ["spikes", "v"],
                      {"v": (-65.0, "mV")}),
    "IF_cond_alpha": (IF_COND, COND_REC, COND_STATE),
    "IF_cond_exp": ({**IF_COND, "tau_syn_E": (5.0, "ms"), "tau_syn_I": (5.0, "ms")}, COND_REC,
                    COND_STATE),
    "IF_cond_exp_gsfa_grr": (GSFA, ["spikes", "v", "g_r", "g_s", "gsyn_exc", "gsyn_inh"],
                             {"v": (-65.0, "mV"), "g_r": (0.0, "nS"), "g_s": (0.0, "nS"),
                              "gsyn_exc": (0.0, "uS"), "gsyn_inh": (0.0, "uS")}),
    "IF_facets_hardware1": ({"g_leak": (40.0, "nS"), "tau_syn_E": (30.0, "ms"),
                             "tau_syn_I": (30.0, "ms"), "v_reset": (-80.0, "mV"),
                             "e_rev_I": (-80.0, "mV"), "v_rest": (-65.0, "mV"),
                             "v_thresh": (-55.0, "mV")}, COND_REC, COND_STATE),
    "EIF_cond_alpha_isfa_ista": (EIF, ["spikes", "v", "w", "gsyn_exc", "gsyn_inh"],
                                 {"v": (-70.6, "mV"), "w": (0.0, "nA"), "gsyn_exc": (0.0, "uS"),
                                  "gsyn_inh": (0.0, "uS")}),
    "EIF_cond_exp_isfa_ista": (EIF, ["spikes", "v", "w", "gsyn_exc", "gsyn_inh"],
                               {"v": (-70.6, "mV"), "w": (0.0, "nA"), "gsyn_exc": (0.0, "uS"),
                                "gsyn_inh": (0.0, "uS")}),
    "GIF_cond_exp": ({"v_rest": (-65.0, "mV"), "cm": (1.0, "nF"), "tau_m": (20.0, "ms"),
                      "tau_refrac": (4.0, "ms"), "tau_syn_E": (5.0, "ms"),
                      "tau_syn_I": (5.0, "ms"), "e_rev_E": (0.0, "mV"), "e_rev_I": (-70.0, "mV"),
                      "v_reset": (-65.0, "mV"), "i_offset": (0.0, "nA"), "delta_v": (0.5, "mV"),
                      "v_t_star": (-48.0, "mV"), "lambda0": (1.0, "Hz"),
                      "tau_eta": (ArrayParameter([1.0, 10.0, 100.0]), "ms"),
                      "tau_gamma": (ArrayParameter([1.0, 10.0, 100.0]), "ms"),
                      "a_eta": (ArrayParameter([1.0, 1.0, 1.0]), "nA"),
                      "a_gamma": (ArrayParameter([1.0, 1.0, 1.0]), "mV")},
                     ["spikes", "v", "gsyn_exc", "gsyn_inh", "i_eta", "v_t"],
                     {"v": (-65.0, "mV"), "v_t": (-48.0, "mV"), "i_eta": (0.0, "nA"),
                      "gsyn_exc": (0.0, "uS"), "gsyn_inh": (0.0, "uS")}),
    "HH_cond_exp": ({"gbar_Na": (20.0, "uS"), "gbar_K": (6.0, "uS"), "g_leak": (0.01, "uS"),
                     "cm": (0.2, "nF"), "v_offset": (-63.0, "mV"), "e_rev_Na": (50.0, "mV"),
                     "e_rev_K": (-90.0, "mV"), "e_rev_leak": (-65.0, "mV"),
                     "e_rev_E": (0.0, "mV"), "e_rev_I": (-80.0, "mV"), "tau_syn_E": (0.2, "ms"),
                     "tau_syn_I": (2.0, "ms"), "i_offset": (0.0, "nA")},
                    ["spikes", "v", "gsyn_exc", "gsyn_inh", "m", "n", "h"],
                    {"v": (-65.0, "mV"), "gsyn_exc": (0.0, "uS"), "gsyn_inh": (0.0, "uS"),
                     "h": (1.0, ""), "m": (0.0, ""), "n": (0.0, "")}),
    "Izhikevich": ({"a": (0.02, "/ms"), "b": (0.2, "/ms"), "c": (-65.0, "mV"),
                    "d": (2.0, "mV/ms"), "i_offset": (0.0, "nA")}, ["spikes", "v", "u"],
                   {"v": (-70.0, "mV"), "u": (-14.0, "mV/ms")}),
    "SpikeSourcePoisson": ({"rate": (1.0, "Hz"), "start": (0.0, "ms"),
                            "duration": (1e10, "ms")}, ["spikes"], {}),
    "SpikeSourcePoissonRefractory": ({"rate": (1.0, "Hz"), "tau_refrac": (0.0, "ms"),
                                      "start": (0.0, "ms"), "duration": (1e10, "ms")},
                                     ["spikes"], {}),
    "SpikeSourceGamma": ({"alpha": (2, "dimensionless"), "beta": (1.0, "Hz"),
                          "start": (0.0, "ms"), "duration": (1e10, "ms")}, ["spikes"], {}),
    "SpikeSourceInhGamma": ({"a": (Sequence([1.0]), "dimensionless"), "b": (Sequence([1.0]), "s"),
                             "tbins": (Sequence([0.0]), "ms"), "start": (0.0, "ms"),
                             "duration": (1e10, "ms")}, ["spikes"], {}),
    "SpikeSourceArray": ({"spike_times": (Sequence([]), "ms")}, ["spikes"], {}),
}
CURRENT_BASED = {"IF_curr_alpha", "IF_curr_exp", "IF_curr_delta", "Izhikevich"}
SOURCES = {name for name in CELLS if name.startswith("SpikeSource")}
RANDOM_SOURCES = SOURCES - {"SpikeSourceArray"}


def same_value(a, b):
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("name", sorted(CELLS))
def test_cell_type_tables(name):
    parameters, recordable, initial = CELLS[name]
    celltype = getattr(cells, name)
    assert list(celltype.default_parameters) == list(parameters)
    for key, (default, _) in parameters.items():
        assert same_value(celltype.default_parameters[key], default), key
    assert celltype.recordable == tuple(recordable)
    assert list(celltype.default_initial_values) == list(initial)
    assert celltype.default_initial_values == {k: v for k, (v, _) in initial.items()}
    expected_units = {k: u for k, (_, u) in {**parameters, **initial}.items()}
    assert {k: celltype.units[k] for k in expected_units} == expected_units
    assert set(celltype.units) == set(expected_units) | (set(recordable) - {"spikes"})
    assert celltype.conductance_based == (name not in CURRENT_BASED)
    assert celltype.injectable == (name not in SOURCES)
    assert celltype.voltage_based_synapses == (name in ("IF_curr_delta", "Izhikevich"))
    assert celltype.random_source == (name in RANDOM_SOURCES)
    if name in SOURCES:
        assert celltype.receptor_types == ()
    elif name == "HH_cond_exp":
        assert celltype.receptor_types == E_I + ("source_section.gap",)
    else:
        assert celltype.receptor_types == E_I


def test_list_standard_models_names_every_cell_type_and_point_neuron():
    names = cells.list_standard_models()
    assert sorted(names) == sorted(list(CELLS) + ["PointNeuron"])
    assert all(isinstance(getattr(cells, n), type) for n in names)


def test_parameters_given_at_construction_override_defaults():
    celltype = cells.IF_cond_exp(tau_m=15.0, cm=np.array([1.0, 2.0]))
    space = celltype.parameter_space
    space.shape = (2,)
    space.evaluate()
    assert np.array_equal(space["tau_m"], [15.0, 15.0])
    assert np.array_equal(space["cm"], [1.0, 2.0])
    assert np.array_equal(space["v_rest"], [-65.0, -65.0])


def test_quantities_are_converted_to_standard_units():
    space = cells.IF_cond_exp(cm=250 * pq.pF, v_rest=-0.06 * pq.V).parameter_space
    space.shape = (1,)
    space.evaluate(simplify=True)
    assert space["cm"] == pytest.approx(0.25)
    assert space["v_rest"] == pytest.approx(-60.0)


def test_sequence_parameters_follow_the_schema():
    celltype = cells.SpikeSourceArray(spike_times=[1.0, 2.0, 5.0])
    assert celltype.get_schema() == {"spike_times": Sequence}
    space = celltype.parameter_space
    space.shape = (3,)
    space.evaluate()
    assert all(isinstance(v, Sequence) and v == Sequence([1.0, 2.0, 5.0])
               for v in space["spike_times"])
    assert cells.GIF_cond_exp().get_schema()["tau_eta"] is ArrayParameter
    assert cells.SpikeSourceGamma().get_schema()["alpha"] is int


def test_unknown_parameter_names_the_model_and_the_valid_names():
    with pytest.raises(NonExistentParameterError) as info:
        cells.IF_curr_exp(tau_mem=10.0)
    text = str(info.value)
    assert "IF_curr_exp" in text and "tau_mem" in text and "tau_refrac" in text
    assert info.value.valid_parameter_names == sorted(IF_CURR)


def test_model_type_members():
    celltype = cells.Izhikevich(a=0.1)
    assert celltype.get_parameter_names() == ["a", "b", "c", "d", "i_offset"]
    assert celltype.has_parameter("d") and not celltype.has_parameter("v")
    assert celltype.can_record("u") and not celltype.can_record("gsyn_exc")
    assert repr(celltype) == "Izhikevich(a=0.1, b=0.2, c=-65.0, d=2.0, i_offset=0.0)"
    context = celltype.describe(template=None)
    assert context["name"] == "Izhikevich"
    assert context["parameters"]["a"] == 0.1
    assert context["default_parameters"]["a"] == 0.02
    text = celltype.describe()
    assert text.startswith("Izhikevich\n") and "a: 0.1" in text


def test_model_not_available_cannot_be_instantiated():
    with pytest.raises(NotImplementedError):
        standardmodels.ModelNotAvailable()


# -- validate ---------------------------------------------------------------------------------

def seqs(*lists, kind=Sequence):
    array = np.empty(len(lists), dtype=object)
    for k, values in enumerate(lists):
        array[k] = kind(values)
    return array


def test_increasing_checks_each_array_separately():
    arrays = [np.array([1.0, 2.0]), np.array([0.5]), np.empty(0), np.array([3.0, 3.0, 1.0]),
              np.array([2.0, 2.0])]
    assert list(increasing(arrays, strict=False)) == [True, True, True, False, True]
    assert list(increasing(arrays, strict=True)) == [True, True, True, False, False]


@pytest.mark.parametrize("celltype, values, culprit", [
    (cells.IF_cond_exp(), {"tau_m": np.array([10.0, -1.0])}, "tau_m"),
    (cells.IF_curr_alpha(), {"cm": np.array([0.0])}, "cm"),
    (cells.IF_curr_exp(), {"tau_refrac": np.array([-0.1])}, "tau_refrac"),
    (cells.EIF_cond_exp_isfa_ista(), {"tau_w": np.array([0.0])}, "tau_w"),
    (cells.HH_cond_exp(), {"gbar_Na": np.array([-1.0])}, "gbar_Na"),
    (cells.SpikeSourcePoisson(), {"rate": np.array([5.0, -5.0])}, "rate"),
    (cells.SpikeSourcePoissonRefractory(),
     {"rate": np.array([100.0, 100.0]), "tau_refrac": np.array([5.0, 10.0])}, "tau_refrac"),
    (cells.SpikeSourceGamma(), {"alpha": np.array([2.0, 2.5])}, "alpha"),
    (cells.SpikeSourceGamma(), {"alpha": np.array([0])}, "alpha"),
    (cells.SpikeSourceArray(), {"spike_times": seqs([1.0, 2.0], [3.0, 1.0])}, "spike_times"),
    (cells.SpikeSourceInhGamma(), {"a": seqs([1.0, 2.0]), "b": seqs([1.0]),
                                   "tbins": seqs([0.0, 10.0])}, "tbins"),
    (cells.SpikeSourceInhGamma(), {"a": seqs([1.0, 2.0]), "b": seqs([1.0, 1.0]),
                                   "tbins": seqs([10.0, 10.0])}, "tbins"),
    (cells.SpikeSourceInhGamma(), {"b": seqs([1.0, -1.0])}, "b"),
    (cells.GIF_cond_exp(), {"tau_eta": seqs([1.0, 2.0], kind=ArrayParameter),
                            "a_eta": seqs([1.0], kind=ArrayParameter)}, "tau_eta"),
    (cells.GIF_cond_exp(), {"tau_gamma": seqs([1.0, 0.0], kind=ArrayParameter)}, "tau_gamma"),
])
def test_validate_rejects_out_of_range_values(celltype, values, culprit):
    with pytest.raises(InvalidParameterValueError, match=culprit):
        celltype.validate(values)


@pytest.mark.parametrize("celltype, values", [
    (cells.IF_cond_exp(), {"tau_m": np.array([10.0, 20.0]), "v_rest": np.array([-80.0, 10.0])}),
    (cells.SpikeSourcePoissonRefractory(),
     {"rate": np.array([100.0, 0.0]), "tau_refrac": np.array([9.9, 50.0])}),
    (cells.SpikeSourceGamma(), {"alpha": np.array([1, 3])}),
    (cells.SpikeSourceArray(), {"spike_times": seqs([1.0, 1.0, 2.0], [], [0.5])}),
    (cells.SpikeSourceInhGamma(), {"a": seqs([1.0, 2.0]), "b": seqs([1.0, 0.5]),
                                   "tbins": seqs([0.0, 10.0])}),
    (cells.GIF_cond_exp(), {"tau_eta": seqs([1.0, 2.0], kind=ArrayParameter),
                            "a_eta": seqs([1.0, 5.0], kind=ArrayParameter)}),
])
def test_validate_accepts_valid_values(celltype, values):
    celltype.validate(values)  # raises on failure


# -- PointNeuron ----------------------------------------------------------------------------

def test_point_neuron_prefixes_receptor_names():
    neuron = cells.PointNeuron(cells.AdExp(tau_m=10.0),
                               GABAA=receptors.CondExpPostSynapticResponse(e_syn=-70.0),
                               AMPA=receptors.AlphaPSR(tau_syn=1.0))
    assert neuron.receptor_types == ("AMPA", "GABAA")
    assert neuron.conductance_based is True
    assert neuron.recordable == ("spikes", "v", "w", "AMPA.gsyn", "GABAA.gsyn")
    assert neuron.default_initial_values == {"v": -70.6, "w": 0.0, "AMPA.gsyn": 0.0,
                                             "GABAA.gsyn": 0.0}
    assert neuron.units["AMPA.gsyn"] == "uS" and neuron.units["GABAA.e_syn"] == "mV"
    assert neuron.has_parameter("AMPA.tau_syn") and not neuron.has_parameter("tau_syn")
    assert neuron.default_parameters["AMPA.tau_syn"] == 5.0
    space = neuron.parameter_space
    space.shape = (1,)
    space.evaluate(simplify=True)
    assert space["AMPA.tau_syn"] == 1.0 and space["GABAA.e_syn"] == -70.0
    assert space["tau_m"] == 10.0 and space["cm"] == 0.281
    assert list(neuron.post_synaptic_receptors) == ["AMPA", "GABAA"]
    assert isinstance(neuron.neuron, cells.AdExp)
    assert neuron.injectable and not neuron.voltage_based_synapses


def test_point_neuron_with_current_receptors():
    neuron = cells.PointNeuron(cells.LIF(), exc=receptors.CurrExpPostSynapticResponse())
    assert neuron.conductance_based is False
    assert neuron.recordable == ("spikes", "v", "exc.isyn")
    assert neuron.units["exc.isyn"] == "nA"


def test_point_neuron_refuses_mixed_receptor_kinds_and_wrong_components():
    with pytest.raises(InvalidModelError):
        cells.PointNeuron(cells.LIF(), a=receptors.CurrExpPostSynapticResponse(),
                          b=receptors.ExpPSR())
    with pytest.raises(TypeError):
        cells.PointNeuron(cells.IF_cond_exp(), AMPA=receptors.ExpPSR())
    with pytest.raises(TypeError):
        cells.PointNeuron(cells.LIF(), AMPA=cells.LIF())


def test_point_neuron_validate_dispatches_to_components():
    neuron = cells.PointNeuron(cells.LIF(), AMPA=receptors.BetaPSR())
    neuron.validate({"tau_m": np.array([5.0]), "AMPA.tau_rise": np.array([0.1])})
    with pytest.raises(InvalidParameterValueError, match="tau_decay"):
        neuron.validate({"AMPA.tau_decay": np.array([0.0])})
    with pytest.raises(InvalidParameterValueError, match="tau_m"):
        neuron.validate({"tau_m": np.array([-5.0])})


def test_receptor_tables():
    assert receptors.ExpPSR is receptors.CondExpPostSynapticResponse
    assert receptors.AlphaPSR is receptors.CondAlphaPostSynapticResponse
    assert receptors.BetaPSR is receptors.CondBetaPostSynapticResponse
    assert receptors.CurrExpPostSynapticResponse.default_parameters == {"locations": 0.5,
                                                                        "tau_syn": 5.0}
    assert receptors.CondBetaPostSynapticResponse.default_parameters == {
        "locations": 0.5, "e_syn": 0.0, "tau_rise": 0.2, "tau_decay": 1.7}
    assert receptors.CondAlphaPostSynapticResponse.default_initial_values == {"gsyn": 0.0}
    assert cells.LIF.default_parameters == {"cm": 1.0, "tau_refrac": 0.1, "v_reset": -65.0,
                                            "v_rest": -65.0, "tau_m": 20.0, "i_offset": 0.0,
                                            "v_thresh": -50.0}
    assert list(cells.AdExp.default_parameters) == ["cm", "tau_refrac", "v_spike", "v_reset",
                                                     "v_rest", "tau_m", "i_offset", "a", "b",
                                                     "delta_T", "tau_w", "v_thresh"]
    assert cells.AdExp.recordable == ("spikes", "v", "w")


# -- synapses -------------------------------------------------------------------------------

@pytest.mark.parametrize("cls, defaults", [
    (synapses.StaticSynapse, {"weight": 0.0, "delay": None}),
    (synapses.TsodyksMarkramSynapse, {"weight": 0.0, "delay": None, "U": 0.5, "tau_rec": 100.0,
                                      "tau_facil": 0.0}),
    (synapses.SimpleStochasticSynapse, {"weight": 0.0, "delay": None, "p": 0.5}),
    (synapses.StochasticTsodyksMarkramSynapse, {"weight": 0.0, "delay": None, "U": 0.5,
                                                "tau_rec": 100.0, "tau_facil": 0.0}),
    (synapses.MultiQuantalSynapse, {"weight": 0.0, "delay": None, "U": 0.5, "n": 1,
                                    "tau_rec": 800.0, "tau_facil": 0.0}),
    (synapses.ElectricalSynapse, {"weight": 0.0}),
    (synapses.AdditiveWeightDependence, {"w_min": 0.0, "w_max": 1.0}),
    (synapses.MultiplicativeWeightDependence, {"w_min": 0.0, "w_max": 1.0}),
    (synapses.AdditivePotentiationMultiplicativeDepression, {"w_min": 0.0, "w_max": 1.0}),
    (synapses.GutigWeightDependence, {"w_min": 0.0, "w_max": 1.0, "mu_plus": 0.5,
                                      "mu_minus": 0.5}),
    (synapses.SpikePairRule, {"tau_plus": 20.0, "tau_minus": 20.0, "A_plus": 0.01,
                              "A_minus": 0.01}),
    (synapses.Vogels2011Rule, {"tau": 20.0, "eta": 1e-10, "rho": 3.0}),
])
def test_synapse_defaults(cls, defaults):
    assert cls.default_parameters == defaults
    assert list(cls.default_parameters) == list(defaults)
    assert list(cls().get_parameter_names()) == list(defaults)


def test_synapse_units_and_state():
    assert synapses.TsodyksMarkramSynapse.default_initial_values == {"u": 0.0}
    assert synapses.TsodyksMarkramSynapse.units == {"delay": "ms", "U": "dimensionless",
                                                    "tau_rec": "ms", "tau_facil": "ms",
                                                    "u": "dimensionless"}
    assert synapses.Vogels2011Rule.units == {"tau": "ms", "rho": "Hz"}
    assert synapses.SpikePairRule.units["A_plus"] == "dimensionless"
    assert synapses.ElectricalSynapse.units == {"weight": "uS"}


def test_unresolved_delay_is_left_to_the_core():
    static = synapses.StaticSynapse(weight=0.5)
    assert "delay" not in static.parameter_space and "weight" in static.parameter_space
    assert static.get_schema() == {"weight": float, "delay": float}
    assert "delay" in synapses.StaticSynapse(delay=1.5).parameter_space


def test_synapse_validate():
    tm = synapses.TsodyksMarkramSynapse()
    with pytest.raises(InvalidParameterValueError, match="U"):
        tm.validate({"U": np.array([0.5, 1.5])})
    with pytest.raises(InvalidParameterValueError, match="tau_rec"):
        tm.validate({"tau_rec": np.array([0.0])})
    with pytest.raises(InvalidParameterValueError, match="p"):
        synapses.SimpleStochasticSynapse().validate({"p": np.array([-0.1])})
    with pytest.raises(InvalidParameterValueError, match="n"):
        synapses.MultiQuantalSynapse().validate({"n": np.array([0])})
    with pytest.raises(InvalidParameterValueError, match="weight"):
        synapses.ElectricalSynapse().validate({"weight": np.array([-1.0])})
    tm.validate({"U": np.array([0.0, 1.0]), "tau_rec": np.array([5.0, 1.0])})


def test_stdp_mechanism_composes_its_components():
    stdp = synapses.STDPMechanism(
        timing_dependence=synapses.SpikePairRule(tau_plus=10.0, A_minus=0.02),
        weight_dependence=synapses.GutigWeightDependence(w_max=0.5, mu_plus=0.3),
        dendritic_delay_fraction=0.5, weight=0.1, delay=2.0)
    assert stdp.get_parameter_names() == [
        "weight", "delay", "dendritic_delay_fraction", "tau_plus", "tau_minus", "A_plus",
        "A_minus", "w_min", "w_max", "mu_plus", "mu_minus"]
    space = stdp.parameter_space
    space.shape = (1,)
    space.evaluate(simplify=True)
    assert (space["weight"], space["delay"], space["dendritic_delay_fraction"]) == (0.1, 2.0, 0.5)
    assert (space["tau_plus"], space["A_minus"], space["w_max"], space["mu_plus"]) == (
        10.0, 0.02, 0.5, 0.3)
    assert space["tau_minus"] == 20.0
    assert stdp.units["tau_plus"] == "ms" and stdp.units["dendritic_delay_fraction"] == \
        "dimensionless"
    assert isinstance(stdp.timing_dependence, synapses.SpikePairRule)
    assert stdp.weight_dependence.mu is None
    assert synapses.MultiplicativeWeightDependence.mu == (1.0, 1.0)
    assert synapses.AdditivePotentiationMultiplicativeDepression.mu == (0.0, 1.0)
    assert synapses.AdditiveWeightDependence.mu == (0.0, 0.0)
    assert "delay" not in synapses.STDPMechanism(synapses.SpikePairRule(),
                                                 synapses.AdditiveWeightDependence()
                                                 ).parameter_space


def test_stdp_mechanism_errors():
    pair, additive = synapses.SpikePairRule(), synapses.AdditiveWeightDependence()
    with pytest.raises(ValueError):
        synapses.STDPMechanism(timing_dependence=pair)
    with pytest.raises(ValueError):
        synapses.STDPMechanism(weight_dependence=additive)
    with pytest.raises(NotImplementedError):
        synapses.STDPMechanism(pair, additive, voltage_dependence=object())
    for fraction in (-0.1, 1.5):
        with pytest.raises(ValueError):
            synapses.STDPMechanism(pair, additive, dendritic_delay_fraction=fraction)
    for dependence in (synapses.MultiplicativeWeightDependence(),
                       synapses.AdditivePotentiationMultiplicativeDepression(),
                       synapses.GutigWeightDependence()):
        with pytest.raises(NoModelAvailableError):
            synapses.STDPMechanism(synapses.Vogels2011Rule(), dependence)
    synapses.STDPMechanism(synapses.Vogels2011Rule(rho=5.0), additive)  # allowed


def test_stdp_validate_checks_every_component():
    stdp = synapses.STDPMechanism(synapses.SpikePairRule(), synapses.AdditiveWeightDependence())
    with pytest.raises(InvalidParameterValueError, match="dendritic_delay_fraction"):
        stdp.validate({"dendritic_delay_fraction": np.array([0.5, 2.0])})
    with pytest.raises(InvalidParameterValueError, match="tau_minus"):
        stdp.validate({"tau_minus": np.array([-1.0])})
    with pytest.raises(InvalidParameterValueError, match="w_max"):
        stdp.validate({"w_min": np.array([0.5]), "w_max": np.array([0.2])})
    with pytest.raises(InvalidParameterValueError, match="w_min"):
        stdp.validate({"w_min": np.array([-0.5])})
    stdp.validate({"w_min": np.array([0.1]), "w_max": np.array([0.2]),
                   "dendritic_delay_fraction": np.array([0.0, 1.0])})


# -- check_weights / check_delays -----------------------------------------------------------

def projection(conductance_based, receptor, synapse_type=None):
    return SimpleNamespace(post=SimpleNamespace(conductance_based=conductance_based),
                           receptor_type=receptor,
                           synapse_type=synapse_type or synapses.StaticSynapse())


@pytest.mark.parametrize("conductance_based, receptor, weights", [
    (True, "excitatory", [0.1, 0.0]),
    (True, "inhibitory", [0.1, 0.2]),
    (False, "excitatory", [0.1]),
    (False, "AMPA", [0.1]),
    (False, "inhibitory", [-0.1, -0.2]),
    (False, "GABAB", [-0.1]),
    (False, "inhibitory", 0.0),
    (True, "AMPA", []),
])
def test_check_weights_accepts(conductance_based, receptor, weights):
    standardmodels.check_weights(np.asarray(weights), projection(conductance_based, receptor))


@pytest.mark.parametrize("conductance_based, receptor, weights", [
    (True, "excitatory", [-0.1]),
    (True, "inhibitory", [-0.1]),
    (True, "GABAA", [-0.1, -0.1]),
    (False, "excitatory", [-0.1]),
    (False, "NMDA", [-0.1]),
    (False, "inhibitory", [0.1]),
    (False, "GABA", [-0.1, 0.1]),
    (False, "exc", [-0.1, 0.1]),
])
def test_check_weights_rejects(conductance_based, receptor, weights):
    with pytest.raises(ConnectionError):
        standardmodels.check_weights(np.asarray(weights), projection(conductance_based, receptor))


def test_check_weights_gap_junctions_and_unknown_receptors():
    with pytest.raises(ConnectionError):
        standardmodels.check_weights(np.array([-0.1]), projection(
            False, "source_section.gap", synapses.ElectricalSynapse()))
    with pytest.warns(UserWarning, match="exc"):
        standardmodels.check_weights(np.array([-0.1, -0.2]), projection(False, "exc"))


def delay_projection(min_delay=None, max_delay=None, dt=0.1):
    sim = SimpleNamespace(dt=dt, explicit_delay_bounds=lambda: (min_delay, max_delay))
    return SimpleNamespace(_simulation=sim)


def test_check_delays():
    rounded = standardmodels.check_delays(np.array([0.1, 0.26, 1.0]), delay_projection())
    assert np.allclose(rounded, [0.1, 0.3, 1.0])
    standardmodels.check_delays(np.array([0.5, 2.0]), delay_projection(0.5, 2.0))
    standardmodels.check_delays(np.array([]), delay_projection(0.5, 2.0))
    for delays, bounds in (([0.04], (None, None)), ([0.05, 0.4], (0.5, None)),
                           ([1.0, 2.1], (None, 2.0)), ([0.0], (None, None))):
        with pytest.raises(ConnectionError):
            standardmodels.check_delays(np.array(delays), delay_projection(*bounds))


def test_package_exports():
    for name in ("StandardModelType", "StandardCellType", "StandardCellTypeComponent",
                 "StandardSynapseType", "StandardCurrentSource", "StandardPostSynapticResponse",
                 "STDPWeightDependence", "STDPTimingDependence", "ModelNotAvailable",
                 "build_translations", "check_weights", "check_delays"):
        assert hasattr(standardmodels, name), name
    assert isinstance(cells.PointNeuron(cells.LIF()), standardmodels.StandardCellType)
    assert isinstance(synapses.SpikePairRule(), standardmodels.STDPTimingDependence)
    assert isinstance(synapses.GutigWeightDependence(), standardmodels.STDPWeightDependence)
    assert isinstance(receptors.ExpPSR(), standardmodels.StandardPostSynapticResponse)
    assert isinstance(cells.AdExp(), standardmodels.StandardCellTypeComponent)
    assert "np" not in cells.__all__ and "STDPMechanism" in synapses.__all__
