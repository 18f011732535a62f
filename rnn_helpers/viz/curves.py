"""Training curves. Introduced in 00_start_here.ipynb."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import describe
from rnn_helpers.viz.style import axes_or_new


def plot_training(result, *, ax=None, eval_label: str = "evaluation", target: float | None = None):
    """The training loss per step (light) and the evaluation history (dark) of a ``TrainResult``."""
    from rnn_helpers.training import TrainResult

    if not isinstance(result, TrainResult):
        raise TypeError(f"result must be a TrainResult (what train() returns), got {describe(result)}")
    ax = axes_or_new(ax)
    steps = np.arange(1, len(result.losses) + 1)
    ax.plot(steps, result.losses, color="0.7", lw=1, label="training loss")
    if result.eval_values:
        ax.plot(result.eval_steps, result.eval_values, "o-", color="#0072B2", ms=3, label=eval_label)
    if target is not None:
        ax.axhline(target, color="#D55E00", ls="--", lw=1, label=f"target {target:g}")
    ax.set(xlabel="step", ylabel="loss", yscale="log")
    ax.legend()
    return ax
