COMMENT
Izhikevich membrane on a 1 pF compartment: C dv/dt = 1e-3 (0.04 v^2 + 5 v + 140 - u) + ioff;
at v > 30 mV: v <- c, u <- u + d. Events sent here (flag 0) are voltage jumps.
With fixed steps (fixed = 1) v and u advance by forward Euler from the values at the start of
the step, NEST's and Brian2's scheme: the current is computed once per step before NEURON
solves for v, so it does not depend on v within the step.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlIzhikevich
    RANGE a, b, c, d, ioff
    GLOBAL fixed
    NONSPECIFIC_CURRENT i
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) }
PARAMETER { a = 0.02 b = 0.2 c = -65 d = 2 ioff = 0 fixed = 1 }
ASSIGNED { v (mV) i (nA) istep (nA) }
STATE { u }
INITIAL { u = -14 net_send(0, 3) }
BEFORE BREAKPOINT {
    if (fixed) {
        istep = -1e-3 * (0.04 * v * v + 5 * v + 140 - u) - ioff
        u = u + dt * a * (b * v - u)
    }
}
BREAKPOINT {
    SOLVE states METHOD derivimplicit
    if (fixed) { i = istep } else { i = -1e-3 * (0.04 * v * v + 5 * v + 140 - u) - ioff }
}
DERIVATIVE states { u' = (1 - fixed) * a * (b * v - u) }
NET_RECEIVE (w) {
    if (flag == 3) {
        WATCH (v > 30) 1
    } else if (flag == 0) {
        v = v + w
        : a jump across threshold fires at its own time, once every input of that time is in
        : (a zero-delay event comes after those already queued for now)
        if (v > 30) { net_send(0, 4) }
    } else if (flag == 1 || v > 30) {  : the WATCH, or a jump's check (flag 4)
        net_event(t)
        v = c
        u = u + d
    }
}
