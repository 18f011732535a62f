"""Explorers of the applications (11): the forecast explorer. Pick a model, a forecast origin and a horizon,
and see the forecast, its band and what happened. The drawing is ``draw_forecast``, a pure function that tests can call.

Introduced in 11_applications.ipynb.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from rnn_helpers import viz
from rnn_helpers._checks import check_array, check_int, describe


def _check_forecasts(series, target_index, forecasts, bands):
    series = check_array("series", series, ndim=1)
    target_index = check_array("target_index", target_index, ndim=2)
    if not isinstance(forecasts, dict) or not forecasts:
        raise TypeError(f"forecasts must be a non-empty dict of name -> (N, H) array, got {describe(forecasts)}")
    for name, f in forecasts.items():
        if np.shape(f) != target_index.shape:
            raise ValueError(f"forecast {name!r} must have shape {target_index.shape}, got {np.shape(f)}")
    for name, band in (bands or {}).items():
        if name not in forecasts or len(band) != 2 or any(np.shape(b) != target_index.shape for b in band):
            raise ValueError(f"band {name!r} must be (lower, upper) of shape {target_index.shape} for a known model")
    return series, target_index


def draw_forecast(times, series, target_index, forecasts, model, n, *, bands=None, horizon=None, context=28,
                  ax=None):  # fmt: skip
    """Draw model ``model``'s forecast made at origin ``n`` (the ``n``-th test window): ``context`` observed
    days, the ``H`` days that followed, the forecast and its band; the title gives the absolute error at
    ``horizon`` (default ``H``) and the model's test MAE there. Returns ``(ax, error_at_horizon)``.

    ``times`` (T,), ``series`` (T,) in the data's units; ``target_index`` (N, H) time steps forecast by each
    window; ``forecasts``: dict name -> (N, H); ``bands``: dict name -> (lower, upper), each (N, H).
    """
    series, target_index = _check_forecasts(series, target_index, forecasts, bands)
    if model not in forecasts:
        raise ValueError(f"model must be one of {list(forecasts)}, got {model!r}")
    N, H = target_index.shape
    n = check_int("n", n, low=0, high=N - 1)
    horizon = H if horizon is None else check_int("horizon", horizon, low=1, high=H)
    future = target_index[n]  # (H,)
    past = np.arange(max(0, future[0] - check_int("context", context, low=1)), future[0])
    band = None if not bands or model not in bands else (bands[model][0][n], bands[model][1][n])
    ax = viz.plot_forecast(times[past], series[past], times[future], series[future], np.asarray(forecasts[model][n]),
                           band=band, label=model, ax=ax)
    error = float(abs(forecasts[model][n][horizon - 1] - series[future[horizon - 1]]))
    test_mae = float(np.abs(np.asarray(forecasts[model])[:, horizon - 1] - series[target_index[:, horizon - 1]]).mean())
    ax.axvline(times[future[horizon - 1]], color="0.6", ls=":", lw=1)
    ax.set_title(f"{model}: error {error:.1f} at {horizon} days ahead (test MAE there {test_mae:.2f})", fontsize=10)
    return ax, error


def forecast_explorer(times, series, target_index, forecasts, *, bands=None, context=28) -> widgets.VBox:
    """A menu of models, a slider over forecast origins (the test windows) and one over the horizon.

    Returns a ``VBox``: ``.children[0]`` the controls (model, origin, horizon), ``.children[1]`` the plot.
    """
    import matplotlib.pyplot as plt

    series, target_index = _check_forecasts(series, target_index, forecasts, bands)
    N, H = target_index.shape
    model = widgets.Dropdown(options=list(forecasts), description="model")
    origin = widgets.IntSlider(value=0, min=0, max=N - 1, description="origin")
    horizon = widgets.IntSlider(value=H, min=1, max=H, description="days ahead")

    def draw(m, n, h):
        _, ax = plt.subplots(figsize=(8, 3.4))
        draw_forecast(times, series, target_index, forecasts, m, n, bands=bands, horizon=h, context=context, ax=ax)
        plt.show()

    out = widgets.interactive_output(draw, {"m": model, "n": origin, "h": horizon})
    return widgets.VBox([widgets.HBox([model, origin, horizon]), out])
