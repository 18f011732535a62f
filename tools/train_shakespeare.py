#!/usr/bin/env python3
"""Train the character-level LSTM on Shakespeare that 11_applications.ipynb evaluates and samples from.

Run from the repository root (CPU only, one thread, deterministic under the seed)::

    python tools/train_shakespeare.py                             # writes data/charlm_shakespeare_lstm.pt
    python tools/train_shakespeare.py --steps 200 --out /tmp/x.pt  # a quick trial

Data: ``datasets.load_shakespeare`` with the first seven plays of the corpus for training; the eighth,
*A Midsummer Night's Dream* (``HELD_OUT_PLAY``), is held out and never seen in training: the notebook measures
nats per character on it. The vocabulary is every character of the whole corpus (76), so the held-out play
has no unknown characters. Model: ``models.CharLM`` (one-hot input, one-layer LSTM with 128 units, linear read-out).
Training: ``training.train`` with Adam, gradient-norm clipping, random windows of ``--seq-len`` characters
from a zero state (truncated BPTT), cross-entropy on every step. No early stopping and no model selection on
the held-out play: the last step's weights are saved.

At the end it prints the held-out loss (nats and bits per character, every window of the held-out play), the
file's size and SHA-256, and the line to paste into rnn_helpers/datasets/loaders.py (``DATA_FILES``).
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/
from charlm_training import ROOT, argument_parser, batch_function, evaluate, print_written, run_info, seeded_start  # noqa: E402,I001

import numpy as np  # noqa: E402

from rnn_helpers import datasets, probe, training  # noqa: E402
from rnn_helpers.models import CharLM  # noqa: E402

HELD_OUT_PLAY = "midsummer_nights_dream_gut"
OUT_FILE = "charlm_shakespeare_lstm.pt"


def corpus():
    """The vocabulary, training ids and held-out ids (int64, (N,))."""
    keys = [p.key for p in datasets.shakespeare_plays()]
    train_text = datasets.load_shakespeare([k for k in keys if k != HELD_OUT_PLAY])
    held_text = datasets.load_shakespeare([HELD_OUT_PLAY])
    vocab = datasets.Vocabulary.from_text(datasets.load_shakespeare())
    return vocab, vocab.encode(train_text), vocab.encode(held_text)


def build_parser():
    parser = argument_parser(__doc__.splitlines()[0], steps=1750, layers=1, seq_len=64, lr=3e-3,
                             out=ROOT / "data" / OUT_FILE)
    parser.add_argument("--save-every", type=int, default=250)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)

    rng = seeded_start(args.seed)
    vocab, train_ids, held_ids = corpus()
    held_windows = datasets.lm_windows(held_ids, args.seq_len)
    print(f"train {len(train_ids):,} chars, held out {len(held_ids):,} chars, vocabulary {len(vocab)}", flush=True)

    model = CharLM(len(vocab), args.hidden, cell="lstm", num_layers=args.layers)

    batch_fn = batch_function(train_ids, args.batch, args.seq_len, rng)

    done = [0]

    def checkpoint(m):
        """Every --save-every steps: save the weights so far to build/<name>.partial.pt. Training has no schedule and
        one seeded batch generator, so the checkpoint at step N should equal the result of ``--steps N``."""
        done[0] += args.save_every
        if done[0] < args.steps:
            info = {"steps": done[0], "command": f"python tools/train_shakespeare.py --steps {done[0]}",
                    "checkpoint_of": args.steps}
            partial = ROOT / "build" / f"{args.out.stem}.partial.pt"  # never inside data/
            partial.parent.mkdir(exist_ok=True)
            probe.save_charlm(m, vocab, partial, info=info)
            print(f"  step {done[0]}: checkpoint saved", flush=True)
        return 0.0

    start = time.perf_counter()
    result = training.train(
        model, batch_fn, training.next_token_loss, steps=args.steps, lr=args.lr, clip=args.clip, progress=False,
        eval_fn=checkpoint, eval_every=args.save_every,
    )  # fmt: skip
    minutes = (time.perf_counter() - start) / 60
    model.eval()
    held_loss = evaluate(model, held_windows)
    train_loss = float(np.mean(result.losses[-100:]))
    info = run_info(
        "train_shakespeare.py", args, argv,
        data={"corpus": "load_shakespeare, the first seven plays", "held_out": HELD_OUT_PLAY},
        results={"held_out_loss_nats": round(held_loss, 4), "train_loss_last100_nats": round(train_loss, 4),
                 "minutes": round(minutes, 1)},
    )  # fmt: skip
    path = probe.save_charlm(model, vocab, args.out, info=info)
    print(f"trained {args.steps} steps in {minutes:.1f} min; train loss {train_loss:.4f} (mean of last 100)")
    print(f"held-out loss {held_loss:.4f} nats/char = {held_loss / math.log(2):.4f} bits/char")
    print_written(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
