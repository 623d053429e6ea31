"""Population, PopulationView, Assembly and ID.

A Population keeps the standard-unit value of every parameter and initial value of its cells (so
`get()` returns exactly what was set) and hands translated arrays to the driver. A PopulationView is
an index array into its root Population; every operation on it is the root's operation on those
indices.
"""
import warnings

import numpy as np

from . import errors, mpi
from .descriptions import render
from .parameters import LazyArray, ParameterSpace
from .random import NumpyRNG, RandomDistribution
from .recording import Recorder, merge_blocks, write_block
from .recording.files import StandardTextFile
from .space import Grid2D, Grid3D, Line
from .spiketrains import SpikeTrainGenerator, is_generated
from .standardmodels import StandardCellType
from .standardmodels.cells import SpikeSourceArray
from .standardmodels.translations import translate

_PARAMETER_KINDS = (int, float, np.integer, np.floating)


class _UnknownAttribute(errors.NonExistentParameterError, AttributeError):
    """An unknown attribute of an ID: a NonExistentParameterError that hasattr() understands."""


class ID(int):
    """A cell: an int (its global ID) that knows its population."""

    def __new__(cls, n, parent):
        obj = int.__new__(cls, n)
        obj.__dict__["parent"] = parent
        return obj

    def _index(self):
        return int(self) - self.parent.first_id

    @property
    def celltype(self):
        return self.parent.celltype

    @property
    def local(self):
        return self.parent.is_local(self)

    @property
    def is_standard_cell(self):
        return isinstance(self.celltype, StandardCellType)

    def _check_local(self):
        if not self.local:
            raise errors.NotLocalError(f"cell {int(self)} is not on this MPI rank")

    def __getattr__(self, name):
        if name.startswith("_") or not self.parent.celltype.has_parameter(name):
            raise _UnknownAttribute(name, type(self.parent.celltype).__name__,
                                    self.parent.celltype.get_parameter_names())
        self._check_local()
        return self.parent._get_values([name], np.array([self._index()]))[0][0]

    def __setattr__(self, name, value):
        if name == "position":
            object.__setattr__(self, name, value)
            return
        self._check_local()
        self.as_view().set(**{name: value})

    def __reduce__(self):
        return int, (int(self),)

    @property
    def position(self):
        return self.parent.positions[:, self._index()]

    @position.setter
    def position(self, value):
        positions = self.parent.positions.copy()
        positions[:, self._index()] = value
        self.parent.positions = positions

    def get_parameters(self):
        names = self.parent.celltype.get_parameter_names()
        values = self.parent._get_values(names, np.array([self._index()]))
        return {name: value[0] for name, value in zip(names, values)}

    def set_parameters(self, **parameters):
        self.as_view().set(**parameters)

    def get_initial_value(self, variable):
        return self.parent._root._initial[variable][self._index()]

    def set_initial_value(self, variable, value):
        self.as_view().initialize(**{variable: value})

    def inject(self, current_source, location=None):
        if location is not None:
            raise NotImplementedError("locations are not used with point neurons")
        current_source.inject_into(self.as_view())

    def as_view(self):
        return PopulationView(self.parent, [self._index()])


