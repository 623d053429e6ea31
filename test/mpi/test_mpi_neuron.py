"""pynnlike.neuron under `mpiexec -n 2` and `-n 4` (the venv's MPICH): scripts/network.py run
with 1, 2 and 4 processes gives the same network and the same spikes, and gathered results are
complete and identical on every rank (API.md §12)."""
import os
import pickle
import subprocess
import sys
from pathlib import Path

import neo
import numpy as np
import pytest

SCRIPT = Path(__file__).parent / "scripts" / "network.py"
MPIEXEC = Path(sys.executable).parent / "mpiexec"
# 4 processes on 2 cores: a rank waiting for the others yields its core instead of spinning
ENV = {**os.environ, "MPIR_CVAR_ENABLE_HEAVY_YIELD": "1"}
N_EXC, N_CELLS = 30, 40


def launch(processes, *arguments, cwd=None):
    command = [sys.executable, *map(str, arguments)]
    if processes > 1:
        command = [str(MPIEXEC), "-n", str(processes)] + command
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=ENV,
                          cwd=cwd)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """{processes: (output directory, [what each rank saw])}"""
    out = {}
    for processes in (1, 2, 4):
        directory = tmp_path_factory.mktemp(f"np{processes}")
        done = launch(processes, SCRIPT, "neuron", directory, cwd=directory)
        assert done.returncode == 0, done.stderr[-3000:]
        out[processes] = directory, [pickle.load(open(directory / f"rank{r}.pkl", "rb"))
                                     for r in range(processes)]
    return out


