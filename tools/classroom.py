#!/usr/bin/env python3
"""Build the classroom edition: an nbgrader course directory made from the chapter notebooks as they are.

    python tools/classroom.py                      # build/classroom/: every chapter 01 onwards, generated and released
    python tools/classroom.py --out DIR --chapters 02_history 09_hidden_state_lab
    python tools/classroom.py --no-generate        # write source/ and the student package only (no nbgrader run)

What it writes (docs/classroom.md says what a teacher does with it):
- ``nbgrader_config.py``: the course's nbgrader settings (regenerated on every build); a teacher's own settings go
  in ``nbgrader_config_local.py`` beside it, which the build creates once and never overwrites;
- ``source/<NN_name>/<NN_name>.ipynb`` for every chapter 01 onwards. Each exercise of the chapter (found from the
  chapter's ``from rnn_helpers.exercises.nbNN import ...`` line and its ``exK.check(name)`` cells, never from cell
  positions) becomes an autograded-answer cell, the chapter's own cell with the reference solution between
  nbgrader's solution markers, followed by a locked autograder-test cell that runs the course's own checker and
  fails on a wrong answer (points and hidden tests come from tools/classroom.toml, the one place that states them);
- ``release/``: ``nbgrader generate_assignment`` for each chapter (solutions and hidden tests stripped);
- ``student-package/``: the student edition of rnn_helpers, installable with pip: every exercise's reference
  solution removed from the source (``.solution()`` says the solutions are withheld), the checkers shipped as
  bytecode only, ``.check()`` and ``.hint()`` unchanged, the course's data inside the package.

The self-study edition (notebooks/, rnn_helpers/) is read, never written. A rebuild keeps the teacher's
gradebook, submissions and feedback; the previous source/ is copied to backups/ before it is replaced.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime
import importlib
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CONFIG = Path(__file__).with_name("classroom.toml")
CHAPTER = re.compile(r"^(\d\d)_[a-z0-9_]+$")
MODULE_IMPORT = re.compile(r"from\s+rnn_helpers\.exercises\.(nb\d\d)\s+import")
COURSE_ID = "rnn-course"
WITHHELD = "The solutions are withheld in this edition of the course: ask your teacher."
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
# what a student sees in place of the solution (nbgrader's ClearSolutions.code_stub, set in nbgrader_config.py)
CODE_STUB = "# YOUR ANSWER: replace each ____ above (or write your own code here), then run this cell"


class ClassroomError(Exception):
    """The chapter notebooks, the exercise modules or tools/classroom.toml do not fit together."""


@dataclass
class Site:
    """One graded exercise of a chapter: where its answer cell is and what it passes to the checker."""

    key: str  # "nb06.ex1"
    module: str  # "nb06"
    name: str  # "ex1"
    title: str
    cell: int  # index of the answer cell in the chapter notebook
    argument: str  # the name the cell passes to exK.check(...)
    points: float
    hidden: str  # hidden test code ("" when none)


# ------------------------------------------------------------------------------------------------ reading
def load_config(path: Path = CONFIG) -> dict:
    """tools/classroom.toml as a dict with ``default`` (points), ``points`` (key -> points), ``hidden``."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ClassroomError(f"{path} is not valid TOML: {err}") from err
    points = raw.get("points", {})
    default = points.get("default", 1)
    per = dict(points.get("exercises", {}))
    for key, value in [("default", default), *per.items()]:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ClassroomError(f"{path}: points for {key} must be a positive number, got {value!r}")
    hidden = {key: str(entry.get("code", "")).strip() for key, entry in raw.get("hidden", {}).items()}
    return {"default": default, "points": per, "hidden": hidden}


