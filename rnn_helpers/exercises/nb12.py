"""Exercises of 12_modern_recurrences.ipynb: the associative operator, the log-space fix, minGRU's
coefficients, the depth of a parallel scan, and the assignment: a check that an operator is associative and a
scan of your own, in ⌈log2 T⌉ rounds of any associative operator, equal to the loop.

Messages say how an answer is wrong (the order of the steps, a missing term, the convention), never what
the right value is.
"""

from __future__ import annotations

import math

import numpy as np

from rnn_helpers import linear_rnn
from rnn_helpers.exercises import Exercise, Incorrect, ____, as_array, call_learner, mutate, refuse_names


def _rng_cases(seed: int = 0):
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1.5, 1.5, size=s), rng.normal(size=s), rng.uniform(-1.5, 1.5, size=s), rng.normal(size=s))
            for s in [(5,), (2, 3, 4)]]


def _pair(result, what: str):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Incorrect(f"{what} should return a pair (a, b), two arrays; it returned {type(result).__name__}.")
    return as_array(result[0], what + "'s first element"), as_array(result[1], what + "'s second element")


class AssociativeOperator(Exercise):
    write_it_yourself = (linear_rnn.combine,)
    title = "Exercise 1: the associative operator"
    hints = (
        "Write what applying step 1 and then step 2 does to a state h: h ↦ a_2 (a_1 h + b_1) + b_2. Expand it "
        "and read off the new slope (the factor of h) and the new offset.",
        "Test your pair on numbers before you hand it in: with (a_1, b_1) = (2, 1) and (a_2, b_2) = (3, 5), "
        "run h = 0 through step 1 and then step 2, and compare with your combined step applied to h = 0 (and "
        "to h = 1).",
    )
    solution_code = """
def combine(a_1, b_1, a_2, b_2):
    # step (a_1, b_1) first, then (a_2, b_2):  h -> a_2 (a_1 h + b_1) + b_2
    return a_1 * a_2, a_2 * b_1 + b_2
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def combine(a_1, b_1, a_2, b_2):
    return a_1 * a_2, a_1 * b_2 + b_1          # steps in the wrong order
""",
        """
def combine(a_1, b_1, a_2, b_2):
    return a_1 + a_2, a_2 * b_1 + b_2          # slopes added
""",
    )

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
    write_it_yourself = (linear_rnn.log_space_scan,)
    title = "Exercise 2: the log-space fix"
    hints = (
        "With A_t = Σ_{r<=t} log a_r, h_t = Σ_{s<=t} exp(A_t - A_s) b_s. Take logs: log h_t = A_t + log Σ_s "
        "exp(log b_s - A_s). The inner sum of exponentials is a running log-sum-exp.",
        "Two numpy functions do the work, one for a running sum and one for a running log Σ exp (it never forms "
        "exp of a large number). Which quantity goes into each, and what is left to add at the end?",
    )
    solution_code = """
import numpy as np

def log_scan(log_a, log_b):
    A = np.cumsum(log_a, axis=-1)                               # log of the running product of a
    return A + np.logaddexp.accumulate(log_b - A, axis=-1)      # log h_t, never exp of a large number
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def log_scan(log_a, log_b):
    A = np.cumsum(log_a, axis=-1)
    return np.logaddexp.accumulate(log_b - A, axis=-1)   # A not added back
""",
        """
import numpy as np

def log_scan(log_a, log_b):
    P = np.exp(np.cumsum(log_a, axis=-1))
    return np.log(P * np.cumsum(np.exp(log_b) / P, axis=-1))   # 1/P overflows on long sequences
""",
    )

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
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def mingru_coefficients(z, h_tilde):
    return z, (1 - z) * h_tilde                # PyTorch's GRU convention
""",
        """
def mingru_coefficients(z, h_tilde):
    return 1 - z, h_tilde                      # gate missing on the candidate
""",
    )

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
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = 1000  # the loop',
        'answer = 9  # log2 rounded down',
        'answer = 20  # Blelloch',
    )

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


# ------------------------------------------------------------------------------------- the assignment
def _combine(a_1, b_1, a_2, b_2):
    """The linear recurrence's operator: step (a_1, b_1), then (a_2, b_2)."""
    return a_1 * a_2, a_2 * b_1 + b_2


