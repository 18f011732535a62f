"""Chapter 02's plots and its history explorer: each pure plot function draws what it is given and rejects bad
input; the widget is driven without a kernel by setting its menu."""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers import history, viz, widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_timeline_labels_every_milestone_and_highlights_an_era():
    ax = viz.plot_timeline(history.MILESTONES, highlight="srn")
    labels = [t for t in ax.texts]
    assert len(labels) == len(history.MILESTONES)
    bold = {t.get_text() for t in labels if t.get_fontweight() == "bold"}
    assert bold == {f"{m.name} ({m.year})" for m in history.MILESTONES if m.era == "srn"}
    assert ax.get_title() == history.ERAS["srn"]
    plain = viz.plot_timeline(history.MILESTONES[:3])
    assert len(plain.texts) == 3 and all(t.get_fontweight() == "normal" for t in plain.texts)


def test_plot_timeline_errors():
    with pytest.raises(TypeError, match="milestones must be a non-empty list of history.Milestone"):
        viz.plot_timeline([])
    with pytest.raises(ValueError, match="highlight must be None or one of"):
        viz.plot_timeline(history.MILESTONES, highlight="1990s")
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        viz.plot_timeline(history.MILESTONES, ax="left")


def test_plot_era_result_draws_series_and_reference_lines():
    result = history.EraResult("hopfield", "capacity", "s", {"N=100": ([0.1, 0.2], [1.0, 0.3]),
                               "N=200": ([0.1, 0.2], [1.0, 0.2])}, "load", "recalled", reference=0.5,
                               reference_label="half", vline=0.138, vline_label="0.138")
    ax = viz.plot_era_result(result)
    assert len(ax.lines) == 4  # two curves, one horizontal, one vertical line
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [1.0, 0.2])
    assert ax.get_title() == "capacity" and ax.get_xlabel() == "load"
    log = history.EraResult("gates", "t", "s", {"a": ([1, 2], [1e-3, 1e-6])}, "x", "y", logy=True)
    assert viz.plot_era_result(log).get_yscale() == "log"
    with pytest.raises(TypeError, match="result must be a history.EraResult"):
        viz.plot_era_result({"x": 1})


def test_plot_decision_boundary_and_patterns():
    X, y = history.boolean_dataset("AND")
    ax = viz.plot_decision_boundary(X, y, np.array([1.0, 1.0]), -1.5, title="AND")
    assert ax.get_title() == "AND" and len(ax.collections) >= 2
    with pytest.raises(ValueError, match=r"X must be \(n, 2\), y \(n,\) and w \(2,\)"):
        viz.plot_decision_boundary(X, y, np.ones(3), 0.0)
    axes = viz.plot_patterns(np.ones((3, 16)), (4, 4), titles=["a", "b", "c"])
    assert len(axes) == 3 and axes[2].get_title() == "c"
    np.testing.assert_array_equal(axes[0].images[0].get_array(), np.ones((4, 4)))
    with pytest.raises(ValueError, match=r"patterns must be \(k, N\) with N = rows·cols of shape \(4, 5\)"):
        viz.plot_patterns(np.ones((3, 16)), (4, 5))
    with pytest.raises(ValueError, match="titles must have one entry per pattern"):
        viz.plot_patterns(np.ones((3, 16)), (4, 4), titles=["a"])


def results():
    return {
        "perceptron": history.EraResult("perceptron", "accuracy", "AND and OR learned; XOR never above 0.75",
                                        {"XOR": ([1, 2, 3], [0.5, 0.75, 0.5])}, "epoch", "accuracy"),
        "hopfield": history.EraResult("hopfield", "capacity", "recall collapses near 0.16 N",
                                      {"N=200": ([0.1, 0.2], [1.0, 0.3])}, "P/N", "recalled"),
    }


def test_history_explorer_switches_era():
    w = widgets.history_explorer(history.MILESTONES, results())
    assert isinstance(w, ipywidgets.Widget)
    menu, text, out = w.children
    assert menu.value == "perceptron" and "XOR never above 0.75" in text.value and "Rosenblatt" in text.value
    menu.value = "hopfield"
    assert "collapses near 0.16 N" in text.value and "Hopfield" in text.value
    menu.value = "attention"
    assert "Not run here" in text.value and "chapter 08" in text.value and "Vaswani" in text.value
    assert [key for _, key in menu.options] == list(history.ERAS)
    started = widgets.history_explorer(history.MILESTONES, {}, era="linear")
    assert started.children[0].value == "linear" and "Mamba" in started.children[1].value


def test_history_explorer_errors():
    with pytest.raises(TypeError, match="milestones must be a non-empty list"):
        widgets.history_explorer([], {})
    with pytest.raises(TypeError, match="results must be a dict era -> history.EraResult"):
        widgets.history_explorer(history.MILESTONES, {"hopfield": 0.14})
    with pytest.raises(ValueError, match="results\\['srn'\\] holds the result of era 'hopfield'"):
        widgets.history_explorer(history.MILESTONES, {"srn": results()["hopfield"]})
    with pytest.raises(ValueError, match="era must be one of"):
        widgets.history_explorer(history.MILESTONES, {}, era="1990s")
