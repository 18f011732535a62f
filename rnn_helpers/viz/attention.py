"""RNNs and transformers (chapter 08): scaling, attention maps, input usage, streaming cost."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers._checks import as_numpy, describe
from rnn_helpers.viz.style import VERMILION, axes_or_new


def plot_scaling(sizes, seconds: dict, fits: dict, *, ax=None, xlabel: str = "sequence length n"):
    """Time against size on log-log axes: one line of dots per entry of ``seconds`` (name -> times, one per
    size), a dashed power law through each and its slope in the legend (the exponent: 1 for a linear cost, 2
    for a quadratic one). ``fits``: name -> ``(slope, c)``, as ``attention.power_law_fits(sizes, seconds)``
    returns. Returns the axes. Introduced in 08_rnns_vs_transformers.ipynb."""
    sizes = np.asarray(sizes, dtype=float)
    if not isinstance(seconds, dict) or not seconds:
        raise TypeError(f"seconds must be a non-empty dict name -> times, got {describe(seconds)}")
    if not isinstance(fits, dict) or set(fits) != set(seconds):
        raise TypeError(f"fits must be a dict name -> (slope, c) with the names of seconds, got {describe(fits)}")
    ax = axes_or_new(ax)
    grid = np.geomspace(sizes.min(), sizes.max(), 50)
    for name, times in seconds.items():
        times = np.asarray(times, dtype=float)
        if times.shape != sizes.shape:
            raise ValueError(f"seconds[{name!r}] must have one time per size ({len(sizes)}), got shape {times.shape}")
        slope, c = fits[name]
        (line,) = ax.plot(sizes, times * 1e3, "o", label=f"{name}: slope {slope:.2f}")
        ax.plot(grid, c * grid**slope * 1e3, "--", color=line.get_color(), lw=1)
    ax.set(xscale="log", yscale="log", xlabel=xlabel, ylabel="time (ms)")
    ax.legend()
    return ax


def plot_attention(weights, *, ax=None, title: str = "attention weights", marks=None, labels=None,
                   row_label: str = "query position"):
    """An attention map: ``weights`` (rows, T_k), one row per query position (or per head: say so with
    ``row_label``), one column per key position; each row sums to 1. ``marks``: key positions to point at
    with red arrows (e.g. the marked steps of the adding problem); ``labels``: one text per key position for
    the x ticks. Returns the axes. Introduced in 08_rnns_vs_transformers.ipynb."""
    weights = as_numpy("weights", weights)
    if weights.ndim != 2:
        raise ValueError(f"weights must have shape (rows, T_k), got {weights.shape}")
    if labels is not None and len(labels) != weights.shape[1]:
        raise ValueError(f"labels must give one text per key position ({weights.shape[1]}), got {len(labels)}")
    ax = axes_or_new(ax)
    image = ax.imshow(weights, aspect="auto", cmap="viridis", vmin=0.0, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.02)
    if marks is not None:
        for t in np.atleast_1d(marks):
            ax.annotate("", xy=(t, 1.0), xycoords=("data", "axes fraction"), xytext=(t, 1.12),
                        textcoords=("data", "axes fraction"), annotation_clip=False,
                        arrowprops={"arrowstyle": "->", "color": VERMILION, "lw": 2})
    if labels is not None:
        ax.set_xticks(np.arange(len(labels)), [str(label) for label in labels], fontsize=8)
    if len(weights) <= 12:
        ax.set_yticks(np.arange(len(weights)))
    ax.set(xlabel="key position (what is looked at)", ylabel=row_label)
    ax.set_title(title, pad=16 if marks is not None else 6)
    ax.grid(False)
    return ax


def plot_input_usage(usage: dict, *, marked=None, ax=None, title: str = "which input steps the output uses"):
    """How much the output uses each input step, for several models: ``usage`` maps a name to a (T,) array
    (a gradient norm ‖∂ŷ/∂x_t‖, or the attention weights of the last position); each curve is scaled to a
    maximum of 1 so they share one axis. ``marked``: steps to shade (e.g. the marked steps). Returns the axes.
    Introduced in 08_rnns_vs_transformers.ipynb."""
    if not isinstance(usage, dict) or not usage:
        raise TypeError(f"usage must be a non-empty dict name -> (T,) array, got {describe(usage)}")
    ax = axes_or_new(ax)
    for name, values in usage.items():
        values = as_numpy(f"usage[{name!r}]", values).astype(float)
        if values.ndim != 1:
            raise ValueError(f"usage[{name!r}] must be 1-D (one value per step), got shape {values.shape}")
        ax.plot(np.arange(len(values)), values / max(values.max(), 1e-30), marker=".", label=name)
    if marked is not None:
        for t in np.atleast_1d(marked):
            ax.axvspan(t - 0.5, t + 0.5, color=VERMILION, alpha=0.15, lw=0)
    ax.set(xlabel="input step t", ylabel="share of the largest", title=title)
    ax.legend()
    return ax


def _readable(value: float, units) -> str:
    """value in the largest unit of ``units`` ((name, size) pairs, ascending) that keeps it >= 1."""
    name, size = units[0]
    for unit_name, unit_size in units:
        if value >= unit_size:
            name, size = unit_name, unit_size
    return f"{value / size:.3g} {name}"


_SECONDS = (("µs", 1e-6), ("ms", 1e-3), ("s", 1.0), ("min", 60.0), ("h", 3600.0))


_BYTES = (("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12))


def plot_streaming_cost(costs, *, axes=None):
    """The cost of the next token after a context of n tokens, for several streaming models: ``costs`` is an
    ``attention.StreamingCost`` (what ``attention.streaming_costs`` returns).

    Left: time per token against the context, log-log: the measured times as dots, and through them the fitted
    cost model a + b·n + c·n², its value at n marked (an extrapolation outside the measured contexts). Right:
    the memory each model keeps, in bytes. ``axes``: ``None`` or a pair of axes. Returns the pair of axes.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    from numpy.polynomial.polynomial import polyval

    from rnn_helpers.attention import StreamingCost

    if not isinstance(costs, StreamingCost):
        raise TypeError(f"costs must be an attention.StreamingCost (attention.streaming_costs), got {describe(costs)}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    if len(axes) != 2 or not all(isinstance(a, plt.Axes) for a in axes):
        raise TypeError(f"axes must be None or a pair of matplotlib Axes, got {describe(axes)}")
    ax_t, ax_m = axes
    n, contexts = costs.n, costs.contexts
    grid = np.geomspace(min(contexts.min(), n) / 2, max(contexts.max(), n) * 2, 60)
    for name, times in costs.measured.items():
        (line,) = ax_t.plot(contexts, times * 1e6, "o", label=name)
        ax_t.plot(grid, polyval(grid, costs.coefficients[name]) * 1e6, "-", lw=1, alpha=0.6, color=line.get_color())
        ax_t.plot([n], [costs.seconds[name] * 1e6], "s", ms=8, color=line.get_color())
        ax_t.annotate(_readable(costs.seconds[name], _SECONDS), (n, costs.seconds[name] * 1e6), xytext=(6, 4),
                      textcoords="offset points", fontsize=9, color=line.get_color())
    for name, numbers in costs.memory.items():
        values = np.array([numbers(int(g)) for g in grid], dtype=float) * costs.bytes_per_number
        (line,) = ax_m.plot(grid, values, label=name)
        ax_m.plot([n], [costs.bytes[name]], "s", ms=8, color=line.get_color())
        ax_m.annotate(_readable(costs.bytes[name], _BYTES), (n, costs.bytes[name]), xytext=(6, 4),
                      textcoords="offset points", fontsize=9, color=line.get_color())
    for a in axes:
        a.axvline(n, color="0.4", ls=":", lw=1)
        a.set(xscale="log", yscale="log", xlabel="context n (tokens so far)")
        a.legend(fontsize=9)
    note = " (extrapolated)" if costs.extrapolated else ""
    ax_t.set(ylabel="time per new token (µs)", title=f"time at n = {n}{note}")
    ax_m.set(ylabel="memory kept (bytes)", title=f"memory at n = {n}")
    return ax_t, ax_m
