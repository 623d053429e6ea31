"""The one builder of a backend face's namespace: the full API bound to one driver.

Each face (`pynnlike.nest`, ...) calls `build_namespace(DriverClass)`; model, connector, random and
space classes are the simulator-free ones, shared by all faces. Only `Population` (and through it
everything that grows from populations) is bound to the face's Simulation.
"""
import warnings

from . import connectors, errors, random, space, standardmodels
from .capabilities import capabilities as _capabilities
from .network import Network
from .parameters import ArrayParameter, Sequence
from .populations import Assembly, Population, PopulationView
from .projections import Projection
from .random import GSLRNG, NativeRNG, NumpyRNG, PhiloxRNG, RandomDistribution
from .simulation import Simulation
from .space import Space
from .standardmodels import StandardCellType
from .standardmodels import cells, electrodes, receptors, synapses
from .standardmodels.cells import list_standard_models

_MODEL_MODULES = (cells, receptors, synapses, electrodes)


def _public(module):
    names = getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")])
    return {name: getattr(module, name) for name in names}


def build_namespace(driver_class, face):
    """Every public name of face module `face` (its name), bound to a new Simulation driven by
    `driver_class`."""
    state = Simulation(driver_class)
    state.face = face
    bound_population = type("Population", (Population,), {"_simulation_of_root": state,
                                                          "__module__": Population.__module__})

    def setup(timestep=0.1, min_delay="auto", **extra_params):
        return state.setup(timestep, min_delay, **extra_params)

    def end(compatible_output=True):
        state.end()

    def run(simtime, callbacks=None):
        return state.run(simtime, callbacks)

    def run_until(time_point, callbacks=None):
        return state.run_until(time_point, callbacks)

    def reset(annotations=None):
        state.reset(annotations)

    def get_current_time():
        return state.t

    def get_time_step():
        return state.dt

    def get_min_delay():
        return state.min_delay

    def get_max_delay():
        return state.max_delay

    def num_processes():
        return state.num_processes

    def rank():
        return state.mpi_rank

    def capabilities():
        """What this backend supports (pynnlike.capabilities), after setup()."""
        state.require_setup()
        return _capabilities(state.driver)

    # -- the deprecated procedural API -------------------------------------------------------
    def _deprecated(name, instead):
        warnings.warn(f"{name}() is deprecated, use {instead}", DeprecationWarning, stacklevel=3)

    def create(cellclass, cellparams=None, n=1):
        _deprecated("create", "Population")
        return bound_population(n, cellclass, cellparams)

    def connect(pre, post, weight=0.0, delay=None, receptor_type=None, p=1, rng=None):
        _deprecated("connect", "Projection")
        pre = pre.as_view() if hasattr(pre, "as_view") else pre
        post = post.as_view() if hasattr(post, "as_view") else post
        return Projection(pre, post, connectors.FixedProbabilityConnector(p, rng=rng),
                          synapses.StaticSynapse(weight=weight, delay=delay),
                          receptor_type=receptor_type)

    def set(cells, **parameters):  # noqa: A001 - PyNN's name
        _deprecated("set", "cells.set()")
        if not hasattr(cells, "set") or hasattr(cells, "as_view"):
            raise AttributeError("set() takes a Population, PopulationView or Assembly")
        cells.set(**parameters)

    def record(variables, source, filename, sampling_interval=None, annotations=None):
        _deprecated("record", "source.record()")
        source = source.as_view() if hasattr(source, "as_view") else source
        if annotations:
            source.annotate(**annotations)
        source.record(variables, to_file=filename, sampling_interval=sampling_interval)

    def record_v(source, filename):
        record("v", source, filename)

    def record_gsyn(source, filename):
        record(["gsyn_exc", "gsyn_inh"], source, filename)

    def initialize(cells, **initial_values):
        _deprecated("initialize", "cells.initialize()")
        cells.initialize(**initial_values)

    namespace = {}
    for module in _MODEL_MODULES:
        namespace.update(_public(module))
    namespace.update({name: getattr(connectors, name) for name in connectors.__all__})
    namespace.update(
        setup=setup, end=end, run=run, run_for=run, run_until=run_until, reset=reset,
        get_current_time=get_current_time, get_time_step=get_time_step,
        get_min_delay=get_min_delay, get_max_delay=get_max_delay, num_processes=num_processes,
        rank=rank, capabilities=capabilities, list_standard_models=list_standard_models, create=create, connect=connect,
        set=set, record=record, record_v=record_v, record_gsyn=record_gsyn,
        initialize=initialize, Population=bound_population, PopulationView=PopulationView,
        Assembly=Assembly, Projection=Projection, Network=Network, NumpyRNG=NumpyRNG,
        GSLRNG=GSLRNG, NativeRNG=NativeRNG, PhiloxRNG=PhiloxRNG,
        RandomDistribution=RandomDistribution, Space=Space,
        Sequence=Sequence, ArrayParameter=ArrayParameter, errors=errors, random=random,
        space=space, StandardCellType=StandardCellType, state=state,
        standardmodels=standardmodels)
    return namespace
