"""tools/classroom.py turns every chapter's exercises into nbgrader answer/test cell pairs, generically, and builds
a student package without solutions. Fast: nbgrader itself runs in tests/classroom/test_end_to_end.py."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_helpers.exercises import Exercise

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("tools_classroom", ROOT / "tools" / "classroom.py")
classroom = importlib.util.module_from_spec(spec)
sys.modules["tools_classroom"] = classroom
spec.loader.exec_module(classroom)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    out = tmp_path_factory.mktemp("classroom")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "notebooks").glob("*.ipynb")}
    built = classroom.write_course(out, classroom.chapters(), classroom.load_config())
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert before == after  # the chapter notebooks are read, never written
    return out, built


def nbgrader_cells(nb):
    return [(i, c) for i, c in enumerate(nb["cells"]) if "nbgrader" in c["metadata"]]


def load(out, chapter):
    return json.loads((out / "source" / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8"))


def test_every_chapter_from_01_is_built_and_every_exercise_is_graded(course):
    out, built = course
    chapters = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb") if not p.stem.startswith("00"))
    assert sorted(built) == chapters and len(chapters) >= 9
    config = classroom.load_config()
    for chapter in chapters:
        module_name = classroom.exercise_module(json.loads((ROOT / "notebooks" / f"{chapter}.ipynb").read_text()),
                                                Path(chapter))
        module = importlib.import_module(f"rnn_helpers.exercises.{module_name}")
        exercises = {k for k, v in vars(module).items() if isinstance(v, Exercise)}
        assert {s.name for s in built[chapter]} == exercises, chapter
        cells = nbgrader_cells(load(out, chapter))
        assert len(cells) == 2 * len(exercises)
        for (i, answer), (j, test) in zip(cells[::2], cells[1::2], strict=True):
            a, t = answer["metadata"]["nbgrader"], test["metadata"]["nbgrader"]
            name = a["grade_id"].removesuffix("_answer")
            assert j == i + 1 and t["grade_id"] == f"{name}_tests"
            assert a["solution"] and not a["grade"] and not a["locked"]
            assert t["grade"] and t["locked"] and not t["solution"]
            assert t["points"] == config["points"].get(f"{module_name}.{name}", config["default"])
            assert classroom.SOLUTION_BEGIN in "".join(answer["source"]) and "____" in "".join(answer["source"])
            assert f"import {name} as _exercise" in "".join(test["source"])


def run_graded_cells(nb, *, student: bool) -> list[str]:
    """Run a chapter's answer and test cells in one namespace (the reference solution, or the student's stub in
    its place); return the grade ids of the test cells that failed."""
    namespace: dict = {}
    failed = []
    for cell in nb["cells"]:  # the chapter's exercise import cell (its exercises and ____), as the kernel runs it
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and classroom.MODULE_IMPORT.search(src) and "nbgrader" not in cell["metadata"]:
            exec(compile(src, "exercise imports", "exec"), namespace)  # our own notebooks
    for _, cell in nbgrader_cells(nb):
        src = "".join(cell["source"])
        if student and cell["metadata"]["nbgrader"]["solution"]:
            begin, end = src.index(classroom.SOLUTION_BEGIN), src.index(classroom.SOLUTION_END)
            src = src[:begin] + classroom.CODE_STUB + src[end + len(classroom.SOLUTION_END):]
        is_test = cell["metadata"]["nbgrader"]["grade"]
        try:
            exec(compile(src, cell["metadata"]["nbgrader"]["grade_id"], "exec"), namespace)  # our own notebooks
        except AssertionError:
            failed.append(cell["metadata"]["nbgrader"]["grade_id"])
        except Exception:  # an unanswered stub may raise in its answer cell, as it would under autograde
            if is_test or not student:
                raise
    return failed


def test_reference_solutions_pass_every_test_cell_and_the_stubs_pass_none(course):
    """Including the hidden tests: the instructor's source notebook is its own answer key."""
    out, built = course
    for chapter, sites in built.items():
        nb = load(out, chapter)
        assert run_graded_cells(nb, student=False) == [], chapter
        assert run_graded_cells(nb, student=True) == [f"{s.name}_tests" for s in sites], chapter


def test_hidden_tests_come_from_the_config_and_reject_a_wrong_answer(course):
    out, built = course
    config = classroom.load_config()
    hidden = {s.key for sites in built.values() for s in sites if s.hidden}
    assert hidden == set(config["hidden"]) and hidden
    test = next(c for _, c in nbgrader_cells(load(out, "09_hidden_state_lab"))
                if c["metadata"]["nbgrader"]["grade_id"] == "ex3_tests")
    src = "".join(test["source"])
    assert classroom.HIDDEN_BEGIN in src and classroom.HIDDEN_END in src
    hidden_code = src[src.index(classroom.HIDDEN_BEGIN):]
    with pytest.raises(AssertionError):
        exec(hidden_code, {"best_unit": lambda a, f: 4})  # our own code


