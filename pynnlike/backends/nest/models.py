"""NEST translation tables: the native model of every standard type and how each standard
parameter, state variable and recordable maps onto it (API.md §13.1). Data only; the driver
applies it.

Native scales: NEST takes pF, pA and nS where the standard units are nF, nA and µS, hence the
factors of 1000. Array-valued native parameters of multisynapse models are addressed element by
element as 'name[k]' (k = receptor port - 1), so one standard name still maps to one native name.
"""
from dataclasses import dataclass, field

import numpy as np

from pynnlike.backends.base import NativeModel
from pynnlike.errors import ConnectionError
from pynnlike.standardmodels import synapses
from pynnlike.standardmodels.translations import build_translations

from pynnlike.backends.nest.native import NativeCellType, NativeSynapseType


@dataclass
class NESTModel(NativeModel):
    """A NativeModel plus what the driver must know about the NEST model behind it."""
    #: how an incoming weight acts: 'current' (pA), 'conductance' (nS), 'voltage' (mV, unscaled)
    #: or 'source' (takes no input)
    kind: str = "current"
    #: receptor type -> NEST receptor port, for multisynapse models (empty: sign picks the port)
    ports: dict = field(default_factory=dict)
    #: native state variables NEST does not let us set -> the only value they may be initialised
    #: to: a number, or the native name of the parameter they equal at rest
    fixed_state: dict = field(default_factory=dict)
    # -- synapse models only --
    #: native parameter of the post-synaptic cell that is the synapse's tau_psc ('' for the
    #: instantaneous limit of delta receptors); None: the synapse has no tau_psc
    psc_time_constant: str = None
    #: native synapse values the driver keeps instead of NEST (checked or applied elsewhere)
    local: tuple = ()
    #: native synapse value that NEST keeps as the post-synaptic cell's tau_minus
    post_trace: str = None
    #: native state -> native parameter it starts equal to
    starts_at: dict = field(default_factory=dict)
    #: the synapse changes its weights (plasticity)
    plastic: bool = False


_table = build_translations


_G_L = ("tau_m", "g_L", lambda cm, tau_m: 1000.0 * cm / tau_m, lambda C_m, g_L: C_m / g_L)
# Lc of §13.1, without the synaptic time constants
_LIF = [("v_rest", "E_L"), ("v_reset", "V_reset"), ("cm", "C_m", 1000.0), ("tau_m", "tau_m"),
        ("tau_refrac", "t_ref"), ("v_thresh", "V_th"), ("i_offset", "I_e", 1000.0)]
_TAU_SYN = [("tau_syn_E", "tau_syn_ex"), ("tau_syn_I", "tau_syn_in")]
_E_REV = [("e_rev_E", "E_ex"), ("e_rev_I", "E_in")]
_LC = _LIF + _TAU_SYN
_LG = [_G_L if item[0] == "tau_m" else item for item in _LC] + _E_REV
_ADEX_MEMBRANE = [("cm", "C_m", 1000.0), ("tau_refrac", "t_ref"), ("v_spike", "V_peak"),
                  ("v_reset", "V_reset"), ("v_rest", "E_L"), _G_L, ("i_offset", "I_e", 1000.0),
                  ("a", "a"), ("b", "b", 1000.0), ("delta_T", "Delta_T"), ("tau_w", "tau_w"),
                  ("v_thresh", "V_th")]

_V = ("v", "V_m")
_W = ("w", "w", 1000.0)
_GSYN = [("gsyn_exc", "g_ex", 1000.0), ("gsyn_inh", "g_in", 1000.0)]
_ISYN = [("isyn_exc", "I_syn_ex", 1000.0), ("isyn_inh", "I_syn_in", 1000.0)]
_ISYN_FIXED = {"I_syn_ex": 0.0, "I_syn_in": 0.0}


def _if_curr_exp(precision):
    if precision == "off_grid":  # the precise model lets the synaptic currents be set
        return NESTModel("iaf_psc_exp_ps", _table(*_LC), _table(_V, *_ISYN))
    return NESTModel("iaf_psc_exp", _table(*_LC), _table(_V, *_ISYN), fixed_state=_ISYN_FIXED)


