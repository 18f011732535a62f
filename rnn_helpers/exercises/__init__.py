"""Auto-checked exercises: each is an object with ``check(answer)``, ``hint(n=1)`` and ``solution()``.

In a notebook::

    from rnn_helpers.exercises import ____
    from rnn_helpers.exercises.nb03 import ex1

    answer = ____          # the learner replaces ____ with their answer
    ex1.check(answer)      # -> not attempted / incorrect (with a message) / correct
    ex1.hint()             # first hint; ex1.hint(2) the second
    ex1.solution()         # the reference solution

A check never raises: a wrong answer, or code of the learner's that crashes, is reported as *incorrect* with
a message written for a student, so the notebook always runs top to bottom. Nothing later in a notebook may
depend on an exercise being solved.

Writing an exercise: subclass ``Exercise``, set ``title``, ``hints`` and ``solution_code``, and implement
``_check(answer)`` that raises ``Incorrect("message for the student")`` when the answer is wrong.
``rnn_helpers.exercises.nbNN`` holds the exercises of notebook NN.

Introduced in 00_start_here.ipynb.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_int


class _Blank:
    """The placeholder a learner replaces: ``answer = ____``."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __bool__(self) -> bool:
        return False


____ = _Blank()

NOT_ATTEMPTED, INCORRECT, CORRECT = "not attempted", "incorrect", "correct"
_COLOURS = {NOT_ATTEMPTED: "#555555", INCORRECT: "#b00020", CORRECT: "#1b7a2f"}
_ICONS = {NOT_ATTEMPTED: "…", INCORRECT: "✗", CORRECT: "✓"}


class Incorrect(Exception):
    """Raised inside a checker with the message the learner sees."""


class NotAttempted(Exception):
    """Raised inside a checker when part of the answer is still the placeholder."""


@dataclass(frozen=True)
class Verdict:
    """The result of ``Exercise.check``: a status (``"not attempted"``, ``"incorrect"``, ``"correct"``) and a
    message. Displays in colour in a notebook; ``str(verdict)`` is the plain text."""

    exercise: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        return f"{_ICONS[self.status]} {self.exercise}: {self.status}. {self.message}".rstrip()

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 4px 10px; color: {colour}">'
            f"<b>{_ICONS[self.status]} {html.escape(self.exercise)}: {self.status}.</b> "
            f"{html.escape(self.message)}</div>"
        )


@dataclass(frozen=True)
class Text:
    """A hint or a solution: plain text, rendered as Markdown in a notebook."""

    markdown: str

    def __str__(self) -> str:
        return self.markdown

    def _repr_markdown_(self) -> str:
        return self.markdown


def is_blank(answer) -> bool:
    """True for the placeholder ``____``, or a tuple/list/dict that still contains it."""
    if answer is ____:
        return True
    if isinstance(answer, (tuple, list)):
        return any(is_blank(a) for a in answer)
    if isinstance(answer, dict):
        return any(is_blank(a) for a in answer.values())
    return False


class Exercise:
    """One auto-checked exercise. Subclasses set ``title``, ``hints``, ``solution_code`` and ``_check``."""

    title: str = "Exercise"
    hints: Sequence[str] = ()
    solution_code: str = ""

    def _check(self, answer) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def check(self, answer) -> Verdict:
        """Check ``answer``; returns a ``Verdict`` and never raises."""
        if is_blank(answer):
            return Verdict(self.title, NOT_ATTEMPTED, "Replace ____ with your answer, then run this cell again.")
        try:
            self._check(answer)
        except NotAttempted as err:
            return Verdict(self.title, NOT_ATTEMPTED, str(err) or "Your answer still contains ____.")
        except Incorrect as err:
            return Verdict(self.title, INCORRECT, str(err))
        except NotImplementedError:
            return Verdict(self.title, NOT_ATTEMPTED, "Your function still raises NotImplementedError.")
        except Exception as err:  # the learner's code crashed: report it, never stop the notebook
            return Verdict(self.title, INCORRECT, f"Your code raised {type(err).__name__}: {err}")
        return Verdict(self.title, CORRECT, "Well done.")

    def hint(self, n: int = 1) -> Text:
        """The ``n``-th hint (1-based); each hint gives a little more away than the one before."""
        if not self.hints:
            return Text("There is no hint for this one: reread the section just above it.")
        n = check_int("n", n, low=1, high=len(self.hints))
        more = f" (hint {n} of {len(self.hints)})" if len(self.hints) > 1 else ""
        return Text(f"**Hint{more}:** {self.hints[n - 1]}")

    def solution(self) -> Text:
        """The reference solution, as code."""
        return Text(f"**Solution:**\n\n```python\n{self.solution_code.strip()}\n```")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title}; use .check(answer), .hint(), .solution()>"


