"""deploy/: the course copy a student gets on a hub, and the hub, Kubernetes and Binder recipes agreeing with the
course (the running hub itself is tested by `make test-hub`, deploy/tests/)."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"


def load_course_copy():
    spec = importlib.util.spec_from_file_location("course_copy", DEPLOY / "jupyterhub" / "course_copy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


course_copy = load_course_copy()


def hub_config() -> Config:
    """deploy/jupyterhub/jupyterhub_config.py, executed as JupyterHub does, without JupyterHub."""
    c = Config()
    path = DEPLOY / "jupyterhub" / "jupyterhub_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: c, "__file__": str(path)})
    return c


@pytest.fixture
def course(tmp_path):
    src = tmp_path / "course"
    (src / "notebooks" / ".ipynb_checkpoints").mkdir(parents=True)
    (src / "notebooks" / "00_start_here.ipynb").write_text('{"cells": ["teacher 00"]}')
    (src / "notebooks" / "01_sequential_data.ipynb").write_text('{"cells": ["teacher 01"]}')
    (src / "notebooks" / ".ipynb_checkpoints" / "00_start_here-checkpoint.ipynb").write_text("{}")
    (src / "requirements.txt").write_text("torch==2.13.0\n")
    (src / "README.md").write_text("not for students")
    return src


def test_first_start_copies_the_course(course, tmp_path):
    home = tmp_path / "home" / "rnn-course"
    added = course_copy.copy_course(course, home)
    assert sorted(p.relative_to(home).as_posix() for p in added) == [
        "notebooks/00_start_here.ipynb",
        "notebooks/01_sequential_data.ipynb",
        "requirements.txt",
    ]
    assert (home / "notebooks" / "01_sequential_data.ipynb").read_text() == '{"cells": ["teacher 01"]}'
    assert not (home / "README.md").exists() and not (home / "notebooks" / ".ipynb_checkpoints").exists()
    assert not list(home.rglob("*.partial"))


def test_an_update_adds_new_chapters_and_keeps_the_students_edits(course, tmp_path):
    home = tmp_path / "rnn-course"
    course_copy.copy_course(course, home)
    mine = home / "notebooks" / "00_start_here.ipynb"
    mine.write_text('{"cells": ["MY ANSWER"]}')
    (home / "notebooks" / "01_sequential_data.ipynb").unlink()  # the student wants the teacher's version back
    # the teacher updates the course: 00 changes, a chapter is added
    (course / "notebooks" / "00_start_here.ipynb").write_text('{"cells": ["teacher 00, revised"]}')
    (course / "notebooks" / "02_history.ipynb").write_text('{"cells": ["teacher 02"]}')
    added = course_copy.copy_course(course, home)
    assert sorted(p.name for p in added) == ["01_sequential_data.ipynb", "02_history.ipynb"]
    assert mine.read_text() == '{"cells": ["MY ANSWER"]}', "a student's notebook is never overwritten"
    assert course_copy.copy_course(course, home) == [], "nothing to do on the next start"


def test_course_copy_rejects_wrong_folders(course, tmp_path):
    with pytest.raises(ValueError, match="course checkout"):
        course_copy.copy_course(tmp_path / "nowhere", tmp_path / "dest")
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    with pytest.raises(ValueError, match="must be a folder"):
        course_copy.copy_course(course, a_file)


def test_course_copy_then_starts_the_server_command(course, tmp_path):
    home = tmp_path / "home"
    cmd = [sys.executable, str(DEPLOY / "jupyterhub" / "course_copy.py"), "--source", str(course), "--dest",
           "~/rnn-course", "--", sys.executable, "-c", "import os, sys; print('server', sys.argv[1:], os.getcwd())",
           "--ip=127.0.0.1"]
    out = subprocess.run(cmd, capture_output=True, text=True, env={"HOME": str(home)}, cwd=tmp_path, check=True)
    assert "server ['--ip=127.0.0.1']" in out.stdout
    assert "3 new course file(s)" in out.stderr
    assert (home / "rnn-course" / "notebooks" / "00_start_here.ipynb").exists()


def test_hub_config_is_what_a_class_needs():
    c = hub_config()
    assert c.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert c.NativeAuthenticator.open_signup is False
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert c.Spawner.mem_limit == "2G" and c.Spawner.cpu_limit == 1.0
    assert c.Spawner.default_url == "/lab/tree/rnn-course/notebooks/00_start_here.ipynb"
    assert c.JupyterHub.bind_url.startswith("http://127.0.0.1:") and c.Spawner.ip == "127.0.0.1"
    assert c.Spawner.cmd[1].endswith("deploy/jupyterhub/course_copy.py") and c.Spawner.cmd[-1].endswith(
        "jupyterhub-singleuser"
    )
    assert [s["name"] for s in c.JupyterHub.services] == ["idle-culler"]
    assert c.JupyterHub.services[0]["command"][2] == "jupyterhub_idle_culler"
    assert (REPO / "notebooks" / "00_start_here.ipynb").exists()


def test_kubernetes_values_match_the_single_server_config():
    c = hub_config()
    values = yaml.safe_load((DEPLOY / "kubernetes" / "values.yaml").read_text())
    single = values["singleuser"]
    assert single["defaultUrl"] == c.Spawner.default_url
    assert single["memory"]["limit"] == c.Spawner.mem_limit
    assert single["cpu"]["limit"] == c.Spawner.cpu_limit
    assert single["cmd"][1] == "/opt/rnn-course/deploy/jupyterhub/course_copy.py"
    assert single["cmd"][single["cmd"].index("--") + 1] == "jupyterhub-singleuser"
    assert [a for a in single["cmd"] if a.startswith("--Mapping")] == c.Spawner.args
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == c.JupyterHub.authenticator_class
    for key in ("open_signup", "minimum_password_length", "allowed_failed_logins"):
        assert hub["NativeAuthenticator"][key] == c.NativeAuthenticator[key]
    assert hub["Authenticator"]["username_pattern"] == c.Authenticator.username_pattern
    assert values["cull"]["enabled"] and values["cull"]["timeout"] == 3600


def pins(path: Path) -> dict:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            found[name.strip().lower()] = version.strip()
    return found


def test_image_recipe_installs_the_course_pins_and_cpu_torch():
    dockerfile = (DEPLOY / "kubernetes" / "Dockerfile").read_text()
    assert f"torch=={pins(REPO / 'requirements.txt')['torch']} --index-url https://download.pytorch.org/whl/cpu" in (
        dockerfile
    )
    assert "-r /opt/rnn-course/requirements.txt" in dockerfile
    assert "FROM python:3.11" in dockerfile


def test_binder_installs_the_course_and_the_readme_launches_00():
    binder = REPO / "binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    reqs = (binder / "requirements.txt").read_text()
    assert "-r ../requirements.txt" in reqs and "whl/cpu" in reqs
    assert "pip install --no-cache-dir --no-deps -e ." in (binder / "postBuild").read_text()
    readme = (REPO / "README.md").read_text()
    badge = re.search(r"\[!\[Binder\]\([^)]*\)\]\(([^)]*)\)", readme)
    assert badge and badge.group(1).endswith("?urlpath=lab/tree/notebooks/00_start_here.ipynb"), badge


def test_hub_requirements_are_pinned():
    hub = pins(REPO / "requirements-hub.txt")
    assert set(hub) == {"jupyterhub", "jupyterhub-nativeauthenticator", "jupyterhub-idle-culler",
                        "jupyterhub-systemdspawner"}
    assert not set(hub) & set(pins(REPO / "requirements.txt"))
