"""pynnlike.parameters: Sequence/ArrayParameter, LazyArray and ParameterSpace evaluation."""
import numpy as np
import pytest
import quantities as pq
from lazyarray import larray

from pynnlike.errors import (InvalidDimensionsError, InvalidParameterValueError,
                             NonExistentParameterError)
from pynnlike.parameters import ArrayParameter, LazyArray, ParameterSpace, Sequence, simplify
from pynnlike.random import NativeRNG, NumpyRNG, RandomDistribution

SEED = 31415


class FakeCell:
    """Stands for a cell type in error messages."""


SCHEMA = {"tau_m": float, "v_rest": float, "n": int, "spike_times": Sequence,
          "kernel": ArrayParameter}


def evaluated(parameters, shape=(4,), schema=SCHEMA, **options):
    ps = ParameterSpace(parameters, schema, shape=shape, component=FakeCell, **options)
    return dict(ps.evaluate().items())


# -- Sequence / ArrayParameter ----------------------------------------------------------------

def test_sequence_basics():
    s = Sequence([1, 2, 3.5])
    assert s.value.dtype == float and s.value.tolist() == [1.0, 2.0, 3.5]
    assert len(s) == 3 and list(s) == [1.0, 2.0, 3.5] and s[2] == 3.5 and s.max() == 3.5
    assert s[1:] == Sequence([2.0, 3.5]) and isinstance(s[1:], Sequence)
    assert repr(s) == "Sequence([1.0, 2.0, 3.5])"
    assert Sequence(s) == s and Sequence(s) is not s
    assert s != Sequence([1, 2]) and s == [1, 2, 3.5]


def test_sequence_arithmetic():
    s = Sequence([1.0, 2.0, 4.0])
    assert s + 1 == Sequence([2, 3, 5]) and 1 + s == Sequence([2, 3, 5])
    assert s - 1 == Sequence([0, 1, 3]) and 10 - s == Sequence([9, 8, 6])
    assert s * 2 == Sequence([2, 4, 8]) and np.float64(2.0) * s == Sequence([2, 4, 8])
    assert s / 2 == Sequence([0.5, 1, 2]) and 4 / s == Sequence([4, 2, 1])
    assert -s == Sequence([-1, -2, -4])
    assert s * np.array([1.0, 0.0, 2.0]) == Sequence([1, 0, 8])
    assert s + Sequence([1, 1, 1]) == Sequence([2, 3, 5])
    assert isinstance(s * 2, Sequence) and isinstance(ArrayParameter([1]) * 2, ArrayParameter)
    with pytest.raises(InvalidDimensionsError):
        s + np.array([1.0, 2.0])


def test_object_arrays_of_sequences_scale_value_by_value():
    cells = np.empty(2, dtype=object)
    cells[0], cells[1] = Sequence([1.0, 2.0]), Sequence([3.0])
    scaled = cells * 1000.0
    assert scaled[0] == Sequence([1000, 2000]) and scaled[1] == Sequence([3000])
    assert (Sequence([1.0, 2.0]) == cells).tolist() == [True, False]


def test_sequence_rejects_bad_values():
    with pytest.raises(InvalidParameterValueError):
        Sequence([[1, 2], [3, 4]])
    with pytest.raises(InvalidParameterValueError):
        Sequence(["a", "b"])


# -- LazyArray --------------------------------------------------------------------------------

def test_lazyarray_normal_values():
    assert LazyArray(3.0, shape=(3,)).evaluate().tolist() == [3.0, 3.0, 3.0]
    assert LazyArray(3.0, shape=(3,)).evaluate(simplify=True) == 3.0
    assert LazyArray([1, 2, 3]).evaluate().tolist() == [1, 2, 3]
    assert LazyArray(lambda i: i * 2.0, shape=(3,)).evaluate().tolist() == [0.0, 2.0, 4.0]


