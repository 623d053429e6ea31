"""Distance-dependent connectivity between two layers of cells on 2-D grids.

Usage: python spatial.py <simulator> [--plot-figure] [--duration MS]

An input layer of 20 x 20 Poisson sources, of which only those within 3 grid units of the centre
fire (50 Hz), projects to an output layer of 20 x 20 integrate-and-fire cells on the same grid.
The connection probability falls off with distance as a Gaussian (width 2 units) and the weight
decays exponentially with distance, both given as expressions in d. Prints the number of
connections and their mean length (the same on every backend: connectivity is drawn by
pynnlike), then the mean firing rate of the output cells by distance from the centre; with
--plot-figure writes the connection pattern of the centre cell and a map of the output rates to
Results/spatial_<simulator>.png.
"""
import os

import numpy as np

from pynnlike.utility import get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}))
backend = sim.__name__.split(".")[-1]

side = 20
sim.setup(timestep=0.1, rng_seed=5)
grid = sim.space.Grid2D(aspect_ratio=1.0, dx=1.0, dy=1.0)
inputs = sim.Population(side * side, sim.SpikeSourcePoisson(rate=0.0), structure=grid,
                        label="input")
outputs = sim.Population(side * side, sim.IF_curr_exp(tau_refrac=2.0), structure=grid,
                         label="output")
centre = np.array([(side - 1) / 2, (side - 1) / 2])


def distance_from_centre(population):
    return np.hypot(*(population.positions[:2] - centre[:, None]))


inputs.set(rate=np.where(distance_from_centre(inputs) <= 3.0, 50.0, 0.0))
projection = sim.Projection(
    inputs, outputs,
    sim.DistanceDependentProbabilityConnector("exp(-d**2 / (2 * 2.0**2))",
                                              rng=sim.NumpyRNG(seed=21)),
    sim.StaticSynapse(weight="0.5 * exp(-d / 3.0)", delay=1.0),
    space=sim.Space(axes="xy"), receptor_type="excitatory")
outputs.record("spikes")
sim.run(options.duration)

connections = np.array(projection.get(["weight"], format="list"))
pre, post = connections[:, 0].astype(int), connections[:, 1].astype(int)
lengths = np.hypot(*(inputs.positions[:2, pre] - outputs.positions[:2, post]))
print(f"connections: {len(connections)}, mean length {lengths.mean():.3f}, "
      f"mean weight {connections[:, 2].mean():.4f} nA")
counts = np.array([len(st) for st in outputs.get_data().segments[0].spiketrains])
rates = counts * 1000.0 / options.duration
distance = distance_from_centre(outputs)
for low, high in ((0, 3), (3, 6), (6, 15)):
    ring = (distance >= low) & (distance < high)
    print(f"distance {low}-{high}: rate {rates[ring].mean():.1f} Hz")

if options.plot_figure:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (pattern, rate_map) = plt.subplots(1, 2, figsize=(9, 4.2))
    middle = int(np.argmin(distance))
    sources = pre[post == middle]
    pattern.plot(*inputs.positions[:2], ".", color="0.8", markersize=3)
    pattern.scatter(*inputs.positions[:2, sources], c=connections[post == middle, 2], s=20)
    pattern.plot(*outputs.positions[:2, middle], "r+", markersize=12)
    pattern.set_title(f"inputs of output cell {middle}", fontsize=9)
    pattern.set_aspect("equal")
    image = rate_map.imshow(rates.reshape(side, side).T, origin="lower", cmap="viridis")
    fig.colorbar(image, ax=rate_map, label="rate (Hz)")
    rate_map.set_title("output rates", fontsize=9)
    for ax in (pattern, rate_map):
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    fig.suptitle(f"distance-dependent connectivity on {backend}")
    os.makedirs("Results", exist_ok=True)
    filename = f"Results/spatial_{backend}.png"
    fig.savefig(filename, dpi=100)
    print(f"figure written to {filename}")
sim.end()