def _max_plus(a_1, b_1, a_2, b_2):
    """Another associative operator (the max-plus semiring's affine maps h ↦ max(h + a, b)): a scan written for
    any operator must handle it too."""
    return a_1 + a_2, np.maximum(b_1 + a_2, b_2)


def _average(a_1, b_1, a_2, b_2):
    """Not associative: ((p • q) • r) weights r by 1/2, p • (q • r) weights it by 1/4."""
    return (a_1 + a_2) / 2, (b_1 + b_2) / 2


def _minus(a_1, b_1, a_2, b_2):
    """Not associative either, and equal to the right operator whenever b_1 = 0 (a check on zeros misses it)."""
    return a_1 * a_2, b_2 - a_2 * b_1


def _combine_reversed(a_1, b_1, a_2, b_2):
    """Associative (it is the right operator with its arguments swapped), but not the linear recurrence's."""
    return _combine(a_2, b_2, a_1, b_1)


def _loop_scan(a, b, op) -> np.ndarray:
    """The b-part of (a_1, b_1) • … • (a_t, b_t) for every t, one step after another (time on the last axis)."""
    A, B = a[..., 0], b[..., 0]
    out = [B]
    for t in range(1, a.shape[-1]):
        A, B = op(A, B, a[..., t], b[..., t])
        out.append(B)
    return np.stack(out, axis=-1)


class IsAssociative(Exercise):
    title = "Exercise 5 (assignment, part 1): check that an operator is associative"
    hints = (
        "Associativity is a statement about three pairs p, q, r: (p • q) • r = p • (q • r). Draw random ones (and "
        "more than once), combine them both ways and compare both elements of the results.",
        "Floating-point products in another order differ in the last digits: compare with np.allclose, not ==. "
        "And associativity is not commutativity: p • q and q • p may differ for an associative operator.",
    )
    solution_code = """
import numpy as np

def is_associative(op, trials=20, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        p, q, r = [(rng.uniform(0.5, 1.5, 4), rng.normal(size=4)) for _ in range(3)]
        left = op(*op(*p, *q), *r)                 # (p • q) • r
        right = op(*p, *op(*q, *r))                # p • (q • r)
        if not (np.allclose(left[0], right[0]) and np.allclose(left[1], right[1])):
            return False
    return True

answer = is_associative
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def is_associative(op, trials=20, seed=0):
    return True                                  # never tests anything
""",
        mutate(solution_code, "left = op(*op(*p, *q), *r)", "left = op(*op(*q, *p), *r)"),  # p and q swapped
    )

    def _check(self, is_associative) -> None:
        cases = [
            ("the linear recurrence's operator", _combine, True),
            ("an operator that averages the two pairs", _average, False),
            ("the max-plus operator (a_1 + a_2, max(b_1 + a_2, b_2))", _max_plus, True),
            ("an operator equal to the right one whenever b_1 = 0", _minus, False),
            ("the right operator with its arguments swapped", _combine_reversed, True),
        ]
        for name, op, truth in cases:
            got = call_learner(is_associative, op)
            if not isinstance(got, bool | np.bool_):
                raise Incorrect(f"is_associative should return True or False; for {name} it returned "
                                f"{type(got).__name__}.")
            if bool(got) == truth:
                continue
            if op is _combine and self._commutes_checked(is_associative):
                raise Incorrect("Your check rejects the linear recurrence's operator, which is associative but not "
                                "commutative: you compared p • q with q • p. Compare (p • q) • r with p • (q • r).")
            if truth:
                raise Incorrect(f"Your check says {name} is not associative, but it is. Floating-point results of "
                                "the two bracketings differ in the last digits: compare with a tolerance.")
            raise Incorrect(f"Your check says {name} is associative, but it is not: test more (and random) "
                            "triples, and compare both elements of the pairs.")

    @staticmethod
    def _commutes_checked(is_associative) -> bool:
        """True when the learner's check answers like a commutativity test (it accepts the averaging operator)."""
        try:
            return bool(is_associative(_average)) and not bool(is_associative(_max_plus))
        except Exception:  # noqa: BLE001 - the learner's code; the verdict above already explains
            return False


