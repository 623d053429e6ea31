"""The NEST driver: the protocol of backends.base on PyNEST 3's bulk interfaces.

Three NEST habits shape it:
- A device acts through a connection delay d, and what it has sent cannot be taken back: device
  times are shifted by d, and the electrode current of the d/dt + 1 steps NEST can no longer
  change (after a creation or an update) is added to the cells' I_e for one step each.
- A multimeter receives its samples one min_delay slice late: samples of a run's last slice are
  taken from the cells' state while running, the one at the current time when read.
- Nothing in NEST rewinds: reset() rebuilds the kernel and replays the log of protocol calls,
  refilling the handles the core holds.
"""
import os
import re
from contextlib import contextmanager

import numpy as np

from pynnlike.backends.nest.parallel import refuse_mpi_launch  # noqa: E402

os.environ.setdefault("PYNEST_QUIET", "1")  # no banner: must precede the import
refuse_mpi_launch()  # a NEST without MPI would end the process at its import under mpiexec
import nest  # noqa: E402

from pynnlike.backends.base import Driver  # noqa: E402
from pynnlike.backends.recording import RecordingWindows, SampleGrid  # noqa: E402
from pynnlike.errors import ConnectionError, InvalidParameterValueError  # noqa: E402 A004
from pynnlike.standardmodels.electrodes import current  # noqa: E402
from pynnlike.backends.nest import dynamics, models  # noqa: E402

_VERBOSITY = {"all": "ALL", "info": "INFO", "deprecated": "DEPRECATED", "warning": "WARNING",
              "error": "ERROR", "fatal": "FATAL"}
_ELEMENT = re.compile(r"^(\w+)\[(\d+)\]$")   # 'tau_syn[1]': one element of an array parameter
_PORT_CONDUCTANCE = re.compile(r"^g_(\d+)$")  # per-port conductance of a multisynapse model
_INTEGERS = {"n": int, "a": int}  # integer-valued synapse parameters (quantal_stp_synapse)
_DEVICES = {"DCSource": "dc_generator", "ACSource": "ac_generator",
            "StepCurrentSource": "step_current_generator"}


# -- handles -----------------------------------------------------------------------------------
class Cells:
    """Handle of one create(): its NodeCollection (ids first_id ..) and recording state."""

    def __init__(self, model, n):
        self.model, self.n = model, n
        self.nodes = self.first_id = None

    def subset(self, index):
        """NodeCollection of the sorted unique cells `index`."""
        return self.nodes if len(index) == self.n else self.nodes[index]


class _Spikes(RecordingWindows):
    def __init__(self, n):
        super().__init__(n)
        self.device = None
        self.connected = np.zeros(n, bool)


class _Signal(RecordingWindows):
    def __init__(self, n, interval):
        super().__init__(n)
        self.interval = interval
        self.meters = []                   # meters of the current period
        self.metered = np.zeros(n, bool)   # cells one of them covers


class _Meter:
    """A multimeter for `cells`, created at the next run; `snaps` = samples taken by the driver
    ({step: values}) where the multimeter's own data come too late."""

    def __init__(self, cells):
        self.cells, self.device, self.connected_at, self.snaps = cells, None, None, {}


class Projection:
    """Handle of one connect(): the connections of a synapse model that no other projection
    between the same two handles uses (see NESTDriver._connect)."""

    def __init__(self, pre, post, i, j, synapse, parameters):
        self.pre, self.post, self._ij, self.n = pre, post, (i, j), len(i)
        self.unread = None       # a rule's connections, until read from NEST (connect_rule)
        self.synapse, self.parameters = synapse, parameters
        self.model_name, self.cache, self.labelled = None, None, False
        self.local = {}          # native values the driver keeps instead of NEST (dynamics.py)
        self.relay_steps = None  # axonal delay (steps) of each connection through a parrot
        self.relay = None        # (parrots, each connection's parrot), made by _connect

    @property
    def i(self):
        return self.connections()[0]

    @property
    def j(self):
        return self.connections()[1]

    def connections(self):
        """(i, j) in the core's order; a rule's are read from NEST at first use (PyNEST reads
        ~1e5 connections per second)."""
        if self.unread is not None:
            read, self.unread = self.unread, None
            self._ij = read()
        return self._ij

    @property
    def sources(self):
        """The nodes NEST's connections start from: the pre cells, or the relay's parrots."""
        return self.pre.nodes if self.relay is None else self.relay[0]

    @property
    def source_index(self):
        """Each connection's position in `sources`."""
        return self.i if self.relay is None else self.relay[1]


