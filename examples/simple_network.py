"""A small excitatory-inhibitory network driven by Poisson input.

Usage: python simple_network.py <simulator> [--plot-figure] [--duration MS]

Prints the firing rates of both populations; with --plot-figure writes a raster and membrane
traces to Results/simple_network_<simulator>.png.
"""
import os

import numpy as np

from pynnlike.utility import Timer, get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}))
timer = Timer()

sim.setup(timestep=0.1, min_delay=1.0, rng_seed=1234)
n_exc, n_inh, n_noise = 400, 100, 200
celltype = sim.IF_cond_exp(tau_m=20.0, v_rest=-65.0, v_thresh=-50.0, v_reset=-60.0,
                           tau_refrac=2.0, tau_syn_E=5.0, tau_syn_I=10.0)
exc = sim.Population(n_exc, celltype, label="excitatory")
inh = sim.Population(n_inh, celltype, label="inhibitory")
cells = exc + inh
cells.initialize(v=sim.RandomDistribution("uniform", (-65.0, -50.0), rng=sim.NumpyRNG(seed=1)))
noise = sim.Population(n_noise, sim.SpikeSourcePoisson(rate=20.0), label="noise")

rng = sim.NumpyRNG(seed=2)
sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.1, rng=rng),
               sim.StaticSynapse(weight=0.008, delay=1.0), receptor_type="excitatory")
sim.Projection(exc, cells, sim.FixedProbabilityConnector(0.05, rng=rng),
               sim.StaticSynapse(weight=0.002, delay=1.5), receptor_type="excitatory")
sim.Projection(inh, cells, sim.FixedProbabilityConnector(0.05, rng=rng),
               sim.StaticSynapse(weight=0.01, delay=1.5), receptor_type="inhibitory")
build_time = timer.diff()

cells.record("spikes")
exc[:3].record("v")
sim.run(options.duration)
run_time = timer.diff()

for population in (exc, inh):
    rate = population.mean_spike_count() * 1000.0 / options.duration
    print(f"{population.label:>11}: {population.size} cells, mean rate {rate:.1f} Hz")
print(f"{sim.__name__}: built in {build_time:.2f} s, ran {options.duration:g} ms of network "
      f"time in {run_time:.2f} s")

if options.plot_figure:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = exc.get_data().segments[0]
    fig, (raster, traces) = plt.subplots(2, 1, figsize=(6, 5), sharex=True)
    for train in data.spiketrains:
        raster.plot(train.magnitude, np.full(len(train), train.annotations["source_index"]),
                    "k.", markersize=1)
    raster.set_ylabel("excitatory cell")
    v = data.analogsignals[0]
    traces.plot(v.times.magnitude, v.magnitude, linewidth=0.5)
    traces.set_xlabel("time (ms)")
    traces.set_ylabel(f"v ({v.units.dimensionality})")
    fig.suptitle(f"simple_network on {sim.__name__.split('.')[-1]}")
    os.makedirs("Results", exist_ok=True)
    filename = f"Results/simple_network_{sim.__name__.split('.')[-1]}.png"
    fig.savefig(filename, dpi=120)
    print(f"figure written to {filename}")
sim.end()
