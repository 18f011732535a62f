"""Exercises of 08_rnns_vs_transformers.ipynb: each checker accepts the reference solution and rejects known
wrong answers with a message written for a student."""

from __future__ import annotations

import numpy as np

import rnn_helpers.exercises as ex
from rnn_helpers import attention
from rnn_helpers.exercises import ____, nb08


def verdict(exercise, answer):
    v = exercise.check(answer)
    assert v.status == ex.INCORRECT, v
    return v.message


def test_attention_exercise():
    e = nb08.ex1
    assert e.check(lambda Q, K, V: attention.scaled_dot_product_attention(Q, K, V)[0]).correct
    assert e.check(lambda Q, K, V: ____).status == ex.NOT_ATTEMPTED

    def unscaled(Q, K, V):
        S = Q @ np.swapaxes(K, -1, -2)
        A = np.exp(S - S.max(-1, keepdims=True))
        return A / A.sum(-1, keepdims=True) @ V

    def by_column(Q, K, V):
        A = np.exp(Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1]))
        return A / A.sum(-2, keepdims=True) @ V

    assert "√d_k" in verdict(e, unscaled)
    assert "each row" in verdict(e, by_column)
    assert "shape" in verdict(e, lambda Q, K, V: Q @ np.swapaxes(K, -1, -2))
    assert "differs" in verdict(e, lambda Q, K, V: np.zeros(Q.shape[:-1] + V.shape[-1:]))
    assert "function" in verdict(e, 3)
    assert "ZeroDivisionError" in verdict(e, lambda Q, K, V: 1 / 0)  # a crash is reported, never raised


def test_causal_mask_exercise():
    e = nb08.ex2
    assert e.check(attention.causal_mask).correct
    assert "inverted" in verdict(e, lambda T: ~np.triu(np.ones((T, T), dtype=bool), 1))
    assert "diagonal" in verdict(e, lambda T: np.triu(np.ones((T, T), dtype=bool), 0))
    assert "hides the past" in verdict(e, lambda T: np.tril(np.ones((T, T), dtype=bool), -1))
    assert "boolean" in verdict(e, lambda T: np.triu(np.ones((T, T)), 1))
    assert "shape" in verdict(e, lambda T: np.zeros((T, T + 1), dtype=bool))
    assert "should be" in verdict(e, lambda T: np.zeros((T, T), dtype=bool))


def test_kv_cache_exercise():
    e = nb08.ex3
    right = 2 * 12 * 1024 * 768 * 2
    assert e.check(right).correct and e.check(float(right)).correct
    assert "factor 2" in verdict(e, right // 2)
    assert "2 bytes per number" in verdict(e, right * 2)
    assert "one layer" in verdict(e, right // 12)
    assert "should be" in verdict(e, right + 1000)
    assert "number of bytes" in verdict(e, "37 MB")
    assert "number of bytes" in verdict(e, True)


def test_crossover_exercise():
    e = nb08.ex4
    assert e.check(512).correct and e.check(512.0).correct
    assert "d²" in verdict(e, 512**2)
    assert "should be 512" in verdict(e, 256)
    assert "sequence length" in verdict(e, "512")