class BasePopulation:
    """What Population and PopulationView share: everything acts on `_root` at `_index`."""

    _root = None
    _index = None

    # -- identity and size -------------------------------------------------------------------
    @property
    def _simulation(self):
        return self._root._simulation_of_root

    @property
    def size(self):
        return len(self._index)

    @property
    def celltype(self):
        return self._root._celltype

    def __len__(self):
        return self.size

    @property
    def all_cells(self):
        return self._root._ids[self._index]

    @property
    def _local(self):
        return self._root._local_mask[self._index]

    @property
    def local_cells(self):
        return self.all_cells[self._local]

    @property
    def local_size(self):
        return int(self._local.sum())

    def __iter__(self):
        return iter(self.local_cells)

    def all(self):
        return iter(self.all_cells)

    @property
    def first_id(self):
        return self.all_cells[0] if self.size else None

    @property
    def last_id(self):
        return self.all_cells[-1] if self.size else None

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            return self.all_cells[index]
        if isinstance(index, (slice, list, tuple, np.ndarray)):
            return PopulationView(self, index)
        raise TypeError(f"a population is indexed by an int, slice, list, array or mask, "
                        f"not {type(index).__name__}")

    def __add__(self, other):
        return Assembly(self, other)

    def id_to_index(self, id):
        ids = np.asarray(id)
        index = np.searchsorted(self._root._id_numbers[self._index], ids)
        valid = (index < self.size) & (self._root._id_numbers[self._index][
            np.minimum(index, self.size - 1)] == ids)
        if not np.all(valid):
            raise self._missing_id_error(f"ID(s) {ids[~valid] if ids.ndim else ids} not in "
                                         f"{self.label}")
        return int(index) if np.ndim(index) == 0 else index

    _missing_id_error = ValueError

    def id_to_local_index(self, id):
        local = np.asarray(self.local_cells, dtype=int)
        index = np.searchsorted(local, np.asarray(id, dtype=int))
        if np.any(np.take(local, index, mode="clip") != id):
            raise ValueError(f"ID(s) {id} not local to {self.label}")
        return int(index) if index.ndim == 0 else index

    def is_local(self, id):
        return bool(self._local[self.id_to_index(id)])

    # -- cell type facts ---------------------------------------------------------------------
    @property
    def conductance_based(self):
        return self.celltype.conductance_based

    @property
    def receptor_types(self):
        return self.celltype.receptor_types

    @property
    def injectable(self):
        return self.celltype.injectable

    def can_record(self, variable, location=None):
        return self.celltype.can_record(variable)

    def find_units(self, variable):
        return self.celltype.units[variable]

    # -- parameters --------------------------------------------------------------------------
    def _get_values(self, names, index):
        root = self._root
        for name in names:
            if name not in root._values:
                raise errors.NonExistentParameterError(name, type(root.celltype).__name__,
                                                       root.celltype.get_parameter_names())
        return [root._values[name][self._index[index]] for name in names]

    def get(self, parameter_names, gather=False, simplify=True):
        names = [parameter_names] if isinstance(parameter_names, str) else list(parameter_names)
        values = self._get_values(names, np.arange(self.size))
        if gather and self._simulation.num_processes > 1:
            values = [mpi.merge_local(v, self._local) for v in values]
        elif not gather:
            values = [v[self._local] for v in values]
        values = [_simplified(v) if simplify else v for v in values]
        return values[0] if isinstance(parameter_names, str) else values

    def set(self, **parameters):
        self._root._set_parameters(self._index, parameters)

    def initialize(self, **initial_values):
        self._root._initialize(self._index, initial_values)

    @property
    def initial_values(self):
        return {name: LazyArray(_simplified(values[self._index]), shape=(self.size,))
                for name, values in self._root._initial.items()}

    def tset(self, parametername, value_array):
        warnings.warn("tset() is deprecated, use set()", DeprecationWarning)
        self.set(**{parametername: value_array})

    def rset(self, parametername, rand_distr):
        warnings.warn("rset() is deprecated, use set()", DeprecationWarning)
        self.set(**{parametername: rand_distr})

    # -- space -------------------------------------------------------------------------------
    @property
    def positions(self):
        return self._root._all_positions()[:, self._index]

    @positions.setter
    def positions(self, positions):
        positions = np.asarray(positions, dtype=float)
        if positions.shape != (3, self.size):
            raise errors.InvalidDimensionsError(
                f"positions must have shape (3, {self.size}), not {positions.shape}")
        all_positions = self._root._all_positions().copy()
        all_positions[:, self._index] = positions
        self._root._set_positions(all_positions)

    @property
    def position_generator(self):
        positions = self.positions
        return lambda i: positions[:, i]

    def nearest(self, position):
        distances = np.sum((self.positions.T - np.asarray(position, dtype=float)) ** 2, axis=1)
        return self.all_cells[int(np.argmin(distances))]

    def sample(self, n, rng=None):
        if not isinstance(n, (int, np.integer)):
            raise TypeError(f"sample() takes an int, not {type(n).__name__}")
        rng = rng or NumpyRNG()
        return PopulationView(self, np.sort(rng.permutation(self.size)[:n]))

    def save_positions(self, file):
        rows = np.column_stack([np.arange(self.size), self.positions.T])
        if self._simulation.mpi_rank == 0:  # only the writer opens (and truncates) the file
            file = StandardTextFile(file, mode="w") if isinstance(file, str) else file
            file.write(rows, {"population": self.label})
            file.close()

    # -- recording ---------------------------------------------------------------------------
    def record(self, variables, to_file=None, sampling_interval=None, locations=None):
        if locations is not None:
            raise NotImplementedError("record(locations=...) is for multi-compartment neurons; "
                                      "point neurons take locations=None")
        recorder = self._root._recorder
        if variables is None:
            recorder.stop(self._index)
            return
        variables = _variable_list(variables, self.celltype)
        for variable in variables:
            if not self.celltype.can_record(variable):
                raise errors.RecordingError(variable, self.celltype)
        recorder.record(variables, self._index, sampling_interval)
        if to_file:
            self._simulation.files_to_write.append((self, to_file, variables))

    def record_v(self, file=None):
        warnings.warn("record_v() is deprecated, use record('v')", DeprecationWarning)
        self.record("v", to_file=file)

    def record_gsyn(self, file=None):
        warnings.warn("record_gsyn() is deprecated, use record(['gsyn_exc', 'gsyn_inh'])",
                      DeprecationWarning)
        self.record(["gsyn_exc", "gsyn_inh"], to_file=file)

    def get_data(self, variables="all", gather=True, clear=False, locations=None,
                 annotations=None):
        return self._root._recorder.get_data(variables, self._index, clear,
                                             self._block_annotations(annotations), gather)

    def _block_annotations(self, annotations):
        return {**self._root.annotations, **(annotations or {})}

    def write_data(self, io, variables="all", gather=True, clear=False, annotations=None,
                   locations=None):
        block = self.get_data(variables, gather, clear, annotations=annotations)
        write_block(block, io, self._simulation, gather)

    def get_spike_counts(self, gather=True):
        counts = self._root._recorder.spike_counts(self._index, gather)
        return {self.all_cells[k]: int(c) for k, c in counts.items()}

    def mean_spike_count(self, gather=True):
        counts = list(self.get_spike_counts(gather).values())
        return float(np.mean(counts)) if counts else 0.0

    def meanSpikeCount(self, gather=True):
        warnings.warn("meanSpikeCount() is deprecated, use mean_spike_count()",
                      DeprecationWarning)
        return self.mean_spike_count(gather)

    def printSpikes(self, file, gather=True):
        warnings.warn("printSpikes() is deprecated, use write_data()", DeprecationWarning)
        self.write_data(file, "spikes", gather)

    def getSpikes(self, gather=True):
        warnings.warn("getSpikes() is deprecated, use get_data()", DeprecationWarning)
        return self.get_data("spikes", gather)

    def print_v(self, file, gather=True):
        warnings.warn("print_v() is deprecated, use write_data()", DeprecationWarning)
        self.write_data(file, "v", gather)

    def get_v(self, gather=True):
        warnings.warn("get_v() is deprecated, use get_data()", DeprecationWarning)
        return self.get_data("v", gather)

    def print_gsyn(self, file, gather=True):
        warnings.warn("print_gsyn() is deprecated, use write_data()", DeprecationWarning)
        self.write_data(file, ["gsyn_exc", "gsyn_inh"], gather)

    def get_gsyn(self, gather=True):
        warnings.warn("get_gsyn() is deprecated, use get_data()", DeprecationWarning)
        return self.get_data(["gsyn_exc", "gsyn_inh"], gather)

    # -- the rest ----------------------------------------------------------------------------
    def inject(self, current_source):
        if not self.injectable:
            raise TypeError(f"{type(self.celltype).__name__} does not take current injection")
        current_source.inject_into(self)

    def annotate(self, **annotations):
        self.annotations.update(annotations)

    def describe(self, template="population_default.txt", engine="default"):
        context = {
            "label": self.label, "celltype": self.celltype.describe(template=None),
            "structure": None, "size": self.size, "size_local": self.local_size,
            "first_id": self.first_id, "last_id": self.last_id,
            "local_first_id": self.local_cells[0] if self.local_size else None,
            "cell_parameters": {name: self.get(name) for name in
                                self.celltype.get_parameter_names()},
        }
        structure = getattr(self._root, "structure", None)
        if structure is not None:
            context["structure"] = structure.describe(template=None)
        context.update(self.annotations)
        return render(engine, template, context)


