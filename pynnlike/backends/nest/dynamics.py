"""What NEST's dynamic synapse models need beyond the values of their parameters table, so
that they follow API.md §5 exactly, and the refusal of what they cannot do.

- STDP (stdp_synapse, vogels_sprekeler_synapse): NEST treats the whole delay as dendritic. A
  dendritic_delay_fraction f < 1 becomes a relay: a parrot neuron per (pre cell, axonal delay)
  repeats the pre-synaptic spikes after the axonal part (1 - f)·d, and the plastic synapse from
  the parrot has the dendritic part f·d, so the rule sees pre spikes at t_pre + (1 - f)·d, post
  spikes at t_post + f·d, and transmits at t_pre + d. NEST keeps the post-synaptic trace's time
  constant (tau_minus) on the post-synaptic neuron: one value per neuron. Its weights have no
  lower bound but 0.
- tsodyks_synapse takes tau_psc, the post-synaptic receptor's time constant, per connection:
  read from the post cells and followed when they change.
- quantal_stp_synapse keeps u and a untouched before the first spike: they start at U and n.

NEST updates a plastic weight when it delivers a pre-synaptic spike (at the end of the
min_delay slice in which the spike is emitted), applying then the potentiation of the post-
synaptic spikes seen since the previous one, potentiation first where a pre and a post spike are
seen at the same instant (as synapse_references.py). The transmitted weights are §5's; what
Projection.get shows is the weight of the last delivered spike: without the potentiation of the
post-synaptic spikes seen since (§5 allows that), nor the update of pre-synaptic spikes of the
run's last min_delay slice (delivered when the run goes on).

Where NEST departs from §5 depends on the spikes, so it is documented rather than refused:
- Its plastic synapses ignore a spike's offset within the time step: with spike_precision=
  'off_grid', a pre-synaptic spike off the time grid (SpikeSourceArray times that are not
  multiples of dt; spikes of IF_curr_exp and IF_curr_delta cells, precise models there) is
  paired as if at the end of its step, up to dt late, although it is recorded and transmitted at
  its time; post-synaptic spikes are paired at their precise time. 'on_grid' puts every spike on
  the grid, where NEST follows §5.
- vogels_sprekeler_synapse clips at w_max after adding eta·x_post and before subtracting
  eta·alpha, where §5 clips once: at a pre-synaptic spike with w + eta·x_post(t⁻) > w_max it
  transmits w_max − eta·alpha instead of min(w + eta·(x_post(t⁻) − alpha), w_max).
"""
import numpy as np
import nest

_INSTANT = 1e-9        # ms: tau_psc of delta receptors (§5's limit tau_psc -> 0)
_SEPARATE = 1e-8       # relative shift of tau_psc off tau_rec, where NEST's formula is 0/0
_ON_GRID = 1e-6        # steps: tolerance of a delay part on the time grid


def prepare(driver, projection):
    """Check and complete a new projection's values; NotImplementedError before anything is
    made where NEST cannot follow §5."""
    synapse, values = projection.synapse, projection.parameters
    if not dynamic(synapse):
        return
    n = len(projection.i)
    full = {k: np.array(np.broadcast_to(np.asarray(v, dtype=float), n)) for k, v in
            values.items()}
    projection.parameters = full
    projection.local = {k: full.pop(k) for k in synapse.local if k in full}
    if synapse.post_trace:
        _check_plastic(synapse, full, projection.local)
        projection.relay_steps = _relay_steps(driver, full, projection.local)
        _check_traces(driver, projection, _trace(projection))
    if synapse.psc_time_constant is not None:
        full["tau_psc"] = _tau_psc(driver, projection, np.arange(n), full["tau_rec"])
    for state, parameter in synapse.starts_at.items():
        full[state] = full[parameter].copy()


def connect_sources(driver, projection, parrot_model):
    """Make the relay's parrots (if any) and hand the post-synaptic neurons their trace time
    constant."""
    pre = projection.pre
    if projection.relay_steps is not None:
        keys, index = np.unique(np.column_stack([projection.i, projection.relay_steps]), axis=0,
                                return_inverse=True)
        parrots = nest.Create(parrot_model, len(keys))
        nest.Connect(pre.first_id + keys[:, 0], np.asarray(parrots.tolist()), "one_to_one",
                     {"delay": keys[:, 1] * driver.dt})
        projection.relay = (parrots, index.ravel())
    if projection.synapse.post_trace and len(projection.j):
        _set_traces(projection)


def changes(driver, projection, index, parameters):
    """New values of set_synapses/initialize_synapses: checked, kept, and turned into what
    NEST's connections get (local values stay here; traces go to the post cells)."""
    synapse = projection.synapse
    if not dynamic(synapse):
        return parameters
    if projection.relay_steps is not None and {"delay", "dendritic_delay_fraction"} & set(
            parameters):
        raise NotImplementedError("NEST: the delay and dendritic_delay_fraction of an STDP "
                                  "projection with an axonal delay part are fixed at creation")
    if "dendritic_delay_fraction" in parameters and np.any(
            np.asarray(parameters["dendritic_delay_fraction"]) != 1.0):
        raise NotImplementedError("NEST: dendritic_delay_fraction below 1 must be given when "
                                  "the STDP projection is created")
    local = {k: projection.local[k].copy() for k in projection.local}
    full = {k: v.copy() for k, v in projection.parameters.items()}
    for name, new in parameters.items():
        target = local if name in local else full
        if name in target:
            target[name][index] = new
    if synapse.post_trace:
        _check_plastic(synapse, full, local)
        old_trace = _trace(projection)
        projection_trace = (local | full)[synapse.post_trace]
        if np.any(projection_trace != old_trace):
            _check_traces(driver, projection, projection_trace)
    out = {k: v for k, v in parameters.items() if k not in local}
    if synapse.psc_time_constant is not None and "tau_rec" in parameters:
        full["tau_psc"][index] = out["tau_psc"] = _tau_psc(driver, projection, index,
                                                           full["tau_rec"][index])
    if driver.step == 0:  # before any spike: the state follows its parameter
        for state, parameter in synapse.starts_at.items():
            if parameter in parameters:
                full[state][index] = out[state] = full[parameter][index]
    projection.local, projection.parameters = local, full
    if synapse.post_trace:
        _set_traces(projection)
    return out


