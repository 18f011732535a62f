"""The package's layout (docs/DESIGN.md): topic modules re-exported by their package, no private names
used across modules."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import rnn_helpers

PACKAGE = Path(rnn_helpers.__file__).resolve().parent


def public_functions(module):
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_")
    }


@pytest.mark.parametrize("package_name", ["rnn_helpers.viz", "rnn_helpers.widgets"])
def test_every_public_function_of_a_topic_module_is_re_exported(package_name):
    package = importlib.import_module(package_name)
    topics = [m.name for m in pkgutil.iter_modules(package.__path__)]
    assert len(topics) >= 8, topics
    seen = []
    for topic in topics:
        module = importlib.import_module(f"{package_name}.{topic}")
        for name, function in public_functions(module).items():
            assert getattr(package, name, None) is function, f"{package_name}.{name} ({topic}) is not re-exported"
            seen.append(name)
    assert sorted(package.__all__) == sorted(seen), "__all__ must list exactly the topic modules' public functions"
    assert len(set(seen)) == len(seen), "a name is defined in two topic modules"


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
