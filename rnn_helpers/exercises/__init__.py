"""Auto-checked exercises: each is an object with ``check(answer)``, ``hint(n=1)`` and ``solution()``.

In a notebook, the exercises section starts with one import cell; the blank ``____`` comes with the exercises::

    from rnn_helpers.exercises.nb03 import ____, ex1, ex2      # ____ is the blank you replace below

    def rnn_step(x_t, h_prev, W_xh, W_hh, b):
        return ____        # the learner replaces ____ with their code
    ex1.check(rnn_step)    # -> not attempted / incorrect (with a message) / correct
    ex1.hint()             # shows the first hint wherever it is called; ex1.hint(2) the second
    ex1.solution()         # shows the reference solution

A check never raises: a wrong answer, or code of the learner's that crashes, is reported as *incorrect* with
a message written for a student, so the notebook always runs top to bottom. Nothing later in a notebook may
depend on an exercise being solved. A message says *how* an answer is wrong (a missing factor, a swapped
pair, a transposed matrix), never what the right value is.

Writing an exercise: subclass ``Exercise``, set ``title``, ``hints``, ``solution_code`` and ``mistakes`` (code
of the wrong answers learners really give, in the form of ``solution_code``; a slip of one line is written
``mutate(solution_code, old, new)``), optionally ``write_it_yourself``
(course helpers that must not be handed in as the answer) and ``shapes`` (the shapes of the exercise, said
when the learner's code trips over one), and implement ``_check(answer)`` that raises
``Incorrect("message for the student")`` when the answer is wrong. ``rnn_helpers.exercises.nbNN`` holds the
exercises of notebook NN, and re-exports ``____``.

Introduced in 00_start_here.ipynb.
"""

from __future__ import annotations

import functools
import html
import re
import types
from collections.abc import Callable, Sequence
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

# what a learner is told when their code trips over a shape and the exercise says nothing more specific
ROW_VECTORS = (
    "The course stores one example per row: a batch of vectors is (B, features), so W x for every row is "
    "`x @ W.T`. Print the .shape of each array in your code to find the one that is not what you expect."
)


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


