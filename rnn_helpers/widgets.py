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


# ---- chapter 09: hidden-state lab ----


def _lab_controls(rec, texts: dict, features: dict, max_chars: int) -> dict:
    """The hidden-state lab's menus, slider, text box and status line, set up for recording ``rec``."""
    names = rec.names()
    first = next(iter(texts.values()))
    layers = [(f"layer {k}", k) for k in range(rec.num_layers)]
    return {
        "sample": widgets.Dropdown(options=list(texts), description="sample"),
        "layer": widgets.Dropdown(options=layers, value=rec.num_layers - 1, description="layer"),
        "what": widgets.Dropdown(options=names, value="cell" if "cell" in names else "hidden", description="state"),
        "feature": widgets.Dropdown(options=["(none)", *features], description="feature"),
        "unit": widgets.IntSlider(value=0, min=0, max=rec.hidden_size - 1, description="unit"),
        "box": widgets.Textarea(
            value=first[:max_chars], continuous_update=False, layout=widgets.Layout(width="98%", height="6em")
        ),
        "status": widgets.HTML(),
    }


def _lab_views(text: str, values, j: int, feature_name: str, feature_values, title: str) -> None:
    """Draw the lab's views of unit j: the coloured text (HTML) and the unit's trace against the feature."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(viz.text_heatmap_html(text, values[:, j], title=title))
    _, ax = plt.subplots(figsize=(9, 2.6))
    viz.plot_unit_trace(values[:, j], feature_values, ax=ax, label=f"unit {j}", feature_label=feature_name)
    plt.show()


def hidden_state_lab(model, vocab, texts, *, features=None, max_chars: int = 1500) -> widgets.VBox:
    """Look inside a character language model: pick a text (or type one), a layer, what to show (hidden
    state, cell state or a gate) and a unit, and see the text coloured by that unit and its trace over time.
    Pick a feature and the unit slider jumps to the unit that correlates best with it (largest |r|).

    Args:
        model, vocab: a ``models.CharLM`` and its ``datasets.Vocabulary`` (e.g. ``probe.load_pretrained()``).
        texts: a dict name -> text (the sample menu), or one string.
        features: a dict name -> function text -> (T,) values; default ``probe.FEATURES``.
        max_chars: longer texts are cut to this many characters (recording is a numpy loop over steps).

    Returns a ``VBox``: ``.children[0]`` the menus and the unit slider, ``.children[1]`` the text box,
    ``.children[2]`` the status line, ``.children[3]`` the views. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers import probe
    from rnn_helpers._checks import check_int, describe

    texts = {"text": texts} if isinstance(texts, str) else texts
    if not isinstance(texts, dict) or not texts or not all(isinstance(t, str) and t for t in texts.values()):
        raise TypeError(f"texts must be a non-empty string or a dict name -> non-empty string, got {describe(texts)}")
    features = dict(probe.FEATURES if features is None else features)
    for name, function in features.items():
        if not callable(function):
            raise TypeError(f"features[{name!r}] must be a function text -> (T,) values, got {describe(function)}")
    max_chars = check_int("max_chars", max_chars, low=2)
    cache: dict[str, probe.Recording] = {}

    def recording(text: str) -> probe.Recording:  # each text is recorded once (the last 8 are kept)
        if text not in cache:
            if len(cache) >= 8:
                del cache[next(iter(cache))]
            cache[text] = probe.record_text(model, vocab, text)
        return cache[text]

    def states(text: str, what: str, layer: int):  # (T, H)
        return recording(text).select(what, layer)

    c = _lab_controls(recording(next(iter(texts.values()))[:max_chars]), texts, features, max_chars)

    def best_unit(*_):
        text = c["box"].value[:max_chars]
        if c["feature"].value != "(none)" and len(text) >= 2 and all(ch in vocab or vocab.unk_token for ch in text):
            f = features[c["feature"].value](text)
            c["unit"].value = probe.find_units(states(text, c["what"].value, c["layer"].value), f, top=1)[0][0]

    def draw(text, layer, what, j, feature_name):
        text = text[:max_chars]
        if len(text) < 2:
            c["status"].value = "Type at least two characters."
            return
        try:
            values = states(text, what, layer)
        except ValueError as err:  # e.g. a character the model's vocabulary lacks
            c["status"].value = f"Cannot read this text: {err}"
            return
        f = None if feature_name == "(none)" else features[feature_name](text)
        line = f"layer {layer}, unit {j}, {what}"
        if f is not None:
            line += f": r = {probe.correlations(values, f)[j]:+.2f} with {feature_name}"
        c["status"].value = line
        _lab_views(text, values, j, feature_name, f, line)

    c["sample"].observe(lambda change: setattr(c["box"], "value", texts[change["new"]][:max_chars]), names="value")
    for name in ("feature", "layer", "what", "box"):
        c[name].observe(best_unit, names="value")
    names = {"text": "box", "layer": "layer", "what": "what", "j": "unit", "feature_name": "feature"}
    out = widgets.interactive_output(draw, {arg: c[name] for arg, name in names.items()})
    menus = widgets.VBox([widgets.HBox([c["sample"], c["layer"], c["what"]]), widgets.HBox([c["feature"], c["unit"]])])
    return widgets.VBox([menus, c["box"], c["status"], out])


