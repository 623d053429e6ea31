"""The standard synapse types (API §5) and the weight-sign and delay checks of projections.

Weights have no entry in `units`: their unit is the target's (nA current-based, µS
conductance-based, mV voltage-based), and so are the STDP bounds w_min/w_max and Vogels' eta.
"""
import warnings

import numpy as np

from pynnlike.errors import ConnectionError, InvalidParameterValueError, NoModelAvailableError

from .base import (STDPTimingDependence, STDPWeightDependence, StandardSynapseType, numbers,
                   raw_value, unit_table)

__all__ = ["StaticSynapse", "TsodyksMarkramSynapse", "SimpleStochasticSynapse",
           "StochasticTsodyksMarkramSynapse", "MultiQuantalSynapse", "ElectricalSynapse",
           "STDPMechanism", "AdditiveWeightDependence", "MultiplicativeWeightDependence",
           "AdditivePotentiationMultiplicativeDepression", "GutigWeightDependence",
           "SpikePairRule", "Vogels2011Rule"]

_STP = ("U", "tau_rec", "tau_facil")


class StaticSynapse(StandardSynapseType):
    """Fixed weight and delay."""

    default_parameters = {"weight": 0.0, "delay": None}
    units = unit_table(["delay"])

    def __init__(self, weight=0.0, delay=None):
        super().__init__(weight=weight, delay=delay)


class TsodyksMarkramSynapse(StandardSynapseType):
    """Short-term depression and facilitation (Tsodyks & Markram three-state model)."""

    default_parameters = {"weight": 0.0, "delay": None, "U": 0.5, "tau_rec": 100.0,
                          "tau_facil": 0.0}
    default_initial_values = {"u": 0.0}
    units = unit_table(["delay", *_STP], default_initial_values, u="dimensionless")
    positive = ("tau_rec",)
    non_negative = ("tau_facil",)
    fractions = ("U",)

    def __init__(self, weight=0.0, delay=None, U=0.5, tau_rec=100.0, tau_facil=0.0):
        super().__init__(weight=weight, delay=delay, U=U, tau_rec=tau_rec, tau_facil=tau_facil)


class SimpleStochasticSynapse(StandardSynapseType):
    """Each spike is transmitted with probability p."""

    default_parameters = {"weight": 0.0, "delay": None, "p": 0.5}
    units = unit_table(["delay", "p"])
    fractions = ("p",)

    def __init__(self, weight=0.0, delay=None, p=0.5):
        super().__init__(weight=weight, delay=delay, p=p)


class StochasticTsodyksMarkramSynapse(StandardSynapseType):
    """One release site with Tsodyks-Markram release probability and stochastic recovery."""

    default_parameters = {"weight": 0.0, "delay": None, "U": 0.5, "tau_rec": 100.0,
                          "tau_facil": 0.0}
    units = unit_table(["delay", *_STP])
    positive = ("tau_rec",)
    non_negative = ("tau_facil",)
    fractions = ("U",)

    def __init__(self, weight=0.0, delay=None, U=0.5, tau_rec=100.0, tau_facil=0.0):
        super().__init__(weight=weight, delay=delay, U=U, tau_rec=tau_rec, tau_facil=tau_facil)


class MultiQuantalSynapse(StandardSynapseType):
    """n release sites, each releasing and recovering stochastically."""

    default_parameters = {"weight": 0.0, "delay": None, "U": 0.5, "n": 1, "tau_rec": 800.0,
                          "tau_facil": 0.0}
    units = unit_table(["delay", "n", *_STP], n="dimensionless")
    positive = ("tau_rec", "n")
    non_negative = ("tau_facil",)
    fractions = ("U",)

    def __init__(self, weight=0.0, delay=None, U=0.5, n=1, tau_rec=800.0, tau_facil=0.0):
        super().__init__(weight=weight, delay=delay, U=U, n=n, tau_rec=tau_rec,
                         tau_facil=tau_facil)


class ElectricalSynapse(StandardSynapseType):
    """Gap junction of conductance `weight` (µS), symmetric and without delay."""

    default_parameters = {"weight": 0.0}
    units = {"weight": "uS"}
    non_negative = ("weight",)

    def __init__(self, weight=0.0):
        super().__init__(weight=weight)


# -- STDP ------------------------------------------------------------------------------------

