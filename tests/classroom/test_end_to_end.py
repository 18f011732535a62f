"""The classroom edition end to end, on the real nbgrader and its real sqlite gradebook (no mocks).

A teacher builds the course with tools/classroom.py (as `make classroom` does) and releases two chapters;
students fetch and submit through nbgrader's exchange (a directory on this machine); the teacher collects,
autogrades, generates and releases feedback and exports the grades as CSV, with the nbgrader commands of
docs/classroom.md. The teacher's commands run as the command-line tool; the students' fetch and submit run
in-process through nbgrader's own exchange classes (the code behind `nbgrader fetch_assignment` / `submit`),
which saves one nbgrader start-up per student per chapter.

Graded chapters: 02_history and 09_hidden_state_lab, the two fastest chapters with exercises in
benchmarks/RESULTS.md (about 10 s and 14 s to run). Every submission is executed by autograde.

Submissions (per chapter unless said):
- ``full``: every reference solution;            expected: every point
- ``blank``: the released notebook untouched;     expected: 0
- ``wrong``: typical mistakes from the checkers' own known-wrong cases (tests/test_nb02_exercises.py,
  tests/test_nb09_exercises.py) in some exercises, the reference in the others; expected: the points of the others
- ``broken`` (02): a deleted test cell (nbgrader puts it back) and an answer cell that raises; expected: all but
  the raising exercise's points
- ``fitted`` (09): exercise 3 answered by a function fitted to the checker's visible cases: the course's checker
  accepts it, the hidden tests do not; expected: all but that exercise's points
- ``notjson`` (02): a file that is not a notebook; nbgrader reports it for that student and grades the others.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rnn_helpers.exercises as ex

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ("02_history", "09_hidden_state_lab")
COURSE = "rnn-course"

spec = importlib.util.spec_from_file_location("tools_classroom", ROOT / "tools" / "classroom.py")
classroom = importlib.util.module_from_spec(spec)
sys.modules["tools_classroom"] = classroom
spec.loader.exec_module(classroom)

nbgrader = pytest.importorskip("nbgrader", reason="nbgrader is installed by requirements-dev.txt")

# Known-wrong answers, copied from the checkers' tests; each is also checked below to be rejected by the checker.
WRONG = {
    "02_history": {
        "ex1": (
            "def perceptron_update(w, b, x, y, lr):  # updates even when the answer is right\n"
            "    return w + lr * y * x, b + lr * y\n"
        ),
        "ex3": 'answer = ("BPTT", 2)  # the cheaper algorithm, but it needs the end of the sequence\n',
        "ex5": "answer = 3  # the position of the parity bit in x, not in the target\n",
        "ex6": (
            "import numpy as np\n\n"
            "def rtrl(x, d_out, W_ih, W_hh, b):  # no W_hh P_{t-1}: the past forgotten (Elman's one-step gradient)\n"
            "    B, T, I = x.shape\n"
            "    H = W_hh.shape[0]\n"
            "    h, P, dW_hh = np.zeros((B, H)), np.zeros((B, H, H, H)), np.zeros((H, H))\n"
            "    for t in range(T):\n"
            "        h_new = np.tanh(x[:, t] @ W_ih.T + h @ W_hh.T + b)\n"
            "        P = (1 - h_new**2)[:, :, None, None] * np.eye(H)[None, :, :, None] * h[:, None, None, :]\n"
            "        dW_hh = dW_hh + np.einsum('bk,bkij->ij', d_out[:, t], P)\n"
            "        h = h_new\n"
            "    return dW_hh, P\n"
        ),
    },
    "09_hidden_state_lab": {
        "ex2": (
            "def saturation_fractions(gate, low=0.1, high=0.9):  # swapped\n"
            "    return (gate > high).mean(0), (gate < low).mean(0)\n"
        ),
        "ex3": (
            "import numpy as np\n\n"
            "def best_unit(activations, feature):  # ranks by the signed correlation\n"
            "    r = [np.corrcoef(activations[:, j], feature)[0, 1] for j in range(activations.shape[1])]\n"
            "    return int(np.argmax(r))\n"
        ),
    },
}
# An answer fitted to the visible cases of 09's exercise 3 (the checker plants the unit at 4, 9, 0, 2, then 6).
FITTED = (
    "_planted = iter([4, 9, 0, 2, 6] * 100)\n\n"
    "def best_unit(activations, feature):  # reads no data: returns the checker's planted units in turn\n"
    "    return next(_planted)\n"
)
RAISES = 'raise RuntimeError("a half-edited answer")\n'


def run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """One nbgrader command, as a teacher types it, in the course directory."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("nbgrader")), *args],
        cwd=cwd, capture_output=True, text=True, env=classroom.nbgrader_env(), timeout=1800,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def student_config(root: Path, exchange: Path, student: str, chapter: str):
    from traitlets.config import Config

    cfg = Config()
    cfg.Exchange.root = str(exchange)
    cfg.Exchange.assignment_dir = str(root / "students" / student)
    cfg.Exchange.cache = str(root / "students" / student / ".nbgrader_cache")  # as each student's own account
    cfg.CourseDirectory.course_id = COURSE
    cfg.CourseDirectory.assignment_id = chapter
    cfg.CourseDirectory.student_id = student
    return cfg


