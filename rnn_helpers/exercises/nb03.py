"""Exercises of 03_vanilla_rnn.ipynb: one step of a character RNN with its read-out, the parameters of a character
language model, softmax with a temperature, and the assignment: a character RNN in numpy, forward and backward
over time (checked against autograd and by the learner's own gradient check), then names sampled from a trained
model."""

from __future__ import annotations

import numpy as np
import torch

from rnn_helpers.datasets import sequential_batches, stream_rows
from rnn_helpers.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    answer_from_code,
    as_array,
    call_learner,
    calls_helper,
    expect_callable,
    expect_close,
    expect_shape,
    is_blank,
    mutate,
)
from rnn_helpers.scratch import RNN, rnn_step, rnn_step_backward


class CellForward(Exercise):
    title = "Exercise 1: one step of a character RNN, with its read-out"
    write_it_yourself = (rnn_step, RNN)
    shapes = ("Here x_t is (B, V), h_prev (B, H), W_ih (H, V), W_hh (H, H), b (H,), W_hy (V, H), b_y (V,); h_t is "
              "(B, H) and p_t (B, V); for row vectors W x is `x @ W.T`.")
    hints = (
        "Two parts: the new state from x_t and h_prev (the recurrence of section 1), then the prediction made "
        "from the NEW state: p_t = softmax(W_hy h_t + b_y), one distribution per row.",
        "The softmax runs over the last axis, row by row: subtract each row's maximum (keepdims=True) before "
        "np.exp, then divide by each row's sum.",
    )
    solution_code = """
import numpy as np

def rnn_cell_forward(x_t, h_prev, W_ih, W_hh, b, W_hy, b_y):
    h_t = np.tanh(x_t @ W_ih.T + h_prev @ W_hh.T + b)        # (B, H)
    z = h_t @ W_hy.T + b_y                                    # (B, V) logits
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return h_t, e / e.sum(axis=-1, keepdims=True)             # p_t: each row sums to 1
"""
    mistakes = (
        """
import numpy as np

def rnn_cell_forward(x_t, h_prev, W_ih, W_hh, b, W_hy, b_y):
    h_t = np.tanh(x_t @ W_ih.T + h_prev @ W_hh.T + b)
    z = h_prev @ W_hy.T + b_y                                 # predicts from the OLD state
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return h_t, e / e.sum(axis=-1, keepdims=True)
""",
        """
import numpy as np

def rnn_cell_forward(x_t, h_prev, W_ih, W_hh, b, W_hy, b_y):
    h_t = np.tanh(x_t @ W_ih.T + h_prev @ W_hh.T + b)
    z = h_t @ W_hy.T + b_y
    e = np.exp(z - z.max())
    return h_t, e / e.sum()                                   # one softmax over the whole batch
""",
        """
import numpy as np

def rnn_cell_forward(x_t, h_prev, W_ih, W_hh, b, W_hy, b_y):
    h_t = np.tanh(W_ih @ x_t + W_hh @ h_prev + b)             # column-vector formula on row vectors
    z = h_t @ W_hy.T + b_y
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return h_t, e / e.sum(axis=-1, keepdims=True)
""",
        """
import numpy as np
from rnn_helpers import scratch

def rnn_cell_forward(x_t, h_prev, W_ih, W_hh, b, W_hy, b_y):
    h_t = scratch.rnn_step(x_t, h_prev, W_ih, W_hh, b)       # the course's own step
    z = h_t @ W_hy.T + b_y
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return h_t, e / e.sum(axis=-1, keepdims=True)
""",
    )

    def _check(self, cell_forward) -> None:
        expect_callable(cell_forward)
        rng = np.random.default_rng(3)
        for B, V, H in ((2, 4, 3), (1, 5, 2), (3, 3, 1)):
            x_t, h_prev = np.eye(V)[rng.integers(0, V, B)], rng.standard_normal((B, H))
            W_ih, W_hh, b = rng.standard_normal((H, V)), rng.standard_normal((H, H)), rng.standard_normal(H)
            W_hy, b_y = rng.standard_normal((V, H)), rng.standard_normal(V)
            result = cell_forward(x_t.copy(), h_prev.copy(), W_ih, W_hh, b, W_hy, b_y)
            if is_blank(result):
                raise NotAttempted("rnn_cell_forward still returns ____.")
            if not isinstance(result, tuple | list) or len(result) != 2:
                raise Incorrect("rnn_cell_forward should return a pair (h_t, p_t); it returned "
                                f"{type(result).__name__}.")
            case = f"(batch {B}, V = {V}, H = {H})"
            h_ref = rnn_step(x_t, h_prev, W_ih, W_hh, b)  # the course's step, with b in b_ih
            p_ref = _softmax(h_ref @ W_hy.T + b_y)
            h_t = as_array(result[0], "rnn_cell_forward's h_t", shape=h_ref.shape, meaning="(B, H)")
            p_t = as_array(result[1], "rnn_cell_forward's p_t", shape=p_ref.shape, meaning="(B, V)")
            if not np.allclose(h_t, h_ref, atol=1e-10):
                if np.allclose(h_t, np.tanh(x_t @ W_ih.T + h_prev @ W_hh + b)):
                    raise Incorrect("W_hh is applied untransposed: for row vectors W_hh h_{t-1} is `h_prev @ W_hh.T`.")
                expect_close(f"h_t for {case}", h_t, h_ref, atol=1e-10, rtol=1e-8)
            if not np.allclose(p_t.sum(axis=-1), 1.0):
                raise Incorrect(f"For {case} the rows of p_t do not sum to 1: take the softmax over the last axis, "
                                "one distribution per row.")
            if np.allclose(p_t, _softmax(h_prev @ W_hy.T + b_y)):
                raise Incorrect("p_t is predicted from h_prev; the prediction comes from the NEW state h_t.")
            expect_close(f"p_t for {case}", p_t, p_ref, atol=1e-10, rtol=1e-8)


