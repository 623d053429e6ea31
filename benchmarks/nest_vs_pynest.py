"""The same network through pynnlike.nest and written directly in PyNEST, timed side by side.

The network is benchmarks/network.py's, on_grid (iaf_psc_exp on both sides). Prints the
build, run (simulation + reading the spikes) and total times of both, and their ratios; each
version is timed REPEATS times, alternating, and the best time counts.

Usage: python benchmarks/nest_vs_pynest.py [--repeats N]
"""
import argparse
import time

import pynnlike.nest as sim  # imports NEST: outside the measured region
import nest
from network import DELAY, N_EXC, N_INH, NEST_CELL, P, T, W_EXC, W_INH, initial_v, report, \
    with_pynnlike


def with_pynest():
    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.set(resolution=0.1, rng_seed=2)
    exc = nest.Create("iaf_psc_exp", N_EXC, NEST_CELL)
    inh = nest.Create("iaf_psc_exp", N_INH, NEST_CELL)
    cells = exc + inh
    cells.V_m = initial_v()
    rule = {"rule": "pairwise_bernoulli", "p": P}
    nest.Connect(exc, cells, rule, {"weight": 1000.0 * W_EXC, "delay": DELAY})
    nest.Connect(inh, cells, rule, {"weight": 1000.0 * W_INH, "delay": DELAY})
    recorder = nest.Create("spike_recorder")
    nest.Connect(cells, recorder)
    t1 = time.perf_counter()
    nest.Simulate(T)
    events = recorder.events
    n_spikes = len(events["times"])
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, n_spikes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    results = {"pynnlike.nest": [], "PyNEST": []}
    for _ in range(repeats):
        results["pynnlike.nest"].append(with_pynnlike(sim, spike_precision="on_grid"))
        results["PyNEST"].append(with_pynest())
    report(f"best of {repeats}", results, 1.2)


if __name__ == "__main__":
    main()
