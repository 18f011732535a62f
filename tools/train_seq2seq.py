#!/usr/bin/env python3
"""Train the encoder-decoders that 10_seq2seq_attention.ipynb measures, and write them to data/.

Run from the repository root (CPU only, one thread, deterministic under the seeds)::

    python tools/train_seq2seq.py                         # every model of the chapter -> data/seq2seq_dates.pt
    python tools/train_seq2seq.py --steps 300 --out /tmp/x.pt --seeds 0   # a quick trial

Task: ``dates.date_pairs`` with 1 to ``--max-dates`` dates per pair in the ten default languages, training
split only (the test days are never seen). Models: ``seq2seq.Seq2Seq``, the same sizes for every variant:

- ``plain``: no attention (Sutskever et al. 2014's encoder-decoder, one GRU layer);
- ``plain_reversed``: the same, reading each source backwards (Sutskever et al.'s trick);
- ``additive``: Bahdanau's additive attention;
- ``plain_sampled``: no attention, trained with scheduled sampling (Bengio et al. 2015).

Every model gets the same budget: ``--steps`` steps of Adam on batches of ``--batch`` pairs, the same
batches for every model of one seed (each batch is drawn from its step number), gradient clipping at 1.
Checkpoints store the weights in float16; ``--merge`` (which writes the shipped file) stores them in 8 bits
with a float16 scale per row (``seq2seq.quantize_state``, a quarter of float32's bytes); the notebook
turns them back into float32 models and measures those.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from rnn_helpers import dates, seq2seq, training  # noqa: E402
from rnn_helpers.environment import seed_everything  # noqa: E402

VARIANTS = {  # name -> (attention, reverse the source, scheduled sampling)
    "plain": (None, False, False),
    "plain_reversed": (None, True, False),
    "additive": ("additive", False, False),
    "plain_sampled": (None, False, True),
}


def train_one(name, seed, args, src_vocab, tgt_vocab, val, checkpoint=None):
    attention, reverse, sampled = VARIANTS[name]
    seed_everything(seed)
    config = seq2seq.Seq2SeqConfig(len(src_vocab), len(tgt_vocab), embed=args.embed, hidden=args.hidden,
                                   attention=attention, attn=args.attn)
    model = seq2seq.Seq2Seq(config)

    def batch_fn(step):
        pairs = dates.date_pairs(args.batch, n_dates=(1, args.max_dates), seed=seed * 1_000_003 + step)
        p = seq2seq.inverse_sigmoid_schedule(step, args.k) * args.max_sample if sampled else 0.0
        return seq2seq.make_batch(pairs, src_vocab, tgt_vocab, reverse=reverse, sample_prob=p)

    val_inputs, val_out = seq2seq.make_batch(val, src_vocab, tgt_vocab, reverse=reverse)

    def eval_fn(m):
        ids, _ = seq2seq.greedy_decode(m, val_inputs.src, val_inputs.src_len, max_len=val_out.shape[1] + 2)
        acc = float(seq2seq.exact_match([tgt_vocab.decode(r) for r in ids], [p.target for p in val]).mean())
        step = len(losses)
        print(f"  {name} seed {seed} step {step}: exact match {acc:.3f}, "
              f"train loss {sum(losses[-50:]) / len(losses[-50:]):.4f}", flush=True)
        if checkpoint is not None:
            checkpoint(m, step, acc)
        return acc

    losses = []

    def loss_fn(logits, tgt_out):
        loss = seq2seq.sequence_loss(logits, tgt_out)
        losses.append(loss.item())
        return loss

    result = training.train(model, batch_fn, loss_fn, eval_fn=eval_fn, steps=args.steps,
                            lr=args.lr, clip=1.0, eval_every=args.eval_every, goal="max", progress=False)
    return model, result


def _at(key: str, steps: int) -> str:
    variant, seed = key.split("/")
    return f"{variant}@{steps}/{seed}"


def merge(paths, out) -> int:
    """One file from several runs (e.g. one variant per process): models and results are combined, and the
    training entry records each run's command. A per-evaluation checkpoint (``NAME.stepN.pt``, written with
    ``--keep-checkpoints``) enters under ``variant@N/seedS``: the same variant after N steps, to compare it with
    a variant that got N steps."""
    merged, commands = None, []
    for path in paths:
        part = torch.load(path, map_location="cpu", weights_only=True)
        t = part["training"]
        variants = sorted({key.split("/")[0] for key in part["models"]})
        commands.append(f"python tools/train_seq2seq.py --steps {t['steps']} --lr {t['lr']} --batch {t['batch']} "
                        f"--max-dates {t['max_dates']} --seeds {' '.join(map(str, t['seeds']))} "
                        f"--variants {' '.join(variants)}")
        if ".step" in Path(path).name:
            part["models"] = {_at(k, t["steps"]): v for k, v in part["models"].items()}
            part["results"] = {_at(k, t["steps"]): v for k, v in part["results"].items()}
        if merged is None:
            merged = part
        else:
            merged["models"].update(part["models"])
            merged["results"].update(part["results"])
    merged["training"]["command"] = " && ".join(commands)
    # the shipped file: 8-bit weights with a float16 scale per row (seq2seq.quantize_state), to keep data/
    # under its 5 MB budget; load_models turns them back into float32 models
    merged["models"] = {k: seq2seq.quantize_state(v) for k, v in merged["models"].items()}
    merged["training"]["storage"] = "int8 per row, float16 scales (seq2seq.quantize_state)"
    torch.save(merged, out)
    data = out.read_bytes()
    print(f"wrote {out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=32)  # the shipped models
    parser.add_argument("--embed", type=int, default=16)
    parser.add_argument("--attn", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--max-dates", type=int, default=3)
    parser.add_argument("--k", type=float, default=300.0, help="scheduled sampling's inverse sigmoid k")
    parser.add_argument("--max-sample", type=float, default=0.5, help="largest chance of feeding the model's own")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "seq2seq_dates.pt")
    parser.add_argument("--keep-checkpoints", action="store_true", help="also write one file per evaluation")
    parser.add_argument("--merge", type=Path, nargs="+", help="combine files written by separate runs into --out")
    args = parser.parse_args(argv)
    if args.merge:
        return merge(args.merge, args.out)

    torch.set_num_threads(1)
    src_vocab, tgt_vocab = dates.vocabularies()
    val = dates.date_pairs(200, split="train", n_dates=(1, args.max_dates), seed=999_999)  # held-out draws
    models, info = {}, {}

    def payload(steps_done):
        return {
            "models": models,
            "config": {"embed": args.embed, "hidden": args.hidden, "attn": args.attn},
            "variants": {name: {"attention": a, "reverse": r, "sampled": s} for name, (a, r, s) in VARIANTS.items()},
            "training": {
                "steps": steps_done, "batch": args.batch, "lr": args.lr, "max_dates": args.max_dates,
                "k": args.k, "max_sample": args.max_sample, "seeds": args.seeds,
                "python": platform.python_version(), "torch": str(torch.__version__),
                "command": f"python tools/train_seq2seq.py --steps {steps_done} --lr {args.lr} --seeds "
                           + " ".join(map(str, args.seeds)) + " --variants " + " ".join(args.variants),
            },
            "results": info,
        }

    for seed in args.seeds:
        for name in args.variants:
            key = f"{name}/seed{seed}"

            def checkpoint(m, step, acc, key=key):  # write what we have at every evaluation
                models[key] = {k: v.detach().half() for k, v in m.state_dict().items()}
                info[key] = {"steps": step, "val_exact_match": acc}
                torch.save(payload(step), args.out)
                if args.keep_checkpoints:  # one file per evaluation, to compare variants at one budget
                    torch.save(payload(step), args.out.with_suffix(f".step{step}.pt"))

            model, result = train_one(name, seed, args, src_vocab, tgt_vocab, val, checkpoint)
            print(key, result.summary(), flush=True)
    final = payload(args.steps)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(final, args.out)
    data = args.out.read_bytes()
    print(f"wrote {args.out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
