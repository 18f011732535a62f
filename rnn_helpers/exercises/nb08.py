"""Exercises of 08_rnns_vs_transformers.ipynb: attention by hand, the causal mask, what streaming costs, where
the constants put the crossover, and the assignment: attention's backward pass, checked against autograd.

Messages say in what way an answer is wrong (a missing factor, a transposed pair, the wrong axis), never what
the right value is."""

from __future__ import annotations

import numpy as np

from rnn_helpers import attention as course_attention
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


def _reference_attention(Q, K, V):
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    A = A / A.sum(axis=-1, keepdims=True)
    return A @ V


def _size_message(what: str, answer: float, expected: float) -> str:
    """How far a number is off, in words: the direction and the order of magnitude, never the value."""
    ratio = answer / expected if expected else float("inf")
    if ratio <= 0:
        return f"{what} should be a positive number."
    direction = "too large" if ratio > 1 else "too small"
    factor = max(ratio, 1 / ratio)
    size = "by more than a factor of 10" if factor > 10 else "by less than a factor of 10"
    return f"{what} is {direction}, {size}. Recount factor by factor."


class ScaledDotProductAttention(Exercise):
    title = "Exercise 1: scaled dot-product attention"
    write_it_yourself = (course_attention.scaled_dot_product_attention, course_attention.MultiHeadSelfAttention)
    hints = (
        "Scores first: S = Q Kᵀ / √d_k, where d_k is the last dimension of Q. `np.swapaxes(K, -1, -2)` "
        "transposes the last two axes whatever the leading (batch) axes are.",
        "Softmax over the keys, that is the last axis of S, one row per query: subtract the row's maximum, "
        "exponentiate, divide by the row's sum. Then multiply by V.",
    )
    solution_code = """
import numpy as np

def attention(Q, K, V):
    d_k = Q.shape[-1]
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)          # (..., T_q, T_k)
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    A = A / A.sum(axis=-1, keepdims=True)                   # each row sums to 1
    return A @ V                                            # (..., T_q, d_v)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def attention(Q, K, V):
    S = Q @ np.swapaxes(K, -1, -2)             # not scaled by sqrt(d_k)
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    return A / A.sum(axis=-1, keepdims=True) @ V
""",
        """
import numpy as np

def attention(Q, K, V):
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    A = np.exp(S)
    return (A / A.sum(axis=-2, keepdims=True)) @ V      # softmax over the wrong axis
""",
    )

    def _check(self, attention) -> None:
        if not callable(attention):
            raise Incorrect(f"Give a function attention(Q, K, V); you gave {type(attention).__name__}.")
        refuse_names(attention, {"MultiheadAttention", "scaled_dot_product_attention"}, "write attention with numpy")
        rng = np.random.default_rng(0)
        cases = [  # (Q, K, V): unbatched, more keys than queries, batched with heads
            (rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))),
            (rng.normal(size=(2, 5)), rng.normal(size=(6, 5)), rng.normal(size=(6, 3))),
            (rng.normal(size=(2, 3, 4, 8)), rng.normal(size=(2, 3, 4, 8)), rng.normal(size=(2, 3, 4, 8))),
        ]
        for Q, K, V in cases:
            got = attention(Q.copy(), K.copy(), V.copy())
            if is_blank(got):
                raise NotAttempted("Your function still returns ____.")
            expected = _reference_attention(Q, K, V)
            got = np.asarray(got, dtype=float)
            if got.shape != expected.shape:
                raise Incorrect(
                    f"For Q {Q.shape}, K {K.shape}, V {V.shape} the output should have shape {expected.shape} "
                    f"(one row of width d_v per query), but yours has shape {got.shape}."
                )
            S = Q @ np.swapaxes(K, -1, -2)
            unscaled = np.exp(S - S.max(axis=-1, keepdims=True))
            unscaled = unscaled / unscaled.sum(axis=-1, keepdims=True) @ V
            if np.allclose(got, unscaled, atol=1e-8) and not np.allclose(got, expected, atol=1e-8):
                raise Incorrect("Close: you forgot to divide the scores by √d_k (the last dimension of Q).")
            Ac = np.exp(S / np.sqrt(Q.shape[-1]))
            by_column = (Ac / Ac.sum(axis=-2, keepdims=True)) @ V
            if np.allclose(got, by_column, atol=1e-8) and not np.allclose(got, expected, atol=1e-8):
                raise Incorrect("Your softmax normalises each column; it must normalise each row (axis=-1), so "
                                "that every query's weights over the keys sum to 1.")
            if not np.allclose(got, expected, atol=1e-8, rtol=1e-6):
                raise Incorrect(f"attention(Q, K, V) for Q of shape {Q.shape} differs from softmax(Q Kᵀ/√d_k) V; "
                                "check each of the three steps on a small case by hand.")


