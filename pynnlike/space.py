"""Cell positions (structures) and distances between them (Space).

Positions are stored as 3×n float arrays (one column per cell), as in PyNN.
"""
import math

import numpy as np

from pynnlike.errors import InvalidDimensionsError
from pynnlike.random import NumpyRNG

__all__ = ["Space", "Line", "Grid2D", "Grid3D", "RandomStructure", "Cuboid", "Sphere",
           "BaseStructure", "Shape", "distance"]


def _periods(periodic_boundaries):
    """Per-axis period (inf where not periodic) from per-axis (min, max), a period, or None."""
    periods = np.full(3, np.inf)
    if periodic_boundaries is not None:
        for axis, bounds in enumerate(periodic_boundaries):
            if bounds is not None:
                periods[axis] = (bounds[1] - bounds[0]) if np.ndim(bounds) else bounds
    return periods


def distance(src, tgt, mask=None, scale_factor=1.0, offset=0.0, periodic_boundaries=None):
    """Euclidean distance between two cells (objects with a `.position` 3-vector).

    The target position is offset then scaled: D = src − scale_factor·(tgt + offset). With
    `periodic_boundaries` (per axis: (min, max), a period, or None) each component is the
    shorter way round. `mask` is an array of the axis indices to use, e.g. [0, 1] ignores z.
    """
    d = np.asarray(src.position, float) - scale_factor * (np.asarray(tgt.position, float) + offset)
    if periodic_boundaries is not None:
        d = np.abs(d)
        d = np.minimum(d, _periods(periodic_boundaries) - d)
    if mask is not None:
        d = d[mask]
    return float(np.sqrt(np.dot(d, d)))


def _as_points(positions):
    """A 3×n float array from a 3×n array or a single 3-vector."""
    points = np.asarray(positions, dtype=float)
    if points.shape == (3,):
        return points.reshape(3, 1)
    if points.ndim != 2 or points.shape[0] != 3:
        raise InvalidDimensionsError(
            f"positions must be a 3×n array or a 3-vector, not an array of shape {points.shape}")
    return points


class Space:
    """A Cartesian space in which distances between pre- and post-synaptic cells are measured.

    `axes`: which coordinates count ('x', 'y', 'z', 'xy', 'yz', 'xz', 'xyz' or None for all).
    `scale_factor` and `offset` map post-synaptic coordinates into the pre-synaptic frame
    (offset first, then scale). `periodic_boundaries`: per axis (min, max) or None.
    """

    AXES = {"x": [0], "y": [1], "z": [2], "xy": [0, 1], "yz": [1, 2], "xz": [0, 2],
            "xyz": [0, 1, 2], None: [0, 1, 2]}

    def __init__(self, axes=None, scale_factor=1.0, offset=0.0, periodic_boundaries=None):
        if axes not in self.AXES:
            raise ValueError(f"axes must be one of 'x', 'y', 'z', 'xy', 'yz', 'xz', 'xyz' or None, "
                             f"not {axes!r}")
        self.axes = np.array(self.AXES[axes])
        self.scale_factor = scale_factor
        self.offset = offset
        self.periodic_boundaries = periodic_boundaries

    def distances(self, A, B, expand=False):
        """Distances between the points of A (3×n_A, or a 3-vector) and of B (3×n_B).

        Returns an (n_A, n_B) array; with `expand`, the absolute per-axis components as an
        (number of axes, n_A, n_B) array.
        """
        A = _as_points(A)
        offset = np.asarray(self.offset, dtype=float)
        B = self.scale_factor * (_as_points(B) + (offset.reshape(3, 1) if offset.ndim else offset))
        D = np.abs(A[self.axes, :, None] - B[self.axes, None, :])
        if self.periodic_boundaries is not None:
            periods = _periods(self.periodic_boundaries)[self.axes]
            D = np.minimum(D, periods[:, None, None] - D)
        if expand:
            return D
        return np.sqrt(np.einsum("kij,kij->ij", D, D))

    def distance_generator(self, f, g):
        """A function (i, j) -> distances between cells f(i) and g(j), for lazy arrays.

        f and g map a cell index (or an index array) to a position (or a 3×k array). Index arrays
        may also be the 2-D index grids lazyarray passes (rows of i constant along j, and vice
        versa). The result has one axis per array index: (len(i), len(j)), (len(i),), (len(j),)
        or a scalar.
        """
        def distance_map(i, j):
            shape = []
            if np.ndim(i) == 2:
                i = i[:, 0]
            if np.ndim(j) == 2:
                j = j[0, :]
            if np.ndim(i):
                shape.append(np.size(i))
            if np.ndim(j):
                shape.append(np.size(j))
            d = self.distances(f(i), g(j))
            return d.reshape(shape) if shape else d[0, 0]
        return distance_map


