"""What the two scripts that train the shipped character LSTMs share (tools/train_pretrained.py for chapter 09,
tools/train_shakespeare.py for chapter 11): the command line, the one-thread seeded set-up, the batches of random
windows, the held-out evaluation and the lines they print about the file they write.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from rnn_helpers import datasets, training  # noqa: E402
from rnn_helpers.environment import seed_everything  # noqa: E402


def argument_parser(description: str, *, steps: int, layers: int, seq_len: int, lr: float, out: Path):
    """The options both scripts take, with each script's defaults; a script adds its own after."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--steps", type=int, default=steps)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=layers)
    parser.add_argument("--seq-len", type=int, default=seq_len)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=lr)
    parser.add_argument("--clip", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=out)
    return parser


def seeded_start(seed: int) -> np.random.Generator:
    """One torch thread (the same numbers on every run of a machine), every generator seeded; returns the
    generator of the training windows."""
    torch.set_num_threads(1)
    seed_everything(seed)
    return np.random.default_rng(seed)


def batch_function(train_ids: np.ndarray, batch: int, seq_len: int, rng: np.random.Generator):
    """``batch_fn(step)`` for ``training.train``: ``batch`` random windows of ``seq_len`` characters, (B, T) each."""

    def batch_fn(step):
        X, Y = datasets.sample_lm_batch(train_ids, batch, seq_len, rng)
        return torch.from_numpy(X), torch.from_numpy(Y)  # (B, T) each

    return batch_fn


def evaluate(model, windows) -> float:
    """Mean cross-entropy (nats per character) over every (X, Y) window, each read from a zero state."""
    X, Y = windows
    total = 0.0
    with torch.no_grad():
        for k in range(0, len(X), 256):
            x, y = torch.from_numpy(X[k : k + 256]), torch.from_numpy(Y[k : k + 256])
            logits, _ = model(x)  # (B, T, V); the final state is not needed
            total += training.next_token_loss(logits, y).item() * len(x)
    return total / len(X)


def command(script: str, argv) -> str:
    """The command line that made a file, for its ``info``."""
    return " ".join([f"python tools/{script}", *(argv if argv is not None else sys.argv[1:])])


def run_info(script: str, args: argparse.Namespace, argv, *, data: dict, results: dict) -> dict:
    """The ``info`` saved with a trained model: ``data`` (the corpus and the held-out text), what both scripts
    record (Python and torch versions, the seed and the shared training options), ``results`` (the losses), and
    last the command line that made the file."""
    shared = {
        "python": platform.python_version(),
        "torch": str(torch.__version__),
        "seed": args.seed,
        "steps": args.steps,
        "batch": args.batch,
        "seq_len": args.seq_len,
        "lr": args.lr,
        "clip": args.clip,
    }
    return {**data, **shared, **results, "command": command(script, argv)}


def print_written(path: Path) -> None:
    """The file's size and SHA-256, and its line for ``DATA_FILES`` in rnn_helpers/datasets/loaders.py."""
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {path}: {len(data)} bytes")
    print(f'DATA_FILES entry (rnn_helpers/datasets/loaders.py): "{Path(path).name}": ({len(data)}, "{digest}")')
