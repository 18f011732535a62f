"""Bidirectional and deep RNNs (chapter 07): accuracy per position and shift, dependence maps."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import as_numpy, check_accuracy_curves
from rnn_helpers.viz.style import ORANGE, axes_or_new


def plot_position_accuracy(accuracies, *, k=None, chance=None, ax=None):
    """Accuracy at each position t for several models: one line per entry of ``accuracies``.

    ``accuracies``: dict label -> (T,) array (NaN where the position has no answer, as
    ``tasks.position_accuracy`` returns). ``k``: the shift of the task, shown in the title; ``chance``: the
    accuracy of guessing, drawn as a dashed line. Returns the axes. Introduced in 07_bidirectional.ipynb.
    """
    curves = check_accuracy_curves(accuracies)
    ax = axes_or_new(ax)
    for label, acc in curves.items():
        ax.plot(np.arange(len(acc)), acc, "o-", ms=4, label=label)
    if chance is not None:
        ax.axhline(float(chance), color="0.5", ls="--", lw=1, label=f"chance {float(chance):.2f}")
    title = "accuracy at each position"
    if k is not None:
        steps = f"{abs(k)} step{'' if abs(k) == 1 else 's'}"
        where = "the current input" if k == 0 else (f"{steps} ahead" if k > 0 else f"{steps} back")
        title = f"y_t = x_(t{k:+d}): the answer is {where}"
    T = len(next(iter(curves.values())))
    ax.set(xlabel="position t", ylabel="accuracy", ylim=(-0.03, 1.03), xlim=(-0.5, T - 0.5), title=title)
    ax.legend(loc="center right")
    return ax


def plot_shift_sweep(ks, accuracies, *, chance=None, ax=None):
    """Mean accuracy against the shift k for several models: ``accuracies`` dict label -> (len(ks),) array.

    Shifts k > 0 (the answer lies in the future) are shaded. Returns the axes.
    Introduced in 07_bidirectional.ipynb.
    """
    ks = np.asarray(ks)
    if ks.ndim != 1 or len(ks) == 0:
        raise ValueError(f"ks must be a non-empty 1-D list of shifts, got shape {ks.shape}")
    curves = check_accuracy_curves(accuracies)
    got = len(next(iter(curves.values())))
    if got != len(ks):
        raise ValueError(f"each accuracy array must have one entry per shift ({len(ks)}), got {got}")
    ax = axes_or_new(ax)
    ax.axvspan(0.5, ks.max() + 0.5, color=ORANGE, alpha=0.12, label="answer in the future")
    for label, acc in curves.items():
        ax.plot(ks, acc, "o-", label=label)
    if chance is not None:
        ax.axhline(float(chance), color="0.5", ls="--", lw=1, label=f"chance {float(chance):.2f}")
    ax.set(xlabel="shift k  (y_t = x_(t+k))", ylabel="test accuracy", ylim=(-0.03, 1.03), xticks=ks)
    ax.legend(loc="center left")
    return ax


def plot_dependence(dependence, *, ax=None, title="which inputs each output depends on"):
    """A (T, T) map: row t, column s is how strongly output t depends on input s (e.g. |d out_t / d x_s|).

    Exact zeros are drawn white, so a causal (lower-triangular) map is easy to tell from one that reads the
    future. Returns the axes. Introduced in 07_bidirectional.ipynb.
    """
    dep = np.asarray(as_numpy("dependence", dependence), dtype=float)
    if dep.ndim != 2 or dep.shape[0] != dep.shape[1]:
        raise ValueError(f"dependence must be a square (T, T) array, got shape {dep.shape}")
    ax = axes_or_new(ax)
    shown = np.ma.masked_where(dep == 0, dep)
    image = ax.imshow(shown, cmap="viridis", origin="upper")
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    ax.set(xlabel="input step s", ylabel="output step t", title=title)
    ax.grid(False)
    return ax
