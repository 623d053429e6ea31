"""Izhikevich's firing patterns (Izhikevich 2003, Fig. 2): one Population of Izhikevich cells
whose parameters a, b, c, d differ per cell, all driven by the same current step.

Usage: python izhikevich_patterns.py <simulator> [--plot-figure] [--duration MS]

The step (10 pA, i.e. I = 10 in Izhikevich's dimensionless units, since the model's capacitance
is 1 pF) starts at 20 ms and lasts to the end. Prints `<pattern>: <n> spikes, first at <t> ms`
per cell; with --plot-figure writes the membrane traces to
Results/izhikevich_patterns_<simulator>.png.
"""
import numpy as np

from pynnlike.utility import get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 300.0}))
backend = sim.__name__.split(".")[-1]

# name: (a [1/ms], b [1/ms], c [mV], d [mV/ms])
patterns = {
    "regular spiking": (0.02, 0.2, -65.0, 8.0),
    "intrinsically bursting": (0.02, 0.2, -55.0, 4.0),
    "chattering": (0.02, 0.2, -50.0, 2.0),
    "fast spiking": (0.1, 0.2, -65.0, 2.0),
    "low-threshold spiking": (0.02, 0.25, -65.0, 2.0),
    "thalamo-cortical": (0.02, 0.25, -65.0, 0.05),
    "resonator": (0.1, 0.26, -65.0, 2.0),
}
a, b, c, d = np.array(list(patterns.values())).T

sim.setup(timestep=0.1)
cells = sim.Population(len(patterns), sim.Izhikevich(a=a, b=b, c=c, d=d), label="izhikevich")
# start at rest: the stable fixed point of dv/dt = 0.04 v^2 + (5 - b) v + 140 = 0, u = b v
v0 = (-(5.0 - b) - np.sqrt((5.0 - b) ** 2 - 4 * 0.04 * 140.0)) / (2 * 0.04)
cells.initialize(v=v0, u=b * v0)
sim.DCSource(amplitude=0.01, start=20.0).inject_into(cells)
cells.record(["v", "spikes"])
sim.run(options.duration)

segment = cells.get_data().segments[0]
for name, train in zip(patterns, segment.spiketrains):
    first = f"{train[0].item():.1f} ms" if len(train) else "never"
    print(f"{name}: {len(train)} spikes, first at {first}")

if options.plot_figure:
    from pynnlike.utility.plotting import Figure, Panel

    v = segment.analogsignals[0]
    panels = [Panel(v[:, k], ylabel=f"{name}\nv (mV)", yticks=True, ylim=(-90, 40))
              for k, name in enumerate(patterns)]
    panels[-1].options.update(xticks=True, xlabel="time (ms)")
    filename = f"Results/izhikevich_patterns_{backend}.png"
    Figure(*panels, title=f"Izhikevich firing patterns on {backend}",
           size=(6, 1.3 * len(panels) + 1)).save(filename)
    print(f"figure written to {filename}")
sim.end()
