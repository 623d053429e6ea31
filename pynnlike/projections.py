"""Projection: a connector's ConnectionSet, checked, handed to the driver and kept in the core.

The core keeps every connection (i, j and each synapse parameter, standard units, in connection
order: by post index, then pre index), so `get` returns exactly what was set on every backend and
`reset` can restore user-set values. Connections between the members of Assemblies go to the driver
as one bulk call per (pre member, post member) pair.

Under MPI, a connector that can build the columns of one process alone (PhiloxRNG) gives each
process only the connections onto its cells (`_local_only`), so memory and drawing time are
shared out; gathered results, sizes, random and connection-order values of `set` are the same as
with every connection on every process.
"""
import copy
import numbers
import warnings
from functools import cached_property

import numpy as np
import quantities as pq
from lazyarray import larray

from . import errors, mpi
from .connectors import Connector, global_positions
from .core import IndexBasedExpression
from .descriptions import render
from .populations import Assembly, BasePopulation, Population
from .random import RandomDistribution
from .recording.files import StandardTextFile
from .space import Space
from .standardmodels import StandardSynapseType, check_delays, check_weights
from .standardmodels.synapses import (ElectricalSynapse, MultiQuantalSynapse,
                                      SimpleStochasticSynapse, StaticSynapse,
                                      StochasticTsodyksMarkramSynapse)
from .standardmodels.translations import translate

_COMBINE = ("last", "first", "sum", "min", "max")
_GAP = "source_section.gap"
# kept whole on every process: gap junctions need both sides where each cell lives; stochastic
# release streams are keyed by the connection's place in the list the driver is given
_WHOLE_LIST = (ElectricalSynapse, SimpleStochasticSynapse, StochasticTsodyksMarkramSynapse,
               MultiQuantalSynapse)