def same(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
    return a == b


def test_every_rank_knows_its_place(runs):
    for processes, (_, ranks) in runs.items():
        assert [r["rank"] for r in ranks] == list(range(processes))
        assert {r["num_processes"] for r in ranks} == {processes}


def test_spikes_and_signals_are_identical_for_1_2_and_4_processes(runs):
    serial = runs[1][1][0]
    assert len(serial["spikes"]) == 2  # one segment before reset(), one after
    assert [sum(map(len, s.values())) > 5 for s in serial["spikes"]] == [True, True]
    assert sum(map(len, serial["noise"][0].values())) > 50
    for processes in (2, 4):
        for rank in runs[processes][1]:
            for key in ("spikes", "noise", "signals", "spike_counts"):
                assert same(rank[key], serial[key]), (processes, rank["rank"], key)


def test_gathered_data_hold_every_cell_on_every_rank(runs):
    for _, ranks in runs.values():
        for rank in ranks:
            first, second = rank["spikes"]
            assert sorted(first) == sorted(second) == list(range(N_CELLS))
            ids, v = rank["signals"][0]["v"]
            assert ids == [0, 1, 2, 5, 31, 32] and v.shape == (1001, 6)
            assert np.isnan(v[:600, 4:]).all() and not np.isnan(v[600:, 4:]).any()
            assert not np.isnan(v[:, :4]).any()


def test_local_data_are_the_cells_of_the_rank_round_robin_by_id(runs):
    for processes, (_, ranks) in runs.items():
        for rank in ranks:
            r = rank["rank"]
            assert rank["local_ids"] == list(range(r, N_EXC, processes))
            assert all(sorted(s) == rank["local_ids"] for s in rank["local_spikes"])
            assert same(rank["local_spikes"][1], {i: rank["spikes"][1][i]
                                                  for i in rank["local_ids"]})


def test_mean_spike_count_and_parameters_are_complete_on_every_rank(runs):
    serial = runs[1][1][0]
    assert 0 < serial["first_counts"] and 0 < serial["mean_spike_count"]
    assert len(np.unique(serial["tau_m"])) == N_EXC  # drawn values, one per cell
    for processes in (2, 4):
        for rank in runs[processes][1]:
            for key in ("first_counts", "mean_spike_count", "tau_m"):
                assert same(rank[key], serial[key])
            assert same(rank["tau_m_local"], serial["tau_m"][rank["local_ids"]])


def test_projection_get_gathers_every_connection(runs):
    serial = runs[1][1][0]
    assert serial["size"] == serial["len"] == serial["iterated"] == len(serial["weights"]) > 100
    pairs = [w[:2] for w in serial["weights"]]
    assert pairs == sorted(pairs, key=lambda ij: (ij[1], ij[0]))  # by post, then pre cell
    for processes in (2, 4):
        ranks = runs[processes][1]
        assert sum(r["len"] for r in ranks) == serial["size"]
        local = sorted(w for r in ranks for w in r["local_weights"])
        assert local == sorted(serial["weights"])
        for rank in ranks:
            assert rank["size"] == serial["size"] and rank["iterated"] == rank["len"]
            assert same(rank["weights"], serial["weights"])
            assert same(rank["delays"], serial["delays"])
            assert {w[1] % processes for w in rank["local_weights"]} == {rank["rank"]}


def test_files_are_written_once_or_once_per_rank(runs):
    for processes, (directory, ranks) in runs.items():
        local = [f"exc_local.pkl.{r}" for r in range(processes)] if processes > 1 \
            else ["exc_local.pkl"]
        expected = {"exc.pkl", "exc_prj.txt", "positions.txt", *local,
                    *[f"rank{r}.pkl" for r in range(processes)]}
        assert set(os.listdir(directory)) == expected
        block = neo.io.PickleIO(str(directory / "exc.pkl")).read_block()
        trains = {int(st.annotations["channel_id"]): st.magnitude.tolist()
                  for st in block.segments[1].spiketrains}
        assert same(trains, {i: ranks[0]["spikes"][1][i] for i in range(N_EXC)})
        saved = np.loadtxt(directory / "exc_prj.txt")
        assert saved.shape == (len(ranks[0]["delays"][0][~np.isnan(ranks[0]["delays"][0])]), 4)
        assert np.loadtxt(directory / "positions.txt").shape == (N_EXC, 4)
        if processes > 1:
            for r in range(processes):
                part = neo.io.PickleIO(str(directory / f"exc_local.pkl.{r}")).read_block()
                ids = sorted(int(st.annotations["channel_id"])
                             for st in part.segments[0].spiketrains)
                assert ids == list(range(r, N_EXC, processes))


def test_recording_helpers_merge_the_ranks(runs):
    for processes, (_, ranks) in runs.items():
        for rank in ranks:
            assert list(rank["gather_dict"]["ranks"]) == list(range(processes))
            assert rank["mpi_sum"] == processes * (processes + 1) // 2
            assert same(rank["gather_blocks"], [{i: s[i] for i in range(N_EXC)}
                                                for s in rank["spikes"]])
            ids, v = rank["gather_blocks_signals"][0]["v"]
            assert ids == [0, 1, 2, 5] and same(v, rank["signals"][0]["v"][1][:, :4])


def test_nest_without_mpi_says_so_under_mpiexec():
    done = launch(2, "-c", "import pynnlike.nest")
    assert done.returncode != 0
    assert "NEST" in done.stderr and "without MPI" in done.stderr and "threads" in done.stderr


def test_brian2_runs_one_independent_process_per_rank():
    done = launch(2, "-c", "import pynnlike.brian2 as sim; sim.setup(); "
                           "print(sim.rank(), sim.num_processes())")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", "1", "0", "1"]


def test_neuron_under_mpiexec_without_mpi4py_asks_for_it():
    done = launch(1, "-c", "import sys; sys.modules['mpi4py'] = None; import pynnlike.neuron")
    assert done.returncode == 0  # one process: no MPI needed
    done = subprocess.run([sys.executable, "-c", "import sys; sys.modules['mpi4py'] = None; "
                           "import pynnlike.neuron"], capture_output=True, text=True,
                          env={**ENV, "PMI_SIZE": "2"}, timeout=120)
    assert done.returncode != 0 and "pynnlike[mpi]" in done.stderr
