"""Depressing and facilitating synapses (Tsodyks-Markram model) compared with a static one.

Usage: python short_term_plasticity.py <simulator> [--plot-figure] [--duration MS]

A train of eight spikes at 20 Hz, then one more spike 500 ms later, reaches three cells through
a static, a depressing and a facilitating synapse. The script prints the amplitude of each
post-synaptic potential. With --plot-figure it writes Results/short_term_plasticity_<simulator>.png
and keeps the traces in Results/short_term_plasticity_<simulator>.npz; once the script has run
on several backends, Results/short_term_plasticity.png overlays all of them in one figure.
"""
import glob
import os

import numpy as np

from pynnlike.utility import get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write figures to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}))
backend = sim.__name__.split(".")[-1]

sim.setup(timestep=0.1)
train = np.concatenate([100.0 + 50.0 * np.arange(8), [850.0]])
train = train[train < options.duration - 20.0]
source = sim.Population(1, sim.SpikeSourceArray(spike_times=train), label="input")
synapses = {
    "static": sim.StaticSynapse(weight=0.5, delay=1.0),
    "depressing": sim.TsodyksMarkramSynapse(weight=1.0, delay=1.0, U=0.5, tau_rec=800.0,
                                            tau_facil=0.0),
    "facilitating": sim.TsodyksMarkramSynapse(weight=4.0, delay=1.0, U=0.04, tau_rec=100.0,
                                              tau_facil=1000.0),
}
cells = {}
for name, synapse in synapses.items():
    cells[name] = sim.Population(1, sim.IF_curr_exp(tau_m=20.0, tau_syn_E=2.0), label=name)
    sim.Projection(source, cells[name], sim.AllToAllConnector(), synapse)
    cells[name].record("v")

sim.run(options.duration)

traces = {}
print(f"{backend}: PSP amplitudes (mV) at the spikes at {', '.join(f'{t:g}' for t in train)} ms")
for name, population in cells.items():
    v = population.get_data().segments[0].analogsignals[0]
    t, values = v.times.magnitude, v.magnitude[:, 0]
    traces[name] = values
    # each PSP: the peak within 20 ms of the arrival, above the value at the arrival
    amplitudes = [values[(t >= s + 1.0) & (t < s + 21.0)].max() - values[t >= s + 1.0][0]
                  for s in train]
    print(f"  {name:>12}: " + " ".join(f"{a:6.3f}" for a in amplitudes))

if options.plot_figure:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs("Results", exist_ok=True)
    np.savez(f"Results/short_term_plasticity_{backend}.npz", t=t, **traces)

    def figure(runs, filename, title):
        fig, axes = plt.subplots(len(synapses), 1, figsize=(6, 6), sharex=True)
        for ax, name in zip(axes, synapses):
            for (label, data), style in zip(runs.items(), ("-", "--", ":", "-.")):
                ax.plot(data["t"], data[name], style, linewidth=0.8, label=label)
            ax.set_title(name, fontsize="small")
            ax.set_ylabel("v (mV)")
        axes[0].legend(fontsize="small")
        axes[-1].set_xlabel("time (ms)")
        fig.suptitle(title)
        fig.tight_layout()
        fig.savefig(filename, dpi=120)
        print(f"figure written to {filename}")

    figure({backend: {"t": t, **traces}}, f"Results/short_term_plasticity_{backend}.png",
           f"Short-term plasticity on {backend}")
    saved = sorted(glob.glob("Results/short_term_plasticity_*.npz"))
    runs = {os.path.basename(f)[len("short_term_plasticity_"):-4]: np.load(f) for f in saved}
    if len(runs) > 1:
        figure(runs, "Results/short_term_plasticity.png",
               f"Short-term plasticity on {', '.join(runs)}")
sim.end()
