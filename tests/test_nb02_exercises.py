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



def test_rtrl_assignment_rejects_known_mistakes():
    from rnn_helpers import history, scratch
    from rnn_helpers.exercises.nb02 import _RTRL_MISTAKES, _rtrl_variant

    e = nb02.ex6
    rng = np.random.default_rng(0)
    x, d = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 6, 4))
    net = scratch.RNN(3, 4, seed=1)
    net.forward(x)
    p = net.params
    grad, P = _rtrl_variant(x, d, p["weight_ih_l0"], p["weight_hh_l0"], p["bias_ih_l0"] + p["bias_hh_l0"])
    _, sens = history.rtrl_gradients(net, x, d, return_sensitivities=True)
    np.testing.assert_allclose(grad, net.backward(d)["weight_hh_l0"], atol=1e-12)  # the checker's RTRL is BPTT's
    np.testing.assert_allclose(P, sens["W_hh"], atol=1e-12)
    for mistake in _RTRL_MISTAKES:  # and every modelled slip is really wrong
        wrong, _ = _rtrl_variant(x, d, p["weight_ih_l0"], p["weight_hh_l0"], p["bias_ih_l0"] + p["bias_hh_l0"],
                                 mistake)
        assert not np.allclose(wrong, grad), mistake

    assert e.check(e.reference()).correct
    wrong = e.wrong_answers()
    assert "state BEFORE the step" in verdict(e, wrong[0])
    assert "one-step gradient Jordan and Elman" in verdict(e, wrong[1])
    assert "the whole bracket" in verdict(e, wrong[2])
    assert "transpose" in verdict(e, wrong[3])
    assert "only the last step's term" in verdict(e, wrong[4])
    assert "derivative of tanh is missing" in verdict(e, wrong[5])
    assert "axes are in the order (b, i, j, k)" in verdict(e, wrong[6])
    assert e.check(lambda x, d, W_ih, W_hh, b: ____).status == ex.NOT_ATTEMPTED
    assert e.check(lambda x, d, W_ih, W_hh, b: (____, ____)).status == ex.NOT_ATTEMPTED
    assert "write it yourself" in verdict(e, history.rtrl_gradients)

    def asks_bptt(x, d_out, W_ih, W_hh, b):
        net = scratch.RNN(x.shape[2], W_hh.shape[0])
        net.forward(x)
        return net.backward(d_out)["weight_hh_l0"], np.zeros((x.shape[0],) + W_hh.shape * 2)

    assert "write it yourself" in verdict(e, asks_bptt)

    def hand_written_bptt(x, d_out, W_ih, W_hh, b):  # the right gradient, but no sensitivities carried
        B, T, _ = x.shape
        H = W_hh.shape[0]
        hs = [np.zeros((B, H))]
        for t in range(T):
            hs.append(np.tanh(x[:, t] @ W_ih.T + hs[-1] @ W_hh.T + b))
        delta, grad = np.zeros((B, H)), np.zeros((H, H))
        for t in reversed(range(T)):
            da = (d_out[:, t] + delta) * (1 - hs[t + 1] ** 2)
            grad += da.T @ hs[t]
            delta = da @ W_hh
        return grad, np.zeros((B, H, H, H))

    assert "the sensitivities after the last step" in verdict(e, hand_written_bptt)
    no_batch = verdict(e, lambda x, d, W_ih, W_hh, b: (np.zeros_like(W_hh), np.zeros(W_hh.shape * 2)[0]))
    assert no_batch.startswith("P for B = 1") and "(B, H, H, H)" in no_batch and "batch axis is missing" in no_batch
