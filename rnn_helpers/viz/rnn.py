"""The vanilla RNN (chapter 03): the unrolled picture and one step of a character RNN."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers._checks import check_int, check_trace, describe
from rnn_helpers.viz.style import BLUE, BLUE_TINT, GREEN, GREEN_TINT, ORANGE, ORANGE_TINT, VERMILION, axes_or_new


def plot_unrolled_rnn(T: int = 4, *, ax=None):
    """An Elman RNN unrolled over T steps: inputs x_t (bottom), states h_t (boxes), outputs y_t (top).

    Every step uses the same three matrices: W_xh (x_t -> h_t), W_hh (h_{t-1} -> h_t) and W_hy (h_t -> y_t);
    each arrow is labelled with the matrix it applies, so the picture shows the weights shared across time.
    ``T``: the number of steps drawn, 1 <= T <= 8. Returns the axes; its texts are the node and weight labels
    (``$x_t$``, ``$h_t$``, ``$y_t$``, ``$h_0$``, ``$W_{xh}$``, ``$W_{hh}$``, ``$W_{hy}$``).
    Introduced in 03_vanilla_rnn.ipynb.
    """
    from matplotlib.patches import FancyBboxPatch

    T = check_int("T", T, low=1, high=8)
    ax = axes_or_new(ax)
    box = {"boxstyle": "round,pad=0.02", "linewidth": 1.5}
    arrow = {"arrowstyle": "-|>", "color": "0.3", "lw": 1.3, "shrinkA": 0, "shrinkB": 0}

    def node(x, y, label, face, edge):
        ax.add_patch(FancyBboxPatch((x - 0.28, y - 0.22), 0.56, 0.44, facecolor=face, edgecolor=edge, **box))
        ax.text(x, y, label, ha="center", va="center", fontsize=12)

    node(0, 1, "$h_0$", "white", "0.5")
    for t in range(1, T + 1):
        node(t, 0, f"$x_{{{t}}}$", BLUE_TINT, BLUE)
        node(t, 1, f"$h_{{{t}}}$", ORANGE_TINT, ORANGE)
        node(t, 2, f"$y_{{{t}}}$", GREEN_TINT, GREEN)
        ax.annotate("", xy=(t, 0.78), xytext=(t, 0.22), arrowprops=arrow)
        ax.annotate("", xy=(t, 1.78), xytext=(t, 1.22), arrowprops=arrow)
        ax.annotate("", xy=(t - 0.28, 1), xytext=(t - 0.72, 1), arrowprops=arrow)
        ax.text(t + 0.05, 0.5, "$W_{xh}$", fontsize=9, color=BLUE, va="center")
        ax.text(t + 0.05, 1.5, "$W_{hy}$", fontsize=9, color=GREEN, va="center")
        ax.text(t - 0.5, 1.1, "$W_{hh}$", fontsize=9, color=VERMILION, ha="center", va="bottom")
    ax.set(xlim=(-0.5, T + 0.5), ylim=(-0.4, 2.4), title=f"an RNN unrolled over T = {T} steps: one set of weights")
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _show_char(ch: str) -> str:
    """A character as it can be read on a plot: space as ␣, newline as ↵."""
    return {" ": "␣", "\n": "↵", "\t": "⇥"}.get(ch, ch)


def plot_rnn_step(text, t, hidden, probs, tokens, *, k: int | None = None, axes=None):
    """One step of a character RNN reading ``text``: what it has read, its state h_t, what it predicts next.

    Panels: (1) the text with character t highlighted; (2) h_t as one bar per hidden unit, in [-1, 1] for a
    tanh RNN; (3) the k most probable next characters, the true next character (``text[t + 1]``) in orange.

    Args:
        text: the string read, T characters.
        t: the step shown, 0 <= t < T.
        hidden: (T, H) hidden states, ``hidden[t]`` = h_t after reading ``text[t]``.
        probs: (T, V) next-character probabilities, ``probs[t]`` = p(next | text[:t + 1]).
        tokens: the V characters of the vocabulary, in id order.
        k: how many of the most probable characters to show, 1 <= k <= V (default: 5, or V if smaller).
        axes: three matplotlib Axes, or None for a new figure.

    Returns the three axes. Introduced in 03_vanilla_rnn.ipynb.
    """
    hidden, probs = check_trace(text, hidden, probs, tokens)
    t = check_int("t", t, low=0, high=len(text) - 1)
    k = min(5, len(tokens)) if k is None else check_int("k", k, low=1, high=len(tokens))
    if axes is None:
        fig = plt.figure(figsize=(9.0, 4.2))
        grid = fig.add_gridspec(2, 2, height_ratios=(1, 3), width_ratios=(3, 2))
        axes = (fig.add_subplot(grid[0, :]), fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1]))
    elif len(axes) != 3 or not all(isinstance(a, plt.Axes) for a in axes):
        raise TypeError(f"axes must be three matplotlib Axes or None, got {describe(axes)}")
    ax_text, ax_h, ax_p = axes
    lo = max(0, t - 30)  # show at most 30 characters before t and 10 after
    shown = text[lo : t + 11]
    for i, ch in enumerate(shown):
        here = lo + i == t
        style = {"facecolor": ORANGE, "edgecolor": "none", "pad": 2} if here else None
        ax_text.text(i, 0, _show_char(ch), ha="center", va="center", family="monospace", fontsize=13,
                     color="black" if lo + i <= t else "0.7", bbox=style)  # fmt: skip
    ax_text.set(xlim=(-1, max(len(shown), 41)), ylim=(-1, 1), title=f"step t = {t}: reading {_show_char(text[t])!r}")
    ax_text.axis("off")
    H = hidden.shape[1]
    colours = [VERMILION if v > 0 else BLUE for v in hidden[t]]
    ax_h.bar(np.arange(H), hidden[t], color=colours, width=0.9)
    ax_h.set(ylim=(-1.05, 1.05), xlim=(-0.8, H - 0.2), xlabel="hidden unit", ylabel="$h_t$", title="hidden state")
    top = np.argsort(-probs[t], kind="stable")[:k][::-1]  # most probable at the top
    nxt = text[t + 1] if t + 1 < len(text) else None
    bar_colours = [ORANGE if tokens[i] == nxt else "0.6" for i in top]
    ax_p.barh(np.arange(k), probs[t, top], color=bar_colours)
    ax_p.set_yticks(np.arange(k), [_show_char(tokens[i]) for i in top], family="monospace")
    title = "next character" + (f" (true: {_show_char(nxt)!r})" if nxt is not None else "")
    ax_p.set(xlim=(0, 1), xlabel="probability", title=title)
    return ax_text, ax_h, ax_p
