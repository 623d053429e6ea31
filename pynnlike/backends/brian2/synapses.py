"""Brian2 synapse types: API.md §5's event rules written as Synapses on_pre/on_post code.

Every rule is event-driven: a synapse's state changes only when a spike reaches it, the decay
since its last event taken in closed form (exp of the elapsed time), so nothing is integrated per
time step. Times inside the code are in ms (t/ms); NEVER (-1e12 ms) as the time of a last event
gives Δ = ∞. Synaptic variable names end in `_syn`: Brian2 refuses a synaptic variable named like
a variable of the cells it connects (AdEx's w, Izhikevich's u, HH's n). Random draws are Brian2's
rand(), seeded by setup(rng_seed); MultiQuantalSynapse draws once per release site (its code has
one term per site, up to the largest n of the projection).

STDP timing (§5): the rule sees a pre spike at t_pre + (1 - f)d and a post spike at t_post + f·d;
the spike is transmitted at t_pre + d with the weight the rule reached when it saw it. Only the
differences between seen times matter, so the rule runs here f·d later than that on its own
clock: it sees a pre spike when transmitting it (one pathway, before the thresholds: update,
then transmit) and a post spike at t_post + 2f·d. The post pathway runs after the thresholds of
the last step that starts before that instant (its delay; the rest of the lag, up to one step,
is t_res_syn, added to the event's time), so a post spike is handled before the pre spikes seen
at the same instant: potentiation first, as in NEST (§5 leaves the order open). With f·d = 0
the post spike happens in the step that transmits the pre spike, after it: the post pathway then
redoes that pre spike's update after the potentiation and transmits the difference (as if sent
at once: a conductance or current is read at the next step; a voltage jump is undone by the
reset of the cell that just fired).
Projection.get shows the weights the rule had about f·d earlier.

Data only: the driver builds the Brian2 objects.
"""
from dataclasses import dataclass, field

import numpy as np

from pynnlike.backends.base import NativeModel
from pynnlike.errors import ConnectionError
from pynnlike.standardmodels.translations import build_translations

#: the time of an event that never happened (ms)
NEVER = -1e12
#: times closer than this (ms) are one instant (t + t_res_syn carries float noise), as in the
#: references
SAME = 1e-9
GAP = "source_section.gap"


@dataclass
class Brian2Synapse(NativeModel):
    """A NativeModel plus the Brian2 code of the synapses behind it."""
    kind: str = "current"
    #: declarations of the synaptic variables
    equations: str = "w_syn : 1\n"
    #: code run when a pre-synaptic spike arrives (state update, then transmission)
    on_pre: str = ""
    #: code run when the rule sees a post-synaptic spike (STDP), else None
    on_post: str = None
    #: synaptic state -> its value at creation and reset(): a number or a native parameter name
    initial: dict = field(default_factory=dict)
    #: the weights change (STDP): w_syn is also state, w_sign_syn keeps its sign
    plastic: bool = False
    #: multi-quantal: on_pre made by sites(largest n)
    sites: object = None
    #: gap junction (summed currents, no pathway)
    gap: bool = False

    def pre_code(self, parameters):
        """The on_pre code for connections with these native parameters."""
        if self.sites is None:
            return self.on_pre
        return self.sites(largest_n(parameters["n_syn"]))


def largest_n(n):
    return int(np.max(np.asarray(n, dtype=float), initial=1.0))


def _declare(*names):
    return "".join(f"{name} : 1\n" for name in names)


def _tsodyks_markram(receive, tau_psc):
    """Three-state model; tau_psc is the post-synaptic variable holding it (None: delta)."""
    psc = f"exp(-stp_delta/{tau_psc}_post)" if tau_psc else "0"
    ratio = f"{tau_psc}_post/tau_rec_syn" if tau_psc else "0"
    return (
        "stp_delta = t/ms - t_last_syn\n"
        "stp_rec = exp(-stp_delta/tau_rec_syn)\n"
        f"stp_psc = {psc}\n"
        f"stp_same = int(abs({ratio} - 1) < 1e-9)\n"
        f"z_syn = z_syn*stp_rec + y_syn*((1 - stp_same)*(stp_psc - stp_rec)/({ratio} - 1 + "
        "stp_same) + stp_same*(stp_delta/tau_rec_syn)*stp_rec)\n"
        "y_syn = y_syn*stp_psc\n"
        + _facilitation("u_syn*stp_facil + U_syn*(1 - u_syn*stp_facil)")
        + "stp_release = u_syn*(1 - y_syn - z_syn)\n"
        "y_syn += stp_release\n"
        "t_last_syn = t/ms\n"
        + receive.format(w="w_syn*stp_release"))