def follow_cells(driver, handle, index, values):
    """tsodyks_synapse's tau_psc follows its post cells' receptor time constant."""
    for projection in driver._projections:
        name = projection.synapse.psc_time_constant
        if projection.post is handle and name and name in values:
            affected = np.flatnonzero(np.isin(projection.j, index))
            if len(affected):
                driver._set_synapses(projection, affected, {"tau_psc": _tau_psc(
                    driver, projection, affected, projection.parameters["tau_rec"][affected])})


def dynamic(synapse):
    """Does this NEST synapse model need more than its parameters (this module)?"""
    return bool(synapse.post_trace or synapse.psc_time_constant is not None or
                synapse.starts_at)


# -- details -----------------------------------------------------------------------------------
def _check_plastic(synapse, values, local):
    model = synapse.name
    if np.any(local.get("w_min", 0.0) != 0.0):
        raise NotImplementedError(f"NEST's {model} has no lower weight bound but 0 "
                                  f"(w_min = {np.unique(local['w_min'][local['w_min'] != 0])})")
    if "alpha" in values and model == "stdp_synapse":
        if not np.all(np.isfinite(values["alpha"])):
            raise NotImplementedError("NEST's stdp_synapse scales depression by A_plus: "
                                      "A_plus = 0 with A_minus != 0 cannot be expressed")
        if np.any((values["weight"] == 0) & (values["Wmax"] < 0)):
            raise NotImplementedError("NEST's stdp_synapse cannot hold a weight of exactly 0 "
                                      "where NEST's weights are negative (inhibitory input): "
                                      "its weight and Wmax must share a sign")


def _relay_steps(driver, values, local):
    """Axonal delay part of each connection in steps, or None (no relay: f = 1)."""
    f = local.get("dendritic_delay_fraction")
    if f is None or np.all(f == 1.0):
        return None
    delay = np.round(values["delay"] / driver.dt)
    axonal = (1.0 - f) * delay
    steps = np.round(axonal)
    if np.any(np.abs(axonal - steps) > _ON_GRID):
        raise NotImplementedError(
            f"NEST: the axonal part (1 - dendritic_delay_fraction)·delay of STDP connections "
            f"must be a multiple of the time step ({driver.dt} ms)")
    if np.any(delay - steps < 1):
        raise NotImplementedError(
            f"NEST's STDP synapses see a post-synaptic spike one dendritic delay after it, at "
            f"least one time step ({driver.dt} ms): dendritic_delay_fraction·delay must be at "
            f"least that (dendritic_delay_fraction 0 cannot be done)")
    if np.any(steps == 0):
        raise NotImplementedError("NEST: a projection's STDP connections must have "
                                  "dendritic_delay_fraction 1 for all or for none")
    values["delay"] = (delay - steps) * driver.dt
    return steps.astype(np.int64)


def _trace(projection):
    name = projection.synapse.post_trace
    return projection.local[name] if name in projection.local else projection.parameters[name]


def _check_traces(driver, projection, values):
    """One trace time constant per post-synaptic neuron, whichever projections ask for it."""
    js, taus = [projection.j], [values]
    for other in driver._projections:
        if other is not projection and other.post is projection.post and \
                other.synapse.post_trace:
            js.append(other.j)
            taus.append(_trace(other))
    j, tau = np.concatenate(js), np.concatenate(taus)
    order = np.lexsort((tau, j))
    j, tau = j[order], tau[order]
    clash = np.flatnonzero((j[1:] == j[:-1]) & (tau[1:] != tau[:-1]))
    if len(clash):
        k = clash[0]
        raise NotImplementedError(
            f"NEST keeps the time constant of the post-synaptic STDP trace (tau_minus; tau of "
            f"Vogels2011Rule) on the post-synaptic neuron: one value per neuron, but "
            f"connections onto cell {j[k]} ask for {tau[k]} and {tau[k + 1]} ms")


def _set_traces(projection):
    cells, first = np.unique(projection.j, return_index=True)
    projection.post.subset(cells).set(tau_minus=_trace(projection)[first].tolist())


def _tau_psc(driver, projection, index, tau_rec):
    name = projection.synapse.psc_time_constant
    if name:
        tau = driver.get(projection.post, projection.j[index], [name])[name].astype(float)
    else:
        tau = np.full(len(index), _INSTANT)
    same = np.abs(tau - tau_rec) <= _SEPARATE * tau_rec
    return np.where(same, tau * (1.0 + _SEPARATE), tau)
