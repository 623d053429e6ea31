"""API.md §5's synapse equations, event by event, in plain Python: what every backend's
synapse tests compare with. Times in ms; each function takes the spike times as the rule or
the synapse sees them (the tests add delays themselves)."""
import math

import numpy as np


def tsodyks_markram(times, U=0.5, tau_rec=100.0, tau_facil=0.0, tau_psc=5.0, u0=0.0):
    """The fraction u·x of the weight transmitted at each pre-synaptic spike (three-state
    model; tau_psc = 0 is the delta-receptor limit). The first spike's Δ counts from t = 0, so
    an initial u (Projection.initialize) decays from there, as in NEST; API.md §5 says Δ = ∞,
    which would make initialize(u=...) meaningless (both agree for u0 = 0)."""
    x, y, z, u = 1.0, 0.0, 0.0, u0
    last, out = 0.0, []
    for t in times:
        delta = t - last
        rec = math.exp(-delta / tau_rec)
        psc = math.exp(-delta / tau_psc) if tau_psc > 0 else 0.0
        if tau_psc == tau_rec:
            z = z * rec + y * (delta / tau_rec) * rec
        else:
            z = z * rec + y * (psc - rec) / (tau_psc / tau_rec - 1.0)
        y = y * psc
        x = 1.0 - y - z
        if tau_facil > 0:
            facil = math.exp(-delta / tau_facil)
            u = u * facil + U * (1.0 - u * facil)
        else:
            u = U
        out.append(u * x)
        y += u * x
        last = t
    return np.array(out)


def stochastic_tsodyks_markram_mean(times, U=0.5, tau_rec=100.0, tau_facil=0.0):
    """Expected fraction of the weight transmitted at each spike by the one-site stochastic
    synapse: the probability that the site is recovered times the release probability u."""
    ready, u, last, out = 1.0, 0.0, None, []
    for t in times:
        if last is not None:
            ready += (1.0 - ready) * (1.0 - math.exp(-(t - last) / tau_rec))
        if tau_facil > 0:
            facil = math.exp(-(t - last) / tau_facil) if last is not None else 0.0
            u = u * facil + U * (1.0 - u * facil)
        else:
            u = U
        out.append(ready * u)
        ready *= 1.0 - u
        last = t
    return np.array(out)


def multiquantal_mean(times, U=0.5, n=1, tau_rec=800.0, tau_facil=0.0):
    """Expected transmitted fraction (k/n) at each spike of the multi-quantal synapse, from the
    exact distribution of the number a of available sites."""
    from scipy.stats import binom

    p = np.zeros(n + 1)
    p[n] = 1.0  # P(a = k)
    u, last, out = 0.0, None, []
    for t in times:
        delta = math.inf if last is None else t - last
        if last is not None:  # the n - a depleted sites recover independently
            recover = 1.0 - math.exp(-delta / tau_rec)
            q = np.zeros(n + 1)
            for a in range(n + 1):
                q[a:] += p[a] * binom.pmf(np.arange(n - a + 1), n - a, recover)
            p = q
        facil = math.exp(-delta / tau_facil) if tau_facil > 0 else 0.0
        u = U + u * (1.0 - U) * facil
        released = np.zeros(n + 1)  # distribution of a after release, and the mean k
        mean = 0.0
        for a in range(n + 1):
            k = np.arange(a + 1)
            pk = binom.pmf(k, a, u) * p[a]
            mean += float(np.sum(pk * k))
            np.add.at(released, a - k, pk)
        p = released
        out.append(mean / n)
        last = t
    return np.array(out)


_MU = {"AdditiveWeightDependence": (0.0, 0.0),
       "MultiplicativeWeightDependence": (1.0, 1.0),
       "AdditivePotentiationMultiplicativeDepression": (0.0, 1.0)}


def _seen(pre_seen, post_seen):
    """The instants at which the rule sees spikes, in time order, each with the number of pre-
    and post-synaptic spikes seen then: traces are read before any increment at the same
    instant, so a pre and a post spike seen together do not pair."""
    # recorded times carry float noise (608 * 0.1 = 60.800000000000004): equal to 1e-9 ms is
    # the same instant
    pre_seen, post_seen = np.sort(np.round(pre_seen, 9)), np.sort(np.round(post_seen, 9))
    times = np.union1d(pre_seen, post_seen)
    pre = np.searchsorted(pre_seen, times, "right") - np.searchsorted(pre_seen, times, "left")
    post = np.searchsorted(post_seen, times, "right") - np.searchsorted(post_seen, times, "left")
    return zip(times.tolist(), pre.tolist(), post.tolist())


def _run_rule(pre_times, post_times, w0, delay, f, tau_pre, tau_post, on_pre, on_post):
    """Drive a pair rule through the spikes it sees; on_pre(w, x_post) and on_post(w, x_pre)
    return the new |w| (before clipping). Returns (weights transmitted at each pre-synaptic
    spike, final weight); a negative w0 keeps its sign while the rule acts on |w|."""
    sign, w = (-1.0 if w0 < 0 else 1.0), abs(w0)
    x_pre = x_post = last = 0.0
    transmitted = []
    for t, n_pre, n_post in _seen(np.asarray(pre_times, float) + (1 - f) * delay,
                                  np.asarray(post_times, float) + f * delay):
        x_pre *= math.exp(-(t - last) / tau_pre)
        x_post *= math.exp(-(t - last) / tau_post)
        last = t
        for _ in range(n_post):  # §5 leaves the order open: NEST's, potentiation first
            w = on_post(w, x_pre)
        for _ in range(n_pre):
            w = on_pre(w, x_post)
            transmitted.append(sign * w)
        x_pre, x_post = x_pre + n_pre, x_post + n_post
    return np.array(transmitted), sign * w


def stdp(pre_times, post_times, w0, delay=1.0, dendritic_delay_fraction=1.0,
         tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01,
         weight_dependence="AdditiveWeightDependence", w_min=0.0, w_max=1.0,
         mu_plus=None, mu_minus=None):
    """Spike-pair rule (all-to-all pairing) with one of the four weight dependences
    (GutigWeightDependence takes mu_plus, mu_minus)."""
    if mu_plus is None:
        mu_plus, mu_minus = _MU[weight_dependence]

    def clip(w):
        return min(max(w, w_min), w_max)

    return _run_rule(
        pre_times, post_times, w0, delay, dendritic_delay_fraction, tau_plus, tau_minus,
        lambda w, x: clip(w - A_minus * w_max * ((w - w_min) / w_max) ** mu_minus * x),
        lambda w, x: clip(w + A_plus * w_max * ((w_max - w) / w_max) ** mu_plus * x))


def vogels2011(pre_times, post_times, w0, delay=1.0, dendritic_delay_fraction=1.0,
               tau=20.0, eta=1e-10, rho=3.0, w_min=0.0, w_max=1.0):
    """Vogels et al. (2011) inhibitory rule with additive bounds."""
    alpha = 2.0 * rho * tau / 1000.0

    def clip(w):
        return min(max(w, w_min), w_max)

    return _run_rule(pre_times, post_times, w0, delay, dendritic_delay_fraction, tau, tau,
                     lambda w, x: clip(w + eta * (x - alpha)),
                     lambda w, x: clip(w + eta * x))
