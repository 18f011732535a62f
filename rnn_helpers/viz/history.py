"""A runnable history of recurrent networks (chapter 02): timeline, era results, perceptron, Hopfield."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers._checks import as_numpy, describe
from rnn_helpers.viz.style import BLACK, BLUE, GREEN, ORANGE, PINK, SKY_BLUE, VERMILION, axes_or_new


def plot_timeline(milestones, *, highlight=None, ax=None):
    """The milestones of ``history.MILESTONES`` (or any sequence of ``history.Milestone``) on a time axis.

    One row per milestone, in order, with a dot at its year and its short name beside it, so that no two labels
    overlap however close the years; the horizontal axis is the year, so the gaps in time stay visible. Rows of
    the same era share a colour band. ``highlight``: an era key of ``history.ERAS``; its milestones are drawn in
    colour and bold, the others in grey. Returns the axes. Introduced in 02_history.ipynb.
    """
    from rnn_helpers.history import ERAS, Milestone

    milestones = list(milestones) if isinstance(milestones, (list, tuple)) else milestones
    if not isinstance(milestones, list) or not milestones or not all(isinstance(m, Milestone) for m in milestones):
        raise TypeError(f"milestones must be a non-empty list of history.Milestone, got {describe(milestones)}")
    if highlight is not None and highlight not in ERAS:
        raise ValueError(f"highlight must be None or one of {list(ERAS)}, got {highlight!r}")
    ax = axes_or_new(ax)
    ordered = sorted(milestones, key=lambda m: m.year)
    years = np.array([m.year for m in ordered])
    lo, hi = years.min() - 3, years.max() + 3
    middle = (lo + hi) / 2
    palette = dict(zip(ERAS, [BLUE, ORANGE, GREEN, VERMILION, PINK, SKY_BLUE, BLACK],
                       strict=True))
    for row, m in enumerate(ordered):
        on = highlight is None or m.era == highlight
        colour = palette[m.era] if on else "0.75"
        if highlight is not None and m.era == highlight:
            ax.axhspan(row - 0.5, row + 0.5, color=palette[m.era], alpha=0.12, lw=0)
        ax.plot([lo, m.year], [row, row], color="0.9", lw=0.8, zorder=1)
        ax.plot(m.year, row, "o", color=colour, ms=6, zorder=3)
        right = m.year < middle  # labels of late milestones go to the left of their dot
        ax.text(m.year + (0.8 if right else -0.8), row, f"{m.name} ({m.year})", ha="left" if right else "right",
                va="center", fontsize=8, color="black" if on else "0.6",
                fontweight="bold" if on and highlight is not None else "normal")
    ax.set(xlim=(lo, hi), ylim=(len(ordered) - 0.5, -0.5), yticks=[], xlabel="year")
    ax.grid(False, axis="y")
    ax.spines["left"].set_visible(False)
    if highlight is not None:
        ax.set_title(ERAS[highlight])
    else:
        shown = [key for key in ERAS if any(m.era == key for m in ordered)]
        handles = [plt.Line2D([], [], marker="o", ls="", color=palette[key], label=ERAS[key]) for key in shown]
        ax.legend(handles=handles, loc="lower left", fontsize=7)
    return ax


def plot_era_result(result, *, ax=None):
    """The curves of a ``history.EraResult``: one line per series, the reference value dashed. Returns the axes.

    Introduced in 02_history.ipynb.
    """
    from rnn_helpers.history import EraResult

    if not isinstance(result, EraResult):
        raise TypeError(f"result must be a history.EraResult, got {describe(result)}")
    ax = axes_or_new(ax)
    for label, (x, y) in result.series.items():
        ax.plot(np.asarray(x, dtype=float), np.asarray(y, dtype=float), "o-", ms=4, label=label)
    if result.reference is not None:
        ax.axhline(result.reference, color=VERMILION, ls="--", lw=1, label=result.reference_label or None)
    if result.vline is not None:
        ax.axvline(result.vline, color=PINK, ls=":", lw=1.5, label=result.vline_label or None)
    ax.set(xlabel=result.xlabel, ylabel=result.ylabel, title=result.title)
    if result.logy:
        ax.set_yscale("log")
    ax.legend(fontsize=8)
    return ax


def plot_decision_boundary(X, y, w, b, *, ax=None, title=None):
    """Two-input examples X (n, 2) coloured by label y (n,) in {0, 1}, and the line w·x + b = 0.

    The side where w·x + b > 0 (the perceptron answers 1) is shaded. Returns the axes.
    Introduced in 02_history.ipynb.
    """
    X = np.asarray(as_numpy("X", X), dtype=float)
    y = np.asarray(as_numpy("y", y))
    w = np.asarray(as_numpy("w", w), dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],) or w.shape != (2,):
        raise ValueError(f"X must be (n, 2), y (n,) and w (2,), got {X.shape}, {y.shape} and {w.shape}")
    ax = axes_or_new(ax)
    lo, hi = X.min() - 0.5, X.max() + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo, hi, 200), np.linspace(lo, hi, 200))
    ax.contourf(g1, g2, (w[0] * g1 + w[1] * g2 + float(b) > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=["white", SKY_BLUE], alpha=0.3)
    for label, marker, colour in ((0, "o", VERMILION), (1, "s", BLUE)):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=80, color=colour, label=f"y = {label}", zorder=3)
    ax.set(xlim=(lo, hi), ylim=(lo, hi), xlabel="x₁", ylabel="x₂", aspect="equal")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_patterns(patterns, shape, *, titles=None, axes=None):
    """±1 patterns (k, N) drawn as k black-and-white images of ``shape`` (rows, cols), rows·cols = N.

    Returns the array of axes. Introduced in 02_history.ipynb.
    """
    patterns = np.asarray(as_numpy("patterns", patterns), dtype=float)
    if patterns.ndim == 1:
        patterns = patterns[None]
    if patterns.ndim != 2 or len(shape) != 2 or shape[0] * shape[1] != patterns.shape[1]:
        raise ValueError(f"patterns must be (k, N) with N = rows·cols of shape {tuple(shape)}, got {patterns.shape}")
    k = patterns.shape[0]
    if titles is not None and len(titles) != k:
        raise ValueError(f"titles must have one entry per pattern ({k}), got {len(titles)}")
    if axes is None:
        _, axes = plt.subplots(1, k, figsize=(1.6 * k, 1.9), squeeze=False)
        axes = axes[0]
    axes = np.atleast_1d(axes)
    for i, ax in enumerate(axes[:k]):
        ax.imshow(patterns[i].reshape(shape), cmap="gray_r", vmin=-1, vmax=1)
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    return axes