class LMParameterCount(Exercise):
    title = "Exercise 2: the parameters of a character language model"
    hints = (
        "Count torch's tensors layer by layer: layer 0 reads the one-hot input (V features), every later layer "
        "reads the layer below it (H features); each layer has W_ih, W_hh and two biases.",
        "Layer 0: H·V + H·H + 2H; each of the other num_layers - 1 layers: H·H + H·H + 2H. The read-out "
        "nn.Linear(H, V) adds V·H weights and V biases. The sequence length appears nowhere.",
    )
    solution_code = """
def lm_param_count(vocab_size, hidden_size, num_layers):
    V, H, L = vocab_size, hidden_size, num_layers
    first = H * V + H * H + 2 * H                  # layer 0 reads the one-hot input
    later = (L - 1) * (H * H + H * H + 2 * H)      # the others read the layer below: H inputs
    readout = V * H + V                            # nn.Linear(H, V)
    return first + later + readout
"""
    mistakes = (
        """
def lm_param_count(vocab_size, hidden_size, num_layers):
    V, H, L = vocab_size, hidden_size, num_layers
    return L * (H * V + H * H + 2 * H) + V * H + V  # every layer reads V inputs
""",
        """
def lm_param_count(vocab_size, hidden_size, num_layers):
    V, H, L = vocab_size, hidden_size, num_layers
    return H * V + H * H + 2 * H + (L - 1) * (2 * H * H + 2 * H)   # the read-out forgotten
""",
        """
def lm_param_count(vocab_size, hidden_size, num_layers):
    V, H, L = vocab_size, hidden_size, num_layers
    return H * V + H * H + H + (L - 1) * (2 * H * H + H) + V * H + V   # one bias per layer
""",
    )

    @staticmethod
    def _torch_count(V: int, H: int, L: int) -> int:
        from rnn_helpers.models import CharLM, count_parameters

        return count_parameters(CharLM(V, H, cell="rnn", num_layers=L))

    def _check(self, count) -> None:
        expect_callable(count)
        for V, H, L in ((27, 64, 1), (5, 3, 2), (2, 1, 1), (65, 128, 3)):
            got = count(V, H, L)
            if is_blank(got):
                raise NotAttempted("lm_param_count still returns ____.")
            if isinstance(got, bool) or not isinstance(got, int | np.integer):
                raise Incorrect(f"lm_param_count({V}, {H}, {L}) should return an integer; yours returned {got!r}.")
            expected = self._torch_count(V, H, L)  # torch is the reference
            call = f"lm_param_count({V}, {H}, {L}) = {got}"
            if got == expected - V * H - V:
                raise Incorrect(f"{call} leaves out the read-out nn.Linear(H, V) that turns h_t into logits.")
            if L > 1 and got == expected + (L - 1) * H * (V - H):
                raise Incorrect(f"{call} lets every layer read the V inputs; only layer 0 does, the others read the "
                                "H states of the layer below.")
            if got == expected - L * H:
                raise Incorrect(f"{call} counts one bias per layer; torch keeps two, b_ih and b_hh.")
            if got != expected:
                side = "too many" if got > expected else "too few"
                raise Incorrect(f"{call} is {side}: count each tensor of each layer by its shape, then the read-out.")


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


# ------------------------------------------------------------------------------------------ the assignment
# A character RNN with a softmax read-out, in numpy, forward and backward over time (in the manner of CS231n's
# assignment 3 and min-char-rnn). The parameters are a dict with the chapter's symbols:
#   W_ih (H, V), W_hh (H, H), b (H,), W_hy (V, H), b_y (V,)
# x is (B, T, V) (one-hot characters, or any input of width V), h0 (B, H), targets (B, T) ints in [0, V).
# The loss is the mean cross-entropy over all B·T positions.
PARAM_NAMES = ("W_ih", "W_hh", "b", "W_hy", "b_y")
GRAD_NAMES = (*PARAM_NAMES, "x", "h0")


