COMMENT
Generalised integrate-and-fire membrane of GIF_cond_exp (leak: pas): spike-triggered currents
eta_k (nA) and threshold movements gamma_k (mV), K <= 10 of each, decaying exactly every step;
at the start of each step t_k a spike occurs with probability 1 - exp(-lambda dt 1e-3),
lambda = lambda0 exp((v - vt)/deltav) Hz, outside the refractory period. i_eta = sum eta_k and
vt = vtstar + sum gamma_k are kept as the totals, so that setting them sets eta_1 and gamma_1.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlGIF
    RANDOM rng
    RANGE vreset, trefrac, ioff, vtstar, deltav, lambda0, neta, ngamma
    RANGE taueta, aeta, taugamma, agamma, i_eta, vt, refr
    NONSPECIFIC_CURRENT i
}
DEFINE KMAX 10
UNITS { (mV) = (millivolt) (nA) = (nanoamp) }
PARAMETER {
    vreset = -65 (mV) trefrac = 4 (ms) ioff = 0 (nA) vtstar = -48 (mV) deltav = 0.5 (mV)
    lambda0 = 1 neta = 1 ngamma = 1
    taueta[KMAX] aeta[KMAX] taugamma[KMAX] agamma[KMAX]
}
ASSIGNED { v (mV) i (nA) refr i_eta (nA) vt (mV) eta[KMAX] gamma[KMAX] }
INITIAL {
    FROM k = 0 TO KMAX - 1 { eta[k] = 0 gamma[k] = 0 }
    i_eta = 0 vt = vtstar refr = 0
    net_send(dt, 4)
}
BREAKPOINT {
    if (refr) { i = 1e9 * (v - vreset) } else { i = i_eta - ioff }
}
AFTER SOLVE {
    LOCAL total
    eta[0] = i_eta
    gamma[0] = vt - vtstar
    FROM k = 1 TO neta - 1 { eta[0] = eta[0] - eta[k] }
    FROM k = 1 TO ngamma - 1 { gamma[0] = gamma[0] - gamma[k] }
    i_eta = 0
    FROM k = 0 TO neta - 1 { eta[k] = eta[k] * exp(-dt / taueta[k])  i_eta = i_eta + eta[k] }
    total = 0
    FROM k = 0 TO ngamma - 1 {
        gamma[k] = gamma[k] * exp(-dt / taugamma[k])  total = total + gamma[k]
    }
    vt = vtstar + total
}
NET_RECEIVE (w) {
    LOCAL p
    if (flag == 4) {
        if (!refr) {
            p = 1 - exp(-lambda0 * exp((v - vt) / deltav) * dt * 1e-3)
            if (random_uniform(rng) < p) {
                net_event(t)
                v = vreset
                refr = 1
                net_send(trefrac, 2)
                FROM k = 0 TO neta - 1 { eta[k] = eta[k] + aeta[k]  i_eta = i_eta + aeta[k] }
                FROM k = 0 TO ngamma - 1 { gamma[k] = gamma[k] + agamma[k]  vt = vt + agamma[k] }
            }
        }
        net_send(dt, 4)
    } else if (flag == 2) {
        refr = 0
    }
}
