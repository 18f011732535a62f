#!/usr/bin/env python3
"""Characters per second of the hidden-state recorder against a plain forward of the same model; writes
benchmarks/RECORDING.md.

    python benchmarks/recording.py                 # 10 k, 100 k and 1 M characters
    python benchmarks/recording.py --sizes 10000   # one size

The model is the pretrained two-layer LSTM(128) of chapter 09 (data/charlm_python_lstm.pt, float32); the text
is the held-out module (tokenize.py, 26 k characters) repeated to the length. For each length:

- plain forward: ``model(ids)`` (one-hot, both LSTM layers, the read-out) in chunks of 2048 characters with
  the state carried, without gradients: what reading the text costs with nothing recorded;
- recording in memory: ``probe.record_text(model, vocab, text)``: hidden states, cell states and the four
  gates of both layers, every character (6 arrays x 2 layers x 128 units);
- recording to disk: the same with ``path=`` (``.npy`` memory maps in a temporary folder), for the lengths
  whose recording fits the disk budget (``--disk-limit``, default 3 GB: the whole recording is 6 kB per
  character in float32);
- the previous recorder (``probe.record`` before issue 21: float64 numpy cells, step by step), timed on the
  10 k text only, for reference.

Each time is the median of ``--repeats`` runs (wall clock and this process's CPU time, one torch thread).
The machine is reported with its load average: on a shared machine, read the ratios.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from rnn_helpers import datasets, probe, scratch  # noqa: E402


def timed(function, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeats`` calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def plain_forward(model, ids, chunk=2048):
    state = None
    with torch.no_grad():
        for a in range(0, ids.shape[1], chunk):
            _, state = model(ids[:, a : a + chunk], state)


def previous_recorder(model, vocab, text):
    """The recorder before issue 21: each layer copied into the float64 numpy cells, step by step."""
    x = probe.one_hot(vocab.encode(text), len(vocab))
    for k in range(model.rnn.num_layers):
        cell = scratch.LSTM.from_torch(model.rnn, layer=k)
        x, _ = cell.forward(x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--disk-limit", type=float, default=3e9, help="bytes a disk recording may take")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RECORDING.md"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    pretrained = probe.load_pretrained()
    model, vocab = pretrained.model.eval(), pretrained.vocab
    source = datasets.load_held_out_python()
    load_before = os.getloadavg()[0]
    rows = []
    for n in args.sizes:
        text = (source * (n // len(source) + 1))[:n]
        ids = torch.from_numpy(vocab.encode(text))[None]  # (1, T)
        repeats = args.repeats if n <= 100_000 else 1
        plain = timed(lambda ids=ids: plain_forward(model, ids), repeats)
        memory = timed(lambda text=text: probe.record_text(model, vocab, text), repeats)
        bytes_needed = n * 6 * 2 * 128 * 4
        disk = None
        if bytes_needed <= args.disk_limit:
            with tempfile.TemporaryDirectory(dir=ROOT / "build" if (ROOT / "build").is_dir() else None) as folder:
                disk = timed(lambda text=text, folder=folder: probe.record_text(model, vocab, text,
                                                                               path=Path(folder) / "rec"), repeats)
        rows.append((n, repeats, plain, memory, disk, bytes_needed))
        line = (f"{n:>9,} chars: plain {n / plain[0]:>9,.0f}/s wall ({n / plain[1]:,.0f}/s CPU); "
                f"recording in memory {n / memory[0]:>9,.0f}/s wall ({n / memory[1]:,.0f}/s CPU), "
                f"{memory[0] / plain[0]:.2f}x the plain forward")
        if disk:
            line += f"; to disk {n / disk[0]:,.0f}/s wall, {disk[0] / plain[0]:.2f}x"
        print(line, flush=True)
    small = source[:10_000]
    previous = timed(lambda: previous_recorder(model, vocab, small), 1)
    print(f"previous recorder, 10,000 chars: {10_000 / previous[0]:,.0f}/s wall ({10_000 / previous[1]:,.0f}/s CPU)",
          flush=True)
    load_after = os.getloadavg()[0]
    lines = [
        "# Recording hidden states, cells and gates at scale (chapter 09, issue 21)",
        "",
        f"Written by `python benchmarks/recording.py` on {datetime.date.today()}.",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores; torch {torch.__version__}; "
        f"one torch thread. Load average {load_before:.1f} before and {load_after:.1f} after the run. "
        + ("The machine was shared with other jobs during the run (load above the 2 cores): absolute rates are "
           "lower and noisier than on a quiet machine; the ratios to the plain forward, timed alongside, are "
           "what to read." if max(load_before, load_after) > 1.5 else ""),
        "",
        "Pretrained two-layer LSTM(128), float32; the held-out tokenize.py repeated to the length. Plain forward: "
        "`model(ids)` in chunks of 2048 with the state carried. Recording: `probe.record_text` of hidden states, "
        "cell states and the gates i, f, g, o of both layers at every character (6 kB per character). "
        "Median of the repeats; characters per second, wall clock (CPU time of the process in brackets).",
        "",
        "| characters | repeats | plain forward /s | recording in memory /s | in memory / plain, wall (CPU) | "
        "recording to disk /s | to disk / plain, wall (CPU) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, repeats, plain, memory, disk, bytes_needed in rows:
        disk_cells = (f"{n / disk[0]:,.0f} ({n / disk[1]:,.0f}) | {disk[0] / plain[0]:.2f} ({disk[1] / plain[1]:.2f})"
                      if disk else f"not run ({bytes_needed / 1e9:.1f} GB > --disk-limit) | ")
        lines.append(f"| {n:,} | {repeats} | {n / plain[0]:,.0f} ({n / plain[1]:,.0f}) | "
                     f"{n / memory[0]:,.0f} ({n / memory[1]:,.0f}) | {memory[0] / plain[0]:.2f} "
                     f"({memory[1] / plain[1]:.2f}) | {disk_cells} |")
    lines += [
        "",
        f"The previous recorder (float64 numpy cells, one step at a time) read 10,000 characters at "
        f"{10_000 / previous[0]:,.0f} per second in the same run ({10_000 / previous[1]:,.0f} per CPU second).",
        "",
        "On a machine shared with other jobs the wall-clock rates fall with the load; CPU time counts only this "
        "process's own work (it still suffers from caches and memory bandwidth shared with the others). "
        "A recording to disk writes 6 kB per character through the page cache: its wall time depends on the "
        "disk (this one wrote about 117 MB/s synchronously), so a 1 M-character recording to disk (6 GB) is "
        "bounded by the disk, not the computation; `keep=[\"cell\"]` (hidden and cell states only) writes a "
        "third of it.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
