"""Connectors: rules turning a projection's pre and post cells into arrays of connections.

`connector.connect(projection)` returns a `ConnectionSet` in connection order (post index, then
pre index). All randomness is drawn here, from the user's RNGs, so a seed gives the same network
on every backend. Work proceeds in blocks of post columns so that memory stays bounded, with
numpy doing the work inside a block; random draws follow PyNN 0.13's column-by-column order.
Where that order makes a cell's draws depend on the previous cell's (redraws, permutations),
the loop is per cell, with O(M) numpy work inside; never per connection.

The exception, `native_rule`: with a NativeRNG (or, for AllToAll and OneToOne, when every synapse
value is a number) a connector names the simulator rule that builds the same kind of
connectivity; the projection then asks the driver for it and `values_for` evaluates the synapse
values of the connections the simulator made.

From a projection, connectors read `pre` and `post` (size, all_cells, positions, label), `space`
and `synapse_values` (name -> value as given, in draw order); CloneConnector also reads its
reference projection's `pre`, `post` and connection arrays `_i`, `_j` (gathered with `_columns`
when it holds only this process's share, `_local_only`).

Under MPI, connectors with a PhiloxRNG build only the post columns of `projection._own_columns()`
(when the projection has it and it is not None): a column's draws depend on nothing else, so
each process draws just its share and returns a ConnectionSet marked `local`. Random synapse
values come from one sequential stream; they are drawn for every connection of every process
(from the allgathered column counts) and each process keeps its own.
"""
import copy
import numbers
import warnings
from functools import cached_property

import numpy as np

from pynnlike import descriptions, mpi
from pynnlike.core import IndexBasedExpression
from pynnlike.errors import ConnectionError, InvalidDimensionsError, InvalidParameterValueError
from pynnlike.random import (AbstractRNG, NativeRNG, NumpyRNG, PhiloxRNG, RandomDistribution,
                             get_mpi_config)

#: (pre, post) pairs handled in one block; bounds the memory of maps and distance matrices
BLOCK_SIZE = 2 ** 21

#: seed of the rng a connector uses when given none (PyNN's value)
DEFAULT_SEED = 151985012

_UNIFORM = {'low': 0.0, 'high': 1.0}

# distributions whose values depend on how many are drawn per call (redraw rounds)
_BATCH_SENSITIVE = {'normal_clipped'}

_EXPRESSION_NAMES = {
    name: getattr(np, name) for name in (
        'exp', 'sqrt', 'log', 'log10', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan',
        'arctan2', 'sinh', 'cosh', 'tanh', 'ceil', 'floor', 'fabs', 'fmod', 'hypot', 'ldexp',
        'modf', 'power', 'maximum', 'minimum', 'e', 'pi')}
_EXPRESSION_NAMES['abs'] = np.abs


def evaluate_distance_expression(expression, d):
    """Value of a string expression in the distance `d` (numpy array), as floats."""
    try:
        value = eval(expression, {'__builtins__': {}}, dict(_EXPRESSION_NAMES, d=d))  # noqa: S307
    except Exception as err:
        raise InvalidParameterValueError(
            f"cannot evaluate the distance expression {expression!r}: {err}") from err
    return np.asarray(value, dtype=float)


__all__ = ["Connector", "MapConnector", "FixedNumberConnector", "AllToAllConnector",
           "OneToOneConnector", "FixedProbabilityConnector",
           "DistanceDependentProbabilityConnector", "IndexBasedProbabilityConnector",
           "DisplacementDependentProbabilityConnector",
           "FixedNumberPreConnector", "FixedNumberPostConnector", "FixedTotalNumberConnector",
           "FromListConnector", "FromFileConnector", "ArrayConnector", "CloneConnector",
           "SmallWorldConnector", "CSAConnector"]


class ConnectionSet:
    """Connections in connection order: pre indices `i`, post indices `j` (int64 arrays) and
    `parameters`, a dict name -> float64 array aligned with them. `local`: only the connections
    onto this MPI process's cells (whole post columns), not every process's."""

    __slots__ = ('i', 'j', 'parameters', 'local')

    def __init__(self, i, j, parameters=None, local=False):
        self.i = np.asarray(i, dtype=np.int64)
        self.j = np.asarray(j, dtype=np.int64)
        self.parameters = {name: np.asarray(value, dtype=float)
                           for name, value in (parameters or {}).items()}
        self.local = local

    def __len__(self):
        return self.i.size

    def __repr__(self):
        return f"ConnectionSet({len(self)} connections, parameters={list(self.parameters)})"


class _Block:
    """Post columns handled in one go: `columns` (sorted post indices, default j0..j1-1, all
    within [j0, j1)). Distances are computed on first use, between `rows` (pre indices, default
    all) and `columns`."""

    def __init__(self, projection, j0, j1, rows=None, columns=None):
        self.projection = projection
        self.j0, self.j1 = j0, j1
        self.rows = rows
        self.columns = np.arange(j0, j1) if columns is None else columns

    @property
    def size(self):
        return self.columns.size

    @cached_property
    def distance_matrix(self):
        """Distances (len(rows), len(columns)) from `projection.space`."""
        pre_pos = np.asarray(self.projection.pre.positions, dtype=float)
        post_pos = np.asarray(self.projection.post.positions, dtype=float)
        a = pre_pos if self.rows is None else pre_pos[:, self.rows]
        b = post_pos[:, self.columns]
        d = self.projection.space.distances(a, b)
        return np.asarray(d, dtype=float).reshape(a.shape[1], b.shape[1])

    def distances(self, i, j):
        """Distances of the pairs (i[k], j[k])."""
        r = i if self.rows is None else np.searchsorted(self.rows, i)
        c = np.searchsorted(self.columns, j)
        return self.distance_matrix[r, c]