class Source:
    """Handle of one inject(): a NEST current generator made at the next run, plus the current
    (nA, per step) that reaches the cells through I_e because the device can no longer send it."""

    def __init__(self, kind, parameters, cells, index):
        self.kind, self.parameters, self.cells, self.index = kind, parameters, cells, index
        self.device, self.delay, self.pending = None, None, {}


def _model_name(base, k):
    """The synapse model of the k-th projection of `base` between two handles."""
    return base if k == 0 else f"{base}_pynnlike_{k}"


def _has_multapses(i, j):
    """Whether some (i, j) pair occurs twice; O(n) for the core's order (by j, then i)."""
    if len(i) < 2:
        return False
    key = j * (int(i.max()) + 1) + i
    steps = np.diff(key)
    if np.all(steps >= 0):
        return bool(np.any(steps == 0))
    key.sort()
    return bool(np.any(np.diff(key) == 0))


# -- NEST value helpers ------------------------------------------------------------------------
def _array(values):
    items = list(values)
    if items and np.ndim(items[0]) > 0:
        out = np.empty(len(items), dtype=object)
        out[:] = [np.asarray(v, dtype=float) for v in items]
        return out
    return np.asarray(items)


def _get(nodes, names):
    """{name: array over nodes}; vector-valued parameters come back as object arrays."""
    if not names:
        return {}
    values = nodes.get(list(names))
    if len(nodes) == 1:
        return {name: _array([values[name]]) for name in names}
    return {name: _array(values[name]) for name in names}


def _is_vector(values):
    return values.dtype == object or values.ndim == 2


def _set(nodes, values):
    """Set {name: array over nodes}; vector-valued ones are set together per distinct row."""
    scalars = {k: v for k, v in values.items() if not _is_vector(v)}
    if scalars:  # one value for all is much faster for NEST than a list
        nodes.set(**{k: v[0].item() if len(v) and (v == v[0]).all() else v.tolist()
                     for k, v in scalars.items()})
    vectors = {k: [np.asarray(row, dtype=float) for row in v]
               for k, v in values.items() if _is_vector(v)}
    if not vectors:
        return
    keys = [tuple(tuple(rows[c]) for rows in vectors.values()) for c in range(len(nodes))]
    if len(set(keys)) == 1:
        nodes.set({k: rows[0] for k, rows in vectors.items()})
    else:  # NEST takes differing vectors only as one dictionary per node
        nodes.set([{k: rows[c] for k, rows in vectors.items()} for c in range(len(nodes))])


def _device_parameters(kind, p, delay, first, dt):
    """NEST generator parameters that give the standard current from step `first` + delay on,
    for a device connected with `delay` steps that can act from step `first` on."""
    if kind == "StepCurrentSource":
        times = np.round(np.asarray(p["times"], dtype=float) / dt).astype(np.int64) - delay
        amplitudes = np.asarray(p["amplitudes"], dtype=float)
        later = times > first
        device_times = np.concatenate([[first], times[later]])
        values = np.concatenate([current(kind, p, np.array([first + delay]), dt),
                                 amplitudes[later]])
        return {"amplitude_times": device_times * dt, "amplitude_values": 1000.0 * values}
    start = round(p["start"] / dt) - delay
    window = {"start": max(start, 0) * dt, "stop": max(round(p["stop"] / dt) - delay, 0,
                                                        start) * dt}
    if kind == "DCSource":
        return {"amplitude": 1000.0 * p["amplitude"], **window}
    phase = (p["phase"] - 360.0 * p["frequency"] * start * dt / 1000.0) % 360.0
    return {"amplitude": 1000.0 * p["amplitude"], "offset": 1000.0 * p["offset"],
            "frequency": float(p["frequency"]), "phase": phase, **window}


@contextmanager
def _rejected_values(model_name):
    """NEST's refusal of a value, as the error users catch (the log keeps only what NEST took)."""
    try:
        yield
    except (nest.NESTErrors.BadProperty, nest.NESTErrors.BadParameter,
            nest.NESTErrors.BadParameterValue) as error:
        raise InvalidParameterValueError(f"NEST's {model_name} refused a value: {error}") \
            from None


