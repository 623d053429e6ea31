"""The standard cell types (API §4): parameters, defaults, units, recordables, initial values,
receptor types, and the range checks of their evaluated values.

Types share parameter dicts, never classes, so that `isinstance` tells exactly one type.
"""
import numpy as np

from pynnlike.errors import InvalidModelError
from pynnlike.parameters import ArrayParameter, Sequence

from .base import (StandardCellType, StandardCellTypeComponent, StandardPostSynapticResponse,
                   increasing, numbers, raw_value, sequences, unit_table)

__all__ = ["IF_curr_alpha", "IF_curr_exp", "IF_curr_delta", "IF_cond_alpha", "IF_cond_exp",
           "IF_cond_exp_gsfa_grr", "IF_facets_hardware1", "HH_cond_exp",
           "EIF_cond_alpha_isfa_ista", "EIF_cond_exp_isfa_ista", "Izhikevich", "GIF_cond_exp",
           "SpikeSourcePoisson", "SpikeSourcePoissonRefractory", "SpikeSourceGamma",
           "SpikeSourceInhGamma", "SpikeSourceArray", "PointNeuron", "LIF", "AdExp",
           "list_standard_models"]

_IF_CURR = {"v_rest": -65.0, "cm": 1.0, "tau_m": 20.0, "tau_refrac": 0.1, "tau_syn_E": 0.5,
            "tau_syn_I": 0.5, "i_offset": 0.0, "v_reset": -65.0, "v_thresh": -50.0}
_IF_COND = {"v_rest": -65.0, "cm": 1.0, "tau_m": 20.0, "tau_refrac": 0.1, "tau_syn_E": 0.3,
            "tau_syn_I": 0.5, "e_rev_E": 0.0, "e_rev_I": -70.0, "v_thresh": -50.0,
            "v_reset": -65.0, "i_offset": 0.0}
_EIF = {"cm": 0.281, "tau_refrac": 0.1, "v_spike": -40.0, "v_reset": -70.6, "v_rest": -70.6,
        "tau_m": 9.3667, "i_offset": 0.0, "a": 4.0, "b": 0.0805, "delta_T": 2.0, "tau_w": 144.0,
        "v_thresh": -50.4, "e_rev_E": 0.0, "tau_syn_E": 5.0, "e_rev_I": -80.0, "tau_syn_I": 5.0}
_CURR_STATE = {"v": -65.0, "isyn_exc": 0.0, "isyn_inh": 0.0}
_COND_STATE = {"v": -65.0, "gsyn_exc": 0.0, "gsyn_inh": 0.0}
_COND_RECORDABLE = ("spikes", "v", "gsyn_exc", "gsyn_inh")
_MEMBRANE = ("cm", "tau_m", "tau_syn_E", "tau_syn_I")


class IF_curr_alpha(StandardCellType):
    """Leaky integrate-and-fire, alpha-shaped post-synaptic currents."""

    default_parameters = dict(_IF_CURR)
    default_initial_values = dict(_CURR_STATE)
    recordable = ("spikes", "v")
    units = unit_table(default_parameters, default_initial_values, recordable)
    conductance_based = False
    positive = _MEMBRANE
    non_negative = ("tau_refrac",)


class IF_curr_exp(StandardCellType):
    """Leaky integrate-and-fire, exponentially decaying post-synaptic currents."""

    default_parameters = {**_IF_CURR, "tau_syn_E": 5.0, "tau_syn_I": 5.0}
    default_initial_values = dict(_CURR_STATE)
    recordable = ("spikes", "v")
    units = unit_table(default_parameters, default_initial_values, recordable)
    conductance_based = False
    positive = _MEMBRANE
    non_negative = ("tau_refrac",)


