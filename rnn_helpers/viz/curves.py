"""Training curves. Introduced in 00_start_here.ipynb."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import describe
from rnn_helpers.viz.style import BLUE, VERMILION, axes_or_new


def plot_training(result, *, ax=None, eval_label: str = "evaluation", target: float | None = None):
    """The training loss per step (light) and the evaluation history (dark) of a ``TrainResult``.

    ``result``: anything with the lists ``losses`` (one per step), ``eval_steps`` and ``eval_values`` (what
    ``training.train`` returns). ``target``: drawn as a dashed line. Returns the axes.
    """
    if not all(isinstance(getattr(result, name, None), list) for name in ("losses", "eval_steps", "eval_values")):
        raise TypeError(f"result must be a TrainResult (what train() returns), got {describe(result)}")
    ax = axes_or_new(ax)
    steps = np.arange(1, len(result.losses) + 1)
    ax.plot(steps, result.losses, color="0.7", lw=1, label="training loss")
    if result.eval_values:
        ax.plot(result.eval_steps, result.eval_values, "o-", color=BLUE, ms=3, label=eval_label)
    if target is not None:
        ax.axhline(target, color=VERMILION, ls="--", lw=1, label=f"target {target:g}")
    ax.set(xlabel="step", ylabel="loss", yscale="log")
    ax.legend()
    return ax
