"""Exercises of 09_hidden_state_lab.ipynb: write a feature, measure gate saturation, find the best unit, and
the assignment: a linear probe of the whole state, fit on one text and scored on another (held-out R²)."""

from __future__ import annotations

import numpy as np

from rnn_helpers import probe
from rnn_helpers.exercises import Exercise, Incorrect, ____, call_learner, expect_close, mutate, refuse_names


def position_in_word(text: str) -> np.ndarray:
    """Reference: 1, 2, 3, ... along a run of letters, digits and underscores; 0 elsewhere."""
    values, k = np.zeros(len(text)), 0
    for t, ch in enumerate(text):
        k = k + 1 if (ch.isalnum() or ch == "_") else 0
        values[t] = k
    return values


class PositionInWord(Exercise):
    title = "Exercise 1: a feature of your own"
    hints = (
        "Walk through the text once, keeping a counter: add 1 on a word character, reset to 0 on anything else.",
        "Which characters may appear in a Python name? str has a method that answers for letters and digits, and "
        "one more character is allowed. Return a numpy array of floats.",
    )
    solution_code = """
import numpy as np

def position_in_word(text):
    values, k = [], 0
    for ch in text:
        k = k + 1 if (ch.isalnum() or ch == "_") else 0
        values.append(k)
    return np.array(values, dtype=float)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def position_in_word(text):
    values, k = [], 0
    for ch in text:
        k = k + 1 if ch.isalpha() else 0       # digits and _ end a word
        values.append(k)
    return np.array(values, dtype=float)
""",
        """
import numpy as np

def position_in_word(text):
    return np.array([1.0 if ch.isalnum() else 0.0 for ch in text])   # inside a word or not
""",
    )
    cases = ("def f(x):\n    return x_1 + 2", "a  bb ccc", "__init__(self)", "", "x")

    def _check(self, f) -> None:
        for text in self.cases:
            got = call_learner(f, text)
            try:
                got = np.asarray(got, dtype=float)
            except (TypeError, ValueError) as err:
                raise Incorrect(f"Return an array of numbers; for {text!r} you returned {type(got).__name__}.") from err
            if got.shape != (len(text),):
                raise Incorrect(f"For {text!r} ({len(text)} characters) return one value per character; "
                                f"yours has shape {got.shape}.")  # fmt: skip
            expect_close(f"position_in_word({text!r})", got, position_in_word(text))


def saturation_fractions(gate, low=0.1, high=0.9):
    """Reference: per unit, the fraction of steps below ``low`` and above ``high`` (strictly)."""
    gate = np.asarray(gate, dtype=float)
    return (gate < low).mean(axis=0), (gate > high).mean(axis=0)


class SaturationFractions(Exercise):
    write_it_yourself = (probe.gate_saturation, probe.saturation_by_layer)
    title = "Exercise 2: how often is a gate saturated?"
    hints = (
        "`gate < low` is a boolean array of shape (T, H); the mean of booleans over time is a fraction.",
        "Which axis of (T, H) is time? A mean over it turns the booleans into one fraction per unit; do it once "
        "for each side and return the pair.",
    )
    solution_code = """
import numpy as np

def saturation_fractions(gate, low=0.1, high=0.9):
    gate = np.asarray(gate)
    return (gate < low).mean(axis=0), (gate > high).mean(axis=0)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def saturation_fractions(gate, low=0.1, high=0.9):
    return (gate > high).mean(axis=0), (gate < low).mean(axis=0)    # swapped
""",
        """
import numpy as np

def saturation_fractions(gate, low=0.1, high=0.9):
    return (gate < low).mean(axis=1), (gate > high).mean(axis=1)    # averaged over units
""",
        """
import numpy as np

def saturation_fractions(gate, low=0.1, high=0.9):
    return (gate <= low).mean(axis=0), (gate >= high).mean(axis=0)  # thresholds not strict
""",
    )

    def _check(self, f) -> None:
        rng = np.random.default_rng(9)
        cases = [
            rng.uniform(0, 1, size=(50, 4)),
            rng.beta(0.3, 0.3, size=(40, 6)),
            np.array([[0.1, 0.9], [0.05, 0.95], [0.5, 0.5], [0.0, 1.0]]),  # thresholds are strict: 0.1 is not < 0.1
        ]
        for gate in cases:
            result = call_learner(f, gate.copy())
            if not isinstance(result, tuple | list) or len(result) != 2:
                raise Incorrect("Return a pair (left, right) of arrays, one fraction per unit.")
            left, right = saturation_fractions(gate)
            if np.allclose(np.asarray(result[0], float), right) and not np.allclose(left, right):
                raise Incorrect("You swapped them: left-saturated means below 0.1, right-saturated above 0.9.")
            expect_close(f"left fractions for a ({gate.shape[0]}, {gate.shape[1]}) gate", result[0], left)
            expect_close(f"right fractions for a ({gate.shape[0]}, {gate.shape[1]}) gate", result[1], right)