class _Parametrised:
    """Objects defined by a few named parameters: equality, repr and description by them."""

    parameter_names = ()

    def get_parameters(self):
        """Dict of the parameters, in `parameter_names` order."""
        return {name: getattr(self, name) for name in self.parameter_names}

    def __eq__(self, other):
        if type(self) is not type(other):
            return NotImplemented
        mine, theirs = self.get_parameters(), other.get_parameters()
        return all(_same(mine[name], theirs[name]) for name in self.parameter_names)

    __hash__ = None

    def __repr__(self):
        args = ", ".join(f"{name}={value!r}" for name, value in self.get_parameters().items())
        return f"{type(self).__name__}({args})"


def _same(a, b):
    if isinstance(a, (np.ndarray, tuple, list)) or isinstance(b, (np.ndarray, tuple, list)):
        return np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object))
    return a == b


class BaseStructure(_Parametrised):
    """Base of the structures that place the cells of a population."""

    def describe(self, template="structure_default.txt", engine="default"):
        """A short text naming the structure and its parameters; with template=None, the
        context dict {'name', 'parameters'} instead (engine is accepted for PyNN
        compatibility)."""
        context = {"name": type(self).__name__, "parameters": self.get_parameters()}
        if template is None:
            return context
        lines = [f"{context['name']} structure"]
        lines += [f"    {name}: {value!r}" for name, value in context["parameters"].items()]
        return "\n".join(lines)

    def generate_positions(self, n):
        """3×n float array: the positions of n cells."""
        raise NotImplementedError


class Line(BaseStructure):
    """Cells evenly spaced along x: cell i at (x0 + i·dx, y, z)."""

    parameter_names = ("dx", "x0", "y", "z")

    def __init__(self, dx=1.0, x0=0.0, y=0.0, z=0.0):
        self.dx, self.x0, self.y, self.z = dx, x0, y, z

    def generate_positions(self, n):
        positions = np.empty((3, n))
        positions[0] = self.x0 + self.dx * np.arange(n)
        positions[1] = self.y
        positions[2] = self.z
        return positions


def _check_fill_order(fill_order):
    if fill_order not in ("sequential", "random"):
        raise ValueError(f"fill_order must be 'sequential' or 'random', not {fill_order!r}")
    return fill_order


class _Grid(BaseStructure):
    """Grid positions, optionally assigned to cells in a random order."""

    def _filled(self, positions):
        if self.fill_order == "sequential":
            return positions
        if self.rng is None:
            self.rng = NumpyRNG()
        return positions[:, self.rng.permutation(positions.shape[1])]


