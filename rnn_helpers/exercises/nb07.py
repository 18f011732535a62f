"""Exercises of 07_bidirectional.ipynb: the shapes of directions and layers, counting parameters, and the
assignment: length-aware summaries of a padded bidirectional batch, checked on ragged batches against each
sequence run alone.

Each checker builds a small float64 torch module, runs it, and compares the learner's answer with what torch
computed (not with numbers typed here).
"""

from __future__ import annotations

import numbers

import torch

from rnn_helpers.exercises import Exercise, Incorrect, NotAttempted, ____, call_learner, is_blank, mutate


def _bidirectional_run(num_layers: int = 1, B: int = 3, T: int = 5, I: int = 4, H: int = 6, seed: int = 0):
    """A batch-first bidirectional float64 GRU, an input (B, T, I), its out (B, T, 2H) and h_n."""
    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        gru = torch.nn.GRU(I, H, num_layers=num_layers, bidirectional=True, batch_first=True, dtype=torch.float64)
    x = torch.randn(B, T, I, generator=gen, dtype=torch.float64)
    with torch.no_grad():
        out, h_n = gru(x)
    return out, h_n



class SplitDirections(Exercise):
    title = "Exercise 1: the two halves of a bidirectional output"
    hints = (
        "A bidirectional layer concatenates its two directions along the last axis: out has 2H features.",
        "Which direction comes first along the last axis? Slice that axis with `...` in front, so that batch and "
        "time ride along.",
    )
    solution_code = """
def split_directions(out, H):
    # out: (B, T, 2H) -> forward (B, T, H), backward (B, T, H)
    return out[..., :H], out[..., H:]
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def split_directions(out, H):
    return out[..., H:], out[..., :H]          # halves swapped
""",
        """
def split_directions(out, H):
    return out[:, :H], out[:, H:]              # split along time
""",
    )

    def _check(self, split_directions) -> None:
        H = 6
        out, h_n = _bidirectional_run(H=H)
        result = call_learner(split_directions, out, H)
        if not isinstance(result, tuple | list) or len(result) != 2:
            raise Incorrect(f"Return a pair (forward, backward); yours returned {type(result).__name__}.")
        forward, backward = result
        for name, half in (("forward", forward), ("backward", backward)):
            shape = tuple(getattr(half, "shape", ()))
            if shape != (3, 5, H):
                raise Incorrect(
                    f"The {name} half should have shape (B, T, H) = (3, 5, {H}); yours has {shape}. "
                    "Split the last axis (features), not time."
                )
        if torch.allclose(torch.as_tensor(forward), out[..., H:]):
            raise Incorrect("You swapped the halves: torch puts the forward direction first, out[..., :H].")
        # the forward half ends in h_n[0] at the last step; the backward half ends in h_n[1] at step 0
        if not torch.allclose(torch.as_tensor(forward)[:, -1], h_n[0], atol=1e-9):
            raise Incorrect("Your forward half does not end in the forward direction's final state h_n[0]: take the "
                            "first H features of every step.")
        if not torch.allclose(torch.as_tensor(backward)[:, 0], h_n[1], atol=1e-9):
            raise Incorrect("Your backward half does not end (at step 0) in the backward direction's final state "
                            "h_n[1]: take the last H features of every step.")


class HnIndex(Exercise):
    title = "Exercise 2: where layer l, direction d sits in h_n"
    hints = (
        "h_n has shape (num_layers · num_directions, B, H); the layers are the outer loop.",
        "Write out the order for 2 layers and 2 directions by hand: which index does layer 1, backward get? Then "
        "find the formula that gives every index.",
    )
    solution_code = """
def h_n_index(layer, direction, num_directions):
    # direction: 0 forward, 1 backward; layers are the outer loop of h_n's first axis
    return layer * num_directions + direction
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def h_n_index(layer, direction, num_directions):
    return direction * 3 + layer               # direction first
""",
        """
def h_n_index(layer, direction, num_directions):
    return layer + direction
""",
    )

    def _check(self, h_n_index) -> None:
        num_layers = 3
        _, h_n = _bidirectional_run(num_layers=num_layers)
        by_layer = h_n.view(num_layers, 2, *h_n.shape[1:])  # torch's documented layout
        for layer in range(num_layers):
            for direction in (0, 1):
                got = call_learner(h_n_index, layer, direction, 2)
                if got == direction * num_layers + layer and got != layer * 2 + direction:
                    raise Incorrect(
                        "That orders h_n direction first; torch orders it layer first: "
                        "(layer 0 fwd, layer 0 bwd, layer 1 fwd, ...)."
                    )
                if isinstance(got, bool) or not isinstance(got, numbers.Integral) or not 0 <= got < len(h_n):
                    raise Incorrect(f"h_n_index({layer}, {direction}, 2) should be an int in 0..5, got {got!r}.")
                if not torch.equal(h_n[int(got)], by_layer[layer, direction]):
                    raise Incorrect(f"h_n_index({layer}, {direction}, 2) = {got} points at another layer or direction.")
        if call_learner(h_n_index, 2, 0, 1) != 2:
            raise Incorrect("h_n_index(2, 0, 1), layer 2 of a unidirectional module, points at another layer: with "
                            "one direction, every layer has one entry.")


