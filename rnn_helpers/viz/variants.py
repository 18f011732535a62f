"""LSTM variants (chapter 05): one score per seed and variant, side by side."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import as_numpy, describe
from rnn_helpers.viz.style import BLUE, CONTEXT, VERMILION, axes_or_new


def plot_variant_scores(scores, *, baseline=None, reference=None, ax=None, title=None, ylabel="test MSE"):
    """One column per variant: a dot per seed and a bar at the mean, on a log scale.

    ``scores``: dict variant name -> (S,) array, one score per seed (lower is better); ``baseline``: an optional
    number drawn as a dotted grey line (e.g. always answering 0); ``reference``: the name of the variant the others
    are compared with, drawn in vermilion. Returns the axes. Introduced in 05_lstm.ipynb.
    """
    if not isinstance(scores, dict) or not scores:
        raise TypeError(f"scores must be a non-empty dict variant name -> (S,) array, got {describe(scores)}")
    if reference is not None and reference not in scores:
        raise ValueError(f"reference must be one of {list(scores)}, got {reference!r}")
    ax = axes_or_new(ax)
    for j, (name, values) in enumerate(scores.items()):
        values = np.asarray(as_numpy(f"scores[{name!r}]", values), dtype=float)
        if values.ndim != 1 or len(values) == 0 or not np.all(values > 0):
            raise ValueError(f"scores[{name!r}] must be a non-empty 1-D array of positive numbers, got {values}")
        colour = VERMILION if name == reference else BLUE
        ax.plot(np.full(len(values), j), values, "o", ms=5, color=colour, alpha=0.8)
        ax.plot([j - 0.25, j + 0.25], [values.mean()] * 2, color=colour, lw=2)
    if baseline is not None:
        ax.axhline(float(baseline), color=CONTEXT, ls=":", lw=1, label="baseline")
        ax.legend(fontsize=9)
    ax.set_xticks(range(len(scores)), list(scores))
    ax.set(yscale="log", ylabel=ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    return ax