def test_lazyarray_distance_expression():
    la = LazyArray("0.5 + exp(-d/10)", shape=(3,))
    assert la.base_value.expression == "0.5 + exp(-d/10)"
    d = np.array([0.0, 10.0, 20.0])
    np.testing.assert_allclose(la.base_value(d), 0.5 + np.exp(-d / 10))
    composed = la(larray(d))  # what a connector does with a distance map
    np.testing.assert_allclose(composed.evaluate(), 0.5 + np.exp(-d / 10))
    with pytest.raises(InvalidParameterValueError, match="distance"):
        la.evaluate()


@pytest.mark.parametrize("expression", ["d +* 2", "foo(d)", "__import__('os')"])
def test_lazyarray_invalid_expression(expression):
    with pytest.raises(InvalidParameterValueError):
        LazyArray(expression)


# -- ParameterSpace: value kinds --------------------------------------------------------------

def test_number_and_list():
    values = evaluated({"tau_m": 20, "v_rest": [-65, -66, -67, -68], "n": 3})
    assert values["tau_m"].dtype == float and values["tau_m"].tolist() == [20.0] * 4
    assert values["v_rest"].dtype == float and values["v_rest"].tolist() == [-65, -66, -67, -68]
    assert values["n"].dtype.kind == "i" and values["n"].tolist() == [3] * 4


@pytest.mark.parametrize("value", [[1.0, 2.0, 3.0], np.zeros(5), np.zeros((4, 2))])
def test_list_of_wrong_length(value):
    with pytest.raises(InvalidDimensionsError):
        ParameterSpace({"tau_m": value}, SCHEMA, shape=(4,))


def test_list_length_checked_when_shape_set_later():
    ps = ParameterSpace({"tau_m": [1.0, 2.0, 3.0]}, SCHEMA)
    with pytest.raises(InvalidDimensionsError):
        ps.shape = (4,)
    ps.shape = (3,)
    assert ps.evaluate()["tau_m"].tolist() == [1.0, 2.0, 3.0]


def test_random_distribution_one_draw_per_cell_in_index_order():
    rd = RandomDistribution("normal", (-65.0, 2.0), rng=NumpyRNG(SEED))
    values = evaluated({"v_rest": rd}, shape=(6,))
    np.testing.assert_array_equal(values["v_rest"],
                                  np.random.RandomState(SEED).normal(-65.0, 2.0, 6))


def test_two_distributions_sharing_an_rng_drawn_in_schema_order():
    rng = NumpyRNG(SEED)
    # given in the reverse of the schema order: tau_m is still drawn first
    parameters = {"v_rest": RandomDistribution("uniform", (-70.0, -60.0), rng=rng),
                  "tau_m": RandomDistribution("uniform", (10.0, 20.0), rng=rng)}
    values = evaluated(parameters, shape=(5,))
    ref = np.random.RandomState(SEED)
    np.testing.assert_array_equal(values["tau_m"], ref.uniform(10.0, 20.0, 5))
    np.testing.assert_array_equal(values["v_rest"], ref.uniform(-70.0, -60.0, 5))
    assert list(values) == ["v_rest", "tau_m"]  # the dict keeps insertion order


def test_without_schema_distributions_drawn_in_insertion_order():
    rng = NumpyRNG(SEED)
    ps = ParameterSpace({"b": RandomDistribution("uniform", (0, 1), rng=rng),
                         "a": RandomDistribution("uniform", (5, 6), rng=rng)}, shape=(3,))
    ps.evaluate()
    ref = np.random.RandomState(SEED)
    np.testing.assert_array_equal(ps["b"], ref.uniform(0, 1, 3))
    np.testing.assert_array_equal(ps["a"], ref.uniform(5, 6, 3))


def test_vectorised_function_called_once_with_index_array():
    calls = []

    def f(i):
        calls.append(np.asarray(i).copy())
        return 10.0 + 2 * i

    values = evaluated({"tau_m": f}, shape=(5,))
    assert values["tau_m"].tolist() == [10.0, 12.0, 14.0, 16.0, 18.0]
    assert len(calls) == 1 and calls[0].tolist() == [0, 1, 2, 3, 4]


def test_scalar_only_function_falls_back_to_per_cell_calls():
    values = evaluated({"tau_m": lambda i: 5.0 if i < 2 else 7.0})
    assert values["tau_m"].tolist() == [5.0, 5.0, 7.0, 7.0]


