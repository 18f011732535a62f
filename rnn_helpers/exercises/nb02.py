"""Exercises of 02_history.ipynb: the perceptron's update rule, Hebbian weights, who introduced BPTT and RTRL,
the capacity of a Hopfield network, and which bit of the temporal XOR can be predicted."""

from __future__ import annotations

import numbers

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, NotAttempted, ____, expect_callable, expect_close, is_blank


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


ex1 = PerceptronUpdate()
ex2 = HebbianWeights()
ex3 = OnlineGradient()
ex4 = HopfieldCapacity()
ex5 = PredictableInQuadruples()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5"]