def show(obj) -> None:
    """Display ``obj`` where it was asked for: with IPython's ``display`` inside a Jupyter kernel (so a hint shows
    even when ``hint()`` is not the last line of its cell), with ``print`` anywhere else."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the course's requirements
        get_ipython = None
    shell = get_ipython() if get_ipython is not None else None
    if shell is not None and getattr(shell, "kernel", None) is not None:
        from IPython.display import display

        display(obj)
    else:
        print(str(obj))


def is_blank(answer) -> bool:
    """True for the placeholder ``____``, or a tuple/list/dict that still contains it."""
    if answer is ____:
        return True
    if isinstance(answer, (tuple, list)):
        return any(is_blank(a) for a in answer)
    if isinstance(answer, dict):
        return any(is_blank(a) for a in answer.values())
    return False


def answer_from_code(code: str, label: str = "<exercise code>"):
    """Run exercise code (a ``solution_code`` or one of ``mistakes``, the course's own text) and return what it
    defines as ``answer``, or else the last function it defines."""
    namespace: dict = {}
    exec(compile(code, label, "exec"), namespace)  # noqa: S102 - the course's own code, never a learner's input
    if "answer" in namespace:
        return namespace["answer"]
    own = [v for v in namespace.values() if isinstance(v, types.FunctionType) and v.__code__.co_filename == label]
    if not own:
        raise ValueError(f"{label} defines neither `answer` nor a function")
    return own[-1]


def mutate(solution_code: str, old: str, new: str) -> str:
    """The code of a known mistake: ``solution_code`` with the one place ``old`` replaced by ``new``.

    For ``mistakes`` that differ from the reference solution by a slip (a line, an index, a sign), so that the
    mistake is written once, as the slip, and follows the solution when the solution changes::

        mistakes = (mutate(solution_code, "np.tanh(c_t)\n", "c_t\n"),)

    Raises ``TypeError`` unless all three are strings, and ``ValueError`` when ``old`` does not occur exactly once
    in ``solution_code`` (the mistake would be ambiguous, or no longer a mistake of this solution) or when
    ``new`` equals ``old``.
    """
    for name, value in (("solution_code", solution_code), ("old", old), ("new", new)):
        if not isinstance(value, str):
            raise TypeError(f"mutate: {name} must be a string (code), got {type(value).__name__}")
    if not old:
        raise ValueError("mutate: old must be a non-empty piece of the solution code")
    if new == old:
        raise ValueError(f"mutate: new equals old ({old!r}): that would not be a mistake")
    count = solution_code.count(old)
    if count != 1:
        raise ValueError(f"mutate: {old!r} occurs {count} times in the solution code; expected exactly once "
                         "(quote more of the line to make it unique)")
    return solution_code.replace(old, new)


# ---------------------------------------------------------------------------------- "write it yourself"
def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names) | set(code.co_freevars)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def calls_helper(answer, helper: Callable, _seen: set | None = None) -> bool:
    """True when ``answer`` is ``helper`` itself, wraps it (``functools.partial``, a decorator), or is a function
    of the learner's whose code calls it (by name, or as ``module.helper``), directly or through another of the
    learner's functions defined beside it."""
    seen = set() if _seen is None else _seen
    if answer is helper:
        return True
    if id(answer) in seen:
        return False
    seen.add(id(answer))
    if isinstance(answer, functools.partial):
        return calls_helper(answer.func, helper, seen)
    wrapped = getattr(answer, "__wrapped__", None)
    if wrapped is not None and calls_helper(wrapped, helper, seen):
        return True
    if not isinstance(answer, types.FunctionType):
        return False
    names = _code_names(answer.__code__)
    values = []
    for cell in answer.__closure__ or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    values += [answer.__globals__[n] for n in names if n in answer.__globals__]
    modules = [v for v in values if isinstance(v, types.ModuleType)]
    for module in modules[:50]:  # module.helper, or package.module.helper (bounded: each module once)
        for name in names:
            value = getattr(module, name, None)
            if value is helper:
                return True
            if isinstance(value, types.ModuleType) and value not in modules:
                modules.append(value)
    for value in values:
        if value is helper:
            return True
        # another function the learner defined in the same namespace (not a library function)
        if isinstance(value, types.FunctionType) and value.__globals__ is answer.__globals__:
            if calls_helper(value, helper, seen):
                return True
    return False


def names_used(answer) -> set[str]:
    """Every name a learner's function refers to (globals, attributes, free variables, nested functions): for
    what ``write_it_yourself`` cannot see by identity, such as torch's autograd (``.backward()``, ``jacobian``)."""
    code = getattr(answer, "__code__", None)
    return _code_names(code) if isinstance(code, types.CodeType) else set()


def refuse_names(answer, names, what: str) -> None:
    """Raise ``Incorrect`` when the learner's function calls one of ``names`` (e.g. torch's ``backward``, ``jacobian``)
    that would do the exercise's work for them; ``what`` says what they are to do themselves ("write the
    backward pass with numpy")."""
    used = sorted(names_used(answer) & set(names))
    if used:
        raise Incorrect(f"Your function calls `{used[0]}`, which does the work for you: this exercise asks you to "
                        f"{what} yourself.")


def helper_name(helper: Callable) -> str:
    """``module.name`` of a course helper, as a learner would import it (``scratch.rnn_step``)."""
    module = getattr(helper, "__module__", "") or ""
    return f"{module.removeprefix('rnn_helpers.')}.{getattr(helper, '__name__', repr(helper))}".lstrip(".")


# ---------------------------------------------------------------------------------- shapes
def shape_advice(name: str, got_shape: tuple, expected_shape: tuple, meaning: str = "") -> str | None:
    """A sentence on what is wrong with a shape, written for a learner: a transposed matrix, a column vector
    where the course uses rows, a missing or extra batch axis; ``None`` when the shapes are equal. ``meaning``
    names the axes of the expected shape (``"(B, H)"``)."""
    got, want = tuple(int(s) for s in got_shape), tuple(int(s) for s in expected_shape)
    if got == want:
        return None
    axes = f" {meaning}" if meaning else ""
    said = f"{name} should have shape {want}{axes}, but yours has shape {got}"
    squeezed_got, squeezed_want = tuple(s for s in got if s != 1), tuple(s for s in want if s != 1)
    if len(want) == 1 and got == (want[0], 1):
        why = "that is a column vector; the course uses flat rows of shape (n,): drop the extra axis."
    elif len(got) == 2 and len(want) == 2 and got[1] == 1 and want[0] == 1 and got[0] == want[1]:
        why = "that is a column vector where the course uses a row: one example per row."
    elif len(got) == 2 and got == want[::-1]:
        why = ("it looks transposed (rows and columns swapped). The course puts one example per row, so a batch "
               "of vectors is (B, features); for row vectors W x is written `x @ W.T`.")
    elif len(got) == len(want) - 1 and got == want[1:]:
        why = ("the leading batch axis is missing. Everything in the course is batch first: keep the first axis "
               "even when it has size 1 (index with x[:, t], not x[0, t]).")
    elif len(got) == len(want) + 1 and got[1:] == want:
        why = "it has an extra leading axis: did you add a batch axis (x[None]) or stack the steps one time too many?"
    elif squeezed_got == squeezed_want:
        why = "it has the right entries but an axis of size 1 too many or too few (a reshape or keepdims)."
    elif len(got) == len(want) and sorted(got) == sorted(want):
        why = "it has the right sizes in the wrong order: check which axis is which (transpose or swapaxes)."
    elif int(np.prod(got)) == int(np.prod(want)):
        why = "it has the right number of entries in the wrong arrangement: check each reshape."
    elif len(got) == len(want) and got[:-1] == want[:-1]:
        why = "the last axis is off: check which weight matrix produced it, and whether it needs a transpose."
    else:
        why = "print the shapes of your intermediate arrays to find where they part from the formulas."
    return f"{said}: {why}"


def looks_like_shape_error(err: Exception) -> bool:
    """True for numpy's and torch's errors about shapes that do not fit (matmul, broadcasting, indexing)."""
    if not isinstance(err, ValueError | RuntimeError | IndexError):
        return False
    text = str(err)
    return bool(re.search(
        r"shape|broadcast|matmul|dimension|mismatch|size of tensor|mat1 and mat2|operands could not|out of bounds"
        r"|cannot reshape|must match|aligned",
        text,
    ))


class Exercise:
    """One auto-checked exercise. Subclasses set ``title``, ``hints``, ``solution_code``, ``mistakes`` and
    ``_check``; optionally ``write_it_yourself`` and ``shapes``.

    - ``hints``: each gives a little more away than the one before; the last is a nudge, not the solution.
    - ``mistakes``: code of wrong answers learners really give (each defines ``answer`` or one function, like
      ``solution_code``); tests check that each is rejected and that no message gives the answer away.
    - ``write_it_yourself``: course helpers the exercise asks the learner to write themselves; handing one in
      (or a function that calls it) is *incorrect*, with a message that says so.
    - ``shapes``: the shapes of the exercise in words (``"x_t is (B, I), h_prev (B, H) ..."``), said when the
      learner's code raises a shape error, instead of numpy's raw message alone.
    """

    title: str = "Exercise"
    hints: Sequence[str] = ()
    solution_code: str = ""
    mistakes: Sequence[str] = ()
    write_it_yourself: Sequence[Callable] = ()
    shapes: str = ""

    def _check(self, answer) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def check(self, answer) -> Verdict:
        """Check ``answer``; returns a ``Verdict`` and never raises."""
        if is_blank(answer):
            return Verdict(self.title, NOT_ATTEMPTED, "Replace ____ with your answer, then run this cell again.")
        for helper in self.write_it_yourself:
            if calls_helper(answer, helper):
                return Verdict(self.title, INCORRECT, (
                    f"Your answer uses the course's own `{helper_name(helper)}`. This exercise asks you to write "
                    "it yourself, from the formulas: the point is to see every step."
                ))
        try:
            self._check(answer)
        except NotAttempted as err:
            return Verdict(self.title, NOT_ATTEMPTED, str(err) or "Your answer still contains ____.")
        except Incorrect as err:
            return Verdict(self.title, INCORRECT, str(err))
        except NotImplementedError:
            return Verdict(self.title, NOT_ATTEMPTED, "Your function still raises NotImplementedError.")
        except Exception as err:  # the learner's code crashed: report it, never stop the notebook
            first_line = (str(err).strip().splitlines() or [""])[0]
            if looks_like_shape_error(err):
                return Verdict(self.title, INCORRECT, (
                    f"A shape did not fit inside your code ({type(err).__name__}: {first_line}). "
                    f"{self.shapes or ROW_VECTORS}"
                ))
            return Verdict(self.title, INCORRECT, f"Your code raised {type(err).__name__}: {first_line}")
        return Verdict(self.title, CORRECT, "Well done.")

    def hint_text(self, n: int = 1) -> Text:
        """The ``n``-th hint (1-based) as ``Text``; ``hint(n)`` shows it."""
        if not self.hints:
            return Text("There is no hint for this one: reread the section just above it.")
        n = check_int("n", n, low=1, high=len(self.hints))
        more = f" (hint {n} of {len(self.hints)})" if len(self.hints) > 1 else ""
        return Text(f"**Hint{more}:** {self.hints[n - 1]}")

    def hint(self, n: int = 1) -> None:
        """Show the ``n``-th hint (1-based), wherever in a cell this is called."""
        show(self.hint_text(n))

    def solution_text(self) -> Text:
        """The reference solution, as code in ``Text``; ``solution()`` shows it."""
        return Text(f"**Solution:**\n\n```python\n{self.solution_code.strip()}\n```")

    def solution(self) -> None:
        """Show the reference solution, wherever in a cell this is called."""
        show(self.solution_text())

    def reference(self):
        """The reference answer: what ``solution_code`` defines as ``answer``, or its function."""
        return answer_from_code(self.solution_code, f"<solution of {self.title}>")

    def wrong_answers(self) -> list:
        """The answers of ``mistakes``, in order (each should be rejected)."""
        return [answer_from_code(code, f"<mistake {k} of {self.title}>") for k, code in enumerate(self.mistakes)]

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title}; use .check(answer), .hint(), .solution()>"


