"""Exercises of 02_history.ipynb: the perceptron's update rule, Hebbian weights, who introduced BPTT and RTRL,
the capacity of a Hopfield network, which bit of the temporal XOR can be predicted, and an assignment: real-time
recurrent learning written by the learner and checked against BPTT."""

from __future__ import annotations

import numbers

import numpy as np

from rnn_helpers.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    as_array,
    call_learner,
    expect_callable,
    expect_close,
    expect_shape,
    is_blank,
    mutate,
    refuse_names,
)


def _number(answer, what: str) -> float:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise Incorrect(f"{what} should be a number; you gave {type(answer).__name__} {answer!r}.")
    return float(answer)


class PerceptronUpdate(Exercise):
    title = "Exercise 1: the perceptron's update rule"
    hints = (
        "First compute the perceptron's answer ŷ = 1 if w·x + b > 0 else 0. The weights change only when ŷ ≠ y.",
        "w ← w + lr (y − ŷ) x and b ← b + lr (y − ŷ): a false 0 adds x, a false 1 subtracts it.",
    )
    solution_code = """
import numpy as np

def perceptron_update(w, b, x, y, lr):
    y_hat = 1 if x @ w + b > 0 else 0      # the perceptron's answer
    error = y - y_hat                       # -1, 0 or +1
    return w + lr * error * x, b + lr * error
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def perceptron_update(w, b, x, y, lr):
    return w + lr * y * x, b + lr * y          # updates even when the answer is right
""",
        """
def perceptron_update(w, b, x, y, lr):
    y_hat = 1 if x @ w + b > 0 else 0
    return w - lr * (y - y_hat) * x, b - lr * (y - y_hat)   # the sign flipped
""",
        """
def perceptron_update(w, b, x, y, lr):
    y_hat = 1 if x @ w + b >= 0 else 0          # fires on the threshold
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)
""",
    )

    def _check(self, update) -> None:
        expect_callable(update)
        cases = [  # (w, b, x, y, lr): right answer, false 0, false 1, on the threshold, a larger lr
            (np.array([1.0, -1.0]), 0.5, np.array([1.0, 0.0]), 1, 1.0),
            (np.array([0.0, 0.0]), 0.0, np.array([1.0, 1.0]), 1, 1.0),
            (np.array([0.5, 0.5]), 0.0, np.array([0.0, 1.0]), 0, 1.0),
            (np.array([1.0, 1.0]), -1.0, np.array([1.0, 0.0]), 1, 0.5),
            (np.array([-0.2, 0.4, 0.1]), 0.3, np.array([1.0, 2.0, -1.0]), 0, 0.25),
        ]
        for w, b, x, y, lr in cases:
            result = update(w.copy(), b, x.copy(), y, lr)
            if is_blank(result):
                raise NotAttempted("perceptron_update still returns ____.")
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise Incorrect(f"Return two things, (new_w, new_b); yours returned {type(result).__name__}.")
            new_w, new_b = result
            y_hat = 1 if x @ w + b > 0 else 0
            expected_w, expected_b = w + lr * (y - y_hat) * x, b + lr * (y - y_hat)
            case = f"for w={w.tolist()}, b={b}, x={x.tolist()}, y={y}, lr={lr}"
            if y_hat == y and not np.allclose(np.asarray(new_w, dtype=float), w):
                raise Incorrect(f"The answer is already right {case} (ŷ = y = {y}), so nothing should change; "
                                f"yours moved w to {np.round(np.asarray(new_w, dtype=float), 4).tolist()}.")
            if y_hat == 0 and y == 1 and np.allclose(np.asarray(new_w, dtype=float), w - lr * x):
                raise Incorrect(f"The sign is flipped {case}: a missed 1 should add lr·x to w, not subtract it.")
            if x @ w + b == 0 and np.allclose(np.asarray(new_w, dtype=float), w):
                raise Incorrect(f"On the threshold {case} (w·x + b = 0) the perceptron answers 0: it fires only "
                                "when w·x + b > 0, so this missed 1 must move the weights.")
            expect_close(f"new_w {case}", new_w, expected_w, atol=1e-9)
            expect_close(f"new_b {case}", new_b, expected_b, atol=1e-9)


