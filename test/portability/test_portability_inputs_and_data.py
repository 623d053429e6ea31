"""The same inputs on every backend: random spike sources give the identical trains for one
seed (drawn in the core), electrodes the same membrane response, and get_data() the same Neo
structure."""
import numpy as np
import pytest

from cases import (BACKENDS, ELECTRODE_CASES, PAIRS, SOURCE_CASES, compare_runs,
                   run_data_case, run_electrode_case, run_source_case, tolerance)


@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
@pytest.mark.parametrize("name", SOURCE_CASES)
def test_spike_sources_give_the_identical_trains(name, pair):
    a, b = (run_source_case(backend, name) for backend in pair)
    assert sum(len(t) for t in a) > 20
    assert [len(t) for t in a] == [len(t) for t in b]
    for x, y in zip(a, b):  # grid times computed by each simulator: equal to rounding
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-9)


@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
@pytest.mark.parametrize("name", ELECTRODE_CASES)
def test_electrodes_drive_the_same_response(name, pair):
    a, b = (run_electrode_case(backend, name) for backend in pair)
    assert len(a["spikes"]) > 0
    difference = compare_runs(a, b)
    limit = tolerance(name, pair)
    assert difference.within(limit), f"{difference} exceeds {limit}"


@pytest.mark.parametrize("backend", BACKENDS[1:])
def test_get_data_has_the_same_neo_structure(backend):
    assert run_data_case(backend) == run_data_case(BACKENDS[0])
