COMMENT
Spike source: emits a spike for every event of positive weight it receives (the driver queues
one event per spike time; a zero weight cancels the events of a replaced train).
ENDCOMMENT
NEURON { ARTIFICIAL_CELL PnlSpikeSource }
NET_RECEIVE (w) { if (w > 0) { net_event(t) } }