class HebbianWeights(Exercise):
    title = "Exercise 2: Hebbian weights"
    hints = (
        "W = Σ_μ ξ^μ ξ^μᵀ: for patterns stacked as rows of a (P, N) array that is `patterns.T @ patterns`.",
        "Then set the diagonal to zero (no unit connects to itself): `np.fill_diagonal(W, 0)`. Dividing by N is "
        "also accepted: it changes no sign.",
    )
    solution_code = """
import numpy as np

def hebbian(patterns):
    W = patterns.T @ patterns        # Σ_μ ξ^μ ξ^μᵀ : (N, P) @ (P, N) -> (N, N)
    np.fill_diagonal(W, 0)           # no self-connections
    return W
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def hebbian(patterns):
    return patterns.T @ patterns               # the diagonal kept
""",
        """
def hebbian(patterns):
    return patterns @ patterns.T               # (P, P): the wrong product
""",
    )

    def _check(self, hebbian) -> None:
        expect_callable(hebbian)
        rng = np.random.default_rng(2)
        for P, N in ((1, 4), (2, 5), (3, 8)):
            xi = rng.choice([-1.0, 1.0], size=(P, N))
            got = hebbian(xi.copy())
            if is_blank(got):
                raise NotAttempted("hebbian still returns ____.")
            got = np.asarray(got, dtype=float)
            full = xi.T @ xi
            expected = full - np.diag(np.diag(full))
            case = f"for {P} pattern(s) of {N} units"
            if got.shape != (N, N):
                raise Incorrect(f"W should be (N, N) = {(N, N)} {case}; yours has shape {got.shape}.")
            if np.allclose(got, full) or np.allclose(got, full / N):
                raise Incorrect(f"Almost: {case} the diagonal should be 0 (a unit does not connect to itself).")
            if not (np.allclose(got, expected) or np.allclose(got, expected / N)):
                expect_close(f"W {case}", got, expected)


class OnlineGradient(Exercise):
    title = "Exercise 3: the exact gradient for a stream that never ends"
    hints = (
        "Which of the two algorithms of the chapter needs the end of the sequence before it can give a gradient, "
        "and which carries everything it needs forward in time?",
        "Count the work of one step of the forward-in-time algorithm: how many sensitivities does it carry, and "
        "what does updating each of them cost?",
    )
    solution_code = """
answer = ("RTRL", 4)  # BPTT needs the sequence's end and all its states; RTRL is online, O(H^4) work per step
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = ("BPTT", 2)  # the cheaper algorithm, but it needs the end of the sequence',
        'answer = ("RTRL", 3)  # the memory of RTRL, not its work per step',
        'answer = ("RTRL", 2)',
    )
    ALGORITHMS = ("BPTT", "RTRL")

    def _check(self, answer) -> None:
        if (not isinstance(answer, (tuple, list)) or len(answer) != 2 or not isinstance(answer[0], str)
                or isinstance(answer[1], bool) or not isinstance(answer[1], numbers.Real)):
            raise Incorrect(f"Give a pair (algorithm, exponent), e.g. ('BPTT', 2); you gave {answer!r}.")
        algorithm, exponent = answer[0].strip().upper(), answer[1]
        if algorithm not in self.ALGORITHMS:
            raise Incorrect(f"{answer[0]!r} is not one of the chapter's two algorithms {list(self.ALGORITHMS)}.")
        if algorithm == "BPTT":
            raise Incorrect("BPTT goes backwards from the end of the sequence and stores every state on the way: on "
                            "a stream that never ends there is no end to start from (and truncating it would no "
                            "longer give the exact gradient).")
        if exponent != 4:
            advice = ("that is how the numbers RTRL stores grow (its memory), not the work of updating them"
                      if exponent == 3 else "count the sensitivities carried and the cost of updating each one")
            raise Incorrect(f"The right algorithm, but not H^{exponent:g} work per step: {advice}.")


class HopfieldCapacity(Exercise):
    title = "Exercise 4: how many units for 50 memories?"
    hints = (
        "The headline experiment measured the capacity the other way round: for N units, how many random "
        "patterns. It is proportional to N, with a small constant.",
        "Write the capacity as P_max ≈ α_c N with the constant of the headline experiment, and solve for N with "
        "P = 50 (a whole number of units).",
    )
    solution_code = """
import math

