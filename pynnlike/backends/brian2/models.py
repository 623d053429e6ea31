"""Brian2 translation tables and model equations: API.md §4 written as Brian2 equations.

Every native variable is dimensionless and holds the standard value in standard units (mV, nA,
µS, nF, ms), so the tables are identities except where a standard parameter is replaced
(IF_facets_hardware1's g_leak) or a state is recorded as a sum (GIF); `cm` is `c_m` (a Brian2
unit). Time derivatives divide by `ms`. Per-cell divisions are written as multiplications by
reciprocals r_<name>, and the refractory period as t_refrac (seconds), which the driver stores
next to the parameters (derived()): per-cell divisions cost far more in compiled code. Data only;
the driver builds the Brian2 objects. Every model integrates with 'rk4' (Izhikevich: 'euler',
NEST's scheme; HH_cond_exp: its own splitting scheme, _HH_STEP, as rk4 diverges at dt = 0.1 ms):
Brian2's symbolic 'exact' solver costs 5-40 s per model at first use. A receptor's on_pre statement writes the transmitted weight as `{w}`
(the synapse types of synapses.py fill it in).
"""
from dataclasses import dataclass, field

import numpy as np

from pynnlike.backends.base import NativeModel
from pynnlike.standardmodels.translations import build_translations

E = "2.718281828459045"


@dataclass
class Brian2Model(NativeModel):
    """A NativeModel plus the Brian2 definition of the cells behind it."""
    #: how an incoming weight acts: 'current', 'conductance', 'voltage' or 'source'
    kind: str = "current"
    equations: str = ""
    threshold: str = None
    reset: str = None
    refractory: object = False
    method: str = "exact"
    #: code run at every step in the 'groups' slot: a model's own integration scheme
    update: str = ""
    #: receptor type -> on_pre statement, the transmitted weight written `{w}`
    on_pre: dict = field(default_factory=dict)
    #: receptor type -> the post variable of its time constant (Tsodyks-Markram's tau_psc);
    #: None for a delta receptor
    tau_psc: dict = field(default_factory=dict)
    #: summed gap-junction current slots (HH_cond_exp: receptor 'source_section.gap')
    gap_slots: int = 0
    #: array-valued native parameter -> the slot family it fills ('eta', 'gamma'): GIF
    arrays: dict = field(default_factory=dict)
    #: native name recorded as a sum -> the slot family whose first slot initialize() sets
    sums: dict = field(default_factory=dict)
    #: beta-kernel conductance (a subexpression) -> its receptor: initialize() sets a, b
    betas: dict = field(default_factory=dict)


def _native(name):
    return "c_m" if name == "cm" else name  # cm is a Brian2 unit


def _identity(*names):
    return [(name, _native(name)) for name in names]


# -- building blocks -----------------------------------------------------------------------------
# Brian2 counts the spike step itself, NEST does not: t_refrac = tau_refrac*ms + dt, stored per
# cell (see derived()) because an expression would be evaluated for every cell at every step
_REFRACTORY = "t_refrac"
#: parameters the equations use as reciprocals r_<name>: a per-cell division costs far more
#: than a multiplication (Brian2 only hoists divisions by constants out of its loops)
_RECIPROCALS = ("tau_m", "c_m", "tau_syn_E", "tau_syn_I")


def _kernel(kind, receptor, tau, prefix=""):
    """(equations, I_syn term, on_pre) of one synaptic kernel (§4.2) at a receptor."""
    name = prefix + receptor
    if kind == "curr_exp":
        return (f"dI_{name}/dt = -I_{name}*r_{tau}/ms : 1\n", f"I_{name}",
                f"I_{name}_post += {{w}}")
    if kind == "curr_alpha":
        return (f"dI_{name}/dt = ({E}*y_{name} - I_{name})*r_{tau}/ms : 1\n"
                f"dy_{name}/dt = -y_{name}*r_{tau}/ms : 1\n", f"I_{name}",
                f"y_{name}_post += {{w}}")
    if kind == "cond_exp":
        return (f"dg_{name}/dt = -g_{name}*r_{tau}/ms : 1\n", f"g_{name}*({{erev}} - v)",
                f"g_{name}_post += {{w}}")
    if kind == "cond_alpha":
        return (f"dg_{name}/dt = ({E}*y_{name} - g_{name})*r_{tau}/ms : 1\n"
                f"dy_{name}/dt = -y_{name}*r_{tau}/ms : 1\n", f"g_{name}*({{erev}} - v)",
                f"y_{name}_post += {{w}}")
    raise ValueError(kind)


