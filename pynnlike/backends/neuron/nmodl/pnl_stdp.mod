COMMENT
Spike-timing-dependent plasticity of one connection (API.md §5), between the pre-synaptic spike
and the receptor: SpikePairRule with the weight dependence F+ = wmax ((wmax - w)/wmax)^muplus,
F- = wmax ((w - wmin)/wmax)^muminus (additive, multiplicative, additive-potentiation-
multiplicative-depression and Gutig are exponents 0/0, 1/1, 0/1, free), or with vogels = 1 the
Vogels (2011) rule (one time constant tau_plus, learning rate eta, target rate rho in Hz).

The rule sees pre spikes at t_pre + (1 - f) d and post spikes at t_post + f d. Every event of
the connection reaches this instance a lag s = f d after the rule sees it: pre spikes at
t_pre + d through the driver's NetCon of delay d, post spikes through a NetCon of delay 2 f d
(event weight 1). So events arrive in the rule's order and the rule runs on arrival times (the
weight read between runs lags the rule by s).
Spikes less than `instant` apart are seen at the same instant: each side's update reads the
other side's trace from before that instant's increments (npre, npost count them), and the
post spikes' potentiation comes before the pre spikes' depression (NEST's order). So a pre
spike is handled, and transmitted with the weight after both updates, by a self event
`instant` later, when every post event of the instant is in: a zero-delay self event is not
enough, as a post event can arrive a float ulp later, or (f = 0) be made by a chain of
zero-delay events after it. The receptor gets the spike `instant` late: in the same step with
fixed steps, 1 ns later with CVode.
w is signed (sign = -1 for current-based inhibition); the rule acts on sign * w; w0 is the
user-set weight INITIAL (reset) returns to.
ENDCOMMENT
NEURON {
    ARTIFICIAL_CELL PnlSTDP
    RANGE w0, sign, tau_plus, tau_minus, aplus, aminus, wmin, wmax, muplus, muminus
    RANGE vogels, eta, rho
    RANGE w, xpre, xpost, tlast, npre, npost
    GLOBAL instant
    POINTER wout
}
PARAMETER {
    w0 = 0 sign = 1 tau_plus = 20 tau_minus = 20 aplus = 0.01 aminus = 0.01 wmin = 0 wmax = 1
    muplus = 0 muminus = 0 vogels = 0 eta = 1e-10 rho = 3 instant = 1e-6 (ms)
}
ASSIGNED { wout w xpre xpost tlast npre npost }
INITIAL { w = w0  xpre = 0  xpost = 0  tlast = 0  npre = 0  npost = 0 }
NET_RECEIVE (post) {
    LOCAL now, m
    if (flag == 0 && post == 0) {
        net_send(instant, 1)
    } else {
        now = t - flag * instant  : when this spike arrived
        if (now - tlast >= instant) {  : a new instant
            xpre = xpre * exp(-(now - tlast) / tau_plus)
            if (vogels) { xpost = xpost * exp(-(now - tlast) / tau_plus) } else {
                xpost = xpost * exp(-(now - tlast) / tau_minus) }
            tlast = now
            npre = 0
            npost = 0
        }
        m = sign * w
        if (flag) {
            m = clip(m + depression(m, xpost - npost))
            wout = sign * m
            net_event(t)
            xpre = xpre + 1
            npre = npre + 1
        } else {
            m = clip(m + potentiation(m, xpre - npre))
            xpost = xpost + 1
            npost = npost + 1
        }
        w = sign * m
    }
}
FUNCTION depression(m, x) {
    if (vogels) {
        depression = eta * (x - 2 * rho * tau_plus / 1000)
    } else {
        depression = -aminus * wmax * pow(fmax((m - wmin) / wmax, 0), muminus) * x
    }
}
FUNCTION potentiation(m, x) {
    if (vogels) {
        potentiation = eta * x
    } else {
        potentiation = aplus * wmax * pow(fmax((wmax - m) / wmax, 0), muplus) * x
    }
}
FUNCTION clip(m) { clip = fmin(fmax(m, wmin), wmax) }
