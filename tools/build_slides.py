#!/usr/bin/env python3
"""Build the static slides: build/slides/NN_name.slides.html for every chapter, executed, that open from disk
with no network.

    python tools/build_slides.py                          # every notebook in notebooks/
    python tools/build_slides.py 02_history 09_hidden_state_lab --jobs 2

For each notebook:
1. execute a copy in memory with nbclient, in notebooks/ (the notebook file itself is never written);
2. replace each widget by the pictures it drew when it was first shown (a static page has no kernel to move
   a slider), under a line that says the widget is interactive in JupyterLab;
3. hide the source of long plotting cells (the picture stays; the code is in the notebook);
4. convert with nbconvert's SlidesExporter and the template in tools/slides_template/, which inlines reveal.js,
   its style sheets, the speaker-notes plugin and MathJax (SVG output, no font files): one self-contained
   file. The slide types come from each cell's metadata, written by tools/slides.py.

reveal.js and MathJax come from the npm registry, pinned by tools/slides_template/package-lock.json and
installed once into build/slides/vendor/ with `npm ci`. Nothing is fetched when a slide file is opened.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = ROOT / "tools" / "slides_template"
OUT_DIR = ROOT / "build" / "slides"
VENDOR = OUT_DIR / "vendor"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
HIDE_SOURCE_LINES = 12  # a plotting cell longer than this shows its picture without its code
CELL_TIMEOUT = 300  # seconds, as `make test`


def install_vendor(vendor: Path = VENDOR) -> Path:
    """`npm ci` reveal.js and MathJax into build/slides/vendor, unless the pinned versions are there already."""
    lock = TEMPLATE_DIR / "package-lock.json"
    stamp = vendor / ".installed-lock"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == lock.read_text(encoding="utf-8"):
        return vendor
    if shutil.which("npm") is None:
        raise RuntimeError("make slides needs npm (Node.js) to install reveal.js and MathJax once; npm was not found")
    vendor.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(TEMPLATE_DIR / name, vendor / name)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=vendor, check=True)
    stamp.write_text(lock.read_text(encoding="utf-8"), encoding="utf-8")
    return vendor


def vendor_text(vendor: Path = VENDOR) -> dict[str, str]:
    """The text of every file the template inlines; a `</script` inside a script is escaped."""
    modules = vendor / "node_modules"
    files = {
        "reveal_css": modules / "reveal.js" / "dist" / "reveal.css",
        "theme_css": modules / "reveal.js" / "dist" / "theme" / "white.css",
        "reveal_js": modules / "reveal.js" / "dist" / "reveal.js",
        "notes_js": modules / "reveal.js" / "plugin" / "notes" / "notes.js",
        "mathjax_js": modules / "mathjax" / "es5" / "tex-svg-full.js",
    }
    text = {key: path.read_text(encoding="utf-8") for key, path in files.items()}
    # the theme's web font is a separate file: leave it out (the theme falls back to the system's sans-serif)
    text["theme_css"] = re.sub(r"@import url\([^)]*\);", "", text["theme_css"])
    for key in ("reveal_js", "notes_js", "mathjax_js"):
        text[key] = text[key].replace("</script", "<\\/script")
    return text


def widget_pictures(model_id: str, state: dict, seen: set[str] | None = None) -> tuple[list[dict], list[str]]:
    """The outputs held by the Output widgets inside a widget, and a description of its controls."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return [], []
    seen.add(model_id)
    model = state[model_id]
    name, values = model.get("model_name", ""), model.get("state", {})
    outputs, controls = [], []
    if name == "OutputModel":
        outputs += [o for o in values.get("outputs", []) if o.get("name") != "stderr"]
    elif values.get("description") and "value" in values and name not in ("ButtonModel", "HTMLModel", "LabelModel"):
        controls.append(f"{values['description'].rstrip(':')} = {values['value']}")
    for child in values.get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            more_outputs, more_controls = widget_pictures(child[len("IPY_MODEL_"):], state, seen)
            outputs += more_outputs
            controls += more_controls
    return outputs, controls


def static_widgets(nb: dict) -> int:
    """Replace every widget output by its pictures and a note; return how many widgets were replaced."""
    state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    replaced = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        new_outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                new_outputs.append(output)
                continue
            pictures, controls = widget_pictures(view["model_id"], state)
            if not pictures:
                continue  # a progress bar, or a widget that drew nothing
            replaced += 1
            where = f" ({'; '.join(html.escape(str(c)) for c in controls[:6])})" if controls else ""
            note = (f'<p class="widget-note">Interactive in JupyterLab: run the notebook and move the controls'
                    f"{where}. As first drawn:</p>")
            new_outputs.append({"output_type": "display_data", "metadata": {}, "data": {"text/html": note}})
            new_outputs += pictures
        cell["outputs"] = new_outputs
    nb.get("metadata", {}).pop("widgets", None)
    return replaced


def hide_long_plot_sources(nb: dict) -> None:
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        lines = [line for line in "".join(cell["source"]).splitlines() if line.strip()]
        draws = any(kind in o.get("data", {}) for o in cell["outputs"] for kind in ("image/png", "image/svg+xml"))
        if draws and len(lines) > HIDE_SOURCE_LINES:
            cell["metadata"].setdefault("transient", {})["remove_source"] = True


def drop_stderr(nb: dict) -> None:
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [o for o in cell["outputs"] if o.get("name") != "stderr"]


def execute(path: Path) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def build_one(path: Path, out_dir: Path, vendor: Path) -> tuple[str, float, int]:
    """Execute one notebook and write its slides; return (output file, seconds, widgets made static)."""
    import nbformat
    from nbconvert import SlidesExporter

    os.environ.setdefault("RNN_COURSE_THREADS", "1")
    start = time.perf_counter()
    nb_dict = nbformat.reads(nbformat.writes(execute(path)), as_version=4)  # a plain copy
    widgets = static_widgets(nb_dict)
    drop_stderr(nb_dict)
    hide_long_plot_sources(nb_dict)
    exporter = SlidesExporter(template_name=TEMPLATE_DIR.name, extra_template_basedirs=[str(TEMPLATE_DIR.parent)])
    exporter.embed_images = True
    resources = {"metadata": {"name": path.stem, "path": str(path.parent)}, "vendor": vendor_text(vendor)}
    body, _ = exporter.from_notebook_node(nb_dict, resources=resources)
    target = out_dir / f"{path.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return str(target), time.perf_counter() - start, widgets


def notebooks(names: list[str], root: Path = ROOT) -> list[Path]:
    found = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return found
    chosen = []
    for name in names:
        match = [p for p in found if p.stem == Path(name).stem or p.name.startswith(f"{name}_")]
        if not match:
            raise SystemExit(f"no notebook called {name!r} in notebooks/ (have: {', '.join(p.stem for p in found)})")
        chosen += match
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebooks to build, e.g. 02_history or 02 (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at the same time")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where the .slides.html files go")
    args = parser.parse_args(argv)
    paths = notebooks(args.names)
    vendor = install_vendor()
    args.out.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(build_one, p, args.out, vendor) for p in paths]
        for future in futures:
            target, seconds, widgets = future.result()
            size = Path(target).stat().st_size / 1e6
            print(f"{Path(target).relative_to(ROOT) if Path(target).is_relative_to(ROOT) else target}: "
                  f"{size:.1f} MB, {widgets} widget(s) made static, {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
