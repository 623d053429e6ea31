"""Parameter values of a whole population (or projection) at once.

A `ParameterSpace` holds one lazy array per parameter name. Each value kind a user may give
(number, array, RandomDistribution, function of the cell index, Sequence, quantity) is checked and
normalised when it enters; `evaluate()` then turns every lazy array into a numpy array for the
driver, drawing random values in a fixed order so that a seed gives the same values everywhere.
"""
import sys
from collections.abc import Mapping, Sized

import numpy as np
from lazyarray import larray, VectorizedIterable

from pynnlike.errors import (InvalidDimensionsError, InvalidParameterValueError,
                             NonExistentParameterError)
from pynnlike.random import NativeRNG, RandomDistribution

__all__ = ["ParameterSpace", "LazyArray", "Sequence", "ArrayParameter", "simplify"]


class ArrayParameter:
    """One parameter value made of several numbers (a 1-D float array).

    Wrapping the array says "this whole array is one value" (e.g. a cell's spike times), as
    opposed to "one number per cell". Arithmetic with a scalar or an array of the same length
    acts element-wise and returns the same type; inside an object array of values, numpy applies
    it value by value.
    """

    is_lazyarray_scalar = True  # lazyarray: one element, although it has a length
    __array_ufunc__ = None  # numpy must not unpack us: `x * seq` calls our __rmul__

    def __init__(self, value):
        if isinstance(value, ArrayParameter):
            value = value.value
        try:
            array = np.array(value, dtype=float)
        except (TypeError, ValueError):
            raise InvalidParameterValueError(
                f"{type(self).__name__} needs numbers, not {value!r}") from None
        if array.ndim > 1:
            raise InvalidParameterValueError(
                f"{type(self).__name__} needs a 1-D array, got shape {array.shape}")
        self.value = np.atleast_1d(array)

    def _operand(self, other):
        other = other.value if isinstance(other, ArrayParameter) else np.asarray(other, dtype=float)
        if other.ndim and other.shape != self.value.shape:
            raise InvalidDimensionsError(
                f"cannot combine a {type(self).__name__} of length {len(self)} with an array of "
                f"shape {other.shape}")
        return other

    def __add__(self, other):
        return type(self)(self.value + self._operand(other))

    def __sub__(self, other):
        return type(self)(self.value - self._operand(other))

    def __mul__(self, other):
        return type(self)(self.value * self._operand(other))

    def __truediv__(self, other):
        return type(self)(self.value / self._operand(other))

    def __rsub__(self, other):
        return type(self)(self._operand(other) - self.value)

    def __rtruediv__(self, other):
        return type(self)(self._operand(other) / self.value)

    __radd__ = __add__
    __rmul__ = __mul__

    def __neg__(self):
        return type(self)(-self.value)

    def __eq__(self, other):
        if isinstance(other, np.ndarray) and other.dtype == object:
            return np.array([self == item for item in other], dtype=bool)
        if isinstance(other, ArrayParameter):
            other = other.value
        other = np.asarray(other)
        return other.shape == self.value.shape and bool(np.all(self.value == other))

    __hash__ = None

    def __len__(self):
        return self.value.size

    def __iter__(self):
        return iter(self.value)

    def __getitem__(self, index):
        item = self.value[index]
        return type(self)(item) if isinstance(item, np.ndarray) else item

    def max(self):
        return self.value.max()

    def __repr__(self):
        return f"{type(self).__name__}({self.value.tolist()!r})"


class Sequence(ArrayParameter):
    """A sequence of numbers forming one value, e.g. spike times or step-current amplitudes."""


def _object_array(items):
    """1-D object array of `items` (numpy would otherwise unpack array-like items)."""
    result = np.empty(len(items), dtype=object)
    for k, item in enumerate(items):
        result[k] = item
    return result


def _filled_object_array(item, shape):
    result = np.empty(shape, dtype=object)
    result.fill(item)
    return result


# functions and constants usable in distance expressions (strings in `d`)
_EXPRESSION_NAMESPACE = {name: getattr(np, name) for name in (
    "exp", "sqrt", "log", "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2",
    "sinh", "cosh", "tanh", "ceil", "floor", "fabs", "fmod", "hypot", "ldexp", "modf", "power",
    "maximum", "minimum", "e", "pi")}
_EXPRESSION_NAMESPACE["abs"] = np.abs


