"""rnn_helpers: the helper package of *Recurrent Neural Networks, an interactive course*.

One job per module, in course order; docs/DESIGN.md gives the layers, what each module may import and the
conventions every module follows:

- ``rnn_helpers.setup_notebook`` (in ``rnn_helpers.environment``): seeds, threads, plot style, device (every
  notebook's first code cell)
- ``rnn_helpers.tasks``: synthetic sequence tasks from the literature
- ``rnn_helpers.datasets``: real data sets shipped in data/ and in installed packages
- ``rnn_helpers.scratch``: from-scratch numpy RNN, LSTM and GRU with hand-written BPTT
- ``rnn_helpers.gradcheck``: finite-difference gradients
- ``rnn_helpers.gradients``: Jacobian products and gradient flow (chapter 04)
- ``rnn_helpers.history``: perceptron, Hopfield network, Elman and Jordan networks, RTRL (chapter 02)
- ``rnn_helpers.attention``: from-scratch self-attention and cost formulas (chapter 08)
- ``rnn_helpers.probe``: record hidden states and gates of a trained torch RNN (chapter 09)
- ``rnn_helpers.dates``: dates written out in many languages (babel/CLDR), the translation task of chapter 10
- ``rnn_helpers.seq2seq``: the encoder-decoder with and without attention, greedy and beam decoding (chapter 10)
- ``rnn_helpers.cross_attention``: additive and dot-product attention from scratch in numpy (chapter 10)
- ``rnn_helpers.models``: small torch models used across the notebooks (a package, one module per kind)
- ``rnn_helpers.training``: the one training loop of the course
- ``rnn_helpers.viz`` and ``rnn_helpers.widgets``: plots and interactive explorers (packages, one module
  per topic)
- ``rnn_helpers.exercises``: auto-checked exercises, one module per notebook
- ``rnn_helpers._checks``: the argument checks every module shares

Submodules are imported on demand (``from rnn_helpers import tasks``) so that importing the package is cheap.
"""

from rnn_helpers.environment import setup_notebook

__all__ = ["setup_notebook"]
__version__ = "0.1.0"
