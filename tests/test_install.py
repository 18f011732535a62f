"""``pip install .`` (not ``-e``) gives a working package: a wheel built from a copy of the source tree, installed
into an empty folder and imported from outside the repository, holds every module and finds data/ through
the environment variable ``RNN_COURSE_DATA`` (or says clearly that it is needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import importlib, json, os, pkgutil, sys
import rnn_helpers
report = {"file": rnn_helpers.__file__, "modules": [], "errors": {}}
for m in pkgutil.walk_packages(rnn_helpers.__path__, "rnn_helpers."):
    importlib.import_module(m.name)
    report["modules"].append(m.name)
from rnn_helpers import datasets, probe
try:
    report["weather_days"] = len(datasets.load_seattle_weather().values)
    report["pretrained_layers"] = probe.load_pretrained().model.rnn.num_layers
except FileNotFoundError as err:
    report["errors"]["data"] = str(err)
print(json.dumps(report))
"""


def run(args, **kwargs):
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{args[:4]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


def test_a_wheel_installed_without_e_works_from_outside_the_tree(tmp_path):
    import json

    source = tmp_path / "source"  # build from a copy, so nothing is written into the repository
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "rnn_helpers", source / "rnn_helpers", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(wheels), str(source)])
    (wheel,) = wheels.glob("rnn_helpers-*.whl")
    site = tmp_path / "site"
    run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel)])

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("RNN_COURSE_DATA", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)
    without = json.loads(run([sys.executable, "-c", CHECK], cwd=outside, env=env))
    assert Path(without["file"]).resolve().is_relative_to(site.resolve()), without["file"]
    ours = {p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
            for p in (ROOT / "rnn_helpers").rglob("*.py")} - {"rnn_helpers"}
    assert set(without["modules"]) == ours, "the wheel lacks a module: " + str(ours - set(without["modules"]))
    assert "RNN_COURSE_DATA" in without["errors"]["data"] and "data/ folder" in without["errors"]["data"]

    env["RNN_COURSE_DATA"] = str(ROOT / "data")
    found = json.loads(run([sys.executable, "-c", CHECK], cwd=outside, env=env))
    assert found["errors"] == {} and found["weather_days"] == 1461 and found["pretrained_layers"] == 2

    env["RNN_COURSE_DATA"] = str(outside / "nowhere")
    wrong = json.loads(run([sys.executable, "-c", CHECK], cwd=outside, env=env))
    assert "RNN_COURSE_DATA" in wrong["errors"]["data"] and "not a folder" in wrong["errors"]["data"]
