"""What every plot shares: the axes to draw on.

The course's colours and matplotlib style are set by ``setup_notebook`` (Okabe & Ito's colour-blind-safe cycle).
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from rnn_helpers._checks import describe


def axes_or_new(ax):
    """``ax`` itself when it is a matplotlib Axes, a new figure's axes when it is ``None``; anything else is refused."""
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
    return ax
