"""The two scripts that train the shipped character LSTMs share one command line, set-up, batches and evaluation
(tools/charlm_training.py); each keeps its own defaults, and a tiny run writes a model that loads."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import charlm_training  # noqa: E402
import train_pretrained  # noqa: E402
import train_shakespeare  # noqa: E402

from rnn_helpers import probe, training  # noqa: E402
from rnn_helpers.models import CharLM  # noqa: E402


def test_each_script_keeps_its_defaults_on_the_shared_command_line():
    pre, shake = train_pretrained.build_parser().parse_args([]), train_shakespeare.build_parser().parse_args([])
    assert (pre.steps, pre.layers, pre.seq_len, pre.lr, pre.eval_every) == (6000, 2, 100, 2e-3, 500)
    assert (shake.steps, shake.layers, shake.seq_len, shake.lr, shake.save_every) == (1750, 1, 64, 3e-3, 250)
    for args in (pre, shake):
        assert (args.hidden, args.batch, args.clip, args.seed) == (128, 32, 1.0, 0)
    assert pre.out.name == probe.PRETRAINED_FILE and shake.out.name == train_shakespeare.OUT_FILE


def test_evaluate_is_the_mean_loss_over_every_window():
    torch.manual_seed(0)
    model = CharLM(5, 4, cell="lstm")
    rng = np.random.default_rng(0)
    X, Y = rng.integers(0, 5, (300, 6)), rng.integers(0, 5, (300, 6))  # more than one chunk of 256
    with torch.no_grad():
        expected = training.next_token_loss(model(torch.from_numpy(X))[0], torch.from_numpy(Y)).item()
    assert abs(charlm_training.evaluate(model, (X, Y)) - expected) < 1e-6


def test_a_tiny_shakespeare_run_writes_a_model_that_loads(tmp_path, capsys):
    out = tmp_path / "tiny.pt"
    assert train_shakespeare.main(["--steps", "2", "--hidden", "4", "--seq-len", "8", "--save-every", "5",
                                   "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "DATA_FILES entry" in printed and f"wrote {out}" in printed
    info = probe.load_charlm(out).info
    assert info["steps"] == 2 and info["command"].startswith("python tools/train_shakespeare.py --steps 2")
    assert info["held_out"] == train_shakespeare.HELD_OUT_PLAY and info["held_out_loss_nats"] > 0
    assert (info["seq_len"], info["lr"], info["clip"]) == (8, 3e-3, 1.0) and "torch" in info and "python" in info


SHARED_INFO = ("python", "torch", "seed", "steps", "batch", "seq_len", "lr", "clip")


def test_run_info_puts_the_data_first_the_shared_options_then_the_results_and_the_command_last():
    args = train_shakespeare.build_parser().parse_args(["--steps", "7", "--seed", "3", "--lr", "0.01"])
    info = charlm_training.run_info("train_shakespeare.py", args, ["--steps", "7"], data={"corpus": "c"},
                                    results={"loss": 1.5})
    assert list(info) == ["corpus", *SHARED_INFO, "loss", "command"]
    assert (info["steps"], info["seed"], info["lr"], info["batch"], info["seq_len"]) == (7, 3, 0.01, 32, 64)
    assert info["torch"] == str(torch.__version__) and info["python"] == sys.version.split()[0]
    assert info["command"] == "python tools/train_shakespeare.py --steps 7"


def test_a_tiny_pretrained_run_writes_the_shared_info(tmp_path, capsys):
    out = tmp_path / "tiny_python.pt"
    assert train_pretrained.main(["--steps", "2", "--hidden", "4", "--layers", "1", "--seq-len", "8",
                                  "--eval-every", "2", "--seed", "1", "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    info = probe.load_charlm(out).info
    assert all(k in info for k in SHARED_INFO) and (info["steps"], info["seed"], info["seq_len"]) == (2, 1, 8)
    assert info["validation"] == "tokenize" and info["val_loss_nats"] > 0
    assert info["command"] == f"python tools/train_pretrained.py --steps 2 --hidden 4 --layers 1 --seq-len 8 " \
                              f"--eval-every 2 --seed 1 --out {out}"