def _column_blocks(projection, columns=None):
    """Blocks of whole post columns, each covering at most about BLOCK_SIZE pairs: of every
    column, or of the sorted post indices `columns`."""
    m, n = projection.pre.size, projection.post.size
    width = max(1, BLOCK_SIZE // max(m, 1))
    if columns is None:
        for j0 in range(0, n, width):
            yield _Block(projection, j0, min(j0 + width, n))
        return
    for k in range(0, columns.size, width):
        part = columns[k:k + width]
        yield _Block(projection, int(part[0]), int(part[-1]) + 1, columns=part)


def _runs(columns):
    """(start, stop) of each run of consecutive integers in sorted `columns`."""
    columns = np.asarray(columns, dtype=np.int64)
    if columns.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(columns) != 1) + 1
    starts = columns[np.concatenate([[0], breaks])]
    stops = columns[np.concatenate([breaks - 1, [columns.size - 1]])] + 1
    return list(zip(starts.tolist(), stops.tolist()))


def _chunks(counts, size):
    """(c0, c1) ranges covering every column, each holding about `size` of the `counts[c]`
    items per column (a column is never split)."""
    n = counts.size
    if n == 0:
        return []
    cumulative = np.cumsum(counts)
    targets = np.arange(size, cumulative[-1], size)
    ends = np.unique(np.append(np.searchsorted(cumulative, targets) + 1, n))
    return list(zip(np.concatenate([[0], ends[:-1]]).tolist(), ends.tolist()))


def global_positions(j, counts):
    """Place in the connection order of all MPI processes of each connection of one process:
    `j` its post indices (connection order, whole columns), `counts[c]` the number of
    connections of post column c over all processes."""
    j = np.asarray(j, dtype=np.int64)
    starts = np.cumsum(counts) - counts
    return starts[j] + np.arange(j.size) - np.searchsorted(j, j)


class _SynapseValues:
    """The projection's synapse values, sorted once into random draws and fixed rules, then
    evaluated block by block."""

    def __init__(self, projection, overridden=()):
        self.projection = projection
        self.names = list(projection.synapse_values)
        self.random = []  # (name, RandomDistribution), in draw order
        self.fixed = []   # (name, rule(i, j, block) -> values)
        self.needs_distances = False
        for name, value in projection.synapse_values.items():
            if name in overridden:
                continue
            if isinstance(value, RandomDistribution):
                self.random.append((name, value))
            else:
                self.fixed.append((name, self._rule(name, value)))
        rngs = {id(rd.rng) for _, rd in self.random}
        # draw column by column when one call per block would change the values drawn
        self.per_column = (len(rngs) < len(self.random)
                           or any(rd.name in _BATCH_SENSITIVE for _, rd in self.random))

    def _rule(self, name, value):
        if isinstance(value, IndexBasedExpression):
            expression = copy.copy(value)
            expression.projection = self.projection
            return lambda i, j, block: expression(i, j)
        if isinstance(value, str):
            self.needs_distances = True
            return lambda i, j, block: evaluate_distance_expression(value, block.distances(i, j))
        if callable(value):
            self.needs_distances = True
            return lambda i, j, block: value(block.distances(i, j))
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as err:
            raise InvalidParameterValueError(
                f"synapse parameter {name!r}: unsupported value {value!r}") from err
        if array.ndim == 0:
            return lambda i, j, block: array
        shape = (self.projection.pre.size, self.projection.post.size)
        if array.shape != shape:
            raise InvalidDimensionsError(
                f"synapse parameter {name!r}: array of shape {array.shape}, the projection has "
                f"shape {shape}")
        return lambda i, j, block: array[i, j]

    def uses(self, rng):
        """True if a random synapse value draws from `rng`."""
        return any(rd.rng is rng for _, rd in self.random)

    def draw_column(self, n):
        """Random values for one column holding n connections, in draw order."""
        return {name: np.asarray(rd.next(n), dtype=float).reshape(-1) for name, rd in self.random}

    def draw(self, counts):
        """Random values for consecutive columns holding counts[c] connections each."""
        if not self.per_column:
            return self.draw_column(int(np.sum(counts)))
        columns = [self.draw_column(int(n)) for n in counts if n > 0]
        return {name: np.concatenate([c[name] for c in columns] or [np.empty(0)])
                for name, _ in self.random}

    def finish(self, parts, local):
        """One ConnectionSet from blocks of (i, j, values). `local`: the blocks hold only this
        process's columns and no random values yet; those are drawn now (collective) for every
        process's connections, as any process count draws them, and this process's kept."""
        connections = _concatenate(parts, self.names)
        if local:
            values = {**connections.parameters, **self._draw_local(connections.j)}
            connections.parameters = {name: values[name] for name in self.names}
            connections.local = True
        return connections

    def _draw_local(self, j):
        """Random values of the connections onto post indices `j` (this process's, whole
        columns): the global count of each column is allgathered, every column's values drawn
        in order, chunk by chunk, and those of the columns held here kept."""
        if not self.random:
            return {}
        mine = np.bincount(j, minlength=self.projection.post.size)
        counts = mpi.allsum(mine)
        kept = []
        for c0, c1 in _chunks(counts, BLOCK_SIZE):
            drawn = self.draw(counts[c0:c1])
            keep = np.repeat(mine[c0:c1] > 0, counts[c0:c1])
            kept.append({name: v[keep] for name, v in drawn.items()})
        return {name: np.concatenate([k[name] for k in kept] or [np.empty(0)])
                for name, _ in self.random}

    def evaluate(self, i, j, block, drawn, overrides=None):
        """Every parameter for the connections (i, j) of `block`, in the projection's order."""
        values = dict(drawn)
        values.update(overrides or {})
        for name, rule in self.fixed:
            v = rule(i, j, block) if i.size else np.empty(0)
            values[name] = np.array(np.broadcast_to(np.asarray(v, dtype=float), i.shape))
        return {name: values[name] for name in self.names if name in values}


def _concatenate(parts, names):
    """One ConnectionSet from blocks of (i, j, parameters)."""
    if not parts:
        return ConnectionSet(np.empty(0), np.empty(0), {name: np.empty(0) for name in names})
    if len(parts) == 1:  # no copy
        return ConnectionSet(*parts[0])
    return ConnectionSet(np.concatenate([p[0] for p in parts]),
                         np.concatenate([p[1] for p in parts]),
                         {name: np.concatenate([p[2][name] for p in parts])
                          for name in parts[0][2]})


