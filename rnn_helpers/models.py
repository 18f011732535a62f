"""Small torch models used across the notebooks.

Introduced in 00_start_here.ipynb (the sequence regressor) and 03_vanilla_rnn.ipynb (the language model).
"""

from __future__ import annotations

import torch
from torch import nn

from rnn_helpers._checks import check_choice, check_float, check_int, describe

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def make_rnn(
    cell: str,
    input_size: int,
    hidden_size: int,
    *,
    num_layers: int = 1,
    bidirectional: bool = False,
    dropout: float = 0.0,
) -> nn.RNNBase:
    """A batch-first ``nn.RNN`` (tanh), ``nn.LSTM`` or ``nn.GRU``, chosen by name."""
    check_choice("cell", cell, list(CELLS))
    check_int("input_size", input_size, low=1)
    check_int("hidden_size", hidden_size, low=1)
    check_int("num_layers", num_layers, low=1)
    check_float("dropout", dropout, low=0.0, high=1.0, high_open=True)
    return CELLS[cell](
        input_size, hidden_size, num_layers=num_layers, batch_first=True,
        bidirectional=bidirectional, dropout=dropout,
    )


class SequenceModel(nn.Module):
    """A recurrent layer followed by a linear read-out.

    ``x`` (B, T, input_size) -> recurrent layer -> hidden states (B, T, D·H) -> linear -> (B, output_size)
    when ``readout="last"`` (the read-out sees the last step only, as in the adding problem), or
    (B, T, output_size) when ``readout="all"`` (one prediction per step, as in a language model).
    D is 2 for a bidirectional layer, else 1. (With ``readout="last"`` and a bidirectional layer, the backward
    half of the last step has seen only the last input: chapter 07 shows why and what to read instead.)

    Introduced in 00_start_here.ipynb.
    """

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        output_size: int,
        *,
        readout: str = "last",
        num_layers: int = 1,
        bidirectional: bool = False,
    ):
        super().__init__()
        check_int("output_size", output_size, low=1)
        self.readout = check_choice("readout", readout, ["last", "all"])
        self.rnn = make_rnn(cell, input_size, hidden_size, num_layers=num_layers, bidirectional=bidirectional)
        self.head = nn.Linear(hidden_size * (2 if bidirectional else 1), output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"x must be a torch.Tensor, got {describe(x)}")
        if x.ndim != 3 or x.shape[2] != self.rnn.input_size:
            raise ValueError(
                f"x must have shape (batch, time, {self.rnn.input_size}), got {tuple(x.shape)}"
            )
        out, _ = self.rnn(x)  # (B, T, D*H)
        if self.readout == "last":
            out = out[:, -1]  # (B, D*H)
        return self.head(out)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters (the entries of every tensor that requires a gradient)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {describe(model)}")
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


class CharLM(nn.Module):
    """A character-level language model: one-hot characters -> recurrent layer -> logits for the next one.

    ``ids`` (B, T) int64 -> one-hot (B, T, V) -> RNN/LSTM/GRU -> hidden states (B, T, H) -> linear ->
    logits (B, T, V), where ``logits[:, t]`` scores the character that follows ``ids[:, t]``.
    ``forward(ids, state=None)`` returns ``(logits, state)`` so a long text can be read in chunks with the
    state carried across (truncated BPTT: detach the state between chunks).

    One-hot inputs (rather than a learned embedding) keep every hidden unit's input weights readable: column
    ``v`` of ``rnn.weight_ih_l0`` is what character ``v`` writes into the state.

    Introduced in 03_vanilla_rnn.ipynb; 09_hidden_state_lab.ipynb looks inside a trained one.
    """

    def __init__(self, vocab_size: int, hidden_size: int, *, cell: str = "lstm", num_layers: int = 1):
        super().__init__()
        self.vocab_size = check_int("vocab_size", vocab_size, low=2)
        self.rnn = make_rnn(cell, vocab_size, hidden_size, num_layers=num_layers)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, ids: torch.Tensor, state=None):
        if not isinstance(ids, torch.Tensor):
            raise TypeError(f"ids must be a torch.Tensor of token ids, got {describe(ids)}")
        if ids.ndim != 2 or ids.dtype != torch.int64:
            raise ValueError(f"ids must be an int64 tensor of shape (batch, time), got {ids.dtype} {tuple(ids.shape)}")
        if ids.numel() and (ids.min() < 0 or ids.max() >= self.vocab_size):
            raise ValueError(f"ids must lie in [0, {self.vocab_size - 1}], got {ids.min()}..{ids.max()}")
        x = nn.functional.one_hot(ids, self.vocab_size).to(self.head.weight.dtype)  # (B, T, V)
        out, state = self.rnn(x, state)  # (B, T, H)
        return self.head(out), state  # (B, T, V)