class BestUnit(Exercise):
    write_it_yourself = (probe.find_units, probe.correlations)
    title = "Exercise 3: find the unit"
    hints = (
        "For each unit j, compute Pearson's r between `activations[:, j]` and `feature` (`np.corrcoef` does it).",
        "Rank by the size of r, not its sign: a unit that goes down inside strings tracks them just as well. "
        "What type should the index you return have?",
    )
    solution_code = """
import numpy as np

def best_unit(activations, feature):
    r = [np.corrcoef(activations[:, j], feature)[0, 1] for j in range(activations.shape[1])]
    return int(np.argmax(np.abs(r)))
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def best_unit(activations, feature):
    r = [np.corrcoef(activations[:, j], feature)[0, 1] for j in range(activations.shape[1])]
    return int(np.argmax(r))                   # the sign counted
""",
        """
import numpy as np

def best_unit(activations, feature):
    return int(np.argmax(np.abs(activations.T @ feature)))   # a raw dot product
""",
    )

    def _check(self, f) -> None:
        rng = np.random.default_rng(3)
        T, H = 300, 12
        feature = (rng.uniform(size=T) < 0.3).astype(float)
        for planted, sign in ((4, 1.0), (9, -1.0), (0, 1.0)):
            activations = rng.normal(size=(T, H))  # (T, H)
            activations[:, planted] = sign * 2.0 * feature + 0.3 * rng.normal(size=T)
            decoy = 11 if planted != 11 else 10
            activations[:, decoy] = 0.5 * feature + rng.normal(size=T)  # weaker, positive
            self._one_case(f, activations, feature, planted, decoy, sign)
        # decoys that only a correlation sees through: the planted unit moves in small steps around -3, one
        # decoy sits at a large offset, another moves a lot (large scale) but follows the feature only weakly
        for planted, offset_unit, scale_unit in ((2, 7, 5), (6, 1, 10)):
            activations = rng.normal(size=(T, H))
            activations[:, planted] = -3.0 + 0.05 * feature + 0.01 * rng.normal(size=T)  # r ≈ 0.9, small steps
            activations[:, offset_unit] = 100.0 + 0.2 * feature + rng.normal(size=T)  # r ≈ 0.1, far from 0
            activations[:, scale_unit] = 50.0 * (0.3 * feature + rng.normal(size=T))  # r ≈ 0.14, huge spread
            got = self._returned(f, activations, feature)
            if got == offset_unit:
                raise Incorrect(f"In a test where one unit tracks the feature closely with small values, you "
                                f"returned unit {got}, whose values are large but hardly follow the feature: subtract "
                                "each unit's mean before comparing (a dot product with the raw values rewards size).")
            if got == scale_unit:
                raise Incorrect(f"In a test where one unit tracks the feature closely with small values, you "
                                f"returned unit {got}, which varies a lot but follows the feature only weakly: divide "
                                "by each unit's spread too (a covariance rewards scale; a correlation does not).")
            if got != planted:
                raise Incorrect(f"In a test where one unit tracks the feature closely with small values, you "
                                f"returned unit {got}, which is not it: compare the units by their correlation with "
                                "the feature.")

    @staticmethod
    def _returned(f, activations, feature) -> int:
        got = call_learner(f, activations.copy(), feature.copy())
        if isinstance(got, bool) or not isinstance(got, int | np.integer):
            raise Incorrect(f"Return the unit's index as an int; you returned {type(got).__name__} {got!r}.")
        return int(got)

    def _one_case(self, f, activations, feature, planted, decoy, sign) -> None:
        got = self._returned(f, activations, feature)
        if got == decoy and sign < 0:
            raise Incorrect(f"Unit {decoy} has the largest positive r, but another unit has a larger |r| "
                            "(its r is negative): rank by the absolute value.")  # fmt: skip
        if got != planted:
            raise Incorrect(f"In a test where one unit was planted to track the feature, you returned unit {got}, "
                            "which is not it.")


# ------------------------------------------------------------------------------------- the assignment
def _fit_predict(train_states, train_feature, test_states, *, intercept=True, ridge=0.0):
    """Least-squares linear probe: fit on train, predict test (with an intercept column unless told not to)."""
    def design(S):
        return np.hstack([S, np.ones((len(S), 1))]) if intercept else S

    X = design(train_states)
    w = np.linalg.solve(X.T @ X + ridge * np.eye(X.shape[1]), X.T @ train_feature) if ridge else \
        np.linalg.lstsq(X, train_feature, rcond=None)[0]
    return design(test_states) @ w


def _r2(y, pred) -> float:
    return float(1 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2))


def reference_probe_r2(train_states, train_feature, test_states, test_feature) -> float:
    """Held-out R² of a least-squares linear probe with an intercept, fit on the training text only."""
    return _r2(test_feature, _fit_predict(train_states, train_feature, test_states))


