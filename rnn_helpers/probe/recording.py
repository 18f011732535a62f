"""Recording every step of every layer of a torch RNN, LSTM or GRU, of any model holding them (forward hooks),
and of a ``CharLM`` reading a text; recordings on disk."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnn_helpers._checks import check_callable, check_choice, check_int, describe


@dataclass
class Recording:
    """Everything a recurrent module computed at every step, as numpy arrays (the module's dtype), batch first.

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
        path: the folder holding the arrays as memory-mapped ``.npy`` files, or ``None`` (in memory).

    What ``record`` and ``record_text`` return. Introduced in 09_hidden_state_lab.ipynb.
    """

    kind: str
    hidden: list
    cells: list | None
    gates: list
    h_n: np.ndarray
    c_n: np.ndarray | None
    text: str | list | None = None
    path: str | None = None

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


def _as_input(x, input_size: int):
    """x (B, T, I), numpy or tensor, as a tensor (no copy where possible)."""
    import torch

    if isinstance(x, np.ndarray):
        if not np.issubdtype(x.dtype, np.floating):
            raise TypeError(f"x must be an array of floats of shape (B, T, {input_size}), got {describe(x)}")
        x = torch.from_numpy(x)
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a numpy array or a torch tensor of shape (B, T, {input_size}), got {describe(x)}")
    if x.ndim == 2 and x.shape[1] == input_size:
        raise ValueError(
            f"x must have shape (B, T, {input_size}) (batch, time, features), got {tuple(x.shape)}; "
            "for a single sequence pass x[None]"
        )
    if x.ndim != 3 or x.shape[2] != input_size or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (B, T, {input_size}) with B, T >= 1, got {tuple(x.shape)}")
    return x.detach()


def _check_options(chunk, path, keep, kind):
    chunk = check_int("chunk", chunk, low=1)
    if path is not None and not isinstance(path, str | Path):
        raise TypeError(f"path must be None (keep the recording in memory) or a folder path, got {describe(path)}")
    if keep is not None:
        allowed = {"LSTM": ["cell", "gates"], "GRU": ["gates"], "RNN": []}[kind]
        if isinstance(keep, str) or not isinstance(keep, list | tuple | set):
            raise TypeError(f"keep must be a list drawn from {allowed}, got {describe(keep)}")
        for name in keep:
            check_choice("keep", name, allowed)
    return chunk


def _from_engine(result: dict, path) -> Recording:
    return Recording(result["kind"], result["hidden"], result["cells"], result["gates"], result["h_n"],
                     result["c_n"], path=None if path is None else str(path))


def record(module, inputs, state=None, *, path=None, chunk: int = 2048, dtype=None, keep=None):
    """Record every step of every layer and direction of a torch RNN, LSTM or GRU: the hidden states, the
    cell states (LSTM) and the gates (LSTM, GRU).

    ``module`` is either

    - a recurrent layer (``torch.nn.RNN``, ``nn.LSTM``, ``nn.GRU``, built with ``batch_first=True``, e.g.
      ``model.rnn``): ``inputs`` is its input x (B, T, I) (numpy or tensor) and ``state`` its initial state in
      torch's layout (h0 (L·D, B, H), or (h0, c0) for an LSTM; ``None``: zeros). Returns a ``Recording``;
    - any other ``torch.nn.Module`` holding recurrent layers: ``inputs`` is what it takes (a tensor, a tuple
      of positional arguments, or a dict of keyword arguments). Forward hooks catch what every recurrent
      layer inside reads while the model runs (in eval mode), and each is recorded. Returns a
      ``ModelRecording``, a dict layer name -> ``Recording`` (see ``probe.hooks``).

    How (``probe.engine``): torch runs each layer and direction itself, so the hidden states *are* the
    module's outputs and the final states its ``h_n``/``c_n``; the gates of all steps come from two matrix
    products with the input projection hoisted out of the time loop; an LSTM's cells from a chunked scan.
    Long inputs are read ``chunk`` steps at a time with the state carried, which is exact. The arrays have
    the module's dtype (``dtype=torch.float64`` computes in float64 from copies of the weights). Dropout
    between layers is left out, as in ``module.eval()``.

    Args:
        path: ``None`` keeps the arrays in memory; a folder writes them there as ``.npy`` files opened as
            memory maps, so memory stays bounded however long the input (``probe.load_recording(path)``
            opens it again later).
        keep: what to keep besides the hidden states: a list drawn from ``"cell"`` (LSTM) and ``"gates"``;
            default both. The gates of a layer and direction are views into one (B, T, G·H) array.

    Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers.probe import engine

    kind = engine.recurrent_kind(module)
    if kind is None:
        if state is not None:
            raise TypeError(
                f"state is for a recurrent layer given directly; {type(module).__name__} takes its inputs "
                "(pass its own state inside inputs)"
            )
        return _record_model(module, inputs, path=path, chunk=chunk, dtype=dtype, keep=keep)
    if not module.batch_first:
        raise ValueError(
            "module must be built with batch_first=True (the course's convention), got batch_first=False; "
            "inside a larger model probe.record(model, inputs) handles either layout"
        )
    chunk = _check_options(chunk, path, keep, kind)
    x = _as_input(inputs, module.input_size)
    B, T, _ = x.shape

    def first_input(a, b):
        return x[:, a:b]

    result = engine.record_arrays(module, kind, first_input, T, B, state=state, dtype=dtype, chunk=chunk, folder=path,
                        keep=keep)
    return _from_engine(result, path)


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


def record_text(model, vocab, text, *, path=None, chunk: int = 2048, dtype=None, keep=None,
                unknown: str = "error") -> Recording:
    """Read ``text`` through a ``models.CharLM`` (from a zero state) and record every step of its ``rnn``.

    ``text``: a string (any length: a million characters are read in chunks, see ``record``), or a list of B
    strings of one length T, read side by side as a batch. A character the vocabulary lacks is an error
    naming it; ``unknown="unk"`` reads such characters as the vocabulary's ``unk_token`` instead. ``path``,
    ``chunk``, ``dtype`` and ``keep`` are those of ``record``; with ``path`` the text is saved beside the
    arrays. The recording keeps ``text``, so the views can print one character per step and
    ``Recording.feature`` can compute features. Introduced in 09_hidden_state_lab.ipynb.
    """
    import torch

    from rnn_helpers.datasets import Vocabulary
    from rnn_helpers.models import CharLM
    from rnn_helpers.probe import engine

    if not isinstance(model, CharLM):
        raise TypeError(f"model must be a models.CharLM, got {describe(model)}")
    if getattr(model, "embedding", None) is not None:
        raise ValueError("model must read one-hot characters (a CharLM built without embedding_dim), got one with "
                         f"an embedding of {model.embedding.embedding_dim} dimensions")
    if not isinstance(vocab, Vocabulary) or len(vocab) != model.vocab_size:
        raise ValueError(
            f"vocab must be the model's Vocabulary ({model.vocab_size} tokens), got {describe(vocab)}"
        )
    texts = [text] if isinstance(text, str) else text
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t for t in texts):
        raise ValueError(f"text must be a non-empty string or a list of them, got {describe(text)}")
    if len({len(t) for t in texts}) != 1:
        raise ValueError(f"the texts of a batch must have one length, got lengths {sorted({len(t) for t in texts})}")
    check_choice("unknown", unknown, ["error", "unk"])
    kind = engine.recurrent_kind(model.rnn)
    chunk = _check_options(chunk, path, keep, kind)
    if unknown == "error" or vocab.unk_token is None:
        for t in texts:
            missing = sorted(set(vocab.tokenize(t)).difference(vocab.stoi))
            if missing:
                where = min(t.find(ch) for ch in missing)
                hint = ' (or pass unknown="unk" to read them as its unk_token)' if vocab.unk_token else ""
                raise ValueError(
                    f"text has {len(missing)} character(s) not in the vocabulary, {missing[:8]}, the first "
                    f"at position {where}; expected only characters of the vocabulary{hint}"
                )
    ids = torch.from_numpy(np.stack([vocab.encode(t) for t in texts]))  # (B, T) int64
    B, T = ids.shape
    V = model.vocab_size
    dtype = dtype or model.head.weight.dtype

    def first_input(a, b):  # one-hot characters (B, K, V), as CharLM feeds its rnn
        return torch.nn.functional.one_hot(ids[:, a:b], V).to(dtype)

    def project(a, b, W, bias):  # one_hot @ W^T + bias is a gather of W's columns: (B, K, G·H)
        return W.t()[ids[:, a:b]] + bias

    first_input.project = project
    result = engine.record_arrays(model.rnn, kind, first_input, T, B, dtype=dtype, chunk=chunk, folder=path, keep=keep)
    rec = _from_engine(result, path)
    rec.text = text
    if path is not None:
        (Path(path) / "text.json").write_text(json.dumps(text))
    return rec


