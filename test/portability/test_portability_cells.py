"""Every standard cell type, run by the same script on every backend, agrees between every
pair of backends: spike counts equal, spike times and traces within the tolerance that
cases.py states (and explains) for the pair. What a backend cannot run, its capabilities()
says, and it refuses clearly."""
import pytest

from cases import (ARRIVALS, BACKENDS, CELL_CASES, PAIRS, capabilities, compare_runs,
                   gif_difference, run_cell_case, run_gif_case, supported, tolerance)

RUNNABLE = [(name, pair) for name in CELL_CASES for pair in PAIRS
            if all(supported(backend, name) for backend in pair)]


@pytest.mark.parametrize("protocol", ("step", "synaptic"))
@pytest.mark.parametrize("name, pair", RUNNABLE, ids=[f"{n}-{'-'.join(p)}" for n, p in RUNNABLE])
def test_cell_type_agrees_between_backends(name, pair, protocol):
    a, b = (run_cell_case(backend, name)[protocol] for backend in pair)
    assert len(a["spikes"]) > 0, "the protocol must make the cell fire"
    difference = compare_runs(a, b, ARRIVALS if protocol == "synaptic" else (),
                              CELL_CASES[name].dt)
    limit = tolerance(name, pair)
    assert difference.within(limit), f"{difference} exceeds {limit}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_capabilities_say_what_runs_and_the_rest_is_refused_clearly(backend):
    name_of_backend = capabilities(backend)["backend"]
    for name in CELL_CASES:
        if supported(backend, name):
            assert run_cell_case(backend, name)["step"]["v"].size > 0
        else:
            with pytest.raises(NotImplementedError, match=name_of_backend):
                run_cell_case(backend, name)


@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
def test_gif_firing_statistics_agree(pair):
    # stochastic firing from each backend's own streams: the mean counts agree within four
    # standard errors (a fixed-seed test, so this either always or never passes)
    a, b = (run_gif_case(backend) for backend in pair)
    assert a.mean() > 2 and b.mean() > 2
    assert gif_difference(a, b) < 4.0
