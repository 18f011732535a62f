"""Notebook hygiene: names and numbering, outputs stripped, the notebook skeleton of docs/DESIGN.md, navigation up
to date, the README links every notebook, and no code downloads anything at run time."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHAPTERS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
sys.path.insert(0, str(ROOT / "tools"))
import navigation  # noqa: E402


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"])


def markdown(path: Path) -> str:
    return "\n".join(text(c) for c in cells(path) if c["cell_type"] == "markdown")


def code_cells(path: Path) -> list[str]:
    return [text(c) for c in cells(path) if c["cell_type"] == "code"]


def ids(paths):
    return [p.name for p in paths]


def test_names_are_numbered_and_unique():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"
    numbers = []
    for path in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), f"{path.name}: use NN_snake_case.ipynb"
        numbers.append(int(path.name[:2]))
    assert len(set(numbers)) == len(numbers), f"two notebooks share a number: {numbers}"
    stray = [p for p in ROOT.rglob("*.ipynb") if p.parent.name != "notebooks" and ".venv" not in p.parts
             and ".backups" not in p.parts and ".ipynb_checkpoints" not in p.parts
             and p.relative_to(ROOT).parts[0] != "build"]  # generated, never committed (make classroom)
    assert not stray, f"notebooks outside notebooks/: {stray}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_outputs_are_stripped(path):
    for i, cell in enumerate(cells(path)):
        if cell["cell_type"] == "code":
            assert not cell["outputs"] and cell["execution_count"] is None, f"cell {i} keeps outputs: run make strip"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_title_setup_and_navigation(path):
    cs = cells(path)
    assert cs[0]["cell_type"] == "markdown" and text(cs[0]).startswith(f"# {path.name[:2]} · ")
    assert "**Time:**" in text(cs[0]), "the first cell states the time to read and to run"
    assert navigation.NAV_MARK in text(cs[1]) and navigation.NAV_MARK in text(cs[-1])
    first_code = next(text(c) for c in cs if c["cell_type"] == "code")
    assert "setup_notebook(seed=" in first_code, "the first code cell calls setup_notebook(seed=...)"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids(CHAPTERS))
def test_chapter_skeleton(path):
    md = markdown(path).lower()
    first = text(cells(path)[0]).lower()
    assert "learning objectives" in first and "prerequisites" in first
    for heading in ["exercise", "key takeaways", "common misconceptions", "references"]:
        assert re.search(rf"^#+ .*{heading}", md, re.M), f"no '{heading}' heading"
    code = "\n".join(code_cells(path))
    assert "assert " in code, "every claim is checked by an assert"
    assert re.search(r"widgets|interact|explorer", code), "at least one interactive widget"
    assert len(re.findall(r"\bex\d+\.check\(", code)) >= 3, "at least three auto-checked exercises"
    module = f"rnn_helpers.exercises.nb{path.name[:2]}"
    assert module in code, f"exercises come from {module}"


def test_setup_cell_defines_nothing_else():
    for path in NOTEBOOKS:
        first_code = next(text(c) for c in cells(path) if c["cell_type"] == "code")
        for line in first_code.splitlines():
            line = line.strip()
            assert not line.startswith(("def ", "class ")), f"{path.name}: the setup cell only imports and seeds"


def test_navigation_and_contents_are_up_to_date():
    stale = navigation.sync(ROOT, check=True)
    assert not stale, "stale: " + "; ".join(stale) + " (run: python tools/navigation.py)"


def test_readme_links_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme


def test_navigation_script_is_idempotent_and_keeps_a_backup(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for path in NOTEBOOKS[:2]:
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"] = [c for c in nb["cells"] if navigation.NAV_MARK not in text(c)]
        (tmp_path / "notebooks" / path.name).write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "README.md").write_text("intro\n<!-- contents:start -->\nold\n<!-- contents:end -->\nend\n")
    assert navigation.sync(tmp_path, check=True)  # stale
    navigation.sync(tmp_path, check=False)
    assert not navigation.sync(tmp_path, check=True)  # a second run has nothing to do
    backups = list((tmp_path / ".backups" / "navigation").glob("*.ipynb"))
    assert len(backups) == min(2, len(NOTEBOOKS))
    readme = (tmp_path / "README.md").read_text()
    assert readme.startswith("intro\n") and readme.endswith("end\n") and "old" not in readme
    first = cells(tmp_path / "notebooks" / NOTEBOOKS[0].name)
    assert sum(navigation.NAV_MARK in text(c) for c in first) == 2


def test_navigation_check_cli_fails_when_stale(tmp_path):
    (tmp_path / "notebooks").mkdir()
    nb = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if navigation.NAV_MARK not in text(c)]
    (tmp_path / "notebooks" / NOTEBOOKS[0].name).write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "README.md").write_text("<!-- contents:start -->\n<!-- contents:end -->\n")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "navigation.py"), "--check", "--root", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "stale" in run.stdout


@pytest.mark.parametrize("path", CHAPTERS, ids=ids(CHAPTERS))
def test_every_objective_is_parsed_whole(path):
    """The course map shows every learning objective in full, wrapped lines included."""
    header = text(cells(path)[0])
    _, _, objectives = navigation.parse_header(header)
    block = header.split("**Learning objectives**", 1)[1].split("**Prerequisites", 1)[0]
    bullets = [line for line in block.splitlines() if line.startswith("- ")]
    assert len(objectives) == len(bullets) and 3 <= len(objectives) <= 5
    words = " ".join(line[2:] if line.startswith("- ") else line for line in block.splitlines()).split()
    assert " ".join(objectives).split() == words, "every word of the objectives reaches the course map"
    for objective in objectives:
        assert objective.endswith((".", ")")), f"objective cut short: {objective!r}"
        assert objective in navigation.course_map(navigation.chapters(ROOT / "notebooks"))


def test_wrapped_objective_continues_and_list_ends_at_prose():
    header = ("# 99 · X\n\n**Learning objectives**\n- First, which wraps\n  onto a second line.\n"
              "- Second.\n\n**Prerequisites:** none.\n")
    assert navigation.parse_header(header)[2] == ["First, which wraps onto a second line.", "Second."]


def test_reading_time_follows_the_stated_formula():
    per_min_words, per_min_lines = navigation.WORDS_PER_MINUTE, navigation.CODE_LINES_PER_MINUTE
    assert navigation.reading_minutes(0, 0) == 5
    assert navigation.reading_minutes(per_min_words * 20, per_min_lines * 20) == 40
    assert navigation.reading_minutes(per_min_words * 20 + 1, per_min_lines * 20) == 45
    with pytest.raises(ValueError, match="words"):
        navigation.reading_minutes(-1, 0)
    for path in NOTEBOOKS:
        cs = cells(path)
        words, lines = navigation.text_counts(cs)
        stated = re.search(r"\*\*Time:\*\*\s*(\d+) min to read", text(cs[0]))
        assert stated and int(stated.group(1)) == navigation.reading_minutes(words, lines), path.name


def test_a_wrong_reading_time_is_stale(tmp_path):
    (tmp_path / "notebooks").mkdir()
    nb = json.loads(NOTEBOOKS[-1].read_text(encoding="utf-8"))
    first = text(nb["cells"][0])
    nb["cells"][0]["source"] = re.sub(r"(\*\*Time:\*\*\s*)\d+", r"\g<1>999", first).splitlines(keepends=True)
    target = tmp_path / "notebooks" / NOTEBOOKS[-1].name
    target.write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "README.md").write_text("<!-- contents:start -->\n<!-- contents:end -->\n")
    assert navigation.sync(tmp_path, check=True)
    navigation.sync(tmp_path, check=False)
    assert "999 min" not in text(cells(target)[0])


# ------------------------------------------------------------------------------------- no downloads
NETWORK = re.compile(
    r"urllib\.request|urlopen|requests\.(get|post)|urlretrieve|\bwget\b|\bcurl\b|hf_hub_download|load_dataset\(|"
    r"torch\.hub|download=True|http\.client|socket\.create_connection"
)


def code_files():
    for folder in ["rnn_helpers", "tools", "benchmarks"]:
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_no_code_downloads_at_run_time():
    offenders = []
    for path in code_files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if NETWORK.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    for path in NOTEBOOKS:
        for i, src in enumerate(code_cells(path)):
            if NETWORK.search(src):
                offenders.append(f"{path.name} cell {i}: {NETWORK.search(src).group(0)}")
    assert not offenders, "code that looks like it downloads:\n" + "\n".join(offenders)


def test_the_network_guard_itself_refuses_a_remote_connection():
    import socket

    with pytest.raises(RuntimeError, match="the course runs offline"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
