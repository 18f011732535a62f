"""The exercise framework gives each verdict, and every notebook's checkers accept the reference solution and
reject known wrong answers."""

from __future__ import annotations

import copy
import functools
import importlib
import pkgutil
import re

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
    assert wrong.status == ex.INCORRECT and "f(0.0) is not right: yours is 2" in wrong.message
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
    assert "multiply by two" in str(d.hint_text()) and "(hint 1 of 2)" in str(d.hint_text())
    assert "f(x) = 2 * x" in str(d.hint_text(2))
    assert "```python" in d.solution_text()._repr_markdown_() and "return 2 * x" in str(d.solution_text())
    with pytest.raises(ValueError, match="n must be <= 2, got 3"):
        d.hint(3)


def test_hint_and_solution_print_outside_a_kernel(capsys):
    d = Double()
    assert d.hint(2) is None and d.solution() is None  # shown, not returned: no second copy as a cell's value
    printed = capsys.readouterr().out
    assert "**Hint (hint 2 of 2):** f(x) = 2 * x" in printed and "return 2 * x" in printed


def test_hint_and_solution_display_anywhere_in_a_cell_of_a_real_kernel(tmp_path):
    """In a Jupyter kernel, hint() and solution() show even when they are not the cell's last expression, and
    show once when they are."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from rnn_helpers.exercises.nb00 import ____, ex1\nex1.hint()\nx = 1"),
        nbformat.v4.new_code_cell("ex1.solution()\nprint('after')"),
        nbformat.v4.new_code_cell("ex1.hint(2)"),
    ]
    resources = {"metadata": {"path": str(tmp_path)}}
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources=resources).execute()
    outputs = [cell.outputs for cell in nb.cells]
    markdown = [[o["data"].get("text/markdown", "") for o in outs if o["output_type"] == "display_data"]
                for outs in outputs]
    assert len(markdown[0]) == 1 and markdown[0][0].startswith("**Hint (hint 1 of")
    assert len(markdown[1]) == 1 and markdown[1][0].startswith("**Solution:**")
    assert any(o["output_type"] == "stream" and "after" in o["text"] for o in outputs[1])
    assert len(markdown[2]) == 1 and "hint 2 of" in markdown[2][0]
    assert not any(o["output_type"] == "execute_result" for outs in outputs for o in outs)


def test_blank_detection_in_containers():
    assert ex.is_blank(____) and ex.is_blank((1, ____)) and ex.is_blank({"a": ____})
    assert not ex.is_blank((1, 2)) and not ex.is_blank(0) and not ex.is_blank(None)


def test_expect_helpers_messages():
    with pytest.raises(Incorrect, match=r"should have shape \(2, 3\), but yours has shape \(3, 2\)"):
        expect_shape("h", np.zeros((3, 2)), (2, 3))
    with pytest.raises(Incorrect, match=r"1 of 2 entries; the largest difference is at index \(1,\), where yours is 5"):
        expect_close("v", np.array([1.0, 5.0, 4.0])[:2], np.array([1.0, 2.0]))
    with pytest.raises(Incorrect, match="n is not right: yours is 5, and it is too large"):
        expect_equal("n", 5, 4)
    with pytest.raises(Incorrect, match="not right"):
        expect_equal("n", np.array([1, 2]), (1, 2, 3))
    # how it differs, never the expected value
    with pytest.raises(Incorrect, match="wrong sign") as err:
        expect_close("x", -0.123456, 0.123456)
    assert "0.123456" not in str(err.value).replace("-0.123456", "")
    with pytest.raises(Incorrect, match="2 times too large"):
        expect_close("x", 2 * 0.7137, 0.7137)
    with pytest.raises(Incorrect, match="3 orders of magnitude smaller"):
        expect_close("x", 0.0005, 0.7137)
    with pytest.raises(Incorrect, match="transposed"):
        expect_close("W", np.arange(9.0).reshape(3, 3).T, np.arange(9.0).reshape(3, 3))
    with pytest.raises(Incorrect, match="scaled by a constant factor: .*0.5|2 times too small"):
        expect_close("h", 0.5 * np.arange(1.0, 7.0), np.arange(1.0, 7.0))
    with pytest.raises(Incorrect, match="nan or inf"):
        expect_close("p", np.array([np.nan, 1.0]), np.array([0.5, 0.5]))
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
    return exercise.reference()


def test_nb00_checkers():
    from rnn_helpers.exercises import nb00

    for e in (nb00.demo, nb00.ex1, nb00.ex2):
        assert e.check(run_solution(e)).correct
    assert "batch, not time" in nb00.ex1.check((100, 2)).message
    assert "whole batch" in nb00.ex1.check((16, 100, 2)).message
    assert "targets" in nb00.ex1.check((16, 1)).message and "x[0, -1]" in nb00.ex1.check((2,)).message
    assert nb00.ex1.check("16, 2").status == ex.INCORRECT and nb00.ex1.check([16, 2]).correct
    assert "two-marker" in nb00.ex2.check(1 / 6).message and "one uniform" in nb00.ex2.check(1 / 12).message
    assert "not uniform" in nb00.ex2.check(0.75).message and "constant guess" in nb00.ex2.check(1.5).message
    assert nb00.ex2.check("0.25").status == ex.INCORRECT
    assert nb00.ex2.check(0.25).correct and nb00.ex2.check(0.249).correct
    assert [nb00.demo.check(a).status for a in (____, 1, 2)] == [ex.NOT_ATTEMPTED, ex.INCORRECT, ex.CORRECT]


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


# ------------------------------------------------------------------------------ no message gives the answer away
def _numbers(value, out: list, limit: int = 5000) -> list:
    """Every number inside ``value`` (a number, an array, a tensor, a tuple/list/dict of them)."""
    if len(out) >= limit or value is None or isinstance(value, str | bool):
        return out
    if hasattr(value, "detach"):
        value = value.detach().numpy()
    if isinstance(value, dict):
        for v in value.values():
            _numbers(v, out, limit)
    elif isinstance(value, tuple | list):
        for v in value:
            _numbers(v, out, limit)
    else:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return out
        out.extend(arr.ravel()[: limit - len(out)].tolist())
    return out


def printed_forms(v: float) -> set[str]:
    """How a number that gives the answer away could appear in a message: repr/str and the usual precisions.
    Numbers too plain to be a give-away (integers below 10, floats with fewer than 2 significant digits) have
    none: they appear in any message."""
    if not np.isfinite(v):
        return set()
    if float(v).is_integer():
        n = int(v)
        if abs(n) < 10:
            return set()
        forms = {str(n), f"{n:,}"}
        if abs(n) >= 1000:
            forms |= {f"{v:.3g}", f"{v:.4g}", f"{v:.3e}", f"{v:.2e}"}
        return forms
    forms = {repr(v), str(v)} | {f"{v:.{p}g}" for p in range(2, 8)} | {f"{v:.{p}f}" for p in range(2, 7)}
    # a form with fewer than 2 significant digits ("0.1", "0.08") is too plain to count as a give-away
    return {f for f in forms if len(re.sub(r"[^0-9]", "", f).lstrip("0")) >= 2}


def leaks(message: str, secrets: list[float], public: list[float]) -> list[str]:
    """The printed forms of ``secrets`` (expected values) found in ``message``, leaving out forms that are also
    forms of ``public`` numbers (the inputs a message may quote)."""
    allowed = set().union(*(printed_forms(p) for p in public)) if public else set()
    found = []
    for s in set(secrets):
        for form in printed_forms(s) - allowed:
            if re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", message):
                found.append(form)
    return found



# Strings and small integers: a word that is the answer ("RTRL", "vanishes"), a shape tuple (32, 50, 2) or a count
# like 3 gives the answer away as surely as a printed float. printed_forms leaves small integers out (they appear
# in any message), so they are looked for only where the answer itself is a small integer or a short tuple of them.
SHORT_TUPLE = 4  # a tuple of at most this many ints is an answer in its own right (a shape, a pair of indices)
_WORD = r"[A-Za-z0-9_]"


def _answer_atoms(value, strings: set, ints: set) -> None:
    """The strings and small integers of an expected answer that a message must not print: every string inside
    ``value`` (a word, a label of a dict), and integers below 10 when ``value`` is an int or a short tuple/list of
    ints (an array of many small ints, such as character ids, is left to the float check)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, str):
        if len(value.strip()) >= 2:
            strings.add(value.strip())
        return
    if isinstance(value, int | np.integer):
        if abs(int(value)) < 10:
            ints.add(int(value))
        return
    if isinstance(value, dict):
        for v in value.values():
            _answer_atoms(v, strings, ints)
        return
    if isinstance(value, tuple | list):
        if 0 < len(value) <= SHORT_TUPLE and all(isinstance(v, int | np.integer) and not isinstance(v, bool)
                                                 for v in value):
            ints.update(int(v) for v in value if abs(int(v)) < 10)
            return
        for v in value[:200]:
            if isinstance(v, str | dict | tuple | list):
                _answer_atoms(v, strings, ints)