_TAU_EI = {"excitatory": "tau_syn_E", "inhibitory": "tau_syn_I"}
_NO_TAU = {"excitatory": None, "inhibitory": None}


def _synapses(kind):
    """Equations, I_syn expression, on_pre statements and tau_psc of the E/I kernels of one IF
    type."""
    if kind == "delta":
        code = "v_post += {w}*int(not_refractory_post)"
        return "", "0", {"excitatory": code, "inhibitory": code}, _NO_TAU
    equations, terms, on_pre = "", [], {}
    for receptor, suffix in (("excitatory", "E"), ("inhibitory", "I")):
        eq, term, pre = _kernel(kind, suffix, f"tau_syn_{suffix}")
        equations += eq
        terms.append(term.format(erev=f"e_rev_{suffix}"))
        on_pre[receptor] = pre
    return equations, " + ".join(terms), on_pre, _TAU_EI


def _parameters(names):
    """Declarations of the native parameters and of the values derived() from them."""
    native = [_native(name) for name in names]
    return ("".join(f"{name} : 1\n" for name in native)
            + "".join(f"r_{name} : 1\n" for name in native if name in _RECIPROCALS)
            + ("t_refrac : second\n" if "tau_refrac" in native else ""))


def derived(values, dt):
    """Native values computed from written parameters (`values`: native name -> array;
    dt in seconds): reciprocals r_<name> and t_refrac (s). Names a model lacks are ignored."""
    out = {f"r_{name}": 1.0 / np.asarray(values[name], dtype=float)
           for name in values if name in _RECIPROCALS or name.startswith("tau_syn_")}
    if "tau_refrac" in values:
        out["t_refrac"] = np.asarray(values["tau_refrac"], dtype=float) * 0.001 + dt
    return out


_LIF_NAMES = ["v_rest", "cm", "tau_m", "tau_refrac", "v_reset", "v_thresh", "i_offset"]
_LIF_MEMBRANE = ("dv/dt = ((v_rest - v)*r_tau_m + (I_syn{extra} + i_offset + I_inj)*r_c_m)/ms"
                 " : 1 (unless refractory)\n")
_V = ("v", "v")


def _state(kind):
    if kind in ("curr_exp", "curr_alpha"):
        return [("isyn_exc", "I_E"), ("isyn_inh", "I_I")]
    if kind in ("cond_exp", "cond_alpha"):
        return [("gsyn_exc", "g_E"), ("gsyn_inh", "g_I")]
    return []


def _if(kind, extra_names=(), extra_equations="", extra_current="", reset="", names=None,
        constants=None, table=None, extra_state=()):
    """An IF type of §4.3 with kernel `kind` (§4.2)."""
    syn_eq, i_syn, on_pre, taus = _synapses(kind)
    names = list(names or _LIF_NAMES)
    if kind not in ("delta",):
        names += ["tau_syn_E", "tau_syn_I"]
    if kind.startswith("cond"):
        names += ["e_rev_E", "e_rev_I"]
    names += list(extra_names)
    equations = (_LIF_MEMBRANE.format(extra=extra_current) + f"I_syn = {i_syn} : 1\n" + syn_eq
                 + extra_equations + "I_inj : 1\n"
                 + _parameters(names + list(constants or {})))
    return Brian2Model(
        "NeuronGroup", build_translations(*(table or _identity(*names))),
        build_translations(_V, *_state(kind), *_identity(*extra_state)),
        dict(constants or {}), kind="voltage" if kind == "delta" else
        ("conductance" if kind.startswith("cond") else "current"),
        equations=equations, threshold="v >= v_thresh", reset="v = v_reset" + reset,
        refractory=_REFRACTORY, method="rk4", on_pre=on_pre, tau_psc=taus)


