"""The hidden-state lab (chapter 09)."""

from __future__ import annotations

import ipywidgets as widgets

from rnn_helpers import viz
from rnn_helpers._checks import check_int, describe


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
        max_chars: longer texts are cut to this many characters (each redraw colours every character).

    Returns a ``VBox``: ``.children[0]`` the menus and the unit slider, ``.children[1]`` the text box,
    ``.children[2]`` the status line, ``.children[3]`` the views. Introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers import probe

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


def corpus_explorer(recording, *, window: int = 600, threshold: float = 0.3) -> widgets.VBox:
    """Browse a long recorded text and query it: pick a layer, what to show and a unit, slide along the text,
    and see a window of it coloured by the unit; type a regular expression (and pick its occurrence and a
    threshold) to run a pattern query: the units on through that span and off around it, the count of places
    where they are all on, and those places. The query sets the unit slider to its best-ranked unit.

    ``recording``: a ``Recording`` of one text (``probe.record_text``, any length: a recording on disk is read
    only where the window looks). Everything is recorded beforehand; moving a control colours one window.

    Returns a ``VBox``: ``.children[0]`` the menus and unit slider, ``.children[1]`` the position slider,
    ``.children[2]`` the coloured window (an ``Output``), ``.children[3]`` the query controls,
    ``.children[4]`` the query's answer (``HTML``), ``.children[5]`` its matches (``HTML``). The explorer of
    ``make explorer``; introduced in 09_hidden_state_lab.ipynb.
    """
    from rnn_helpers import probe

    if not isinstance(recording, probe.Recording) or not isinstance(recording.text, str):
        raise TypeError(f"recording must be a probe.Recording of one text (probe.record_text), got "
                        f"{describe(recording)}")
    text = recording.text
    window = check_int("window", window, low=2)
    names = recording.names()
    layer = widgets.Dropdown(options=[(f"layer {k}", k) for k in range(recording.num_layers)],
                             value=recording.num_layers - 1, description="layer")
    what = widgets.Dropdown(options=names, value="hidden", description="state")
    unit = widgets.IntSlider(value=0, min=0, max=recording.hidden_size - 1, description="unit")
    start = widgets.IntSlider(value=0, min=0, max=max(len(text) - window, 0), step=max(window // 4, 1),
                              description="position", layout=widgets.Layout(width="98%"))
    pattern = widgets.Text(value=r"\n +", description="pattern", placeholder="a regular expression")
    occurrence = widgets.BoundedIntText(value=0, min=0, max=10**9, description="occurrence")
    cut = widgets.FloatSlider(value=threshold, min=-0.95, max=0.95, step=0.05, description="threshold")
    run = widgets.Button(description="find units")
    answer, matches = widgets.HTML(), widgets.HTML()

    def draw(layer, what, j, a):
        from IPython.display import display

        values = recording.select(what, layer)[a : a + window, min(j, recording.hidden_size - 1)]
        display(viz.text_heatmap_html(text[a : a + window], values,
                                      title=f"layer {layer}, {what}, unit {j}: characters {a}..{a + len(values) - 1}"))

    def ranges(change=None):  # a sigmoid gate's values lie in (0, 1), the cells anywhere
        low, high = probe.value_range(recording.kind, what.value)
        cut.min, cut.max = (-10.0, 10.0) if what.value == "cell" else (low + 0.05, high - 0.05)

    def query(_=None):
        try:
            q = probe.pattern_query(recording, pattern.value, cut.value, what=what.value, layer=layer.value,
                                    occurrence=occurrence.value)
        except (ValueError, TypeError) as error:
            answer.value, matches.value = f"Cannot run this query: {error}", ""
            return
        if not q.units:
            answer.value = (f"No unit of layer {q.layer} ({what.value}) is on (>= {q.threshold:g}) through "
                            f"characters {q.span[0]}..{q.span[1] - 1} and off just before and after them.")
            matches.value = ""
            return
        precision, recall = q.agreement()
        answer.value = (f"Units {q.unit_ids[:10]} of layer {q.layer} ({what.value}) are on through characters "
                        f"{q.span[0]}..{q.span[1] - 1} and off around them. They are all on at <b>{q.count}</b> "
                        f"places: {precision:.0%} of those overlap the pattern, and they cover {recall:.0%} of its "
                        f"{len(q.occurrences)} occurrences.")
        matches.value = viz.pattern_matches_html(text, q.matches, span=q.span, limit=10).data
        unit.value = q.unit_ids[0]
        start.value = min(max(q.span[0] - window // 4, 0), start.max)

    what.observe(ranges, names="value")
    run.on_click(query)
    out = widgets.interactive_output(draw, {"layer": layer, "what": what, "j": unit, "a": start})
    return widgets.VBox([
        widgets.HBox([layer, what, unit]), start, out,
        widgets.HBox([pattern, occurrence, cut, run]), answer, matches,
    ])