def test_a_cell_that_shows_an_answer_is_left_out(tmp_path):
    # a chapter cell that runs a checker on fixed answers (no ____ to fill) would show the verdicts, hence the
    # answer: the classroom edition leaves it out. Planted in a copy of 04 (the chapter itself no longer has one).
    nb = json.loads((ROOT / "notebooks" / "04_vanishing_exploding.ipynb").read_text(encoding="utf-8"))
    demo = "for a in (64, 65, 66):\n    print(a, ex3.check(a))"
    at = next(i for i, c in enumerate(nb["cells"]) if "ex3.check(" in "".join(c["source"]))
    nb["cells"].insert(at + 1, {"cell_type": "code", "execution_count": None, "id": "demo01", "metadata": {},
                                "outputs": [], "source": demo})
    path = tmp_path / "04_vanishing_exploding.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    built, _ = classroom.classroom_notebook(path, classroom.load_config())
    text = "\n".join("".join(c["source"]) for c in built["cells"])
    assert demo not in text and "is left out here" in text


def test_clear_errors_for_notebooks_and_config_that_do_not_fit(tmp_path):
    config = classroom.load_config()
    nb = json.loads((ROOT / "notebooks" / "06_gru.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "ex2.check(" not in "".join(c["source"])]
    with pytest.raises(classroom.ClassroomError, match=r"without one: \['ex2'\]"):
        classroom.find_sites({**nb, "cells": cells}, Path("06_gru.ipynb"), config)
    bad = tmp_path / "bad.toml"
    bad.write_text("[points]\ndefault = -1\n")
    with pytest.raises(classroom.ClassroomError, match="positive number"):
        classroom.load_config(bad)
    bad.write_text("[points\n")
    with pytest.raises(classroom.ClassroomError, match="not valid TOML"):
        classroom.load_config(bad)
    with pytest.raises(classroom.ClassroomError, match="no chapter notebook named"):
        classroom.chapters(["99_nothing"])
    stale = {**config, "points": {**config["points"], "nb06.ex9": 3}}
    with pytest.raises(classroom.ClassroomError, match=r"nb06\.ex9"):
        classroom.write_course(tmp_path / "c", classroom.chapters(), stale)


def test_a_rebuild_keeps_the_teachers_files_and_a_backup_of_source(course):
    out, _ = course
    (out / "gradebook.db").write_bytes(b"the teacher's grades")
    (out / "nbgrader_config_local.py").write_text("c.Exchange.root = '/somewhere'\n")
    classroom.write_course(out, classroom.chapters(["06_gru"]), classroom.load_config())
    assert (out / "gradebook.db").read_bytes() == b"the teacher's grades"
    assert "/somewhere" in (out / "nbgrader_config_local.py").read_text()
    assert list((out / "backups").glob("source-*/06_gru/06_gru.ipynb"))


def test_student_package_withholds_solutions_and_keeps_check_and_hint(tmp_path):
    dest = classroom.build_student_package(tmp_path)
    assert not list((dest / "rnn_helpers" / "exercises").glob("nb*.py"))
    assert len(list((dest / "rnn_helpers" / "exercises").glob("nb*.pyc"))) >= 9
    assert (dest / "rnn_helpers" / "data" / "README.md").exists() and (dest / "pyproject.toml").exists()
    probe = f"WITHHELD = {classroom.WITHHELD!r}\n" + (
        "import pkgutil, importlib, rnn_helpers.exercises as E\n"
        "from rnn_helpers.exercises import Exercise\n"
        "n = 0\n"
        "for m in pkgutil.iter_modules(E.__path__):\n"
        "    for e in vars(importlib.import_module('rnn_helpers.exercises.' + m.name)).values():\n"
        "        if isinstance(e, Exercise):\n"
        "            assert e.solution_code == '' and str(e.solution_text()) == WITHHELD, e\n"
        "            assert e.hints and str(e.hint_text()).startswith('**Hint')\n"
        "            n += 1\n"
        "from rnn_helpers.exercises import nb06\n"
        "def gru_parameters(I, H):\n"
        "    return 3 * (H * I + H * H + 2 * H)\n"
        "assert nb06.ex1.check(gru_parameters).correct and not nb06.ex1.check(lambda I, H: 0).correct\n"
        "print(n, rnn_helpers.__file__ if False else E.__file__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                            env={**env, "PYTHONPATH": str(dest)}, timeout=300)
    assert result.returncode == 0, result.stderr
    count, where = result.stdout.split()
    assert int(count) >= 30 and where.startswith(str(dest))
