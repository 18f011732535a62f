"""Tests of CharLM's embedding input (chapter 03): a lookup equals one-hot times a matrix."""

from __future__ import annotations

import pytest
import torch

from rnn_helpers import datasets, probe
from rnn_helpers.models import CharLM, char_lm_trace, sample_chars


def test_embedding_charlm_reads_rows_of_its_table():
    torch.manual_seed(0)
    lm = CharLM(7, 5, cell="rnn", embedding_dim=3).double()
    ids = torch.tensor([[0, 3, 6, 3]])
    assert lm.inputs(ids).shape == (1, 4, 3)
    one_hot = torch.nn.functional.one_hot(ids, 7).double()
    assert torch.allclose(lm.inputs(ids), one_hot @ lm.embedding.weight, atol=0, rtol=0)
    logits, state = lm(ids)
    assert logits.shape == (1, 4, 7) and state.shape == (1, 1, 5)
    hidden, probs = char_lm_trace(lm, [0, 3, 6, 3])
    assert torch.allclose(torch.from_numpy(probs), torch.softmax(logits[0], -1), atol=1e-12)
    assert len(sample_chars(lm, [0], 5, generator=torch.Generator().manual_seed(0))) == 5


def test_one_hot_charlm_is_unchanged():
    lm = CharLM(7, 5, cell="rnn")
    assert lm.embedding is None and lm.rnn.input_size == 7
    ids = torch.tensor([[1, 2]])
    assert torch.equal(lm.inputs(ids), torch.nn.functional.one_hot(ids, 7).float())


def test_bad_embedding_dim():
    with pytest.raises(ValueError, match="embedding_dim"):
        CharLM(7, 5, embedding_dim=0)
    with pytest.raises(TypeError, match="embedding_dim"):
        CharLM(7, 5, embedding_dim=2.5)


def test_probe_refuses_an_embedding_model(tmp_path):
    vocab = datasets.Vocabulary.from_text("abcdefg")
    lm = CharLM(len(vocab), 5, cell="rnn", embedding_dim=3)
    with pytest.raises(ValueError, match="one-hot"):
        probe.record_text(lm, vocab, "abc")
    with pytest.raises(ValueError, match="one-hot"):
        probe.save_charlm(lm, vocab, tmp_path / "m.pt")
