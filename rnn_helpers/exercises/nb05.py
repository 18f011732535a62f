"""Exercises of 05_lstm.ipynb: the cell update of the coupled-gate LSTM, how many steps a forget gate lets the
gradient reach, where each gate lives in PyTorch's weights, a peephole forget gate, and the assignment: one
LSTM step forward and backward from the stacked 4H weights, checked against the scratch LSTM.

Messages say in what way an answer is wrong (a missing path, a swapped pair of gates, a transposed matrix),
never what the right value is.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from rnn_helpers.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    as_array,
    call_learner,
    is_blank,
    mutate,
    refuse_names,
)
from rnn_helpers.scratch import LSTM, lstm_step, lstm_step_backward, sigmoid

GATES = ("i", "f", "g", "o")  # PyTorch's order of the four blocks of rows


def _random_gates(rng: np.random.Generator, B: int = 3, H: int = 4) -> dict:
    """Gate activations as an LSTM step makes them: i, f, o in (0, 1), g in (-1, 1); plus a previous cell."""
    return {
        "i": sigmoid(rng.standard_normal((B, H))),
        "f": sigmoid(rng.standard_normal((B, H))),
        "g": np.tanh(rng.standard_normal((B, H))),
        "o": sigmoid(rng.standard_normal((B, H))),
        "c_prev": 2.0 * rng.standard_normal((B, H)),
    }


def _as_pair(result, what: str, names: str = "(c, h)") -> tuple:
    if is_blank(result):
        raise NotAttempted(f"{what} still returns ____.")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise Incorrect(f"{what} should return a pair {names}; yours returned {type(result).__name__}.")
    if any(is_blank(r) for r in result):
        raise NotAttempted(f"{what} still returns ____ in its pair.")
    return tuple(as_array(r, what) for r in result)


def _call(f, args, guidance: str):
    """``call_learner(f, *args)``, with a numpy shape clash explained (``guidance``) instead of shown raw."""
    try:
        return call_learner(f, *args)
    except ValueError as err:
        if any(word in str(err) for word in ("matmul", "broadcast", "shapes", "dimension", "split")):
            raise Incorrect(f"A shape clash inside your function ({err}). {guidance}") from err
        raise


ROWS = "The course keeps examples in rows: x_t is (B, I), h_prev and c_prev are (B, H)"


def _same(got: np.ndarray, expected: np.ndarray, tol: float = 1e-8) -> bool:
    return got.shape == expected.shape and np.allclose(got, expected, rtol=1e-6, atol=tol)


class CoupledCellUpdate(Exercise):
    title = "Exercise 1: the cell update of the coupled-gate LSTM"
    hints = (
        "Start from the LSTM's two lines for c_t and h_t, and replace the input gate by what it is tied to.",
        "Check your c_t in two extreme cases: with f_t = 1 the cell must stay as it was, with f_t = 0 it must "
        "hold the candidate alone.",
    )
    solution_code = """
import numpy as np

def coupled_cell_update(f, g, o, c_prev):
    c = f * c_prev + (1 - f) * g     # the input gate is tied: i_t = 1 - f_t
    h = o * np.tanh(c)
    return c, h
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def coupled_cell_update(f, g, o, c_prev):
    c = (1 - f) * c_prev + f * g     # the input gate is tied: i_t = 1 - f_t
    h = o * np.tanh(c)
    return c, h
""",
        """
import numpy as np

def coupled_cell_update(f, g, o, c_prev):
    c = f * c_prev + (1 - f) * g     # the input gate is tied: i_t = 1 - f_t
    h = o * c
    return c, h
