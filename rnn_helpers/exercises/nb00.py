"""Exercises of 00_start_here.ipynb: a demo question for the three verdicts, two warm-ups, and an assignment: the adding
problem's batches written with numpy, checked by the learner and then by the checker."""

from __future__ import annotations

import numpy as np

from rnn_helpers import tasks
from rnn_helpers.exercises import (
    Exercise,
    Incorrect,
    ____,
    as_array,
    call_learner,
    expect_close,
    expect_shape,
    refuse_names,
)


class FeaturesPerStep(Exercise):
    title = "Demo: how many numbers does one step carry?"
    hints = ("Each step of the adding problem is a pair: a value and a marker.",)
    solution_code = "answer = 2  # (value, marker)"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        "answer = 1  # the value only",
        "answer = 50  # the number of steps",
    )

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise Incorrect(f"Give a whole number; you gave {type(answer).__name__} {answer!r}.")
        if answer != 2:
            raise Incorrect(f"Not {answer}: each step carries a value and a marker; count them.")


class LastStepShape(Exercise):
    title = "Exercise 1: the shape of one step of a batch"
    hints = (
        "The course is batch first: (batch, time, features). Indexing an axis with a number removes it; `:` "
        "keeps it.",
        "`x[:, -1]` keeps every sequence, takes the last step of each, and keeps all the numbers of that step.",
    )
    solution_code = "answer = (16, 2)  # x[:, -1]: every sequence, the last step, both features"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        "answer = (100, 2)  # the first axis read as time",
        "answer = (16, 100, 2)  # the whole batch",
        "answer = (16, 1)  # the shape of the targets",
        "answer = (2,)  # one step of one sequence",
    )

    def _check(self, answer) -> None:
        if not isinstance(answer, (tuple, list)) or not all(isinstance(a, int) for a in answer):
            raise Incorrect(f"Give a tuple of whole numbers, like (1, 2, 3); you gave {answer!r}.")
        answer = tuple(answer)
        if answer == (16, 2):
            return
        if answer == (100, 2):
            raise Incorrect("The first axis is the batch, not time: x[:, -1] keeps every sequence and removes the "
                            "time axis.")
        if answer == (16, 100, 2):
            raise Incorrect("That is the shape of the whole batch x; x[:, -1] takes one step (the last) of every "
                            "sequence, so the time axis goes away.")
        if len(answer) == 2 and answer[1] == 1:
            raise Incorrect("(…, 1) is the shape of the targets y; x carries a value and a marker at each step.")
        if len(answer) == 1:
            raise Incorrect("That is one step of one sequence, x[0, -1]; the `:` of x[:, -1] keeps every sequence.")
        raise Incorrect(f"Not quite: you gave {answer}. Which axes of (batch, time, features) does x[:, -1] keep?")


class ThreeMarkerBaseline(Exercise):
    title = "Exercise 2: the baseline with three markers"
    hints = (
        "The best constant guess is the mean of the target, and its MSE is the target's variance.",
        "Variances of independent numbers add; one uniform [0, 1] number has variance 1/12.",
    )
    solution_code = "answer = 3 / 12  # Var(X1 + X2 + X3) = 1/12 + 1/12 + 1/12"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        "answer = 2 / 12  # the baseline of the two-marker problem",
        "answer = 1 / 12  # one uniform only",
        "answer = 9 / 12  # the variance of a uniform [0, 3]",
        "answer = 1.5  # the best constant guess, not its MSE",
    )

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            raise Incorrect(f"Give a number; you gave {type(answer).__name__} {answer!r}.")
        if abs(answer - 1 / 6) < 2e-3:
            raise Incorrect("That is the baseline of the two-marker problem of the training run; with three markers "
                            "the target adds one more independent uniform number.")
        if abs(answer - 1 / 12) < 2e-3:
            raise Incorrect("That is the variance of one uniform number; the target adds three independent ones.")
        if abs(answer - 0.75) < 2e-3:
            raise Incorrect("That is the variance of a uniform [0, 3] number: a sum of uniforms is not uniform.")
        if abs(answer - 1.5) < 2e-3:
            raise Incorrect("That is the best constant guess itself (the mean of the target); its MSE is the "
                            "target's variance.")
        expect_close("Your MSE", answer, 1 / 4, atol=2e-3)


