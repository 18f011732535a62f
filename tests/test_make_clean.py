"""`make clean` removes what the Makefile's targets create (the set-up, caches, build/) and nothing a learner
owns: it is run on a sandbox holding the repository's Makefile, the artefacts its targets make, and the files
that must survive (notebooks, data, the backups of .backups/)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKEFILE = (ROOT / "Makefile").read_text()


def _clean_recipe() -> str:
    match = re.search(r"^clean:.*\n((?:\t.*\n?)+)", MAKEFILE, flags=re.M)
    assert match, "the Makefile has a clean target"
    return match.group(1)


def _paths_the_makefile_names() -> set[str]:
    """Every folder under the repository that a target writes: the venv, build/..., and .backups/...
    (from stamps, mkdir -p, --prefix and --output arguments and the other build/ paths it names)."""
    text = MAKEFILE.replace("$(VENV)", ".venv").replace("$(BIN)", ".venv/bin")
    text = re.sub(r"\$\(CHP_VERSION\)", "x", text)
    names = set(re.findall(r"(?<![\w/.$])((?:build|\.venv|\.backups)(?:/[\w.-]+)*)", text))
    return {n.rstrip("/.") for n in names if n}


def test_clean_reaches_every_folder_the_makefile_writes():
    removed = re.findall(r"rm -rf ([^\n]+)", _clean_recipe())
    roots = set(removed[0].replace("$(VENV)", ".venv").split()) if removed else set()
    names = _paths_the_makefile_names()
    assert {".venv", "build"} <= {n.split("/")[0] for n in names}, "the Makefile writes .venv and build/"
    for name in names:
        top = name.split("/")[0]
        if top == ".backups":
            continue  # kept on purpose: the learner's notebooks from before a strip (see the clean comment)
        assert top in roots, f"the Makefile writes {name}, which make clean does not remove"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_clean_removes_the_artefacts_and_keeps_the_course(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    made = [
        ".venv/bin/python", ".venv/.installed-lab", ".venv/.installed-dev",
        "build/hub/node_modules/configurable-http-proxy/package.json", "build/slides/vendor/reveal.js",
        "build/slides/03_vanilla_rnn.slides.html", "build/classroom/source/03/03.ipynb", "build/browser/03.png",
        ".pytest_cache/v/cache/lastfailed", ".ruff_cache/0.1/x", "rnn_helpers.egg-info/PKG-INFO",
        "rnn_helpers/__pycache__/scratch.cpython-311.pyc", "rnn_helpers/viz/__pycache__/style.cpython-311.pyc",
        "tests/__pycache__/test_core.cpython-311-pytest.pyc",
    ]
    for name in sorted(_paths_the_makefile_names()):
        if "/" in name and not name.startswith(".backups"):
            made.append(f"{name}.made")  # a file where the target writes
    kept = [
        "notebooks/03_vanilla_rnn.ipynb", "data/README.md", "rnn_helpers/scratch.py", "tests/test_core.py",
        ".backups/strip/03_vanilla_rnn.ipynb", ".backups/navigation/__pycache__/kept.pyc", "README.md",
    ]
    for name in made + kept:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True, capture_output=True, timeout=60)
    left = [name for name in made if (tmp_path / name).exists()]
    assert not left, f"make clean left {left}"
    for top in (".venv", "build", ".pytest_cache", ".ruff_cache", "rnn_helpers.egg-info"):
        assert not (tmp_path / top).exists(), top
    assert not list(tmp_path.rglob("__pycache__")) or all(".backups" in str(p) for p in tmp_path.rglob("__pycache__"))
    missing = [name for name in kept if not (tmp_path / name).exists()]
    assert not missing, f"make clean removed {missing}, which it must keep"