def _facilitation(update):
    """u <- update, with stp_facil = exp(-Δ/tau_facil), 0 when tau_facil = 0."""
    return ("stp_facil = int(tau_facil_syn > 0)*exp(-(t/ms - t_last_syn)/(tau_facil_syn + "
            "int(tau_facil_syn <= 0)))\n"
            f"u_syn = {update}\n")


def _stochastic_tsodyks_markram(receive):
    """One release site: recovered (R_syn = 1) or not since t_surv_syn."""
    return (
        _facilitation("u_syn*stp_facil + U_syn*(1 - u_syn*stp_facil)")
        + "stp_back = int(rand() < 1 - exp(-(t/ms - t_surv_syn)/tau_rec_syn))\n"
        "t_surv_syn += (t/ms - t_surv_syn)*(1 - R_syn)*(1 - stp_back)\n"
        "R_syn += (1 - R_syn)*stp_back\n"
        "stp_release = R_syn*int(rand() < u_syn)\n"
        "R_syn -= stp_release\n"
        "t_surv_syn += (t/ms - t_surv_syn)*stp_release\n"
        "t_last_syn = t/ms\n"
        + receive.format(w="w_syn*stp_release"))


def _multi_quantal(receive):
    """n sites, a_syn of them available: each depleted site recovers, each available one
    releases, by its own draw."""
    def code(sites):
        recover = "".join(f"mq_back {'+=' if k else '='} int({k} < n_syn - a_syn)*int(rand() < "
                          f"mq_p)\n" for k in range(sites))
        release = "".join(f"mq_k {'+=' if k else '='} int({k} < a_syn)*int(rand() < u_syn)\n"
                          for k in range(sites))
        return ("mq_p = 1 - exp(-(t/ms - t_last_syn)/tau_rec_syn)\n" + recover
                + "a_syn += mq_back\n"
                + _facilitation("U_syn + u_syn*(1 - U_syn)*stp_facil") + release
                + "a_syn -= mq_k\n"
                "t_last_syn = t/ms\n"
                + receive.format(w="w_syn*mq_k/n_syn"))
    return code


# -- STDP ----------------------------------------------------------------------------------------
def _traces(taus, time):
    """stdp_pre, stdp_post: the traces just before any increment at `time` (x_<side>_syn holds
    its value just before its last increment, at t_<side>_syn)."""
    return "".join(f"stdp_{side} = (x_{side}_syn + int({time} - t_{side}_syn > {SAME}))*"
                   f"exp(-({time} - t_{side}_syn)/{tau})\n"
                   for side, tau in zip(("pre", "post"), taus))


def _seen(side, time):
    return f"x_{side}_syn = stdp_{side}\nt_{side}_syn = {time}\n"


def _factor(mu, distance, name):
    """w_max·(distance/w_max)^mu, written w_max^(1-mu)·distance^mu (finite when w_max = 0)."""
    if mu is None:
        return (f"w_max_syn**(1 - {name}_syn)*clip({distance}, 0, inf)**{name}_syn")
    if mu == 0:
        return "w_max_syn"
    if mu == 1:
        return f"({distance})"
    return f"w_max_syn**{1 - mu!r}*clip({distance}, 0, inf)**{mu!r}"


def _new_weight(change):
    return f"w_sign_syn*clip(abs(w_syn) + {change}, w_min_syn, w_max_syn)"