class DistanceExpression:
    """A parameter given as a string expression in the distance `d`, e.g. "0.1*exp(-d/50)".

    Only meaningful for synaptic parameters: connectors call it with distance arrays.
    """

    def __init__(self, expression):
        self.expression = expression
        try:
            self._code = compile(expression, "<distance expression>", "eval")
        except SyntaxError as err:
            raise InvalidParameterValueError(
                f"{expression!r} is not a valid expression in d: {err.msg}") from None
        with np.errstate(all="ignore"):
            try:
                self(np.float64(0.0))
            except NameError as err:
                raise InvalidParameterValueError(
                    f"{expression!r} is not a valid expression in d: {err}") from None

    def __call__(self, d):
        return eval(self._code, {"__builtins__": {}, **_EXPRESSION_NAMESPACE}, {"d": d})

    def __repr__(self):
        return f"DistanceExpression({self.expression!r})"


def _call_with_indices(f, indices):
    """f(*index arrays) as an array of the indices' shape.

    f is called once with whole arrays; only if that fails (raises, or gives something that is
    neither an array of the right shape nor a number) is it called once per element.
    """
    indices = np.broadcast_arrays(*[np.asarray(i) for i in indices])
    shape = indices[0].shape
    try:
        result = f(*indices)
    except Exception:  # noqa: BLE001 - any failure means f is not vectorised
        result = None
    if isinstance(result, np.ndarray) and result.shape == shape:
        return result
    if np.isscalar(result) and not isinstance(result, str):
        return np.full(shape, result)
    values = [f(*(i.item() for i in index)) for index in zip(*[i.ravel() for i in indices])]
    if all(np.isscalar(v) and not isinstance(v, str) for v in values):
        return np.array(values).reshape(shape)
    return _object_array(values).reshape(shape)


class LazyArray(larray):
    """A lazyarray `larray` that also holds pynnlike's value kinds.

    Besides what larray takes (numbers, arrays, functions of the indices, RandomDistribution),
    the base value may be a Sequence/ArrayParameter (the same value for every element; evaluates
    to an object array) or a string: an expression in the distance `d` (a DistanceExpression),
    which connectors evaluate with distances; evaluating it without distances is an error.
    Functions of the indices that fail on arrays are called element by element.
    """

    def __init__(self, value, shape=None, dtype=None):
        if isinstance(value, str):
            value = DistanceExpression(value)
        if isinstance(value, (ArrayParameter, DistanceExpression, VectorizedIterable)):
            # larray's constructor would take these apart (they look like sequences or numbers)
            self.base_value, self._shape, self.dtype, self.operations = value, shape, dtype, []
        else:
            super().__init__(value, shape, dtype)

    @property
    def is_homogeneous(self):
        if isinstance(self.base_value, ArrayParameter):
            return all(arg.is_homogeneous for _, arg in self.operations if isinstance(arg, larray))
        return super().is_homogeneous

    def _special_base_value(self, addr, simplify):
        """Base values of the elements at `addr` (None: all) for the kinds larray lacks, or
        NotImplemented to let larray do it."""
        base = self.base_value
        if isinstance(base, DistanceExpression):
            raise InvalidParameterValueError(
                f"{base.expression!r} is an expression in the distance d; it can only be evaluated "
                "by a connector (synaptic parameters)")
        if isinstance(base, ArrayParameter):
            if simplify and self.is_homogeneous:
                return base
            shape = self._shape if addr is None else self._partial_shape(addr)
            return _filled_object_array(base, shape)
        if callable(base) and not isinstance(base, larray):
            indices = np.indices(self._shape) if addr is None else self._array_indices(addr)
            return _call_with_indices(base, indices)
        return NotImplemented

    def _partially_evaluate(self, addr, simplify=False):
        base = self._special_base_value(addr, simplify)
        if base is NotImplemented:
            return super()._partially_evaluate(addr, simplify=simplify)
        return self._apply_operations(base, addr, simplify=simplify)

    def evaluate(self, simplify=False, empty_val=0):
        if self._shape is None:
            raise ValueError("the shape of the lazy array must be set before evaluating it")
        base = self._special_base_value(None, simplify)
        if base is NotImplemented:
            return super().evaluate(simplify=simplify, empty_val=empty_val)
        return self._apply_operations(base, simplify=simplify)


def _is_number(value):
    return isinstance(value, (bool, int, float, np.number, np.bool_))


def _is_sequence_type(expected):
    return isinstance(expected, type) and issubclass(expected, ArrayParameter)


def _unit(name):
    pq = sys.modules["quantities"]
    return pq.Quantity(1.0, name.replace("µ", "u").replace("μ", "u"))


