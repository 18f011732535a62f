"""Sequence models for the tasks: a recurrent layer and a read-out (00, 05, 07), and how much its output uses each
input step (08).
"""

from __future__ import annotations

import torch
from torch import nn

from rnn_helpers._checks import check_choice, check_float, check_int, describe
from rnn_helpers.models.base import eval_mode, make_rnn


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
    with eval_mode(model):
        y = model(x)
        if not isinstance(y, torch.Tensor) or y.ndim != 2:
            raise ValueError(f"model(x) must return one output per sequence, shape (batch, outputs), got {describe(y)}")
        check_int("output_index", output_index, low=0, high=y.shape[1] - 1)
        (grad,) = torch.autograd.grad(y[:, output_index].sum(), x)  # (B, T, I)
    return grad.norm(dim=2)  # (B, T)
