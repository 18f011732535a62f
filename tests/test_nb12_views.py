"""viz.scans and widgets.scans (chapter 12): the rounds of the scan, the plots, the widget without a kernel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from rnn_helpers import linear_rnn, viz, widgets  # noqa: E402


def test_scan_coverage_matches_the_rounds():
    cov = linear_rnn.scan_coverage(6, 1)  # after one round: steps t-1 and t
    assert cov[3].tolist() == [False, False, True, True, False, False]
    assert linear_rnn.scan_coverage(6, 0).sum() == 6 and linear_rnn.scan_coverage(6, 3).sum() == 21
    with pytest.raises(ValueError):
        linear_rnn.scan_coverage(0, 1)


def test_plots_return_their_axes():
    levels = linear_rnn.scan_levels(torch.rand(1, 8, 1), torch.randn(1, 8, 1))
    axes = viz.plot_scan_round(levels[1][1][0, :, 0].numpy(), levels[-1][1][0, :, 0].numpy(), 1)
    assert len(axes) == 2
    with pytest.raises(ValueError):
        viz.plot_scan_round(np.zeros(3), np.zeros(4), 1)
    sec = {"sequential": np.array([[2.0, 1.0]]), "parallel": np.array([[1.0, 2.0]]), "chunked": np.ones((1, 2))}
    ax = viz.plot_scan_speedup([100], [1, 10], sec)
    assert len(ax.lines) == 3  # parallel, chunked, the line at 1
    ax = viz.plot_recall_vs_pairs([2, 4], {"a": np.ones((2, 3)), "b": np.zeros((2, 3))}, chance=0.1)
    assert ax.get_ylabel() == "recall accuracy"


def test_explorer_slider_redraws():
    levels = linear_rnn.scan_levels(torch.rand(1, 8, 1), torch.randn(1, 8, 1))
    box = widgets.scan_explorer(levels)
    slider = box.children[0]
    assert slider.max == len(levels) - 1
    slider.value = slider.max  # drives the interactive output without a kernel
    assert slider.value == 3
    with pytest.raises(TypeError):
        widgets.scan_explorer([])
