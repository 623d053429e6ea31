"""The network every backend benchmark builds: its definition, the pynnlike version (the same
code for every face: only the import differs), and the table the benchmarks print.

4000 IF_curr_exp cells (3200 excitatory, 800 inhibitory), 2 % random connectivity, driven by a
constant current, 1 s of simulated time, the spikes of every cell recorded and read back.
"""
import time

import numpy as np

N_EXC, N_INH, P, T = 3200, 800, 0.02, 1000.0
N = N_EXC + N_INH
CELL = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0, tau_refrac=2.0,
            tau_syn_E=5.0, tau_syn_I=5.0, i_offset=0.8)
W_EXC, W_INH, DELAY = 0.05, -0.2, 1.0  # nA, nA, ms
#: CELL as NEST's iaf_psc_exp parameters (pF, pA), for the benchmarks written in PyNEST
NEST_CELL = {"tau_m": CELL["tau_m"], "C_m": 1000.0 * CELL["cm"], "E_L": CELL["v_rest"],
             "V_reset": CELL["v_reset"], "V_th": CELL["v_thresh"], "t_ref": CELL["tau_refrac"],
             "tau_syn_ex": CELL["tau_syn_E"], "tau_syn_in": CELL["tau_syn_I"],
             "I_e": 1000.0 * CELL["i_offset"]}


def initial_v(seed=1):
    return np.random.RandomState(seed).uniform(-65.0, -50.0, N)


def with_pynnlike(sim, **setup_options):
    """(build, run, spikes, connect) seconds/counts of the network through face `sim`."""
    t0 = time.perf_counter()
    sim.setup(timestep=0.1, **setup_options)
    exc = sim.Population(N_EXC, sim.IF_curr_exp(**CELL), label="exc")
    inh = sim.Population(N_INH, sim.IF_curr_exp(**CELL), label="inh")
    cells = exc + inh
    cells.initialize(v=initial_v())
    rng = sim.NumpyRNG(seed=2)
    tc = time.perf_counter()
    sim.Projection(exc, cells, sim.FixedProbabilityConnector(P, rng=rng),
                   sim.StaticSynapse(weight=W_EXC, delay=DELAY), receptor_type="excitatory")
    sim.Projection(inh, cells, sim.FixedProbabilityConnector(P, rng=rng),
                   sim.StaticSynapse(weight=W_INH, delay=DELAY), receptor_type="inhibitory")
    connect = time.perf_counter() - tc
    cells.record("spikes")
    t1 = time.perf_counter()
    sim.run(T)
    # spikes of all cells as one pair of arrays, as the native versions read them
    n_spikes = sum(len(p.get_data().segments[0].spiketrains.multiplexed[1]) for p in (exc, inh))
    t2 = time.perf_counter()
    sim.end()
    return t1 - t0, t2 - t1, n_spikes, connect


def report(title, results, target):
    """Print the best (build, run, total) of each version and the ratio of the first to the
    second; `results` maps a name to a list of (build, run, spikes, ...) tuples."""
    best = {name: (min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2])
            for name, runs in results.items()}
    print(f"{N} IF_curr_exp cells, {P:.0%} connectivity, {T / 1000:g} s simulated, {title}")
    print(f"{'':17}{'build (s)':>11}{'run (s)':>11}{'total (s)':>11}{'spikes':>10}")
    for name, (build, run, spikes) in best.items():
        print(f"{name:17}{build:11.3f}{run:11.3f}{build + run:11.3f}{spikes:10d}")
    (b1, r1, _), (b2, r2, _) = list(best.values())[:2]
    print(f"{'ratio':17}{b1 / b2:11.2f}{r1 / r2:11.2f}{(b1 + r1) / (b2 + r2):11.2f}"
          f"   (target: total within {target})")