def _check_rng(rng):
    if rng is None:
        return NumpyRNG(seed=DEFAULT_SEED)
    if not isinstance(rng, AbstractRNG):
        raise TypeError(f"rng must be an AbstractRNG such as NumpyRNG, not {type(rng).__name__}")
    return rng


def _check_self_connections(value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str) and value == 'NoMutual':
        return value
    raise InvalidParameterValueError(
        f"allow_self_connections must be True, False or 'NoMutual', not {value!r}")


def _same_cells(pre, post):
    return pre is post or (pre.size == post.size and np.array_equal(
        np.asarray(pre.all_cells, dtype=np.int64), np.asarray(post.all_cells, dtype=np.int64)))


def _partners(cells, others):
    """For each cell of `cells`, the index in `others` of the same cell (same ID), else -1."""
    ids = np.asarray(cells.all_cells, dtype=np.int64)
    other = np.asarray(others.all_cells, dtype=np.int64)
    if other.size == 0:
        return np.full(ids.size, -1, dtype=np.int64)
    order = np.argsort(other, kind='stable')
    found = order[np.minimum(np.searchsorted(other, ids, sorter=order), other.size - 1)]
    return np.where(other[found] == ids, found, -1)


def _positions(cells):
    return np.asarray(cells.positions, dtype=float).reshape(3, -1)


class _Draws:
    """Integers and permutations from a connector's generator: the sequential stream of an
    AbstractRNG (PyNN's calls, so NumpyRNG gives PyNN's values), or a numpy Generator (one
    PhiloxRNG column)."""

    def __init__(self, rng):
        self.rng = rng

    def uniform(self, n):
        if isinstance(self.rng, np.random.Generator):
            return self.rng.random(n)
        return np.asarray(self.rng.next(n, 'uniform', _UNIFORM), dtype=float).reshape(-1)

    def integers(self, high, n):
        """n integers in [0, high)."""
        if isinstance(self.rng, np.random.Generator):
            return self.rng.integers(0, high, n)
        return np.asarray(self.rng.next(n, 'uniform_int', {'low': 0, 'high': high}),
                          dtype=np.int64).reshape(-1)

    def permutation(self, x):
        if isinstance(self.rng, np.random.Generator) or hasattr(self.rng, 'permutation'):
            return self.rng.permutation(x)
        return x[np.argsort(self.uniform(x.size), kind='stable')]  # e.g. NativeRNG


class Connector:
    """Base of every connector. Subclasses implement `connect(projection)` -> ConnectionSet and
    list the attributes `get_parameters()` reports in `parameter_names`."""

    parameter_names = ()

    def __init__(self, location_selector=None, safe=True, callback=None):
        self.location_selector = location_selector
        self.safe = safe
        self.callback = callback

    def connect(self, projection):
        raise NotImplementedError(f"{type(self).__name__} does not implement connect()")

    def get_parameters(self):
        return {name: getattr(self, name) for name in self.parameter_names}

    def describe(self, template='connector_default.txt', engine='default'):
        """Text naming the connector and its parameters; template=None gives the context dict."""
        context = {'name': type(self).__name__, 'parameters': self.get_parameters()}
        return descriptions.render(engine, template, context)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_parameters().items())
        return f"{type(self).__name__}({args})"

    def _report(self, fraction):
        if self.callback is not None:
            self.callback(fraction)

    def native_rule(self, projection):
        """`(rule, parameters, seed)` for a simulator to build the connections itself (see
        Driver.connect_rule), or None to draw them here. Random connectors offer one only with
        a NativeRNG (then the simulator draws: connections differ between backends);
        deterministic ones always (same connections either way). The projection takes it only
        when every synapse value is a plain number."""
        return None

    def values_for(self, projection, i, j):
        """ConnectionSet of given connections in connection order, the synapse values
        evaluated and drawn here as for this connector's own connections."""
        return self._from_list(projection, np.asarray(i, dtype=np.int64),
                               np.asarray(j, dtype=np.int64))

    def _self_allowed(self, projection):
        """allow_self_connections as a simulator rule needs it: True where pre and post share
        no cell (nothing to exclude), None for 'NoMutual' (no simulator rule)."""
        allowed = self.allow_self_connections
        if allowed == 'NoMutual':
            return None
        return bool(allowed) or not _same_cells(projection.pre, projection.post)

    def _own_columns(self, projection):
        """The post columns to build on this process (sorted indices): with a PhiloxRNG, those
        the projection keeps (`_own_columns()`: its cells' under MPI); None: every column."""
        if not isinstance(getattr(self, 'rng', None), PhiloxRNG):
            return None
        own = getattr(projection, '_own_columns', None)  # stand-ins may lack it
        return None if own is None else own()

    def _native_seed(self):
        """The NativeRNG's seed (None: the simulator's own), or False without a NativeRNG."""
        return self.rng.seed if isinstance(self.rng, NativeRNG) else False

    def _from_list(self, projection, i, j, overrides=None, done=0.0):
        """ConnectionSet for connections already in connection order; `overrides` gives
        per-connection values replacing those of the synapse type. Progress goes from `done`
        (the fraction of the work finished before) to 1."""
        overrides = overrides or {}
        values = _SynapseValues(projection, overridden=overrides)
        n_post = projection.post.size
        counts = np.bincount(j, minlength=n_post)
        parts = []
        start = 0
        for j0, j1 in self._list_block_bounds(counts, values.needs_distances):
            stop = start + int(counts[j0:j1].sum())
            bi, bj = i[start:stop], j[start:stop]
            block = (_Block(projection, j0, j1, np.unique(bi), np.unique(bj))
                     if values.needs_distances else None)
            drawn = values.draw(counts[j0:j1])
            block_overrides = {name: v[start:stop] for name, v in overrides.items()}
            parts.append((bi, bj, values.evaluate(bi, bj, block, drawn, block_overrides)))
            start = stop
            self._report(done + (1 - done) * j1 / n_post)
        return _concatenate(parts, values.names)

    @staticmethod
    def _list_block_bounds(counts, needs_distances):
        """Column ranges for a connection list: one range unless distances are needed, then
        ranges of about 256 connections (fewer if BLOCK_SIZE is small), so that the distance
        matrix between a range's pre and post cells stays small even for sparse lists."""
        if not needs_distances:
            return [(0, counts.size)] if counts.size else []
        return _chunks(counts, max(1, min(256, int(np.sqrt(BLOCK_SIZE)))))


