"""Look inside a trained recurrent network: record its hidden states, cell states and gates, step by step.

``record(module, x)`` records any batch-first ``torch.nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` (every layer, both
directions), keeping what torch does not return: the state of *every* step of *every* layer, the cell states
(LSTM) and the gate activations (LSTM, GRU). Torch itself runs each layer and direction (so the states are
the module's own), the gates of all steps come from two bulk matrix products, the cells from a chunked scan;
long inputs are read in chunks with the state carried, and ``path=`` writes the arrays to ``.npy`` memory maps
(``load_recording`` opens them again, lazily). The result is a ``Recording``::

    rec = probe.record(model.rnn, x)          # x (B, T, I) numpy or tensor
    rec.hidden[layer][direction]              # (B, T, H): h_t of that layer and direction
    rec.cells[layer][direction]               # (B, T, H): c_t (LSTM only; None otherwise)
    rec.gates[layer][direction]["f"]          # (B, T, H): the forget gate f_t (LSTM: i f g o; GRU: r z n)
    rec.output                                # (B, T, D·H): what the module returns as its output

``direction`` is 0 (forward) or 1 (backward, bidirectional modules only); the backward direction's arrays are
indexed by time t like the forward one's, as torch's output is.

``record(model, inputs)`` on any other ``nn.Module`` runs it once with forward hooks on every recurrent
layer inside (an encoder, a decoder, ...) and returns a ``ModelRecording``, a dict layer name -> ``Recording``.

For language models, ``record_text(model, vocab, text)`` reads a string (a million characters is fine) or a
batch of equal-length strings through a ``models.CharLM``. Then
``find_units`` ranks units by their correlation with a feature of the text: a function text -> one number
per character, such as ``in_string``, ``bracket_depth``, ``column``, ``indentation`` or ``is_vowel``.

``pattern_query(rec, span, threshold)`` selects a span of the recorded text (positions, or a regular
expression), finds the units on through it and off just before and after it, ranks them, and lists every run
of the text where the same set of units is on (``select_units``, ``match_units`` on plain arrays).

``load_pretrained()`` loads the two-layer character LSTM trained on Python source that ships in data/
(made by tools/train_pretrained.py); ``load_charlm`` / ``save_charlm`` read and write a learner's own.

Shapes: B batch, T time, I input features, H hidden units, L layers, D directions (1 or 2).

Introduced in 09_hidden_state_lab.ipynb.

One module per concept, in course order; every public name is re-exported here, so ``from rnn_helpers import probe;
probe.x`` works wherever x lives (docs/DESIGN.md):

- ``probe.files``: The pretrained character model shipped in data/, and saving and loading a ``CharLM`` with its
  vocabulary.
- ``probe.engine``: The fast, exact recorder behind ``record`` and ``record_text`` (chunks, bulk gates, cell scan).
- ``probe.recording``: Recording every step of every layer of a torch RNN, LSTM or GRU, of any model holding them
  (forward hooks), and of a ``CharLM`` reading a text; recordings on disk.
- ``probe.features``: Features of a text: one number per character, aligned with the state after reading that
  character.
- ``probe.units``: Finding units: correlation with a feature, principal components, gate saturation.
- ``probe.patterns``: The pattern query (select and match, after LSTMVis): the units on through a selected span
  and off just before and after it, and everywhere else the same set turns on.
"""

from rnn_helpers.probe.engine import open_arrays, record_arrays, recurrent_kind, scan_cells
from rnn_helpers.probe.features import FEATURES, bracket_depth, column, in_comment, in_string, indentation, is_vowel
from rnn_helpers.probe.files import (
    FORMAT,
    PRETRAINED_FILE,
    CharLMBundle,
    load_charlm,
    load_pretrained,
    python_vocabulary,
    save_charlm,
)
from rnn_helpers.probe.patterns import (
    SIGMOID_GATES,
    PatternQuery,
    match_units,
    pattern_query,
    select_units,
    value_range,
)
from rnn_helpers.probe.recording import (
    ModelRecording,
    Recording,
    load_recording,
    one_hot,
    record,
    record_text,
    recurrent_layers,
)
from rnn_helpers.probe.units import (
    SATURATION_HIGH,
    SATURATION_LOW,
    correlations,
    find_units,
    gate_saturation,
    principal_components,
    saturation_by_layer,
)

__all__ = [
    "PRETRAINED_FILE",
    "FORMAT",
    "python_vocabulary",
    "save_charlm",
    "CharLMBundle",
    "load_charlm",
    "load_pretrained",
    "Recording",
    "record",
    "one_hot",
    "record_text",
    "load_recording",
    "ModelRecording",
    "recurrent_layers",
    "recurrent_kind",
    "scan_cells",
    "record_arrays",
    "open_arrays",
    "in_string",
    "in_comment",
    "bracket_depth",
    "column",
    "indentation",
    "is_vowel",
    "FEATURES",
    "correlations",
    "find_units",
    "principal_components",
    "SATURATION_LOW",
    "SATURATION_HIGH",
    "gate_saturation",
    "saturation_by_layer",
    "SIGMOID_GATES",
    "PatternQuery",
    "value_range",
    "select_units",
    "match_units",
    "pattern_query",
]
