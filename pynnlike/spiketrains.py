"""Spike trains of the random spike sources, drawn in the core so every backend gets the same ones.

Each source has its own stream, seeded by (rng_seed, ID), so trains do not depend on the backend,
on the number of MPI processes or on how a run is split: intervals are drawn in fixed-size blocks
and kept until the run reaches them.
"""
import numpy as np

_BLOCK = 32  # intervals drawn at a time; part of the stream definition, so never change it


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


_PROCESSES = {
    "SpikeSourcePoisson": (_poisson, "rate"),
    "SpikeSourcePoissonRefractory": (_poisson_refractory, "rate"),
    "SpikeSourceGamma": (_gamma, "beta"),
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
        if values[self.rate_name][k] <= 0:
            self.pending[k] = np.empty(0)
            return np.empty(0)
        first = self.pending[k] is None
        if first:
            base = max(start, self.origin[k])
            self.pending[k] = base + np.cumsum(self.draw(self.streams[k], values, k, _BLOCK, True))
        while self.pending[k][-1] <= min(t1, stop):
            more = self.draw(self.streams[k], values, k, _BLOCK, False)
            self.pending[k] = np.concatenate([self.pending[k],
                                              self.pending[k][-1] + np.cumsum(more)])
        due = self.pending[k] <= t1
        times = self.pending[k][due]
        self.pending[k] = self.pending[k][~due]
        times = times[(times > start) & (times <= stop)]
        return np.unique(np.ceil(np.round(times / dt, 9)) * dt)
