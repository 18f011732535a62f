"""The window plots and the window explorer of 01_sequential_data.ipynb: what they draw, how the widget's
controls are wired, and their error messages."""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from rnn_helpers import viz, widgets

SERIES = np.sin(np.arange(200) / 7.0).astype(np.float32) * 10 + np.arange(200) / 50  # (200,)
GREEN, RED = "#009E73", "#D55E00"


# -------------------------------------------------------------------------------------------- plot_window
@pytest.mark.parametrize("start, window, horizon", [(0, 1, 1), (30, 12, 3), (150, 40, 10), (188, 10, 2)])
def test_plot_window_draws_the_window_and_the_targets(start, window, horizon):
    ax = viz.plot_window(SERIES, start, window, horizon=horizon)
    context, inputs, targets = ax.lines[:3]
    np.testing.assert_array_equal(inputs.get_xdata(), np.arange(start, start + window))
    np.testing.assert_allclose(inputs.get_ydata(), SERIES[start : start + window])
    np.testing.assert_array_equal(targets.get_xdata(), np.arange(start + window, start + window + horizon))
    np.testing.assert_allclose(targets.get_ydata(), SERIES[start + window : start + window + horizon])
    # the grey context covers `window` steps either side, clipped to the series
    lo, hi = max(0, start - window), min(len(SERIES), start + window + horizon + window)
    np.testing.assert_array_equal(context.get_xdata(), np.arange(lo, hi))
    # the shaded span covers exactly the input steps
    span = ax.patches[0]
    assert span.get_x() == pytest.approx(start - 0.5)
    assert span.get_x() + span.get_width() == pytest.approx(start + window - 0.5)
    assert "next" in ax.get_title() and str(window) in ax.get_title()


@pytest.mark.parametrize("window, lag, inside", [(6, 12, False), (12, 12, True), (20, 12, True), (11, 12, False)])
def test_plot_window_marks_the_lag_inside_or_outside(window, lag, inside):
    ax = viz.plot_window(SERIES, 50, window, lag=lag, context=5)
    marker = ax.lines[3]
    target = 50 + window
    assert list(marker.get_xdata()) == [target - lag]
    assert marker.get_ydata()[0] == pytest.approx(SERIES[target - lag])
    assert marker.get_markeredgecolor() == (GREEN if inside else RED)
    assert ("inside" if inside else "outside") in marker.get_label()
    assert lag <= window if inside else lag > window


def test_plot_window_accepts_a_column_a_tensor_and_an_axes():
    _, ax = plt.subplots()
    got = viz.plot_window(torch.from_numpy(SERIES[:, None]), 10, 5, ax=ax, unit="°C")
    assert got is ax and ax.get_ylabel() == "°C"
    np.testing.assert_allclose(ax.lines[1].get_ydata(), SERIES[10:15])


