"""Interactive explorers. Each takes its data as arguments and returns the widget; the drawing is done by a
pure plot function in ``rnn_helpers.viz`` that tests can call without a kernel.

Introduced in 00_start_here.ipynb.
"""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import check_int


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
