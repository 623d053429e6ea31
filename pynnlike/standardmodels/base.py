"""What every standard model type shares: parameters with defaults and units, a parameter space,
recordables, and the range checks the core applies to evaluated values.

A model type is simulator-free: it only describes. Drivers map it to native models through their
translation tables; the core evaluates its parameter space per cell or per connection and calls
`validate()` on the result.
"""
import numpy as np
from lazyarray import larray

from pynnlike.descriptions import render
from pynnlike.errors import InvalidParameterValueError, NonExistentParameterError
from pynnlike.parameters import ArrayParameter, ParameterSpace

# standard units (API §4, §9) of the names whose unit is the same in every model
_UNIT_NAMES = {
    "mV": "v v_rest v_reset v_thresh v_spike v_offset v_t v_t_star e_rev_E e_rev_I e_rev_sfa "
          "e_rev_rr e_rev_Na e_rev_K e_rev_leak e_syn delta_T delta_v a_gamma c",
    "nF": "cm",
    "ms": "tau_m tau_refrac tau_syn_E tau_syn_I tau_sfa tau_rr tau_w tau_eta tau_gamma "
          "tau_syn tau_rise tau_decay tau_rec tau_facil tau_plus tau_minus tau start stop "
          "duration tbins spike_times times delay dt",
    "nA": "i_offset isyn_exc isyn_inh isyn w a_eta i_eta amplitude amplitudes offset mean "
          "stdev",
    "uS": "gsyn_exc gsyn_inh gsyn gbar_Na gbar_K",
    "nS": "q_sfa q_rr g_r g_s",
    "Hz": "rate beta lambda0 frequency rho",
    "dimensionless": "alpha locations U p A_plus A_minus mu_plus mu_minus "
                     "dendritic_delay_fraction",
    "": "m h",
    "deg": "phase"}
_COMMON_UNITS = {name: unit for unit, names in _UNIT_NAMES.items() for name in names.split()}


def unit_table(*groups, **special):
    """Name -> unit string for every name in `groups` (iterables of names; 'spikes' has no unit).

    Names whose unit depends on the model (a, b, d, g_leak, n, u) must be given in `special`.
    """
    return {name: special[name] if name in special else _COMMON_UNITS[name]
            for group in groups for name in group if name != "spikes"}


def raw_value(value):
    """A parameter-space value as the user gave it (the base value of an untouched lazy array)."""
    if isinstance(value, larray) and not value.operations:
        return value.base_value
    return value


def numbers(value):
    """Every number of an evaluated value (scalar, array, or object array of sequences), flat."""
    if isinstance(value, ArrayParameter):
        return value.value
    array = np.asarray(value)
    if array.dtype == object:
        parts = [numbers(item) for item in array.ravel()]
        return np.concatenate(parts) if parts else np.empty(0)
    return array.astype(float).ravel()


def sequences(value):
    """An evaluated sequence-typed value as a list of float arrays, one per element."""
    if isinstance(value, ArrayParameter):
        return [value.value]
    return [np.asarray(getattr(item, "value", item), dtype=float)
            for item in np.asarray(value, dtype=object).ravel()]


def increasing(arrays, strict):
    """Per array: are its elements (strictly) increasing? One vectorised pass over all arrays."""
    cell = np.repeat(np.arange(len(arrays)), [len(a) for a in arrays])
    flat = np.concatenate(arrays) if arrays else np.empty(0)
    step_ok = np.diff(flat) > 0 if strict else np.diff(flat) >= 0
    same_cell = cell[:-1] == cell[1:]
    ok = np.ones(len(arrays), dtype=bool)
    ok[cell[:-1][same_cell & ~step_ok]] = False
    return ok


