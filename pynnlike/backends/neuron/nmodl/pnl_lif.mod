COMMENT
Threshold, reset and refractory clamp of a leaky integrate-and-fire membrane (leak: pas).
At the end of the step in which v > vthresh: spike, v <- vreset, and v held at vreset for
trefrac ms by a stiff clamp; receptor mechanisms keep integrating meanwhile. Events sent to this
mechanism (flag 0) are voltage jumps (delta synapses), dropped while refractory; a jump that
takes v above threshold fires at the jump's time.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlLIF
    RANGE vthresh, vreset, trefrac, ioff, refr
    NONSPECIFIC_CURRENT i
}
UNITS { (mV) = (millivolt) (nA) = (nanoamp) }
PARAMETER { vthresh = -50 (mV) vreset = -65 (mV) trefrac = 0.1 (ms) ioff = 0 (nA) }
ASSIGNED { v (mV) i (nA) refr }
INITIAL { refr = 0 net_send(0, 3) }
BREAKPOINT {
    if (refr) { i = 1e9 * (v - vreset) } else { i = -ioff }
}
NET_RECEIVE (w) {
    if (flag == 3) {
        WATCH (v > vthresh) 1
    } else if (flag == 2) {
        refr = 0
    } else if (flag == 0) {
        if (!refr) {
            v = v + w
            : a jump across threshold fires at its own time, once every input of that time
            : is in (a zero-delay event comes after those already queued for now)
            if (v > vthresh) { net_send(0, 4) }
        }
    } else if (flag == 1 || (flag == 4 && !refr && v > vthresh)) {
        net_event(t)
        v = vreset
        refr = 1
        net_send(trefrac, 2)
    }
}