class CountParameters(Exercise):
    title = "Exercise 3: parameters of a bidirectional 2-layer LSTM"
    hints = (
        "Per layer and direction an LSTM has W_ih (4H × input), W_hh (4H × H), b_ih and b_hh (4H each).",
        "Layer 0 reads the input (10 features); layer 1 reads layer 0's output, both directions: 2H = 40 features.",
        "Count one direction of each layer separately, add them, then think about the second direction; check "
        "your number with count_parameters afterwards.",
    )
    solution_code = """
I, H = 10, 20
layer0 = 4 * H * I + 4 * H * H + 2 * 4 * H        # W_ih, W_hh, b_ih, b_hh
layer1 = 4 * H * (2 * H) + 4 * H * H + 2 * 4 * H  # layer 1 reads both directions of layer 0: 2H inputs
answer = 2 * (layer0 + layer1)                    # two directions
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
I, H = 10, 20
layer = 4 * H * I + 4 * H * H + 2 * 4 * H
answer = 2 * 2 * layer                         # layer 1 counted as if it read the input
""",
        """
I, H = 10, 20
layer0 = 4 * H * I + 4 * H * H + 4 * H
layer1 = 4 * H * (2 * H) + 4 * H * H + 4 * H
answer = 2 * (layer0 + layer1)                 # one bias
""",
        """
I, H = 10, 20
layer0 = 4 * H * I + 4 * H * H + 2 * 4 * H
layer1 = 4 * H * (2 * H) + 4 * H * H + 2 * 4 * H
answer = layer0 + layer1                       # one direction
""",
    )

    @staticmethod
    def _expected(I: int, H: int, *, layer1_input: int | None = None, biases: int = 2, directions: int = 2) -> int:
        layer1_input = 2 * H if layer1_input is None else layer1_input
        per_layer = [4 * H * i + 4 * H * H + biases * 4 * H for i in (I, layer1_input)]
        return directions * sum(per_layer)

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
            raise Incorrect(f"Give a whole number; you gave {type(answer).__name__} {answer!r}.")
        module = torch.nn.LSTM(10, 20, num_layers=2, bidirectional=True, batch_first=True)
        expected = sum(p.numel() for p in module.parameters())
        if answer == expected:
            return
        known = {
            self._expected(10, 20, layer1_input=20): "Layer 1 reads both directions of layer 0: its input is 2H = 40.",
            self._expected(10, 20, biases=1): "Torch keeps two bias vectors per layer and direction, b_ih and b_hh.",
            self._expected(10, 20, directions=1): "That counts one direction; a bidirectional module has two.",
        }
        fallback = f"Not quite: you gave {answer}. Count layer by layer and direction by direction."
        raise Incorrect(known.get(int(answer), fallback))


def ragged_batch(seed: int = 0, lengths=(6, 2, 4, 1), T: int = 7, I: int = 3, H: int = 5):
    """A bidirectional float64 GRU, a padded batch x (B, T, I) whose padding is random (so that reading it
    shows), the lengths (B,) in no particular order, and the truth: each sequence run alone, unpadded, as
    (last, mean), each (B, 2H). Used by the checker of exercise 4."""
    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        gru = torch.nn.GRU(I, H, batch_first=True, bidirectional=True, dtype=torch.float64)
    x = torch.randn(len(lengths), T, I, generator=gen, dtype=torch.float64)
    lengths = torch.tensor(lengths)
    last, mean = [], []
    with torch.no_grad():
        for b, n in enumerate(lengths.tolist()):
            out, h_n = gru(x[b:b + 1, :n])  # the sequence alone: (1, n, 2H), (2, 1, H)
            last.append(torch.cat([h_n[0, 0], h_n[1, 0]]))
            mean.append(out[0].mean(dim=0))
    return gru, x, lengths, torch.stack(last), torch.stack(mean)