def _public_atoms(value, strings: set, ints: set, depth: int = 0) -> None:
    """Every string and integer the learner already has (their answer, the inputs, their own results)."""
    if depth > 4 or value is None:
        return
    if isinstance(value, str):
        strings.add(value.strip().lower())
    elif isinstance(value, int | np.integer) and not isinstance(value, bool):
        ints.add(int(value))
    elif isinstance(value, float | np.floating) and float(value).is_integer():
        ints.add(int(value))
    elif isinstance(value, dict):
        for k, v in list(value.items())[:200]:
            _public_atoms(k, strings, ints, depth + 1)
            _public_atoms(v, strings, ints, depth + 1)
    elif isinstance(value, tuple | list):
        for v in value[:200]:
            _public_atoms(v, strings, ints, depth + 1)


def _is_ordinary_word(word: str) -> bool:
    """A lowercase English-looking word ("vanishes", "depends"): prose uses it without giving anything away."""
    return bool(re.fullmatch(r"[a-z]+(?:[ '-][a-z]+)*", word))


def word_leaks(message: str, strings: set, ints: set, public_strings: set = frozenset(),
               public_ints: set = frozenset()) -> list[str]:
    """The expected strings and small integers found in ``message``, leaving out those the learner already has.

    A string counts as a whole word, case-insensitive; an ordinary lowercase word ("depends") only where it reads
    as the answer: quoted ('depends', "depends", `depends`) or after "should be", "must be", "answer is",
    "expected", "correct" or "=". An integer counts as a number of its own (not a digit of 12, 0.5, x1 or 2nd)."""
    found = []
    for word in sorted(strings):
        if word.lower() in public_strings:
            continue
        w = re.escape(word)
        if _is_ordinary_word(word):
            pattern = (rf"['\"`“‘]{w}['\"`”’]|(?:should|must|would|to) be:?\s+{w}(?!{_WORD})"
                       rf"|(?:answer|expected|correct|right one)(?: is| was|:)?\s+{w}(?!{_WORD})|=\s*{w}(?!{_WORD})")
        else:
            pattern = rf"(?<!{_WORD}){w}(?!{_WORD})"
        if re.search(pattern, message, flags=re.IGNORECASE):
            found.append(word)
    for n in sorted(ints):
        if n in public_ints:
            continue
        if re.search(rf"(?<![\w.\-]){n}(?![\w]|[.,]\d)", message):
            found.append(str(n))
    return found


