"""Exercises of 08_rnns_vs_transformers.ipynb: each checker accepts the reference solution and rejects known
wrong answers with a message written for a student."""

from __future__ import annotations

import numpy as np
from test_exercises import run_solution

import rnn_helpers.exercises as ex
from rnn_helpers import attention
from rnn_helpers.exercises import ____, nb08


def verdict(exercise, answer):
    v = exercise.check(answer)
    assert v.status == ex.INCORRECT, v
    return v.message


def test_attention_exercise():
    e = nb08.ex1
    assert e.check(run_solution(e)).correct
    assert "course's own" in verdict(e, lambda Q, K, V: attention.scaled_dot_product_attention(Q, K, V)[0])
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
    assert e.check(run_solution(e)).correct
    assert "course's own `attention.causal_mask`" in verdict(e, attention.causal_mask)  # the helper handed in
    assert "course's own `attention.causal_mask`" in verdict(e, lambda T: attention.causal_mask(T))  # or called
    assert "inverted" in verdict(e, lambda T: ~np.triu(np.ones((T, T), dtype=bool), 1))
    assert "diagonal" in verdict(e, lambda T: np.triu(np.ones((T, T), dtype=bool), 0))
    assert "hides the past" in verdict(e, lambda T: np.tril(np.ones((T, T), dtype=bool), -1))
    assert "boolean" in verdict(e, lambda T: np.triu(np.ones((T, T)), 1))
    assert "shape" in verdict(e, lambda T: np.zeros((T, T + 1), dtype=bool))
    assert "wrong entries" in verdict(e, lambda T: np.zeros((T, T), dtype=bool))


