"""The Vogels-Abbott benchmark networks (Vogels & Abbott 2005; Brette et al. 2007, benchmarks 1
and 2): 80 % excitatory and 20 % inhibitory integrate-and-fire cells, randomly connected (each cell
receives on average 80 inputs), with conductance-based (COBA) or current-based (CUBA) synapses.

Usage: python va_benchmark.py <simulator> [--benchmark COBA|CUBA] [--plot-figure]
                              [--duration MS] [--n-cells N]

A brief Poisson stimulus (20 sources at 100 Hz for the first 50 ms) starts the activity, which
then sustains itself. The connection probability is 80 / n_cells (2 % for the benchmark's 4000
cells), so smaller networks keep the number of inputs per cell. Prints the mean firing rate of
each population, the number of connections and the timings; with --plot-figure writes a raster,
the population rate and a few membrane traces to
Results/va_benchmark_<COBA or CUBA>_<simulator>.png.
"""
from pynnlike.utility import Timer, get_simulator

sim, options = get_simulator(
    ("--benchmark", "COBA (conductance-based) or CUBA (current-based)",
     {"choices": ("COBA", "CUBA"), "default": "COBA"}),
    ("--plot-figure", "write a figure to Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}),
    ("--n-cells", "number of cells", {"type": int, "default": 4000}))
backend = sim.__name__.split(".")[-1]
timer = Timer()

n_exc = int(0.8 * options.n_cells)
n_inh = options.n_cells - n_exc
p_connect = 80.0 / options.n_cells
delay = 0.2  # ms
cell_parameters = dict(cm=0.2, tau_m=20.0, tau_refrac=5.0, v_thresh=-50.0, v_reset=-60.0,
                       tau_syn_E=5.0, tau_syn_I=10.0, i_offset=0.0)
if options.benchmark == "COBA":
    celltype = sim.IF_cond_exp(v_rest=-60.0, e_rev_E=0.0, e_rev_I=-80.0, **cell_parameters)
    w_exc, w_inh = 0.004, 0.051  # uS: 4 nS and 51 nS
    w_stim = 0.004
else:
    # the conductances 0.27 nS and 4.5 nS turned into currents at a mean membrane potential of
    # -60 mV (reversal potentials 0 and -80 mV); the resting potential is above threshold
    celltype = sim.IF_curr_exp(v_rest=-49.0, **cell_parameters)
    w_exc, w_inh = 0.27e-3 * (0.0 + 60.0), 4.5e-3 * (-80.0 + 60.0)  # nA
    w_stim = w_exc

sim.setup(timestep=0.1, min_delay=delay, rng_seed=2005)
exc = sim.Population(n_exc, celltype, label="excitatory")
inh = sim.Population(n_inh, celltype, label="inhibitory")
cells = exc + inh
cells.initialize(v=sim.RandomDistribution("uniform", (-60.0, -50.0), rng=sim.NumpyRNG(seed=11)))
stimulus = sim.Population(20, sim.SpikeSourcePoisson(rate=100.0, duration=50.0),
                          label="stimulus")

rng = sim.NumpyRNG(seed=12)
connector = sim.FixedProbabilityConnector(p_connect, allow_self_connections=False, rng=rng)
projections = [
    sim.Projection(exc, cells, connector, sim.StaticSynapse(weight=w_exc, delay=delay),
                   receptor_type="excitatory"),
    sim.Projection(inh, cells, connector, sim.StaticSynapse(weight=w_inh, delay=delay),
                   receptor_type="inhibitory"),
    sim.Projection(stimulus, exc, sim.FixedProbabilityConnector(0.1, rng=rng),
                   sim.StaticSynapse(weight=w_stim, delay=delay), receptor_type="excitatory"),
]
build_time = timer.diff()

cells.record("spikes")
exc[:3].record("v")
sim.run(options.duration)
run_time = timer.diff()

n_connections = sum(p.size() for p in projections[:2])
for population in (exc, inh):
    rate = population.mean_spike_count() * 1000.0 / options.duration
    print(f"{population.label}: rate {rate:.1f} Hz")
print(f"{options.benchmark} on {backend}: {cells.size} cells, {n_connections} connections, "
      f"built in {build_time:.1f} s, ran {options.duration:g} ms in {run_time:.1f} s")

if options.plot_figure:
    from pynnlike.utility.plotting import summary_plot

    filename = f"Results/va_benchmark_{options.benchmark}_{backend}.png"
    summary_plot(exc, n_traces=3, bin_width=5.0,
                 title=f"Vogels-Abbott {options.benchmark} on {backend}").save(filename)
    print(f"figure written to {filename}")
sim.end()
