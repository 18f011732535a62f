"""The exercise framework gives each verdict, and every notebook's checkers accept the reference solution and
reject known wrong answers."""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest

import rnn_helpers.exercises as ex
from rnn_helpers.exercises import Exercise, Incorrect, ____, expect_close, expect_equal, expect_shape


class Double(Exercise):
    title = "double"
    hints = ("multiply by two", "f(x) = 2 * x")
    solution_code = "def f(x):\n    return 2 * x"

    def _check(self, f):
        for x in (0.0, 1.5, -3.0):
            expect_close(f"f({x})", f(x), 2 * x)


def test_three_verdicts():
    d = Double()
    assert d.check(____).status == ex.NOT_ATTEMPTED
    assert d.check(lambda x: ____).status == ex.NOT_ATTEMPTED  # a function that still returns ____

    def unfinished(x):
        raise NotImplementedError

    assert d.check(unfinished).status == ex.NOT_ATTEMPTED
    wrong = d.check(lambda x: x + 2)
    assert wrong.status == ex.INCORRECT and "f(0.0) should be 0, but yours is 2" in wrong.message
    crash = d.check(lambda x: 1 / 0)
    assert crash.status == ex.INCORRECT and "ZeroDivisionError" in crash.message
    right = d.check(lambda x: 2 * x)
    assert right.status == ex.CORRECT and right.correct


def test_verdict_renders_text_and_html():
    v = Double().check(lambda x: x)
    assert str(v).startswith("✗ double: incorrect.")
    assert "incorrect" in v._repr_html_() and "<div" in v._repr_html_()
    # the learner's text is escaped in HTML
    v2 = ex.Verdict("t", ex.INCORRECT, "<script>")
    assert "<script>" not in v2._repr_html_()


def test_hints_and_solution():
    d = Double()
    assert "multiply by two" in str(d.hint()) and "(hint 1 of 2)" in str(d.hint())
    assert "f(x) = 2 * x" in str(d.hint(2))
    assert "```python" in d.solution()._repr_markdown_() and "return 2 * x" in str(d.solution())
    with pytest.raises(ValueError, match="n must be <= 2, got 3"):
        d.hint(3)


def test_blank_detection_in_containers():
    assert ex.is_blank(____) and ex.is_blank((1, ____)) and ex.is_blank({"a": ____})
    assert not ex.is_blank((1, 2)) and not ex.is_blank(0) and not ex.is_blank(None)


def test_expect_helpers_messages():
    with pytest.raises(Incorrect, match=r"should have shape \(2, 3\), but yours has shape \(3, 2\)"):
        expect_shape("h", np.zeros((3, 2)), (2, 3))
    with pytest.raises(Incorrect, match=r"largest difference is at index \(1,\): expected 2, got 5"):
        expect_close("v", np.array([1.0, 5.0]), np.array([1.0, 2.0]))
    with pytest.raises(Incorrect, match="should be 4, but yours is 5"):
        expect_equal("n", 5, 4)
    with pytest.raises(Incorrect, match="should be"):
        expect_equal("n", np.array([1, 2]), (1, 2, 3))
    with pytest.raises(ex.NotAttempted):
        expect_close("v", ____, 1.0)


def notebook_exercise_modules():
    return [
        importlib.import_module(f"rnn_helpers.exercises.{m.name}")
        for m in pkgutil.iter_modules(ex.__path__)
        if m.name.startswith("nb")
    ]


def test_every_notebook_has_exercise_module_with_solutions():
    modules = notebook_exercise_modules()
    assert modules, "no rnn_helpers/exercises/nbNN.py found"
    for module in modules:
        exercises = [v for v in vars(module).values() if isinstance(v, Exercise)]
        assert exercises, f"{module.__name__} defines no exercise objects"
        for e in exercises:
            assert e.hints and e.solution_code.strip(), f"{module.__name__}.{e.title} lacks hints or a solution"
            assert e.check(____).status == ex.NOT_ATTEMPTED


def run_solution(exercise: Exercise):
    """Execute the reference solution's code and return what it defines as `answer` (or its one function)."""
    namespace: dict = {}
    exec(compile(exercise.solution_code, f"<solution of {exercise.title}>", "exec"), namespace)  # our own code
    if "answer" in namespace:
        return namespace["answer"]
    functions = [v for k, v in namespace.items() if callable(v) and not k.startswith("_") and k != "np"]
    return functions[-1]


def test_nb00_checkers():
    from rnn_helpers.exercises import nb00

    assert nb00.ex1.check(run_solution(nb00.ex1)).correct
    assert nb00.ex2.check(run_solution(nb00.ex2)).correct
    assert nb00.ex1.check((50, 32, 2)).status == ex.INCORRECT
    assert "time first" in nb00.ex1.check((50, 32, 2)).message
    assert nb00.ex1.check("32, 50, 2").status == ex.INCORRECT
    assert nb00.ex2.check(1 / 3).status == ex.INCORRECT
    assert nb00.ex2.check("0.167").status == ex.INCORRECT
    assert nb00.ex2.check(0.1667).correct


def all_exercises():
    return [
        pytest.param(e, id=f"{m.__name__.rsplit('.', 1)[1]}:{e.title}")
        for m in notebook_exercise_modules()
        for e in vars(m).values()
        if isinstance(e, Exercise)
    ]


@pytest.mark.parametrize("exercise", all_exercises())
def test_every_reference_solution_passes_its_own_check(exercise):
    """The solution a learner is shown must be accepted by the checker (for every notebook's exercises)."""
    verdict = exercise.check(run_solution(exercise))
    assert verdict.correct, str(verdict)


def test_shared_checker_helpers():
    with pytest.raises(Incorrect, match="Give the function itself"):
        ex.expect_callable(3)
    with pytest.raises(ex.NotAttempted, match="still returns ____"):
        ex.call_learner(lambda: ____)
    assert ex.call_learner(lambda a, b: a + b, 1, 2) == 3
    with pytest.raises(ex.NotAttempted):
        ex.as_array(____, "rnn_step")
    with pytest.raises(Incorrect, match="should return a numpy array; it returned dict"):
        ex.as_array({"a": 1}, "rnn_step")
    np.testing.assert_array_equal(ex.as_array([1, 2], "f"), [1.0, 2.0])
