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


def test_who_introduced_what_rejects_known_mistakes():
    e = nb02.ex3
    assert "popular mix-up" in verdict(e, ("A", "B"))
    assert "RTRL is not in" in verdict(e, ("B", "C"))
    assert "not the BPTT paper" in verdict(e, ("C", "A"))
    assert "not one of the options" in verdict(e, ("B", "Z"))
    assert "Give two letters" in verdict(e, "B")
    assert e.check(("b", "a")).correct


def test_capacity_rejects_known_mistakes():
    e = nb02.ex4
    assert "Fewer units than patterns" in verdict(e, 0.138 * 50)
    assert "One unit per pattern" in verdict(e, 50)
    assert "far more than 50 patterns" in verdict(e, 2500)
    assert "too few" in verdict(e, 100) and "too many" in verdict(e, 700)
    assert "should be a number" in verdict(e, "363")
    assert e.check(363).correct and e.check(334).correct  # 50 / 0.15 (Hopfield's own estimate) is accepted too


def test_predictable_bit_rejects_known_mistakes():
    e = nb02.ex5
    assert "one step ahead" in verdict(e, 2)
    assert "fresh random bit" in verdict(e, 0)
    assert "Give one of 0, 1, 2" in verdict(e, 1.0)
