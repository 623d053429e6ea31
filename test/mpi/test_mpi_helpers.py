"""pynnlike.mpi's merging rules, with the ranks' pieces handed over directly (one process), and
the NEURON driver's discovery of the pip-installed MPI library."""
import os
import sys

import numpy as np

from pynnlike import mpi


def two_ranks(monkeypatch, other):
    """allgather as if rank 1 contributed `other(obj)` next to this process's obj."""
    monkeypatch.setattr(mpi, "allgather", lambda obj: [obj, other(obj)])


def test_one_process_gets_its_own_data_back():
    values = np.arange(4.0)
    assert mpi.allgather("x") == ["x"] and mpi.allsum(3) == 3
    assert mpi.merge_local(values, np.array([True, False, True, False])) is values
    assert mpi.gather_dict({"a": 1}) == {"a": 1}


def test_merge_local_takes_each_value_from_its_owner(monkeypatch):
    local = np.array([True, False, True, False])
    two_ranks(monkeypatch, lambda obj: (np.array([1, 3]), np.array([-1.0, -3.0])))
    merged = mpi.merge_local(np.array([10.0, 11.0, 12.0, 13.0]), local)
    assert merged.tolist() == [10.0, -1.0, 12.0, -3.0]


def test_gather_sorted_restores_the_connection_order(monkeypatch):
    # rank 0 holds the connections onto posts 0 and 2, rank 1 those onto posts 1 and 3
    mine = [np.array([4, 7, 1]), np.array([0, 0, 2]), np.array([0.1, 0.2, 0.3])]
    two_ranks(monkeypatch, lambda obj: [np.array([2, 5, 0]), np.array([1, 3, 3]),
                                        np.array([0.4, 0.5, 0.6])])
    i, j, w = mpi.gather_sorted(mine, key=1)
    assert j.tolist() == [0, 0, 1, 2, 3, 3]
    assert i.tolist() == [4, 7, 2, 1, 5, 0]  # within a post cell: its rank's order
    assert w.tolist() == [0.1, 0.2, 0.4, 0.3, 0.5, 0.6]


def test_gather_dict_concatenates_or_merges(monkeypatch):
    two_ranks(monkeypatch, lambda obj: {"spikes": [3.0], "only1": [9]})
    assert {k: v.tolist() for k, v in mpi.gather_dict({"spikes": [1.0, 2.0]}).items()} == \
        {"spikes": [1.0, 2.0, 3.0], "only1": [9]}
    assert mpi.gather_dict({"spikes": [1.0]}, all_values=False) == {"spikes": [3.0],
                                                                     "only1": [9]}


def test_allsum_adds_every_rank(monkeypatch):
    two_ranks(monkeypatch, lambda obj: 5)
    assert mpi.allsum(2) == mpi.mpi_sum(2) == 7


def test_neuron_finds_the_mpi_library_of_the_environment():
    from pynnlike.backends.neuron.parallel import mpi_library
    path = mpi_library()
    assert os.path.isfile(path) and os.path.basename(path).startswith("libmpi")
    assert path.startswith(sys.prefix)  # the mpich wheel's, no system MPI needed