# ---- chapters 05 and 06: LSTM and GRU ----


def gate_explorer(panels, markers, *, units=None, targets=None, predictions=None, title="sequence") -> widgets.VBox:
    """A slider that picks one sequence and draws its gates and states as heatmaps (``viz.plot_gate_panels``).

    Args:
        panels: dict name -> (N, T, H) numpy array, e.g. a scratch LSTM's ``gates`` plus ``{"c": cells}``.
        markers: (N, T) array; steps equal to 1 are framed in red.
        units: the unit indices to show first; a toggle switches between these and all H units.
            Default: all units, no toggle.
        targets, predictions: optional (N,) arrays shown in each plot's title.
        title: the word before the sequence number in the title.

    Returns a ``VBox`` holding the controls (``.children[0]``) and the plot output (``.children[1]``).
    Introduced in 05_lstm.ipynb; used in 06_gru.ipynb.
    """
    import numpy as np

    if not isinstance(panels, dict) or not panels:
        raise TypeError(f"panels must be a non-empty dict name -> (N, T, H) array, got {type(panels).__name__}")
    arrays = {name: viz._as_numpy(f"panels[{name!r}]", value) for name, value in panels.items()}
    N, T, H = next(iter(arrays.values())).shape
    for name, value in arrays.items():
        if value.shape != (N, T, H):
            raise ValueError(f"panels[{name!r}] must have shape (N, T, H) = {(N, T, H)}, got {value.shape}")
    markers = viz._as_numpy("markers", markers)
    if markers.shape != (N, T):
        raise ValueError(f"markers must have shape (N, T) = {(N, T)}, got {markers.shape}")
    for name, value in (("targets", targets), ("predictions", predictions)):
        if value is not None and np.asarray(value).reshape(-1).shape != (N,):
            raise ValueError(f"{name} must hold one number per sequence (N = {N}), got shape {np.shape(value)}")
    index = widgets.IntSlider(value=0, min=0, max=N - 1, description=title)
    controls = [index]
    which = widgets.ToggleButtons(options=["selected units", "all units"], value="selected units")
    if units is not None:
        controls.append(which)

    def draw(n, shown):
        label = f"{title} {n}"
        if targets is not None:
            label += f": target {float(np.asarray(targets).reshape(-1)[n]):.3f}"
        if predictions is not None:
            label += f", prediction {float(np.asarray(predictions).reshape(-1)[n]):.3f}"
        chosen = units if (units is not None and shown == "selected units") else None
        viz.plot_gate_panels({k: v[n] for k, v in arrays.items()}, markers=markers[n], units=chosen, title=label)

    out = widgets.interactive_output(draw, {"n": index, "shown": which})
    return widgets.VBox([widgets.HBox(controls), out])


# ---- chapter 03: the vanilla RNN from scratch ----


