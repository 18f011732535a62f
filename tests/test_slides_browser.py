"""The static slides in a real browser: build two chapters' slides with tools/build_slides.py, open them from disk in
headless Chromium (Debian's, driven by playwright) with every non-file request aborted, and check what a lecturer
sees: the title on the first slide, the next-slide key moving to slide 2, no empty slide, mathematics typeset,
widgets shown as pictures, and not one attempt to reach the network. Screenshots go to build/slides/screenshots/.

Skipped, with the reason, where Chromium or npm (which installs reveal.js and MathJax once) is missing;
.ci/run installs Debian's chromium so that CI always runs it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
import browser_support  # noqa: E402
import slides  # noqa: E402

# two quick chapters (benchmarks/RESULTS.md: 10 s and 14 s to run); 09 also has an HTML view and a large widget
CHAPTERS = ["02_history", "09_hidden_state_lab"]
OUT = ROOT / "build" / "slides"
SHOTS = OUT / "screenshots"

if browser_support.missing_browser():
    pytest.skip(f"{browser_support.missing_browser()}: the browser test of the slides did not run",
                allow_module_level=True)
if shutil.which("npm") is None:
    pytest.skip("npm not found: make slides needs it once, to install reveal.js and MathJax", allow_module_level=True)
import playwright.sync_api as playwright_api  # noqa: E402


def screens(stem: str) -> tuple[int, str, str]:
    """(number of screens, the title, the first section heading) from the notebook and tools/slides.py."""
    cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    types = slides.slide_types(cells, slides.OVERRIDES.get(stem, {}))
    title = re.search(r"^# (.*)", "".join(cells[0]["source"]), re.M).group(1).strip()
    first_slide = next(c for c, t in zip(cells[1:], types[1:], strict=True) if t == "slide")
    heading = re.search(r"^##+ (.*)", "".join(first_slide["source"]), re.M).group(1).strip()
    heading = re.sub(r"[`*$]", "", heading)  # as rendered: no markdown marks
    return types.count("slide") + types.count("subslide"), title, heading


@pytest.fixture(scope="module")
def built() -> dict[str, Path]:
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_slides.py"), *CHAPTERS, "--jobs", "2"],
                   check=True, timeout=1800, cwd=ROOT)
    return {stem: OUT / f"{stem}.slides.html" for stem in CHAPTERS}


@pytest.mark.parametrize("stem", CHAPTERS)
def test_slide_file_names_nothing_to_fetch(built, stem):
    # the markup outside the inlined scripts (their code holds templates such as `<img src=${e}>`)
    page = re.sub(r"<script>.*?</script>", "<script></script>", built[stem].read_text(encoding="utf-8"), flags=re.S)
    tags = r"<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*[\"']?(?!data:)([^\"' >]+)"
    fetched = (re.findall(tags, page)
               + re.findall(r"<link\b[^>]*\bhref\s*=\s*[\"']?([^\"' >]+)", page)
               + re.findall(r"url\(\s*[\"']?(https?:[^\"')]+)", page)
               + re.findall(r"@import\s+(?:url\()?\s*[\"']?(https?:[^\"')]+)", page)
               + re.findall(r"\bimport\s[^;]*?from\s*[\"'](https?:[^\"']+)", page))
    assert not fetched, f"the slides would fetch: {fetched[:5]}"
    assert "Interactive in JupyterLab" in page or stem != "09_hidden_state_lab", "the widget is shown as a picture"


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p, browser_support.chromium(p) as chromium:
        yield chromium


@pytest.mark.parametrize("stem", CHAPTERS)
def test_slides_in_chromium_offline(built, browser, stem):
    expected_screens, title, first_heading = screens(stem)
    SHOTS.mkdir(parents=True, exist_ok=True)
    attempted, errors = [], []
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def only_files(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    page.route("**/*", only_files)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(built[stem].as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=60_000)
        page.evaluate("() => MathJax.startup.promise")
        assert page.evaluate("() => Reveal.getIndices()") == {"h": 0, "v": 0, "f": None} or \
            page.evaluate("() => Reveal.getIndices().h") == 0

        # the first slide shows the chapter's title, on screen
        h1 = page.locator(".reveal .slides section.present h1").first
        assert h1.is_visible() and h1.text_content().strip().startswith(title[:20]), h1.text_content()
        box = h1.bounding_box()
        assert box and 0 <= box["y"] < 900 and box["width"] > 100
        page.screenshot(path=str(SHOTS / f"{stem}-slide1.png"))

        # the next-slide key moves to slide 2, which opens the first section
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => Reveal.getIndices().h === 1", timeout=10_000)
        present = page.locator(".reveal .slides > section.present").first
        assert first_heading[:25] in present.text_content(), (first_heading, present.text_content()[:200])
        page.screenshot(path=str(SHOTS / f"{stem}-slide2.png"))

        # every screen has something on it, and there are as many screens as tools/slides.py gave the notebook
        empty = page.evaluate("""() => Reveal.getSlides()
            .map((s, i) => [i, s.innerText.trim().length + s.querySelectorAll('img, svg, table').length])
            .filter(([i, n]) => n === 0).map(([i]) => i)""")
        assert empty == [], f"empty slides: {empty}"
        assert page.evaluate("() => Reveal.getTotalSlides()") == expected_screens
        assert page.locator("mjx-container").count() > 0, "the mathematics is typeset (local MathJax)"
        assert page.locator(".reveal img").count() >= 3, "the plots are embedded"
    finally:
        page.close()
    assert attempted == [], f"the slides tried to reach the network: {attempted[:5]}"
    assert errors == [], f"JavaScript errors: {errors[:3]}"
