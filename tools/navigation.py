#!/usr/bin/env python3
"""Write the course's contents table and each notebook's navigation line from the notebooks' file names.

    python tools/navigation.py          # rewrite what is stale (a backup of each changed notebook is kept)
    python tools/navigation.py --check  # exit 1 and list what is stale; writes nothing (the tests use it)

What it writes, all of it derived from notebooks/NN_name.ipynb and each notebook's first (title) cell:
- in every notebook, a navigation cell right after the title and another as the last cell:
  "← previous | contents | next →" (cells marked with ``<!-- navigation -->``);
- in 00_start_here.ipynb, the course map: the cell marked ``<!-- contents -->`` (each chapter with its time
  and its learning objectives, plus the planned chapters not written yet);
- in README.md, the table between ``<!-- contents:start -->`` and ``<!-- contents:end -->``;
- in every notebook's first cell, the time to read in its ``**Time:** N min to read, ...`` line, computed from
  the notebook's own text by one formula (``reading_minutes``): prose at WORDS_PER_MINUTE, code at
  CODE_LINES_PER_MINUTE, rounded up to 5 minutes. The time to run after the comma is measured (make benchmark)
  and left as written.

Safe to re-run: a second run changes nothing. Only the marked cells are touched; outputs and every other
cell of a notebook stay as they are, and a copy of each notebook it changes goes to .backups/navigation/.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/, when imported from elsewhere
from notebook_files import backup, read_notebook, write_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NAV_MARK = "<!-- navigation -->"
CONTENTS_MARK = "<!-- contents -->"
README_START, README_END = "<!-- contents:start -->", "<!-- contents:end -->"
NAME = re.compile(r"^(\d\d)_([a-z0-9_]+)\.ipynb$")
TIME_TO_READ = re.compile(r"(\*\*Time:\*\*\s*)(\d+)( min to read)")

# The reading-time formula, one for every chapter:
#   minutes = words / WORDS_PER_MINUTE + code_lines / CODE_LINES_PER_MINUTE, rounded up to a multiple of 5.
# Words: whitespace-separated tokens of the markdown cells (navigation and course-map cells excluded). Code
# lines: non-blank lines of the code cells, comments included (they are read too). 150 words a minute is
# study reading of technical prose with formulas, well below the ~240 a minute of ordinary non-fiction
# (Brysbaert 2019, J. Memory and Language 109); 10 lines a minute is reading code closely enough to say
# what each line does.
WORDS_PER_MINUTE = 150
CODE_LINES_PER_MINUTE = 10

# Chapters the course plans but has not written yet; a file with the same number replaces the entry.
PLANNED = {
    "01": "Sequential data",
    "02": "A runnable history of recurrent networks",
    "03": "The vanilla RNN from scratch",
    "04": "Vanishing and exploding gradients",
    "05": "LSTM",
    "06": "GRU",
    "07": "Bidirectional and deep RNNs",
    "08": "RNNs and transformers",
    "09": "Hidden-state lab",
    "10": "Sequence to sequence and attention",
    "11": "Applications: forecasting, classification and generation on real data",
    "12": "Modern linear RNNs and state-space models",
}


@dataclass
class Chapter:
    number: str
    path: Path
    title: str
    time: str
    objectives: list[str]


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def parse_header(text: str) -> tuple[str, str, list[str]]:
    """Title, time line and learning objectives from a notebook's first cell.

    An objective is a bullet ("- " or "* ") under the "Learning objectives" line; an indented line right
    after a bullet continues it (markdown's wrapped list item). The list ends at the first unindented line
    that is not a bullet.
    """
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    time = next((m.group(1).strip() for m in re.finditer(r"\*\*Time:\*\*\s*(.+)", text)), "")
    objectives: list[str] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.search(r"learning objectives", line, re.I):
            prev = ""
            for item in lines[i + 1 :]:
                if item.startswith(("- ", "* ")):
                    objectives.append(item[2:].strip())
                elif objectives and item[:1] in (" ", "\t") and item.strip() and prev.strip():
                    objectives[-1] += " " + item.strip()
                elif item.strip() and objectives:
                    break
                prev = item
            break
    return title, time, objectives


def text_counts(cells: list[dict]) -> tuple[int, int]:
    """(words of prose, lines of code) of a notebook's cells, as the reading-time formula counts them."""
    words = lines = 0
    for cell in cells:
        text = source(cell)
        if NAV_MARK in text or CONTENTS_MARK in text:
            continue
        if cell.get("cell_type") == "markdown":
            words += len(text.split())
        elif cell.get("cell_type") == "code":
            lines += sum(1 for line in text.splitlines() if line.strip())
    return words, lines


def reading_minutes(words: int, code_lines: int) -> int:
    """Minutes to read: words / WORDS_PER_MINUTE + code_lines / CODE_LINES_PER_MINUTE, rounded up to 5."""
    if words < 0 or code_lines < 0:
        raise ValueError(f"expected counts >= 0, got words={words}, code_lines={code_lines}")
    minutes = words / WORDS_PER_MINUTE + code_lines / CODE_LINES_PER_MINUTE
    return max(5, 5 * math.ceil(minutes / 5))


def with_reading_time(cells: list[dict]) -> list[dict]:
    """The cells with the first cell's "N min to read" set by the formula (unchanged if it has no such line)."""
    if not cells:
        return cells
    minutes = reading_minutes(*text_counts(cells))
    first = source(cells[0])
    new = TIME_TO_READ.sub(lambda m: f"{m.group(1)}{minutes}{m.group(3)}", first, count=1)
    if new == first:
        return cells
    return [{**cells[0], "source": new.splitlines(keepends=True)}] + cells[1:]


def chapters(notebooks: Path) -> list[Chapter]:
    found = []
    for path in sorted(notebooks.glob("*.ipynb")):
        match = NAME.match(path.name)
        if not match:
            continue
        cells = with_reading_time(read_notebook(path).get("cells", []))
        title, time, objectives = parse_header(source(cells[0]) if cells else "")
        found.append(Chapter(match.group(1), path, title or path.stem, time, objectives))
    return found


def nav_line(chs: list[Chapter], i: int) -> str:
    parts = []
    if i > 0:
        parts.append(f"[← {chs[i - 1].title}]({chs[i - 1].path.name})")
    parts.append(f"[Contents]({chs[0].path.name})" if chs[0].number == "00" else "Contents")
    if i + 1 < len(chs):
        parts.append(f"[{chs[i + 1].title} →]({chs[i + 1].path.name})")
    return f"{NAV_MARK}\n" + " | ".join(parts)


def course_map(chs: list[Chapter]) -> str:
    lines = [CONTENTS_MARK, "## Course map", ""]
    written = {c.number for c in chs}
    for c in chs[1:] if chs and chs[0].number == "00" else chs:
        time = f" ({c.time})" if c.time else ""
        lines.append(f"**[{c.title}]({c.path.name})**{time}")
        lines += [f"- {o}" for o in c.objectives] + [""]
    planned = [f"{n} {t}" for n, t in PLANNED.items() if n not in written]
    if planned:
        lines.append("*In preparation:* " + "; ".join(planned) + ".")
    return "\n".join(lines).rstrip() + "\n"


def readme_table(chs: list[Chapter]) -> str:
    rows = ["| # | notebook | time |", "|---|---|---|"]
    for c in chs:
        rows.append(f"| {c.number} | [{c.title}](notebooks/{c.path.name}) | {c.time or '-'} |")
    return "\n".join(rows)


def markdown_cell(text: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text.splitlines(keepends=True)}


def updated_cells(cells: list[dict], nav: str, contents: str | None) -> list[dict]:
    """The cells with both navigation cells (and the course map, for 00) rewritten in place."""
    body = [c for c in cells if NAV_MARK not in source(c)]
    if contents is not None:
        marked = [i for i, c in enumerate(body) if CONTENTS_MARK in source(c)]
        cell = markdown_cell(contents, "course-map")
        if marked:
            body[marked[0]] = {**body[marked[0]], "source": cell["source"]}
        else:
            body.insert(1, cell)
    old_top = next((c for c in cells[1:2] if NAV_MARK in source(c)), None)
    old_bottom = cells[-1] if cells and NAV_MARK in source(cells[-1]) else None
    top = {**(old_top or markdown_cell(nav, "navigation-top")), "source": nav.splitlines(keepends=True)}
    bottom = {**(old_bottom or markdown_cell(nav, "navigation-bottom")), "source": nav.splitlines(keepends=True)}
    return body[:1] + [top] + body[1:] + [bottom]


def sync(root: Path, *, check: bool) -> list[str]:
    """Bring every navigation cell, the course map and the README table up to date; return what was stale."""
    stale = []
    chs = chapters(root / "notebooks")
    for i, ch in enumerate(chs):
        nb = read_notebook(ch.path)
        contents = course_map(chs) if ch.number == "00" else None
        cells = updated_cells(with_reading_time(nb["cells"]), nav_line(chs, i), contents)
        if cells != nb["cells"]:
            stale.append(f"notebooks/{ch.path.name}: navigation or course map is stale")
            if not check:
                backup(ch.path, root, "navigation")
                write_notebook(ch.path, {**nb, "cells": cells})
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if README_START not in text or README_END not in text:
        stale.append(f"README.md: no {README_START} ... {README_END} block for the contents table")
        return stale
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    new_text = f"{head}{README_START}\n{readme_table(chs)}\n{README_END}{tail}"
    if new_text != text:
        stale.append("README.md: contents table is stale")
        if not check:
            readme.write_text(new_text, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list what is stale and exit 1; write nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help="the course's root folder")
    args = parser.parse_args(argv)
    stale = sync(args.root, check=args.check)
    for line in stale:
        print(line)
    if args.check and stale:
        print("Run `python tools/navigation.py` to rewrite them.")
        return 1
    if not stale:
        print("navigation: everything up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