class Population(BasePopulation):
    """A group of cells of one type. The face binds `_simulation_of_root` to its Simulation."""

    _simulation_of_root = None
    _count = 0  # populations created since import, for default labels

    def __init__(self, size, cellclass, cellparams=None, structure=None, initial_values={},
                 label=None):
        sim = self._simulation_of_root
        sim.require_setup()
        size, structure = _size_and_structure(size, structure)
        celltype = _celltype(cellclass, cellparams)
        values = _evaluate(celltype, dict(celltype.parameter_space.items()), size,
                           celltype.get_schema())
        celltype.validate(values)
        initial = dict(celltype.default_initial_values)
        _check_state_names(celltype, initial_values)
        initial.update(initial_values)
        initial = _evaluate(celltype, initial, size, _state_schema(celltype))

        driver = sim.driver
        self._generated = is_generated(celltype)
        self._model = driver.cell_model(SpikeSourceArray() if self._generated else celltype)
        native = (self._native_spike_times(_object_array([np.empty(0)] * size)) if self._generated
                  else _plain(translate(self._model.parameters, values)))
        self._handle = driver.create(self._model, size, native, self._native_state(
            {**values, **initial}, list(initial), celltype))
        self._celltype = celltype
        self._values, self._initial = values, initial
        self._index = np.arange(size)
        self._root = self
        first = sim.allocate_ids(size)
        self._id_numbers = np.arange(first, first + size)
        self._ids = np.array([ID(first + k, self) for k in range(size)], dtype=object)
        self._local_mask = np.asarray(driver.local_mask(self._handle), dtype=bool)
        self._structure = structure or Line()
        self._positions = None
        self.label = label or f"population{Population._count}"
        Population._count += 1
        self.annotations = {}
        self._recorder = Recorder(self)
        if self._generated:
            self._generator = SpikeTrainGenerator(celltype, self._id_numbers, sim.rng_seed)
        sim.populations.append(self)

    # -- structure ---------------------------------------------------------------------------
    @property
    def structure(self):
        return self._structure

    @structure.setter
    def structure(self, structure):
        self._structure = structure
        self._positions = None

    def _all_positions(self):
        if self._positions is None:
            self._positions = self._structure.generate_positions(self.size)
        return self._positions

    def _set_positions(self, positions):
        self._positions = positions
        self._structure = None

    # -- values in and out of the simulator --------------------------------------------------
    def _native_state(self, initial, names, celltype):
        """Native initial values of `names`; `initial` also holds the parameters' values, which
        some state translations read."""
        settable = [n for n in names if n in self._model.state]
        for name in set(names) - set(settable):
            if np.any(initial[name] != celltype.default_initial_values.get(name)):
                raise NotImplementedError(f"{self._simulation_driver_name()} cannot set the "
                                          f"initial value {name!r} of "
                                          f"{type(celltype).__name__}")
        return _plain(translate(self._model.state, initial, settable))

    def _simulation_driver_name(self):
        return self._simulation_of_root.driver.name

    def _native_spike_times(self, trains):
        return _plain(translate(self._model.parameters, {"spike_times": trains}))

    def _set_parameters(self, index, parameters):
        celltype = self._celltype
        for name in parameters:
            if not celltype.has_parameter(name):
                raise errors.NonExistentParameterError(name, type(celltype).__name__,
                                                       celltype.get_parameter_names())
        new = _evaluate(celltype, parameters, len(index), celltype.get_schema())
        merged = {name: values[index] for name, values in self._values.items()}
        merged.update(new)
        celltype.validate(merged)
        if self._generated:
            self._generator.restart(index, self._simulation.t)
        else:
            old = {name: values[index] for name, values in self._values.items()}
            _send(self._simulation.driver.set, self._handle, index,
                  *[_plain(translate(self._model.parameters, v, list(new)))
                    for v in (merged, old)])
        for name, values in new.items():
            self._values[name] = _assign(self._values[name], index, values)

    def _initialize(self, index, initial_values):
        _check_state_names(self._celltype, initial_values)
        new = _evaluate(self._celltype, initial_values, len(index), _state_schema(self._celltype))
        old = {name: values[index] for name, values in {**self._values,
                                                         **self._initial}.items()}
        merged = {**old, **new}
        _send(self._simulation.driver.initialize, self._handle, index,
              *[self._native_state(v, list(new), self._celltype) for v in (merged, old)])
        for name, values in new.items():
            self._initial[name] = _assign(self._initial[name], index, values)

    # -- hooks called by the Simulation ------------------------------------------------------
    def _before_run(self, t0, t1):
        if self._generated:
            sim = self._simulation
            trains = self._generator.window(self._values, t0, t1, sim.dt)
            sim.driver.set(self._handle, self._index, self._native_spike_times(trains))

    def _after_reset(self):
        if self._generated:
            self._generator.restart(self._index, 0.0)
        elif "spike_times" in self._values:
            self._simulation.driver.set(self._handle, self._index, _plain(translate(
                self._model.parameters, self._values, ["spike_times"])))
        self._recorder.after_reset()

    def __repr__(self):
        return f"Population({self.size}, {self._celltype!r}, label={self.label!r})"


