"""Exercises of 07_bidirectional.ipynb: the shapes of directions and layers, and counting parameters.

Each checker builds a small float64 torch module, runs it, and compares the learner's answer with what torch
computed (not with numbers typed here).
"""

from __future__ import annotations

import numbers

import torch

from rnn_helpers.exercises import Exercise, Incorrect, call_learner, expect_close, expect_equal


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
        "The forward direction comes first: `out[..., :H]`; the backward direction is the rest.",
    )
    solution_code = """
def split_directions(out, H):
    # out: (B, T, 2H) -> forward (B, T, H), backward (B, T, H)
    return out[..., :H], out[..., H:]
"""

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
        expect_close("forward[:, -1] (the forward direction's final state, h_n[0])", forward[:, -1], h_n[0])
        expect_close("backward[:, 0] (the backward direction's final state, h_n[1])", backward[:, 0], h_n[1])


class HnIndex(Exercise):
    title = "Exercise 2: where layer l, direction d sits in h_n"
    hints = (
        "h_n has shape (num_layers · num_directions, B, H); the layers are the outer loop.",
        "Layer 0 forward, layer 0 backward, layer 1 forward, ...: index = l · num_directions + d.",
    )
    solution_code = """
def h_n_index(layer, direction, num_directions):
    # direction: 0 forward, 1 backward; layers are the outer loop of h_n's first axis
    return layer * num_directions + direction
"""

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
        expect_equal("h_n_index(2, 0, 1) (a unidirectional 3-layer module)", call_learner(h_n_index, 2, 0, 1), 2)


class CountParameters(Exercise):
    title = "Exercise 3: parameters of a bidirectional 2-layer LSTM"
    hints = (
        "Per layer and direction an LSTM has W_ih (4H × input), W_hh (4H × H), b_ih and b_hh (4H each).",
        "Layer 0 reads the input (10 features); layer 1 reads layer 0's output, both directions: 2H = 40 features.",
        "Per direction: layer 0 has 80·10 + 80·20 + 160, layer 1 has 80·40 + 80·20 + 160; then double it.",
    )
    solution_code = """
I, H = 10, 20
layer0 = 4 * H * I + 4 * H * H + 2 * 4 * H        # W_ih, W_hh, b_ih, b_hh
layer1 = 4 * H * (2 * H) + 4 * H * H + 2 * 4 * H  # layer 1 reads both directions of layer 0: 2H inputs
answer = 2 * (layer0 + layer1)                    # two directions
"""

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


class SequenceSummary(Exercise):
    title = "Exercise 4: one vector that has read the whole sequence"
    hints = (
        "out[:, -1] is the last step: its forward half has read everything, its backward half only the last input.",
        "The backward direction finishes at step 0. Take out[:, -1, :H] and out[:, 0, H:] and concatenate them.",
    )
    solution_code = """
import torch

def sequence_summary(out, H):
    # forward half at the last step + backward half at the first step: (B, 2H), both have read all of x
    return torch.cat([out[:, -1, :H], out[:, 0, H:]], dim=-1)
"""

    def _check(self, sequence_summary) -> None:
        H = 6
        out, h_n = _bidirectional_run(H=H)
        got = call_learner(sequence_summary, out, H)
        shape = tuple(getattr(got, "shape", ()))
        if shape != (3, 2 * H):
            raise Incorrect(f"The summary should have shape (B, 2H) = (3, {2 * H}); yours has {shape}.")
        if torch.allclose(torch.as_tensor(got), out[:, -1]):
            raise Incorrect("out[:, -1] is not it: its backward half has read only the last input x_(T-1).")
        # both finished directions are in h_n: [h_n[0], h_n[1]] for one layer
        expect_close("your summary", got, torch.cat([h_n[0], h_n[1]], dim=-1))


ex1 = SplitDirections()
ex2 = HnIndex()
ex3 = CountParameters()
ex4 = SequenceSummary()