class CausalMask(Exercise):
    title = "Exercise 2: the causal mask"
    write_it_yourself = (course_attention.causal_mask, course_attention.scaled_dot_product_attention)
    hints = (
        "Entry [i, j] answers: may query i NOT look at key j? For a causal model the forbidden keys are the "
        "later ones, j > i.",
        "`np.triu(np.ones((T, T), dtype=bool), k=1)` keeps the entries strictly above the diagonal.",
    )
    solution_code = """
import numpy as np

def causal_mask(T):
    return np.triu(np.ones((T, T), dtype=bool), k=1)   # True where j > i: the future is hidden
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def causal_mask(T):
    return np.tril(np.ones((T, T), dtype=bool))   # inverted: True where a query MAY look
""",
        """
import numpy as np

def causal_mask(T):
    return np.triu(np.ones((T, T), dtype=bool))   # hides the diagonal too
""",
        """
import numpy as np

def causal_mask(T):
    return np.triu(np.ones((T, T)), k=1)          # floats, not booleans
""",
    )

    def _check(self, causal_mask) -> None:
        if not callable(causal_mask):
            raise Incorrect(f"Give a function causal_mask(T); you gave {type(causal_mask).__name__}.")
        for T in (5, 2, 1):
            got = causal_mask(T)
            if is_blank(got):
                raise NotAttempted("Your function still returns ____.")
            got = np.asarray(got)
            expected = np.triu(np.ones((T, T), dtype=bool), k=1)
            if got.shape != (T, T):
                raise Incorrect(f"causal_mask({T}) should have shape ({T}, {T}), but yours has shape {got.shape}.")
            if got.dtype != np.bool_:
                raise Incorrect(f"causal_mask({T}) should be a boolean array (True = hidden), but its dtype is "
                                f"{got.dtype}. Add dtype=bool.")
            if T > 1 and np.array_equal(got, ~expected):
                raise Incorrect("Your mask is inverted: True must mark what a query may NOT see (the convention "
                                "of torch's attn_mask), so True belongs above the diagonal.")
            if np.array_equal(got, np.triu(np.ones((T, T), dtype=bool), k=0)):
                raise Incorrect("Your mask also hides the diagonal: a position may look at itself (j = i).")
            if np.array_equal(got, np.tril(np.ones((T, T), dtype=bool), k=-1)) and T > 1:
                raise Incorrect("Your mask hides the past instead of the future: query i may see keys j <= i.")
            if not np.array_equal(got, expected):
                wrong = int((got != expected).sum())
                raise Incorrect(f"causal_mask({T}) has {wrong} wrong entr{'y' if wrong == 1 else 'ies'}: entry [i, j] "
                                "must be True exactly when key j comes after query i.")


