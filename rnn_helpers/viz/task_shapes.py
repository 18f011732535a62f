"""The shapes of recurrent tasks (chapter 03): what goes in and what comes out, step by step."""

from __future__ import annotations

import matplotlib.pyplot as plt

from rnn_helpers._checks import describe
from rnn_helpers.viz.style import (
    BLUE,
    BLUE_TINT,
    CONTEXT,
    GREEN,
    GREEN_TINT,
    ORANGE,
    ORANGE_TINT,
    PINK,
    PINK_TINT,
    axes_or_new,
)

__all__ = ["TASK_SHAPES", "plot_task_shapes"]

TASK_SHAPES = ("one-to-one", "one-to-many", "many-to-one", "many-to-many, aligned", "many-to-many, unaligned")

# for each shape: the steps that get an input, the steps that give an output, the number of steps drawn, and
# the first step of a decoder (None: one network reads and writes)
_LAYOUT = {
    "one-to-one": ((0,), (0,), 1, None),
    "one-to-many": ((0,), (0, 1, 2), 3, None),
    "many-to-one": ((0, 1, 2), (2,), 3, None),
    "many-to-many, aligned": ((0, 1, 2), (0, 1, 2), 3, None),
    "many-to-many, unaligned": ((0, 1, 2), (3, 4), 5, 3),
}


def _check_tasks(tasks) -> dict[str, list[str]]:
    if not isinstance(tasks, dict):
        raise TypeError(
            f"tasks must be a dict from each of {TASK_SHAPES} to a list of task names, got {describe(tasks)}"
        )
    missing, unknown = set(TASK_SHAPES) - set(tasks), set(tasks) - set(TASK_SHAPES)
    if missing or unknown:
        raise ValueError(
            f"tasks must have exactly the keys {TASK_SHAPES}; missing {sorted(missing)}, unknown {sorted(unknown)}"
        )
    checked = {}
    for shape in TASK_SHAPES:
        names = tasks[shape]
        if isinstance(names, str) or not isinstance(names, list | tuple):
            raise TypeError(f"tasks[{shape!r}] must be a list of task names, got {describe(names)}")
        if not all(isinstance(n, str) and n for n in names):
            raise TypeError(f"tasks[{shape!r}] must hold non-empty strings, got {names!r}")
        checked[shape] = list(names)
    return checked


def plot_task_shapes(tasks, *, axes=None):
    """Five shapes of a recurrent task, one panel each, with the tasks that have that shape listed below.

    Each panel draws the network unrolled left to right: inputs (blue, bottom), states (orange; a decoder's
    states pink), outputs (green, top). The shapes, in ``TASK_SHAPES`` order: one-to-one (no sequence at all),
    one-to-many (one input, a sequence out), many-to-one (a sequence in, one output at the end),
    many-to-many aligned (an output at every input step) and many-to-many unaligned (an encoder reads the
    whole input, then a decoder writes an output of another length).

    Args:
        tasks: a dict from every name of ``TASK_SHAPES`` to a list of task names (strings; a list may be empty).
        axes: five matplotlib Axes, or None for a new figure.

    Returns the five axes; each panel's title is its shape, and its texts include the task names.
    Introduced in 03_vanilla_rnn.ipynb.
    """
    from matplotlib.patches import FancyBboxPatch

    tasks = _check_tasks(tasks)
    if axes is None:
        _, axes = plt.subplots(1, 5, figsize=(14, 4.4), gridspec_kw={"width_ratios": (2.6, 3, 3, 3, 5)})
    if len(axes) != 5:
        raise TypeError(f"axes must be five matplotlib Axes or None, got {describe(axes)}")
    axes = [axes_or_new(ax) for ax in axes]
    box = {"boxstyle": "round,pad=0.02", "linewidth": 1.3}
    arrow = {"arrowstyle": "-|>", "color": "0.3", "lw": 1.1, "shrinkA": 0, "shrinkB": 0}

    for ax, shape in zip(axes, TASK_SHAPES, strict=True):
        inputs, outputs, steps, decoder = _LAYOUT[shape]

        def node(x, y, face, edge, label, ax=ax):
            ax.add_patch(FancyBboxPatch((x - 0.25, y - 0.2), 0.5, 0.4, facecolor=face, edgecolor=edge, **box))
            ax.text(x, y, label, ha="center", va="center", fontsize=9)

        for t in range(steps):
            is_decoder = decoder is not None and t >= decoder
            node(t, 1, PINK_TINT if is_decoder else ORANGE_TINT, PINK if is_decoder else ORANGE, "$h$")
            if t:
                ax.annotate("", xy=(t - 0.25, 1), xytext=(t - 0.75, 1), arrowprops=arrow)
            if t in inputs:
                node(t, 0, BLUE_TINT, BLUE, "$x$")
                ax.annotate("", xy=(t, 0.8), xytext=(t, 0.2), arrowprops=arrow)
            if t in outputs:
                node(t, 2, GREEN_TINT, GREEN, "$y$")
                ax.annotate("", xy=(t, 1.8), xytext=(t, 1.2), arrowprops=arrow)
        if decoder is not None:
            ax.text((decoder - 1) / 2, 1.32, "encoder", ha="center", fontsize=8, color=ORANGE)
            ax.text((decoder + steps - 1) / 2, 1.32, "decoder", ha="center", fontsize=8, color=PINK)
        listed = "\n".join(f"• {name}" for name in tasks[shape]) or "(none in this course)"
        ax.text(-0.4, -0.45, listed, ha="left", va="top", fontsize=8.5, color="0.15" if tasks[shape] else CONTEXT)
        ax.set(xlim=(-0.5, max(steps, 2.6) - 0.5), ylim=(-2.3, 2.4), title=shape)
        ax.title.set_fontsize(10)
        ax.axis("off")
    return axes
