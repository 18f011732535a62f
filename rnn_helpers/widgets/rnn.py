"""Step through a character RNN (chapter 03)."""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import check_int, check_trace


def rnn_stepper(text, hidden, probs, tokens, *, k: int | None = None) -> widgets.VBox:
    """A slider over the steps t of ``text``: shows the character read, h_t and the top-k next characters.

    ``hidden`` (T, H) and ``probs`` (T, V) are what a character RNN computed while reading ``text`` (T
    characters), e.g. from ``models.char_lm_trace``; ``tokens`` are the V vocabulary characters; ``k`` is how
    many of the most probable next characters to show (default: 5, or V if smaller). The drawing
    is ``viz.plot_rnn_step``. Returns a ``VBox``: ``.children[0]`` the slider, ``.children[1]`` the plot.
    Introduced in 03_vanilla_rnn.ipynb.
    """
    check_trace(text, hidden, probs, tokens)
    k = min(5, len(tokens)) if k is None else check_int("k", k, low=1, high=len(tokens))
    step = widgets.IntSlider(value=0, min=0, max=len(text) - 1, description="step t")

    def draw(t):
        viz.plot_rnn_step(text, t, hidden, probs, tokens, k=k)

    out = widgets.interactive_output(draw, {"t": step})
    return widgets.VBox([step, out])