""",
    )

    def _check(self, coupled_cell_update) -> None:
        rng = np.random.default_rng(5)
        for _ in range(3):
            gt = _random_gates(rng)
            f, g, o, c_prev = gt["f"], gt["g"], gt["o"], gt["c_prev"]
            c, h = _as_pair(_call(coupled_cell_update, (f, g, o, c_prev), "Every input is (B, H); every operation "
                                  "here is elementwise (`*`, not `@`)."), "coupled_cell_update")
            expected_c = f * c_prev + (1 - f) * g
            if c.shape != expected_c.shape:
                raise Incorrect(f"c should have the shape of the gates, (B, H) = {expected_c.shape}; yours has "
                                f"{c.shape}. Every operation here is elementwise (`*`, not `@`).")
            if _same(c, (1 - f) * c_prev + f * g):
                raise Incorrect("Your c swaps f and 1 - f: the forget gate f keeps the OLD cell, so f multiplies "
                                "c_prev and the rest of the cell is written from g.")
            if _same(c, f * c_prev + f * g) or _same(c, f * c_prev + g):
                raise Incorrect("Your c writes the candidate with the wrong factor: the input gate is tied to the "
                                "forget gate, so what is written is the share that was not kept.")
            if not _same(c, expected_c):
                raise Incorrect("Your c is not the coupled cell update; try f = 1 (nothing may change) and f = 0 "
                                "(only the candidate remains) by hand.")
            if _same(h, o * c):
                raise Incorrect("Your h skips the squashing of the cell before the output gate reads it.")
            if _same(h, o * np.tanh(c_prev)):
                raise Incorrect("Your h reads the old cell c_{t-1}; the output reads the new one.")
            if not _same(h, o * np.tanh(expected_c)):
                raise Incorrect("Your c is right, your h is not: the output is the output gate times the squashed "
                                "new cell.")


class StepsToOnePercent(Exercise):
    title = "Exercise 2: how many steps does a forget gate let the gradient reach?"
    hints = (
        "Along the cell state alone, every step back multiplies the gradient by the same factor (section 1).",
        "You want the smallest whole number of steps after which the product of those factors is below 0.01: "
        "a `while` loop that counts, or logarithms and a rounding in the right direction.",
    )
    solution_code = """
import math

answer = math.ceil(math.log(0.01) / math.log(0.95))   # the smallest k with 0.95**k < 0.01
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = 89  # 0.95**89 is still above 0.01',
        'answer = 20  # 1 / (1 - f)',
        'answer = 45  # where 10% is left',
    )
    f, share = 0.95, 0.01

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            raise Incorrect(f"Give a number of steps (a whole number); you gave {type(answer).__name__} {answer!r}.")
        k_float = math.log(self.share) / math.log(self.f)
        if float(answer) != int(answer):
            if abs(answer - k_float) < 1e-6:
                raise Incorrect("Right equation, but a number of steps is whole: which whole number is the first "
                                "at which less than 1% is left?")
            raise Incorrect("A number of steps is a whole number.")
        k = int(answer)
        if abs(k - 1 / (1 - self.f)) < 1e-9:
            raise Incorrect("That is 1 / (1 - f), the cell's time constant: after it about 1/e (37%) is left, not 1%.")
        if abs(k - math.log(0.1) / math.log(self.f)) < 1:
            raise Incorrect("After that many steps 10% is left; the question asks for less than 1%.")
        if self.f**k >= self.share:
            raise Incorrect("After that many steps 1% or more of the gradient is still left: go further back.")
        if self.f ** (k - 1) < self.share:
            raise Incorrect("Less than 1% is left after that many steps, but also after fewer: find the smallest.")