def test_plot_window_input_draws_exactly_the_model_input():
    ax = viz.plot_window_input(SERIES, 40, 8, horizon=3)
    heights = [bar.get_height() for bar in ax.patches]
    np.testing.assert_allclose(heights, SERIES[40:51], rtol=1e-6)  # 8 inputs then 3 targets
    xs = [bar.get_x() + bar.get_width() / 2 for bar in ax.patches]
    np.testing.assert_allclose(xs, [*range(8), 9, 10, 11])
    assert "8 numbers" in ax.get_title()


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: viz.plot_window(SERIES.tolist(), 0, 5), TypeError, "series must be a numpy array or a torch tensor"),
        (lambda: viz.plot_window(np.zeros((50, 2)), 0, 5), ValueError, r"series must have shape \(T,\) or \(T, 1\)"),
        (lambda: viz.plot_window(SERIES, 0, 0), ValueError, "window must be >= 1, got 0"),
        (lambda: viz.plot_window(SERIES, 0, 5, horizon=0), ValueError, "horizon must be >= 1, got 0"),
        (lambda: viz.plot_window(SERIES, 195, 5), ValueError, "start must be <= 194, got 195"),
        (lambda: viz.plot_window(SERIES, -1, 5), ValueError, "start must be >= 0, got -1"),
        (lambda: viz.plot_window(SERIES, 2.0, 5), TypeError, "start must be an integer"),
        (lambda: viz.plot_window(SERIES, 3, 5, lag=9), ValueError, "lag must be <= 8, got 9"),
        (lambda: viz.plot_window(SERIES, 3, 5, context=-1), ValueError, "context must be >= 0"),
        (lambda: viz.plot_window(SERIES, 3, 5, ax="left"), TypeError, "ax must be a matplotlib Axes"),
        (lambda: viz.plot_window_input(SERIES, 196, 3, horizon=2), ValueError, "start must be <= 195, got 196"),
    ],
)
def test_window_plots_reject_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------------------------------- window_explorer
def test_window_explorer_wiring(monkeypatch):
    drawn = []
    monkeypatch.setattr(viz, "plot_window", lambda values, s, w, horizon, lag, ax, unit: drawn.append(
        ("window", len(values), s, w, horizon, lag)))
    monkeypatch.setattr(viz, "plot_window_input", lambda values, s, w, horizon, ax: drawn.append(
        ("input", len(values), s, w, horizon)))
    box = widgets.window_explorer(SERIES, window=6, horizon=1, lag=12, start=20)
    assert isinstance(box, ipywidgets.Widget) and isinstance(box.children[1], ipywidgets.Output)
    start, window, horizon = box.children[0].children  # one series: no menu
    assert drawn[-2:] == [("window", 200, 20, 6, 1, 12), ("input", 200, 20, 6, 1)]
    assert start.max == 200 - 6 - 1
    window.value = 20
    assert start.max == 200 - 20 - 1 and drawn[-1] == ("input", 200, 20, 20, 1)
    horizon.value = 5
    assert start.max == 200 - 20 - 5
    start.value = start.max
    assert drawn[-2] == ("window", 200, 175, 20, 5, 12)
    # the circle is left out while the lag reaches before the start of the series
    start.value = 0
    window.value = 6
    assert drawn[-2] == ("window", 200, 0, 6, 5, None)
    plt.close("all")


def test_window_explorer_menu_switches_series_and_bounds(monkeypatch):
    drawn = []
    monkeypatch.setattr(viz, "plot_window", lambda values, s, w, horizon, lag, ax, unit: drawn.append(values))
    monkeypatch.setattr(viz, "plot_window_input", lambda *args, **kwargs: None)
    short = np.arange(40.0)
    box = widgets.window_explorer({"long": SERIES, "short": torch.from_numpy(short)}, window=5, horizon=2)
    menu, start, window, horizon = box.children[0].children
    assert menu.options == ("long", "short")
    assert window.max + horizon.max <= 40 - 1  # every slider position is a valid window of the shortest series
    start.value = 150
    menu.value = "short"
    assert start.max == 40 - 5 - 2 and start.value <= start.max
    np.testing.assert_array_equal(drawn[-1], short)
    plt.close("all")


def test_window_explorer_renders_with_the_real_plots():
    before = len(plt.get_fignums())
    box = widgets.window_explorer(SERIES, window=10, lag=12)
    box.children[0].children[1].value = 14
    assert len(plt.get_fignums()) > before
    plt.close("all")


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(series=np.zeros((50, 3))), ValueError, "series 'series' must be a 1-D numeric array"),
        (dict(series={}), ValueError, "non-empty dict"),
        (dict(series={"x": np.zeros(2)}), ValueError, "at least 3 steps"),
        (dict(series=np.array(["a", "b", "c"])), ValueError, "1-D numeric array"),
        (dict(series=SERIES, window=199), ValueError, "window must be <= 198, got 199"),
        (dict(series=SERIES, window=150, horizon=60), ValueError, "horizon must be <= 49, got 60"),
        (dict(series=SERIES, lag=0), ValueError, "lag must be >= 1, got 0"),
        (dict(series=SERIES, start=500), ValueError, "start must be <= 175, got 500"),
    ],
)
def test_window_explorer_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        widgets.window_explorer(**kwargs)
