"""Explorers of sequences: the adding problem (00) and windows over real series (01)."""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import check_int, describe


def adding_explorer(n: int = 20, *, seed: int = 0) -> widgets.VBox:
    """Sliders for the sequence length T and the example index; draws one adding-problem sequence.

    Returns a ``VBox`` holding the controls (``.children[0]``) and the plot output (``.children[1]``).
    """
    from rnn_helpers import tasks

    n = check_int("n", n, low=1)
    length = widgets.IntSlider(value=50, min=10, max=200, step=10, description="T")
    index = widgets.IntSlider(value=0, min=0, max=n - 1, description="example")

    def draw(T, i):
        x, y = tasks.adding_problem(n, T, seed=seed)
        viz.plot_adding_example(x[i], y[i])

    out = widgets.interactive_output(draw, {"T": length, "i": index})
    return widgets.VBox([widgets.HBox([length, index]), out])


def window_explorer(series, *, window=24, horizon=1, lag=None, start=0, unit="") -> widgets.VBox:
    """Slide a fixed window over a real series and see exactly what a window model is given.

    ``series``: a (T,) numpy array, or a dict ``{name: (T,) array}`` (a menu then picks the series).
    Sliders: the window's ``start``, its length ``window`` (up to 4x the initial one) and the ``horizon``
    (up to 24); ``lag`` (an int or ``None``) circles the value that many steps before the target, so you can
    see it fall out of a short window. Draws ``viz.plot_window`` and ``viz.plot_window_input`` side by side.

    Returns a ``VBox``: ``.children[0]`` holds the controls (a ``HBox``), ``.children[1]`` the plot output.
    The ``start`` slider's maximum follows the series, the window and the horizon, so every position it
    allows is a valid window. Introduced in 01_sequential_data.ipynb.
    """
    import numpy as np
    from matplotlib import pyplot as plt

    named = series if isinstance(series, dict) else {"series": series}
    arrays = {}
    for name, values in named.items():
        values = np.asarray(values.detach().cpu() if hasattr(values, "detach") else values)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]  # (T, 1) -> (T,)
        if values.ndim != 1 or not np.issubdtype(values.dtype, np.number) or len(values) < 3:
            raise ValueError(f"series {name!r} must be a 1-D numeric array of at least 3 steps, got {describe(values)}")
        arrays[name] = values
    if not arrays:
        raise ValueError("series must be an array or a non-empty dict of arrays, got an empty dict")
    shortest = min(len(v) for v in arrays.values())
    window = check_int("window", window, low=1, high=shortest - 2)
    horizon = check_int("horizon", horizon, low=1, high=shortest - window - 1)
    lag = None if lag is None else check_int("lag", lag, low=1)
    # bounds chosen so that window + horizon <= shortest - 1 for every slider position
    h_max = min(max(horizon, 24), shortest - window - 1)
    w_max = min(4 * window, shortest - h_max - 1)
    choice = widgets.Dropdown(options=list(arrays), description="series")
    w_slider = widgets.IntSlider(value=window, min=1, max=w_max, description="window")
    h_slider = widgets.IntSlider(value=horizon, min=1, max=h_max, description="horizon")
    start_slider = widgets.IntSlider(value=0, min=0, max=len(arrays[choice.value]) - window - horizon,
                                     description="start")
    start_slider.value = check_int("start", start, low=0, high=start_slider.max)

    def update_start_max(_=None):
        start_slider.max = len(arrays[choice.value]) - w_slider.value - h_slider.value

    for control in (choice, w_slider, h_slider):
        control.observe(update_start_max, names="value")

    def draw(name, s, w, h):
        values = arrays[name]
        s = min(s, len(values) - w - h)
        _, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4), gridspec_kw={"width_ratios": [3, 2]})
        shown_lag = lag if lag is not None and lag <= s + w else None
        viz.plot_window(values, s, w, horizon=h, lag=shown_lag, ax=left, unit=unit)
        viz.plot_window_input(values, s, w, horizon=h, ax=right)
        plt.tight_layout()

    out = widgets.interactive_output(draw, {"name": choice, "s": start_slider, "w": w_slider, "h": h_slider})
    controls = [start_slider, w_slider, h_slider]
    return widgets.VBox([widgets.HBox([choice, *controls] if len(arrays) > 1 else controls), out])
