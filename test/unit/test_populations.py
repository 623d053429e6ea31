"""Population, PopulationView, Assembly and ID on the in-memory driver."""
import numpy as np
import pytest
import quantities as pq

from pynnlike import errors
from fakedriver import SCALE


def test_ids_start_at_zero_and_are_consecutive(sim):
    a = sim.Population(3, sim.IF_curr_exp())
    b = sim.Population(4, sim.IF_cond_exp())
    assert [int(i) for i in a.all_cells] == [0, 1, 2]
    assert [int(i) for i in b.all_cells] == [3, 4, 5, 6]
    assert (b.first_id, b.last_id) == (3, 6)
    assert b[1].parent is b and b[-1] == 6
    sim.setup()
    assert int(sim.Population(1, sim.IF_curr_exp()).first_id) == 0


def test_values_reach_the_driver_translated_and_come_back_exactly(sim):
    p = sim.Population(4, sim.IF_curr_exp(tau_m=[10.0, 11.0, 12.0, 13.0], cm=0.5))
    cells = sim.state.driver.cells[-1]
    assert np.allclose(cells.parameters["tau_m_n"], SCALE * np.array([10.0, 11, 12, 13]))
    assert p.get("cm") == 0.5
    assert list(p.get("tau_m")) == [10.0, 11.0, 12.0, 13.0]
    p[1:3].set(tau_m=20.0)
    assert list(p.get("tau_m")) == [10.0, 20.0, 20.0, 13.0]
    assert np.allclose(cells.parameters["tau_m_n"], SCALE * np.array([10.0, 20, 20, 13]))
    p[0].tau_m = 5.0
    assert p[0].tau_m == 5.0 and p.get(["tau_m"], simplify=False)[0][0] == 5.0


def test_random_parameters_are_drawn_for_all_cells_in_order(sim):
    rng = sim.NumpyRNG(seed=3)
    p = sim.Population(5, sim.IF_curr_exp(
        v_thresh=sim.RandomDistribution("uniform", (-55.0, -50.0), rng=rng)))
    expected = np.random.RandomState(3).uniform(-55.0, -50.0, 5)
    assert np.array_equal(p.get("v_thresh"), expected)


def test_callable_and_quantity_values(sim):
    p = sim.Population(3, sim.IF_curr_exp(i_offset=lambda i: 0.1 * i, tau_m=15 * pq.ms))
    assert np.allclose(p.get("i_offset"), [0.0, 0.1, 0.2])
    p.set(cm=250 * pq.pF)
    assert p.get("cm") == pytest.approx(0.25)
    with pytest.raises(errors.InvalidParameterValueError):
        p.set(cm=3 * pq.mV)


