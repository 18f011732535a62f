#!/usr/bin/env python3
"""Give every cell of every notebook its slide type (``metadata.slideshow.slide_type``) for RISE and nbconvert.

    python tools/slides.py            # rewrite what is stale (a backup of each changed notebook is kept)
    python tools/slides.py --check    # exit 1 and list what is stale; writes nothing (the tests use it)
    python tools/slides.py --summary  # per notebook: how many slides, and the type given to each cell

The slide types follow from rules on each cell's source, so the tool can be re-run whenever a notebook changes
(a corrected cell, a new chapter); a second run changes nothing. The aim is a lecture of about 50 minutes per
chapter: the idea, the equation, the code that matters, the plot, the widget, the headline result.

- the title cell and every markdown cell with a ``##`` section heading: ``slide``; a ``###`` heading: ``subslide``
- the navigation cells, the setup cell (the first code cell), the exercise cells and assert-only cells: ``skip``
- a code cell that draws (a plot, a widget, an HTML view): ``subslide``, so its picture gets the screen; a short
  paragraph right before it is its caption and opens that subslide instead
- long prose without display math: ``notes`` (in the speaker view, not on the slide)
- a long code cell that does not draw (training, plumbing): ``skip``; its results are shown by a later cell
- a short cell that prints a result and asserts it: ``fragment`` (revealed on the next key press)
- everything else continues the current slide (``-``), or opens a ``subslide`` when the slide is already full

``OVERRIDES`` (per notebook, keyed by cell id) corrects the rules where a chapter needs it. Only
``metadata.slideshow`` and the notebook's ``metadata.rise`` are touched; sources, outputs and every other field
stay as they are, and a copy of each notebook it changes goes to .backups/slides/ first.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/, when imported from elsewhere
from notebook_files import backup, read_notebook, write_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NAV_MARK = "<!-- navigation -->"
SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
# RISE settings stored in each notebook: long slides scroll instead of being cut off; the "white" theme, whose
# font ships with the extension (RISE's default theme, "simple", fetches web fonts: no network in a classroom)
RISE = {"scroll": True, "transition": "none", "theme": "white", "enable_chalkboard": False}

LONG_PROSE = 600  # characters: longer prose without display math goes to the speaker notes
LONG_CODE = 12  # lines: a longer code cell that neither draws nor prints is skipped
SLIDE_BUDGET = 1500  # rough characters of visible content before a continuing cell opens a subslide
PLOT_SIZE = 900  # a picture counts as this many characters of the budget

# Per-notebook corrections, cell id -> slide type, where a rule misjudges a cell.
OVERRIDES: dict[str, dict[str, str]] = {
    # the task-shapes figure under its introduction; the readings of the shapes and the embedding measurement in the
    # speaker notes (one lecture: at most 36 screens)
    "03_vanilla_rnn": {"c009t": "-", "c009u": "notes", "c033k": "notes"},
    # the conclusion of the leakage section (long prose, but it is the point of the section): on screen
    "07_bidirectional": {"c030": "subslide"},
    # the reading of the headline measurement (the sequential-operations column): on screen, not in the notes
    "08_rnns_vs_transformers": {"c026": "subslide"},
}

DRAWS = re.compile(
    r"plt\.|\bviz\.\w+\(|\bplot_\w+\(|\.plot\(|\bfig\b|\bimshow\(|_html\(|\bdisplay\(|ipywidgets|_explorer\(|\binteract"
)
EXERCISE = re.compile(r"\bex\d+\.(check|hint|solution)\(|\b____\b")


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_lines(text: str) -> list[str]:
    """The lines of a code cell that are neither blank nor comments."""
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def visible_size(cell: dict, slide_type: str) -> int:
    """A rough measure of how much of a slide a cell fills."""
    text = source(cell)
    if cell["cell_type"] == "markdown":
        return len(text)
    size = 60 * len(text.splitlines())
    if DRAWS.search(text):
        size += PLOT_SIZE
    elif "print(" in text:
        size += 200
    return size


def rule(cell: dict, index: int, first_code: int | None) -> str:
    """The slide type the rules give one cell, without regard to its neighbours."""
    text = source(cell)
    if index == 0:
        return "slide"
    if NAV_MARK in text:
        return "skip"
    if cell["cell_type"] == "markdown":
        if re.search(r"^## ", text, re.M):
            return "slide"
        if re.search(r"^### ", text, re.M):
            return "subslide"
        if re.match(r"\s*\*\*Exercise \d+\.?\*\*", text):
            return "skip"
        if len(text) > LONG_PROSE and "$$" not in text and not re.search(r"^\|", text, re.M):
            return "notes"
        return "-"
    if cell["cell_type"] != "code":
        return "skip"
    lines = code_lines(text)
    if index == first_code or not lines or EXERCISE.search(text):
        return "skip"
    if all(line.lstrip().startswith(("assert ", "assert(")) or line.startswith((" ", "\t")) for line in lines):
        return "skip"  # asserts only (with their continuation lines)
    if DRAWS.search(text):
        return "subslide"
    if len(lines) > LONG_CODE:
        return "skip"
    if "print(" in text and "assert" in text:
        return "fragment"  # a result, printed and checked: revealed on the next key press
    return "-"


def slide_types(cells: list[dict], overrides: dict[str, str]) -> list[str]:
    """The slide type of every cell: the rules, the overrides, then full slides split into subslides."""
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), None)
    ids = [cell.get("id", "") for cell in cells]
    kinds = [overrides.get(ids[i], rule(cell, i, first_code)) for i, cell in enumerate(cells)]
    for i, kind in enumerate(kinds):
        if kind not in SLIDE_TYPES:
            raise ValueError(f"cell {ids[i]!r}: slide type must be one of {SLIDE_TYPES}, got {kind!r}")
    # a short paragraph right before a picture is its caption: the two share a subslide
    captioned = set()
    for i in range(len(cells) - 1):
        caption, picture = cells[i], cells[i + 1]
        if (caption["cell_type"] == "markdown" and kinds[i] == "-" and picture["cell_type"] == "code"
                and kinds[i + 1] == "subslide" and DRAWS.search(source(picture))
                and ids[i] not in overrides and ids[i + 1] not in overrides):
            kinds[i], kinds[i + 1] = "subslide", "-"
            captioned.add(i + 1)
    types, filled = [], 0
    for i, (cell, kind) in enumerate(zip(cells, kinds, strict=True)):
        size = visible_size(cell, kind)
        if kind in ("slide", "subslide"):
            filled = size
        elif kind in ("-", "fragment"):
            if filled + size > SLIDE_BUDGET and ids[i] not in overrides and i not in captioned:
                kind, filled = "subslide", size
            else:
                filled += size
        types.append(kind)
    return types


def updated(nb: dict, overrides: dict[str, str]) -> dict:
    """A copy of the notebook with every cell's slide type (and the notebook's RISE settings) set."""
    cells = []
    for cell, kind in zip(nb["cells"], slide_types(nb["cells"], overrides), strict=True):
        metadata = {**cell.get("metadata", {}), "slideshow": {"slide_type": kind}}
        cells.append({**cell, "metadata": metadata})
    return {**nb, "cells": cells, "metadata": {**nb.get("metadata", {}), "rise": dict(RISE)}}


def sync(root: Path, *, check: bool) -> list[str]:
    """Bring every notebook's slide metadata up to date; return the notebooks that were stale."""
    stale = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = read_notebook(path)
        new = updated(nb, OVERRIDES.get(path.stem, {}))
        if new != nb:
            stale.append(f"notebooks/{path.name}: slide metadata is stale")
            if not check:
                backup(path, root, "slides")
                write_notebook(path, new)
    return stale


def summary(root: Path) -> str:
    lines = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        cells = read_notebook(path)["cells"]
        types = slide_types(cells, OVERRIDES.get(path.stem, {}))
        counts = {k: types.count(k) for k in SLIDE_TYPES}
        screens = counts["slide"] + counts["subslide"]
        lines.append(f"{path.name}: {screens} screens ({counts['slide']} slides, {counts['subslide']} subslides), "
                     + ", ".join(f"{k} {v}" for k, v in counts.items() if k not in ("slide", "subslide")))
        lines.append("  " + " ".join(f"{c.get('id')}:{t}" for c, t in zip(cells, types, strict=True)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list what is stale and exit 1; write nothing")
    parser.add_argument("--summary", action="store_true", help="print the slide type of every cell")
    parser.add_argument("--root", type=Path, default=ROOT, help="the course's root folder")
    args = parser.parse_args(argv)
    if args.summary:
        print(summary(args.root))
        return 0
    stale = sync(args.root, check=args.check)
    for line in stale:
        print(line)
    if args.check and stale:
        print("Run `make slides-metadata` (python tools/slides.py) to rewrite them.")
        return 1
    if not stale:
        print("slides: every notebook's slide metadata is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
