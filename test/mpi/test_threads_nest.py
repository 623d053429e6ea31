"""NEST with setup(threads=N): the same connections and the same spikes as with one thread,
since connectivity and Poisson trains are drawn in the core; membrane traces agree to rounding
(input sums are added in another order)."""
import numpy as np

import pynnlike.nest as sim
import nest  # after pynnlike.nest, which silences NEST's banner


def network(threads):
    sim.setup(timestep=0.1, min_delay=1.0, rng_seed=7, threads=threads)
    assert nest.local_num_threads == threads
    cells = sim.Population(80, sim.IF_cond_exp(v_thresh=-52.0, tau_m=sim.RandomDistribution(
        "uniform", (15.0, 25.0), rng=sim.NumpyRNG(seed=3))))
    noise = sim.Population(40, sim.SpikeSourcePoisson(rate=60.0))
    rng = sim.NumpyRNG(seed=5)
    projections = [
        sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.2, rng=rng),
                       sim.StaticSynapse(weight=sim.RandomDistribution(
                           "uniform", (0.004, 0.012), rng=rng), delay=1.0),
                       receptor_type="excitatory"),
        sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.1, rng=rng),
                       sim.StaticSynapse(weight=0.002, delay=sim.RandomDistribution(
                           "uniform", (1.0, 3.0), rng=rng)), receptor_type="excitatory"),
        sim.Projection(cells[:20], cells, sim.FixedProbabilityConnector(0.2, rng=rng),
                       sim.StaticSynapse(weight=0.01, delay=1.5), receptor_type="inhibitory")]
    cells.record(["spikes", "v"])
    sim.run(200.0)
    segment = cells.get_data().segments[0]
    driver = sim.state.driver
    in_nest = [driver.get_synapses(handle, ["weight", "delay"])
               for p in projections for _, _, handle in p._groups]
    out = ([st.magnitude.tolist() for st in segment.spiketrains],
           segment.analogsignals[0].magnitude.copy(), in_nest)
    sim.end()
    return out


def test_two_threads_give_the_connections_and_spikes_of_one():
    spikes1, v1, synapses1 = network(1)
    spikes2, v2, synapses2 = network(2)
    assert sum(map(len, spikes1)) > 150
    assert spikes2 == spikes1
    assert len(synapses1) == 3 and all(len(s["weight"]) > 100 for s in synapses1)
    for one, two in zip(synapses1, synapses2):
        assert np.array_equal(one["weight"], two["weight"])
        assert np.array_equal(one["delay"], two["delay"])
    assert np.allclose(v1, v2, rtol=0, atol=1e-9)
