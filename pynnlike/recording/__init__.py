"""Recording: what each population records, and the driver's arrays turned into neo Blocks.

A Recorder belongs to one Population. Data of the current period are read from the driver when
asked for; at reset() the period is closed and kept here as plain arrays, so neo objects are built
only by get_data() and only for the cells and variables asked for.
"""
import copy
import os
from datetime import datetime

import neo
import numpy as np
import quantities as pq
from neo.core.spiketrainlist import SpikeTrainList

from ..errors import NothingToWriteError
from ..mpi import allgather, gather_blocks, gather_dict, mpi_sum
from .io import get_io
from .weights import WeightRecorder

MPI_ROOT = 0

__all__ = ["Recorder", "WeightRecorder", "get_io", "MPI_ROOT", "merge_blocks", "write_block",
           "gather_dict", "gather_blocks", "mpi_sum"]


class _Period:
    """The data of one recording period, in standard units, indexed by cell index."""

    def __init__(self, t_start, t_stop, interval, spike_index, spike_times, spike_cells,
                 signals, annotations, number):
        self.t_start, self.t_stop, self.interval = t_start, t_stop, interval
        self.spike_index, self.spike_times = spike_index, spike_times
        self.spike_cells = spike_cells  # cells recorded for spikes
        self.signals = signals  # variable -> (cell indices, values (samples x cells))
        self.annotations = annotations
        self.number = number