class KVCacheBytes(Exercise):
    title = "Exercise 3: the size of a key-value cache"
    hints = (
        "For every token, every layer keeps one key vector and one value vector, each of width d_model.",
        "numbers = 2 (K and V) × layers × tokens × d_model; bytes = numbers × 2 for float16.",
    )
    solution_code = "answer = 2 * 12 * 1024 * 768 * 2   # K and V, 12 layers, 1024 tokens, width 768, 2 bytes each"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = 12 * 1024 * 768 * 2  # keys only',
        'answer = 2 * 12 * 1024 * 768 * 4  # float32',
        'answer = 2 * 1024 * 768 * 2  # one layer',
        'answer = 2 * 12 * 1024 * 768  # numbers, not bytes',
    )

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
            raise Incorrect(f"Give a number of bytes; you gave {type(answer).__name__} {answer!r}.")
        expected = 2 * 12 * 1024 * 768 * 2
        if answer == expected // 2:
            raise Incorrect("Half the cache: keep both a key and a value for every token (a factor 2), or you "
                            "counted numbers rather than bytes (another factor 2 for float16).")
        if answer == expected * 2:
            raise Incorrect("Twice too much: float16 takes 2 bytes per number, not 4.")
        if answer == expected // 12:
            raise Incorrect("That is one layer's cache; every one of the 12 layers keeps its own.")
        for unit, size in (("kilobytes", 1024), ("megabytes", 1024**2), ("kilobytes", 1000), ("megabytes", 1000**2)):
            if abs(answer - expected / size) < 1:
                raise Incorrect(f"That looks like {unit}; give the number of bytes.")
        if abs(answer - expected) > 0.5:
            raise Incorrect(_size_message("Your cache size", float(answer), float(expected)))


class CrossoverLength(Exercise):
    title = "Exercise 4: where an LSTM layer costs as much as attention"
    d = 512
    hints = (
        "Count an LSTM layer's multiply-adds over n positions: at every step, each of its four gates multiplies a "
        "d×d matrix with x_t and another with h_{t-1}.",
        "Set that count equal to attention's core, 2·n²·d, and solve for n (n > 0); the cell before the "
        "exercises does the same for the GRU.",
    )
    solution_code = """
d = 512
# attention's core 2·n²·d = LSTM layer 4 gates · (W_i x_t + W_h h_{t-1}) = 8·n·d²  <=>  n = 4d
answer = 8 * d**2 // (2 * d)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        "answer = 512  # n = d: the RNN's n·d² without the LSTM's 4 gates and 2 products",
        'answer = 8 * 512',
    )

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
            raise Incorrect(f"Give a sequence length (a number); you gave {type(answer).__name__} {answer!r}.")
        d = self.d
        lstm = 8 * d * d  # per position: four gates, an input and a recurrent d×d product each
        expected = lstm / (2 * d)  # 2·n²·d = n·lstm
        known = {
            d: "That is where Table 1's orders meet (n²·d = n·d²); count the constants: 2 products in attention's "
               "core, and the LSTM's gates.",
            4 * d * d / (2 * d): "That counts only the LSTM's recurrent products; its gates also multiply x_t by "
                                 "a d×d matrix at every step.",
            lstm / d: "Attention's core has two products of n·n·d each (the scores and the weighted sum).",
            6 * d * d / (2 * d): "That is the GRU with its input projections (three gates); an LSTM has four.",
            3 * d * d / (2 * d): "That is the GRU's recurrent products; an LSTM has four gates and input products.",
            d * d: "That is d²: divide both sides of the equation by n·d.",
        }
        for value, message in known.items():
            if abs(answer - value) < 0.5 and abs(answer - expected) >= 0.5:
                raise Incorrect(message)
        if abs(answer - expected) >= 0.5:
            raise Incorrect(_size_message("Your length", float(answer), expected))


# ------------------------------------------------------------------------------------- the assignment
def _softmax_rows(S):
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    return A / A.sum(axis=-1, keepdims=True)


def _backward_cases():
    """(Q, K, V, mask, d_out): unbatched with more keys than queries, batched heads with a causal mask."""
    rng = np.random.default_rng(8)
    T = 5
    return [
        (rng.normal(size=(3, 4)), rng.normal(size=(6, 4)), rng.normal(size=(6, 2)), None, rng.normal(size=(3, 2))),
        (rng.normal(size=(2, 3, T, 8)), rng.normal(size=(2, 3, T, 8)), rng.normal(size=(2, 3, T, 4)),
         np.triu(np.ones((T, T), dtype=bool), k=1), rng.normal(size=(2, 3, T, 4))),
    ]


def autograd_attention_gradients(Q, K, V, mask, d_out) -> tuple:
    """dL/dQ, dL/dK, dL/dV for L = Σ out ⊙ d_out, by torch's autograd on torch's own attention (float64)."""
    import torch

    q, k, v = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (Q, K, V))
    # torch's attn_mask: True = may attend, the opposite of the course's convention
    allowed = None if mask is None else torch.from_numpy(~mask)
    out = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    (out * torch.from_numpy(d_out)).sum().backward()
    return q.grad.numpy(), k.grad.numpy(), v.grad.numpy()


def _backward_slips(Q, K, V, mask, d_out) -> dict:
    """The gradients a learner's backward returns after a typical slip, each with the message that explains it."""
    d_k = Q.shape[-1]
    T = lambda a: np.swapaxes(a, -1, -2)  # noqa: E731
    S = Q @ T(K) / np.sqrt(d_k)
    S_masked = S if mask is None else np.where(mask, -np.inf, S)
    A, A_free = _softmax_rows(S_masked), _softmax_rows(S)

    def grads(A=A, softmax_sum=True, scale=True, transpose_A=True, transpose_dS=True):
        dA = d_out @ T(V)
        dV = (T(A) if transpose_A else A) @ d_out
        dS = A * (dA - np.sum(A * dA, axis=-1, keepdims=True)) if softmax_sum else A * dA
        c = 1 / np.sqrt(d_k) if scale else 1.0
        return dS @ K * c, (T(dS) if transpose_dS else dS) @ Q * c, dV

    slips = {
        "Your softmax backward keeps only A ⊙ ∂L/∂A: every weight of a row also depends on every score of that "
        "row through the normalisation, which subtracts the row's Σ_j A_j ∂L/∂A_j.": grads(softmax_sum=False),
        "Your ∂L/∂Q and ∂L/∂K miss the factor 1/√d_k: the scores were scaled in the forward pass, so their "
        "gradient passes through the same scale.": grads(scale=False),
        "Your backward ignores the mask: recompute A with the masked scores, so that masked pairs (weight 0) pass "
        "no gradient.": grads(A=A_free),
    }
    if Q.shape[-2] == K.shape[-2]:  # with T_q = T_k the shapes do not catch a missing transpose
        slips["Your ∂L/∂V uses A where the weighted sum out = A V needs its transpose: ∂L/∂V = Aᵀ ∂L/∂out."] = \
            grads(transpose_A=False)
        slips["Your ∂L/∂K uses ∂L/∂S where it needs its transpose (the keys index the columns of S)."] = \
            grads(transpose_dS=False)
    return slips