class GateRows(Exercise):
    title = "Exercise 3: find any gate in PyTorch's stacked weights"
    hints = (
        "PyTorch stacks the four gates' blocks of rows in one fixed order (section 2 names it, and so does the "
        "documentation of torch.nn.LSTM); every block has hidden_size rows.",
        "Find the gate's position k in that order (counting from 0): how many rows come before its block? A Python "
        "slice stops one past its last row.",
    )
    solution_code = """
def gate_rows(gate, hidden_size):
    k = "ifgo".index(gate)                      # PyTorch's order: i, f, g, o
    return k * hidden_size, (k + 1) * hidden_size
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def gate_rows(gate, hidden_size):
    k = "ifog".index(gate)                      # PyTorch's order: i, f, g, o
    return k * hidden_size, (k + 1) * hidden_size
""",
        """
def gate_rows(gate, hidden_size):
    k = "ifgo".index(gate)                      # PyTorch's order: i, f, g, o
    return k * hidden_size, (k + 1) * hidden_size - 1
""",
    )

    def _check(self, gate_rows) -> None:
        for H in (5, 1, 64):
            for k, gate in enumerate(GATES):
                got = call_learner(gate_rows, gate, H)
                if isinstance(got, slice):
                    got = (got.start, got.stop)
                if not isinstance(got, tuple | list) or len(got) != 2:
                    raise Incorrect(f"gate_rows should return a pair (start, stop); for gate {gate!r} yours returned "
                                    f"{got!r}.")
                start, stop = got
                if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in (start, stop)):
                    raise Incorrect(f"Row numbers are whole numbers; for gate {gate!r} you gave {got!r}.")
                if (start, stop) == (k * H, (k + 1) * H):
                    continue
                if stop - start == H - 1:
                    raise Incorrect(f"For gate {gate!r} with hidden_size={H} your slice holds {H - 1} rows: a Python "
                                    "slice stops one past its last row.")
                if stop - start != H:
                    raise Incorrect(f"For gate {gate!r} with hidden_size={H} your slice holds {stop - start} rows; "
                                    "every gate has one row per hidden unit.")
                if start % H == 0 and 0 <= start // H < 4:
                    other = GATES[start // H]
                    raise Incorrect(f"With hidden_size={H}, your rows for gate {gate!r} hold gate {other!r}: check "
                                    "the order in which PyTorch stacks the gates.")
                raise Incorrect(f"For gate {gate!r} with hidden_size={H} your block does not start where a gate "
                                "block starts (blocks start at multiples of hidden_size).")


class PeepholeForget(Exercise):
    title = "Exercise 4: a peephole forget gate"
    hints = (
        "The peephole adds one more term to the forget gate's pre-activation: each unit's own previous cell, "
        "weighted by that unit's peephole weight.",
        "w_cf is a vector of H numbers, one per unit: it multiplies c_{t-1} elementwise (broadcast over the "
        "batch), it is not a matrix product. Where does the sigmoid go?",
    )
    solution_code = """
from rnn_helpers.scratch import sigmoid

def peephole_forget(a_f, w_cf, c_prev):
    return sigmoid(a_f + w_cf * c_prev)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
from rnn_helpers.scratch import sigmoid

def peephole_forget(a_f, w_cf, c_prev):
    return sigmoid(a_f)
""",
        """
from rnn_helpers.scratch import sigmoid

def peephole_forget(a_f, w_cf, c_prev):
    return sigmoid(a_f) + w_cf * c_prev
""",
    )

    def _check(self, peephole_forget) -> None:
        rng = np.random.default_rng(6)
        a_f, w_cf, c_prev = rng.standard_normal((3, 4)), rng.standard_normal(4), 2.0 * rng.standard_normal((3, 4))
        got = as_array(_call(peephole_forget, (a_f, w_cf, c_prev), "a_f and c_prev are (B, H) and w_cf is (H,): "
                             "w_cf multiplies c_prev elementwise, broadcast over the batch."), "peephole_forget")
        if got.shape != a_f.shape:
            raise Incorrect(f"f_t should have the shape of a_f, (B, H) = {a_f.shape}; yours has {got.shape}. "
                            "w_cf multiplies c_prev elementwise.")
        if np.allclose(got, sigmoid(a_f)):
            raise Incorrect("Your gate ignores the cell: the peephole term w_cf ⊙ c_{t-1} is missing.")
        if np.allclose(got, sigmoid(a_f) + w_cf * c_prev):
            raise Incorrect("The peephole term goes inside the sigmoid, so that f_t stays between 0 and 1.")
        if not np.allclose(got, sigmoid(a_f + w_cf * c_prev)):
            raise Incorrect("Your f_t is not σ of the pre-activation plus the peephole term.")
        # with w_cf = 0 the peephole gate is the ordinary forget gate of lstm_step
        x, h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
        W_ih, W_hh = rng.standard_normal((16, 3)), rng.standard_normal((16, 4))
        _, _, gates = lstm_step(x, h, c, W_ih, W_hh)
        a_f = (x @ W_ih.T + h @ W_hh.T)[:, 4:8]
        if not np.allclose(as_array(peephole_forget(a_f, np.zeros(4), c), "peephole_forget"), gates["f"]):
            raise Incorrect("With w_cf = 0 your gate should be the ordinary forget gate σ(a_f).")


