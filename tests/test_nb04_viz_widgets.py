"""Chapter 04's plots and the gradient-flow explorer: what they draw, and that the widget's sliders redraw
with the numbers of gradients.gradient_flow."""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_helpers import gradients, viz
from rnn_helpers.widgets import gradient_flow_explorer


def test_plot_jacobian_norms_draws_lines_and_dashed_bounds():
    norms = {"a": np.array([1.0, 0.5, 0.25]), "b": np.array([1.0, 0.0, 2.0, 4.0])}
    ax = viz.plot_jacobian_norms(norms, bounds={"a": np.array([1.0, 1.0, 1.0])}, title="t")
    lines = ax.get_lines()
    assert len(lines) == 3 and ax.get_yscale() == "log" and ax.get_title() == "t"
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    assert lines[1].get_linestyle() == "--" and lines[1].get_color() == lines[0].get_color()
    assert np.isnan(lines[2].get_ydata()[1])  # a zero cannot be drawn on a log axis
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_plot_jacobian_norms_errors():
    with pytest.raises(TypeError, match="norms must be a non-empty dict label -> \\(T,\\) array"):
        viz.plot_jacobian_norms([1.0, 2.0])
    with pytest.raises(ValueError, match="bounds has labels that norms lacks: \\['c'\\]"):
        viz.plot_jacobian_norms({"a": np.ones(3)}, bounds={"c": np.ones(3)})
    with pytest.raises(ValueError, match="norms\\['a'\\] must be a non-empty 1-D array, got shape \\(2, 2\\)"):
        viz.plot_jacobian_norms({"a": np.ones((2, 2))})
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        viz.plot_jacobian_norms({"a": np.ones(3)}, ax="left")


def test_plot_gradient_flow_two_panels():
    flow = gradients.gradient_flow(0.9, "tanh", 30, H=8)
    axes = viz.plot_gradient_flow(flow, units=3)
    assert len(axes) == 2
    norm_line, bound_line = axes[0].get_lines()
    np.testing.assert_allclose(norm_line.get_ydata(), flow.norms)
    np.testing.assert_allclose(bound_line.get_ydata(), 0.9 ** np.arange(1, 31))
    assert len(axes[1].get_lines()) == 3
    _, given = plt.subplots(1, 2)
    assert viz.plot_gradient_flow(flow, axes=given) is given
    with pytest.raises(TypeError, match="flow must be a gradients.GradientFlow"):
        viz.plot_gradient_flow({"norms": flow.norms})
    with pytest.raises(TypeError, match="axes must be None or a pair of matplotlib Axes"):
        viz.plot_gradient_flow(flow, axes=[given[0]])


def test_plot_loss_surface_and_paths():
    w, b = np.linspace(0, 1, 4), np.linspace(-1, 1, 3)
    loss = np.arange(12.0).reshape(3, 4)
    ax = viz.plot_loss_surface(w, b, loss, paths={"run": np.array([[0.1, 0.0], [0.5, 0.5]])}, title="cliff")
    assert ax.get_title() == "cliff" and len(ax.collections) == 1 and len(ax.get_lines()) == 1
    mesh = ax.collections[0].get_array()
    assert mesh.min() == -12.0 and np.isclose(mesh.max(), np.log10(11.0))  # log10, with 0 floored at 1e-12
    with pytest.raises(ValueError, match=r"loss must have shape \(len\(b\), len\(w\)\) = \(3, 4\), got \(4, 3\)"):
        viz.plot_loss_surface(w, b, loss.T)
    with pytest.raises(ValueError, match="paths\\['run'\\] must have shape \\(K, 2\\), got \\(3,\\)"):
        viz.plot_loss_surface(w, b, loss, paths={"run": np.ones(3)})


def test_gradient_flow_explorer_redraws_with_the_sliders():
    explorer = gradient_flow_explorer(H=8, seed=3)
    assert isinstance(explorer, ipywidgets.Widget)
    (lam, phi), (length, scale) = (box.children for box in explorer.children[0].children)
    assert isinstance(explorer.children[1], ipywidgets.Output)
    first = explorer.flow
    assert (first.spectral_norm, first.nonlinearity, len(first.norms)) == (1.0, "tanh", 60)
    lam.value, phi.value, length.value, scale.value = 1.5, "identity", 40, 0.5
    flow = explorer.flow
    expected = gradients.gradient_flow(1.5, "identity", 40, H=8, input_scale=0.5, seed=3)
    assert (flow.spectral_norm, flow.nonlinearity) == (1.5, "identity")
    np.testing.assert_allclose(flow.norms, expected.norms)
    np.testing.assert_allclose(flow.norms, 1.5 ** np.arange(1, 41), rtol=1e-9)
    phi.value = "sigmoid"
    assert explorer.flow.gamma == 0.25 and np.all(explorer.flow.norms <= explorer.flow.bound * (1 + 1e-10))


def test_gradient_flow_explorer_errors():
    with pytest.raises(ValueError, match="H must be >= 1, got 0"):
        gradient_flow_explorer(H=0)
    with pytest.raises(ValueError, match="seed must be >= 0, got -1"):
        gradient_flow_explorer(seed=-1)


def test_plot_temporal_contributions_draws_one_line_per_entry_in_palette_colours():
    ax = viz.plot_temporal_contributions({"a": np.array([1.0, 0.1, np.nan]), "b": np.array([2.0, 0.0, 1.0, 3.0])},
                                         title="t")
    lines = ax.get_lines()
    assert len(lines) == 2 and ax.get_yscale() == "log" and ax.get_title() == "t"
    np.testing.assert_array_equal(lines[0].get_xdata(), [0, 1, 2])
    assert np.isnan(lines[1].get_ydata()[1])  # a zero cannot be drawn on a log axis
    assert lines[0].get_color() == viz.BLUE and lines[1].get_color() == viz.VERMILION
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    plt.close("all")


def test_plot_temporal_contributions_errors():
    with pytest.raises(TypeError, match="norms must be a non-empty dict"):
        viz.plot_temporal_contributions(np.ones(3))
    with pytest.raises(ValueError, match="must be a non-empty 1-D array"):
        viz.plot_temporal_contributions({"a": np.ones((2, 2))})
    with pytest.raises(ValueError, match="at most 7 lines"):
        viz.plot_temporal_contributions({i: np.ones(2) for i in range(8)})
    plt.close("all")
