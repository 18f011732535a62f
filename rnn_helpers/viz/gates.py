"""LSTM and GRU (chapters 05 and 06): gate heatmaps and how far back the gradient reaches."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers._checks import as_numpy, describe
from rnn_helpers.viz.style import BLUE, GREEN, ORANGE, PINK, SKY_BLUE, VERMILION, axes_or_new

# one colour per gate (Okabe & Ito's colour-blind-safe palette), shared by the gate heatmaps' labels and the cell
# diagrams (viz.plot_cell_diagram): LSTM i, f, g, o; GRU r, z, n (the candidates g and n share green)
GATE_COLOURS = {"i": BLUE, "f": VERMILION, "g": GREEN, "o": PINK, "r": ORANGE, "z": SKY_BLUE, "n": GREEN}


def _panel_scale(values: np.ndarray) -> dict:
    """Colour scale of one heatmap: gates (all values in [0, 1]) on a fixed 0..1 scale; tanh outputs (in
    [-1, 1]) on -1..1; anything else (a cell state) symmetric around 0."""
    low, high = float(values.min()), float(values.max())
    if low >= 0.0 and high <= 1.0:
        return {"cmap": "viridis", "vmin": 0.0, "vmax": 1.0}
    bound = 1.0 if (low >= -1.0 and high <= 1.0) else max(abs(low), abs(high), 1e-12)
    return {"cmap": "RdBu_r", "vmin": -bound, "vmax": bound}


def plot_gate_panels(panels, *, markers=None, units=None, axes=None, title=None):
    """Heatmaps of an LSTM's or a GRU's gates and states over one sequence, one panel per entry of ``panels``:
    units down, time steps across, with a red frame around each marked step.

    Args:
        panels: dict name -> (T, H) array or tensor, e.g. ``{"i": ..., "f": ..., "o": ..., "c": ...}``.
            Gates (values in [0, 1]) share a fixed 0..1 colour scale, tanh outputs -1..1, a cell state a scale
            symmetric around 0 (set by the units shown).
        markers: (T,) array; the steps where it equals 1 are framed (the adding problem's markers).
        units: indices of the units to show, in that order (default: all H).
        axes: a sequence of ``len(panels)`` Axes, or None for a new figure with one row per panel.
        title: the figure's title.

    Returns the list of axes drawn on. Introduced in 05_lstm.ipynb; used in 06_gru.ipynb.
    """
    if not isinstance(panels, dict) or not panels:
        raise TypeError(f"panels must be a non-empty dict name -> (T, H) array, got {describe(panels)}")
    arrays = {name: as_numpy(f"panels[{name!r}]", value) for name, value in panels.items()}
    shape = next(iter(arrays.values())).shape
    for name, value in arrays.items():
        if value.ndim != 2 or value.shape != shape:
            raise ValueError(f"panels[{name!r}] must have shape (T, H) = {shape} like the first one, got {value.shape}")
    T, H = shape
    units = np.arange(H) if units is None else np.asarray(units)
    integers = units.ndim == 1 and len(units) > 0 and np.issubdtype(units.dtype, np.integer)
    if not integers or units.min() < 0 or units.max() >= H:
        raise ValueError(f"units must be a non-empty 1-D list of unit indices in [0, {H - 1}], got {describe(units)}")
    if markers is not None:
        markers = as_numpy("markers", markers)
        if markers.shape != (T,):
            raise ValueError(f"markers must have shape (T,) = ({T},), got {markers.shape}")
    if axes is None:
        fig, axes = plt.subplots(len(arrays), 1, figsize=(7.0, 1.0 + 1.3 * len(arrays)), sharex=True, squeeze=False)
        axes = list(axes[:, 0])
    else:
        axes = list(axes)
        if len(axes) != len(arrays) or not all(isinstance(a, plt.Axes) for a in axes):
            raise TypeError(f"axes must be {len(arrays)} matplotlib Axes (one per panel), got {describe(axes)}")
    for ax, (name, value) in zip(axes, arrays.items(), strict=True):
        shown = value[:, units].T  # (units, T)
        image = ax.imshow(shown, aspect="auto", interpolation="nearest", **_panel_scale(shown))
        ax.figure.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
        ax.set_ylabel(name, rotation=0, labelpad=14, color=GATE_COLOURS.get(name, "black"))
        ticks = np.arange(len(units)) if len(units) <= 16 else np.array([0, len(units) - 1])
        ax.set_yticks(ticks, [str(units[k]) for k in ticks], fontsize=8 if len(units) > 8 else 9)
        ax.grid(False)
        if markers is not None:  # a frame around each marked column, so the values inside stay visible
            for t in np.flatnonzero(markers == 1):
                ax.axvspan(t - 0.5, t + 0.5, fill=False, edgecolor=VERMILION, lw=1.5)
    axes[-1].set_xlabel("time step t (red frames: marked steps)")
    if title:
        axes[0].set_title(title)
    return axes


def plot_gradient_reach(lags, norms, *, ax=None, title="how far back the gradient reaches"):
    """‖∂L/∂h_t‖ against the lag T - t on a log scale, one line per entry of ``norms``.

    ``lags``: (K,) lags; ``norms``: dict label -> (K,) positive gradient norms (e.g. for an RNN and an LSTM).
    Returns the axes. Introduced in 05_lstm.ipynb.
    """
    lags = np.asarray(lags)
    if lags.ndim != 1 or len(lags) == 0:
        raise ValueError(f"lags must be a non-empty 1-D array of lags, got {describe(lags)}")
    if not isinstance(norms, dict) or not norms:
        raise TypeError(f"norms must be a non-empty dict label -> (K,) array, got {describe(norms)}")
    ax = axes_or_new(ax)
    for label, values in norms.items():
        values = np.asarray(values, dtype=float)
        if values.shape != lags.shape:
            raise ValueError(f"norms[{label!r}] must have shape {lags.shape} like lags, got {values.shape}")
        ax.plot(lags, values, "o-", ms=3, label=label)
    ax.set(xlabel="lag T - t (steps back from the loss)", ylabel="‖∂L/∂h_t‖", yscale="log", title=title)
    ax.legend()
    return ax
