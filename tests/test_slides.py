"""Slides: every notebook carries slide metadata from tools/slides.py (title and section headings are slides,
the metadata is up to date, the tool is idempotent and keeps a backup), and one chapter is about a lecture."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHAPTERS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
sys.path.insert(0, str(ROOT / "tools"))
import slides  # noqa: E402


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def slide_type(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_title_and_every_section_heading_open_a_slide(path):
    cs = cells(path)
    assert slide_type(cs[0]) == "slide", "the title cell opens the first slide (run: make slides-metadata)"
    sections = [c for c in cs if c["cell_type"] == "markdown" and re.search(r"^## ", "".join(c["source"]), re.M)]
    assert sections, "a chapter has ## section headings"
    for cell in sections:
        heading = re.search(r"^## (.*)", "".join(cell["source"]), re.M).group(1)
        assert slide_type(cell) == "slide", f"section '{heading}' is not a slide (run: make slides-metadata)"
    for cell in cs:
        assert slide_type(cell) in slides.SLIDE_TYPES, f"cell {cell.get('id')}: no slide type"
    rise = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("rise", {})
    assert rise.get("scroll") is True and rise.get("theme") == "white", "RISE: scrolling, no web fonts"


def test_slide_metadata_is_up_to_date():
    stale = slides.sync(ROOT, check=True)
    assert not stale, "stale: " + "; ".join(stale) + " (run: make slides-metadata)"


def test_overrides_name_cells_that_exist():
    for stem, table in slides.OVERRIDES.items():
        path = ROOT / "notebooks" / f"{stem}.ipynb"
        assert path.exists(), f"OVERRIDES names a notebook that is gone: {stem}"
        ids = {c.get("id") for c in cells(path)}
        missing = set(table) - ids
        assert not missing, f"{stem}: OVERRIDES names cells that are gone: {sorted(missing)}"
        assert set(table.values()) <= set(slides.SLIDE_TYPES)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_a_chapter_is_about_one_lecture(path):
    # about 50 minutes at 1.5 to 4 minutes a screen; plumbing and exercises are not shown
    types = slides.slide_types(cells(path), slides.OVERRIDES.get(path.stem, {}))
    screens = types.count("slide") + types.count("subslide")
    assert 12 <= screens <= 36, f"{screens} screens (slides + subslides) for a 50-minute lecture"
    code = [t for c, t in zip(cells(path), types, strict=True) if c["cell_type"] == "code"]
    assert code.count("skip") < len(code), "some code is shown"
    first_code = next(t for c, t in zip(cells(path), types, strict=True) if c["cell_type"] == "code")
    assert first_code == "skip", "the setup cell is plumbing"
    checks = re.compile(r"\bex\d+\.check\(")
    exercises = [t for c, t in zip(cells(path), types, strict=True) if checks.search("".join(c["source"]))]
    assert exercises and set(exercises) == {"skip"}, "exercise cells are homework, not slides"


def test_rules_on_made_up_cells():
    def md(text, i="m"):
        return {"cell_type": "markdown", "id": i, "metadata": {}, "source": text}

    def code(text, i="c"):
        return {"cell_type": "code", "id": i, "metadata": {}, "outputs": [], "execution_count": None, "source": text}

    nb = [md("# 99 · Title"), md("<!-- navigation -->\n[a](b)"), code("setup_notebook(seed=0)"),
          md("## Section"), md("### Sub"), code("fig, ax = plt.subplots()"),
          code("explorer = widget_explorer(x)\nexplorer"),
          code("assert x == 1\nassert y == 2"), code("print(x)\nassert x > 1"), md("word " * 200),
          md("$$a = b$$ " + "word " * 200), code("\n".join(f"x{i} = {i}" for i in range(20))),
          code("answer = ____\nex1.check(answer)"), md("**Exercise 2.** Do it.")]
    types = slides.slide_types(nb, {})
    assert types == ["slide", "skip", "skip", "slide", "subslide", "subslide", "subslide", "skip", "fragment",
                     "notes", "subslide", "skip", "skip", "skip"]
    assert slides.slide_types(nb, {"c": "notes"})[-3] == "notes"  # an override wins
    with pytest.raises(ValueError, match="slide type must be one of"):
        slides.slide_types(nb, {"c": "slyde"})


def test_tool_is_idempotent_keeps_a_backup_and_touches_only_slide_metadata(tmp_path):
    (tmp_path / "notebooks").mkdir()
    original = ROOT / "notebooks" / CHAPTERS[0].name
    target = tmp_path / "notebooks" / original.name
    nb = json.loads(original.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        cell["metadata"].pop("slideshow", None)
    nb["cells"][3]["metadata"]["tags"] = ["keep-me"]
    nb["metadata"].pop("rise", None)
    target.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    assert slides.sync(tmp_path, check=True)  # stale
    assert slides.sync(tmp_path, check=False)
    backups = list((tmp_path / ".backups" / "slides").glob("*.ipynb"))
    assert len(backups) == 1 and json.loads(backups[0].read_text(encoding="utf-8")) == nb
    once = target.read_text(encoding="utf-8")
    assert slides.sync(tmp_path, check=False) == [] and target.read_text(encoding="utf-8") == once
    new = json.loads(once)
    assert new["cells"][3]["metadata"]["tags"] == ["keep-me"]
    for before, after in zip(nb["cells"], new["cells"], strict=True):
        unchanged = {k: v for k, v in before.items() if k != "metadata"}
        assert {k: v for k, v in after.items() if k != "metadata"} == unchanged
        assert {k: v for k, v in after["metadata"].items() if k != "slideshow"} == before["metadata"]
    shutil.rmtree(tmp_path / ".backups")


def test_static_slides_show_a_widget_as_the_pictures_it_drew():
    import build_slides

    png = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0KGgo="}}
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_out"]}},
        "slider": {"model_name": "IntSliderModel", "state": {"description": "T", "value": 50}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [png, {"output_type": "stream", "name": "stderr",
                                                                          "text": "warning"}]}},
        "bar": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_progress"]}},
        "progress": {"model_name": "FloatProgressModel", "state": {"value": 3, "description": ""}},
    }
    view = {"output_type": "display_data", "metadata": {},
            "data": {"text/plain": "VBox(...)", build_slides.WIDGET_VIEW: {"model_id": "box"}}}
    bar = {"output_type": "display_data", "metadata": {}, "data": {build_slides.WIDGET_VIEW: {"model_id": "bar"}}}
    long_plot = "\n".join(f"ax.plot({i})" for i in range(20))
    nb = {"metadata": {"widgets": {build_slides.WIDGET_STATE: {"state": state}}},
          "cells": [{"cell_type": "code", "metadata": {}, "source": "explorer", "outputs": [bar, view]},
                    {"cell_type": "code", "metadata": {}, "source": long_plot, "outputs": [png]},
                    {"cell_type": "code", "metadata": {}, "source": "plt.plot(x)", "outputs": [png]}]}
    assert build_slides.static_widgets(nb) == 1
    outputs = nb["cells"][0]["outputs"]
    assert len(outputs) == 2 and "Interactive in JupyterLab" in outputs[0]["data"]["text/html"]
    assert "T = 50" in outputs[0]["data"]["text/html"] and outputs[1] == png  # the picture; no stderr, no bar
    assert "widgets" not in nb["metadata"]
    build_slides.hide_long_plot_sources(nb)
    assert nb["cells"][1]["metadata"]["transient"]["remove_source"] is True
    assert "transient" not in nb["cells"][2]["metadata"]  # short code stays on the slide
    with pytest.raises(SystemExit, match="no notebook called"):
        build_slides.notebooks(["99_nothing"])
    assert [p.stem for p in build_slides.notebooks(["02"])] == ["02_history"]
