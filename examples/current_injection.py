"""Four cells, each driven by one kind of electrode: DC, AC, steps and noise.

Usage: python current_injection.py <simulator> [--plot-figure]

Prints each cell's spike count; with --plot-figure writes the currents and the membrane traces to
Results/current_injection_<simulator>.png.
"""
import os

from pynnlike.utility import get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}))

sim.setup(timestep=0.1)
cells = sim.Population(4, sim.IF_curr_exp(v_thresh=-55.0, tau_refrac=2.0), label="cells")
sources = {
    "DC": sim.DCSource(amplitude=0.5, start=50.0, stop=400.0),
    "AC": sim.ACSource(amplitude=0.5, offset=0.3, frequency=10.0, start=50.0, stop=400.0),
    "steps": sim.StepCurrentSource(times=[50.0, 150.0, 250.0], amplitudes=[0.4, 0.8, 0.2]),
    "noise": sim.NoisyCurrentSource(mean=0.5, stdev=0.3, dt=1.0, start=50.0, stop=400.0,
                                    rng=sim.NumpyRNG(seed=3)),
}
for k, source in enumerate(sources.values()):
    source.inject_into(cells[k:k + 1])
    source.record()
cells.record(["v", "spikes"])
sim.run(500.0)

segment = cells.get_data().segments[0]
for name, train in zip(sources, segment.spiketrains):
    print(f"{name:>6}: {len(train)} spikes")

if options.plot_figure:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(4, 2, figsize=(8, 7), sharex=True)
    v = segment.analogsignals[0]
    for k, (name, source) in enumerate(sources.items()):
        current = source.get_data()
        axes[k, 0].plot(current.times.magnitude, current.magnitude, linewidth=0.7)
        axes[k, 0].set_ylabel(f"{name} (nA)")
        axes[k, 1].plot(v.times.magnitude, v.magnitude[:, k], linewidth=0.5)
        axes[k, 1].set_ylabel("v (mV)")
    axes[-1, 0].set_xlabel("time (ms)")
    axes[-1, 1].set_xlabel("time (ms)")
    os.makedirs("Results", exist_ok=True)
    filename = f"Results/current_injection_{sim.__name__.split('.')[-1]}.png"
    fig.tight_layout()
    fig.savefig(filename, dpi=120)
    print(f"figure written to {filename}")
sim.end()
