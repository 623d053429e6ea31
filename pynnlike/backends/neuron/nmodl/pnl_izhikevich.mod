COMMENT
Izhikevich membrane on a 1 pF compartment: C dv/dt = 1e-3 (0.04 v^2 + 5 v + 140 - u) + ioff;
at v > 30 mV: v <- c, u <- u + d. Events sent here (flag 0) are voltage jumps.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlIzhikevich
    RANGE a, b, c, d, ioff
    NONSPECIFIC_CURRENT i
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) }
PARAMETER { a = 0.02 b = 0.2 c = -65 d = 2 ioff = 0 }
ASSIGNED { v (mV) i (nA) }
STATE { u }
INITIAL { u = -14 net_send(0, 3) }
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = -1e-3 * (0.04 * v * v + 5 * v + 140 - u) - ioff
}
DERIVATIVE states { u' = a * (b * v - u) }
NET_RECEIVE (w) {
    if (flag == 3) {
        WATCH (v > 30) 1
    } else if (flag == 0) {
        v = v + w
    } else if (flag == 1) {
        net_event(t)
        v = c
        u = u + d }
}