answer = math.ceil(50 / 0.138)   # P_max ≈ 0.138 N  =>  N ≈ P / 0.138 units (Amit, Gutfreund & Sompolinsky)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        "answer = 0.138 * 50  # multiplied instead of divided",
        "answer = 50  # one unit per pattern",
        "answer = 50 * 50  # as if each pattern needed N units",
        "answer = 50 / 0.5",
    )

    def _check(self, answer) -> None:
        value = _number(answer, "The number of units")
        if 0 < value < 50:
            raise Incorrect("Fewer units than patterns: the capacity is a small FRACTION of N, so you need many more "
                            "units than memories.")
        if abs(value - 50) < 1:
            raise Incorrect("One unit per pattern is far too few: each pattern adds crosstalk to every unit's field, "
                            "and recall collapses at a small fraction of N patterns.")
        if value > 1000:
            raise Incorrect(f"{value:g} units would hold far more than 50 patterns: the capacity grows in proportion "
                            "to N.")
        if not 320 <= value <= 400:
            side = "few" if value < 320 else "many"
            raise Incorrect(f"{value:g} units is too {side}: use the constant α_c of the headline experiment "
                            "(P_max ≈ α_c N).")


class PredictableInQuadruples(Exercise):
    title = "Exercise 5: the temporal XOR of three bits"
    hints = (
        "Write out one quadruple at positions t = 0, 1, 2, 3 of the stream: which position holds the parity bit, "
        "and which target y[:, t] = x[:, t + 1] names it?",
        "The target is predictable when the bit it names is the parity bit, whose three ingredients have all "
        "been read by then.",
    )
    solution_code = "answer = 2  # y[:, t] = x[:, t + 1] is the parity bit when t + 1 ≡ 3 (mod 4), i.e. t % 4 == 2"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        "answer = 3  # the position of the parity bit in x, not in the target",
        "answer = 1  # the chapter's answer for triples",
        "answer = 0",
    )

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
            raise Incorrect(f"Give one of 0, 1, 2, 3 (the value of t % 4); you gave {answer!r}.")
        if answer not in (0, 1, 2, 3):
            raise Incorrect(f"t % 4 is 0, 1, 2 or 3; you gave {answer}.")
        if answer == 3:
            raise Incorrect("x[:, t] is the parity bit when t % 4 == 3, but the target y[:, t] = x[:, t + 1] is "
                            "one step ahead of the input.")
        if answer != 2:
            raise Incorrect(f"At t % 4 == {answer} the target is one of the three fresh random bits of a quadruple. "
                            "Which t has y[:, t] equal to the parity of the three bits before it?")


_RTRL_MISTAKES = {  # what each known slip of the sensitivity recursion computes, and what to tell the learner
    "h_t": "The direct term of W_hh[i, j] is the state that weight multiplies in a_t, the state BEFORE the step "
           "(h_{t−1}[j]); yours uses the new state h_t.",
    "no_recurrence": "Your sensitivities forget the past: without the term W_hh P_{t−1}, P_t keeps only the last "
                     "step's direct effect. That is the one-step gradient Jordan and Elman trained with, not "
                     "RTRL's exact gradient.",
    "phi_direct_only": "tanh'(a_t) = 1 − h_t² must multiply the whole bracket, the direct term and W_hh P_{t−1} "
                       "alike: the past reaches h_t through a_t too.",
    "no_phi": "The derivative of tanh is missing: P_t = (1 − h_t²) ⊙ (direct term + W_hh P_{t−1}).",
    "transposed": "The recursion multiplies P_{t−1} by W_hh (∂a_t[k]/∂h_{t−1}[m] = W_hh[k, m]); yours uses its "
                  "transpose, the direction in which BPTT sends errors back.",
    "last_step": "Your gradient has only the last step's term: ∂L/∂W_hh = Σ_t d_out_tᵀ P_t adds one term at "
                 "every step, as the loss does.",
}


def _rtrl_variant(x, d_out, W_ih, W_hh, b, mistake=None):
    """RTRL's (∂L/∂W_hh, P_T) for h_t = tanh(W_ih x_t + W_hh h_{t−1} + b), h_0 = 0; ``mistake`` computes one of
    the slips of ``_RTRL_MISTAKES`` instead (None: the right recursion)."""
    B, T, _ = x.shape
    H = W_hh.shape[0]
    h, P, grad = np.zeros((B, H)), np.zeros((B, H, H, H)), np.zeros((H, H))
    eye = np.eye(H)
    for t in range(T):
        h_new = np.tanh(x[:, t] @ W_ih.T + h @ W_hh.T + b)
        phi = 1 - h_new**2 if mistake != "no_phi" else np.ones_like(h_new)
        direct = eye[None, :, :, None] * (h_new if mistake == "h_t" else h)[:, None, None, :]
        W = W_hh.T if mistake == "transposed" else W_hh
        recurrent = np.einsum("km,bmij->bkij", W, P) if mistake != "no_recurrence" else 0.0
        if mistake == "phi_direct_only":
            P = phi[:, :, None, None] * direct + recurrent
        else:
            P = phi[:, :, None, None] * (direct + recurrent)
        step = np.einsum("bk,bkij->ij", d_out[:, t], P)
        grad = step if mistake == "last_step" else grad + step
        h = h_new
    return grad, P


