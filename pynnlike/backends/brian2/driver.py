"""The Brian2 driver: the protocol of backends.base on Brian2's runtime mode.

One private brian2.Network and Clock. A population is a NeuronGroup (spike sources: a
SpikeGeneratorGroup), a projection one Synapses object; values are written as whole arrays.
Timing follows API.md (and NEST): Brian2 tests the threshold after the step's update and
reports the step's start, so spike times are reported one dt later; synaptic pathways run
before the thresholds (a voltage jump can fire the cell in its own step), so they deliver one
step after they see a spike and Brian2's delays are the standard ones minus dt. Electrodes are a
small NeuronGroup per target population whose currents are closed forms of t (TimedArray for
steps), summed onto the cells' I_inj; it is rebuilt under the same names when an electrode
changes, so compiled code is reused. reset() restores the spike queues, monitors and
generators to their state when built, writes the initialize()d values back, restores synaptic
state and plastic weights to their last set values, and reseeds Brian2's generator with the
setup() seed, so stochastic synapses (and GIF) draw the same numbers again, as on NEST.

Synapse types (synapses.py): event-driven Synapses code; projections between the same groups
with the same code share one Synapses object. Gap junctions sum g(v_pre - v_post) into one of
the HH groups' gap slots per partner group (models.GAP_SLOTS).

Code generation: setup(codegen_target='numpy') (default: nothing is compiled) or 'cython' (needs
a C compiler; Brian2 caches the compiled code in ~/.cython, and pynnlike names its objects the
same way in every setup() so the cache is hit). Brian2's standalone mode (cpp_standalone) is not
offered: it turns a script into one C++ program run once, so it cannot serve several run()
calls, reset(), or get/set between runs, which the API needs.
"""
import gc
import logging
import warnings

import numpy as np

import brian2 as b2

from pynnlike.backends.base import Driver
from pynnlike.backends.recording import RecordingWindows, SampleGrid
from pynnlike.errors import ConnectionError, InvalidParameterValueError
from pynnlike.standardmodels.electrodes import current
from pynnlike.backends.brian2 import models, synapses as synapse_models

_TARGETS = ("numpy", "cython")
_KINDS = {"DCSource": 0, "ACSource": 1, "StepCurrentSource": 2}
_INHIBITORY = ("inhibitory", "GABA", "GABAA", "GABAB")


class _OwnCodeIsOrderFree(logging.Filter):
    """Brian2 warns about any synaptic code that writes to post-synaptic variables and draws
    random numbers; pynnlike's synapse code (variables *_syn) only draws per synapse."""

    def filter(self, record):
        message = record.getMessage()
        return not ("may not be well-defined" in message and "_syn" in message)


logging.getLogger("brian2.codegen.generators.base").addFilter(_OwnCodeIsOrderFree())


def _all_objects(obj):
    """The object and everything it contains (state updaters, pathways, ...)."""
    found = [obj]
    for child in getattr(obj, "contained_objects", []):
        found.extend(_all_objects(child))
    return found


class _Signal(RecordingWindows):
    def __init__(self, n, interval):
        super().__init__(n)
        self.interval = interval
        self.monitors = []               # (StateMonitor, its cells)
        self.monitored = np.zeros(n, bool)


class Cells:
    """Handle of one create()."""

    def __init__(self, model, n):
        self.model, self.n = model, n
        self.group = None        # the cells as a Brian2 group (a Subgroup of `base`)
        self.base, self.offset = None, 0
        self.recipe = None       # (signature, equations, reset, parameters) until built
        self.initial = {}        # native state -> values restored by reset()
        self.spikes, self.signals, self.period_start = RecordingWindows(n), {}, 0
        self.monitor = None      # SpikeMonitor of a NeuronGroup
        self.sources = []        # electrodes driving these cells
        self.bank = ()           # the Brian2 objects that inject them
        self.slots = {}          # GIF: slot family -> count
        # spike sources: pending (cell, time) and the spikes emitted since the last clear
        self.pending = (np.empty(0, np.int64), np.empty(0))
        self.emitted = (np.empty(0, np.int64), np.empty(0))


def _stable_order(index):
    """np.argsort(index, kind='stable'); numpy's radix sort (5x faster) for cell indices that
    fit in 16 bits."""
    index = np.asarray(index)
    small = index.size and 0 <= index.min() and index.max() < 2 ** 16
    return np.argsort(index.astype(np.uint16) if small else index, kind="stable")


class Projection:
    """Handle of one connect(): connection k is synapse ids[k] of a (shared) Synapses object
    (gap junctions within one group: and synapse twins[k], the other direction)."""

    def __init__(self, synapses, ids, model, negative=False):
        self.synapses, self._ids, self.model = synapses, ids, model
        self.twins = None
        self.negative = negative  # the sign of zero plastic weights
        self.restore = {}         # synaptic state (and plastic weights) -> values for reset()
        self.sites = 0            # multi-quantal: release sites in the code
        self.made = None          # (i, j) a rule made, in the core's order (connect_rule)
        self.unread = None        # (synapse slice, pre offset, post offset) of a rule's

    @property
    def ids(self):
        self._order()
        return self._ids

    def connections(self):
        """(i, j) of a rule's synapses, in the core's order."""
        self._order()
        return self.made

    def _order(self):
        """A rule's synapses are put in the core's order (by j, then i) at first use."""
        if self.unread is None:
            return
        (made, pre_offset, post_offset), self.unread = self.unread, None
        variables = self.synapses.variables
        i = variables["_synaptic_pre"].get_value()[made] - pre_offset
        j = variables["_synaptic_post"].get_value()[made] - post_offset
        order = _stable_order(j)  # every rule makes i ascending for each j
        self._ids = made.start + order
        self.made = (i[order].astype(np.int64), j[order].astype(np.int64))


