"""Exercises of 10_seq2seq_attention.ipynb: each checker accepts the reference solution and rejects the mistakes
learners make, with a message that never gives the expected values away."""

from __future__ import annotations

import numpy as np

import rnn_helpers.exercises as ex
from rnn_helpers.exercises import ____, nb10


def verdict(exercise, answer):
    v = exercise.check(answer)
    assert v.status == ex.INCORRECT, v
    return v.message


def reference_step(scores, log_probs, width):
    return nb10._reference_beam_step(scores, log_probs, width)


def test_beam_step():
    e = nb10.ex1
    assert e.check(reference_step).correct
    assert e.check(lambda s, lp, w: ____).status == ex.NOT_ATTEMPTED

    def next_only(scores, log_probs, width):
        return reference_step(np.zeros_like(scores), log_probs, width)

    def ascending(scores, log_probs, width):
        new, parents, chars = reference_step(scores, log_probs, width)
        return new[::-1], parents[::-1], chars[::-1]

    def swapped(scores, log_probs, width):
        new, parents, chars = reference_step(scores, log_probs, width)
        return new, chars, parents

    def one_per_prefix(scores, log_probs, width):
        total = scores[:, None] + log_probs
        best_char = total.argmax(1)
        order = np.argsort(-total.max(1))[:width]
        return total.max(1)[order], order, best_char[order]

    def probabilities(scores, log_probs, width):
        new, parents, chars = reference_step(scores, log_probs, width)
        return np.exp(new), parents, chars

    assert "prefix it extends" in verdict(e, next_only)
    assert "best first" in verdict(e, ascending)
    assert "swapped" in verdict(e, swapped)
    assert "one extension per prefix" in verdict(e, one_per_prefix)
    assert "log-probabilities" in verdict(e, probabilities)
    assert "three arrays" in verdict(e, lambda s, lp, w: np.zeros(w))
    assert "entries" in verdict(e, lambda s, lp, w: (np.zeros(w + 1), np.zeros(w + 1), np.zeros(w + 1)))


def test_read_an_alignment():
    e = nb10.ex2
    assert e.check(lambda a: a.argmax(1)).correct
    assert "wrong axis" in verdict(e, lambda a: a.argmax(0))
    assert "where" in verdict(e, lambda a: a.max(1))
    assert "wrong source character" in verdict(e, lambda a: np.zeros(a.shape[0], dtype=int))
    source, target, alpha = nb10._alignment_case()
    assert alpha.shape == (len(target), len(source)) and np.allclose(alpha.sum(1), 1)


def test_additive_score():
    e = nb10.ex3

    def right(s, h, W_a, U_a, v_a):
        return np.tanh(W_a @ s + h @ U_a.T) @ v_a

    def softmaxed(s, h, W_a, U_a, v_a):
        z = right(s, h, W_a, U_a, v_a)
        z = np.exp(z - z.max())
        return z / z.sum()

    assert e.check(right).correct
    assert "before" in verdict(e, softmaxed)
    assert "tanh is missing" in verdict(e, lambda s, h, W, U, v: (W @ s + h @ U.T) @ v)
    assert "v_a" in verdict(e, lambda s, h, W, U, v: np.tanh(W @ s + h @ U.T).sum(1))
    assert "one score per annotation" in verdict(e, lambda s, h, W, U, v: np.tanh(W @ s + h @ U.T))
    assert "differ" in verdict(e, lambda s, h, W, U, v: np.tanh(W @ s + h @ U.T) @ v + 1)


def test_decoder_inputs():
    e = nb10.ex4
    assert e.check(lambda t, bos: [bos] + t[:-1]).correct
    assert "target itself" in verdict(e, lambda t, bos: list(t))
    assert "One too long" in verdict(e, lambda t, bos: [bos] + t)
    assert "shifted left" in verdict(e, lambda t, bos: t[1:] + [bos])
    assert "list of ids" in verdict(e, lambda t, bos: None)


def test_beam_search_assignment():
    e = nb10.ex5

    def greedy(step_fn, width, max_len, eos=0):
        return nb10.reference_beam_search(step_fn, 1, max_len)[:1] * width

    def no_finishing(step_fn, width, max_len, eos=0):
        beam = [((), 0.0)]
        for _ in range(max_len):
            candidates = []
            for prefix, score in beam:
                log_p = step_fn(list(prefix))
                candidates += [(prefix + (v,), score + float(log_p[v])) for v in range(len(log_p))]
            beam = sorted(candidates, key=lambda c: -c[1])[:width]
        return beam

    def worst_first(step_fn, width, max_len, eos=0):
        return nb10.reference_beam_search(step_fn, width, max_len)[::-1]

    assert e.check(nb10.reference_beam_search).correct
    assert "greedy" in verdict(e, greedy) or "best first" in verdict(e, greedy)
    assert "after eos" in verdict(e, no_finishing)
    assert "best first" in verdict(e, worst_first)
    assert "(prefix, score) pairs" in verdict(e, lambda f, w, m, eos=0: [1, 2])


def _first_beam_case():
    rng = np.random.default_rng(10)
    scores = -rng.gamma(2.0, 1.0, size=3)
    logits = rng.normal(size=(3, 5)) * 2
    return scores, logits - np.log(np.exp(logits).sum(1, keepdims=True)), 3


def test_messages_never_print_expected_values():
    """The checkers say how an answer is wrong, not what the answer is."""
    source, target, alpha = nb10._alignment_case()
    message = verdict(nb10.ex2, lambda a: np.zeros(a.shape[0], dtype=int))
    assert str(alpha.argmax(1).tolist()) not in message
    message = verdict(nb10.ex1, lambda s, lp, w: (np.zeros(w), np.zeros(w, int), np.zeros(w, int)))
    for value in nb10._reference_beam_step(*_first_beam_case())[0]:
        assert f"{value:.2f}"[:-1] not in message, message