class IF_curr_delta(StandardCellType):
    """Leaky integrate-and-fire; each synaptic event makes the membrane potential jump."""

    default_parameters = {name: value for name, value in _IF_CURR.items()
                          if not name.startswith("tau_syn")}
    default_initial_values = {"v": -65.0}
    recordable = ("spikes", "v")
    units = unit_table(default_parameters, default_initial_values, recordable)
    conductance_based = False
    voltage_based_synapses = True
    positive = ("cm", "tau_m")
    non_negative = ("tau_refrac",)


class IF_cond_alpha(StandardCellType):
    """Leaky integrate-and-fire, alpha-shaped post-synaptic conductances."""

    default_parameters = dict(_IF_COND)
    default_initial_values = dict(_COND_STATE)
    recordable = _COND_RECORDABLE
    units = unit_table(default_parameters, default_initial_values, recordable)
    positive = _MEMBRANE
    non_negative = ("tau_refrac",)


class IF_cond_exp(StandardCellType):
    """Leaky integrate-and-fire, exponentially decaying post-synaptic conductances."""

    default_parameters = {**_IF_COND, "tau_syn_E": 5.0, "tau_syn_I": 5.0}
    default_initial_values = dict(_COND_STATE)
    recordable = _COND_RECORDABLE
    units = unit_table(default_parameters, default_initial_values, recordable)
    positive = _MEMBRANE
    non_negative = ("tau_refrac",)


class IF_cond_exp_gsfa_grr(StandardCellType):
    """IF_cond_exp with spike-frequency adaptation and relative refractoriness conductances."""

    default_parameters = {**_IF_COND, "tau_syn_E": 5.0, "tau_syn_I": 5.0, "tau_sfa": 100.0,
                          "e_rev_sfa": -75.0, "q_sfa": 15.0, "tau_rr": 2.0, "e_rev_rr": -75.0,
                          "q_rr": 3000.0}
    default_initial_values = {"v": -65.0, "g_r": 0.0, "g_s": 0.0, "gsyn_exc": 0.0,
                              "gsyn_inh": 0.0}
    recordable = ("spikes", "v", "g_r", "g_s", "gsyn_exc", "gsyn_inh")
    units = unit_table(default_parameters, default_initial_values, recordable)
    positive = _MEMBRANE + ("tau_sfa", "tau_rr")
    non_negative = ("tau_refrac",)


class IF_facets_hardware1(StandardCellType):
    """The FACETS wafer-scale hardware neuron: IF_cond_exp with fixed cm, tau_refrac, e_rev_E."""

    default_parameters = {"g_leak": 40.0, "tau_syn_E": 30.0, "tau_syn_I": 30.0, "v_reset": -80.0,
                          "e_rev_I": -80.0, "v_rest": -65.0, "v_thresh": -55.0}
    default_initial_values = dict(_COND_STATE)
    recordable = _COND_RECORDABLE
    units = unit_table(default_parameters, default_initial_values, recordable, g_leak="nS")
    positive = ("g_leak", "tau_syn_E", "tau_syn_I")


class EIF_cond_alpha_isfa_ista(StandardCellType):
    """Adaptive exponential integrate-and-fire (Brette & Gerstner 2005), alpha conductances."""

    default_parameters = dict(_EIF)
    default_initial_values = {"v": -70.6, "w": 0.0, "gsyn_exc": 0.0, "gsyn_inh": 0.0}
    recordable = ("spikes", "v", "w", "gsyn_exc", "gsyn_inh")
    units = unit_table(default_parameters, default_initial_values, recordable, a="nS", b="nA")
    positive = _MEMBRANE + ("tau_w",)
    non_negative = ("tau_refrac", "delta_T")


class EIF_cond_exp_isfa_ista(StandardCellType):
    """Adaptive exponential integrate-and-fire (Brette & Gerstner 2005), exponential
    conductances."""

    default_parameters = dict(_EIF)
    default_initial_values = {"v": -70.6, "w": 0.0, "gsyn_exc": 0.0, "gsyn_inh": 0.0}
    recordable = ("spikes", "v", "w", "gsyn_exc", "gsyn_inh")
    units = unit_table(default_parameters, default_initial_values, recordable, a="nS", b="nA")
    positive = _MEMBRANE + ("tau_w",)
    non_negative = ("tau_refrac", "delta_T")