class RealTimeRecurrentLearning(Exercise):
    title = "Exercise 6 (assignment): RTRL written by you, checked against BPTT"
    hints = (
        "Carry three things forward: the state h (B, H), the sensitivities P (B, H, H, H) with "
        "P[b, k, i, j] = ∂h_t[b, k]/∂W_hh[i, j], and the running gradient (H, H). All three start at zero. At each "
        "step: the forward step, then the new P from the old one, then add this step's term to the gradient.",
        "The direct term: a_t[k] = Σ_j W_hh[k, j] h_{t−1}[j] + ..., so ∂a_t[k]/∂W_hh[i, j] is h_{t−1}[j] when "
        "k = i and 0 otherwise: an identity matrix over the axes (k, i) times h_{t−1} along the axis j, lined up "
        "with `None` axes. The recurrent term W_hh P_{t−1} is a matrix product along the k axis of P, for every "
        "(b, i, j) at once (`np.einsum`, or a reshape of P to (B, H, H·H)).",
        "Multiply the sum of both terms by tanh'(a_t) = 1 − h_t², broadcast over the axes i and j. The gradient "
        "adds Σ_b Σ_k d_out[b, t, k] P[b, k, i, j] at every step (another einsum).",
    )
    solution_code = """
import numpy as np

def rtrl(x, d_out, W_ih, W_hh, b):
    B, T, I = x.shape
    H = W_hh.shape[0]
    h = np.zeros((B, H))                  # h_0 = 0
    P = np.zeros((B, H, H, H))            # P[b, k, i, j] = ∂h_t[b, k] / ∂W_hh[i, j]; P_0 = 0
    dW_hh = np.zeros((H, H))
    eye = np.eye(H)
    for t in range(T):
        h_new = np.tanh(x[:, t] @ W_ih.T + h @ W_hh.T + b)              # the forward step, (B, H)
        direct = eye[None, :, :, None] * h[:, None, None, :]             # ∂a_t[k]/∂W_hh[i, j] = δ_ki h_{t-1}[j]
        recurrent = np.einsum("km,bmij->bkij", W_hh, P)                  # W_hh P_{t-1}
        P = (1 - h_new**2)[:, :, None, None] * (direct + recurrent)      # tanh'(a_t) ⊙ (...)
        dW_hh = dW_hh + np.einsum("bk,bkij->ij", d_out[:, t], P)         # + d_out_tᵀ P_t, summed over the batch
        h = h_new
    return dW_hh, P
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code, "* h[:, None, None, :]", "* h_new[:, None, None, :]"),  # direct term from h_t
        mutate(solution_code, "* (direct + recurrent)", "* direct"),  # no W_hh P_{t-1}: Elman's one-step gradient
        mutate(solution_code, "* (direct + recurrent)", "* direct + recurrent"),  # tanh' on the direct term only
        mutate(solution_code, '"km,bmij->bkij"', '"mk,bmij->bkij"'),  # W_hh transposed in the recursion
        mutate(solution_code, "dW_hh = dW_hh + np.einsum", "dW_hh = np.einsum"),  # only the last step's term
        mutate(solution_code, "(1 - h_new**2)[:, :, None, None] * (direct + recurrent)",
               "direct + recurrent"),  # the derivative of tanh left out
        """
import numpy as np

def rtrl(x, d_out, W_ih, W_hh, b):   # P's axes in the order (b, i, j, k)
    B, T, I = x.shape
    H = W_hh.shape[0]
    h, P, dW_hh, eye = np.zeros((B, H)), np.zeros((B, H, H, H)), np.zeros((H, H)), np.eye(H)
    for t in range(T):
        h_new = np.tanh(x[:, t] @ W_ih.T + h @ W_hh.T + b)
        direct = eye[None, :, :, None] * h[:, None, None, :]
        Pk = np.moveaxis(P, 3, 1)
        Pk = (1 - h_new**2)[:, :, None, None] * (direct + np.einsum("km,bmij->bkij", W_hh, Pk))
        P = np.moveaxis(Pk, 1, 3)
        dW_hh = dW_hh + np.einsum("bk,bkij->ij", d_out[:, t], Pk)
        h = h_new
    return dW_hh, P