def load_recording(path) -> Recording:
    """Open a recording written with ``record(..., path=...)`` or ``record_text(..., path=...)``: its arrays are
    memory maps, read from disk only where you look (``rec.select("cell", 1)[1000:2000]`` reads 1000 steps).

    Introduced in 09_hidden_state_lab.ipynb."""
    from rnn_helpers.probe import engine

    folder = Path(path) if isinstance(path, str | Path) else None
    if folder is None or not (folder / engine.MANIFEST).is_file():
        raise ValueError(f"path must be a folder written by probe.record(..., path=...), got {describe(path)}")
    _, arrays = engine.open_arrays(folder)
    rec = _from_engine(arrays, folder)
    if (folder / "text.json").is_file():
        rec.text = json.loads((folder / "text.json").read_text())
    return rec


# ------------------------------------------------------ any model: forward hooks on every recurrent layer inside


class ModelRecording(dict):
    """What ``probe.record(model, inputs)`` returns for a model holding recurrent layers: a dict layer name (as
    in ``model.named_modules()``, e.g. ``"encoder.rnn"``) -> ``Recording``, in the order the layers ran. A
    layer that ran n times (a decoder called step by step, one encoder applied to two inputs) gives
    ``"name"``, ``"name#1"``, ..., ``"name#{n-1}"``. ``.output`` is what the model returned (computed in eval
    mode, without gradients).

    Every ``Recording`` is batch first, whatever the layer's ``batch_first``; an unbatched call is recorded
    as a batch of one. Introduced in 09_hidden_state_lab.ipynb.
    """

    output: object = None

    def __repr__(self) -> str:
        layers = ", ".join(f"{name}: {rec.kind} {rec.num_layers}x{rec.num_directions}" for name, rec in self.items())
        return f"ModelRecording({layers})"