def test_constant_function_is_broadcast():
    assert evaluated({"tau_m": lambda i: 3.0})["tau_m"].tolist() == [3.0] * 4


def test_sequence_kinds():
    one = Sequence([1.0, 2.0])
    values = evaluated({"spike_times": one}, shape=(3,))["spike_times"]
    assert values.dtype == object and values.shape == (3,) and all(v == one for v in values)
    flat = evaluated({"spike_times": [5, 6, 7]}, shape=(2,))["spike_times"]
    assert flat.shape == (2,) and all(v == Sequence([5, 6, 7]) for v in flat)
    empty = evaluated({"spike_times": []}, shape=(2,))["spike_times"]
    assert all(isinstance(v, Sequence) and len(v) == 0 for v in empty)
    per_cell = evaluated({"spike_times": [[1.0], [2.0, 3.0], np.array([4.0, 5.0, 6.0])]},
                         shape=(3,))["spike_times"]
    assert [v.value.tolist() for v in per_cell] == [[1.0], [2.0, 3.0], [4.0, 5.0, 6.0]]
    assert all(isinstance(v, Sequence) for v in per_cell)


def test_object_array_of_sequences_per_cell_and_array_parameter_type():
    objects = np.empty(2, dtype=object)
    objects[0], objects[1] = Sequence([1.0]), Sequence([2.0, 3.0])
    values = evaluated({"spike_times": objects, "kernel": (1.0, 10.0, 100.0)}, shape=(2,))
    assert values["spike_times"][0] == Sequence([1.0])
    assert values["spike_times"][1] == Sequence([2.0, 3.0])
    assert all(type(v) is ArrayParameter and v == [1.0, 10.0, 100.0] for v in values["kernel"])


def test_per_cell_sequences_of_wrong_count():
    with pytest.raises(InvalidDimensionsError):
        ParameterSpace({"spike_times": [[1.0], [2.0]]}, SCHEMA, shape=(3,))


def test_sequence_parameter_from_function_of_index():
    values = evaluated({"spike_times": lambda i: Sequence([i, i + 0.5])}, shape=(3,))
    assert [v.value.tolist() for v in values["spike_times"]] == [[0, 0.5], [1, 1.5], [2, 2.5]]


def test_quantities_converted_to_standard_units():
    values = evaluated({"tau_m": 0.02 * pq.s, "v_rest": np.array([-65.0, -0.07]) * pq.V,
                        "spike_times": [1.0, 2.0] * pq.s},
                       shape=(2,), units={"tau_m": "ms", "v_rest": "mV", "spike_times": "ms"})
    assert values["tau_m"].tolist() == pytest.approx([20.0, 20.0])
    assert values["v_rest"].tolist() == pytest.approx([-65000.0, -70.0])
    assert values["spike_times"][0] == Sequence([1000.0, 2000.0])


def test_quantity_with_wrong_dimension():
    with pytest.raises(InvalidParameterValueError, match="tau_m"):
        ParameterSpace({"tau_m": 5 * pq.mV}, SCHEMA, shape=(2,), units={"tau_m": "ms"})


def test_quantity_without_known_unit():
    with pytest.raises(InvalidParameterValueError):
        ParameterSpace({"tau_m": 5 * pq.ms}, SCHEMA, shape=(2,))


@pytest.mark.parametrize("name, value", [
    ("tau_m", "fast"), ("tau_m", {"a": 1}), ("tau_m", None), ("tau_m", ["a", "b", "c", "d"]),
    ("tau_m", Sequence([1.0])), ("n", 2.5), ("n", "d*2"), ("spike_times", "x"),
    ("spike_times", RandomDistribution("uniform", (0, 1))), ("spike_times", [[1.0], 2.0]),
])
def test_wrong_types(name, value):
    with pytest.raises(InvalidParameterValueError):
        ParameterSpace({name: value}, SCHEMA, shape=(4,))


def test_distance_expression_for_a_cell_parameter_fails_at_evaluation():
    ps = ParameterSpace({"tau_m": "10 + d"}, SCHEMA, shape=(2,))
    with pytest.raises(InvalidParameterValueError, match="distance"):
        ps.evaluate()