# ------------------------------------------------------------------------------------- the assignment
def step_case(seed: int, B: int = 3, I: int = 2, H: int = 4) -> dict:
    """A random LSTM step: x_t (B, I), h_prev and c_prev (B, H), W_ih (4H, I), W_hh (4H, H), b (4H,), and
    the gradients dh, dc (B, H) that reach h_t and c_t from later on. Used by the checkers of exercises 5 and
    6 and by the finite-difference report."""
    rng = np.random.default_rng(seed)
    return {
        "x_t": rng.standard_normal((B, I)), "h_prev": rng.standard_normal((B, H)),
        "c_prev": 1.5 * rng.standard_normal((B, H)), "W_ih": rng.standard_normal((4 * H, I)) / 2,
        "W_hh": rng.standard_normal((4 * H, H)) / 2, "b": rng.standard_normal(4 * H) / 2,
        "dh": rng.standard_normal((B, H)), "dc": rng.standard_normal((B, H)),
    }


def _forward_variants(x_t, h_prev, c_prev, W_ih, W_hh, b) -> dict:
    """What a learner's forward returns after a typical slip: each maps to the message that explains it."""
    a = x_t @ W_ih.T + h_prev @ W_hh.T + b  # (B, 4H)
    a_nb = x_t @ W_ih.T + h_prev @ W_hh.T
    variants = {}

    def step(a, order=(0, 1, 2, 3), act_g=np.tanh, squash=np.tanh):
        blocks = np.split(a, 4, axis=1)
        i, f, g, o = (blocks[k] for k in order)
        c = sigmoid(f) * c_prev + sigmoid(i) * act_g(g)
        return sigmoid(o) * squash(c), c

    variants["the candidate and output blocks swapped: check PyTorch's order of the four blocks"] = step(
        a, order=(0, 1, 3, 2))
    variants["the input and forget blocks swapped: PyTorch's order starts i, f"] = step(a, order=(1, 0, 2, 3))
    variants["a sigmoid on the candidate block; the candidate g_t is a tanh, so that it can write negative "
             "values"] = step(a, act_g=sigmoid)
    variants["no bias: the pre-activations are W_ih x_t + W_hh h_{t-1} + b"] = step(a_nb)
    variants["an output that reads the cell without squashing it"] = step(a, squash=lambda c: c)
    return variants