def _slips(gru, x, lengths) -> dict:
    """(last, mean) after the slips learners make with padded batches, each keyed by the message that explains it."""
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    B, T, _ = x.shape
    H = gru.hidden_size
    rows = torch.arange(B)
    with torch.no_grad():
        out_u, _ = gru(x)  # the padding is read as input
        packed, h_n = gru(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
        out_p, _ = pad_packed_sequence(packed, batch_first=True, total_length=T)  # zeros after each length
    mask = (torch.arange(T)[None, :] < lengths[:, None]).to(x.dtype)[..., None]  # (B, T, 1)
    by_length_u = torch.cat([out_u[rows, lengths - 1, :H], out_u[:, 0, H:]], dim=-1)
    return {
        "last": {
            "Your last step out[:, -1] has read the padding of the shorter sequences (and its backward half has "
            "read only one step).": out_u[:, -1],
            "Your forward half is right, but the backward half at step 0 started on the padding: without packing, "
            "the backward direction reads the padding first.": by_length_u,
            "Your forward half is taken at the last padded step T-1: for a shorter sequence that is padding. Take "
            "it where each sequence ends.": torch.cat([out_p[:, -1, :H], out_p[:, 0, H:]], dim=-1),
            "Your last has the two directions in the wrong order: torch puts the forward direction first.":
                torch.cat([h_n[1], h_n[0]], dim=-1),
        },
        "mean": {
            "Your mean divides by T, the padded length: each sequence's mean is over its own number of steps.":
                out_p.sum(dim=1) / T,
            "Your mean is over the steps of the unpacked run: even with the padding masked out, the backward "
            "direction has read the padding before the real steps.": (out_u * mask).sum(1) / lengths[:, None],
            "Your mean counts the padded steps of the unpacked run as steps.": out_u.mean(dim=1),
        },
    }


class PaddedSummary(Exercise):
    title = "Exercise 4 (assignment): summaries of a padded bidirectional batch"
    hints = (
        "Two traps: the forward direction must stop at each sequence's own end, and the backward direction must "
        "START there rather than on the padding. Section 'Stacking layers' shows what packing does to both.",
        "Packing (with the lengths in any order) makes both directions read exactly the real steps: what does h_n "
        "then hold? For the mean, you need a (B, T) mask of the real steps and each sequence's own count.",
        "Check yourself before the checker does: run one short sequence of the batch alone, unpadded, and compare "
        "its (last, mean) with your row for it.",
    )
    solution_code = """
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

def padded_summary(gru, x, lengths):
    B, T, _ = x.shape
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    out, h_n = gru(packed)                                            # h_n (2, B, H): forward, backward
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=T)   # (B, T, 2H), zeros past each length
    last = torch.cat([h_n[0], h_n[1]], dim=-1)                         # (B, 2H)
    mask = (torch.arange(T)[None, :] < lengths[:, None]).to(out.dtype)  # (B, T): 1 on the real steps
    mean = (out * mask[..., None]).sum(dim=1) / lengths[:, None]       # (B, 2H)
    return last, mean
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import torch

def padded_summary(gru, x, lengths):
    out, h_n = gru(x)                                   # the padding is read as if it were data
    last = torch.cat([h_n[0], h_n[1]], dim=-1)
    return last, out.mean(dim=1)
""",
        mutate(solution_code,  # padding averaged in
               "mean = (out * mask[..., None]).sum(dim=1) / lengths[:, None]",
               "mean = out.mean(dim=1)"),
    )

    def _check(self, padded_summary) -> None:
        for seed, lengths, T in [(0, (6, 2, 4, 1), 7), (1, (3, 5), 5), (2, (4, 4, 2), 6)]:
            gru, x, lens, last_ref, mean_ref = ragged_batch(seed, lengths, T)
            with torch.no_grad():
                result = call_learner(padded_summary, gru, x.clone(), lens.clone())
            if not isinstance(result, tuple | list) or len(result) != 2:
                raise Incorrect(f"padded_summary should return a pair (last, mean); it returned "
                                f"{type(result).__name__}.")
            B, H = len(lengths), gru.hidden_size
            for name, got, ref in (("last", result[0], last_ref), ("mean", result[1], mean_ref)):
                if is_blank(got):
                    raise NotAttempted(f"Your {name} is still ____.")
                got = torch.as_tensor(got, dtype=torch.float64)
                if tuple(got.shape) != (B, 2 * H):
                    raise Incorrect(f"{name} should have shape (B, 2H) = {(B, 2 * H)}, one row per sequence with "
                                    f"both directions; yours has {tuple(got.shape)}.")
                if torch.allclose(got, ref, atol=1e-9):
                    continue
                for message, slip in _slips(gru, x, lens)[name].items():
                    if torch.allclose(got, slip, atol=1e-9):
                        raise Incorrect(message)
                wrong = [b for b in range(B) if not torch.allclose(got[b], ref[b], atol=1e-9)]
                raise Incorrect(f"For lengths {list(lengths)}, your {name} differs from running each sequence "
                                f"alone in row(s) {wrong}.")


ex1 = SplitDirections()
ex2 = HnIndex()
ex3 = CountParameters()
ex4 = PaddedSummary()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4"]
