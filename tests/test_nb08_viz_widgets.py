"""Chapter 08's plots (viz) and widget (widgets): each plot returns what it drew, with the numbers the notebook
relies on, and rejects bad input; the widget redraws when its controls change, without re-timing anything."""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers import attention, viz, widgets

CONTEXTS = [64, 256, 1024]
SECONDS = {
    "flat": [1e-4, 1e-4, 1e-4],
    "quadratic": [1e-4 + 1e-9 * n**2 for n in CONTEXTS],
}
MEMORY = {"state": lambda n: 64, "cache": lambda n: attention.kv_cache_numbers(n, 32)}


def test_power_law_fits_and_plot_scaling_shows_the_slopes():
    sizes = [512, 1024, 2048]
    seconds = {"linear": [1e-3 * n / 512 for n in sizes], "square": [(n / 512) ** 2 for n in sizes]}
    fits = attention.power_law_fits(sizes, seconds)
    assert fits["linear"][0] == pytest.approx(1.0) and fits["square"][0] == pytest.approx(2.0)
    assert fits["square"][1] == pytest.approx(512.0**-2)
    ax = viz.plot_scaling(sizes, seconds, fits)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["linear: slope 1.00", "square: slope 2.00"]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    np.testing.assert_allclose(dashed[1].get_ydata()[-1], 1e3 * (2048 / 512) ** 2, rtol=1e-9)  # the fit, in ms
    with pytest.raises(ValueError, match=r"seconds\['a'\] must have one time per size \(3\)"):
        attention.power_law_fits(sizes, {"a": [1.0, 2.0]})
    with pytest.raises(TypeError, match="seconds must be a non-empty dict"):
        attention.power_law_fits(sizes, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"seconds\['a'\] must have one time per size \(3\)"):
        viz.plot_scaling(sizes, {"a": [1.0, 2.0]}, {"a": (1.0, 1.0)})
    with pytest.raises(TypeError, match="fits must be a dict name -> \\(slope, c\\) with the names of seconds"):
        viz.plot_scaling(sizes, seconds, {"linear": (1.0, 1.0)})


def test_plot_attention_draws_the_matrix_with_labels_and_marks():
    w = np.full((2, 4), 0.25)
    ax = viz.plot_attention(w, labels=["a", "b", "c", "d"], marks=[1], row_label="head")
    np.testing.assert_array_equal(ax.images[0].get_array(), w)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c", "d"]
    assert ax.get_ylabel() == "head" and len(ax.texts) == 1  # one arrow
    with pytest.raises(ValueError, match=r"weights must have shape \(rows, T_k\), got \(2, 2, 2\)"):
        viz.plot_attention(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"labels must give one text per key position \(4\), got 3"):
        viz.plot_attention(w, labels=["a", "b", "c"])
    with pytest.raises(TypeError, match="weights must be a numpy array or a torch tensor"):
        viz.plot_attention([[1.0]])


def test_plot_input_usage_scales_each_curve_to_one():
    ax = viz.plot_input_usage({"a": np.array([1.0, 4.0, 2.0]), "b": np.array([0.5, 0.1, 0.0])}, marked=[1])
    ys = [line.get_ydata() for line in ax.get_lines()]
    np.testing.assert_allclose(ys[0], [0.25, 1.0, 0.5])
    np.testing.assert_allclose(ys[1], [1.0, 0.2, 0.0])
    assert len(ax.patches) == 1  # the shaded marked step
    with pytest.raises(ValueError, match=r"usage\['a'\] must be 1-D"):
        viz.plot_input_usage({"a": np.zeros((2, 2))})
    with pytest.raises(TypeError, match="usage must be a non-empty dict"):
        viz.plot_input_usage({})


def test_streaming_costs_read_the_fit_and_the_formulas_at_n():
    costs = attention.streaming_costs(4096, CONTEXTS, SECONDS, MEMORY, bytes_per_number=2)
    assert costs.bytes == {"state": 128, "cache": 2 * 4096 * 32 * 2}
    assert costs.seconds["flat"] == pytest.approx(1e-4, rel=1e-6)
    assert costs.seconds["quadratic"] == pytest.approx(1e-4 + 1e-9 * 4096**2, rel=1e-6)
    assert costs.extrapolated and not attention.streaming_costs(256, CONTEXTS, SECONDS, MEMORY).extrapolated
    with pytest.raises(TypeError, match="memory must be a non-empty dict"):
        attention.streaming_costs(64, CONTEXTS, SECONDS, {})
    with pytest.raises(ValueError, match=r"n \(context\) must be >= 1, got 0"):
        attention.streaming_costs(0, CONTEXTS, SECONDS, MEMORY)


def test_plot_streaming_cost_draws_the_costs_at_n():
    ax_t, ax_m = viz.plot_streaming_cost(attention.streaming_costs(4096, CONTEXTS, SECONDS, MEMORY, bytes_per_number=2))
    assert "extrapolated" in ax_t.get_title() and "4096" in ax_m.get_title()
    marked = [line for line in ax_m.get_lines() if line.get_marker() == "s"]
    assert sorted(float(line.get_ydata()[0]) for line in marked) == [128.0, 2 * 4096 * 32 * 2]
    inside = viz.plot_streaming_cost(attention.streaming_costs(256, CONTEXTS, SECONDS, MEMORY))
    assert "extrapolated" not in inside[0].get_title()
    _, axes = plt.subplots(1, 2)
    costs = attention.streaming_costs(64, CONTEXTS, SECONDS, MEMORY)
    assert viz.plot_streaming_cost(costs, axes=axes) == tuple(axes)
    with pytest.raises(TypeError, match="axes must be None or a pair of matplotlib Axes"):
        viz.plot_streaming_cost(costs, axes=[axes[0]])
    with pytest.raises(TypeError, match="costs must be an attention.StreamingCost"):
        viz.plot_streaming_cost(64)


def test_streaming_cost_explorer_redraws_on_every_control(monkeypatch):
    calls = []
    def record(costs):
        calls.append((costs.n, costs.bytes_per_number))

    monkeypatch.setattr(viz, "plot_streaming_cost", record)
    box = widgets.streaming_cost_explorer(CONTEXTS, SECONDS, MEMORY, n=1024)
    assert isinstance(box, ipywidgets.Widget)
    context, number = box.children[0].children
    assert calls[-1] == (1024, 4)
    context.value = 65536
    assert calls[-1] == (65536, 4)
    number.value = 2
    assert calls[-1] == (65536, 2)
    assert min(context.options) == 16 and max(context.options) >= 2**20


def test_streaming_cost_explorer_errors():
    with pytest.raises(ValueError, match="n must be a power of two between 16 and"):
        widgets.streaming_cost_explorer(CONTEXTS, SECONDS, MEMORY, n=1000)
    with pytest.raises(TypeError, match="seconds must be a non-empty dict"):
        widgets.streaming_cost_explorer(CONTEXTS, [], MEMORY)
