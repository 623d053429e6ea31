"""The NEURON driver: the protocol of backends.base on NEURON sections, point processes and
NetCons, with cells identified by gid through a ParallelContext.

- Integration: fixed step (secondorder = 2), or CVode with setup(use_cvode=True); threshold,
  reset and refractory clamp in the membrane mechanisms (nmodl/), so with fixed steps spikes
  fall at the end of the step in which v passes threshold.
- Recording: every recorded variable has an h.Vector filled at every step (and, with CVode,
  one of the step times); the driver moves their content into numpy whenever it reads.
  NEURON starts new vectors only at finitialize(), so recording added after a run saves the
  state (SaveState, event queue included), initialises and restores it. Spikes: a
  ParallelContext.spike_record per gid.
- Spike sources: an artificial cell per source, fed with one NetCon.event per spike time.
- Native cells (native.py): instances of the user's class stand where a standard cell has
  its membrane mechanism; its source_section where a standard cell has its section.
- Step currents change the electrode amplitude at their step times: run_until stops there.
- Synapse types other than StaticSynapse: synapses.py (one artificial cell per connection
  between the spike and the receptor; gap junctions through ParallelContext transfer).
- MPI (mpiexec -n K): cell gid g lives on rank g % K; each rank builds only its cells, the
  connections onto them (gid_connect reaches remote sources) and their recordings and
  electrodes; indices from the core stay global, `Cells.position` maps them to this rank's
  lists. Spikes are exchanged by ParallelContext every min delay.
"""
import numpy as np

from pynnlike.backends.base import Driver
from pynnlike.backends.recording import RecordingWindows, SampleGrid
from pynnlike.errors import InvalidParameterValueError
from pynnlike.backends.neuron import models, native, parallel
from pynnlike.backends.neuron.compile import load_mechanisms
from pynnlike.standardmodels.electrodes import current

parallel.start()
load_mechanisms()
from neuron import h  # noqa: E402
from pynnlike.backends.neuron import synapses  # noqa: E402 (needs the mechanisms)

h.load_file("stdrun.hoc")
h("""
proc pnl_connect() { local k  localobj nc
    // $o1 source gids, $o2 target positions in List $o3, $o4 weights, $o5 delays,
    // $o6 ParallelContext, $o7 List receiving the NetCons
    for k = 0, $o1.size() - 1 {
        nc = $o6.gid_connect($o1.x[k], $o3.o($o2.x[k]))
        nc.weight = $o4.x[k]
        nc.delay = $o5.x[k]
        $o7.append(nc)
    }
}
proc pnl_weights() { local k
    // $o1 List of NetCons, $o2 PtrVector to point at their weights
    for k = 0, $o1.count() - 1 { $o2.pset(k, &$o1.o(k).weight[0]) }
}
proc pnl_get_delays() { local k
    for k = 0, $o1.count() - 1 { $o2.x[k] = $o1.o(k).delay }
}
proc pnl_set_delays() { local k
    for k = 0, $o1.count() - 1 { $o1.o(k).delay = $o2.x[k] }
}
""")

_SEGMENT = {"v", "cm"}


class Cells:
    """Handle of one create(): sections, mechanisms, gids, recording state."""

    def __init__(self, model, n, first_gid, rank=0, nhost=1):
        self.model, self.n, self.first_gid = model, n, first_gid
        self.local = np.flatnonzero((first_gid + np.arange(n)) % nhost == rank)  # cells here
        self.position = np.full(n, -1)  # cell index -> position in the lists (-1: elsewhere)
        self.position[self.local] = np.arange(len(self.local))
        # lists over this rank's cells:
        self.sections, self.segments, self.membranes = [], [], []  # membranes: or native cells
        self.receptors = {}      # receptor type -> list of point processes
        self.relays, self.feeds = [], []    # spike sources: artificial cells, NetCons in
        self.trains = None       # spike sources: pending spike times per cell (all cells)
        self.dirty = np.zeros(n, bool)
        self.initial = {}        # native state name -> array (restored by reset)
        self.target_lists = {}   # receptor type -> hoc List of the targets
        self.spike_windows = RecordingWindows(n)
        self.spikes = [(np.empty(0, np.int64), np.empty(0))]
        self.signals = {}
        self.period_start = 0


