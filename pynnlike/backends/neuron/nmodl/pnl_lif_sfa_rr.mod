COMMENT
PnlLIF plus the spike-frequency-adaptation and relative-refractory conductances of
IF_cond_exp_gsfa_grr (g_s, g_r in nS, incremented by q_sfa, q_rr at each spike); with fixed
steps the conductances applied during a step are their exact means over it.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlLIFSfaRr
    RANGE vthresh, vreset, trefrac, ioff, refr, tau_sfa, e_sfa, q_sfa, tau_rr, e_rr, q_rr
    GLOBAL fixed
    NONSPECIFIC_CURRENT i
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) }
PARAMETER {
    vthresh = -50 vreset = -65 trefrac = 0.1 ioff = 0
    tau_sfa = 100 e_sfa = -75 q_sfa = 15 tau_rr = 2 e_rr = -75 q_rr = 3000 fixed = 1
}
ASSIGNED { v (mV) i (nA) refr }
STATE { g_s g_r }
INITIAL { refr = 0 g_s = 0 g_r = 0 net_send(0, 3) }
BREAKPOINT {
    SOLVE states METHOD cnexp
    if (refr) { i = 1e9 * (v - vreset) } else {
        i = -ioff + 1e-3 * g_s * over_step(tau_sfa) * (v - e_sfa)
            + 1e-3 * g_r * over_step(tau_rr) * (v - e_rr)
    }
}
FUNCTION over_step(tau) {
    if (fixed) { over_step = tau / dt * (1 - exp(-dt / tau)) } else { over_step = 1 }
}
DERIVATIVE states { g_s' = -g_s / tau_sfa  g_r' = -g_r / tau_rr }
NET_RECEIVE (w) {
    if (flag == 3) {
        WATCH (v > vthresh) 1
    } else if (flag == 1) {
        net_event(t)
        v = vreset
        refr = 1
        g_s = g_s + q_sfa
        g_r = g_r + q_rr
        net_send(trefrac, 2)
    } else if (flag == 2) {
        refr = 0 }
}