def _recording(f, calls: list, results: list):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        calls.append(copy.deepcopy((args, kwargs)))
        result = f(*args, **kwargs)
        results.append(result)
        return result

    return wrapper


def expected_and_inputs(exercise: Exercise, wrong) -> tuple[object, list[float], list[float], dict]:
    """Check ``wrong`` and return (verdict, the expected values of what was checked, what the learner already
    has, the expected strings and small integers with those the learner has). For a function answer, the
    expected values are the reference solution's results on every input the checker gave the learner's function;
    the learner already has those inputs and their own function's results. For a value, the learner has their
    own answer."""
    reference = exercise.reference()
    words = {"strings": set(), "ints": set(), "public_strings": set(), "public_ints": set()}
    if not callable(wrong):
        _answer_atoms(reference, words["strings"], words["ints"])
        _public_atoms(wrong, words["public_strings"], words["public_ints"])
        return exercise.check(wrong), _numbers(reference, []), _numbers(wrong, []), words
    calls: list = []
    results: list = []
    verdict = exercise.check(_recording(wrong, calls, results))
    secrets: list[float] = []
    public: list[float] = _numbers(results, [])
    _public_atoms(results, words["public_strings"], words["public_ints"])
    for args, kwargs in calls:
        _numbers(args, public)
        _numbers(kwargs, public)
        _public_atoms([args, kwargs], words["public_strings"], words["public_ints"])
        try:
            with np.errstate(all="ignore"):
                expected = reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except Exception:  # the reference does not take this input (a probe of the learner's function)
            continue
        _numbers(expected, secrets)
        _answer_atoms(expected, words["strings"], words["ints"])
    return verdict, secrets, public, words


