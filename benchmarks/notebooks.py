#!/usr/bin/env python3
"""Execute every notebook with nbclient; write wall seconds and peak memory per notebook to RESULTS.md.

    python benchmarks/notebooks.py                 # every notebook in notebooks/
    python benchmarks/notebooks.py 03 05           # only the notebooks whose names start with these

A benchmark, not a test: it measures and reports; the 60 s limit is checked by reading the table. The
notebooks are executed in memory; nothing is written back to them. Peak memory is the largest resident set
of the kernel (and its children), sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 60


class PeakMemory:
    """Samples the summed RSS of this process's children (the kernel) in a background thread."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_notebook(path: Path) -> tuple[float, float, str]:
    """Wall seconds, peak kernel memory in MB, and 'ok' or the error's first line."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    status = "ok"
    with PeakMemory() as memory:
        try:
            client.execute()
        except Exception as err:  # report and go on to the next notebook
            status = f"failed: {type(err).__name__}: {str(err).strip().splitlines()[-1][:120]}"
    return time.perf_counter() - start, memory.peak / 2**20, status


def machine() -> str:
    import torch

    cpu = platform.processor() or platform.machine()
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM; Python {platform.python_version()}, "
            f"torch {torch.__version__} ({torch.get_num_threads()} threads)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose names start with these")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args(argv)
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.prefixes:
        paths = [p for p in paths if p.name.startswith(tuple(args.prefixes))]
    if not paths:
        parser.error(f"no notebook matches {args.prefixes}")
    rows = []
    for path in paths:
        seconds, mb, status = run_notebook(path)
        flag = "" if seconds < LIMIT_S else " (over the limit)"
        rows.append(f"| {path.name} | {seconds:.1f}{flag} | {mb:.0f} | {status} |")
        print(rows[-1], flush=True)
    lines = [
        "# Notebook benchmark",
        "",
        f"Written by `python benchmarks/notebooks.py` on {datetime.date.today().isoformat()}.",
        f"Machine: {machine()}.",
        "",
        f"Each notebook executed once with nbclient, one after another (the limit is {LIMIT_S} s per notebook",
        "under `pytest --nbval-lax`, which adds about 3 s of its own). Memory is the kernel's peak resident set.",
        "",
        "| notebook | wall s | peak MB | status |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if all(r.endswith("| ok |") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
