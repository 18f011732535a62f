"""Exercises of 09_hidden_state_lab.ipynb: write a feature, measure gate saturation, find the best unit."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, call_learner, expect_close


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
        "A word character is `ch.isalnum() or ch == '_'` (Python's identifiers). Return `np.array(values, float)`.",
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
    title = "Exercise 2: how often is a gate saturated?"
    hints = (
        "`gate < low` is a boolean array of shape (T, H); the mean of booleans over time is a fraction.",
        "Average over axis 0 (time): `((gate < low).mean(axis=0), (gate > high).mean(axis=0))`.",
    )
    solution_code = """
import numpy as np

def saturation_fractions(gate, low=0.1, high=0.9):
    gate = np.asarray(gate)
    return (gate < low).mean(axis=0), (gate > high).mean(axis=0)
"""

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
    title = "Exercise 3: find the unit"
    hints = (
        "For each unit j, compute Pearson's r between `activations[:, j]` and `feature` (`np.corrcoef` does it).",
        "Rank by the size of r, not its sign: a unit that goes down inside strings tracks them just as well. "
        "Return `int(np.argmax(np.abs(r)))`.",
    )
    solution_code = """
import numpy as np

def best_unit(activations, feature):
    r = [np.corrcoef(activations[:, j], feature)[0, 1] for j in range(activations.shape[1])]
    return int(np.argmax(np.abs(r)))
"""

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
                raise Incorrect(f"In a test where unit {planted} tracks the feature closely with small values, you "
                                f"returned unit {got}, whose values are large but hardly follow the feature: subtract "
                                "each unit's mean before comparing (a dot product with the raw values rewards size).")
            if got == scale_unit:
                raise Incorrect(f"In a test where unit {planted} tracks the feature closely with small values, you "
                                f"returned unit {got}, which varies a lot but follows the feature only weakly: divide "
                                "by each unit's spread too (a covariance rewards scale; a correlation does not).")
            if got != planted:
                raise Incorrect(f"In a test where unit {planted} tracks the feature closely with small values, "
                                f"you returned {got}.")

    @staticmethod
    def _returned(f, activations, feature) -> int:
        got = call_learner(f, activations.copy(), feature.copy())
        if isinstance(got, bool) or not isinstance(got, int | np.integer):
            raise Incorrect(f"Return the unit's index as an int; you returned {type(got).__name__} {got!r}.")
        return int(got)

    def _one_case(self, f, activations, feature, planted, decoy, sign) -> None:
        got = self._returned(f, activations, feature)
        if got == decoy and sign < 0:
            raise Incorrect(f"Unit {decoy} has the largest positive r, but unit {planted} has a larger |r| "
                            "(it is negative): rank by the absolute value.")  # fmt: skip
        if got != planted:
            raise Incorrect(f"In a test where unit {planted} was planted to track the feature, you returned {got}.")


ex1 = PositionInWord()
ex2 = SaturationFractions()
ex3 = BestUnit()