def test_unknown_name_with_schema():
    with pytest.raises(NonExistentParameterError) as info:
        ParameterSpace({"tau_n": 1.0}, SCHEMA, shape=(2,), component=FakeCell)
    message = str(info.value)
    assert "FakeCell" in message and "tau_n" in message and "tau_m, v_rest" in message


def test_no_schema_accepts_any_name():
    ps = ParameterSpace({"weight": [0.1, 0.2]}, shape=(2,))
    assert ps.evaluate()["weight"].tolist() == [0.1, 0.2]


# -- ParameterSpace: evaluation options ---------------------------------------------------------

def test_mask_with_parallel_safe_distribution_keeps_full_draw():
    mask = np.array([False, True, False, True, True])
    rd = RandomDistribution("uniform", (0, 1), rng=NumpyRNG(SEED))
    ps = ParameterSpace({"tau_m": rd, "v_rest": np.arange(5.0)}, SCHEMA, shape=(5,))
    ps.evaluate(mask=mask)
    full = np.random.RandomState(SEED).uniform(0, 1, 5)
    np.testing.assert_array_equal(ps["tau_m"], full[mask])
    assert ps["v_rest"].tolist() == [1.0, 3.0, 4.0]


def test_mask_with_non_parallel_safe_distribution_draws_selected_count():
    rd = RandomDistribution("uniform", (0, 1), rng=NumpyRNG(SEED, parallel_safe=False))
    ps = ParameterSpace({"tau_m": rd}, SCHEMA, shape=(5,))
    ps.evaluate(mask=np.array([False, True, False, True, True]))
    np.testing.assert_array_equal(ps["tau_m"], np.random.RandomState(SEED).uniform(0, 1, 3))


def test_index_masks_slices_and_empty_masks():
    def make():
        return ParameterSpace({"tau_m": lambda i: i * 1.0, "spike_times": [1.0]}, SCHEMA,
                              shape=(5,))
    ps = make().evaluate(mask=np.array([4, 1]))
    assert ps["tau_m"].tolist() == [4.0, 1.0] and len(ps["spike_times"]) == 2
    assert make().evaluate(mask=slice(1, 3))["tau_m"].tolist() == [1.0, 2.0]
    empty = make().evaluate(mask=np.array([], dtype=int))
    assert empty["tau_m"].shape == (0,) and empty["spike_times"].shape == (0,)


def test_simplify():
    ps = ParameterSpace({"tau_m": 10, "v_rest": [1, 2], "spike_times": Sequence([3.0])},
                        SCHEMA, shape=(2,))
    assert not ps.is_homogeneous
    ps.evaluate(simplify=True)
    assert ps["tau_m"] == 10.0 and isinstance(ps["tau_m"], float)
    assert ps["v_rest"].tolist() == [1.0, 2.0]
    assert ps["spike_times"] == Sequence([3.0])
    homogeneous = ParameterSpace({"tau_m": 10, "spike_times": Sequence([3.0])}, SCHEMA, shape=(2,))
    assert homogeneous.is_homogeneous


def test_as_dict_needs_evaluation():
    ps = ParameterSpace({"tau_m": 1.0}, SCHEMA, shape=(2,))
    with pytest.raises(RuntimeError):
        ps.as_dict()
    assert ps.evaluate().as_dict()["tau_m"].tolist() == [1.0, 1.0]


def test_evaluate_needs_shape():
    with pytest.raises(ValueError):
        ParameterSpace({"tau_m": 1.0}, SCHEMA).evaluate()


def test_keys_update_pop_setitem_contains():
    ps = ParameterSpace({"tau_m": 1.0}, SCHEMA, shape=(2,))
    ps.update(v_rest=-60.0)
    ps["n"] = 4
    assert list(ps.keys()) == ["tau_m", "v_rest", "n"] and "n" in ps
    assert isinstance(ps["tau_m"], LazyArray)
    popped = ps.pop("v_rest")
    assert popped.evaluate(simplify=True) == -60.0
    assert "v_rest" not in ps and "v_rest" not in ps.schema and "v_rest" in SCHEMA
    with pytest.raises(NonExistentParameterError):
        ps.update(v_rest=1.0)


