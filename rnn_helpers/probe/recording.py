"""Recording every step of every layer of a torch RNN, LSTM or GRU (and of a ``CharLM`` reading a text)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_callable, check_choice, check_int, describe


@dataclass
class Recording:
    """Everything a recurrent module computed at every step, as numpy float64 arrays, batch first.

    Attributes (L layers, D directions, B batch, T time, H hidden units):
        kind: ``"rnn"``, ``"lstm"`` or ``"gru"``.
        hidden: ``hidden[layer][direction]`` (B, T, H), the state h_t after reading step t. The backward
            direction (``direction=1``) is indexed by time t too: it has read steps T-1 down to t.
        cells: ``cells[layer][direction]`` (B, T, H), the LSTM's c_t; ``None`` for an RNN or a GRU.
        gates: ``gates[layer][direction]`` a dict gate name -> (B, T, H): LSTM ``i f g o``, GRU ``r z n``,
            empty for an RNN. i, f, o, r, z are after their sigmoid (in (0, 1)); g and n after their tanh.
        h_n: (L·D, B, H), the final states in torch's layout (what the module returns as ``h_n``).
        c_n: (L·D, B, H) for an LSTM, else ``None``.
        text: the text that was read, or the list of B texts (``record_text`` only), else ``None``.

    What ``record`` and ``record_text`` return. Introduced in 09_hidden_state_lab.ipynb.
    """

    kind: str
    hidden: list
    cells: list | None
    gates: list
    h_n: np.ndarray
    c_n: np.ndarray | None
    text: str | list | None = None

    @property
    def num_layers(self) -> int:
        return len(self.hidden)

    @property
    def num_directions(self) -> int:
        return len(self.hidden[0])

    @property
    def hidden_size(self) -> int:
        return self.hidden[0][0].shape[2]

    @property
    def output(self) -> np.ndarray:
        """The module's output: the last layer's states, directions side by side, (B, T, D·H)."""
        return np.concatenate(self.hidden[-1], axis=2)

    def names(self) -> list[str]:
        """What ``select`` can return: ``"hidden"``, ``"cell"`` (LSTM) and the gate names."""
        return ["hidden"] + (["cell"] if self.cells is not None else []) + list(self.gates[0][0])

    def select(self, what: str = "hidden", layer: int = -1, *, direction: int = 0, batch: int | None = None):
        """``what`` (see ``names``) in one layer and direction, time by unit: what the views and ``find_units``
        take. ``batch=b`` gives sequence b, (T, H); ``batch=None`` gives every sequence, one after another,
        (B·T, H) (for one sequence the same as ``batch=0``). ``layer=-1`` is the top layer.
        """
        check_choice("what", what, self.names())
        L, D, B = self.num_layers, self.num_directions, self.hidden[0][0].shape[0]
        layer = check_int("layer", layer, low=-L, high=L - 1) % L
        direction = check_int("direction", direction, low=0, high=D - 1)
        if what == "hidden":
            values = self.hidden[layer][direction]
        elif what == "cell":
            values = self.cells[layer][direction]
        else:
            values = self.gates[layer][direction][what]
        if batch is None:
            return values.reshape(-1, values.shape[2])  # (B, T, H) -> (B·T, H)
        return values[check_int("batch", batch, low=0, high=B - 1)]

    def feature(self, function) -> np.ndarray:
        """A feature (a function text -> (T,) values, e.g. ``in_string``) of the recorded text, laid out like
        ``select(batch=None)``: (B·T,), each text's values one after another. Needs ``record_text``."""
        check_callable("function", function)
        if self.text is None:
            raise ValueError("this recording has no text: record it with probe.record_text(model, vocab, text)")
        texts = [self.text] if isinstance(self.text, str) else self.text
        return np.concatenate([np.asarray(function(t), dtype=np.float64) for t in texts])


def _as_float64_input(x, input_size: int) -> np.ndarray:
    """x (B, T, I) as a float64 numpy array; a tensor is detached and copied."""
    if hasattr(x, "detach") and not isinstance(x, np.ndarray):
        x = x.detach().cpu().double().numpy()
    if not isinstance(x, np.ndarray):
        raise TypeError(f"x must be a numpy array or a torch tensor of shape (B, T, {input_size}), got {describe(x)}")
    if x.ndim == 2 and x.shape[1] == input_size:
        raise ValueError(
            f"x must have shape (B, T, {input_size}) (batch, time, features), got {x.shape}; "
            "for a single sequence pass x[None]"
        )
    if x.ndim != 3 or x.shape[2] != input_size or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (B, T, {input_size}) with B, T >= 1, got {x.shape}")
    return np.asarray(x, dtype=np.float64)


def _initial_states(module, state, B: int) -> list:
    """Torch-layout initial state -> one scratch state per (layer, direction), or None (zeros)."""
    n, H = module.num_layers * (2 if module.bidirectional else 1), module.hidden_size
    if state is None:
        return [None] * n
    is_lstm = isinstance(module, _torch_nn().LSTM)
    parts = state if is_lstm else (state,)
    if is_lstm and (not isinstance(state, tuple | list) or len(state) != 2):
        raise TypeError(f"an LSTM's state must be a tuple (h0, c0), each ({n}, B, H), got {describe(state)}")
    arrays = []
    for name, p in zip(("h0", "c0"), parts, strict=False):
        if hasattr(p, "detach") and not isinstance(p, np.ndarray):
            p = p.detach().cpu().double().numpy()
        if not isinstance(p, np.ndarray) or p.shape != (n, B, H):
            raise ValueError(
                f"{name} must have torch's layout (layers·directions, B, H) = {(n, B, H)}, got {describe(p)}"
            )
        arrays.append(np.asarray(p, dtype=np.float64))
    return [tuple(a[k] for a in arrays) if is_lstm else arrays[0][k] for k in range(n)]


