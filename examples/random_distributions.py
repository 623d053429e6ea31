"""Heterogeneous parameters drawn from RandomDistribution objects.

Usage: python random_distributions.py <simulator> [--plot-figure] [--duration MS]

A population of 200 conductance-based cells whose membrane time constant, threshold, bias
current and initial potential are drawn from normal, clipped normal and uniform distributions,
driven by Poisson inputs through synapses with log-normal weights and uniform delays. Every draw
is made by pynnlike from the seeded NumpyRNG, so the values are the same on every backend. Prints
the mean and standard deviation of each drawn quantity as read back from the simulator, then the
mean firing rate; with --plot-figure writes histograms of the values and the rate of each cell
against its bias current to Results/random_distributions_<simulator>.png.
"""
import numpy as np

from pynnlike.utility import get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}))
backend = sim.__name__.split(".")[-1]

sim.setup(timestep=0.1, rng_seed=17)
rng = sim.NumpyRNG(seed=1717)
RD = sim.RandomDistribution
celltype = sim.IF_cond_exp(
    cm=0.25, v_rest=-65.0, v_reset=-65.0, tau_refrac=2.0,
    tau_m=RD("normal_clipped", mu=20.0, sigma=5.0, low=5.0, high=np.inf, rng=rng),
    v_thresh=RD("uniform", low=-55.0, high=-50.0, rng=rng),
    i_offset=RD("normal", mu=0.1, sigma=0.05, rng=rng))
cells = sim.Population(200, celltype, label="cells")
cells.initialize(v=RD("uniform", low=-65.0, high=-55.0, rng=rng))
noise = sim.Population(100, sim.SpikeSourcePoisson(rate=20.0), label="noise")
projection = sim.Projection(
    noise, cells, sim.FixedProbabilityConnector(0.2, rng=rng),
    sim.StaticSynapse(weight=RD("lognormal", mu=np.log(0.001), sigma=0.5, rng=rng),
                      delay=RD("uniform", low=1.0, high=5.0, rng=rng)),
    receptor_type="excitatory")
cells.record("spikes")
sim.run(options.duration)

values = {name: np.asarray(cells.get(name), dtype=float)
          for name in ("tau_m", "v_thresh", "i_offset")}
values["weight"], values["delay"] = (np.asarray(projection.get(name, format="list"))[:, 2]
                                     for name in ("weight", "delay"))
for name, x in values.items():
    print(f"{name}: n {x.size}, mean {x.mean():.5g}, sd {x.std():.5g}")
counts = np.array([len(st) for st in cells.get_data().segments[0].spiketrains])
rates = counts * 1000.0 / options.duration
print(f"mean rate {rates.mean():.1f} Hz, {np.count_nonzero(counts)} of {cells.size} cells fired")

if options.plot_figure:
    import os

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(9, 5.5))
    units = {"tau_m": "ms", "v_thresh": "mV", "i_offset": "nA", "weight": "uS", "delay": "ms"}
    for ax, (name, x) in zip(axes.flat, values.items()):
        # delays lie on the time grid (0.1 ms): bins two grid steps wide avoid aliasing
        bins = np.arange(0.95, 5.1, 0.2) if name == "delay" else int(np.sqrt(x.size))
        ax.hist(x, bins=bins)
        ax.set_xlabel(f"{name} ({units[name]})")
    axes.flat[-1].plot(values["i_offset"], rates, ".", markersize=3)
    axes.flat[-1].set_xlabel("i_offset (nA)")
    axes.flat[-1].set_ylabel("rate (Hz)")
    fig.suptitle(f"parameters drawn from random distributions, on {backend}")
    fig.tight_layout()
    os.makedirs("Results", exist_ok=True)
    filename = f"Results/random_distributions_{backend}.png"
    fig.savefig(filename, dpi=100)
    print(f"figure written to {filename}")
sim.end()
