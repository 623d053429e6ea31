"""Networks built by one script on every backend: identical connectivity for the same seed,
and activity that agrees within the statistics cases.py states for the pair."""
import pytest

from cases import (NETWORK_CASES, NETWORK_SEEDS, PAIRS, network_difference,
                   network_tolerance, run_network_case)


@pytest.mark.parametrize("seed", NETWORK_SEEDS)
@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
@pytest.mark.parametrize("name", NETWORK_CASES)
def test_network_agrees_between_backends(name, pair, seed):
    a, b = (run_network_case(backend, name, seed) for backend in pair)
    same_connectivity, measures = network_difference(a, b)
    assert same_connectivity
    limit = network_tolerance(pair)
    for identical, rate, cv in measures:
        assert identical >= limit.identical and rate <= limit.rate and cv <= limit.cv, \
            f"identical {identical:.2f}, rate {rate:.3f}, cv {cv:.3f} vs {limit}"
