"""Strong scaling, and a network at scale, timed and measured in fresh processes.

Default: a 10,000-cell network (benchmarks/network.py's IF_curr_exp cells and weights, 80 %
excitatory, 100 inputs per cell drawn with FixedNumberPreConnector, 200 ms simulated) through
pynnlike on NEURON with 1 and 2 MPI processes, and on NEST with 1 and 2 threads.
--scale: also 100,000 cells and 10 million synapses (100 ms simulated) on NEST (2 threads) and on
NEURON (2 MPI processes), through pynnlike and written directly in PyNEST / neuron.h, with build
time, run time (simulation and reading every spike back), peak memory (all processes together),
and memory per neuron (resident memory growth while creating the cells) and per synapse (peak
memory less the memory after creating the cells: connections, their temporaries and whatever the
simulator allocates for them at its first run).

Each case runs in its own process (under the venv's mpiexec for 2 MPI processes); the tables are
printed and written to docs/performance.md (only the sections this command measured change).

Usage: python benchmarks/scaling.py [--scale] [--repeats N]
"""
import argparse
import importlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from network import CELL, DELAY, NEST_CELL, W_EXC, W_INH

HERE = Path(__file__).resolve().parent
DOC = HERE.parent / "docs" / "performance.md"
EXCITATORY, K_EXC, K_INH = 0.8, 80, 20  # fraction of excitatory cells, inputs per cell
SMALL, SMALL_T = 10_000, 200.0
LARGE, LARGE_T = 100_000, 100.0
# a shared or oversubscribed machine: waiting MPI ranks and OpenMP threads (NEST) yield their
# core instead of spinning
WORKER_ENV = {"MPIR_CVAR_ENABLE_HEAVY_YIELD": "1", "OMP_WAIT_POLICY": "passive"}


# -- measuring, inside a worker ------------------------------------------------------------------
class Meter:
    """Wall time and resident memory at named points, summed over MPI processes at the end."""

    def __init__(self, barrier):
        self.barrier = barrier
        self.marks = {}
        self.mark("start")

    def mark(self, name):
        self.barrier()
        with open("/proc/self/statm") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        self.marks[name] = (time.perf_counter(), resident / 2 ** 20)

    def result(self, spikes, gather):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: kB)
        memory = gather({name: m for name, (_, m) in self.marks.items()} | {"peak": peak})
        total = {name: sum(part[name] for part in memory) for name in memory[0]}
        t = {name: t for name, (t, _) in self.marks.items()}
        return {"build": t["connected"] - t["start"], "run": t["run"] - t["connected"],
                "spikes": int(spikes), "memory": total, "processes": len(memory)}


def _networks(n):
    n_exc = int(EXCITATORY * n)
    return n_exc, n - n_exc, np.random.RandomState(1).uniform(-65.0, -50.0, n)


def pynnlike_worker(backend, n, t, threads):
    sim = importlib.import_module(f"pynnlike.{backend}")
    from pynnlike.mpi import allgather
    options = {"threads": threads, "spike_precision": "on_grid"} if backend == "nest" else {}
    sim.setup(timestep=0.1, min_delay=DELAY, **options)
    meter = Meter(lambda: allgather(None))
    n_exc, n_inh, v0 = _networks(n)
    exc = sim.Population(n_exc, sim.IF_curr_exp(**CELL), label="exc")
    inh = sim.Population(n_inh, sim.IF_curr_exp(**CELL), label="inh")
    cells = exc + inh
    cells.initialize(v=v0)
    meter.mark("cells")
    rng = sim.NumpyRNG(seed=2)
    for pre, k, weight, receptor in ((exc, K_EXC, W_EXC, "excitatory"),
                                     (inh, K_INH, W_INH, "inhibitory")):
        sim.Projection(pre, cells, sim.FixedNumberPreConnector(k, with_replacement=True, rng=rng),
                       sim.StaticSynapse(weight=weight, delay=DELAY), receptor_type=receptor)
    cells.record("spikes")
    meter.mark("connected")
    sim.run(t)
    spikes = sum(len(p.get_data().segments[0].spiketrains.multiplexed[1]) for p in (exc, inh))
    meter.mark("run")
    result = meter.result(spikes, allgather)
    sim.end()
    return result, sim.rank()


