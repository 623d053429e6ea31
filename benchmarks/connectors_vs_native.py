"""Every connector built through pynnlike, side by side with the direct simulator code that
builds the same connectivity: CPU time and peak memory of the build, and their ratio.

Direct code (column "direct"): NEST's nest.Connect with the matching rule (pairwise_bernoulli,
fixed_indegree, ...) or Brian2's Synapses.connect(p=...) / generator syntax ("rule"); where the
simulator has no rule (distance-dependent, lists, files, arrays, clones, small worlds; Brian2's
fixed total number) one bulk call with the connection arrays ("arrays": computed beforehand,
but for FromFile's reading of the file and Array's np.nonzero, so the direct time is a floor,
the simulator taking the connections); on NEURON a Python loop making one connection object (a
NetCon and its wrapper) per connection ("loop"). Random connectors are built by pynnlike twice:
with a NumpyRNG (drawn in numpy, then one bulk connect) and with a NativeRNG (the simulator's
own rule on NEST and Brian2; "native", the like-for-like comparison with the direct rule). A
NumpyRNG reproduces PyNN's stream, which draws more than the simulators' rules do (a uniform per
pair for FixedProbability, a permutation of all candidates per cell for FixedNumber*). A native
build reads its connections into the core only when something needs them (get, save, set with
varying values): on NEST that costs ~6 us per connection, not part of the build measured here.

Each measurement runs in a fresh process: CPU time (time.process_time: the shared machine's
load matters less than for wall time) of the build alone, after the cells exist, and peak
memory as the rise of the process's resident set (VmHWM, reset before the build), which counts
the simulator's memory too; each is the best of --repeats runs (default 3), alternating.
Weights 0.1 nA and delays 1 ms, as numbers. Targets: pynnlike
within 1.5x of the direct call on NEST and Brian2, and 10x faster than the loop on NEURON.

    python benchmarks/connectors_vs_native.py [--sizes 1e5 1e6] [--huge] [--backends nest ...]
                                  [--only FixedProbability ...] [--repeats 3] [--profile]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

BACKENDS = ("nest", "brian2", "neuron")
RANDOM = ("FixedProbability", "FixedNumberPre", "FixedNumberPost", "FixedTotalNumber")
RULES = {"nest": ("AllToAll", "OneToOne") + RANDOM, "brian2": ("AllToAll", "OneToOne") + RANDOM[:3],
         "neuron": ()}
CONNECTORS = ("AllToAll", "OneToOne") + RANDOM + (
    "DistanceDependent", "IndexBased", "DisplacementDependent", "FromList", "FromFile", "Array",
    "Clone", "SmallWorld")
WEIGHT, DELAY = 0.1, 1.0


# -- the cases ---------------------------------------------------------------------------------
def shape(name, total):
    """(M, N, per-cell count) for about `total` connections; random maps at density 0.1."""
    if name == "AllToAll":
        side = int(round(np.sqrt(total)))
        return side, side, side
    if name == "OneToOne":
        return total, total, 1
    side = int(round(np.sqrt(10 * total)))
    return side, side, total // side


def connector(c, name, total, rng, path=None, reference=None):
    """The pynnlike connector `name` (module `c` = pynnlike.connectors) for `total`."""
    from connectors import TenPercent
    m, n, per_cell = shape(name, total)
    length = total / (2 * n)  # exp(-d/length) on a line of spacing 1: ~2 length per cell
    if name == "AllToAll":
        return c.AllToAllConnector()
    if name == "OneToOne":
        return c.OneToOneConnector()
    if name == "FixedProbability":
        return c.FixedProbabilityConnector(0.1, rng=rng)
    if name == "FixedNumberPre":
        return c.FixedNumberPreConnector(per_cell, rng=rng)
    if name == "FixedNumberPost":
        return c.FixedNumberPostConnector(per_cell, rng=rng)
    if name == "FixedTotalNumber":
        return c.FixedTotalNumberConnector(total, rng=rng)
    if name == "DistanceDependent":
        return c.DistanceDependentProbabilityConnector(f"exp(-d / {length})", rng=rng)
    if name == "IndexBased":
        return c.IndexBasedProbabilityConnector(TenPercent(), rng=rng)
    if name == "DisplacementDependent":
        return c.DisplacementDependentProbabilityConnector(
            lambda D: np.exp(-np.abs(D[0]) / length), rng=rng)
    if name == "FromList":
        return c.FromListConnector(listed(total, m, n))
    if name == "FromFile":
        return c.FromFileConnector(path)
    if name == "Array":
        return c.ArrayConnector(array(m, n))
    if name == "Clone":
        return c.CloneConnector(reference)
    return c.SmallWorldConnector(per_cell / 2 + 0.5, 0.1, rng=rng)  # SmallWorld


def listed(total, m, n):
    """Rows (i, j, weight, delay) for FromList and FromFile."""
    rs = np.random.RandomState(4)
    return np.column_stack([rs.randint(0, m, total), rs.randint(0, n, total),
                            np.full(total, WEIGHT), np.full(total, DELAY)])


def connection_file(total):
    """A file as Projection.save writes it (made once, outside the measurements)."""
    from pynnlike.recording.files import StandardTextFile
    path = os.path.join(tempfile.gettempdir(), f"pynnlike_vs_native_{total}.txt")
    if not os.path.exists(path):
        m, n, _ = shape("FromFile", total)
        rows = listed(total, m, n)
        rows = rows[np.lexsort((rows[:, 0], rows[:, 1]))]
        with StandardTextFile(path, "w") as f:
            f.write(rows, {"columns": ["i", "j", "weight", "delay"]})
    return path


def direct_inputs(name, total):
    """What direct code starts from when the simulator has no matching rule, made before the
    measurement: the matrix for Array, nothing for FromFile (the file), else the (i, j) arrays
    pynnlike's connector draws (without a simulator)."""
    from pynnlike import connectors as c
    from pynnlike.random import NumpyRNG
    from connectors import stand_in
    m, n, _ = shape(name, total)
    if name == "Array":
        return array(m, n)
    if name == "FromFile":
        return None
    projection = stand_in(m, n)
    if name == "Clone":  # the reference projection pynnlike_build clones
        made = c.FixedNumberPreConnector(total // n, rng=NumpyRNG(2)).connect(projection)
    else:
        made = connector(c, name, total, NumpyRNG(1)).connect(projection)
    return made.i, made.j


def direct_arrays(name, total, inputs):
    """The (i, j) arrays direct code connects, computed inside the measurement where a script
    would: reading the file for FromFile, the True entries for Array."""
    if name == "FromFile":
        data = np.loadtxt(connection_file(total))
        return data[:, 0].astype(np.int64), data[:, 1].astype(np.int64)
    if name == "Array":
        j, i = np.nonzero(inputs.T)
        return i, j
    return inputs


def array(m, n):
    return np.random.RandomState(3).uniform(size=(m, n)) < 0.1


# -- measurement --------------------------------------------------------------------------------
def _memory(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    return 0


def measure(build):
    """(connections made, CPU seconds, peak bytes above the resident set before)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # resets VmHWM to the current resident set
    before = _memory("VmRSS")
    start = time.process_time()
    made = build()
    elapsed = time.process_time() - start
    return made, elapsed, _memory("VmHWM") - before


def pynnlike_build(backend, name, total, native, profile=False):
    import importlib
    sim = importlib.import_module(f"pynnlike.{backend}")
    from pynnlike import connectors as c
    sim.setup(timestep=0.1, min_delay=0.1, max_delay=10.0)
    m, n, _ = shape(name, total)
    pre = sim.Population(m, sim.IF_curr_exp())
    post = sim.Population(n, sim.IF_curr_exp())
    reference = None
    if name == "Clone":
        reference = sim.Projection(pre, post, sim.FixedNumberPreConnector(
            total // n, rng=sim.NumpyRNG(2)), sim.StaticSynapse(weight=WEIGHT, delay=DELAY))
    if backend == "brian2":
        sim.run(0.1)  # Brian2 makes the cells' NeuronGroup at the first connect or run
    path = connection_file(total) if name == "FromFile" else None
    rng = sim.NativeRNG(1) if native else sim.NumpyRNG(1)
    synapse = sim.StaticSynapse(weight=WEIGHT, delay=DELAY)
    # inputs (lists, arrays) are given; reading the file is part of FromFile's work
    made = None if name == "FromFile" else connector(c, name, total, rng, reference=reference)

    def build():
        return len(sim.Projection(pre, post, made or connector(c, name, total, rng, path),
                                  synapse))

    if profile:
        import cProfile
        import pstats
        profiler = cProfile.Profile(time.process_time)
        result = measure(lambda: profiler.runcall(build))
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        return result
    return measure(build)


def nest_build(name, total):
    os.environ["PYNEST_QUIET"] = "1"
    import nest
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.resolution = 0.1
    m, n, per_cell = shape(name, total)
    pre, post = nest.Create("iaf_psc_exp", m), nest.Create("iaf_psc_exp", n)
    syn = {"synapse_model": "static_synapse", "weight": WEIGHT * 1000.0, "delay": DELAY}
    rules = {"AllToAll": {"rule": "all_to_all"}, "OneToOne": {"rule": "one_to_one"},
             "FixedProbability": {"rule": "pairwise_bernoulli", "p": 0.1},
             "FixedNumberPre": {"rule": "fixed_indegree", "indegree": per_cell,
                                "allow_multapses": False},
             "FixedNumberPost": {"rule": "fixed_outdegree", "outdegree": per_cell,
                                 "allow_multapses": False},
             "FixedTotalNumber": {"rule": "fixed_total_number", "N": total}}
    if name in rules:
        def build():
            nest.Connect(pre, post, rules[name], syn)
            return nest.num_connections
    else:
        inputs = direct_inputs(name, total)

        def build():
            i_, j_ = direct_arrays(name, total, inputs)
            nest.Connect(pre[0].global_id + i_, post[0].global_id + j_, "one_to_one",
                         {**syn, "weight": np.full(len(i_), syn["weight"]),
                          "delay": np.full(len(i_), DELAY)})
            return nest.num_connections
    return measure(build)


def brian2_build(name, total):
    import brian2 as b2
    b2.prefs.codegen.target = "numpy"
    m, n, per_cell = shape(name, total)
    cells = b2.NeuronGroup(m + n, "dv/dt = -v/(10*ms) : 1", threshold="v > 1",
                           method="exact")
    pre, post = cells[:m], cells[m:]
    synapses = b2.Synapses(pre, post, "w : 1", on_pre="v_post += w")
    rules = {"AllToAll": {}, "OneToOne": {"j": "i"}, "FixedProbability": {"p": 0.1},
             "FixedNumberPre": {"i": f"k for k in sample(N_pre, size={per_cell})"},
             "FixedNumberPost": {"j": f"k for k in sample(N_post, size={per_cell})"}}
    inputs = None if name in rules else direct_inputs(name, total)

    def build():
        if name in rules:
            synapses.connect(**rules[name])
        else:
            i, j = direct_arrays(name, total, inputs)
            synapses.connect(i=i, j=j)
        synapses.w = WEIGHT
        synapses.delay = DELAY * b2.ms
        return len(synapses)
    return measure(build)


def neuron_build(name, total):
    import importlib
    importlib.import_module("pynnlike.neuron")  # loads the compiled mechanisms
    from native_neuron import Connection
    from neuron import h
    pc = h.ParallelContext()
    m, n, _ = shape(name, total)
    sections, targets, keep = [], [], []
    for gid in range(m + n):
        section = h.Section(name=f"n{gid}")
        segment = section(0.5)
        cell = h.PnlLIF(segment)
        if gid >= m:
            targets.append(h.PnlCurrExp(segment))
        if gid < m:
            pc.set_gid2node(gid, 0)
            pc.cell(gid, h.NetCon(cell, None))
        sections.append(section)
        keep.append(cell)
    inputs = direct_inputs(name, total)

    def build():
        pairs = zip(*[a.tolist() for a in direct_arrays(name, total, inputs)])
        keep.extend(Connection(pc, a, targets[b], WEIGHT, DELAY) for a, b in pairs)
        return len(keep) - (m + n)
    return measure(build)


def worker(backend, name, total, variant, profile):
    connection_file(total) if name == "FromFile" else None
    np.loadtxt(["0 0"])  # numpy's first loadtxt imports its parser: not part of any build
    if variant == "direct":
        build = {"nest": nest_build, "brian2": brian2_build, "neuron": neuron_build}[backend]
        made, cpu, peak = build(name, total)
    else:
        made, cpu, peak = pynnlike_build(backend, name, total, variant == "native", profile)
    print(json.dumps({"made": int(made), "cpu": cpu, "peak": peak}))


# -- the table ----------------------------------------------------------------------------------
def run(backend, name, total, variant, profile=False):
    command = [sys.executable, os.path.abspath(__file__), "--worker", backend, name, str(total),
               variant] + (["--profile"] if profile else [])
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1][:60]}
    if profile:
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=float, default=[1e5, 1e6])
    parser.add_argument("--huge", action="store_true", help="also 1e7 connections")
    parser.add_argument("--backends", nargs="*", default=list(BACKENDS))
    parser.add_argument("--only", nargs="*", help="connector names")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--profile", action="store_true",
                        help="print pynnlike's profile of each build (stderr)")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        backend, name, total, variant = args.worker
        return worker(backend, name, int(total), variant, args.profile)
    sizes = [int(s) for s in args.sizes] + ([10 ** 7] if args.huge else [])
    print(f"{'backend':7} {'connector':22} {'size':>6} {'made':>9} {'direct':>6} | "
          f"{'pynnlike s':>10} {'direct s':>9} {'ratio':>6} | {'native s':>9} {'ratio':>6} | "
          f"{'pynnlike MB':>11} {'direct MB':>9}")
    for total in sizes:
        for backend in args.backends:
            for name in CONNECTORS:
                if args.only and name not in args.only:
                    continue
                variants = ["numpy", "direct"] + (["native"] if name in RANDOM
                                                  and backend != "neuron" else [])
                results = {variant: [] for variant in variants}
                for _ in range(args.repeats):  # alternating; the best run counts
                    for variant in variants:
                        results[variant].append(run(backend, name, total, variant,
                                                    args.profile and variant != "direct"))
                best = {variant: best_of(runs) for variant, runs in results.items()}
                print(row(backend, name, total, best["numpy"], best["direct"],
                          best.get("native")), flush=True)


def best_of(runs):
    """The least CPU time and peak memory of repeated runs (an error if any failed)."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    return {"made": runs[0]["made"], "cpu": min(r["cpu"] for r in runs),
            "peak": min(r["peak"] for r in runs)}


def row(backend, name, total, ours, direct, native):
    def seconds(r):
        return f"{r['cpu']:.2f}" if "cpu" in r else "error"

    def ratio(a, b):
        return f"{a['cpu'] / b['cpu']:.2f}" if "cpu" in a and "cpu" in b and b["cpu"] else "-"

    kind = "loop" if backend == "neuron" else "rule" if name in RULES[backend] else "arrays"
    text = (f"{backend:7} {name:22} {total:6.0e} {ours.get('made', 0):9d} {kind:>6} | "
            f"{seconds(ours):>10} {seconds(direct):>9} {ratio(ours, direct):>6} | ")
    text += (f"{seconds(native):>9} {ratio(native, direct):>6} | " if native else
             f"{'':>9} {'':>6} | ")
    text += f"{ours.get('peak', 0) / 1e6:11.0f} {direct.get('peak', 0) / 1e6:9.0f}"
    for label, r in (("pynnlike", ours), ("direct", direct), ("native", native or {})):
        if "error" in r:
            text += f"  [{label}: {r['error']}]"
    return text


if __name__ == "__main__":
    main()
