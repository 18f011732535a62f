"""Character language models: the model, sampling from it, and what it computes at each step (03, 07, 09)."""

from __future__ import annotations

import torch
from torch import nn

from rnn_helpers._checks import check_float, check_int, describe
from rnn_helpers.models.base import eval_mode, make_rnn


class CharLM(nn.Module):
    """A character-level language model: one-hot characters -> recurrent layer -> logits for the next one.

    ``ids`` (B, T) int64 -> one-hot (B, T, V) -> RNN/LSTM/GRU -> hidden states (B, T, H) -> linear ->
    logits (B, T, V), where ``logits[:, t]`` scores the character that follows ``ids[:, t]``.
    ``forward(ids, state=None)`` returns ``(logits, state)`` so a long text can be read in chunks with the
    state carried across (truncated BPTT: detach the state between chunks).

    One-hot inputs (the default) keep every hidden unit's input weights readable: column ``v`` of
    ``rnn.weight_ih_l0`` is what character ``v`` writes into the state. With ``embedding_dim=E`` the model
    looks each character up in a learned table instead, ``self.embedding`` (an ``nn.Embedding(V, E)``):
    ``ids`` -> (B, T, E) -> RNN. A lookup is a one-hot vector times a matrix, without the multiplications.

    Introduced in 03_vanilla_rnn.ipynb; 09_hidden_state_lab.ipynb looks inside a trained one.
    """

    def __init__(
        self, vocab_size: int, hidden_size: int, *, cell: str = "lstm", num_layers: int = 1, embedding_dim=None
    ):
        super().__init__()
        self.vocab_size = check_int("vocab_size", vocab_size, low=2)
        if embedding_dim is None:
            self.embedding = None
            input_size = vocab_size
        else:
            input_size = check_int("embedding_dim", embedding_dim, low=1)
            self.embedding = nn.Embedding(vocab_size, input_size)
        self.rnn = make_rnn(cell, input_size, hidden_size, num_layers=num_layers)
        self.head = nn.Linear(hidden_size, vocab_size)

    def inputs(self, ids: torch.Tensor) -> torch.Tensor:
        """What the recurrent layer reads: one-hot vectors (B, T, V), or the embedding rows (B, T, E)."""
        if self.embedding is not None:
            return self.embedding(ids)  # (B, T, E)
        return nn.functional.one_hot(ids, self.vocab_size).to(self.head.weight.dtype)  # (B, T, V)

    def forward(self, ids: torch.Tensor, state=None):
        if not isinstance(ids, torch.Tensor):
            raise TypeError(f"ids must be a torch.Tensor of token ids, got {describe(ids)}")
        if ids.ndim != 2 or ids.dtype != torch.int64:
            raise ValueError(f"ids must be an int64 tensor of shape (batch, time), got {ids.dtype} {tuple(ids.shape)}")
        if ids.numel() and (ids.min() < 0 or ids.max() >= self.vocab_size):
            raise ValueError(f"ids must lie in [0, {self.vocab_size - 1}], got {ids.min()}..{ids.max()}")
        out, state = self.rnn(self.inputs(ids), state)  # (B, T, H)
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
    new: list[int] = []
    with eval_mode(model), torch.no_grad():
        logits, state = model(prefix[None])  # read the prefix: (1, P, V)
        for _ in range(n):
            probs = torch.softmax(logits[0, -1] / temperature, dim=-1)  # (V,)
            nxt = int(torch.multinomial(probs, 1, generator=generator))
            new.append(nxt)
            logits, state = model(torch.tensor([[nxt]]), state)  # one step: (1, 1, V)
    return new


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
    with eval_mode(model), torch.no_grad():
        out, _ = model.rnn(model.inputs(ids[None]), state)  # (1, T, H)
        probs = torch.softmax(model.head(out), dim=-1)  # (1, T, V)
    return out[0].double().numpy(), probs[0].double().numpy()


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
    new: list[int] = []
    with eval_mode(model), torch.no_grad():
        for _ in range(n):
            context = torch.tensor([ids[-window:]])  # (1, T)
            x = nn.functional.one_hot(context, vocab_size).to(torch.get_default_dtype())  # (1, T, V)
            logits = model(x)[0, -1]  # (V,)
            probs = torch.softmax(logits / temperature, dim=-1)
            nxt = int(torch.multinomial(probs, 1, generator=generator))
            ids.append(nxt)
            new.append(nxt)
    return new