def _if_curr_delta(precision):
    if precision == "off_grid":  # refractory_input is False and read-only in this model
        return NESTModel("iaf_psc_delta_ps", _table(*_LIF), _table(_V), kind="voltage")
    return NESTModel("iaf_psc_delta", _table(*_LIF), _table(_V), {"refractory_input": False},
                     kind="voltage")


def _spike_source(precision):
    # a spike_train_injector is a node that emits at the given times itself: the spike leaves
    # at s exactly (no device -> parrot delay), is recorded at s and may be at t + dt
    constants = ({"precise_times": True} if precision == "off_grid"
                 else {"allow_offgrid_times": True})
    return NESTModel("spike_train_injector", _table(("spike_times", "spike_times")),
                     constants=constants, kind="source")


_CELLS = {
    "IF_curr_alpha": lambda p: NESTModel("iaf_psc_alpha", _table(*_LC), _table(_V, *_ISYN),
                                         fixed_state=_ISYN_FIXED),
    "IF_curr_exp": _if_curr_exp,
    "IF_curr_delta": _if_curr_delta,
    "IF_cond_alpha": lambda p: NESTModel("iaf_cond_alpha", _table(*_LG), _table(_V, *_GSYN),
                                         kind="conductance"),
    "IF_cond_exp": lambda p: NESTModel("iaf_cond_exp", _table(*_LG), _table(_V, *_GSYN),
                                       kind="conductance"),
    "IF_cond_exp_gsfa_grr": lambda p: NESTModel(
        "iaf_cond_exp_sfa_rr",
        _table(*_LG, ("tau_sfa", "tau_sfa"), ("e_rev_sfa", "E_sfa"), ("q_sfa", "q_sfa"),
               ("tau_rr", "tau_rr"), ("e_rev_rr", "E_rr"), ("q_rr", "q_rr")),
        _table(_V, *_GSYN, ("g_s", "g_sfa"), ("g_r", "g_rr")), kind="conductance"),
    "IF_facets_hardware1": lambda p: NESTModel(
        "iaf_cond_exp",
        _table(("g_leak", "g_L"), ("v_rest", "E_L"), ("v_reset", "V_reset"),
               ("v_thresh", "V_th"), ("e_rev_I", "E_in"), *_TAU_SYN),
        _table(_V, *_GSYN), {"C_m": 200.0, "t_ref": 1.0, "E_ex": 0.0, "I_e": 0.0},
        kind="conductance"),
    "EIF_cond_alpha_isfa_ista": lambda p: NESTModel(
        "aeif_cond_alpha", _table(*_ADEX_MEMBRANE, *_E_REV, *_TAU_SYN),
        _table(_V, _W, *_GSYN), kind="conductance"),
    "EIF_cond_exp_isfa_ista": lambda p: NESTModel(
        "aeif_cond_exp", _table(*_ADEX_MEMBRANE, *_E_REV, *_TAU_SYN),
        _table(_V, _W, *_GSYN), kind="conductance"),
    "GIF_cond_exp": lambda p: NESTModel(
        "gif_cond_exp",
        _table(("v_rest", "E_L"), ("cm", "C_m", 1000.0), _G_L, ("tau_refrac", "t_ref"),
               *_TAU_SYN, *_E_REV, ("v_reset", "V_reset"), ("i_offset", "I_e", 1000.0),
               ("delta_v", "Delta_V"), ("v_t_star", "V_T_star"), ("lambda0", "lambda_0"),
               ("tau_eta", "tau_stc"), ("tau_gamma", "tau_sfa"), ("a_eta", "q_stc", 1000.0),
               ("a_gamma", "q_sfa")),
        # NEST's E_sfa is the threshold's shift from V_T_star (the sum of the gammas)
        _table(_V, *_GSYN, ("i_eta", "I_stc", 1000.0),
               ("v_t", "E_sfa", lambda v_t, v_t_star: v_t - v_t_star,
                lambda E_sfa, v_t_star: E_sfa + v_t_star)),
        kind="conductance", fixed_state={"I_stc": 0.0, "E_sfa": 0.0}),
    "HH_cond_exp": lambda p: NESTModel(
        "hh_cond_exp_traub",
        _table(("gbar_Na", "g_Na", 1000.0), ("gbar_K", "g_K", 1000.0),
               ("g_leak", "g_L", 1000.0), ("cm", "C_m", 1000.0), ("v_offset", "V_T"),
               ("e_rev_Na", "E_Na"), ("e_rev_K", "E_K"), ("e_rev_leak", "E_L"), *_E_REV,
               *_TAU_SYN, ("i_offset", "I_e", 1000.0)),
        _table(_V, *_GSYN, ("m", "Act_m"), ("n", "Act_n"), ("h", "Inact_h")),
        kind="conductance", fixed_state={"g_ex": 0.0, "g_in": 0.0}),
    "Izhikevich": lambda p: NESTModel(
        "izhikevich", _table(("a", "a"), ("b", "b"), ("c", "c"), ("d", "d"),
                             ("i_offset", "I_e", 1000.0)),
        _table(_V, ("u", "U_m")), {"V_th": 30.0}, kind="voltage"),
    "SpikeSourceArray": _spike_source,
    "SpikeSourcePoisson": _spike_source,
    "SpikeSourcePoissonRefractory": _spike_source,
    "SpikeSourceGamma": _spike_source,
    "SpikeSourceInhGamma": _spike_source,
}


