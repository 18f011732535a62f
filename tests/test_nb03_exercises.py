"""Exercises of 03_vanilla_rnn.ipynb: each checker accepts the reference solution and rejects the mistakes learners
really make with a message that says how the answer is wrong (never the expected value); the assignment's
backward pass is checked against autograd, the learner's gradient check must catch bugs, and the sampler is
checked by its greedy path and its frequencies."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import rnn_helpers.exercises as ex
from rnn_helpers import gradcheck, scratch
from rnn_helpers.exercises import ____, nb03
from rnn_helpers.models import CharLM, count_parameters


def verdict(exercise, answer, status=ex.INCORRECT):
    v = exercise.check(answer)
    assert v.status == status, v
    return v.message


def mistake(exercise, k):
    return exercise.wrong_answers()[k]


def test_cell_forward_rejects_known_mistakes():
    e = nb03.ex1
    assert e.check(e.reference()).correct
    assert "from the NEW state" in verdict(e, mistake(e, 0))
    assert "rows of p_t do not sum to 1" in verdict(e, mistake(e, 1))
    # the column-vector formula on row vectors: numpy's error becomes guidance on the exercise's shapes
    message = verdict(e, mistake(e, 2))
    assert message.startswith("A shape did not fit inside your code") and "`x @ W.T`" in message
    assert "course's own `scratch.rnn_step`" in verdict(e, mistake(e, 3))
    assert "course's own `scratch.rnn_step`" in verdict(e, scratch.rnn_step)
    assert "should return a pair (h_t, p_t)" in verdict(e, lambda *a: np.zeros((2, 3)))
    assert "looks transposed" in verdict(e, lambda x, h, Wx, Wh, b, Wy, by: (np.tanh(x @ Wx.T + h @ Wh.T + b).T,
                                                                              np.zeros((x.shape[0], Wy.shape[0]))))
    assert verdict(e, lambda *a: (____, ____), ex.NOT_ATTEMPTED)


def test_lm_parameter_count_is_torchs_and_names_the_mistake():
    e = nb03.ex2
    assert e.check(lambda V, H, L: count_parameters(CharLM(V, H, cell="rnn", num_layers=L))).correct
    assert "every layer read the V inputs" in verdict(e, mistake(e, 0))
    assert "leaves out the read-out" in verdict(e, mistake(e, 1))
    assert "one bias per layer" in verdict(e, mistake(e, 2))
    message = verdict(e, lambda V, H, L: 2 * count_parameters(CharLM(V, H, cell="rnn", num_layers=L)))
    assert "is too many" in message and str(count_parameters(CharLM(27, 64, cell="rnn"))) not in message
    assert "integer" in verdict(e, lambda V, H, L: float(count_parameters(CharLM(V, H, cell="rnn", num_layers=L))))


def test_softmax_rejects_known_mistakes():
    e = nb03.ex3

    def times(logits, T):
        z = logits * T
        return np.exp(z - z.max()) / np.exp(z - z.max()).sum()

    assert "multiplied by the temperature" in verdict(e, times)
    assert "nan or inf" in verdict(e, lambda z, T: np.exp(z / T) / np.exp(z / T).sum())
    def batched(z, T):
        e = np.exp(z / T - np.max(z / T))
        return (e / e.sum())[None]

    assert "shape" in verdict(e, batched)


def test_forward_pass_matches_torch_and_names_the_mistake():
    e = nb03.ex4
    assert e.check(e.reference()).correct
    assert "every step starts from h0" in verdict(e, mistake(e, 0))
    assert "the state before step t" in verdict(e, mistake(e, 1))
    assert "should have shape (2, 5, 3) (B, T, H), but yours has shape (5, 2, 3)" in verdict(e, mistake(e, 2))
    assert "You returned probabilities" in verdict(e, mistake(e, 3))

    def with_scratch(x, h0, params):
        layer = scratch.RNN(x.shape[2], h0.shape[1])
        return layer.forward(x, h0)

    assert "course's own `scratch.RNN`" in verdict(e, with_scratch)


def test_backward_pass_matches_autograd_and_names_the_mistake():
    e = nb03.ex5
    assert e.check(e.reference()).correct
    assert "leaves out what flows back from the future" in verdict(e, mistake(e, 0))
    assert "B·T times too large" in verdict(e, mistake(e, 1))
    assert "skips the tanh" in verdict(e, mistake(e, 2))
    assert "keeps only one step" in verdict(e, mistake(e, 3))
    message = verdict(e, mistake(e, 4))  # h_t where h_{t-1} belongs: no named variant, but the key and entry
    assert message.startswith("grads['W_hh']") and "where yours is" in message
    assert "asks torch's autograd" in verdict(e, mistake(e, 5))
    assert "pair (loss, grads)" in verdict(e, lambda *a: 0.0)
    assert "missing: ['x', 'h0']" in verdict(e, lambda x, y, h0, p: (1.0, {k: 0 for k in nb03.PARAM_NAMES}))


def test_the_reference_backward_is_what_autograd_computes():
    """The assignment's reference is torch autograd itself; the solution shown to learners equals it, and so
    does the course's gradient check."""
    x, targets, h0, params = nb03.assignment_problem(3, 6, 4, 5, seed=9)
    loss, grads = nb03.ex5.reference()(x, targets, h0, params)
    _, _, loss_ref, grads_ref = nb03._torch_reference(x, targets, h0, params)
    assert abs(loss - loss_ref) < 1e-12
    for key in nb03.GRAD_NAMES:
        np.testing.assert_allclose(grads[key], grads_ref[key], rtol=1e-10, atol=1e-12)
    numerical = gradcheck.numerical_gradient(lambda _: nb03.ex5.reference()(x, targets, h0, params)[0], params["W_hh"])
    assert gradcheck.relative_error(numerical, grads["W_hh"]) < 1e-7


