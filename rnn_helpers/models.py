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
