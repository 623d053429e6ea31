"""NEURON translation tables (API.md §13.2): each standard cell type is one section of area
1e-3 cm² (cm in nF = section cm in µF/cm², point-process currents in nA) carrying a membrane
mechanism (threshold, reset, refractory clamp; leak in `pas` where it is linear) and one
point process per receptor type. Data only; the driver applies it.

Synapse types (synapse_model) become a SynapseModel: a plain NetCon for StaticSynapse, else a
mechanism that synapses.py builds per connection (API.md §13.2).

Native names say where a value lives: 'v', 'cm' and '*_pas' on the segment, '<receptor>.<name>'
on that receptor's point process, anything else on the membrane mechanism.
"""
from dataclasses import dataclass, field

from pynnlike.backends.base import NativeModel
from pynnlike.backends.neuron.native import NativeCellType, NativeSynapseType
from pynnlike.errors import ConnectionError
from pynnlike.standardmodels.translations import build_translations as _table


@dataclass
class NEURONModel(NativeModel):
    """A NativeModel plus the NEURON objects behind one cell."""
    #: receptor type -> (point-process class, None = events go to the membrane mechanism)
    receptors: dict = field(default_factory=dict)
    #: 'current', 'conductance', 'voltage', 'source' or 'native'
    kind: str = "current"
    leak: bool = True       # insert pas
    izhikevich: bool = False  # 1e-6 cm² compartment
    #: array-valued native parameters -> the membrane's count of used elements
    arrays: dict = field(default_factory=dict)
    random: bool = False      # the membrane draws random numbers (seeded per gid)
    native: type = None       # kind 'native': the NativeCellType subclass

    @property
    def membrane(self):
        """The membrane point process (its name is the model's); None for a spike source."""
        return None if self.kind == "source" else self.name


_E, _I = "excitatory", "inhibitory"
_G_PAS = ("tau_m", "g_pas", lambda cm, tau_m: 1e-3 * cm / tau_m,
          lambda cm, g_pas: 1e-3 * cm / g_pas)
_MEMBRANE = [("v_rest", "e_pas"), ("cm", "cm"), _G_PAS, ("v_reset", "vreset"),
             ("v_thresh", "vthresh"), ("tau_refrac", "trefrac"), ("i_offset", "ioff")]
_TAU = [("tau_syn_E", f"{_E}.tau"), ("tau_syn_I", f"{_I}.tau")]
_E_REV = [("e_rev_E", f"{_E}.e"), ("e_rev_I", f"{_I}.e")]
_V = ("v", "v")
_ISYN = [("isyn_exc", f"{_E}.isyn"), ("isyn_inh", f"{_I}.isyn")]
_GSYN = [("gsyn_exc", f"{_E}.g"), ("gsyn_inh", f"{_I}.g")]
_ADEX = [("cm", "cm"), ("tau_refrac", "trefrac"), ("v_spike", "vspike"), ("v_reset", "vreset"),
         ("v_rest", "el"), ("tau_m", "gl", lambda cm, tau_m: cm / tau_m,
                            lambda cm, gl: cm / gl),
         ("i_offset", "ioff"), ("a", "a"), ("b", "b"), ("delta_T", "deltat"),
         ("tau_w", "tauw"), ("v_thresh", "vt")]


def _both(kind):
    return {_E: kind, _I: kind}


def _curr(psr):
    return lambda: NEURONModel("PnlLIF", _table(*_MEMBRANE, *_TAU), _table(_V, *_ISYN),
                               receptors=_both(psr))


def _cond(psr, membrane="PnlLIF", extra=(), state=()):
    return lambda: NEURONModel(membrane, _table(*_MEMBRANE, *_TAU, *_E_REV, *extra),
                               _table(_V, *_GSYN, *state), receptors=_both(psr),
                               kind="conductance")


def _eif(psr):
    return lambda: NEURONModel("PnlAdExp", _table(*_ADEX, *_TAU, *_E_REV),
                               _table(_V, ("w", "w"), *_GSYN), receptors=_both(psr),
                               kind="conductance", leak=False)


def _source():
    return NEURONModel("PnlSpikeSource", _table(("spike_times", "spike_times")), kind="source",
                       leak=False)


