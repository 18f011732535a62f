"""The hidden-state lab (chapter 09): text heatmaps, unit traces and rankings, gate saturation, trajectories."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import as_numpy, describe
from rnn_helpers.viz.style import BLUE, ORANGE, VERMILION, axes_or_new


def _unit_values(name: str, values, length: int | None = None) -> np.ndarray:
    """A 1-D float array (T,), checked against the text length when one is given."""
    values = np.asarray(as_numpy(name, values) if hasattr(values, "detach") else values, dtype=np.float64)
    if values.ndim != 1 or (length is not None and len(values) != length):
        wanted = f"({length},), one value per character" if length is not None else "(T,)"
        raise ValueError(f"{name} must have shape {wanted}, got {values.shape}")
    return values


def text_heatmap_html(text, values, *, vmax=None, title=None, cmap="RdBu_r"):
    """The text with each character's background coloured by one unit's activation (Karpathy, Johnson &
    Fei-Fei 2015, Fig. 2): blue for negative, white for 0, red for positive, saturated at ±``vmax``
    (default: the largest |value|). Hover a character to see its step and value. A newline shows as ↵.

    ``text``: a string of T characters; ``values``: (T,) array or tensor. Returns an
    ``IPython.display.HTML`` (a notebook shows it; ``.data`` is the HTML string). The text is escaped.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    import html

    import matplotlib as mpl
    from IPython.display import HTML

    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {describe(text)}")
    values = _unit_values("values", values, len(text))
    finite = np.abs(values[np.isfinite(values)])
    scale = float(vmax) if vmax is not None else (float(finite.max()) if finite.size and finite.max() > 0 else 1.0)
    if not scale > 0:
        raise ValueError(f"vmax must be a positive number, got {vmax!r}")
    colour_map = mpl.colormaps[cmap]
    spans = []
    for t, (ch, v) in enumerate(zip(text, values, strict=True)):
        shade = 0.5 if not np.isfinite(v) else 0.5 + 0.5 * float(np.clip(v / scale, -1.0, 1.0))
        colour = mpl.colors.to_hex(colour_map(shade))
        shown = "↵\n" if ch == "\n" else html.escape(ch)
        spans.append(f'<span style="background:{colour}" title="t={t}, value={v:.3f}">{shown}</span>')
    head = f"<div><b>{html.escape(str(title))}</b></div>" if title is not None else ""
    legend = f'<div style="font-size:smaller">colour scale: blue = -{scale:.3g}, white = 0, red = +{scale:.3g}</div>'
    body = (
        '<div style="font-family:monospace; white-space:pre; line-height:1.35; overflow-x:auto">'
        + "".join(spans)
        + "</div>"
    )
    return HTML(head + body + legend)


