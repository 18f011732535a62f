"""Plots. Every helper takes ``ax=None`` (a new figure when ``None``) and returns the axes it drew on.

Introduced in 00_start_here.ipynb.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers._checks import describe


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
    return ax


def _as_numpy(name: str, value) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy array or a torch tensor, got {describe(value)}")
    return value


def plot_adding_example(x, y, *, ax=None):
    """One sequence of the adding problem: the values as a line, the marked steps as red dots.

    ``x``: (T, 2) array or tensor, columns (value, marker); ``y``: its target (a number or a 1-element array).
    """
    x = _as_numpy("x", x)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (T, 2) (one sequence of the adding problem), got {x.shape}")
    ax = _axes(ax)
    t = np.arange(len(x))
    marked = x[:, 1] == 1.0
    ax.plot(t, x[:, 0], color="0.6", lw=1, label="value")
    ax.scatter(t[marked], x[marked, 0], color="#D55E00", zorder=3, label="marked")
    target = float(np.asarray(_as_numpy("y", y) if hasattr(y, "detach") else y).reshape(-1)[0])
    ax.set(xlabel="time step t", ylabel="value", title=f"adding problem, T = {len(x)}: target {target:.3f}")
    ax.legend(loc="upper right")
    return ax


def plot_training(result, *, ax=None, eval_label: str = "evaluation", target: float | None = None):
    """The training loss per step (light) and the evaluation history (dark) of a ``TrainResult``."""
    from rnn_helpers.training import TrainResult

    if not isinstance(result, TrainResult):
        raise TypeError(f"result must be a TrainResult (what train() returns), got {describe(result)}")
    ax = _axes(ax)
    steps = np.arange(1, len(result.losses) + 1)
    ax.plot(steps, result.losses, color="0.7", lw=1, label="training loss")
    if result.eval_values:
        ax.plot(result.eval_steps, result.eval_values, "o-", color="#0072B2", ms=3, label=eval_label)
    if target is not None:
        ax.axhline(target, color="#D55E00", ls="--", lw=1, label=f"target {target:g}")
    ax.set(xlabel="step", ylabel="loss", yscale="log")
    ax.legend()
    return ax


# ---- chapter 09: hidden-state lab ----


def _unit_values(name: str, values, length: int | None = None) -> np.ndarray:
    """A 1-D float array (T,), checked against the text length when one is given."""
    values = np.asarray(_as_numpy(name, values) if hasattr(values, "detach") else values, dtype=np.float64)
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
    values = np.asarray(_as_numpy("values", values) if hasattr(values, "detach") else values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"values must have shape (T, H) (time by unit), got {values.shape}")
    units = np.arange(values.shape[1]) if units is None else np.asarray(units, dtype=int)
    if units.ndim != 1 or len(units) == 0 or units.min() < 0 or units.max() >= values.shape[1]:
        raise ValueError(f"units must be a non-empty list of unit indices in [0, {values.shape[1] - 1}]")
    if text is not None and (not isinstance(text, str) or len(text) != values.shape[0]):
        raise ValueError(f"text must be a string of {values.shape[0]} characters (one per step), got {describe(text)}")
    ax = _axes(ax)
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
    ax = _axes(ax)
    t = np.arange(len(values))
    ax.plot(t, values, color="#D55E00", lw=1.2, label=label)
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
    ax = _axes(ax)
    units = [int(u) for u, _ in ranking][::-1]
    r = np.array([float(v) for _, v in ranking])[::-1]
    colours = ["#D55E00" if v > 0 else "#0072B2" for v in r]
    ax.barh(range(len(r)), r, color=colours)
    ax.set_yticks(range(len(r)), [f"unit {u}" for u in units])
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set(xlim=(-1.05, 1.05), xlabel="Pearson r with the feature", title=title)
    return ax


def plot_gate_saturation(recording, gate="f", *, ax=None):
    """Gate saturation as in Karpathy, Johnson & Fei-Fei (2015), Fig. 3: one dot per unit at (fraction of
    steps its gate is left-saturated, < 0.1; fraction right-saturated, > 0.9), one colour per layer
    (and direction). Dots near the top-left corner keep their memory open; the bottom-right, shut.

    ``recording``: a ``probe.Recording`` of an LSTM or GRU; ``gate``: a sigmoid gate (LSTM "i", "f", "o";
    GRU "r", "z"). Returns the axes. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers import probe

    if not isinstance(recording, probe.Recording):
        raise TypeError(f"recording must be a probe.Recording (what probe.record returns), got {describe(recording)}")
    sigmoid_gates = [g for g in recording.gates[0][0] if g not in ("g", "n")]
    if gate not in sigmoid_gates:
        raise ValueError(f"gate must be a sigmoid gate of this {recording.kind}, one of {sigmoid_gates}, got {gate!r}")
    ax = _axes(ax)
    ax.plot([0, 1], [1, 0], color="0.7", lw=1)  # left + right <= 1: the dots stay below this line
    for layer in range(recording.num_layers):
        for direction in range(recording.num_directions):
            left, right = probe.gate_saturation(recording.gates[layer][direction][gate])
            label = f"layer {layer}" + (" (backward)" if direction else "")
            ax.scatter(left, right, s=14, alpha=0.7, label=label)
    ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), xlabel="fraction left-saturated (< 0.1)",
           ylabel="fraction right-saturated (> 0.9)", title=f"gate {gate}", aspect="equal")  # fmt: skip
    ax.legend(loc="upper right", fontsize=9)
    return ax