def recurrent_layers(module) -> list[tuple[str, object]]:
    """The (name, layer) pairs of every ``nn.RNN``/``nn.LSTM``/``nn.GRU`` inside ``module``, itself included
    (named after its class). Introduced in 09_hidden_state_lab.ipynb."""
    import torch

    from rnn_helpers.probe.engine import recurrent_kind

    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {describe(module)}")
    return [(name or type(module).__name__, m) for name, m in module.named_modules() if recurrent_kind(m)]


def _record_model(module, inputs, *, path=None, chunk: int = 2048, dtype=None, keep=None) -> ModelRecording:
    """``record`` for a model holding recurrent layers (see there)."""
    import torch

    from rnn_helpers.models import eval_mode

    layers = recurrent_layers(module)
    if not layers:
        children = [type(m).__name__ for m in module.children()] or ["no submodules"]
        raise ValueError(
            f"module has no recurrent layer to record: expected a torch.nn.RNN, nn.LSTM or nn.GRU inside "
            f"{type(module).__name__}, got {', '.join(children)}"
        )
    calls = []

    def hook(name, args, kwargs):
        x = args[0] if args else kwargs.get("input")
        hx = args[1] if len(args) > 1 else kwargs.get("hx")
        calls.append((name, x, hx))

    handles = [
        layer.register_forward_hook(lambda m, a, k, o, name=name: hook(name, a, k), with_kwargs=True)
        for name, layer in layers
    ]
    try:
        with eval_mode(module), torch.no_grad():
            if isinstance(inputs, dict):
                output = module(**inputs)
            elif isinstance(inputs, tuple | list):
                output = module(*inputs)
            else:
                output = module(inputs)
    finally:
        for handle in handles:
            handle.remove()
    if not calls:
        raise ValueError(
            f"none of the recurrent layers of {type(module).__name__} ({', '.join(n for n, _ in layers)}) ran "
            "on these inputs: nothing to record"
        )
    by_name = dict(layers)
    result = ModelRecording()
    result.output = output
    for name, x, hx in calls:
        key, n = name, 1
        while key in result:
            key, n = f"{name}#{n}", n + 1
        folder = None if path is None else Path(path) / key
        result[key] = _record_call(by_name[name], x, hx, path=folder, chunk=chunk, dtype=dtype, keep=keep)
    return result