class StandardModelType:
    """Base of every cell, synapse, electrode and component type.

    Subclasses declare `default_parameters` (in the order of the API tables), `units`, and the
    names checked by `validate`: `positive` (> 0), `non_negative` (>= 0), `fractions` (in
    [0, 1]); every element of a sequence value is checked.
    """

    default_parameters = {}
    default_initial_values = {}
    units = {}
    recordable = ()
    receptor_types = ()
    conductance_based = True
    injectable = True
    voltage_based_synapses = False
    positive = ()
    non_negative = ()
    fractions = ()

    def __init__(self, **parameters):
        self._check_names(parameters)
        self.parameter_space = self._space({**self.default_parameters, **parameters})

    def _check_names(self, names):
        for name in names:
            if not self.has_parameter(name):
                raise NonExistentParameterError(name, type(self).__name__,
                                                self.get_parameter_names())

    def _space(self, values):
        """A ParameterSpace of `values`; None values (an unresolved delay) are left out, so the
        core fills them in."""
        return ParameterSpace({name: value for name, value in values.items() if value is not None},
                              self.get_schema(), component=type(self).__name__, units=self.units)

    def get_parameter_names(self):
        return list(self.default_parameters)

    def has_parameter(self, name):
        return name in self.default_parameters

    def get_schema(self):
        """Name -> type of the default value (float for a default of None)."""
        return {name: float if value is None else type(value)
                for name, value in self.default_parameters.items()}

    def can_record(self, variable, location=None):
        return variable in self.recordable

    def _current_values(self):
        return {name: raw_value(value) for name, value in self.parameter_space.items()}

    def describe(self, template="modeltype_default.txt", engine="default"):
        """Human-readable text; `template=None` gives the context dict."""
        context = {"name": type(self).__name__,
                   "default_parameters": dict(self.default_parameters),
                   "default_initial_values": dict(self.default_initial_values),
                   "parameters": self._current_values()}
        return render(engine, template, context)

    def __repr__(self):
        values = ", ".join(f"{name}={value!r}" for name, value in self._current_values().items())
        return f"{type(self).__name__}({values})"

    # -- checks of evaluated values ----------------------------------------------------------
    def _reject(self, name, values, rule):
        raise InvalidParameterValueError(
            f"{type(self).__name__}: parameter {name!r} must be {rule}, got {values}")

    def validate(self, values):
        """Raise InvalidParameterValueError if an evaluated value is out of range.

        `values` maps names to evaluated arrays (one element per cell or connection; object
        arrays of Sequence/ArrayParameter for sequence types). Checks needing a name that is
        absent are skipped.
        """
        rules = (("positive", lambda x: x > 0, "> 0"),
                 ("non_negative", lambda x: x >= 0, ">= 0"),
                 ("fractions", lambda x: (x >= 0) & (x <= 1), "in [0, 1]"))
        for attribute, ok, text in rules:
            for name in getattr(self, attribute):
                if name in values:
                    x = numbers(values[name])
                    if not np.all(ok(x)):
                        self._reject(name, np.unique(x[~ok(x)]), text)


class StandardCellType(StandardModelType):
    """A neuron or spike source. `random_source` marks the random spike sources whose trains
    the core draws."""

    receptor_types = ("excitatory", "inhibitory")
    random_source = False


class StandardCellTypeComponent(StandardModelType):
    """The membrane part of a composed neuron (PointNeuron)."""


class StandardPostSynapticResponse(StandardModelType):
    """A receptor kernel of a composed neuron (PointNeuron)."""


class StandardSynapseType(StandardModelType):
    """A synapse type; `delay=None` means the simulation's min_delay, resolved by the core.
    `weights_change` marks plastic types, whose weights the core reads back from the driver."""

    weights_change = False


class StandardCurrentSource(StandardModelType):
    """An electrode (see electrodes.py for the behaviour)."""


class STDPWeightDependence(StandardModelType):
    """How the size of an STDP update depends on the current weight."""


class STDPTimingDependence(StandardModelType):
    """How an STDP update depends on spike timing."""


class ModelNotAvailable(StandardModelType):
    """Placeholder for a model a backend lacks; instantiating it raises NotImplementedError."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} is not available")
