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


import pynnlike.brian2 as sim  # imports Brian2: outside the measured region
import brian2 as b2
from network import CELL, DELAY, N_EXC, N_INH, P, T, W_EXC, W_INH, initial_v, report, \
    with_pynnlike

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
    results = {"pynnlike.brian2": [], "Brian2": []}
    for _ in range(arguments.repeats):
        results["pynnlike.brian2"].append(with_pynnlike(sim, codegen_target=arguments.target))
        results["Brian2"].append(with_brian2(arguments.target))
    report(f"target {arguments.target}, best of {arguments.repeats}", results, 1.2)


if __name__ == "__main__":
    main()