def probe_cases(seed: int = 9):
    """Synthetic recordings with a planted linear code: (train_states, train_feature, test_states, test_feature).
    The feature is spread over several units with an offset, so a single unit or a probe without an intercept
    falls short, and the test text shifts the states' mean, so scaling by the test's own statistics shows."""
    rng = np.random.default_rng(seed)
    cases = []
    for T_train, T_test, H in ((400, 300, 16), (250, 200, 8)):
        w = rng.normal(size=H)
        states = rng.normal(size=(T_train + T_test, H))
        states[T_train:] += rng.normal(size=H)  # another text: the states sit elsewhere
        feature = states @ w + 3.0 + 0.8 * rng.normal(size=T_train + T_test)
        cases.append((states[:T_train], feature[:T_train], states[T_train:], feature[T_train:]))
    return cases


class HeldOutProbe(Exercise):
    title = "Exercise 4 (assignment): a linear probe of the whole state, scored on held-out text"
    hints = (
        "Three steps: fit weights (and an offset) so that train_states @ w + c approximates train_feature in the "
        "least-squares sense; predict the test feature from test_states with the same w and c; score the "
        "prediction with R² = 1 - (sum of squared errors) / (sum of squared deviations from the mean).",
        "np.linalg.lstsq solves the least-squares problem; a column of ones appended to the states gives the "
        "offset. Which text may the fit see, and which text's mean belongs in R²'s denominator?",
        "R² is not the squared correlation for predictions on new data: a probe whose predictions are all "
        "shifted by a constant keeps its correlation but loses R².",
    )
    solution_code = """
import numpy as np

def probe_r2(train_states, train_feature, test_states, test_feature):
    X = np.hstack([train_states, np.ones((len(train_states), 1))])        # (T, H + 1): an offset column
    w, *_ = np.linalg.lstsq(X, train_feature, rcond=None)                # fit on the training text only
    pred = np.hstack([test_states, np.ones((len(test_states), 1))]) @ w  # predict the other text
    residual = np.sum((test_feature - pred) ** 2)
    total = np.sum((test_feature - test_feature.mean()) ** 2)
    return 1 - residual / total

answer = probe_r2
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        mutate(solution_code, "X = np.hstack([train_states, np.ones((len(train_states), 1))])",
               "X = np.hstack([test_states, np.ones((len(test_states), 1))])"),  # the probe fitted on the test text
        mutate(solution_code, "total = np.sum((test_feature - test_feature.mean()) ** 2)",
               "total = np.sum(test_feature ** 2)"),  # R² against 0 instead of the mean
    )

    def _check(self, probe_r2) -> None:
        refuse_names(probe_r2, {"r2_score", "LinearRegression", "Ridge"}, "write the fit and the score with numpy")
        for k, (S_tr, y_tr, S_te, y_te) in enumerate(probe_cases()):
            got = call_learner(probe_r2, S_tr.copy(), y_tr.copy(), S_te.copy(), y_te.copy())
            if isinstance(got, bool) or not isinstance(got, int | float | np.floating | np.integer) and \
                    np.ndim(got) != 0:
                raise Incorrect(f"probe_r2 should return one number, the held-out R²; it returned "
                                f"{type(got).__name__}.")
            got = float(got)
            right = reference_probe_r2(S_tr, y_tr, S_te, y_te)
            if abs(got - right) < 1e-6:
                continue
            slips = {
                "Your probe has no offset: the feature's mean is not 0, so append a column of ones to the states.":
                    _r2(y_te, _fit_predict(S_tr, y_tr, S_te, intercept=False)),
                "That is the R² on the training text; the question is how well the probe does on the text it has "
                "not seen.": _r2(y_tr, _fit_predict(S_tr, y_tr, S_tr)),
                "Your probe was fit on the test text itself: fit on the training text, then score on the test.":
                    _r2(y_te, _fit_predict(S_te, y_te, S_te)),
                "That is the squared correlation between the prediction and the feature; R² also counts an offset "
                "or a wrong scale as error.": float(np.corrcoef(y_te, _fit_predict(S_tr, y_tr, S_te))[0, 1] ** 2),
                "Your R²'s denominator uses the training text's mean; each text's R² compares with its own mean.":
                    float(1 - np.sum((y_te - _fit_predict(S_tr, y_tr, S_te)) ** 2)
                          / np.sum((y_te - y_tr.mean()) ** 2)),
                "Your R² divides the errors by the sum of squares of the feature itself; subtract the feature's mean "
                "first.": float(1 - np.sum((y_te - _fit_predict(S_tr, y_tr, S_te)) ** 2) / np.sum(y_te**2)),
            }
            scaled_by_test = _r2(y_te, _fit_predict((S_tr - S_tr.mean(0)) / S_tr.std(0), y_tr,
                                                    (S_te - S_te.mean(0)) / S_te.std(0)))
            slips["You standardised the test states with their own mean and spread; use the training text's "
                  "statistics for both (the probe must not see the test text)."] = scaled_by_test
            for message, value in slips.items():
                if abs(got - value) < 1e-6:
                    raise Incorrect(message)
            direction = "higher" if got > right else "lower"
            raise Incorrect(f"In test {k + 1} your R² is {direction} than a least-squares probe with an offset, fit on "
                            "the training text and scored on the test text, gets.")


ex1 = PositionInWord()
ex2 = SaturationFractions()
ex3 = BestUnit()
ex4 = HeldOutProbe()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4"]