class PopulationView(BasePopulation):
    """A subset of a Population's (or of another view's) cells."""

    _missing_id_error = IndexError

    def __init__(self, parent, selector, label=None):
        self.parent = parent
        index = _selector_to_index(selector, parent.size)
        self._root = parent._root
        self._index = parent._index[index]
        self.mask = index
        self.label = label or f"view of '{parent.label}' with size {len(index)}"
        self.annotations = {}

    @property
    def grandparent(self):
        return self._root

    @property
    def structure(self):
        return None

    def index_in_grandparent(self, indices):
        return self._index[indices]

    def index_from_parent_index(self, indices):
        return np.searchsorted(self.mask, indices)

    def _block_annotations(self, annotations):
        return {**self._root.annotations, **self.annotations, **(annotations or {})}

    def __eq__(self, other):
        return (isinstance(other, PopulationView) and self._root is other._root
                and np.array_equal(self._index, other._index))

    def __ne__(self, other):
        return not self == other

    __hash__ = object.__hash__

    def __repr__(self):
        return f"PopulationView({self.parent.label!r}, size={self.size})"


class Assembly:
    """A heterogeneous group of Populations and PopulationViews, in order."""

    _count = 0

    def __init__(self, *populations, label=None):
        self.populations = []
        self.label = label or f"assembly{Assembly._count}"
        Assembly._count += 1
        self.annotations = {}
        for population in populations:
            self._insert(population)

    def _insert(self, item):
        if isinstance(item, Assembly):
            for member in item.populations:
                self._insert(member)
            return
        if not isinstance(item, BasePopulation):
            raise TypeError(f"an Assembly holds Populations and PopulationViews, not "
                            f"{type(item).__name__}")
        for member in self.populations:
            if member is item or (member._root is item._root
                                  and np.intersect1d(member._index, item._index).size):
                warnings.warn(f"{item.label} overlaps {member.label} and is skipped")
                return
        self.populations.append(item)

    # -- group facts -------------------------------------------------------------------------
    @property
    def _simulation(self):
        return self.populations[0]._simulation

    @property
    def size(self):
        return sum(p.size for p in self.populations)

    def __len__(self):
        return self.size

    @property
    def all_cells(self):
        return np.concatenate([p.all_cells for p in self.populations]) if self.populations \
            else np.array([], dtype=object)

    @property
    def local_cells(self):
        return np.concatenate([p.local_cells for p in self.populations])

    @property
    def local_size(self):
        return len(self.local_cells)

    def __iter__(self):
        return iter(self.local_cells)

    def all(self):
        return iter(self.all_cells)

    @property
    def first_id(self):
        return min(p.first_id for p in self.populations)

    @property
    def last_id(self):
        return max(p.last_id for p in self.populations)

    @property
    def conductance_based(self):
        return all(p.conductance_based for p in self.populations)

    @property
    def receptor_types(self):
        common = [r for r in self.populations[0].receptor_types
                  if all(r in p.receptor_types for p in self.populations)]
        return common

    @property
    def injectable(self):
        return all(p.injectable for p in self.populations)

    def _offsets(self):
        return np.cumsum([0] + [p.size for p in self.populations])

    def _locate(self, index):
        """Assembly index array -> list of (member, indices in member, positions in index)."""
        index = np.asarray(index)
        offsets = self._offsets()
        member = np.searchsorted(offsets, index, side="right") - 1
        return [(p, index[member == k] - offsets[k], np.flatnonzero(member == k))
                for k, p in enumerate(self.populations) if np.any(member == k)]

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            return self.all_cells[index]
        selected = _selector_to_index(index, self.size)
        return Assembly(*[PopulationView(p, local) for p, local, _ in self._locate(selected)])

    def __add__(self, other):
        if not isinstance(other, (BasePopulation, Assembly)):
            raise TypeError(f"cannot add {type(other).__name__} to an Assembly")
        return Assembly(*self.populations, other)

    def __iadd__(self, other):
        if not isinstance(other, (BasePopulation, Assembly)):
            raise TypeError(f"cannot add {type(other).__name__} to an Assembly")
        self._insert(other)
        return self

    def get_population(self, label):
        for p in self.populations:
            if p.label == label:
                return p
        raise KeyError(f"no member labelled {label!r} in {self.label}")

    def id_to_index(self, id):
        ids = np.asarray(id, dtype=int)
        cells = np.asarray(self.all_cells, dtype=int)
        order = np.argsort(cells)
        found = order[np.searchsorted(cells, ids, sorter=order).clip(0, len(cells) - 1)]
        if np.any(cells[found] != ids):
            raise IndexError(f"ID(s) {id} not in {self.label}")
        return int(found) if found.ndim == 0 else found

    def find_units(self, variable):
        units = {p.find_units(variable) for p in self.populations}
        if len(units) > 1:
            raise ValueError(f"members of {self.label} record {variable!r} in different units: "
                             f"{sorted(units)}")
        return units.pop()

    def get_annotations(self, annotation_keys, simplify=True):
        keys = [annotation_keys] if isinstance(annotation_keys, str) else annotation_keys
        out = {}
        for key in keys:
            values = [p.annotations[key] for p in self.populations]
            out[key] = values[0] if simplify and all(v == values[0] for v in values) else values
        return out

    # -- delegated to members ----------------------------------------------------------------
    @property
    def positions(self):
        return np.hstack([p.positions for p in self.populations])

    @property
    def position_generator(self):
        positions = self.positions
        return lambda i: positions[:, i]

    def get(self, parameter_names, gather=False, simplify=True):
        names = [parameter_names] if isinstance(parameter_names, str) else list(parameter_names)
        values = [_simplified(np.concatenate([p.get(name, gather, simplify=False)
                                              for p in self.populations]))
                  if simplify else
                  np.concatenate([p.get(name, gather, simplify=False) for p in self.populations])
                  for name in names]
        return values[0] if isinstance(parameter_names, str) else values

    def _per_member(self, values):
        """Split array-valued keyword arguments into one dict per member."""
        offsets = self._offsets()
        out = []
        for k in range(len(self.populations)):
            part = {}
            for name, value in values.items():
                if isinstance(value, (list, np.ndarray)) and len(value) == self.size:
                    value = np.asarray(value)[offsets[k]:offsets[k + 1]]
                elif callable(value) and not isinstance(value, RandomDistribution):
                    value = _shifted(value, offsets[k])
                part[name] = value
            out.append(part)
        return out

    def set(self, **parameters):
        for p, values in zip(self.populations, self._per_member(parameters)):
            p.set(**values)

    def initialize(self, **initial_values):
        for p, values in zip(self.populations, self._per_member(initial_values)):
            p.initialize(**values)

    def record(self, variables, to_file=None, sampling_interval=None, locations=None):
        for p in self.populations:
            p.record(variables, sampling_interval=sampling_interval, locations=locations)
        if to_file:
            self._simulation.files_to_write.append((self, to_file, variables))

    def inject(self, current_source):
        if not self.injectable:
            raise TypeError(f"{self.label} holds cells that do not take current injection")
        current_source.inject_into(self)

    def get_spike_counts(self, gather=True):
        counts = {}
        for p in self.populations:
            counts.update(p.get_spike_counts(gather))
        return counts

    def mean_spike_count(self, gather=True):
        counts = list(self.get_spike_counts(gather).values())
        return float(np.mean(counts)) if counts else 0.0

    def get_data(self, variables="all", gather=True, clear=False, annotations=None,
                 locations=None):
        blocks = [p.get_data(variables, gather) for p in self.populations]
        if clear:  # once per population: members may be views of one population
            for root in {id(p._root): p._root for p in self.populations}.values():
                root._recorder.clear()
        sim = self._simulation
        return merge_blocks(blocks, [p._index for p in self.populations], self.describe(), {
            "size": self.size, "first_index": 0, "last_index": self.size,
            "first_id": int(self.first_id), "last_id": int(self.last_id), "label": self.label,
            "simulator": sim.driver.name, "dt": sim.dt, "mpi_processes": sim.num_processes,
            **self.annotations, **(annotations or {})})

    def write_data(self, io, variables="all", gather=True, clear=False, annotations=None):
        write_block(self.get_data(variables, gather, clear, annotations), io, self._simulation,
                    gather)

    def save_positions(self, file):
        rows = np.column_stack([np.arange(self.size), self.positions.T])
        if self._simulation.mpi_rank == 0:  # only the writer opens (and truncates) the file
            file = StandardTextFile(file, mode="w") if isinstance(file, str) else file
            file.write(rows, {"assembly": self.label})
            file.close()

    def sample(self, n, rng=None):
        if not isinstance(n, (int, np.integer)):
            raise TypeError(f"sample() takes an int, not {type(n).__name__}")
        rng = rng or NumpyRNG()
        return self[np.sort(rng.permutation(self.size)[:n])]

    def annotate(self, **annotations):
        self.annotations.update(annotations)

    def describe(self, template="assembly_default.txt", engine="default"):
        context = {"label": self.label,
                   "populations": [p.describe(template=None) for p in self.populations]}
        return render(engine, template, context)

    def __repr__(self):
        return f"Assembly({', '.join(p.label for p in self.populations)})"