def all_mistakes():
    return [
        pytest.param(e, k, id=f"{m.__name__.rsplit('.', 1)[1]}:{e.title.split(':')[0]}:mistake{k}")
        for m in notebook_exercise_modules()
        for e in vars(m).values()
        if isinstance(e, Exercise)
        for k in range(len(e.mistakes))
    ]


@pytest.mark.parametrize("exercise", all_exercises())
def test_every_exercise_lists_the_mistakes_learners_make(exercise):
    assert len(exercise.mistakes) >= 1, f"{exercise.title} lists no known-wrong answers in `mistakes`"


@pytest.mark.parametrize(("exercise", "k"), all_mistakes())
def test_known_wrong_answers_are_rejected_without_giving_the_answer_away(exercise, k):
    """Every exercise of every chapter: each known-wrong answer is *incorrect*, and its message prints none of
    the expected values (the answer, or the reference's results on the checker's inputs) at any usual
    precision, and none of the expected strings and small integers (a word, a shape, a count)."""
    wrong = exercise.wrong_answers()[k]
    verdict, secrets, public, words = expected_and_inputs(exercise, wrong)
    assert verdict.status == ex.INCORRECT, f"mistake {k} of {exercise.title} got: {verdict}"
    assert verdict.message.strip(), "an incorrect verdict says why"
    found = leaks(verdict.message, secrets, public)
    assert not found, f"{exercise.title}, mistake {k}: the message gives away {found}: {verdict.message}"
    found = word_leaks(verdict.message, **words)
    assert not found, f"{exercise.title}, mistake {k}: the message gives away {found}: {verdict.message}"


def test_the_leak_detector_finds_printed_answers():
    """The detector itself: it finds an expected value printed at any usual precision, and ignores the inputs."""
    assert leaks("should be 0.076945, but yours is 47.5", [0.95**50], []) == ["0.076945"]
    assert leaks("it is 0.0769", [0.95**50], [])
    assert leaks("the size is 37,748,736 bytes", [37748736], [])
    assert not leaks("it is 2 times too large", [0.95**50], [])
    assert not leaks("for T = 100 the split is wrong", [100.0], [100.0])  # 100 is an input the message may quote
    assert not leaks("(B, 2) and 1 - h**2", [2.0, 1.0], [])  # plain small numbers are no give-away
    assert leaks(Double().check(lambda x: x + 2).message, [2 * 1.5], []) == []



