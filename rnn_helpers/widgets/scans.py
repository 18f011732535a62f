"""Chapter 12's explorer: step through the rounds of the parallel scan.

Introduced in 12_modern_recurrences.ipynb.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers import viz
from rnn_helpers._checks import describe


def scan_explorer(levels):
    """A slider over the rounds of the parallel scan. ``levels``: the list of (A, h) from
    ``linear_rnn.scan_levels`` (tensors of shape (B, T, H)); the picture shows batch 0, channel 0."""
    if not isinstance(levels, (list, tuple)) or not levels:
        raise TypeError(f"levels must be the non-empty list from linear_rnn.scan_levels, got {describe(levels)}")
    series = [np.asarray(h.detach()[0, :, 0], dtype=float) for _, h in levels]
    slider = widgets.IntSlider(value=0, min=0, max=len(series) - 1, description="round", continuous_update=False)

    def draw(r):
        viz.plot_scan_round(series[r], series[-1], r)
        plt.tight_layout()
        plt.show()

    out = widgets.interactive_output(draw, {"r": slider})
    return widgets.VBox([slider, out])