def _torch_nn():
    import torch

    return torch.nn


def record(module, x, state=None) -> Recording:
    """Run a batch-first ``torch.nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` on ``x`` and keep every step.

    Each layer and direction is recomputed in float64 by the from-scratch cells of ``rnn_helpers.scratch``
    from the module's own weights (``scratch.LSTM.from_torch(module, layer=k, reverse=...)``), so the
    recorded states equal what torch computes (to float rounding) and the gates are exact. Layer k > 0 reads
    the previous layer's output (directions side by side), as torch does. Dropout between layers is left
    out, as in ``module.eval()``.

    Args:
        module: the recurrent layer, e.g. ``model.rnn`` of a ``models.CharLM`` or ``models.SequenceModel``.
            It must be built with ``batch_first=True`` and without ``proj_size``.
        x: (B, T, I) numpy array or tensor, the module's input.
        state: ``None`` (zeros) or the initial state in torch's layout: h0 of shape (L·D, B, H), or
            (h0, c0) for an LSTM.

    Returns:
        A ``Recording``. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers import scratch

    nn = _torch_nn()
    if not isinstance(module, nn.RNN | nn.LSTM | nn.GRU):
        raise TypeError(
            f"module must be a torch.nn.RNN, nn.LSTM or nn.GRU (e.g. model.rnn), got {describe(module)}"
        )
    if not module.batch_first:
        raise ValueError(
            "module must be built with batch_first=True (the course's convention), got batch_first=False"
        )
    kind = next(name for name in ("RNN", "LSTM", "GRU") if isinstance(module, getattr(nn, name)))
    layer_class = getattr(scratch, kind)  # scratch.RNN, scratch.LSTM or scratch.GRU
    x = _as_float64_input(x, module.input_size)
    D = 2 if module.bidirectional else 1
    initial = _initial_states(module, state, x.shape[0])
    hidden, cells, gates, finals = [], [], [], []
    inputs = x  # (B, T, I), then (B, T, D·H)
    for k in range(module.num_layers):
        hidden.append([])
        cells.append([])
        gates.append([])
        for d in range(D):
            cell = layer_class.from_torch(module, layer=k, reverse=d == 1)
            out, final = cell.forward(inputs, initial[k * D + d])  # out (B, T, H)
            hidden[k].append(out)
            cells[k].append(getattr(cell, "cells", None))
            gates[k].append(dict(cell.gates))
            finals.append(final if isinstance(final, tuple) else (final,))
        inputs = np.concatenate(hidden[k], axis=2)  # (B, T, D·H)
    is_lstm = kind == "LSTM"
    h_n = np.stack([f[0] for f in finals])  # (L·D, B, H)
    c_n = np.stack([f[1] for f in finals]) if is_lstm else None
    return Recording(kind.lower(), hidden, cells if is_lstm else None, gates, h_n, c_n)


def one_hot(ids, vocab_size: int) -> np.ndarray:
    """Ids (T,) -> one-hot float64 (1, T, V): the input a ``models.CharLM`` feeds its recurrent layer.

    Introduced in 09_hidden_state_lab.ipynb."""
    vocab_size = check_int("vocab_size", vocab_size, low=1)
    ids = np.asarray(ids.detach().cpu() if hasattr(ids, "detach") else ids)
    integers = ids.ndim == 1 and np.issubdtype(ids.dtype, np.integer)
    if not integers or (ids.size and (ids.min() < 0 or ids.max() >= vocab_size)):
        raise ValueError(f"ids must be a 1-D array of integers in [0, {vocab_size - 1}], got {describe(ids)}")
    x = np.zeros((1, len(ids), vocab_size))  # (1, T, V)
    x[0, np.arange(len(ids)), ids] = 1.0
    return x


def record_text(model, vocab, text) -> Recording:
    """Read ``text`` through a ``models.CharLM`` (from a zero state) and record every step of its ``rnn``.

    ``text``: a string, or a list of B strings of one length T, read side by side as a batch (a cheap way to
    record many stretches of a long text: the cost is that of one stretch). Characters the vocabulary lacks
    read as its ``unk_token``. The recording keeps ``text``, so the views can print one character per step
    and ``Recording.feature`` can compute features. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers.datasets import Vocabulary
    from rnn_helpers.models import CharLM

    if not isinstance(model, CharLM):
        raise TypeError(f"model must be a models.CharLM, got {describe(model)}")
    if not isinstance(vocab, Vocabulary) or len(vocab) != model.vocab_size:
        raise ValueError(
            f"vocab must be the model's Vocabulary ({model.vocab_size} tokens), got {describe(vocab)}"
        )
    texts = [text] if isinstance(text, str) else text
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t for t in texts):
        raise ValueError(f"text must be a non-empty string or a list of them, got {describe(text)}")
    if len({len(t) for t in texts}) != 1:
        raise ValueError(f"the texts of a batch must have one length, got lengths {sorted({len(t) for t in texts})}")
    x = np.concatenate([one_hot(vocab.encode(t), model.vocab_size) for t in texts])  # (B, T, V)
    rec = record(model.rnn, x)
    rec.text = text
    return rec
