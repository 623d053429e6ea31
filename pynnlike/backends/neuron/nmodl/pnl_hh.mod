COMMENT
Traub-Miles sodium and potassium currents of HH_cond_exp (rates in 1/ms of u = v - voffset);
a spike at each upward crossing of voffset + 30 mV. Leak: pas.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlHH
    RANGE gnabar, gkbar, ena, ek, voffset, ioff
    NONSPECIFIC_CURRENT i
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) (uS) = (microsiemens) }
PARAMETER {
    gnabar = 20 (uS) gkbar = 6 (uS) ena = 50 (mV) ek = -90 (mV) voffset = -63 (mV) ioff = 0 (nA)
}
ASSIGNED { v (mV) i (nA) }
STATE { m h n }
INITIAL { m = 0 h = 1 n = 0 net_send(0, 3) }
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gnabar * m * m * m * h * (v - ena) + gkbar * n * n * n * n * (v - ek) - ioff
}
FUNCTION lin(x, y) { if (fabs(x) < 1e-9) { lin = y } else { lin = x / (exp(x / y) - 1) } }
DERIVATIVE states {
    LOCAL u, am, bm, ah, bh, an, bn
    u = v - voffset
    am = 0.32 * lin(13 - u, 4)   bm = 0.28 * lin(u - 40, 5)
    ah = 0.128 * exp((17 - u) / 18)   bh = 4 / (1 + exp((40 - u) / 5))
    an = 0.032 * lin(15 - u, 5)   bn = 0.5 * exp((10 - u) / 40)
    m' = am * (1 - m) - bm * m
    h' = ah * (1 - h) - bh * h
    n' = an * (1 - n) - bn * n
}
NET_RECEIVE (w) {
    if (flag == 3) {
        WATCH (v > voffset + 30) 1
    } else if (flag == 1) { net_event(t) }
}