def sample_chars(
    model: CharLM, prefix_ids, n: int, *, temperature: float = 1.0, generator: torch.Generator | None = None
) -> list[int]:
    """Generate ``n`` character ids after ``prefix_ids`` (a non-empty list or 1-D array of ids).

    Each next id is drawn from softmax(logits / temperature): a temperature below 1 sharpens the distribution
    (safer, more repetitive text), above 1 flattens it (more surprising, more mistakes). ``generator`` makes
    the sample repeatable. Returns the ``n`` new ids.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    if not isinstance(model, CharLM):
        raise TypeError(f"model must be a CharLM, got {describe(model)}")
    check_int("n", n, low=0)
    check_float("temperature", temperature, low=0.0, low_open=True)
    prefix = torch.as_tensor(list(prefix_ids), dtype=torch.int64)
    if prefix.ndim != 1 or len(prefix) == 0:
        raise ValueError(f"prefix_ids must be a non-empty 1-D sequence of ids, got shape {tuple(prefix.shape)}")
    was_training = model.training
    model.eval()
    new: list[int] = []
    with torch.no_grad():
        logits, state = model(prefix[None])  # read the prefix: (1, P, V)
        for _ in range(n):
            probs = torch.softmax(logits[0, -1] / temperature, dim=-1)  # (V,)
            nxt = int(torch.multinomial(probs, 1, generator=generator))
            new.append(nxt)
            logits, state = model(torch.tensor([[nxt]]), state)  # one step: (1, 1, V)
    model.train(was_training)
    return new


# ---- chapter 05: LSTM ----


def set_forget_bias(lstm: nn.LSTM, value: float = 1.0) -> nn.LSTM:
    """Make the forget gate's total bias ``value`` in every layer and direction of ``lstm``, in place.

    PyTorch adds two biases, ``bias_ih`` and ``bias_hh``; the forget gate's block is rows H..2H (gate order
    i, f, g, o). This sets that block of ``bias_ih`` to ``value`` and of ``bias_hh`` to 0, so that
    f_t = σ(W_if x_t + W_hf h_{t-1} + value) and, with small weights, f_t ≈ σ(value) at the start of training
    (σ(1) ≈ 0.73 instead of σ(0) = 0.5). The other gates' biases are left as they are.
    Gers, Schmidhuber & Cummins (2000) introduced the forget gate; Jozefowicz, Zaremba & Sutskever (2015)
    recommend a forget bias of 1. Returns ``lstm``. Introduced in 05_lstm.ipynb.
    """
    if not isinstance(lstm, nn.LSTM):
        raise TypeError(f"lstm must be a torch.nn.LSTM, got {describe(lstm)}")
    value = check_float("value", value)
    if not lstm.bias:
        raise ValueError("lstm was built with bias=False: it has no forget-gate bias to set")
    H = lstm.hidden_size
    with torch.no_grad():
        for name, parameter in lstm.named_parameters():
            if name.startswith("bias_ih"):
                parameter[H : 2 * H] = value
            elif name.startswith("bias_hh"):
                parameter[H : 2 * H] = 0.0
    return lstm


# ---- chapter 03: the vanilla RNN from scratch ----


def char_lm_trace(model: CharLM, ids, state=None):
    """Read one sequence with a ``CharLM`` and return what it computed at every step, as numpy float64.

    ``ids``: a non-empty 1-D sequence of T token ids; ``state``: the initial state (None: zeros).
    Returns ``(hidden, probs)``: ``hidden`` (T, H) is the last layer's h_t after reading ``ids[t]``, and
    ``probs`` (T, V) = softmax(logits), ``probs[t]`` the predicted distribution of the token after ``ids[t]``.
    For an LSTM, ``hidden`` is h_t (not the cell state). Runs in eval mode without gradients.
    Introduced in 03_vanilla_rnn.ipynb.
    """
    if not isinstance(model, CharLM):
        raise TypeError(f"model must be a CharLM, got {describe(model)}")
    ids = torch.as_tensor(list(ids) if not isinstance(ids, torch.Tensor) else ids)
    if ids.ndim != 1 or len(ids) == 0 or ids.is_floating_point():
        raise ValueError(f"ids must be a non-empty 1-D sequence of integer ids, got {describe(ids)}")
    ids = ids.to(torch.int64)
    if ids.min() < 0 or ids.max() >= model.vocab_size:
        raise ValueError(f"ids must lie in [0, {model.vocab_size - 1}], got {ids.min()}..{ids.max()}")
    was_training = model.training
    model.eval()
    with torch.no_grad():
        x = nn.functional.one_hot(ids[None], model.vocab_size).to(model.head.weight.dtype)  # (1, T, V)
        out, _ = model.rnn(x, state)  # (1, T, H)
        probs = torch.softmax(model.head(out), dim=-1)  # (1, T, V)
    model.train(was_training)
    return out[0].double().numpy(), probs[0].double().numpy()


# ---- chapter 07: bidirectional and deep RNNs ----
def causal_outputs(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """What ``model`` outputs at each step when it has seen only the prefix up to that step.

    ``causal[:, t] = model(x[:, : t + 1])[:, -1]``: the model re-reads x_0 … x_t and its output at the last
    step is kept, so nothing after t can leak in. This is what a model can do when it runs live (generation,
    streaming, forecasting). For a unidirectional RNN it equals ``model(x)``; for a bidirectional one it does
    not, because ``model(x)[:, t]`` has read the whole sequence through its backward half.

    ``model`` maps (B, T', I) to (B, T', C) for every T' (e.g. ``SequenceModel(..., readout="all")``);
    ``x`` is (B, T, I). Runs T forward passes under ``torch.no_grad()`` and returns (B, T, C).

    Introduced in 07_bidirectional.ipynb.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {describe(model)}")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {describe(x)}")
    if x.ndim != 3 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (batch, time, features) with time >= 1, got {tuple(x.shape)}")
    with torch.no_grad():
        steps = []
        for t in range(x.shape[1]):
            out = model(x[:, : t + 1])  # (B, t + 1, C)
            if out.ndim != 3 or out.shape[1] != t + 1:
                raise ValueError(
                    "model must return one output per step, (batch, time, classes), "
                    f"got {tuple(out.shape)} for an input of {t + 1} steps (use readout='all')"
                )
            steps.append(out[:, -1])  # (B, C)
    return torch.stack(steps, dim=1)  # (B, T, C)


