"""Look inside a trained recurrent network: record its hidden states, cell states and gates, step by step.

``record(module, x)`` runs any batch-first ``torch.nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` (every layer, both
directions) through the from-scratch cells of ``rnn_helpers.scratch``, with the module's own weights, and
keeps what torch does not return: the state of *every* step of *every* layer, the cell states (LSTM) and the
gate activations (LSTM, GRU). The result is a ``Recording``::

    rec = probe.record(model.rnn, x)          # x (B, T, I) numpy or tensor
    rec.hidden[layer][direction]              # (B, T, H): h_t of that layer and direction
    rec.cells[layer][direction]               # (B, T, H): c_t (LSTM only; None otherwise)
    rec.gates[layer][direction]["f"]          # (B, T, H): the forget gate f_t (LSTM: i f g o; GRU: r z n)
    rec.output                                # (B, T, D·H): what the module returns as its output

``direction`` is 0 (forward) or 1 (backward, bidirectional modules only); the backward direction's arrays are
indexed by time t like the forward one's, as torch's output is.

For language models, ``record_text(model, vocab, text)`` reads a string (or a batch of equal-length strings)
through a ``models.CharLM``. Then
``find_units`` ranks units by their correlation with a feature of the text: a function text -> one number
per character, such as ``in_string``, ``bracket_depth``, ``column``, ``indentation`` or ``is_vowel``.

``load_pretrained()`` loads the two-layer character LSTM trained on Python source that ships in data/
(made by tools/train_pretrained.py); ``load_charlm`` / ``save_charlm`` read and write a learner's own.

Shapes: B batch, T time, I input features, H hidden units, L layers, D directions (1 or 2).

Introduced in 09_hidden_state_lab.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnn_helpers._checks import describe

# The pretrained model shipped in data/, its size in bytes and its SHA-256 (checked on every load) and the
# format tag that save_charlm writes and load_charlm expects.
PRETRAINED_FILE = "charlm_python_lstm.pt"
FORMAT = "rnn_helpers.charlm/1"


# ----------------------------------------------------------------------------------------------------------
# The character vocabulary of the pretrained model, and saving / loading a CharLM
# ----------------------------------------------------------------------------------------------------------


def python_vocabulary():
    """The 96 characters of the pretrained model: newline and printable ASCII (space to ``~``).

    Any other character (a tab, ``é``, ``–``) is read as ``?``, the vocabulary's ``unk_token``.
    Returns a ``datasets.Vocabulary``. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers.datasets import Vocabulary

    return Vocabulary(["\n", *map(chr, range(32, 127))], unk_token="?")


def save_charlm(model, vocab, path, *, info: dict | None = None) -> Path:
    """Save a ``models.CharLM`` and its vocabulary to ``path`` in a form ``torch.load(weights_only=True)``
    reads back: a dict of the tokens, the architecture, ``info`` (str/int/float values) and the state_dict.

    Returns the path. Introduced in 09_hidden_state_lab.ipynb.
    """
    import torch

    from rnn_helpers.datasets import Vocabulary
    from rnn_helpers.models import CharLM

    if not isinstance(model, CharLM):
        raise TypeError(f"model must be a models.CharLM, got {describe(model)}")
    if not isinstance(vocab, Vocabulary) or vocab.level != "char" or len(vocab) != model.vocab_size:
        raise ValueError(
            f"vocab must be a character Vocabulary with {model.vocab_size} tokens (the model's vocab_size), "
            f"got {describe(vocab)}"
        )
    info = dict(info or {})
    for key, value in info.items():
        if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, str | int | float):
            raise TypeError(f"info must map strings to str, int or float values, got {key!r}: {describe(value)}")
        # plain types only (torch.__version__ is a str subclass, np.float64 a float one): weights_only loads them
        info[key] = str(value) if isinstance(value, str) else int(value) if isinstance(value, int) else float(value)
    path = Path(path)
    rnn = model.rnn
    torch.save(
        {
            "format": FORMAT,
            "tokens": list(vocab.tokens),
            "unk_token": vocab.unk_token,
            "cell": type(rnn).__name__.lower(),
            "hidden_size": rnn.hidden_size,
            "num_layers": rnn.num_layers,
            "info": info,
            "state_dict": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()},
        },
        path,
    )
    return path


