COMMENT
One side of a gap junction: the current g (v - vgap) leaves this cell, vgap being the other
cell's v (a ParallelContext target_var, so the other cell may live on another MPI process).
ENDCOMMENT
NEURON {
    POINT_PROCESS PnlGap
    RANGE g, vgap
    NONSPECIFIC_CURRENT i
}
UNITS { (nA) = (nanoamp) (mV) = (millivolt) (uS) = (microsiemens) }
PARAMETER { g = 0 (uS) }
ASSIGNED { v (mV) vgap (mV) i (nA) }
BREAKPOINT { i = g * (v - vgap) }