def sample_rereading(
    model: nn.Module,
    prefix_ids,
    n: int,
    *,
    vocab_size: int,
    window: int,
    temperature: float = 1.0,
    generator: torch.Generator | None = None,
) -> list[int]:
    """Generate ``n`` ids left to right with a model that carries no state: re-read the context every step.

    At each step the last ``window`` ids (one-hot, (1, ≤window, vocab_size)) are fed to ``model`` from
    scratch and the next id is drawn from softmax(logits at the last step / temperature). This is the only
    way to sample from a bidirectional model, and it shows what such a model can do live: at the last step
    its backward half has read one character only. ``model`` maps (B, T, vocab_size) -> (B, T, vocab_size),
    e.g. ``SequenceModel(cell, V, H, V, readout="all", bidirectional=True)``. Returns the ``n`` new ids.

    Introduced in 07_bidirectional.ipynb.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {describe(model)}")
    check_int("n", n, low=0)
    vocab_size = check_int("vocab_size", vocab_size, low=2)
    window = check_int("window", window, low=1)
    check_float("temperature", temperature, low=0.0, low_open=True)
    ids = [int(i) for i in prefix_ids]
    if not ids or min(ids) < 0 or max(ids) >= vocab_size:
        raise ValueError(f"prefix_ids must be a non-empty sequence of ids in [0, {vocab_size - 1}], got {ids[:10]}")
    was_training = model.training
    model.eval()
    new: list[int] = []
    with torch.no_grad():
        for _ in range(n):
            context = torch.tensor([ids[-window:]])  # (1, T)
            x = nn.functional.one_hot(context, vocab_size).to(torch.get_default_dtype())  # (1, T, V)
            logits = model(x)[0, -1]  # (V,)
            probs = torch.softmax(logits / temperature, dim=-1)
            nxt = int(torch.multinomial(probs, 1, generator=generator))
            ids.append(nxt)
            new.append(nxt)
    model.train(was_training)
    return new


# ---- chapter 08: RNNs and transformers ----
class TransformerBlock(nn.Module):
    """One pre-norm transformer block, (B, T, d) -> (B, T, d):

        z ← z + MHA(LN(z))        every position mixes in the positions it may attend to
        z ← z + MLP(LN(z))        then transforms itself, position by position (MLP: d -> d_ff -> d, ReLU)

    Vaswani et al. (2017) put each LayerNorm after the residual sum ("post-norm"); putting it before
    ("pre-norm") trains more reliably in small models without a learning-rate warm-up.

    Introduced in 08_rnns_vs_transformers.ipynb.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int):
        super().__init__()
        check_int("d_model", d_model, low=1)
        check_int("n_heads", n_heads, low=1)
        check_int("d_ff", d_ff, low=1)
        if d_model % n_heads:
            raise ValueError(f"d_model must be divisible by n_heads, got d_model={d_model} and n_heads={n_heads}")
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))

    def forward(self, z: torch.Tensor, mask: torch.Tensor | None = None, need_weights: bool = False):
        """z (B, T, d), mask (T, T) boolean (True = may not attend) -> (z (B, T, d), A (B, h, T, T) or None)."""
        a = self.ln1(z)
        y, A = self.attn(a, a, a, attn_mask=mask, need_weights=need_weights, average_attn_weights=False)
        z = z + y
        return z + self.mlp(self.ln2(z)), A

    def forward_cached(self, z: torch.Tensor, past, mask: torch.Tensor):
        """The same block for m new positions whose keys and values join those of earlier positions.

        z (B, m, d); ``past`` is ``None`` or the (K, V) of the c earlier positions, each (B, h, c, d_k);
        mask (m, c + m) boolean. Returns z (B, m, d) and the new (K, V), each (B, h, c + m, d_k).
        """
        B, m, d = z.shape
        h = self.n_heads
        a = self.ln1(z)
        # [q, k, v] = a W_inᵀ + b_in: the same weights nn.MultiheadAttention uses       (B, m, 3d)
        q, k, v = nn.functional.linear(a, self.attn.in_proj_weight, self.attn.in_proj_bias).chunk(3, dim=-1)
        q, k, v = (t.reshape(B, m, h, d // h).transpose(1, 2) for t in (q, k, v))  # (B, h, m, d_k) each
        if past is not None:
            k = torch.cat([past[0], k], dim=2)  # (B, h, c + m, d_k)
            v = torch.cat([past[1], v], dim=2)
        # A = softmax(q Kᵀ / √d_k + M)         (B, h, m, d_k) x (B, h, d_k, c + m) -> (B, h, m, c + m)
        scores = (q @ k.transpose(-1, -2)) / (d // h) ** 0.5
        A = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
        o = (A @ v).transpose(1, 2).reshape(B, m, d)  # (B, h, m, d_k) -> (B, m, d)
        z = z + self.attn.out_proj(o)
        return z + self.mlp(self.ln2(z)), (k, v)


class TinyTransformer(nn.Module):
    """A small transformer encoder for the same tasks as ``SequenceModel``:

        x (B, T, input_size) -> z = x W_eᵀ + b_e + P[:T]     (B, T, d): a linear embedding plus learned positions
        -> n_layers × TransformerBlock                       (B, T, d)
        -> LayerNorm -> linear read-out                      (B, output_size) or (B, T, output_size)

    ``readout="last"`` reads the last position only (like ``SequenceModel``); ``"all"`` gives one output per
    position. ``causal=True`` hides later positions from each position (the causal mask), so output t depends
    on x[:, :t+1] only; ``positions=False`` drops the learned position table P (max_len × d), and then the
    model cannot tell where in the sequence an input was. ``forward(x, return_attention=True)`` also returns
    the attention weights, a list with one (B, h, T, T) tensor per layer.

    Streaming (causal models only): ``stream(x_new, cache)`` runs the new steps x_new (B, m, input_size)
    against a key-value cache of the earlier ones and returns ``(out (B, m, output_size), cache)``, where
    ``cache`` holds one (K, V) pair per layer, each (B, h, c, d_k) after c steps. Each new token then costs
    one attention over c cached keys instead of recomputing the whole prefix.

    Introduced in 08_rnns_vs_transformers.ipynb.
    """

    def __init__(
        self,
        input_size: int,
        d_model: int,
        n_heads: int,
        output_size: int,
        *,
        n_layers: int = 1,
        d_ff: int | None = None,
        max_len: int = 512,
        causal: bool = False,
        readout: str = "last",
        positions: bool = True,
    ):
        super().__init__()
        self.input_size = check_int("input_size", input_size, low=1)
        check_int("d_model", d_model, low=1)
        check_int("output_size", output_size, low=1)
        check_int("n_layers", n_layers, low=1)
        self.max_len = check_int("max_len", max_len, low=1)
        self.readout = check_choice("readout", readout, ["last", "all"])
        for name, flag in (("causal", causal), ("positions", positions)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be True or False, got {describe(flag)}")
        self.causal = causal
        self.embed = nn.Linear(input_size, d_model)
        self.pos = nn.Parameter(0.02 * torch.randn(max_len, d_model)) if positions else None
        d_ff = 4 * d_model if d_ff is None else d_ff
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff) for _ in range(n_layers)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, output_size)

    def _check_x(self, x, start: int = 0) -> None:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"x must be a torch.Tensor, got {describe(x)}")
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must have shape (batch, time, {self.input_size}), got {tuple(x.shape)}")
        if self.pos is not None and start + x.shape[1] > self.max_len:
            raise ValueError(
                f"the sequence reaches position {start + x.shape[1]}, beyond max_len={self.max_len} learned "
                "positions; build the model with a larger max_len"
            )

    def _embed(self, x: torch.Tensor, start: int) -> torch.Tensor:
        z = self.embed(x)  # (B, T, d)
        if self.pos is not None:
            z = z + self.pos[start : start + x.shape[1]]  # + P[t], (T, d) broadcast over the batch
        return z

    def forward(self, x: torch.Tensor, return_attention: bool = False):
        self._check_x(x)
        T = x.shape[1]
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), 1) if self.causal else None
        z = self._embed(x, 0)  # (B, T, d)
        weights = []
        for block in self.blocks:
            z, A = block(z, mask, need_weights=return_attention)
            weights.append(A)
        z = self.ln_f(z)
        out = self.head(z[:, -1] if self.readout == "last" else z)  # (B, O) or (B, T, O)
        return (out, weights) if return_attention else out

    def stream(self, x: torch.Tensor, cache=None):
        """Causal inference over new steps x (B, m, input_size) given the ``cache`` of earlier steps
        (``None`` to start). Returns ``(out, cache)``: out (B, m, output_size), one prediction per new step,
        equal to ``forward`` with ``readout="all"`` on the whole sequence so far."""
        if not self.causal:
            raise ValueError("stream() needs a causal model (TinyTransformer(..., causal=True)): with a cache, "
                             "earlier positions cannot see later ones")
        c = 0 if cache is None else cache[0][0].shape[2]
        self._check_x(x, start=c)
        if cache is not None and len(cache) != len(self.blocks):
            raise ValueError(f"cache must hold one (K, V) pair per layer ({len(self.blocks)}), got {len(cache)}")
        m = x.shape[1]
        # query i (position c + i) may see keys j <= c + i                       (m, c + m)
        mask = torch.triu(torch.ones(m, c + m, dtype=torch.bool, device=x.device), c + 1)
        z = self._embed(x, c)  # (B, m, d)
        new_cache = []
        for layer, block in enumerate(self.blocks):
            z, kv = block.forward_cached(z, None if cache is None else cache[layer], mask)
            new_cache.append(kv)
        return self.head(self.ln_f(z)), new_cache


