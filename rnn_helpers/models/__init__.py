"""Small torch models used across the notebooks, one module per kind, re-exported here
(``from rnn_helpers import models; models.CharLM(...)``):

- ``models.base``: the recurrent layers by name (``make_rnn``), ``count_parameters``, ``eval_mode``
- ``models.sequence``: ``SequenceModel`` (a recurrent layer and a read-out) and what is measured on it
- ``models.language``: ``CharLM``, the character language model, and sampling from it
- ``models.lstm_variants``: ``LSTMVariants`` and ``VariantRegressor``, Greff et al.'s variants side by side (chapter 05)
- ``models.transformer``: ``TransformerBlock`` and ``TinyTransformer`` (chapter 08)

Introduced in 00_start_here.ipynb (the sequence regressor) and 03_vanilla_rnn.ipynb (the language model).
"""

from rnn_helpers.models.base import CELLS, count_parameters, eval_mode, make_rnn
from rnn_helpers.models.language import CharLM, char_lm_trace, sample_chars, sample_rereading
from rnn_helpers.models.lstm_variants import VARIANTS, LSTMVariants, VariantRegressor
from rnn_helpers.models.sequence import SequenceModel, causal_outputs, input_gradient_norms, set_forget_bias
from rnn_helpers.models.transformer import TinyTransformer, TransformerBlock

__all__ = [
    "CELLS",
    "make_rnn",
    "count_parameters",
    "eval_mode",
    "SequenceModel",
    "set_forget_bias",
    "CharLM",
    "sample_chars",
    "char_lm_trace",
    "sample_rereading",
    "causal_outputs",
    "TransformerBlock",
    "TinyTransformer",
    "input_gradient_norms",
    "VARIANTS",
    "LSTMVariants",
    "VariantRegressor",
]