_CELLS = {
    "IF_curr_exp": _curr("PnlCurrExp"),
    "IF_curr_alpha": _curr("PnlCurrAlpha"),
    "IF_curr_delta": lambda: NEURONModel("PnlLIF", _table(*_MEMBRANE), _table(_V),
                                         receptors={_E: None, _I: None}, kind="voltage"),
    "IF_cond_exp": _cond("PnlCondExp"),
    "IF_cond_alpha": _cond("PnlCondAlpha"),
    "IF_cond_exp_gsfa_grr": _cond(
        "PnlCondExp", "PnlLIFSfaRr",
        [("tau_sfa", "tau_sfa"), ("e_rev_sfa", "e_sfa"), ("q_sfa", "q_sfa"),
         ("tau_rr", "tau_rr"), ("e_rev_rr", "e_rr"), ("q_rr", "q_rr")],
        [("g_s", "g_s"), ("g_r", "g_r")]),
    "IF_facets_hardware1": lambda: NEURONModel(
        "PnlLIF",
        _table(("g_leak", "g_pas", 1e-6), ("v_rest", "e_pas"), ("v_reset", "vreset"),
               ("v_thresh", "vthresh"), ("e_rev_I", f"{_I}.e"), *_TAU),
        _table(_V, *_GSYN), {"cm": 0.2, "trefrac": 1.0, f"{_E}.e": 0.0, "ioff": 0.0},
        receptors=_both("PnlCondExp"), kind="conductance"),
    "EIF_cond_exp_isfa_ista": _eif("PnlCondExp"),
    "EIF_cond_alpha_isfa_ista": _eif("PnlCondAlpha"),
    "HH_cond_exp": lambda: NEURONModel(
        "PnlHH",
        _table(("gbar_Na", "gnabar"), ("gbar_K", "gkbar"), ("g_leak", "g_pas", 1e-3),
               ("cm", "cm"), ("v_offset", "voffset"), ("e_rev_Na", "ena"), ("e_rev_K", "ek"),
               ("e_rev_leak", "e_pas"), *_E_REV, *_TAU, ("i_offset", "ioff")),
        _table(_V, *_GSYN, ("m", "m"), ("n", "n"), ("h", "h")),
        receptors=_both("PnlCondExp"), kind="conductance"),
    "Izhikevich": lambda: NEURONModel(
        "PnlIzhikevich", _table(("a", "a"), ("b", "b"), ("c", "c"), ("d", "d"),
                                ("i_offset", "ioff")),
        _table(_V, ("u", "u")), receptors={_E: None, _I: None}, kind="voltage", leak=False,
        izhikevich=True),
    "GIF_cond_exp": lambda: NEURONModel(
        "PnlGIF",
        _table(("v_rest", "e_pas"), ("cm", "cm"), _G_PAS, ("tau_refrac", "trefrac"), *_TAU,
               *_E_REV, ("v_reset", "vreset"), ("i_offset", "ioff"), ("delta_v", "deltav"),
               ("v_t_star", "vtstar"), ("lambda0", "lambda0"), ("tau_eta", "taueta"),
               ("tau_gamma", "taugamma"), ("a_eta", "aeta"), ("a_gamma", "agamma")),
        _table(_V, *_GSYN, ("i_eta", "i_eta"), ("v_t", "vt")), receptors=_both("PnlCondExp"),
        kind="conductance", random=True,
        arrays={"taueta": "neta", "aeta": "neta", "taugamma": "ngamma", "agamma": "ngamma"}),
    "SpikeSourceArray": _source,
    "SpikeSourcePoisson": _source,
    "SpikeSourcePoissonRefractory": _source,
    "SpikeSourceGamma": _source,
    "SpikeSourceInhGamma": _source,
}

_PSRS = {"CurrExpPostSynapticResponse": ("PnlCurrExp", [("tau_syn", "tau")], ("isyn", "isyn")),
         "CondExpPostSynapticResponse": ("PnlCondExp", [("tau_syn", "tau"), ("e_syn", "e")],
                                         ("gsyn", "g")),
         "CondAlphaPostSynapticResponse": ("PnlCondAlpha", [("tau_syn", "tau"), ("e_syn", "e")],
                                           ("gsyn", "g")),
         "CondBetaPostSynapticResponse": ("PnlCondBeta", [("tau_rise", "taur"),
                                                          ("tau_decay", "taud"), ("e_syn", "e")],
                                          ("gsyn", "g"))}


def _point_neuron(celltype):
    """PointNeuron(LIF|AdExp, **PSRs): the membrane mechanism plus one point process per
    receptor, whatever the combination."""
    neuron = type(celltype.neuron).__name__
    receptors, parameters, state = {}, [], []
    for name in sorted(celltype.post_synaptic_receptors):
        psr = type(celltype.post_synaptic_receptors[name]).__name__
        if psr not in _PSRS:
            raise NotImplementedError(f"NEURON has no mechanism for the receptor {psr}")
        mechanism, items, (std, native) = _PSRS[psr]
        receptors[name] = mechanism
        parameters += [(f"{name}.{s}", f"{name}.{n}") for s, n in items]
        state.append((f"{name}.{std}", f"{name}.{native}"))
    kind = "conductance" if celltype.conductance_based else "current"
    if neuron == "LIF":
        return NEURONModel("PnlLIF", _table(*_MEMBRANE, *parameters), _table(_V, *state),
                           receptors=receptors, kind=kind)
    if neuron == "AdExp":
        return NEURONModel("PnlAdExp", _table(*_ADEX, *parameters),
                           _table(_V, ("w", "w"), *state), receptors=receptors, kind=kind,
                           leak=False)
    raise NotImplementedError(f"NEURON has no membrane for PointNeuron({neuron})")