class LSTMStepForward(Exercise):
    title = "Exercise 5 (assignment, part 1): one LSTM step forward from the stacked weights"
    write_it_yourself = (lstm_step, LSTM)
    hints = (
        "One matrix product per input gives all four pre-activations at once, (B, 4H); then cut it into four "
        "(B, H) blocks in PyTorch's order (np.split with axis=1).",
        "Rows are examples: W x for a row vector x is `x @ W.T`. Three blocks go through a sigmoid and one through "
        "a tanh: which one, and why?",
    )
    solution_code = """
import numpy as np

def sigmoid(a):
    return 1 / (1 + np.exp(-a))

def lstm_forward_step(x_t, h_prev, c_prev, W_ih, W_hh, b):
    a = x_t @ W_ih.T + h_prev @ W_hh.T + b                 # (B, 4H): all four pre-activations
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)            # PyTorch's order i, f, g, o; each (B, H)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t

answer = lstm_forward_step
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code, "a_i, a_f, a_g, a_o = np.split", "a_i, a_f, a_o, a_g = np.split"),  # g and o swapped
        mutate(solution_code, "h_t = o * np.tanh(c_t)", "h_t = o * c_t"),  # the cell not squashed
        mutate(solution_code, "np.tanh(a_g)", "sigmoid(a_g)"),  # a sigmoid candidate
    )

    def _check(self, lstm_forward_step) -> None:
        for seed, (B, I, H) in [(0, (3, 2, 4)), (1, (1, 3, 1)), (2, (2, 1, 5))]:
            case = step_case(seed, B, I, H)
            args = [case[k] for k in ("x_t", "h_prev", "c_prev", "W_ih", "W_hh", "b")]
            result = _call(lstm_forward_step, [a.copy() for a in args],
                           f"{ROWS}; W_ih is (4H, I), so W x is `x_t @ W_ih.T`, (B, 4H).")
            h, c = _as_pair(result, "lstm_forward_step", "(h_t, c_t)")
            h_ref, c_ref, _ = lstm_step(*args[:5], args[5], None)
            for name, got, ref in (("h_t", h, h_ref), ("c_t", c, c_ref)):
                if got.shape != ref.shape:
                    hint = " (one row per example; did you transpose?)" if got.shape == ref.shape[::-1] else ""
                    raise Incorrect(f"{name} should have shape (B, H) = {ref.shape}; yours has {got.shape}{hint}.")
            if _same(h, c_ref) and _same(c, h_ref):
                raise Incorrect("You return (c_t, h_t); return them in the order (h_t, c_t).")
            if _same(h, h_ref) and _same(c, c_ref):
                continue
            for slip, (h_v, c_v) in _forward_variants(*args).items():
                if _same(h, h_v) and _same(c, c_v):
                    raise Incorrect(f"Your step has {slip}.")
            if _same(c, c_ref):
                raise Incorrect("Your c_t is right and your h_t is not: the output gate reads the squashed new cell.")
            raise Incorrect(f"For B={B}, I={I}, H={H} your h_t and c_t differ from the LSTM's. Compare one block at a "
                            "time with the equations of section 2.")


GRAD_KEYS = ("x_t", "h_prev", "c_prev", "W_ih", "W_hh", "b")


def reference_step_gradients(case: dict) -> dict:
    """The gradients of one LSTM step computed by ``scratch.lstm_step_backward``, keyed as exercise 6 asks."""
    h, c, gates = lstm_step(case["x_t"], case["h_prev"], case["c_prev"], case["W_ih"], case["W_hh"], case["b"], None)
    g = lstm_step_backward(case["dh"], case["dc"], case["x_t"], case["h_prev"], case["c_prev"], c, gates,
                           case["W_ih"], case["W_hh"])
    return {"x_t": g["x_t"], "h_prev": g["h_prev"], "c_prev": g["c_prev"], "W_ih": g["W_ih"], "W_hh": g["W_hh"],
            "b": g["b_ih"]}


def _backward_slips(case: dict) -> dict:
    """Gradients after the slips learners make in an LSTM backward, each with the message that explains it."""
    x, hp, cp, W_ih, W_hh, b, dh, dc_next = (case[k] for k in ("x_t", "h_prev", "c_prev", "W_ih", "W_hh", "b",
                                                                  "dh", "dc"))
    _, c, gt = lstm_step(x, hp, cp, W_ih, W_hh, b, None)
    i, f, g, o = (gt[k] for k in GATES)
    tc = np.tanh(c)

    def grads(dc, dsig=lambda s: s * (1 - s), dtanh_g=lambda v: 1 - v**2, order=(0, 1, 2, 3)):
        di, df, dg, do = dc * g, dc * cp, dc * i, dh * tc
        blocks = [di * dsig(i), df * dsig(f), dg * dtanh_g(g), do * dsig(o)]
        da = np.concatenate([blocks[k] for k in order], axis=1)
        return {"x_t": da @ W_ih, "h_prev": da @ W_hh, "c_prev": dc * f, "W_ih": da.T @ x, "W_hh": da.T @ hp,
                "b": da.sum(axis=0)}

    dc_full = dh * o * (1 - tc**2) + dc_next
    slips = {
        "Your ∂L/∂c_t has only the part that arrives from step t+1. c_t also reaches the loss through "
        "h_t = o_t ⊙ tanh(c_t) at this very step: add that path before you use ∂L/∂c_t.": grads(dc_next),
        "Your ∂L/∂c_t misses the part that arrives from step t+1 (the argument dc): c_t reaches the loss through "
        "h_t and through c_{t+1}, and the two gradients add.": grads(dh * o * (1 - tc**2)),
        "Your gate derivatives use 1 - s² for the sigmoid gates; that is tanh's derivative. For s = σ(a), "
        "ds/da = s (1 - s).": grads(dc_full, dsig=lambda s: 1 - s**2),
        "Your candidate's derivative uses g (1 - g), the sigmoid's; the candidate is a tanh.":
            grads(dc_full, dtanh_g=lambda v: v * (1 - v)),
        "The blocks of your ∂a are not in PyTorch's order i, f, g, o (two of them are swapped), so each gate's "
        "gradient lands in another gate's rows.": grads(dc_full, order=(1, 0, 2, 3)),
    }
    wrong_carousel = grads(dc_full)
    wrong_carousel["c_prev"] = dc_full
    slips["Your ∂L/∂c_{t-1} forgets the forget gate: c_t = f_t ⊙ c_{t-1} + …, so the gradient that passes back "
          "along the cell is multiplied by f_t (the carousel of section 1)."] = wrong_carousel
    return slips


def _block_report(name: str, got: np.ndarray, ref: np.ndarray) -> str:
    """Which gate blocks of a (4H, ·) or (4H,) gradient differ, without printing any value."""
    H = ref.shape[0] // 4
    wrong = [g for k, g in enumerate(GATES) if not np.allclose(got[k * H:(k + 1) * H], ref[k * H:(k + 1) * H],
                                                              rtol=1e-6, atol=1e-8)]
    return f"∂L/∂{name} is wrong in the rows of gate(s) {', '.join(wrong)}; the other blocks are right."


class LSTMStepBackward(Exercise):
    title = "Exercise 6 (assignment, part 2): one LSTM step backward"
    write_it_yourself = (lstm_step_backward, LSTM)
    hints = (
        "Work backwards through your forward, one line at a time, and keep every intermediate of the forward "
        "(the four gates and c_t). Start with ∂L/∂o_t and the total ∂L/∂c_t: how many paths reach c_t?",
        "From ∂L/∂c_t you get ∂L/∂i_t, ∂L/∂f_t, ∂L/∂g_t and ∂L/∂c_{t-1} (each one product). Through each "
        "gate's activation to ∂L/∂a (B, 4H), stacked in the forward's order; then the three matrix products "
        "and a sum, exactly as for the vanilla RNN in chapter 03.",
        "Shapes are a good guide: ∂L/∂W_ih must be (4H, I) like W_ih, so it is (∂L/∂a)ᵀ times something of shape "
        "(B, I). Run the finite-difference report below to see which gradient is off.",
    )
    solution_code = """