def rnn_stepper(text, hidden, probs, tokens, *, k: int | None = None) -> widgets.VBox:
    """A slider over the steps t of ``text``: shows the character read, h_t and the top-k next characters.

    ``hidden`` (T, H) and ``probs`` (T, V) are what a character RNN computed while reading ``text`` (T
    characters), e.g. from ``models.char_lm_trace``; ``tokens`` are the V vocabulary characters; ``k`` is how
    many of the most probable next characters to show (default: 5, or V if smaller). The drawing
    is ``viz.plot_rnn_step``. Returns a ``VBox``: ``.children[0]`` the slider, ``.children[1]`` the plot.
    Introduced in 03_vanilla_rnn.ipynb.
    """
    viz._check_trace(text, hidden, probs, tokens)
    k = min(5, len(tokens)) if k is None else check_int("k", k, low=1, high=len(tokens))
    step = widgets.IntSlider(value=0, min=0, max=len(text) - 1, description="step t")

    def draw(t):
        viz.plot_rnn_step(text, t, hidden, probs, tokens, k=k)

    out = widgets.interactive_output(draw, {"t": step})
    return widgets.VBox([step, out])


# ---- chapter 01: sequential data ----


def window_explorer(series, *, window=24, horizon=1, lag=None, start=0, unit="") -> widgets.VBox:
    """Slide a fixed window over a real series and see exactly what a window model is given.

    ``series``: a (T,) numpy array, or a dict ``{name: (T,) array}`` (a menu then picks the series).
    Sliders: the window's ``start``, its length ``window`` (up to 4x the initial one) and the ``horizon``
    (up to 24); ``lag`` (an int or ``None``) circles the value that many steps before the target, so you can
    see it fall out of a short window. Draws ``viz.plot_window`` and ``viz.plot_window_input`` side by side.

    Returns a ``VBox``: ``.children[0]`` holds the controls (a ``HBox``), ``.children[1]`` the plot output.
    The ``start`` slider's maximum follows the series, the window and the horizon, so every position it
    allows is a valid window. Introduced in 01_sequential_data.ipynb.
    """
    import numpy as np
    from matplotlib import pyplot as plt

    from rnn_helpers._checks import describe

    named = series if isinstance(series, dict) else {"series": series}
    arrays = {}
    for name, values in named.items():
        values = np.asarray(values.detach().cpu() if hasattr(values, "detach") else values)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]  # (T, 1) -> (T,)
        if values.ndim != 1 or not np.issubdtype(values.dtype, np.number) or len(values) < 3:
            raise ValueError(f"series {name!r} must be a 1-D numeric array of at least 3 steps, got {describe(values)}")
        arrays[name] = values
    if not arrays:
        raise ValueError("series must be an array or a non-empty dict of arrays, got an empty dict")
    shortest = min(len(v) for v in arrays.values())
    window = check_int("window", window, low=1, high=shortest - 2)
    horizon = check_int("horizon", horizon, low=1, high=shortest - window - 1)
    lag = None if lag is None else check_int("lag", lag, low=1)
    # bounds chosen so that window + horizon <= shortest - 1 for every slider position
    h_max = min(max(horizon, 24), shortest - window - 1)
    w_max = min(4 * window, shortest - h_max - 1)
    choice = widgets.Dropdown(options=list(arrays), description="series")
    w_slider = widgets.IntSlider(value=window, min=1, max=w_max, description="window")
    h_slider = widgets.IntSlider(value=horizon, min=1, max=h_max, description="horizon")
    start_slider = widgets.IntSlider(value=0, min=0, max=len(arrays[choice.value]) - window - horizon,
                                     description="start")
    start_slider.value = check_int("start", start, low=0, high=start_slider.max)

    def update_start_max(_=None):
        start_slider.max = len(arrays[choice.value]) - w_slider.value - h_slider.value

    for control in (choice, w_slider, h_slider):
        control.observe(update_start_max, names="value")

    def draw(name, s, w, h):
        values = arrays[name]
        s = min(s, len(values) - w - h)
        _, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4), gridspec_kw={"width_ratios": [3, 2]})
        shown_lag = lag if lag is not None and lag <= s + w else None
        viz.plot_window(values, s, w, horizon=h, lag=shown_lag, ax=left, unit=unit)
        viz.plot_window_input(values, s, w, horizon=h, ax=right)
        plt.tight_layout()

    out = widgets.interactive_output(draw, {"name": choice, "s": start_slider, "w": w_slider, "h": h_slider})
    controls = [start_slider, w_slider, h_slider]
    return widgets.VBox([widgets.HBox([choice, *controls] if len(arrays) > 1 else controls), out])


