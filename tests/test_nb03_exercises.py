"""Exercises of 03_vanilla_rnn.ipynb: each checker accepts the reference solution and rejects known wrong answers
with a message written for a student."""

from __future__ import annotations

import numpy as np

import rnn_helpers.exercises as ex
from rnn_helpers.exercises import nb03


def verdict(exercise, answer):
    v = exercise.check(answer)
    assert v.status == ex.INCORRECT, v
    return v.message


def test_rnn_step_rejects_known_mistakes():
    e = nb03.ex1
    assert "nonlinearity" in verdict(e, lambda x, h, W_xh, W_hh, b: x @ W_xh.T + h @ W_hh.T + b)
    assert "untransposed" in verdict(e, lambda x, h, W_xh, W_hh, b: np.tanh(x @ W_xh.T + h @ W_hh + b))
    assert "bias" in verdict(e, lambda x, h, W_xh, W_hh, b: np.tanh(x @ W_xh.T + h @ W_hh.T))
    sigmoid = lambda x, h, W_xh, W_hh, b: 1 / (1 + np.exp(-(x @ W_xh.T + h @ W_hh.T + b)))  # noqa: E731
    assert "differs from the expected values" in verdict(e, sigmoid)
    assert "shape" in verdict(e, lambda x, h, W_xh, W_hh, b: np.tanh(x @ W_xh.T + h @ W_hh.T + b)[0])
    assert "Give the function itself" in verdict(e, 3.0)
    assert "ZeroDivisionError" in verdict(e, lambda *a: 1 / 0)


def test_parameter_count_rejects_known_mistakes():
    e = nb03.ex2
    assert "one bias" in verdict(e, lambda I, H: H * I + H * H + H)
    assert "leaves out the two biases" in verdict(e, lambda I, H: H * I + H * H)
    assert "leaves out W_hh" in verdict(e, lambda I, H: H * I + 2 * H)
    message = verdict(e, lambda I, H: 2 * (H * I + H * H + 2 * H))
    assert "= 1280 is too many" in message and "640" not in message  # how it is wrong, not the answer
    assert "integer" in verdict(e, lambda I, H: float(H * I + H * H + 2 * H))


def test_softmax_rejects_known_mistakes():
    e = nb03.ex3

    def unstable(logits, T):
        z = np.exp(logits / T)
        return z / z.sum()

    def times(logits, T):
        z = logits * T
        z = np.exp(z - z.max())
        return z / z.sum()

    def no_temperature(logits, T):
        z = np.exp(logits - logits.max())
        return z / z.sum()

    assert "subtract the largest logit" in verdict(e, unstable)
    assert "multiplied by the temperature" in verdict(e, times)
    assert "temperature 0.5" in verdict(e, no_temperature)


def test_backward_step_rejects_known_mistakes():
    e = nb03.ex4
    assert "skipped the tanh" in verdict(e, lambda d, h, W: d @ W)
    assert "transposed the wrong way" in verdict(e, lambda d, h, W: (d * (1 - h**2)) @ W.T)
    assert "1 - h**2, not" in verdict(e, lambda d, h, W: (d * (1 - np.tanh(h) ** 2)) @ W)
    assert "shape" in verdict(e, lambda d, h, W: ((d * (1 - h**2)) @ W).sum(0))
