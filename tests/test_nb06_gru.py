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
    for exercise in (nb06.ex1, nb06.ex2, nb06.ex3, nb06.ex4):
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

    assert "count the weights by hand" in nb06.ex1.check(torch_count).message
    assert "four blocks, like an LSTM" in nb06.ex1.check(lstm_count).message
    assert "two biases per block" in nb06.ex1.check(one_bias).message
    wrong = nb06.ex1.check(lambda I, H: 3 * H * (I + H))
    assert wrong.status == INCORRECT and "gru_parameters(2, 64) is too small" in wrong.message
    assert "13056" not in wrong.message  # the expected count is never printed
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


# ------------------------------------------------------------------------------------ the Jacobian assignment
def _learner_jacobian(direct=True, through_z=True, through_r=True, flipped=False, reset_before=False,
                      transpose=False, drop_batch=False):
    """A learner's ∂h_t/∂h_{t-1} written from the equations, with one of the usual slips switched on."""
    from rnn_helpers.scratch import sigmoid

    def gru_jacobian(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
        H = h_prev.shape[1]
        W_hr, W_hz, W_hn = W_hh[:H], W_hh[H:2 * H], W_hh[2 * H:]
        a_ir, a_iz, a_in = np.split(x_t @ W_ih.T + b_ih, 3, axis=1)
        a_hr, a_hz, a_hn = np.split(h_prev @ W_hh.T + b_hh, 3, axis=1)
        r, z = sigmoid(a_ir + a_hr), sigmoid(a_iz + a_hz)
        dr = (r * (1 - r))[:, :, None] * W_hr[None] if through_r else 0
        if reset_before:
            a_hn = None
            n = np.tanh(a_in + (r * h_prev) @ W_hn.T + b_hh[2 * H:])
            dn = W_hn[None] * r[:, None, :] + (W_hn[None] * h_prev[:, None, :]) @ dr
        else:
            n = np.tanh(a_in + r * a_hn)
            dn = r[:, :, None] * W_hn[None] + a_hn[:, :, None] * dr
        dn = (1 - n**2)[:, :, None] * dn
        dz = (z * (1 - z))[:, :, None] * W_hz[None] if through_z else 0
        keep, write, sign = (1 - z, z, -1) if flipped else (z, 1 - z, 1)
        J = write[:, :, None] * dn + sign * (h_prev - n)[:, :, None] * dz
        if direct:
            J = J + keep[:, :, None] * np.eye(H)[None]
        if transpose:
            J = np.swapaxes(J, 1, 2)
        return J[0] if drop_batch else J

    return gru_jacobian


def _message(answer):
    verdict = nb06.ex4.check(answer)
    assert verdict.status == INCORRECT, verdict
    return verdict.message


def test_nb06_ex4_jacobian_rejects_known_mistakes():
    assert nb06.ex4.check(_learner_jacobian()).correct
    assert "direct path" in _message(_learner_jacobian(direct=False))
    assert "z_t as a constant" in _message(_learner_jacobian(through_z=False))
    assert "reset gate r_t as a constant" in _message(_learner_jacobian(through_r=False))
    assert "other convention" in _message(_learner_jacobian(flipped=True))
    assert "before the product" in _message(_learner_jacobian(reset_before=True))
    assert "transposed" in _message(_learner_jacobian(transpose=True))
    assert "(B, H, H)" in _message(_learner_jacobian(drop_batch=True))
    assert nb06.ex4.check(lambda *a: ____).status == NOT_ATTEMPTED

    def via_autograd(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
        case = dict(x_t=x_t, h_prev=h_prev, W_ih=W_ih, W_hh=W_hh, b_ih=b_ih, b_hh=b_hh)
        return nb06.autograd_jacobian(case)

    def via_torch(x_t, h_prev, W_ih, W_hh, b_ih, b_hh):
        cell = torch.nn.GRUCell(x_t.shape[1], h_prev.shape[1], dtype=torch.float64)
        rows = []
        for b in range(len(x_t)):
            x = torch.tensor(x_t[b:b + 1])
            rows.append(torch.autograd.functional.jacobian(lambda h, x=x: cell(x, h[None])[0], torch.tensor(h_prev[b])))
        return torch.stack(rows).numpy()

    assert "autograd_jacobian" in _message(via_autograd)
    assert "calls `jacobian`" in _message(via_torch)
    # a message for a generic error names where, not what
    noisy = _learner_jacobian()
    message = _message(lambda *a: noisy(*a) + 1e-3)
    assert "largest difference is in example" in message and "." not in message.split("column")[1][3:]


def test_nb06_jacobian_report():
    assert nb06.jacobian_report(_learner_jacobian()) < 1e-7
    assert nb06.jacobian_report(_learner_jacobian(through_r=False)) > 1e-4
    assert nb06.jacobian_report(lambda *a: ____) is None


def test_nb06_short_exercises_refuse_the_course_helpers():
    from rnn_helpers import scratch
    from rnn_helpers.models import count_parameters

    def via_count(I, H):
        return count_parameters(torch.nn.GRU(I, H))

    def via_step(x_t, h_prev, r, W_in, b_in, W_hn, b_hn):
        H = h_prev.shape[1]
        W_ih = np.concatenate([np.zeros((2 * H, x_t.shape[1])), W_in])
        W_hh = np.concatenate([np.zeros((2 * H, H)), W_hn])
        return scratch.gru_step(x_t, h_prev, W_ih, W_hh)[1]["n"]

    assert "count_parameters`" in _message_of(nb06.ex1, via_count)
    assert "course's own `scratch.gru_step`" in _message_of(nb06.ex3, via_step)


def _message_of(exercise, answer):
    verdict = exercise.check(answer)
    assert verdict.status == INCORRECT, verdict
    return verdict.message