def test_gradient_check_must_catch_bugs():
    e = nb03.ex6
    assert e.check(e.reference()).correct
    assert "/ 2ε" in verdict(e, mistake(e, 0))  # divided by ε only: a factor 2 on a correct backward
    assert "leaves the parameters changed" in verdict(e, mistake(e, 1))
    assert "passes your check" in verdict(e, mistake(e, 2))
    assert "one relative error per parameter" in verdict(e, lambda *a, **k: [0.0])

    def with_course_gradcheck(backward, x, targets, h0, params, eps=1e-5):
        _, analytic = backward(x, targets, h0, params)
        return {k: gradcheck.relative_error(gradcheck.numerical_gradient(
            lambda _: backward(x, targets, h0, params)[0], v), analytic[k]) for k, v in params.items()}

    assert "course's gradcheck module" in verdict(e, with_course_gradcheck)


def test_sampler_is_checked_by_its_greedy_path_and_its_frequencies():
    e = nb03.ex7
    assert e.check(e.reference()).correct
    assert "DRAW the next character" in verdict(e, mistake(e, 0))
    assert "carry the hidden state" in verdict(e, mistake(e, 1))
    assert "feed each sampled character back" in verdict(e, mistake(e, 2))
    assert "divide the logits by the temperature" in verdict(e, mistake(e, 3))
    reference = e.reference()
    def with_boundary(params, boundary, temperature, rng, max_len=14):
        return reference(params, boundary, temperature, rng, max_len - 1) + [boundary]

    assert "contains the boundary" in verdict(e, with_boundary)
    assert "stop after max_len" in verdict(e, lambda p, bd, T, rng, max_len=14: [1] * (max_len + 1))


def test_params_from_char_lm_turns_the_trained_model_into_the_assignments_dict():
    torch.manual_seed(0)
    lm = CharLM(6, 4, cell="rnn").double()
    params = nb03.params_from_char_lm(lm)
    assert {k: v.shape for k, v in params.items()} == {"W_ih": (4, 6), "W_hh": (4, 4), "b": (4,), "W_hy": (6, 4),
                                                       "b_y": (6,)}
    ids = torch.tensor([[0, 3, 2, 5]])
    logits, _ = lm(ids)
    _, logits_np = nb03.ex4.reference()(np.eye(6)[ids.numpy()], np.zeros((1, 4)), params)
    np.testing.assert_allclose(logits_np, logits.detach().numpy(), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="cell='rnn'"):
        nb03.params_from_char_lm(CharLM(6, 4, cell="gru"))


def test_assignment_problem_shapes():
    x, targets, h0, params = nb03.assignment_problem(2, 3, 4, 5, seed=1)
    assert x.shape == (2, 3, 4) and np.all(x.sum(-1) == 1) and targets.shape == (2, 3) and h0.shape == (2, 5)
    assert params["W_ih"].shape == (5, 4) and params["W_hy"].shape == (4, 5)


def test_sequential_partition_rejects_known_mistakes():
    e = nb03.ex8
    assert e.check(e.reference()).correct
    assert "consecutive chunks of the text" in verdict(e, mistake(e, 0))
    assert "stretches are interleaved" in verdict(e, mistake(e, 1))
    assert "Y equals X" in verdict(e, mistake(e, 2))
    assert "the batch index comes first" in verdict(e, mistake(e, 3))
    from rnn_helpers import datasets

    assert "course's own" in verdict(e, datasets.sequential_batches)
    assert "course's own" in verdict(e, lambda ids, B, L: datasets.sequential_batches(ids, B, L))
    assert "course's own" in verdict(e, lambda ids, B, L: (datasets.stream_rows(ids, B)[:, :L][None],) * 2)

    def positions_only(ids, B, L):
        return e.reference()(np.arange(len(ids)), B, L)

    assert "do not build the positions" in verdict(e, positions_only)

    def one_batch_short(ids, B, L):
        X, Y = e.reference()(ids, B, L)
        return X[:-1], Y[:-1]

    assert "too few batches" in verdict(e, one_batch_short)

    def shifted_by_two(ids, B, L):
        X, _ = e.reference()(ids, B, L)
        n = len(ids) // B
        rows = ids[: B * n].reshape(B, n)
        return X, np.stack([np.roll(rows, -2, axis=1)[:, k * L : (k + 1) * L] for k in range(len(X))])

    assert "shifted one token ahead" in verdict(e, shifted_by_two)
    assert "pair (X, Y)" in verdict(e, lambda ids, B, L: e.reference()(ids, B, L)[0])
    assert verdict(e, lambda ids, B, L: (____, ____), ex.NOT_ATTEMPTED)