def chapters(names: list[str] | None = None) -> list[Path]:
    """The chapter notebooks 01 onwards (or the ones named, with or without .ipynb), in course order."""
    found = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if CHAPTER.match(p.stem) and p.stem[:2] != "00")
    if not names:
        return found
    by_name = {p.stem: p for p in found}
    wanted = [n.removesuffix(".ipynb") for n in names]
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        raise ClassroomError(f"no chapter notebook named {unknown}; the chapters are {sorted(by_name)}")
    return [by_name[n] for n in wanted]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _check_calls(tree: ast.AST, names: set[str]) -> list[ast.Call]:
    """Every call ``exK.check(...)`` in ``tree`` where exK is one of ``names``."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "check"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in names
    ]


def _defined_names(code: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _solution_function(code: str) -> str | None:
    """The name of the one function a reference solution defines (None if it defines none or several)."""
    functions = [n.name for n in ast.parse(code).body if isinstance(n, ast.FunctionDef)]
    return functions[0] if len(functions) == 1 else None


def solution_block(solution_code: str, argument: str) -> str:
    """The reference solution as it goes between the solution markers: when the chapter's cell checks a function
    under another name than the solution's (``attention_by_hand`` vs ``attention``), a last line binds it."""
    code = solution_code.strip("\n")
    if argument not in _defined_names(code):
        code += f"\n{argument} = {_solution_function(code)}"
    return code


def exercise_module(nb: dict, path: Path) -> str | None:
    """The exercise module a chapter imports (``"nb06"``), or None for a chapter without exercises."""
    modules = {m for cell in nb["cells"] if cell["cell_type"] == "code" for m in MODULE_IMPORT.findall(_source(cell))}
    if len(modules) > 1:
        raise ClassroomError(f"{path.name} imports several exercise modules {sorted(modules)}; expected one")
    return modules.pop() if modules else None


def find_sites(nb: dict, path: Path, config: dict) -> tuple[list[Site], list[int]]:
    """The graded exercises of a chapter, and the cells that call a checker without being an answer cell.

    An answer cell is a code cell that still holds the placeholder ``____`` and calls ``exK.check(name)`` as a
    statement of its own. Every exercise of the chapter's module must have exactly one.
    """
    from rnn_helpers.exercises import Exercise

    module_name = exercise_module(nb, path)
    if module_name is None:
        return [], []
    module = importlib.import_module(f"rnn_helpers.exercises.{module_name}")
    exercises = {k: v for k, v in vars(module).items() if isinstance(v, Exercise)}
    if not exercises:
        raise ClassroomError(f"rnn_helpers/exercises/{module_name}.py defines no exercise objects")
    sites: list[Site] = []
    demos: list[int] = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = _source(cell)
        if ".check(" not in src:
            continue
        try:
            tree = ast.parse(src)
        except SyntaxError as err:
            raise ClassroomError(f"{path.name}, cell {index}: cannot parse a cell that calls a checker: {err}") from err
        calls = _check_calls(tree, set(exercises))
        if not calls:
            continue
        statements = [
            s.value for s in tree.body if isinstance(s, ast.Expr) and s.value in calls and len(s.value.args) == 1
        ]
        if "____" not in src or not statements:
            demos.append(index)  # e.g. a cell that shows the checker's verdicts on fixed answers
            continue
        if len(statements) > 1:
            raise ClassroomError(f"{path.name}, cell {index}: one answer cell calls several checkers")
        call = statements[0]
        name = call.func.value.id
        if not isinstance(call.args[0], ast.Name):
            raise ClassroomError(
                f"{path.name}, cell {index}: {name}.check(...) should be given a name (answer or a function), "
                f"got {ast.unparse(call.args[0])!r}"
            )
        exercise = exercises[name]
        argument = call.args[0].id
        if argument not in _defined_names(exercise.solution_code) and not _solution_function(exercise.solution_code):
            raise ClassroomError(
                f"{module_name}.{name}: the chapter's cell passes {argument!r} to check, but the reference "
                f"solution neither defines {argument!r} nor a single function to stand for it"
            )
        key = f"{module_name}.{name}"
        sites.append(
            Site(
                key=key,
                module=module_name,
                name=name,
                title=exercise.title,
                cell=index,
                argument=argument,
                points=config["points"].get(key, config["default"]),
                hidden=config["hidden"].get(key, ""),
            )
        )
    seen = [s.name for s in sites]
    missing = sorted(set(exercises) - set(seen))
    doubled = sorted({n for n in seen if seen.count(n) > 1})
    if missing or doubled:
        raise ClassroomError(
            f"{path.name}: every exercise of {module_name} needs exactly one answer cell (a cell with ____ that "
            f"calls exK.check(name)); without one: {missing}, with several: {doubled}"
        )
    return sites, demos


