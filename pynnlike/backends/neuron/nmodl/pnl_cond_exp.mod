COMMENT
Conductance-based exponential post-synaptic response (as ExpSyn: g in uS jumps by the weight,
decays with tau), the conductance applied during a fixed step being its mean over the step.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlCondExp
    RANGE tau, e
    GLOBAL fixed
    NONSPECIFIC_CURRENT i
}
UNITS { (nA) = (nanoamp) (mV) = (millivolt) (uS) = (microsiemens) }
PARAMETER { tau = 5 (ms) e = 0 (mV) fixed = 1 }
ASSIGNED { v (mV) i (nA) factor seen_tau seen_dt }
STATE { g (uS) }
INITIAL { g = 0 seen_tau = -1 }
BREAKPOINT { SOLVE states METHOD cnexp  i = g * mean_factor() * (v - e) }
DERIVATIVE states { g' = -g / tau }
FUNCTION mean_factor() {
    if (tau != seen_tau || dt != seen_dt) {  : recomputed only when tau or dt change
        factor = tau / dt * (1 - exp(-dt / tau))
        seen_tau = tau
        seen_dt = dt
    }
    if (fixed) { mean_factor = factor } else { mean_factor = 1 }
}
NET_RECEIVE (w) { g = g + w }
