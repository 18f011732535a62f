"""Exercises of 00_start_here.ipynb: two warm-ups that show how checking works."""

from __future__ import annotations

from rnn_helpers.exercises import Exercise, Incorrect, ____, expect_close


class BatchShape(Exercise):
    title = "Exercise 1: the shape of a batch"
    hints = (
        "The course is batch first: (batch, time, features).",
        "`tasks.adding_problem(32, 50)` makes 32 sequences of 50 steps; each step carries a value and a marker.",
    )
    solution_code = "answer = (32, 50, 2)"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = (50, 32, 2)  # time first',
        'answer = (32, 50, 1)  # one feature',
    )

    def _check(self, answer) -> None:
        if not isinstance(answer, (tuple, list)) or len(answer) != 3:
            raise Incorrect(f"Give a tuple of three numbers (batch, time, features); you gave {answer!r}.")
        if tuple(answer) == (50, 32, 2):
            raise Incorrect("That is time first; the course puts the batch first: (batch, time, features).")
        if tuple(answer) != (32, 50, 2):
            raise Incorrect(f"Not quite: you gave {tuple(answer)}. Count the sequences, the steps and the features.")


class AddingBaseline(Exercise):
    title = "Exercise 2: the baseline of the adding problem"
    hints = (
        "The best constant guess is the mean of the target, and its MSE is the target's variance.",
        "The target is the sum of two independent uniform [0, 1] numbers; each has variance 1/12.",
    )
    solution_code = "answer = 2 / 12  # Var(X1 + X2) = Var(X1) + Var(X2) = 1/12 + 1/12"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = 1 / 3  # the variance of a uniform [0, 2]',
        'answer = 1 / 12  # one uniform only',
        'answer = 1.0',
    )

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            raise Incorrect(f"Give a number; you gave {type(answer).__name__} {answer!r}.")
        if abs(answer - 1 / 3) < 1e-3:
            raise Incorrect("That is the variance of a uniform [0, 2] number: the sum of two uniforms is not uniform.")
        expect_close("Your MSE", answer, 1 / 6, atol=2e-3)


ex1 = BatchShape()
ex2 = AddingBaseline()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2"]
