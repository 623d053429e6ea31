"""Weights of a plastic projection over time, sampled by a run callback.

Simulators keep no history of synaptic weights, so a snapshot is taken with `Projection.get`
every `sampling_interval` ms while `run(t, callbacks=[recorder])` advances:

    recorder = WeightRecorder(projection, sampling_interval=1.0)
    sim.run(100.0, callbacks=[recorder])
    weights = recorder.get_weights()   # neo.AnalogSignal, one column per connection
"""
import neo
import numpy as np
import quantities as pq

__all__ = ["WeightRecorder"]


class WeightRecorder:
    """A run callback recording every connection's weight of `projection` each
    `sampling_interval` ms (from the time of the first call on)."""

    def __init__(self, projection, sampling_interval):
        if sampling_interval <= 0:
            raise ValueError(f"sampling_interval must be positive, not {sampling_interval}")
        self.projection = projection
        self.sampling_interval = float(sampling_interval)
        self._times, self._weights = [], []
        self._addresses = None  # (i, j) of every connection, in the order weights are sampled

    def __call__(self, t):
        if self._addresses is None:
            self._addresses = self._gathered_addresses()
        self._times.append(t)
        self._weights.append(np.asarray(
            self.projection.get("weight", format="list", with_address=False), dtype=float))
        return t + self.sampling_interval

    def _gathered_addresses(self):
        """Pre and post indices of every MPI process's connections (collective, like the
        samples: a process may hold only its own share of the connections)."""
        i, j = self.projection._columns([], gather=True)
        return np.asarray(i), np.asarray(j)

    def get_weights(self):
        """neo.AnalogSignal of shape (samples, connections) in the weights' unit (nA, µS or
        mV), columns in connection order, annotated with each column's pre/post index."""
        prj = self.projection
        if self._addresses is None:  # nothing sampled yet
            self._addresses = self._gathered_addresses()
        i, j = self._addresses
        data = (np.vstack(self._weights) if self._weights
                else np.empty((0, i.size)))
        t_start = self._times[0] if self._times else 0.0
        return neo.AnalogSignal(
            data, units=prj._standard_unit("weight"), name="weight",
            sampling_period=self.sampling_interval * pq.ms, t_start=t_start * pq.ms,
            array_annotations={"presynaptic_index": i, "postsynaptic_index": j},
            projection=prj.label)

    def clear(self):
        """Forget the samples (e.g. before running again after reset())."""
        self._times, self._weights = [], []