# -- helpers ---------------------------------------------------------------------------------
def _send(call, handle, index, new, old):
    """Hand `new` native values to the driver; if the simulator refuses them, put the `old`
    ones back, so the simulator and the core keep agreeing."""
    try:
        call(handle, index, new)
    except Exception:
        call(handle, index, old)
        raise


def _object_array(items):
    out = np.empty(len(items), dtype=object)
    for k, item in enumerate(items):
        out[k] = item
    return out


def _shifted(function, offset):
    """f(i) over an Assembly -> the same function over one member starting at `offset`."""
    return lambda i: function(np.asarray(i) + offset)


def _plain(native):
    """Native values for the driver: sequence parameters as object arrays of float arrays."""
    return {name: _object_array([np.asarray(getattr(v, "value", v), dtype=float)
                                 for v in values])
            if isinstance(values, np.ndarray) and values.dtype == object else values
            for name, values in native.items()}


def _simplified(values):
    if values.dtype != object and values.size and np.all(values == values.flat[0]):
        return values.flat[0].item()
    return values


def _assign(stored, index, values):
    if stored.dtype != object and np.asarray(values).dtype.kind == "f" \
            and stored.dtype.kind in "iub":
        stored = stored.astype(float)
    stored[index] = values
    return stored


def _celltype(cellclass, cellparams):
    if isinstance(cellclass, type) and issubclass(cellclass, StandardCellType):
        warnings.warn("Population(n, CellClass, cellparams) is deprecated; pass an instance, "
                      "e.g. IF_cond_exp(**cellparams)", DeprecationWarning)
        return cellclass(**(cellparams or {}))
    if isinstance(cellclass, StandardCellType):
        if cellparams is not None:
            raise TypeError("cellparams is only for a cell-type class; an instance already "
                            "holds its parameters")
        return cellclass
    raise TypeError(f"cellclass must be a cell type, not {cellclass!r}")