import numpy as np

def sigmoid(a):
    return 1 / (1 + np.exp(-a))

def lstm_backward_step(dh, dc, x_t, h_prev, c_prev, W_ih, W_hh, b):
    # forward again, keeping what the backward needs
    a = x_t @ W_ih.T + h_prev @ W_hh.T + b                  # (B, 4H)
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    # backward
    do = dh * tanh_c                                        # h_t = o_t ⊙ tanh(c_t)
    dc_t = dh * o * (1 - tanh_c**2) + dc                    # two paths reach c_t: h_t and c_{t+1}
    di, df, dg = dc_t * g, dc_t * c_prev, dc_t * i          # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    dc_prev = f * dc_t                                      # the carousel
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)], axis=1)
    return {"x_t": da @ W_ih, "h_prev": da @ W_hh, "c_prev": dc_prev,
            "W_ih": da.T @ x_t, "W_hh": da.T @ h_prev, "b": da.sum(axis=0)}

answer = lstm_backward_step
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code, "dc_t = dh * o * (1 - tanh_c**2) + dc ", "dc_t = dc "),  # only the path from c_{t+1}
        mutate(solution_code, "dc_t = dh * o * (1 - tanh_c**2) + dc ", "dc_t = dh * o * (1 - tanh_c**2) "),  # no dc
        mutate(solution_code, "dc_prev = f * dc_t", "dc_prev = dc_t"),  # the forget gate forgotten
    )

    def _check(self, lstm_backward_step) -> None:
        refuse_names(lstm_backward_step, {"backward", "grad", "vjp", "jacobian"},
                     "write the backward step with numpy (autograd is for checking it)")
        for seed, (B, I, H) in [(10, (3, 2, 4)), (11, (1, 3, 1)), (12, (4, 1, 3))]:
            case = step_case(seed, B, I, H)
            args = [case[k].copy() for k in ("dh", "dc", "x_t", "h_prev", "c_prev", "W_ih", "W_hh", "b")]
            got = _call(lstm_backward_step, args, f"{ROWS}; dh and dc are (B, H) too, W_ih is (4H, I) and "
                        "∂L/∂a is (B, 4H).")
            if not isinstance(got, dict):
                raise Incorrect(f"lstm_backward_step should return a dict with the keys {', '.join(GRAD_KEYS)}; "
                                f"it returned {type(got).__name__}.")
            missing = [k for k in GRAD_KEYS if k not in got]
            if missing:
                raise Incorrect(f"Your dict lacks the key(s) {', '.join(missing)}.")
            if any(is_blank(got[k]) for k in GRAD_KEYS):
                raise NotAttempted("Some of your gradients are still ____.")
            got = {k: as_array(got[k], f"the gradient {k!r}") for k in GRAD_KEYS}
            ref = reference_step_gradients(case)
            for k in GRAD_KEYS:
                if got[k].shape != ref[k].shape:
                    if got[k].shape == ref[k].shape[::-1] and len(ref[k].shape) == 2:
                        raise Incorrect(f"∂L/∂{k} has shape {got[k].shape}, the transpose of {k}'s {ref[k].shape}: "
                                        "a gradient has the shape of what it is the gradient of.")
                    if k == "b" and got[k].shape == (B, 4 * H):
                        raise Incorrect("∂L/∂b has one row per example; the bias is shared by the whole batch, so "
                                        "its gradient sums over the batch axis.")
                    raise Incorrect(f"∂L/∂{k} should have the shape of {k}, {ref[k].shape}; yours has "
                                    f"{got[k].shape}.")
            if all(_same(got[k], ref[k]) for k in GRAD_KEYS):
                continue
            for message, slip in _backward_slips(case).items():
                if all(_same(got[k], slip[k]) for k in GRAD_KEYS):
                    raise Incorrect(message)
            for k in ("c_prev", "b", "W_ih", "W_hh", "x_t", "h_prev"):
                if not _same(got[k], ref[k]):
                    if k in ("b", "W_ih", "W_hh") and H > 1:
                        raise Incorrect(f"For B={B}, I={I}, H={H}: {_block_report(k, got[k], ref[k])}")
                    raise Incorrect(f"For B={B}, I={I}, H={H}: ∂L/∂{k} is wrong (the others up to it are right). "
                                    "Compare it with finite differences (the report below the exercise).")


