"""Exercises of 03_vanilla_rnn.ipynb: one RNN step in numpy, the parameter count of an RNN layer, softmax with a
temperature, and one step of backpropagation through time."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    as_array,
    expect_callable,
    expect_close,
    is_blank,
)
from rnn_helpers.scratch import rnn_step, rnn_step_backward


class RNNStep(Exercise):
    title = "Exercise 1: one RNN step in numpy"
    write_it_yourself = (rnn_step,)
    shapes = "Here x_t is (B, I), h_prev (B, H), W_xh (H, I), W_hh (H, H) and b (H,); for row vectors W x is `x @ W.T`."
    hints = (
        "A batch is a stack of row vectors: x_t is (B, I), so W_xh x_t for every row is `x_t @ W_xh.T`, (B, H).",
        "h_t = tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b): one line with np.tanh.",
    )
    solution_code = """
import numpy as np

def rnn_step(x_t, h_prev, W_xh, W_hh, b):
    # h_t = tanh(W_xh x_t + W_hh h_{t-1} + b), for a batch of row vectors   (B, H)
    return np.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def rnn_step(x_t, h_prev, W_xh, W_hh, b):
    return x_t @ W_xh.T + h_prev @ W_hh.T + b           # no tanh
""",
        """
import numpy as np

def rnn_step(x_t, h_prev, W_xh, W_hh, b):
    return np.tanh(W_xh @ x_t + W_hh @ h_prev + b)      # column-vector formula on row vectors
""",
        """
import numpy as np

def rnn_step(x_t, h_prev, W_xh, W_hh, b):
    return np.tanh(x_t @ W_xh.T + h_prev @ W_hh + b)    # W_hh untransposed
""",
        """
from rnn_helpers import scratch

def rnn_step(x_t, h_prev, W_xh, W_hh, b):
    return scratch.rnn_step(x_t, h_prev, W_xh, W_hh, b)   # the course's own step
""",
    )

    def _check(self, step) -> None:
        expect_callable(step)
        rng = np.random.default_rng(3)
        for B, I, H in ((2, 3, 4), (1, 5, 2), (3, 1, 1)):
            x, h_prev = rng.standard_normal((B, I)), rng.standard_normal((B, H))
            W_xh, W_hh, b = rng.standard_normal((H, I)), rng.standard_normal((H, H)), rng.standard_normal(H)
            got = as_array(step(x, h_prev, W_xh, W_hh, b), "rnn_step")
            expected = rnn_step(x, h_prev, W_xh, W_hh, b)  # the course's own step, with b in b_ih
            case = f"(batch {B}, {I} inputs, {H} hidden units)"
            if got.shape != expected.shape:
                raise Incorrect(f"For {case} h_t should have shape {expected.shape} (B, H); yours has {got.shape}.")
            if np.allclose(got, expected, atol=1e-10, rtol=1e-8):
                continue
            pre = x @ W_xh.T + h_prev @ W_hh.T + b
            if np.allclose(got, pre):
                raise Incorrect("Your h_t skips the nonlinearity: wrap the sum in np.tanh.")
            if np.allclose(got, np.tanh(x @ W_xh.T + h_prev @ W_hh + b)):
                raise Incorrect("W_hh is applied untransposed: for row vectors W_hh h_{t-1} is `h_prev @ W_hh.T`.")
            if np.allclose(got, np.tanh(x @ W_xh.T + h_prev @ W_hh.T)):
                raise Incorrect("Your h_t leaves out the bias b.")
            expect_close(f"h_t for {case}", got, expected, atol=1e-10, rtol=1e-8)


class ParameterCount(Exercise):
    title = "Exercise 2: the parameters of an RNN layer"
    hints = (
        "Count each of torch's tensors: weight_ih_l0 is (H, I), weight_hh_l0 is (H, H), and there are two biases.",
        "H·I + H·H + H + H: PyTorch keeps b_ih and b_hh separately, although only their sum matters. "
        "The sequence length T does not appear.",
    )
    solution_code = """
def rnn_param_count(input_size, hidden_size):
    I, H = input_size, hidden_size
    return H * I + H * H + 2 * H   # W_ih, W_hh, b_ih, b_hh; no T: the weights are shared over time
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def rnn_param_count(input_size, hidden_size):
    I, H = input_size, hidden_size
    return H * I + H * H + H                   # one bias
""",
        """
def rnn_param_count(input_size, hidden_size):
    I, H = input_size, hidden_size
    return H * I + 2 * H                       # no recurrent weights
""",
        """
def rnn_param_count(input_size, hidden_size):
    I, H = input_size, hidden_size
    return I * I + H * H + 2 * H               # W_ih taken as (I, I)
""",
    )

    def _check(self, count) -> None:
        import torch

        from rnn_helpers.models import count_parameters

        expect_callable(count)
        for I, H in ((10, 20), (1, 1), (65, 128), (3, 7)):
            got = count(I, H)
            if is_blank(got):
                raise NotAttempted("rnn_param_count still returns ____.")
            if isinstance(got, bool) or not isinstance(got, int | np.integer):
                raise Incorrect(f"rnn_param_count({I}, {H}) should return an integer; yours returned {got!r}.")
            expected = count_parameters(torch.nn.RNN(I, H))  # torch is the reference
            if got == expected - H:
                raise Incorrect(f"rnn_param_count({I}, {H}) = {got} counts one bias; torch keeps two, b_ih and b_hh.")
            if got == expected - 2 * H:
                raise Incorrect(f"rnn_param_count({I}, {H}) = {got} leaves out the two biases (H each).")
            if got == H * I + 2 * H:
                raise Incorrect(f"rnn_param_count({I}, {H}) = {got} leaves out W_hh, the H × H recurrent weights.")
            if got != expected:
                side = "too many" if got > expected else "too few"
                raise Incorrect(
                    f"rnn_param_count({I}, {H}) = {got} is {side} for torch.nn.RNN({I}, {H}): count each of its four "
                    "tensors, weight_ih_l0, weight_hh_l0, bias_ih_l0 and bias_hh_l0, by its shape."
                )


class SoftmaxTemperature(Exercise):
    title = "Exercise 3: softmax with a temperature"
    hints = (
        "Divide the logits by the temperature first, then take an ordinary softmax.",
        "Subtract the largest scaled logit before np.exp, so that logits like 1000 do not overflow: "
        "z = logits / temperature; e = np.exp(z - z.max()); return e / e.sum().",
    )
    solution_code = """