def _gsfa_grr():
    names = ["tau_sfa", "e_rev_sfa", "q_sfa", "tau_rr", "e_rev_rr", "q_rr"]
    return _if("cond_exp", names,
               "dg_s/dt = -g_s/tau_sfa/ms : 1\ndg_r/dt = -g_r/tau_rr/ms : 1\n",
               " + 0.001*g_s*(e_rev_sfa - v) + 0.001*g_r*(e_rev_rr - v)",
               "; g_s += q_sfa; g_r += q_rr", extra_state=("g_s", "g_r"))


def _facets():
    names = ["v_rest", "tau_m", "v_reset", "v_thresh"]
    table = [("g_leak", "tau_m", lambda g_leak: 200.0 / g_leak, lambda tau_m: 200.0 / tau_m),
             ("v_rest", "v_rest"), ("v_reset", "v_reset"), ("v_thresh", "v_thresh"),
             ("e_rev_I", "e_rev_I"), ("tau_syn_E", "tau_syn_E"), ("tau_syn_I", "tau_syn_I")]
    model = _if("cond_exp", names=names, table=table,
                constants={"c_m": 0.2, "tau_refrac": 1.0, "i_offset": 0.0})
    model.constants["e_rev_E"] = 0.0
    return model


_ADEX_NAMES = ["cm", "tau_refrac", "v_spike", "v_reset", "v_rest", "tau_m", "i_offset", "a", "b",
               "delta_T", "tau_w", "v_thresh"]
_ADEX = ("dv/dt = (g_L*(v_rest - v) + g_L*delta_T*exp_term - w + I_syn + i_offset + I_inj)"
         "/c_m/ms : 1 (unless refractory)\n"
         "g_L = c_m/tau_m : 1\n"
         # delta_T = 0: no exponential term; the exponent is capped (v_spike lies far below)
         "exp_term = int(delta_T > 0)*exp(clip((v - v_thresh)/(delta_T + int(delta_T <= 0)),"
         " -500, 20)) : 1\n"
         "dw/dt = (0.001*a*(v - v_rest) - w)/tau_w/ms : 1\n")
_ADEX_THRESHOLD = "v >= v_spike*int(delta_T > 0) + v_thresh*int(delta_T <= 0)"


def _eif(kind):
    syn_eq, i_syn, on_pre, taus = _synapses(kind)
    names = _ADEX_NAMES + ["e_rev_E", "tau_syn_E", "e_rev_I", "tau_syn_I"]
    return Brian2Model(
        "NeuronGroup", build_translations(*_identity(*names)),
        build_translations(_V, ("w", "w"), *_state(kind)), kind="conductance",
        equations=_ADEX + f"I_syn = {i_syn} : 1\n" + syn_eq + "I_inj : 1\n" + _parameters(names),
        threshold=_ADEX_THRESHOLD, reset="v = v_reset; w += b", refractory=_REFRACTORY,
        method="rk4", on_pre=on_pre, tau_psc=taus)


#: gap-junction partner groups an HH_cond_exp group can have: Brian2 lets one Synapses object
#: sum into a variable, so each partner group gets its own summed slot
GAP_SLOTS = 4


_HH_RATES = (  # x/(exp(x/y) - 1) = y/exprel(x/y), finite at x = 0
    "u_hh = v - v_offset\n"
    "alpha_m = 0.32*4/exprel((13 - u_hh)/4)\nbeta_m = 0.28*5/exprel((u_hh - 40)/5)\n"
    "alpha_h = 0.128*exp((17 - u_hh)/18)\nbeta_h = 4/(1 + exp((40 - u_hh)/5))\n"
    "alpha_n = 0.032*5/exprel((15 - u_hh)/5)\nbeta_n = 0.5*exp((10 - u_hh)/40)\n")


