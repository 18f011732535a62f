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
