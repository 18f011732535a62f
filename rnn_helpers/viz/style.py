"""What every plot shares: the axes to draw on, and the course palette by name.

``setup_notebook`` sets the course's matplotlib style and Okabe & Ito's colour-blind-safe cycle
(``environment.OKABE_ITO``). A plot that picks a colour picks it here, by name: ``VERMILION`` marks what matters
(targets, marked steps), ``CONTEXT`` (a grey) what is only context, and the ``*_TINT`` colours are light
backgrounds of the colour they are named after. No plot writes a colour as a literal.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from rnn_helpers._checks import describe
from rnn_helpers.environment import BLACK, BLUE, GREEN, OKABE_ITO, ORANGE, PINK, SKY_BLUE, VERMILION, YELLOW

__all__ = [
    "BLACK", "BLUE", "BLUE_TINT", "CONTEXT", "GREEN", "GREEN_TINT", "OKABE_ITO", "ORANGE", "ORANGE_TINT",
    "PANEL_GREY", "PINK", "PINK_TINT", "SKY_BLUE", "VERMILION", "YELLOW", "axes_or_new",
]

BLUE_TINT, ORANGE_TINT, GREEN_TINT = "#E8F1FA", "#FDF0E0", "#E5F5EF"  # light backgrounds (boxes of a diagram)
PINK_TINT = "#F9D5E5"
PANEL_GREY = "#F4F4F4"  # the background panel of a diagram
CONTEXT = "0.6"  # grey for what is only context (baselines, reference lines)


def axes_or_new(ax):
    """``ax`` itself when it is a matplotlib Axes, a new figure's axes when it is ``None``; anything else is refused."""
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
    return ax
