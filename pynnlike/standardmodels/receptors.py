"""Post-synaptic responses (receptor kernels) of composed neurons: PointNeuron(neuron, **psrs).

`locations` is kept for PyNN compatibility and ignored by point neurons.
"""
from .base import StandardPostSynapticResponse, unit_table

__all__ = ["CurrExpPostSynapticResponse", "CondExpPostSynapticResponse",
           "CondAlphaPostSynapticResponse", "CondBetaPostSynapticResponse", "ExpPSR", "AlphaPSR",
           "BetaPSR"]


class CurrExpPostSynapticResponse(StandardPostSynapticResponse):
    """Exponentially decaying current: I <- I + w at each event, time constant tau_syn."""

    default_parameters = {"locations": 0.5, "tau_syn": 5.0}
    default_initial_values = {"isyn": 0.0}
    recordable = ("isyn",)
    units = unit_table(default_parameters, default_initial_values, recordable)
    conductance_based = False
    positive = ("tau_syn",)


class CondExpPostSynapticResponse(StandardPostSynapticResponse):
    """Exponentially decaying conductance with reversal potential e_syn."""

    default_parameters = {"locations": 0.5, "e_syn": 0.0, "tau_syn": 5.0}
    default_initial_values = {"gsyn": 0.0}
    recordable = ("gsyn",)
    units = unit_table(default_parameters, default_initial_values, recordable)
    positive = ("tau_syn",)


class CondAlphaPostSynapticResponse(StandardPostSynapticResponse):
    """Alpha-shaped conductance peaking at w, tau_syn after the event."""

    default_parameters = {"locations": 0.5, "e_syn": 0.0, "tau_syn": 5.0}
    default_initial_values = {"gsyn": 0.0}
    recordable = ("gsyn",)
    units = unit_table(default_parameters, default_initial_values, recordable)
    positive = ("tau_syn",)


class CondBetaPostSynapticResponse(StandardPostSynapticResponse):
    """Difference-of-exponentials conductance, normalised so that its peak is w."""

    default_parameters = {"locations": 0.5, "e_syn": 0.0, "tau_rise": 0.2, "tau_decay": 1.7}
    default_initial_values = {"gsyn": 0.0}
    recordable = ("gsyn",)
    units = unit_table(default_parameters, default_initial_values, recordable)
    positive = ("tau_rise", "tau_decay")


ExpPSR = CondExpPostSynapticResponse
AlphaPSR = CondAlphaPostSynapticResponse
BetaPSR = CondBetaPostSynapticResponse
