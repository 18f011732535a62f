"""The fast, exact recorder behind ``record`` and ``record_text``: torch's own recurrence, the gates recomputed
in bulk, long inputs read in chunks with the state carried.

For each layer and direction, in chunks of ``chunk`` steps:

1. torch runs a one-layer, one-direction copy of that layer (the module's own weights and dtype) over the
   chunk from the carried state: its output *is* the module's h_t (no recomputation can drift from it), and its
   final state is carried to the next chunk, which is exact;
2. the gates of every step of the chunk come from one matrix product each, h_{t-1} (known for every step now)
   times ``W_hh`` and x_t times ``W_ih`` (the input projection hoisted out of the time loop, as cuDNN does), then
   one sigmoid or tanh;
3. an LSTM's cell states c_t = f_t c_{t-1} + i_t g_t, a *linear* recurrence once the gates are known, by a
   chunked scan: sub-chunks of 64 steps are scanned side by side from zero, then joined with the cumulative
   products of f (``torch.cumprod``). The chunk starts from torch's own c at its start, so rounding never
   accumulates past one chunk.

What comes out goes into numpy arrays, in memory or in ``.npy`` files opened as memory maps (bounded memory:
only one chunk of gates is ever held). Layer k reads layer k-1's recorded output. Everything runs under
``torch.no_grad()``, in the module's dtype unless told otherwise.

Private to ``rnn_helpers.probe``: ``recording.record`` and ``recording.record_text`` are the public doors.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

GATE_NAMES = {"RNN": (), "LSTM": ("i", "f", "g", "o"), "GRU": ("r", "z", "n")}
SCAN_BLOCK = 64  # sub-chunk length of the cell-state scan
MANIFEST = "recording.json"


def recurrent_kind(module) -> str | None:
    """``"RNN"``, ``"LSTM"`` or ``"GRU"`` for a torch recurrent layer, else ``None``."""
    import torch

    for name in ("LSTM", "GRU", "RNN"):
        if isinstance(module, getattr(torch.nn, name)):
            return name
    return None


def _output_size(module) -> int:
    """The size of one direction's h_t: ``proj_size`` for a projected LSTM, else ``hidden_size``."""
    return getattr(module, "proj_size", 0) or module.hidden_size


def _direction_module(module, kind: str, layer: int, reverse: bool, dtype):
    """A one-layer, one-direction, batch-first copy of layer ``layer`` (direction ``reverse``) of ``module``."""
    import torch

    D = 2 if module.bidirectional else 1
    inputs = module.input_size if layer == 0 else D * _output_size(module)
    kwargs = {"batch_first": True, "bias": module.bias, "dtype": dtype}
    if kind == "RNN":
        kwargs["nonlinearity"] = module.nonlinearity
    if kind == "LSTM" and module.proj_size:
        kwargs["proj_size"] = module.proj_size
    single = getattr(torch.nn, kind)(inputs, module.hidden_size, **kwargs)
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    with torch.no_grad():
        for name in single._flat_weights_names:  # weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0
            getattr(single, name).copy_(getattr(module, name.replace("_l0", suffix)))
    return single.eval()


