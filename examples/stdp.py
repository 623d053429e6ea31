"""The spike-timing-dependent plasticity window, measured on any backend.

Usage: python stdp.py <simulator> [--plot-figure] [--duration MS]
                      [--weight-dependence NAME] [--dendritic-delay-fraction F]

One post-synaptic cell is made to fire every 200 ms by a strong static input. Each of 21
pre-synaptic cells fires at a fixed offset dt from the post-synaptic spikes (-40 to +40 ms), and
reaches the post-synaptic cell through a plastic synapse (SpikePairRule). Pre-before-post pairs
potentiate, post-before-pre pairs depress: the final weights trace the STDP window. The script
is the same for every backend and prints the same weights on each (within numerical tolerance).
With --plot-figure: the weights over time and the window, in Results/stdp_<simulator>.png.
"""
import os

import numpy as np

from pynnlike.recording.weights import WeightRecorder
from pynnlike.utility import get_simulator

DEPENDENCES = ("AdditiveWeightDependence", "MultiplicativeWeightDependence",
               "AdditivePotentiationMultiplicativeDepression", "GutigWeightDependence")
sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 2000.0}),
    ("--weight-dependence", "one of " + ", ".join(DEPENDENCES),
     {"default": "AdditiveWeightDependence", "choices": DEPENDENCES}),
    ("--dendritic-delay-fraction", "share of the delay on the dendrite (0..1)",
     {"type": float, "default": 1.0}))
backend = sim.__name__.split(".")[-1]

sim.setup(timestep=0.1)
period, first = 200.0, 100.0                 # the post-synaptic cell fires every 200 ms
offsets = np.arange(-40.0, 41.0, 4.0) + 0.3  # pre minus post spike time, never a tie
pairings = np.arange(first, options.duration - 100.0, period)
post_times = pairings + 2.0  # the forcing input takes ~2 ms to make the cell fire
# a last pre-synaptic spike long after the last pairing: simulators may apply a post spike's
# potentiation only when the next pre-synaptic spike arrives (API.md §5); this one makes the
# final weights the same everywhere (its depression is ~e^(-5) times a pairing's)
probe = options.duration - 5.0

forcer = sim.Population(1, sim.SpikeSourceArray(spike_times=pairings), label="forcer")
pre = sim.Population(len(offsets), sim.SpikeSourceArray(
    spike_times=[sim.Sequence(np.append(np.round(post_times + dt, 1), probe))
                 for dt in offsets]), label="pre")
post = sim.Population(1, sim.IF_cond_exp(tau_refrac=5.0, tau_syn_E=2.0), label="post")
sim.Projection(forcer, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.2, delay=0.1))

stdp = sim.STDPMechanism(
    timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01,
                                        A_minus=0.012),
    weight_dependence=getattr(sim, options.weight_dependence)(w_min=0.0, w_max=0.01),
    dendritic_delay_fraction=options.dendritic_delay_fraction, weight=0.005, delay=1.0)
plastic = sim.Projection(pre, post, sim.AllToAllConnector(), stdp, label="plastic")

post.record("spikes")
recorder = WeightRecorder(plastic, sampling_interval=10.0)
sim.run(options.duration, callbacks=[recorder])

spikes = post.get_data().segments[0].spiketrains[0].magnitude
weights = np.array(plastic.get("weight", format="list", with_address=False))
offsets += post_times[0] - spikes[0]  # measured from the actual post-synaptic spikes
print(f"{backend}: {len(spikes)} post-synaptic spikes; final weights (µS) by pre - post time:")
for dt, w in zip(offsets, weights):
    print(f"  {dt:+7.2f} ms  {w:.6f}")

if options.plot_figure:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    history = recorder.get_weights()
    fig, (over_time, window) = plt.subplots(2, 1, figsize=(6, 6))
    over_time.plot(history.times.magnitude, history.magnitude, linewidth=0.5)
    over_time.set_xlabel("time (ms)")
    over_time.set_ylabel(f"weight ({history.units.dimensionality})")
    window.plot(offsets, weights - 0.005, "o-")
    window.axhline(0.0, color="k", linewidth=0.5)
    window.set_xlabel("pre - post spike time (ms)")
    window.set_ylabel("weight change (µS)")
    fig.suptitle(f"STDP ({options.weight_dependence}) on {backend}")
    fig.tight_layout()
    os.makedirs("Results", exist_ok=True)
    filename = f"Results/stdp_{backend}.png"
    fig.savefig(filename, dpi=120)
    print(f"figure written to {filename}")
sim.end()