def test_bad_input_raises_and_changes_nothing(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    calls = len(sim.state.driver.calls)
    with pytest.raises(errors.NonExistentParameterError) as info:
        p.set(tau_x=3.0)
    assert "tau_m" in str(info.value)
    with pytest.raises(errors.InvalidDimensionsError):
        p.set(tau_m=[1.0, 2.0])
    with pytest.raises(errors.InvalidParameterValueError):
        p.set(tau_m="fast")
    assert len(sim.state.driver.calls) == calls
    assert p.get("tau_m") == 20.0
    with pytest.raises(TypeError):
        sim.Population(3, "IF_curr_exp")
    with pytest.raises(TypeError):
        sim.Population(3, sim.IF_curr_exp(), cellparams={"tau_m": 3.0})
    assert len(sim.state.populations) == 1


def test_invalid_spike_times_are_refused(sim):
    with pytest.raises(errors.InvalidParameterValueError):
        sim.Population(1, sim.SpikeSourceArray(spike_times=[3.0, 1.0]))
    assert sim.state.next_id == 0


def test_deprecated_class_plus_dict_still_works(sim):
    with pytest.warns(DeprecationWarning):
        p = sim.Population(2, sim.IF_cond_exp, {"tau_m": 12.0})
    assert p.get("tau_m") == 12.0


def test_sizes_and_structures(sim):
    grid = sim.Population((3, 4), sim.IF_curr_exp())
    assert grid.size == 12
    assert np.array_equal(grid.positions[:, 5], [1.0, 1.0, 0.0])
    with pytest.raises(ValueError):
        sim.Population((2, 2, 2, 2), sim.IF_curr_exp())
    line = sim.Population(4, sim.IF_curr_exp())
    assert np.array_equal(line.positions[0], [0.0, 1.0, 2.0, 3.0])
    with pytest.raises(errors.InvalidDimensionsError):
        line.positions = np.zeros((3, 2))
    line.positions = np.arange(12.0).reshape(3, 4)
    assert line.structure is None
    assert line.nearest([2.9, 7.2, 11.0]) == line[3]
    assert np.array_equal(line[2].position, [2.0, 6.0, 10.0])


def test_default_labels_count_populations():
    from pynnlike.populations import Population
    from fakedriver import Face
    face = Face()
    face.setup()
    k = Population._count
    assert face.Population(1, face.IF_curr_exp()).label == f"population{k}"


def test_views_select_sort_and_write_through(sim):
    p = sim.Population(10, sim.IF_curr_exp(), label="exc")
    view = p[[7, 2, 5]]
    assert [int(i) for i in view.all_cells] == [2, 5, 7]
    assert view.label == "view of 'exc' with size 3"
    with pytest.warns(UserWarning):
        assert p[[1, 1, 3]].size == 2
    inner = view[1:]
    assert inner.grandparent is p and [int(i) for i in inner.all_cells] == [5, 7]
    inner.set(tau_m=[30.0, 40.0])
    assert list(p.get("tau_m")[[5, 7]]) == [30.0, 40.0]
    assert view.id_to_index(7) == 2
    with pytest.raises(IndexError):
        view.id_to_index(3)
    assert p.id_to_index(p[4]) == 4
    assert view == p[[2, 5, 7]] and view != p[[2, 5]]
    mask = np.zeros(10, bool)
    mask[[0, 9]] = True
    assert [int(i) for i in p[mask].all_cells] == [0, 9]
    with pytest.raises(errors.InvalidDimensionsError):
        p[np.ones(3, bool)]
    with pytest.raises(TypeError):
        p["a"]


def test_sample_is_reproducible(sim):
    p = sim.Population(20, sim.IF_curr_exp())
    view = p.sample(5, rng=sim.NumpyRNG(seed=1))
    expected = np.sort(np.random.RandomState(1).permutation(20)[:5])
    assert np.array_equal(view.mask, expected)
    with pytest.raises(TypeError):
        p.sample(2.5)


def test_initialize_and_initial_values(sim):
    p = sim.Population(3, sim.IF_cond_exp())
    p.initialize(v=[-70.0, -60.0, -50.0], gsyn_exc=0.01)
    cells = sim.state.driver.cells[-1]
    assert np.allclose(cells.state["v_n"], SCALE * np.array([-70.0, -60.0, -50.0]))
    assert np.allclose(cells.state["gsyn_exc_n"], SCALE * 0.01)
    assert p[1:].initial_values["v"].evaluate(simplify=True).tolist() == [-60.0, -50.0]
    assert p.initial_values["gsyn_exc"].evaluate(simplify=True) == 0.01
    with pytest.raises(errors.NonExistentParameterError):
        p.initialize(w=1.0)


def test_assembly_groups_members(sim):
    a = sim.Population(3, sim.IF_cond_exp(tau_m=10.0), label="a")
    b = sim.Population(2, sim.IF_cond_exp(tau_m=20.0), label="b")
    both = a + b
    assert both.size == 5 and both.get_population("b") is b
    assert list(both.get("tau_m")) == [10.0, 10.0, 10.0, 20.0, 20.0]
    both.set(tau_m=[1.0, 2.0, 3.0, 4.0, 5.0])
    assert list(b.get("tau_m")) == [4.0, 5.0]
    sub = both[[1, 4]]
    assert [int(i) for i in sub.all_cells] == [1, 4]
    with pytest.warns(UserWarning):
        both += a[0:1]
    assert both.size == 5
    c = sim.Population(1, sim.IF_curr_exp())
    both += c
    assert not both.conductance_based
    assert both.receptor_types == ["excitatory", "inhibitory"] or \
        tuple(both.receptor_types) == ("excitatory", "inhibitory")
    assert both.find_units("v") == "mV"
    with pytest.raises(TypeError):
        both + 3
    with pytest.raises(KeyError):
        both.get_population("zzz")


def test_spike_sources_cannot_be_injected(sim):
    source = sim.Population(2, sim.SpikeSourcePoisson(rate=10.0))
    with pytest.raises(TypeError):
        source.inject(sim.DCSource(amplitude=1.0))


def test_describe_mentions_label_and_size(sim):
    p = sim.Population(3, sim.IF_curr_exp(), label="cells")
    text = p.describe()
    assert "cells" in text and "3" in text
    assert p.describe(template=None)["size"] == 3


def test_local_cells_and_local_indices(sim):
    p = sim.Population(5, sim.IF_curr_exp())
    view = p[[1, 3]]
    assert view.local_size == 2 and view.is_local(p[3])
    assert view.id_to_local_index(p[3]) == 1
    assert list(p.id_to_local_index(np.array([p[0], p[4]]))) == [0, 4]
    with pytest.raises(ValueError):
        view.id_to_local_index(p[2])


def test_id_attributes(sim):
    p = sim.Population(2, sim.IF_cond_exp(tau_m=[10.0, 12.0]))
    cell = p[1]
    assert cell.tau_m == 12.0 and cell.get_parameters()["tau_m"] == 12.0
    assert cell.celltype is p.celltype and cell.local and cell.is_standard_cell
    cell.set_parameters(cm=0.5)
    assert list(p.get("cm")) == [1.0, 0.5]
    cell.set_initial_value("v", -55.0)
    assert cell.get_initial_value("v") == -55.0
    assert not hasattr(cell, "tau_x")
    with pytest.raises(errors.NonExistentParameterError):
        cell.tau_x
    with pytest.raises(AttributeError):
        cell.set
    assert cell.as_view().size == 1 and int(cell.as_view().all_cells[0]) == int(cell)
