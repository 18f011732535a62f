"""Chapter 04's exercise checkers accept the reference solutions and reject known wrong answers with a message
that says what went wrong."""

from __future__ import annotations

import numpy as np
from test_exercises import run_solution

from rnn_helpers.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED, ____, nb04


def test_reference_solutions_are_correct():
    for exercise in (nb04.ex1, nb04.ex2, nb04.ex3, nb04.ex4):
        verdict = exercise.check(run_solution(exercise))
        assert verdict.status == CORRECT, (exercise.title, verdict.message)
        assert exercise.check(____).status == NOT_ATTEMPTED
        assert exercise.hints and "```python" in str(exercise.solution_text())


def _status(exercise, answer):
    verdict = exercise.check(answer)
    return verdict.status, verdict.message


def test_jacobian_product_rejects_the_usual_mistakes():
    def reversed_order(h, W):
        P = np.eye(len(W))
        for h_t in h:
            P = P @ ((1 - h_t**2)[:, None] * W)
        return P

    def columns(h, W):
        P = np.eye(len(W))
        for h_t in h:
            P = (W * (1 - h_t**2)[None, :]) @ P
        return P

    def no_derivative(h, W):
        return np.linalg.matrix_power(W, len(h))

    def double_tanh(h, W):
        P = np.eye(len(W))
        for h_t in h:
            P = ((1 - np.tanh(h_t) ** 2)[:, None] * W) @ P
        return P

    for f, words in ((reversed_order, "wrong order"), (columns, "ROWS of W_hh"),
                     (no_derivative, "leaves out the tanh derivative"), (double_tanh, "not 1 - tanh(h_t)²")):
        status, message = _status(nb04.ex1, f)
        assert status == INCORRECT and words in message, (f.__name__, message)
    assert _status(nb04.ex1, lambda h, W: ____)[0] == NOT_ATTEMPTED
    status, message = _status(nb04.ex1, lambda h, W: np.eye(2))
    assert status == INCORRECT and "shape" in message
    assert _status(nb04.ex1, np.eye(2))[0] == INCORRECT  # not a function


def test_predict_fate_messages():
    right = {"a": "vanishes", "b": "vanishes", "c": "explodes", "d": "depends"}
    assert nb04.ex2.check(right).correct
    assert nb04.ex2.check({**right, "a": " Vanishes "}).correct  # case and spaces do not matter
    status, message = _status(nb04.ex2, {**right, "b": "explodes"})
    assert status == INCORRECT and "1/γ = 4" in message
    status, message = _status(nb04.ex2, {**right, "d": "explodes"})
    assert status == INCORRECT and "only makes explosion possible" in message
    status, message = _status(nb04.ex2, {**right, "c": "grows"})
    assert status == INCORRECT and "answer one of ['vanishes', 'explodes', 'depends']" in message
    assert "missing: ['d']" in _status(nb04.ex2, {k: v for k, v in right.items() if k != "d"})[1]
    assert _status(nb04.ex2, {**right, "a": ____})[0] == NOT_ATTEMPTED
    assert _status(nb04.ex2, ["vanishes"])[0] == INCORRECT


def test_steps_to_vanish():
    assert nb04.ex3.check(66).correct and nb04.ex3.check(66.0).correct and nb04.ex3.check(np.int64(66)).correct
    status, message = _status(nb04.ex3, 65)
    assert status == INCORRECT and "round up" in message
    assert _status(nb04.ex3, 100)[0] == INCORRECT
    assert _status(nb04.ex3, 65.6)[0] == INCORRECT and _status(nb04.ex3, True)[0] == INCORRECT


def test_clip_by_norm_rejects_per_array_value_and_upscaling():
    def per_array(grads, c):
        return [g * min(1.0, c / np.linalg.norm(g)) for g in grads]

    def by_value(grads, c):
        return [np.clip(g, -c, c) for g in grads]

    def always_rescale(grads, c):
        n = np.sqrt(sum((g**2).sum() for g in grads))
        return [g * c / n for g in grads]

    for f, words in ((per_array, "its own norm"), (by_value, "clipping by value"), (always_rescale, "UP")):
        status, message = _status(nb04.ex4, f)
        assert status == INCORRECT and words in message, (f.__name__, message)
    status, message = _status(nb04.ex4, lambda grads, c: grads[0])
    assert status == INCORRECT and "Return a list of 2 arrays" in message
    assert _status(nb04.ex4, lambda grads, c: ____)[0] == NOT_ATTEMPTED


def test_truncated_bptt_assignment_inspects_every_chunk_and_names_the_mistake():
    e = nb04.ex5
    wrong = e.wrong_answers()
    messages = [e.check(w) for w in wrong]
    assert all(v.status == "incorrect" for v in messages), messages
    assert "state.detach()" in messages[0].message
    assert "does not start from the state chunk 0 ended in" in messages[1].message
    assert "NEXT characters" in messages[2].message and "zero_grad" in messages[3].message
    assert "never updates the weights" in messages[4].message

    def skips_a_chunk(model, optimizer, streams, L):
        reference = e.reference()
        return reference(model, optimizer, streams[:, L:], L)  # starts at the second chunk

    assert "Chunk 0 is not streams[:, 0:25]" in e.check(skips_a_chunk).message


def test_truncated_bptt_data_and_the_carried_loss():
    import torch

    from rnn_helpers.models import CharLM

    train, test, V = nb04.tbptt_task()
    assert train.shape == (16, 500) and test.shape == (16, 125) and train.dtype == torch.int64
    torch.manual_seed(0)
    model = CharLM(V, 8, cell="rnn")
    # an untrained model is close to uniform: about log V nats per character
    assert abs(nb04.carried_loss(model, test, 25) - np.log(V)) < 0.3
    # reading in chunks with the state carried gives the same loss as reading the whole row at once
    whole = nb04.carried_loss(model, test, test.shape[1])
    assert abs(nb04.carried_loss(model, test, 7) - whole) < 1e-5