class Grid2D(_Grid):
    """Cells on an nx × ny grid in the plane z, filled along y first.

    `aspect_ratio` is nx/ny (numbers of points, not lengths): nx = sqrt(n·aspect_ratio) must be
    an integer dividing n, ny = n/nx. Cell i is at (x0 + dx·(i // ny), y0 + dy·(i % ny), z).
    """

    parameter_names = ("aspect_ratio", "dx", "dy", "x0", "y0", "z", "fill_order")

    def __init__(self, aspect_ratio=1.0, dx=1.0, dy=1.0, x0=0.0, y0=0.0, z=0,
                 fill_order="sequential", rng=None):
        self.aspect_ratio = aspect_ratio
        self.dx, self.dy, self.x0, self.y0, self.z = dx, dy, x0, y0, z
        self.fill_order = _check_fill_order(fill_order)
        self.rng = rng

    def calculate_size(self, n):
        """(nx, ny) for n cells; ValueError if the aspect ratio does not fit n."""
        nx_exact = math.sqrt(n * self.aspect_ratio)
        nx = round(nx_exact)
        if nx == 0 or not math.isclose(nx, nx_exact) or n % nx:
            raise ValueError(f"Grid2D with aspect ratio {self.aspect_ratio} cannot hold {n} cells "
                             f"(nx = sqrt(n·aspect_ratio) = {nx_exact:g} must be an integer "
                             "dividing n)")
        return nx, n // nx

    def generate_positions(self, n):
        nx, ny = self.calculate_size(n)
        i = np.arange(n)
        positions = np.empty((3, n))
        positions[0] = self.x0 + self.dx * (i // ny)
        positions[1] = self.y0 + self.dy * (i % ny)
        positions[2] = self.z
        return self._filled(positions)


class Grid3D(_Grid):
    """Cells on an nx × ny × nz grid, filled along z first, then y, then x.

    nx = round((n·a_xy·a_xz)^(1/3)), ny = round(nx/a_xy), nz = round(nx/a_xz), and nx·ny·nz must
    equal n. Cell i is at (x0 + dx·(i // (ny·nz)), y0 + dy·((i // nz) % ny), z0 + dz·(i % nz)).
    """

    parameter_names = ("aspect_ratios", "dx", "dy", "dz", "x0", "y0", "z0", "fill_order")

    def __init__(self, aspect_ratioXY=1.0, aspect_ratioXZ=1.0, dx=1.0, dy=1.0, dz=1.0,
                 x0=0.0, y0=0.0, z0=0, fill_order="sequential", rng=None):
        self.aspect_ratios = (aspect_ratioXY, aspect_ratioXZ)
        self.dx, self.dy, self.dz, self.x0, self.y0, self.z0 = dx, dy, dz, x0, y0, z0
        self.fill_order = _check_fill_order(fill_order)
        self.rng = rng

    def calculate_size(self, n):
        """(nx, ny, nz) for n cells; ValueError if the aspect ratios do not fit n."""
        a_xy, a_xz = self.aspect_ratios
        nx = round((n * a_xy * a_xz) ** (1 / 3))
        ny, nz = round(nx / a_xy), round(nx / a_xz)
        if nx * ny * nz != n:
            raise ValueError(f"Grid3D with aspect ratios {self.aspect_ratios} cannot hold {n} "
                             f"cells (nx, ny, nz = {nx}, {ny}, {nz})")
        return nx, ny, nz

    def generate_positions(self, n):
        _, ny, nz = self.calculate_size(n)
        i = np.arange(n)
        positions = np.empty((3, n))
        positions[0] = self.x0 + self.dx * (i // (ny * nz))
        positions[1] = self.y0 + self.dy * ((i // nz) % ny)
        positions[2] = self.z0 + self.dz * (i % nz)
        return self._filled(positions)


class Shape(_Parametrised):
    """Base of the volumes a RandomStructure fills: `sample(n, rng)` -> n×3 points around 0."""

    def sample(self, n, rng):
        raise NotImplementedError


class Cuboid(Shape):
    """A box centred on the origin: width along x, height along y, depth along z."""

    parameter_names = ("width", "height", "depth")

    def __init__(self, width, height, depth):
        self.width, self.height, self.depth = width, height, depth

    def sample(self, n, rng):
        """n points, uniform in the box."""
        return 0.5 * rng.uniform(-1, 1, size=(n, 3)) * (self.width, self.height, self.depth)


class Sphere(Shape):
    """A ball of `radius` centred on the origin."""

    parameter_names = ("radius",)

    def __init__(self, radius):
        self.radius = radius

    def sample(self, n, rng):
        """n points, uniform in the ball, by rejection from the cube [-1, 1)³.

        Candidates are drawn as rng.uniform(-1, 1, size=(1, 3)) one after the other, the first n
        inside the unit ball are kept. They are drawn in batches of as many as are still
        missing, which never draws past the last kept candidate, so the stream (and what is
        left of it) is that of one-at-a-time drawing.
        """
        accepted = []
        missing = n
        while missing:
            candidates = rng.uniform(-1, 1, size=(missing, 3))
            inside = candidates[np.einsum("ij,ij->i", candidates, candidates) < 1]
            accepted.append(inside)
            missing -= len(inside)
        points = np.concatenate(accepted) if accepted else np.empty((0, 3))
        return self.radius * points


class RandomStructure(BaseStructure):
    """Cells placed uniformly at random inside `boundary` (a Shape) centred on `origin`."""

    parameter_names = ("boundary", "origin", "rng")

    def __init__(self, boundary, origin=(0.0, 0.0, 0.0), rng=None):
        if not isinstance(boundary, Shape):
            raise TypeError(f"boundary must be a Shape (Cuboid, Sphere), not "
                            f"{type(boundary).__name__}")
        if len(origin) != 3:
            raise ValueError(f"origin must have 3 coordinates, not {len(origin)}")
        self.boundary = boundary
        self.origin = tuple(origin)
        self.rng = NumpyRNG() if rng is None else rng

    def generate_positions(self, n):
        return (np.asarray(self.origin, dtype=float) + self.boundary.sample(n, self.rng)).T