def input_gradient_norms(model: nn.Module, x: torch.Tensor, *, output_index: int = 0) -> torch.Tensor:
    """Connectivity (Madsen 2019, "Visualizing memorization in RNNs", Distill): how strongly the output
    depends on each input step, ‖∂ŷ / ∂x_t‖ for every t.

    ``model(x)`` must return (B, O), one output per sequence (``readout="last"``); ``output_index`` picks
    the output o. Returns a (B, T) tensor whose [b, t] entry is the Euclidean norm over the features of
    ∂ŷ[b, o] / ∂x[b, t]. The sequences of a batch must not interact inside the model (true of every model
    in this course), so one backward pass gives every sequence's gradient. The model runs in eval mode.

    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {describe(model)}")
    if not isinstance(x, torch.Tensor) or x.ndim != 3:
        raise ValueError(f"x must be a torch.Tensor of shape (batch, time, features), got {describe(x)}")
    x = x.detach().clone().requires_grad_(True)
    was_training = model.training
    model.eval()
    try:
        y = model(x)
        if not isinstance(y, torch.Tensor) or y.ndim != 2:
            raise ValueError(f"model(x) must return one output per sequence, shape (batch, outputs), got {describe(y)}")
        check_int("output_index", output_index, low=0, high=y.shape[1] - 1)
        (grad,) = torch.autograd.grad(y[:, output_index].sum(), x)  # (B, T, I)
    finally:
        model.train(was_training)
    return grad.norm(dim=2)  # (B, T)
