"""A small network with Poisson input and random connectivity, run under any number of MPI
processes; every rank pickles what it sees to <out>/rank<r>.pkl for test_mpi_neuron.py.

Usage: [mpiexec -n K] python network.py <backend> <out directory>
"""
import os
import pickle
import sys

import numpy as np

import pynnlike.recording as recording

backend, out = sys.argv[1], sys.argv[2]
sim = __import__(f"pynnlike.{backend}", fromlist=["setup"])

sim.setup(timestep=0.1, min_delay=1.0, rng_seed=7)
celltype = sim.IF_cond_exp(tau_m=sim.RandomDistribution("uniform", (15.0, 25.0),
                                                        rng=sim.NumpyRNG(seed=3)),
                           v_thresh=-52.0, tau_refrac=2.0)
exc = sim.Population(30, celltype, label="exc")
inh = sim.Population(10, sim.IF_cond_exp(v_thresh=-52.0), label="inh")
cells = exc + inh
cells.initialize(v=sim.RandomDistribution("uniform", (-65.0, -55.0), rng=sim.NumpyRNG(seed=4)))
noise = sim.Population(20, sim.SpikeSourcePoisson(rate=40.0), label="noise")
rng = sim.NumpyRNG(seed=5)
weights = sim.RandomDistribution("uniform", (0.004, 0.012), rng=rng)
input_prj = sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.3, rng=rng),
                           sim.StaticSynapse(weight=weights, delay=1.0),
                           receptor_type="excitatory")
exc_prj = sim.Projection(exc, cells, sim.FixedProbabilityConnector(0.2, rng=rng),
                         sim.StaticSynapse(weight=0.003, delay=sim.RandomDistribution(
                             "uniform", (1.0, 3.0), rng=rng)), receptor_type="excitatory")
sim.Projection(inh, cells, sim.FixedProbabilityConnector(0.2, rng=rng),
               sim.StaticSynapse(weight=0.01, delay=1.5), receptor_type="inhibitory")
sim.DCSource(amplitude=0.2, start=50.0, stop=80.0).inject_into(inh[2:6])
sim.StepCurrentSource(times=[20.0, 60.0], amplitudes=[0.3, 0.0]).inject_into(exc[0:3])

cells.record("spikes")
noise.record("spikes")
exc[[0, 1, 2, 5]].record("v")
sim.run(60.0)
inh[[1, 2]].record("v")  # added after a run
sim.run(40.0)
first_counts = exc.mean_spike_count()
sim.reset(annotations={"trial": 0})
sim.run(50.0)


def spikes(block):
    return [{int(st.annotations["channel_id"]): st.magnitude.tolist() for st in s.spiketrains}
            for s in block.segments]


def signals(block):
    return [{a.name: (a.annotations["channel_ids"].tolist(), np.asarray(a.magnitude))
             for a in s.analogsignals} for s in block.segments]


rank = sim.rank()
gathered = cells.get_data()
local = exc.get_data(gather=False)
exc.write_data(os.path.join(out, "exc.pkl"))
exc.write_data(os.path.join(out, "exc_local.pkl"), gather=False)
exc_prj.save("all", os.path.join(out, "exc_prj.txt"))
exc.save_positions(os.path.join(out, "positions.txt"))
result = {
    "rank": rank, "num_processes": sim.num_processes(),
    "spikes": spikes(gathered), "signals": signals(gathered),
    "noise": spikes(noise.get_data()),
    "local_spikes": spikes(local), "local_ids": [int(c) for c in exc.local_cells],
    "first_counts": first_counts, "mean_spike_count": exc.mean_spike_count(),
    "spike_counts": {int(k): v for k, v in cells.get_spike_counts().items()},
    "tau_m": exc.get("tau_m", gather=True), "tau_m_local": exc.get("tau_m"),
    "weights": input_prj.get("weight", format="list"),
    "delays": exc_prj.get(["weight", "delay"], format="array"),
    "local_weights": input_prj.get("weight", format="list", gather=False),
    "size": input_prj.size(), "len": len(input_prj), "iterated": len(list(input_prj)),
    "gather_dict": recording.gather_dict({"ranks": [rank]}),
    "mpi_sum": recording.mpi_sum(rank + 1),
    "gather_blocks": spikes(recording.gather_blocks(local)),
    "gather_blocks_signals": signals(recording.gather_blocks(local)),
}
sim.end()
with open(os.path.join(out, f"rank{rank}.pkl"), "wb") as f:
    pickle.dump(result, f)