""",
    )
    shapes = ("x is (B, T, I), d_out (B, T, H), W_ih (H, I), W_hh (H, H), b (H,); the state h is (B, H) and the "
              "sensitivities P (B, H, H, H), P[b, k, i, j] = ∂h_t[b, k]/∂W_hh[i, j].")
    CASES = ((1, 1, 2, 3), (2, 4, 3, 3), (3, 7, 2, 4))  # (B, T, I, H): one step, then longer sequences

    @property
    def write_it_yourself(self):
        from rnn_helpers import history, scratch

        return (history.rtrl_gradients, scratch.RNN, scratch.rnn_step_backward)

    def _check(self, rtrl) -> None:
        expect_callable(rtrl)
        refuse_names(rtrl, {"rtrl_gradients", "backward", "rnn_step_backward", "jacobian", "grad", "RNN"},
                     "carry the sensitivities forward in time with numpy")
        from rnn_helpers import scratch

        rng = np.random.default_rng(22)
        for B, T, I, H in self.CASES:
            x, d_out = rng.normal(size=(B, T, I)), rng.normal(size=(B, T, H))
            W_ih, W_hh, b = rng.normal(0, 0.8, size=(H, I)), rng.normal(0, 0.8, size=(H, H)), rng.normal(0, 0.3, H)
            case = f"for B = {B}, T = {T}, I = {I}, H = {H}"
            result = call_learner(rtrl, x.copy(), d_out.copy(), W_ih.copy(), W_hh.copy(), b.copy())
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise Incorrect(f"Return two things, (dW_hh, P); yours returned {type(result).__name__}.")
            if is_blank(result):
                raise NotAttempted("rtrl still returns ____.")
            grad, P = as_array(result[0], "rtrl"), as_array(result[1], "rtrl")
            expect_shape(f"dW_hh {case}", grad, (H, H), "(H, H)")
            expect_shape(f"P {case}", P, (B, H, H, H), "(B, H, H, H): P[b, k, i, j]")
            # the oracle is BPTT: the course's scratch RNN run backwards over the stored states
            net = scratch.RNN(I, H, seed=0)
            net.params.update(weight_ih_l0=W_ih, weight_hh_l0=W_hh, bias_ih_l0=b, bias_hh_l0=np.zeros(H))
            net.forward(x)
            bptt = net.backward(d_out)["weight_hh_l0"]
            _, expected_P = _rtrl_variant(x, d_out, W_ih, W_hh, b)
            if np.allclose(grad, bptt, atol=1e-8) and np.allclose(P, expected_P, atol=1e-8):
                continue
            for mistake, message in _RTRL_MISTAKES.items():
                wrong_grad, wrong_P = _rtrl_variant(x, d_out, W_ih, W_hh, b, mistake)
                if np.allclose(grad, wrong_grad, atol=1e-8) and not np.allclose(wrong_grad, bptt, atol=1e-8):
                    raise Incorrect(f"{message} (Your gradient {case} differs from BPTT's.)")
            if np.allclose(grad, bptt, atol=1e-8):
                for axes, said in (((0, 2, 3, 1), "(b, i, j, k)"), ((0, 1, 3, 2), "(b, k, j, i)")):
                    if np.allclose(P, np.transpose(expected_P, axes), atol=1e-8):
                        raise Incorrect(f"Your gradient equals BPTT's {case}, but P's axes are in the order {said}: "
                                        "return P[b, k, i, j] = ∂h_T[b, k]/∂W_hh[i, j].")
                expect_close(f"P = ∂h_T/∂W_hh {case} (the sensitivities after the last step)", P, expected_P,
                             atol=1e-8, meaning="(B, H, H, H)")
            expect_close(f"dW_hh {case} (compared with BPTT's)", grad, bptt, atol=1e-8, meaning="(H, H)")


ex1 = PerceptronUpdate()
ex2 = HebbianWeights()
ex3 = OnlineGradient()
ex4 = HopfieldCapacity()
ex5 = PredictableInQuadruples()
ex6 = RealTimeRecurrentLearning()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5", "ex6"]
