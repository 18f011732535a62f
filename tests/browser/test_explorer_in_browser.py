"""`make explorer` in a real browser: tools/explorer.py's Voilà server on 127.0.0.1 with a token, opened in
headless Debian Chromium (launched as every browser test does, tests/browser_support.py), with every request
that leaves 127.0.0.1 refused, as on a machine with no network.

It asserts: without the token the server answers with its login page; with it, the page shows the explorer
(menus, the unit slider, the coloured text) and no code; moving the unit slider redraws the coloured text; a
pattern query answers with a count. The server is stopped at the end. A screenshot goes to
build/browser/explorer.png.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "browser"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))
import browser_support  # noqa: E402
import explorer  # noqa: E402

if browser_support.missing_browser():
    pytest.skip(f"{browser_support.missing_browser()}; the explorer's browser test did not run",
                allow_module_level=True)
from playwright.sync_api import sync_playwright  # noqa: E402

START_TIMEOUT_S = 240  # the kernel starts and records the text before the page is complete
REDRAW_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def server():
    port, token = browser_support.free_port(), "explorer-test-token"
    BUILD.mkdir(parents=True, exist_ok=True)
    notebook = explorer.write_notebook(BUILD / "explorer")
    log = open(BUILD / "explorer.log", "w")
    # a model and a text named by the user, as `make explorer MODEL=... TEXT=...` passes them: the shipped model
    # file and the first 6,000 characters of the held-out module (a shorter text: a faster start)
    from rnn_helpers import datasets

    text = BUILD / "explorer_text.py.txt"
    text.write_text(datasets.load_held_out_python()[:6000], encoding="utf-8")
    env = {**explorer.environment(str(ROOT / "data" / "charlm_python_lstm.pt"), str(text)), "RNN_COURSE_THREADS": "1"}
    process = subprocess.Popen(explorer.command(notebook, port, token), stdout=log, stderr=subprocess.STDOUT,
                               env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=2) as r:  # the server answers
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Voilà did not start; see {BUILD / 'explorer.log'}")
            time.sleep(0.5)
        yield {"base": base, "token": token}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p, browser_support.chromium(p) as chromium:
        yield chromium


def heatmap(page) -> str:
    """The coloured text: the HTML of the explorer's first output area."""
    return page.locator(".widget-output").first.inner_html()


def test_the_token_is_required(server):
    with urllib.request.urlopen(server["base"] + "/", timeout=30) as r:
        assert "/login" in r.url, "without the token the server sends its login page"


def test_the_explorer_renders_offline_and_redraws_when_the_unit_changes(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    refused = []

    def offline(route):
        url = route.request.url
        if url.startswith(server["base"]) or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        # Voilà runs the notebook before it sends the page: wait for the first bytes, then for the widgets
        page.goto(f"{server['base']}/?token={server['token']}", timeout=START_TIMEOUT_S * 1000, wait_until="commit")
        page.wait_for_function("() => document.querySelectorAll(\".widget-output span[title^='t=']\").length > 0",
                               timeout=START_TIMEOUT_S * 1000, polling=500)
        page.screenshot(path=str(BUILD / "explorer.png"), full_page=True)
        assert "Hidden-state explorer" in page.content()
        assert "charlm_python_lstm.pt" in page.content() and "6,000 characters" in page.content()
        content = page.content()
        assert "import tempfile" not in content and "corpus_explorer(" not in content, "no code is shown"
        assert page.locator(".cm-editor, .CodeMirror").count() == 0, "no code editor either"
        before = heatmap(page)
        assert "unit 0" in before
        handle = page.locator(".noUi-handle").first
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('.widget-output').innerHTML.includes('unit 1:')",
            timeout=REDRAW_TIMEOUT_MS, polling=250)
        after = heatmap(page)
        assert after != before and "unit 1:" in after, "changing the unit redraws the text"
        page.get_by_role("button", name="find units").click()
        page.get_by_text("places:").first.wait_for(timeout=REDRAW_TIMEOUT_MS)
        page.screenshot(path=str(BUILD / "explorer.png"), full_page=True)
        assert not errors, errors
        assert all("127.0.0.1" not in url for url in refused)
    finally:
        context.close()
