"""Projections built with a PhiloxRNG under any number of MPI processes; every rank pickles what
it sees to <out>/rank<r>.pkl for test_mpi_philox.py.

Usage: [mpiexec -n K] python philox.py <backend> <out directory>
"""
import os
import pickle
import sys

import numpy as np

from pynnlike.recording.weights import WeightRecorder

backend, out = sys.argv[1], sys.argv[2]
sim = __import__(f"pynnlike.{backend}", fromlist=["setup"])

sim.setup(timestep=0.1)  # min_delay 'auto': from the projections' delays
pre = sim.Population(40, sim.IF_cond_exp(), label="pre")
post = sim.Population(30, sim.IF_cond_exp(), label="post")
philox = sim.PhiloxRNG(seed=21)  # one stream per projection, numbered in construction order


def uniform(low, high, seed):
    return sim.RandomDistribution("uniform", (low, high), rng=sim.NumpyRNG(seed=seed))


projections = {
    "fixed_probability": sim.Projection(
        pre, post, sim.FixedProbabilityConnector(0.2, rng=philox),
        sim.StaticSynapse(weight=uniform(0.001, 0.01, 11), delay="1.0 + 0.05 * d")),
    "distance": sim.Projection(
        pre, post, sim.DistanceDependentProbabilityConnector("exp(-d / 6.0)", rng=philox),
        sim.StaticSynapse(weight=0.005, delay=uniform(0.8, 3.0, 12))),
    "fixed_number": sim.Projection(
        pre, post, sim.FixedNumberPreConnector(5, rng=philox),
        sim.StaticSynapse(weight=np.linspace(0.001, 0.01, 1200).reshape(40, 30), delay=1.5)),
    "fixed_number_replacement": sim.Projection(
        post, post, sim.FixedNumberPreConnector(
            sim.RandomDistribution("poisson", (4.0,), rng=sim.NumpyRNG(seed=13)),
            with_replacement=True, allow_self_connections=False, rng=philox),
        sim.StaticSynapse(weight=sim.RandomDistribution(
            "normal_clipped", (0.005, 0.003, 0.0, 0.01), rng=sim.NumpyRNG(seed=14)),
            delay=2.0)),
}
reference = projections["fixed_probability"]
clone = sim.Projection(pre, post, sim.CloneConnector(reference),
                       sim.StaticSynapse(weight=uniform(0.02, 0.03, 15), delay=2.5))
built = {name: prj.get(["weight", "delay"], format="list") for name, prj in projections.items()}
local = {name: prj.get(["weight", "delay"], format="list", gather=False)
         for name, prj in projections.items()}
iterated = {name: [(c.presynaptic_index, c.postsynaptic_index, c.weight, c.delay) for c in prj]
            for name, prj in projections.items()}
reference.set(weight=uniform(0.002, 0.004, 3))
projections["fixed_number"].set(weight=np.linspace(0.1, 0.2, projections["fixed_number"].size()))
recorder = WeightRecorder(projections["distance"], sampling_interval=1.0)
sim.run(2.0, callbacks=[recorder])
recorded = recorder.get_weights()
reference.save("all", os.path.join(out, "fixed_probability.txt"))

rank = sim.rank()
result = {
    "rank": rank, "num_processes": sim.num_processes(),
    "local_posts": post.id_to_index(post.local_cells).tolist(),
    "built": built,
    "len": {name: len(prj) for name, prj in projections.items()},
    "size": {name: prj.size() for name, prj in projections.items()},
    "core": {name: len(prj._i) for name, prj in projections.items()},
    "local": local, "iterated": iterated,
    "set_random": reference.get("weight", format="list"),
    "set_list": projections["fixed_number"].get("weight", format="list"),
    "clone": clone.get(["weight", "delay"], format="list"),
    "clone_len": len(clone),
    "recorded": (recorded.array_annotations["presynaptic_index"].tolist(),
                 recorded.array_annotations["postsynaptic_index"].tolist(),
                 np.asarray(recorded.magnitude)),
    "delays": (sim.get_min_delay(), sim.get_max_delay()),
}
sim.end()
with open(os.path.join(out, f"rank{rank}.pkl"), "wb") as f:
    pickle.dump(result, f)
