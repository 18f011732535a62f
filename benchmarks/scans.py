#!/usr/bin/env python3
"""Time the loop against the parallel scans of chapter 12 and write benchmarks/SCANS.md.

    python benchmarks/scans.py            # the default grid: T in 256, 1024, 4096; width B·H in 1 ... 4096
    python benchmarks/scans.py --quick    # a smaller grid

Each entry is the CPU time of this process on one torch thread, the fastest of three rounds that time every
case once (``linear_rnn.time_scans``), forward only, float32: the work itself, steady even when other programs
share the machine. The table reports the load average during the run, because a busy machine still slows
memory-bound work. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from rnn_helpers import linear_rnn  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller grid")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "SCANS.md"))
    args = parser.parse_args()
    lengths = [256, 1024] if args.quick else [256, 1024, 4096]
    widths = [1, 16, 256] if args.quick else [1, 16, 256, 4096]
    load_before = os.getloadavg()[0]
    seconds = linear_rnn.time_scans(lengths, widths, repeats=3)
    load_after = os.getloadavg()[0]
    lines = [
        "# The loop against the parallel scan (chapter 12)",
        "",
        f"Written by `python benchmarks/scans.py` on {datetime.date.today()}.",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores; torch {torch.__version__}; "
        f"one torch thread. Load average {load_before:.1f} before and {load_after:.1f} after the run "
        f"(the machine was shared: CPU time, not wall time, is reported, and ratios are what to read).",
        "",
        "CPU milliseconds (the fastest of three rounds), forward only, float32, "
        "a = U(0.5, 1), b = N(0, 1) of shape (1, T, B·H).",
        "",
        "| T | B·H | loop ms | parallel (Hillis-Steele) ms | chunked (64) ms | loop / parallel | loop / chunked |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, T in enumerate(lengths):
        for j, W in enumerate(widths):
            s, p, c = (seconds[m][i, j] for m in ("sequential", "parallel", "chunked"))
            lines.append(f"| {T} | {W} | {s * 1e3:.2f} | {p * 1e3:.2f} | {c * 1e3:.2f} | {s / p:.1f} | {s / c:.1f} |")
    lines += ["", "A ratio above 1 means the scan is faster than the loop; below 1, slower.", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