class Recorder:
    """What one population records, and its closed periods."""

    def __init__(self, population):
        self.population = population
        self.recorded = {}  # variable -> boolean mask over the population
        self.interval = None
        self.t_start = 0.0
        self.after_clear = False  # the current period began with a clear, not a reset
        self.periods = []
        self.ended = False  # after end(): the driver is gone, `final` holds the last period
        self.final = None

    @property
    def _sim(self):
        return self.population._simulation

    def _native(self, variable):
        return "spikes" if variable == "spikes" else \
            self.population._model.state[variable].native_name

    def record(self, variables, index, sampling_interval):
        sim = self._sim
        analog_recorded = any(m.any() for v, m in self.recorded.items() if v != "spikes")
        if sampling_interval is not None:
            interval = float(sampling_interval)
        else:  # no request: keep the population's interval
            interval = self.interval if analog_recorded else sim.dt
        if abs(round(interval / sim.dt) * sim.dt - interval) > 1e-9 * max(1.0, interval):
            raise ValueError(f"sampling_interval ({interval} ms) must be a multiple of the "
                             f"time step ({sim.dt} ms)")
        analog = [v for v in variables if v != "spikes"]
        if analog and analog_recorded and abs(interval - self.interval) > 1e-9:
            raise ValueError(f"{self.population.label} already records analog variables every "
                             f"{self.interval} ms; one interval per population")
        for variable in variables:
            if variable not in self.population._model.state and variable != "spikes":
                raise NotImplementedError(f"{sim.driver.name} cannot record {variable!r} of "
                                          f"{type(self.population.celltype).__name__}")
        if analog:
            self.interval = interval
        for variable in variables:
            mask = self.recorded.setdefault(variable, np.zeros(self.population.size, bool))
            new = index[~mask[index]]
            if new.size:
                sim.driver.record(self.population._handle, new, [self._native(variable)],
                                  interval)
                mask[new] = True

    def stop(self, index):
        for variable, mask in self.recorded.items():
            stopped = index[mask[index]]
            if stopped.size:
                self._sim.driver.stop_recording(self.population._handle, stopped,
                                                [self._native(variable)])
                mask[stopped] = False

    # -- reading -----------------------------------------------------------------------------
    def _current_period(self, annotations=None):
        if self.ended:
            return self.final
        sim, population = self._sim, self.population
        driver, handle = sim.driver, population._handle
        spike_index, spike_times = np.empty(0, int), np.empty(0)
        spike_cells = np.flatnonzero(self.recorded.get("spikes", np.zeros(0, bool)))
        if "spikes" in self.recorded:
            spike_index, spike_times = (np.asarray(a) for a in driver.read_spikes(handle))
            # a spike at the time of a clear (t > 0) was returned before it
            strict = self.after_clear and self.t_start > 0
            keep = spike_times > self.t_start if strict else spike_times >= self.t_start
            spike_index, spike_times = spike_index[keep], spike_times[keep]
        signals = {}
        for variable, mask in self.recorded.items():
            if variable != "spikes" and mask.any():
                cells, values, *times = driver.read_signal(handle, self._native(variable))
                cells = np.asarray(cells)
                translation = population._model.state[variable]
                inputs = [np.asarray(values) if name == translation.native_name
                          else population._values[name][cells]  # a parameter the state reads
                          for name in translation.native_inputs]
                signals[variable] = (cells, translation.reverse(*inputs),
                                     np.asarray(times[0]) if times else None)
        return _Period(self.t_start, sim.t, self.interval, spike_index, spike_times, spike_cells,
                       signals, annotations or {}, sim.segment_counter)

    def close_segment(self, annotations):
        """At reset(): keep the current period (if anything ran in it)."""
        if self._sim.running:
            self.periods.append(self._current_period(annotations))

    def after_reset(self):
        self.t_start = 0.0
        self.after_clear = False

    def end(self):
        """At end(): read the current period while the simulator still has it."""
        self.final = self._current_period() if self._sim.running else None
        self.ended = True

    def clear(self):
        """Forget every period; the next one starts at the current time."""
        self.periods = []
        if self.ended:
            self.final = None
        else:
            self._sim.driver.clear_recordings(self.population._handle)
        self.t_start = self._sim.t
        self.after_clear = True

    def _periods(self):
        current = self._current_period() if self._sim.running else None
        return self.periods + ([current] if current is not None else [])

    def spike_counts(self, index, gather=True):
        """{position in index: spike count in the current period} for cells recording spikes
        (with several MPI processes and not `gather`: for this rank's cells only)."""
        if "spikes" not in self.recorded:
            return {}
        index = self._mine(index, gather)
        period = self._complete(self._current_period(), gather)
        counts = np.bincount(period.spike_index if period is not None else np.empty(0, int),
                             minlength=self.population.size)
        recorded = self.recorded["spikes"][index]
        return {k: counts[index[k]] for k in np.flatnonzero(recorded)}

    def _mine(self, index, gather):
        """`index`, or with several processes and no gathering its cells on this rank."""
        if gather or self._sim.num_processes == 1:
            return index
        return index[self.population._local_mask[index]]

    def _complete(self, period, gather):
        """With several processes and `gather`: the period with every rank's cells (§12)."""
        if not gather or self._sim.num_processes == 1:
            return period
        parts = allgather(period)
        if period is None:
            return None
        merged = copy.copy(period)
        merged.spike_index = np.concatenate([p.spike_index for p in parts])
        merged.spike_times = np.concatenate([p.spike_times for p in parts])
        merged.signals = {}
        for variable, (_, _, times) in period.signals.items():
            pieces = [p.signals[variable] for p in parts]
            merged.signals[variable] = (np.concatenate([c for c, _, _ in pieces]),
                                        np.hstack([v for _, v, _ in pieces]), times)
        return merged

    def get_data(self, variables, index, clear, annotations, gather=True):
        population, sim = self.population, self._sim
        index = self._mine(index, gather)
        wanted = set(self.recorded) if variables == "all" else \
            {variables} if isinstance(variables, str) else set(variables)
        block = neo.Block(name=population.label, description=population.describe(),
                          rec_datetime=datetime.now())
        block.annotate(size=len(index), first_index=0, last_index=len(index),
                       first_id=int(population._id_numbers[index[0]]) if len(index) else None,
                       last_id=int(population._id_numbers[index[-1]]) if len(index) else None,
                       label=population.label, simulator=sim.driver.name, dt=sim.dt,
                       mpi_processes=sim.num_processes, **annotations)
        for period in self._periods():
            block.segments.append(self._segment(self._complete(period, gather), wanted, index))
        if clear:
            self.clear()
        return block

    def _segment(self, period, wanted, index):
        population = self.population
        segment = neo.Segment(name=f"segment{period.number:03d}",
                              description=f"recorded from {population.label}",
                              rec_datetime=datetime.now())
        segment.annotate(**period.annotations)
        t_start, t_stop = period.t_start * pq.ms, period.t_stop * pq.ms
        if "spikes" in wanted and "spikes" in self.recorded:
            cells = np.intersect1d(index, period.spike_cells)
            keep = np.isin(period.spike_index, cells)
            spike_index, spike_times = period.spike_index[keep], period.spike_times[keep]
            order = np.lexsort((spike_times, spike_index))
            ids = population._id_numbers
            # built lazily by neo: one SpikeTrain per cell only when someone iterates
            segment.spiketrains = SpikeTrainList.from_spike_time_array(
                spike_times[order], ids[spike_index[order]], ids[cells], t_stop=t_stop,
                units=pq.ms, t_start=t_start, source_population=population.label,
                source_index=cells)
        for variable in sorted(wanted & set(period.signals)):
            cells, values, times = period.signals[variable]
            keep = np.isin(cells, index)
            if not keep.any():
                continue
            order = np.argsort(cells[keep])
            cells = cells[keep][order]
            common = dict(units=_units(population.find_units(variable)), name=variable,
                          source_population=population.label,
                          channel_ids=population._id_numbers[cells],
                          array_annotations={"channel_index": cells})
            values = values[:, keep][:, order]
            if times is None:
                segment.analogsignals.append(neo.AnalogSignal(
                    values, t_start=t_start, sampling_period=period.interval * pq.ms, **common))
            else:  # a variable-step integrator sampled at its own times
                segment.irregularlysampledsignals.append(
                    neo.IrregularlySampledSignal(times * pq.ms, values, **common))
        return segment


