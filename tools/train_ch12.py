#!/usr/bin/env python3
"""Train the small models of chapter 12 and write data/ch12_models.pt (weights and training histories).

    python tools/train_ch12.py                 # everything (about 5 CPU minutes on one thread)
    python tools/train_ch12.py --out FILE      # somewhere else
    # or one process per mixer, then merge (what was run for the shipped file, on a shared machine):
    for m in gru mingru selective attention; do python tools/train_ch12.py --task mqar --only $m --out part_$m.pt & done
    python tools/train_ch12.py --task lm --out part_lm.pt; wait
    (the selective mixer, the slowest, ran as three processes, one for each number of pairs: --pairs 2 ...)
    python tools/train_ch12.py --merge part_*.pt --out data/ch12_models.pt

What it trains, all with the same recipe (Adam, lr 3e-3, clip 1, batch 64, one torch thread, seeded):

- MQAR (``modern.mqar``, paired layout, vocabulary 64): mixers gru, mingru, selective, attention, one layer
  each, widths matched to ~16,000 parameters (``modern.matched_width``); pairs K = 2, 4, 8; seeds 0 and 1;
  500 steps each; test accuracy on 500 fixed sequences every 100 steps.
- Language modelling on the shipped Shakespeare (characters; train: the first 90 % of the text, validation:
  the last 10 %): the same four mixers at ~30,000 parameters, 150 steps of 16 windows of 64 characters,
  seed 0; validation loss every 100 steps.

The notebook loads the file with ``torch.load(..., weights_only=True)``, rebuilds each model from its
recorded configuration, and re-measures every number it shows on fresh test data.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from rnn_helpers import datasets, modern  # noqa: E402

RECIPE = {"lr": 3e-3, "clip": 1.0, "batch": 64}
MQAR = {"vocab_size": 64, "pairs": [2, 4, 8], "seeds": [0, 1], "steps": 500, "budget": 16_000,
        "eval_every": 100, "test_seed": 999, "test_n": 500}
LM = {"budget": 30_000, "steps": 150, "batch": 16, "seq_len": 64, "eval_every": 50, "seed": 0}
LAYER = {"n_layers": 1, "state_size": 8, "max_len": 64}


def train_one(model, batch_fn, loss_fn, eval_fn, steps, eval_every):
    opt = torch.optim.Adam(model.parameters(), lr=RECIPE["lr"])
    history = []
    for step in range(1, steps + 1):
        x, y = batch_fn(step)
        loss = loss_fn(model(x), y)  # forward
        opt.zero_grad()
        loss.backward()  # backward
        nn.utils.clip_grad_norm_(model.parameters(), RECIPE["clip"])
        opt.step()  # update
        if step % eval_every == 0:
            model.eval()
            with torch.no_grad():
                history.append((step, float(eval_fn(model))))
            model.train()
    return history


def half(result) -> None:
    """Store every weight as float16 (half the bytes; data/ has a 5 MB budget). ``load_state_dict`` copies
    them back into the models' float32 parameters; the notebook measures the models it loads."""
    for group in ("mqar", "lm"):
        for run in result[group].values():
            run["state_dict"] = {k: v.half() if v.is_floating_point() else v for k, v in run["state_dict"].items()}
    result["weights_dtype"] = "float16"


