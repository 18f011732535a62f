"""Exercises of 05_lstm.ipynb: the cell update, how far a forget gate lets the gradient reach, where the forget
gate lives in PyTorch's weights, and a peephole forget gate."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, NotAttempted, expect_close, is_blank
from rnn_helpers.scratch import lstm_step, sigmoid


def _random_gates(rng: np.random.Generator, B: int = 3, H: int = 4) -> dict:
    """Gate activations as an LSTM step makes them: i, f, o in (0, 1), g in (-1, 1); plus a previous cell."""
    return {
        "i": sigmoid(rng.standard_normal((B, H))),
        "f": sigmoid(rng.standard_normal((B, H))),
        "g": np.tanh(rng.standard_normal((B, H))),
        "o": sigmoid(rng.standard_normal((B, H))),
        "c_prev": 2.0 * rng.standard_normal((B, H)),
    }


def _as_pair(result, what: str) -> tuple:
    if is_blank(result):
        raise NotAttempted(f"{what} still returns ____.")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise Incorrect(f"{what} should return a pair (c, h); yours returned {type(result).__name__}.")
    return tuple(np.asarray(r, dtype=float) for r in result)


class CellUpdate(Exercise):
    title = "Exercise 1: the cell update"
    hints = (
        "Two lines: first the new cell state from the old one and the candidate, then the output from the cell.",
        "c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t, and h_t = o_t ⊙ tanh(c_t). In numpy ⊙ is plain `*`.",
    )
    solution_code = """
import numpy as np

def cell_update(i, f, g, o, c_prev):
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return c, h
"""

    def _check(self, cell_update) -> None:
        if not callable(cell_update):
            raise Incorrect(f"Give the function itself (no brackets); you gave {type(cell_update).__name__}.")
        rng = np.random.default_rng(5)
        for _ in range(3):
            gates = _random_gates(rng)
            c, h = _as_pair(cell_update(gates["i"], gates["f"], gates["g"], gates["o"], gates["c_prev"]), "cell_update")
            expected_c = gates["f"] * gates["c_prev"] + gates["i"] * gates["g"]
            if c.shape == expected_c.shape and np.allclose(c, gates["i"] * gates["c_prev"] + gates["f"] * gates["g"]):
                raise Incorrect("Your c swaps the roles of i and f: the forget gate f multiplies the old cell c_prev.")
            expect_close("c", c, expected_c)
            if np.allclose(h, gates["o"] * c):
                raise Incorrect("Your h skips the tanh: the output is h_t = o_t ⊙ tanh(c_t).")
            expect_close("h", h, gates["o"] * np.tanh(expected_c))


class CarouselDecay(Exercise):
    title = "Exercise 2: how far a forget gate lets the gradient reach"
    hints = (
        "Along the cell state alone, ∂c_t/∂c_{t-1} = f_t: one factor per step.",
        "Fifty steps with the same f multiply fifty equal factors: f ** 50.",
    )
    solution_code = "answer = 0.95 ** 50  # ≈ 0.077: after 50 steps 7.7% of the gradient is left"

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, int | float | np.floating):
            raise Incorrect(f"Give a number; you gave {type(answer).__name__} {answer!r}.")
        if abs(answer - 0.95 * 50) < 1e-6:
            raise Incorrect("That adds the factors; along the chain of steps they multiply: f · f · … · f.")
        if abs(answer - (1 - 0.95**50)) < 1e-6:
            raise Incorrect("That is the part that is lost; the question asks for the part that is left.")
        expect_close("Your factor", answer, 0.95**50, rtol=1e-3, atol=0.0)


class ForgetRows(Exercise):
    title = "Exercise 3: find the forget gate in PyTorch's weights"
    hints = (
        "PyTorch stacks the four gates' rows in the order i, f, g, o; each block has hidden_size rows.",
        "With hidden_size = 5 the blocks are rows 0-4 (i), 5-9 (f), 10-14 (g), 15-19 (o); Python slices stop "
        "one past the end.",
    )
    solution_code = "answer = (5, 10)  # weight_ih_l0[5:10] holds W_if when hidden_size = 5"

    def _check(self, answer) -> None:
        if not isinstance(answer, tuple | list) or len(answer) != 2:
            raise Incorrect(f"Give a pair (start, stop) of row numbers; you gave {answer!r}.")
        answer = tuple(answer)
        names = {(0, 5): "the input gate i", (10, 15): "the candidate g", (15, 20): "the output gate o"}
        if answer in names:
            raise Incorrect(f"Rows {answer[0]}:{answer[1]} hold {names[answer]}; the order is i, f, g, o.")
        if answer == (5, 9) or answer == (6, 10):
            raise Incorrect("Close: Python counts rows from 0 and a slice stops one past its end: rows 5..9 are 5:10.")
        if answer != (5, 10):
            raise Incorrect(f"Not quite: you gave {answer}. Each gate has hidden_size = 5 rows; f is the second block.")


class PeepholeForget(Exercise):
    title = "Exercise 4: a peephole forget gate"
    hints = (
        "The peephole adds one more term inside the sigmoid: each unit's own previous cell, weighted by w_cf.",
        "f_t = σ(a_f + w_cf ⊙ c_{t-1}), where a_f is the usual pre-activation; use `sigmoid` from "
        "rnn_helpers.scratch (or 1 / (1 + np.exp(-a))).",
    )
    solution_code = """
from rnn_helpers.scratch import sigmoid

def peephole_forget(a_f, w_cf, c_prev):
    return sigmoid(a_f + w_cf * c_prev)
"""

    def _check(self, peephole_forget) -> None:
        if not callable(peephole_forget):
            raise Incorrect(f"Give the function itself; you gave {type(peephole_forget).__name__}.")
        rng = np.random.default_rng(6)
        a_f, w_cf, c_prev = rng.standard_normal((3, 4)), rng.standard_normal(4), 2.0 * rng.standard_normal((3, 4))
        got = peephole_forget(a_f, w_cf, c_prev)
        if is_blank(got):
            raise NotAttempted("peephole_forget still returns ____.")
        got = np.asarray(got, dtype=float)
        if got.shape == a_f.shape and np.allclose(got, sigmoid(a_f)):
            raise Incorrect("Your gate ignores the cell: the peephole term w_cf ⊙ c_{t-1} is missing.")
        if got.shape == a_f.shape and np.allclose(got, sigmoid(a_f) + w_cf * c_prev):
            raise Incorrect("The peephole term goes inside the sigmoid, so that f_t stays between 0 and 1.")
        expect_close("f_t", got, sigmoid(a_f + w_cf * c_prev))
        # with w_cf = 0 the peephole gate is the ordinary forget gate of lstm_step
        x, h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
        W_ih, W_hh = rng.standard_normal((16, 3)), rng.standard_normal((16, 4))
        _, _, gates = lstm_step(x, h, c, W_ih, W_hh)
        a_f = (x @ W_ih.T + h @ W_hh.T)[:, 4:8]
        expect_close("f_t with w_cf = 0", peephole_forget(a_f, np.zeros(4), c), gates["f"])


ex1 = CellUpdate()
ex2 = CarouselDecay()
ex3 = ForgetRows()
ex4 = PeepholeForget()
