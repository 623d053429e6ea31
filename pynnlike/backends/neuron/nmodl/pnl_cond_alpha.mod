COMMENT
Conductance-based alpha response: g(t) = w (t/tau) exp(1 - t/tau) (peak w in uS at tau).
With fixed steps the value applied during a step is its exact mean over the step.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlCondAlpha
    RANGE tau, e
    GLOBAL fixed
    NONSPECIFIC_CURRENT i
}
UNITS { (nA) = (nanoamp) (mV) = (millivolt) (uS) = (microsiemens) }
PARAMETER { tau = 0.3 (ms) e = 0 (mV) fixed = 1 }
ASSIGNED { v (mV) i (nA) }
STATE { g (uS) ya (uS) }
INITIAL { g = 0 ya = 0 }
BREAKPOINT { SOLVE states METHOD derivimplicit  i = mean(g, ya, tau) * (v - e) }
DERIVATIVE states { ya' = -ya / tau  g' = (2.718281828459045 * ya - g) / tau }
FUNCTION mean(x, y, tau) {
    LOCAL r
    : with fixed steps, the mean over the coming step of the exact alpha solution
    if (fixed) {
        r = dt / tau
        mean = x * (1 - exp(-r)) / r + 2.718281828459045 * y * (1 - exp(-r) * (1 + r)) / r
    } else {
        mean = x
    }
}
NET_RECEIVE (w) { ya = ya + w }
