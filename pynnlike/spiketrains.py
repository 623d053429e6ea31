"""Spike trains of the random spike sources, drawn in the core so every backend gets the same ones.

Each source has its own stream, seeded by (rng_seed, ID), so trains do not depend on the backend,
on the number of MPI processes or on how a run is split: intervals are drawn in fixed-size blocks
and kept until the run reaches them.
"""
import numpy as np

import math

_BLOCK = 32  # spikes drawn at a time; part of the stream definition, so never change it


def _renewal(intervals):
    """A process of i.i.d. intervals -> draw(stream, values, k, origin, n, first): n spike times
    of source k after `origin`."""
    def draw(stream, values, k, origin, n, first):
        return origin + np.cumsum(intervals(stream, values, k, n, first))
    return draw


def _poisson(stream, values, k, n, first):
    return stream.exponential(1000.0 / values["rate"][k], n)


def _poisson_refractory(stream, values, k, n, first):
    tau = values["tau_refrac"][k]
    intervals = stream.exponential(1000.0 / values["rate"][k] - tau, n) + tau
    if first:  # the first spike comes after an exponential wait only
        intervals[0] -= tau
    return intervals


def _gamma(stream, values, k, n, first):
    return stream.gamma(values["alpha"][k], 1000.0 / values["beta"][k], n)


def gamma_hazard(a, b, s):
    """Hazard (1/s) of a Gamma(shape a, scale b s) renewal process at age s (s): f(s)/(1-F(s)),
    through the regularized upper incomplete gamma function (series or continued fraction)."""
    if s <= 0.0:
        return 0.0 if a > 1 else (1.0 / b if a == 1 else math.inf)
    x = s / b
    if x < a + 1.0:
        term = total = 1.0 / a
        n = 0
        while abs(term) > abs(total) * 1e-15:
            n += 1
            term *= x / (a + n)
            total += term
        log_prefactor = -x + a * math.log(x) - math.lgamma(a)
        survival = 1.0 - total * math.exp(log_prefactor)
        density = math.exp((a - 1.0) * math.log(x) - x - math.lgamma(a)) / b
        return density / survival if survival > 0 else 1.0 / b
    tiny = 1e-300
    bn = x + 1.0 - a
    c, d = 1.0 / tiny, 1.0 / bn
    fraction = d
    for i in range(1, 500):
        an = -i * (i - a)
        bn += 2.0
        d = an * d + bn
        d = tiny if abs(d) < tiny else d
        c = bn + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        fraction *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return 1.0 / (b * x * fraction)


def _inh_gamma(stream, values, k, origin, n, first):
    """Thinning of a Poisson process of rate 1.02*max(1/b) Hz by the gamma hazard of the bin."""
    a, b, tbins = (np.asarray(getattr(values[name][k], "value", values[name][k]), dtype=float)
                   for name in ("a", "b", "tbins"))
    rate = 1.02 * np.max(1.0 / b)
    times, last, t = [], origin, origin
    while len(times) < n:
        t += stream.exponential(1000.0 / rate)
        accept = stream.uniform()
        if t < tbins[0]:
            continue
        k_bin = np.searchsorted(tbins, t, side="right") - 1
        if accept < gamma_hazard(a[k_bin], b[k_bin], (t - last) / 1000.0) / rate:
            times.append(t)
            last = t
    return np.array(times)


_PROCESSES = {
    "SpikeSourcePoisson": (_renewal(_poisson), "rate"),
    "SpikeSourcePoissonRefractory": (_renewal(_poisson_refractory), "rate"),
    "SpikeSourceGamma": (_renewal(_gamma), "beta"),
    "SpikeSourceInhGamma": (_inh_gamma, None),
}


def is_generated(celltype):
    """True for the spike sources whose trains this module draws."""
    return type(celltype).__name__ in _PROCESSES


class SpikeTrainGenerator:
    """Pending spikes of n sources of one population."""

    def __init__(self, celltype, ids, seed):
        if type(celltype).__name__ not in _PROCESSES:
            raise NotImplementedError(f"{type(celltype).__name__} spike trains are not yet drawn "
                                      f"by pynnlike")
        self.draw, self.rate_name = _PROCESSES[type(celltype).__name__]
        self.streams = [np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, int(i)])))
                        for i in ids]
        self.pending = [None] * len(ids)  # future spike times (continuous), or None: redraw
        self.origin = np.zeros(len(ids))  # time from which a redraw starts

    def restart(self, index, t):
        """Parameters of sources `index` changed at time t, or a reset (t = 0): redraw."""
        for k in np.atleast_1d(index):
            self.pending[k] = None
            self.origin[k] = t

    def window(self, values, t0, t1, dt):
        """Object array of the grid spike times in (t0, t1] of every source."""
        trains = np.empty(len(self.streams), dtype=object)
        for k in range(len(self.streams)):
            trains[k] = self._source_window(values, k, t1, dt)
        return trains

    def _source_window(self, values, k, t1, dt):
        start = values["start"][k]
        stop = start + values["duration"][k]
        if self.pending[k] is None:
            if self.rate_name and values[self.rate_name][k] <= 0:
                self.pending[k] = np.empty(0)  # silent until a parameter changes
            else:
                base = max(start, self.origin[k])
                self.pending[k] = self.draw(self.streams[k], values, k, base, _BLOCK, True)
        if not len(self.pending[k]):
            return np.empty(0)
        while self.pending[k][-1] <= min(t1, stop):
            more = self.draw(self.streams[k], values, k, self.pending[k][-1], _BLOCK, False)
            self.pending[k] = np.concatenate([self.pending[k], more])
        due = self.pending[k] <= t1
        times = self.pending[k][due]
        self.pending[k] = self.pending[k][~due]
        times = times[(times > start) & (times <= stop)]
        return np.unique(np.ceil(np.round(times / dt, 9)) * dt)