# -- the driver --------------------------------------------------------------------------------
class NESTDriver(Driver):
    """PyNEST 3 behind the driver protocol."""

    name = "NEST"
    options = ("threads", "spike_precision", "verbosity", "recording_precision", "rng_type")
    parallel = ("threads",)
    native_connectors = ("AllToAllConnector", "OneToOneConnector", "FixedProbabilityConnector",
                         "FixedNumberPreConnector", "FixedNumberPostConnector",
                         "FixedTotalNumberConnector")
    foreign_options = ("use_cvode", "rtol", "atol", "default_maxstep")

    # -- simulation control ------------------------------------------------------------------
    def setup(self, timestep, min_delay, max_delay, rng_seed, options):
        precision = options.get("spike_precision", "off_grid")
        if precision not in ("on_grid", "off_grid"):
            raise ValueError(f"NEST: spike_precision must be 'on_grid' or 'off_grid', "
                             f"not {precision!r}")
        verbosity = options.get("verbosity", "error")
        if verbosity not in _VERBOSITY:
            raise ValueError(f"NEST: verbosity must be one of {', '.join(_VERBOSITY)}, "
                             f"not {verbosity!r}")
        seed = int(rng_seed)
        kernel = {"resolution": float(timestep),
                  "local_num_threads": int(options.get("threads", 1)),
                  "rng_seed": seed if 0 < seed < 2 ** 32 - 1 else seed % (2 ** 32 - 2) + 1}
        if "rng_type" in options:
            kernel["rng_type"] = options["rng_type"]
        if min_delay is not None and max_delay is not None:  # NEST takes both or neither
            kernel.update(min_delay=float(min_delay), max_delay=float(max_delay))
        self.dt, self.precision = float(timestep), precision
        self._verbosity = getattr(nest.VerbosityLevel, _VERBOSITY[verbosity])
        self._kernel = kernel
        self._status_keys = {}
        self._log = []
        self._start_kernel()

    def _start_kernel(self):
        nest.verbosity = self._verbosity
        nest.ResetKernel()
        nest.verbosity = self._verbosity
        nest.set(**self._kernel)
        self.step, self._epoch, self._models = 0, 0, {}
        self._cells, self._sources, self._projections = [], [], []

    def end(self):
        nest.ResetKernel()
        self._log, self._cells, self._sources, self._projections = [], [], [], []

    def mpi_config(self):
        return nest.Rank(), nest.NumProcesses()

    def _steps(self, time):
        return int(round(time / self.dt))

    def run_until(self, time):
        target = self._steps(time)
        self._materialize()
        patches = self._patches(target)
        tail = self._tail_steps(target)
        for point in sorted(set(patches) | tail):
            self._simulate_to(point)
            if point in tail:
                self._snapshot(point)
            if point in patches:
                nodes, delta = patches[point]
                base = _get(nodes, ["I_e"])["I_e"]
                nodes.set(I_e=(base + delta).tolist())
                self._simulate_to(point + 1)
                nodes.set(I_e=base.tolist())
        self._simulate_to(target)
        for source in self._sources:
            source.pending = {k: v for k, v in source.pending.items() if k >= target}

    def _simulate_to(self, step):
        if step > self.step:
            nest.Simulate((step - self.step) * self.dt)
            self.step = step
            self._epoch += 1

    def reset(self):
        for projection in self._projections:  # before NEST forgets them
            projection.connections()
        log = self._log
        self._start_kernel()
        for call in log:
            getattr(self, "_" + call[0])(*call[1:])

    # -- the call log (replayed by reset) ----------------------------------------------------
    def _log_values(self, kind, target, index, values):
        """Log a set/initialize/set_synapses call; what it overwrites in earlier calls of the
        same kind (same names, a subset of its cells) is dropped from them."""
        values = {k: np.array(v, copy=True) for k, v in values.items()}
        for call in self._log:
            if call[0] == kind and call[1] is target and np.isin(call[2], index).all():
                for name in values:
                    call[3].pop(name, None)
        self._log = [c for c in self._log if c[0] != kind or c[3]]
        self._log.append((kind, target, np.array(index, copy=True), values))

    # -- cells -------------------------------------------------------------------------------
    def cell_model(self, celltype):
        return models.cell_model(celltype, self.precision)

    def create(self, model, n, parameters, initial_values):
        handle = Cells(model, n)
        with _rejected_values(model.name):
            self._create(handle, parameters, initial_values)
        self._log.append(("create", handle, dict(parameters), dict(initial_values)))
        return handle

    def _create(self, handle, parameters, initial_values):
        handle.nodes = nest.Create(handle.model.name, handle.n)
        handle.first_id = handle.nodes[0].global_id
        handle.spikes, handle.signals, handle.period_start = _Spikes(handle.n), {}, 0
        index = np.arange(handle.n)
        constants = {k: np.full(handle.n, v) for k, v in handle.model.constants.items()}
        state = self._settable_state(handle, index, initial_values, parameters)
        self._set(handle, index, {**constants, **parameters, **state})  # one NEST call is faster
        self._cells.append(handle)

    def local_mask(self, handle):
        return _get(handle.nodes, ["local"])["local"].astype(bool)

    def set(self, handle, index, parameters):
        with _rejected_values(handle.model.name):
            self._set(handle, index, parameters)
        self._log_values("set", handle, index, parameters)

    def _set(self, handle, index, values):
        index, values = self._unique(index, values)
        if "spike_times" in values:  # NEST takes future times only
            now = self.step * self.dt + 1e-6 * self.dt
            trains = np.empty(len(index), dtype=object)
            trains[:] = [np.asarray(t, dtype=float)[np.asarray(t, dtype=float) > now]
                         for t in values["spike_times"]]
            values = dict(values, spike_times=trains)
        nodes = handle.subset(index)
        plain = {k: v for k, v in values.items() if not _ELEMENT.match(k)}
        elements = {}
        for name, column in values.items():
            match = _ELEMENT.match(name)
            if match:
                elements.setdefault(match[1], {})[int(match[2])] = column
        if elements:
            ports = len(handle.model.ports)
            missing = [b for b, cols in elements.items() if len(cols) < ports]
            current = _get(nodes, missing)
            for base, columns in elements.items():
                rows = (np.array([np.asarray(r, dtype=float) for r in current[base]])
                        if base in current else np.empty((len(index), ports)))
                for k, column in columns.items():
                    rows[:, k] = column
                plain[base] = rows
        _set(nodes, plain)
        dynamics.follow_cells(self, handle, index, values)

    def _unique(self, index, values):
        """Sorted unique cells (NEST wants them so) and the values aligned with them."""
        index = np.asarray(index, dtype=np.int64)
        values = {k: np.asarray(v) if np.ndim(v) else np.full(len(index), v)
                  for k, v in values.items()}
        if (np.diff(index) > 0).all():
            return index, values
        unique, first = np.unique(index, return_index=True)
        return unique, {k: v[first] for k, v in values.items()}

    def get(self, handle, index, names):
        index = np.asarray(index, dtype=np.int64)
        unique, inverse = np.unique(index, return_inverse=True)
        nodes = handle.subset(unique)
        bases = {}
        for name in names:
            match = _ELEMENT.match(name)
            bases[name] = (match[1], int(match[2])) if match else (name, None)
        raw = _get(nodes, list(dict.fromkeys(b for b, _ in bases.values())))
        out = {}
        for name, (base, k) in bases.items():
            values = raw[base] if k is None else np.array([row[k] for row in raw[base]])
            out[name] = values[inverse]
        return out

    def initialize(self, handle, index, state):
        with _rejected_values(handle.model.name):
            self._initialize(handle, index, state)
        self._log_values("initialize", handle, index, state)

    def _initialize(self, handle, index, state):
        self._set(handle, index, self._settable_state(handle, index, state))

    def _settable_state(self, handle, index, state, parameters=None):
        """`state` without the variables NEST does not let us set, once checked that they ask
        for their resting value (a number, or the value of a parameter: from `parameters` if
        given, else from NEST)."""
        fixed = handle.model.fixed_state
        for name in set(state) & set(fixed):
            rest = fixed[name]
            if isinstance(rest, str):
                rest = (parameters[rest] if parameters and rest in parameters
                        else self.get(handle, index, [rest])[rest])
            if not np.allclose(np.asarray(state[name], dtype=float), rest):
                raise NotImplementedError(
                    f"NEST's {handle.model.name} cannot set the state variable {name!r}: it "
                    f"always starts at its resting value")
        return {k: v for k, v in state.items() if k not in fixed}

    # -- connections -------------------------------------------------------------------------
    def synapse_model(self, synapse_type, post_model, receptor_type):
        return models.synapse_model(synapse_type, post_model, receptor_type)

    def connect(self, pre, post, i, j, synapse, parameters, receptor_type):
        projection = Projection(pre, post, np.asarray(i, dtype=np.int64),
                                np.asarray(j, dtype=np.int64), synapse, dict(parameters))
        dynamics.prepare(self, projection)
        try:
            self._connect(projection)
        except nest.NESTErrors.BadDelay as error:
            raise ConnectionError(
                f"NEST cannot take these delays now ({error}); NEST fixes its delay range at the "
                f"first run, so give setup() a min_delay and max_delay that cover every delay "
                f"of projections created after run()") from None
        self._log.append(("connect", projection))
        return projection

    def _connect(self, projection):
        """Connect through a synapse model that no other projection between the same two
        handles uses, so GetConnections(source, target, model) finds exactly this projection:
        NEST's own model for the first, copies for the others (NEST's first synapse-model copy
        costs ~600 bytes per node, and it holds ~500 models in all, so copies are shared
        between handle pairs). NEST keeps no creation order among multapses, so a projection
        with multapses uses the labelled model variant, each connection labelled with its
        position, unless its synapses are static (then multapses of one pair are
        interchangeable)."""
        dynamics.connect_sources(self, projection, "parrot_neuron_ps" if
                                 self.precision == "off_grid" else "parrot_neuron")
        self._projections.append(projection)
        n = projection.n
        projection.labelled = (projection.synapse.name != "static_synapse" and
                               _has_multapses(projection.source_index, projection.j))
        base = projection.synapse.name + ("_lbl" if projection.labelled else "")
        pair = (id(projection.pre), id(projection.post))
        k = 0
        while pair in self._models.get(_model_name(base, k), ()):
            k += 1
        projection.model_name = _model_name(base, k)
        if k and projection.model_name not in self._models:
            try:
                nest.CopyModel(base, projection.model_name)
            except nest.NESTErrors.KernelException:
                raise NotImplementedError(
                    f"NEST holds at most ~500 synapse models and pynnlike uses one per "
                    f"projection between the same two populations: {k} projections of "
                    f"{projection.synapse.name} between these populations is the most NEST "
                    f"can take; merge some of them (e.g. with a FromListConnector)") from None
        self._models.setdefault(projection.model_name, set()).add(pair)
        projection.cache = None
        if n:
            spec = {"synapse_model": projection.model_name, **projection.synapse.constants}
            spec.update({k: np.ascontiguousarray(np.broadcast_to(v, n), dtype=float)
                         for k, v in projection.parameters.items()})
            if projection.labelled:
                spec["synapse_label"] = np.arange(n)
            sources = (projection.pre.first_id + projection.i if projection.relay is None else
                       np.asarray(projection.relay[0].tolist())[projection.relay[1]])
            nest.Connect(sources, projection.post.first_id + projection.j, "one_to_one", spec)
        self._epoch += 1

    @staticmethod
    def _nest_connections(projection):
        return nest.GetConnections(source=projection.sources, target=projection.post.nodes,
                                   synapse_model=projection.model_name)

    def _connections(self, projection, names=()):
        """(SynapseCollection, position in connect order of each of its elements, values of
        `names` in its order). NEST reorders connections when it simulates: hence the epoch."""
        if projection.cache is not None and projection.cache[0] == self._epoch and not names:
            return projection.cache[1:] + ({},)
        conns = self._nest_connections(projection)
        keys = ["synapse_label"] if projection.labelled else ["source", "target"]
        raw = conns.get(keys + list(names)) if len(conns) else {}
        data = {k: np.atleast_1d(np.asarray(v)) for k, v in raw.items()}
        position = np.empty(len(conns), dtype=np.int64)
        if projection.labelled:
            position[:] = data["synapse_label"]
        elif len(conns):  # (target, source) identifies a connection
            position[np.lexsort((data["source"], data["target"]))] = np.lexsort(
                (projection.source_index, projection.j))
        projection.cache = (self._epoch, conns, position)
        return conns, position, {k: data[k] for k in names}

    def set_synapses(self, projection, index, parameters):
        with _rejected_values(projection.synapse.name):
            self._set_synapses(projection, index, parameters)
        self._log_values("set_synapses", projection, index, parameters)

    def initialize_synapses(self, projection, index, state):
        with _rejected_values(projection.synapse.name):
            self._set_synapses(projection, index, state)
        self._log_values("initialize_synapses", projection, index, state)

    def _initialize_synapses(self, projection, index, state):
        self._set_synapses(projection, index, state)

    def _set_synapses(self, projection, index, parameters):
        index = np.asarray(index, dtype=np.int64)
        parameters = dynamics.changes(self, projection, index, parameters)
        if not parameters:
            return
        everything = len(np.unique(index)) == projection.n
        if everything and all(np.all(np.asarray(v) == np.asarray(v).flat[0])
                              for v in parameters.values()):
            # one value for every connection: no need to know NEST's order (slow to read)
            conns = self._nest_connections(projection)
            if len(conns):
                conns.set({name: _INTEGERS.get(name, float)(np.asarray(v).flat[0])
                           for name, v in parameters.items()})
            return
        conns, position, current = self._connections(projection,
                                                     () if everything else list(parameters))
        if not len(conns):
            return
        order = np.empty(len(position), dtype=np.int64)
        order[position] = np.arange(len(position))  # connect position -> NEST element
        values = {}
        for name, new in parameters.items():
            array = current[name].astype(float) if name in current else np.empty(len(conns))
            array[order[index]] = np.broadcast_to(new, len(index))
            values[name] = array.astype(_INTEGERS.get(name, float)).tolist()
        conns.set(values)

    def get_synapses(self, projection, names):
        remote = [name for name in names if name not in projection.local]
        conns, position, values = self._connections(projection, remote)
        out = {name: projection.local[name].copy() for name in names
               if name in projection.local}
        for name in remote:
            out[name] = np.empty(len(position))
            out[name][position] = values[name]
        return out

    # -- connections by NEST's own rules (NativeRNG) -----------------------------------------
    @staticmethod
    def _conn_spec(rule, p):
        """NEST's conn_spec for a rule of Driver.connect_rule."""
        autapses = {"allow_autapses": bool(p.get("allow_self_connections", True))}
        multapses = {"allow_multapses": bool(p.get("with_replacement", False))}
        if rule == "all_to_all":
            return {"rule": "all_to_all", **autapses}
        if rule == "one_to_one":
            return {"rule": "one_to_one"}
        if rule == "fixed_probability":
            return {"rule": "pairwise_bernoulli", "p": float(p["p"]), **autapses}
        if rule == "fixed_number_pre":
            return {"rule": "fixed_indegree", "indegree": int(p["n"]), **autapses, **multapses}
        if rule == "fixed_number_post":
            return {"rule": "fixed_outdegree", "outdegree": int(p["n"]), **autapses, **multapses}
        if rule == "fixed_total_number" and p["with_replacement"]:  # NEST: multapses only
            return {"rule": "fixed_total_number", "N": int(p["n"]), **autapses, **multapses}
        raise NotImplementedError(f"NEST has no connection rule for {rule} {p}")

    def connect_rule(self, pre, post, rule, rule_parameters, synapse, parameters, receptor_type,
                     seed):
        """nest.Connect with NEST's rule (static synapses only: their multapses need no
        labels). A random rule's connections are read back from NEST only when first needed
        (rule_connections, set_synapses with varying values, reset). A seed reseeds NEST's
        kernel generator."""
        if synapse.name != "static_synapse":
            raise NotImplementedError(f"NEST: {synapse.name} needs more than NEST's connection "
                                      f"rules give")
        spec = self._conn_spec(rule, rule_parameters)
        if nest.NumProcesses() > 1:
            raise NotImplementedError("NEST: connection rules under MPI (the core needs every "
                                      "connection, each process sees its own)")
        empty = np.empty(0, dtype=np.int64)
        # an empty connect() claims a model and logs the projection, whose i and j reset()
        # will replay
        projection = self.connect(pre, post, empty, empty, synapse, parameters, receptor_type)
        if seed is not None:
            seed = int(seed)
            nest.rng_seed = seed if 0 < seed < 2 ** 32 - 1 else seed % (2 ** 32 - 2) + 1
        syn_spec = {"synapse_model": projection.model_name, **synapse.constants,
                    **{k: float(v) for k, v in parameters.items()}}
        before = nest.num_connections
        try:
            nest.Connect(pre.nodes, post.nodes, spec, syn_spec)
        except nest.NESTErrors.BadDelay as error:
            raise ConnectionError(f"NEST cannot take these delays now ({error}); give setup() a "
                                  f"min_delay and max_delay that cover them") from None
        projection.n = nest.num_connections - before
        if rule == "all_to_all":
            j, i = np.divmod(np.arange(pre.n * post.n, dtype=np.int64), pre.n)
            keep = (i != j) | spec["allow_autapses"]
            projection._ij = (i[keep], j[keep])
        elif rule == "one_to_one":
            projection._ij = (np.arange(pre.n, dtype=np.int64),) * 2
        else:
            projection.unread = lambda: self._read_back(projection)
        return projection, projection.n

    def rule_connections(self, projection):
        return projection.connections()

    def _read_back(self, projection):
        """(i, j) in the core's order from NEST's connections; caches their order."""
        conns = self._nest_connections(projection)
        data = conns.get(["source", "target"]) if len(conns) else {"source": [], "target": []}
        i = np.atleast_1d(np.asarray(data["source"], dtype=np.int64)) - projection.pre.first_id
        j = np.atleast_1d(np.asarray(data["target"], dtype=np.int64)) - projection.post.first_id
        order = np.lexsort((i, j))
        i, j = i[order], j[order]
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        projection.cache = (self._epoch, conns, position)
        return i, j

    # -- recording ---------------------------------------------------------------------------
    def record(self, handle, index, variables, interval):
        self._log.append(("record", handle, np.array(index), list(variables), interval))
        self._record(handle, index, variables, interval)

    def _record(self, handle, index, variables, interval):
        index = np.unique(np.asarray(index, dtype=np.int64))
        for variable in variables:
            if variable == "spikes":
                handle.spikes.begin(index, self.step)
                continue
            signal = handle.signals.setdefault(variable,
                                               _Signal(handle.n, self._steps(interval)))
            signal.interval = self._steps(interval)
            signal.begin(index, self.step)
            new = index[~signal.metered[index]]
            if len(new):
                signal.meters.append(_Meter(new))
                signal.metered[new] = True

    def stop_recording(self, handle, index, variables):
        self._log.append(("stop_recording", handle, np.array(index), list(variables)))
        self._stop_recording(handle, index, variables)

    def _stop_recording(self, handle, index, variables):
        index = np.unique(np.asarray(index, dtype=np.int64))
        for variable in variables:
            recording = handle.spikes if variable == "spikes" else handle.signals.get(variable)
            if recording is not None:
                recording.end(index, self.step)

    @staticmethod
    def _recorder_delay():
        """A device connection delay that neither lowers NEST's min_delay nor raises its
        max_delay (a fresh kernel's min_delay is the resolution)."""
        return nest.min_delay

    def _materialize(self):
        """Create and connect the recorders and generators asked for since the last run."""
        for handle in self._cells:
            spikes = handle.spikes
            new = np.flatnonzero(spikes.active() & ~spikes.connected)
            if len(new):
                if spikes.device is None:
                    spikes.device = nest.Create("spike_recorder")
                nest.Connect(handle.subset(new), spikes.device,
                             syn_spec={"delay": self._recorder_delay()})
                spikes.connected[new] = True
            for variable, signal in handle.signals.items():
                for meter in signal.meters:
                    if meter.device is None:
                        self._connect_meter(handle, variable, signal, meter)
        for source in self._sources:
            if source.device is None:
                self._connect_source(source)

    def _connect_meter(self, handle, variable, signal, meter):
        offset = handle.period_start % signal.interval
        meter.device = nest.Create("multimeter", params={
            "record_from": [variable], "interval": signal.interval * self.dt,
            "offset": offset * self.dt})
        nest.Connect(meter.device, handle.subset(meter.cells),
                     syn_spec={"delay": self._recorder_delay()})
        meter.connected_at = self.step
        if (self.step - handle.period_start) % signal.interval == 0:
            meter.snaps[self.step] = self._state(handle, meter.cells, variable)

    def _tail_steps(self, target):
        """Sample steps in the last min_delay slice before `target`: NEST delivers them late."""
        slice_steps = self._steps(nest.min_delay)
        steps = set()
        for handle in self._cells:
            for signal in handle.signals.values():
                if signal.meters and signal.active().any():
                    first = max(target - slice_steps + 1, self.step + 1)
                    grid = np.arange(first, target)
                    steps.update(grid[(grid - handle.period_start) % signal.interval == 0]
                                 .tolist())
        return steps

    def _snapshot(self, step):
        for handle in self._cells:
            for variable, signal in handle.signals.items():
                if (step - handle.period_start) % signal.interval:
                    continue
                for meter in signal.meters:
                    if meter.device is not None and step > meter.connected_at:
                        meter.snaps[step] = self._state(handle, meter.cells, variable)

    def _state(self, handle, index, variable):
        """Current values of native state `variable` for cells `index`; NaN where NEST does not
        show them (at t = 0 such variables still hold their fixed resting value)."""
        model = handle.model
        if model.name not in self._status_keys:
            self._status_keys[model.name] = set(handle.nodes[0].get().keys())
        keys = self._status_keys[model.name]
        if variable in keys:
            return _get(handle.subset(index), [variable])[variable].astype(float)
        port = _PORT_CONDUCTANCE.match(variable)
        if self.step > 0 and port and "g" in keys:
            rows = _get(handle.subset(index), ["g"])["g"]
            return np.array([row[int(port[1]) - 1] for row in rows])
        fixed = model.fixed_state.get(variable)
        if self.step == 0 and isinstance(fixed, float):
            return np.full(len(index), fixed)
        return np.full(len(index), np.nan)

    def read_spikes(self, handle):
        spikes = handle.spikes
        if spikes.device is None:
            return np.empty(0, dtype=np.int64), np.empty(0)
        events = spikes.device.get("events")
        return spikes.recorded(np.asarray(events["senders"]) - handle.first_id,
                               events["times"], self.dt)

    def read_signal(self, handle, variable):
        signal = handle.signals.get(variable)
        if signal is None:
            return np.empty(0, dtype=np.int64), np.empty((1, 0))
        grid = SampleGrid(signal, handle.period_start, self.step, signal.interval)
        for meter in signal.meters:
            if meter.device is not None:
                events = meter.device.get("events")
                grid.fill(np.round(np.asarray(events["times"]) / self.dt).astype(np.int64),
                          np.asarray(events["senders"], dtype=np.int64) - handle.first_id,
                          events[variable])
            for step, data in meter.snaps.items():
                grid.fill(np.full(len(meter.cells), step), meter.cells, data)
        if (self.step - handle.period_start) % signal.interval == 0 and len(grid.cells):
            grid.values[-1] = self._state(handle, grid.cells, variable)
        return grid.result()

    def clear_recordings(self, handle):
        handle.period_start = self.step
        if handle.spikes.device is not None:
            handle.spikes.device.n_events = 0
        for signal in handle.signals.values():
            for meter in signal.meters:
                if meter.device is not None:
                    meter.device.set(n_events=0, stop=self.step * self.dt)
            active = np.flatnonzero(signal.active())
            signal.meters = [_Meter(active)] if len(active) else []
            signal.metered[:] = False
            signal.metered[active] = True

    # -- electrodes --------------------------------------------------------------------------
    def inject(self, kind, parameters, handle, index):
        if kind not in _DEVICES:
            raise NotImplementedError(f"NEST has no current source {kind}")
        source = Source(kind, dict(parameters), handle, np.unique(np.asarray(index)))
        self._log.append(("inject", source))
        self._inject(source)
        return source

    def _inject(self, source):
        source.device, source.pending = None, {}
        self._sources.append(source)

    def _connect_source(self, source):
        delay = self._steps(self._recorder_delay())
        source.delay = delay
        source.device = nest.Create(_DEVICES[source.kind], params=_device_parameters(
            source.kind, source.parameters, delay, self.step + 1, self.dt))
        nest.Connect(source.device, source.cells.subset(source.index),
                     syn_spec={"delay": delay * self.dt})
        steps = np.arange(self.step, self.step + delay + 1)
        source.pending = dict(zip(steps.tolist(),
                                  current(source.kind, source.parameters, steps, self.dt)))

    def update_source(self, source, parameters):
        parameters = dict(parameters)
        if source.device is not None:
            steps = np.arange(self.step, self.step + source.delay + 1)
            change = (current(source.kind, parameters, steps, self.dt)
                      - current(source.kind, source.parameters, steps, self.dt))
            for step, amount in zip(steps.tolist(), change):
                source.pending[step] = source.pending.get(step, 0.0) + amount
            source.device.set(_device_parameters(source.kind, parameters, source.delay,
                                                 self.step + 1, self.dt))
        source.parameters = parameters

    def _patches(self, target):
        """{step: (cells, extra I_e in pA)} for the steps of this run that carry pending
        electrode current."""
        per_step = {}
        for source in self._sources:
            ids = source.cells.first_id + source.index
            for step, amount in source.pending.items():
                if self.step <= step < target and amount != 0.0:
                    per_step.setdefault(step, []).append((ids, 1000.0 * amount))
        patches = {}
        for step, parts in per_step.items():
            ids = np.concatenate([p[0] for p in parts])
            amounts = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
            unique, inverse = np.unique(ids, return_inverse=True)
            patches[step] = (nest.NodeCollection(unique.tolist()),
                             np.bincount(inverse, weights=amounts))
        return patches