def exchange_action(cls, cfg) -> None:
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=cfg)
    cls(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg).start()


def answer(chapter: str, name: str, site, student: str) -> str | None:
    """The code a student writes in place of the stub (None: leave the cell as released)."""
    module = importlib.import_module(f"rnn_helpers.exercises.{site.module}")
    reference = classroom.solution_block(getattr(module, name).solution_code, site.argument)
    if student == "full":
        return reference
    if student == "wrong":
        return WRONG[chapter].get(name, reference)
    if student == "broken":
        return RAISES if name == "ex2" else reference
    if student == "fitted":
        return FITTED if name == "ex3" else reference
    return None


def edit(notebook: Path, chapter: str, sites: dict, student: str) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        name = grade_id.split("_")[0]
        if grade_id.endswith("_answer"):
            code = answer(chapter, name, sites[name], student)
            if code is not None:
                src = "".join(cell["source"])
                assert classroom.CODE_STUB in src, src
                cell["source"] = src.replace(classroom.CODE_STUB, code.rstrip("\n"))
        if student == "broken" and grade_id == "ex1_tests":
            continue  # the student deleted a locked test cell
        cells.append(cell)
    nb["cells"] = cells
    notebook.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build, release, submit, collect, autograde, generate and release feedback, export. Returns what was made."""
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeFetchFeedback, ExchangeSubmit

    timings = {}
    start = time.perf_counter()
    root = tmp_path_factory.mktemp("classroom")
    course, exchange = root / "course", root / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    built = classroom.build(course, list(CHAPTERS))
    (course / "nbgrader_config_local.py").write_text(f"c.Exchange.root = {str(exchange)!r}\n", encoding="utf-8")
    timings["build and generate"] = time.perf_counter() - start

    t = time.perf_counter()
    for chapter in CHAPTERS:
        run(["release_assignment", chapter], course)
    submissions = {
        "02_history": ["full", "blank", "wrong", "broken", "notjson"],
        "09_hidden_state_lab": ["full", "blank", "wrong", "fitted"],
    }
    for chapter, students in submissions.items():
        sites = {s.name: s for s in built[chapter]}
        for student in students:
            cfg = student_config(root, exchange, student, chapter)
            exchange_action(ExchangeFetchAssignment, cfg)
            notebook = root / "students" / student / chapter / f"{chapter}.ipynb"
            if student == "notjson":
                notebook.write_text("{ this is not a notebook", encoding="utf-8")
            else:
                edit(notebook, chapter, sites, student)
            exchange_action(ExchangeSubmit, student_config(root, exchange, student, chapter))
    timings["release, fetch, submit"] = time.perf_counter() - t

    logs = {}
    t = time.perf_counter()
    for chapter in CHAPTERS:
        run(["collect", chapter], course)
    timings["collect"] = time.perf_counter() - t
    t = time.perf_counter()
    for chapter in CHAPTERS:
        logs[chapter] = run(["autograde", chapter], course, check=False)
    timings["autograde"] = time.perf_counter() - t
    t = time.perf_counter()
    for chapter in CHAPTERS:
        run(["generate_feedback", chapter], course)
        run(["release_feedback", chapter], course)
    run(["export", "--to", str(root / "grades.csv")], course)
    exchange_action(ExchangeFetchFeedback, student_config(root, exchange, "wrong", "02_history"))
    timings["feedback and export"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    print("classroom end-to-end timings (s):", {k: round(v, 1) for k, v in timings.items()})
    with open(root / "grades.csv", newline="", encoding="utf-8") as f:
        grades = {(row["assignment"], row["student_id"]): row for row in csv.DictReader(f)}
    return {"root": root, "course": course, "built": built, "grades": grades, "logs": logs,
            "submissions": submissions, "timings": timings}


def points(sites, names=None) -> float:
    return sum(s.points for s in sites if names is None or s.name in names)


def score(graded, chapter, student) -> tuple[float, float]:
    row = graded["grades"][(chapter, student)]
    return float(row["score"]), float(row["max_score"])


def test_known_wrong_answers_are_rejected_by_the_course_checkers():
    """The 'wrong' submission's answers are mistakes the checkers really reject (and FITTED fools the checker)."""
    for chapter, answers in WRONG.items():
        module = importlib.import_module(f"rnn_helpers.exercises.nb{chapter[:2]}")
        for name, code in answers.items():
            namespace: dict = {}
            exec(code, namespace)  # our own test code
            functions = [v for k, v in namespace.items() if callable(v) and k[0] != "_" and k != "np"]
            value = namespace["answer"] if "answer" in namespace else functions[-1]
            assert getattr(module, name).check(value).status == ex.INCORRECT, (chapter, name)
    namespace = {}
    exec(FITTED, namespace)
    from rnn_helpers.exercises import nb09

    assert nb09.ex3.check(namespace["best_unit"]).correct  # visible cases only: the hidden tests must catch it