def assignment_problem(B: int = 2, T: int = 5, V: int = 4, H: int = 3, seed: int = 0):
    """A small random problem for the assignment: ``(x, targets, h0, params)`` in float64, with x one-hot
    (B, T, V), targets (B, T), h0 (B, H) and the parameter dict (``PARAM_NAMES``). Introduced in 03."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, V, size=(B, T))
    x = np.eye(V)[ids]  # (B, T, V)
    targets = rng.integers(0, V, size=(B, T))
    h0 = 0.5 * rng.standard_normal((B, H))
    params = {
        "W_ih": 0.8 * rng.standard_normal((H, V)), "W_hh": 0.8 * rng.standard_normal((H, H)),
        "b": 0.3 * rng.standard_normal(H), "W_hy": 0.8 * rng.standard_normal((V, H)),
        "b_y": 0.3 * rng.standard_normal(V),
    }  # fmt: skip
    return x, targets, h0, params


def params_from_char_lm(model) -> dict:
    """The parameters of a trained ``models.CharLM`` with ``cell="rnn"`` as the assignment's numpy dict
    (float64; the two biases of ``torch.nn.RNN`` summed into ``b``). Introduced in 03."""
    rnn, head = model.rnn, model.head
    if not isinstance(rnn, torch.nn.RNN) or rnn.num_layers != 1:
        raise ValueError("params_from_char_lm needs a CharLM built with cell='rnn' and one layer")

    def arr(t):
        return t.detach().double().numpy().copy()

    b = arr(rnn.bias_ih_l0) + arr(rnn.bias_hh_l0)  # only the sum matters
    return {"W_ih": arr(rnn.weight_ih_l0), "W_hh": arr(rnn.weight_hh_l0), "b": b, "W_hy": arr(head.weight),
            "b_y": arr(head.bias)}


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _torch_reference(x, targets, h0, params):
    """Forward and gradients by torch autograd (float64): (h, logits, loss, grads)."""
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    xt, h0t = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
    h, states = h0t, []
    for step in range(x.shape[1]):
        h = torch.tanh(xt[:, step] @ t["W_ih"].T + h @ t["W_hh"].T + t["b"])  # (B, H)
        states.append(h)
    hs = torch.stack(states, dim=1)  # (B, T, H)
    logits = hs @ t["W_hy"].T + t["b_y"]  # (B, T, V)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.as_tensor(targets).reshape(-1))
    loss.backward()
    grads = {k: v.grad.numpy() for k, v in t.items()}
    grads.update(x=xt.grad.numpy(), h0=h0t.grad.numpy())
    return hs.detach().numpy(), logits.detach().numpy(), float(loss), grads


def _variant_grads(x, targets, h0, params, *, recurrence=True, mean=True, only_step=None, through_tanh=True):
    """Gradients of the typical mistakes (the recursion cut, a sum instead of the mean, only the last step of
    each weight's sum, the tanh derivative left out), to name them in a message."""
    B, T, _ = x.shape
    W_ih, W_hh, W_hy = params["W_ih"], params["W_hh"], params["W_hy"]
    hs, h = [], h0
    for t in range(T):
        h = np.tanh(x[:, t] @ W_ih.T + h @ W_hh.T + params["b"])
        hs.append(h)
    hs = np.stack(hs, axis=1)  # (B, T, H)
    p = _softmax(hs @ W_hy.T + params["b_y"])  # (B, T, V)
    d_logits = p.copy()
    np.put_along_axis(d_logits, targets[..., None], np.take_along_axis(p, targets[..., None], -1) - 1, axis=-1)
    d_logits /= B * T if mean else 1
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    grads["W_hy"] = np.einsum("btv,bth->vh", d_logits, hs)
    grads["b_y"] = d_logits.sum(axis=(0, 1))
    grads["x"] = np.zeros_like(x)
    d_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        delta = d_logits[:, t] @ W_hy + (d_next if recurrence else 0)  # (B, H)
        g = delta * (1 - hs[:, t] ** 2) if through_tanh else delta
        h_prev = hs[:, t - 1] if t > 0 else h0
        if only_step is None or t == only_step:
            grads["W_ih"] += g.T @ x[:, t]
            grads["W_hh"] += g.T @ h_prev
            grads["b"] += g.sum(axis=0)
        grads["x"][:, t] = g @ W_ih
        d_next = g @ W_hh
    grads["h0"] = d_next
    return grads


def _as_grads(result, what: str) -> dict:
    if is_blank(result):
        raise NotAttempted(f"{what} still returns ____.")
    if not isinstance(result, tuple | list) or len(result) != 2 or not isinstance(result[1], dict):
        raise Incorrect(f"{what} should return a pair (loss, grads) with grads a dict; it returned "
                        f"{type(result).__name__}.")
    loss, grads = result
    if is_blank(loss) or is_blank(grads):
        raise NotAttempted(f"{what}: part of the result is still ____.")
    missing = [k for k in GRAD_NAMES if k not in grads]
    if missing:
        raise Incorrect(f"grads should have a gradient for every one of {list(GRAD_NAMES)}; missing: {missing}.")
    return loss, grads


_BACKWARD_CASES = ((2, 5, 4, 3, 0), (1, 1, 3, 2, 1), (3, 7, 5, 4, 2))


class RNNForward(Exercise):
    title = "Exercise 4 (assignment, part 1): the forward pass over time"
    write_it_yourself = (rnn_step, RNN)
    shapes = ("Here x is (B, T, V), h0 (B, H), W_ih (H, V), W_hh (H, H), b (H,), W_hy (V, H), b_y (V,); "
              "h_t is (B, H) at every step, and for row vectors W x is `x @ W.T`.")
    hints = (
        "Loop over t = 0 … T-1 with h = h0 to start: h = tanh(x[:, t] @ W_ih.T + h @ W_hh.T + b); keep every h "
        "in a list, then np.stack(states, axis=1) gives (B, T, H).",
        "The read-out is one matrix product for all steps at once: logits = h @ W_hy.T + b_y, (B, T, V).",
    )
    solution_code = """
import numpy as np

def rnn_forward(x, h0, params):
    # x (B, T, V), h0 (B, H) -> every state h (B, T, H) and the logits (B, T, V)
    W_ih, W_hh, b = params["W_ih"], params["W_hh"], params["b"]
    h, states = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W_ih.T + h @ W_hh.T + b)    # h_t = tanh(W_ih x_t + W_hh h_{t-1} + b)   (B, H)
        states.append(h)
    h_all = np.stack(states, axis=1)                        # (B, T, H)
    logits = h_all @ params["W_hy"].T + params["b_y"]       # W_hy h_t + b_y                          (B, T, V)
    return h_all, logits
"""
    mistakes = (
        """
import numpy as np

def rnn_forward(x, h0, params):
    h, states = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ params["W_ih"].T + h0 @ params["W_hh"].T + params["b"])   # always h0
        states.append(h)
    h_all = np.stack(states, axis=1)
    return h_all, h_all @ params["W_hy"].T + params["b_y"]
""",
        """
import numpy as np

def rnn_forward(x, h0, params):
    h, states = h0, []
    for t in range(x.shape[1]):
        states.append(h)                                  # the state BEFORE the step: off by one
        h = np.tanh(x[:, t] @ params["W_ih"].T + h @ params["W_hh"].T + params["b"])
    h_all = np.stack(states, axis=1)
    return h_all, h_all @ params["W_hy"].T + params["b_y"]
""",
        """
import numpy as np

def rnn_forward(x, h0, params):
    h, states = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ params["W_ih"].T + h @ params["W_hh"].T + params["b"])
        states.append(h)
    h_all = np.stack(states, axis=0)                      # time first: (T, B, H)
    return h_all, h_all @ params["W_hy"].T + params["b_y"]
""",
        """
import numpy as np

def rnn_forward(x, h0, params):
    h, states = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ params["W_ih"].T + h @ params["W_hh"].T + params["b"])
        states.append(h)
    h_all = np.stack(states, axis=1)
    logits = h_all @ params["W_hy"].T + params["b_y"]
    return h_all, np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)   # probabilities, not logits
""",
    )

    def _check(self, rnn_forward) -> None:
        expect_callable(rnn_forward)
        for B, T, V, H, seed in _BACKWARD_CASES:
            x, targets, h0, params = assignment_problem(B, T, V, H, seed)
            result = rnn_forward(x.copy(), h0.copy(), {k: v.copy() for k, v in params.items()})
            if is_blank(result):
                raise NotAttempted("rnn_forward still returns ____.")
            if not isinstance(result, tuple | list) or len(result) != 2:
                raise Incorrect(f"rnn_forward should return a pair (h, logits); it returned {type(result).__name__}.")
            h_ref, logits_ref, _, _ = _torch_reference(x, targets, h0, params)
            case = f"(B = {B}, T = {T}, V = {V}, H = {H})"
            h = as_array(result[0], "rnn_forward's h", shape=h_ref.shape, meaning="(B, T, H)")
            logits = as_array(result[1], "rnn_forward's logits", shape=logits_ref.shape, meaning="(B, T, V)")
            if T > 1 and np.allclose(h[:, 1:], h_ref[:, :-1]) and np.allclose(h[:, 0], h0):
                raise Incorrect(f"For {case} your h[:, t] is the state before step t: keep h_t, the state AFTER "
                                "reading x_t (h[:, 0] is h_1, not h0).")
            if T > 1 and not np.allclose(h, h_ref):
                first = np.tanh(x[:, 1] @ params["W_ih"].T + h0 @ params["W_hh"].T + params["b"])
                if np.allclose(h[:, 1], first):
                    raise Incorrect(f"For {case} every step starts from h0: feed each step the state the previous "
                                    "step produced.")
            expect_close(f"h for {case}", h, h_ref, atol=1e-9, rtol=1e-7)
            if np.allclose(logits, _softmax(logits_ref), atol=1e-9):
                raise Incorrect("You returned probabilities; return the logits W_hy h_t + b_y (the softmax belongs "
                                "to the loss).")
            expect_close(f"logits for {case}", logits, logits_ref, atol=1e-9, rtol=1e-7)


def _uses_autograd(f) -> bool:
    """True when the learner's function asks torch for gradients (``.backward()``, ``requires_grad``,
    ``torch.autograd``) anywhere in its code."""
    import inspect

    code = getattr(inspect.unwrap(f), "__code__", None)
    if code is None:
        return False
    names, stack = set(), [code]
    while stack:
        c = stack.pop()
        names |= set(c.co_names) | {k for k in c.co_consts if isinstance(k, str)}
        names |= {n for k in c.co_consts if isinstance(k, tuple) for n in k if isinstance(n, str)}  # keyword names
        stack += [k for k in c.co_consts if hasattr(k, "co_names")]
    return bool({"requires_grad", "requires_grad_", "autograd", "backward"} & names)


class RNNBackward(Exercise):
    title = "Exercise 5 (assignment, part 2): rnn_backward over T"
    write_it_yourself = (rnn_step_backward, rnn_step, RNN)
    shapes = ("Here x is (B, T, V), h0 (B, H), targets (B, T); every gradient has the shape of what it is the "
              "gradient of (grads['W_hh'] is (H, H), grads['x'] is (B, T, V)); for row vectors the step back through "
              "a = h @ W.T is `g @ W`.")
    hints = (
        "Forward first and keep every h_t. The loss is the mean over B·T positions, so ∂L/∂logits = (p - onehot) "
        "/ (B·T), with p = softmax(logits). Then ∂L/∂W_hy = Σ_t (∂L/∂logits_t)ᵀ h_t and ∂L/∂b_y = Σ over B and T.",
        "Backwards in time, from t = T-1 down to 0, carrying d_next = ∂L/∂h_t from the future (zero at the end): "
        "δ_t = ∂L/∂logits_t @ W_hy + d_next; g = δ_t ⊙ (1 - h_t²); then W_ih += gᵀ x_t, W_hh += gᵀ h_{t-1} "
        "(h0 at t = 0), b += Σ_B g, ∂L/∂x_t = g @ W_ih, and d_next = g @ W_hh, which ends as ∂L/∂h0.",
    )
    solution_code = """
import numpy as np

def rnn_backward(x, targets, h0, params):
    # forward, keeping every state
    B, T, V = x.shape
    W_ih, W_hh, W_hy = params["W_ih"], params["W_hh"], params["W_hy"]
    h, states = h0, []
    for t in range(T):
        h = np.tanh(x[:, t] @ W_ih.T + h @ W_hh.T + params["b"])           # (B, H)
        states.append(h)
    hs = np.stack(states, axis=1)                                          # (B, T, H)
    logits = hs @ W_hy.T + params["b_y"]                                   # (B, T, V)
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    b_idx, t_idx = np.meshgrid(np.arange(B), np.arange(T), indexing="ij")
    loss = -np.log(p[b_idx, t_idx, targets]).mean()                        # mean over the B·T positions
    # backward: the read-out, at every step at once
    d_logits = p.copy()
    d_logits[b_idx, t_idx, targets] -= 1
    d_logits /= B * T                                                      # ∂L/∂logits           (B, T, V)
    grads = {"W_hy": np.einsum("btv,bth->vh", d_logits, hs), "b_y": d_logits.sum(axis=(0, 1)),
             "W_ih": np.zeros_like(W_ih), "W_hh": np.zeros_like(W_hh), "b": np.zeros_like(params["b"]),
             "x": np.zeros_like(x)}
    # backward through time: δ_t = ∂ℓ_t/∂h_t + (what comes back from h_{t+1})
    d_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        delta = d_logits[:, t] @ W_hy + d_next                               # (B, H)
        g = delta * (1 - hs[:, t] ** 2)                                      # through the tanh
        h_prev = hs[:, t - 1] if t > 0 else h0
        grads["W_ih"] += g.T @ x[:, t]                                       # shared weights: sum over time
        grads["W_hh"] += g.T @ h_prev
        grads["b"] += g.sum(axis=0)
        grads["x"][:, t] = g @ W_ih
        d_next = g @ W_hh                                                    # on to h_{t-1}
    grads["h0"] = d_next
    return loss, grads
"""
    mistakes = (
        solution_code.replace("delta = d_logits[:, t] @ W_hy + d_next", "delta = d_logits[:, t] @ W_hy"),
        solution_code.replace("d_logits /= B * T", "d_logits /= 1"),
        solution_code.replace("g = delta * (1 - hs[:, t] ** 2)", "g = delta"),
        solution_code.replace("grads[\"W_hh\"] += g.T @ h_prev", "grads[\"W_hh\"] = g.T @ h_prev"),
        solution_code.replace("h_prev = hs[:, t - 1] if t > 0 else h0", "h_prev = hs[:, t]"),
        """
import torch

def rnn_backward(x, targets, h0, params):
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}   # autograd does the work
    xt, h0t = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
    h, states = h0t, []
    for s in range(x.shape[1]):
        h = torch.tanh(xt[:, s] @ t["W_ih"].T + h @ t["W_hh"].T + t["b"])
        states.append(h)
    logits = torch.stack(states, 1) @ t["W_hy"].T + t["b_y"]
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.tensor(targets).reshape(-1))
    loss.backward()
    grads = {k: v.grad.numpy() for k, v in t.items()}
    grads.update(x=xt.grad.numpy(), h0=h0t.grad.numpy())
    return loss.item(), grads
""",
    )

    def _check(self, rnn_backward) -> None:
        expect_callable(rnn_backward)
        if _uses_autograd(rnn_backward):
            raise Incorrect("Your rnn_backward asks torch's autograd for the gradients. This exercise asks you to "
                            "write backpropagation through time yourself, in numpy.")
        for B, T, V, H, seed in _BACKWARD_CASES:
            x, targets, h0, params = assignment_problem(B, T, V, H, seed)
            loss, grads = _as_grads(rnn_backward(x.copy(), targets.copy(), h0.copy(),
                                                 {k: v.copy() for k, v in params.items()}), "rnn_backward")
            _, _, loss_ref, grads_ref = _torch_reference(x, targets, h0, params)
            case = f"(B = {B}, T = {T}, V = {V}, H = {H})"
            try:
                loss = float(loss)
            except (TypeError, ValueError) as err:
                raise Incorrect(f"The loss should be a number; yours is {type(loss).__name__}.") from err
            if np.isclose(loss, loss_ref * B * T) and B * T > 1:
                raise Incorrect(f"For {case} your loss is the sum over the B·T positions; the loss is their mean.")
            expect_close(f"the loss for {case}", loss, loss_ref, atol=1e-9, rtol=1e-7)
            for key in GRAD_NAMES:
                got = as_array(grads[key], f"grads[{key!r}]", shape=grads_ref[key].shape)
                if np.allclose(got, grads_ref[key], atol=1e-9, rtol=1e-7):
                    continue
                self._name_the_mistake(key, got, x, targets, h0, params, case)
                expect_close(f"grads[{key!r}] for {case}", got, grads_ref[key], atol=1e-9, rtol=1e-7)

    @staticmethod
    def _name_the_mistake(key, got, x, targets, h0, params, case) -> None:
        T = x.shape[1]
        variants = (
            (dict(mean=False), "is B·T times too large: the loss is the MEAN over positions, so ∂L/∂logits = "
                               "(p - onehot) / (B·T)."),
            (dict(recurrence=False), "leaves out what flows back from the future: δ_t = ∂ℓ_t/∂h_t PLUS the "
                                     "gradient coming back through h_{t+1}."),
            (dict(through_tanh=False), "skips the tanh: multiply δ_t by 1 - h_t² before the weights."),
            (dict(only_step=T - 1), "keeps only one step: a shared weight's gradient is the SUM of every "
                                    "step's contribution."),
            (dict(only_step=0), "keeps only one step: a shared weight's gradient is the SUM of every step's "
                                "contribution (`+=`, not `=`)."),
        )
        for kwargs, why in variants:
            if T == 1 and ("recurrence" in kwargs or "only_step" in kwargs):
                continue
            wrong = _variant_grads(x, targets, h0, params, **kwargs)[key]
            if np.allclose(got, wrong, atol=1e-9, rtol=1e-7):
                raise Incorrect(f"grads[{key!r}] for {case} {why}")


class GradientCheck(Exercise):
    title = "Exercise 6 (assignment, part 3): your own gradient check"
    hints = (
        "For each parameter and each entry i of it: save the value, set it to value + eps and compute the loss, "
        "set it to value - eps and compute the loss, put the value back. The centred difference "
        "(L⁺ - L⁻) / (2 eps) estimates ∂L/∂θ_i.",
        "The relative error of two arrays a (analytic) and n (numerical) is max |a - n| / max(|a| + |n|, tiny); "
        "compute the loss with backward(...)[0], so the loss you differentiate is the one backward returns.",
    )
    solution_code = """
import numpy as np

def gradient_check(backward, x, targets, h0, params, eps=1e-5):
    # {name: relative error between backward's gradient and centred finite differences}, for every parameter
    _, analytic = backward(x, targets, h0, params)
    errors = {}
    for name, theta in params.items():
        numerical = np.zeros_like(theta)
        for i in np.ndindex(theta.shape):
            saved = theta[i]
            theta[i] = saved + eps
            plus = backward(x, targets, h0, params)[0]
            theta[i] = saved - eps
            minus = backward(x, targets, h0, params)[0]
            theta[i] = saved                                     # put it back
            numerical[i] = (plus - minus) / (2 * eps)
        a = analytic[name]
        errors[name] = np.abs(a - numerical).max() / max(np.abs(a).max() + np.abs(numerical).max(), 1e-12)
    return errors
"""
    mistakes = (
        solution_code.replace("numerical[i] = (plus - minus) / (2 * eps)", "numerical[i] = (plus - minus) / eps"),
        solution_code.replace("            theta[i] = saved                                     # put it back\n", ""),
        """
def gradient_check(backward, x, targets, h0, params, eps=1e-5):
    _, analytic = backward(x, targets, h0, params)
    return {name: 0.0 for name in params}          # checks nothing
""",
    )

    def _check(self, gradient_check) -> None:
        expect_callable(gradient_check)
        from rnn_helpers import gradcheck

        if calls_helper(gradient_check, gradcheck.numerical_gradient) or calls_helper(gradient_check,
                                                                                      gradcheck.check_gradients):
            raise Incorrect("Your gradient check uses the course's gradcheck module; write the finite differences "
                            "yourself (a loop over the entries of each parameter).")
        x, targets, h0, params = assignment_problem(2, 4, 3, 3, seed=5)
        right = answer_from_code(RNNBackward.solution_code, "<reference backward>")
        bugs = (("correct", None, None),
                ("no recurrence", "delta = d_logits[:, t] @ W_hy + d_next", "delta = d_logits[:, t] @ W_hy"),
                ("no tanh", "g = delta * (1 - hs[:, t] ** 2)", "g = delta"))
        for name, line, bug in bugs:
            backward = right if bug is None else answer_from_code(
                RNNBackward.solution_code.replace(line, bug), f"<backward with a bug: {name}>")
            before = {k: v.copy() for k, v in params.items()}
            errors = gradient_check(backward, x.copy(), targets.copy(), h0.copy(), params)
            if is_blank(errors):
                raise NotAttempted("gradient_check still returns ____.")
            if not isinstance(errors, dict) or set(errors) != set(params):
                raise Incorrect(f"Return a dict with one relative error per parameter, keys {sorted(params)}.")
            for k in params:
                if not np.allclose(params[k], before[k], atol=0, rtol=0):
                    params.update({key: value.copy() for key, value in before.items()})
                    raise Incorrect("Your check leaves the parameters changed: put every entry back after "
                                    "perturbing it, or every later loss is computed at the wrong point.")
            worst = max(float(e) for e in errors.values())
            if bug is None and worst > 1e-6:
                raise Incorrect(f"On a correct backward pass your largest relative error is {worst:.1e}; it should "
                                "be tiny (below 1e-6). Use centred differences, (L(θ+ε) - L(θ-ε)) / 2ε.")
            if bug is not None and worst < 1e-3:
                raise Incorrect(f"A backward pass with a bug ({name}) passes your check (largest relative error "
                                f"{worst:.1e}): your check must compare against numbers computed from the loss.")


class SampleNames(Exercise):
    title = "Exercise 7 (assignment, part 4): generate names from a trained model"
    hints = (
        "Start from h = 0 (1, H) and the boundary character as the first input. Each step: one-hot the current "
        "character (1, V), h = tanh(x @ W_ih.T + h @ W_hh.T + b), logits = h @ W_hy.T + b_y, "
        "p = softmax(logits / temperature).",
        "Draw the next id with rng.choice(V, p=p[0]); stop when it is the boundary (do not include it) or after "
        "max_len characters; otherwise append it and feed it back as the next input, keeping h.",
    )
    solution_code = """
import numpy as np

def sample_name(params, boundary, temperature, rng, max_len=14):
    V, H = params["W_hy"].shape
    h, current, name = np.zeros((1, H)), boundary, []
    while len(name) < max_len:
        x = np.eye(V)[[current]]                                                  # (1, V) one-hot
        h = np.tanh(x @ params["W_ih"].T + h @ params["W_hh"].T + params["b"])   # the state carries the name so far
        z = (h @ params["W_hy"].T + params["b_y"])[0] / temperature
        p = np.exp(z - z.max())
        p /= p.sum()
        current = int(rng.choice(V, p=p))                                         # draw, do not take the argmax
        if current == boundary:
            break
        name.append(current)
    return name
"""
    mistakes = (
        solution_code.replace("current = int(rng.choice(V, p=p))", "current = int(np.argmax(p))"),
        solution_code.replace('h = np.tanh(x @ params["W_ih"].T + h @ params["W_hh"].T + params["b"])',
                              'h = np.tanh(x @ params["W_ih"].T + params["b"])'),
        solution_code.replace("x = np.eye(V)[[current]]", "x = np.eye(V)[[boundary]]"),
        solution_code.replace('z = (h @ params["W_hy"].T + params["b_y"])[0] / temperature',
                              'z = (h @ params["W_hy"].T + params["b_y"])[0] * temperature'),
    )

    @staticmethod
    def _first_probabilities(params, boundary, temperature):
        V, H = params["W_hy"].shape
        h = np.tanh(np.eye(V)[[boundary]] @ params["W_ih"].T + params["b"])  # h0 = 0
        return _softmax((h @ params["W_hy"].T + params["b_y"])[0] / temperature)

    @staticmethod
    def _greedy(params, boundary, max_len, carry_state=True, feed_back=True):
        V, H = params["W_hy"].shape
        h, current, name = np.zeros((1, H)), boundary, []
        while len(name) < max_len:
            x = np.eye(V)[[current if feed_back else boundary]]
            h = np.tanh(x @ params["W_ih"].T + (h @ params["W_hh"].T if carry_state else 0) + params["b"])
            current = int(np.argmax(h @ params["W_hy"].T + params["b_y"]))
            if current == boundary:
                break
            name.append(current)
        return name

    def _names(self, sample_name, params, boundary, temperature, rng, max_len):
        got = sample_name({k: v.copy() for k, v in params.items()}, boundary, temperature, rng, max_len)
        if is_blank(got):
            raise NotAttempted("sample_name still returns ____.")
        try:
            ids = [int(i) for i in got]
        except (TypeError, ValueError) as err:
            raise Incorrect(f"sample_name should return a list of character ids; it returned {type(got).__name__}."
                            ) from err
        if len(ids) > max_len:
            raise Incorrect(f"With max_len = {max_len} your name has {len(ids)} characters: stop after max_len.")
        if boundary in ids:
            raise Incorrect("Your name contains the boundary character: stop when you draw it, and leave it out.")
        return ids

    def _check(self, sample_name) -> None:
        expect_callable(sample_name)
        boundary = 0
        # the first character's frequencies over many names match softmax(logits / temperature), on a model
        # whose first character is uncertain
        rng = np.random.default_rng(1)
        spread = {k: 0.5 * v for k, v in assignment_problem(1, 1, 5, 4, seed=12)[3].items()}
        n = 3000
        for temperature in (1.0, 2.0):
            p = self._first_probabilities(spread, boundary, temperature)
            counts = np.zeros(len(p))
            for _ in range(n):
                ids = self._names(sample_name, spread, boundary, temperature, rng, 1)
                counts[ids[0] if ids else boundary] += 1
            freq = counts / n
            if np.max(freq) == 1.0 and np.max(p) < 0.99:
                raise Incorrect(f"At temperature {temperature} every name starts with the same character: DRAW the "
                                "next character from p (rng.choice(V, p=p)), do not take the most likely one.")
            if np.any(np.abs(freq - p) > 4 * np.sqrt(p * (1 - p) / n) + 0.01):
                sharper = _softmax(np.log(p) * temperature**2)
                if temperature != 1.0 and np.all(np.abs(freq - sharper) <= 4 * np.sqrt(sharper * (1 - sharper) / n)
                                                 + 0.01):  # fmt: skip
                    raise Incorrect(f"At temperature {temperature} your names are too predictable: divide the logits "
                                    "by the temperature (a temperature above 1 flattens the distribution).")
                raise Incorrect(f"At temperature {temperature} the first characters of your names do not follow "
                                "softmax(logits / temperature): check the softmax and what you draw from.")
        # at a temperature near 0 the name is the greedy one, which needs the state AND the feedback
        params, greedy, no_state, no_feedback = self._model()
        got = self._names(sample_name, params, boundary, 1e-4, np.random.default_rng(0), 8)
        if got != greedy:
            if got == no_state:
                raise Incorrect("At a temperature near 0 your names follow the input alone: carry the hidden state "
                                "from step to step (h @ W_hh.T), so each choice depends on the whole name so far.")
            if got == no_feedback:
                raise Incorrect("At a temperature near 0 your names ignore what was drawn: feed each sampled "
                                "character back in as the next input.")
            raise Incorrect("At a temperature near 0 sampling should pick the most likely character at every step; "
                            "yours does not follow the model (check the order: input, state, logits, softmax).")

    def _model(self):
        """A model with strong, history-dependent transitions: its greedy name needs the state and the feedback."""
        rng = np.random.default_rng(11)
        V, H = 6, 8
        while True:
            params = {"W_ih": 3 * rng.standard_normal((H, V)), "W_hh": 2 * rng.standard_normal((H, H)),
                      "b": rng.standard_normal(H), "W_hy": 3 * rng.standard_normal((V, H)),
                      "b_y": rng.standard_normal(V)}  # fmt: skip
            greedy = self._greedy(params, 0, 8)
            no_state = self._greedy(params, 0, 8, carry_state=False)
            no_feedback = self._greedy(params, 0, 8, feed_back=False)
            if len(greedy) >= 4 and greedy != no_state and greedy != no_feedback:
                return params, greedy, no_state, no_feedback


class SequentialPartition(Exercise):
    title = "Exercise 8: sequential partitioning of a long text"
    write_it_yourself = (sequential_batches, stream_rows)
    shapes = ("ids is a 1-D array (N,); X and Y are (K, B, L): batch k is X[k], one row per stretch, "
              "num_steps = L tokens per row.")
    hints = (
        "Two steps: first lay the text out as batch_size contiguous stretches, an array (B, n) whose row i is "
        "one stretch (n = len(ids) // batch_size, the rest dropped); then cut every row into chunks of L.",
        "Batch k takes columns k·L to (k+1)·L of that (B, n) array, and its targets the same columns shifted by "
        "one. The last target needs the token after the last input, so only (n - 1) // L batches fit.",
    )
    solution_code = """
import numpy as np

def sequential_partition(ids, batch_size, num_steps):
    n = len(ids) // batch_size                              # tokens per stretch
    rows = ids[: batch_size * n].reshape(batch_size, n)     # (B, n): row i is one contiguous stretch
    K = (n - 1) // num_steps                                # the last target is one token further on
    X = np.stack([rows[:, k * num_steps : (k + 1) * num_steps] for k in range(K)])          # (K, B, L)
    Y = np.stack([rows[:, k * num_steps + 1 : (k + 1) * num_steps + 1] for k in range(K)])  # (K, B, L)
    return X, Y
"""
    mistakes = (
        # consecutive chunks of the text fill one batch, row after row
        """
import numpy as np

def sequential_partition(ids, batch_size, num_steps):
    K = (len(ids) - 1) // (batch_size * num_steps)
    X = ids[: K * batch_size * num_steps].reshape(K, batch_size, num_steps)
    Y = ids[1 : K * batch_size * num_steps + 1].reshape(K, batch_size, num_steps)
    return X, Y
""",
        # slip: the stretches interleaved, a reshape in the wrong order
        mutate(solution_code, "rows = ids[: batch_size * n].reshape(batch_size, n)",
               "rows = ids[: batch_size * n].reshape(n, batch_size).T"),
        # slip: the targets not shifted
        mutate(solution_code, "rows[:, k * num_steps + 1 : (k + 1) * num_steps + 1]",
               "rows[:, k * num_steps : (k + 1) * num_steps]"),
        # slip: the batch axis second (both stacks along axis 1)
        mutate(mutate(solution_code, "for k in range(K)])          # (K, B, L)", "for k in range(K)], axis=1)"),
               "for k in range(K)])  # (K, B, L)", "for k in range(K)], axis=1)"),
    )

    @staticmethod
    def _cases():
        rng = np.random.default_rng(0)
        # (ids, B, L): token = position first (the arithmetic can be read off), then real-looking ids
        return [(np.arange(103), 3, 4), (np.arange(50), 2, 5), (rng.integers(0, 27, 200), 4, 6)]

    def _check(self, f) -> None:
        expect_callable(f)
        for ids, B, L in self._cases():
            got = call_learner(f, ids.copy(), B, L)
            if not isinstance(got, tuple | list) or len(got) != 2:
                raise Incorrect("sequential_partition should return a pair (X, Y).")
            X = as_array(got[0], "sequential_partition's X")
            Y = as_array(got[1], "sequential_partition's Y")
            want_X, want_Y = sequential_batches(ids, B, L)
            K = len(want_X)
            positions = np.array_equal(ids, np.arange(len(ids)))
            call = f"sequential_partition(ids of {len(ids)} tokens, batch_size={B}, num_steps={L})"
            if X.shape == (B, K, L) and X.shape != want_X.shape:
                raise Incorrect(f"{call}: your X is (B, K, L); the batch index comes first, (K, B, L), so that X[k] "
                                "is batch k.")
            if X.ndim == 3 and X.shape[1:] == (B, L) and len(X) != K:
                side = "many" if len(X) > K else "few"
                raise Incorrect(f"{call} gives too {side} batches: each stretch holds len(ids) // batch_size tokens, "
                                "and the last target needs the token after the last input.")
            expect_shape("X", X, want_X.shape, "(K, B, L)")
            expect_shape("Y", Y, want_Y.shape, "(K, B, L)")
            if not np.array_equal(X, want_X):
                if positions and np.all(np.diff(X, axis=2) == 1) and np.all(X[:, 1:, 0] == X[:, :-1, -1] + 1):
                    raise Incorrect(f"{call}: the rows of one batch of yours are consecutive chunks of the text, so "
                                    "row i of batch k + 1 does not continue row i of batch k. Give every row its own "
                                    "contiguous stretch of the text first.")
                if positions and np.all(np.diff(X, axis=2) == B):
                    raise Incorrect(f"{call}: along a row of yours the tokens jump by batch_size: the stretches are "
                                    "interleaved. Each row should be one contiguous stretch (check the order of the "
                                    "reshape).")
                if positions:
                    raise Incorrect(f"{call}: X[k, i] should be chunk k of stretch i, and row i of batch k + 1 "
                                    "should start where row i of batch k ended.")
                raise Incorrect(f"{call}: right on positions, wrong on ids: index the ids you are given, do not "
                                "build the positions.")
            if not np.array_equal(Y, want_Y):
                if np.array_equal(Y, X):
                    raise Incorrect(f"{call}: Y equals X. The target of every token is the token after it.")
                raise Incorrect(f"{call}: X is right; Y should be X shifted one token ahead, within the same row.")


ex1 = CellForward()
ex2 = LMParameterCount()
ex3 = SoftmaxTemperature()
ex4 = RNNForward()
ex5 = RNNBackward()
ex6 = GradientCheck()
ex7 = SampleNames()
ex8 = SequentialPartition()

# the blank comes with the exercises: `from rnn_helpers.exercises.nb03 import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5", "ex6", "ex7", "ex8", "assignment_problem", "params_from_char_lm",
           "PARAM_NAMES", "GRAD_NAMES"]