def _hh_gates(step):
    """Each gate relaxes exactly towards its steady state for v held fixed over `step`."""
    return _HH_RATES + "".join(
        f"{x} = {x}_inf + ({x} - {x}_inf)*exp(-(alpha_{x} + beta_{x})*{step})\n".replace(
            f"{x}_inf", f"alpha_{x}/(alpha_{x} + beta_{x})") for x in "mhn")


#: HH_cond_exp's step (Strang splitting, second order and stable at any dt; rk4 diverges at
#: 0.1 ms, exponential Euler is first order): gates half a step with v held, v a whole step
#: with every conductance held (the synaptic ones at their exact mean over the step, v
#: relaxing exactly towards the reversal potential they set), gates the other half step,
#: then the synaptic conductances decay exactly.
_HH_STEP = (
    _hh_gates("0.5*dt/ms")
    + "".join(f"mean_{r} = g_{r}*tau_syn_{r}/(dt/ms)*(1 - exp(-dt/ms*r_tau_syn_{r}))\n"
              for r in "EI")
    + "g_total = g_leak + gbar_Na*m**3*h + gbar_K*n**4 + mean_E + mean_I\n"
      "v_inf = (g_leak*e_rev_leak + gbar_Na*m**3*h*e_rev_Na + gbar_K*n**4*e_rev_K"
      " + mean_E*e_rev_E + mean_I*e_rev_I + I_gap + i_offset + I_inj)/g_total\n"
      "v = v_inf + (v - v_inf)*exp(-g_total/c_m*dt/ms)\n"
    + _hh_gates("0.5*dt/ms")
    + "".join(f"g_{r} = g_{r}*exp(-dt/ms*r_tau_syn_{r})\n" for r in "EI"))


def _hh():
    _, _, on_pre, taus = _synapses("cond_exp")
    gaps = "".join(f"gap_{k} : 1\n" for k in range(GAP_SLOTS))
    names = ["gbar_Na", "gbar_K", "g_leak", "cm", "v_offset", "e_rev_Na", "e_rev_K",
             "e_rev_leak", "e_rev_E", "e_rev_I", "tau_syn_E", "tau_syn_I", "i_offset"]
    equations = ("v : 1\nm : 1\nh : 1\nn : 1\ng_E : 1\ng_I : 1\nI_inj : 1\n"
                 + _parameters(names)
                 + f"I_gap = {' + '.join(f'gap_{k}' for k in range(GAP_SLOTS))} : 1\n" + gaps)
    # one spike per upward crossing: refractory while above, so only the crossing step fires
    return Brian2Model(
        "NeuronGroup", build_translations(*_identity(*names)),
        build_translations(_V, *_state("cond_exp"), *_identity("m", "n", "h")),
        kind="conductance", equations=equations, threshold="v > v_offset + 30",
        refractory="v > v_offset + 30", method="euler", update=_HH_STEP, on_pre=on_pre,
        tau_psc=taus, gap_slots=GAP_SLOTS)


def _izhikevich():
    names = ["a", "b", "c", "d", "i_offset"]
    equations = ("dv/dt = (0.04*v**2 + 5*v + 140 - u + 1000*(i_offset + I_inj))/ms : 1\n"
                 "du/dt = a*(b*v - u)/ms : 1\nI_inj : 1\n" + _parameters(names))
    return Brian2Model(
        "NeuronGroup", build_translations(*_identity(*names)),
        build_translations(_V, ("u", "u")), kind="voltage", equations=equations,
        threshold="v >= 30", reset="v = c; u += d", method="euler",
        on_pre={"excitatory": "v_post += {w}", "inhibitory": "v_post += {w}"},
        tau_psc=_NO_TAU)


