"""Brunel's (2000) sparsely connected network of excitatory and inhibitory integrate-and-fire
neurons with delta synapses, in the asynchronous irregular (AI) regime (g = 5, eta = 2).

Usage: python brunel.py <simulator> [--plot-figure] [--duration MS] [--order N]

The network has 4*N excitatory and N inhibitory cells (N = 250 by default: 1250 cells, 10 times
fewer than Brunel's 12500) and keeps his connection probability (10 %), so each cell has
C_E = 0.4*N = 100 excitatory inputs instead of 1000. The synaptic efficacy is raised from his 0.1 mV to 0.7 mV so
that these fewer inputs still make the firing fluctuation-driven and irregular. Each cell gets its
external drive from C_E independent Poisson inputs at eta times the threshold rate
theta / (J C_E tau_m), summed here into one Poisson source per cell.

Prints the mean firing rate and the mean coefficient of variation of the inter-spike intervals of
each population (AI: rates of some tens of Hz, CV near 1); with --plot-figure writes a raster,
the population rate and an ISI-CV histogram to Results/brunel_<simulator>.png.
"""
import numpy as np

from pynnlike.utility import Timer, get_simulator

sim, options = get_simulator(
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}),
    ("--order", "network size: 4*order excitatory and order inhibitory cells",
     {"type": int, "default": 250}))
backend = sim.__name__.split(".")[-1]
timer = Timer()

g, eta = 5.0, 2.0  # relative inhibition, external rate / threshold rate
epsilon = 0.1  # connection probability
n_exc, n_inh = 4 * options.order, options.order
c_exc = int(epsilon * n_exc)  # excitatory inputs per cell
tau_m, theta, delay = 20.0, 20.0, 1.5  # ms, mV, ms
J = 0.7  # mV
nu_threshold = theta / (J * c_exc * tau_m)  # per input, in 1/ms
external_rate = 1000.0 * eta * nu_threshold * c_exc  # Hz, all C_E inputs of one cell summed

sim.setup(timestep=0.1, min_delay=delay, rng_seed=2000)
celltype = sim.IF_curr_delta(tau_m=tau_m, cm=1.0, v_rest=0.0, v_reset=10.0, v_thresh=theta,
                             tau_refrac=2.0, i_offset=0.0)
exc = sim.Population(n_exc, celltype, label="excitatory")
inh = sim.Population(n_inh, celltype, label="inhibitory")
cells = exc + inh
cells.initialize(v=sim.RandomDistribution("uniform", (0.0, theta), rng=sim.NumpyRNG(seed=1)))
drive = sim.Population(cells.size, sim.SpikeSourcePoisson(rate=external_rate), label="external")

rng = sim.NumpyRNG(seed=2)
sim.Projection(drive, cells, sim.OneToOneConnector(),
               sim.StaticSynapse(weight=J, delay=delay), receptor_type="excitatory")
sim.Projection(exc, cells, sim.FixedNumberPreConnector(c_exc, rng=rng),
               sim.StaticSynapse(weight=J, delay=delay), receptor_type="excitatory")
sim.Projection(inh, cells, sim.FixedNumberPreConnector(int(epsilon * n_inh), rng=rng),
               sim.StaticSynapse(weight=-g * J, delay=delay), receptor_type="inhibitory")
build_time = timer.diff()

cells.record("spikes")
exc[:50].record("v")
sim.run(options.duration)
run_time = timer.diff()

t_skip = min(200.0, options.duration / 4)  # leave out the transient


def statistics(population):
    """Mean rate (Hz) and mean ISI CV (over cells with at least 3 spikes) after t_skip."""
    trains = [st.magnitude[st.magnitude > t_skip]
              for st in population.get_data("spikes").segments[0].spiketrains]
    rate = sum(t.size for t in trains) / len(trains) / (options.duration - t_skip) * 1000.0
    intervals = [np.diff(t) for t in trains if t.size >= 3]
    cvs = np.array([i.std() / i.mean() for i in intervals])
    return rate, cvs


for population in (exc, inh):
    rate, cvs = statistics(population)
    print(f"{population.label}: rate {rate:.1f} Hz, CV of ISI {np.mean(cvs):.2f}")
print(f"{backend}: {cells.size} cells, built in {build_time:.1f} s, "
      f"ran {options.duration:g} ms in {run_time:.1f} s")

if options.plot_figure:
    from pynnlike.utility.plotting import Figure, Histogram, Panel

    segment = exc.get_data().segments[0]
    times = np.concatenate([st.magnitude for st in segment.spiketrains])
    width = 5.0
    edges = np.arange(0.0, options.duration + width, width)
    rate_trace = Histogram(times, bins=edges,
                           weights=np.full(times.size, 1000.0 / (exc.size * width)))
    filename = f"Results/brunel_{backend}.png"
    Figure(Panel(segment.spiketrains[:200], ylabel="excitatory cell", yticks=True),
           Panel(rate_trace, ylabel="rate (Hz)", yticks=True, xticks=True, xlabel="time (ms)"),
           Panel(Histogram(statistics(exc)[1]), ylabel="cells", yticks=True, xticks=True,
                 xlabel="CV of ISI"),
           title=f"Brunel network (g = {g}, eta = {eta}) on {backend}").save(filename)
    print(f"figure written to {filename}")
sim.end()
