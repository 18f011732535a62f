"""The streaming-cost explorer (chapter 08)."""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import attention, viz
from rnn_helpers._checks import describe


def streaming_cost_explorer(contexts, seconds: dict, memory: dict, *, n: int = 1024) -> widgets.VBox:
    """Pick a context length n (and a number format) and see, for each streaming model, the time of the next
    token (the cost model a + b·n + c·n² fitted to the per-token times ``seconds`` measured at ``contexts``)
    and the memory it keeps (``memory``: name -> function of n giving a count of numbers). Nothing is re-timed
    when the slider moves.

    Returns a ``VBox`` holding the controls (``.children[0]``) and the plot output (``.children[1]``); the
    numbers are ``attention.streaming_costs``, the drawing ``viz.plot_streaming_cost``.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    lengths = [2**k for k in range(4, 21)]  # 16 ... about a million tokens
    if n not in lengths:
        raise ValueError(f"n must be a power of two between 16 and {lengths[-1]}, got {n!r}")
    for name, arg in (("seconds", seconds), ("memory", memory)):
        if not isinstance(arg, dict) or not arg:
            raise TypeError(f"{name} must be a non-empty dict, got {describe(arg)}")
    context = widgets.SelectionSlider(options=lengths, value=n, description="context n", continuous_update=False)
    number = widgets.Dropdown(options=[("float32 (4 bytes)", 4), ("float16 (2 bytes)", 2)], value=4,
                              description="numbers")

    def draw(n, bytes_per_number):
        costs = attention.streaming_costs(n, contexts, seconds, memory, bytes_per_number=bytes_per_number)
        viz.plot_streaming_cost(costs)

    out = widgets.interactive_output(draw, {"n": context, "bytes_per_number": number})
    return widgets.VBox([widgets.HBox([context, number]), out])
