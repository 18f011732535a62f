"""The live slides in a real browser: JupyterLab with jupyterlab-rise (requirements.txt) on 127.0.0.1 with its token,
headless Chromium (Debian's, driven by playwright) with every request outside 127.0.0.1 aborted. It checks that the
notebook toolbar has the slideshow button, that RISE shows a chapter as slides (the title first, the next-slide
key moving on, the mathematics typeset by the MathJax that ships with the extension, not a CDN's), and that a cell
run inside the slides shows its output. Screenshots go to build/slides/screenshots/.

Skipped, with the reason, where Chromium is missing (.ci/run installs Debian's chromium). The notebooks are copied
to build/slides/rise-course/ first: the test never writes into the course's notebooks."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import browser_support  # noqa: E402

WORK = ROOT / "build" / "slides" / "rise-course"
SHOTS = ROOT / "build" / "slides" / "screenshots"
CHAPTER = "03_vanilla_rnn.ipynb"  # its first section opens with display mathematics

if browser_support.missing_browser():
    pytest.skip(f"{browser_support.missing_browser()}: the browser test of RISE did not run", allow_module_level=True)
import playwright.sync_api as playwright_api  # noqa: E402


@pytest.fixture(scope="module")
def lab():
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "notebooks").mkdir(parents=True)
    shutil.copy2(ROOT / "notebooks" / CHAPTER, WORK / "notebooks" / CHAPTER)
    with browser_support.jupyterlab(WORK / "notebooks", WORK) as server:
        yield server


@pytest.fixture()
def page(lab):
    base, _ = lab
    attempted, errors = [], []
    with playwright_api.sync_playwright() as p, browser_support.chromium(p) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        def local_only(route):
            url = route.request.url
            if url.startswith((base, "data:", "blob:", "about:", "ws://127.0.0.1")):
                route.continue_()
            else:
                attempted.append(url)
                route.abort()

        context.route("**/*", local_only)  # every tab of the context, RISE's too
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        yield tab, attempted, errors
        context.close()


def test_a_presenter_runs_the_chapter_then_presents_it_with_rise(lab, page):
    base, token = lab
    tab, attempted, errors = page
    SHOTS.mkdir(parents=True, exist_ok=True)

    # JupyterLab: the notebook toolbar has the slideshow button; run every cell, as the guide says to before class
    tab.goto(f"{base}/lab/tree/{CHAPTER}?token={token}", timeout=120_000)
    tab.locator('.jp-NotebookPanel-toolbar [data-command^="RISE:"]').first.wait_for(state="visible", timeout=120_000)
    idle = "() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === 'idle'"
    tab.wait_for_function(idle, timeout=120_000)
    tab.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    tab.wait_for_function("""() => {
        const panel = window.jupyterapp.shell.currentWidget;
        const code = panel.content.widgets.filter(c => c.model.type === 'code');
        return code.every(c => c.model.executionCount !== null)
            && panel.sessionContext.session.kernel.status === 'idle';
    }""", timeout=600_000, polling=1000)
    errors_in_cells = tab.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.type === 'code')
        .filter(c => c.model.outputs.toJSON().some(o => o.output_type === 'error')).length""")
    tab.screenshot(path=str(SHOTS / "rise-toolbar.png"))

    # RISE, in a new tab: the same notebook and kernel as slides
    rise = tab.context.new_page()
    rise.on("pageerror", lambda error: errors.append(str(error)))
    rise.goto(f"{base}/rise/{CHAPTER}?token={token}", timeout=120_000)
    rise.wait_for_function("() => document.querySelector('.reveal .slides section.present h1') !== null",
                           timeout=120_000)
    title = rise.locator(".reveal .slides section.present h1").first.text_content()
    assert title.strip().startswith("03 · The vanilla RNN"), title
    rise.screenshot(path=str(SHOTS / "rise-slide1.png"))

    rise.keyboard.press("Escape")  # command mode: the arrow keys move between slides
    rise.keyboard.press("ArrowRight")
    rise.wait_for_function(
        "() => [...document.querySelectorAll('.reveal .slides section.present h2')]"
        ".some(h => h.textContent.includes('One step of the recurrence'))", timeout=30_000)
    rise.wait_for_function("() => document.querySelectorAll('.reveal section.present mjx-container').length > 0",
                           timeout=60_000)
    rise.screenshot(path=str(SHOTS / "rise-slide2.png"))

    # the slide below shows the step function's source; run the cell again inside the slides
    rise.keyboard.press("PageDown")  # the next slide, down the stack (JupyterLab keeps ArrowDown for the cells)
    cell = rise.locator(".reveal section.present[id^='slide-'] .jp-CodeCell").first
    cell.wait_for(state="visible", timeout=30_000)
    rise.wait_for_timeout(1000)  # let the slide transition finish
    cell.locator(".jp-InputPrompt").first.click()
    rise.keyboard.press("Shift+Enter")
    rise.wait_for_function(
        "() => [...document.querySelectorAll('.reveal .jp-OutputArea-output')]"
        ".some(o => o.textContent.includes('def rnn_step'))", timeout=120_000)
    rise.screenshot(path=str(SHOTS / "rise-run-cell.png"))
    rise.close()
    assert attempted == [], f"JupyterLab or RISE tried to reach the network: {attempted[:5]}"
    assert errors == [], f"JavaScript errors: {errors[:3]}"
    assert errors_in_cells == 0, "the chapter ran without an error in JupyterLab"
