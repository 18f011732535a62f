"""Exercises of 12_modern_recurrences.ipynb: each checker accepts the reference solution, rejects the
mistakes learners make with a message that says how, and never prints the expected value."""

from __future__ import annotations

import math
import re

import numpy as np

import rnn_helpers.exercises as ex
from rnn_helpers.exercises import ____, nb12


def verdict(exercise, answer):
    v = exercise.check(answer)
    assert v.status == ex.INCORRECT, v
    return v.message


def test_associative_operator():
    e = nb12.ex1
    assert e.check(lambda a1, b1, a2, b2: (a1 * a2, a2 * b1 + b2)).correct
    assert e.check(lambda a1, b1, a2, b2: ____).status == ex.NOT_ATTEMPTED
    assert "wrong order" in verdict(e, lambda a1, b1, a2, b2: (a1 * a2, a1 * b2 + b1))
    assert "b_2" in verdict(e, lambda a1, b1, a2, b2: (a1 * a2, a2 * b1))
    assert "multiplied by a_2" in verdict(e, lambda a1, b1, a2, b2: (a1 * a2, b1 + b2))
    assert "added them" in verdict(e, lambda a1, b1, a2, b2: (a1 + a2, a2 * b1 + b2))
    assert "pair" in verdict(e, lambda a1, b1, a2, b2: a1 * a2)
    assert "function" in verdict(e, 3)
    assert "ZeroDivisionError" in verdict(e, lambda *args: 1 / 0)


def test_log_space_scan():
    e = nb12.ex2

    def right(log_a, log_b):
        A = np.cumsum(log_a, axis=-1)
        return A + np.logaddexp.accumulate(log_b - A, axis=-1)

    def naive(log_a, log_b):  # the closed form with 1 / P: overflows at T = 4096
        P = np.exp(np.cumsum(log_a, axis=-1))
        return np.log(P * np.cumsum(np.exp(log_b) / P, axis=-1))

    def forgot_A(log_a, log_b):
        return np.logaddexp.accumulate(log_b - np.cumsum(log_a, axis=-1), axis=-1)

    def no_decay(log_a, log_b):
        return np.cumsum(log_b, axis=-1)

    def sum_of_logs(log_a, log_b):
        A = np.cumsum(log_a, axis=-1)
        return A + np.cumsum(log_b - A, axis=-1)

    assert e.check(right).correct
    assert "inf or NaN" in verdict(e, naive)
    assert "add A_t back" in verdict(e, forgot_A)
    assert "differs from the loop" in verdict(e, sum_of_logs)
    assert "decay" in verdict(e, no_decay) or "differs" in verdict(e, no_decay)
    assert "shape" in verdict(e, lambda log_a, log_b: right(log_a, log_b)[..., :-1])


def test_mingru_coefficients():
    e = nb12.ex3
    assert e.check(lambda z, h: (1 - z, z * h)).correct
    assert "PyTorch's GRU convention" in verdict(e, lambda z, h: (z, (1 - z) * h))
    assert "factor of h_{t-1}" in verdict(e, lambda z, h: (z, z * h))
    assert "missing the gate" in verdict(e, lambda z, h: (1 - z, h))
    assert "does not involve" in verdict(e, lambda z, h: (1 - z, (1 - z) * h))


def test_scan_depth():
    e = nb12.ex4
    assert e.check(math.ceil(math.log2(1000))).correct and e.check(10.0).correct
    assert "loop" in verdict(e, 1000) and "loop" in verdict(e, 999)
    assert "Round log2 up" in verdict(e, 9)
    assert "Blelloch" in verdict(e, 20)
    assert "whole number" in verdict(e, math.log2(1000))
    assert "number of rounds" in verdict(e, "ten")
    assert "hint 2" in verdict(e, 12)


def test_messages_never_give_the_answer_away():
    e = nb12.ex4
    for wrong in (1000, 9, 20, 12, 3):
        assert not re.search(r"\b10\b", verdict(e, wrong))