import numpy as np

def softmax_with_temperature(logits, temperature):
    z = logits / temperature          # T < 1 sharpens, T > 1 flattens
    e = np.exp(z - z.max())           # subtracting the max changes nothing but avoids overflow
    return e / e.sum()
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def softmax_with_temperature(logits, temperature):
    e = np.exp(logits * temperature - np.max(logits * temperature))   # multiplied by T
    return e / e.sum()
""",
        """
import numpy as np

def softmax_with_temperature(logits, temperature):
    e = np.exp(logits / temperature)           # overflows at 1000
    return e / e.sum()
""",
    )

    def _check(self, softmax) -> None:
        expect_callable(softmax)
        cases = [
            (np.array([2.0, 1.0, 0.1]), 1.0),
            (np.array([2.0, 1.0, 0.1]), 0.5),
            (np.array([-1.0, 0.0, 3.0, 0.5]), 2.0),
            (np.array([1000.0, 999.0, 990.0]), 1.0),
        ]
        for logits, T in cases:
            with np.errstate(all="ignore"):
                got = as_array(softmax(logits.copy(), T), "softmax_with_temperature")
            e = np.exp(logits / T - np.max(logits / T))
            expected = e / e.sum()
            case = f"logits {logits.tolist()} at temperature {T}"
            if got.shape == expected.shape and np.allclose(got, expected, atol=1e-9, rtol=1e-7):
                continue
            if got.shape == expected.shape and not np.all(np.isfinite(got)):
                raise Incorrect(f"For {case} your result has nan or inf: subtract the largest logit before np.exp.")
            scaled = np.exp(logits * T - np.max(logits * T))
            if T != 1.0 and got.shape == expected.shape and np.allclose(got, scaled / scaled.sum()):
                raise Incorrect(f"For {case} you multiplied by the temperature; divide by it: softmax(logits / T).")
            expect_close(f"the probabilities for {case}", got, expected, atol=1e-9, rtol=1e-7)


class BackwardStep(Exercise):
    title = "Exercise 4: one step of backpropagation through time"
    hints = (
        "First through the tanh: dL/da_t = δ_t ⊙ (1 - h_t²). Then through a_t = ... + W_hh h_{t-1}.",
        "For row vectors, a_t = ... + h_prev @ W_hh.T, so dL/dh_prev = (delta * (1 - h**2)) @ W_hh.",
    )
    solution_code = """
def delta_prev(delta, h, W_hh):
    # δ_{t-1} (the part through h_t) = W_hhᵀ diag(1 - h_t²) δ_t, for a batch of row vectors   (B, H)
    return (delta * (1 - h**2)) @ W_hh
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def delta_prev(delta, h, W_hh):
    return delta @ W_hh                        # the tanh skipped
""",
        """
def delta_prev(delta, h, W_hh):
    return (delta * (1 - h**2)) @ W_hh.T       # transposed the wrong way
""",
        """
import numpy as np

def delta_prev(delta, h, W_hh):
    return (delta * (1 - np.tanh(h) ** 2)) @ W_hh   # tanh applied twice
""",
    )

    def _check(self, delta_prev) -> None:
        expect_callable(delta_prev)
        rng = np.random.default_rng(7)
        for B, H in ((2, 3), (1, 1), (4, 5)):
            delta, W_hh = rng.standard_normal((B, H)), rng.standard_normal((H, H))
            h = np.tanh(rng.standard_normal((B, H)))
            got = as_array(delta_prev(delta, h, W_hh), "delta_prev")
            # the reference: the course's rnn_step_backward, given h_t (inputs do not matter for dL/dh_prev)
            x, h_prev = np.zeros((B, 1)), np.zeros((B, H))
            expected = rnn_step_backward(delta, x, h_prev, h, np.zeros((H, 1)), W_hh)["h_prev"]
            case = f"(batch {B}, {H} hidden units)"
            if got.shape != expected.shape:
                raise Incorrect(f"For {case} δ_(t-1) should have shape {expected.shape}; yours has {got.shape}.")
            if np.allclose(got, expected, atol=1e-10, rtol=1e-8):
                continue
            if np.allclose(got, delta @ W_hh):
                raise Incorrect("You skipped the tanh: multiply δ_t by its derivative (1 - h_t²) first.")
            if np.allclose(got, (delta * (1 - h**2)) @ W_hh.T):
                raise Incorrect("W_hh is transposed the wrong way: for row vectors the step back is `@ W_hh`.")
            if np.allclose(got, (delta * (1 - np.tanh(h) ** 2)) @ W_hh):
                raise Incorrect("h is already tanh(a_t): its derivative is 1 - h**2, not 1 - tanh(h)**2.")
            expect_close(f"δ_(t-1) for {case}", got, expected, atol=1e-10, rtol=1e-8)


ex1 = RNNStep()
ex2 = ParameterCount()
ex3 = SoftmaxTemperature()
ex4 = BackwardStep()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4"]
