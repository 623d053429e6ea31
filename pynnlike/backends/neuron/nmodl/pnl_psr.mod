COMMENT
Current-based exponential post-synaptic response: isyn (nA) jumps by the weight, decays with tau.
With fixed steps (fixed = 1) the current applied during a step is the mean of isyn over it, so
the membrane receives the exact charge (NEURON applies a state's value at the start of a step).
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlCurrExp
    RANGE tau
    GLOBAL fixed
    NONSPECIFIC_CURRENT i
}
UNITS { (nA) = (nanoamp) }
PARAMETER { tau = 5 (ms) fixed = 1 }
ASSIGNED { i (nA) factor seen_tau seen_dt }
STATE { isyn (nA) }
INITIAL { isyn = 0 seen_tau = -1 }
BREAKPOINT { SOLVE states METHOD cnexp  i = -isyn * mean_factor() }
DERIVATIVE states { isyn' = -isyn / tau }
FUNCTION mean_factor() {
    if (tau != seen_tau || dt != seen_dt) {  : recomputed only when tau or dt change
        factor = tau / dt * (1 - exp(-dt / tau))
        seen_tau = tau
        seen_dt = dt
    }
    if (fixed) { mean_factor = factor } else { mean_factor = 1 }
}
NET_RECEIVE (w) { isyn = isyn + w }