def nest_worker(n, t, threads):
    os.environ.setdefault("PYNEST_QUIET", "1")
    import nest
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.set(resolution=0.1, local_num_threads=threads, rng_seed=2)
    meter = Meter(lambda: None)
    n_exc, n_inh, v0 = _networks(n)
    exc = nest.Create("iaf_psc_exp", n_exc, NEST_CELL)
    inh = nest.Create("iaf_psc_exp", n_inh, NEST_CELL)
    cells = exc + inh
    cells.V_m = v0
    meter.mark("cells")
    for pre, k, weight in ((exc, K_EXC, W_EXC), (inh, K_INH, W_INH)):
        nest.Connect(pre, cells, {"rule": "fixed_indegree", "indegree": k},
                     {"weight": 1000.0 * weight, "delay": DELAY})
    recorder = nest.Create("spike_recorder")
    nest.Connect(cells, recorder)
    meter.mark("connected")
    nest.Simulate(t)
    spikes = len(recorder.events["times"])
    meter.mark("run")
    return meter.result(spikes, lambda x: [x]), 0


def neuron_worker(n, t):
    """The network in neuron.h, round-robin over the MPI processes like pynnlike's, with
    pynnlike's compiled mechanisms and a hoc loop of gid_connect."""
    from pynnlike.backends.neuron import parallel
    from pynnlike.backends.neuron.compile import load_mechanisms
    parallel.start()
    load_mechanisms()
    from native_neuron import lif_cell
    from neuron import h
    from pynnlike.mpi import allgather, allsum
    h("""
    proc scaling_connect() { local k  localobj nc, pc
        // $o1 source gids, $o2 target positions in List $o3, $4 weight, $5 delay, $o6 List
        pc = new ParallelContext()
        for k = 0, $o1.size() - 1 {
            nc = pc.gid_connect($o1.x[k], $o3.o($o2.x[k]))
            nc.weight = $4
            nc.delay = $5
            $o6.append(nc)
        }
    }
    """)
    pc = h.ParallelContext()
    rank, nhost = int(pc.id()), int(pc.nhost())
    h.dt = 0.1
    h.secondorder = 2
    meter = Meter(lambda: allgather(None))
    n_exc, _, v0 = _networks(n)
    gids = np.arange(rank, n, nhost)
    sections, keep, excitatory, inhibitory = [], [], h.List(), h.List()
    for gid in gids.tolist():
        section, membrane, to_excitatory, to_inhibitory = lif_cell(pc, gid, rank)
        excitatory.append(to_excitatory)
        inhibitory.append(to_inhibitory)
        sections.append(section)
        keep.append(membrane)
    meter.mark("cells")
    rng = np.random.RandomState(2 + rank)
    netcons = h.List()
    for first, count, k, targets, weight in ((0, n_exc, K_EXC, excitatory, W_EXC),
                                             (n_exc, n - n_exc, K_INH, inhibitory, W_INH)):
        sources = first + rng.randint(0, count, size=len(gids) * k)
        positions = np.repeat(np.arange(len(gids)), k)
        h.scaling_connect(h.Vector(sources.astype(float)), h.Vector(positions.astype(float)),
                          targets, weight, DELAY, netcons)
    times, spiking = h.Vector(), h.Vector()
    pc.spike_record(-1, times, spiking)
    meter.mark("connected")
    pc.set_maxstep(10.0)
    h.finitialize()
    for section, v in zip(sections, v0[gids].tolist()):
        section(0.5).v = v
    pc.psolve(t)
    spikes = allsum(len(times))
    meter.mark("run")
    result = meter.result(spikes, allgather)
    pc.gid_clear()
    return result, rank


def worker(version, backend, n, t, threads):
    if version == "pynnlike":
        result, rank = pynnlike_worker(backend, n, t, threads)
    elif backend == "nest":
        result, rank = nest_worker(n, t, threads)
    else:
        result, rank = neuron_worker(n, t)
    if rank == 0:
        print("RESULT " + json.dumps(result), flush=True)


# -- running the cases ---------------------------------------------------------------------------
def run_case(version, backend, n, t, processes=1, threads=1):
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", version, backend,
               str(n), str(t), str(threads)]
    if processes > 1:
        command = [str(Path(sys.executable).parent / "mpiexec"), "-n", str(processes)] + command
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE,
                          env={**os.environ, **WORKER_ENV})
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(lines[0][len("RESULT "):])


def best(version, backend, n, t, repeats, processes=1, threads=1):
    runs = [run_case(version, backend, n, t, processes, threads) for _ in range(repeats)]
    chosen = min(runs, key=lambda r: r["build"] + r["run"])
    chosen["build"] = min(r["build"] for r in runs)
    chosen["run"] = min(r["run"] for r in runs)
    return chosen


