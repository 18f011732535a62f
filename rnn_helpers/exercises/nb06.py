"""Exercises of 06_gru.ipynb: counting a GRU's parameters, the update in PyTorch's convention, and the reset
gate applied after the matrix product."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, NotAttempted, expect_close, expect_equal, is_blank
from rnn_helpers.scratch import gru_step, sigmoid


def _torch_gru_count(input_size: int, hidden_size: int) -> int:
    import torch

    module = torch.nn.GRU(input_size, hidden_size)
    return sum(p.numel() for p in module.parameters())


class GRUParameters(Exercise):
    title = "Exercise 1: count a GRU's parameters"
    hints = (
        "A GRU has three blocks (r, z, n); each has an input matrix, a recurrent matrix and PyTorch's two biases.",
        "One block: H·I + H·H + H + H. Three blocks: 3 · (H·I + H·H + 2H).",
    )
    solution_code = """
def gru_parameters(input_size, hidden_size):
    I, H = input_size, hidden_size
    return 3 * (H * I + H * H + 2 * H)
"""

    def _check(self, gru_parameters) -> None:
        if not callable(gru_parameters):
            raise Incorrect(f"Give the function itself; you gave {type(gru_parameters).__name__}.")
        for I, H in [(2, 64), (10, 1), (1, 7), (30, 20)]:
            got = gru_parameters(I, H)
            if is_blank(got):
                raise NotAttempted("gru_parameters still returns ____.")
            expected = _torch_gru_count(I, H)
            if got == 4 * (H * I + H * H + 2 * H):
                raise Incorrect("That counts four blocks, like an LSTM; a GRU has three: r, z and n.")
            if got == 3 * (H * I + H * H + H):
                raise Incorrect(f"For I={I}, H={H} you miss {3 * H}: PyTorch keeps two biases per block (b_ih, b_hh).")
            expect_equal(f"gru_parameters({I}, {H})", got, expected)


class GRUUpdate(Exercise):
    title = "Exercise 2: the update in PyTorch's convention"
    hints = (
        "In PyTorch's convention z_t is the share of the OLD state that is kept.",
        "h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}.",
    )
    solution_code = """
def gru_update(z, n, h_prev):
    return (1 - z) * n + z * h_prev
"""

    def _check(self, gru_update) -> None:
        if not callable(gru_update):
            raise Incorrect(f"Give the function itself; you gave {type(gru_update).__name__}.")
        rng = np.random.default_rng(7)
        a_z, a_n, h_prev = rng.standard_normal((3, 3, 4))
        z, n = sigmoid(a_z), np.tanh(a_n)
        got = gru_update(z, n, h_prev)
        if is_blank(got):
            raise NotAttempted("gru_update still returns ____.")
        got = np.asarray(got, dtype=float)
        if got.shape == z.shape and np.allclose(got, z * n + (1 - z) * h_prev):
            raise Incorrect(
                "That is the other convention (the roles of z and 1 - z swapped). PyTorch keeps z_t of the old "
                "state: h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}."
            )
        expect_close("h_t", got, (1 - z) * n + z * h_prev)


class ResetAfter(Exercise):
    title = "Exercise 3: the reset gate, applied after the matrix product"
    hints = (
        "The reset gate multiplies the whole recurrent term of the candidate, bias included: r_t ⊙ (W_hn h + b_hn).",
        "n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn)); with row vectors, W v is `v @ W.T`.",
    )
    solution_code = """
import numpy as np

def candidate(x_t, h_prev, r, W_in, b_in, W_hn, b_hn):
    return np.tanh(x_t @ W_in.T + b_in + r * (h_prev @ W_hn.T + b_hn))
"""

    def _check(self, candidate) -> None:
        if not callable(candidate):
            raise Incorrect(f"Give the function itself; you gave {type(candidate).__name__}.")
        rng = np.random.default_rng(8)
        B, I, H = 3, 2, 4
        x_t, h_prev = rng.standard_normal((B, I)), rng.standard_normal((B, H))
        W_ih, W_hh = rng.standard_normal((3 * H, I)), rng.standard_normal((3 * H, H))
        b_ih, b_hh = rng.standard_normal(3 * H), rng.standard_normal(3 * H)
        _, gates = gru_step(x_t, h_prev, W_ih, W_hh, b_ih, b_hh)
        W_in, b_in, W_hn, b_hn = W_ih[2 * H :], b_ih[2 * H :], W_hh[2 * H :], b_hh[2 * H :]
        got = candidate(x_t, h_prev, gates["r"], W_in, b_in, W_hn, b_hn)
        if is_blank(got):
            raise NotAttempted("candidate still returns ____.")
        got = np.asarray(got, dtype=float)
        before = np.tanh(x_t @ W_in.T + b_in + (gates["r"] * h_prev) @ W_hn.T + b_hn)
        if got.shape == before.shape and np.allclose(got, before):
            raise Incorrect(
                "That applies the reset gate before the matrix product, W_hn (r ⊙ h), as Cho et al. (2014) write it. "
                "PyTorch applies it after: r ⊙ (W_hn h + b_hn)."
            )
        expect_close("n_t", got, gates["n"])


ex1 = GRUParameters()
ex2 = GRUUpdate()
ex3 = ResetAfter()
