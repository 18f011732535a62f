"""The exercises of 06_gru.ipynb (``exercises.nb06``): each checker accepts the reference solution and rejects
known wrong answers with a message that names the mistake.

06_gru.ipynb adds no other helper: it reuses ``viz.plot_gate_panels`` and ``widgets.gate_explorer`` (tested in
test_nb05_lstm.py); the scratch GRU is checked against torch in test_scratch.py (batch 1, time 1 and hidden 1
included).
"""

from __future__ import annotations

import numpy as np
import torch
from test_exercises import run_solution

from rnn_helpers.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED, ____, nb06


def test_nb06_reference_solutions_are_correct():
    for exercise in (nb06.ex1, nb06.ex2, nb06.ex3):
        verdict = exercise.check(run_solution(exercise))
        assert verdict.status == CORRECT, (exercise.title, verdict.message)
        assert exercise.check(____).status == NOT_ATTEMPTED


def test_nb06_ex1_counts_against_torch_and_names_the_mistake():
    def lstm_count(I, H):
        return 4 * (H * I + H * H + 2 * H)

    def one_bias(I, H):
        return 3 * (H * I + H * H + H)

    def torch_count(I, H):  # an independent right answer: ask torch
        return sum(p.numel() for p in torch.nn.GRU(I, H).parameters())

    assert nb06.ex1.check(torch_count).status == CORRECT
    assert "four blocks, like an LSTM" in nb06.ex1.check(lstm_count).message
    assert "two biases per block" in nb06.ex1.check(one_bias).message
    wrong = nb06.ex1.check(lambda I, H: 3 * H * (I + H))
    assert wrong.status == INCORRECT and "gru_parameters(2, 64) should be 13056" in wrong.message
    assert nb06.ex1.check(lambda I, H: ____).status == NOT_ATTEMPTED
    assert nb06.ex1.check(13056).status == INCORRECT


def test_nb06_ex2_detects_the_other_convention():
    other = nb06.ex2.check(lambda z, n, h_prev: z * n + (1 - z) * h_prev)
    assert other.status == INCORRECT and "the other convention" in other.message
    assert nb06.ex2.check(lambda z, n, h_prev: n).status == INCORRECT
    assert nb06.ex2.check(lambda z, n, h_prev: ____).status == NOT_ATTEMPTED


def test_nb06_ex3_detects_the_reset_gate_before_the_product():
    def before(x_t, h_prev, r, W_in, b_in, W_hn, b_hn):
        return np.tanh(x_t @ W_in.T + b_in + (r * h_prev) @ W_hn.T + b_hn)

    def no_reset(x_t, h_prev, r, W_in, b_in, W_hn, b_hn):
        return np.tanh(x_t @ W_in.T + b_in + h_prev @ W_hn.T + b_hn)

    verdict = nb06.ex3.check(before)
    assert verdict.status == INCORRECT and "before the matrix product" in verdict.message
    assert nb06.ex3.check(no_reset).status == INCORRECT
    assert nb06.ex3.check(lambda *args: ____).status == NOT_ATTEMPTED
    assert "raised" in nb06.ex3.check(lambda x_t: x_t).message  # a wrong signature is reported, not raised