def _stdp(synapse_type, receive):
    """(on_pre, on_post) of an STDPMechanism (see the module doc for the timing)."""
    timing = type(synapse_type.timing_dependence).__name__
    if timing == "SpikePairRule":
        mu_plus, mu_minus = synapse_type.weight_dependence.mu or (None, None)
        depress = (f"-A_minus_syn*{_factor(mu_minus, 'abs(w_syn) - w_min_syn', 'mu_minus')}"
                   "*stdp_post")
        potentiate = (f"A_plus_syn*{_factor(mu_plus, 'w_max_syn - abs(w_syn)', 'mu_plus')}"
                      "*stdp_pre")
        taus = ("tau_plus_syn", "tau_minus_syn")
    elif timing == "Vogels2011Rule":
        depress = "eta_syn*(stdp_post - 2*rho_syn*tau_syn/1000)"
        potentiate = "eta_syn*stdp_pre"
        taus = ("tau_syn", "tau_syn")
    else:
        raise NotImplementedError(f"Brian2 has no STDP timing dependence {timing}")
    now_pre, now_post = "t/ms", "(t/ms + t_res_syn)"
    on_pre = (_traces(taus, now_pre) + "w_before_syn = w_syn\n"
              f"w_syn = {_new_weight(depress)}\n" + _seen("pre", now_pre)
              + receive.format(w="w_syn"))
    on_post = (_traces(taus, now_post) + "stdp_sent = w_syn\n"
               # the pre spike seen at this instant came first (f·d = 0): redo it after this
               f"stdp_redo = int(abs({now_post} - t_pre_syn) <= {SAME})\n"
               "w_syn += stdp_redo*(w_before_syn - w_syn)\n"
               f"w_syn = {_new_weight(potentiate)}\n"
               f"w_syn += stdp_redo*({_new_weight(depress)} - w_syn)\n"
               + _seen("post", now_post)
               + receive.format(w="stdp_redo*(w_syn - stdp_sent)"))
    return on_pre, on_post


_STDP_STATE = {"x_pre_syn": 0.0, "x_post_syn": 0.0, "t_pre_syn": NEVER, "t_post_syn": NEVER}


def synapse_model(synapse_type, post_model, receptor_type):
    """The Brian2Synapse of a standard synapse type onto `post_model` at `receptor_type`:
    weights in standard units are the native ones (nA, µS or mV)."""
    name = type(synapse_type).__name__
    if post_model.kind == "source":
        raise ConnectionError(f"Brian2: {post_model.name} (a spike source) takes no input")
    if name == "ElectricalSynapse" or receptor_type == GAP:
        if name != "ElectricalSynapse" or receptor_type != GAP or not post_model.gap_slots:
            raise ConnectionError(f"Brian2: gap junctions are ElectricalSynapses onto receptor "
                                  f"type {GAP!r} of HH_cond_exp cells, not {name} onto "
                                  f"{receptor_type!r}")
        return Brian2Synapse("Synapses", build_translations(("weight", "w_syn")),
                             kind="conductance", gap=True)
    if receptor_type not in post_model.on_pre:
        raise ConnectionError(f"Brian2: the target has no receptor type {receptor_type!r}; "
                              f"valid receptor types are: {', '.join(post_model.on_pre)}")
    receive = post_model.on_pre[receptor_type]
    names = [n for n in synapse_type.default_parameters if n not in ("weight", "delay")]
    table = build_translations(("weight", "w_syn"), ("delay", "delay"),
                               *[(n, f"{n}_syn") for n in names])
    model = Brian2Synapse("Synapses", table, kind=post_model.kind,
                          equations=_declare("w_syn", *[f"{n}_syn" for n in names]))
    if name == "StaticSynapse":
        model.on_pre = receive.format(w="w_syn")
    elif name == "SimpleStochasticSynapse":
        model.on_pre = receive.format(w="w_syn*int(rand() < p_syn)")
    elif name == "TsodyksMarkramSynapse":
        model.state = build_translations(("u", "u_syn"))
        model.initial = {"u_syn": 0.0, "y_syn": 0.0, "z_syn": 0.0, "t_last_syn": NEVER}
        model.on_pre = _tsodyks_markram(receive, post_model.tau_psc.get(receptor_type))
    elif name == "StochasticTsodyksMarkramSynapse":
        model.initial = {"u_syn": 0.0, "R_syn": 1.0, "t_surv_syn": NEVER, "t_last_syn": NEVER}
        model.on_pre = _stochastic_tsodyks_markram(receive)
    elif name == "MultiQuantalSynapse":
        model.initial = {"u_syn": 0.0, "a_syn": "n_syn", "t_last_syn": NEVER}
        model.sites = _multi_quantal(receive)
    elif name == "STDPMechanism":
        model.initial = dict(_STDP_STATE)
        model.plastic = True
        model.on_pre, model.on_post = _stdp(synapse_type, receive)
        model.equations += _declare("w_sign_syn", "t_res_syn", "w_before_syn")
    else:
        raise NotImplementedError(f"Brian2 has no model for the synapse type {name}")
    model.equations += _declare(*model.initial)
    return model