def mqar_loss(logits, targets):
    return nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "data" / "ch12_models.pt"))
    parser.add_argument("--only", choices=list(modern.MIXERS), help="train one mixer only (to run in parallel)")
    parser.add_argument("--pairs", type=int, nargs="+", help="MQAR: only these numbers of pairs")
    parser.add_argument("--task", choices=["mqar", "lm", "both"], default="both", help="what to train")
    parser.add_argument("--merge", nargs="+", help="merge files written with --only into --out")
    args = parser.parse_args()
    if args.merge:
        merged = None
        for path in args.merge:
            part = torch.load(path, weights_only=True)
            if merged is None:
                merged = part
            else:
                merged["mqar"].update(part["mqar"])
                merged["lm"].update(part["lm"])
        half(merged)
        torch.save(merged, args.out)
        print("wrote", args.out, Path(args.out).stat().st_size, "bytes")
        return
    mixers = [args.only] if args.only else list(modern.MIXERS)
    torch.set_num_threads(1)
    V = MQAR["vocab_size"]
    result = {"recipe": RECIPE, "mqar": {}, "lm": {}, "mqar_config": dict(MQAR), "lm_config": dict(LM),
              "layer": LAYER}
    test = {K: modern.mqar(MQAR["test_n"], K, vocab_size=V, seed=MQAR["test_seed"]) for K in MQAR["pairs"]}
    for mixer in mixers if args.task != "lm" else []:
        d = modern.matched_width(mixer, MQAR["budget"], V, **LAYER)
        for K in args.pairs or MQAR["pairs"]:
            for seed in MQAR["seeds"]:
                torch.manual_seed(seed)
                model = modern.SequenceMixerLM(V, d, mixer, **LAYER)
                start = time.process_time()
                hist = train_one(
                    model, lambda step, K=K, seed=seed: modern.mqar(RECIPE["batch"], K, vocab_size=V,
                                                                     seed=100_000 * (seed + 1) + step),
                    mqar_loss, lambda m, K=K: modern.mqar_accuracy(m, *test[K]), MQAR["steps"], MQAR["eval_every"])
                key = f"{mixer}/K{K}/seed{seed}"
                result["mqar"][key] = {"mixer": mixer, "d_model": d, "pairs": K, "seed": seed, "history": hist,
                                       "cpu_seconds": time.process_time() - start,
                                       "state_dict": {k: v.clone() for k, v in model.state_dict().items()}}
                print(key, d, hist[-1], f"{time.process_time() - start:.1f} s", flush=True)
    # language modelling on Shakespeare
    text = datasets.load_shakespeare()
    vocab = datasets.Vocabulary.from_text(text)
    ids = np.asarray(vocab.encode(text), dtype=np.int64)
    cut = int(0.9 * len(ids))
    train_ids, val_ids = torch.from_numpy(ids[:cut]), torch.from_numpy(ids[cut:])
    L = LM["seq_len"]
    g = np.random.default_rng(12)
    starts = g.integers(0, len(val_ids) - L - 1, size=256)
    val_x = torch.stack([val_ids[s:s + L] for s in starts])
    val_y = torch.stack([val_ids[s + 1:s + L + 1] for s in starts])

    def lm_batch(step):
        r = np.random.default_rng(50_000 + step)
        s = r.integers(0, len(train_ids) - L - 1, size=LM["batch"])
        return (torch.stack([train_ids[i:i + L] for i in s]), torch.stack([train_ids[i + 1:i + L + 1] for i in s]))

    def lm_loss(logits, y):
        return nn.functional.cross_entropy(logits.flatten(0, 1), y.flatten())

    for mixer in mixers if args.task != "mqar" else []:
        d = modern.matched_width(mixer, LM["budget"], len(vocab), **LAYER)
        torch.manual_seed(LM["seed"])
        model = modern.SequenceMixerLM(len(vocab), d, mixer, **LAYER)
        start = time.process_time()
        hist = train_one(model, lm_batch, lm_loss, lambda m: lm_loss(m(val_x), val_y), LM["steps"], LM["eval_every"])
        result["lm"][mixer] = {"mixer": mixer, "d_model": d, "vocab_size": len(vocab), "history": hist,
                               "cpu_seconds": time.process_time() - start,
                               "state_dict": {k: v.clone() for k, v in model.state_dict().items()}}
        print("lm", mixer, d, hist[-1], f"{time.process_time() - start:.1f} s", flush=True)
    if not args.only:
        half(result)
    torch.save(result, args.out)
    print("wrote", args.out, Path(args.out).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