class MapConnector(Connector):
    """Connectors given by a map over (pre, post) pairs, built block by block of post columns.

    Subclasses implement `_map(projection, block)` returning an array broadcastable to
    (M, block.size), for the post indices `block.columns`: a boolean mask when `rng` is None,
    else connection probabilities, each compared with one uniform [0, 1) draw per pair, drawn
    column by column (all M rows of column j before column j+1; one call per block, which
    consumes the stream in that order).
    With a PhiloxRNG, column j's draws come from a position fixed by (seed, projection, j), so
    a process may build only its own columns (`_own_columns`). Self-connections are removed
    per `allow_self_connections`.
    """

    allow_self_connections = True
    rng = None

    def _map(self, projection, block):
        raise NotImplementedError(f"{type(self).__name__} does not implement _map()")

    def connect(self, projection):
        pre, post = projection.pre, projection.post
        if self.allow_self_connections == 'NoMutual' and not _same_cells(pre, post):
            raise ConnectionError(
                f"{type(self).__name__}: allow_self_connections='NoMutual' needs the same cells "
                f"as pre- and post-synaptic side ({pre.label!r}, {post.label!r})")
        values = _SynapseValues(projection)
        stream = self.rng.new_stream() if isinstance(self.rng, PhiloxRNG) else None
        interleave = stream is None and self.rng is not None and values.uses(self.rng)
        local = self._own_columns(projection)
        pre_ids = np.asarray(pre.all_cells, dtype=np.int64)
        post_ids = np.asarray(post.all_cells, dtype=np.int64)
        m, n = pre.size, post.size
        parts = []
        for block in _column_blocks(projection, local):
            p = np.broadcast_to(self._map(projection, block), (m, block.size)).T
            excluded = self._excluded(pre_ids, post_ids, block)
            if interleave:
                ii, jj, drawn = self._draw_interleaved(p, excluded, values)
            else:
                if self.rng is None:
                    connected = p.astype(bool)
                elif stream is None:
                    u = self.rng.next(m * block.size, 'uniform', _UNIFORM)
                    connected = np.reshape(u, (block.size, m)) < p
                else:
                    u = [self.rng.column_uniforms(stream, a, b, m) for a, b in
                         _runs(block.columns)]
                    connected = np.concatenate(u) < p
                if excluded is not None:
                    connected &= ~excluded
                jj, ii = np.nonzero(connected)
                drawn = {} if local is not None else values.draw(np.count_nonzero(connected,
                                                                                 axis=1))
            jj = block.columns[jj]
            parts.append((ii, jj, values.evaluate(ii, jj, block, drawn)))
            self._report(block.j1 / n)
        return values.finish(parts, local is not None)

    def _excluded(self, pre_ids, post_ids, block):
        """(block.size, M) mask of the pairs self-connection rules forbid, or None."""
        if self.allow_self_connections == 'NoMutual':
            return ~(np.arange(pre_ids.size)[None, :] > block.columns[:, None])
        if not self.allow_self_connections:
            return post_ids[block.columns, None] == pre_ids[None, :]
        return None

    def _draw_interleaved(self, p, excluded, values):
        """Connectivity and random synapse values column by column, for a connector rng that
        synapse values draw from too."""
        m = p.shape[1]
        ii, jj, columns = [], [], []
        for c in range(p.shape[0]):
            connected = np.reshape(self.rng.next(m, 'uniform', _UNIFORM), m) < p[c]
            if excluded is not None:
                connected &= ~excluded[c]
            rows = np.flatnonzero(connected)
            ii.append(rows)
            jj.append(np.full(rows.size, c))
            columns.append(values.draw_column(rows.size))
        drawn = {name: np.concatenate([col[name] for col in columns]) for name, _ in values.random}
        return np.concatenate(ii), np.concatenate(jj), drawn


class AllToAllConnector(MapConnector):
    """Every pre cell to every post cell."""

    parameter_names = ('allow_self_connections',)

    def __init__(self, allow_self_connections=True, location_selector=None, safe=True,
                 callback=None):
        super().__init__(location_selector, safe, callback)
        self.allow_self_connections = _check_self_connections(allow_self_connections)

    def _map(self, projection, block):
        return True

    def native_rule(self, projection):
        allowed = self._self_allowed(projection)
        if allowed is None:
            return None
        return 'all_to_all', {'allow_self_connections': allowed}, None


