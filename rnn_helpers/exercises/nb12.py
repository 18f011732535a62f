"""Exercises of 12_modern_recurrences.ipynb: the associative operator, the log-space fix, minGRU's
coefficients, and the depth of a parallel scan.

Messages say how an answer is wrong (the order of the steps, a missing term, the convention), never what
the right value is.
"""

from __future__ import annotations

import math

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, as_array, call_learner


def _rng_cases(seed: int = 0):
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1.5, 1.5, size=s), rng.normal(size=s), rng.uniform(-1.5, 1.5, size=s), rng.normal(size=s))
            for s in [(5,), (2, 3, 4)]]


def _pair(result, what: str):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Incorrect(f"{what} should return a pair (a, b), two arrays; it returned {type(result).__name__}.")
    return as_array(result[0], what + "'s first element"), as_array(result[1], what + "'s second element")


class AssociativeOperator(Exercise):
    title = "Exercise 1: the associative operator"
    hints = (
        "Write what applying step 1 and then step 2 does to a state h: h ↦ a_2 (a_1 h + b_1) + b_2. Expand it "
        "and read off the new slope (the factor of h) and the new offset.",
        "The slope is a product of the two a's. The offset is b_1 carried through step 2 (multiplied by a_2), "
        "plus b_2.",
    )
    solution_code = """
def combine(a_1, b_1, a_2, b_2):
    # step (a_1, b_1) first, then (a_2, b_2):  h -> a_2 (a_1 h + b_1) + b_2
    return a_1 * a_2, a_2 * b_1 + b_2
"""

    def _check(self, combine) -> None:
        for a1, b1, a2, b2 in _rng_cases():
            A, B = _pair(call_learner(combine, a1.copy(), b1.copy(), a2.copy(), b2.copy()), "combine")
            if A.shape != a1.shape or B.shape != b1.shape:
                raise Incorrect(f"For inputs of shape {a1.shape} both outputs should have that shape too (the "
                                f"operator works element by element); yours have shapes {A.shape} and {B.shape}.")
            slope_ok = np.allclose(A, a1 * a2, atol=1e-10)
            if not slope_ok:
                if np.allclose(A, a1 + a2, atol=1e-10):
                    raise Incorrect("The slope: two steps multiply the state twice, so their factors multiply; "
                                    "you added them.")
                raise Incorrect("The first element (the slope of the combined step) is wrong: apply both steps "
                                "to h and collect the factor of h.")
            if np.allclose(B, a1 * b2 + b1, atol=1e-10):
                raise Incorrect("The offset has the steps in the wrong order: you computed step 2 first, then "
                                "step 1. In (a_1, b_1) • (a_2, b_2) step 1 comes first, so b_1 passes through a_2.")
            if np.allclose(B, a2 * b1, atol=1e-10):
                raise Incorrect("The offset is missing step 2's own input b_2.")
            if np.allclose(B, b1 + b2, atol=1e-10):
                raise Incorrect("The offset forgets that b_1 is multiplied by a_2 when step 2 runs.")
            if not np.allclose(B, a2 * b1 + b2, atol=1e-10):
                raise Incorrect("The second element (the offset of the combined step) is wrong: apply step 1 "
                                "and then step 2 to h = 0.")
        # associativity follows, but check it on the learner's function as a learner would
        rng = np.random.default_rng(1)
        p, q, r = [(rng.uniform(0.5, 1, 3), rng.normal(size=3)) for _ in range(3)]
        left = combine(*combine(*p, *q), *r)
        right = combine(*p, *combine(*q, *r))
        if not (np.allclose(left[0], right[0]) and np.allclose(left[1], right[1])):
            raise Incorrect("Your operator is not associative: (p • q) • r differs from p • (q • r).")


def _reference_log_scan(log_a, log_b):
    A = np.cumsum(log_a, axis=-1)
    return A + np.logaddexp.accumulate(log_b - A, axis=-1)


