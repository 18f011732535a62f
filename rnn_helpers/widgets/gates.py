"""The gate explorer (chapters 05 and 06)."""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import as_numpy


def gate_explorer(panels, markers, *, units=None, targets=None, predictions=None, title="sequence") -> widgets.VBox:
    """A slider that picks one sequence and draws its gates and states as heatmaps (``viz.plot_gate_panels``).

    Args:
        panels: dict name -> (N, T, H) numpy array, e.g. a scratch LSTM's ``gates`` plus ``{"c": cells}``.
        markers: (N, T) array; steps equal to 1 are framed in red.
        units: the unit indices to show first; a toggle switches between these and all H units.
            Default: all units, no toggle.
        targets, predictions: optional (N,) arrays shown in each plot's title.
        title: the word before the sequence number in the title.

    Returns a ``VBox`` holding the controls (``.children[0]``) and the plot output (``.children[1]``).
    Introduced in 05_lstm.ipynb; used in 06_gru.ipynb.
    """
    import numpy as np

    if not isinstance(panels, dict) or not panels:
        raise TypeError(f"panels must be a non-empty dict name -> (N, T, H) array, got {type(panels).__name__}")
    arrays = {name: as_numpy(f"panels[{name!r}]", value) for name, value in panels.items()}
    N, T, H = next(iter(arrays.values())).shape
    for name, value in arrays.items():
        if value.shape != (N, T, H):
            raise ValueError(f"panels[{name!r}] must have shape (N, T, H) = {(N, T, H)}, got {value.shape}")
    markers = as_numpy("markers", markers)
    if markers.shape != (N, T):
        raise ValueError(f"markers must have shape (N, T) = {(N, T)}, got {markers.shape}")
    for name, value in (("targets", targets), ("predictions", predictions)):
        if value is not None and np.asarray(value).reshape(-1).shape != (N,):
            raise ValueError(f"{name} must hold one number per sequence (N = {N}), got shape {np.shape(value)}")
    index = widgets.IntSlider(value=0, min=0, max=N - 1, description=title)
    controls = [index]
    which = widgets.ToggleButtons(options=["selected units", "all units"], value="selected units")
    if units is not None:
        controls.append(which)

    def draw(n, shown):
        label = f"{title} {n}"
        if targets is not None:
            label += f": target {float(np.asarray(targets).reshape(-1)[n]):.3f}"
        if predictions is not None:
            label += f", prediction {float(np.asarray(predictions).reshape(-1)[n]):.3f}"
        chosen = units if (units is not None and shown == "selected units") else None
        viz.plot_gate_panels({k: v[n] for k, v in arrays.items()}, markers=markers[n], units=chosen, title=label)

    out = widgets.interactive_output(draw, {"n": index, "shown": which})
    return widgets.VBox([widgets.HBox(controls), out])