class AttentionBackward(Exercise):
    title = "Exercise 5 (assignment): attention's backward pass"
    write_it_yourself = (course_attention.scaled_dot_product_attention, course_attention.MultiHeadSelfAttention,
                         autograd_attention_gradients)
    hints = (
        "Recompute the forward first and keep A. Then go back line by line: out = A V gives two gradients, one "
        "for A and one for V; the softmax turns ∂L/∂A into ∂L/∂S; S = Q Kᵀ/√d_k gives ∂L/∂Q and ∂L/∂K.",
        "The softmax's backward, one row at a time, is the step most people get wrong: write it for one row of "
        "three numbers on paper first (each A_j depends on every S_k of its row). Section 2's backward "
        "paragraph has it in symbols.",
        "Use np.swapaxes(x, -1, -2) for every transpose so that the batch and head axes ride along, and compare "
        "each gradient with the finite-difference report below the exercise to see which one is off.",
    )
    solution_code = """
import numpy as np

def attention_backward(d_out, Q, K, V, mask=None):
    d_k = Q.shape[-1]
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)                  # (..., T_q, T_k)
    if mask is not None:
        S = np.where(mask, -np.inf, S)
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    A = A / A.sum(axis=-1, keepdims=True)
    dA = d_out @ np.swapaxes(V, -1, -2)                              # out = A V
    dV = np.swapaxes(A, -1, -2) @ d_out
    dS = A * (dA - np.sum(A * dA, axis=-1, keepdims=True))           # softmax, row by row
    dQ = dS @ K / np.sqrt(d_k)                                       # S = Q Kᵀ / √d_k
    dK = np.swapaxes(dS, -1, -2) @ Q / np.sqrt(d_k)
    return dQ, dK, dV

answer = attention_backward
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code, "dS = A * (dA - np.sum(A * dA, axis=-1, keepdims=True))", "dS = A * dA"),  # no row sum
        mutate(solution_code, "dQ = dS @ K / np.sqrt(d_k)", "dQ = dS @ K"),  # the scale left out of dQ
    )

    def _check(self, attention_backward) -> None:
        refuse_names(attention_backward, {"backward", "grad", "vjp", "jacobian", "_attention_backward"},
                     "write the backward pass with numpy (autograd is for checking it)")
        for Q, K, V, mask, d_out in _backward_cases():
            where = f"Q {Q.shape}, K {K.shape}, V {V.shape}" + (", with a causal mask" if mask is not None else "")
            try:
                result = call_learner(attention_backward, d_out.copy(), Q.copy(), K.copy(), V.copy(),
                                      None if mask is None else mask.copy())
            except ValueError as err:
                if not any(word in str(err) for word in ("matmul", "broadcast", "shapes", "dimension")):
                    raise
                raise Incorrect(f"For {where}: a shape clash inside your function ({err}). With more keys than "
                                "queries, S and A are (T_q, T_k): write every transpose with np.swapaxes(x, -1, -2) "
                                "and check each product's shapes.") from err
            if not isinstance(result, tuple | list) or len(result) != 3:
                raise Incorrect(f"attention_backward should return three arrays (dQ, dK, dV); it returned "
                                f"{type(result).__name__}.")
            if any(is_blank(r) for r in result):
                raise NotAttempted("Some of your gradients are still ____.")
            got = [as_array(r, "attention_backward") for r in result]
            ref = autograd_attention_gradients(Q, K, V, mask, d_out)
            swapped = ((got[0], ref[1]), (got[1], ref[0]))
            if all(g.shape == r.shape and np.allclose(g, r, atol=1e-9) for g, r in swapped):
                raise Incorrect("You return dK where dQ belongs and dQ where dK belongs: return (dQ, dK, dV).")
            for name, g, r in zip(("dQ", "dK", "dV"), got, ref, strict=True):
                if g.shape != r.shape:
                    raise Incorrect(f"For {where}: {name} should have the shape of {name[1]}, {r.shape}; yours has "
                                    f"{g.shape}.")
            same = [np.allclose(g, r, rtol=1e-6, atol=1e-9) for g, r in zip(got, ref, strict=True)]
            if all(same):
                continue
            for message, slip in _backward_slips(Q, K, V, mask, d_out).items():
                if all(np.allclose(g, s, rtol=1e-6, atol=1e-9) for g, s in zip(got, slip, strict=True)):
                    raise Incorrect(f"For {where}: {message}")
            wrong = [n for n, ok in zip(("dQ", "dK", "dV"), same, strict=True) if not ok]
            raise Incorrect(f"For {where}: {', '.join(wrong)} differ{'s' if len(wrong) == 1 else ''} from autograd's "
                            "(the others agree).")


def finite_difference_report(attention, attention_backward, seed: int = 4) -> dict:
    """Your own gradient check for exercise 5: the relative error between your backward and central differences
    of YOUR forward (exercise 1's ``attention(Q, K, V)``, no mask), for L = Σ out ⊙ d_out; one number per
    gradient (about 1e-8 or less means they agree). Returns {} while either function is unfinished."""
    from rnn_helpers.gradcheck import numerical_gradient, relative_error

    rng = np.random.default_rng(seed)
    Q, K, V, d_out = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2)), rng.normal(size=(3, 2))
    try:
        mine = attention_backward(d_out, Q.copy(), K.copy(), V.copy(), None)
        if is_blank(mine) or not isinstance(mine, tuple | list) or any(is_blank(m) for m in mine):
            return {}
        if is_blank(attention(Q, K, V)):
            return {}
    except (NotImplementedError, TypeError):
        return {}
    inputs = {"dQ": Q, "dK": K, "dV": V}

    def loss(_):
        return float(np.sum(np.asarray(attention(Q, K, V)) * d_out))

    return {name: relative_error(np.asarray(g, dtype=float), numerical_gradient(loss, inputs[name]))
            for name, g in zip(inputs, mine, strict=True)}


ex1 = ScaledDotProductAttention()
ex2 = CausalMask()
ex3 = KVCacheBytes()
ex4 = CrossoverLength()
ex5 = AttentionBackward()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5"]
