"""pynnlike.space: structure positions against their formulas, distances against hand values."""
from types import SimpleNamespace

import numpy as np
import pytest
from lazyarray import larray

from pynnlike.errors import InvalidDimensionsError
from pynnlike.random import NumpyRNG
from pynnlike.space import (BaseStructure, Cuboid, Grid2D, Grid3D, Line, RandomStructure, Shape,
                            Space, Sphere, distance)

SEED = 1618


# -- structures -------------------------------------------------------------------------------

def test_line_positions():
    positions = Line(dx=2.5, x0=1.0, y=3.0, z=-1.0).generate_positions(4)
    assert positions.shape == (3, 4) and positions.dtype == float
    np.testing.assert_array_equal(positions, [[1.0, 3.5, 6.0, 8.5], [3.0] * 4, [-1.0] * 4])


def test_grid2d_positions_follow_formula():
    grid = Grid2D(aspect_ratio=3.0, dx=2.0, dy=5.0, x0=1.0, y0=-1.0, z=7.0)
    assert grid.calculate_size(12) == (6, 2)
    positions = grid.generate_positions(12)
    i = np.arange(12)
    np.testing.assert_array_equal(positions[0], 1.0 + 2.0 * (i // 2))
    np.testing.assert_array_equal(positions[1], -1.0 + 5.0 * (i % 2))
    np.testing.assert_array_equal(positions[2], np.full(12, 7.0))
    assert positions[:, 3].tolist() == [3.0, 4.0, 7.0]


@pytest.mark.parametrize("n, aspect_ratio", [(10, 1.0), (12, 1.0), (2, 8.0), (0, 1.0)])
def test_grid2d_invalid_size(n, aspect_ratio):
    with pytest.raises(ValueError):
        Grid2D(aspect_ratio).generate_positions(n)


def test_grid3d_positions_follow_formula():
    grid = Grid3D(aspect_ratioXY=2.0, aspect_ratioXZ=4 / 3, dx=1.0, dy=10.0, dz=100.0,
                  x0=0.5, y0=0.25, z0=-3.0)
    assert grid.calculate_size(24) == (4, 2, 3)
    positions = grid.generate_positions(24)
    i = np.arange(24)
    np.testing.assert_array_equal(positions[0], 0.5 + (i // 6))
    np.testing.assert_array_equal(positions[1], 0.25 + 10.0 * ((i // 3) % 2))
    np.testing.assert_array_equal(positions[2], -3.0 + 100.0 * (i % 3))
    assert positions[:, 1].tolist() == [0.5, 0.25, 97.0]  # z fills first


def test_grid3d_cube_and_invalid_size():
    assert Grid3D().calculate_size(27) == (3, 3, 3)
    with pytest.raises(ValueError):
        Grid3D().generate_positions(26)


@pytest.mark.parametrize("grid, n", [(Grid2D(aspect_ratio=1.0), 16), (Grid3D(), 27)])
def test_random_fill_order_permutes_like_randomstate(grid, n):
    sequential = grid.generate_positions(n)
    grid.fill_order, grid.rng = "random", NumpyRNG(SEED)
    shuffled = grid.generate_positions(n)
    expected = np.random.RandomState(SEED).permutation(sequential.T).T
    np.testing.assert_array_equal(shuffled, expected)
    assert not np.array_equal(shuffled, sequential)


def test_random_fill_default_rng_and_bad_fill_order():
    grid = Grid2D(fill_order="random")
    positions = grid.generate_positions(9)
    assert isinstance(grid.rng, NumpyRNG)
    assert sorted(map(tuple, positions.T)) == sorted(map(tuple, Grid2D().generate_positions(9).T))
    with pytest.raises(ValueError):
        Grid2D(fill_order="spiral")


def test_cuboid_sample_formula():
    points = Cuboid(10.0, 20.0, 30.0).sample(50, NumpyRNG(SEED))
    expected = 0.5 * np.random.RandomState(SEED).uniform(-1, 1, size=(50, 3)) * (10, 20, 30)
    np.testing.assert_array_equal(points, expected)
    assert np.all(np.abs(points) <= [5.0, 10.0, 15.0])


def test_sphere_sample_equals_one_candidate_at_a_time():
    rng = NumpyRNG(SEED)
    points = Sphere(4.0).sample(40, rng)
    ref = np.random.RandomState(SEED)
    expected = []
    while len(expected) < 40:
        candidate = ref.uniform(-1, 1, size=(1, 3))
        if (candidate ** 2).sum() < 1:
            expected.append(candidate[0])
    np.testing.assert_array_equal(points, 4.0 * np.array(expected))
    assert rng.next() == ref.uniform()  # nothing drawn beyond the last kept candidate
    assert np.all(np.linalg.norm(points, axis=1) < 4.0)
    assert Sphere(1.0).sample(0, rng).shape == (0, 3)


def test_random_structure_positions():
    structure = RandomStructure(Cuboid(2.0, 4.0, 6.0), origin=(10.0, 20.0, 30.0),
                                rng=NumpyRNG(SEED))
    positions = structure.generate_positions(7)
    assert positions.shape == (3, 7)
    expected = (np.array([10.0, 20.0, 30.0])
                + Cuboid(2.0, 4.0, 6.0).sample(7, NumpyRNG(SEED))).T
    np.testing.assert_array_equal(positions, expected)
    assert isinstance(RandomStructure(Sphere(1.0)).rng, NumpyRNG)
    with pytest.raises(TypeError):
        RandomStructure((1.0, 2.0, 3.0))
    with pytest.raises(ValueError):
        RandomStructure(Sphere(1.0), origin=(0.0, 0.0))


def test_equality_by_parameters():
    assert Line(dx=2.0) == Line(dx=2.0) and Line(dx=2.0) != Line(dx=3.0)
    assert Grid3D(2.0, 1.0) == Grid3D(2.0, 1.0) and Grid3D(2.0, 1.0) != Grid3D(1.0, 2.0)
    assert Line() != Grid2D() and Sphere(2.0) == Sphere(2.0) and Sphere(2.0) != Cuboid(2, 2, 2)
    rng = NumpyRNG(1)
    assert RandomStructure(Sphere(1.0), rng=rng) == RandomStructure(Sphere(1.0), rng=rng)
    assert RandomStructure(Sphere(1.0), rng=rng) != RandomStructure(Sphere(2.0), rng=rng)


def test_parameters_repr_and_describe():
    grid = Grid2D(aspect_ratio=2.0, dx=3.0)
    assert grid.get_parameters() == {"aspect_ratio": 2.0, "dx": 3.0, "dy": 1.0, "x0": 0.0,
                                     "y0": 0.0, "z": 0, "fill_order": "sequential"}
    assert Grid3D(2.0, 3.0).get_parameters()["aspect_ratios"] == (2.0, 3.0)
    assert repr(Line(dx=2.0)) == "Line(dx=2.0, x0=0.0, y=0.0, z=0.0)"
    assert repr(Cuboid(1, 2, 3)) == "Cuboid(width=1, height=2, depth=3)"
    assert grid.describe(template=None) == {"name": "Grid2D", "parameters": grid.get_parameters()}
    text = grid.describe()
    assert text.splitlines()[0] == "Grid2D structure" and "aspect_ratio: 2.0" in text


def test_abstract_bases():
    assert issubclass(Line, BaseStructure) and issubclass(Sphere, Shape)
    with pytest.raises(NotImplementedError):
        BaseStructure().generate_positions(3)


# -- Space ------------------------------------------------------------------------------------

A = np.array([[0.0, 3.0], [0.0, 0.0], [0.0, 0.0]])        # points (0,0,0), (3,0,0)
B = np.array([[0.0, 0.0, 1.0], [4.0, 0.0, 1.0], [0.0, 2.0, 1.0]])  # (0,4,0), (0,0,2), (1,1,1)


def test_distances_3xn():
    d = Space().distances(A, B)
    assert d.shape == (2, 3)
    np.testing.assert_allclose(d, [[4.0, 2.0, np.sqrt(3)], [5.0, np.sqrt(13), np.sqrt(6)]])


def test_distances_single_points_and_axes():
    np.testing.assert_allclose(Space().distances([0, 0, 0], [1, 2, 2]), [[3.0]])
    np.testing.assert_allclose(Space(axes="x").distances(A, B), [[0, 0, 1], [3, 3, 2]])
    np.testing.assert_allclose(Space(axes="yz").distances(A, B),
                               [[4, 2, np.sqrt(2)], [4, 2, np.sqrt(2)]])
    with pytest.raises(ValueError):
        Space(axes="w")
    with pytest.raises(InvalidDimensionsError):
        Space().distances(np.zeros((4, 2)), B)


def test_scale_factor_and_offset_apply_to_post_positions():
    space = Space(scale_factor=2.0, offset=np.array([1.0, 0.0, 0.0]))
    # D = A - 2*(B + offset): for A=(0,0,0), B=(0,0,2): (-2, 0, -4)
    assert space.distances([0, 0, 0], [0, 0, 2])[0, 0] == pytest.approx(np.sqrt(20))
    assert Space(offset=1.0).distances([1, 1, 1], [0, 0, 0])[0, 0] == 0.0


def test_periodic_boundaries():
    space = Space(periodic_boundaries=((0, 10), None, (-5, 5)))
    # x: |1 - 9| = 8 -> min(8, 2) = 2; y: |0 - 3| = 3 (not periodic); z: |-4 - 4| = 8 -> 2
    assert space.distances([1, 0, -4], [9, 3, 4])[0, 0] == pytest.approx(np.sqrt(4 + 9 + 4))
    components = space.distances([1, 0, -4], [9, 3, 4], expand=True)
    assert components.shape == (3, 1, 1)
    np.testing.assert_allclose(components[:, 0, 0], [2.0, 3.0, 2.0])
    # a short way that is the direct one stays unchanged
    assert space.distances([1, 0, 0], [3, 0, 0])[0, 0] == pytest.approx(2.0)


def test_expand_keeps_absolute_components_per_selected_axis():
    components = Space(axes="xz").distances(A, B, expand=True)
    assert components.shape == (2, 2, 3)
    np.testing.assert_allclose(components[0], [[0, 0, 1], [3, 3, 2]])
    np.testing.assert_allclose(components[1], [[0, 2, 1], [0, 2, 1]])


def test_distance_generator():
    pre = np.array([[0.0, 1.0, 2.0], [0.0] * 3, [0.0] * 3])
    post = np.array([[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]])
    distance_map = Space().distance_generator(lambda i: pre[:, i], lambda j: post[:, j])
    expected = np.sqrt(np.arange(3.0)[:, None] ** 2 + np.array([1.0, 2.0]) ** 2)
    np.testing.assert_allclose(distance_map(np.arange(3), np.arange(2)), expected)
    np.testing.assert_allclose(distance_map(2, np.arange(2)), expected[2])
    np.testing.assert_allclose(distance_map(np.arange(3), 1), expected[:, 1])
    assert distance_map(1, 0) == pytest.approx(np.sqrt(2))
    lazy = larray(distance_map, shape=(3, 2))  # lazyarray passes 2-D index grids
    np.testing.assert_allclose(lazy.evaluate(), expected)
    np.testing.assert_allclose(lazy[:, 1], expected[:, 1])


def test_distance_between_cells():
    src = SimpleNamespace(position=np.array([1.0, 0.0, -4.0]))
    tgt = SimpleNamespace(position=np.array([9.0, 3.0, 4.0]))
    assert distance(src, tgt) == pytest.approx(np.sqrt(64 + 9 + 64))
    assert distance(src, tgt, mask=np.array([0, 1])) == pytest.approx(np.sqrt(64 + 9))
    assert distance(src, tgt, periodic_boundaries=((0, 10), None, (-5, 5))) == pytest.approx(
        np.sqrt(4 + 9 + 4))
    # D = src - 0.5*(tgt + 1) = (1 - 5, 0 - 2, -4 - 2.5)
    assert distance(src, tgt, scale_factor=0.5, offset=1.0) == pytest.approx(
        np.sqrt(16 + 4 + 6.5 ** 2))
