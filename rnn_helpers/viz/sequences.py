"""Sequences and the windows cut from them: the adding problem (00) and real series (01)."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import as_numpy, check_int
from rnn_helpers.viz.style import BLUE, GREEN, ORANGE, VERMILION, axes_or_new


def plot_adding_example(x, y, *, ax=None):
    """One sequence of the adding problem: the values as a line, the marked steps as red dots.

    ``x``: (T, 2) array or tensor, columns (value, marker); ``y``: its target (a number or a 1-element array).
    """
    x = as_numpy("x", x)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (T, 2) (one sequence of the adding problem), got {x.shape}")
    ax = axes_or_new(ax)
    t = np.arange(len(x))
    marked = x[:, 1] == 1.0
    ax.plot(t, x[:, 0], color="0.6", lw=1, label="value")
    ax.scatter(t[marked], x[marked, 0], color=VERMILION, zorder=3, label="marked")
    target = float(np.asarray(as_numpy("y", y) if hasattr(y, "detach") else y).reshape(-1)[0])
    ax.set(xlabel="time step t", ylabel="value", title=f"adding problem, T = {len(x)}: target {target:.3f}")
    ax.legend(loc="upper right")
    return ax


def _window_args(series, start, window, horizon) -> tuple[np.ndarray, int, int, int]:
    """Check the arguments of the window plots; return the series as (T,) float64 and the three ints."""
    series = np.asarray(as_numpy("series", series), dtype=np.float64)
    if series.ndim == 2 and series.shape[1] == 1:
        series = series[:, 0]
    if series.ndim != 1:
        raise ValueError(f"series must have shape (T,) or (T, 1) (one feature), got {series.shape}")
    window, horizon = check_int("window", window, low=1), check_int("horizon", horizon, low=1)
    start = check_int("start", start, low=0, high=len(series) - window - horizon)
    return series, start, window, horizon


def plot_window(series, start, window, *, horizon=1, lag=None, context=None, ax=None, unit=""):
    """What a fixed-window model is given, drawn on the series it was cut from.

    Grey: the series around the window; blue, shaded: the ``window`` inputs ``series[start : start + window]``;
    orange: the ``horizon`` targets right after them. With ``lag``, the step ``lag`` steps before the first
    target is circled: green when it lies inside the window (the model can use it), red when it does not.

    Args:
        series: (T,) or (T, 1) numpy array or tensor. ``start``, ``window``, ``horizon``: ints, with
            ``start + window + horizon <= T``. ``lag``: int >= 1 or ``None``. ``context``: steps of series
            shown on each side (default: ``window``). ``unit``: y-axis label.

    Returns the axes. Introduced in 01_sequential_data.ipynb.
    """
    series, start, window, horizon = _window_args(series, start, window, horizon)
    context = window if context is None else check_int("context", context, low=0)
    if lag is not None:
        lag = check_int("lag", lag, low=1, high=start + window)
    ax = axes_or_new(ax)
    first_target = start + window
    lo, hi = max(0, start - context), min(len(series), first_target + horizon + context)
    t = np.arange(lo, hi)
    ax.plot(t, series[lo:hi], color="0.65", lw=1, label="series")
    x_t = np.arange(start, first_target)
    ax.axvspan(start - 0.5, first_target - 0.5, color=BLUE, alpha=0.12)
    ax.plot(x_t, series[start:first_target], "o-", color=BLUE, ms=3, lw=1.2, label=f"input: {window} steps")
    y_t = np.arange(first_target, first_target + horizon)
    ax.plot(y_t, series[y_t], "s", color=ORANGE, ms=6, label=f"target: next {horizon}")
    if lag is not None:
        inside = lag <= window
        colour = GREEN if inside else VERMILION
        where = "inside" if inside else "outside"
        ax.plot(first_target - lag, series[first_target - lag], "o", ms=12, mfc="none", mec=colour, mew=2,
                label=f"{lag} steps back: {where} the window")
    from matplotlib.ticker import MaxNLocator

    plural = "s" if horizon > 1 else ""
    title = f"a window of {window} steps predicts the next {horizon} step{plural}"
    ax.set(xlabel="time step", ylabel=unit, title=title)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="best", fontsize=8, frameon=True, framealpha=0.85)
    return ax


def plot_window_input(series, start, window, *, horizon=1, ax=None):
    """The numbers a fixed-window model receives, as bars: its input vector ``x`` (``window`` values,
    positions 0 .. window - 1, blue) and the ``horizon`` values it must predict (orange), and nothing else.

    Same arguments as ``plot_window``. Returns the axes. Introduced in 01_sequential_data.ipynb.
    """
    series, start, window, horizon = _window_args(series, start, window, horizon)
    ax = axes_or_new(ax)
    x = series[start : start + window]  # (window,)
    y = series[start + window : start + window + horizon]  # (horizon,)
    ax.bar(np.arange(window), x, color=BLUE, label="input x")
    ax.bar(np.arange(window + 1, window + 1 + horizon), y, color=ORANGE, label="target y")
    from matplotlib.ticker import MaxNLocator

    ax.axvline(window, color="0.4", ls=":", lw=1)
    ax.set(xlabel="position in the input vector", title=f"all the model is given: {window} numbers")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="best", fontsize=8, frameon=True, framealpha=0.85)
    return ax