def _gif():
    syn_eq, i_syn, on_pre, taus = _synapses("cond_exp")
    names = ["v_rest", "cm", "tau_m", "tau_refrac", "tau_syn_E", "tau_syn_I", "e_rev_E",
             "e_rev_I", "v_reset", "i_offset", "delta_v", "v_t_star", "lambda0"]
    equations = (_LIF_MEMBRANE.format(extra=" - i_eta") + f"I_syn = {i_syn} : 1\n" + syn_eq
                 + "I_inj : 1\n" + _parameters(names))
    return Brian2Model(
        "NeuronGroup",
        build_translations(*_identity(*names, "tau_eta", "tau_gamma", "a_eta", "a_gamma")),
        build_translations(_V, *_state("cond_exp"), ("i_eta", "i_eta"),
                           ("v_t", "v_t_shift", lambda v_t, v_t_star: v_t - v_t_star,
                            lambda v_t_shift, v_t_star: v_t_shift + v_t_star)),
        kind="conductance", equations=equations,
        threshold="rand() < 1 - exp(-lambda0*exp((v - v_t_star - v_t_shift)/delta_v)"
                  "*dt/second)",
        reset="v = v_reset", refractory=_REFRACTORY, method="rk4", on_pre=on_pre,
        tau_psc=taus,
        arrays={"tau_eta": "eta", "a_eta": "eta", "tau_gamma": "gamma", "a_gamma": "gamma"},
        sums={"i_eta": "eta", "v_t_shift": "gamma"})


def gif_equations(model, slots):
    """The GIF equations with `slots` = {'eta': K, 'gamma': L} adaptation terms (§4.3)."""
    extra, reset = "", model.reset
    for family, count in slots.items():
        for k in range(count):
            extra += (f"d{family}_{k}/dt = -{family}_{k}/tau_{family}_{k}/ms : 1\n"
                      f"tau_{family}_{k} : 1\na_{family}_{k} : 1\n")
            reset += f"; {family}_{k} += a_{family}_{k}"
    total = {f: " + ".join(f"{f}_{k}" for k in range(n)) for f, n in slots.items()}
    extra += f"i_eta = {total['eta']} : 1\nv_t_shift = {total['gamma']} : 1\n"
    return model.equations + extra, reset


def _spike_source():
    return Brian2Model("SpikeGeneratorGroup",
                       build_translations(("spike_times", "spike_times")), kind="source")


_CELLS = {
    "IF_curr_alpha": lambda: _if("curr_alpha"),
    "IF_curr_exp": lambda: _if("curr_exp"),
    "IF_curr_delta": lambda: _if("delta"),
    "IF_cond_alpha": lambda: _if("cond_alpha"),
    "IF_cond_exp": lambda: _if("cond_exp"),
    "IF_cond_exp_gsfa_grr": _gsfa_grr,
    "IF_facets_hardware1": _facets,
    "EIF_cond_alpha_isfa_ista": lambda: _eif("cond_alpha"),
    "EIF_cond_exp_isfa_ista": lambda: _eif("cond_exp"),
    "HH_cond_exp": _hh,
    "Izhikevich": _izhikevich,
    "GIF_cond_exp": _gif,
    "SpikeSourceArray": _spike_source,
    "SpikeSourcePoisson": _spike_source,
    "SpikeSourcePoissonRefractory": _spike_source,
    "SpikeSourceGamma": _spike_source,
    "SpikeSourceInhGamma": _spike_source,
}

_PSR_KERNEL = {"CurrExpPostSynapticResponse": "curr_exp",
               "CondExpPostSynapticResponse": "cond_exp",
               "CondAlphaPostSynapticResponse": "cond_alpha",
               "CondBetaPostSynapticResponse": "cond_beta"}