def test_parallel_safe_and_native_rngs():
    safe = RandomDistribution("uniform", (0, 1), rng=NumpyRNG(1))
    unsafe = RandomDistribution("uniform", (0, 1), rng=NumpyRNG(1, parallel_safe=False))
    native = RandomDistribution("uniform", (0, 1), rng=NativeRNG(1))
    assert ParameterSpace({"tau_m": safe}, SCHEMA).parallel_safe
    assert not ParameterSpace({"tau_m": unsafe, "v_rest": 1.0}, SCHEMA).parallel_safe
    assert not ParameterSpace({"tau_m": safe}, SCHEMA).has_native_rngs
    assert ParameterSpace({"tau_m": native}, SCHEMA).has_native_rngs


def test_expand():
    ps = ParameterSpace({"tau_m": [1.0, 2.0], "v_rest": -65.0}, SCHEMA, shape=(2,))
    ps.expand((4,), np.array([False, True, False, True]))
    assert ps.shape == (4,)
    values = ps.evaluate()
    np.testing.assert_array_equal(values["tau_m"], [np.nan, 1.0, np.nan, 2.0])
    assert values["v_rest"].tolist() == [-65.0] * 4


def test_nested_components_and_flatten():
    schema = {"tau_m": float, "AMPA": {"tau_syn": float}, "GABA": {"tau_syn": float}}
    ps = ParameterSpace({"tau_m": 10.0, "AMPA": {"tau_syn": [1.0, 2.0]}, "GABA": {"tau_syn": 5}},
                        schema, shape=(2,))
    with pytest.raises(NonExistentParameterError):
        ParameterSpace({"AMPA": {"tau_rise": 1.0}}, schema, shape=(2,))
    with pytest.raises(InvalidParameterValueError):
        ParameterSpace({"AMPA": 1.0}, schema, shape=(2,))
    ps.flatten()
    assert list(ps.keys()) == ["tau_m", "AMPA.tau_syn", "GABA.tau_syn"]
    values = ps.evaluate().as_dict()
    assert values["AMPA.tau_syn"].tolist() == [1.0, 2.0]
    assert values["GABA.tau_syn"].tolist() == [5.0, 5.0]
    bare = ParameterSpace({"AMPA": {"tau_syn": 1.0}}, schema, shape=(2,)).flatten(with_prefix=False)
    assert list(bare.keys()) == ["tau_syn"]


def test_nested_evaluate_without_flatten():
    schema = {"AMPA": {"tau_syn": float}}
    ps = ParameterSpace({"AMPA": {"tau_syn": 2.0}}, schema, shape=(3,)).evaluate()
    assert ps.as_dict() == {"AMPA": {"tau_syn": pytest.approx(np.full(3, 2.0))}}


def test_simplify_function():
    assert simplify(np.array([2.0, 2.0, 2.0])) == 2.0
    varied = np.array([1.0, 2.0])
    assert simplify(varied) is varied
    empty = np.array([])
    assert simplify(empty) is empty
    assert simplify(7.5) == 7.5
    objects = np.empty(2, dtype=object)
    objects[0] = objects[1] = Sequence([1.0])
    assert simplify(objects) is objects


def test_one_cell_spaces_evaluate_to_one_element_arrays():
    space = ParameterSpace({"a": [0.2], "s": [Sequence([1.0, 2.0])]},
                           {"a": float, "s": Sequence}, shape=(1,))
    space.evaluate(simplify=False)
    assert space["a"].shape == (1,) and space["a"][0] == 0.2
    assert space["s"].shape == (1,) and list(space["s"][0].value) == [1.0, 2.0]


def test_one_cell_population_with_list_values(sim):
    p = sim.Population(1, sim.IF_curr_exp(i_offset=[0.2]))
    p.record("v")
    sim.run(1.0)
    assert p.get("i_offset") == 0.2
    assert p.get_data().segments[0].analogsignals[0].shape == (11, 1)
