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


def _decoder_batch(targets, bos, eos, pad, *, shift_in=True, eos_out=True, left=False, swap=False):
    T = max(len(x) for x in targets) + 1
    inputs = np.full((len(targets), T), pad)
    outputs = np.full((len(targets), T), pad)
    for b, target in enumerate(targets):
        row_in = [bos] + list(target) if shift_in else list(target) + [eos]
        row_out = list(target) + ([eos] if eos_out else [])
        if left:
            inputs[b, T - len(row_in):], outputs[b, T - len(row_out):] = row_in, row_out
        else:
            inputs[b, :len(row_in)], outputs[b, :len(row_out)] = row_in, row_out
    return (outputs, inputs) if swap else (inputs, outputs)


def test_decoder_batch():
    e = nb10.ex4
    assert e.check(_decoder_batch).correct
    assert "swapped" in verdict(e, lambda t, b, e_, p: _decoder_batch(t, b, e_, p, swap=True))
    assert "end symbol" in verdict(e, lambda t, b, e_, p: _decoder_batch(t, b, e_, p, eos_out=False))
    assert "padding goes at the end" in verdict(e, lambda t, b, e_, p: _decoder_batch(t, b, e_, p, left=True))
    # the decoder reads the target and then eos (no start symbol): the inputs are wrong
    assert "never reads the end symbol" in verdict(e, lambda t, b, e_, p: _decoder_batch(t, b, e_, p, shift_in=False))
    # outputs equal to the inputs (no shift at all)
    same = lambda t, b, e_, p: (_decoder_batch(t, b, e_, p)[0], _decoder_batch(t, b, e_, p)[0])  # noqa: E731
    assert "predict the symbol it has just read" in verdict(e, same)
    # the exercise 4 of an older version: the inputs of one target, no batch, no end symbol
    ragged = lambda t, b, e_, p: ([[b] + x[:-1] for x in t], [list(x) for x in t])  # noqa: E731
    assert "pad the short rows" in verdict(e, ragged) or "shapes" in verdict(e, ragged)
    # rows as long as the longest target (forgot the extra step)
    short = lambda t, b, e_, p: tuple(a[:, :-1] for a in _decoder_batch(t, b, e_, p))  # noqa: E731
    assert "one step too short" in verdict(e, short)
    # time first
    transposed = lambda t, b, e_, p: tuple(a.T for a in _decoder_batch(t, b, e_, p))  # noqa: E731
    assert "batch first" in verdict(e, transposed)
    assert "two arrays" in verdict(e, lambda t, b, e_, p: None)


def _learner_beam(step_fn, width, max_len, eos=0, mistake=None):
    """Beam search as learners write it, with one of their mistakes (written here independently of the checker)."""
    beam, done = [((), 0.0)], []
    for _ in range(max_len + (1 if mistake == "one_more" else 0)):
        candidates = []
        for prefix, score in beam:
            if prefix and prefix[-1] == eos and mistake != "extend_finished":
                candidates.append((prefix, score))
                continue
            log_p = step_fn(list(prefix))
            if mistake == "greedy_per_prefix":
                v = int(np.argmax(log_p))
                candidates.append((prefix + (v,), score + float(log_p[v])))
                continue
            candidates += [(prefix + (v,), score + float(log_p[v])) for v in range(len(log_p))]
        if mistake == "length_norm":
            candidates.sort(key=lambda c: -c[1] / len(c[0]))
        else:
            candidates.sort(key=lambda c: -c[1])
        beam = candidates[: (1 if mistake == "greedy" else width)]
        if mistake == "drop_finished":
            done += [c for c in beam if c[0][-1] == eos]
            beam = [c for c in beam if c[0][-1] != eos]
            if not beam:
                break
        if beam and all(p[-1] == eos for p, _ in beam):
            break
        if mistake == "stop_at_best" and beam[0][0][-1] == eos:
            break
    if mistake == "greedy":
        return beam * width
    return beam