class _BoundedWeightDependence(STDPWeightDependence):
    """Weight dependences with bounds [w_min, w_max] (magnitudes, so >= 0).

    `mu` = (mu_plus, mu_minus) of the common formula F+ = w_max((w_max - w)/w_max)^mu_plus,
    F- = w_max((w - w_min)/w_max)^mu_minus; None when they are parameters.
    """

    default_parameters = {"w_min": 0.0, "w_max": 1.0}
    non_negative = ("w_min", "w_max")

    def __init__(self, w_min=0.0, w_max=1.0):
        super().__init__(w_min=w_min, w_max=w_max)

    def validate(self, values):
        super().validate(values)
        if "w_min" in values and "w_max" in values:
            w_min, w_max = np.broadcast_arrays(numbers(values["w_min"]), numbers(values["w_max"]))
            if np.any(w_max < w_min):
                self._reject("w_max", np.unique(w_max[w_max < w_min]), ">= w_min")


class AdditiveWeightDependence(_BoundedWeightDependence):
    """Updates independent of the weight."""

    mu = (0.0, 0.0)


class MultiplicativeWeightDependence(_BoundedWeightDependence):
    """Potentiation proportional to w_max - w, depression to w - w_min."""

    mu = (1.0, 1.0)


class AdditivePotentiationMultiplicativeDepression(_BoundedWeightDependence):
    """Additive potentiation, depression proportional to w - w_min."""

    mu = (0.0, 1.0)


class GutigWeightDependence(_BoundedWeightDependence):
    """Power-law weight dependence (Gütig et al. 2003) with exponents mu_plus, mu_minus."""

    default_parameters = {"w_min": 0.0, "w_max": 1.0, "mu_plus": 0.5, "mu_minus": 0.5}
    units = unit_table(["mu_plus", "mu_minus"])
    mu = None
    non_negative = ("w_min", "w_max", "mu_plus", "mu_minus")

    def __init__(self, w_min=0.0, w_max=1.0, mu_plus=0.5, mu_minus=0.5):
        STDPWeightDependence.__init__(self, w_min=w_min, w_max=w_max, mu_plus=mu_plus,
                                      mu_minus=mu_minus)


class SpikePairRule(STDPTimingDependence):
    """All-to-all pair-based STDP with exponential windows."""

    default_parameters = {"tau_plus": 20.0, "tau_minus": 20.0, "A_plus": 0.01, "A_minus": 0.01}
    units = unit_table(default_parameters)
    positive = ("tau_plus", "tau_minus")

    def __init__(self, tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01):
        super().__init__(tau_plus=tau_plus, tau_minus=tau_minus, A_plus=A_plus, A_minus=A_minus)


class Vogels2011Rule(STDPTimingDependence):
    """Inhibitory plasticity of Vogels et al. (2011); target rate rho (Hz)."""

    default_parameters = {"tau": 20.0, "eta": 1e-10, "rho": 3.0}
    units = unit_table(["tau", "rho"])
    positive = ("tau",)
    non_negative = ("rho",)

    def __init__(self, tau=20.0, eta=1e-10, rho=3.0):
        super().__init__(tau=tau, eta=eta, rho=rho)


