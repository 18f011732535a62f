"""Chapter 10's plots and the translation explorer, driven without a kernel."""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from rnn_helpers import dates, seq2seq, viz, widgets


def model(attention):
    torch.manual_seed(0)
    src_vocab, tgt_vocab = dates.vocabularies()
    config = seq2seq.Seq2SeqConfig(len(src_vocab), len(tgt_vocab), embed=8, hidden=12, attention=attention, attn=6)
    return seq2seq.Seq2Seq(config), src_vocab, tgt_vocab


def test_plot_alignment_labels_rows_and_columns():
    alpha = np.full((4, 3), 1 / 3)
    ax = viz.plot_alignment(alpha, "a b", "xyz")  # one more row than characters: the end symbol
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "␣", "b"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "y", "z", "⏎"]
    with pytest.raises(ValueError, match="alpha must have shape"):
        viz.plot_alignment(np.ones((4, 2)), "a b", "xyz")
    with pytest.raises(TypeError, match="strings"):
        viz.plot_alignment(alpha, 3, "xyz")


def test_plot_accuracy_by_length_and_beam_cost():
    ax = viz.plot_accuracy_by_length(np.array([10.0, 30.0]), {"a": np.array([1.0, 0.5]), "b": np.array([1.0, 1.0])})
    assert len(ax.lines) == 2 and ax.get_legend() is not None
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [1.0, 0.5])
    with pytest.raises(ValueError, match="one value per centre"):
        viz.plot_accuracy_by_length(np.array([10.0, 30.0]), {"a": np.array([1.0])})
    with pytest.raises(TypeError, match="non-empty dict"):
        viz.plot_accuracy_by_length(np.array([10.0]), {})
    axes = viz.plot_beam_cost(np.array([1, 2]), np.array([0.5, 0.6]), np.array([0.1, 0.2]))
    assert len(axes) == 2
    with pytest.raises(ValueError, match="one length"):
        viz.plot_beam_cost(np.array([1, 2]), np.array([0.5]), np.array([0.1, 0.2]))


def test_char_accuracy_gives_partial_credit():
    acc = seq2seq.char_accuracy(["1999-03-03", "1999-03-0", "1999-03-031", "x"], ["1999-03-03"] * 3 + [""])
    np.testing.assert_allclose(acc, [1.0, 0.9, 10 / 11, 0.0])
    with pytest.raises(ValueError, match="same length"):
        seq2seq.char_accuracy(["a"], [])
    with pytest.raises(TypeError, match="strings"):
        seq2seq.char_accuracy([1], ["a"])


def test_accuracy_by_length_bins():
    centres, acc, counts = seq2seq.accuracy_by_length([5, 15, 16, 40], [True, False, True, True], [0, 10, 20, 30, 50])
    np.testing.assert_array_equal(centres, [5, 15, 25, 40])
    assert acc[0] == 1 and acc[1] == 0.5 and np.isnan(acc[2]) and acc[3] == 1
    assert counts.tolist() == [1, 2, 0, 1]
    with pytest.raises(ValueError, match="increasing"):
        seq2seq.accuracy_by_length([1], [True], [3, 1])


def test_translation_view_draws_the_alignment():
    m, src_vocab, tgt_vocab = model("additive")
    fig, ax = plt.subplots()
    view = widgets.translation_view(m, "3. März 1999", src_vocab, tgt_vocab, width=2, ax=ax)
    assert len(view["beam"]) == 2 and view["output"] == view["beam"][0][0] and view["unknown"] == []
    assert len(ax.get_xticklabels()) == len("3. März 1999")
    assert len(ax.get_yticklabels()) in (len(view["output"]), len(view["output"]) + 1)
    view = widgets.translation_view(m, "3 мая 1999", src_vocab, tgt_vocab, width=1, ax=ax)
    assert set(view["unknown"]) == set("мая")


def test_translation_explorer_reacts_to_its_controls():
    m_att, src_vocab, tgt_vocab = model("additive")
    m_plain, _, _ = model(None)
    explorer = widgets.translation_explorer({"att": m_att, "plain": m_plain}, src_vocab, tgt_vocab, width=2)
    assert isinstance(explorer, ipywidgets.VBox)
    text, choice, width = explorer.children[0].children
    table = explorer.children[1]
    assert table.value.count("<tr>") == 1 + 2  # header + two beam hypotheses
    width.value = 3
    assert table.value.count("<tr>") == 1 + 3
    choice.value = "plain"
    text.value = "March 3, 1999"
    assert "translation" in table.value
    text.value = "3 мая 1999"
    assert "unknown characters" in table.value
    with pytest.raises(TypeError, match="non-empty dict"):
        widgets.translation_explorer({}, src_vocab, tgt_vocab)
