COMMENT
Adaptive exponential membrane (leak, exponential term, adaptation current w in nA) with
threshold (v_spike, or v_thresh when delta_T = 0), reset (w += b) and refractory clamp.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlAdExp
    RANGE gl, el, vt, deltat, vspike, vreset, trefrac, ioff, a, b, tauw, refr, vpeak
    NONSPECIFIC_CURRENT i
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) (uS) = (microsiemens) }
PARAMETER {
    gl = 0.03 (uS) el = -70.6 (mV) vt = -50.4 (mV) deltat = 2 (mV) vspike = -40 (mV)
    vreset = -70.6 (mV) trefrac = 0.1 (ms) ioff = 0 (nA) a = 4 b = 0.0805 (nA) tauw = 144 (ms)
}
ASSIGNED { v (mV) i (nA) refr vpeak (mV) }
STATE { w (nA) }
INITIAL { refr = 0 w = 0 peak() net_send(0, 3) }
PROCEDURE peak() { if (deltat > 0) { vpeak = vspike } else { vpeak = vt } }
BREAKPOINT {
    SOLVE states METHOD cnexp
    peak()
    if (refr) { i = 1e9 * (v - vreset) } else {
        i = gl * (v - el) + w - ioff
        if (deltat > 0) { i = i - gl * deltat * exp(expcap((v - vt) / deltat)) }
    }
}
FUNCTION expcap(x) { if (x > 50) { expcap = 50 } else { expcap = x } }
DERIVATIVE states { w' = (1e-3 * a * (v - el) - w) / tauw }
NET_RECEIVE (x) {
    if (flag == 3) {
        WATCH (v > vpeak) 1
    } else if (flag == 1) {
        net_event(t)
        v = vreset
        w = w + b
        refr = 1
        net_send(trefrac, 2)
    } else if (flag == 2) {
        refr = 0 }
}
