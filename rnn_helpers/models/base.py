"""What every model of the course shares: the recurrent layers by name, the parameter count, eval mode."""

from __future__ import annotations

from contextlib import contextmanager

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


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters (the entries of every tensor that requires a gradient)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {describe(model)}")
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


@contextmanager
def eval_mode(model: nn.Module):
    """Run the ``with`` block with ``model`` in eval mode (dropout off), then put it back in the mode it was in,
    even when the block raises::

        with eval_mode(model), torch.no_grad():
            logits = model(x)

    The one way the package switches a model to eval mode and back. Introduced in 00_start_here.ipynb
    (``train`` evaluates this way).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {describe(model)}")
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)
