"""StepCurrentSource: piecewise-constant currents, one staircase per cell.

Usage: python step_current_source.py <simulator> [--plot-figure] [--duration MS]

Three IF_curr_exp cells: one climbs a staircase of currents, one descends it, one gets brief
pulses. The steps are spread evenly over the run. Prints, per cell, its spike count in each step
(`<cell>: n1 n2 ...`) and records the injected currents; with --plot-figure writes currents and
membrane traces to Results/step_current_source_<simulator>.png.
"""
import numpy as np

from pynnlike.utility import get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 500.0}))
backend = sim.__name__.split(".")[-1]
duration = options.duration

sim.setup(timestep=0.1)
levels = np.array([0.0, 0.6, 0.8, 1.0, 1.2])  # nA
times = np.round(np.linspace(0.0, duration, levels.size + 1)[:-1], 1)
pulse_times = np.round(np.linspace(0.1, 0.9, 9) * duration, 1)
staircases = {
    "ascending": (times, levels),
    "descending": (times, levels[::-1].copy()),
    "pulses": (pulse_times, np.resize([1.5, 0.0], pulse_times.size)),
}
cells = sim.Population(len(staircases), sim.IF_curr_exp(tau_refrac=2.0), label="cells")
sources = []
for k, (step_times, amplitudes) in enumerate(staircases.values()):
    source = sim.StepCurrentSource(times=step_times, amplitudes=amplitudes)
    source.inject_into(cells[k:k + 1])
    source.record()
    sources.append(source)
cells.record(["v", "spikes"])
sim.run(duration)

segment = cells.get_data().segments[0]
edges = np.append(times, duration)
for name, train in zip(staircases, segment.spiketrains):
    counts, _ = np.histogram(train.magnitude, bins=edges)
    print(f"{name}: {' '.join(str(n) for n in counts)}")

if options.plot_figure:
    from pynnlike.utility.plotting import Figure, Panel

    v = segment.analogsignals[0]
    panels = []
    for k, (name, source) in enumerate(zip(staircases, sources)):
        panels.append(Panel(source.get_data(), ylabel=f"{name}\ncurrent (nA)", yticks=True))
        panels.append(Panel(v[:, k], ylabel="v (mV)", yticks=True))
    panels[-1].options.update(xticks=True, xlabel="time (ms)")
    filename = f"Results/step_current_source_{backend}.png"
    Figure(*panels, title=f"StepCurrentSource on {backend}").save(filename)
    print(f"figure written to {filename}")
sim.end()
