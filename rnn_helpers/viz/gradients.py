"""Vanishing and exploding gradients (chapter 04): Jacobian norms, gradient flow, loss surfaces."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers._checks import as_numpy, describe
from rnn_helpers.viz.style import BLACK, BLUE, GREEN, ORANGE, PINK, SKY_BLUE, VERMILION, axes_or_new

CONTRIBUTION_COLOURS = (BLUE, VERMILION, GREEN, ORANGE, PINK, SKY_BLUE, BLACK)


def plot_jacobian_norms(norms, *, bounds=None, ax=None, title=None):
    """‖∂h_t/∂h_0‖₂ against the time lag t = 1 … T on a log scale, one line per entry of ``norms``.

    ``norms``: dict label -> (T,) array (lengths may differ); ``bounds``: an optional dict with some of the same
    labels -> (T,) array, drawn dashed in the same colour (e.g. the bound (γ λ1)^t). Zeros (a ReLU network
    whose units all switched off) cannot be drawn on a log axis and are left out. Returns the axes.
    Introduced in 04_vanishing_exploding.ipynb.
    """
    if not isinstance(norms, dict) or not norms:
        raise TypeError(f"norms must be a non-empty dict label -> (T,) array, got {describe(norms)}")
    bounds = {} if bounds is None else bounds
    if not isinstance(bounds, dict):
        raise TypeError(f"bounds must be None or a dict label -> (T,) array, got {describe(bounds)}")
    unknown = set(bounds) - set(norms)
    if unknown:
        raise ValueError(f"bounds has labels that norms lacks: {sorted(map(str, unknown))}")
    ax = axes_or_new(ax)
    for label, values in norms.items():
        values = np.asarray(as_numpy(f"norms[{label!r}]", values), dtype=float)
        if values.ndim != 1 or len(values) == 0:
            raise ValueError(f"norms[{label!r}] must be a non-empty 1-D array, got shape {values.shape}")
        t = np.arange(1, len(values) + 1)
        (line,) = ax.plot(t, np.where(values > 0, values, np.nan), label=str(label))
        if label in bounds:
            bound = np.asarray(as_numpy(f"bounds[{label!r}]", bounds[label]), dtype=float)
            ax.plot(np.arange(1, len(bound) + 1), bound, ls="--", lw=1, color=line.get_color())
    ax.set(xlabel="time lag t", ylabel="‖∂h_t/∂h_0‖₂", yscale="log")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=9)
    return ax


def plot_gradient_flow(flow, *, axes=None, units: int = 6):
    """Two panels for one ``gradients.GradientFlow``: left, ‖∂h_t/∂h_0‖₂ against the lag t with the bound
    (γ λ1)^t dashed; right, the first ``units`` hidden units h_t over time. ``axes``: a pair of axes or None.
    Returns the two axes. Introduced in 04_vanishing_exploding.ipynb.
    """
    from rnn_helpers.gradients import GradientFlow

    if not isinstance(flow, GradientFlow):
        raise TypeError(f"flow must be a gradients.GradientFlow (what gradient_flow returns), got {describe(flow)}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    elif len(axes) != 2 or not all(isinstance(a, plt.Axes) for a in axes):
        raise TypeError(f"axes must be None or a pair of matplotlib Axes, got {describe(axes)}")
    label = f"{flow.nonlinearity}, λ1 = {flow.spectral_norm:g}"
    plot_jacobian_norms({label: flow.norms}, bounds={label: flow.bound}, ax=axes[0])
    axes[0].set_title(f"gradient reach (dashed: bound (γλ1)^t, γ = {flow.gamma:g})", fontsize=10)
    t = np.arange(1, len(flow.states) + 1)
    axes[1].plot(t, flow.states[:, :units], lw=1)
    axes[1].set(xlabel="time step t", ylabel="h_t (first units)", title="hidden-state trajectory")
    return axes


def plot_loss_surface(w, b, loss, *, paths=None, ax=None, title=None):
    """A loss over a grid of two parameters as a colour map of log10(loss), with optional trajectories.

    ``w`` (n_w,), ``b`` (n_b,): the grid axes; ``loss`` (n_b, n_w): the loss at (w[j], b[i]);
    ``paths``: optional dict label -> (K, 2) array of (w, b) points, drawn as lines with dots.
    Returns the axes. Introduced in 04_vanishing_exploding.ipynb.
    """
    w, b, loss = (np.asarray(as_numpy(name, v), dtype=float) for name, v in (("w", w), ("b", b), ("loss", loss)))
    if w.ndim != 1 or b.ndim != 1 or loss.shape != (len(b), len(w)):
        raise ValueError(f"loss must have shape (len(b), len(w)) = ({len(b)}, {len(w)}), got {loss.shape}")
    ax = axes_or_new(ax)
    mesh = ax.pcolormesh(w, b, np.log10(np.maximum(loss, 1e-12)), shading="auto", cmap="viridis")
    ax.figure.colorbar(mesh, ax=ax, label="log10 loss")
    for label, path in (paths or {}).items():
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"paths[{label!r}] must have shape (K, 2), got {path.shape}")
        ax.plot(path[:, 0], path[:, 1], ".-", ms=4, label=str(label))
    if paths:
        ax.legend(fontsize=9, loc="lower left")
    ax.set(xlabel="w", ylabel="b", xlim=(w.min(), w.max()), ylim=(b.min(), b.max()))
    if title:
        ax.set_title(title)
    return ax


def plot_temporal_contributions(norms, *, ax=None, title=None, ylabel="mean ‖term‖ at lag t - k"):
    """Pascanu's temporal contributions by distance: for each entry of ``norms`` (dict label -> (T,) array,
    entry d the size of the terms (t, k) with t - k = d, e.g. ``TemporalContributions.lag_norms``), a line
    against the lag d = 0 … T-1 on a log scale, in the palette's colours in order. NaN and zeros are left out.
    Returns the axes. Introduced in 04_vanishing_exploding.ipynb.
    """
    if not isinstance(norms, dict) or not norms:
        raise TypeError(f"norms must be a non-empty dict label -> (T,) array, got {describe(norms)}")
    if len(norms) > len(CONTRIBUTION_COLOURS):
        raise ValueError(f"norms may hold at most {len(CONTRIBUTION_COLOURS)} lines, got {len(norms)}")
    ax = axes_or_new(ax)
    for (label, values), colour in zip(norms.items(), CONTRIBUTION_COLOURS[: len(norms)], strict=True):
        values = np.asarray(as_numpy(f"norms[{label!r}]", values), dtype=float)
        if values.ndim != 1 or len(values) == 0:
            raise ValueError(f"norms[{label!r}] must be a non-empty 1-D array, got shape {values.shape}")
        lag = np.arange(len(values))
        ax.plot(lag, np.where(values > 0, values, np.nan), "o-", ms=3, color=colour, label=str(label))
    ax.set(xlabel="distance t - k (steps between the contribution and its loss)", ylabel=ylabel, yscale="log")
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=9)
    return ax