def plot_unit_heatmap(values, *, units=None, text=None, ax=None, title=None):
    """Units × time: row j is unit j's activation over the T steps, blue negative, red positive.

    ``values``: (T, H) array or tensor (e.g. ``Recording.select("cell", layer=1)``); ``units``: the rows to
    show (default: all); ``text``: the T characters, written under the time axis when T <= 80.
    Returns the axes. Introduced in 09_hidden_state_lab.ipynb.
    """
    values = np.asarray(as_numpy("values", values) if hasattr(values, "detach") else values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"values must have shape (T, H) (time by unit), got {values.shape}")
    units = np.arange(values.shape[1]) if units is None else np.asarray(units, dtype=int)
    if units.ndim != 1 or len(units) == 0 or units.min() < 0 or units.max() >= values.shape[1]:
        raise ValueError(f"units must be a non-empty list of unit indices in [0, {values.shape[1] - 1}]")
    if text is not None and (not isinstance(text, str) or len(text) != values.shape[0]):
        raise ValueError(f"text must be a string of {values.shape[0]} characters (one per step), got {describe(text)}")
    ax = axes_or_new(ax)
    shown = values[:, units].T  # (units, T)
    vmax = float(np.abs(shown).max()) or 1.0
    image = ax.imshow(shown, aspect="auto", cmap="RdBu_r", vmin=-vmax, vmax=vmax, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    ax.set(xlabel="time step t", ylabel="unit", title=title or f"{len(units)} units over {values.shape[0]} steps")
    ax.grid(False)
    if len(units) <= 20:
        ax.set_yticks(range(len(units)), [str(u) for u in units])
    if text is not None and len(text) <= 80:
        ax.set_xticks(range(len(text)), ["↵" if c == "\n" else c for c in text], fontfamily="monospace")
        ax.set_xlabel("character read at step t")
    return ax


def plot_unit_trace(values, feature=None, *, ax=None, label="unit", feature_label="feature"):
    """One unit's activation over time (line) and, on a twin y-axis on the right, the feature it is compared
    with (grey steps). ``values`` and ``feature``: (T,) arrays. Returns the unit's axes.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    values = _unit_values("values", values)
    ax = axes_or_new(ax)
    t = np.arange(len(values))
    ax.plot(t, values, color=VERMILION, lw=1.2, label=label)
    ax.set(xlabel="time step t", ylabel=label)
    if feature is not None:
        feature = _unit_values("feature", feature, len(values))
        right = ax.twinx()
        right.step(t, feature, where="mid", color="0.45", lw=1, alpha=0.8)
        right.set_ylabel(feature_label, color="0.35")
        right.grid(False)
    return ax


def plot_unit_ranking(ranking, *, ax=None, title="units ranked by |r|"):
    """Horizontal bars of Pearson's r for the units ``probe.find_units`` returned (a list of (unit, r)),
    the best at the top. Returns the axes. Introduced in 09_hidden_state_lab.ipynb.
    """
    if not isinstance(ranking, list | tuple) or not ranking or not all(len(pair) == 2 for pair in ranking):
        raise TypeError(f"ranking must be a non-empty list of (unit, r) pairs, got {describe(ranking)}")
    ax = axes_or_new(ax)
    units = [int(u) for u, _ in ranking][::-1]
    r = np.array([float(v) for _, v in ranking])[::-1]
    colours = [VERMILION if v > 0 else BLUE for v in r]
    ax.barh(range(len(r)), r, color=colours)
    ax.set_yticks(range(len(r)), [f"unit {u}" for u in units])
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set(xlim=(-1.05, 1.05), xlabel="Pearson r with the feature", title=title)
    return ax


def plot_gate_saturation(saturation, gate="f", *, ax=None):
    """Gate saturation as in Karpathy, Johnson & Fei-Fei (2015), Fig. 3: one dot per unit at (fraction of
    steps its gate is left-saturated, < 0.1; fraction right-saturated, > 0.9), one colour per layer
    (and direction). Dots near the top-left corner keep their memory open; the bottom-right, shut.

    ``saturation``: a dict label -> ``(left, right)``, each (H,), as ``probe.saturation_by_layer(recording,
    gate)`` returns; ``gate``: its name, for the title. Returns the axes. Introduced in 09_hidden_state_lab.ipynb.
    """
    if not isinstance(saturation, dict) or not saturation or not all(
            isinstance(pair, tuple) and len(pair) == 2 for pair in saturation.values()):
        raise TypeError(f"saturation must be a dict label -> (left, right), as probe.saturation_by_layer returns, "
                        f"got {describe(saturation)}")
    ax = axes_or_new(ax)
    ax.plot([0, 1], [1, 0], color="0.7", lw=1)  # left + right <= 1: the dots stay below this line
    for label, (left, right) in saturation.items():
        ax.scatter(left, right, s=14, alpha=0.7, label=label)
    ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), xlabel="fraction left-saturated (< 0.1)",
           ylabel="fraction right-saturated (> 0.9)", title=f"gate {gate}", aspect="equal")  # fmt: skip
    ax.legend(loc="upper right", fontsize=9)
    return ax


def plot_state_trajectory(projection, explained, *, color=None, ax=None, color_label="time step t", title=None):
    """The path of the hidden state in the plane of its first two principal components: a grey line
    through the steps, dots coloured by ``color`` ((T,) values such as a feature; default: the step).

    ``projection`` (T, 2) and ``explained`` (2,): the states projected on the two components and each
    component's share of the variance, as ``probe.principal_components(states, k=2)`` returns. Returns the
    axes; the axis labels give the shares. Introduced in 09_hidden_state_lab.ipynb.
    """
    projection = np.asarray(as_numpy("projection", projection), dtype=np.float64)
    explained = np.asarray(explained, dtype=np.float64)
    if projection.ndim != 2 or projection.shape[1] != 2 or explained.shape != (2,):
        raise ValueError(f"projection must have shape (T, 2) and explained (2,) (probe.principal_components(states, "
                         f"k=2)), got {projection.shape} and {explained.shape}")
    c = np.arange(len(projection)) if color is None else _unit_values("color", color, len(projection))
    ax = axes_or_new(ax)
    ax.plot(projection[:, 0], projection[:, 1], color="0.8", lw=0.6, zorder=1)
    dots = ax.scatter(projection[:, 0], projection[:, 1], c=c, s=8, cmap="viridis", zorder=2)
    ax.figure.colorbar(dots, ax=ax, fraction=0.04, pad=0.02, label=color_label)
    ax.set(xlabel=f"PC 1 ({explained[0]:.0%} of variance)", ylabel=f"PC 2 ({explained[1]:.0%})",
           title=title or "hidden-state trajectory")  # fmt: skip
    return ax


def pattern_matches_html(text, matches, *, span=None, context: int = 24, limit: int = 12, title=None):
    """Where a set of units turns on: one line per match, the matched characters highlighted (orange, the
    selection itself vermilion) between ``context`` characters on each side; the first ``limit`` matches, then a
    count of the rest. A newline shows as ↵.

    ``text``: the recorded string; ``matches``: a list of (start, end) runs, e.g. ``PatternQuery.matches``;
    ``span``: the selected (start, end), marked where it is among the matches. Returns an
    ``IPython.display.HTML``; the text is escaped. Introduced in 09_hidden_state_lab.ipynb.
    """
    import html

    from IPython.display import HTML

    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {describe(text)}")
    ok = isinstance(matches, list | tuple) and all(
        isinstance(m, tuple | list) and len(m) == 2 and 0 <= m[0] < m[1] <= len(text) for m in matches
    )
    if not ok:
        raise ValueError(f"matches must be a list of (start, end) with 0 <= start < end <= {len(text)}, got "
                         f"{describe(matches)}")
    if not isinstance(context, int) or not isinstance(limit, int) or context < 0 or limit < 1:
        raise ValueError(f"context must be an int >= 0 and limit an int >= 1, got {context!r}, {limit!r}")

    def show(s):
        return html.escape(s.replace("\n", "↵"))

    rows = []
    for start, end in list(matches)[:limit]:
        colour = VERMILION if span is not None and (start, end) == tuple(span) else ORANGE
        left, right = text[max(start - context, 0) : start], text[end : end + context]
        rows.append(
            f'<div title="characters {start}..{end - 1}">{show(left)}<span style="background:{colour}; '
            f'color:white">{show(text[start:end])}</span>{show(right)}</div>'
        )
    more = f"<div>... and {len(matches) - limit} more</div>" if len(matches) > limit else ""
    none = "<div>(no match)</div>" if not matches else ""
    head = f"<div><b>{html.escape(str(title))}</b></div>" if title is not None else ""
    body = ('<div style="font-family:monospace; white-space:pre; line-height:1.5; overflow-x:auto">'
            + "".join(rows) + none + more + "</div>")
    return HTML(head + body)
