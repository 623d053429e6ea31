"""The same network through pynnlike.brian2 and written directly in Brian2, timed side by side.

The network of nest_vs_pynest.py: 4000 IF_curr_exp cells (3200 excitatory, 800 inhibitory), 2 %
random connectivity, driven by a constant current, 1 s of simulated time, spikes of every cell
recorded and read back. Both versions use the same code-generation target (--target, default
numpy) and the same integration method as the backend (rk4; Brian2's symbolic 'exact' solver
alone costs seconds). Prints build, run (simulation + reading the spikes) and total times and
their ratios; each version runs REPEATS times, alternating, and the best time counts (with
cython the first repeat includes compilation, cached in ~/.cython afterwards).

Usage: python benchmarks/brian2_vs_native.py [--repeats N] [--target numpy|cython]
"""
import argparse
import time

import numpy as np

import pynnlike.brian2 as sim  # imports Brian2: outside the measured region
import brian2 as b2

N_EXC, N_INH, P, T = 3200, 800, 0.02, 1000.0
CELL = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0, tau_refrac=2.0,
            tau_syn_E=5.0, tau_syn_I=5.0, i_offset=0.8)
W_EXC, W_INH, DELAY = 0.05, -0.2, 1.0  # nA, nA, ms


def initial_v(seed=1):
    return np.random.RandomState(seed).uniform(-65.0, -50.0, N_EXC + N_INH)


def with_pynnlike(target):
    t0 = time.perf_counter()
    sim.setup(timestep=0.1, codegen_target=target)
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
    n_spikes = sum(len(p.get_data().segments[0].spiketrains.multiplexed[1]) for p in (exc, inh))
    t2 = time.perf_counter()
    sim.end()
    return t1 - t0, t2 - t1, n_spikes


def with_brian2(target):
    t0 = time.perf_counter()
    b2.prefs.codegen.target = target
    b2.seed(2)
    clock = b2.Clock(dt=0.1 * b2.ms)
    equations = """
    dv/dt = ((v_rest - v)/tau_m + (I_E + I_I + i_offset)/c_m)/ms : 1 (unless refractory)
    dI_E/dt = -I_E/tau_syn_E/ms : 1
    dI_I/dt = -I_I/tau_syn_I/ms : 1
    """
    namespace = {"v_rest": CELL["v_rest"], "tau_m": CELL["tau_m"], "c_m": CELL["cm"],
                 "i_offset": CELL["i_offset"], "tau_syn_E": CELL["tau_syn_E"],
                 "tau_syn_I": CELL["tau_syn_I"], "v_thresh": CELL["v_thresh"],
                 "v_reset": CELL["v_reset"]}
    cells = b2.NeuronGroup(N_EXC + N_INH, equations, threshold="v >= v_thresh",
                           reset="v = v_reset", refractory=CELL["tau_refrac"] * b2.ms,
                           method="rk4", clock=clock, namespace=namespace)
    cells.v = initial_v()
    exc, inh = cells[:N_EXC], cells[N_EXC:]
    to_exc = b2.Synapses(exc, cells, on_pre=f"I_E_post += {W_EXC}", delay=DELAY * b2.ms)
    to_exc.connect(p=P)
    to_inh = b2.Synapses(inh, cells, on_pre=f"I_I_post += {W_INH}", delay=DELAY * b2.ms)
    to_inh.connect(p=P)
    monitor = b2.SpikeMonitor(cells)
    network = b2.Network(cells, to_exc, to_inh, monitor)
    t1 = time.perf_counter()
    network.run(T * b2.ms)
    n_spikes = len(monitor.t[:])
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, n_spikes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--target", choices=("numpy", "cython"), default="numpy")
    arguments = parser.parse_args()
    results = {"pynnlike": [], "Brian2": []}
    for _ in range(arguments.repeats):
        results["pynnlike"].append(with_pynnlike(arguments.target))
        results["Brian2"].append(with_brian2(arguments.target))
    best = {name: (min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2])
            for name, runs in results.items()}
    print(f"{N_EXC + N_INH} IF_curr_exp cells, {P:.0%} connectivity, {T / 1000:g} s simulated, "
          f"target {arguments.target}, best of {arguments.repeats}")
    print(f"{'':15}{'build (s)':>11}{'run (s)':>11}{'total (s)':>11}{'spikes':>10}")
    for name, (build, run, spikes) in best.items():
        print(f"{name:15}{build:11.3f}{run:11.3f}{build + run:11.3f}{spikes:10d}")
    (b1, r1, _), (b2_, r2, _) = best["pynnlike"], best["Brian2"]
    print(f"{'ratio':15}{b1 / b2_:11.2f}{r1 / r2:11.2f}{(b1 + r1) / (b2_ + r2):11.2f}"
          f"   (target: total within 1.2)")


if __name__ == "__main__":
    main()