def test_exact_scores(graded):
    built = graded["built"]
    h, s = built["02_history"], built["09_hidden_state_lab"]
    assert points(h) == 9 and points(s) == 6  # as tools/classroom.toml states (2 + 1 + 1 + 1 + 1 + 3; 2 + 1 + 1 + 2)
    expected = {
        ("02_history", "full"): points(h),
        ("02_history", "blank"): 0,
        ("02_history", "wrong"): points(h) - points(h, WRONG["02_history"]),  # ex2, ex4 right: 2 of 9
        ("02_history", "broken"): points(h) - points(h, ["ex2"]),  # only the raising answer costs: 8 of 9
        ("09_hidden_state_lab", "full"): points(s),
        ("09_hidden_state_lab", "blank"): 0,
        ("09_hidden_state_lab", "wrong"): points(s) - points(s, WRONG["09_hidden_state_lab"]),  # ex1 and ex4 right
        ("09_hidden_state_lab", "fitted"): points(s) - points(s, ["ex3"]),  # the hidden tests catch it
    }
    got = {key: score(graded, *key)[0] for key in expected}
    assert got == expected
    for key in expected:
        assert score(graded, *key)[1] == points(built[key[0]])
    for chapter, total in (("02_history", points(h)), ("09_hidden_state_lab", points(s))):
        assert 0 < expected[(chapter, "wrong")] < total


def test_the_broken_submission_was_graded_with_its_test_cell_restored(graded):
    autograded = graded["course"] / "autograded" / "broken" / "02_history" / "02_history.ipynb"
    nb = json.loads(autograded.read_text(encoding="utf-8"))
    tests = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "ex1_tests"]
    assert len(tests) == 1 and "was missing from the submission" in "".join(tests[0]["source"])
    raising = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "ex2_answer")
    assert any(o.get("ename") == "RuntimeError" for o in raising["outputs"])  # the student's error, kept in place


def test_a_notebook_that_is_not_json_is_reported_and_the_others_are_graded(graded):
    log = graded["logs"]["02_history"]
    text = log.stdout + log.stderr
    assert "notjson" in text and re.search(r"error|Error", text)
    assert not (graded["course"] / "autograded" / "notjson" / "02_history" / "02_history.ipynb").exists()
    assert float(graded["grades"][("02_history", "notjson")]["score"]) == 0  # nbgrader lists it, with no points
    # and every other submission of that chapter was graded
    for student in ("full", "blank", "wrong", "broken"):
        assert (graded["course"] / "autograded" / student / "02_history" / "02_history.ipynb").exists()


