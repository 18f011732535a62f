"""The package's layout (docs/DESIGN.md): topic modules re-exported by their package, no private names
used across modules."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest

import rnn_helpers

PACKAGE = Path(rnn_helpers.__file__).resolve().parent


def public_definitions(module):
    """The public functions and classes a module defines (not those it imports)."""
    return {
        name: obj
        for name, obj in vars(module).items()
        if (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == module.__name__
        and not name.startswith("_")
    }


SUBPACKAGES = {
    "rnn_helpers.viz": 8, "rnn_helpers.widgets": 8, "rnn_helpers.models": 4, "rnn_helpers.history": 5,
    "rnn_helpers.probe": 4, "rnn_helpers.datasets": 4,
}


@pytest.mark.parametrize("package_name", list(SUBPACKAGES))
def test_every_public_name_of_a_topic_module_is_re_exported(package_name):
    package = importlib.import_module(package_name)
    topics = [m.name for m in pkgutil.iter_modules(package.__path__)]
    assert len(topics) >= SUBPACKAGES[package_name], topics
    seen = []
    for topic in topics:
        module = importlib.import_module(f"{package_name}.{topic}")
        for name, obj in public_definitions(module).items():
            assert getattr(package, name, None) is obj, f"{package_name}.{name} ({topic}) is not re-exported"
            assert name in package.__all__, f"{package_name}.__all__ lacks {name}"
            seen.append(name)
    assert len(set(seen)) == len(seen), "a name is defined in two topic modules"
    assert all(hasattr(package, name) for name in package.__all__)


def modules_of_the_package():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def private_uses(path: Path) -> list[str]:
    """`module._name` where module is a module of rnn_helpers, and `from rnn_helpers... import _name`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rnn_helpers"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") and node.module != "rnn_helpers":
                    found.append(f"from {node.module} import {alias.name}")
                if is_module(f"{node.module}.{alias.name}"):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("rnn_helpers") and alias.asname:
                    modules.add(alias.asname)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
    return found


def test_no_module_uses_another_modules_private_names():
    offenders = {str(p.relative_to(PACKAGE)): private_uses(p) for p in modules_of_the_package()}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, offenders


def test_the_private_name_finder_finds_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from rnn_helpers import viz\nfrom rnn_helpers.viz.style import _hidden\nviz._as_numpy(1)\n")
    assert private_uses(sample) == ["from rnn_helpers.viz.style import _hidden", "viz._as_numpy (line 3)"]


# The layers of docs/DESIGN.md: a module imports only modules of a lower layer. A module not listed here (a new
# chapter's computation) counts as layer 2 and may import other new layer-2 modules.
LAYERS = {
    "_checks": 0,
    "environment": 1, "scratch": 1, "tasks": 1, "datasets": 1, "attention": 1, "models": 1,
    "gradcheck": 2, "gradients": 2, "history": 2, "probe": 2, "training": 2,
    "viz": 3,
    "widgets": 4,
    "exercises": 5,
}
FORBIDDEN = {("viz", "training")}  # plots only plot: they never train


def top_module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported_modules(path: Path) -> set[str]:
    """The top-level modules of rnn_helpers that ``path`` imports (at the top or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "rnn_helpers":
            if node.module == "rnn_helpers":
                found.update(alias.name for alias in node.names)
            else:
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("rnn_helpers."))
    return found


def layer_violations(edges) -> list[str]:
    bad = []
    for a, b in sorted(edges):
        la, lb = LAYERS.get(a, 2), LAYERS.get(b, 2)
        new_computation = la == lb == 2 and (a not in LAYERS or b not in LAYERS)
        if (a, b) in FORBIDDEN or not (lb < la or new_computation):
            bad.append(f"{a} (layer {la}) imports {b} (layer {lb})")
    return bad


def test_each_module_imports_only_lower_layers():
    edges = set()
    for path in modules_of_the_package():
        if path.parent == PACKAGE and path.name == "__init__.py":
            continue  # the package re-exports setup_notebook
        a = top_module(path)
        edges.update((a, b) for b in imported_modules(path) if b != a)
    assert ("widgets", "viz") in edges and ("probe", "models") in edges  # the scan sees real imports
    assert not layer_violations(edges), layer_violations(edges)


def test_the_layer_rule_rejects_an_upward_import_and_viz_importing_training():
    assert layer_violations({("scratch", "viz")}) == ["scratch (layer 1) imports viz (layer 3)"]
    assert layer_violations({("viz", "training")}) == ["viz (layer 3) imports training (layer 2)"]
    assert layer_violations({("seq2seq", "dates"), ("seq2seq", "models")}) == []
    assert layer_violations({("seq2seq", "widgets")}) == ["seq2seq (layer 2) imports widgets (layer 4)"]


def test_plots_take_their_colours_from_the_palette():
    """No plot or explorer writes a colour as a hex literal: they use the names of ``viz.style`` (one palette)."""
    package = Path(__file__).resolve().parents[1] / "rnn_helpers"
    hex_colour = re.compile(r"[\"']#[0-9A-Fa-f]{6}[\"']")
    offenders = [
        f"{path.relative_to(package)}:{n}"
        for folder in ("viz", "widgets")
        for path in sorted((package / folder).glob("*.py"))
        if path.name != "style.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if hex_colour.search(line)
    ]
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    for path in sorted(notebooks.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        offenders += [
            f"{path.name}: cell {k}"
            for k, cell in enumerate(cells)
            if cell["cell_type"] == "code" and hex_colour.search("".join(cell["source"]))
        ]
    assert not offenders, f"colour literals outside viz/style.py (use viz.BLUE, viz.VERMILION, ...): {offenders}"
    from rnn_helpers import environment, viz

    assert viz.OKABE_ITO is environment.OKABE_ITO and viz.VERMILION == "#D55E00"