# ------------------------------------------------------------------------------------------------ writing
def _cell_id() -> str:
    return uuid.uuid4().hex[:8]


def _markdown(text: str) -> dict:
    return {"cell_type": "markdown", "id": _cell_id(), "metadata": {}, "source": text}


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _points(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")


def answer_source(src: str, solution: str) -> str:
    """The chapter's answer cell with the reference solution inserted, between nbgrader's solution markers,
    just before the statement that calls the checker."""
    tree = ast.parse(src)
    line = next(
        s.lineno for s in tree.body if isinstance(s, ast.Expr) and ".check(" in ast.get_source_segment(src, s)
    )
    lines = src.splitlines()
    block = [SOLUTION_BEGIN, *solution.splitlines(), SOLUTION_END]
    return "\n".join(lines[: line - 1] + block + lines[line - 1 :])


def test_source(site: Site) -> str:
    lines = [
        f"# Autograder tests of {site.title} ({_points(site.points)}). This cell is locked.",
        f"from rnn_helpers.exercises.{site.module} import {site.name} as _exercise",
        "",
        f"_verdict = _exercise.check({site.argument})",
        "assert _verdict.correct, str(_verdict)",
    ]
    if site.hidden:
        lines += [HIDDEN_BEGIN, site.hidden, HIDDEN_END]
    return "\n".join(lines)


def classroom_notebook(path: Path, config: dict) -> tuple[dict, list[Site]]:
    """The nbgrader source notebook of one chapter, built from the chapter notebook (which is not changed)."""
    from rnn_helpers import exercises as ex_pkg

    nb = json.loads(path.read_text(encoding="utf-8"))
    sites, demos = find_sites(nb, path, config)
    by_cell = {s.cell: s for s in sites}
    cells: list[dict] = []
    total = sum(s.points for s in sites)
    for index, cell in enumerate(nb["cells"]):
        cell = copy.deepcopy(cell)
        cell.pop("outputs", None) if cell["cell_type"] != "code" else cell.update(outputs=[], execution_count=None)
        if index in demos:
            cells.append(_markdown(
                "*Classroom edition: a cell that showed the checker's verdicts on fixed answers is left out here, "
                "because it gives an answer away.*"
            ))
            continue
        if index in by_cell:
            site = by_cell[index]
            exercise = getattr(importlib.import_module(f"{ex_pkg.__name__}.{site.module}"), site.name)
            cell["source"] = answer_source(_source(cell), solution_block(exercise.solution_code, site.argument))
            cell["metadata"]["nbgrader"] = _nbgrader(f"{site.name}_answer", grade=False, solution=True, locked=False)
            cells.append(cell)
            cells.append({
                "cell_type": "code", "execution_count": None, "id": _cell_id(), "outputs": [],
                "metadata": {"nbgrader": _nbgrader(f"{site.name}_tests", grade=True, solution=False, locked=True,
                                                   points=site.points)},
                "source": test_source(site),
            })
            continue
        cells.append(cell)
    if sites:
        listing = "\n".join(f"- {s.title} ({_points(s.points)})" for s in sites)
        note = (
            "**Classroom edition (graded).** Each exercise below is graded by the locked cell that follows it, "
            "which runs the same checker as `exK.check(...)`. Replace each `____` with your answer and run the "
            "cell; `exK.hint()` still gives hints, and `exK.solution()` is withheld in this edition. Do not "
            "delete or rename the exercise cells. Validate before you submit "
            "(the *Validate* button, or `nbgrader validate` on this notebook).\n\n"
            f"Graded exercises ({_points(total)} in all):\n\n{listing}"
        )
        cells.insert(1, _markdown(note))
    out = copy.deepcopy(nb)
    out["cells"] = cells
    out.setdefault("metadata", {})["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                                    "name": "python3"}
    return out, sites


NBGRADER_CONFIG = '''\
# nbgrader settings of the course "Recurrent Neural Networks, an interactive course", classroom edition.
# Written by tools/classroom.py on every build (`make classroom`): do not edit. Put your own settings (the
# exchange directory, the course id, a time zone) in nbgrader_config_local.py beside this file.
import os

c = get_config()  # noqa: F821  (nbgrader provides get_config)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = {course_id!r}
# where students' edits go in place of the solution
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
# a student who deleted a locked test cell is graded with the cell put back (nbgrader marks it in the feedback)
c.OverwriteCells.add_missing_cells = True
# a cell may train a small network: give it time (the notebooks' own limit is 60 s for the whole notebook)
c.Execute.timeout = 300
# each grading kernel on one torch/BLAS thread, as in the course's tests (set before the kernel starts)
os.environ.setdefault("RNN_COURSE_THREADS", "1")

load_subconfig(os.path.join(c.CourseDirectory.root, "nbgrader_config_local.py"))  # noqa: F821
'''

LOCAL_CONFIG = '''\
# Your own nbgrader settings for this course; `make classroom` creates this file once and never overwrites it.
# See docs/classroom.md. Examples:
#
# c.CourseDirectory.course_id = "rnn-course"          # students' nbgrader_config.py must use the same id
# c.Exchange.root = "/srv/nbgrader/exchange"           # nbgrader's default; on one machine any shared directory
# c.Exchange.timezone = "Europe/Berlin"
'''


def write_course(out: Path, chapter_paths: list[Path], config: dict) -> dict[str, list[Site]]:
    """Write nbgrader_config.py and source/ under ``out``; return each assignment's graded exercises."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(
        NBGRADER_CONFIG.format(course_id=COURSE_ID, stub=CODE_STUB), encoding="utf-8"
    )
    local = out / "nbgrader_config_local.py"
    if not local.exists():
        local.write_text(LOCAL_CONFIG, encoding="utf-8")
    source = out / "source"
    if source.exists():
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        shutil.copytree(source, out / "backups" / f"source-{stamp}")
    built: dict[str, list[Site]] = {}
    for path in chapter_paths:
        nb, sites = classroom_notebook(path, config)
        folder = source / path.stem
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        (folder / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        built[path.stem] = sites
    known = {s.key for sites in built.values() for s in sites}
    if len(chapter_paths) == len(chapters()):  # only a full build can tell a stale name from a skipped chapter
        stale = sorted((set(config["points"]) | set(config["hidden"])) - known)
        if stale:
            raise ClassroomError(f"{CONFIG.name} names exercises that no chapter grades: {stale}")
    return built


def nbgrader_env() -> dict:
    """The environment for running nbgrader from this Python's bin/ (nbgrader calls ``alembic`` by name, so that
    directory must be on PATH, as it is in an activated virtual environment)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def generate(out: Path, assignments: list[str]) -> None:
    """``nbgrader generate_assignment`` for each assignment, in the course directory: writes release/."""
    for name in assignments:
        result = subprocess.run(
            [str(Path(sys.executable).with_name("nbgrader")), "generate_assignment", name, "--force"],
            cwd=out, capture_output=True, text=True, env=nbgrader_env(),
        )
        if result.returncode != 0:
            raise ClassroomError(f"nbgrader generate_assignment {name} failed:\n{result.stdout}{result.stderr}")


# ------------------------------------------------------------------------------------------------ student package
class _WithholdSolutions(ast.NodeTransformer):
    """Replace every class-level ``solution_code = ...`` by ``solution_code = ""``, and ``mistakes = ...`` by
    ``mistakes = ()``: a known mistake is the solution with one slip, so it must not ship either."""

    EMPTY = {"solution_code": "", "mistakes": ()}

    def __init__(self) -> None:
        self.count = 0

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        names = [t.id for t in node.targets if isinstance(t, ast.Name) and t.id in self.EMPTY]
        if names:
            self.count += 1
            return ast.copy_location(ast.Assign(targets=node.targets, value=ast.Constant(self.EMPTY[names[0]]),
                                                lineno=node.lineno), node)
        return node


STUDENT_PYPROJECT = '''\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "rnn_helpers"
version = "{version}+student"
description = "rnn_helpers, student edition: the exercises' solutions are withheld."
requires-python = "=={py}.*"
dependencies = []

[tool.setuptools.packages.find]
include = ["rnn_helpers*"]

[tool.setuptools.package-data]
"*" = ["*.pyc", "data/*"]
'''

STUDENT_README = """\
# rnn_helpers, student edition

Built by `make classroom` (tools/classroom.py) from the course's rnn_helpers. Same package, except:

- every exercise's reference solution (and its list of known mistakes, each the solution with one slip) is
  removed: `exK.solution()` says the solutions are withheld;
- the exercise checkers (rnn_helpers/exercises/nbNN) ship as Python {py} bytecode only, because a checker
  computes the expected answer; `exK.check(answer)` and `exK.hint()` work as in the self-study edition;
- the course's data files are inside the package (rnn_helpers/data/).

Install it into the students' environment (JupyterHub image or a lab machine):

    pip install build/classroom/student-package
"""


def build_student_package(out: Path) -> Path:
    """Write the student edition of rnn_helpers to ``out / "student-package"``; return that directory."""
    import tomllib as _toml

    dest = out / "student-package"
    if dest.exists():
        shutil.rmtree(dest)
    package = dest / "rnn_helpers"
    shutil.copytree(ROOT / "rnn_helpers", package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(ROOT / "data", package / "data")
    # .solution(): withheld
    init = package / "exercises" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    original = '        return Text(f"**Solution:**\\n\\n```python\\n{self.solution_code.strip()}\\n```")'
    if original not in text:
        raise ClassroomError("Exercise.solution() in rnn_helpers/exercises changed: update tools/classroom.py")
    text = text.replace(original, f"        return Text({WITHHELD!r})")
    init.write_text(text, encoding="utf-8")
    # every module that defines exercises: solutions removed from the source, then compiled; the source deleted
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    for module in sorted((package / "exercises").glob("nb*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        transformer = _WithholdSolutions()
        tree = ast.fix_missing_locations(transformer.visit(tree))
        module.write_text(ast.unparse(tree) + "\n", encoding="utf-8")
        py_compile.compile(str(module), cfile=str(module.with_suffix(".pyc")), doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        module.unlink()
    version = _toml.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    (dest / "pyproject.toml").write_text(STUDENT_PYPROJECT.format(version=version, py=py), encoding="utf-8")
    (dest / "README.md").write_text(STUDENT_README.format(py=py), encoding="utf-8")
    shutil.copy(ROOT / "requirements.txt", dest / "requirements.txt")
    return dest


# ------------------------------------------------------------------------------------------------ main
def build(out: Path, names: list[str] | None = None, *, generate_release: bool = True) -> dict[str, list[Site]]:
    """Build the classroom edition in ``out``; returns each assignment's graded exercises."""
    sys.path.insert(0, str(ROOT))
    config = load_config()
    chapter_paths = chapters(names)
    built = write_course(out, chapter_paths, config)
    build_student_package(out)
    if generate_release:
        generate(out, list(built))
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "classroom", help="the course directory")
    parser.add_argument("--chapters", nargs="*", help="chapter names such as 02_history (default: 01 onwards)")
    parser.add_argument("--no-generate", action="store_true", help="skip nbgrader generate_assignment")
    args = parser.parse_args(argv)
    try:
        built = build(args.out, args.chapters, generate_release=not args.no_generate)
    except ClassroomError as err:
        print(f"make classroom: {err}", file=sys.stderr)
        return 1
    for name, sites in built.items():
        total = sum(s.points for s in sites)
        hidden = sum(1 for s in sites if s.hidden)
        print(f"{name}: {len(sites)} graded exercises, {_points(total)}, {hidden} with hidden tests")
    where = "source/, release/" if not args.no_generate else "source/"
    print(f"course directory: {args.out} ({where}, nbgrader_config.py, student-package/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
