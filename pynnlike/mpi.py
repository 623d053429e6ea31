"""Putting together what the MPI processes hold.

Under `mpiexec -n K` a distributing backend (NEURON) keeps each cell, its recorded data and the
connections onto it on one rank. These helpers merge the ranks' pieces so that a gathered result
is complete and the same on every rank. Each helper is collective (every rank calls it, in the
same order); with one process it returns its input and mpi4py is never imported.
"""
import numpy as np

from .random import get_mpi_config

__all__ = ["allgather", "allsum", "merge_local", "gather_sorted", "gather_dict",
           "gather_blocks", "mpi_sum"]


def _world():
    """COMM_WORLD when this process is one of several, else None."""
    if get_mpi_config()[1] == 1:
        return None
    from mpi4py import MPI
    return MPI.COMM_WORLD


def allgather(obj):
    """[obj of rank 0, obj of rank 1, ...] on every rank."""
    world = _world()
    return [obj] if world is None else world.allgather(obj)


def allsum(x):
    """Sum of x over ranks, on every rank."""
    return sum(allgather(x))


mpi_sum = allsum


def merge_local(values, local):
    """`values` over all cells with each element taken from the rank where `local` is True:
    the true values even where ranks disagree about cells they do not own."""
    parts = allgather((np.flatnonzero(local), values[local]))
    if len(parts) == 1:
        return values
    merged = values.copy()
    for index, part in parts:
        merged[index] = part
    return merged


def gather_sorted(columns, key):
    """Equal-length arrays `columns` of every rank, concatenated and stably sorted by
    `columns[key]`. Pieces already in order, each holding whole runs of keys (connections grouped
    by post cell), come out in the single-process order."""
    parts = allgather(columns)
    if len(parts) == 1:
        return columns
    joined = [np.concatenate(c) for c in zip(*parts)]
    order = np.argsort(joined[key], kind="stable")
    return [c[order] for c in joined]


def gather_dict(data, all_values=True):
    """The dicts of all ranks merged, on every rank: with `all_values` each key maps to the
    concatenation of its values over ranks (arrays or lists), otherwise later ranks' entries
    replace earlier ones (use it for values the ranks agree on, or keys only one rank has)."""
    parts = allgather(data)
    if len(parts) == 1:
        return data
    if not all_values:
        merged = {}
        for part in parts:
            merged.update(part)
        return merged
    keys = list(dict.fromkeys(k for part in parts for k in part))
    return {k: np.concatenate([np.atleast_1d(p[k]) for p in parts if k in p]) for k in keys}


def gather_blocks(block, ordered=True):
    """The neo Blocks the ranks built from their own cells, as one Block on every rank: per
    segment, every rank's spike trains (sorted by channel_id if `ordered`) and, per signal name,
    the ranks' columns side by side, sorted by channel ID."""
    import neo
    blocks = allgather(block)
    if len(blocks) == 1:
        return block
    merged = blocks[0]
    for number, segment in enumerate(merged.segments):
        parts = [b.segments[number] for b in blocks]
        trains = [st for s in parts for st in s.spiketrains]
        if ordered:
            trains.sort(key=lambda st: st.annotations["channel_id"])
        segment.spiketrains = trains
        names = list(dict.fromkeys(a.name for s in parts for a in s.analogsignals))
        signals = []
        for name in names:
            pieces = [a for s in parts for a in s.analogsignals if a.name == name]
            ids = np.concatenate([a.annotations["channel_ids"] for a in pieces])
            index = np.concatenate([a.array_annotations["channel_index"] for a in pieces])
            order = np.argsort(ids, kind="stable")
            first = pieces[0]
            annotations = {**first.annotations, "channel_ids": ids[order]}
            signals.append(neo.AnalogSignal(
                np.hstack([a.magnitude for a in pieces])[:, order], units=first.units,
                t_start=first.t_start, sampling_period=first.sampling_period, name=name,
                array_annotations={"channel_index": index[order]}, **annotations))
        segment.analogsignals = signals
    return merged