def _point_neuron(celltype):
    """PointNeuron(LIF|AdExp, **PSRs) -> a NEST multisynapse model, port = receptor index + 1."""
    neuron = type(celltype.neuron).__name__
    receptors = sorted(celltype.post_synaptic_receptors)
    kinds = {type(celltype.post_synaptic_receptors[r]).__name__ for r in receptors}
    kind = kinds.pop() if len(kinds) == 1 else None
    ports = {r: k + 1 for k, r in enumerate(receptors)}
    if neuron == "LIF" and kind == "CurrExpPostSynapticResponse":
        per_receptor = [("tau_syn", "tau_syn")]
        state = [("isyn", "I_syn")]
        name, membrane, constants, synapse_kind = ("iaf_psc_exp_multisynapse", _LIF, {},
                                                   "current")
    elif neuron in ("LIF", "AdExp") and kind in ("CondAlphaPostSynapticResponse",
                                                 "CondBetaPostSynapticResponse"):
        if kind == "CondAlphaPostSynapticResponse":
            name, per_receptor = "aeif_cond_alpha_multisynapse", [("tau_syn", "tau_syn")]
        else:
            name = "aeif_cond_beta_multisynapse"
            per_receptor = [("tau_rise", "tau_rise"), ("tau_decay", "tau_decay")]
        per_receptor.append(("e_syn", "E_rev"))
        state = [("gsyn", "g")]
        synapse_kind = "conductance"
        if neuron == "AdExp":
            membrane, constants = _ADEX_MEMBRANE, {}
        else:  # the adaptive model without exponential term and adaptation is a LIF; with
            # Delta_T = 0 NEST detects spikes at V_th, and V_peak must merely lie above it
            membrane = [_G_L if item[0] == "tau_m" else item for item in _LIF]
            constants = {"Delta_T": 0.0, "a": 0.0, "b": 0.0, "V_peak": 1e9}
    else:
        psrs = sorted({type(p).__name__ for p in celltype.post_synaptic_receptors.values()})
        raise NotImplementedError(f"NEST has no built-in model for PointNeuron({neuron}, "
                                  f"{' + '.join(psrs)})")
    parameters = [(f"{r}.{std}", f"{native}[{ports[r] - 1}]")
                  for r in receptors for std, native in per_receptor]
    variables = [(f"{r}.{std}", f"{native}_{ports[r]}", 1000.0)
                 for r in receptors for std, native in state]
    membrane_state = [_V, _W] if neuron == "AdExp" else [_V]
    return NESTModel(name, _table(*membrane, *parameters), _table(*membrane_state, *variables),
                     constants, kind=synapse_kind, ports=ports,
                     fixed_state={item[1]: 0.0 for item in variables})


def _identity(names):
    return _table(*[(name, name) for name in names])