class _Signal(RecordingWindows):
    """One recorded variable of a handle: per-cell windows [start, stop] in steps, the vectors
    of the cells recorded so far, and harvested samples as (first step, cells, 2-D array)."""

    def __init__(self, n, interval):
        super().__init__(n)
        self.interval = interval
        self.requested = np.zeros(n, bool)  # cells ever given to record(), on any rank
        self.cells, self.vectors, self.chunks = [], [], []


class Projection:
    """n connections in connect order; this rank's (`local`: their positions) as NetCons."""

    def __init__(self, n, local):
        self.n, self.local, self.netcons, self.pointers = n, local, h.List(), None

    def free(self):
        self.netcons, self.pointers = h.List(), None


class Source:
    def __init__(self, kind, parameters, handle, index):
        self.kind, self.parameters, self.handle, self.index = kind, parameters, handle, index
        self.processes = []


class NEURONDriver(Driver):
    """NEURON 9 behind the driver protocol."""

    name = "NEURON"
    options = ("use_cvode", "rtol", "atol", "default_maxstep")
    parallel = ("mpi",)
    foreign_options = ("threads", "spike_precision", "verbosity", "recording_precision",
                       "rng_type")

    # -- simulation control ------------------------------------------------------------------
    def setup(self, timestep, min_delay, max_delay, rng_seed, options):
        self.pc = h.ParallelContext()
        self.pc.gid_clear()
        self._cells, self._sources, self._projections = [], [], []
        self.cvode = bool(options.get("use_cvode", False))
        if self.cvode and self.pc.nhost() > 1:
            raise NotImplementedError("NEURON: pynnlike offers use_cvode=True in one process "
                                      "only (each MPI rank would sample at its own times)")
        integrator = h.CVode()
        integrator.active(int(self.cvode))
        self._time = h.Vector()
        if self.cvode:
            if options.get("rtol") is not None:
                integrator.rtol(float(options["rtol"]))
            if options.get("atol") is not None:
                integrator.atol(float(options["atol"]))
            integrator.maxstep(float(options.get("default_maxstep", 10.0)))
            integrator.condition_order(2)  # threshold times interpolated within a step
        h.dt = self.dt = float(timestep)
        h.secondorder = 2
        for mechanism in ("PnlCurrExp", "PnlCondExp", "PnlCurrAlpha", "PnlCondAlpha",
                          "PnlCondBeta", "PnlLIFSfaRr", "PnlIzhikevich"):
            setattr(h, f"fixed_{mechanism}", 0 if self.cvode else 1)  # step-mean currents
        self.maxstep = float(options.get("default_maxstep", 10.0))
        self.seed = int(rng_seed) % 2 ** 32
        self.step, self.initialized = 0, False
        self._next_gid = 0
        self._delays_changed = True  # the spike exchange interval needs recomputing
        self._spike_t, self._spike_gid = h.Vector(), h.Vector()
        self._old_feeds = []
        self.transfer, self.voltage_sources = False, set()  # gap junctions (synapses.py)

    def end(self):
        """Free every NEURON object: the core may keep the handles, NEURON must not keep
        simulating their sections."""
        self.pc.gid_clear()
        for handle in self._cells:
            handle.sections, handle.segments, handle.membranes = [], [], []
            handle.receptors, handle.relays, handle.feeds, handle.target_lists = {}, [], [], {}
            for signal in handle.signals.values():
                signal.vectors = []
        for projection in self._projections:
            projection.free()
        for source in self._sources:
            source.processes = []
        self._cells, self._sources, self._projections, self._old_feeds = [], [], [], []

    def mpi_config(self):
        return int(self.pc.id()), int(self.pc.nhost())

    def _steps(self, time):
        return int(round(time / self.dt))

    def _initialize_kernel(self):
        h.dt = self.dt
        self._exchange_interval()
        sections = [c.sections[0] for c in self._cells if c.sections]
        if self.cvode and sections:  # the sample times of every recorded variable
            self._time.record(h._ref_t, sec=sections[0])
        for handle in self._cells:  # finitialize() keeps v: INITIAL blocks see each cell's
            if "v" in handle.initial:
                self._assign(handle, np.arange(handle.n), {"v": handle.initial["v"]})
        if self.transfer:  # gap junctions added since the last finitialize (all ranks)
            self.pc.setup_transfer()
            self.transfer = False
        h.finitialize()
        for handle in self._cells:
            index = np.arange(handle.n)
            for name, values in handle.initial.items():
                self._assign(handle, index, {name: values})
        if self.cvode:
            h.CVode().re_init()
        h.frecord_init()
        self._spike_t.resize(0)
        self._spike_gid.resize(0)
        self.initialized = True
        for handle in self._cells:
            handle.dirty[:] = handle.trains is not None
        for source in self._sources:
            self._start_source(source)

    def _exchange_interval(self):
        """Spikes cross ranks every min delay (all ranks call this together)."""
        if self._delays_changed:
            self.pc.set_maxstep(self.maxstep)
            self._delays_changed = False

    def run_until(self, time):
        target = self._steps(time)
        if not self.initialized:
            self._initialize_kernel()
        else:
            self._exchange_interval()
            if self.cvode:
                h.CVode().re_init()  # values may have been set since the last run
        self._feed_sources()
        changes = sorted({k for s in self._sources for k in self._changes(s)
                          if self.step < k < target})
        for k in changes:
            self._advance(k)
            for source in self._sources:
                if k in self._changes(source):
                    self._set_amplitude(source, k)
            if self.cvode:  # a discontinuity: restart the integrator there
                h.CVode().re_init()
        self._advance(target)

    def _advance(self, step):
        if step > self.step:
            self.pc.psolve(step * self.dt)
            self.step = step

    def reset(self):
        self.step, self.initialized = 0, False
        self._old_feeds = []
        for projection in self._projections:
            if isinstance(projection, synapses.Connections):
                synapses.reset(projection)
        for handle in self._cells:
            handle.spikes = [(np.empty(0, np.int64), np.empty(0))]
            handle.period_start = 0
            for signal in handle.signals.values():
                signal.chunks = []
            handle.feeds = [None] * len(handle.feeds)

    # -- cells -------------------------------------------------------------------------------
    def cell_model(self, celltype):
        return models.cell_model(celltype)

    def _refuse_after_run(self, what):
        if self.initialized:
            raise NotImplementedError(
                f"NEURON: pynnlike cannot add {what} to a network that has run; create them "
                f"before the first run() or after reset()")

    def create(self, model, n, parameters, initial_values):
        self._refuse_after_run("cells")
        rank, nhost = self.mpi_config()
        handle = Cells(model, n, self._next_gid, rank, nhost)
        self._next_gid += n
        columns = {name: np.broadcast_to(np.asarray(values, float), n).tolist()
                   for name, values in parameters.items()} if model.kind == "native" else {}
        for k in handle.local.tolist():
            gid = handle.first_gid + k
            self.pc.set_gid2node(gid, rank)
            if model.kind == "native":
                self._native_cell(handle, gid, {name: c[k] for name, c in columns.items()})
                continue
            if model.membrane is None:
                relay = h.PnlSpikeSource()
                handle.relays.append(relay)
                self.pc.cell(gid, h.NetCon(relay, None))
                self.pc.spike_record(gid, self._spike_t, self._spike_gid)
                continue
            section = h.Section(name=f"cell{gid}")
            section.L, section.diam = (10.0, 10.0 / np.pi) if model.izhikevich else \
                (100.0, 1000.0 / np.pi)
            section.nseg = 1
            if model.leak:
                section.insert("pas")
            segment = section(0.5)
            membrane = getattr(h, model.membrane)(segment)
            if model.random:  # one Random123 stream per cell: (seed, gid)
                membrane.rng.set_ids(self.seed, gid, 0)
            handle.sections.append(section)
            handle.segments.append(segment)
            handle.membranes.append(membrane)
            for receptor, mechanism in model.receptors.items():
                target = membrane if mechanism is None else getattr(h, mechanism)(segment)
                handle.receptors.setdefault(receptor, []).append(target)
            self.pc.cell(gid, h.NetCon(membrane, None))
            self.pc.spike_record(gid, self._spike_t, self._spike_gid)
        if model.membrane is None:
            handle.trains = np.empty(n, dtype=object)
            handle.trains[:] = [np.empty(0)] * n
            handle.feeds = [None] * len(handle.local)
        index = np.arange(n)
        constants = {k: np.full(n, v) for k, v in model.constants.items()}
        self._assign(handle, index, {**constants, **parameters})
        self._store_initial(handle, index, initial_values)
        self._cells.append(handle)
        return handle

    def _native_cell(self, handle, gid, parameters):
        """One instance of the user's class, its receptors, and a spike detector for `gid`."""
        cell_type = handle.model.native
        cell = cell_type.cell_class(**parameters)
        try:
            section = cell.source_section
            if hasattr(cell, "source"):
                detector = h.NetCon(cell.source, None)
            else:
                detector = h.NetCon(section(0.5)._ref_v, None, sec=section)
                detector.threshold = cell_type.spike_threshold
            receptors = {r: getattr(cell, r) for r in handle.model.receptors}
        except AttributeError as error:
            raise TypeError(f"NEURON: a native {cell_type.__name__} cell lacks what "
                            f"native_cell_type needs: {error}") from None
        handle.sections.append(section)
        handle.segments.append(section(0.5))
        handle.membranes.append(cell)
        for receptor, target in receptors.items():
            handle.receptors.setdefault(receptor, []).append(target)
        self.pc.cell(gid, detector)
        self.pc.spike_record(gid, self._spike_t, self._spike_gid)

    def local_mask(self, handle):
        return handle.position >= 0

    def _objects(self, handle, name):
        """(list of objects, attribute) holding native value `name` for each cell."""
        if handle.model.kind == "native":
            if name == "v":
                return [native.Tree(section) for section in handle.sections], name
            if "." in name:
                path, attribute = name.rsplit(".", 1)
                return [native.target(cell, path) for cell in handle.membranes], attribute
            return handle.membranes, name
        if name in _SEGMENT or name.endswith("_pas"):
            return handle.segments, name
        if "." in name:
            receptor, attribute = name.split(".", 1)
            return handle.receptors[receptor], attribute
        return handle.membranes, name

    def _assign(self, handle, index, values):
        """Values aligned with cell indices `index`; those of other ranks' cells are dropped."""
        positions = handle.position[index]
        mine = positions >= 0
        positions = positions[mine]
        for name, column in values.items():
            if name == "spike_times":
                for k, train in zip(index.tolist(), column):
                    handle.trains[k] = np.asarray(train, dtype=float)
                handle.dirty[index] = True
                continue
            if not positions.size:
                continue
            objects, attribute = self._objects(handle, name)
            if name in handle.model.arrays:
                self._assign_arrays(handle, positions, name,
                                    [c for c, m in zip(column, mine.tolist()) if m])
                continue
            column = np.broadcast_to(np.asarray(column, dtype=float), len(index))[mine].tolist()
            for k, value in zip(positions.tolist(), column):
                setattr(objects[k], attribute, value)

    def _assign_arrays(self, handle, positions, name, column):
        """Array parameters (GIF's tau_eta, ...): elements of a fixed-size NMODL array and
        the count of elements in use."""
        count = handle.model.arrays[name]
        for k, values in zip(positions.tolist(), column):
            values = np.atleast_1d(np.asarray(values, dtype=float))
            if not 1 <= values.size <= 10:
                raise InvalidParameterValueError(
                    f"NEURON's {handle.model.name} takes 1 to 10 values of each of tau_eta, "
                    f"a_eta, tau_gamma, a_gamma, not {values.size}")
            membrane = handle.membranes[k]
            target = getattr(membrane, name)
            for e, x in enumerate(values.tolist()):
                target[e] = x
            setattr(membrane, count, values.size)

    def set(self, handle, index, parameters):
        index = np.asarray(index, dtype=np.int64)
        self._assign(handle, index, parameters)
        if self.initialized and handle.trains is not None:
            self._feed_sources()

    def get(self, handle, index, names):
        """Values of cells `index`; NaN (None for arrays) for cells of other ranks."""
        index = np.asarray(index, dtype=np.int64)
        positions = handle.position[index]
        mine = positions >= 0
        positions = positions[mine].tolist()
        out = {}
        for name in names:
            if name == "spike_times":
                out[name] = handle.trains[index]
                continue
            arrays = name in handle.model.arrays
            out[name] = np.full(len(index), None if arrays else np.nan,
                                dtype=object if arrays else float)
            if not positions:
                continue
            objects, attribute = self._objects(handle, name)
            if arrays:
                count = handle.model.arrays[name]
                for slot, k in zip(np.flatnonzero(mine).tolist(), positions):
                    out[name][slot] = np.array([getattr(objects[k], attribute)[e] for e in
                                                range(int(getattr(objects[k], count)))])
                continue
            out[name][mine] = [getattr(objects[k], attribute) for k in positions]
        return out

    def _store_initial(self, handle, index, state):
        for name, values in state.items():
            stored = handle.initial.setdefault(name, np.full(handle.n, np.nan))
            stored[index] = np.broadcast_to(np.asarray(values, dtype=float), len(index))

    def initialize(self, handle, index, state):
        index = np.asarray(index, dtype=np.int64)
        self._store_initial(handle, index, state)
        if self.initialized:
            self._assign(handle, index, state)

    # -- spike sources -----------------------------------------------------------------------
    def _feed_sources(self):
        """Queue one event per future spike time of every source whose train changed; events
        of a replaced train still pending are cancelled (their NetCon's weight set to 0)."""
        now = self.step * self.dt * (1 + 1e-12) + 1e-9 * self.dt
        for handle in self._cells:
            if handle.trains is None or not handle.dirty.any():
                continue
            dirty = np.flatnonzero(handle.dirty[handle.local])  # positions of cells here
            for p, k in zip(dirty.tolist(), handle.local[dirty].tolist()):
                train = handle.trains[k]
                future = train[train > now]
                feed = handle.feeds[p]
                if feed is not None and feed.pending > now:
                    feed.netcon.weight[0] = 0.0
                    self._old_feeds.append(feed)
                    feed = None
                if feed is None and future.size:
                    feed = _Feed(h.NetCon(None, handle.relays[p]))
                    handle.feeds[p] = feed
                for t in future.tolist():
                    feed.netcon.event(t)
                if future.size:
                    feed.pending = future[-1]
            handle.dirty[:] = False

    # -- connections -------------------------------------------------------------------------
    def synapse_model(self, synapse_type, post_model, receptor_type):
        return models.synapse_model(synapse_type, post_model, receptor_type)

    def _targets(self, handle, receptor):
        if receptor not in handle.target_lists:
            targets = h.List()
            for process in handle.receptors[receptor]:
                targets.append(process)
            handle.target_lists[receptor] = targets
        return handle.target_lists[receptor]

    def connect(self, pre, post, i, j, synapse, parameters, receptor_type):
        i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
        if synapse.mechanism is not None:  # not a plain NetCon: synapses.py
            projection = synapses.connect(self, pre, post, i, j, synapse, parameters,
                                          receptor_type)
            self._projections.append(projection)
            self._delays_changed = True
            return projection
        mine = post.position[j] >= 0  # connections onto this rank's cells
        projection = Projection(len(i), np.flatnonzero(mine))
        if mine.any():
            weight = np.broadcast_to(np.asarray(parameters["weight"], float), len(i))[mine]
            delay = np.broadcast_to(np.asarray(parameters["delay"], float), len(i))[mine]
            h.pnl_connect(h.Vector((pre.first_gid + i[mine]).astype(float)),
                          h.Vector(post.position[j[mine]].astype(float)),
                          self._targets(post, receptor_type), h.Vector(weight),
                          h.Vector(delay), self.pc, projection.netcons)
        self._projections.append(projection)
        self._delays_changed = True
        return projection

    def _weight_pointers(self, projection):
        if projection.pointers is None:
            projection.pointers = h.PtrVector(len(projection.local))
            h.pnl_weights(projection.netcons, projection.pointers)
        return projection.pointers

    def get_synapses(self, projection, names):
        """All connections in connect order; NaN for those on other ranks."""
        if isinstance(projection, synapses.Connections):
            return synapses.get_synapses(projection, names)
        out = {}
        for name in names:
            out[name] = np.full(projection.n, np.nan)
            if not len(projection.local):
                continue
            values = h.Vector(len(projection.local))
            if name == "weight":
                self._weight_pointers(projection).gather(values)
            else:
                h.pnl_get_delays(projection.netcons, values)
            out[name][projection.local] = values.as_numpy()
        return out

    def set_synapses(self, projection, index, parameters):
        index = np.asarray(index, dtype=np.int64)
        self._delays_changed |= "delay" in parameters
        if isinstance(projection, synapses.Connections):
            return synapses.set_synapses(projection, index, parameters)
        if not len(projection.local):
            return
        for name, new in parameters.items():
            values = self.get_synapses(projection, [name])[name]
            values[index] = np.broadcast_to(np.asarray(new, dtype=float), len(index))
            values = h.Vector(values[projection.local])
            if name == "weight":
                self._weight_pointers(projection).scatter(values)
            else:
                h.pnl_set_delays(projection.netcons, values)

    def initialize_synapses(self, projection, index, state):
        if state:  # only synapses.py's mechanisms have state
            synapses.initialize_synapses(projection, np.asarray(index, dtype=np.int64), state)

    # -- recording ---------------------------------------------------------------------------
    def record(self, handle, index, variables, interval):
        index = np.unique(np.asarray(index, dtype=np.int64))
        restart = False
        for variable in variables:
            if variable == "spikes":
                handle.spike_windows.begin(index, self.step)
                continue
            signal = handle.signals.setdefault(variable,
                                               _Signal(handle.n, self._steps(interval)))
            signal.interval = self._steps(interval)
            signal.begin(index[handle.position[index] >= 0], self.step)
            new = index[~signal.requested[index]]  # the same on every rank
            signal.requested[new] = True
            restart |= new.size > 0
            new = new[handle.position[new] >= 0]
            if new.size:
                objects, attribute = self._objects(handle, variable)
            for k in new.tolist():
                vector = h.Vector()
                vector.record(getattr(objects[handle.position[k]], "_ref_" + attribute))
                signal.cells.append(k)
                signal.vectors.append(vector)
        if restart and self.initialized:
            self._restart_recording()

    def _restart_recording(self):
        """NEURON takes new recording vectors only at finitialize(): save the whole state (event
        queue included), initialise, restore, and start every vector at the current step."""
        saved = h.SaveState()
        saved.save()
        self._harvest()
        h.finitialize()
        saved.restore()
        h.frecord_init()
        self._spike_t.resize(0)
        self._spike_gid.resize(0)

    def stop_recording(self, handle, index, variables):
        index = np.unique(np.asarray(index, dtype=np.int64))
        for variable in variables:
            windows = handle.spike_windows if variable == "spikes" else \
                handle.signals.get(variable)
            if windows is not None:
                windows.end(index, self.step)

    def _harvest(self):
        """Move every vector's samples into numpy chunks; vectors restart empty."""
        if not self.initialized:
            return
        for handle in self._cells:
            for signal in handle.signals.values():
                if not signal.vectors:
                    continue
                lengths = np.array([len(v) for v in signal.vectors])
                length = lengths.max()
                full = np.flatnonzero(lengths == length)  # the others are new and empty
                if length:
                    data = np.column_stack([signal.vectors[k].as_numpy() for k in full])
                    first = (self._time.as_numpy()[-length:].copy() if self.cvode
                             else self.step - length + 1)
                    signal.chunks.append((first, np.array(signal.cells)[full], data.copy()))
                for vector in signal.vectors:
                    vector.resize(0)
        self._time.resize(0)
        if len(self._spike_t):
            times = self._spike_t.as_numpy().copy()
            gids = self._spike_gid.as_numpy().astype(np.int64)
            for handle in self._cells:
                mine = (gids >= handle.first_gid) & (gids < handle.first_gid + handle.n)
                if mine.any():
                    handle.spikes.append((gids[mine] - handle.first_gid, times[mine]))
            self._spike_t.resize(0)
            self._spike_gid.resize(0)

    def read_spikes(self, handle):
        self._harvest()
        index = np.concatenate([s[0] for s in handle.spikes])
        times = np.concatenate([s[1] for s in handle.spikes])
        return handle.spike_windows.recorded(index, times, self.dt, handle.period_start)

    def read_signal(self, handle, variable):
        self._harvest()
        if self.cvode:
            return self._read_irregular(handle, variable)
        signal = handle.signals.get(variable)
        if signal is None:
            return np.empty(0, dtype=np.int64), np.empty((1, 0))
        grid = SampleGrid(signal, handle.period_start, self.step, signal.interval)
        for first, chunk_cells, data in signal.chunks:
            grid.fill_rows(first + np.arange(len(data)), chunk_cells, data)
        return grid.result()

    def _read_irregular(self, handle, variable):
        """Variable step: every sample since the period start, with its time."""
        signal = handle.signals.get(variable)
        if signal is None:
            return np.empty(0, dtype=np.int64), np.empty((0, 0)), np.empty(0)
        start, now = handle.period_start * self.dt, self.step * self.dt
        cells = signal.overlapping(handle.period_start, self.step)
        column = np.full(handle.n, -1)
        column[cells] = np.arange(len(cells))
        times, blocks = [], []
        for chunk_times, chunk_cells, data in signal.chunks:
            last = max((t[-1] for t in times if len(t)), default=-np.inf)
            # (a restart of the vectors repeats the last sample)
            keep = (chunk_times >= start - 1e-9) & (chunk_times <= now + 1e-9) & \
                (chunk_times > last + 1e-12)
            block = np.full((int(keep.sum()), len(cells)), np.nan)
            columns = column[chunk_cells]
            use = columns >= 0
            block[:, columns[use]] = data[np.ix_(keep, use)]
            times.append(chunk_times[keep])
            blocks.append(block)
        times = np.concatenate(times) if times else np.empty(0)
        values = np.concatenate(blocks) if blocks else np.empty((0, len(cells)))
        steps = times[:, None] / self.dt
        values[(steps < signal.start[cells] - 1e-9) | (steps > signal.stop[cells] + 1e-9)] = \
            np.nan
        return cells, values, times

    def clear_recordings(self, handle):
        self._harvest()
        handle.period_start = self.step
        handle.spikes = [(np.empty(0, np.int64), np.empty(0))]
        for signal in handle.signals.values():
            kept = []
            for first, cells, data in signal.chunks:  # keep only the current step's sample
                if self.cvode:
                    if len(first) and abs(first[-1] - self.step * self.dt) < 1e-9:
                        kept.append((first[-1:], cells, data[-1:]))
                elif first <= self.step < first + len(data):
                    kept.append((self.step, cells, data[self.step - first:self.step - first + 1]))
            signal.chunks = kept

    # -- electrodes --------------------------------------------------------------------------
    def inject(self, kind, parameters, handle, index):
        if kind not in ("DCSource", "ACSource", "StepCurrentSource"):
            raise NotImplementedError(f"NEURON has no current source {kind}")
        self._refuse_after_run("current sources")
        source = Source(kind, dict(parameters), handle, np.unique(np.asarray(index)))
        positions = handle.position[source.index]
        for k in positions[positions >= 0].tolist():  # every rank keeps the source: run_until
            source.processes.append(h.PnlCurrentSource(handle.segments[k]))  # stops alike
        self._sources.append(source)
        self._start_source(source, self.step)
        return source

    def _start_source(self, source, step=0):
        p = source.parameters
        for process in source.processes:
            process.grid = 0 if self.cvode else 1
            if source.kind == "StepCurrentSource":
                process.start, process.stop, process.ac = -1e300, 1e300, 0
            else:
                process.start, process.stop = p["start"], p["stop"]
                process.amp = p["amplitude"]
                process.ac = 1 if source.kind == "ACSource" else 0
                if source.kind == "ACSource":
                    process.freq, process.phase, process.offset = (p["frequency"], p["phase"],
                                                                   p["offset"])
        if source.kind == "StepCurrentSource":
            self._set_amplitude(source, step)

    def _changes(self, source):
        """Steps at which run_until stops for this source: step times, and with the variable
        step integrator also the start and stop of DC and AC sources."""
        if source.kind != "StepCurrentSource":
            p = source.parameters
            return {self._steps(p["start"]), self._steps(min(p["stop"], 1e15))} \
                if self.cvode else set()
        return set(np.rint(np.asarray(source.parameters["times"]) / self.dt)
                   .astype(np.int64).tolist())

    def _set_amplitude(self, source, step):
        amplitude = float(current(source.kind, source.parameters, np.array([step]), self.dt)[0])
        for process in source.processes:
            process.amp = amplitude

    def update_source(self, source, parameters):
        source.parameters = dict(parameters)
        self._start_source(source, self.step)


class _Feed:
    """The NetCon that carries a spike source's queued spike times, and the last of them."""

    def __init__(self, netcon):
        self.netcon, self.pending = netcon, -np.inf
        netcon.weight[0] = 1.0
