"""Exercises of 12_modern_recurrences.ipynb: each checker accepts the reference solution, rejects the
mistakes learners make with a message that says how, and never prints the expected value."""

from __future__ import annotations

import math
import re

import numpy as np

import rnn_helpers.exercises as ex
from rnn_helpers import linear_rnn
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


# ------------------------------------------------------------------------------------- the assignment
def _is_associative(compare="allclose", commutativity=False, triples=20, zeros=False):
    """A learner's associativity check, with one of the usual slips."""
    def is_associative(op):
        rng = np.random.default_rng(0)
        for _ in range(triples):
            p, q, r = [(rng.uniform(0.5, 1.5, 4), np.zeros(4) if zeros else rng.normal(size=4)) for _ in range(3)]
            if commutativity:
                left, right = op(*p, *q), op(*q, *p)
            else:
                left, right = op(*op(*p, *q), *r), op(*p, *op(*q, *r))
            same = (np.array_equal if compare == "exact" else np.allclose)
            if not (same(left[0], right[0]) and same(left[1], right[1])):
                return False
        return True

    return is_associative


def test_is_associative_assignment():
    e = nb12.ex5
    assert e.check(_is_associative()).correct
    assert "commutative" in verdict(e, _is_associative(commutativity=True))
    assert "tolerance" in verdict(e, _is_associative(compare="exact"))
    assert "is associative, but it is not" in verdict(e, _is_associative(zeros=True))  # b = 0 hides the slip
    assert "is associative, but it is not" in verdict(e, lambda op: True)
    assert "True or False" in verdict(e, lambda op: "yes")
    assert e.check(lambda op: ____).status == ex.NOT_ATTEMPTED


def _scan(order="earlier_first", rounds="ceil", loop=False, inline=False):
    """A learner's Hillis-Steele scan (time on the last axis), with one of the usual slips."""
    def scan(a, b, op):
        if loop:
            A, B, out = a[..., 0], b[..., 0], [b[..., 0]]
            for t in range(1, a.shape[-1]):
                A, B = op(A, B, a[..., t], b[..., t])
                out.append(B)
            return np.stack(out, axis=-1)
        A, B = a.copy(), b.copy()
        T = a.shape[-1]
        n_rounds = math.ceil(math.log2(T)) if rounds == "ceil" else int(math.log2(T))
        for r in range(n_rounds):
            d = 2**r
            early, late = (A[..., :-d], B[..., :-d]), (A[..., d:], B[..., d:])
            if inline:
                A_new, B_new = early[0] * late[0], late[0] * early[1] + late[1]
            elif order == "earlier_first":
                A_new, B_new = op(*early, *late)
            else:
                A_new, B_new = op(*late, *early)
            A = np.concatenate([A[..., :d], A_new], axis=-1)
            B = np.concatenate([B[..., :d], B_new], axis=-1)
        return B

    return scan


def _scan_with_course(a, b):
    import torch

    return linear_rnn.parallel_scan(torch.from_numpy(a[None].transpose(0, 2, 1)),
                                    torch.from_numpy(b[None].transpose(0, 2, 1)))[0].T.numpy()


def test_scan_assignment():
    e = nb12.ex6
    assert e.check(_scan()).correct
    assert "later pair first" in verdict(e, _scan(order="later_first"))
    assert "stop a round early" in verdict(e, _scan(rounds="floor"))
    assert "the loop again" in verdict(e, _scan(loop=True))
    assert "never calls the operator" in verdict(e, _scan(inline=True))
    assert "shape" in verdict(e, lambda a, b, op: b[..., 0])
    assert e.check(lambda a, b, op: ____).status == ex.NOT_ATTEMPTED

    def via_course(a, b, op):
        import torch

        from rnn_helpers import linear_rnn
        return linear_rnn.parallel_scan(torch.from_numpy(a), torch.from_numpy(b)).numpy()

    assert "parallel_scan`" in verdict(e, via_course)
    assert "course's own `linear_rnn.parallel_scan`" in verdict(e, lambda a, b, op: _scan_with_course(a, b))


def test_assignment_messages_give_nothing_away():
    messages = [verdict(nb12.ex6, s) for s in (_scan(order="later_first"), _scan(rounds="floor"))]
    messages += [verdict(nb12.ex5, s) for s in (_is_associative(commutativity=True), lambda op: True)]
    assert not any(re.search(r"\d\.\d{3,}", m) for m in messages)


def test_short_exercises_refuse_the_course_helpers():
    from rnn_helpers import linear_rnn

    assert "course's own `linear_rnn.combine`" in verdict(nb12.ex1, linear_rnn.combine)
    wrapped = lambda a1, b1, a2, b2: linear_rnn.combine(a1, b1, a2, b2)  # noqa: E731
    assert "course's own `linear_rnn.combine`" in verdict(nb12.ex1, wrapped)

    def via_course(log_a, log_b):
        import torch

        return linear_rnn.log_space_scan(torch.from_numpy(log_a), torch.from_numpy(log_b)).numpy()

    assert "log_space_scan" in verdict(nb12.ex2, via_course)


def test_a_helper_imported_inside_the_function_is_refused_by_name():
    namespace: dict = {}
    exec(  # a learner's cell: the import sits inside the function, so the helper is no global
        "def scan(a, b, op):\n"
        "    import torch\n"
        "    from rnn_helpers.linear_rnn import parallel_scan\n"
        "    return parallel_scan(torch.from_numpy(a), torch.from_numpy(b)).numpy()\n",
        namespace,
    )
    assert "calls `parallel_scan`" in verdict(nb12.ex6, namespace["scan"])
