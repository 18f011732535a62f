"""What the browser tests share (tests/browser/test_notebooks_in_browser.py, tests/test_rise_browser.py,
tests/test_slides_browser.py): where Debian's Chromium is and the flags it is launched with, a free port on
127.0.0.1, and a JupyterLab server with its token serving a folder, stopped whatever happens.

Chromium: ``$RNN_COURSE_CHROMIUM``, else ``$CHROMIUM``, else /usr/bin/chromium (playwright's own browser
downloads are never used). A test module that cannot find it or the playwright package skips with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("RNN_COURSE_CHROMIUM") or os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-dev-shm-usage"]


def missing_browser() -> str | None:
    """Why a browser test cannot run here, or None when it can."""
    if not Path(CHROMIUM).exists():
        return (f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or "
                "set RNN_COURSE_CHROMIUM")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - the dev requirements install it
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(root_dir: Path, work: Path, *, extra_args=(), startup_timeout_s: float = 120):
    """Run ``jupyter lab`` on 127.0.0.1 with a random token, serving ``root_dir``, with fresh user settings and
    workspaces under ``work`` (as on a learner's first start) and its log in ``work/jupyterlab.log``; yield
    ``(base_url, token)`` once it answers, and stop it on the way out."""
    work.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), os.urandom(16).hex()
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root_dir}", "--LabApp.expose_app_in_browser=True", *extra_args]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    for folder in ("user-settings", "workspaces"):
        shutil.rmtree(work / folder, ignore_errors=True)
    env = {**os.environ, "RNN_COURSE_THREADS": "1", "JUPYTERLAB_SETTINGS_DIR": str(work / "user-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces")}
    log_path = work / "jupyterlab.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root_dir.parent)
        try:
            deadline = time.monotonic() + startup_timeout_s
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited; see {log_path}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer within {startup_timeout_s:.0f} s; see {log_path}")
                time.sleep(0.5)
            yield base, token
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@contextlib.contextmanager
def chromium(playwright):
    """Headless Debian Chromium launched through ``playwright`` (a started ``sync_playwright()``), closed after."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
    try:
        yield browser
    finally:
        browser.close()
