COMMENT
Release models of API.md §5 between a pre-synaptic spike and the receptor, one instance per
connection: the driver's NetCon brings the spike here at t_pre + delay, and the transmitted
weight leaves at once through the NetCon `wout` points into (weight read at delivery).
kind 0: TsodyksMarkramSynapse (tau_psc = the receptor's tau, through the POINTER taupsc);
1: SimpleStochasticSynapse; 2: StochasticTsodyksMarkramSynapse; 3: MultiQuantalSynapse.
Random draws come from the instance's Random123 stream (ids set by the driver).
ENDCOMMENT
NEURON {
    ARTIFICIAL_CELL PnlRelease
    RANGE kind, w, U, tau_rec, tau_facil, u0, p, n
    RANGE u, y, z, ready, tlast
    POINTER wout, taupsc
    RANDOM rng
}
PARAMETER { kind = 0 w = 0 U = 0.5 tau_rec = 100 tau_facil = 0 u0 = 0 p = 0.5 n = 1 }
ASSIGNED { wout taupsc u y z ready tlast }
INITIAL {
    u = u0  y = 0  z = 0  tlast = -1e300
    if (kind == 3) { ready = n } else { ready = 1 }  : available sites (kind 2: R)
}
NET_RECEIVE (x) {
    LOCAL delta, facil, released, depleted, k
    if (kind == 1) {
        if (random_uniform(rng) < p) {
            wout = w  net_event(t)
        }
    } else {
        delta = t - tlast
        facil = 0
        if (tlast > -1e300 && tau_facil > 0) { facil = exp(-delta / tau_facil) }
        u = U + u * facil * (1 - U)
        if (kind == 0) {
            if (tlast > -1e300) { depress(delta) }
            wout = w * u * (1 - y - z)  net_event(t)
            y = y + u * (1 - y - z)
        } else if (kind == 2) {
            if (ready == 0) {
                if (random_uniform(rng) < 1 - exp(-(t - tlast) / tau_rec)) { ready = 1 }
            }
            if (ready == 1) {
                if (random_uniform(rng) < u) {
                    wout = w  net_event(t)
                    ready = 0
                }
            }
        } else {
            depleted = n - ready
            FROM k = 1 TO depleted {  : the depleted sites recover independently
                if (random_uniform(rng) < 1 - exp(-delta / tau_rec)) { ready = ready + 1 }
            }
            released = 0
            FROM k = 1 TO ready {
                if (random_uniform(rng) < u) { released = released + 1 }
            }
            if (released > 0) {
                wout = w * released / n  net_event(t)
                ready = ready - released
            }
        }
        tlast = t
    }
}
PROCEDURE depress(delta) {
    : the three-state model's y (active) and z (inactive) after delta ms without spikes
    LOCAL rec, psc
    rec = exp(-delta / tau_rec)
    psc = 0
    if (taupsc > 0) { psc = exp(-delta / taupsc) }
    if (fabs(taupsc - tau_rec) <= 1e-12 * tau_rec) {
        z = z * rec + y * (delta / tau_rec) * rec
    } else {
        z = z * rec + y * (psc - rec) / (taupsc / tau_rec - 1)
    }
    y = y * psc
}
