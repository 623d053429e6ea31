"""Connections other than a plain NetCon onto a receptor (API.md §5), for the NEURON driver.

- Release models (TsodyksMarkram, the stochastic ones; nmodl/pnl_release.mod) and STDP
  (nmodl/pnl_stdp.mod): an artificial cell per connection stands between the spike and the
  receptor. The pre-synaptic cell's NetCon (a gid_connect with the connection's delay, so it
  crosses MPI processes like a static one) brings each spike to it; it computes the weight to
  transmit, writes it into the weight of its own NetCon to the receptor (delay 0; NEURON reads a
  weight at delivery) and emits. Parameters and state are RANGE variables of the instance, so
  every receptor (point process, voltage jump, a native cell's) takes every dynamics, and every
  parameter may differ per connection; INITIAL blocks restore the state and the user-set weight
  at every finitialize(), hence at reset(). TsodyksMarkram reads tau_psc from the receptor's
  own tau through a POINTER. Random draws: one Random123 stream per connection, ids
  (rng_seed, position in the projection, 1 + number of earlier projections); cells use
  (rng_seed, gid, 0). STDP instances also hear the post-synaptic cell's spikes (a gid_connect
  from its gid, delay 2 f d): pnl_stdp.mod explains why that is exact for any f.
- ElectricalSynapse: a PnlGap point process on each of the two cells, fed the other's v through
  ParallelContext source_var/target_var (source id = the cell's gid).
- Native synapse types: an instance of the user's mechanism per connection at the receptor's
  place, with a NetCon carrying the weight.
"""
import numpy as np
from neuron import h

h("pnl_zero = 0")  # tau_psc of voltage-jump receptors
_defined = set()

_FRONT = """proc {name}() {{ local k  localobj fe, nc, out
    // $o1 source gids, $o2 target positions in List $o3, $o4 delays, $o5 ParallelContext,
    // Lists receiving $o6 the instances, $o7 their NetCons in, $o8 their NetCons out
    for k = 0, $o1.size() - 1 {{
        fe = new {mechanism}()
        nc = $o5.gid_connect($o1.x[k], fe)
        nc.delay = $o4.x[k]
        out = new NetCon(fe, $o3.o($o2.x[k]))
        out.delay = 0
        setpointer fe.wout, out.weight
        $o6.append(fe)
        $o7.append(nc)
        $o8.append(out)
    }}
}}"""
_NATIVE = """proc {name}() {{ local k, x  localobj pp, nc
    // as _FRONT; the instance sits where the target point process sits
    for k = 0, $o1.size() - 1 {{
        x = $o3.o($o2.x[k]).get_loc()
        pp = new {mechanism}(x)
        pop_section()
        nc = $o5.gid_connect($o1.x[k], pp)
        nc.delay = $o4.x[k]
        $o6.append(pp)
        $o7.append(nc)
    }}
}}"""
_POINTERS = """proc {name}() {{ local k
    // $o1 List of objects, $o2 PtrVector to point at their {attribute}
    for k = 0, $o1.count() - 1 {{ $o2.pset(k, &$o1.o(k).{attribute}) }}
}}"""
_TAU_PSC = """proc {name}() {{ local k
    // $o1 instances, $o2 positions of their targets in List $o3
    for k = 0, $o1.count() - 1 {{ setpointer $o1.o(k).taupsc, {source} }}
}}"""
h("""
proc pnl_streams() { local k
    // $o1 instances, Random123 ids ($2, $o3.x[k], $4), from the stream's start (set_ids
    // alone keeps what an earlier stream had left in the buffer)
    for k = 0, $o1.count() - 1 {
        $o1.o(k).rng.set_ids($2, $o3.x[k], $4)
        $o1.o(k).rng.set_seq(0)
    }
}
proc pnl_posts() { local k  localobj nc
    // $o1 instances, $o2 post-synaptic gids, $o3 delays, $o4 ParallelContext, $o5 List
    for k = 0, $o1.count() - 1 {
        nc = $o4.gid_connect($o2.x[k], $o1.o(k))
        nc.delay = $o3.x[k]
        nc.weight = 1
        $o5.append(nc)
    }
}
proc pnl_voltage_sources() { local k, x
    // $o1 List of point processes placing the cells, $o2 positions, $o3 source ids, $o4 pc
    for k = 0, $o2.size() - 1 {
        x = $o1.o($o2.x[k]).get_loc()
        $o4.source_var(&v(x), $o3.x[k])
        pop_section()
    }
}
proc pnl_gaps() { local k, x  localobj gap
    // $o1 List of point processes placing the cells, $o2 positions, $o3 conductances,
    // $o4 source ids of the other sides' v, $o5 pc, $o6 List receiving the PnlGaps
    for k = 0, $o2.size() - 1 {
        x = $o1.o($o2.x[k]).get_loc()
        gap = new PnlGap(x)
        pop_section()
        gap.g = $o3.x[k]
        $o5.target_var(gap, &gap.vgap, $o4.x[k])
        $o6.append(gap)
    }
}
""")


