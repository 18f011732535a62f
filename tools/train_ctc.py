#!/usr/bin/env python3
"""Train a bidirectional-LSTM Morse decoder with CTC (the project of 11_applications.ipynb).

Run from the repository root (CPU only, one thread, deterministic under the seed)::

    python tools/train_ctc.py                              # writes build/ctc_morse_bilstm.pt
    python tools/train_ctc.py --steps 100 --out /tmp/x.pt  # a quick trial

Data: fresh random words every step, keyed in Morse at 2 or 3 frames per dot, heard as a tone in white noise
(``ctc.morse_batch``), following ``ctc.curriculum_stage``: one- and two-letter words at 10 to 20 dB for the
``--warmup`` steps, then words of 2 to 4 letters with the noise interval sliding down to -10 to +10 dB. Model:
``ctc.CTCTagger`` (one bidirectional LSTM layer of 64 units per direction, a linear read-out over blank + 26
letters). Training: ``ctc.train_ctc_tagger``: Adam at 1e-2 (divided by 3 for the last fifth of the steps), CTC
loss, gradient norm clipped at 1. Every 250 steps the loss of that step is printed and the weights so far go to
``<out>.partial.pt``. The defaults made data/ctc_morse_bilstm.pt (29 minutes on one thread of a shared CPU).
Earlier recipes stalled: two layers of 32 units, 900 steps at lr 3e-3 and 300 at 1e-2, all words 2-4 letters
at -10 to +10 dB; two layers of 64 units at 3e-3 for 1,200 steps, with the noise or the word length eased at
the start: each stayed on the plateau where the network emits one letter whatever it hears.

Saved as a plain dict (state_dict in float16, sizes, info) that ``torch.load(..., weights_only=True)`` reads.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from rnn_helpers import ctc  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=1000, help="steps of 1-2 letter words at 10-20 dB first")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-2, help="divided by 3 for the last fifth of the steps")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "ctc_morse_bilstm.pt")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    model = ctc.CTCTagger(args.hidden, args.layers)
    start = time.perf_counter()

    def checkpoint(step, m, loss):
        """Every 250 steps, the loss of that step and the weights so far (a partial run to resume reading)."""
        if step % 250 == 0 and step < args.steps:
            ctc.save_tagger(m, args.out.with_suffix(".partial.pt"), info={"steps": step})
            print(f"  step {step}: loss {loss:.3f}, checkpoint saved", flush=True)

    losses = ctc.train_ctc_tagger(model, args.steps, batch_size=args.batch, lr=args.lr, seed=args.seed,
                                  warmup_steps=args.warmup, lr_drop_at=int(0.8 * args.steps), callback=checkpoint)
    minutes = (time.perf_counter() - start) / 60
    info = {
        "python": platform.python_version(),
        "torch": str(torch.__version__),
        "seed": args.seed,
        "steps": args.steps,
        "batch": args.batch,
        "lr": args.lr,
        "warmup": args.warmup,
        "hidden": args.hidden,
        "layers": args.layers,
        "train_loss_last100": round(float(np.mean(losses[-100:])), 4),
        "minutes": round(minutes, 1),
        "command": " ".join(["python tools/train_ctc.py", *(argv if argv is not None else sys.argv[1:])]),
    }
    path = ctc.save_tagger(model, args.out, info=info, half=True)
    data = path.read_bytes()
    print(f"trained {args.steps} steps in {minutes:.1f} min; train loss {info['train_loss_last100']} (last 100)")
    print(f"wrote {path}: {len(data)} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
