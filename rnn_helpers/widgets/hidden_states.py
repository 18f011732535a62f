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
