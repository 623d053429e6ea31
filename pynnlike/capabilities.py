"""What the imported backend can do, asked of its driver rather than written down: the
portability report and the documentation are generated from this, so they cannot disagree
with the code.

A standard type counts as supported when the driver hands out a native model for it with its
default parameters; a refusal is the driver's NotImplementedError (or NoModelAvailableError).
Restrictions that depend on values (e.g. a simulator that takes one tau_minus per post cell)
are reported by the driver when a projection asks for them.
"""
import itertools

from .errors import NoModelAvailableError
from .standardmodels import cells, electrodes, receptors, synapses

_REFUSED = (NotImplementedError, NoModelAvailableError)
_NEURONS = (cells.LIF, cells.AdExp)
_RECEPTORS = tuple(getattr(receptors, name) for name in (
    "CurrExpPostSynapticResponse", "CondExpPostSynapticResponse",
    "CondAlphaPostSynapticResponse", "CondBetaPostSynapticResponse"))
_TIMING = (synapses.SpikePairRule, synapses.Vogels2011Rule)
_WEIGHT = (synapses.AdditiveWeightDependence, synapses.MultiplicativeWeightDependence,
           synapses.AdditivePotentiationMultiplicativeDepression,
           synapses.GutigWeightDependence)


def _accepts(make):
    try:
        make()
    except _REFUSED:
        return False
    return True


def _cell_types():
    """Every standard cell type, and every PointNeuron composition (neuron + one receptor)."""
    types = {name: getattr(cells, name)() for name in cells.list_standard_models()
             if name != "PointNeuron"}
    for neuron, psr in itertools.product(_NEURONS, _RECEPTORS):
        types[f"PointNeuron({neuron.__name__}, {psr.__name__})"] = cells.PointNeuron(
            neuron(), syn=psr())
    return types


def _synapse_types():
    """Every standard synapse type, each STDP combination API.md §5 allows, with the cell type
    and receptor it is tried on."""
    target = ("IF_cond_exp", "excitatory")
    types = {name: (getattr(synapses, name)(), target) for name in (
        "StaticSynapse", "TsodyksMarkramSynapse", "SimpleStochasticSynapse",
        "StochasticTsodyksMarkramSynapse", "MultiQuantalSynapse")}
    types["ElectricalSynapse"] = (synapses.ElectricalSynapse(),
                                  ("HH_cond_exp", "source_section.gap"))
    for timing, weight in itertools.product(_TIMING, _WEIGHT):
        if timing is synapses.Vogels2011Rule and weight is not synapses.AdditiveWeightDependence:
            continue  # API.md §5: NoModelAvailableError on every backend
        name = f"STDPMechanism({timing.__name__}, {weight.__name__})"
        types[name] = (synapses.STDPMechanism(timing_dependence=timing(),
                                              weight_dependence=weight()), target)
    return types


def capabilities(driver):
    """The capabilities of a set-up driver, as plain data (names and lists)."""
    cell_types = _cell_types()
    supported_cells = [name for name, celltype in cell_types.items()
                       if _accepts(lambda c=celltype: driver.cell_model(c))]
    supported_synapses = []
    for name, (synapse_type, (cell_name, receptor)) in _synapse_types().items():
        post = driver.cell_model(getattr(cells, cell_name)())
        if _accepts(lambda s=synapse_type, p=post, r=receptor:
                    driver.synapse_model(s, p, r)):
            supported_synapses.append(name)
    return {
        "backend": driver.name,
        "cell_types": supported_cells,
        "recordables": {name: list(cell_types[name].recordable) for name in supported_cells},
        "synapse_types": supported_synapses,
        "electrodes": list(electrodes.__all__),
        "native_connectors": list(getattr(driver, "native_connectors", ())),
        "parallel": list(getattr(driver, "parallel", ())),
    }