def _units(name):
    return pq.dimensionless if name in ("", "dimensionless") else pq.Quantity(1.0, name)


def merge_blocks(blocks, members, description, annotations):
    """One Block for an Assembly. `members[k]` is the array of population indices of member k;
    channel_index becomes the position in the Assembly (member offset + position in member)."""
    offsets = np.cumsum([0] + [len(m) for m in members])
    merged = neo.Block(name=annotations["label"], description=description,
                       rec_datetime=datetime.now())
    merged.annotate(**annotations)
    for number in range(max(len(b.segments) for b in blocks)):
        segments = [b.segments[number] for b in blocks if number < len(b.segments)]
        segment = neo.Segment(name=segments[0].name, rec_datetime=datetime.now(),
                              description=f"recorded from {annotations['label']}")
        segment.annotate(**segments[0].annotations)
        segment.spiketrains = [st for s in segments for st in s.spiketrains]
        by_name = {}
        for k, block in enumerate(blocks):
            if number < len(block.segments):
                for signal in block.segments[number].analogsignals:
                    by_name.setdefault(signal.name, []).append((k, signal))
        for name, parts in by_name.items():
            first = parts[0][1]
            values = np.hstack([p.magnitude for _, p in parts])
            segment.analogsignals.append(neo.AnalogSignal(
                values, units=first.units, t_start=first.t_start,
                sampling_period=first.sampling_period, name=name,
                source_population=annotations["label"],
                channel_ids=np.concatenate([p.annotations["channel_ids"] for _, p in parts]),
                array_annotations={"channel_index": np.concatenate(
                    [offsets[k] + np.searchsorted(members[k], p.array_annotations["channel_index"])
                     for k, p in parts])}))
        merged.segments.append(segment)
    return merged


def write_block(block, io, simulation, gather=True):
    """Write a Block to a neo IO or file name: once, by rank 0; with several MPI processes and
    not `gather`, every rank writes its own cells' Block, a file name getting `.<rank>`."""
    if not any(s.spiketrains or s.analogsignals for s in block.segments):
        raise NothingToWriteError(f"nothing was recorded for {block.name}")
    if simulation.num_processes > 1 and not gather:
        if isinstance(io, str):  # the IO of the file's extension, then the name `<io>.<rank>`
            base, extension = os.path.splitext(io)
            written = f"{base}.{simulation.mpi_rank}{extension}"
            writer = get_io(written)
            writer.write_block(block)
            if hasattr(writer, "close"):
                writer.close()
            os.replace(written, f"{io}.{simulation.mpi_rank}")
            return
    elif simulation.mpi_rank != MPI_ROOT:
        return
    io = get_io(io) if isinstance(io, str) else io
    io.write_block(block)