def finite_difference_report(lstm_forward_step, lstm_backward_step, seed: int = 3, eps: float = 1e-6) -> dict:
    """Your own gradient check for exercises 5 and 6: the relative error between your backward and central
    differences of YOUR forward, for L = Σ h_t ⊙ dh + Σ c_t ⊙ dc, one number per gradient (about 1e-8 or less
    means they agree). Uses nothing of the course's LSTM. Returns {} while either function is unfinished."""
    from rnn_helpers.gradcheck import numerical_gradient, relative_error

    case = step_case(seed)
    names = ("x_t", "h_prev", "c_prev", "W_ih", "W_hh", "b")
    inputs = {k: case[k].copy() for k in names}

    def loss(_):
        h, c = _as_pair(lstm_forward_step(*(inputs[k] for k in names)), "lstm_forward_step", "(h_t, c_t)")
        return float(np.sum(h * case["dh"]) + np.sum(c * case["dc"]))

    try:
        mine = lstm_backward_step(case["dh"], case["dc"], *(inputs[k].copy() for k in names))
        if is_blank(mine) or not isinstance(mine, dict) or any(is_blank(v) for v in mine.values()):
            return {}
        return {k: relative_error(np.asarray(mine[k], dtype=float), numerical_gradient(loss, inputs[k], eps))
                for k in names if k in mine}
    except (NotAttempted, NotImplementedError, TypeError):
        return {}


ex1 = CoupledCellUpdate()
ex2 = StepsToOnePercent()
ex3 = GateRows()
ex4 = PeepholeForget()
ex5 = LSTMStepForward()
ex6 = LSTMStepBackward()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5", "ex6"]
