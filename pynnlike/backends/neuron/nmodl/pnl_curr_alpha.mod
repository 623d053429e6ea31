COMMENT
Current-based alpha response: isyn(t) = w e (t/tau) exp(-t/tau) (peak w at tau), as
disyn/dt = (e ya - isyn)/tau, dy/dt = -ya/tau, ya += w at each event.
With fixed steps the value applied during a step is its exact mean over the step.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlCurrAlpha
    RANGE tau
    GLOBAL fixed
    NONSPECIFIC_CURRENT i
}
UNITS { (nA) = (nanoamp) }
PARAMETER { tau = 0.5 (ms) fixed = 1 }
ASSIGNED { i (nA) }
STATE { isyn (nA) ya (nA) }
INITIAL { isyn = 0 ya = 0 }
BREAKPOINT { SOLVE states METHOD derivimplicit  i = -mean(isyn, ya, tau) }
DERIVATIVE states { ya' = -ya / tau  isyn' = (2.718281828459045 * ya - isyn) / tau }
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