def cell_model(celltype):
    """The NEURONModel of a standard cell type instance."""
    name = type(celltype).__name__
    if isinstance(celltype, NativeCellType):  # the user's names, values and units
        state = [n for n in (*celltype.default_initial_values, *celltype.recordable)
                 if n != "spikes"]
        return NEURONModel(name, _table(*[(n, n) for n in celltype.default_parameters]),
                           _table(*[(n, n) for n in dict.fromkeys(state)]),
                           receptors=dict.fromkeys(celltype.receptor_types), kind="native",
                           leak=False, native=type(celltype))
    if name == "PointNeuron":
        return _point_neuron(celltype)
    if name not in _CELLS:
        raise NotImplementedError(f"NEURON has no model for the cell type {name} yet")
    return _CELLS[name]()


@dataclass
class SynapseModel(NativeModel):
    """A NativeModel plus how the driver builds its connections: `mechanism` None for a plain
    NetCon onto the receptor; PnlRelease/PnlSTDP for one front-end instance per connection
    between the spike and the receptor (synapses.py); PnlGap for gap junctions; a user
    mechanism for native synapse types. `constants` are set on every instance."""
    mechanism: str = None
    kind: str = "current"     # the target's kind (NEURONModel.kind)


_WEIGHT = ("weight", "w")
_DELAY = ("delay", "delay")
_STP = [("U", "U"), ("tau_rec", "tau_rec"), ("tau_facil", "tau_facil")]
_RELEASE = {  # synapse type -> (PnlRelease kind, parameters, state)
    "TsodyksMarkramSynapse": (0, _STP, [("u", "u0")]),
    "SimpleStochasticSynapse": (1, [("p", "p")], []),
    "StochasticTsodyksMarkramSynapse": (2, _STP, []),
    "MultiQuantalSynapse": (3, [*_STP, ("n", "n")], []),
}
_TIMING = {"SpikePairRule": ([("tau_plus", "tau_plus"), ("tau_minus", "tau_minus"),
                              ("A_plus", "aplus"), ("A_minus", "aminus")], {"vogels": 0}),
           "Vogels2011Rule": ([("tau", "tau_plus"), ("eta", "eta"), ("rho", "rho")],
                              {"vogels": 1})}


def _stdp(synapse_type):
    """PnlSTDP: the timing rule's and the weight dependence's parameters; exponents of the
    fixed weight dependences as constants."""
    timing, dependence = synapse_type.timing_dependence, synapse_type.weight_dependence
    items, constants = _TIMING[type(timing).__name__]
    items = [_WEIGHT, _DELAY, ("dendritic_delay_fraction", "f"), *items,
             ("w_min", "wmin"), ("w_max", "wmax")]
    constants = dict(constants)
    if dependence.mu is None:
        items += [("mu_plus", "muplus"), ("mu_minus", "muminus")]
    else:
        constants.update(muplus=dependence.mu[0], muminus=dependence.mu[1])
    return SynapseModel("PnlSTDP", _table(*items), constants=constants, mechanism="PnlSTDP")


def _native(synapse_type):
    """A user's point-process mechanism, one instance per connection."""
    names = [n for n in synapse_type.default_parameters if n not in ("weight", "delay")]
    return SynapseModel(synapse_type.neuron_mechanism,
                        _table(("weight", "weight"), _DELAY, *[(n, n) for n in names]),
                        mechanism=synapse_type.neuron_mechanism)


def synapse_model(synapse_type, post_model, receptor_type):
    """The SynapseModel of `synapse_type` onto `post_model` at `receptor_type`: weights in
    standard units, as the receptor mechanisms take them (nA, µS or mV), delays in ms."""
    name = type(synapse_type).__name__
    if post_model.kind == "source":
        raise ConnectionError("NEURON: a spike source takes no input")
    if name == "ElectricalSynapse":
        if receptor_type != "source_section.gap" or post_model.name != "PnlHH":
            raise ConnectionError(f"NEURON: ElectricalSynapse connects to the receptor type "
                                  f"'source_section.gap' of HH_cond_exp cells, not "
                                  f"{receptor_type!r} of {post_model.name}")
        return SynapseModel("PnlGap", _table(("weight", "g")), mechanism="PnlGap")
    if receptor_type not in post_model.receptors:
        raise ConnectionError(f"NEURON: {post_model.membrane} has no receptor type "
                              f"{receptor_type!r}; valid receptor types are: "
                              f"{', '.join(post_model.receptors)}")
    if name == "StaticSynapse":
        model = SynapseModel("NetCon", _table(("weight", "weight"), _DELAY))
    elif name in _RELEASE:
        kind, items, state = _RELEASE[name]
        model = SynapseModel("PnlRelease", _table(_WEIGHT, _DELAY, *items), _table(*state),
                             constants={"kind": kind}, mechanism="PnlRelease")
    elif name == "STDPMechanism":
        model = _stdp(synapse_type)
    elif isinstance(synapse_type, NativeSynapseType):
        model = _native(synapse_type)
    else:
        raise NotImplementedError(f"NEURON has no model for the synapse type {name}")
    model.kind = post_model.kind
    return model