def _proc(template, name, **fields):
    """The hoc procedure `name` made from `template` with `fields`, defined on first use."""
    if name not in _defined:
        h(template.format(name=name, **fields))
        _defined.add(name)
    return getattr(h, name)


def _full(values, n):
    return np.broadcast_to(np.asarray(values, dtype=float), n).copy()


class Connections:
    """Projection handle of a synapse type with a mechanism: n connections in connect order,
    this rank's at positions `local` (their post-synaptic cell lives here). Over those, hoc
    Lists: `netcons` carry the delays (and a native type's weights), `instances` the
    parameters and state, `others` the NetCons out of the instances, `posts` STDP's
    post-synaptic spike NetCons. Gaps: `instances`/`others` are the post/pre-side PnlGaps of
    the connections at `gap['sides']` (a side lives where its cell does)."""

    def __init__(self, n, model, local):
        self.n, self.model, self.local = n, model, local
        self.netcons, self.instances, self.others, self.posts = (h.List(), h.List(), h.List(),
                                                                  h.List())
        self.pointers = {}
        self.delay = self.fraction = None   # STDP: the lag of the post-synaptic spikes
        self.gap = None

    def free(self):
        self.netcons = self.instances = self.others = self.posts = h.List()
        self.pointers = {}


def connect(driver, pre, post, i, j, model, parameters, receptor_type):
    """Build the connections (i[k], j[k]) onto this rank's cells; returns the handle."""
    if driver.initialized:
        raise NotImplementedError(f"NEURON: pynnlike cannot add {model.name} connections to a "
                                  f"network that has run; create them before the first run() "
                                  f"or after reset()")
    if model.mechanism == "PnlGap":
        return _gaps(driver, pre, post, i, j, model, parameters["g"])
    local = np.flatnonzero(post.position[j] >= 0)
    handle = Connections(len(i), model, local)
    targets = driver._targets(post, receptor_type)
    tau = _tau_psc(post, targets) if model.constants.get("kind") == 0 else None
    i, j = i[local], j[local]
    if not len(local):
        return handle
    positions = h.Vector(post.position[j].astype(float))
    delay = _full(parameters["delay"], handle.n)[local]
    native = model.mechanism not in ("PnlRelease", "PnlSTDP")
    build = _proc(_NATIVE if native else _FRONT, f"pnl_build_{model.mechanism}",
                  mechanism=model.mechanism)
    build(h.Vector((pre.first_gid + i).astype(float)), positions, targets, h.Vector(delay),
          driver.pc, handle.instances, handle.netcons, handle.others)
    values = {name: np.full(handle.n, float(v)) for name, v in model.constants.items()}
    if model.mechanism == "PnlSTDP":
        negative = (_full(parameters["w"], handle.n) < 0).any()  # the rule keeps this sign
        values["sign"] = np.full(handle.n, -1.0 if negative else 1.0)
        handle.delay, handle.fraction = delay, _full(parameters["f"], handle.n)[local]
        h.pnl_posts(handle.instances, h.Vector((post.first_gid + j).astype(float)),
                    h.Vector(2 * handle.fraction * delay), driver.pc, handle.posts)
    if model.mechanism == "PnlRelease":  # streams by position: the same for any rank count
        h.pnl_streams(handle.instances, driver.seed, h.Vector(local.astype(float)),
                      1 + len(driver._projections))
        source = "pnl_zero" if tau is None else f"$o3.o($o2.x[k]).{tau}"
        _proc(_TAU_PSC, f"pnl_taupsc_{tau}", source=source)(handle.instances, positions,
                                                             targets)
    values.update({name: v for name, v in parameters.items() if name not in ("delay", "f")})
    set_synapses(handle, np.arange(handle.n), values)
    return handle


def _tau_psc(post, targets):
    """The receptors' attribute that is tau_psc: None for voltage jumps (tau_psc -> 0), the
    decay time constant of two-exponential kernels (PnlCondBeta's taud, Exp2Syn's tau2), else
    tau."""
    if post.model.kind == "voltage" or not targets.count():
        return None
    for attribute in ("taud", "tau2", "tau"):
        if hasattr(targets.o(0), attribute):
            return attribute
    raise NotImplementedError(f"NEURON: TsodyksMarkramSynapse needs the receptor's time "
                              f"constant (tau, taud or tau2), which {targets.o(0).hname()} "
                              f"lacks")


