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

import argparse
import hashlib
import math
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from rnn_helpers import datasets, probe, training  # noqa: E402
from rnn_helpers.environment import seed_everything  # noqa: E402
from rnn_helpers.models import CharLM  # noqa: E402

VALIDATION_MODULES = ("tokenize",)


def corpus(vocab):
    """Training and validation ids, int64 (N,), from the standard library's source."""
    train_modules = [m for m in datasets.PYTHON_SOURCE_MODULES if m not in VALIDATION_MODULES]
    train_text = datasets.load_python_source(10**7, modules=train_modules)
    val_text = datasets.load_python_source(10**7, modules=VALIDATION_MODULES)
    return vocab.encode(train_text), vocab.encode(val_text)


def evaluate(model, windows) -> float:
    """Mean cross-entropy (nats per character) over every (X, Y) window, each read from a zero state."""
    X, Y = windows
    total = 0.0
    for k in range(0, len(X), 256):
        x, y = torch.from_numpy(X[k : k + 256]), torch.from_numpy(Y[k : k + 256])
        logits, _ = model(x)  # (B, T, V); the final state is not needed
        total += training.next_token_loss(logits, y).item() * len(x)
    return total / len(X)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--seq-len", type=int, default=100)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--clip", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / probe.PRETRAINED_FILE)
    args = parser.parse_args(argv)

    torch.set_num_threads(1)  # one thread: the same numbers on every run of this machine
    seed_everything(args.seed)
    vocab = probe.python_vocabulary()
    train_ids, val_ids = corpus(vocab)
    val_windows = datasets.lm_windows(val_ids, args.seq_len)
    rng = np.random.default_rng(args.seed)
    print(f"train {len(train_ids):,} chars, validation {len(val_ids):,} chars, vocabulary {len(vocab)}")

    model = CharLM(len(vocab), args.hidden, cell="lstm", num_layers=args.layers)

    def batch_fn(step):
        X, Y = datasets.sample_lm_batch(train_ids, args.batch, args.seq_len, rng)
        return torch.from_numpy(X), torch.from_numpy(Y)  # (B, T) each

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
    info = {
        "corpus": "load_python_source, PYTHON_SOURCE_MODULES without tokenize",
        "validation": "tokenize",
        "python": platform.python_version(),
        "torch": str(torch.__version__),
        "seed": args.seed,
        "steps": args.steps,
        "batch": args.batch,
        "seq_len": args.seq_len,
        "lr": args.lr,
        "clip": args.clip,
        "val_loss_nats": round(val_loss, 4),
        "command": " ".join(["python tools/train_pretrained.py", *(argv if argv is not None else sys.argv[1:])]),
    }
    path = probe.save_charlm(model, vocab, args.out, info=info)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    print(result.summary())
    print(f"trained in {minutes:.1f} min; final train loss {np.mean(result.losses[-100:]):.4f} (mean of last 100)")
    print(f"validation loss {val_loss:.4f} nats/char = {val_loss / math.log(2):.4f} bits/char")
    print(f"wrote {path}: {len(data)} bytes")
    print(f'DATA_FILES entry (rnn_helpers/datasets/loaders.py): "{path.name}": ({len(data)}, "{digest}")')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
