"""A user's own NEURON cell class as a cell type: `sim.native_cell_type(MyCell)`, and a user's
point-process mechanism as a synapse type: `sim.native_synapse_type('MySyn')`.

The class follows this protocol (class attributes, then what each instance must expose):

- `default_parameters`: dict of numbers. Each cell is built as `MyCell(**parameters)`; later
  `Population.set` does `setattr(cell, name, value)` and `get` reads `getattr(cell, name)`, so
  a parameter that must reach NEURON after construction should be a property.
- `receptor_types` (default ()): names of synapse point processes, each an attribute of the
  cell (e.g. `cell.excitatory = h.ExpSyn(...)`) that NetCons target. Weights reach them
  unscaled, in the mechanism's own units (µS for ExpSyn); `conductance_based` (default True)
  only says which sign the core accepts (True: >= 0).
- `recordable` (default ('v',)): 'v' is the membrane potential at `source_section(0.5)`;
  '<attr>.<var>' is variable `var` of the attribute `attr` of the cell (a point process, or a
  section, read at its middle), e.g. 'excitatory.g' or 'dend.v'; 'spikes' is always there.
- `default_initial_values` (optional; 'v' is always there, default -65.0 mV): 'v' is set on
  every segment of the cell's tree before NEURON's finitialize(), so the mechanisms' INITIAL
  blocks (e.g. hh's gating variables) start from it; others ('<attr>.<var>', as above) after.
- `spike_threshold` (default 0.0 mV): spikes are upward crossings of it by the v of
  `source_section(0.5)`, unless the instance has `source`, a point process that emits
  events itself (net_event, e.g. an IntFire or a threshold mechanism).
- `units` (optional): name -> unit string; otherwise 'mV' for v, dimensionless else.

Instances must expose `source_section`, the Section where current sources are injected and
where 'v' is read.

A native synapse type names a POINT_PROCESS mechanism with a NET_RECEIVE block, loaded into
NEURON by the user (nrnivmodl in the working directory, or h.nrn_load_dll). Each connection
gets its own instance, placed where the connection's receptor type sits on the post-synaptic
cell (the receptor only chooses the place; the mechanism brings its own current), and a NetCon
from the pre-synaptic cell whose weight[0] is the connection's weight, unscaled (the
mechanism's units), read back from NEURON whenever asked (the mechanism may change it). Its
parameters are the mechanism's PARAMETERs, with NEURON's names and defaults, per connection;
further NET_RECEIVE arguments start at 0 unless the mechanism's NET_RECEIVE INITIAL sets them.
"""
from numbers import Real

from pynnlike.standardmodels import StandardCellType, StandardSynapseType


class NativeCellType(StandardCellType):
    """A user's NEURON cell class; subclasses are made by `native_cell_type`."""

    cell_class = None
    spike_threshold = 0.0


def _defaults(cell_class):
    defaults = getattr(cell_class, "default_parameters", None)
    name = getattr(cell_class, "__name__", repr(cell_class))
    if not isinstance(cell_class, type) or not isinstance(defaults, dict) or not all(
            isinstance(v, Real) and not isinstance(v, bool) for v in defaults.values()):
        raise TypeError(f"NEURON: native_cell_type({name}) needs a class whose attribute "
                        f"default_parameters is a dict of numbers")
    return {key: float(value) for key, value in defaults.items()}


def _unit(name):
    return "mV" if name == "v" or name.endswith(".v") else "dimensionless"


def native_cell_type(cell_class):
    """A cell-type class whose cells are instances of `cell_class` (see the module docstring
    for the protocol the class follows)."""
    parameters = _defaults(cell_class)
    initial = {key: float(value) for key, value in
               {"v": -65.0, **getattr(cell_class, "default_initial_values", {})}.items()}
    recordable = list(dict.fromkeys(["spikes", "v", *getattr(cell_class, "recordable", ())]))
    units = {name: _unit(name) for name in [*parameters, *initial, *recordable]
             if name != "spikes"}
    units.update(getattr(cell_class, "units", {}))
    attributes = {
        "__doc__": cell_class.__doc__ or f"The NEURON cell class {cell_class.__name__}.",
        "default_parameters": parameters, "default_initial_values": initial,
        "recordable": tuple(recordable), "units": units,
        "receptor_types": tuple(getattr(cell_class, "receptor_types", ())),
        "conductance_based": bool(getattr(cell_class, "conductance_based", True)),
        "spike_threshold": float(getattr(cell_class, "spike_threshold", 0.0)),
        "cell_class": cell_class}
    return type(cell_class.__name__, (NativeCellType,), attributes)


class NativeSynapseType(StandardSynapseType):
    """A user's NEURON point-process mechanism; subclasses are made by `native_synapse_type`."""

    neuron_mechanism = None
    weights_change = True


def native_synapse_type(mechanism):
    """A synapse-type class whose connections are instances of the point-process mechanism
    named `mechanism` (see the module docstring)."""
    from neuron import h
    kinds = h.MechanismType(1)
    kinds.select(mechanism)
    selected = h.ref("")
    index = kinds.selected(selected)
    if selected[0] != mechanism or not kinds.is_netcon_target(index) or \
            kinds.is_artificial(index):
        raise ValueError(f"NEURON has no point-process mechanism {mechanism!r} with a "
                         f"NET_RECEIVE block (load it before calling native_synapse_type)")
    standard, name = h.MechanismStandard(mechanism, 1), h.ref("")
    parameters = {}
    for k in range(int(standard.count())):
        if standard.name(name, k) == 1 and name[0] not in ("weight", "delay"):
            parameters[name[0]] = float(standard.get(name[0]))
    attributes = {
        "__doc__": f"The NEURON mechanism {mechanism}: weight and delay, then its PARAMETERs "
                   f"with NEURON's names and units.",
        "default_parameters": {"weight": 0.0, "delay": None, **parameters},
        "units": {"delay": "ms"}, "neuron_mechanism": mechanism}
    return type(mechanism, (NativeSynapseType,), attributes)


class Tree:
    """The 'v' of one native cell: read and recorded at source_section(0.5), set on every
    segment of the cell's tree."""

    def __init__(self, section):
        self.section = section

    @property
    def v(self):
        return self.section(0.5).v

    @v.setter
    def v(self, value):
        for section in self.section.wholetree():
            for segment in section:
                segment.v = value

    @property
    def _ref_v(self):
        return self.section(0.5)._ref_v


def target(cell, path):
    """The object holding '<attr>.<var>' (without '.<var>'): a point process, or the middle
    segment of a section."""
    obj = cell
    for attribute in path.split("."):
        obj = getattr(obj, attribute)
    return obj(0.5) if hasattr(obj, "wholetree") else obj


__all__ = ["native_cell_type", "NativeCellType", "native_synapse_type",
           "NativeSynapseType"]