def _gaps(driver, pre, post, i, j, model, g):
    """A PnlGap on each cell of every connection, on the rank where that cell lives; each
    cell's v is a transfer source once, with its gid as id."""
    handle = Connections(len(i), model, np.flatnonzero(post.position[j] >= 0))
    g = _full(g, len(i))
    sides = []
    for cells, mine, other, gaps in ((post, j, pre.first_gid + i, handle.instances),
                                     (pre, i, post.first_gid + j, handle.others)):
        local = np.flatnonzero(cells.position[mine] >= 0)
        places = _places(cells)
        gids = np.setdiff1d(cells.first_gid + mine[local], list(driver.voltage_sources))
        h.pnl_voltage_sources(places, h.Vector(cells.position[gids - cells.first_gid]
                                               .astype(float)),
                              h.Vector(gids.astype(float)), driver.pc)
        driver.voltage_sources.update(gids.tolist())
        h.pnl_gaps(places, h.Vector(cells.position[mine[local]].astype(float)),
                   h.Vector(g[local]), h.Vector(other[local].astype(float)), driver.pc, gaps)
        sides.append(local)
    handle.gap = {"g": g, "sides": sides}
    driver.transfer = True
    return handle


def _places(cells):
    """hoc List of the membrane point processes of this rank's cells (where new ones go)."""
    if None not in cells.target_lists:
        places = h.List()
        for membrane in cells.membranes:
            places.append(membrane)
        cells.target_lists[None] = places
    return cells.target_lists[None]


def _pointers(handle, objects, attribute):
    """PtrVector at `attribute` of each object of the hoc List `objects` (cached)."""
    key = (objects.hname(), attribute)
    if key not in handle.pointers:
        vector = h.PtrVector(int(objects.count()))
        _proc(_POINTERS, "pnl_pointers_" + attribute.replace("[0]", ""),
              attribute=attribute)(objects, vector)
        handle.pointers[key] = vector
    return handle.pointers[key]


def _read(handle, objects, attribute):
    values = h.Vector(int(objects.count()))
    if objects.count():
        _pointers(handle, objects, attribute).gather(values)
    return values.as_numpy().copy()


def _write(handle, objects, attribute, values):
    if objects.count():
        _pointers(handle, objects, attribute).scatter(h.Vector(values))


def get_synapses(handle, names):
    """Values in connect order; NaN for connections onto other ranks' cells."""
    out = {}
    for name in names:
        values = np.full(handle.n, np.nan)
        if handle.gap is not None:
            values[handle.local] = handle.gap["g"][handle.local]
        elif name == "delay":
            delays = h.Vector(len(handle.local))
            if len(handle.local):
                h.pnl_get_delays(handle.netcons, delays)
            values[handle.local] = delays.as_numpy()
        elif name == "f":
            values[handle.local] = handle.fraction
        elif name == "weight":  # a native type's: on its NetCons
            values[handle.local] = _read(handle, handle.netcons, "weight[0]")
        else:
            values[handle.local] = _read(handle, handle.instances, name)
        out[name] = values
    return out


def set_synapses(handle, index, parameters):
    """Set native values of connections `index` (connect order). An STDP weight is also the
    value reset() returns to (w0); the rule keeps the sign a weight had where it becomes 0."""
    index = np.asarray(index, dtype=np.int64)

    def merged(name, current=None):
        """The new values of `name` where given, elsewhere those of `current` (or `name`)."""
        new = np.broadcast_to(np.asarray(parameters[name], float), len(index))
        if len(index) == handle.n:
            values = np.empty(handle.n)
        else:
            values = get_synapses(handle, [current or name])[current or name]
        values[index] = new
        return values

    for name in parameters:
        if handle.gap is not None:  # kept here: each side may live on its own rank
            handle.gap["g"] = values = handle.gap["g"].copy()
            values[index] = np.broadcast_to(np.asarray(parameters[name], float), len(index))
            post_side, pre_side = handle.gap["sides"]
            _write(handle, handle.instances, "g", values[post_side])
            _write(handle, handle.others, "g", values[pre_side])
            continue
        values = merged(name)
        mine = values[handle.local]
        if name == "delay":
            h.pnl_set_delays(handle.netcons, h.Vector(mine))
        elif name == "f":
            handle.fraction = mine
        elif name == "weight":
            _write(handle, handle.netcons, "weight[0]", mine)
        else:
            _write(handle, handle.instances, name, mine)
        if handle.model.mechanism == "PnlSTDP" and name == "w":
            _write(handle, handle.instances, "w0", merged("w", "w0")[handle.local])
            sign = get_synapses(handle, ["sign"])["sign"]
            sign[index] = np.where(values[index] == 0, sign[index], np.sign(values[index]))
            _write(handle, handle.instances, "sign", sign[handle.local])
        if name in ("delay", "f") and handle.fraction is not None:
            handle.delay = mine if name == "delay" else handle.delay
            h.pnl_set_delays(handle.posts, h.Vector(2 * handle.fraction * handle.delay))


def reset(handle):
    """Plastic weights back to their user-set values now (finitialize does it again)."""
    if handle.model.mechanism == "PnlSTDP":
        _write(handle, handle.instances, "w", _read(handle, handle.instances, "w0"))


def initialize_synapses(handle, index, state):
    """Initial values of synapse state (PnlRelease's u0), restored by every finitialize."""
    set_synapses(handle, index, state)
