"""The same network through pynnlike.neuron and written directly with neuron.h, timed side by
side, plus the connection-building step alone against code that makes one Python object per
connection.

The network is benchmarks/nest_vs_pynest.py's: 4000 IF_curr_exp cells (3200 excitatory, 800
inhibitory), 2 % random connectivity, a constant drive, 1 s simulated, every spike recorded and
read back. The native version uses pynnlike's compiled mechanisms (PnlLIF, PnlCurrExp) on the
same one-compartment cells and a Python loop of pc.gid_connect; the per-object version also
wraps every NetCon in a small Connection object, as object-per-connection code does. Each
version runs REPEATS times, alternating; the best time counts.

Usage: python benchmarks/neuron_vs_native.py [--repeats N]
"""
import argparse
import time

import numpy as np

import pynnlike.neuron as sim  # imports NEURON and loads the mechanisms: not measured
from neuron import h

N_EXC, N_INH, P, T = 3200, 800, 0.02, 1000.0
N = N_EXC + N_INH
CELL = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_reset=-65.0, v_thresh=-50.0, tau_refrac=2.0,
            tau_syn_E=5.0, tau_syn_I=5.0, i_offset=0.8)
W_EXC, W_INH, DELAY = 0.05, -0.2, 1.0  # nA, nA, ms


def initial_v(seed=1):
    return np.random.RandomState(seed).uniform(-65.0, -50.0, N)


def with_pynnlike():
    t0 = time.perf_counter()
    sim.setup(timestep=0.1)
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
    n_spikes = sum(len(p.get_data().segments[0].spiketrains.multiplexed[1]) for p in (exc, inh))
    t2 = time.perf_counter()
    sim.end()
    return t1 - t0, t2 - t1, n_spikes, connect


class Connection:
    """One connection as object-per-connection code keeps it."""

    def __init__(self, pc, pre, target, weight, delay):
        self.pre, self.target = pre, target
        self.netcon = pc.gid_connect(pre, target)
        self.netcon.weight[0] = weight
        self.netcon.delay = delay


def with_neuron(objects=False):
    t0 = time.perf_counter()
    pc = h.ParallelContext()
    pc.gid_clear()
    h.dt = 0.1
    h.secondorder = 2
    sections, excitatory, inhibitory, keep = [], [], [], []
    v0 = initial_v()
    for gid in range(N):
        section = h.Section(name=f"n{gid}")
        section.L, section.diam, section.cm = 100.0, 1000.0 / np.pi, CELL["cm"]
        section.insert("pas")
        segment = section(0.5)
        segment.pas.g, segment.pas.e = 1e-3 * CELL["cm"] / CELL["tau_m"], CELL["v_rest"]
        membrane = h.PnlLIF(segment)
        membrane.vthresh, membrane.vreset = CELL["v_thresh"], CELL["v_reset"]
        membrane.trefrac, membrane.ioff = CELL["tau_refrac"], CELL["i_offset"]
        for targets, tau in ((excitatory, CELL["tau_syn_E"]), (inhibitory, CELL["tau_syn_I"])):
            synapse = h.PnlCurrExp(segment)
            synapse.tau = tau
            targets.append(synapse)
        pc.set_gid2node(gid, 0)
        pc.cell(gid, h.NetCon(membrane, None))
        sections.append(section)
        keep.append(membrane)
    rng = np.random.RandomState(2)
    tc = time.perf_counter()
    netcons = []
    for first, count, targets, weight in ((0, N_EXC, excitatory, W_EXC),
                                          (N_EXC, N_INH, inhibitory, W_INH)):
        j, i = np.nonzero(rng.uniform(size=(N, count)) < P)
        for pre, post in zip((first + i).tolist(), j.tolist()):
            if objects:
                netcons.append(Connection(pc, pre, targets[post], weight, DELAY))
            else:
                netcon = pc.gid_connect(pre, targets[post])
                netcon.weight[0] = weight
                netcon.delay = DELAY
                netcons.append(netcon)
    connect = time.perf_counter() - tc
    times, gids = h.Vector(), h.Vector()
    pc.spike_record(-1, times, gids)
    h.finitialize()
    for section, v in zip(sections, v0.tolist()):
        section(0.5).v = v
    t1 = time.perf_counter()
    pc.set_maxstep(10.0)
    pc.psolve(T)
    n_spikes = len(times.as_numpy().copy())
    t2 = time.perf_counter()
    pc.gid_clear()
    return t1 - t0, t2 - t1, n_spikes, connect


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    results = {"pynnlike.neuron": [], "neuron.h": [], "objects": []}
    for _ in range(repeats):
        results["pynnlike.neuron"].append(with_pynnlike())
        results["neuron.h"].append(with_neuron())
        results["objects"].append(with_neuron(objects=True))
    best = {name: (min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2],
                   min(r[3] for r in runs)) for name, runs in results.items()}
    print(f"{N} IF_curr_exp cells, {P:.0%} connectivity, {T / 1000:g} s simulated, "
          f"best of {repeats}")
    print(f"{'':17}{'build (s)':>11}{'run (s)':>11}{'total (s)':>11}{'spikes':>10}"
          f"{'connect (s)':>13}")
    for name, (build, run, spikes, connect) in best.items():
        print(f"{name:17}{build:11.3f}{run:11.3f}{build + run:11.3f}{spikes:10d}"
              f"{connect:13.3f}")
    (b1, r1, _, c1), (b2, r2, _, c2), (_, _, _, c3) = best.values()
    print(f"{'ratio to neuron.h':17}{b1 / b2:11.2f}{r1 / r2:11.2f}{(b1 + r1) / (b2 + r2):11.2f}"
          f"{'':10}{c1 / c2:13.2f}   (target: total within 1.3)")
    print(f"connections: pynnlike {c3 / c1:.1f}x faster than one Python object per connection "
          f"(target: 5x)")


if __name__ == "__main__":
    main()