class Source:
    """Handle of one inject()."""

    def __init__(self, kind, parameters, cells, index):
        self.kind, self.parameters, self.cells, self.index = kind, parameters, cells, index


class Brian2Driver(Driver):
    """Brian2 (runtime mode, numpy or cython code generation) behind the driver protocol."""

    name = "Brian2"
    options = ("codegen_target",)
    native_connectors = ("AllToAllConnector", "OneToOneConnector", "FixedProbabilityConnector",
                         "FixedNumberPreConnector", "FixedNumberPostConnector")
    foreign_options = ("threads", "spike_precision", "verbosity", "recording_precision",
                       "rng_type", "use_cvode", "rtol", "atol", "default_maxstep")

    # -- simulation control ------------------------------------------------------------------
    def setup(self, timestep, min_delay, max_delay, rng_seed, options):
        target = options.get("codegen_target", "numpy")
        if target not in _TARGETS:
            raise ValueError(f"Brian2: codegen_target must be one of {', '.join(_TARGETS)}, "
                             f"not {target!r}")
        self._release()
        b2.prefs.codegen.target = target
        self.seed = int(rng_seed) % (2 ** 32)
        b2.seed(self.seed)
        self.dt, self.step = float(timestep), 0
        self.clock = b2.Clock(dt=self.dt * b2.ms)
        self.net = b2.Network()
        self._clock_state = self.clock._full_state()
        self._snapshots = {}     # Brian2 object -> its state when added (for reset)
        self._cells, self._count = [], 0
        self._unbuilt = []       # cell handles waiting for their NeuronGroup
        self._shared = {}        # (pre base, post base, code) -> Synapses
        self._spike_monitors = {}  # base group -> SpikeMonitor
        self._projections = []
        self._gap_slots = {}     # HH base group -> gap slots used

    def _release(self):
        """Let the previous network's code objects go: Brian2 names new code objects after the
        live ones, and a changed name means code compiled anew (cython)."""
        network = getattr(self, "net", None)
        if network is None or not network.objects:  # end() has already released it
            return
        for obj in list(network.objects):
            for part in _all_objects(obj):
                part._code_objects = []
                if hasattr(part, "codeobj"):
                    part.codeobj = None
        gc.collect()

    def end(self):
        self._release()
        self.net = b2.Network()
        self._cells, self._snapshots, self._unbuilt, self._shared = [], {}, [], {}
        self._spike_monitors, self._projections, self._gap_slots = {}, [], {}

    def _name(self, kind):
        """Names that repeat from one setup() to the next, so that compiled code is reused."""
        self._count += 1
        return f"pynnlike_{kind}_{self._count}"

    def _add(self, *objects):
        """Add built objects to the network and remember their pristine state."""
        for obj in objects:
            self.net.add(obj)
            for part in _all_objects(obj):
                if isinstance(part, (b2.SpikeGeneratorGroup, b2.StateMonitor, b2.SpikeMonitor)):
                    self._snapshots[part] = part._full_state()

    def _remove(self, *objects):
        for obj in objects:
            self.net.remove(obj)
            for part in _all_objects(obj):
                self._snapshots.pop(part, None)

    def _steps(self, time):
        return int(round(time / self.dt))

    def run_until(self, time):
        target = self._steps(time)
        self._build()
        if target <= self.step:
            return
        end = target * self.dt
        for handle in self._cells:
            cells, times = handle.pending
            if len(times):
                fired = times <= end + 1e-9 * self.dt
                kept = fired & handle.spikes.active()[cells]  # only what is recorded
                handle.emitted = (np.concatenate([handle.emitted[0], cells[kept]]),
                                  np.concatenate([handle.emitted[1], times[kept]]))
                handle.pending = (cells[~fired], times[~fired])
        self.net.run((target - self.step) * self.dt * b2.ms, namespace={})
        self.step = target
        self._carry_last_spikes()

    def _carry_last_spikes(self):
        """Brian2 empties every group's spike space when a run ends, but the synaptic pathways
        push a step's spikes at the start of the next step (before_thresholds): put the last
        step's spikes back, so that run(a); run(b) transmits exactly what run(a + b) does."""
        last = (self.step - 1) * self.dt * 1e-3  # s
        for base in {handle.base for handle in self._cells if handle.model.kind != "source"}:
            variables = base.variables
            fired = np.flatnonzero(np.abs(variables["lastspike"].get_value() - last)
                                   < 1e-6 * self.dt * 1e-3)
            space = variables["_spikespace"].get_value()
            space[:len(fired)] = fired
            space[-1] = len(fired)

    def reset(self):
        for obj, state in self._snapshots.items():
            obj._restore_from_full_state(state)
        self.clock._restore_from_full_state(self._clock_state)
        self.net.t_ = 0.0
        for obj in self.net.objects:
            for part in _all_objects(obj):
                if isinstance(part, b2.synapses.synapses.SynapticPathway) and \
                        part.queue is not None:
                    part.queue._restore_from_full_state(None)
        self.step = 0
        b2.seed(self.seed)  # stochastic synapses and GIF draw the same numbers again
        for projection in self._projections:
            self._write_synapses(projection, np.arange(len(projection.ids)), projection.restore)
        self._build()
        for base in {handle.base for handle in self._cells}:
            variables = base.variables
            variables["_spikespace"].get_value()[-1] = 0
            if "lastspike" in variables:
                variables["lastspike"].get_value()[:] = -1e4
                variables["not_refractory"].get_value()[:] = True
        for handle in self._cells:
            if handle.model.kind != "source":
                self._write(handle, np.arange(handle.n), handle.initial)
            handle.pending = (np.empty(0, np.int64), np.empty(0))
            handle.emitted = (np.empty(0, np.int64), np.empty(0))
            handle.period_start = 0
            handle.spikes.restart()
            for signal in handle.signals.values():
                signal.restart()

    # -- cells -------------------------------------------------------------------------------
    def cell_model(self, celltype):
        return models.cell_model(celltype)

    def create(self, model, n, parameters, initial_values):
        handle = Cells(model, n)
        handle.key = self._name("population")
        if model.kind == "source":
            handle.group = handle.base = b2.SpikeGeneratorGroup(
                n, np.empty(0, int), np.empty(0) * b2.ms, clock=self.clock,
                name=self._name("sources"))
            self._set_trains(handle, np.arange(n), parameters["spike_times"])
            self._add(handle.group)
            self._cells.append(handle)
            return handle
        parameters = {**{k: np.full(n, v) for k, v in model.constants.items()}, **parameters}
        equations, reset = model.equations, model.reset
        if model.arrays:
            parameters, handle.slots = self._split_arrays(model, parameters)
            equations, reset = models.gif_equations(model, handle.slots)
        self._check(model, parameters)
        signature = (equations, model.threshold, reset, model.refractory, model.method,
                     model.update)
        handle.recipe = (signature, parameters,
                         {k: np.array(v, dtype=float, copy=True)
                          for k, v in initial_values.items()})
        self._unbuilt.append(handle)
        self._cells.append(handle)
        return handle

    def _build(self):
        """Give the cells created since the last build their NeuronGroups: populations of the
        same model share one (each a slice), so Brian2 runs fewer, larger code objects."""
        if not self._unbuilt:
            return
        families = {}
        for handle in self._unbuilt:
            families.setdefault(handle.recipe[0], []).append(handle)
        self._unbuilt = []
        for (equations, threshold, reset, refractory, method, update), handles in \
                families.items():
            total = sum(h.n for h in handles)
            # refractory "False" still gives the group its lastspike (see _carry_last_spikes)
            base = b2.NeuronGroup(total, equations, threshold=threshold, reset=reset,
                                  refractory=refractory or "False", method=method,
                                  clock=self.clock, namespace={}, name=self._name("cells"))
            if update:
                base.run_regularly(update, when="groups", name=base.name + "_step")
            offset = 0
            for handle in handles:
                handle.base, handle.offset = base, offset
                handle.group = base if handle.n == total else base[offset:offset + handle.n]
                offset += handle.n
                _, parameters, initial = handle.recipe
                handle.recipe = None
                index = np.arange(handle.n)
                self._write(handle, index, parameters)
                handle.initial = initial
                self._initialize(handle, index, initial)
                handle.initial = self._state_arrays(handle)
            self._add(base)

    def _array(self, handle, name):
        """The writable numpy view of native variable `name` of the handle's cells."""
        return handle.base.variables[name].get_value()[handle.offset:handle.offset + handle.n]

    def _split_arrays(self, model, parameters):
        """GIF: object arrays of per-cell sequences -> one column per slot (padded)."""
        out = {k: v for k, v in parameters.items() if k not in model.arrays}
        slots = {}
        for name, family in model.arrays.items():
            rows = [np.atleast_1d(np.asarray(r, dtype=float)) for r in parameters[name]]
            slots[family] = max(slots.get(family, 1), max(len(r) for r in rows))
        for name, family in model.arrays.items():
            rows = [np.atleast_1d(np.asarray(r, dtype=float)) for r in parameters[name]]
            pad = 1.0 if name.startswith("tau") else 0.0
            table = np.full((len(rows), slots[family]), pad)
            for k, row in enumerate(rows):   # one short loop over cells' sequences
                table[k, :len(row)] = row
            for k in range(slots[family]):
                out[f"{name}_{k}"] = table[:, k]
        return out, slots

    @staticmethod
    def _check(model, parameters):
        """Values the Brian2 equations cannot take."""
        positive = [n for n in parameters if (n.startswith("tau") and n != "tau_refrac")
                    or n in ("c_m", "delta_v")]
        for name in positive:
            if np.any(np.asarray(parameters[name], dtype=float) <= 0):
                raise InvalidParameterValueError(f"Brian2: {name} must be > 0 ({model.name})")
        if "tau_refrac" in parameters and np.any(np.asarray(parameters["tau_refrac"]) < 0):
            raise InvalidParameterValueError(f"Brian2: tau_refrac must be >= 0 ({model.name})")

    def _state_arrays(self, handle):
        model = handle.model
        names = [k for k in handle.initial if k not in model.sums and k not in model.betas]
        names += [f"{f}_{k}" for f, n in handle.slots.items() for k in range(n)]
        names += [f"{x}_{r}" for r in model.betas.values() for x in "ab"]
        return {name: np.array(self._array(handle, name), copy=True) for name in names}

    def _write(self, handle, index, values):
        derived = models.derived(values, self.clock.dt_)
        for name, column in {**values, **derived}.items():
            if name in values or name in handle.base.variables:
                self._array(handle, name)[index] = np.asarray(column, dtype=float)

    def local_mask(self, handle):
        return np.ones(handle.n, dtype=bool)

    def set(self, handle, index, parameters):
        index = np.asarray(index, dtype=np.int64)
        model = handle.model
        self._build()
        if model.kind == "source":
            self._set_trains(handle, index, parameters["spike_times"])
            return
        if model.arrays and set(parameters) & set(model.arrays):
            full = {n: np.empty(len(index), dtype=object) for n in model.arrays}
            current_values = self.get(handle, index, list(model.arrays))
            for name in model.arrays:
                full[name][:] = list(parameters.get(name, current_values[name]))
            split, slots = self._split_arrays(model, full)
            if any(slots[f] > handle.slots[f] for f in slots):
                raise NotImplementedError("Brian2: GIF_cond_exp cannot take longer tau_eta/"
                                          "tau_gamma sequences after creation")
            split = {k: v for k, v in split.items() if not k.startswith(tuple(model.arrays))
                     or int(k.rsplit("_", 1)[1]) < handle.slots[k.split("_")[-2]]}
            parameters = {**{k: v for k, v in parameters.items() if k not in model.arrays},
                          **{k: v for k, v in split.items() if k.startswith(
                              tuple(model.arrays))}}
        self._check(model, parameters)
        self._write(handle, index, parameters)

    def get(self, handle, index, names):
        index = np.asarray(index, dtype=np.int64)
        self._build()
        out = {}
        for name in names:
            family = handle.model.arrays.get(name)
            if family:
                columns = np.array([self._array(handle, f"{name}_{k}")[index]
                                    for k in range(handle.slots[family])]).T
                out[name] = np.empty(len(index), dtype=object)
                out[name][:] = list(columns)
            elif name == "spike_times":
                cells, times = handle.pending
                out[name] = np.empty(len(index), dtype=object)
                out[name][:] = [times[cells == c] for c in index]
            else:
                out[name] = np.array(self._array(handle, name)[index])
        return out

    def initialize(self, handle, index, state):
        index = np.asarray(index, dtype=np.int64)
        self._build()
        self._initialize(handle, index, state)
        for name, values in self._state_arrays(handle).items():
            handle.initial[name] = values

    def _initialize(self, handle, index, state):
        plain = {}
        for name, values in state.items():
            family = handle.model.sums.get(name)
            if family:  # a sum: its first term takes the value, the others 0
                for k in range(handle.slots[family]):
                    plain[f"{family}_{k}"] = values if k == 0 else np.zeros(len(index))
            elif name in handle.model.betas:  # g = norm*(a - b): a = g/norm, b = 0
                receptor = handle.model.betas[name]
                norm = np.asarray(getattr(handle.group, f"norm_{receptor}")[:])[index]
                plain[f"a_{receptor}"], plain[f"b_{receptor}"] = values / norm, 0 * norm
            else:
                plain[name] = values
        self._write(handle, index, plain)

    # -- spike sources -----------------------------------------------------------------------
    def _set_trains(self, handle, index, trains):
        """Replace the pending spikes of cells `index`; only times after now count."""
        now = self.step * self.dt
        lengths = np.array([len(t) for t in trains], dtype=np.int64)
        times = (np.concatenate([np.asarray(t, dtype=float) for t in trains]) if len(trains)
                 else np.empty(0))
        cells = np.repeat(np.asarray(index, dtype=np.int64), lengths)
        future = times > now + 1e-9 * self.dt
        old_cells, old_times = handle.pending
        keep = ~np.isin(old_cells, index)
        cells = np.concatenate([old_cells[keep], cells[future]])
        times = np.concatenate([old_times[keep], times[future]])
        order = np.lexsort((times, cells))
        handle.pending = (cells[order], times[order])
        # the generator fires in the step before the spike's grid time (see the module doc)
        bins = np.ceil(times / self.dt - 1e-9).astype(np.int64) - 1
        pairs = np.unique(np.stack([bins, cells]), axis=1) if len(bins) else np.empty((2, 0),
                                                                                     np.int64)
        if pairs.shape[1] < len(bins):  # NEST and NEURON send every one of them
            warnings.warn(f"Brian2 sends at most one spike per time step from a spike source "
                          f"cell: {len(bins) - pairs.shape[1]} of the spike times given fall "
                          f"in the step of another time of the same cell and are not sent")
        handle.group.set_spikes(pairs[1], pairs[0] * self.dt * b2.ms)

    # -- connections -------------------------------------------------------------------------
    def synapse_model(self, synapse_type, post_model, receptor_type):
        return synapse_models.synapse_model(synapse_type, post_model, receptor_type)

    def _synapse_group(self, pre, post, synapse, parameters):
        """(Synapses object, key, new): projections between the same groups with the same code
        share one Synapses object; a new one is not in the network yet."""
        on_pre = synapse.pre_code(parameters)
        key = (pre.base, post.base, synapse.equations, on_pre, synapse.on_post)
        synapses = self._shared.get(key)
        if synapses is not None:
            return synapses, key, False
        synapses = b2.Synapses(pre.base, post.base, synapse.equations, on_pre=on_pre,
                               on_post=synapse.on_post, clock=self.clock, namespace={},
                               name=self._name("synapses"))
        synapses.pre.when = "before_thresholds"
        return synapses, key, True

    def connect(self, pre, post, i, j, synapse, parameters, receptor_type):
        delay = np.asarray(parameters.get("delay", self.dt), dtype=float)
        if np.any(delay < self.dt - 1e-9 * self.dt):
            raise InvalidParameterValueError(f"Brian2: delays must be >= the time step "
                                             f"{self.dt} ms")
        self._build()
        if synapse.gap:
            return self._connect_gap(pre, post, i, j, synapse, parameters)
        if synapse.sites is not None:
            self._check_sites(parameters["n_syn"], np.inf)
        i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
        try:
            synapses, key, new = self._synapse_group(pre, post, synapse, parameters)
            start = len(synapses)
            # stored in presynaptic order: a spike's synapses are then contiguous in memory
            order = _stable_order(i)
            synapses.connect(i=i[order] + pre.offset, j=j[order] + post.offset)
        except Exception as error:  # noqa: BLE001 - nothing new is in the network
            raise InvalidParameterValueError(f"Brian2 could not build the synapses onto "
                                             f"{post.model.name}: {error}") from None
        ids = np.empty(len(i), dtype=np.int64)
        ids[order] = start + np.arange(len(i))
        negative = bool(np.any(np.asarray(parameters.get("w_syn", 0.0)) < 0)) or (
            receptor_type in _INHIBITORY and synapse.kind == "current")
        projection = Projection(synapses, ids, synapse, negative)
        self._set_synapses(projection, np.arange(len(i)),
                           {**self._initial_state(projection, parameters), **parameters})
        if new:
            self._shared[key] = synapses
            self._add(synapses)
        self._projections.append(projection)
        return projection

    @staticmethod
    def _initial_state(projection, parameters):
        """The synaptic state at creation (also what reset() restores: so are plastic
        weights)."""
        model, n = projection.model, len(projection.ids)
        if model.sites is not None:
            projection.sites = synapse_models.largest_n(parameters["n_syn"])
        state = {name: np.broadcast_to(np.asarray(parameters[value] if isinstance(value, str)
                                                  else value, dtype=float), n)
                 for name, value in model.initial.items()}
        projection.restore = {name: np.array(values) for name, values in state.items()}
        if model.plastic:
            projection.restore["w_syn"] = np.zeros(n)
        return state

    @staticmethod
    def _check_sites(n, sites):
        n = np.atleast_1d(np.asarray(n, dtype=float))
        wrong = (n < 1) | (n != np.round(n))
        if np.any(wrong):
            raise InvalidParameterValueError(f"Brian2: MultiQuantalSynapse n must be a whole "
                                             f"number >= 1, not {n[wrong][0]}")
        if np.any(n > sites):
            raise NotImplementedError(f"Brian2: MultiQuantalSynapse n cannot exceed {sites}, "
                                      f"the largest n of the projection when it was created")

    def _connect_gap(self, pre, post, i, j, synapse, parameters):
        """Gap junctions: one Synapses object per pair of HH groups whose summed currents
        g(v_pre - v_post) go to a slot gap_k of each group (see models.GAP_SLOTS); within one
        group every junction is two synapses, one per direction."""
        if not pre.model.gap_slots:
            raise ConnectionError(f"Brian2: gap junctions join HH_cond_exp cells; the source "
                                  f"cells are {pre.model.name}")
        i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
        if ("gap", pre.base, post.base) not in self._shared and (
                "gap", post.base, pre.base) in self._shared:
            pre, post, i, j = post, pre, j, i
        key, same = ("gap", pre.base, post.base), pre.base is post.base
        synapses = self._shared.get(key)
        new = synapses is None
        ends = {post.base: None} if same else {post.base: None, pre.base: None}
        if new:
            for base in ends:
                ends[base] = self._gap_slots.get(base, 0)
                if ends[base] >= models.GAP_SLOTS:
                    raise NotImplementedError(
                        f"Brian2: HH_cond_exp cells built together can have gap junctions with "
                        f"at most {models.GAP_SLOTS} groups of cells")
        source, target = (i, j) if not same else (np.concatenate([i, j]), np.concatenate([j, i]))
        try:
            if new:
                equations = (f"w_syn : 1\ngap_{ends[post.base]}_post = w_syn*(v_pre - v_post) "
                             f": 1 (summed)\n")
                if not same:
                    equations += (f"gap_{ends[pre.base]}_pre = w_syn*(v_post - v_pre) "
                                  f": 1 (summed)\n")
                synapses = b2.Synapses(pre.base, post.base, equations, clock=self.clock,
                                       namespace={}, name=self._name("gaps"))
            start = len(synapses)
            synapses.connect(i=source + pre.offset, j=target + post.offset)
        except Exception as error:  # noqa: BLE001 - nothing new is in the network
            raise InvalidParameterValueError(f"Brian2 could not build the gap junctions: "
                                             f"{error}") from None
        projection = Projection(synapses, start + np.arange(len(i)), synapse)
        if same:
            projection.twins = projection.ids + len(i)
        self._set_synapses(projection, np.arange(len(i)), parameters)
        if new:
            for base, slot in ends.items():
                self._gap_slots[base] = slot + 1
            self._shared[key] = synapses
            self._add(synapses)
        self._projections.append(projection)
        return projection

    @staticmethod
    def _generator(rule, p, pre, post):
        """Synapses.connect() keywords for a rule of Driver.connect_rule, in indices of the
        shared groups. Deterministic rules give index arrays (a generator would run one Python
        step per cell with the numpy target). Random ones give generator syntax that runs over
        every cell of the outer group and yields nothing for those outside the handle's slice
        (an empty range). Brian2 takes no range bounds or sizes depending on j, so a post-side
        generator would still sample for every cell of the group: fixed_number_pre is offered
        only for a post handle that is its whole group (else numpy in the core is faster).
        Self-connections (pre is post) are skipped with a condition, or for a fixed number by
        sampling among the n - 1 others and stepping over the cell itself."""
        a, b, c, d = pre.offset, pre.offset + pre.n, post.offset, post.offset + post.n
        no_self = int(not p.get("allow_self_connections", True))
        if rule == "all_to_all":  # in presynaptic order, as connect() stores them
            i, j = np.divmod(np.arange(pre.n * post.n, dtype=np.int64), post.n)
            keep = (i != j) | (not no_self)
            return {"i": i[keep] + a, "j": j[keep] + c}
        if rule == "one_to_one":
            return {"i": np.arange(a, b), "j": np.arange(c, d)}
        end = f"{c} + {d - c}*int(i >= {a} and i < {b})"  # of post cells for pre cell i
        unless_self = " if k != i" if no_self else ""
        if rule == "fixed_probability":
            return {"j": f"k for k in sample({c}, {end}, p={float(p['p'])!r}){unless_self}"}
        if rule == "fixed_number_pre" and not p["with_replacement"] and post.n == post.base.N:
            step = " + int(k >= j)" if no_self else ""
            return {"i": f"k{step} for k in sample({a}, {b - no_self}, size={int(p['n'])})"}
        if rule == "fixed_number_post" and not p["with_replacement"]:
            step = " + int(k >= i)" if no_self else ""
            return {"j": f"k{step} for k in sample({c}, {end} - {no_self}, "
                         f"size={int(p['n'])})"}
        raise NotImplementedError(f"Brian2 has no connection rule for {rule} {p}")

    def connect_rule(self, pre, post, rule, rule_parameters, synapse, parameters, receptor_type,
                     seed):
        """Synapses.connect() with generator syntax (sample(p=...), sample(size=...)) or
        index arrays (see _generator) on the Synapses object the projections between these
        groups share; the synapses made are read back as arrays when first needed. A seed
        reseeds Brian2 (b2.seed)."""
        self._build()  # gives the handles their offsets
        generator = self._generator(rule, rule_parameters, pre, post)
        if parameters.get("delay", self.dt) < self.dt * (1 - 1e-9):
            raise InvalidParameterValueError(f"Brian2: delays must be >= the time step "
                                             f"{self.dt} ms")
        if synapse.initial or synapse.gap:
            raise NotImplementedError("Brian2 builds connections by its rules only for synapses "
                                      "without state")
        synapses, key, new = self._synapse_group(pre, post, synapse, parameters)
        start = len(synapses)
        if seed is not None:
            b2.seed(int(seed) % (2 ** 32))
        try:
            synapses.connect(**generator, namespace={})
        except Exception as error:  # noqa: BLE001 - Brian2 raises many kinds
            raise InvalidParameterValueError(f"Brian2 could not build the synapses of rule "
                                             f"{rule} onto {post.model.name}: {error}") from None
        made = slice(start, len(synapses))
        projection = Projection(synapses, None, synapse)
        projection.unread = (made, pre.offset, post.offset)
        self._write_ids(synapses, [made], parameters, made.stop - start)
        if new:
            self._shared[key] = synapses
            self._add(synapses)
        self._projections.append(projection)
        return projection, made.stop - start

    def rule_connections(self, projection):
        return projection.connections()

    def set_synapses(self, projection, index, parameters):
        if "delay" in parameters and np.any(np.asarray(parameters["delay"]) <
                                            self.dt * (1 - 1e-9)):
            raise InvalidParameterValueError(f"Brian2: delays must be >= the time step "
                                             f"{self.dt} ms")
        self._set_synapses(projection, np.asarray(index, dtype=np.int64), parameters)

    def _set_synapses(self, projection, index, parameters):
        model = projection.model
        if model.sites is not None and "n_syn" in parameters:
            self._check_sites(parameters["n_syn"], projection.sites)
        self._write_synapses(projection, index, parameters)
        for name, values in parameters.items():
            if name in projection.restore:
                projection.restore[name][index] = values
        if model.plastic and "w_syn" in parameters:
            weights = np.broadcast_to(np.asarray(parameters["w_syn"], dtype=float), len(index))
            projection.negative |= bool(np.any(weights < 0))
            sign = np.where(weights == 0, -1.0 if projection.negative else 1.0,
                            np.sign(weights))
            self._write_synapses(projection, index, {"w_sign_syn": sign})
        if model.sites is not None and "n_syn" in parameters:
            projection.restore["a_syn"][index] = parameters["n_syn"]
            available = self.get_synapses(projection, ["a_syn"])["a_syn"][index]
            self._write_synapses(projection, index, {"a_syn": np.minimum(
                available, parameters["n_syn"])})
        if model.on_post and {"delay", "dendritic_delay_fraction_syn"} & set(parameters):
            self._post_delays(projection, index)

    def _write_synapses(self, projection, index, values):
        """Write native values (delays: of the transmitting pathway) of connections `index`."""
        ids = [projection.ids[index]]
        if projection.twins is not None:
            ids.append(projection.twins[index])
        self._write_ids(projection.synapses, ids, values, len(index))

    def _write_ids(self, synapses, ids, values, n):
        """Write native values of `n` synapses, each of `ids` (index arrays or slices)."""
        for name, column in values.items():
            column = np.broadcast_to(np.asarray(column, dtype=float), n)
            if name == "delay":  # the pathway delivers one step after it sees a spike
                delays = synapses.pre.variables["delay"]  # (Brian2 2.9: only here)
                delays.get_value()[ids[0]] = (column - self.dt) * 1e-3
                continue
            for k in ids:
                synapses.variables[name].get_value()[k] = column

    def _post_delays(self, projection, index):
        """STDP: the rule sees post spikes 2·f·d after they happen (see synapses.py), handled
        in the last step that starts before then (in their own step if f·d = 0); the rest of
        that lag, up to one step, is added to the event's time (t_res_syn)."""
        ids = projection.ids[index]
        synapses = projection.synapses
        delay = np.round(synapses.pre.variables["delay"].get_value()[ids] * 1e3 / self.dt) + 1
        fraction = synapses.variables["dendritic_delay_fraction_syn"].get_value()[ids]
        lag = 2 * fraction * delay  # in steps
        steps = np.maximum(np.ceil(lag - 1e-9) - 1, 0)
        rest = np.where(lag > 1e-9, (lag - steps) * self.dt, 0.0)
        synapses.post.variables["delay"].get_value()[ids] = steps * self.dt * 1e-3
        synapses.variables["t_res_syn"].get_value()[ids] = rest

    def initialize_synapses(self, projection, index, state):
        self._set_synapses(projection, np.asarray(index, dtype=np.int64), state)

    def get_synapses(self, projection, names):
        out = {}
        for name in names:
            if name == "delay":
                delays = projection.synapses.pre.variables["delay"].get_value()
                out[name] = np.array(delays[projection.ids], dtype=float) * 1e3 + self.dt
            else:
                values = projection.synapses.variables[name].get_value()
                out[name] = np.array(values[projection.ids], dtype=float)
        return out

    # -- recording ---------------------------------------------------------------------------
    def record(self, handle, index, variables, interval):
        index = np.unique(np.asarray(index, dtype=np.int64))
        self._build()
        for variable in variables:
            if variable == "spikes":
                handle.spikes.begin(index, self.step)
                if handle.model.kind != "source" and handle.monitor is None:
                    monitor = self._spike_monitors.get(handle.base)
                    if monitor is None:
                        monitor = b2.SpikeMonitor(handle.base, name=self._name("spikes"))
                        self._spike_monitors[handle.base] = monitor
                        self._add(monitor)
                    handle.monitor = monitor
                continue
            signal = handle.signals.setdefault(variable,
                                               _Signal(handle.n, self._steps(interval)))
            signal.interval = self._steps(interval)
            signal.begin(index, self.step)
            new = index[~signal.monitored[index]]
            if len(new):
                monitor = b2.StateMonitor(handle.base, variable, record=new + handle.offset,
                                           clock=self.clock, name=self._name("signal"))
                self._add(monitor)
                signal.monitors.append((monitor, new))
                signal.monitored[new] = True

    def stop_recording(self, handle, index, variables):
        index = np.unique(np.asarray(index, dtype=np.int64))
        for variable in variables:
            recording = handle.spikes if variable == "spikes" else handle.signals.get(variable)
            if recording is not None:
                recording.end(index, self.step)

    def read_spikes(self, handle):
        if handle.model.kind == "source":
            index, times = handle.emitted
        elif handle.monitor is None:
            return np.empty(0, dtype=np.int64), np.empty(0)
        else:
            index = np.asarray(handle.monitor.i[:], dtype=np.int64) - handle.offset
            steps = np.round(np.asarray(handle.monitor.t_[:]) * 1e3 / self.dt) + 1
            times = steps * self.dt
            mine = (index >= 0) & (index < handle.n)
            index, times = index[mine], times[mine]
        return handle.spikes.recorded(index, times, self.dt, handle.period_start)

    def read_signal(self, handle, variable):
        signal = handle.signals.get(variable)
        if signal is None:
            return np.empty(0, dtype=np.int64), np.empty((1, 0))
        grid = SampleGrid(signal, handle.period_start, self.step, signal.interval)
        for monitor, index in signal.monitors:
            steps = np.round(np.asarray(monitor.t_[:]) * 1e3 / self.dt).astype(np.int64)
            grid.fill_rows(steps, index, np.asarray(getattr(monitor, variable + "_")).T)
        if (self.step - handle.period_start) % signal.interval == 0 and len(grid.cells):
            grid.values[-1] = np.asarray(getattr(handle.group, variable + "_")[:])[grid.cells]
        return grid.result()

    def clear_recordings(self, handle):
        handle.period_start = self.step
        handle.emitted = (np.empty(0, np.int64), np.empty(0))

    # -- electrodes --------------------------------------------------------------------------
    def inject(self, kind, parameters, handle, index):
        if kind not in _KINDS:
            raise NotImplementedError(f"Brian2 has no current source {kind}")
        self._build()
        source = Source(kind, dict(parameters), handle, np.unique(np.asarray(index)))
        handle.sources.append(source)
        self._rebuild_bank(handle)
        return source

    def update_source(self, source, parameters):
        old = source.parameters
        source.parameters = dict(parameters)
        try:
            self._rebuild_bank(source.cells)
        except Exception:
            source.parameters = old
            raise

    def _rebuild_bank(self, handle):
        """One unit per electrode of `handle`, its current a closed form of the time step,
        summed onto I_inj of the cells it drives. Replaces the previous bank."""
        sources = handle.sources
        n = len(sources)
        kinds = np.array([_KINDS[s.kind] for s in sources])
        columns = np.cumsum(kinds == 2) - 1
        steps_sources = [s for s in sources if s.kind == "StepCurrentSource"]
        namespace = {}
        step_term = ""
        if steps_sources:
            last = max([self._steps(np.max(s.parameters["times"], initial=0.0))
                        for s in steps_sources])
            grid = np.arange(last + 1)
            table = np.column_stack([current("StepCurrentSource", s.parameters, grid, self.dt)
                                     for s in steps_sources])
            namespace["step_values"] = b2.TimedArray(table, dt=self.dt * b2.ms,
                                                      name=handle.key + "_steps")
            step_term = " + int(kind == 2)*step_values(t, column)"
        equations = (
            "k_now = int(t/dt + 0.5) : 1\n"
            "inside = int(k_now >= start_step)*int(k_now < stop_step) : 1\n"
            "I = inside*(int(kind == 0)*amplitude + int(kind == 1)*(offset + amplitude*"
            "sin(2*pi*frequency*(k_now - start_step)*dt/second + 2*pi*phase/360)))"
            f"{step_term} : 1\n"
            "kind : integer\ncolumn : integer\namplitude : 1\noffset : 1\nfrequency : 1\n"
            "phase : 1\nstart_step : 1\nstop_step : 1\n")
        bank = b2.NeuronGroup(n, equations, clock=self.clock, namespace=namespace,
                              name=handle.key + "_electrodes")
        values = {name: np.array([float(s.parameters.get(name, 0.0)) for s in sources])
                  for name in ("amplitude", "offset", "frequency", "phase")}
        values["start_step"] = np.array([np.round(s.parameters.get("start", 0.0) / self.dt)
                                         for s in sources])
        values["stop_step"] = np.array([np.round(min(s.parameters.get("stop", 0.0), 1e15)
                                                 / self.dt) for s in sources])
        for name, array in values.items():
            bank.variables[name].get_value()[:] = array
        bank.variables["kind"].get_value()[:] = kinds
        bank.variables["column"].get_value()[:] = np.maximum(columns, 0)
        unit = np.concatenate([np.full(len(s.index), k) for k, s in enumerate(sources)])
        cell = np.concatenate([s.index for s in sources])
        links = b2.Synapses(bank, handle.group, "I_inj_post = I_pre : 1 (summed)",
                            clock=self.clock, namespace=namespace,
                            name=handle.key + "_electrode_links")
        links.connect(i=unit, j=cell)
        # Brian2 schedules a summed variable before its target group, except when the target
        # is a Subgroup (then both have order 0 and the names decide): say it explicitly
        links.summed_updaters["I_inj_post"].order = handle.base.order - 1
        self._remove(*handle.bank)
        handle.bank = (bank, links)
        self._add(bank, links)