# ---------------------------------------------------------------------------------- checker helpers
def _as_float_array(got, name: str) -> np.ndarray:
    if is_blank(got):
        raise NotAttempted(f"{name} is still ____.")
    try:
        return np.asarray(got.detach() if hasattr(got, "detach") else got, dtype=float)
    except (TypeError, ValueError) as err:
        raise Incorrect(f"{name} should be a number or an array of numbers; got {type(got).__name__}") from err


def expect_shape(name: str, got, shape: tuple, meaning: str = "") -> None:
    """Raise ``Incorrect`` unless ``got`` has ``shape`` (a tuple of ints); the message says what the shape
    mistake looks like (``shape_advice``). ``meaning`` names the axes (``"(B, H)"``)."""
    advice = shape_advice(name, tuple(getattr(got, "shape", ())), tuple(shape), meaning)
    if advice:
        raise Incorrect(advice)


_FACTORS = (2, 3, 4, 10, 0.5, 1 / 3, 0.25, 0.1)


def how_far(got: float, expected: float, *, integer: bool = False) -> str:
    """How a scalar is wrong, without its right value: the sign, a simple factor, the order of magnitude, or
    the direction. ``integer``: the answer is a count (a near miss is a missing term, not rounding)."""
    if not np.isfinite(got):
        return "it is not a finite number (nan or inf)."
    if expected != 0 and got != 0:
        ratio = got / expected
        if np.isclose(ratio, -1, rtol=1e-3):
            return "it has the wrong sign."
        for k in _FACTORS:
            if np.isclose(ratio, k, rtol=1e-3):
                return f"it is {k:g} times too large." if k > 1 else f"it is {1 / k:g} times too small."
        if abs(np.log10(abs(ratio))) >= 1:
            orders = int(np.floor(abs(np.log10(abs(ratio)))))
            size = "larger" if abs(ratio) > 1 else "smaller"
            return f"it is {orders} order{'s' if orders > 1 else ''} of magnitude {size} than it should be."
        if ratio < 0:
            return "it has the wrong sign (and the wrong size)."
    if abs(got - expected) <= 0.1 * abs(expected):
        side = "small" if got < expected else "large"
        if integer:
            return f"it is a little too {side}: look for a term left out or counted twice, or an off-by-one."
        return f"it is close, but a little too {side}: look for a rounding step or a small term."
    return "it is too large." if got > expected else "it is too small."