def plot_state_trajectory(states, *, color=None, ax=None, color_label="time step t", title=None):
    """The path of the hidden state in the plane of its first two principal components: a grey line
    through the steps, dots coloured by ``color`` ((T,) values such as a feature; default: the step).

    ``states``: (T, H). Returns the axes; the axis labels give each component's share of the variance.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers import probe

    projection, explained = probe.principal_components(states, k=2)  # (T, 2), (2,)
    c = np.arange(len(projection)) if color is None else _unit_values("color", color, len(projection))
    ax = _axes(ax)
    ax.plot(projection[:, 0], projection[:, 1], color="0.8", lw=0.6, zorder=1)
    dots = ax.scatter(projection[:, 0], projection[:, 1], c=c, s=8, cmap="viridis", zorder=2)
    ax.figure.colorbar(dots, ax=ax, fraction=0.04, pad=0.02, label=color_label)
    ax.set(xlabel=f"PC 1 ({explained[0]:.0%} of variance)", ylabel=f"PC 2 ({explained[1]:.0%})",
           title=title or "hidden-state trajectory")  # fmt: skip
    return ax


# ---- chapters 05 and 06: LSTM and GRU ----


def _panel_scale(values: np.ndarray) -> dict:
    """Colour scale of one heatmap: gates (all values in [0, 1]) on a fixed 0..1 scale; tanh outputs (in
    [-1, 1]) on -1..1; anything else (a cell state) symmetric around 0."""
    low, high = float(values.min()), float(values.max())
    if low >= 0.0 and high <= 1.0:
        return {"cmap": "viridis", "vmin": 0.0, "vmax": 1.0}
    bound = 1.0 if (low >= -1.0 and high <= 1.0) else max(abs(low), abs(high), 1e-12)
    return {"cmap": "RdBu_r", "vmin": -bound, "vmax": bound}


def plot_gate_panels(panels, *, markers=None, units=None, axes=None, title=None):
    """Heatmaps of an LSTM's or a GRU's gates and states over one sequence, one panel per entry of ``panels``:
    units down, time steps across, with a red frame around each marked step.

    Args:
        panels: dict name -> (T, H) array or tensor, e.g. ``{"i": ..., "f": ..., "o": ..., "c": ...}``.
            Gates (values in [0, 1]) share a fixed 0..1 colour scale, tanh outputs -1..1, a cell state a scale
            symmetric around 0 (set by the units shown).
        markers: (T,) array; the steps where it equals 1 are framed (the adding problem's markers).
        units: indices of the units to show, in that order (default: all H).
        axes: a sequence of ``len(panels)`` Axes, or None for a new figure with one row per panel.
        title: the figure's title.

    Returns the list of axes drawn on. Introduced in 05_lstm.ipynb; used in 06_gru.ipynb.
    """
    if not isinstance(panels, dict) or not panels:
        raise TypeError(f"panels must be a non-empty dict name -> (T, H) array, got {describe(panels)}")
    arrays = {name: _as_numpy(f"panels[{name!r}]", value) for name, value in panels.items()}
    shape = next(iter(arrays.values())).shape
    for name, value in arrays.items():
        if value.ndim != 2 or value.shape != shape:
            raise ValueError(f"panels[{name!r}] must have shape (T, H) = {shape} like the first one, got {value.shape}")
    T, H = shape
    units = np.arange(H) if units is None else np.asarray(units)
    integers = units.ndim == 1 and len(units) > 0 and np.issubdtype(units.dtype, np.integer)
    if not integers or units.min() < 0 or units.max() >= H:
        raise ValueError(f"units must be a non-empty 1-D list of unit indices in [0, {H - 1}], got {describe(units)}")
    if markers is not None:
        markers = _as_numpy("markers", markers)
        if markers.shape != (T,):
            raise ValueError(f"markers must have shape (T,) = ({T},), got {markers.shape}")
    if axes is None:
        fig, axes = plt.subplots(len(arrays), 1, figsize=(7.0, 1.0 + 1.3 * len(arrays)), sharex=True, squeeze=False)
        axes = list(axes[:, 0])
    else:
        axes = list(axes)
        if len(axes) != len(arrays) or not all(isinstance(a, plt.Axes) for a in axes):
            raise TypeError(f"axes must be {len(arrays)} matplotlib Axes (one per panel), got {describe(axes)}")
    for ax, (name, value) in zip(axes, arrays.items(), strict=True):
        shown = value[:, units].T  # (units, T)
        image = ax.imshow(shown, aspect="auto", interpolation="nearest", **_panel_scale(shown))
        ax.figure.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
        ax.set_ylabel(name, rotation=0, labelpad=14)
        ticks = np.arange(len(units)) if len(units) <= 16 else np.array([0, len(units) - 1])
        ax.set_yticks(ticks, [str(units[k]) for k in ticks], fontsize=8 if len(units) > 8 else 9)
        ax.grid(False)
        if markers is not None:  # a frame around each marked column, so the values inside stay visible
            for t in np.flatnonzero(markers == 1):
                ax.axvspan(t - 0.5, t + 0.5, fill=False, edgecolor="#D55E00", lw=1.5)
    axes[-1].set_xlabel("time step t (red frames: marked steps)")
    if title:
        axes[0].set_title(title)
    return axes


def plot_gradient_reach(lags, norms, *, ax=None, title="how far back the gradient reaches"):
    """‖∂L/∂h_t‖ against the lag T - t on a log scale, one line per entry of ``norms``.

    ``lags``: (K,) lags; ``norms``: dict label -> (K,) positive gradient norms (e.g. for an RNN and an LSTM).
    Returns the axes. Introduced in 05_lstm.ipynb.
    """
    lags = np.asarray(lags)
    if lags.ndim != 1 or len(lags) == 0:
        raise ValueError(f"lags must be a non-empty 1-D array of lags, got {describe(lags)}")
    if not isinstance(norms, dict) or not norms:
        raise TypeError(f"norms must be a non-empty dict label -> (K,) array, got {describe(norms)}")
    ax = _axes(ax)
    for label, values in norms.items():
        values = np.asarray(values, dtype=float)
        if values.shape != lags.shape:
            raise ValueError(f"norms[{label!r}] must have shape {lags.shape} like lags, got {values.shape}")
        ax.plot(lags, values, "o-", ms=3, label=label)
    ax.set(xlabel="lag T - t (steps back from the loss)", ylabel="‖∂L/∂h_t‖", yscale="log", title=title)
    ax.legend()
    return ax


# ---- chapter 03: the vanilla RNN from scratch ----


def plot_unrolled_rnn(T: int = 4, *, ax=None):
    """An Elman RNN unrolled over T steps: inputs x_t (bottom), states h_t (boxes), outputs y_t (top).

    Every step uses the same three matrices: W_xh (x_t -> h_t), W_hh (h_{t-1} -> h_t) and W_hy (h_t -> y_t);
    each arrow is labelled with the matrix it applies, so the picture shows the weights shared across time.
    ``T``: the number of steps drawn, 1 <= T <= 8. Returns the axes; its texts are the node and weight labels
    (``$x_t$``, ``$h_t$``, ``$y_t$``, ``$h_0$``, ``$W_{xh}$``, ``$W_{hh}$``, ``$W_{hy}$``).
    Introduced in 03_vanilla_rnn.ipynb.
    """
    from matplotlib.patches import FancyBboxPatch

    from rnn_helpers._checks import check_int

    T = check_int("T", T, low=1, high=8)
    ax = _axes(ax)
    box = {"boxstyle": "round,pad=0.02", "linewidth": 1.5}
    arrow = {"arrowstyle": "-|>", "color": "0.3", "lw": 1.3, "shrinkA": 0, "shrinkB": 0}

    def node(x, y, label, face, edge):
        ax.add_patch(FancyBboxPatch((x - 0.28, y - 0.22), 0.56, 0.44, facecolor=face, edgecolor=edge, **box))
        ax.text(x, y, label, ha="center", va="center", fontsize=12)

    node(0, 1, "$h_0$", "white", "0.5")
    for t in range(1, T + 1):
        node(t, 0, f"$x_{{{t}}}$", "#E8F1FA", "#0072B2")
        node(t, 1, f"$h_{{{t}}}$", "#FDF0E0", "#E69F00")
        node(t, 2, f"$y_{{{t}}}$", "#E5F5EF", "#009E73")
        ax.annotate("", xy=(t, 0.78), xytext=(t, 0.22), arrowprops=arrow)
        ax.annotate("", xy=(t, 1.78), xytext=(t, 1.22), arrowprops=arrow)
        ax.annotate("", xy=(t - 0.28, 1), xytext=(t - 0.72, 1), arrowprops=arrow)
        ax.text(t + 0.05, 0.5, "$W_{xh}$", fontsize=9, color="#0072B2", va="center")
        ax.text(t + 0.05, 1.5, "$W_{hy}$", fontsize=9, color="#009E73", va="center")
        ax.text(t - 0.5, 1.1, "$W_{hh}$", fontsize=9, color="#D55E00", ha="center", va="bottom")
    ax.set(xlim=(-0.5, T + 0.5), ylim=(-0.4, 2.4), title=f"an RNN unrolled over T = {T} steps: one set of weights")
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _show_char(ch: str) -> str:
    """A character as it can be read on a plot: space as ␣, newline as ↵."""
    return {" ": "␣", "\n": "↵", "\t": "⇥"}.get(ch, ch)


def _check_trace(text, hidden, probs, tokens) -> tuple[np.ndarray, np.ndarray]:
    """text of T characters, hidden (T, H), probs (T, V), tokens of length V; returns hidden and probs."""
    if not isinstance(text, str) or not text:
        raise TypeError(f"text must be a non-empty string, got {describe(text)}")
    hidden = np.asarray(_as_numpy("hidden", hidden), dtype=np.float64)
    probs = np.asarray(_as_numpy("probs", probs), dtype=np.float64)
    if hidden.ndim != 2 or hidden.shape[0] != len(text):
        raise ValueError(f"hidden must have shape (T, H) with T = len(text) = {len(text)}, got {hidden.shape}")
    if isinstance(tokens, str) or not hasattr(tokens, "__len__"):
        raise TypeError(f"tokens must be a list of the V token strings, got {describe(tokens)}")
    if probs.shape != (len(text), len(tokens)):
        raise ValueError(
            f"probs must have shape (T, V) = ({len(text)}, {len(tokens)}) (T = len(text), V = len(tokens)), "
            f"got {probs.shape}"
        )
    return hidden, probs


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
    from rnn_helpers._checks import check_int

    hidden, probs = _check_trace(text, hidden, probs, tokens)
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
        style = {"facecolor": "#E69F00", "edgecolor": "none", "pad": 2} if here else None
        ax_text.text(i, 0, _show_char(ch), ha="center", va="center", family="monospace", fontsize=13,
                     color="black" if lo + i <= t else "0.7", bbox=style)  # fmt: skip
    ax_text.set(xlim=(-1, max(len(shown), 41)), ylim=(-1, 1), title=f"step t = {t}: reading {_show_char(text[t])!r}")
    ax_text.axis("off")
    H = hidden.shape[1]
    colours = ["#D55E00" if v > 0 else "#0072B2" for v in hidden[t]]
    ax_h.bar(np.arange(H), hidden[t], color=colours, width=0.9)
    ax_h.set(ylim=(-1.05, 1.05), xlim=(-0.8, H - 0.2), xlabel="hidden unit", ylabel="$h_t$", title="hidden state")
    top = np.argsort(-probs[t], kind="stable")[:k][::-1]  # most probable at the top
    nxt = text[t + 1] if t + 1 < len(text) else None
    bar_colours = ["#E69F00" if tokens[i] == nxt else "0.6" for i in top]
    ax_p.barh(np.arange(k), probs[t, top], color=bar_colours)
    ax_p.set_yticks(np.arange(k), [_show_char(tokens[i]) for i in top], family="monospace")
    title = "next character" + (f" (true: {_show_char(nxt)!r})" if nxt is not None else "")
    ax_p.set(xlim=(0, 1), xlabel="probability", title=title)
    return ax_text, ax_h, ax_p


# ---- chapter 01: sequential data ----


def _window_args(series, start, window, horizon) -> tuple[np.ndarray, int, int, int]:
    """Check the arguments of the window plots; return the series as (T,) float64 and the three ints."""
    from rnn_helpers._checks import check_int

    series = np.asarray(_as_numpy("series", series), dtype=np.float64)
    if series.ndim == 2 and series.shape[1] == 1:
        series = series[:, 0]
    if series.ndim != 1:
        raise ValueError(f"series must have shape (T,) or (T, 1) (one feature), got {series.shape}")
    window, horizon = check_int("window", window, low=1), check_int("horizon", horizon, low=1)
    start = check_int("start", start, low=0, high=len(series) - window - horizon)
    return series, start, window, horizon


def plot_window(series, start, window, *, horizon=1, lag=None, context=None, ax=None, unit=""):
    """What a fixed-window model is given, drawn on the series it was cut from.

    Grey: the series around the window; blue, shaded: the ``window`` inputs ``series[start : start + window]``;
    orange: the ``horizon`` targets right after them. With ``lag``, the step ``lag`` steps before the first
    target is circled: green when it lies inside the window (the model can use it), red when it does not.

    Args:
        series: (T,) or (T, 1) numpy array or tensor. ``start``, ``window``, ``horizon``: ints, with
            ``start + window + horizon <= T``. ``lag``: int >= 1 or ``None``. ``context``: steps of series
            shown on each side (default: ``window``). ``unit``: y-axis label.

    Returns the axes. Introduced in 01_sequential_data.ipynb.
    """
    from rnn_helpers._checks import check_int

    series, start, window, horizon = _window_args(series, start, window, horizon)
    context = window if context is None else check_int("context", context, low=0)
    if lag is not None:
        lag = check_int("lag", lag, low=1, high=start + window)
    ax = _axes(ax)
    first_target = start + window
    lo, hi = max(0, start - context), min(len(series), first_target + horizon + context)
    t = np.arange(lo, hi)
    ax.plot(t, series[lo:hi], color="0.65", lw=1, label="series")
    x_t = np.arange(start, first_target)
    ax.axvspan(start - 0.5, first_target - 0.5, color="#0072B2", alpha=0.12)
    ax.plot(x_t, series[start:first_target], "o-", color="#0072B2", ms=3, lw=1.2, label=f"input: {window} steps")
    y_t = np.arange(first_target, first_target + horizon)
    ax.plot(y_t, series[y_t], "s", color="#E69F00", ms=6, label=f"target: next {horizon}")
    if lag is not None:
        inside = lag <= window
        colour = "#009E73" if inside else "#D55E00"
        where = "inside" if inside else "outside"
        ax.plot(first_target - lag, series[first_target - lag], "o", ms=12, mfc="none", mec=colour, mew=2,
                label=f"{lag} steps back: {where} the window")
    from matplotlib.ticker import MaxNLocator

    plural = "s" if horizon > 1 else ""
    title = f"a window of {window} steps predicts the next {horizon} step{plural}"
    ax.set(xlabel="time step", ylabel=unit, title=title)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="best", fontsize=8, frameon=True, framealpha=0.85)
    return ax


def plot_window_input(series, start, window, *, horizon=1, ax=None):
    """The numbers a fixed-window model receives, as bars: its input vector ``x`` (``window`` values,
    positions 0 .. window - 1, blue) and the ``horizon`` values it must predict (orange), and nothing else.

    Same arguments as ``plot_window``. Returns the axes. Introduced in 01_sequential_data.ipynb.
    """
    series, start, window, horizon = _window_args(series, start, window, horizon)
    ax = _axes(ax)
    x = series[start : start + window]  # (window,)
    y = series[start + window : start + window + horizon]  # (horizon,)
    ax.bar(np.arange(window), x, color="#0072B2", label="input x")
    ax.bar(np.arange(window + 1, window + 1 + horizon), y, color="#E69F00", label="target y")
    from matplotlib.ticker import MaxNLocator

    ax.axvline(window, color="0.4", ls=":", lw=1)
    ax.set(xlabel="position in the input vector", title=f"all the model is given: {window} numbers")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="best", fontsize=8, frameon=True, framealpha=0.85)
    return ax


# ---- chapter 04: vanishing and exploding gradients ----


def plot_jacobian_norms(norms, *, bounds=None, ax=None, title=None):
    """‖∂h_t/∂h_0‖₂ against the time lag t = 1 … T on a log scale, one line per entry of ``norms``.

    ``norms``: dict label -> (T,) array (lengths may differ); ``bounds``: an optional dict with some of the same
    labels -> (T,) array, drawn dashed in the same colour (e.g. the bound (γ λ1)^t). Zeros (a ReLU network
    whose units all switched off) cannot be drawn on a log axis and are left out. Returns the axes.
    Introduced in 04_vanishing_exploding.ipynb.
    """
    if not isinstance(norms, dict) or not norms:
        raise TypeError(f"norms must be a non-empty dict label -> (T,) array, got {describe(norms)}")
    bounds = {} if bounds is None else bounds
    if not isinstance(bounds, dict):
        raise TypeError(f"bounds must be None or a dict label -> (T,) array, got {describe(bounds)}")
    unknown = set(bounds) - set(norms)
    if unknown:
        raise ValueError(f"bounds has labels that norms lacks: {sorted(map(str, unknown))}")
    ax = _axes(ax)
    for label, values in norms.items():
        values = np.asarray(_as_numpy(f"norms[{label!r}]", values), dtype=float)
        if values.ndim != 1 or len(values) == 0:
            raise ValueError(f"norms[{label!r}] must be a non-empty 1-D array, got shape {values.shape}")
        t = np.arange(1, len(values) + 1)
        (line,) = ax.plot(t, np.where(values > 0, values, np.nan), label=str(label))
        if label in bounds:
            bound = np.asarray(_as_numpy(f"bounds[{label!r}]", bounds[label]), dtype=float)
            ax.plot(np.arange(1, len(bound) + 1), bound, ls="--", lw=1, color=line.get_color())
    ax.set(xlabel="time lag t", ylabel="‖∂h_t/∂h_0‖₂", yscale="log")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=9)
    return ax


def plot_gradient_flow(flow, *, axes=None, units: int = 6):
    """Two panels for one ``gradients.GradientFlow``: left, ‖∂h_t/∂h_0‖₂ against the lag t with the bound
    (γ λ1)^t dashed; right, the first ``units`` hidden units h_t over time. ``axes``: a pair of axes or None.
    Returns the two axes. Introduced in 04_vanishing_exploding.ipynb.
    """
    from rnn_helpers.gradients import GradientFlow

    if not isinstance(flow, GradientFlow):
        raise TypeError(f"flow must be a gradients.GradientFlow (what gradient_flow returns), got {describe(flow)}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    elif len(axes) != 2 or not all(isinstance(a, plt.Axes) for a in axes):
        raise TypeError(f"axes must be None or a pair of matplotlib Axes, got {describe(axes)}")
    label = f"{flow.nonlinearity}, λ1 = {flow.spectral_norm:g}"
    plot_jacobian_norms({label: flow.norms}, bounds={label: flow.bound}, ax=axes[0])
    axes[0].set_title(f"gradient reach (dashed: bound (γλ1)^t, γ = {flow.gamma:g})", fontsize=10)
    t = np.arange(1, len(flow.states) + 1)
    axes[1].plot(t, flow.states[:, :units], lw=1)
    axes[1].set(xlabel="time step t", ylabel="h_t (first units)", title="hidden-state trajectory")
    return axes


def plot_loss_surface(w, b, loss, *, paths=None, ax=None, title=None):
    """A loss over a grid of two parameters as a colour map of log10(loss), with optional trajectories.

    ``w`` (n_w,), ``b`` (n_b,): the grid axes; ``loss`` (n_b, n_w): the loss at (w[j], b[i]);
    ``paths``: optional dict label -> (K, 2) array of (w, b) points, drawn as lines with dots.
    Returns the axes. Introduced in 04_vanishing_exploding.ipynb.
    """
    w, b, loss = (np.asarray(_as_numpy(name, v), dtype=float) for name, v in (("w", w), ("b", b), ("loss", loss)))
    if w.ndim != 1 or b.ndim != 1 or loss.shape != (len(b), len(w)):
        raise ValueError(f"loss must have shape (len(b), len(w)) = ({len(b)}, {len(w)}), got {loss.shape}")
    ax = _axes(ax)
    mesh = ax.pcolormesh(w, b, np.log10(np.maximum(loss, 1e-12)), shading="auto", cmap="viridis")
    ax.figure.colorbar(mesh, ax=ax, label="log10 loss")
    for label, path in (paths or {}).items():
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"paths[{label!r}] must have shape (K, 2), got {path.shape}")
        ax.plot(path[:, 0], path[:, 1], ".-", ms=4, label=str(label))
    if paths:
        ax.legend(fontsize=9, loc="lower left")
    ax.set(xlabel="w", ylabel="b", xlim=(w.min(), w.max()), ylim=(b.min(), b.max()))
    if title:
        ax.set_title(title)
    return ax


# ---- chapter 07: bidirectional and deep RNNs ----


def _check_accuracy_curves(accuracies) -> dict[str, np.ndarray]:
    """A non-empty dict label -> 1-D array of per-position accuracies, all of the same length T."""
    if not isinstance(accuracies, dict) or not accuracies:
        raise TypeError(f"accuracies must be a non-empty dict label -> (T,) array, got {describe(accuracies)}")
    curves = {
        str(k): np.asarray(_as_numpy(f"accuracies[{k!r}]", np.asarray(v) if isinstance(v, list | tuple) else v),
                           dtype=float)
        for k, v in accuracies.items()
    }
    lengths = {c.shape for c in curves.values()}
    if len(lengths) != 1 or next(iter(lengths)) == () or len(next(iter(lengths))) != 1:
        raise ValueError(f"every accuracy curve must be 1-D with the same length T, got shapes {sorted(lengths)}")
    return curves


def plot_position_accuracy(accuracies, *, k=None, chance=None, ax=None):
    """Accuracy at each position t for several models: one line per entry of ``accuracies``.

    ``accuracies``: dict label -> (T,) array (NaN where the position has no answer, as
    ``tasks.position_accuracy`` returns). ``k``: the shift of the task, shown in the title; ``chance``: the
    accuracy of guessing, drawn as a dashed line. Returns the axes. Introduced in 07_bidirectional.ipynb.
    """
    curves = _check_accuracy_curves(accuracies)
    ax = _axes(ax)
    for label, acc in curves.items():
        ax.plot(np.arange(len(acc)), acc, "o-", ms=4, label=label)
    if chance is not None:
        ax.axhline(float(chance), color="0.5", ls="--", lw=1, label=f"chance {float(chance):.2f}")
    title = "accuracy at each position"
    if k is not None:
        steps = f"{abs(k)} step{'' if abs(k) == 1 else 's'}"
        where = "the current input" if k == 0 else (f"{steps} ahead" if k > 0 else f"{steps} back")
        title = f"y_t = x_(t{k:+d}): the answer is {where}"
    T = len(next(iter(curves.values())))
    ax.set(xlabel="position t", ylabel="accuracy", ylim=(-0.03, 1.03), xlim=(-0.5, T - 0.5), title=title)
    ax.legend(loc="center right")
    return ax


def plot_shift_sweep(ks, accuracies, *, chance=None, ax=None):
    """Mean accuracy against the shift k for several models: ``accuracies`` dict label -> (len(ks),) array.

    Shifts k > 0 (the answer lies in the future) are shaded. Returns the axes.
    Introduced in 07_bidirectional.ipynb.
    """
    ks = np.asarray(ks)
    if ks.ndim != 1 or len(ks) == 0:
        raise ValueError(f"ks must be a non-empty 1-D list of shifts, got shape {ks.shape}")
    curves = _check_accuracy_curves(accuracies)
    got = len(next(iter(curves.values())))
    if got != len(ks):
        raise ValueError(f"each accuracy array must have one entry per shift ({len(ks)}), got {got}")
    ax = _axes(ax)
    ax.axvspan(0.5, ks.max() + 0.5, color="#E69F00", alpha=0.12, label="answer in the future")
    for label, acc in curves.items():
        ax.plot(ks, acc, "o-", label=label)
    if chance is not None:
        ax.axhline(float(chance), color="0.5", ls="--", lw=1, label=f"chance {float(chance):.2f}")
    ax.set(xlabel="shift k  (y_t = x_(t+k))", ylabel="test accuracy", ylim=(-0.03, 1.03), xticks=ks)
    ax.legend(loc="center left")
    return ax


def plot_dependence(dependence, *, ax=None, title="which inputs each output depends on"):
    """A (T, T) map: row t, column s is how strongly output t depends on input s (e.g. |d out_t / d x_s|).

    Exact zeros are drawn white, so a causal (lower-triangular) map is easy to tell from one that reads the
    future. Returns the axes. Introduced in 07_bidirectional.ipynb.
    """
    dep = np.asarray(_as_numpy("dependence", dependence), dtype=float)
    if dep.ndim != 2 or dep.shape[0] != dep.shape[1]:
        raise ValueError(f"dependence must be a square (T, T) array, got shape {dep.shape}")
    ax = _axes(ax)
    shown = np.ma.masked_where(dep == 0, dep)
    image = ax.imshow(shown, cmap="viridis", origin="upper")
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    ax.set(xlabel="input step s", ylabel="output step t", title=title)
    ax.grid(False)
    return ax


# ---- chapter 08: RNNs and transformers ----
def plot_scaling(sizes, seconds: dict, *, ax=None, xlabel: str = "sequence length n"):
    """Time against size on log-log axes: one line of dots per entry of ``seconds`` (name -> times, one per
    size), a dashed power-law fit through each, and the fitted slope in the legend (the exponent: 1 for a
    linear cost, 2 for a quadratic one). Returns the axes. Introduced in 08_rnns_vs_transformers.ipynb."""
    from rnn_helpers.attention import fit_power_law

    sizes = np.asarray(sizes, dtype=float)
    if not isinstance(seconds, dict) or not seconds:
        raise TypeError(f"seconds must be a non-empty dict name -> times, got {describe(seconds)}")
    ax = _axes(ax)
    grid = np.geomspace(sizes.min(), sizes.max(), 50)
    for name, times in seconds.items():
        times = np.asarray(times, dtype=float)
        if times.shape != sizes.shape:
            raise ValueError(f"seconds[{name!r}] must have one time per size ({len(sizes)}), got shape {times.shape}")
        slope, c = fit_power_law(sizes, times)
        (line,) = ax.plot(sizes, times * 1e3, "o", label=f"{name}: slope {slope:.2f}")
        ax.plot(grid, c * grid**slope * 1e3, "--", color=line.get_color(), lw=1)
    ax.set(xscale="log", yscale="log", xlabel=xlabel, ylabel="time (ms)")
    ax.legend()
    return ax


def plot_attention(weights, *, ax=None, title: str = "attention weights", marks=None, labels=None,
                   row_label: str = "query position"):
    """An attention map: ``weights`` (rows, T_k), one row per query position (or per head: say so with
    ``row_label``), one column per key position; each row sums to 1. ``marks``: key positions to point at
    with red arrows (e.g. the marked steps of the adding problem); ``labels``: one text per key position for
    the x ticks. Returns the axes. Introduced in 08_rnns_vs_transformers.ipynb."""
    weights = _as_numpy("weights", weights)
    if weights.ndim != 2:
        raise ValueError(f"weights must have shape (rows, T_k), got {weights.shape}")
    if labels is not None and len(labels) != weights.shape[1]:
        raise ValueError(f"labels must give one text per key position ({weights.shape[1]}), got {len(labels)}")
    ax = _axes(ax)
    image = ax.imshow(weights, aspect="auto", cmap="viridis", vmin=0.0, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.02)
    if marks is not None:
        for t in np.atleast_1d(marks):
            ax.annotate("", xy=(t, 1.0), xycoords=("data", "axes fraction"), xytext=(t, 1.12),
                        textcoords=("data", "axes fraction"), annotation_clip=False,
                        arrowprops={"arrowstyle": "->", "color": "#D55E00", "lw": 2})
    if labels is not None:
        ax.set_xticks(np.arange(len(labels)), [str(label) for label in labels], fontsize=8)
    if len(weights) <= 12:
        ax.set_yticks(np.arange(len(weights)))
    ax.set(xlabel="key position (what is looked at)", ylabel=row_label)
    ax.set_title(title, pad=16 if marks is not None else 6)
    ax.grid(False)
    return ax


def plot_input_usage(usage: dict, *, marked=None, ax=None, title: str = "which input steps the output uses"):
    """How much the output uses each input step, for several models: ``usage`` maps a name to a (T,) array
    (a gradient norm ‖∂ŷ/∂x_t‖, or the attention weights of the last position); each curve is scaled to a
    maximum of 1 so they share one axis. ``marked``: steps to shade (e.g. the marked steps). Returns the axes.
    Introduced in 08_rnns_vs_transformers.ipynb."""
    if not isinstance(usage, dict) or not usage:
        raise TypeError(f"usage must be a non-empty dict name -> (T,) array, got {describe(usage)}")
    ax = _axes(ax)
    for name, values in usage.items():
        values = _as_numpy(f"usage[{name!r}]", values).astype(float)
        if values.ndim != 1:
            raise ValueError(f"usage[{name!r}] must be 1-D (one value per step), got shape {values.shape}")
        ax.plot(np.arange(len(values)), values / max(values.max(), 1e-30), marker=".", label=name)
    if marked is not None:
        for t in np.atleast_1d(marked):
            ax.axvspan(t - 0.5, t + 0.5, color="#D55E00", alpha=0.15, lw=0)
    ax.set(xlabel="input step t", ylabel="share of the largest", title=title)
    ax.legend()
    return ax


def _readable(value: float, units) -> str:
    """value in the largest unit of ``units`` ((name, size) pairs, ascending) that keeps it >= 1."""
    name, size = units[0]
    for unit_name, unit_size in units:
        if value >= unit_size:
            name, size = unit_name, unit_size
    return f"{value / size:.3g} {name}"


_SECONDS = (("µs", 1e-6), ("ms", 1e-3), ("s", 1.0), ("min", 60.0), ("h", 3600.0))
_BYTES = (("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12))


def plot_streaming_cost(n: int, contexts, seconds: dict, memory: dict, *, bytes_per_number: int = 4, axes=None):
    """The cost of the next token after a context of ``n`` tokens, for several streaming models.

    Left: time per token against the context, log-log: the measured ``seconds`` (name -> one time per entry of
    ``contexts``) as dots, and through them the cost model a + b·n + c·n² with non-negative coefficients
    (``attention.fit_cost_model``), read off at n (an extrapolation outside the measured contexts). Right: the
    memory each model keeps, ``memory`` (name -> function of the context giving a number of stored numbers),
    times ``bytes_per_number``. ``axes``: ``None`` or a pair of axes.

    Returns a dict: ``axes`` (the pair), ``seconds`` and ``bytes`` (name -> value at n).
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    from numpy.polynomial.polynomial import polyval

    from rnn_helpers._checks import check_int
    from rnn_helpers.attention import fit_cost_model

    n = check_int("n (context)", n, low=1)
    bytes_per_number = check_int("bytes_per_number", bytes_per_number, low=1)
    contexts = np.asarray(contexts, dtype=float)
    for name, arg in (("seconds", seconds), ("memory", memory)):
        if not isinstance(arg, dict) or not arg:
            raise TypeError(f"{name} must be a non-empty dict, got {describe(arg)}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    if len(axes) != 2 or not all(isinstance(a, plt.Axes) for a in axes):
        raise TypeError(f"axes must be None or a pair of matplotlib Axes, got {describe(axes)}")
    ax_t, ax_m = axes
    grid = np.geomspace(min(contexts.min(), n) / 2, max(contexts.max(), n) * 2, 60)
    at_n_seconds, at_n_bytes = {}, {}
    for name, times in seconds.items():
        c = fit_cost_model(contexts, times)
        (line,) = ax_t.plot(contexts, np.asarray(times) * 1e6, "o", label=name)
        ax_t.plot(grid, polyval(grid, c) * 1e6, "-", lw=1, alpha=0.6, color=line.get_color())
        at_n_seconds[name] = float(polyval(n, c))
        ax_t.plot([n], [at_n_seconds[name] * 1e6], "s", ms=8, color=line.get_color())
        ax_t.annotate(_readable(at_n_seconds[name], _SECONDS), (n, at_n_seconds[name] * 1e6), xytext=(6, 4),
                      textcoords="offset points", fontsize=9, color=line.get_color())
    for name, numbers in memory.items():
        values = np.array([numbers(int(g)) for g in grid], dtype=float) * bytes_per_number
        (line,) = ax_m.plot(grid, values, label=name)
        at_n_bytes[name] = int(numbers(n)) * bytes_per_number
        ax_m.plot([n], [at_n_bytes[name]], "s", ms=8, color=line.get_color())
        ax_m.annotate(_readable(at_n_bytes[name], _BYTES), (n, at_n_bytes[name]), xytext=(6, 4),
                      textcoords="offset points", fontsize=9, color=line.get_color())
    for a in axes:
        a.axvline(n, color="0.4", ls=":", lw=1)
        a.set(xscale="log", yscale="log", xlabel="context n (tokens so far)")
        a.legend(fontsize=9)
    note = " (extrapolated)" if n > contexts.max() or n < contexts.min() else ""
    ax_t.set(ylabel="time per new token (µs)", title=f"time at n = {n}{note}")
    ax_m.set(ylabel="memory kept (bytes)", title=f"memory at n = {n}")
    return {"axes": (ax_t, ax_m), "seconds": at_n_seconds, "bytes": at_n_bytes}


# ---- chapter 02: a runnable history of recurrent networks ----
def plot_timeline(milestones, *, highlight=None, ax=None):
    """The milestones of ``history.MILESTONES`` (or any sequence of ``history.Milestone``) on a time axis.

    One row per milestone, in order, with a dot at its year and its short name beside it, so that no two labels
    overlap however close the years; the horizontal axis is the year, so the gaps in time stay visible. Rows of
    the same era share a colour band. ``highlight``: an era key of ``history.ERAS``; its milestones are drawn in
    colour and bold, the others in grey. Returns the axes. Introduced in 02_history.ipynb.
    """
    from rnn_helpers.history import ERAS, Milestone

    milestones = list(milestones) if isinstance(milestones, (list, tuple)) else milestones
    if not isinstance(milestones, list) or not milestones or not all(isinstance(m, Milestone) for m in milestones):
        raise TypeError(f"milestones must be a non-empty list of history.Milestone, got {describe(milestones)}")
    if highlight is not None and highlight not in ERAS:
        raise ValueError(f"highlight must be None or one of {list(ERAS)}, got {highlight!r}")
    ax = _axes(ax)
    ordered = sorted(milestones, key=lambda m: m.year)
    years = np.array([m.year for m in ordered])
    lo, hi = years.min() - 3, years.max() + 3
    middle = (lo + hi) / 2
    palette = dict(zip(ERAS, ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"],
                       strict=True))
    for row, m in enumerate(ordered):
        on = highlight is None or m.era == highlight
        colour = palette[m.era] if on else "0.75"
        if highlight is not None and m.era == highlight:
            ax.axhspan(row - 0.5, row + 0.5, color=palette[m.era], alpha=0.12, lw=0)
        ax.plot([lo, m.year], [row, row], color="0.9", lw=0.8, zorder=1)
        ax.plot(m.year, row, "o", color=colour, ms=6, zorder=3)
        right = m.year < middle  # labels of late milestones go to the left of their dot
        ax.text(m.year + (0.8 if right else -0.8), row, f"{m.name} ({m.year})", ha="left" if right else "right",
                va="center", fontsize=8, color="black" if on else "0.6",
                fontweight="bold" if on and highlight is not None else "normal")
    ax.set(xlim=(lo, hi), ylim=(len(ordered) - 0.5, -0.5), yticks=[], xlabel="year")
    ax.grid(False, axis="y")
    ax.spines["left"].set_visible(False)
    if highlight is not None:
        ax.set_title(ERAS[highlight])
    else:
        shown = [key for key in ERAS if any(m.era == key for m in ordered)]
        handles = [plt.Line2D([], [], marker="o", ls="", color=palette[key], label=ERAS[key]) for key in shown]
        ax.legend(handles=handles, loc="lower left", fontsize=7)
    return ax


def plot_era_result(result, *, ax=None):
    """The curves of a ``history.EraResult``: one line per series, the reference value dashed. Returns the axes.

    Introduced in 02_history.ipynb.
    """
    from rnn_helpers.history import EraResult

    if not isinstance(result, EraResult):
        raise TypeError(f"result must be a history.EraResult, got {describe(result)}")
    ax = _axes(ax)
    for label, (x, y) in result.series.items():
        ax.plot(np.asarray(x, dtype=float), np.asarray(y, dtype=float), "o-", ms=4, label=label)
    if result.reference is not None:
        ax.axhline(result.reference, color="#D55E00", ls="--", lw=1, label=result.reference_label or None)
    if result.vline is not None:
        ax.axvline(result.vline, color="#CC79A7", ls=":", lw=1.5, label=result.vline_label or None)
    ax.set(xlabel=result.xlabel, ylabel=result.ylabel, title=result.title)
    if result.logy:
        ax.set_yscale("log")
    ax.legend(fontsize=8)
    return ax


def plot_decision_boundary(X, y, w, b, *, ax=None, title=None):
    """Two-input examples X (n, 2) coloured by label y (n,) in {0, 1}, and the line w·x + b = 0.

    The side where w·x + b > 0 (the perceptron answers 1) is shaded. Returns the axes.
    Introduced in 02_history.ipynb.
    """
    X = np.asarray(_as_numpy("X", X), dtype=float)
    y = np.asarray(_as_numpy("y", y))
    w = np.asarray(_as_numpy("w", w), dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],) or w.shape != (2,):
        raise ValueError(f"X must be (n, 2), y (n,) and w (2,), got {X.shape}, {y.shape} and {w.shape}")
    ax = _axes(ax)
    lo, hi = X.min() - 0.5, X.max() + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo, hi, 200), np.linspace(lo, hi, 200))
    ax.contourf(g1, g2, (w[0] * g1 + w[1] * g2 + float(b) > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=["white", "#56B4E9"], alpha=0.3)
    for label, marker, colour in ((0, "o", "#D55E00"), (1, "s", "#0072B2")):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=80, color=colour, label=f"y = {label}", zorder=3)
    ax.set(xlim=(lo, hi), ylim=(lo, hi), xlabel="x₁", ylabel="x₂", aspect="equal")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_patterns(patterns, shape, *, titles=None, axes=None):
    """±1 patterns (k, N) drawn as k black-and-white images of ``shape`` (rows, cols), rows·cols = N.

    Returns the array of axes. Introduced in 02_history.ipynb.
    """
    patterns = np.asarray(_as_numpy("patterns", patterns), dtype=float)
    if patterns.ndim == 1:
        patterns = patterns[None]
    if patterns.ndim != 2 or len(shape) != 2 or shape[0] * shape[1] != patterns.shape[1]:
        raise ValueError(f"patterns must be (k, N) with N = rows·cols of shape {tuple(shape)}, got {patterns.shape}")
    k = patterns.shape[0]
    if titles is not None and len(titles) != k:
        raise ValueError(f"titles must have one entry per pattern ({k}), got {len(titles)}")
    if axes is None:
        _, axes = plt.subplots(1, k, figsize=(1.6 * k, 1.9), squeeze=False)
        axes = axes[0]
    axes = np.atleast_1d(axes)
    for i, ax in enumerate(axes[:k]):
        ax.imshow(patterns[i].reshape(shape), cmap="gray_r", vmin=-1, vmax=1)
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    return axes