def scan_cells(f, u, c0):
    """c_t = f_t * c_{t-1} + u_t for t = 0..K-1 from c_{-1} = c0: f, u (B, K, H), c0 (B, H) -> (B, K, H).

    Blocks of ``SCAN_BLOCK`` steps are scanned side by side from zero (``local``), each block's cumulative
    product of f carries the true start into it: c = local + cumprod(f) * start."""
    import torch

    B, K, H = f.shape
    m = min(SCAN_BLOCK, K)
    S = -(-K // m)  # blocks
    pad = S * m - K
    if pad:  # padding after the end changes nothing before it
        f = torch.cat([f, f.new_ones(B, pad, H)], dim=1)
        u = torch.cat([u, u.new_zeros(B, pad, H)], dim=1)
    f, u = f.view(B, S, m, H), u.view(B, S, m, H)
    local = torch.empty_like(u)  # (B, S, m, H)
    c = u[:, :, 0].clone()
    local[:, :, 0] = c
    for j in range(1, m):
        c = torch.addcmul(u[:, :, j], f[:, :, j], c)
        local[:, :, j] = c
    products = torch.cumprod(f, dim=2)  # (B, S, m, H)
    starts = torch.empty(B, S, H, dtype=f.dtype)
    start = c0
    for s in range(S):
        starts[:, s] = start
        start = torch.addcmul(local[:, s, -1], products[:, s, -1], start)
    cells = torch.addcmul(local, products, starts[:, :, None, :])  # (B, S, m, H)
    return cells.view(B, S * m, H)[:, :K]


class _Sink:
    """Where the arrays go: numpy arrays in memory (``folder=None``) or ``.npy`` memory maps in ``folder``."""

    def __init__(self, folder=None):
        self.folder = None if folder is None else Path(folder)
        self.files: dict[str, str] = {}
        self.arrays: list = []
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    def new(self, name: str, shape: tuple, dtype) -> np.ndarray:
        if self.folder is None:
            return np.empty(shape, dtype=dtype)
        file = f"{name}.npy"
        self.files[name] = file
        array = np.lib.format.open_memmap(self.folder / file, mode="w+", dtype=dtype, shape=shape)
        self.arrays.append(array)
        return array

    def small(self, name: str, array: np.ndarray) -> np.ndarray:
        if self.folder is None:
            return array
        np.save(self.folder / f"{name}.npy", array)
        self.files[name] = f"{name}.npy"
        return np.load(self.folder / f"{name}.npy", mmap_mode="r")


def _torch_state(state, n: int, B: int, P: int, H: int, kind: str, dtype):
    """A torch-layout initial state (h0 (n, B, P), or (h0, c0) with c0 (n, B, H)) as a list of n per-(layer,
    direction) pairs (h (B, P), c (B, H) or None), zeros where ``state`` is None."""
    import torch

    from rnn_helpers._checks import describe

    if state is None:
        h = torch.zeros(n, B, P, dtype=dtype)
        c = torch.zeros(n, B, H, dtype=dtype) if kind == "LSTM" else None
    else:
        if kind == "LSTM" and (not isinstance(state, tuple | list) or len(state) != 2):
            raise TypeError(f"an LSTM's state must be a tuple (h0, c0), each ({n}, B, H), got {describe(state)}")
        parts = state if kind == "LSTM" else (state,)
        converted = []
        for name, p, size in zip(("h0", "c0"), parts, (P, H), strict=False):
            if isinstance(p, np.ndarray):
                p = torch.from_numpy(p)
            if not isinstance(p, torch.Tensor) or tuple(p.shape) != (n, B, size):
                raise ValueError(
                    f"{name} must have torch's layout (layers·directions, B, H) = {(n, B, size)}, got {describe(p)}"
                )
            converted.append(p.detach().to(dtype))
        h, c = converted[0], (converted[1] if kind == "LSTM" else None)
    return [(h[k], None if c is None else c[k]) for k in range(n)]


def record_arrays(module, kind: str, first_input, T: int, B: int, *, state=None, dtype=None, chunk: int = 2048,
                  folder=None, keep=None):
    """Record ``module`` (a torch RNN/LSTM/GRU, any layout flags) on a batch-first input: the engine behind
    ``record`` and ``record_text``, for whoever feeds inputs too long to hold in memory.

    ``first_input(a, b)`` returns layer 0's input for steps a..b-1 as a (B, b-a, I) tensor, and
    ``first_input.project(a, b, W, bias)`` (optional) its product with W^T plus bias (a gather for one-hot
    characters). ``state``: torch's layout or None. ``keep``: what to keep besides the hidden states, a subset
    of ``("cell", "gates")`` (default both). ``folder``: None (numpy arrays in memory) or a folder for
    ``.npy`` memory maps.

    Returns a dict with ``kind``, ``hidden``, ``cells``, ``gates`` (views into one (B, T, G·H) array per layer
    and direction), ``h_n``, ``c_n``, laid out as in ``Recording``. Introduced in 09_hidden_state_lab.ipynb.
    """
    import torch

    dtype = dtype or next(module.parameters()).dtype
    L, D, H, P = module.num_layers, 2 if module.bidirectional else 1, module.hidden_size, _output_size(module)
    names = GATE_NAMES[kind]
    keep = {"cell", "gates"} if keep is None else set(keep)
    sink = _Sink(folder)
    np_dtype = torch.empty(0, dtype=dtype).numpy().dtype
    initial = _torch_state(state, L * D, B, P, H, kind, dtype)
    hidden, cells, gates, h_n, c_n = [], [], [], [], []
    for k in range(L):
        hidden.append([]), cells.append([]), gates.append([])
        for d in range(D):
            tag = f"l{k}_d{d}"
            single = _direction_module(module, kind, k, d == 1, dtype)
            out = sink.new(f"hidden_{tag}", (B, T, P), np_dtype)
            cell = sink.new(f"cell_{tag}", (B, T, H), np_dtype) if kind == "LSTM" and "cell" in keep else None
            gate = sink.new(f"gates_{tag}", (B, T, len(names) * H), np_dtype) if names and "gates" in keep else None
            W_ih, W_hh = single.weight_ih_l0, single.weight_hh_l0  # (G·H, I), (G·H, P)
            b_ih = single.bias_ih_l0 if module.bias else torch.zeros(W_ih.shape[0], dtype=dtype)
            b_hh = single.bias_hh_l0 if module.bias else torch.zeros(W_hh.shape[0], dtype=dtype)
            h, c = initial[k * D + d]
            bounds = [(a, min(a + chunk, T)) for a in range(0, T, chunk)]
            for a, b in reversed(bounds) if d == 1 else bounds:
                if k == 0:
                    x = first_input(a, b)  # (B, K, I)
                else:  # layer k reads layer k-1's output, directions side by side
                    x = torch.from_numpy(np.concatenate([np.asarray(o[:, a:b]) for o in hidden[k - 1]], axis=2))
                x = x.to(dtype)
                if d == 1:
                    x = x.flip(1)  # reading order
                with torch.no_grad():
                    if kind == "LSTM":
                        y, (h_last, c_last) = single(x, (h[None].contiguous(), c[None].contiguous()))
                    else:
                        y, h_last = single(x, h[None].contiguous())  # y (B, K, P)
                    if gate is not None or cell is not None:
                        h_prev = torch.cat([h[:, None], y[:, :-1]], dim=1)  # (B, K, P): h_{t-1} of each step
                        if k == 0 and hasattr(first_input, "project"):
                            xi = first_input.project(a, b, W_ih, b_ih)  # (B, K, G·H)
                            xi = xi.flip(1) if d == 1 else xi
                        else:
                            xi = torch.nn.functional.linear(x, W_ih, b_ih)  # (B, K, G·H)
                        hh = torch.nn.functional.linear(h_prev, W_hh, b_hh)  # (B, K, G·H)
                        direct = gate is not None and d == 0  # write the gates straight into the recording
                        values = torch.from_numpy(gate)[:, a:b] if direct else torch.empty_like(hh)
                        _activate(kind, xi, hh, values, H)
                        if cell is not None:
                            i, f, g = values[..., :H], values[..., H : 2 * H], values[..., 2 * H : 3 * H]
                            _store(cell, scan_cells(f, i * g, c), a, b, d)
                        if gate is not None and not direct:
                            _store(gate, values, a, b, d)
                _store(out, y, a, b, d)
                h = h_last[0]
                c = c_last[0] if kind == "LSTM" else None
            hidden[k].append(out)
            cells[k].append(cell)
            gates[k].append(_gate_views(gate, names, H))
            h_n.append(h)
            c_n.append(c)
    result = {
        "kind": kind.lower(),
        "hidden": hidden,
        "cells": cells if kind == "LSTM" and "cell" in keep else None,
        "gates": gates,
        "h_n": sink.small("h_n", torch.stack(h_n).numpy()),
        "c_n": sink.small("c_n", torch.stack(c_n).numpy()) if kind == "LSTM" else None,
    }
    if folder is not None:
        for array in sink.arrays:
            array.flush()
        manifest = {"kind": result["kind"], "layers": L, "directions": D, "batch": B, "time": T, "hidden_size": H,
                    "gates": list(names) if "gates" in keep else [], "cells": kind == "LSTM" and "cell" in keep,
                    "files": sink.files, "dtype": str(np_dtype)}
        (Path(folder) / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return result


def _gate_views(array, names, H: int) -> dict:
    """Gate name -> (B, T, H) view into the (B, T, G·H) array of all gates ({} without one)."""
    return {} if array is None else {g: array[..., j * H : (j + 1) * H] for j, g in enumerate(names)}


def _activate(kind: str, xi, hh, out, H: int) -> None:
    """The gate activations, written into ``out`` (B, K, G·H), from the input part xi and the recurrent part hh
    of the pre-activations (each (B, K, G·H), biases included)."""
    import torch

    if kind == "LSTM":  # i, f, o = sigmoid, g = tanh (of a_i, a_f, a_g, a_o)
        pre = xi.add_(hh)
        torch.sigmoid(pre, out=out)
        torch.tanh(pre[..., 2 * H : 3 * H], out=out[..., 2 * H : 3 * H])
    elif kind == "GRU":  # r, z = sigmoid; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)): r multiplies the bracket
        torch.sigmoid(xi[..., : 2 * H].add_(hh[..., : 2 * H]), out=out[..., : 2 * H])
        torch.tanh(torch.addcmul(xi[..., 2 * H :], out[..., :H], hh[..., 2 * H :]), out=out[..., 2 * H :])


def _store(array: np.ndarray, values, a: int, b: int, d: int) -> None:
    """Write a chunk (B, K, ·) in reading order into array[:, a:b] (flipped back for the backward direction)."""
    import torch

    torch.from_numpy(array)[:, a:b].copy_(values.flip(1) if d == 1 else values)


def open_arrays(folder):
    """The arrays of a recording written with ``folder=...``, opened read-only as memory maps (lazy): a pair
    (manifest dict, arrays laid out as ``record_arrays`` returns them). ``probe.load_recording`` wraps them in
    a ``Recording``. Introduced in 09_hidden_state_lab.ipynb."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    files = manifest["files"]
    L, D = manifest["layers"], manifest["directions"]

    def open_(name):
        return np.load(folder / files[name], mmap_mode="r")

    hidden = [[open_(f"hidden_l{k}_d{d}") for d in range(D)] for k in range(L)]
    cells = [[open_(f"cell_l{k}_d{d}") for d in range(D)] for k in range(L)] if manifest["cells"] else None
    H = manifest["hidden_size"]
    gates = [[_gate_views(open_(f"gates_l{k}_d{d}") if manifest["gates"] else None, manifest["gates"], H)
              for d in range(D)] for k in range(L)]
    return manifest, {
        "kind": manifest["kind"],
        "hidden": hidden,
        "cells": cells,
        "gates": gates,
        "h_n": open_("h_n"),
        "c_n": open_("c_n") if manifest["kind"] == "lstm" else None,
    }