def test_the_leak_detector_finds_printed_words_shapes_and_small_counts():
    """Strings and small integers: caught where they read as the answer, not where prose uses a word."""
    assert word_leaks("The algorithm is RTRL, with H^2 work", {"RTRL"}, {4}) == ["RTRL"]
    assert word_leaks("the right one is `depends`", {"depends"}, set()) == ["depends"]
    assert word_leaks("case b should be explodes", {"explodes"}, set()) == ["explodes"]
    assert word_leaks("it should be (4, 10, 2)", set(), {4, 2}, public_ints={4, 10, 1}) == ["2"]
    assert word_leaks("t % 4 == 2 is the one", set(), {2}) == ["2"]
    # no false alarms: ordinary words in prose, the learner's own answer, digits inside other numbers or names
    assert not word_leaks("whether it vanishes depends on the largest singular value", {"depends", "vanishes"}, set())
    assert not word_leaks("Case 'b' is not 'explodes'", {"explodes"}, set(), public_strings={"explodes"})
    assert not word_leaks("not H^3 work per step: RTRL stores more", {"RTRL"}, {4}, public_strings={"rtrl"})
    assert not word_leaks("x1 and x_2, 12 steps, 0.25 of them, the 2nd axis", set(), {1, 2})
    assert not word_leaks("BPTTs and RTRLish", {"RTRL", "BPTT"}, set())
    strings, ints = set(), set()
    _answer_atoms({"a": "vanishes", "shape": (32, 50, 2), "n": 3, "ids": list(range(20))}, strings, ints)
    assert strings == {"vanishes"} and ints == {2, 3}  # a long list of small ids is left to the float check