class FixedProbabilityConnector(MapConnector):
    """Each pair independently with probability `p_connect`."""

    parameter_names = ('p_connect', 'allow_self_connections', 'rng')

    def __init__(self, p_connect, allow_self_connections=True, location_selector=None, rng=None,
                 safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        if isinstance(p_connect, (bool, np.bool_)) or not isinstance(p_connect, numbers.Real):
            raise TypeError(f"p_connect must be a float, not {type(p_connect).__name__}")
        if not p_connect >= 0:
            raise InvalidParameterValueError(f"p_connect must be >= 0, not {p_connect}")
        self.p_connect = float(p_connect)
        self.allow_self_connections = _check_self_connections(allow_self_connections)
        self.rng = _check_rng(rng)

    def _map(self, projection, block):
        return self.p_connect

    def native_rule(self, projection):
        seed, allowed = self._native_seed(), self._self_allowed(projection)
        if seed is False or allowed is None:
            return None
        return ('fixed_probability', {'p': min(self.p_connect, 1.0),
                                      'allow_self_connections': allowed}, seed)


class ArrayConnector(MapConnector):
    """Connections where a boolean (M, N) array is True."""

    parameter_names = ('array',)

    def __init__(self, array, location_selector=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        self.array = np.asarray(array, dtype=bool)

    def connect(self, projection):
        shape = (projection.pre.size, projection.post.size)
        if self.array.shape != shape:
            raise InvalidDimensionsError(
                f"ArrayConnector: array of shape {self.array.shape}, the projection has shape "
                f"{shape}")
        return super().connect(projection)

    def _map(self, projection, block):
        return self.array[:, block.columns]


class OneToOneConnector(Connector):
    """Pre cell i to post cell i; both sides must have the same size."""

    def connect(self, projection):
        m, n = projection.pre.size, projection.post.size
        if m != n:
            raise ConnectionError(
                f"OneToOneConnector needs pre and post of equal size, got {m} "
                f"({projection.pre.label!r}) and {n} ({projection.post.label!r})")
        index = np.arange(n, dtype=np.int64)
        return self._from_list(projection, index, index)

    def native_rule(self, projection):
        if projection.pre.size != projection.post.size:
            return None
        return 'one_to_one', {}, None


class FromListConnector(Connector):
    """Connections listed as rows (i, j, v1, v2, ...); listed values override the synapse
    type's."""

    parameter_names = ('conn_list', 'column_names')

    def __init__(self, conn_list, column_names=None, location_selector=None, safe=True,
                 callback=None):
        super().__init__(location_selector, safe, callback)
        rows = np.asarray(conn_list, dtype=float)
        if rows.size == 0:
            rows = rows.reshape(0, 2 + len(column_names or ()))
        if rows.ndim != 2 or rows.shape[1] < 2:
            raise InvalidParameterValueError(
                f"FromListConnector: conn_list must be rows (i, j, values...), got shape "
                f"{rows.shape}")
        width = rows.shape[1] - 2
        if column_names is None:
            if width not in (0, 2):
                raise TypeError(f"FromListConnector: conn_list has {width} value columns; "
                                f"give their names with column_names")
            column_names = ('weight', 'delay') if width == 2 else ()
        column_names = tuple(column_names)
        if len(column_names) != width:
            raise ValueError(f"FromListConnector: {len(column_names)} column_names "
                             f"{column_names} for {width} value columns")
        self.conn_list = rows
        self.column_names = column_names

    def connect(self, projection):
        unknown = [name for name in self.column_names if name not in projection.synapse_values]
        if unknown:
            raise ValueError(f"FromListConnector: unknown column names {unknown}; the synapse "
                             f"parameters are {list(projection.synapse_values)}")
        i = self._indices(self.conn_list[:, 0], projection.pre, 'pre')
        j = self._indices(self.conn_list[:, 1], projection.post, 'post')
        key = j * projection.pre.size + i
        order = (slice(None) if np.all(key[1:] >= key[:-1])  # already post-major (saved lists)
                 else np.argsort(key, kind='stable'))  # post-major, stable
        overrides = {name: self.conn_list[order, 2 + k]
                     for k, name in enumerate(self.column_names)}
        return self._from_list(projection, i[order], j[order], overrides)

    @staticmethod
    def _indices(column, population, side):
        bad = (column != np.floor(column)) | (column < 0) | (column >= population.size)
        if np.any(bad):
            raise ConnectionError(
                f"FromListConnector: {side}synaptic index {column[bad][0]} is not an index of "
                f"{population.label!r} (size {population.size})")
        return column.astype(np.int64)


class FixedNumberConnector(Connector):
    """Base of connectors giving each cell `n` partners (an int >= 0 or a RandomDistribution,
    checked by drawing 100 values). 'NoMutual' is treated as False, with a warning."""

    parameter_names = ('n', 'allow_self_connections', 'with_replacement', 'rng')

    def __init__(self, n, allow_self_connections=True, with_replacement=False,
                 location_selector=None, rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        if isinstance(n, RandomDistribution):
            if np.any(np.asarray(n.next(100)) < 0):
                raise ValueError(f"{type(self).__name__}: the distribution of n gives negative "
                                 f"values")
        elif isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
            raise TypeError(f"{type(self).__name__}: n must be an int or a RandomDistribution, "
                            f"not {type(n).__name__}")
        elif n < 0:
            raise ValueError(f"{type(self).__name__}: n must be >= 0, not {n}")
        allow_self_connections = _check_self_connections(allow_self_connections)
        if allow_self_connections == 'NoMutual':
            warnings.warn(f"{type(self).__name__}: allow_self_connections='NoMutual' is treated "
                          f"as False", stacklevel=2)
            allow_self_connections = False
        self.n = n
        self.allow_self_connections = allow_self_connections
        self.with_replacement = with_replacement
        self.rng = _check_rng(rng)

    def _counts(self, size):
        """n for each of `size` cells: all drawn up front from n's own rng if it is random."""
        if not isinstance(self.n, RandomDistribution):
            return np.full(size, self.n, dtype=np.int64)
        counts = np.asarray(self.n.next(size), dtype=float).reshape(-1)
        if np.any(counts < 0) or np.any(counts != np.floor(counts)):
            raise InvalidParameterValueError(f"{type(self).__name__}: the distribution of n "
                                             f"gave a value that is not an int >= 0")
        return counts.astype(np.int64)

    def _own(self, cells, others):
        """Index in `others` of each cell of `cells` when self-connections are excluded, else
        -1 everywhere."""
        if self.allow_self_connections:
            return np.full(cells.size, -1, dtype=np.int64)
        return _partners(cells, others)

    def _stream(self):
        return self.rng.new_stream() if isinstance(self.rng, PhiloxRNG) else None

    def _native_rule(self, projection, rule, size, self_pairs):
        """The rule with a NativeRNG and an int n, when the simulator's draw has these
        semantics: without replacement, n must not exceed the candidates (`size` partners or
        pairs, less `self_pairs` if excluded; else multapses are made here); with, there must be
        a candidate."""
        seed, allowed = self._native_seed(), self._self_allowed(projection)
        if seed is False or isinstance(self.n, RandomDistribution):
            return None
        candidates = size - (0 if allowed else self_pairs)
        if (self.n > candidates and not self.with_replacement) or (self.n and candidates < 1):
            return None
        return rule, {'n': int(self.n), 'allow_self_connections': allowed,
                      'with_replacement': bool(self.with_replacement)}, seed

    def _draws(self, stream, k):
        """Draws for cell k: the shared stream, or cell k's own PhiloxRNG column."""
        return _Draws(self.rng if stream is None else self.rng.column_generator(stream, k))

    def _choose(self, draws, n, size, own):
        """n partner indices in [0, size), sorted, `own` (>= 0) excluded, drawn as API.md §6.2
        says: with replacement, uniform ints with the offending entries redrawn until none
        remain; without, every candidate n // K times plus the first n % K of a permutation."""
        if n == 0:
            return np.empty(0, dtype=np.int64)
        k = size - (own >= 0)
        if k <= 0:
            raise ConnectionError(f"{type(self).__name__}: no allowed partner for a cell that "
                                  f"needs {n} connections")
        if self.with_replacement:
            chosen = draws.integers(size, n)
            bad = np.flatnonzero(chosen == own)
            while bad.size:
                chosen[bad] = draws.integers(size, bad.size)
                bad = bad[chosen[bad] == own]
        else:
            candidates = np.arange(size, dtype=np.int64)
            if own >= 0:
                candidates = np.delete(candidates, own)
            repeats, rest = divmod(int(n), k)
            chosen = draws.permutation(candidates)[:rest] if rest else np.empty(0, np.int64)
            if repeats:
                chosen = np.concatenate([np.tile(candidates, repeats), chosen])
        chosen.sort()
        return chosen


class DistanceDependentProbabilityConnector(MapConnector):
    """Each pair with probability p(d), d the distance `projection.space` gives; `d_expression`
    is a string in d (see evaluate_distance_expression) or a callable of a distance array."""

    parameter_names = ('d_expression', 'allow_self_connections', 'rng')

    def __init__(self, d_expression, allow_self_connections=True, location_selector=None,
                 rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        if not (isinstance(d_expression, str) or callable(d_expression)):
            raise TypeError(f"d_expression must be a string or a callable, not "
                            f"{type(d_expression).__name__}")
        self.d_expression = d_expression
        self.allow_self_connections = _check_self_connections(allow_self_connections)
        self.rng = _check_rng(rng)
        ends = self._probability(np.array([0.0, 1e12]))
        if not np.all(ends >= 0):
            raise ValueError(f"DistanceDependentProbabilityConnector: {d_expression!r} gives "
                             f"{ends.tolist()} at d = 0 and 1e12; probabilities must be >= 0")

    def _probability(self, d):
        if isinstance(self.d_expression, str):
            return evaluate_distance_expression(self.d_expression, d)
        return np.asarray(self.d_expression(d), dtype=float)

    def _map(self, projection, block):
        return self._probability(block.distance_matrix)


class IndexBasedProbabilityConnector(MapConnector):
    """Each pair (i, j) with probability `index_expression(i, j)`."""

    parameter_names = ('index_expression', 'allow_self_connections', 'rng')

    def __init__(self, index_expression, allow_self_connections=True, location_selector=None,
                 rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        if not isinstance(index_expression, IndexBasedExpression):
            raise TypeError(f"index_expression must be an IndexBasedExpression, not "
                            f"{type(index_expression).__name__}")
        self.index_expression = index_expression
        self.allow_self_connections = _check_self_connections(allow_self_connections)
        self.rng = _check_rng(rng)

    def _map(self, projection, block):
        expression = copy.copy(self.index_expression)
        expression.projection = projection
        return expression(np.arange(projection.pre.size)[:, None], block.columns[None, :])


class DisplacementDependentProbabilityConnector(MapConnector):
    """Each pair with probability `disp_function(D)`, D the 3 x K displacements
    post.position[j] - pre.position[i] (raw positions, no Space)."""

    parameter_names = ('disp_function', 'allow_self_connections', 'rng')

    def __init__(self, disp_function, allow_self_connections=True, location_selector=None,
                 rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        if not callable(disp_function):
            raise TypeError(f"disp_function must be callable, not {type(disp_function).__name__}")
        self.disp_function = disp_function
        self.allow_self_connections = _check_self_connections(allow_self_connections)
        self.rng = _check_rng(rng)

    def _map(self, projection, block):
        pre = _positions(projection.pre)
        post = _positions(projection.post)[:, block.columns]
        displacements = (post[:, None, :] - pre[:, :, None]).reshape(3, -1)
        p = np.asarray(self.disp_function(displacements), dtype=float)
        return p.reshape(pre.shape[1], block.size)


class FixedNumberPreConnector(FixedNumberConnector):
    """Each post cell gets n pre cells (API.md §6.2 fixes the draws, column by column).

    Post columns whose draws may depend on the previous column's (self-connections redrawn,
    permutations, synapse values sharing the rng) take one numpy call per column, O(M) work
    each; otherwise a block of columns is drawn in one call. With a PhiloxRNG each column has
    its own generator, so a process may build only its own columns (`_own_columns`); n drawn
    from a RandomDistribution is still drawn for every column (its stream is sequential)."""

    def connect(self, projection):
        m, n_post = projection.pre.size, projection.post.size
        own = self._own(projection.post, projection.pre)
        counts = self._counts(n_post)
        values = _SynapseValues(projection)
        stream = self._stream()
        interleave = stream is None and values.uses(self.rng)
        local = self._own_columns(projection)
        parts = []
        for block in _column_blocks(projection, local):
            block_counts = counts[block.columns]
            jj = np.repeat(block.columns, block_counts)
            if (self.with_replacement and stream is None and not interleave
                    and np.all(own[block.columns] < 0) and m > 0):
                drawn_i = _Draws(self.rng).integers(m, int(block_counts.sum()))
                ii = np.sort(jj * m + drawn_i) - jj * m  # sorted within each column
                drawn = values.draw(block_counts)
            else:
                columns, drawn_columns = [], []
                for j in block.columns.tolist():
                    columns.append(self._choose(self._draws(stream, j), counts[j], m, own[j]))
                    if interleave:
                        drawn_columns.append(values.draw_column(columns[-1].size))
                ii = np.concatenate(columns or [np.empty(0, dtype=np.int64)])
                drawn = ({name: np.concatenate([c[name] for c in drawn_columns] or [np.empty(0)])
                          for name, _ in values.random} if interleave
                         else {} if local is not None else values.draw(block_counts))
            parts.append((ii, jj, values.evaluate(ii, jj, block, drawn)))
            self._report(block.j1 / n_post)
        return values.finish(parts, local is not None)

    def native_rule(self, projection):
        return self._native_rule(projection, 'fixed_number_pre', projection.pre.size, 1)


class FixedNumberPostConnector(FixedNumberConnector):
    """Each pre cell gets n post cells: as FixedNumberPreConnector with the roles swapped, pre
    cells in order. Synapse values are drawn afterwards, in connection order."""

    def connect(self, projection):
        m, n_post = projection.pre.size, projection.post.size
        own = self._own(projection.pre, projection.post)
        counts = self._counts(m)
        stream = self._stream()
        sources = np.repeat(np.arange(m, dtype=np.int64), counts)
        if self.with_replacement and stream is None and np.all(own < 0) and n_post > 0:
            targets = _Draws(self.rng).integers(n_post, int(counts.sum()))
        else:
            rows = []
            for i in range(m):
                rows.append(self._choose(self._draws(stream, i), counts[i], n_post, own[i]))
                if i % 4096 == 4095:
                    self._report(0.5 * (i + 1) / m)
            targets = np.concatenate(rows or [np.empty(0, dtype=np.int64)])
        order = np.argsort(targets, kind='stable')  # post-major; pre indices stay ascending
        return self._from_list(projection, sources[order], targets[order], done=0.5)

    def native_rule(self, projection):
        return self._native_rule(projection, 'fixed_number_post', projection.post.size, 1)


class FixedTotalNumberConnector(FixedNumberConnector):
    """Exactly n connections in total among the allowed pairs, numbered post-major (k-th allowed
    pair of column j, then j + 1...). With replacement: `rng.next(n, 'uniform_int',
    {'low': 0, 'high': A})` in one call, A the number of allowed pairs. Without: the first n
    distinct values of a stream of such draws, drawn in rounds of as many values as are still
    missing (if n > A // 2, the A - n pairs left out are chosen that way instead). Memory and
    time grow with n, not with M x N. Synapse values are drawn afterwards, in connection order.
    """

    def __init__(self, n, allow_self_connections=True, with_replacement=True,
                 location_selector=None, rng=None, safe=True, callback=None):
        super().__init__(n, allow_self_connections, with_replacement, location_selector, rng,
                         safe, callback)

    def connect(self, projection):
        m = projection.pre.size
        own = self._own(projection.post, projection.pre)
        starts = np.concatenate([[0], np.cumsum(m - (own >= 0))]).astype(np.int64)
        allowed = int(starts[-1])
        n = int(self._counts(1)[0])
        if (n > 0 and allowed == 0) or (not self.with_replacement and n > allowed):
            raise ConnectionError(f"FixedTotalNumberConnector: {n} connections asked, "
                                  f"{allowed} allowed pairs")
        draws = _Draws(self.rng)
        if self.with_replacement:
            k = np.sort(draws.integers(allowed, n)) if n else np.empty(0, dtype=np.int64)
        else:
            k = self._subset(draws, allowed, n)
        j = np.searchsorted(starts, k, side='right') - 1
        i = k - starts[j]
        i += (own[j] >= 0) & (i >= own[j])
        return self._from_list(projection, i, j)

    def native_rule(self, projection):
        m, n_post = projection.pre.size, projection.post.size
        return self._native_rule(projection, 'fixed_total_number', m * n_post, m)

    @staticmethod
    def _subset(draws, size, n):
        """A uniformly random n-subset of range(size), sorted."""
        complement = n > size // 2
        wanted = size - n if complement else n
        chosen = np.empty(0, dtype=np.int64)  # sorted; a round's new values keep no order
        while chosen.size < wanted:
            new = np.sort(draws.integers(size, wanted - chosen.size))
            new = new[np.concatenate([[True], new[1:] != new[:-1]])]
            if chosen.size:
                known = chosen[np.minimum(np.searchsorted(chosen, new), chosen.size - 1)]
                new = new[known != new]
            chosen = np.insert(chosen, np.searchsorted(chosen, new), new)
        if not complement:
            return chosen
        kept = np.ones(size, dtype=bool)
        kept[chosen] = False
        return np.flatnonzero(kept)


class FromFileConnector(FromListConnector):
    """FromListConnector reading the text Projection.save writes: column names from the header
    line `# columns = [...]` ('i', 'j' removed). `distributed=True`: each MPI rank reads
    `<file>.<rank>`."""

    parameter_names = ('file', 'distributed')

    def __init__(self, file, distributed=False, location_selector=None, safe=True,
                 callback=None):
        from pynnlike.recording.files import StandardTextFile
        name = file if isinstance(file, str) else file.name
        if distributed:
            name = f"{name}.{get_mpi_config()[0]}"
        if isinstance(file, str):
            reader = StandardTextFile(name, mode='rb')
        else:
            reader = type(file)(name, mode='rb') if distributed else file
        with reader:
            data, metadata = reader.read(), reader.get_metadata()
        columns = metadata.get('columns')  # without: FromList's default, (weight, delay)
        names = None if columns is None else tuple(c for c in columns if c not in ('i', 'j'))
        super().__init__(data, names, location_selector, safe, callback)
        self.file = file
        self.distributed = distributed


class CloneConnector(Connector):
    """The connected pairs of `reference_projection`, with the new synapse type's values."""

    parameter_names = ('reference_projection',)

    def __init__(self, reference_projection, safe=True, callback=None):
        super().__init__(None, safe, callback)
        self.reference_projection = reference_projection

    def connect(self, projection):
        ref = self.reference_projection
        for side in ('pre', 'post'):
            if not _same_cells(getattr(ref, side), getattr(projection, side)):
                raise ConnectionError(f"CloneConnector: the {side}synaptic cells "
                                      f"({getattr(projection, side).label!r}) are not those of "
                                      f"the reference projection ({getattr(ref, side).label!r})")
        i, j = (ref._columns([], gather=True) if getattr(ref, '_local_only', False)
                else (ref._i, ref._j))  # a share of the connections: gather them (collective)
        return self._from_list(projection, np.asarray(i), np.asarray(j))


class SmallWorldConnector(Connector):
    """Watts-Strogatz: a lattice, then each edge rewired with probability `rewiring`.

    Lattice: pre cell i to every post cell j with d(i, j) < degree, or to its `n_connections`
    nearest (ties to the lower index). Rewiring, pre cell by pre cell: one uniform draw per
    lattice edge of i (j ascending, one call); the edges with U < rewiring get new targets
    `rng.permutation(candidates)[:k]`, candidates the post cells i is not joined to in its
    lattice (nor itself unless allowed); when fewer candidates than rewired edges remain, the
    last rewired edges keep their target. Out-degrees are preserved.
    """

    parameter_names = ('degree', 'rewiring', 'allow_self_connections', 'n_connections', 'rng')

    def __init__(self, degree, rewiring, allow_self_connections=True, n_connections=None,
                 location_selector=None, rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        if not 0 <= rewiring <= 1:
            raise ValueError(f"SmallWorldConnector: rewiring must be in [0, 1], not {rewiring}")
        allow_self_connections = _check_self_connections(allow_self_connections)
        if allow_self_connections == 'NoMutual':
            warnings.warn("SmallWorldConnector: allow_self_connections='NoMutual' is treated as "
                          "False", stacklevel=2)
            allow_self_connections = False
        if n_connections is not None and (isinstance(n_connections, bool)
                                          or not isinstance(n_connections, numbers.Integral)
                                          or n_connections < 0):
            raise ValueError(f"SmallWorldConnector: n_connections must be an int >= 0, not "
                             f"{n_connections!r}")
        self.degree, self.rewiring = degree, rewiring
        self.allow_self_connections = allow_self_connections
        self.n_connections = n_connections
        self.rng = _check_rng(rng)

    def connect(self, projection):
        m, n_post = projection.pre.size, projection.post.size
        own = (np.full(m, -1, dtype=np.int64) if self.allow_self_connections
               else _partners(projection.pre, projection.post))
        if self.n_connections is not None and self.n_connections > n_post - (own >= 0).max(
                initial=0):
            raise ConnectionError(f"SmallWorldConnector: n_connections={self.n_connections} "
                                  f"but only {n_post} post cells")
        pre_pos, post_pos = _positions(projection.pre), _positions(projection.post)
        draws = _Draws(self.rng)
        sources, targets = [], []
        rows = max(1, BLOCK_SIZE // max(n_post, 1))
        for r0 in range(0, m, rows):
            r1 = min(r0 + rows, m)
            lattice, forbidden = self._lattice(projection, pre_pos[:, r0:r1], post_pos,
                                               own[r0:r1])
            for r in range(r1 - r0):
                t = np.flatnonzero(lattice[r])
                rewired = np.flatnonzero(draws.uniform(t.size) < self.rewiring)
                if rewired.size:
                    candidates = np.flatnonzero(~(lattice[r] | forbidden[r]))
                    new = draws.permutation(candidates)[:rewired.size]
                    t[rewired[:new.size]] = new
                sources.append(np.full(t.size, r0 + r, dtype=np.int64))
                targets.append(t)
            self._report(0.5 * r1 / m)
        i = np.concatenate(sources or [np.empty(0, dtype=np.int64)])
        j = np.concatenate(targets or [np.empty(0, dtype=np.int64)])
        order = np.argsort(j * m + i, kind='stable')
        return self._from_list(projection, i[order], j[order], done=0.5)

    def _lattice(self, projection, pre_pos, post_pos, own):
        """(rows, N) boolean lattice and self-connection masks for some pre rows."""
        forbidden = own[:, None] == np.arange(post_pos.shape[1])[None, :]
        d = np.asarray(projection.space.distances(pre_pos, post_pos), dtype=float)
        d = d.reshape(pre_pos.shape[1], post_pos.shape[1])
        if self.n_connections is None:
            return (d < self.degree) & ~forbidden, forbidden
        d[forbidden] = np.inf
        nearest = np.argsort(d, axis=1, kind='stable')[:, :self.n_connections]
        lattice = np.zeros(d.shape, dtype=bool)
        np.put_along_axis(lattice, nearest, True, axis=1)
        return lattice, forbidden


class CSAConnector(Connector):
    """Connections of a Connection Set Algebra set (package `csa`): arity 0 (a mask) or 2
    (weight and delay values overriding the synapse type's). csa iterates in Python, one
    connection at a time, block by block of post columns."""

    parameter_names = ('cset',)

    def __init__(self, cset, location_selector=None, safe=True, callback=None):
        try:
            import csa
        except ImportError as err:
            raise RuntimeError("CSAConnector needs the 'csa' package (Connection Set Algebra), "
                               "which is not installed (pip install csa)") from err
        super().__init__(location_selector, safe, callback)
        self._csa = csa
        self.cset = cset
        self.arity = csa.arity(cset)
        if self.arity not in (0, 2):
            raise ConnectionError(f"CSAConnector: connection sets of arity 0 or 2 are "
                                  f"supported, not {self.arity}")

    def connect(self, projection):
        m = projection.pre.size
        width = 2 + self.arity
        rows = []
        for block in _column_blocks(projection):
            finite = self._csa.cross(range(m), range(block.j0, block.j1)) * self.cset
            rows.append(np.array(list(finite), dtype=float).reshape(-1, width))
        rows = np.concatenate(rows or [np.empty((0, width))])
        names = ('weight', 'delay') if self.arity else ()
        return FromListConnector(rows, names, callback=self.callback).connect(projection)