@dataclass
class CharLMBundle:
    """A character language model ready to probe: ``model`` (a ``models.CharLM`` in eval mode), its
    ``vocab`` (a ``datasets.Vocabulary``) and ``info`` (how it was trained: a dict of str/int/float).

    What ``load_pretrained`` and ``load_charlm`` return. Introduced in 09_hidden_state_lab.ipynb.
    """

    model: object
    vocab: object
    info: dict


def load_charlm(path) -> CharLMBundle:
    """Load a model saved by ``save_charlm`` with ``torch.load(path, weights_only=True)``.

    No checksum (the file is yours); ``load_pretrained`` checks the shipped one. Raises ``FileNotFoundError``
    for a missing file and ``ValueError`` for a file that is not a saved CharLM.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    import torch

    from rnn_helpers.datasets import Vocabulary
    from rnn_helpers.models import CharLM

    if not isinstance(path, str | Path):
        raise TypeError(f"path must be a str or a pathlib.Path, got {describe(path)}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no saved model at {path}")
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # a damaged zip, or not a torch file at all
        raise ValueError(f"{path} is not a model saved by probe.save_charlm ({type(err).__name__}: {err})") from err
    needed = {"format", "tokens", "unk_token", "cell", "hidden_size", "num_layers", "info", "state_dict"}
    if not isinstance(saved, dict) or saved.get("format") != FORMAT or not needed <= set(saved):
        raise ValueError(f"{path} is not a model saved by probe.save_charlm (format {FORMAT!r})")
    vocab = Vocabulary(saved["tokens"], unk_token=saved["unk_token"])
    model = CharLM(len(vocab), saved["hidden_size"], cell=saved["cell"], num_layers=saved["num_layers"])
    model.load_state_dict(saved["state_dict"])
    model.eval()
    return CharLMBundle(model, vocab, dict(saved["info"]))


def load_pretrained(data_dir=None) -> CharLMBundle:
    """The two-layer character LSTM (hidden size 128) trained on Python source, shipped in data/.

    Checks the file's size and SHA-256 first: a missing file raises ``FileNotFoundError`` and a damaged
    one ``datasets.DataFileError``, each naming the file and how to restore it. ``data_dir``: the folder
    holding it (default: the repository's data/). Made by tools/train_pretrained.py; data/README.md records
    the command, the seed, the steps and the validation loss. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers.datasets import default_data_dir, verify_data_file

    if data_dir is not None and not isinstance(data_dir, str | Path):
        raise TypeError(f"data_dir must be None, a str or a pathlib.Path, got {describe(data_dir)}")
    verify_data_file(PRETRAINED_FILE, data_dir)  # size and SHA-256, as for every file of data/
    path = (default_data_dir() if data_dir is None else Path(data_dir)) / PRETRAINED_FILE
    return load_charlm(path)


# ----------------------------------------------------------------------------------------------------------
# Recording every step of every layer
# ----------------------------------------------------------------------------------------------------------

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
        from rnn_helpers._checks import check_choice, check_int

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
        from rnn_helpers._checks import check_callable

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
    from rnn_helpers._checks import check_int

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


# ----------------------------------------------------------------------------------------------------------
# Features of a text: one number per character, aligned with the state after reading that character
# ----------------------------------------------------------------------------------------------------------


def _check_text(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {describe(text)}")
    return text


def _python_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Two boolean masks (T,): inside a string literal, inside a comment (state after reading each char).

    A small scanner, not Python's tokenizer, so it works on any snippet (a cut-off string just runs to the
    end): ' and " strings, triple-quoted strings, backslash escapes, # comments outside strings. An opening
    quote counts as inside (after reading it we are in the string), the last closing quote as outside.
    """
    T = len(text)
    in_string, in_comment = np.zeros(T, dtype=bool), np.zeros(T, dtype=bool)
    i = 0
    while i < T:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            end = T if end < 0 else end
            in_comment[i:end] = True  # the newline itself ends the comment
            i = end
        elif ch in "'\"":
            quote = text[i : i + 3] if text[i : i + 3] == ch * 3 else ch
            j = i + len(quote)
            while j < T and not text.startswith(quote, j):
                if text[j] == "\\":
                    j += 1  # skip the escaped character
                elif text[j] == "\n" and len(quote) == 1:
                    break  # a one-quote string cannot span lines: treat the newline as its end
                j += 1
            last = min(j + len(quote) - 1, T)  # index of the last closing quote (or the end)
            in_string[i:last] = True
            i = last + 1 if j < T and text.startswith(quote, j) else j
        else:
            i += 1
    return in_string, in_comment


def in_string(text: str) -> np.ndarray:
    """1.0 inside a Python string literal, else 0.0, per character (T,).

    ``"a"`` gives 1, 1, 0: after reading the opening quote the text is inside the string; after reading the
    closing one it is outside. Triple quotes, escapes and comments are handled; quotes in a comment are not
    strings. Introduced in 09_hidden_state_lab.ipynb.
    """
    return _python_spans(_check_text(text))[0].astype(np.float64)


def in_comment(text: str) -> np.ndarray:
    """1.0 from a ``#`` (outside strings) to the end of its line (the newline excluded), else 0.0; (T,).

    Introduced in 09_hidden_state_lab.ipynb.
    """
    return _python_spans(_check_text(text))[1].astype(np.float64)


def bracket_depth(text: str) -> np.ndarray:
    """How many ``(``, ``[``, ``{`` are open after each character, outside strings and comments; (T,).

    ``f(a[0])`` gives 0, 1, 1, 2, 2, 1, 0. Never below 0 (a stray closing bracket is ignored).
    Introduced in 09_hidden_state_lab.ipynb.
    """
    text = _check_text(text)
    string, comment = _python_spans(text)
    depth, values = 0, np.zeros(len(text))
    for t, ch in enumerate(text):
        if not (string[t] or comment[t]):
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth = max(depth - 1, 0)
        values[t] = depth
    return values


def column(text: str) -> np.ndarray:
    """Position in the line: 0 after a newline, 1 after the line's first character, ...; (T,).

    Karpathy et al. (2015) found a "line length" cell that counts this. Introduced in 09_hidden_state_lab.ipynb.
    """
    text = _check_text(text)
    values, col = np.zeros(len(text)), 0
    for t, ch in enumerate(text):
        col = 0 if ch == "\n" else col + 1
        values[t] = col
    return values


def indentation(text: str) -> np.ndarray:
    """The current line's indentation as read so far: leading spaces counted while they come, then held; 0
    after a newline; (T,). Introduced in 09_hidden_state_lab.ipynb."""
    text = _check_text(text)
    values, indent, leading = np.zeros(len(text)), 0, True
    for t, ch in enumerate(text):
        if ch == "\n":
            indent, leading = 0, True
        elif ch == " " and leading:
            indent += 1
        else:
            leading = False
        values[t] = indent
    return values


def is_vowel(text: str) -> np.ndarray:
    """1.0 for a vowel (a, e, i, o, u in either case), 0.0 for any other letter, NaN for a non-letter; (T,).

    NaN means "not defined here": ``correlations`` leaves those steps out. Introduced in 09_hidden_state_lab.ipynb.
    """
    text = _check_text(text)
    return np.array([(ch in "aeiouAEIOU") if ch.isalpha() else np.nan for ch in text], dtype=np.float64)


FEATURES = {
    "in_string": in_string,
    "in_comment": in_comment,
    "bracket_depth": bracket_depth,
    "column": column,
    "indentation": indentation,
    "is_vowel": is_vowel,
}


# ----------------------------------------------------------------------------------------------------------
# Finding units: correlation with a feature; principal components; gate saturation
# ----------------------------------------------------------------------------------------------------------


def _as_activations(activations) -> np.ndarray:
    if hasattr(activations, "detach") and not isinstance(activations, np.ndarray):
        activations = activations.detach().cpu().double().numpy()
    if not isinstance(activations, np.ndarray) or activations.ndim != 2 or activations.shape[0] < 2:
        raise ValueError(
            f"activations must be a (T, H) array (time by unit, T >= 2), e.g. rec.select('cell', layer=1); "
            f"got {describe(activations)}"
        )
    return np.asarray(activations, dtype=np.float64)


def correlations(activations, feature) -> np.ndarray:
    """Pearson's r between each unit's activation over time and ``feature``: (T, H), (T,) -> (H,).

    Steps where the feature is NaN are left out. A unit (or a feature) that never varies has r = 0.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    A = _as_activations(activations)
    f = np.asarray(feature, dtype=np.float64)
    if f.shape != (A.shape[0],):
        raise ValueError(f"feature must have shape ({A.shape[0]},), one value per step of activations, got {f.shape}")
    keep = ~np.isnan(f)
    A, f = A[keep], f[keep]
    # r_j = Σ_t (a_tj - ā_j)(f_t - f̄) / sqrt(Σ_t (a_tj - ā_j)² Σ_t (f_t - f̄)²)
    A, f = A - A.mean(axis=0), f - f.mean()
    denominator = np.sqrt((A**2).sum(axis=0) * (f**2).sum())  # (H,)
    numerator = f @ A  # (H,)
    safe = denominator > 1e-12 * max(len(f), 1)
    return np.where(safe, numerator / np.where(safe, denominator, 1.0), 0.0)


def find_units(activations, feature, *, top: int = 5) -> list[tuple[int, float]]:
    """The ``top`` units whose activation correlates most with ``feature`` (by |r|): a list of (unit, r).

    ``activations`` (T, H) from ``Recording.select``; ``feature`` (T,), e.g. ``in_string(text)``. A large
    negative r is as good as a large positive one: the unit then tracks the feature upside down.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers._checks import check_int

    r = correlations(activations, feature)
    top = check_int("top", top, low=1, high=len(r))
    order = np.argsort(-np.abs(r), kind="stable")[:top]
    return [(int(j), float(r[j])) for j in order]


def principal_components(states, k: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Project states (T, H) onto their first ``k`` principal components.

    Returns ``(projection (T, k), explained (k,))``: the coordinates of each step, and the fraction of the
    states' variance each component explains. Each component's sign is fixed so that its largest loading is
    positive (the same picture on every run). Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers._checks import check_int

    S = _as_activations(states)
    k = check_int("k", k, low=1, high=min(S.shape))
    centred = S - S.mean(axis=0)  # (T, H)
    _, sing, Vt = np.linalg.svd(centred, full_matrices=False)  # Vt (min(T, H), H)
    components = Vt[:k]
    signs = np.sign(components[np.arange(k), np.argmax(np.abs(components), axis=1)])
    components = components * signs[:, None]  # (k, H)
    total = (sing**2).sum()
    explained = (sing[:k] ** 2) / total if total > 0 else np.zeros(k)
    return centred @ components.T, explained  # (T, k), (k,)


SATURATION_LOW, SATURATION_HIGH = 0.1, 0.9  # Karpathy, Johnson & Fei-Fei (2015), Fig. 3


def gate_saturation(gate, *, low: float = SATURATION_LOW, high: float = SATURATION_HIGH):
    """For each unit, the fraction of steps its gate is left-saturated (< low) and right-saturated (> high).

    ``gate``: (T, H) or (B, T, H) activations of a sigmoid gate (LSTM i, f, o; GRU r, z), e.g.
    ``rec.select("f", layer=0)``. Returns ``(left (H,), right (H,))``. A forget gate right-saturated most of
    the time keeps its cell for long; one left-saturated most of the time wipes it at every step.
    The thresholds 0.1 and 0.9 are those of Karpathy, Johnson & Fei-Fei (2015), Fig. 3.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers._checks import check_float

    low = check_float("low", low, low=0.0, high=1.0)
    high = check_float("high", high, low=0.0, high=1.0)
    if low > high:
        raise ValueError(f"low must be <= high, got low={low}, high={high}")
    g = gate.detach().cpu().double().numpy() if hasattr(gate, "detach") else gate
    if not isinstance(g, np.ndarray) or g.ndim not in (2, 3) or g.size == 0:
        raise ValueError(f"gate must be a (T, H) or (B, T, H) array of gate activations, got {describe(gate)}")
    if g.min() < 0.0 or g.max() > 1.0:
        raise ValueError(
            f"gate values must lie in [0, 1] (a sigmoid gate such as i, f, o, r, z), got {g.min():.3g}..{g.max():.3g}"
        )
    g = g.reshape(-1, g.shape[-1])  # (B·T, H)
    return (g < low).mean(axis=0), (g > high).mean(axis=0)