# ---- chapter 04: vanishing and exploding gradients ----


def gradient_flow_explorer(*, H: int = 16, seed: int = 0) -> widgets.VBox:
    """Sliders for the largest singular value λ1 of W_hh, the nonlinearity, the length T and the input
    strength; redraws ‖∂h_t/∂h_0‖₂ against the lag t (with the bound (γ λ1)^t) and the hidden-state trajectory.

    The computation is ``gradients.gradient_flow`` (W_hh a scaled random orthogonal matrix of size H, drawn
    from ``seed``), the drawing ``viz.plot_gradient_flow``. Returns a ``VBox`` holding the controls
    (``.children[0]``) and the plot (``.children[1]``); its ``.flow`` attribute is the latest ``GradientFlow``.
    Introduced in 04_vanishing_exploding.ipynb.
    """
    import matplotlib.pyplot as plt

    from rnn_helpers import gradients
    from rnn_helpers._checks import check_int, check_seed

    H = check_int("H", H, low=1)
    seed = check_seed("seed", seed)
    style = {"description_width": "initial"}
    lam = widgets.FloatSlider(value=1.0, min=0.1, max=3.0, step=0.05, description="λ1 = ‖W_hh‖₂", style=style)
    phi = widgets.Dropdown(options=list(gradients.NONLINEARITIES), value="tanh", description="φ")
    length = widgets.IntSlider(value=60, min=5, max=200, step=5, description="T")
    scale = widgets.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.1, description="input strength", style=style)
    box = widgets.VBox()

    def draw(spectral_norm, nonlinearity, T, input_scale):
        box.flow = gradients.gradient_flow(spectral_norm, nonlinearity, T, H=H, input_scale=input_scale, seed=seed)
        viz.plot_gradient_flow(box.flow)
        plt.show()

    out = widgets.interactive_output(
        draw, {"spectral_norm": lam, "nonlinearity": phi, "T": length, "input_scale": scale}
    )
    box.children = [widgets.VBox([widgets.HBox([lam, phi]), widgets.HBox([length, scale])]), out]
    return box


# ---- chapter 07: bidirectional and deep RNNs ----