class ScanRounds(Exercise):
    write_it_yourself = (linear_rnn.parallel_scan, linear_rnn.sequential_scan, linear_rnn.chunked_scan,
                         linear_rnn.cumsum_scan, linear_rnn.log_space_scan)
    title = "Exercise 6 (assignment, part 2): a scan in ⌈log2 T⌉ rounds"
    hints = (
        "Hillis-Steele (section 2): in the round with offset d = 1, 2, 4, … every position t ≥ d combines the "
        "pair it holds with the pair held d positions earlier, all positions at once; positions t < d keep theirs. "
        "One call of op per round, on whole shifted slices (time is the last axis: `a[..., d:]`).",
        "The order inside op matters: the earlier steps must come first. And stop only when the offset reaches T, "
        "not before: try T = 5 by hand.",
    )
    solution_code = """
import numpy as np

def scan(a, b, op):
    # inclusive scan of the pairs (a_t, b_t) along the last axis; returns the b-parts
    A, B = a.copy(), b.copy()
    T, d = a.shape[-1], 1
    while d < T:
        # position t >= d: (A, B)_{t-d} • (A, B)_t, every position at once; t < d is complete already
        A_new, B_new = op(A[..., :-d], B[..., :-d], A[..., d:], B[..., d:])
        A = np.concatenate([A[..., :d], A_new], axis=-1)
        B = np.concatenate([B[..., :d], B_new], axis=-1)
        d *= 2
    return B

answer = scan
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code, "d *= 2", "d += 1"),  # the distance grows by one, not doubles
        mutate(solution_code,  # the operands swapped
               "A_new, B_new = op(A[..., :-d], B[..., :-d], A[..., d:], B[..., d:])",
               "A_new, B_new = op(A[..., d:], B[..., d:], A[..., :-d], B[..., :-d])"),
    )

    def _check(self, scan) -> None:
        # a helper imported inside the function is no global: catch it by name
        refuse_names(scan, {"parallel_scan", "sequential_scan", "chunked_scan", "cumsum_scan", "log_space_scan"},
                     "write the rounds")
        rng = np.random.default_rng(6)
        for T in (1, 2, 5, 8, 13, 64):
            for op_name, op in (("the linear recurrence's operator", _combine), ("the max-plus operator", _max_plus)):
                a, b = rng.uniform(0.5, 1.0, size=(2, 3, T)), rng.normal(size=(2, 3, T))
                calls = []

                def counted(a_1, b_1, a_2, b_2, op=op, calls=calls):
                    calls.append(1)
                    return op(a_1, b_1, a_2, b_2)

                got = as_array(call_learner(scan, a.copy(), b.copy(), counted), "scan")
                expected = _loop_scan(a, b, op)
                rounds = math.ceil(math.log2(T)) if T > 1 else 0
                if got.shape != expected.shape:
                    raise Incorrect(f"For a and b of shape {a.shape} (time on the last axis) your scan should return "
                                    f"that shape; yours has {got.shape}.")
                if T > 1 and not calls:
                    raise Incorrect("Your scan never calls the operator it is given: write it for any associative "
                                    "op (the checker also passes one that is not the linear recurrence's).")
                if not np.allclose(got, expected, rtol=1e-9, atol=1e-9):
                    if np.allclose(got, _loop_scan(a, b, lambda *x, op=op: op(x[2], x[3], x[0], x[1])), atol=1e-9):
                        raise Incorrect(f"With {op_name} your scan combines the later pair first: in each round the "
                                        "pair from d positions earlier goes first, op(earlier, later).")
                    raise Incorrect(f"For T = {T} with {op_name}, your scan differs from the loop "
                                    f"{'(T is not a power of 2: do you stop a round early?)' if T & (T - 1) else ''}"
                                    .rstrip())
                if len(calls) > 2 * rounds + 1:
                    raise Incorrect(f"For T = {T} your scan calls op {len(calls)} times, one after another: that is "
                                    f"the loop again. The rounds combine whole shifted slices, one call per round.")


ex1 = AssociativeOperator()
ex2 = LogSpaceScan()
ex3 = MinGRUCoefficients()
ex4 = ScanDepth()
ex5 = IsAssociative()
ex6 = ScanRounds()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5", "ex6"]
