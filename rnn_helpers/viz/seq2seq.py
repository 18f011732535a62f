"""Plots of chapter 10: alignments (Bahdanau et al. 2015, Fig. 3 style) and accuracy against source length
(their Fig. 2 style). Plots only plot; the numbers come from ``rnn_helpers.seq2seq``."""

from __future__ import annotations

from rnn_helpers._checks import as_numpy, describe
from rnn_helpers.viz.style import axes_or_new


def _show(ch: str) -> str:
    return "␣" if ch == " " else ch


def plot_alignment(alpha, source: str, target: str, *, ax=None, title: str | None = None):
    """The attention weights α (T_y, T_x) as a grey map: row t is output character t, column j source
    character j; white = 0, black = 1 (Bahdanau et al. 2015, Fig. 3). α may have one more row than the target
    has characters: the step that wrote the end symbol, labelled ⏎. Introduced in 10_seq2seq_attention.ipynb."""
    alpha = as_numpy("alpha", alpha)
    if not isinstance(source, str) or not isinstance(target, str):
        raise TypeError(f"source and target must be strings, got {describe(source)} and {describe(target)}")
    if alpha.ndim != 2 or alpha.shape[1] != len(source) or alpha.shape[0] not in (len(target), len(target) + 1):
        raise ValueError(f"alpha must have shape (len(target) or len(target) + 1, len(source)) = ({len(target)}, "
                         f"{len(source)}), got {alpha.shape}")
    ax = axes_or_new(ax)
    labels = [_show(c) for c in target] + (["⏎"] if alpha.shape[0] > len(target) else [])
    ax.imshow(alpha, cmap="gray_r", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(source)), [_show(c) for c in source], fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.grid(False)
    ax.set_ylabel("output character t")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_accuracy_by_length(centres, curves: dict, *, ax=None, ylabel: str = "exact match on the test set",
                            title: str | None = None):
    """One line per model: accuracy against source length (Bahdanau et al. 2015, Fig. 2 style).
    ``curves`` maps a label to an array of accuracies (one per centre; NaN where a bin is empty).
    Introduced in 10_seq2seq_attention.ipynb."""
    centres = as_numpy("centres", centres)
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves must be a non-empty dict label -> accuracies, got {describe(curves)}")
    ax = axes_or_new(ax)
    markers = "os^Dv"
    for i, (label, acc) in enumerate(curves.items()):
        acc = as_numpy(f"curves[{label!r}]", acc)
        if acc.shape != centres.shape:
            raise ValueError(f"curves[{label!r}] must have one value per centre ({centres.shape}), got {acc.shape}")
        ax.plot(centres, acc, marker=markers[i % len(markers)], label=label)
    ax.set(xlabel="source length (characters)", ylabel=ylabel, ylim=(-0.02, 1.02))
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def plot_beam_cost(widths, accuracy, seconds, *, axes=None):
    """Two panels: exact match and time against beam width. Introduced in 10_seq2seq_attention.ipynb."""
    import matplotlib.pyplot as plt

    widths, accuracy, seconds = (as_numpy(n, v) for n, v in (("widths", widths), ("accuracy", accuracy),
                                                               ("seconds", seconds)))
    if not widths.shape == accuracy.shape == seconds.shape or widths.ndim != 1:
        raise ValueError("widths, accuracy and seconds must be 1-D arrays of one length")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    axes[0].plot(widths, accuracy, "o-")
    axes[0].set(xlabel="beam width", ylabel="exact match", xscale="log", title="accuracy")
    axes[1].plot(widths, seconds, "o-", color="C1")
    axes[1].set(xlabel="beam width", ylabel="seconds (CPU)", xscale="log", title="cost")
    for ax in axes:
        ax.set_xticks(widths, [str(int(w)) for w in widths])
    return axes


__all__ = ["plot_accuracy_by_length", "plot_alignment", "plot_beam_cost"]