def test_kv_cache_exercise():
    e = nb08.ex3
    right = 2 * 12 * 1024 * 768 * 2
    assert e.check(right).correct and e.check(float(right)).correct
    assert "factor 2" in verdict(e, right // 2)
    assert "2 bytes per number" in verdict(e, right * 2)
    assert "one layer" in verdict(e, right // 12)
    assert "too large, by less than a factor of 10" in verdict(e, right + 1000)
    assert "too small, by more than a factor of 10" in verdict(e, right // 100)
    assert "kilobytes" in verdict(e, right / 1024) and "megabytes" in verdict(e, right / 1024**2)
    assert "number of bytes" in verdict(e, "37 MB")
    assert "number of bytes" in verdict(e, True)


def test_crossover_exercise():
    e = nb08.ex4
    d = 512
    right = run_solution(e)
    assert e.check(right).correct and e.check(float(right)).correct
    assert right == attention.layer_multiply_adds("attention", right, d) // (8 * d * d)  # 2n²d = n · 8d²
    assert "Table 1's orders" in verdict(e, d)
    assert "only the LSTM's recurrent products" in verdict(e, 2 * d)
    assert "two products" in verdict(e, 8 * d)
    assert "GRU with its input projections" in verdict(e, 3 * d)
    assert "GRU's recurrent products" in verdict(e, 1.5 * d)
    assert "d²" in verdict(e, d**2)
    assert "too small" in verdict(e, right - 100) and "too large" in verdict(e, right * 50)
    assert "sequence length" in verdict(e, str(right))


def test_no_message_gives_the_number_away():
    """The fallback messages of the numeric exercises never contain the expected number."""
    wrong = {nb08.ex3: [1, 10**6, 2 * 12 * 1024 * 768 * 2 + 7], nb08.ex4: [1, 2000, 3000, 10**6]}
    for exercise, answers in wrong.items():
        expected = run_solution(exercise)
        for answer in answers:
            message = verdict(exercise, answer)
            assert str(expected) not in message.replace(",", "") and f"{expected:.6g}" not in message


def _backward(**slips):
    T = lambda a: np.swapaxes(a, -1, -2)  # noqa: E731

    def attention_backward(d_out, Q, K, V, mask=None):
        d_k = Q.shape[-1]
        S = Q @ T(K) / np.sqrt(d_k)
        if mask is not None and not slips.get("ignore_mask"):
            S = np.where(mask, -np.inf, S)
        A = np.exp(S - S.max(axis=-1, keepdims=True))
        A = A / A.sum(axis=-1, keepdims=True)
        dA = d_out @ T(V)
        dV = (A if slips.get("no_transpose_A") else T(A)) @ d_out
        dS = A * dA if slips.get("no_row_sum") else A * (dA - np.sum(A * dA, axis=-1, keepdims=True))
        c = 1.0 if slips.get("no_scale") else 1 / np.sqrt(d_k)
        dQ, dK = dS @ K * c, (dS if slips.get("no_transpose_dS") else T(dS)) @ Q * c
        if slips.get("swap_qk"):
            return dK, dQ, dV
        if slips.get("dV_wrong"):
            dV = dV * 2
        return dQ, dK, dV

    return attention_backward


def test_attention_backward_assignment():
    e = nb08.ex5
    assert e.check(run_solution(e)).correct and e.check(_backward()).correct
    assert "normalisation" in verdict(e, _backward(no_row_sum=True))
    assert "1/√d_k" in verdict(e, _backward(no_scale=True))
    assert "ignores the mask" in verdict(e, _backward(ignore_mask=True))
    assert "shape clash" in verdict(e, _backward(no_transpose_A=True))
    assert "shape clash" in verdict(e, _backward(no_transpose_dS=True))  # T_q != T_k: the shapes catch it first
    assert "dK where dQ belongs" in verdict(e, _backward(swap_qk=True))
    assert "dV differs" in verdict(e, _backward(dV_wrong=True))
    assert "three arrays" in verdict(e, lambda *a: a[0])
    assert e.check(lambda *a: (____, ____, ____)).status == ex.NOT_ATTEMPTED

    def via_autograd(d_out, Q, K, V, mask=None):
        import torch

        q, k, v = (torch.tensor(a, requires_grad=True) for a in (Q, K, V))
        S = q @ k.transpose(-1, -2) / Q.shape[-1] ** 0.5
        if mask is not None:
            S = S.masked_fill(torch.from_numpy(mask), float("-inf"))
        (torch.softmax(S, -1) @ v).backward(torch.from_numpy(d_out))
        return q.grad.numpy(), k.grad.numpy(), v.grad.numpy()

    def via_course(d_out, Q, K, V, mask=None):
        out, A = attention.scaled_dot_product_attention(Q, K, V, mask)
        return attention._attention_backward(d_out, Q, K, V, A)

    assert "calls `backward`" in verdict(e, via_autograd)
    assert "course's own" in verdict(e, via_course)


def test_attention_backward_slip_with_square_scores():
    """With T_q = T_k the missing transpose of ∂L/∂S or of A keeps its shape; the checker names it."""
    def square_slip(**slip):
        right, wrong = _backward(), _backward(**slip)
        return lambda d_out, Q, K, V, mask=None: (wrong if Q.shape[-2] == K.shape[-2] else right)(d_out, Q, K, V, mask)

    assert "transpose (the keys" in verdict(nb08.ex5, square_slip(no_transpose_dS=True))
    assert "∂L/∂V = Aᵀ" in verdict(nb08.ex5, square_slip(no_transpose_A=True))


def test_attention_backward_report():
    good = nb08.finite_difference_report(run_solution(nb08.ex1), run_solution(nb08.ex5))
    assert set(good) == {"dQ", "dK", "dV"} and max(good.values()) < 1e-7
    bad = nb08.finite_difference_report(run_solution(nb08.ex1), _backward(no_scale=True))
    assert bad["dQ"] > 1e-3 and bad["dV"] < 1e-7
    assert nb08.finite_difference_report(lambda Q, K, V: ____, lambda *a: (____, ____, ____)) == {}
