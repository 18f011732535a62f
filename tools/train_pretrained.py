#!/usr/bin/env python3
"""Train the character-level LSTM on Python source that 09_hidden_state_lab.ipynb looks inside.

Run from the repository root (CPU only, one thread, deterministic under the seed)::

    python tools/train_pretrained.py                          # writes data/charlm_python_lstm.pt
    python tools/train_pretrained.py --steps 200 --out /tmp/x.pt  # a quick trial

Data: ``datasets.load_python_source`` with every module of ``PYTHON_SOURCE_MODULES`` except the last one,
``tokenize``, which is held out for validation (and is the text the notebook probes). Characters outside
printable ASCII read as ``?`` (``probe.python_vocabulary``). Model: ``models.CharLM`` (one-hot input, LSTM,
linear read-out). Training: ``training.train`` with Adam, gradient-norm clipping, random windows of
``--seq-len`` characters, each read from a zero state (not truncated BPTT: no state is carried between
windows), cross-entropy on every step.

At the end it prints the validation loss (nats and bits per character, on every window of the held-out
text), the file's size and SHA-256, and the lines to paste into rnn_helpers/datasets/loaders.py and data/README.md.
The text depends on the interpreter's standard library: the shipped file was made with CPython 3.11.
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

VALIDATION_MODULES = ("tokenize",)


def corpus(vocab):
    """Training and validation ids, int64 (N,), from the standard library's source."""
    train_modules = [m for m in datasets.PYTHON_SOURCE_MODULES if m not in VALIDATION_MODULES]
    train_text = datasets.load_python_source(10**7, modules=train_modules)
    val_text = datasets.load_python_source(10**7, modules=VALIDATION_MODULES)
    return vocab.encode(train_text), vocab.encode(val_text)


def build_parser():
    parser = argument_parser(__doc__.splitlines()[0], steps=6000, layers=2, seq_len=100, lr=2e-3,
                             out=ROOT / "data" / probe.PRETRAINED_FILE)
    parser.add_argument("--eval-every", type=int, default=500)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)

    rng = seeded_start(args.seed)
    vocab = probe.python_vocabulary()
    train_ids, val_ids = corpus(vocab)
    val_windows = datasets.lm_windows(val_ids, args.seq_len)
    print(f"train {len(train_ids):,} chars, validation {len(val_ids):,} chars, vocabulary {len(vocab)}")

    model = CharLM(len(vocab), args.hidden, cell="lstm", num_layers=args.layers)

    batch_fn = batch_function(train_ids, args.batch, args.seq_len, rng)

    def eval_fn(m):
        value = evaluate(m, val_windows)
        print(f"  validation loss {value:.4f} nats/char ({value / math.log(2):.3f} bits/char)", flush=True)
        return value

    start = time.perf_counter()
    result = training.train(
        model, batch_fn, training.next_token_loss, eval_fn=eval_fn, steps=args.steps, lr=args.lr, clip=args.clip,
        eval_every=args.eval_every, progress=False,
    )  # fmt: skip
    minutes = (time.perf_counter() - start) / 60
    val_loss = result.final_eval
    info = run_info(
        "train_pretrained.py", args, argv,
        data={"corpus": "load_python_source, PYTHON_SOURCE_MODULES without tokenize", "validation": "tokenize"},
        results={"val_loss_nats": round(val_loss, 4)},
    )  # fmt: skip
    path = probe.save_charlm(model, vocab, args.out, info=info)
    print(result.summary())
    print(f"trained in {minutes:.1f} min; final train loss {np.mean(result.losses[-100:]):.4f} (mean of last 100)")
    print(f"validation loss {val_loss:.4f} nats/char = {val_loss / math.log(2):.4f} bits/char")
    print_written(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