class GIF_cond_exp(StandardCellType):
    """Generalised integrate-and-fire (Mensi et al. 2012, Pozzorini et al. 2015): stochastic
    firing, spike-triggered current and moving threshold made of exponential kernels."""

    default_parameters = {"v_rest": -65.0, "cm": 1.0, "tau_m": 20.0, "tau_refrac": 4.0,
                          "tau_syn_E": 5.0, "tau_syn_I": 5.0, "e_rev_E": 0.0, "e_rev_I": -70.0,
                          "v_reset": -65.0, "i_offset": 0.0, "delta_v": 0.5, "v_t_star": -48.0,
                          "lambda0": 1.0, "tau_eta": ArrayParameter([1.0, 10.0, 100.0]),
                          "tau_gamma": ArrayParameter([1.0, 10.0, 100.0]),
                          "a_eta": ArrayParameter([1.0, 1.0, 1.0]),
                          "a_gamma": ArrayParameter([1.0, 1.0, 1.0])}
    default_initial_values = {"v": -65.0, "v_t": -48.0, "i_eta": 0.0, "gsyn_exc": 0.0,
                              "gsyn_inh": 0.0}
    recordable = ("spikes", "v", "gsyn_exc", "gsyn_inh", "i_eta", "v_t")
    units = unit_table(default_parameters, default_initial_values, recordable)
    positive = _MEMBRANE + ("delta_v", "tau_eta", "tau_gamma")
    non_negative = ("tau_refrac", "lambda0")

    def validate(self, values):
        super().validate(values)
        for taus, amplitudes in (("tau_eta", "a_eta"), ("tau_gamma", "a_gamma")):
            if taus in values and amplitudes in values:
                n_tau = np.array([len(a) for a in sequences(values[taus])])
                n_amp = np.array([len(a) for a in sequences(values[amplitudes])])
                if np.any(n_tau != n_amp) or np.any(n_tau == 0):
                    self._reject(taus, f"lengths {np.unique(n_tau)} vs {amplitudes} lengths "
                                 f"{np.unique(n_amp)}", f"non-empty and as long as {amplitudes}")


class HH_cond_exp(StandardCellType):
    """Single-compartment Hodgkin-Huxley neuron (Traub & Miles 1991 kinetics)."""

    default_parameters = {"gbar_Na": 20.0, "gbar_K": 6.0, "g_leak": 0.01, "cm": 0.2,
                          "v_offset": -63.0, "e_rev_Na": 50.0, "e_rev_K": -90.0,
                          "e_rev_leak": -65.0, "e_rev_E": 0.0, "e_rev_I": -80.0,
                          "tau_syn_E": 0.2, "tau_syn_I": 2.0, "i_offset": 0.0}
    default_initial_values = {"v": -65.0, "gsyn_exc": 0.0, "gsyn_inh": 0.0, "h": 1.0,
                              "m": 0.0, "n": 0.0}
    recordable = ("spikes", "v", "gsyn_exc", "gsyn_inh", "m", "n", "h")
    units = unit_table(default_parameters, default_initial_values, recordable, g_leak="uS", n="")
    receptor_types = ("excitatory", "inhibitory", "source_section.gap")
    positive = ("cm", "tau_syn_E", "tau_syn_I")
    non_negative = ("gbar_Na", "gbar_K", "g_leak")


class Izhikevich(StandardCellType):
    """Izhikevich (2003) quadratic integrate-and-fire with recovery variable u."""

    default_parameters = {"a": 0.02, "b": 0.2, "c": -65.0, "d": 2.0, "i_offset": 0.0}
    default_initial_values = {"v": -70.0, "u": -14.0}
    recordable = ("spikes", "v", "u")
    units = unit_table(default_parameters, default_initial_values, recordable, a="/ms", b="/ms",
                       d="mV/ms", u="mV/ms")
    conductance_based = False
    voltage_based_synapses = True