def _record_call(layer, x, hx, *, path=None, chunk: int = 2048, dtype=None, keep=None) -> Recording:
    """Record one call of a recurrent layer as torch saw it: any ``batch_first``, unbatched inputs, packed
    sequences (each sequence recorded at its own length, the padding NaN)."""
    from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence

    from rnn_helpers.probe import engine

    kind = engine.recurrent_kind(layer)
    chunk = _check_options(chunk, path, keep, kind)
    if isinstance(x, PackedSequence):
        if path is not None:
            raise ValueError("a layer read a PackedSequence: such calls are recorded in memory, pass path=None")
        padded, lengths = pad_packed_sequence(x, batch_first=True)  # (B, T, I), in the caller's batch order
        return _record_packed(layer, kind, padded, lengths.tolist(), hx, chunk, dtype, keep)
    if x.ndim == 2:  # unbatched: x (T, I) whatever batch_first, hx (L·D, H)
        x = x[None]
        hx = None if hx is None else tuple(h[:, None] for h in hx) if isinstance(hx, tuple) else hx[:, None]
    elif not layer.batch_first:
        x = x.transpose(0, 1)  # (T, B, I) -> (B, T, I)
    x = x.detach()
    B, T, _ = x.shape
    result = engine.record_arrays(layer, kind, lambda a, b: x[:, a:b], T, B, state=hx, dtype=dtype, chunk=chunk,
                                  folder=path, keep=keep)
    return _from_engine(result, path)


def _record_packed(layer, kind, padded, lengths, hx, chunk, dtype, keep) -> Recording:
    from rnn_helpers.probe import engine

    B, T, _ = padded.shape
    parts = []
    for b, n in enumerate(lengths):
        state = None
        if hx is not None:
            state = tuple(h[:, b : b + 1] for h in hx) if isinstance(hx, tuple) else hx[:, b : b + 1]
        x = padded[b : b + 1, :n]
        parts.append(engine.record_arrays(layer, kind, lambda a, c, x=x: x[:, a:c], n, 1, state=state,
                                          dtype=dtype, chunk=chunk, keep=keep))

    def stack(get):  # per-sequence (1, n, H) arrays -> (B, T, H), NaN after each sequence's end
        first = get(parts[0])
        out = np.full((B, T, first.shape[2]), np.nan, dtype=first.dtype)
        for b, part in enumerate(parts):
            out[b, : lengths[b]] = get(part)[0]
        return out

    first = parts[0]
    L, D = len(first["hidden"]), len(first["hidden"][0])
    hidden = [[stack(lambda p, k=k, d=d: p["hidden"][k][d]) for d in range(D)] for k in range(L)]
    cells = None
    if first["cells"] is not None:
        cells = [[None if first["cells"][k][d] is None else stack(lambda p, k=k, d=d: p["cells"][k][d])
                  for d in range(D)] for k in range(L)]
    gates = [[{g: stack(lambda p, k=k, d=d, g=g: p["gates"][k][d][g]) for g in first["gates"][k][d]}
              for d in range(D)] for k in range(L)]
    h_n = np.concatenate([p["h_n"] for p in parts], axis=1)  # (L·D, B, H)
    c_n = None if first["c_n"] is None else np.concatenate([p["c_n"] for p in parts], axis=1)
    return Recording(first["kind"], hidden, cells, gates, h_n, c_n)
