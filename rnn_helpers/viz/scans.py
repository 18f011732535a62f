"""Chapter 12's plots: the rounds of the parallel scan, the loop against the scan, recall against pairs.

Plots only plot: the numbers come from ``linear_rnn`` (``scan_levels``, ``scan_coverage``, ``time_scans``)
and ``modern`` (``mqar_accuracy``). Introduced in 12_modern_recurrences.ipynb.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers.linear_rnn import scan_coverage
from rnn_helpers.viz.style import GREEN, VERMILION, axes_or_new


def plot_scan_round(h_partial, h_final, rounds: int, *, axes=None):
    """Left: which steps each position has combined after ``rounds`` rounds; right: the partial states of
    one channel against the true states h_t. h_partial, h_final: 1-D arrays of length T."""
    h_partial, h_final = np.asarray(h_partial, dtype=float), np.asarray(h_final, dtype=float)
    if h_partial.ndim != 1 or h_partial.shape != h_final.shape:
        raise ValueError(f"h_partial and h_final must be 1-D of one length, got {h_partial.shape} and {h_final.shape}")
    T = len(h_final)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    ax0, ax1 = axes
    ax0.imshow(scan_coverage(T, rounds), cmap="Blues", vmin=0, vmax=1.3, interpolation="nearest")
    ax0.set(xlabel="step s", ylabel="position t", title=f"after {rounds} round(s): t has combined steps s")
    ax0.grid(False)
    done = np.isclose(h_partial, h_final, atol=1e-9)
    ax1.plot(h_final, "k-", lw=1, label="h_t (the loop)")
    ax1.plot(np.flatnonzero(~done), h_partial[~done], "o", ms=4, color=VERMILION, label="not finished")
    ax1.plot(np.flatnonzero(done), h_partial[done], "o", ms=4, color=GREEN, label="finished")
    ax1.set(xlabel="position t", ylabel="h_t, one channel", title=f"{done.sum()} of {T} positions final")
    ax1.legend(loc="best", fontsize=9)
    return axes


def plot_scan_speedup(lengths, widths, seconds, *, ax=None):
    """Loop time / scan time against the width B·H, one line per sequence length T (log-log); a ratio above
    1 means the scan is faster. ``seconds``: {"sequential": (len(lengths), len(widths)), "parallel": ...,
    optionally "chunked": ...}."""
    ax = axes_or_new(ax)
    loop = np.asarray(seconds["sequential"])
    styles = {"parallel": "-", "chunked": "--"}
    for method, ls in styles.items():
        if method not in seconds:
            continue
        ratio = loop / np.asarray(seconds[method])
        for i, T in enumerate(lengths):
            ax.plot(widths, ratio[i], ls, marker="o", ms=4, color=f"C{i}", label=f"T = {T}, {method}")
    ax.axhline(1.0, color="0.4", lw=1, ls=":")
    ax.set(xscale="log", yscale="log", xlabel="width B·H", ylabel="loop time / scan time",
           title="where the scan wins (above 1) and loses (below 1)")
    ax.legend(fontsize=8, ncol=2)
    return ax


def plot_recall_vs_pairs(pairs, accuracies, *, chance=None, ax=None):
    """MQAR accuracy against the number of key-value pairs: one line per model (the mean over seeds), a dot
    per seed. ``accuracies``: {model: array (len(pairs), n_seeds)}."""
    ax = axes_or_new(ax)
    for i, (name, acc) in enumerate(accuracies.items()):
        acc = np.asarray(acc, dtype=float)
        ax.plot(pairs, acc.mean(1), "-", color=f"C{i}", label=name)
        for j in range(acc.shape[1]):
            ax.plot(pairs, acc[:, j], "o", ms=3, color=f"C{i}", alpha=0.6)
    if chance is not None:
        ax.axhline(chance, color="0.5", ls=":", label="chance")
    ax.set(xlabel="key-value pairs", ylabel="recall accuracy", xticks=list(pairs), ylim=(-0.02, 1.02),
           title="multi-query associative recall, same size, same budget")
    ax.legend(fontsize=9)
    return ax