class _SpikeSource(StandardCellType):
    recordable = ("spikes",)
    receptor_types = ()
    injectable = False


class SpikeSourcePoisson(_SpikeSource):
    """Homogeneous Poisson process."""

    default_parameters = {"rate": 1.0, "start": 0.0, "duration": 1e10}
    units = unit_table(default_parameters)
    random_source = True
    non_negative = ("rate", "duration")


class SpikeSourcePoissonRefractory(_SpikeSource):
    """Poisson process with dead time: intervals tau_refrac + Exp, mean rate `rate`."""

    default_parameters = {"rate": 1.0, "tau_refrac": 0.0, "start": 0.0, "duration": 1e10}
    units = unit_table(default_parameters)
    random_source = True
    non_negative = ("rate", "tau_refrac", "duration")

    def validate(self, values):
        super().validate(values)
        if "rate" in values and "tau_refrac" in values:
            tau, rate = np.broadcast_arrays(numbers(values["tau_refrac"]), numbers(values["rate"]))
            too_long = tau * rate >= 1000.0
            if np.any(too_long):
                self._reject("tau_refrac", np.unique(tau[too_long]), "smaller than 1000/rate")


class SpikeSourceGamma(_SpikeSource):
    """Gamma renewal process: intervals Gamma(shape alpha, scale 1000/beta ms)."""

    default_parameters = {"alpha": 2, "beta": 1.0, "start": 0.0, "duration": 1e10}
    units = unit_table(default_parameters)
    random_source = True
    non_negative = ("beta", "duration")

    def validate(self, values):
        super().validate(values)
        if "alpha" in values:
            alpha = numbers(values["alpha"])
            bad = (alpha < 1) | (alpha != np.round(alpha))
            if np.any(bad):
                self._reject("alpha", np.unique(alpha[bad]), "an integer >= 1")


class SpikeSourceInhGamma(_SpikeSource):
    """Renewal process with a piecewise-constant gamma hazard (parameters per time bin)."""

    default_parameters = {"a": Sequence([1.0]), "b": Sequence([1.0]), "tbins": Sequence([0.0]),
                          "start": 0.0, "duration": 1e10}
    units = unit_table(default_parameters, a="dimensionless", b="s")
    random_source = True
    positive = ("a", "b")
    non_negative = ("duration",)

    def validate(self, values):
        super().validate(values)
        if not {"a", "b", "tbins"} <= set(values):
            return
        tbins = sequences(values["tbins"])
        lengths = [np.array([len(s) for s in sequences(values[name])]) for name in ("a", "b")]
        n_bins = np.array([len(s) for s in tbins])
        if np.any(lengths[0] != n_bins) or np.any(lengths[1] != n_bins) or np.any(n_bins == 0):
            self._reject("tbins", f"lengths {np.unique(n_bins)} (a: {np.unique(lengths[0])}, "
                         f"b: {np.unique(lengths[1])})", "non-empty and as long as a and b")
        if not np.all(increasing(tbins, strict=True)):
            self._reject("tbins", "a sequence that is not increasing", "strictly increasing")


class SpikeSourceArray(_SpikeSource):
    """Emits spikes at the given times."""

    default_parameters = {"spike_times": Sequence([])}
    units = unit_table(default_parameters)

    def validate(self, values):
        super().validate(values)
        if "spike_times" in values and not np.all(
                increasing(sequences(values["spike_times"]), strict=False)):
            self._reject("spike_times", "times out of order", "non-decreasing")


# -- composed neurons ------------------------------------------------------------------------

class LIF(StandardCellTypeComponent):
    """Leaky integrate-and-fire membrane for PointNeuron."""

    default_parameters = {"cm": 1.0, "tau_refrac": 0.1, "v_reset": -65.0, "v_rest": -65.0,
                          "tau_m": 20.0, "i_offset": 0.0, "v_thresh": -50.0}
    default_initial_values = {"v": -65.0}
    recordable = ("spikes", "v")
    units = unit_table(default_parameters, default_initial_values, recordable)
    positive = ("cm", "tau_m")
    non_negative = ("tau_refrac",)