def test_a_checker_that_prints_the_expected_word_or_count_is_caught():
    """The test over every exercise would fail on a checker that names the answer (a word, a shape, an int)."""

    class Which(Exercise):
        title = "which"
        hints = ("h",)
        solution_code = 'answer = ("RTRL", 4)'

        def _check(self, answer):
            if tuple(answer) != ("RTRL", 4):
                raise Incorrect("Not quite: the answer is RTRL.")

    class Shape(Exercise):
        title = "shape"
        hints = ("h",)
        solution_code = "answer = (16, 2)"

        def _check(self, answer):
            if tuple(answer) != (16, 2):
                raise Incorrect(f"You gave {tuple(answer)}; x[:, -1] has 2 features per row.")

    class Count(Exercise):
        title = "count"
        hints = ("h",)
        solution_code = "def f(n):\n    return n % 4"

        def _check(self, f):
            if f(6) != 6 % 4:
                raise Incorrect(f"f(6) gave {f(6)}, not {6 % 4}.")

    for exercise, wrong in ((Which(), ("BPTT", 2)), (Shape(), (100, 16)), (Count(), lambda n: n // 4)):
        verdict, _, _, words = expected_and_inputs(exercise, wrong)
        assert verdict.status == ex.INCORRECT and word_leaks(verdict.message, **words), exercise.title
    verdict, _, _, words = expected_and_inputs(Shape(), (100, 2))  # the learner's own 2: no leak
    assert verdict.status == ex.INCORRECT and not word_leaks(verdict.message, **words)

def test_answer_from_code_returns_answer_or_the_last_own_function():
    assert ex.answer_from_code("answer = 3") == 3
    f = ex.answer_from_code("import numpy as np\nfrom math import sqrt\n\ndef g(x):\n    return sqrt(x)\n")
    assert f.__name__ == "g" and f(4.0) == 2.0
    with pytest.raises(ValueError, match="defines neither"):
        ex.answer_from_code("import math")


def test_mutate_derives_a_mistake_from_the_solution_and_refuses_an_ambiguous_slip():
    code = "def f(x):\n    y = 2 * x\n    return y + 1\n"
    wrong = ex.mutate(code, "2 * x", "x")
    assert wrong == "def f(x):\n    y = x\n    return y + 1\n"
    assert ex.answer_from_code(wrong)(3) == 4 and ex.answer_from_code(code)(3) == 7
    with pytest.raises(ValueError, match="occurs 0 times"):
        ex.mutate(code, "3 * x", "x")
    with pytest.raises(ValueError, match="occurs 2 times"):
        ex.mutate(code, "y", "z")
    with pytest.raises(ValueError, match="would not be a mistake"):
        ex.mutate(code, "2 * x", "2 * x")
    with pytest.raises(ValueError, match="non-empty"):
        ex.mutate(code, "", "x")
    with pytest.raises(TypeError, match="old must be a string"):
        ex.mutate(code, 2, "x")


# ------------------------------------------------------------------------------ write it yourself; shapes
def test_a_course_helper_handed_in_is_rejected_with_a_message_that_says_so():
    from rnn_helpers import scratch
    from rnn_helpers.scratch import rnn_step

    class Step(Exercise):
        title = "step"
        hints = ("h",)
        solution_code = "answer = 1"
        write_it_yourself = (scratch.rnn_step,)

        def _check(self, f):
            f(np.zeros((1, 2)), np.zeros((1, 3)), np.zeros((3, 2)), np.zeros((3, 3)), np.zeros(3))

    def wraps_module(x_t, h_prev, W_xh, W_hh, b):
        return scratch.rnn_step(x_t, h_prev, W_xh, W_hh, b)

    def wraps_name(x_t, h_prev, W_xh, W_hh, b):
        return rnn_step(x_t, h_prev, W_xh, W_hh, b)

    def inner(x_t, h_prev, W_xh, W_hh, b):
        return rnn_step(x_t, h_prev, W_xh, W_hh, b)

    def through_own_function(x_t, h_prev, W_xh, W_hh, b):
        return inner(x_t, h_prev, W_xh, W_hh, b)

    def own(x_t, h_prev, W_xh, W_hh, b):
        return np.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b)

    for answer in (scratch.rnn_step, wraps_module, wraps_name, through_own_function, functools.partial(rnn_step),
                   lambda *a: scratch.rnn_step(*a)):
        verdict = Step().check(answer)
        assert verdict.status == ex.INCORRECT and "`scratch.rnn_step`" in verdict.message, answer
        assert "write it yourself" in verdict.message
    assert Step().check(own).correct
    assert not ex.calls_helper(own, scratch.rnn_step) and not ex.calls_helper(3, scratch.rnn_step)


@pytest.mark.parametrize(("got", "want", "says"), [
    ((4, 2), (2, 4), "transposed"),
    ((5, 1), (5,), "column vector"),
    ((3, 1), (1, 3), "column vector where the course uses a row"),
    ((3,), (1, 3), "batch axis is missing"),
    ((6, 4), (2, 6, 4), "batch axis is missing"),
    ((1, 2, 3), (2, 3), "extra leading axis"),
    ((2, 1, 3), (2, 3), "axis of size 1"),
    ((4, 2, 3), (2, 3, 4), "wrong order"),
    ((6, 4), (4, 3, 2), "right number of entries"),
    ((2, 5), (2, 3), "last axis is off"),
])
def test_shape_advice_names_the_mistake(got, want, says):
    advice = ex.shape_advice("h_t", got, want, "(B, H)")
    assert says in advice and f"should have shape {want} (B, H), but yours has shape {got}" in advice
    assert ex.shape_advice("h_t", want, want) is None
    with pytest.raises(Incorrect, match=says):
        ex.as_array(np.zeros(got), "rnn_step", shape=want)


def test_a_shape_error_inside_the_learners_code_becomes_guidance():
    class Step(Exercise):
        title = "step"
        hints = ("h",)
        solution_code = "answer = 1"
        shapes = "x_t is (B, I) and W_xh is (H, I)."

        def _check(self, f):
            f(np.zeros((2, 3)), np.zeros((4, 3)))

    verdict = Step().check(lambda x, W: x @ W)  # (2, 3) @ (4, 3): should have been x @ W.T
    assert verdict.status == ex.INCORRECT
    assert verdict.message.startswith("A shape did not fit inside your code (ValueError: matmul")
    assert verdict.message.endswith("x_t is (B, I) and W_xh is (H, I).")
    generic = Double().check(lambda x: np.zeros(2) @ np.zeros(3))
    assert "A shape did not fit" in generic.message and "x @ W.T" in generic.message
    assert ex.looks_like_shape_error(RuntimeError("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x3)"))
    assert not ex.looks_like_shape_error(ZeroDivisionError("division by zero"))
