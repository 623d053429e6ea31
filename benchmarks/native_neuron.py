"""The benchmark network's cell written directly with neuron.h (pynnlike's compiled PnlLIF and
PnlCurrExp mechanisms on a one-compartment section), and one connection as
object-per-connection code keeps it: what the NEURON benchmarks compare pynnlike with."""
import numpy as np
from neuron import h

from network import CELL


def lif_cell(pc, gid, rank=0):
    """(section, membrane, excitatory synapse, inhibitory synapse) of cell `gid`, registered
    with ParallelContext `pc` on `rank`."""
    section = h.Section(name=f"n{gid}")
    section.L, section.diam, section.cm = 100.0, 1000.0 / np.pi, CELL["cm"]
    section.insert("pas")
    segment = section(0.5)
    segment.pas.g, segment.pas.e = 1e-3 * CELL["cm"] / CELL["tau_m"], CELL["v_rest"]
    membrane = h.PnlLIF(segment)
    membrane.vthresh, membrane.vreset = CELL["v_thresh"], CELL["v_reset"]
    membrane.trefrac, membrane.ioff = CELL["tau_refrac"], CELL["i_offset"]
    synapses = []
    for tau in (CELL["tau_syn_E"], CELL["tau_syn_I"]):
        synapse = h.PnlCurrExp(segment)
        synapse.tau = tau
        synapses.append(synapse)
    pc.set_gid2node(gid, rank)
    pc.cell(gid, h.NetCon(membrane, None))
    return section, membrane, synapses[0], synapses[1]


class Connection:
    """One connection as object-per-connection code keeps it."""

    def __init__(self, pc, pre, target, weight, delay):
        self.pre, self.target = pre, target
        self.netcon = pc.gid_connect(pre, target)
        self.netcon.weight[0] = weight
        self.netcon.delay = delay