def cell_model(celltype, precision):
    """The NESTModel of a standard cell type instance for spike_precision `precision`."""
    name = type(celltype).__name__
    if isinstance(celltype, NativeCellType):
        state = [*celltype.default_initial_values,
                 *[r for r in celltype.recordable if r not in celltype.default_initial_values
                   and r != "spikes"]]
        return NESTModel(celltype.nest_model, _identity(celltype.default_parameters),
                         _identity(state), kind="native", ports=dict(celltype.nest_ports))
    if name == "PointNeuron":
        return _point_neuron(celltype)
    if name not in _CELLS:
        raise NotImplementedError(f"NEST has no model for the cell type {name}")
    return _CELLS[name](precision)


def _psc_time_constant(post_model, receptor_type):
    """Native name of the post-synaptic receptor's time constant (tau_psc of §5)."""
    if post_model.kind == "voltage":
        return ""  # delta receptors: the limit tau_psc -> 0
    candidates = {"excitatory": ("tau_syn_E", "tau_syn_ex"),
                  "inhibitory": ("tau_syn_I", "tau_syn_in")}.get(receptor_type, ())
    candidates += (f"{receptor_type}.tau_syn", f"{receptor_type}.tau_decay")
    for name in candidates:
        if name in post_model.parameters:
            return post_model.parameters[name].native_name
    raise NotImplementedError(f"NEST: TsodyksMarkramSynapse needs the synaptic time constant of "
                              f"receptor {receptor_type!r} of {post_model.name}, which it has "
                              f"not")


def _signed_bound(scale, negative):
    """w_max -> NEST's Wmax, which carries the sign of the native weights (a zero weight takes
    the sign of the projection's kind of input, `negative`)."""
    def forward(w_max, weight):
        native = np.asarray(weight) * scale
        sign = np.where(native < 0, -1.0, np.where(native > 0, 1.0, -1.0 if negative else 1.0))
        return sign * np.asarray(w_max) * abs(scale)

    return ("w_max", "Wmax", forward, lambda Wmax: np.abs(Wmax) / abs(scale))


def _stdp(synapse_type, scale, negative, common):
    """stdp_synapse (spike-pair rule) or vogels_sprekeler_synapse (Vogels 2011)."""
    timing, weight_dependence = synapse_type.timing_dependence, synapse_type.weight_dependence
    bounds = [("w_min", "w_min"), _signed_bound(scale, negative)]
    local = ("dendritic_delay_fraction", "w_min")
    if isinstance(timing, synapses.Vogels2011Rule):
        # NEST adds eta * trace in native weight units; alpha = 2 rho tau / 1000 as in §5
        items = [("tau", "tau"), ("eta", "eta", abs(scale)),
                 ("rho", "alpha", lambda rho, tau: 2.0 * rho * tau / 1000.0,
                  lambda alpha, tau: 1000.0 * alpha / (2.0 * tau))]
        return NESTModel("vogels_sprekeler_synapse", _table(*common, *items, *bounds),
                         local=local, post_trace="tau", plastic=True)
    # NEST depresses by alpha * lambda: lambda = A_plus, alpha = A_minus / A_plus
    items = [("tau_plus", "tau_plus"), ("tau_minus", "tau_minus"), ("A_plus", "lambda"),
             ("A_minus", "alpha",
              lambda A_minus, A_plus: np.divide(A_minus, A_plus, out=np.where(
                  np.asarray(A_minus, dtype=float) == 0, 0.0, np.inf),
                  where=np.asarray(A_plus) != 0),
              lambda alpha, lam: alpha * lam, ("A_minus", "A_plus"), ("alpha", "lambda"))]
    constants = {}
    if weight_dependence.mu is None:  # Gutig: the exponents are parameters
        items += [("mu_plus", "mu_plus"), ("mu_minus", "mu_minus")]
    else:
        constants = dict(zip(("mu_plus", "mu_minus"), weight_dependence.mu))
    return NESTModel("stdp_synapse", _table(*common, *items, *bounds), constants=constants,
                     local=local + ("tau_minus",), post_trace="tau_minus", plastic=True)