class AdExp(StandardCellTypeComponent):
    """Adaptive exponential integrate-and-fire membrane for PointNeuron."""

    default_parameters = {name: value for name, value in _EIF.items()
                          if not name.startswith(("e_rev", "tau_syn"))}
    default_initial_values = {"v": -70.6, "w": 0.0}
    recordable = ("spikes", "v", "w")
    units = unit_table(default_parameters, default_initial_values, recordable, a="nS", b="nA")
    positive = ("cm", "tau_m", "tau_w")
    non_negative = ("tau_refrac", "delta_T")


class PointNeuron(StandardCellType):
    """A membrane (`LIF` or `AdExp`) with any number of named post-synaptic receptors.

    Receptor parameters, state and recordables are named '<receptor>.<name>' (e.g.
    'AMPA.tau_syn'); `parameter_space` holds these flattened names. `neuron` and
    `post_synaptic_receptors` (receptor name -> PSR, sorted) give the structure, for drivers
    building native models; the values live in `parameter_space`.
    """

    def __init__(self, neuron, **post_synaptic_receptors):
        if not isinstance(neuron, StandardCellTypeComponent):
            raise TypeError(f"PointNeuron needs a neuron component (LIF, AdExp), not "
                            f"{type(neuron).__name__}")
        for name, psr in post_synaptic_receptors.items():
            if not isinstance(psr, StandardPostSynapticResponse):
                raise TypeError(f"PointNeuron receptor {name!r} must be a post-synaptic "
                                f"response, not {type(psr).__name__}")
        kinds = {psr.conductance_based for psr in post_synaptic_receptors.values()}
        if len(kinds) > 1:
            raise InvalidModelError("PointNeuron cannot mix current- and conductance-based "
                                    "post-synaptic responses")
        self.neuron = neuron
        self.post_synaptic_receptors = dict(sorted(post_synaptic_receptors.items()))
        self.receptor_types = tuple(self.post_synaptic_receptors)
        self.conductance_based = kinds != {False}
        parts = [("", neuron)] + [(f"{name}.", psr)
                                  for name, psr in self.post_synaptic_receptors.items()]
        self.default_parameters = {prefix + name: value for prefix, part in parts
                                   for name, value in part.default_parameters.items()}
        self.default_initial_values = {prefix + name: value for prefix, part in parts
                                       for name, value in part.default_initial_values.items()}
        self.recordable = tuple(prefix + name for prefix, part in parts
                                for name in part.recordable)
        self.units = {prefix + name: unit for prefix, part in parts
                      for name, unit in part.units.items()}
        self.parameter_space = self._space({
            prefix + name: raw_value(value) for prefix, part in parts
            for name, value in part.parameter_space.items()})

    def validate(self, values):
        """Each component checks its own names."""
        self.neuron.validate({name: value for name, value in values.items() if "." not in name})
        for receptor, psr in self.post_synaptic_receptors.items():
            prefix = receptor + "."
            psr.validate({name[len(prefix):]: value for name, value in values.items()
                          if name.startswith(prefix)})


def list_standard_models():
    """Names of the standard cell types, identical on every backend."""
    return ["IF_curr_alpha", "IF_curr_exp", "IF_curr_delta", "IF_cond_alpha", "IF_cond_exp",
            "IF_cond_exp_gsfa_grr", "IF_facets_hardware1", "HH_cond_exp",
            "EIF_cond_alpha_isfa_ista", "EIF_cond_exp_isfa_ista", "Izhikevich", "GIF_cond_exp",
            "SpikeSourcePoisson", "SpikeSourcePoissonRefractory", "SpikeSourceGamma",
            "SpikeSourceInhGamma", "SpikeSourceArray", "PointNeuron"]
