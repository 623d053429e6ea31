"""Recording bookkeeping the drivers share: which cells record a variable when, and the regular
sample grid `read_signal` returns (samples at t_start + k*interval, NaN outside a cell's
recording window). All times are in steps."""
import numpy as np


class RecordingWindows:
    """Per cell, the step interval [start, stop] it records in (inf: not yet / still)."""

    def __init__(self, n):
        self.start = np.full(n, np.inf)
        self.stop = np.full(n, np.inf)

    def active(self):
        return np.isfinite(self.start) & np.isinf(self.stop)

    def begin(self, index, step):
        """Cells `index` record from `step` on (those already recording go on); returns the
        cells that started."""
        index = index[~self.active()[index]]
        self.start[index], self.stop[index] = step, np.inf
        return index

    def end(self, index, step):
        self.stop[index[self.active()[index]]] = step

    def restart(self):
        """After a reset: active cells record from 0, stopped ones no longer."""
        active = self.active()
        self.start[:], self.stop[:] = np.inf, np.inf
        self.start[active] = 0

    def recorded(self, index, times, dt, first=0):
        """Of the spikes (cell index, time in ms), those inside their cell's window (after its
        start step, up to its stop step) and not before step `first`, sorted by cell, then
        time."""
        index, times = np.asarray(index, dtype=np.int64), np.asarray(times, dtype=float)
        steps = times / dt
        keep = (steps > self.start[index] + 1e-9) & (steps <= self.stop[index] + 1e-9) & \
            (steps >= first - 1e-9)
        index, times = index[keep], times[keep]
        order = np.lexsort((times, index))
        return index[order], times[order]

    def overlapping(self, first, last):
        """Cells whose window overlaps the steps [first, last]."""
        return np.flatnonzero((self.start <= last) & (self.stop >= first))


class SampleGrid:
    """The (samples x cells) array of one read_signal: a sample every `interval` steps from step
    `first` to step `last`, for the cells of `windows` recording in that period."""

    def __init__(self, windows, first, last, interval):
        self.windows, self.first, self.last, self.interval = windows, first, last, interval
        self.cells = windows.overlapping(first, last)
        self.column = np.full(len(windows.start), -1)
        self.column[self.cells] = np.arange(len(self.cells))
        self.values = np.full(((last - first) // interval + 1, len(self.cells)), np.nan)

    def _rows(self, steps):
        return ((steps - self.first) % self.interval == 0) & (steps >= self.first) & \
            (steps <= self.last)

    def fill(self, steps, cells, data):
        """Samples data[k] of cell cells[k] taken at step steps[k]."""
        steps, cells, data = np.asarray(steps), np.asarray(cells), np.asarray(data)
        ok = self._rows(steps) & (self.column[cells] >= 0)
        self.values[(steps[ok] - self.first) // self.interval, self.column[cells[ok]]] = data[ok]

    def fill_rows(self, steps, cells, data):
        """Samples data[s, c] of cell cells[c] taken at step steps[s]."""
        steps = np.asarray(steps)
        rows = self._rows(steps)
        columns = self.column[np.asarray(cells)]
        use = columns >= 0
        self.values[np.ix_((steps[rows] - self.first) // self.interval, columns[use])] = \
            np.asarray(data)[np.ix_(rows, use)]

    def result(self):
        """(cells, values) with NaN where a cell was not recording."""
        steps = self.first + self.interval * np.arange(len(self.values))[:, None]
        outside = (steps < self.windows.start[self.cells]) | \
            (steps > self.windows.stop[self.cells])
        self.values[outside] = np.nan
        return self.cells, self.values
