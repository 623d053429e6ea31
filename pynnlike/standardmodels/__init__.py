"""The standard library of model types, simulator-free (API §4-§7): cells, synapses, electrodes
and PointNeuron components, plus what drivers need to translate them."""
from . import cells, electrodes, receptors, synapses
from .base import (ModelNotAvailable, StandardCellType, StandardCellTypeComponent,
                   StandardCurrentSource, StandardModelType, StandardPostSynapticResponse,
                   StandardSynapseType, STDPTimingDependence, STDPWeightDependence)
from .synapses import check_delays, check_weights
from .translations import build_translations

__all__ = ["StandardModelType", "StandardCellType", "StandardCellTypeComponent",
           "StandardSynapseType", "StandardCurrentSource", "StandardPostSynapticResponse",
           "STDPWeightDependence", "STDPTimingDependence", "ModelNotAvailable",
           "build_translations", "check_weights", "check_delays", "cells", "synapses",
           "electrodes", "receptors"]