# ---------------------------------------------------------------------------------- checker helpers
def expect_shape(name: str, got, shape: tuple) -> None:
    """Raise ``Incorrect`` unless ``got`` has ``shape`` (a tuple of ints)."""
    got_shape = tuple(getattr(got, "shape", ()))
    if got_shape != tuple(shape):
        raise Incorrect(f"{name} should have shape {tuple(shape)}, but yours has shape {got_shape}.")


def expect_close(name: str, got, expected, *, atol: float = 1e-6, rtol: float = 1e-5) -> None:
    """Raise ``Incorrect`` unless ``got`` equals ``expected`` (numbers or arrays) within the tolerances."""
    if is_blank(got):
        raise NotAttempted(f"{name} is still ____.")
    try:
        got_arr = np.asarray(got.detach() if hasattr(got, "detach") else got, dtype=float)
    except (TypeError, ValueError) as err:
        raise Incorrect(f"{name} should be a number or an array of numbers; got {type(got).__name__}") from err
    expected_arr = np.asarray(expected, dtype=float)
    if got_arr.shape != expected_arr.shape:
        raise Incorrect(f"{name} should have shape {expected_arr.shape}, but yours has shape {got_arr.shape}.")
    if not np.allclose(got_arr, expected_arr, atol=atol, rtol=rtol):
        if got_arr.ndim == 0:
            raise Incorrect(f"{name} should be {float(expected_arr):.6g}, but yours is {float(got_arr):.6g}.")
        worst = np.unravel_index(np.argmax(np.abs(got_arr - expected_arr)), got_arr.shape)
        raise Incorrect(
            f"{name} differs from the expected values; the largest difference is at index {tuple(map(int, worst))}:"
            f" expected {expected_arr[worst]:.6g}, got {got_arr[worst]:.6g}."
        )


def expect_equal(name: str, got, expected) -> None:
    """Raise ``Incorrect`` unless ``got == expected`` (for ints, strings, tuples)."""
    if is_blank(got):
        raise NotAttempted(f"{name} is still ____.")
    try:
        equal = bool(got == expected)
    except (TypeError, ValueError):  # e.g. an array compared with a tuple
        equal = False
    if not equal:
        raise Incorrect(f"{name} should be {expected!r}, but yours is {got!r}.")


def expect_callable(f) -> None:
    """Raise ``Incorrect`` unless the learner passed a function (the function itself, not its result)."""
    if not callable(f):
        raise Incorrect(f"Give the function itself (its name, no brackets); you gave {type(f).__name__}.")


def call_learner(f, *args):
    """Call the learner's function ``f(*args)``; a result that still holds ``____`` means *not attempted*."""
    expect_callable(f)
    result = f(*args)
    if is_blank(result):
        raise NotAttempted("Your function still returns ____.")
    return result


def as_array(result, what: str) -> np.ndarray:
    """The learner's ``result`` as a float array; ``____`` means *not attempted*, a non-array is *incorrect*."""
    if is_blank(result):
        raise NotAttempted(f"{what} still returns ____.")
    try:
        return np.asarray(result, dtype=float)
    except (TypeError, ValueError) as err:
        raise Incorrect(f"{what} should return a numpy array; it returned {type(result).__name__}.") from err


__all__ = [
    "____", "Exercise", "Verdict", "Text", "Incorrect", "NotAttempted",
    "NOT_ATTEMPTED", "INCORRECT", "CORRECT", "is_blank", "expect_shape", "expect_close", "expect_equal",
    "expect_callable", "call_learner", "as_array",
]