def test_beam_search_assignment():
    e = nb10.ex5
    from rnn_helpers import seq2seq

    assert e.check(_learner_beam).correct
    assert e.check(nb10.reference_beam_search).status == ex.INCORRECT  # the checker's own reference

    def wrong(mistake):
        return verdict(e, lambda f, w, m, eos=0: _learner_beam(f, w, m, eos, mistake=mistake))

    assert "greedy" in wrong("greedy") or "best first" in wrong("greedy")
    assert "after eos" in wrong("extend_finished")
    assert "Finished hypotheses are missing" in wrong("drop_finished")
    assert "every* hypothesis" in wrong("stop_at_best")
    assert "average log-probability" in wrong("length_norm")
    assert "past max_len" in wrong("one_more")
    assert "greedy" in wrong("greedy_per_prefix") or "best extension of each prefix" in wrong("greedy_per_prefix")

    def worst_first(step_fn, width, max_len, eos=0):
        return _learner_beam(step_fn, width, max_len, eos)[::-1]

    def probabilities(step_fn, width, max_len, eos=0):  # multiplies probabilities, starting from 1
        return [(p, float(np.exp(s))) for p, s in _learner_beam(step_fn, width, max_len, eos)]

    def too_many(step_fn, width, max_len, eos=0):
        return _learner_beam(step_fn, width + 1, max_len, eos)

    assert "best first" in verdict(e, worst_first)
    assert "log-probability" in verdict(e, probabilities)
    assert "keep only" in verdict(e, too_many)
    assert "(prefix, score) pairs" in verdict(e, lambda f, w, m, eos=0: [1, 2])
    # the course's own helper, passed as the answer, is named as such
    assert "course's own beam search" in verdict(e, seq2seq.beam_search)
    # the cases include one where greedy and beam differ, one with a finished hypothesis in the final beam and
    # one where max_len ends the search
    kinds = [what for *_, what in nb10._CASES]
    assert len(kinds) == 3
    f, w, m, _ = nb10._CASES[0]
    assert nb10.reference_beam_search(f(), w, m)[0][0] != nb10.reference_beam_search(f(), 1, m)[0][0]
    f, w, m, _ = nb10._CASES[1]
    final = nb10.reference_beam_search(f(), w, m)
    assert any(p[-1] == 0 for p, _ in final) and any(len(p) > 1 for p, _ in final)
    f, w, m, _ = nb10._CASES[2]
    assert all(len(p) == m and p[-1] != 0 for p, _ in nb10.reference_beam_search(f(), w, m))


def _first_beam_case():
    rng = np.random.default_rng(10)
    scores = -rng.gamma(2.0, 1.0, size=3)
    logits = rng.normal(size=(3, 5)) * 2
    return scores, logits - np.log(np.exp(logits).sum(1, keepdims=True)), 3


def _numbers(values):
    """The ways a checker could print an expected number."""
    out = set()
    for v in np.ravel(values):
        v = float(v)
        out |= {f"{v:.2f}", f"{v:.3f}", f"{v:.4g}", repr(v)}
    return out


def test_messages_never_print_expected_values():
    """The checkers say how an answer is wrong, not what the answer is: for wrong answers to every exercise,
    no message holds the expected numbers (or the expected list of indices)."""
    source, target, alpha = nb10._alignment_case()
    for wrong in (lambda a: np.zeros(a.shape[0], dtype=int), lambda a: a.max(1), lambda a: a.argmax(0)):
        message = verdict(nb10.ex2, wrong)
        assert str(alpha.argmax(1).tolist()) not in message and "[8, 9, 10" not in message
    scores, log_probs, width = _first_beam_case()
    expected = nb10._reference_beam_step(scores, log_probs, width)
    for wrong in (lambda s, lp, w: (np.zeros(w), np.zeros(w, int), np.zeros(w, int)),
                  lambda s, lp, w: reference_step(np.zeros_like(s), lp, w)):
        message = verdict(nb10.ex1, wrong)
        assert not any(n in message for n in _numbers(expected[0])), message
        assert str(expected[1].tolist()) not in message and str(expected[2].tolist()) not in message
    rng = np.random.default_rng(11)
    s, h = rng.normal(size=3), rng.normal(size=(6, 4))
    W_a, U_a, v_a = rng.normal(size=(5, 3)), rng.normal(size=(5, 4)), rng.normal(size=5)
    e_expected = np.tanh(W_a @ s + h @ U_a.T) @ v_a
    for wrong in (lambda s, h, W, U, v: np.tanh(W @ s + h @ U.T) @ v + 1, lambda s, h, W, U, v: (W @ s + h @ U.T) @ v):
        message = verdict(nb10.ex3, wrong)
        assert not any(n in message for n in _numbers(e_expected)), message
    ins, outs = _decoder_batch([[5, 9, 9, 7], [4, 6], [8]], 1, 2, 0)
    for wrong in (lambda t, b, e_, p: _decoder_batch(t, b, e_, p, eos_out=False),
                  lambda t, b, e_, p: _decoder_batch(t, b, e_, p, swap=True),
                  lambda t, b, e_, p: (np.zeros((len(t), 9)), np.zeros((len(t), 9)))):
        message = verdict(nb10.ex4, wrong)
        assert str(ins.tolist()) not in message and str(outs.tolist()) not in message
        assert str(ins[0].tolist()) not in message and str(outs[0].tolist()) not in message
    for mistake in ("greedy", "extend_finished", "drop_finished", "stop_at_best", "length_norm", "one_more"):
        message = verdict(nb10.ex5, lambda f, w, m, eos=0, mistake=mistake: _learner_beam(f, w, m, eos, mistake))
        for factory, w, m, _ in nb10._CASES:
            for prefix, score in nb10.reference_beam_search(factory(), w, m):
                assert str(prefix) not in message and not any(n in message for n in _numbers(score)), message