def expect_close(name: str, got, expected, *, atol: float = 1e-6, rtol: float = 1e-5, meaning: str = "") -> None:
    """Raise ``Incorrect`` unless ``got`` equals ``expected`` (numbers or arrays) within the tolerances. The
    message says how it differs (shape, transposed, sign, a factor, which entry), never the expected value."""
    got_arr = _as_float_array(got, name)
    expected_arr = np.asarray(expected, dtype=float)
    advice = shape_advice(name, got_arr.shape, expected_arr.shape, meaning)
    if advice:
        raise Incorrect(advice)
    if np.allclose(got_arr, expected_arr, atol=atol, rtol=rtol):
        return
    if got_arr.ndim == 0:
        value = float(got_arr)
        raise Incorrect(f"{name} is not right: yours is {value:.6g}, and {how_far(value, float(expected_arr))}")
    close = functools.partial(np.allclose, atol=atol, rtol=rtol)
    square = got_arr.ndim >= 2 and got_arr.shape[-1] == got_arr.shape[-2]
    if square and close(np.swapaxes(got_arr, -1, -2), expected_arr):
        raise Incorrect(f"{name} is transposed: its rows are the expected columns.")
    if close(-got_arr, expected_arr):
        raise Incorrect(f"{name} has the wrong sign everywhere.")
    nonzero = np.abs(expected_arr) > 1e-12
    if nonzero.any():
        ratios = got_arr[nonzero] / expected_arr[nonzero]
        factor = ratios[0]
        if abs(factor) > 1e-9 and np.allclose(ratios, factor, rtol=1e-6) and close(got_arr, factor * expected_arr):
            raise Incorrect(f"{name} is the right pattern times a constant: {how_far(factor, 1.0)} Look for a "
                            "missing or extra factor (a sum where a mean belongs, a 1/2, a 1/√d).")
    if not np.all(np.isfinite(got_arr)):
        raise Incorrect(f"{name} contains nan or inf: look for an overflow (np.exp of a large number) or a division "
                        "by 0.")
    worst = np.unravel_index(np.argmax(np.abs(got_arr - expected_arr)), got_arr.shape)
    wrong = ~np.isclose(got_arr, expected_arr, atol=atol, rtol=rtol)
    raise Incorrect(
        f"{name} differs from the expected values in {int(wrong.sum())} of {wrong.size} entries; the largest "
        f"difference is at index {tuple(map(int, worst))}, where yours is {got_arr[worst]:.6g} and "
        f"{how_far(float(got_arr[worst]), float(expected_arr[worst]))}"
    )


