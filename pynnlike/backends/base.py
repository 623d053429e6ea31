"""The driver protocol: the few bulk operations a simulator must provide.

The core owns IDs, standard-unit parameter values, connection arrays and the Neo conversion; a
driver owns the simulator's objects. Every call speaks whole numpy arrays and native names: the core
translates standard values through the tables the driver hands out (`cell_model`, `synapse_model`)
before calling `create`/`set`/`connect`, and translates back after `get`/`read_signal`.

Indices are positions inside the handle (0..n-1), never IDs.
"""
from dataclasses import dataclass, field


@dataclass
class NativeModel:
    """What a standard type becomes in one simulator.

    `parameters` and `state` are translation tables (`standardmodels.build_translations`):
    standard parameter names, and standard state/recordable names, to native ones. A state
    translation may also read standard parameters (by name, in both directions), e.g. a
    threshold recorded as its shift from a parameter.
    `constants` are native values every instance gets at creation.
    """
    name: str
    parameters: dict
    state: dict = field(default_factory=dict)
    constants: dict = field(default_factory=dict)


class Driver:
    """Base of every backend driver. Subclasses implement every method below."""

    #: simulator name as written in Neo annotations: 'NEST', 'NEURON' or 'Brian2'
    name = None
    #: the backend-specific setup() keys this driver takes (handed over in `options`)
    options = ()
    #: how the simulator runs in parallel: 'mpi' (processes), 'threads'
    parallel = ()
    #: connectors whose connections connect_rule() lets the simulator build itself
    native_connectors = ()
    #: keys other backends take: accepted and ignored here without a warning
    foreign_options = ("threads", "spike_precision", "verbosity", "recording_precision",
                       "rng_type", "use_cvode", "rtol", "atol", "default_maxstep")

    # -- simulation control ------------------------------------------------------------------
    def setup(self, timestep, min_delay, max_delay, rng_seed, options):
        """Start a fresh simulator kernel. `min_delay`/`max_delay` are floats or None ('auto');
        `options` holds the backend-specific keys of setup() (threads, spike_precision, ...)."""
        raise NotImplementedError

    def end(self):
        """Release simulator resources; recorded data already read stay with the core."""
        raise NotImplementedError

    def mpi_config(self):
        """(rank, number of processes) as the simulator distributes cells."""
        return 0, 1

    def run_until(self, time):
        """Advance the simulation to `time` (ms, on the time grid)."""
        raise NotImplementedError

    def reset(self):
        """Back to t = 0 with the network as built: state variables at their last `initialize`d
        values, synaptic state and weights at their last `set`/`connect` values, recordings
        empty (the core has read them before). Spike trains are re-sent by the core."""
        raise NotImplementedError

    # -- cells -------------------------------------------------------------------------------
    def cell_model(self, celltype):
        """NativeModel for a standard cell type instance, or raise NotImplementedError naming
        this backend."""
        raise NotImplementedError

    def create(self, model, n, parameters, initial_values):
        """Create n cells of NativeModel `model`; `parameters`/`initial_values` map native names
        to length-n arrays (object arrays of float arrays for sequence parameters such as
        spike_times). Returns an opaque handle."""
        raise NotImplementedError

    def local_mask(self, handle):
        """Boolean array: which of the handle's cells live on this process."""
        raise NotImplementedError

    def set(self, handle, index, parameters):
        """Set native parameters {name: array aligned with index} for cells `index`."""
        raise NotImplementedError

    def get(self, handle, index, names):
        """Native parameter values {name: array aligned with index}."""
        raise NotImplementedError

    def initialize(self, handle, index, state):
        """Set native state variables {name: array aligned with index}; also the values that
        reset() restores."""
        raise NotImplementedError

    # -- connections -------------------------------------------------------------------------
    def synapse_model(self, synapse_type, post_model, receptor_type):
        """NativeModel for a standard synapse type connecting onto cells of NativeModel
        `post_model` at `receptor_type`; its `parameters` table includes weight and delay with
        whatever scale and sign the simulator needs for that target."""
        raise NotImplementedError

    def connect(self, pre, post, i, j, synapse, parameters, receptor_type):
        """Create one connection per (i[k], j[k]) from handle `pre` to handle `post` with
        NativeModel `synapse` and native parameter arrays aligned with i and j. Connections are
        given in the core's order (by j, then i); the driver keeps that order for
        set_synapses/get_synapses. Returns a projection handle."""
        raise NotImplementedError

    def connect_rule(self, pre, post, rule, rule_parameters, synapse, parameters, receptor_type,
                     seed):
        """Optional: let the simulator choose the connections between two whole populations
        by its own rule, drawing from its own generator (`seed`: None = the one from setup).

        Rules (`rule_parameters`; allow_self_connections False only when pre is post):
        'all_to_all' {allow_self_connections}, 'one_to_one' {},
        'fixed_probability' {p, allow_self_connections},
        'fixed_number_pre' / 'fixed_number_post' / 'fixed_total_number'
        {n, allow_self_connections, with_replacement} (each post cell gets n pre cells / each
        pre cell n post cells / n in all; with_replacement allows multapses; without, n never
        exceeds the candidates). `parameters` are native values that are the same for every
        connection (floats); the core sets the others afterwards with set_synapses.
        Returns (projection handle, number of connections made); rule_connections gives
        them. Raise NotImplementedError (before creating anything) where the simulator has no
        such rule: the core then draws the connections itself and calls connect()."""
        raise NotImplementedError(f"{self.name} builds no connections by its own rules")

    def rule_connections(self, projection):
        """(i, j) of the connections connect_rule made, in the core's order (by j, then i),
        which set_synapses/get_synapses follow. The core asks only when it needs them (with
        values that are the same for every connection, perhaps never)."""
        raise NotImplementedError

    def set_synapses(self, projection, index, parameters):
        """Set native synapse parameters for connections `index` (positions in connect order).
        Static multapses (connections of one pair, same static synapse) are interchangeable:
        a driver may keep no order among them, as the core sets whole projections."""
        raise NotImplementedError

    def get_synapses(self, projection, names):
        """Native synapse parameter arrays for all connections, in connect order. Weights the
        simulator changes (plasticity) are returned as they are now."""
        raise NotImplementedError

    def initialize_synapses(self, projection, index, state):
        """Set native synapse state {name: array aligned with index} (positions in connect
        order), e.g. Tsodyks-Markram's u; these are also the values reset() restores. The core
        calls it right after connect() with the synapse type's initial values."""
        raise NotImplementedError

    # -- recording ---------------------------------------------------------------------------
    def record(self, handle, index, variables, interval):
        """Start recording native `variables` ('spikes' stays 'spikes') of cells `index`,
        analog variables every `interval` ms."""
        raise NotImplementedError

    def stop_recording(self, handle, index, variables):
        """Stop recording `variables` of cells `index`."""
        raise NotImplementedError

    def read_spikes(self, handle):
        """All spikes since the last clear: (cell index array, time array in ms)."""
        raise NotImplementedError

    def read_signal(self, handle, variable):
        """Samples of native `variable` since the last clear: (cell index array, values array of
        shape (n_samples, n_cells)) at t_start + k*interval for k = 0..n_samples-1, the last one
        at the current time; t_start is the time of the last clear (0 at first). Cells whose
        recording began later hold NaN before that. A variable-step integrator returns a third
        array, the sample times (ms); the data then become IrregularlySampledSignals."""
        raise NotImplementedError

    def clear_recordings(self, handle):
        """Forget the recorded data of the handle; the next period starts at the current time."""
        raise NotImplementedError

    # -- electrodes --------------------------------------------------------------------------
    def inject(self, kind, parameters, handle, index):
        """Drive cells `index` of `handle` with a current source. `kind` is 'DCSource',
        'ACSource' or 'StepCurrentSource'; `parameters` are standard values (nA, ms, Hz, deg;
        `times`/`amplitudes` as arrays rounded to the time grid). Returns a source handle."""
        raise NotImplementedError

    def update_source(self, source, parameters):
        """Change a source's standard parameters from the current time on."""
        raise NotImplementedError
