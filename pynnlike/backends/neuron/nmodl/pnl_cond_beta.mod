COMMENT
Conductance-based beta response: g(t) = w N (exp(-t/taud) - exp(-t/taur)), N giving the peak w
(uS), as the difference of two exponentially decaying states, each integrated exactly.
taur = taud (the alpha shape) is taken as taur = taud (1 - 1e-6), within 1e-6 of the limit.
g, recorded, is set after each update, and with fixed steps the current applied during a step
uses the exact mean of g over it (NEURON's Exp2Syn applies the value at the step's start).
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlCondBeta
    RANGE taur, taud, e, g
    GLOBAL fixed
    NONSPECIFIC_CURRENT i
}
UNITS { (nA) = (nanoamp) (mV) = (millivolt) (uS) = (microsiemens) }
PARAMETER { taur = 0.2 (ms) taud = 1.7 (ms) e = 0 (mV) fixed = 1 }
ASSIGNED { v (mV) i (nA) g (uS) rise (ms) norm }
STATE { a (uS) b (uS) }
INITIAL { a = 0 b = 0 g = 0 shape() }
BREAKPOINT {
    SOLVE states METHOD cnexp
    if (fixed) { i = (b * over_step(taud) - a * over_step(rise)) * (v - e) } else { i = g * (v - e) }
}
DERIVATIVE states {
    a' = -a / rise
    b' = -b / taud
    g = b - a
}
FUNCTION over_step(tau) { over_step = tau / dt * (1 - exp(-dt / tau)) }
PROCEDURE shape() {
    LOCAL tp
    rise = taur
    if (fabs(taud - taur) < 1e-6 * taud) { rise = taud * (1 - 1e-6) }
    tp = taud * rise * log(taud / rise) / (taud - rise)
    norm = 1 / (exp(-tp / taud) - exp(-tp / rise))
}
NET_RECEIVE (w) {
    shape()  : the time constants may have changed since the last event
    a = a + w * norm
    b = b + w * norm
}
