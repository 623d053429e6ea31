COMMENT
Current electrode: amp for start <= t_k < stop, or with ac = 1 the sine
offset + amp sin(2 pi freq (t_k - start)/1000 + 2 pi phase/360); t_k is the grid time at the
start of the step, so I(t_k) flows during (t_k, t_k + dt]. With grid = 0 (variable step) t itself
is used.
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlCurrentSource
    RANGE amp, start, stop, freq, phase, offset, ac, grid
    NONSPECIFIC_CURRENT i
}
UNITS { (nA) = (nanoamp) }
PARAMETER { amp = 0 start = 0 stop = 1e12 freq = 10 phase = 0 offset = 0 ac = 0 grid = 1 }
ASSIGNED { i (nA) }
BREAKPOINT {
    LOCAL k, k0, k1, value, since
    if (grid) {
        k = floor(t / dt)
        k0 = floor(start / dt + 0.5)
        k1 = floor(stop / dt + 0.5)
        since = (k - k0) * dt
    } else {
        k = t
        k0 = start
        k1 = stop
        since = t - start
    }
    value = 0
    if (k >= k0 && k < k1) {
        if (ac) {
            value = offset + amp * sin(2 * 3.141592653589793 * freq * since / 1000 + 2 * 3.141592653589793 * phase / 360)
        } else {
            value = amp
        }
    }
    i = -value
}
