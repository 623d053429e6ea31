"""Every standard cell type of pynnlike, each one cell, under the same current step; the spike
sources run alongside.

Usage: python cell_type_demonstration.py <simulator> [--plot-figure] [--duration MS]

A DC step (1 nA; 10 pA for Izhikevich, whose 1 pF membrane turns 1 nA into 1000 mV/ms) is on
from 20 ms to 80 % of the run. Prints one line per type, `<type>: <n> spikes`; with
--plot-figure writes the membrane traces and the source rasters to
Results/cell_type_demonstration_<simulator>.png.
"""
import os

import numpy as np

from pynnlike.utility import get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 300.0}))
backend = sim.__name__.split(".")[-1]
duration = options.duration

sim.setup(timestep=0.1, rng_seed=7)
neurons = {
    "IF_curr_alpha": sim.IF_curr_alpha(),
    "IF_curr_exp": sim.IF_curr_exp(),
    "IF_curr_delta": sim.IF_curr_delta(),
    "IF_cond_alpha": sim.IF_cond_alpha(),
    "IF_cond_exp": sim.IF_cond_exp(),
    "IF_cond_exp_gsfa_grr": sim.IF_cond_exp_gsfa_grr(),
    "IF_facets_hardware1": sim.IF_facets_hardware1(),
    "HH_cond_exp": sim.HH_cond_exp(),
    "EIF_cond_alpha_isfa_ista": sim.EIF_cond_alpha_isfa_ista(),
    "EIF_cond_exp_isfa_ista": sim.EIF_cond_exp_isfa_ista(),
    "Izhikevich": sim.Izhikevich(),
    "GIF_cond_exp": sim.GIF_cond_exp(),
    "PointNeuron(AdExp)": sim.PointNeuron(sim.AdExp(),
                                          AMPA=sim.CondAlphaPostSynapticResponse(tau_syn=2.0)),
}
sources = {
    "SpikeSourcePoisson": sim.SpikeSourcePoisson(rate=50.0),
    "SpikeSourcePoissonRefractory": sim.SpikeSourcePoissonRefractory(rate=50.0, tau_refrac=5.0),
    "SpikeSourceGamma": sim.SpikeSourceGamma(alpha=4, beta=200.0),
    "SpikeSourceInhGamma": sim.SpikeSourceInhGamma(a=sim.Sequence([2.0, 8.0]),
                                                   b=sim.Sequence([0.01, 0.0025]),
                                                   tbins=sim.Sequence([0.0, duration / 2])),
    "SpikeSourceArray": sim.SpikeSourceArray(spike_times=np.arange(10.0, duration, 25.0)),
}
step = dict(start=20.0, stop=0.8 * duration)
populations = {}
for name, celltype in neurons.items():
    cell = sim.Population(1, celltype, label=name)
    cell.record(["v", "spikes"])
    amplitude = 0.01 if name == "Izhikevich" else 1.0
    sim.DCSource(amplitude=amplitude, **step).inject_into(cell)
    populations[name] = cell
for name, celltype in sources.items():
    populations[name] = sim.Population(1, celltype, label=name)
    populations[name].record("spikes")

sim.run(duration)

data = {name: p.get_data().segments[0] for name, p in populations.items()}
for name, segment in data.items():
    print(f"{name}: {len(segment.spiketrains[0])} spikes")

if options.plot_figure:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(5, 3, figsize=(10, 11), sharex=True)
    for ax, name in zip(axes.flat, neurons):
        v = data[name].analogsignals[0]
        ax.plot(v.times.magnitude, v.magnitude[:, 0], linewidth=0.5)
        ax.set_title(name, fontsize=8)
        ax.set_ylabel("v (mV)", fontsize=7)
        ax.tick_params(labelsize=7)
    raster = axes.flat[len(neurons)]
    for row, name in enumerate(sources):
        times = data[name].spiketrains[0].magnitude
        raster.plot(times, np.full(times.size, row), "|", markersize=4)
    raster.set_yticks(range(len(sources)),
                      [name.removeprefix("SpikeSource") for name in sources], fontsize=6)
    raster.set_title("spike sources", fontsize=8)
    for ax in axes.flat[len(neurons) + 1:]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("time (ms)", fontsize=7)
    fig.suptitle(f"standard cell types on {backend}")
    fig.tight_layout()
    os.makedirs("Results", exist_ok=True)
    filename = f"Results/cell_type_demonstration_{backend}.png"
    fig.savefig(filename, dpi=100)
    print(f"figure written to {filename}")
sim.end()