def test_feedback_names_the_failed_exercise(graded):
    course = graded["course"]
    for chapter, student, failed in [
        ("02_history", "wrong", "Exercise 1: the perceptron"),
        ("09_hidden_state_lab", "wrong", "Exercise 3: find the unit"),
        ("09_hidden_state_lab", "fitted", "Exercise 3: find the unit"),
    ]:
        html = (course / "feedback" / student / chapter / f"{chapter}.html").read_text(encoding="utf-8")
        assert failed in html
        # nbgrader's feedback marks each test cell with its score; the failed one shows its AssertionError
        assert "AssertionError" in html
    full = (course / "feedback" / "full" / "02_history" / "02_history.html").read_text(encoding="utf-8")
    assert "AssertionError" not in full
    # released to the exchange, and fetched by a student with `nbgrader fetch_feedback`
    assert len(list((graded["root"] / "exchange" / COURSE / "feedback").glob("*.html"))) >= 8
    fetched = list((graded["root"] / "students" / "wrong" / "02_history" / "feedback").glob("*/02_history.html"))
    assert len(fetched) == 1 and "Exercise 1: the perceptron" in fetched[0].read_text(encoding="utf-8")


def solution_lines(built) -> dict[str, set[str]]:
    """The lines of every reference solution and hidden test of the graded chapters that a student must not see.

    Left out: blank lines, comments, imports, and lines the student edition shows a student on purpose (the
    chapter's own cells, e.g. the ``def`` line of the scaffold; the exercises' hints, e.g.
    ``np.fill_diagonal(W, 0)``; and rnn_helpers' modules outside exercises/, e.g. scratch.py's LSTM cell update
    that chapter 05 teaches)."""
    shown = [p.read_text(encoding="utf-8") for p in (ROOT / "rnn_helpers").rglob("*.py") if "exercises" not in p.parts]
    for chapter in (ROOT / "notebooks").glob("*.ipynb"):
        shown.append("\n".join("".join(c["source"]) for c in json.loads(chapter.read_text(encoding="utf-8"))["cells"]))
    for sites in built.values():
        for site in sites:
            shown += getattr(importlib.import_module(f"rnn_helpers.exercises.{site.module}"), site.name).hints
    shown_text = "\n".join(shown)
    secret: dict[str, set[str]] = {}
    for sites in built.values():
        for site in sites:
            module = importlib.import_module(f"rnn_helpers.exercises.{site.module}")
            for line in (getattr(module, site.name).solution_code + "\n" + site.hidden).splitlines():
                code = line.split("#")[0].strip()
                if not code or code.startswith(("import ", "from ")) or code in shown_text:
                    continue
                secret.setdefault(site.key, set()).add(code)
    return secret


def test_no_reference_solution_or_hidden_test_reaches_the_student_edition(graded):
    course = graded["course"]
    secret = solution_lines(graded["built"])
    graded_exercises = sum(len(sites) for sites in graded["built"].values())
    assert sum(map(len, secret.values())) >= 20 and len(secret) == graded_exercises  # every one has lines to hide
    files = [p for p in (course / "release").rglob("*") if p.is_file()]
    files += [p for p in (course / "student-package").rglob("*") if p.is_file()]
    assert any(p.suffix == ".ipynb" for p in files) and any(p.suffix == ".pyc" for p in files)
    leaks = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".ipynb":  # the JSON escapes quotes: compare the cells' sources
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        leaks += [(str(path.relative_to(course)), key, line) for key, lines in secret.items() for line in lines
                  if line in text]
    assert not leaks
    # the instructor's source notebooks do hold them (so the check above can fail)
    source = "\n".join(p.read_text(encoding="utf-8") for p in (course / "source").rglob("*.ipynb"))
    assert all(json.dumps(line)[1:-1] in source for lines in secret.values() for line in lines)
    # and the exercises' source files are gone from the student package: bytecode only
    assert not list((course / "student-package" / "rnn_helpers" / "exercises").glob("nb*.py"))


def test_the_student_package_installs_with_pip_and_withholds_solutions(graded, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
         "--target", str(target), str(graded["course"] / "student-package")],
        check=True, capture_output=True, text=True, timeout=600,
    )
    probe = (
        "import rnn_helpers, numpy as np\n"
        "from rnn_helpers.exercises import nb02\n"
        "from rnn_helpers.datasets import default_data_dir\n"
        "print(rnn_helpers.__file__)\n"
        "print(default_data_dir())\n"
        "nb02.ex1.solution()  # shown wherever it is called (printed outside a kernel)\n"
        "print(nb02.ex5.check(2).status, nb02.ex5.check(3).status)\n"
        "nb02.ex1.hint()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                            env={**env, "PYTHONPATH": str(target)}, check=True, timeout=300)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(str(target)) and lines[1].startswith(str(target))
    assert lines[2] == classroom.WITHHELD
    assert lines[3] == "correct incorrect"
    assert "Hint" in lines[4]
