"""The same network through pynnlike.nest and written directly in PyNEST, timed side by side.

4000 IF_curr_exp cells (3200 excitatory, 800 inhibitory), 2 % random connectivity, driven by a
constant current, 1 s of simulated time, spikes of every cell recorded and read back. Prints the
build, run (simulation + reading the spikes) and total times of both, and their ratios; each
version is timed REPEATS times, alternating, and the best time counts.

Usage: python benchmarks/nest_vs_pynest.py [--repeats N]
"""
import argparse
import time

import numpy as np

import pynnlike.nest as sim  # imports NEST: outside the measured region
import nest

N_EXC, N_INH, P, T = 3200, 800, 0.02, 1000.0
CELL = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0, tau_refrac=2.0,
            tau_syn_E=5.0, tau_syn_I=5.0, i_offset=0.8)
W_EXC, W_INH, DELAY = 0.05, -0.2, 1.0  # nA, nA, ms


def initial_v(seed=1):
    return np.random.RandomState(seed).uniform(-65.0, -50.0, N_EXC + N_INH)


def with_pynnlike():
    t0 = time.perf_counter()
    sim.setup(timestep=0.1, spike_precision="on_grid")
    exc = sim.Population(N_EXC, sim.IF_curr_exp(**CELL), label="exc")
    inh = sim.Population(N_INH, sim.IF_curr_exp(**CELL), label="inh")
    cells = exc + inh
    cells.initialize(v=initial_v())
    rng = sim.NumpyRNG(seed=2)
    sim.Projection(exc, cells, sim.FixedProbabilityConnector(P, rng=rng),
                   sim.StaticSynapse(weight=W_EXC, delay=DELAY), receptor_type="excitatory")
    sim.Projection(inh, cells, sim.FixedProbabilityConnector(P, rng=rng),
                   sim.StaticSynapse(weight=W_INH, delay=DELAY), receptor_type="inhibitory")
    cells.record("spikes")
    t1 = time.perf_counter()
    sim.run(T)
    # spikes of all cells as one pair of arrays, as the PyNEST version reads them
    n_spikes = sum(len(p.get_data().segments[0].spiketrains.multiplexed[1]) for p in (exc, inh))
    t2 = time.perf_counter()
    sim.end()
    return t1 - t0, t2 - t1, n_spikes


def with_pynest():
    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.set(resolution=0.1, rng_seed=2)
    params = {"tau_m": CELL["tau_m"], "C_m": 1000.0 * CELL["cm"], "E_L": CELL["v_rest"],
              "V_reset": CELL["v_reset"], "V_th": CELL["v_thresh"], "t_ref": CELL["tau_refrac"],
              "tau_syn_ex": CELL["tau_syn_E"], "tau_syn_in": CELL["tau_syn_I"],
              "I_e": 1000.0 * CELL["i_offset"]}
    exc = nest.Create("iaf_psc_exp", N_EXC, params)
    inh = nest.Create("iaf_psc_exp", N_INH, params)
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
        results["pynnlike.nest"].append(with_pynnlike())
        results["PyNEST"].append(with_pynest())
    best = {name: (min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2])
            for name, runs in results.items()}
    print(f"{N_EXC + N_INH} IF_curr_exp cells, {P:.0%} connectivity, {T / 1000:g} s simulated, "
          f"best of {repeats}")
    print(f"{'':15}{'build (s)':>11}{'run (s)':>11}{'total (s)':>11}{'spikes':>10}")
    for name, (build, run, spikes) in best.items():
        print(f"{name:15}{build:11.3f}{run:11.3f}{build + run:11.3f}{spikes:10d}")
    (b1, r1, _), (b2, r2, _) = best["pynnlike.nest"], best["PyNEST"]
    print(f"{'ratio':15}{b1 / b2:11.2f}{r1 / r2:11.2f}{(b1 + r1) / (b2 + r2):11.2f}"
          f"   (target: total within 1.2)")


if __name__ == "__main__":
    main()