class AddingBatch(Exercise):
    title = "Exercise 3 (assignment): the adding problem, written by you"
    hints = (
        "Draw the values with `rng.uniform(0, 1, size=(batch, T))`. For the markers start from "
        "`np.zeros((batch, T))` and set two entries of each row to 1; stack the two with "
        "`np.stack([values, markers], axis=-1)` to get (batch, T, 2).",
        "The two marked steps of a row must differ: `rng.choice(T, size=2, replace=False)` draws them for one row "
        "(loop over the rows, or draw all rows at once with `rng.permuted`/`argsort` of random numbers). "
        "Remember that `rng.integers(low, high)` never returns `high`.",
        "The target of a row is the sum of its values at the marked steps: the product of the two columns, "
        "summed over time. Keep the batch axis: (batch, 1), as `keepdims=True` gives.",
    )
    solution_code = """
import numpy as np

def adding_batch(batch, T, rng):
    values = rng.uniform(0.0, 1.0, size=(batch, T))
    markers = np.zeros((batch, T))
    for row in range(batch):
        marked = rng.choice(T, size=2, replace=False)   # two different steps of this sequence
        markers[row, marked] = 1.0
    x = np.stack([values, markers], axis=-1)             # (batch, T, 2): (value, marker) at each step
    y = (values * markers).sum(axis=1, keepdims=True)    # (batch, 1): the sum of the two marked values
    return x, y
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def adding_batch(batch, T, rng):   # the two steps drawn with replacement: sometimes the same step twice
    values = rng.uniform(0.0, 1.0, size=(batch, T))
    markers = np.zeros((batch, T))
    for row in range(batch):
        markers[row, rng.integers(0, T, size=2)] = 1.0
    return np.stack([values, markers], axis=-1), (values * markers).sum(axis=1, keepdims=True)
""",
        """
import numpy as np

def adding_batch(batch, T, rng):   # rng.integers(0, T - 1): the last step is never marked
    values = rng.uniform(0.0, 1.0, size=(batch, T))
    markers = np.zeros((batch, T))
    for row in range(batch):
        first = rng.integers(0, T - 1)
        second = (first + rng.integers(1, T - 1)) % (T - 1)
        markers[row, [first, second]] = 1.0
    return np.stack([values, markers], axis=-1), (values * markers).sum(axis=1, keepdims=True)
""",
        """
import numpy as np

def adding_batch(batch, T, rng):   # one pair of steps for the whole batch
    values = rng.uniform(0.0, 1.0, size=(batch, T))
    markers = np.zeros((batch, T))
    markers[:, rng.choice(T, size=2, replace=False)] = 1.0
    return np.stack([values, markers], axis=-1), (values * markers).sum(axis=1, keepdims=True)
""",
        """
import numpy as np

def adding_batch(batch, T, rng):   # the target sums every value
    values = rng.uniform(0.0, 1.0, size=(batch, T))
    markers = np.zeros((batch, T))
    for row in range(batch):
        markers[row, rng.choice(T, size=2, replace=False)] = 1.0
    return np.stack([values, markers], axis=-1), values.sum(axis=1, keepdims=True)
""",
        """
import numpy as np

def adding_batch(batch, T, rng):   # the target without its batch axis: (batch,)
    values = rng.uniform(0.0, 1.0, size=(batch, T))
    markers = np.zeros((batch, T))
    for row in range(batch):
        markers[row, rng.choice(T, size=2, replace=False)] = 1.0
    return np.stack([values, markers], axis=-1), (values * markers).sum(axis=1)
""",
        """
import numpy as np

def adding_batch(batch, T, rng):   # time first, as some textbooks do
    values = rng.uniform(0.0, 1.0, size=(T, batch))
    markers = np.zeros((T, batch))
    for row in range(batch):
        markers[rng.choice(T, size=2, replace=False), row] = 1.0
    return np.stack([values, markers], axis=-1), (values * markers).sum(axis=0)[:, None]
""",
        """
import numpy as np

def adding_batch(batch, T, rng):   # numpy's global generator: the rng handed in is ignored
    values = np.random.uniform(0.0, 1.0, size=(batch, T))
    markers = np.zeros((batch, T))
    for row in range(batch):
        markers[row, np.random.choice(T, size=2, replace=False)] = 1.0
    return np.stack([values, markers], axis=-1), (values * markers).sum(axis=1, keepdims=True)
""",
        """
import numpy as np

def adding_batch(batch, T, rng):   # normal values instead of uniform [0, 1]
    values = rng.normal(0.5, 0.3, size=(batch, T))
    markers = np.zeros((batch, T))
    for row in range(batch):
        markers[row, rng.choice(T, size=2, replace=False)] = 1.0
    return np.stack([values, markers], axis=-1), (values * markers).sum(axis=1, keepdims=True)
""",
        """
import numpy as np

def adding_batch(batch, T, rng):   # the columns in the other order: (marker, value)
    values = rng.uniform(0.0, 1.0, size=(batch, T))
    markers = np.zeros((batch, T))
    for row in range(batch):
        markers[row, rng.choice(T, size=2, replace=False)] = 1.0
    return np.stack([markers, values], axis=-1), (values * markers).sum(axis=1, keepdims=True)
""",
    )
    write_it_yourself = (tasks.adding_problem,)
    shapes = ("x is (batch, T, 2), one row per sequence with the columns (value, marker) at each step; "
              "y is (batch, 1).")

    def _batch(self, make, batch: int, T: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        result = call_learner(make, batch, T, np.random.default_rng(seed))
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Incorrect(f"Return two arrays, (x, y); your function returned {type(result).__name__}.")
        x, y = as_array(result[0], "adding_batch"), as_array(result[1], "adding_batch")
        expect_shape(f"x = adding_batch({batch}, {T}, rng)[0]", x, (batch, T, 2), "(batch, T, (value, marker))")
        expect_shape(f"y = adding_batch({batch}, {T}, rng)[1]", y, (batch, 1), "(batch, 1)")
        return x, y

    def _check(self, make) -> None:
        refuse_names(make, {"adding_problem"}, "draw the batch with numpy")
        x, y = self._batch(make, 4, 10, seed=0)
        again = self._batch(make, 4, 10, seed=0)
        if not (np.array_equal(x, again[0]) and np.array_equal(y, again[1])):
            raise Incorrect("Two calls with generators of the same seed gave different batches: draw every random "
                            "number from the `rng` argument (rng.uniform, rng.choice), not from np.random or torch.")
        other = self._batch(make, 4, 10, seed=1)
        if np.array_equal(x, other[0]):
            raise Incorrect("Generators of different seeds gave the same batch: your function does not draw from "
                            "the `rng` it is given.")
        x, y = self._batch(make, 2000, 20, seed=2)
        values, markers = x[:, :, 0], x[:, :, 1]
        if np.isin(values, (0.0, 1.0)).all() and not np.isin(markers, (0.0, 1.0)).all():
            raise Incorrect("The two columns are swapped: each step is (value, marker), so x[:, :, 0] holds the "
                            "values and x[:, :, 1] the markers.")
        if not np.isin(markers, (0.0, 1.0)).all():
            raise Incorrect("The markers x[:, :, 1] should be 0 or 1 only.")
        if values.min() < 0 or values.max() > 1:
            raise Incorrect("Some values x[:, :, 0] lie outside [0, 1]: draw them uniformly in [0, 1] "
                            "(rng.uniform), not from a normal distribution.")
        if abs(values.mean() - 0.5) > 0.02 or abs(values.var() - 1 / 12) > 0.01:
            raise Incorrect("The values x[:, :, 0] are in [0, 1] but not spread like uniform numbers: draw them "
                            "with rng.uniform(0, 1, ...).")
        counts = markers.sum(axis=1)
        if (counts == 1).any() and (counts <= 2).all():
            share = float((counts == 1).mean())
            raise Incorrect(f"{share:.1%} of your sequences have a single marker: the two marked steps were drawn "
                            "with replacement, so sometimes they are the same step. Draw two different steps.")
        if not (counts == 2).all():
            raise Incorrect("Every sequence should have exactly two markers; yours have between "
                            f"{int(counts.min())} and {int(counts.max())}.")
        first = np.argmax(markers, axis=1)
        if (markers == markers[:1]).all():
            raise Incorrect("Every sequence of the batch has its markers at the same two steps: draw the marked "
                            "steps for each sequence.")
        never = np.flatnonzero(markers.sum(axis=0) == 0)
        if never.size:
            where = ("the last step" if never.tolist() == [19] else "the first step" if never.tolist() == [0]
                     else f"{never.size} of the {markers.shape[1]} steps")
            raise Incorrect(f"In 2000 sequences of 20 steps, {where} is never marked: any step can be marked. "
                            "Check the upper bound of your draw (rng.integers(low, high) never returns high).")
        if (first >= markers.shape[1] // 2).all() or (first < 2).all():
            raise Incorrect("The marked steps are not spread over the whole sequence: draw them among all T steps.")
        marked_sum = (values * markers).sum(axis=1, keepdims=True)
        if np.allclose(y, values.sum(axis=1, keepdims=True)):
            raise Incorrect("Your target adds every value of the sequence: it should add only the two marked ones.")
        if not np.allclose(y, marked_sum, atol=1e-6):
            wrong = int((~np.isclose(y, marked_sum, atol=1e-6)).sum())
            raise Incorrect(f"The target of {wrong} of the 2000 sequences is not the sum of its two marked values.")


demo = FeaturesPerStep()
ex1 = LastStepShape()
ex2 = ThreeMarkerBaseline()
ex3 = AddingBatch()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "demo", "ex1", "ex2", "ex3"]
