"""A PyNN 0.13 script, unchanged but for its import lines (pyNN -> pynnlike).

An excitatory-inhibitory network of current-based cells driven by fixed spike trains. Prints one
JSON object: spike counts of every excitatory and inhibitory cell.
"""
import json

import numpy as np

import pynnlike.nest as sim
from pynnlike.random import NumpyRNG

sim.setup(timestep=0.1, min_delay=1.0, max_delay=10.0)

n_exc, n_inh, n_input = 80, 20, 40
cell_parameters = {"tau_m": 20.0, "cm": 0.25, "v_rest": -65.0, "v_thresh": -55.0,
                   "v_reset": -70.0, "tau_refrac": 2.0, "tau_syn_E": 2.0, "tau_syn_I": 5.0}
exc = sim.Population(n_exc, sim.IF_curr_exp(**cell_parameters), label="exc")
inh = sim.Population(n_inh, sim.IF_curr_exp(**cell_parameters), label="inh")

times = np.random.RandomState(7).uniform(0.0, 500.0, size=(n_input, 15))
spike_times = [sim.Sequence(np.sort(np.round(t, 1))) for t in times]
stimulus = sim.Population(n_input, sim.SpikeSourceArray(spike_times=spike_times), label="input")

rng = NumpyRNG(seed=98765)
sim.Projection(stimulus, exc + inh, sim.FixedProbabilityConnector(0.2, rng=rng),
               sim.StaticSynapse(weight=0.4, delay=1.0), receptor_type="excitatory")
sim.Projection(exc, exc + inh, sim.FixedProbabilityConnector(0.1, rng=rng),
               sim.StaticSynapse(weight=0.15, delay=1.5), receptor_type="excitatory")
sim.Projection(inh, exc + inh, sim.FixedProbabilityConnector(0.1, rng=rng),
               sim.StaticSynapse(weight=-0.3, delay=1.0), receptor_type="inhibitory")

exc.record("spikes")
inh.record("spikes")
sim.run(600.0)

counts = {population.label: [len(st) for st in population.get_data().segments[0].spiketrains]
          for population in (exc, inh)}
print(json.dumps(counts))
sim.end()