def strong_scaling(repeats):
    rows = []
    for backend, label, key in (("neuron", "MPI processes", "processes"),
                                ("nest", "threads", "threads")):
        first = None
        for count in (1, 2):
            r = best("pynnlike", backend, SMALL, SMALL_T, repeats, **{key: count})
            first = first or r
            name = label if count > 1 else label[:-1]  # "1 thread", "2 threads"
            rows.append(f"| pynnlike.{backend} | {count} {name} | {r['build']:.2f} | "
                        f"{r['run']:.2f} | {first['run'] / r['run']:.2f} | "
                        f"{r['memory']['peak']:.0f} | {r['spikes']} |")
            print(rows[-1], flush=True)
    return [f"## Strong scaling: {SMALL:,} cells, {SMALL * (K_EXC + K_INH):,} synapses",
            "",
            f"{SMALL_T:g} ms simulated; best of {repeats}; {_load()}. Speed-up = run time with one "
            f"process (thread) / run time with two. Peak memory: all processes together. Equal "
            f"spike counts: the same network and the same spikes for any parallelism.",
            "",
            "| backend | parallelism | build (s) | run (s) | run speed-up | peak memory (MB) "
            "| spikes |",
            "|---|---|---|---|---|---|---|", *rows]


def at_scale(repeats):
    rows = []
    for version, backend, label, options in (
            ("pynnlike", "nest", "pynnlike.nest", {"threads": 2}),
            ("native", "nest", "PyNEST", {"threads": 2}),
            ("pynnlike", "neuron", "pynnlike.neuron", {"processes": 2}),
            ("native", "neuron", "neuron.h", {"processes": 2})):
        r = best(version, backend, LARGE, LARGE_T, repeats, **options)
        m = r["memory"]
        per_neuron = (m["cells"] - m["start"]) * 2 ** 20 / LARGE / 1024
        per_synapse = (m["peak"] - m["cells"]) * 2 ** 20 / (LARGE * (K_EXC + K_INH))
        parallel = f"{options.get('threads', options.get('processes'))} " + \
            ("threads" if "threads" in options else "MPI processes")
        rows.append(f"| {label} | {parallel} | {r['build']:.1f} | {r['run']:.1f} | "
                    f"{m['peak'] / 1024:.2f} | {per_neuron:.1f} | {per_synapse:.0f} | "
                    f"{r['spikes']} |")
        print(rows[-1], flush=True)
    return [f"## At scale: {LARGE:,} cells, {LARGE * (K_EXC + K_INH):,} synapses",
            "",
            f"{LARGE_T:g} ms simulated; best of {repeats}; {_load()}. Memory per neuron: "
            f"growth of resident memory (all processes) while creating the cells; per synapse: "
            f"peak memory less the memory after creating the cells. pynnlike keeps every "
            f"connection's i, j, weight and delay in the core (32 bytes a connection, on every "
            f"MPI rank) so that `get` returns exactly what was set; native code keeps nothing "
            f"of its own. Native versions draw their own connections (same statistics, not the "
            f"same connections).",
            "",
            "| version | parallelism | build (s) | run (s) | peak memory (GB) | kB per neuron "
            "| bytes per synapse | spikes |",
            "|---|---|---|---|---|---|---|---|", *rows]


def _load():
    """The machine's load while measuring: timings from a shared machine are only indicative."""
    settings = ", ".join(f"{k}={v}" for k, v in WORKER_ENV.items())
    return (f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores during the runs, "
            f"with {settings}")


def write_doc(sections):
    """Replace (or add) the measured sections of docs/performance.md, keeping the others."""
    head = ["# Performance", "",
            "Written by `python benchmarks/scaling.py [--scale]` on the machine it ran on "
            f"({os.cpu_count()} cores); other benchmarks: `make benchmark`.", ""]
    kept = {}
    if DOC.exists():
        title = None
        for line in DOC.read_text().splitlines():
            if line.startswith("## "):
                title = line
                kept[title] = []
            elif title is not None:
                kept[title].append(line)
    for section in sections:
        kept[section[0]] = section[1:] + [""]
    DOC.parent.mkdir(exist_ok=True)
    body = [line for title, lines in kept.items() for line in [title] + lines]
    DOC.write_text("\n".join(head + body).rstrip() + "\n")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        version, backend, n, t, threads = sys.argv[2:7]
        worker(version, backend, int(n), float(t), int(threads))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="store_true",
                        help=f"also the {LARGE:,}-cell network (several minutes, ~10 GB)")
    parser.add_argument("--repeats", type=int, default=1)
    options = parser.parse_args()
    sections = [strong_scaling(options.repeats)]
    if options.scale:
        sections.append(at_scale(options.repeats))
    for section in sections:
        print("\n".join(section) + "\n")
    write_doc(sections)
    print(f"written to {DOC}")


if __name__ == "__main__":
    main()
