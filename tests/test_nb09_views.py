"""The hidden-state lab's views (viz) and widget (widgets), 09_hidden_state_lab.ipynb."""

from __future__ import annotations

import ipywidgets
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from IPython.display import HTML

from rnn_helpers import datasets, probe, viz, widgets
from rnn_helpers.models import CharLM

TEXT = 'def f(x):\n    return "a<b>" + x\n'


@pytest.fixture
def lm():
    torch.manual_seed(0)
    vocab = probe.python_vocabulary()
    return CharLM(len(vocab), 6, num_layers=2), vocab


def test_text_heatmap_html_colours_each_character_and_escapes(lm):
    values = np.linspace(-1, 1, len(TEXT))
    page = viz.text_heatmap_html(TEXT, values, title="<unit 3>")
    assert isinstance(page, HTML)
    assert page.data.count("<span ") == len(TEXT)
    assert ">&lt;</span>" in page.data and ">&gt;</span>" in page.data and "&quot;" in page.data  # escaped
    assert "&lt;unit 3&gt;" in page.data
    blue, red = mpl.colors.to_hex(mpl.colormaps["RdBu_r"](0.0)), mpl.colors.to_hex(mpl.colormaps["RdBu_r"](1.0))
    assert page.data.index(blue) < page.data.index(red)  # the first character is most negative, the last most positive
    assert "↵" in page.data and 'title="t=0, value=-1.000"' in page.data
    half = viz.text_heatmap_html("ab", np.array([0.5, -0.5]), vmax=1.0)
    assert mpl.colors.to_hex(mpl.colormaps["RdBu_r"](0.75)) in half.data
    with pytest.raises(ValueError, match=r"values must have shape \(2,\), one value per character"):
        viz.text_heatmap_html("ab", np.zeros(3))
    with pytest.raises(TypeError, match="text must be a string"):
        viz.text_heatmap_html(["a"], np.zeros(1))


def test_unit_heatmap_trace_and_ranking_draw_the_data():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(len(TEXT), 5))  # (T, H)
    ax = viz.plot_unit_heatmap(values, units=[4, 1], text=TEXT)
    np.testing.assert_array_equal(ax.images[0].get_array(), values[:, [4, 1]].T)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["4", "1"]
    with pytest.raises(ValueError, match=r"units must be a non-empty list of unit indices in \[0, 4\]"):
        viz.plot_unit_heatmap(values, units=[5])
    with pytest.raises(ValueError, match=r"values must have shape \(T, H\)"):
        viz.plot_unit_heatmap(values[:, 0])
    with pytest.raises(ValueError, match="text must be a string of 32 characters"):
        viz.plot_unit_heatmap(values, text="abc")
    ax = viz.plot_unit_trace(values[:, 2], probe.in_string(TEXT), label="unit 2")
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), values[:, 2])
    assert len(ax.figure.axes) == 2  # the feature sits on a twin axis
    ranking = probe.find_units(values, probe.in_string(TEXT), top=3)
    ax = viz.plot_unit_ranking(ranking)
    widths = [patch.get_width() for patch in ax.patches]
    np.testing.assert_allclose(widths, [r for _, r in ranking][::-1])
    with pytest.raises(TypeError, match=r"ranking must be a non-empty list of \(unit, r\) pairs"):
        viz.plot_unit_ranking([])


def test_gate_saturation_plot_puts_each_unit_where_gate_saturation_says():
    torch.manual_seed(1)
    m = torch.nn.LSTM(3, 4, num_layers=2, batch_first=True)
    rec = probe.record(m, 3 * torch.randn(2, 40, 3))
    saturation = probe.saturation_by_layer(rec, "f")
    assert list(saturation) == ["layer 0", "layer 1"]
    ax = viz.plot_gate_saturation(saturation, "f")
    assert len(ax.collections) == 2 and ax.get_title() == "gate f"  # one set of dots per layer
    for layer, dots in enumerate(ax.collections):
        left, right = probe.gate_saturation(rec.gates[layer][0]["f"])
        np.testing.assert_allclose(saturation[f"layer {layer}"][0], left)
        np.testing.assert_allclose(dots.get_offsets(), np.column_stack([left, right]))
    with pytest.raises(ValueError, match=r"gate must be a sigmoid gate of this lstm, one of \['i', 'f', 'o'\]"):
        probe.saturation_by_layer(rec, "g")
    with pytest.raises(TypeError, match="recording must be a probe.Recording"):
        probe.saturation_by_layer({"f": 1}, "f")
    with pytest.raises(TypeError, match=r"saturation must be a dict label -> \(left, right\)"):
        viz.plot_gate_saturation(rec, "f")
    gru = probe.record(torch.nn.GRU(3, 4, batch_first=True, bidirectional=True), torch.randn(1, 10, 3))
    ax = viz.plot_gate_saturation(probe.saturation_by_layer(gru, "z"), "z")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["layer 0", "layer 0 (backward)"]


