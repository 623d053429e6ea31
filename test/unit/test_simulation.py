"""Simulation control through a face bound to the in-memory driver."""
import warnings

import pytest

from fakedriver import Face


def test_run_before_setup_is_a_clear_error():
    face = Face()
    with pytest.raises(RuntimeError, match="setup"):
        face.run(10.0)


@pytest.mark.parametrize("kwargs, error", [
    ({"timestep": 0.1, "min_delay": 0.05}, ValueError),
    ({"timestep": 0.0}, ValueError),
    ({"timestep": 0.1, "min_delay": 2.0, "max_delay": 1.0}, ValueError),
    ({"timestep": 0.1, "dt": 0.1}, TypeError),
    ({"timestep": 0.1, "mindelay": 0.1}, TypeError),
])
def test_setup_rejects_inconsistent_settings(kwargs, error):
    with pytest.raises(error):
        Face().setup(**kwargs)


def test_setup_returns_rank_and_resets_time(sim):
    sim.run(5.0)
    assert sim.setup(timestep=0.25) == 0
    assert sim.get_current_time() == 0.0
    assert sim.get_time_step() == 0.25
    assert sim.state.segment_counter == 0


def test_unknown_option_warns_and_foreign_option_is_silent():
    face = Face()
    with pytest.warns(UserWarning, match="nonsense"):
        face.setup(nonsense=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        face.setup(threads=2, use_cvode=True, fake_option=3)
    assert face.state.driver.options == {"fake_option": 3}


def test_rng_seed_and_its_aliases():
    face = Face()
    face.setup()
    assert face.state.rng_seed == 42
    face.setup(rng_seed=7)
    assert face.state.rng_seed == 7
    face.setup(native_rng_baseseed=9)
    assert face.state.rng_seed == 9
    with pytest.warns(DeprecationWarning):
        face.setup(grng_seed=11)
    assert face.state.rng_seed == 11


def test_run_accumulates_time_on_the_grid(sim):
    assert sim.run(10.0) == pytest.approx(10.0)
    assert sim.run_for(2.5) == pytest.approx(12.5)
    assert sim.run_until(20.0) == pytest.approx(20.0)
    assert sim.run_until(20.0) == pytest.approx(20.0)  # a no-op
    with pytest.raises(ValueError):
        sim.run(-1.0)
    with pytest.raises(ValueError):
        sim.run_until(10.0)
    assert sim.state.driver.t == pytest.approx(20.0)


def test_callbacks_are_called_at_their_requested_times(sim):
    seen = []

    def every_3ms(t):
        seen.append(round(t, 6))
        return t + 3.0

    sim.run(10.0, callbacks=[every_3ms])
    assert seen == [0.0, 3.0, 6.0, 9.0]
    assert sim.get_current_time() == pytest.approx(10.0)


def test_delays_default_to_dt_and_follow_connections(sim):
    assert sim.get_min_delay() == pytest.approx(0.1)
    assert sim.get_max_delay() == pytest.approx(0.1)
    p = sim.Population(3, sim.IF_curr_exp())
    sim.Projection(p, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=1.5))
    sim.Projection(p, p, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=0.5))
    assert sim.get_min_delay() == pytest.approx(0.5)
    assert sim.get_max_delay() == pytest.approx(1.5)
    sim.setup(timestep=0.1, min_delay=0.2, max_delay=3.0)
    assert (sim.get_min_delay(), sim.get_max_delay()) == (0.2, 3.0)


def test_reset_starts_a_new_segment_and_restores_time(sim):
    sim.run(10.0)
    sim.reset()
    assert sim.get_current_time() == 0.0
    assert sim.state.segment_counter == 1
    assert sim.state.driver.t == 0.0


def test_list_standard_models_names_the_17_types_and_point_neuron(sim):
    names = sim.list_standard_models()
    assert len(names) == 18
    assert "PointNeuron" in names and "IF_cond_exp_gsfa_grr" in names


def test_end_writes_registered_files(sim, tmp_path):
    p = sim.Population(2, sim.IF_curr_exp())
    filename = str(tmp_path / "v.pkl")
    p.record("v", to_file=filename)
    sim.run(1.0)
    sim.end()
    import neo
    block = neo.io.PickleIO(filename).read_block()
    assert block.segments[0].analogsignals[0].shape == (11, 2)