def _point_neuron(celltype):
    """PointNeuron(LIF|AdExp, **PSRs) as one Brian2 model; receptor r's names are 'r_<name>'."""
    neuron = type(celltype.neuron).__name__
    receptors = sorted(celltype.post_synaptic_receptors)
    equations, terms, on_pre, table, state, betas = "", [], {}, [], [], {}
    taus = {}
    for r in receptors:
        psr = type(celltype.post_synaptic_receptors[r]).__name__
        kind = _PSR_KERNEL.get(psr)
        if kind is None:
            raise NotImplementedError(f"Brian2 has no model for the PSR {psr}")
        if kind == "cond_beta":
            td, tr, rise = f"{r}_tau_decay", f"{r}_tau_rise", f"rise_{r}"
            equations += (
                f"da_{r}/dt = -a_{r}/{td}/ms : 1\n"
                f"db_{r}/dt = -b_{r}/{rise}/ms : 1\n"
                f"g_{r} = norm_{r}*(a_{r} - b_{r}) : 1\n"
                # tau_rise = tau_decay (the alpha shape): taken within 1e-6 of the limit
                f"{rise} = {tr} + ({td}*(1 - 1e-6) - {tr})*int(abs({td} - {tr}) < 1e-6*{td})"
                f" : 1\n"
                f"tp_{r} = {td}*{rise}*log({td}/{rise})/({td} - {rise}) : 1\n"
                f"norm_{r} = 1/(exp(-tp_{r}/{td}) - exp(-tp_{r}/{rise})) : 1\n"
                f"{td} : 1\n{tr} : 1\ne_syn_{r} : 1\n")
            terms.append(f"g_{r}*(e_syn_{r} - v)")
            on_pre[r] = f"a_{r}_post += {{w}}; b_{r}_post += {{w}}"
            taus[r] = td
            table += [(f"{r}.tau_rise", tr), (f"{r}.tau_decay", td), (f"{r}.e_syn", f"e_syn_{r}")]
            state.append((f"{r}.gsyn", f"g_{r}"))
            betas[f"g_{r}"] = r
            continue
        eq, term, pre = _kernel(kind, r, f"tau_syn_{r}")
        equations += eq + f"tau_syn_{r} : 1\nr_tau_syn_{r} : 1\n"
        table.append((f"{r}.tau_syn", f"tau_syn_{r}"))
        if kind.startswith("cond"):
            equations += f"e_syn_{r} : 1\n"
            table.append((f"{r}.e_syn", f"e_syn_{r}"))
            state.append((f"{r}.gsyn", f"g_{r}"))
        else:
            state.append((f"{r}.isyn", f"I_{r}"))
        terms.append(term.format(erev=f"e_syn_{r}"))
        on_pre[r] = pre
        taus[r] = f"tau_syn_{r}"
    i_syn = f"I_syn = {' + '.join(terms) or '0'} : 1\n"
    conductance = bool(celltype.conductance_based)
    table = [(std, native, lambda x: x, lambda y: y, (std,), (native,)) for std, native in table]
    state = [(std, native, lambda x: x, lambda y: y, (std,), (native,)) for std, native in state]
    if neuron == "LIF":
        return Brian2Model(
            "NeuronGroup", build_translations(*_identity(*_LIF_NAMES), *table),
            build_translations(_V, *state),
            kind="conductance" if conductance else "current",
            equations=_LIF_MEMBRANE.format(extra="") + i_syn + equations + "I_inj : 1\n"
            + _parameters(_LIF_NAMES), threshold="v >= v_thresh", reset="v = v_reset",
            refractory=_REFRACTORY, method="rk4", on_pre=on_pre, tau_psc=taus,
            betas=betas)
    if neuron == "AdExp":
        return Brian2Model(
            "NeuronGroup", build_translations(*_identity(*_ADEX_NAMES), *table),
            build_translations(_V, ("w", "w"), *state),
            kind="conductance" if conductance else "current",
            equations=_ADEX + i_syn + equations + "I_inj : 1\n" + _parameters(_ADEX_NAMES),
            threshold=_ADEX_THRESHOLD, reset="v = v_reset; w += b", refractory=_REFRACTORY,
            method="rk4", on_pre=on_pre, tau_psc=taus, betas=betas)
    raise NotImplementedError(f"Brian2 has no model for PointNeuron({neuron}, ...)")


def cell_model(celltype):
    """The Brian2Model of a standard cell type instance."""
    name = type(celltype).__name__
    if name == "PointNeuron":
        return _point_neuron(celltype)
    if name not in _CELLS:
        raise NotImplementedError(f"Brian2 has no model for the cell type {name}")
    return _CELLS[name]()

