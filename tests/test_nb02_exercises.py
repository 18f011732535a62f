"""Exercises of 02_history.ipynb: each checker accepts the reference solution and rejects known wrong answers with
a message written for a student."""

from __future__ import annotations

import numpy as np

import rnn_helpers.exercises as ex
from rnn_helpers.exercises import ____, nb02


def verdict(exercise, answer):
    v = exercise.check(answer)
    assert v.status == ex.INCORRECT, v
    return v.message


def test_perceptron_update_rejects_known_mistakes():
    e = nb02.ex1
    assert e.check(lambda w, b, x, y, lr: ____).status == ex.NOT_ATTEMPTED

    def always(w, b, x, y, lr):  # updates even when the answer is right
        return w + lr * y * x, b + lr * y

    assert "already right" in verdict(e, always)

    def flipped(w, b, x, y, lr):
        y_hat = 1 if x @ w + b > 0 else 0
        return w - lr * (y - y_hat) * x, b - lr * (y - y_hat)

    assert "sign is flipped" in verdict(e, flipped)

    def fires_at_zero(w, b, x, y, lr):
        y_hat = 1 if x @ w + b >= 0 else 0
        return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)

    assert "On the threshold" in verdict(e, fires_at_zero)

    def no_lr(w, b, x, y, lr):
        y_hat = 1 if x @ w + b > 0 else 0
        return w + (y - y_hat) * x, b + (y - y_hat)

    assert "differs from the expected values" in verdict(e, no_lr)
    assert "Return two things" in verdict(e, lambda w, b, x, y, lr: w)
    assert "Give the function itself" in verdict(e, 3)


def test_hebbian_rejects_known_mistakes():
    e = nb02.ex2
    assert e.check(lambda p: ____).status == ex.NOT_ATTEMPTED
    assert "diagonal should be 0" in verdict(e, lambda p: p.T @ p)
    assert "shape" in verdict(e, lambda p: p @ p.T)
    assert "wrong sign" in verdict(e, lambda p: -(p.T @ p - np.diag(np.diag(p.T @ p))))

    def scaled(p):
        W = p.T @ p / p.shape[1]
        np.fill_diagonal(W, 0)
        return W

    assert e.check(scaled).correct  # dividing by N changes no sign


def test_online_gradient_rejects_known_mistakes():
    e = nb02.ex3
    assert "no end to start from" in verdict(e, ("BPTT", 2))
    assert "its memory" in verdict(e, ("RTRL", 3))
    assert "count the sensitivities" in verdict(e, ("RTRL", 2))
    assert "not one of the chapter's two algorithms" in verdict(e, ("LSTM", 4))
    assert "Give a pair" in verdict(e, "RTRL") and "Give a pair" in verdict(e, ("RTRL", True))
    assert e.check(("rtrl", 4)).correct and e.check(["RTRL", 4.0]).correct


def test_capacity_rejects_known_mistakes():
    e = nb02.ex4
    assert "Fewer units than patterns" in verdict(e, 0.138 * 50)
    assert "One unit per pattern" in verdict(e, 50)
    assert "far more than 50 patterns" in verdict(e, 2500)
    assert "too few" in verdict(e, 100) and "too many" in verdict(e, 700)
    assert "should be a number" in verdict(e, "363")
    assert e.check(363).correct and e.check(334).correct  # 50 / 0.15 (Hopfield's own estimate) is accepted too


def test_predictable_in_quadruples_rejects_known_mistakes():
    e = nb02.ex5
    assert "one step ahead" in verdict(e, 3)
    assert "fresh random bits" in verdict(e, 1) and "fresh random bits" in verdict(e, 0)
    assert "0, 1, 2 or 3" in verdict(e, 4)
    assert "Give one of 0, 1, 2, 3" in verdict(e, 2.0)
    assert e.check(2).correct
    # the answer derived from such a stream: where the next bit is the parity of the three bits just read
    rng = np.random.default_rng(0)
    triples = rng.integers(0, 2, size=(50, 3))
    stream = np.concatenate([triples, triples.sum(1, keepdims=True) % 2], axis=1).reshape(-1)  # (200,)
    x, y = stream[:-1], stream[1:]
    t = np.arange(3, len(x))
    predictable = [r for r in range(4) if np.array_equal(y[t[t % 4 == r]],
                                                         (x + np.roll(x, 1) + np.roll(x, 2))[t[t % 4 == r]] % 2)]
    assert predictable == [2]

