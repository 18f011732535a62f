"""docs/teaching.md, the teacher's guide: a section for every notebook in notebooks/ (generated from the folder, so a
new chapter without a lesson plan fails), each with the same parts; every section it names exists in its
notebook; the exercises it assigns exist; its run times agree with benchmarks/RESULTS.md; 00 links to it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "teaching.md"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PARTS = ["### Lesson plan", "### The widget, and the question to ask", "### The misconception to confront",
         "### Discussion questions", "### Homework", "### Run time"]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def title(path: Path) -> str:
    return re.search(r"^# (.*)", "".join(cells(path)[0]["source"]), re.M).group(1).strip()


def headings(path: Path) -> set[str]:
    found = set()
    for cell in cells(path):
        if cell["cell_type"] == "markdown":
            found |= {m.strip() for m in re.findall(r"^#{1,6} (.*)$", "".join(cell["source"]), re.M)}
    return found


def sections() -> dict[str, str]:
    """The guide's `## ` sections, by heading."""
    parts = re.split(r"^## ", GUIDE.read_text(encoding="utf-8"), flags=re.M)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_notebook_has_a_lesson_plan(path):
    found = sections()
    assert title(path) in found, (f"docs/teaching.md has no section '## {title(path)}': add a lesson plan in the "
                                  "format of the other chapters")
    text = found[title(path)]
    for part in PARTS:
        assert part in text, f"'{title(path)}' has no '{part}'"
    discussion = text.split("### Discussion questions", 1)[1].split("###", 1)[0]
    assert len(re.findall(r"^\d\. ", discussion, re.M)) >= 2, "two or three discussion questions, with answers"
    assert re.search(r"\d+ min", text), "the lesson plan and the homework give times in minutes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_homework_names_exercises_that_exist(path):
    text = sections().get(title(path), "")
    homework = text.split("### Homework", 1)[-1].split("###", 1)[0]
    code = "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "code")
    exercises = set(re.findall(r"\bex(\d+)\.check\(", code))
    assigned = set(re.findall(r"[Ee]xercises? (\d+)", homework)) | set(re.findall(r"\bex(\d+)", homework))
    for first, last in re.findall(r"[Ee]xercises (\d+)[–-](\d+)", homework):
        assigned |= {str(n) for n in range(int(first), int(last) + 1)}
    assert assigned, "the homework names at least one exercise"
    assert assigned <= exercises, f"the guide assigns exercises {sorted(assigned - exercises)} that {path.name} lacks"


def test_every_section_the_guide_names_exists():
    text = GUIDE.read_text(encoding="utf-8")
    links = re.findall(r"\[§ ([^\]]+)\]\(\.\./notebooks/([^)#]+)#((?:[^()\s]|\([^()]*\))+)\)", text)
    assert len(links) > 50 and len(links) == text.count("[§ "), "[§ Heading](../notebooks/NN.ipynb#anchor)"
    for heading, name, anchor in links:
        path = ROOT / "notebooks" / name
        assert path.exists(), f"the guide links a notebook that is gone: {name}"
        assert heading in headings(path), f"{name} has no section '{heading}' (the guide names it)"
        assert unquote(anchor) == heading.replace(" ", "-"), f"anchor #{anchor} does not match '{heading}'"


def test_run_times_agree_with_the_benchmark():
    results = (ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    rows = re.finditer(r"^\| (\d\d)_\w+\.ipynb \| ([\d.]+) \|", results, re.M)
    measured = {m.group(1): float(m.group(2)) for m in rows}
    found = sections()
    checked = 0
    for path in NOTEBOOKS:
        number = path.name[:2]
        run = found.get(title(path), "").split("### Run time", 1)[-1]
        quoted = re.search(r"([\d.]+) s on a 2-core", run)
        assert quoted, f"'{title(path)}': the run time says 'N s on a 2-core laptop CPU'"
        if number in measured:  # a new chapter may not be in the benchmark yet
            assert measured[number] / 2 <= float(quoted.group(1)) <= measured[number] * 2, (
                f"{path.name}: the guide says {quoted.group(1)} s, benchmarks/RESULTS.md {measured[number]} s")
            checked += 1
    assert checked >= 10


def test_start_here_links_the_guide():
    text = "\n".join("".join(c["source"]) for c in cells(ROOT / "notebooks" / "00_start_here.ipynb"))
    teachers = text.split("## For teachers", 1)[1].split("\n## ", 1)[0]
    assert "../docs/teaching.md" in teachers and "make slides" in teachers
