"""Build time and peak memory of every connector's connect() at 1e5, 1e6 and 1e7 connections.

No simulator: each connector works on a stand-in projection (sizes, IDs, positions on a line,
weight and delay scalars), which is all connect() reads. Time comes from an untraced run, peak
memory (tracemalloc) from a second, traced one, shown next to the size of the arrays connect()
returns (i, j, weight, delay: 32 bytes per connection). Inputs such as FromList's list or
Array's matrix are built before measuring; FromFile's time and memory include reading the file
(its connect() is FromList's).

    python benchmarks/connectors.py [--quick] [--only NAME ...]
"""
import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))

from pynnlike import connectors as c  # noqa: E402
from pynnlike.core import IndexBasedExpression  # noqa: E402
from pynnlike.random import NumpyRNG, PhiloxRNG  # noqa: E402
from pynnlike.space import Space  # noqa: E402


def cells(n):
    positions = np.zeros((3, n))
    positions[0] = np.arange(n)
    return SimpleNamespace(size=n, all_cells=np.arange(n, dtype=np.int64), positions=positions,
                           label=f"{n} cells")


def stand_in(m, n=None):
    pre = cells(m)
    post = pre if n is None else cells(n)
    return SimpleNamespace(pre=pre, post=post, space=Space(), label='bench',
                           synapse_values={'weight': 0.5, 'delay': 1.0})


class TenPercent(IndexBasedExpression):
    def __call__(self, i, j):
        return np.full(np.broadcast(i, j).shape, 0.1)


def cases(total):
    """name -> (make the connector, the stand-in projection); about `total` connections each,
    pre and post the same cells where self-connections matter. Map connectors test M x N pairs
    at density 0.1."""
    side = int(np.sqrt(10 * total))  # M = N, density 0.1
    per_cell = total // side
    length = total / (2 * side)  # exp(-d / length) on a line of spacing 1: ~2 length per cell
    i = np.repeat(np.arange(side), per_cell)
    rng = np.random.RandomState(0)
    rows = np.column_stack([i, rng.randint(0, side, i.size)]).astype(float)
    reference = c.FixedNumberPreConnector(per_cell, rng=NumpyRNG(1)).connect(stand_in(side))
    clone_ref = SimpleNamespace(pre=None, post=None, _i=reference.i, _j=reference.j)
    array = rng.uniform(size=(side, side)) < 0.1

    def clone():
        prj = stand_in(side)
        clone_ref.pre = clone_ref.post = prj.pre
        return c.CloneConnector(clone_ref), prj

    def from_file():
        name = os.path.join(tempfile.gettempdir(), f'pynnlike_bench_connections_{total}.txt')
        if not os.path.exists(name):
            np.savetxt(name, rows, fmt='%d', delimiter='\t', header="columns = ['i', 'j']")
        return (lambda: c.FromFileConnector(name)), stand_in(side)

    return {
        'AllToAll': lambda: (c.AllToAllConnector(), stand_in(int(np.sqrt(total)))),
        'OneToOne': lambda: (c.OneToOneConnector(), stand_in(total)),
        'FixedProbability': lambda: (c.FixedProbabilityConnector(0.1, False), stand_in(side)),
        'FixedProbability(Philox)': lambda: (
            c.FixedProbabilityConnector(0.1, False, rng=PhiloxRNG(1)), stand_in(side)),
        'DistanceDependent': lambda: (c.DistanceDependentProbabilityConnector(
            f'exp(-d / {length})', False), stand_in(side)),
        'IndexBased': lambda: (c.IndexBasedProbabilityConnector(TenPercent(), False),
                               stand_in(side)),
        'DisplacementDependent': lambda: (c.DisplacementDependentProbabilityConnector(
            lambda D: np.exp(-np.abs(D[0]) / length), False), stand_in(side)),
        'FixedNumberPre(repl)': lambda: (c.FixedNumberPreConnector(
            per_cell, with_replacement=True), stand_in(side, side)),
        'FixedNumberPre(repl,noself)': lambda: (c.FixedNumberPreConnector(
            per_cell, False, with_replacement=True), stand_in(side)),
        'FixedNumberPre(norepl,noself)': lambda: (c.FixedNumberPreConnector(
            per_cell, False), stand_in(side)),
        'FixedNumberPost(norepl,noself)': lambda: (c.FixedNumberPostConnector(
            per_cell, False), stand_in(side)),
        'FixedTotalNumber(repl)': lambda: (c.FixedTotalNumberConnector(total, False),
                                           stand_in(side)),
        'FixedTotalNumber(norepl)': lambda: (c.FixedTotalNumberConnector(
            total, False, with_replacement=False), stand_in(side)),
        'FromList': lambda: (c.FromListConnector(rows), stand_in(side)),
        'FromFile': from_file,
        'Array': lambda: (c.ArrayConnector(array), stand_in(side)),
        'Clone': clone,
        'SmallWorld': lambda: (c.SmallWorldConnector(per_cell / 2 + 0.5, 0.1, False),
                               stand_in(side)),
    }


def run(make, traced):
    """(connections made, seconds, peak bytes traced or 0, bytes of the result)."""
    connector, projection = make()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    if not isinstance(connector, c.Connector):
        connector = connector()  # FromFile: reading the file is part of the work
    result = connector.connect(projection)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    output = result.i.nbytes + result.j.nbytes + sum(v.nbytes for v in result.parameters.values())
    return len(result), elapsed, peak, output


def measure(make):
    """Time from an untraced run (tracemalloc slows allocations down), memory from a traced one."""
    made, elapsed, _, output = run(make, traced=False)
    peak = run(make, traced=True)[2]
    return made, elapsed, peak, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='only 1e5 and 1e6 connections')
    parser.add_argument('--only', nargs='*', help='connector names to run')
    args = parser.parse_args()
    sizes = [10 ** 5, 10 ** 6] if args.quick else [10 ** 5, 10 ** 6, 10 ** 7]
    print(f"{'connector':32s} {'target':>8s} {'made':>10s} {'time s':>8s} {'peak MB':>9s} "
          f"{'out MB':>8s} {'peak/out':>8s}")
    for total in sizes:
        for name, make in cases(total).items():
            if args.only and name not in args.only:
                continue
            made, elapsed, peak, output = measure(make)
            print(f"{name:32s} {total:8.0e} {made:10d} {elapsed:8.2f} {peak / 1e6:9.1f} "
                  f"{output / 1e6:8.1f} {peak / max(output, 1):8.2f}", flush=True)


if __name__ == '__main__':
    main()
