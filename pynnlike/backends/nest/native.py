"""NEST models used by their own names: `sim.native_cell_type('aeif_psc_delta')`,
`sim.native_synapse_type('stdp_synapse')`.

A native type speaks NEST: its parameters, initial values and recordables have NEST's names,
defaults and units. Weights onto native cells are NEST's too (pA or nS, negative for inhibition);
a native synapse type keeps the standard weight units of its target, like StaticSynapse, and
reads its weights back from NEST when the model changes them.
"""
import nest

from pynnlike.standardmodels import StandardCellType, StandardSynapseType

_UNITS = {"w": "pA", "a": "nS", "b": "pA", "Delta_T": "mV", "Delta_V": "mV"}
_UNIT_PREFIXES = (("V_", "mV"), ("E_", "mV"), ("I_", "pA"), ("g_", "nS"), ("C_", "pF"),
                  ("tau_", "ms"), ("t_", "ms"))


class NativeCellType(StandardCellType):
    """A NEST neuron model; subclasses are made by `native_cell_type`."""

    nest_model = None
    nest_ports = {}  # receptor name -> NEST receptor port (multisynapse models)
    conductance_based = False  # NEST's sign convention: negative weights inhibit


class NativeSynapseType(StandardSynapseType):
    """A NEST synapse model; subclasses are made by `native_synapse_type`."""

    nest_model = None
    weights_change = True


def _unit(name):
    """NEST's unit of a quantity, from its name (NEST's naming conventions)."""
    if name in _UNITS:
        return _UNITS[name]
    for prefix, unit in _UNIT_PREFIXES:
        if name.startswith(prefix):
            return unit
    return "dimensionless"


def _settable(model, defaults):
    """The float-valued entries of a model's defaults that NEST lets a user set."""
    settable = {}
    for name, value in defaults.items():
        if isinstance(value, float):
            try:
                nest.SetDefaults(model, {name: value})
            except nest.NESTErrors.KernelException:
                continue
            settable[name] = value
    return settable


def native_cell_type(model_name):
    """A cell-type class for NEST neuron model `model_name`."""
    if model_name not in nest.node_models or \
            nest.GetDefaults(model_name).get("element_type") != "neuron":
        raise ValueError(f"NEST has no neuron model {model_name!r}")
    defaults = nest.GetDefaults(model_name)
    recordables = [str(r) for r in defaults.get("recordables", ())]
    settable = _settable(model_name, defaults)
    initial = {name: settable.pop(name) for name in recordables if name in settable}
    ports = dict(defaults.get("receptor_types", {}))
    attributes = {
        "__doc__": f"NEST's {model_name}, with NEST's parameter names and units.",
        "default_parameters": settable, "default_initial_values": initial,
        "recordable": ("spikes", *recordables),
        "units": {name: _unit(name) for name in [*settable, *recordables]},
        "receptor_types": tuple(ports) or ("excitatory", "inhibitory"),
        "nest_model": model_name, "nest_ports": ports}
    return type(model_name, (NativeCellType,), attributes)


def native_synapse_type(model_name):
    """A synapse-type class for NEST synapse model `model_name`."""
    if model_name not in nest.synapse_models:
        raise ValueError(f"NEST has no synapse model {model_name!r}")
    defaults = nest.GetDefaults(model_name)
    others = {name: value for name, value in _settable(model_name, defaults).items()
              if name not in ("weight", "delay")}
    parameters = {"weight": 0.0, "delay": None, **others}
    attributes = {
        "__doc__": f"NEST's {model_name}: weight and delay in standard units, the other "
                   f"parameters with NEST's names and units.",
        "default_parameters": parameters,
        "units": {"delay": "ms", **{name: _unit(name) for name in others}},
        "nest_model": model_name,
        "weights_change": not model_name.startswith("static_synapse")}
    return type(model_name, (NativeSynapseType,), attributes)


__all__ = ["native_cell_type", "native_synapse_type", "NativeCellType", "NativeSynapseType"]