class STDPMechanism(StandardSynapseType):
    """Spike-timing-dependent plasticity: a timing dependence and a weight dependence.

    Parameters are weight, delay, dendritic_delay_fraction, then the timing dependence's and
    the weight dependence's (their names never clash).
    """

    fractions = ("dendritic_delay_fraction",)
    weights_change = True

    def __init__(self, timing_dependence=None, weight_dependence=None, voltage_dependence=None,
                 dendritic_delay_fraction=1.0, weight=0.0, delay=None):
        if timing_dependence is None or weight_dependence is None:
            raise ValueError("STDPMechanism needs both a timing_dependence and a "
                             "weight_dependence")
        if not isinstance(timing_dependence, STDPTimingDependence):
            raise TypeError(f"timing_dependence must be a timing dependence (e.g. "
                            f"SpikePairRule), not {type(timing_dependence).__name__}")
        if not isinstance(weight_dependence, STDPWeightDependence):
            raise TypeError(f"weight_dependence must be a weight dependence (e.g. "
                            f"AdditiveWeightDependence), not {type(weight_dependence).__name__}")
        if voltage_dependence is not None:
            raise NotImplementedError("STDPMechanism: voltage_dependence is not supported")
        if (isinstance(timing_dependence, Vogels2011Rule)
                and not isinstance(weight_dependence, AdditiveWeightDependence)):
            raise NoModelAvailableError(f"Vogels2011Rule needs AdditiveWeightDependence, not "
                                        f"{type(weight_dependence).__name__}")
        if (isinstance(dendritic_delay_fraction, (int, float))
                and not 0 <= dendritic_delay_fraction <= 1):
            raise InvalidParameterValueError(f"STDPMechanism: dendritic_delay_fraction must be in "
                                             f"[0, 1], not {dendritic_delay_fraction}")
        self.timing_dependence = timing_dependence
        self.weight_dependence = weight_dependence
        self.voltage_dependence = None
        components = (timing_dependence, weight_dependence)
        self.default_parameters = {"weight": 0.0, "delay": None, "dendritic_delay_fraction": 1.0}
        self.units = unit_table(["delay", "dendritic_delay_fraction"])
        for component in components:
            self.default_parameters.update(component.default_parameters)
            self.units.update(component.units)
        values = {"weight": weight, "delay": delay,
                  "dendritic_delay_fraction": dendritic_delay_fraction}
        for component in components:
            values.update({name: raw_value(value)
                           for name, value in component.parameter_space.items()})
        self.parameter_space = self._space(values)

    def validate(self, values):
        super().validate(values)
        self.timing_dependence.validate(values)
        self.weight_dependence.validate(values)


# -- checks of a projection's values ---------------------------------------------------------

_EXCITATORY = ("excitatory", "AMPA", "NMDA")
_INHIBITORY = ("inhibitory", "GABA", "GABAA", "GABAB")


def check_weights(weights, projection):
    """Check the signs of a projection's weights (a number or an array in connection order).

    Uses `projection.post.conductance_based`, `projection.receptor_type` and
    `projection.synapse_type`. All weights must share one sign; conductance-based targets, gap
    junctions and excitatory receptor types need >= 0, current-based inhibitory receptor types
    <= 0; for other receptor types of current-based cells the sign cannot be checked (warning).
    Raises ConnectionError.
    """
    w = np.asarray(weights, dtype=float)
    if w.size == 0:
        return
    all_positive, all_negative = bool(np.all(w >= 0)), bool(np.all(w <= 0))
    receptor = projection.receptor_type
    if not (all_positive or all_negative):
        raise ConnectionError(f"weights onto receptor type {receptor!r} must be all >= 0 or all "
                              f"<= 0, not mixed (from {w.min()} to {w.max()})")
    if (projection.post.conductance_based or receptor in _EXCITATORY
            or isinstance(projection.synapse_type, ElectricalSynapse)):
        if not all_positive:
            kind = "conductance-based" if projection.post.conductance_based else "excitatory"
            raise ConnectionError(f"weights must be >= 0 for {kind} receptor type {receptor!r}, "
                                  f"got {w.min()}")
    elif receptor in _INHIBITORY:
        if not all_negative:
            raise ConnectionError(f"weights must be <= 0 for the current-based inhibitory "
                                  f"receptor type {receptor!r}, got {w.max()}")
    else:
        warnings.warn(f"the sign of weights onto receptor type {receptor!r} of current-based "
                      f"cells cannot be checked")


def check_delays(delays, projection):
    """Check delays (ms; a number or an array) against the time step and the explicit bounds;
    returns them rounded to the time grid.

    Uses `projection._simulation.dt` and `projection._simulation.explicit_delay_bounds()` ->
    (min_delay, max_delay), None where 'auto'. Raises ConnectionError.
    """
    sim = projection._simulation
    dt = sim.dt
    d = np.round(np.asarray(delays, dtype=float) / dt) * dt
    if d.size == 0:
        return d
    low, high = sim.explicit_delay_bounds()
    slack = 1e-9 * dt
    if d.min() < dt - slack:
        raise ConnectionError(f"delays must be at least the time step ({dt} ms), got "
                              f"{d.min()} ms")
    if low is not None and d.min() < low - slack:
        raise ConnectionError(f"delays must be at least min_delay ({low} ms), got {d.min()} ms")
    if high is not None and d.max() > high + slack:
        raise ConnectionError(f"delays must be at most max_delay ({high} ms), got {d.max()} ms")
    return d
