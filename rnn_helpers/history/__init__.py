"""A runnable history of recurrent networks: the models of chapter 02, each small enough to run in seconds.

- ``Perceptron``: Rosenblatt's (1958) threshold unit and its error-correction rule; the XOR failure that
  Minsky & Papert (1969) made famous.
- ``HopfieldNetwork``, ``hebbian_weights``, ``capacity_sweep``: Hopfield's (1982) associative memory, its
  Hebbian storage, asynchronous and synchronous recall, and its capacity of about 0.14 N patterns.
- ``ElmanNetwork`` and ``JordanNetwork``: the simple recurrent networks of Jordan (1986) and Elman (1990),
  trained the way they were: online, one bit at a time, with the error propagated back one step only.
- ``rtrl_gradients``: real-time recurrent learning (Williams & Zipser 1989), forward-mode gradients of a
  ``scratch.RNN`` that equal backpropagation through time.
- ``MILESTONES``, ``ERAS``, ``EraResult``: the timeline the notebook's widget walks through.

Everything is numpy (the RTRL check reads a ``rnn_helpers.scratch.RNN``). Shapes: B batch (or probes),
T time, N units of a Hopfield network, P stored patterns, I inputs, H hidden units, O outputs.

Introduced in 02_history.ipynb.

One module per concept, in course order; every public name is re-exported here, so ``from rnn_helpers import
history; history.x`` works wherever x lives (docs/DESIGN.md):

- ``history.perceptron``: Rosenblatt's perceptron (1958) and the Boolean functions it can and cannot learn (chapter
  02).
- ``history.hopfield``: Hopfield's associative memory (1982): Hebbian storage, recall, capacity (chapter 02).
- ``history.simple_recurrent``: The simple recurrent networks of Jordan (1986) and Elman (1990), trained online
  (chapter 02).
- ``history.rtrl``: Real-time recurrent learning (Williams & Zipser 1989) and what it costs against BPTT (chapter
  02).
- ``history.timeline``: The timeline of recurrent networks that the history explorer walks through (chapter 02).
"""

from rnn_helpers.history.hopfield import (
    CapacityResult,
    HopfieldNetwork,
    RecallResult,
    capacity_sweep,
    corrupt,
    crossing_load,
    hebbian_weights,
    hopfield_error_probability,
)
from rnn_helpers.history.perceptron import BOOLEAN_FUNCTIONS, Perceptron, PerceptronFit, boolean_dataset
from rnn_helpers.history.rtrl import learning_costs, rtrl_gradients
from rnn_helpers.history.simple_recurrent import ElmanNetwork, JordanNetwork, error_by_phase
from rnn_helpers.history.timeline import ERA_ELSEWHERE, ERAS, MILESTONES, EraResult, Milestone

__all__ = [
    "BOOLEAN_FUNCTIONS",
    "boolean_dataset",
    "PerceptronFit",
    "Perceptron",
    "hebbian_weights",
    "RecallResult",
    "HopfieldNetwork",
    "corrupt",
    "CapacityResult",
    "capacity_sweep",
    "crossing_load",
    "hopfield_error_probability",
    "ElmanNetwork",
    "JordanNetwork",
    "error_by_phase",
    "rtrl_gradients",
    "learning_costs",
    "Milestone",
    "ERAS",
    "MILESTONES",
    "EraResult",
    "ERA_ELSEWHERE",
]
