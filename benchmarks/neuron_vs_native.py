"""The same network through pynnlike.neuron and written directly with neuron.h, timed side by
side, plus the connection-building step alone against code that makes one Python object per
connection.

The network is benchmarks/nest_vs_pynest.py's: 4000 IF_curr_exp cells (3200 excitatory, 800
inhibitory), 2 % random connectivity, a constant drive, 1 s simulated, every spike recorded and
read back. The native version uses pynnlike's compiled mechanisms (PnlLIF, PnlCurrExp) on the
same one-compartment cells and a Python loop of pc.gid_connect; the per-object version also
wraps every NetCon in a small Connection object, as object-per-connection code does; the hoc
version makes the same NetCons in a loop of NEURON's own interpreter, with no Python per
connection: the floor that any NetCon-per-connection code, pynnlike included, can reach. Each
version runs REPEATS times, alternating; the best time counts.

Usage: python benchmarks/neuron_vs_native.py [--repeats N]
"""
import argparse
import time

import numpy as np

import pynnlike.neuron as sim  # imports NEURON and loads the mechanisms: not measured
from neuron import h
from native_neuron import Connection, lif_cell
from network import DELAY, N, N_EXC, N_INH, P, T, W_EXC, W_INH, initial_v, report, with_pynnlike

h("""
objref pc
pc = new ParallelContext()
proc bench_connect() { local k  localobj nc
    // $o1 source gids, $o2 target positions in List $o3, $s4 weight, $5 delay, $o6 List
    for k = 0, $o1.size() - 1 {
        nc = pc.gid_connect($o1.x[k], $o3.o($o2.x[k]))
        nc.weight = $4
        nc.delay = $5
        $o6.append(nc)
    }
}
""")


def with_neuron(loop="python"):
    """The network with neuron.h; connections by a Python `loop`, Python 'objects' or 'hoc'."""
    t0 = time.perf_counter()
    pc = h.ParallelContext()
    pc.gid_clear()
    h.dt = 0.1
    h.secondorder = 2
    sections, excitatory, inhibitory, keep = [], [], [], []
    v0 = initial_v()
    for gid in range(N):
        section, membrane, to_excitatory, to_inhibitory = lif_cell(pc, gid)
        excitatory.append(to_excitatory)
        inhibitory.append(to_inhibitory)
        sections.append(section)
        keep.append(membrane)
    rng = np.random.RandomState(2)
    tc = time.perf_counter()
    netcons = []
    for first, count, targets, weight in ((0, N_EXC, excitatory, W_EXC),
                                          (N_EXC, N_INH, inhibitory, W_INH)):
        j, i = np.nonzero(rng.uniform(size=(N, count)) < P)
        if loop == "hoc":
            netcons.append(h.List())
            synapses = h.List()
            for synapse in targets:
                synapses.append(synapse)
            h.bench_connect(h.Vector((first + i).astype(float)), h.Vector(j.astype(float)),
                            synapses, weight, DELAY, netcons[-1])
            continue
        for pre, post in zip((first + i).tolist(), j.tolist()):
            if loop == "objects":
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
    results = {"pynnlike.neuron": [], "neuron.h": [], "objects": [], "hoc loop": []}
    for _ in range(repeats):
        results["pynnlike.neuron"].append(with_pynnlike(sim))
        results["neuron.h"].append(with_neuron())
        results["objects"].append(with_neuron("objects"))
        results["hoc loop"].append(with_neuron("hoc"))
    report(f"best of {repeats}", results, 1.3)
    connect = {name: min(r[3] for r in runs) for name, runs in results.items()}
    objects = connect["objects"]
    print(f"connections (s): pynnlike {connect['pynnlike.neuron']:.3f}, Python loop "
          f"{connect['neuron.h']:.3f}, one Python object per connection {objects:.3f}, "
          f"hoc loop {connect['hoc loop']:.3f}")
    print(f"one object per connection / pynnlike = {objects / connect['pynnlike.neuron']:.1f}x "
          f"(target: 5x; NEURON's own hoc loop reaches {objects / connect['hoc loop']:.1f}x)")


if __name__ == "__main__":
    main()