class ParameterSpace:
    """Parameter values for `shape` cells (or connections), as lazy arrays until evaluated.

    `schema` maps each allowed name to its type (float, int, bool, Sequence, ArrayParameter, or
    a dict for a nested component); names outside it raise NonExistentParameterError. `units`
    maps names to the standard unit string that `quantities.Quantity` values are converted to.
    `component` (a class or instance) names the model in error messages.

    Evaluated form (after `evaluate(mask=None, simplify=False)`): `ps[name]` and `items()` give,
    for each name, a numpy array with one element per selected cell (all `shape[0]` cells when
    `mask` is None): float64 for float parameters (the schema type's dtype for int/bool), an
    object array of Sequence/ArrayParameter for sequence-typed ones. With `simplify=True` a
    homogeneous value is given as a single scalar (or a single Sequence) instead.
    """

    def __init__(self, parameters, schema=None, shape=None, component=None, units=None):
        self._parameters = {}
        self.schema = None if schema is None else dict(schema)
        self._shape = (shape,) if isinstance(shape, (int, np.integer)) else shape
        self.component = component
        self.units = dict(units or {})
        self._evaluated = False
        self.update(**(parameters or {}))

    # -- names and values --------------------------------------------------------------------
    @property
    def _model_name(self):
        component = self.component
        if component is None:
            return "unknown"
        return getattr(component, "__name__", type(component).__name__)

    def keys(self):
        return self._parameters.keys()

    def items(self):
        """(name, value) pairs: LazyArrays before evaluation, arrays (or scalars) after."""
        return self._parameters.items()

    def __getitem__(self, name):
        return self._parameters[name]

    def __setitem__(self, name, value):
        self.update(**{name: value})

    def __contains__(self, name):
        return name in self._parameters

    def pop(self, name, d=None):
        """Remove a parameter (and its schema entry) and return its value."""
        if self.schema is not None:
            self.schema.pop(name, None)
        return self._parameters.pop(name, d)

    def __repr__(self):
        return f"<ParameterSpace {', '.join(self.keys())}, shape={self._shape}>"

    def update(self, **parameters):
        """Check and add values (see the class docstring for the accepted kinds)."""
        for name, value in parameters.items():
            expected = None
            if self.schema is not None:
                if name not in self.schema:
                    raise NonExistentParameterError(name, self._model_name, self.schema.keys())
                expected = self.schema[name]
            self._parameters[name] = self._lazy_value(name, value, expected)

    def _lazy_value(self, name, value, expected):
        if isinstance(value, Mapping):
            if expected is not None and not isinstance(expected, Mapping):
                raise InvalidParameterValueError(
                    f"{self._model_name}: parameter {name!r} takes a {expected.__name__}, "
                    "not a dict")
            units = self.units.get(name)
            return ParameterSpace(value, expected, self._shape, self.component,
                                  units if isinstance(units, Mapping) else None)
        if isinstance(expected, Mapping):
            raise InvalidParameterValueError(
                f"{self._model_name}: {name!r} is a component; give its parameters as a dict")
        value = self._in_standard_units(name, value)
        try:
            if _is_sequence_type(expected):
                return self._lazy_sequence(name, value, expected)
            return self._lazy_number(name, value, expected)
        except ValueError as err:
            if isinstance(err, (InvalidDimensionsError, InvalidParameterValueError)):
                raise
            raise InvalidDimensionsError(f"{self._model_name}, parameter {name!r}: {err}") from None

    def _in_standard_units(self, name, value):
        pq = sys.modules.get("quantities")  # a Quantity can only exist if quantities is imported
        if pq is None or not isinstance(value, pq.Quantity):
            return value
        unit = self.units.get(name)
        if unit is None:
            if value.dimensionality == pq.dimensionless.dimensionality:
                return value.magnitude
            raise InvalidParameterValueError(
                f"{self._model_name}: no standard unit is known for parameter {name!r}, so "
                f"{value.dimensionality.string} cannot be converted; give a plain number")
        try:
            magnitude = value.rescale(_unit(unit).units).magnitude
        except ValueError:
            raise InvalidParameterValueError(
                f"{self._model_name}: parameter {name!r} is in {unit}; a value in "
                f"{value.dimensionality.string} has the wrong dimension") from None
        return magnitude.item() if magnitude.ndim == 0 else np.array(magnitude)

    def _type_error(self, name, value, expected):
        what = getattr(expected, "__name__", "a number")
        return InvalidParameterValueError(
            f"{self._model_name}: parameter {name!r} expects {what}, got {type(value).__name__} "
            f"{value!r}")

    def _lazy_number(self, name, value, expected):
        if isinstance(value, larray):
            if self._shape is not None:
                value.shape = self._shape
            return value
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        if _is_number(value):
            if expected is int and not float(value).is_integer():
                raise self._type_error(name, value, expected)
            return LazyArray(value if expected is None else expected(value), self._shape)
        if isinstance(value, str):
            if expected is not None and expected is not float:
                raise self._type_error(name, value, expected)
            return LazyArray(value, self._shape)  # an expression in d, or an error
        if isinstance(value, RandomDistribution) or callable(value):
            return LazyArray(value, self._shape)
        if isinstance(value, Sized) and not isinstance(value, ArrayParameter):
            try:
                array = np.asarray(value)
            except ValueError:  # ragged
                raise self._type_error(name, value, expected) from None
            if array.dtype.kind not in "biuf":
                raise self._type_error(name, value, expected)
            if self._shape is not None and array.shape != self._shape:
                raise InvalidDimensionsError(
                    f"{self._model_name}, parameter {name!r}: {array.shape[0] if array.ndim else 0}"
                    f" values given for {self._shape[0]} elements (shape {array.shape}, expected "
                    f"{self._shape})")
            return LazyArray(array, self._shape)
        raise self._type_error(name, value, expected)

    def _lazy_sequence(self, name, value, expected):
        """A Sequence-typed value: one for all cells, or one per cell (object array)."""
        if isinstance(value, ArrayParameter):
            return LazyArray(value if isinstance(value, expected) else expected(value),
                             self._shape, dtype=expected)
        if _is_number(value):
            return LazyArray(expected([value]), self._shape, dtype=expected)
        if callable(value) and not isinstance(value, RandomDistribution):
            return LazyArray(value, self._shape)
        if isinstance(value, Sized) and not isinstance(value, str):
            items = list(value)
            if all(_is_number(item) for item in items):  # a flat list is one value
                return LazyArray(expected(items), self._shape, dtype=expected)
            if all(isinstance(item, Sized) and not isinstance(item, str) for item in items):
                per_cell = _object_array([expected(item) for item in items])
                if self._shape is not None and per_cell.shape != self._shape:
                    raise InvalidDimensionsError(
                        f"{self._model_name}, parameter {name!r}: {len(items)} values given for "
                        f"{self._shape[0]} elements")
                return LazyArray(per_cell, self._shape)
        raise self._type_error(name, value, expected)

    # -- shape -------------------------------------------------------------------------------
    @property
    def shape(self):
        return self._shape

    @shape.setter
    def shape(self, shape):
        shape = (shape,) if isinstance(shape, (int, np.integer)) else shape
        for name, value in self._parameters.items():
            if isinstance(value, (larray, ParameterSpace)):
                try:
                    value.shape = shape
                except ValueError as err:
                    raise InvalidDimensionsError(
                        f"{self._model_name}, parameter {name!r}: {err}") from None
        self._shape = shape

    # -- evaluation --------------------------------------------------------------------------
    def _evaluation_order(self):
        """Names in schema order (the model's parameter table), then the others as inserted:
        random values are drawn in this order."""
        names = list(self._parameters)
        if self.schema is None:
            return names
        position = {name: k for k, name in enumerate(self.schema)}
        return sorted(names, key=lambda name: position.get(name, len(position)))

    def evaluate(self, mask=None, simplify=False):
        """Evaluate every lazy value in place (see the class docstring for the result) and
        return self.

        `mask` selects cells: a boolean array of length shape[0], an index array or a slice.
        A parallel-safe RandomDistribution still draws for all shape[0] cells, in index order,
        and keeps the selected values, so values do not depend on the mask or on MPI.
        """
        if self._shape is None:
            raise ValueError("set the shape of the ParameterSpace before evaluating it")
        if mask is not None and not isinstance(mask, slice):
            mask = np.asarray(mask)
            if mask.dtype != bool:
                mask = mask.astype(int)
                if mask.size == 0:  # lazyarray rejects empty index arrays
                    mask = np.zeros(self._shape[0], dtype=bool)
        for name in self._evaluation_order():
            value = self._parameters[name]
            if isinstance(value, ParameterSpace):
                value.evaluate(mask, simplify)
            elif isinstance(value, larray):
                expected = None if self.schema is None else self.schema.get(name)
                self._parameters[name] = self._evaluate_one(name, value, mask, simplify, expected)
        self._evaluated = True
        return self

    def _evaluate_one(self, name, value, mask, simplify, expected):
        if simplify and value.is_homogeneous:
            result = value.evaluate(simplify=True)
        elif mask is None:
            result = value.evaluate()
        elif (isinstance(value.base_value, VectorizedIterable)
              and getattr(value.base_value.rng, "parallel_safe", True)):
            result = value.evaluate()[mask]
        else:
            result = value[mask]
        if not simplify:  # lazyarray may return one value for a single cell: one per cell
            n = self._shape[0] if mask is None else len(np.arange(self._shape[0])[mask])
            if isinstance(result, ArrayParameter):
                result = _filled_object_array(result, (n,))
            elif np.ndim(result) == 0:
                result = np.full(n, result)
        if _is_sequence_type(expected):
            return self._as_sequences(name, result, expected)
        if expected is None or isinstance(expected, Mapping) or not isinstance(result, np.ndarray):
            return result
        try:
            return result.astype(expected)
        except (TypeError, ValueError):
            raise self._type_error(name, result, expected) from None

    def _as_sequences(self, name, result, expected):
        if isinstance(result, ArrayParameter):
            return result
        values = np.asarray(result) if not isinstance(result, np.ndarray) else result
        if values.dtype == object and all(isinstance(v, expected) for v in values.flat):
            return values
        try:  # e.g. the values of a function of the cell index
            return _object_array([expected(v) for v in values])
        except InvalidParameterValueError:
            raise self._type_error(name, result, expected) from None

    def as_dict(self):
        """Plain dict name -> evaluated value (nested components as nested dicts)."""
        if not self._evaluated:
            raise RuntimeError("call evaluate() before as_dict()")
        return {name: value.as_dict() if isinstance(value, ParameterSpace) else value
                for name, value in self._parameters.items()}

    # -- properties of the values ------------------------------------------------------------
    @property
    def is_homogeneous(self):
        """True if every parameter has the same value for all elements."""
        def homogeneous(value):
            if isinstance(value, (larray, ParameterSpace)):
                return value.is_homogeneous
            if isinstance(value, np.ndarray):
                return value.dtype != object and simplify(value) is not value
            return True
        return all(homogeneous(value) for value in self._parameters.values())

    def _random_distributions(self):
        for value in self._parameters.values():
            if isinstance(value, ParameterSpace):
                yield from value._random_distributions()
            elif isinstance(value, larray) and isinstance(value.base_value, RandomDistribution):
                yield value.base_value

    @property
    def parallel_safe(self):
        """True if some value is drawn from a parallel-safe generator."""
        return any(rd.rng.parallel_safe for rd in self._random_distributions())

    @property
    def has_native_rngs(self):
        """True if some value is drawn from a NativeRNG (the backend may draw it itself)."""
        return any(isinstance(rd.rng, NativeRNG) for rd in self._random_distributions())

    # -- reshaping ---------------------------------------------------------------------------
    def expand(self, new_shape, mask):
        """Grow to `new_shape`: array values go to the positions `mask` selects, the new
        elements are NaN (None for object arrays)."""
        for value in self._parameters.values():
            if isinstance(value, ParameterSpace):
                value.expand(new_shape, mask)
            elif isinstance(value, larray) and isinstance(value.base_value, np.ndarray):
                base = value.base_value
                fill = None if base.dtype == object else np.nan
                grown = np.full(new_shape, fill, dtype=object if fill is None else float)
                grown[mask] = base
                value.base_value = grown
        self.shape = new_shape

    def flatten(self, with_prefix=True):
        """Replace nested component spaces by their values, named '<component>.<name>' (or just
        '<name>' without prefix); returns self."""
        flat, schema = {}, {}
        for name, value in self._parameters.items():
            if isinstance(value, ParameterSpace):
                value.flatten(with_prefix)
                for sub_name, sub_value in value.items():
                    key = f"{name}.{sub_name}" if with_prefix else sub_name
                    flat[key] = sub_value
                    if value.schema is not None:
                        schema[key] = value.schema.get(sub_name)
            else:
                flat[name] = value
                if self.schema is not None:
                    schema[name] = self.schema.get(name)
        self._parameters = flat
        if self.schema is not None:
            self.schema = schema
        return self


def simplify(value):
    """The single value of a numeric array whose elements are all equal, else `value` itself.

    Object arrays (e.g. of Sequences) are never simplified.
    """
    if (isinstance(value, np.ndarray) and value.size and value.dtype != object
            and np.all(value == value.flat[0])):
        return value.flat[0]
    return value