class Projection:
    """All connections from one group of cells to another, with one synapse type."""

    def __init__(self, presynaptic_neurons, postsynaptic_neurons, connector, synapse_type=None,
                 source=None, receptor_type=None, space=Space(), label=None):
        for side in (presynaptic_neurons, postsynaptic_neurons):
            if not isinstance(side, (BasePopulation, Assembly)):
                raise errors.ConnectionError(f"a Projection connects Populations, views or "
                                             f"Assemblies, not {type(side).__name__}")
        if not isinstance(connector, Connector):
            raise TypeError(f"connector must be a Connector, not {type(connector).__name__}")
        synapse_type = StaticSynapse() if synapse_type is None else synapse_type
        if not isinstance(synapse_type, StandardSynapseType):
            raise TypeError(f"synapse_type must be a synapse type, not "
                            f"{type(synapse_type).__name__}")
        if isinstance(postsynaptic_neurons, Assembly) and len(
                {p.conductance_based for p in postsynaptic_neurons.populations}) > 1:
            raise errors.ConnectionError("a post-synaptic Assembly mixes conductance- and "
                                         "current-based cells")
        self.pre, self.post = presynaptic_neurons, postsynaptic_neurons
        self._simulation = presynaptic_neurons._simulation
        self._simulation.require_setup()
        self.connector, self.synapse_type, self.source, self.space = (connector, synapse_type,
                                                                      source, space)
        self.label = label or (f"{self.pre.label}→{self.post.label}"
                               if self.pre.label and self.post.label else None)
        self.annotations = {}
        self.synapse_values = self._raw_synapse_values()
        self.receptor_type = self._resolve_receptor(receptor_type)
        self._check_gap(source)

        self._unread = None  # reads a simulator rule's connections when first needed
        self._local_only = False  # True: this process holds only the connections onto its cells
        groups = self._connect_by_rule()
        if groups is None:
            connections = connector.connect(self)
            self._keep(connections)
        self.initial_values = {name: np.full(self._size, value, dtype=float) for name, value
                               in synapse_type.default_initial_values.items()}
        self._groups = self._connect() if groups is None else groups
        self._send_state(self.initial_values)
        self._simulation.projections.append(self)

    # -- construction ------------------------------------------------------------------------
    def _keep(self, connections):
        """Keep a ConnectionSet's connections and checked values in the core."""
        self._i, self._j = connections.i, connections.j
        self._values = self._checked(dict(connections.parameters), list(connections.parameters))
        self._size = len(self._i)
        self._local_only = connections.local
        if self._local_only:
            self._share_delay_range()

    def __getattr__(self, name):
        """The connections of a simulator's rule come into the core at their first use."""
        if name in ("_i", "_j", "_values") and self.__dict__.get("_unread") is not None:
            read, self._unread = self._unread, None
            read()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _raw_synapse_values(self):
        """Synapse parameter values as given, delay None -> min_delay, in draw order
        (gap junctions have no delay)."""
        values = {name: value.base_value if isinstance(value, larray) else value
                  for name, value in self.synapse_type.parameter_space.items()}
        if "delay" in self.synapse_type.default_parameters and values.get("delay") is None:
            values["delay"] = self._simulation.min_delay
        ordered = {name: values.pop(name) for name in ("weight", "delay") if name in values}
        ordered.update(values)
        return ordered

    def _resolve_receptor(self, receptor_type):
        receptors = list(self.post.receptor_types)
        if receptor_type in (None, "default"):
            if len(receptors) == 1:
                return receptors[0]
            if not receptors:
                raise errors.ConnectionError(f"{self.post.label} has no receptor types")
            return receptors[0] if self._last_weight() >= 0 else receptors[1]
        if receptor_type not in receptors:
            raise errors.ConnectionError(f"receptor type {receptor_type!r} is not one of "
                                         f"{receptors} of {self.post.label}")
        return receptor_type

    def _check_gap(self, source):
        """Gap junctions (ElectricalSynapse) and only they use the receptor and source
        'source_section.gap'; point neurons have no other source."""
        gap = isinstance(self.synapse_type, ElectricalSynapse)
        if gap != (self.receptor_type == _GAP):
            raise errors.ConnectionError(
                f"ElectricalSynapse needs receptor_type={_GAP!r}, and that receptor type takes "
                f"only ElectricalSynapse (got {type(self.synapse_type).__name__} onto "
                f"{self.receptor_type!r})")
        if source not in (None, _GAP) or (source == _GAP and not gap):
            raise errors.ConnectionError(f"source {source!r}: point neurons have no source "
                                         f"but {_GAP!r}, for ElectricalSynapse")

    def _last_weight(self):
        weight = self.synapse_values.get("weight", 0.0)
        if isinstance(weight, RandomDistribution):
            return weight.next()
        if callable(weight) or isinstance(weight, str):
            return self._evaluate(weight, np.array([self.pre.size - 1]),
                                  np.array([self.post.size - 1]))[0]
        weight = np.asarray(weight, dtype=float)
        return weight[-1, -1] if weight.ndim == 2 else weight.flat[-1]

    def _checked(self, values, names):
        """Round delays to the grid and check delays and weight signs."""
        if "delay" in names:
            values["delay"] = self._simulation.round_to_grid(values["delay"])
            check_delays(values["delay"], self)
        if "weight" in names and self.connector.safe:
            check_weights(values["weight"], self)
        return values

    @staticmethod
    def _parts(side):
        members = side.populations if isinstance(side, Assembly) else [side]
        offsets = np.cumsum([0] + [m.size for m in members])
        return members, offsets

    def _connect(self):
        """One driver call per (pre member, post member) pair; returns the groups."""
        sim = self._simulation
        pre_members, pre_offsets = self._parts(self.pre)
        post_members, post_offsets = self._parts(self.post)
        whole = len(pre_members) == len(post_members) == 1  # one group: no search, no copies
        gi = 0 if whole else np.searchsorted(pre_offsets, self._i, side="right") - 1
        gj = 0 if whole else np.searchsorted(post_offsets, self._j, side="right") - 1
        groups = []
        for a, pre in enumerate(pre_members):
            for b, post in enumerate(post_members):
                positions = (np.arange(len(self._i)) if whole
                             else np.flatnonzero((gi == a) & (gj == b)))
                if not positions.size:
                    continue
                model = sim.driver.synapse_model(self.synapse_type, post._root._model,
                                                 self.receptor_type)
                values = self._values if whole else {name: v[positions]
                                                     for name, v in self._values.items()}
                i = self._i if whole else self._i[positions] - pre_offsets[a]
                j = self._j if whole else self._j[positions] - post_offsets[b]
                handle = sim.driver.connect(
                    pre._root._handle, post._root._handle,
                    i if pre._root is pre else pre._index[i],
                    j if post._root is post else post._index[j],
                    model, translate(model.parameters, values), self.receptor_type)
                groups.append((positions, model, handle))
        return groups

    def _connect_by_rule(self):
        """Let the simulator choose the connections by its own rule (Connector.native_rule):
        between whole Populations, with a static synapse whose values are all plain numbers,
        checked before anything is built and the same for every connection, so the connections
        come into the core only when first needed (reading them from NEST is slow). Returns the
        groups, or None when the connector or the driver offers no rule."""
        if not (isinstance(self.pre, Population) and isinstance(self.post, Population)
                and type(self.synapse_type) is StaticSynapse
                and all(isinstance(v, numbers.Real) for v in self.synapse_values.values())):
            return None
        rule = self.connector.native_rule(self)
        if rule is None:
            return None
        driver = self._simulation.driver
        model = driver.synapse_model(self.synapse_type, self.post._model, self.receptor_type)
        values = self._checked({name: np.array([float(value)]) for name, value
                                in self.synapse_values.items()}, list(self.synapse_values))
        native = {name: float(np.ravel(value)[0])
                  for name, value in translate(model.parameters, values).items()}
        try:
            handle, n = driver.connect_rule(self.pre._handle, self.post._handle, rule[0],
                                            rule[1], model, native, self.receptor_type, rule[2])
        except NotImplementedError:
            return None
        self._size = n
        self._unread = lambda: self._keep(self.connector.values_for(
            self, *driver.rule_connections(handle)))
        return [(np.arange(n), model, handle)] if n else []

    # -- sizes -------------------------------------------------------------------------------
    @property
    def shape(self):
        return (self.pre.size, self.post.size)

    def __len__(self):
        """Connections on this MPI rank (those onto its cells)."""
        return self._size if self._simulation.num_processes == 1 or self._local_only else \
            int(self._local_connections().sum())

    def size(self, gather=True):
        several = self._simulation.num_processes > 1
        return mpi.allsum(len(self)) if gather and several else len(self)

    def _local_posts(self):
        """Which post cells live on this rank."""
        members, _ = self._parts(self.post)
        return np.concatenate([m._local for m in members])

    def _local_connections(self):
        """Which connections live on this rank: those whose post cell does."""
        if self._local_only:
            return np.ones(self._size, dtype=bool)
        return self._local_posts()[self._j]

    def _own_columns(self):
        """Post indices whose connections a connector may build alone on this rank (and the
        projection then keeps only those), or None to build and keep every connection: one
        process, or synapse types needing the whole list on every rank (_WHOLE_LIST)."""
        if self._simulation.num_processes == 1 or isinstance(self.synapse_type, _WHOLE_LIST):
            return None
        return np.flatnonzero(self._local_posts())

    @cached_property
    def _places(self):
        """(place of each local connection in the connection order of all ranks, number of
        connections of all ranks), for set() with values given for every connection.
        Collective; computed once (the connections never change)."""
        counts = mpi.allsum(np.bincount(self._j, minlength=self.post.size))
        return global_positions(self._j, counts), int(counts.sum())

    def _columns(self, names, gather):
        """[i, j, values of each name] of this rank's connections, or with `gather` of all
        connections, in connection order."""
        columns = [self._i, self._j] + [self._current(name) for name in names]
        if self._simulation.num_processes == 1:
            return columns
        local = self._local_connections()
        columns = [c[local] for c in columns]
        return mpi.gather_sorted(columns, key=1) if gather else columns

    def _delays(self):
        """The delays, or the one delay of connections not yet read, or with only this rank's
        connections the smallest and largest of all ranks; None without connections or delays
        (gap junctions)."""
        if self._local_only:
            return self._delay_range
        if not self._size or "delay" not in self.synapse_values:
            return None
        return self._values["delay"] if self._unread is None else \
            self._simulation.round_to_grid(self.synapse_values["delay"])

    def _share_delay_range(self):
        """With only this rank's connections: the smallest and largest delay of all ranks
        (collective), so that 'auto' min/max delays are the same on every rank."""
        delays = self._values.get("delay", np.empty(0))
        ends = [e for e in mpi.allgather([delays.min(), delays.max()] if delays.size else None)
                if e is not None]
        self._delay_range = np.concatenate(ends) if ends else None

    def _min_delay(self):
        delays = self._delays()
        return None if delays is None else np.min(delays)

    def _max_delay(self):
        delays = self._delays()
        return None if delays is None else np.max(delays)

    # -- values ------------------------------------------------------------------------------
    def _check_names(self, names):
        valid = list(self._values) + list(self.initial_values)
        for name in names:
            if name not in valid:
                raise errors.NonExistentParameterError(name, type(self.synapse_type).__name__,
                                                       valid)

    def _positions(self):
        return self.pre.positions, self.post.positions

    def _distances(self, i, j):
        pre_positions, post_positions = self._positions()
        distances = np.empty(len(i))
        for column in np.unique(j):
            at = np.flatnonzero(j == column)
            distances[at] = self.space.distances(pre_positions[:, i[at]],
                                                 post_positions[:, [column]])[:, 0]
        return distances

    def _standard_unit(self, name):
        """Unit of a synapse attribute; a weight's is the target's (nA, µS or mV)."""
        if name != "weight":
            return self.synapse_type.units.get(name)
        celltype = self._parts(self.post)[0][0].celltype
        return "mV" if celltype.voltage_based_synapses else \
            "uS" if self.post.conductance_based else "nA"

    def _in_standard_units(self, name, value):
        unit = self._standard_unit(name)
        target = pq.dimensionless if unit in (None, "", "dimensionless") else pq.Quantity(1.0,
                                                                                          unit)
        try:
            return value.rescale(target.units).magnitude
        except ValueError:
            raise errors.InvalidParameterValueError(
                f"{type(self.synapse_type).__name__}: {name!r} is in {unit or 'no unit'} here; "
                f"a value in {value.dimensionality.string} has the wrong dimension") from None

    def _evaluate(self, value, i, j, name=None, places=None):
        """A user value (any kind of §3.6) -> one float per connection (i, j). `places`:
        (positions, total) when (i, j) are one rank's share of `total` connections; random
        values and lists in connection order are then drawn/given for all and picked."""
        n = len(i)
        positions, total = (None, n) if places is None else places
        if isinstance(value, pq.Quantity):
            value = self._in_standard_units(name, value)
        if isinstance(value, RandomDistribution):
            return np.asarray(value.next(total, mask=positions), dtype=float).reshape(n)
        if isinstance(value, IndexBasedExpression):
            expression = copy.copy(value)
            expression.projection = self
            return np.broadcast_to(np.asarray(expression(i, j), dtype=float), (n,)).copy()
        if isinstance(value, str):
            d = self._distances(i, j)
            return np.broadcast_to(np.asarray(eval(value, vars(np), {"d": d}), dtype=float),
                                   (n,)).copy()
        if callable(value):
            return np.broadcast_to(np.asarray(value(self._distances(i, j)), dtype=float),
                                   (n,)).copy()
        array = np.asarray(value, dtype=float)
        if array.ndim == 0:
            return np.full(n, float(array))
        if array.shape == self.shape:
            return array[i, j]
        if array.shape == (total,):
            return array.copy() if positions is None else array[positions]
        raise errors.InvalidDimensionsError(
            f"expected a number, a {self.shape} array or {total} values in connection order, "
            f"got shape {array.shape}")

    def set(self, **attributes):
        self._check_names(attributes)
        places = self._places if self._local_only else None
        self._store({name: self._evaluate(value, self._i, self._j, name, places)
                     for name, value in attributes.items()})
        if "delay" in attributes and self._local_only:
            self._share_delay_range()

    def _store(self, values):
        """Keep and send {name: one value per connection held here}; not collective (a
        Connection's attribute is set on its rank alone)."""
        state = {name: values.pop(name) for name in list(values) if name in self.initial_values}
        values = self._checked(values, list(values))
        merged = {**self._values, **values}
        driver = self._simulation.driver
        if values:
            for positions, model, handle in self._groups:
                group = {name: v[positions] for name, v in merged.items()}
                driver.set_synapses(handle, np.arange(len(positions)),
                                    translate(model.parameters, group, list(values)))
        self._values.update(values)
        if state:
            self._send_state({**self.initial_values, **state}, list(state))
        self.initial_values.update(state)

    def _send_state(self, state, changed=None):
        """Hand initial synapse state (standard names, connection order) to the driver, which
        also restores it at reset()."""
        driver = self._simulation.driver
        for positions, model, handle in self._groups:
            group = {name: v[positions] for name, v in state.items()}
            native = translate(model.state, group, changed) if state else {}
            if native:
                driver.initialize_synapses(handle, np.arange(len(positions)), native)

    def initialize(self, **initial_values):
        for name in initial_values:
            if name not in self.initial_values:
                raise errors.NonExistentParameterError(
                    name, type(self.synapse_type).__name__, list(self.initial_values))
        self.set(**initial_values)

    def _current(self, name):
        """Values in connection order; weights the simulator changes (plasticity) are read
        back from it."""
        if name == "weight" and getattr(self.synapse_type, "weights_change", False):
            weights = self._values["weight"].copy()
            driver = self._simulation.driver
            for positions, model, handle in self._groups:
                translation = model.parameters["weight"]
                native = driver.get_synapses(handle, list(translation.native_inputs))
                weights[positions] = translation.reverse(
                    *[native[n] for n in translation.native_inputs])
            return weights
        return self._values[name] if name in self._values else self.initial_values[name]

    def get(self, attribute_names, format, gather=True, with_address=True,
            multiple_synapses="sum"):
        names = [attribute_names] if isinstance(attribute_names, str) else list(attribute_names)
        self._check_names(names)
        i, j, *columns = self._columns(names, gather)
        if format == "list":
            columns = [c.tolist() for c in columns]
            if with_address:
                return list(zip(i.tolist(), j.tolist(), *columns))
            if isinstance(attribute_names, str):
                return columns[0]
            return list(zip(*columns))
        if format == "array":
            if multiple_synapses not in _COMBINE:
                raise ValueError(f"multiple_synapses must be one of {_COMBINE}, not "
                                 f"{multiple_synapses!r}")
            arrays = [self._as_array(i, j, c, multiple_synapses) for c in columns]
            return arrays[0] if isinstance(attribute_names, str) else arrays
        raise ValueError(f"format must be 'list' or 'array', not {format!r}")

    def _as_array(self, i, j, values, combine):
        array = np.full(self.shape, np.nan)
        flat = i * self.shape[1] + j
        if combine in ("last", "first"):
            order = np.arange(len(flat))[::-1] if combine == "last" else np.arange(len(flat))
            _, first = np.unique(flat[order], return_index=True)
            chosen = order[first]
            array.flat[flat[chosen]] = values[chosen]
        elif combine == "sum":
            total = np.zeros(array.size)
            np.add.at(total, flat, values)
            array.flat[np.unique(flat)] = total[np.unique(flat)]
        else:
            getattr(np, "fmin" if combine == "min" else "fmax").at(array.reshape(-1), flat, values)
        return array

    def save(self, attribute_names, file, format="list", gather=True, with_address=True):
        if attribute_names in ("all", "connections"):
            attribute_names = list(self._values)
        names = [attribute_names] if isinstance(attribute_names, str) else list(attribute_names)
        if format == "list":
            columns = self._columns(names, gather)
            columns = columns if with_address else columns[2:]
            data = np.column_stack(columns) if columns else np.empty((0, 0))
        else:
            data = np.vstack([np.nan_to_num(a) for a in self.get(names, "array", gather)])
        metadata = {"columns": (["i", "j"] if with_address else []) + names}
        sim = self._simulation
        if sim.num_processes > 1 and not gather:  # every rank its own file (§12)
            file = f"{file}.{sim.mpi_rank}" if isinstance(file, str) else file
        elif sim.mpi_rank != 0:
            return
        file = StandardTextFile(file, mode="w") if isinstance(file, str) else file
        file.write(data, metadata)
        file.close()

    # -- connections as objects --------------------------------------------------------------
    def _local_positions(self):
        return np.arange(len(self._i)) if self._simulation.num_processes == 1 else \
            np.flatnonzero(self._local_connections())

    def __getitem__(self, k):
        """The k-th connection of this rank."""
        if not -len(self) <= k < len(self):
            raise IndexError(f"connection {k} out of range ({len(self)} connections)")
        return Connection(self, int(self._local_positions()[k]))

    def __iter__(self):
        return (Connection(self, k) for k in self._local_positions().tolist())

    @property
    def connections(self):
        return iter(self)

    # -- the rest ----------------------------------------------------------------------------
    def annotate(self, **annotations):
        self.annotations.update(annotations)

    def describe(self, template="projection_default.txt", engine="default"):
        context = {"label": self.label, "pre": self.pre.describe(template=None),
                   "post": self.post.describe(template=None), "source": self.source,
                   "receptor_type": self.receptor_type, "size_local": len(self),
                   "size": self.size(), "connector": self.connector.describe(template=None),
                   "plasticity": self.synapse_type.describe(template=None)}
        return render(engine, template, context)

    def __repr__(self):
        return f"Projection({self.label!r}, {len(self)} connections)"

    # -- deprecated --------------------------------------------------------------------------
    def _deprecated(self, old, new):
        warnings.warn(f"Projection.{old}() is deprecated, use {new}", DeprecationWarning,
                      stacklevel=3)

    def setWeights(self, w):
        self._deprecated("setWeights", "set(weight=...)")
        self.set(weight=w)

    def randomizeWeights(self, rand_distr):
        self._deprecated("randomizeWeights", "set(weight=...)")
        self.set(weight=rand_distr)

    def setDelays(self, d):
        self._deprecated("setDelays", "set(delay=...)")
        self.set(delay=d)

    def randomizeDelays(self, rand_distr):
        self._deprecated("randomizeDelays", "set(delay=...)")
        self.set(delay=rand_distr)

    def setSynapseDynamics(self, param, value):
        self._deprecated("setSynapseDynamics", "set()")
        self.set(**{param: value})

    def randomizeSynapseDynamics(self, param, rand_distr):
        self._deprecated("randomizeSynapseDynamics", "set()")
        self.set(**{param: rand_distr})

    def getWeights(self, format="list", gather=True):
        self._deprecated("getWeights", "get('weight', format=...)")
        return self.get("weight", format, gather, with_address=False)

    def getDelays(self, format="list", gather=True):
        self._deprecated("getDelays", "get('delay', format=...)")
        return self.get("delay", format, gather, with_address=False)

    def getSynapseDynamics(self, parameter_name, format="list", gather=True):
        self._deprecated("getSynapseDynamics", "get()")
        return self.get(parameter_name, format, gather, with_address=False)

    def saveConnections(self, file, gather=True, compatible_output=True):
        self._deprecated("saveConnections", "save('all', file)")
        self.save("all", file, gather=gather)

    def printWeights(self, file, format="list", gather=True):
        self._deprecated("printWeights", "save('weight', file)")
        self.save("weight", file, format, gather)

    def printDelays(self, file, format="list", gather=True):
        self._deprecated("printDelays", "save('delay', file)")
        self.save("delay", file, format, gather)

    def weightHistogram(self, min=None, max=None, nbins=10):
        self._deprecated("weightHistogram", "numpy.histogram of get('weight', 'list')")
        weights = self._columns(["weight"], True)[2]
        low = weights.min() if min is None else min
        high = weights.max() if max is None else max
        return np.histogram(weights, bins=nbins, range=(low, high))


class _UnknownAttribute(errors.NonExistentParameterError, AttributeError):
    """An unknown synapse attribute: a NonExistentParameterError that hasattr() understands."""


class Connection:
    """One connection of a Projection; synapse parameters are attributes."""

    def __init__(self, projection, k):
        self.__dict__.update(projection=projection, _k=k)

    @property
    def presynaptic_index(self):
        return int(self.projection._i[self._k])

    @property
    def postsynaptic_index(self):
        return int(self.projection._j[self._k])

    @property
    def presynaptic_cell(self):
        return self.projection.pre[self.presynaptic_index]

    @property
    def postsynaptic_cell(self):
        return self.projection.post[self.postsynaptic_index]

    source = presynaptic_cell
    target = postsynaptic_cell

    def __getattr__(self, name):
        projection = self.__dict__["projection"]
        if name not in projection._values and name not in projection.initial_values:
            raise _UnknownAttribute(name, type(projection.synapse_type).__name__,
                                    list(projection._values) + list(projection.initial_values))
        return float(projection._current(name)[self._k])

    def __setattr__(self, name, value):
        self.projection._check_names([name])
        values = self.projection._current(name).copy()
        values[self._k] = value
        self.projection._store({name: values})

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) for name in attribute_names)