def test_state_trajectory_plots_the_principal_components():
    rng = np.random.default_rng(2)
    states = rng.normal(size=(50, 6)) @ rng.normal(size=(6, 6))
    colour = rng.uniform(size=50)
    projection, explained = probe.principal_components(states)
    ax = viz.plot_state_trajectory(projection, explained, color=colour, color_label="in_string")
    np.testing.assert_allclose(ax.collections[0].get_offsets(), projection)
    np.testing.assert_allclose(ax.collections[0].get_array(), colour)
    assert f"{explained[0]:.0%}" in ax.get_xlabel()
    with pytest.raises(ValueError, match=r"color must have shape \(50,\)"):
        viz.plot_state_trajectory(projection, explained, color=np.zeros(3))
    with pytest.raises(ValueError, match=r"projection must have shape \(T, 2\) and explained \(2,\)"):
        viz.plot_state_trajectory(states, explained)


def test_hidden_state_lab_wiring(lm, monkeypatch):
    model, vocab = lm
    drawn = []

    def views(text, values, j, name, f, title):
        drawn.append((text, j, title))

    monkeypatch.setattr(widgets.hidden_states, "_lab_views", views)
    texts = {"code": TEXT, "more": datasets.load_python_source(modules=("bisect",))[:300]}
    box = widgets.hidden_state_lab(model, vocab, texts, max_chars=200)
    assert isinstance(box, ipywidgets.Widget)
    menus, text_box, status, _ = box.children
    (sample, layer, what), (feature, unit) = menus.children[0].children, menus.children[1].children
    assert layer.value == 1 and what.value == "cell" and unit.max == 5
    assert text_box.value == TEXT
    # choosing a feature moves the slider to the best unit, and the status line quotes its r
    feature.value = "in_string"
    rec = probe.record_text(model, vocab, TEXT)
    best, r = probe.find_units(rec.select("cell", 1), probe.in_string(TEXT), top=1)[0]
    assert unit.value == best and f"r = {r:+.2f} with in_string" in status.value
    assert drawn[-1][:2] == (TEXT, best)
    # another layer and another state: the best unit is searched again there
    layer.value, what.value = 0, "hidden"
    best0 = probe.find_units(rec.select("hidden", 0), probe.in_string(TEXT), top=1)[0][0]
    assert unit.value == best0
    # another sample fills the text box (cut to max_chars)
    sample.value = "more"
    assert text_box.value == texts["more"][:200] and drawn[-1][0] == texts["more"][:200]
    # a unit picked by hand is drawn as it is
    unit.value = 2
    assert drawn[-1][1] == 2 and "unit 2" in status.value
    plt.close("all")


def test_hidden_state_lab_reports_text_the_model_cannot_read():
    torch.manual_seed(0)
    vocab = datasets.Vocabulary.from_text("ab ")  # no unk_token
    box = widgets.hidden_state_lab(CharLM(len(vocab), 4), vocab, "ab ba", max_chars=50)
    menus, text_box, status, _ = box.children
    menus.children[1].children[0].value = "column"  # a feature, then a text with a character the model lacks
    text_box.value = "abc"
    assert "Cannot read this text" in status.value and "not in the vocabulary" in status.value
    text_box.value = "ba ab"
    assert status.value.startswith("layer 0, unit ") and "cell: r = " in status.value
    plt.close("all")


def test_hidden_state_lab_rejects_bad_arguments(lm):
    model, vocab = lm
    with pytest.raises(TypeError, match="texts must be a non-empty string or a dict"):
        widgets.hidden_state_lab(model, vocab, {})
    with pytest.raises(TypeError, match=r"features\['x'\] must be a function"):
        widgets.hidden_state_lab(model, vocab, "abc", features={"x": 3})
    with pytest.raises(ValueError, match="max_chars must be >= 2"):
        widgets.hidden_state_lab(model, vocab, "abc", max_chars=1)
