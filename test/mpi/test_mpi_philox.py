"""Connectors with a PhiloxRNG under `mpiexec -n 2` and `-n 3` (NEURON): each process draws and
keeps only the connections onto its own cells, yet scripts/philox.py gives the same connections,
values, set() results, clones and recorded addresses as with one process (API.md §12)."""
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).parent / "scripts" / "philox.py"
MPIEXEC = Path(sys.executable).parent / "mpiexec"
ENV = {**os.environ, "MPIR_CVAR_ENABLE_HEAVY_YIELD": "1"}  # 3 ranks on 2 cores: yield, not spin
PHILOX = ("fixed_probability", "distance", "fixed_number", "fixed_number_replacement")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """{processes: ([what each rank saw], output directory)}"""
    out = {}
    for processes in (1, 2, 3):
        directory = tmp_path_factory.mktemp(f"philox{processes}")
        command = [sys.executable, str(SCRIPT), "neuron", str(directory)]
        if processes > 1:
            command = [str(MPIEXEC), "-n", str(processes)] + command
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=ENV,
                              cwd=directory)
        assert done.returncode == 0, done.stderr[-3000:]
        out[processes] = ([pickle.load(open(directory / f"rank{r}.pkl", "rb"))
                           for r in range(processes)], directory)
    return out


def parallel_ranks(runs):
    return [rank for processes in (2, 3) for rank in runs[processes][0]]


def test_serial_run_builds_what_the_connectors_promise(runs):
    serial = runs[1][0][0]
    built = serial["built"]
    assert all(len(built[name]) > 100 for name in PHILOX)
    assert len(built["fixed_number"]) == 5 * 30  # 5 pre cells for each of 30 post cells
    assert all(i != j for i, j, _, _ in built["fixed_number_replacement"])
    for name in PHILOX:
        pairs = [c[:2] for c in built[name]]
        assert pairs == sorted(pairs, key=lambda ij: (ij[1], ij[0]))
        assert serial["len"][name] == serial["size"][name] == serial["core"][name] == len(pairs)


def test_gathered_connections_and_values_are_those_of_one_process(runs):
    serial = runs[1][0][0]
    for rank in parallel_ranks(runs):
        for name in PHILOX:
            assert rank["built"][name] == serial["built"][name], (rank["num_processes"], name)
            assert rank["size"][name] == serial["size"][name]


def test_each_process_holds_only_the_connections_onto_its_cells(runs):
    serial = runs[1][0][0]
    for processes in (2, 3):
        ranks = runs[processes][0]
        for name in PHILOX:
            assert sum(r["len"][name] for r in ranks) == serial["size"][name]
        for rank in ranks:
            # NEURON deals cells out round-robin by ID; post's IDs start after pre's 40
            assert rank["local_posts"] == [k for k in range(30)
                                           if (40 + k) % processes == rank["rank"]]
            for name in PHILOX:
                mine = [c for c in serial["built"][name] if c[1] in rank["local_posts"]]
                assert rank["len"][name] == len(mine) > 0
                assert rank["core"][name] == rank["len"][name] < serial["size"][name]
                assert rank["local"][name] == mine
                assert rank["iterated"][name] == [tuple(c) for c in mine]


def test_set_random_and_connection_order_values_as_with_one_process(runs):
    serial = runs[1][0][0]
    weights = [w for _, _, w in serial["set_random"]]
    assert len(set(weights)) == len(weights) and 0.002 <= min(weights) < max(weights) <= 0.004
    assert [w for _, _, w in serial["set_list"]] == pytest.approx(np.linspace(0.1, 0.2, 150))
    for rank in parallel_ranks(runs):
        assert rank["set_random"] == serial["set_random"]
        assert rank["set_list"] == serial["set_list"]


def test_clone_of_a_local_only_projection_is_complete(runs):
    serial = runs[1][0][0]
    assert [c[:2] for c in serial["clone"]] == [c[:2] for c in serial["built"][
        "fixed_probability"]]
    assert {c[3] for c in serial["clone"]} == {2.5}
    for rank in parallel_ranks(runs):
        assert rank["clone"] == serial["clone"]


def test_weight_recorder_addresses_delays_and_saved_file_agree(runs):
    serial = runs[1][0][0]
    i, j, weights = serial["recorded"]
    assert list(zip(i, j)) == [c[:2] for c in serial["built"]["distance"]]
    assert weights.shape == (3, len(i)) and np.all(weights == 0.005)  # at t = 0, 1, 2 ms
    assert serial["delays"] == (0.8, 3.0)  # 'auto': the extremes of uniform(0.8, 3.0) delays
    saved = np.loadtxt(runs[1][1] / "fixed_probability.txt")
    assert saved.shape == (serial["size"]["fixed_probability"], 4)
    for processes in (2, 3):
        ranks, directory = runs[processes]
        assert np.array_equal(np.loadtxt(directory / "fixed_probability.txt"), saved)
        for rank in ranks:
            assert rank["delays"] == serial["delays"]
            for mine, theirs in zip(rank["recorded"], serial["recorded"]):
                assert np.array_equal(mine, theirs)