def synapse_model(synapse_type, post_model, receptor_type):
    """The NESTModel of a standard synapse type onto `post_model` at `receptor_type`."""
    name = type(synapse_type).__name__
    native = isinstance(synapse_type, NativeSynapseType)
    if name in _REFUSED_SYNAPSES:
        raise NotImplementedError(f"NEST cannot do {name}: {_REFUSED_SYNAPSES[name]}")
    if name not in _SYNAPSES and not native:
        raise NotImplementedError(f"NEST has no model for the synapse type {name}")
    if post_model.kind == "source":
        raise ConnectionError(f"NEST: {post_model.name} (a spike source) takes no input")
    valid = list(post_model.ports) or ["excitatory", "inhibitory"]
    if receptor_type not in valid:
        raise ConnectionError(f"NEST: {post_model.name} has no receptor type {receptor_type!r}; "
                              f"valid receptor types are: {', '.join(valid)}")
    scale = 1.0 if post_model.kind in ("voltage", "native") else 1000.0
    if post_model.kind == "conductance" and not post_model.ports and \
            receptor_type == "inhibitory":
        scale = -scale  # NEST marks inhibitory conductance input by a negative weight
    constants = {"receptor_type": post_model.ports[receptor_type]} if post_model.ports else {}
    if native:
        others = [n for n in synapse_type.get_parameter_names() if n not in ("weight", "delay")]
        model = NESTModel(synapse_type.nest_model, _table(
            ("weight", "weight", scale), ("delay", "delay"), *[(n, n) for n in others]),
            plastic=synapse_type.weights_change)
    else:
        model = _SYNAPSES[name](synapse_type, post_model, receptor_type, scale)
    model.constants.update(constants)
    model.kind = post_model.kind
    return model


def _weight_delay(scale):
    return [("weight", "weight", scale), ("delay", "delay")]


def _tsodyks(synapse_type, post_model, receptor_type, scale):
    # §5: the first spike sets u from U alone (Δ = ∞), whatever the initial u; NEST's
    # tsodyks_synapse would decay an initial u from t = 0, so NEST's u always starts at 0
    return NESTModel(
        "tsodyks_synapse",
        _table(*_weight_delay(scale), ("U", "U"), ("tau_rec", "tau_rec"),
               ("tau_facil", "tau_fac")),
        _table(("u", "u", lambda u: np.zeros_like(np.asarray(u, dtype=float)), lambda u: u)),
        psc_time_constant=_psc_time_constant(post_model, receptor_type))


def _quantal(synapse_type, post_model, receptor_type, scale):
    # NEST transmits k * weight for k released sites, §5 weight * k / n; NEST's u and a stay
    # untouched before the first spike, so they start at U (§5: u = U at the first spike) and n
    return NESTModel(
        "quantal_stp_synapse",
        _table(("weight", "weight", lambda weight, n: weight * scale / n,
                lambda weight, n: weight * n / scale), ("delay", "delay"), ("U", "U"),
               ("n", "n"), ("tau_rec", "tau_rec"), ("tau_facil", "tau_fac")),
        starts_at={"u": "U", "a": "n"})


_SYNAPSES = {
    "StaticSynapse": lambda s, post, r, scale: NESTModel("static_synapse",
                                                         _table(*_weight_delay(scale))),
    "TsodyksMarkramSynapse": _tsodyks,
    "SimpleStochasticSynapse": lambda s, post, r, scale: NESTModel(
        "bernoulli_synapse", _table(*_weight_delay(scale), ("p", "p_transmit"))),
    "MultiQuantalSynapse": _quantal,
    "STDPMechanism": lambda s, post, r, scale: _stdp(
        s, scale, scale < 0 or (r in _INHIBITORY and post.kind != "conductance"),
        _weight_delay(scale) + [("dendritic_delay_fraction", "dendritic_delay_fraction")]),
}
_INHIBITORY = ("inhibitory", "GABA", "GABAA", "GABAB")  # receptors of negative weights
_REFUSED_SYNAPSES = {
    "StochasticTsodyksMarkramSynapse": "its library has no synapse with one stochastically "
                                       "recovering release site (needs an extension model)",
    "ElectricalSynapse": "gap junctions need a gap-junction neuron model, and NEST's "
                         "hh_cond_exp_traub (HH_cond_exp) has no gap-junction support",
}