class LogSpaceScan(Exercise):
    title = "Exercise 2: the log-space fix"
    hints = (
        "With A_t = Σ_{r<=t} log a_r, h_t = Σ_{s<=t} exp(A_t - A_s) b_s. Take logs: log h_t = A_t + log Σ_s "
        "exp(log b_s - A_s). The inner sum of exponentials is a running log-sum-exp.",
        "`np.cumsum(log_a, axis=-1)` gives A; `np.logaddexp.accumulate(x, axis=-1)` gives the running log Σ exp(x) "
        "without ever forming exp(x) for a large x. Add A back at the end.",
    )
    solution_code = """
import numpy as np

def log_scan(log_a, log_b):
    A = np.cumsum(log_a, axis=-1)                               # log of the running product of a
    return A + np.logaddexp.accumulate(log_b - A, axis=-1)      # log h_t, never exp of a large number
"""

    def _check(self, log_scan) -> None:
        rng = np.random.default_rng(2)
        cases = [
            (np.log(rng.uniform(0.5, 1.0, size=6)), np.log(rng.uniform(0.1, 2.0, size=6))),  # short
            (np.log(rng.uniform(0.5, 1.0, size=(2, 4096))), np.log(rng.uniform(0.1, 2.0, size=(2, 4096)))),  # long
        ]
        for log_a, log_b in cases:
            with np.errstate(all="ignore"):
                got = as_array(call_learner(log_scan, log_a.copy(), log_b.copy()), "log_scan")
            expected = _reference_log_scan(log_a, log_b)
            T = log_a.shape[-1]
            if got.shape != expected.shape:
                raise Incorrect(f"For inputs of shape {log_a.shape} the result should have the same shape; yours "
                                f"has shape {got.shape}.")
            if not np.all(np.isfinite(got)):
                raise Incorrect(f"For a sequence of T = {T} steps your result contains inf or NaN: somewhere you "
                                "exponentiate a large number (1 / P_t, or exp(-A_t) on its own). Keep everything "
                                "as a difference A_t - A_s inside a running log-sum-exp.")
            with np.errstate(all="ignore"):
                h_direct = np.exp(np.cumsum(log_b, axis=-1))
            if np.allclose(got, np.log(h_direct), atol=1e-8) and not np.allclose(got, expected, atol=1e-8):
                raise Incorrect("You left out the decay: log h_t must include A_t = Σ log a_r.")
            no_A = np.logaddexp.accumulate(log_b - np.cumsum(log_a, axis=-1), axis=-1)
            if np.allclose(got, no_A, atol=1e-8) and not np.allclose(got, expected, atol=1e-8):
                raise Incorrect("Close: you computed the running log-sum-exp but did not add A_t back.")
            if not np.allclose(got, expected, atol=1e-8, rtol=1e-8):
                raise Incorrect(f"For T = {T} steps, exp(your result) differs from the loop "
                                "h_t = a_t h_{t-1} + b_t (from h_0 = 0). Check the formula of hint 1.")


class MinGRUCoefficients(Exercise):
    title = "Exercise 3: minGRU as a scan"
    hints = (
        "Write minGRU's update, h_t = (1 - z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t, in the form a_t ⊙ h_{t-1} + b_t.",
        "a_t is what multiplies h_{t-1}; b_t is everything else. Feng et al.'s z weights the new candidate.",
    )
    solution_code = """
def mingru_coefficients(z, h_tilde):
    return 1 - z, z * h_tilde     # a_t = 1 - z_t,  b_t = z_t ⊙ h̃_t
"""

    def _check(self, fn) -> None:
        rng = np.random.default_rng(3)
        z = 1 / (1 + np.exp(-rng.normal(size=(2, 5, 3))))
        h_tilde = rng.normal(size=(2, 5, 3))
        a, b = _pair(call_learner(fn, z.copy(), h_tilde.copy()), "mingru_coefficients")
        if a.shape != z.shape or b.shape != z.shape:
            raise Incorrect(f"a and b should both have the shape of z, {z.shape}; yours have {a.shape} and {b.shape}.")
        if np.allclose(a, z) and np.allclose(b, (1 - z) * h_tilde):
            raise Incorrect("That is PyTorch's GRU convention (chapter 06), where z keeps the old state. In "
                            "minGRU (Feng et al. 2024) z_t weights the new candidate h̃_t.")
        if not np.allclose(a, 1 - z):
            raise Incorrect("a_t, the factor of h_{t-1}, is wrong: which gate value multiplies the old state?")
        if np.allclose(b, h_tilde):
            raise Incorrect("b_t is missing the gate: the candidate enters scaled by z_t.")
        if not np.allclose(b, z * h_tilde):
            raise Incorrect("b_t, the part that does not involve h_{t-1}, is wrong.")


class ScanDepth(Exercise):
    title = "Exercise 4: the depth of the parallel scan"
    hints = (
        "Each Hillis-Steele round doubles how far back every position has combined: after round r, position t "
        "has combined 2^r steps.",
        "Find the smallest r with 2^r >= T. math.log2 is not an integer for T = 1000: round the right way.",
    )
    solution_code = """
import math
answer = math.ceil(math.log2(1000))   # rounds that must run one after another
"""

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
            raise Incorrect(f"Give a number of rounds; you gave {type(answer).__name__}.")
        right = math.ceil(math.log2(1000))
        if answer in (1000, 999):
            raise Incorrect("That is the depth of the loop, one step after another. The scan does many "
                            "combinations at once in each round.")
        if answer == math.floor(math.log2(1000)):
            raise Incorrect("One round short: after that many rounds, each position has combined fewer than "
                            "1000 steps. Round log2 up, not down.")
        if answer == 2 * right:
            raise Incorrect("That is Blelloch's work-efficient scan (an up-sweep and a down-sweep). "
                            "Hillis-Steele needs one sweep.")
        if not (isinstance(answer, (int, np.integer)) or float(answer).is_integer()):
            raise Incorrect("A number of rounds is a whole number.")
        if int(answer) != right:
            raise Incorrect("Not the number of doubling rounds needed to cover 1000 steps; see hint 2.")


ex1 = AssociativeOperator()
ex2 = LogSpaceScan()
ex3 = MinGRUCoefficients()
ex4 = ScanDepth()
