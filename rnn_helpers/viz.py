"""Plots. Every helper takes ``ax=None`` (a new figure when ``None``) and returns the axes it drew on.

Introduced in 00_start_here.ipynb.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers._checks import describe


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
    return ax


def _as_numpy(name: str, value) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy array or a torch tensor, got {describe(value)}")
    return value


def plot_adding_example(x, y, *, ax=None):
    """One sequence of the adding problem: the values as a line, the marked steps as red dots.

    ``x``: (T, 2) array or tensor, columns (value, marker); ``y``: its target (a number or a 1-element array).
    """
    x = _as_numpy("x", x)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (T, 2) (one sequence of the adding problem), got {x.shape}")
    ax = _axes(ax)
    t = np.arange(len(x))
    marked = x[:, 1] == 1.0
    ax.plot(t, x[:, 0], color="0.6", lw=1, label="value")
    ax.scatter(t[marked], x[marked, 0], color="#D55E00", zorder=3, label="marked")
    target = float(np.asarray(_as_numpy("y", y) if hasattr(y, "detach") else y).reshape(-1)[0])
    ax.set(xlabel="time step t", ylabel="value", title=f"adding problem, T = {len(x)}: target {target:.3f}")
    ax.legend(loc="upper right")
    return ax


def plot_training(result, *, ax=None, eval_label: str = "evaluation", target: float | None = None):
    """The training loss per step (light) and the evaluation history (dark) of a ``TrainResult``."""
    from rnn_helpers.training import TrainResult

    if not isinstance(result, TrainResult):
        raise TypeError(f"result must be a TrainResult (what train() returns), got {describe(result)}")
    ax = _axes(ax)
    steps = np.arange(1, len(result.losses) + 1)
    ax.plot(steps, result.losses, color="0.7", lw=1, label="training loss")
    if result.eval_values:
        ax.plot(result.eval_steps, result.eval_values, "o-", color="#0072B2", ms=3, label=eval_label)
    if target is not None:
        ax.axhline(target, color="#D55E00", ls="--", lw=1, label=f"target {target:g}")
    ax.set(xlabel="step", ylabel="loss", yscale="log")
    ax.legend()
    return ax