def shift_explorer(results, *, chance=None) -> widgets.VBox:
    """A slider over the shift k of ``tasks.shifted_copy``: per-position accuracy of each model at that k.

    ``results``: dict k -> dict label -> (T,) per-position accuracy (``tasks.position_accuracy``), computed
    beforehand so that moving the slider only redraws. ``chance``: the guessing accuracy, drawn dashed.
    The drawing is ``viz.plot_position_accuracy``. Returns a ``VBox``: ``.children[0]`` the slider (its
    options are the k in ``results``, sorted), ``.children[1]`` the plot. Introduced in 07_bidirectional.ipynb.
    """
    from rnn_helpers._checks import describe

    if not isinstance(results, dict) or not results:
        raise TypeError(f"results must be a non-empty dict k -> {{label: (T,) accuracies}}, got {describe(results)}")
    for k, curves in results.items():
        check_int("each shift k", k)
        viz._check_accuracy_curves(curves)
    ks = sorted(results)
    shift = widgets.SelectionSlider(options=ks, value=ks[len(ks) // 2], description="shift k")

    def draw(k):
        viz.plot_position_accuracy(results[k], k=k, chance=chance)

    out = widgets.interactive_output(draw, {"k": shift})
    return widgets.VBox([shift, out])


# ---- chapter 08: RNNs and transformers ----
def streaming_cost_explorer(contexts, seconds: dict, memory: dict, *, n: int = 1024) -> widgets.VBox:
    """Pick a context length n (and a number format) and see, for each streaming model, the time of the next
    token (the cost model a + b·n + c·n² fitted to the per-token times ``seconds`` measured at ``contexts``)
    and the memory it keeps (``memory``: name -> function of n giving a count of numbers). Nothing is re-timed
    when the slider moves.

    Returns a ``VBox`` holding the controls (``.children[0]``) and the plot output (``.children[1]``); the
    drawing is ``viz.plot_streaming_cost``. Introduced in 08_rnns_vs_transformers.ipynb.
    """
    from rnn_helpers._checks import describe

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
        viz.plot_streaming_cost(n, contexts, seconds, memory, bytes_per_number=bytes_per_number)

    out = widgets.interactive_output(draw, {"n": context, "bytes_per_number": number})
    return widgets.VBox([widgets.HBox([context, number]), out])


# ---- chapter 02: a runnable history of recurrent networks ----
def _era_html(era: str, milestones, results) -> str:
    """The text under the timeline: the era's milestones with their sources, and its result if there is one."""
    import html

    from rnn_helpers.history import ERA_ELSEWHERE, ERAS

    items = "".join(
        f"<li><b>{m.year} · {html.escape(m.name)}</b>: {html.escape(m.idea)}. "
        f"<span style='color:#555'>{html.escape(m.citation)}.</span></li>"
        for m in milestones if m.era == era
    )
    result = results.get(era)
    found = (f"<p><b>Run in this notebook:</b> {html.escape(result.summary)}</p>" if result is not None else
             f"<p><b>Not run here:</b> {html.escape(ERA_ELSEWHERE.get(era, 'see the later chapters'))}.</p>")
    return f"<h4>{html.escape(ERAS[era])}</h4><ul>{items}</ul>{found}"


def history_explorer(milestones, results, *, era: str | None = None) -> widgets.VBox:
    """Pick an era of the history: the timeline with that era highlighted, its milestones and sources, and the
    result this notebook measured for it (an ``history.EraResult``), drawn from numbers computed beforehand so
    that changing the era only redraws.

    Args:
        milestones: a sequence of ``history.Milestone`` (e.g. ``history.MILESTONES``).
        results: dict era key -> ``history.EraResult`` (eras without an entry say where they are covered).
        era: the era shown first (default: the first one).

    Returns a ``VBox``: ``.children[0]`` the era menu (a ``Dropdown`` of era keys), ``.children[1]`` the text
    (an ``HTML``), ``.children[2]`` the plot output; drawing by ``viz.plot_timeline`` and
    ``viz.plot_era_result``. Introduced in 02_history.ipynb.
    """
    import matplotlib.pyplot as plt

    from rnn_helpers._checks import describe
    from rnn_helpers.history import ERAS, EraResult, Milestone

    milestones = list(milestones) if isinstance(milestones, (list, tuple)) else milestones
    if not isinstance(milestones, list) or not milestones or not all(isinstance(m, Milestone) for m in milestones):
        raise TypeError(f"milestones must be a non-empty list of history.Milestone, got {describe(milestones)}")
    if not isinstance(results, dict) or not all(isinstance(r, EraResult) for r in results.values()):
        raise TypeError(f"results must be a dict era -> history.EraResult, got {describe(results)}")
    for key, result in results.items():
        if key != result.era:
            raise ValueError(f"results[{key!r}] holds the result of era {result.era!r}")
    eras = [key for key in ERAS if any(m.era == key for m in milestones)]
    if era is None:
        era = eras[0]
    elif era not in eras:
        raise ValueError(f"era must be one of {eras}, got {era!r}")
    menu = widgets.Dropdown(options=[(ERAS[key], key) for key in eras], value=era, description="era",
                            layout=widgets.Layout(width="520px"))
    text = widgets.HTML(_era_html(era, milestones, results))

    def draw(era):
        text.value = _era_html(era, milestones, results)
        result = results.get(era)
        fig, axes = plt.subplots(1, 2 if result is not None else 1, figsize=(12 if result else 9, 3.8),
                                 gridspec_kw={"width_ratios": [1.4, 1]} if result is not None else None,
                                 squeeze=False)
        viz.plot_timeline(milestones, highlight=era, ax=axes[0, 0])
        if result is not None:
            viz.plot_era_result(result, ax=axes[0, 1])
        fig.tight_layout()
        plt.show()

    out = widgets.interactive_output(draw, {"era": menu})
    return widgets.VBox([menu, text, out])
