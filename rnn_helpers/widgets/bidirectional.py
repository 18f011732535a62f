"""The shift explorer (chapter 07)."""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import check_accuracy_curves, check_int, describe


def shift_explorer(results, *, chance=None) -> widgets.VBox:
    """A slider over the shift k of ``tasks.shifted_copy``: per-position accuracy of each model at that k.

    ``results``: dict k -> dict label -> (T,) per-position accuracy (``tasks.position_accuracy``), computed
    beforehand so that moving the slider only redraws. ``chance``: the guessing accuracy, drawn dashed.
    The drawing is ``viz.plot_position_accuracy``. Returns a ``VBox``: ``.children[0]`` the slider (its
    options are the k in ``results``, sorted), ``.children[1]`` the plot. Introduced in 07_bidirectional.ipynb.
    """
    if not isinstance(results, dict) or not results:
        raise TypeError(f"results must be a non-empty dict k -> {{label: (T,) accuracies}}, got {describe(results)}")
    for k, curves in results.items():
        check_int("each shift k", k)
        check_accuracy_curves(curves)
    ks = sorted(results)
    shift = widgets.SelectionSlider(options=ks, value=ks[len(ks) // 2], description="shift k")

    def draw(k):
        viz.plot_position_accuracy(results[k], k=k, chance=chance)

    out = widgets.interactive_output(draw, {"k": shift})
    return widgets.VBox([shift, out])