def expect_equal(name: str, got, expected) -> None:
    """Raise ``Incorrect`` unless ``got == expected`` (for ints, strings, tuples); the message says how a number
    is off (too large, a factor), never the expected value."""
    if is_blank(got):
        raise NotAttempted(f"{name} is still ____.")
    try:
        equal = bool(got == expected)
    except (TypeError, ValueError):  # e.g. an array compared with a tuple
        equal = False
    if equal:
        return
    numbers_ = (int, float, np.integer, np.floating)
    if isinstance(got, numbers_) and not isinstance(got, bool) and isinstance(expected, numbers_):
        integer = isinstance(got, int | np.integer) and isinstance(expected, int | np.integer)
        why = how_far(float(got), float(expected), integer=integer)
        raise Incorrect(f"{name} is not right: yours is {got!r}, and {why}")
    raise Incorrect(f"{name} is not right: yours is {got!r}.")


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


def as_array(result, what: str, shape: tuple | None = None, meaning: str = "") -> np.ndarray:
    """The learner's ``result`` as a float array; ``____`` means *not attempted*, a non-array is *incorrect*.
    With ``shape``, a wrong shape is *incorrect* with ``shape_advice``'s guidance."""
    if is_blank(result):
        raise NotAttempted(f"{what} still returns ____.")
    try:
        arr = np.asarray(result.detach() if hasattr(result, "detach") else result, dtype=float)
    except (TypeError, ValueError) as err:
        raise Incorrect(f"{what} should return a numpy array; it returned {type(result).__name__}.") from err
    if shape is not None:
        expect_shape(f"The result of {what}", arr, shape, meaning)
    return arr


__all__ = [
    "____", "Exercise", "Verdict", "Text", "Incorrect", "NotAttempted", "ROW_VECTORS",
    "NOT_ATTEMPTED", "INCORRECT", "CORRECT", "is_blank", "show", "answer_from_code", "mutate", "calls_helper",
    "names_used", "refuse_names", "helper_name",
    "shape_advice", "looks_like_shape_error", "how_far", "expect_shape", "expect_close", "expect_equal",
    "expect_callable", "call_learner", "as_array",
]