def _size_and_structure(size, structure):
    if isinstance(size, tuple):
        if structure is not None:
            raise ValueError("give either a tuple size or a structure, not both")
        if not 1 <= len(size) <= 3 or not all(isinstance(s, (int, np.integer)) for s in size):
            raise ValueError(f"a tuple size holds 1 to 3 ints, not {size!r}")
        n = int(np.prod(size))
        if len(size) == 2:
            structure = Grid2D(aspect_ratio=size[0] / size[1])
        elif len(size) == 3:
            structure = Grid3D(size[0] / size[1], size[0] / size[2])
        return n, structure
    if not isinstance(size, (int, np.integer)) or size < 0:
        raise ValueError(f"population size must be a non-negative int, not {size!r}")
    return int(size), structure


def _selector_to_index(selector, size):
    if isinstance(selector, slice):
        return np.arange(size)[selector]
    selector = np.asarray(selector)
    if selector.dtype == bool:
        if selector.shape != (size,):
            raise errors.InvalidDimensionsError(
                f"a boolean mask must have length {size}, not {selector.shape}")
        return np.flatnonzero(selector)
    index = selector.astype(int).ravel()
    index = np.where(index < 0, index + size, index)
    if np.any((index < 0) | (index >= size)):
        raise IndexError(f"index out of range for size {size}")
    unique = np.unique(index)
    if len(unique) != len(index):
        warnings.warn("duplicate indices removed from a PopulationView selector")
    return unique


def _variable_list(variables, celltype):
    if variables == "all":
        return list(celltype.recordable)
    return [variables] if isinstance(variables, str) else list(variables)


def _state_schema(celltype):
    return {name: float for name in celltype.default_initial_values}


def _check_state_names(celltype, values):
    for name in values:
        if name not in celltype.default_initial_values:
            raise errors.NonExistentParameterError(name, type(celltype).__name__,
                                                   list(celltype.default_initial_values))


def _evaluate(celltype, values, n, schema):
    """Raw user values -> {name: array of length n} in standard units."""
    space = ParameterSpace(values, schema=schema, shape=(n,),
                           component=celltype, units=celltype.units)
    space.evaluate(simplify=False)
    return {name: np.asarray(value) if not isinstance(value, np.ndarray) else value
            for name, value in space.items()}
