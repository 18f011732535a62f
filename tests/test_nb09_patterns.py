"""The pattern query (issue 21): a planted unit that is on inside parentheses is selected from a span, ranked
first, and matched at exactly the places the pattern occurs; bad spans and thresholds are refused."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_helpers import datasets, probe
from rnn_helpers.models import CharLM

ALPHABET = "ab ()"


def planted_model():
    """A tanh RNN CharLM whose unit 0 is on (≈ +1) from a '(' up to the character before the next ')', and off
    (≈ -1) elsewhere; unit 1 is always on; units 2-3 follow the current character weakly."""
    vocab = datasets.Vocabulary(list(ALPHABET))
    model = CharLM(len(vocab), 4, cell="rnn")
    W_ih = torch.zeros(4, len(vocab))
    W_hh = torch.zeros(4, 4)
    W_ih[0, vocab.stoi["("]], W_ih[0, vocab.stoi[")"]] = 20.0, -20.0
    W_hh[0, 0] = 3.0  # keeps its sign: tanh(3 · 0.995) ≈ 0.995
    W_ih[1] = 5.0  # always on
    W_ih[2, vocab.stoi["a"]], W_ih[3, vocab.stoi["b"]] = 0.5, 0.5
    with torch.no_grad():
        model.rnn.weight_ih_l0.copy_(W_ih)
        model.rnn.weight_hh_l0.copy_(W_hh)
        model.rnn.bias_ih_l0.zero_()
        model.rnn.bias_hh_l0.copy_(torch.tensor([-1.0, 0.0, 0.0, 0.0]))  # unit 0 starts off
    return model.eval(), vocab


def corpus(seed=0, n=60):
    rng = np.random.default_rng(seed)
    parts = []
    for _ in range(n):
        parts.append("".join(rng.choice(list("ab "), rng.integers(1, 6))))
        if rng.random() < 0.4:
            parts.append("(" + "".join(rng.choice(list("ab "), rng.integers(1, 8))) + ")")
    return "".join(parts)


def test_a_planted_unit_is_selected_first_and_matched_wherever_the_pattern_occurs():
    model, vocab = planted_model()
    text = corpus()
    rec = probe.record_text(model, vocab, text)
    query = probe.pattern_query(rec, r"\([^)]*", threshold=0.5)  # '(' and what follows, up to the ')'
    expected = [(m.start(), m.end()) for m in __import__("re").finditer(r"\([^)]*", text)]
    assert query.span == expected[0] and query.pattern == r"\([^)]*"
    assert query.unit_ids == [0], "the planted unit, and not the always-on one"
    assert query.matches == expected and query.count == text.count("(") > 10
    assert query.agreement() == (1.0, 1.0)
    # by positions, a later occurrence gives the same answer; a threshold near the top keeps it too
    again = probe.pattern_query(rec, expected[3], threshold=0.9)
    assert again.unit_ids == [0] and again.matches == expected and again.pattern is None
    # a span that starts one step early (on a character before '(') selects nothing: unit 0 is off there
    early = probe.pattern_query(rec, (expected[0][0] - 1, expected[0][1]), threshold=0.5)
    assert early.units == [] and early.count == 0


def test_select_and_match_on_arrays():
    v = np.array([[0, 1, 0], [1, 1, 0], [1, 1, 1], [0, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float)
    # steps 1-2: unit 0 on, off at 0 and 3; unit 1 on everywhere except 5 (on before: excluded)
    assert probe.select_units(v, (1, 3), 0.5) == [(0, 1.0)]
    assert probe.select_units(v, (1, 3), 0.5, before=0, after=0) == [(0, 0.5), (1, 0.5)]  # no flanks: min - threshold
    assert probe.match_units(v, [0], 0.5) == [(1, 3), (4, 6)]
    assert probe.match_units(v, [0, 1], 0.5) == [(1, 3), (4, 5)]
    assert probe.match_units(v, [0, 1], 0.5, min_length=2) == [(1, 3)]
    assert probe.match_units(v, [0], 0.5, block=2) == [(1, 3), (4, 6)]  # blocks join runs across their edges
    assert probe.match_units(v, [], 0.5) == []
    ranked = probe.select_units(np.array([[0, 0], [0.9, 0.6], [0, 0]]), (1, 2), 0.5)
    assert [j for j, _ in ranked] == [0, 1], "ranked by margin"


def test_the_query_refuses_bad_spans_and_thresholds():
    model, vocab = planted_model()
    rec = probe.record_text(model, vocab, "ab (ab) a")
    with pytest.raises(ValueError, match=r"span must satisfy 0 <= start < end <= 9 \(the text's length\), "
                                         r"got \(5, 12\)"):
        probe.pattern_query(rec, (5, 12), 0.5)
    with pytest.raises(ValueError, match=r"got \(4, 4\)"):
        probe.pattern_query(rec, (4, 4), 0.5)
    with pytest.raises(TypeError, match="span must be \\(start, end\\), two integers, or a regular expression"):
        probe.pattern_query(rec, 3, 0.5)
    with pytest.raises(ValueError, match=r"span 'zz' occurs 0 time\(s\) in the text"):
        probe.pattern_query(rec, "zz", 0.5)
    with pytest.raises(ValueError, match="span must be a valid regular expression"):
        probe.pattern_query(rec, "(", 0.5)
    with pytest.raises(ValueError, match=r"threshold must lie inside the range of 'hidden' values, \(-1, 1\), got 1.5"):
        probe.pattern_query(rec, (3, 6), 1.5)
    lstm, pv = CharLM(96, 4, num_layers=2).eval(), probe.python_vocabulary()
    rec_lstm = probe.record_text(lstm, pv, "x = (1, 2)")
    with pytest.raises(ValueError, match=r"threshold must lie inside the range of 'f' values, \(0, 1\), got -0.2"):
        probe.pattern_query(rec_lstm, (4, 8), -0.2, what="f")
    probe.pattern_query(rec_lstm, (4, 8), 3.0, what="cell", layer=0)  # cells are unbounded
    with pytest.raises(ValueError, match="the recording has no text"):
        probe.pattern_query(probe.record(lstm.rnn, np.zeros((1, 3, 96), dtype=np.float32)), (0, 1), 0.5)
    with pytest.raises(TypeError, match="recording must be a probe.Recording"):
        probe.pattern_query(np.zeros((3, 2)), (0, 1), 0.5)
    with pytest.raises(ValueError, match="agreement needs a query made with a pattern"):
        probe.pattern_query(rec, (3, 6), 0.5).agreement()


def test_the_matches_view_marks_the_selection_escapes_and_counts_the_rest():
    from rnn_helpers import viz

    text = "a(<b>)\nc(d) e(f)"
    html = viz.pattern_matches_html(text, [(1, 5), (8, 10), (13, 15)], span=(1, 5), context=2, limit=2).data
    assert "&lt;b&gt;" in html and "<b>" not in html, "the text is escaped"
    assert html.count("#D55E00") == 1 and html.count("#E69F00") == 1, "the selection vermilion, one other orange"
    assert "... and 1 more" in html and "↵" in html
    assert "(no match)" in viz.pattern_matches_html(text, []).data
    with pytest.raises(ValueError, match=r"matches must be a list of \(start, end\) with 0 <= start < end <= 16"):
        viz.pattern_matches_html(text, [(3, 40)])
    with pytest.raises(TypeError, match="text must be a string"):
        viz.pattern_matches_html(None, [])


def test_the_corpus_explorer_colours_a_window_and_runs_the_query(monkeypatch):
    import ipywidgets

    from rnn_helpers import viz, widgets

    model, vocab = planted_model()
    text = corpus(seed=1)
    rec = probe.record_text(model, vocab, text)
    drawn = []
    monkeypatch.setattr(viz, "text_heatmap_html", lambda shown, values, title=None: drawn.append((shown, title)))
    box = widgets.corpus_explorer(rec, window=40)
    assert isinstance(box, ipywidgets.VBox)
    (_, _, unit), start, _, (pattern, _, cut, run), answer, matches = (
        box.children[0].children, box.children[1], box.children[2], box.children[3].children, box.children[4],
        box.children[5])
    assert drawn[-1][0] == text[:40] and "unit 0" in drawn[-1][1]
    unit.value = 2
    assert "unit 2" in drawn[-1][1], "changing the unit redraws the text"
    start.value = start.step
    assert drawn[-1][0] == text[start.step : start.step + 40]
    pattern.value, cut.value = r"\([^)]*", 0.5
    run.click()
    expected = [(m.start(), m.end()) for m in __import__("re").finditer(r"\([^)]*", text)]
    assert unit.value == 0 and f"<b>{len(expected)}</b> places" in answer.value and "100%" in answer.value
    assert matches.value.count('title="characters') == min(len(expected), 10)
    pattern.value = "zz"
    run.click()
    assert answer.value.startswith("Cannot run this query: span 'zz' occurs 0 time(s)") and matches.value == ""
    with pytest.raises(TypeError, match="recording must be a probe.Recording of one text"):
        widgets.corpus_explorer(probe.record(model.rnn, np.zeros((1, 3, len(vocab)), dtype=np.float32)))
