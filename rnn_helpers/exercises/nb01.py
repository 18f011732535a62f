"""Exercises of 01_sequential_data.ipynb: the shape of a padded batch, how many windows a series gives, a
chronological split by hand, and reading the last layer out of ``h_n``."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    as_array,
    expect_callable,
    expect_equal,
    is_blank,
    mutate,
)


def answer_kind(value) -> str:
    """What the learner gave, for a message: its type and a short repr."""
    return f"{type(value).__name__} {value!r}"[:80]


class PaddedShape(Exercise):
    title = "Exercise 1: the shape of a padded batch"
    hints = (
        "Padding makes every sequence as long as the longest one; one-hot encoding adds a last axis of size V.",
        "The longest of 'jo', 'anna' and 'elizabeth' has 9 characters; the batch is first, then time, then features.",
    )
    solution_code = "answer = (3, 9, 27)  # (B, T_max, V): 3 names, 'elizabeth' has 9 letters, 27 symbols"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = (9, 3, 27)  # time first',
        'answer = (3, 4, 27)  # padded to the shortest',
        'answer = (3, 9, 26)  # forgot the padding symbol',
    )

    def _check(self, answer) -> None:
        if not isinstance(answer, tuple | list) or len(answer) != 3:
            raise Incorrect(f"Give a tuple of three numbers (batch, time, features); you gave {answer!r}.")
        answer = tuple(answer)
        if answer == (9, 3, 27):
            raise Incorrect("That is time first; the course's helpers put the batch first: (B, T_max, V).")
        if answer[0] == 3 and answer[2] == 27 and answer[1] in (2, 4, 5):
            raise Incorrect(f"T_max = {answer[1]} is too short: padding pads up to the LONGEST sequence.")
        if answer[:2] == (3, 9) and answer[2] != 27:
            raise Incorrect("The batch and time axes are right; the last axis is the one-hot size V: count every "
                            "symbol of the vocabulary, the padding symbol included.")
        expect_equal("Your shape", answer, (3, 9, 27))


class WindowCount(Exercise):
    title = "Exercise 2: how many windows?"
    hints = (
        "Window i starts at s = i * stride and needs window + horizon steps: s + window + horizon <= T.",
        "N = (T - window - horizon) // stride + 1 with T = 1461, window = 30, horizon = 7, stride = 7.",
    )
    solution_code = "answer = (1461 - 30 - 7) // 7 + 1  # 204"
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        'answer = 1461 - 30 - 7 + 1  # stride 1',
        'answer = 1461 // 7  # no room for the window',
        'answer = (1461 - 30 - 7) // 7  # no + 1',
    )

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, int | np.integer):
            raise Incorrect(f"Give a whole number; you gave {type(answer).__name__} {answer!r}.")
        if answer == 1461 - 30 - 7 + 1:
            raise Incorrect("That is the count for stride 1; with stride 7 the windows start 7 days apart.")
        if answer in (1461 // 7, (1461 - 30) // 7 + 1):
            raise Incorrect("Each window needs room for its horizon too: subtract window AND horizon from T.")
        expect_equal("Your number of windows", int(answer), 204)


class ChronologicalSplit(Exercise):
    title = "Exercise 3: a chronological split by hand"
    hints = (
        "Cut the time axis at two points a and b: train = series[:a], val = series[a:b], test = series[b:].",
        "a = round(T * train_frac) and b = round(T * (train_frac + val_frac)), where T = len(series). "
        "Do not shuffle anything.",
    )
    solution_code = """
def split_by_time(series, train_frac, val_frac):
    T = len(series)
    a, b = round(T * train_frac), round(T * (train_frac + val_frac))
    return series[:a], series[a:b], series[b:]
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def split_by_time(series, train_frac, val_frac):
    T = len(series)
    a, b = int(T * train_frac), int(T * (train_frac + val_frac))   # int() cuts down, not round()
    return series[:a], series[a:b], series[b:]
""",
        """
import numpy as np

def split_by_time(series, train_frac, val_frac):
    shuffled = series[np.random.default_rng(0).permutation(len(series))]   # shuffled like i.i.d. data
    T = len(series)
    a, b = round(T * train_frac), round(T * (train_frac + val_frac))
    return shuffled[:a], shuffled[a:b], shuffled[b:]
""",
    )

    CASES = ((100, 0.7, 0.15), (1461, 0.7, 0.15), (10, 0.5, 0.2), (37, 0.6, 0.0))

    def _check(self, split_by_time) -> None:
        if not callable(split_by_time):
            raise Incorrect(
                f"Give a function split_by_time(series, train_frac, val_frac); you gave {answer_kind(split_by_time)}."
            )
        for T, train, val in self.CASES:
            series = np.arange(T * 2, dtype=np.float32).reshape(T, 2)  # (T, F): row t holds 2t, 2t + 1
            parts = split_by_time(series.copy(), train, val)
            if is_blank(parts):
                raise NotAttempted("Your function still returns ____.")
            case = f"For T = {T}, train_frac = {train}, val_frac = {val}"
            if not isinstance(parts, tuple | list) or len(parts) != 3:
                raise Incorrect(f"{case}: return three arrays (train, val, test); yours returned {answer_kind(parts)}.")
            parts = [np.asarray(p) for p in parts]
            if any(p.ndim != 2 or p.shape[1:] != (2,) for p in parts if p.size):
                raise Incorrect(f"{case}: cut along the time axis only; each part should keep shape (T_part, 2).")
            joined = np.concatenate([p.reshape(-1, 2) for p in parts])
            if joined.shape != series.shape or not np.array_equal(np.sort(joined[:, 0]), series[:, 0]):
                raise Incorrect(f"{case}: together the three parts should hold every time step exactly once.")
            if not np.array_equal(joined, series):
                raise Incorrect(f"{case}: your parts are not in time order. Never shuffle a time series: "
                                "train must come first, then validation, then test.")
            a, b = round(T * train), round(T * (train + val))
            sizes = tuple(len(p) for p in parts)
            if sizes != (a, b - a, T - b):
                raise Incorrect(f"{case}: the parts should have {(a, b - a, T - b)} steps; yours have {sizes}. "
                                "Use round() for both cut points.")


class LastLayerState(Exercise):
    title = "Exercise 4: the last layer's final state from h_n"
    hints = (
        "h_n has shape (num_layers * num_directions, B, H), even with batch_first=True. "
        "View it as (num_layers, num_directions, B, H).",
        "Take layer -1 of that view: h[-1, 0] is the forward state, h[-1, 1] the backward one (bidirectional); "
        "concatenate the directions along the last axis: torch.cat([...], dim=-1).",
    )
    solution_code = """
import torch

def last_layer_state(h_n, num_layers, bidirectional):
    D = 2 if bidirectional else 1
    h = h_n.view(num_layers, D, h_n.shape[1], h_n.shape[2])  # (layers, D, B, H)
    return torch.cat([h[-1, d] for d in range(D)], dim=-1)  # (B, D*H)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def last_layer_state(h_n, num_layers, bidirectional):
    return h_n[0]   # the FIRST layer
""",
        """
def last_layer_state(h_n, num_layers, bidirectional):
    return h_n[-1]  # right for one direction, only the backward half when bidirectional
""",
    )

    CASES = ((1, False), (3, False), (1, True), (2, True))

    def _check(self, last_layer_state) -> None:
        import torch

        if not callable(last_layer_state):
            raise Incorrect(
                "Give a function last_layer_state(h_n, num_layers, bidirectional); "
                f"you gave {answer_kind(last_layer_state)}."
            )
        B, T, F, H = 4, 6, 3, 5
        for layers, bidir in self.CASES:
            torch.manual_seed(layers + 10 * bidir)
            gru = torch.nn.GRU(F, H, num_layers=layers, bidirectional=bidir, batch_first=True)
            x = torch.randn(B, T, F)  # (B, T, F)
            with torch.no_grad():
                out, h_n = gru(x)  # out (B, T, D*H): the last layer at every step
                got = last_layer_state(h_n.clone(), layers, bidir)
            if is_blank(got):
                raise NotAttempted("Your function still returns ____.")
            # the forward direction ends at the last step, the backward direction at the first
            expected = torch.cat([out[:, -1, :H], out[:, 0, H:]], dim=-1) if bidir else out[:, -1]
            case = f"For a GRU with num_layers={layers}, bidirectional={bidir}"
            got = torch.as_tensor(got)
            if tuple(got.shape) != tuple(expected.shape):
                raise Incorrect(f"{case}: the result should have shape {tuple(expected.shape)} (B, D*H); yours has "
                                f"{tuple(got.shape)}. Remember h_n is (num_layers * num_directions, B, H).")
            if not torch.allclose(got, expected, atol=1e-6):
                if bidir and torch.allclose(got[:, :H], expected[:, H:], atol=1e-6):
                    raise Incorrect(f"{case}: forward and backward are swapped: direction 0 is forward.")
                raise Incorrect(f"{case}: your values are not the last layer's final states. "
                                "h_n[0] is the FIRST layer; the last layer is at the end.")


def _masked_reference(logits: np.ndarray, targets: np.ndarray, lengths: np.ndarray) -> tuple[float, np.ndarray]:
    z = logits - logits.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))  # (B, T, V)
    safe = np.where(targets >= 0, targets, 0)
    nll = -np.take_along_axis(log_p, safe[..., None], axis=-1)[..., 0]  # (B, T)
    mask = np.arange(logits.shape[1])[None, :] < lengths[:, None]  # (B, T)
    per_sequence = (nll * mask).sum(axis=1) / np.maximum(lengths, 1)
    return float((nll * mask).sum() / max(mask.sum(), 1)), per_sequence


def ragged_batch(lengths, V: int = 6, seed: int = 0, scale: float = 3.0):
    """A padded batch for exercise 5: logits (B, T_max, V), targets (B, T_max) and lengths (B,). Past each
    sequence's end the targets hold random ids and the logits are garbage (huge), as a model's outputs on
    padding are: a masked loss must not see them. Introduced in 01_sequential_data.ipynb."""
    rng = np.random.default_rng(seed)
    lengths = np.asarray(lengths, dtype=int)
    B, T = len(lengths), int(lengths.max())
    logits = scale * rng.standard_normal((B, T, V))
    targets = rng.integers(0, V, size=(B, T))
    pad = np.arange(T)[None, :] >= lengths[:, None]  # (B, T): True on the padding
    logits[pad] = rng.choice([-1e4, 1e4], size=(int(pad.sum()), V))
    return logits, targets, lengths


class MaskedLoss(Exercise):
    title = "Exercise 5 (assignment): the loss of a padded batch, padding left out"
    shapes = ("Here logits is (B, T_max, V), targets (B, T_max) and lengths (B,); a mask built from the lengths is "
              "(B, T_max): np.arange(T_max)[None, :] < lengths[:, None].")
    hints = (
        "Three steps: the log-probabilities log softmax(logits) over the last axis (subtract each row's maximum "
        "first, so that logits of 10⁴ do not overflow); pick the log-probability of each target with "
        "np.take_along_axis; a mask (B, T_max) that is True on the real steps only.",
        "The mean is over the real tokens: sum the masked negative log-probabilities and divide by the number of "
        "real tokens (not by B·T_max, and not the mean of the per-sequence means). The per-sequence losses divide "
        "each row's sum by its own length. Multiplying by the mask is not enough where the padding holds inf: "
        "select with np.where, or give the padded positions a harmless value before the softmax.",
    )
    solution_code = """
import numpy as np

def masked_loss(logits, targets, lengths):
    B, T, V = logits.shape
    mask = np.arange(T)[None, :] < lengths[:, None]                        # (B, T): True on real steps
    z = np.where(mask[..., None], logits, 0.0)                              # padding: harmless values
    z = z - z.max(axis=-1, keepdims=True)                                   # stable log-softmax
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))               # (B, T, V)
    nll = -np.take_along_axis(log_p, targets[..., None], axis=-1)[..., 0]   # (B, T)
    nll = np.where(mask, nll, 0.0)                                          # padding does not count
    return nll.sum() / mask.sum(), nll.sum(axis=1) / lengths                # per token; per sequence (B,)
"""
    mistakes = (
        mutate(solution_code,  # padding counted
               "return nll.sum() / mask.sum(), nll.sum(axis=1) / lengths",
               "return nll.sum() / (B * T), nll.sum(axis=1) / T"),
        mutate(solution_code,  # a mean of means
               "return nll.sum() / mask.sum(), nll.sum(axis=1) / lengths",
               "return (nll.sum(axis=1) / lengths).mean(), nll.sum(axis=1) / lengths"),
        mutate(solution_code,  # off by one
               "mask = np.arange(T)[None, :] < lengths[:, None]",
               "mask = np.arange(T)[None, :] < lengths[:, None] - 1"),
        """
import numpy as np

def masked_loss(logits, targets, lengths):
    B, T, V = logits.shape
    mask = np.arange(T)[None, :] < lengths[:, None]
    p = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)   # overflows on large logits
    nll = -np.log(np.take_along_axis(p, targets[..., None], axis=-1)[..., 0]) * mask
    return nll.sum() / mask.sum(), nll.sum(axis=1) / lengths
""",
    )

    def _check(self, masked_loss) -> None:
        expect_callable(masked_loss)
        cases = (([3, 5, 1, 4], 0), ([2, 2, 2], 1), ([7], 2), ([1, 6, 6, 2, 3], 3))
        for lengths, seed in cases:
            logits, targets, lengths = ragged_batch(lengths, seed=seed)
            with np.errstate(all="ignore"):
                result = masked_loss(logits.copy(), targets.copy(), lengths.copy())
            if is_blank(result):
                raise NotAttempted("masked_loss still returns ____.")
            if not isinstance(result, tuple | list) or len(result) != 2:
                raise Incorrect("masked_loss should return a pair (mean over real tokens, per-sequence losses (B,)); "
                                f"it returned {type(result).__name__}.")
            loss = as_array(result[0], "masked_loss's mean", shape=())
            per_seq = as_array(result[1], "masked_loss's per-sequence losses", shape=lengths.shape, meaning="(B,)")
            expected, expected_seq = _masked_reference(logits, targets, lengths)
            case = f"For lengths {lengths.tolist()}"
            if not np.all(np.isfinite(loss)) or not np.all(np.isfinite(per_seq)):
                raise Incorrect(f"{case} your loss is nan or inf: the padding holds huge logits (a model's outputs "
                                "there are anything), so exp overflows. Subtract each row's maximum before np.exp, "
                                "and keep the padded positions out of the softmax (np.where).")
            if np.allclose(loss, expected, rtol=1e-9, atol=1e-12) and np.allclose(per_seq, expected_seq, rtol=1e-9):
                continue
            if len(set(lengths.tolist())) > 1 and np.isclose(float(loss), expected_seq.mean(), rtol=1e-9):
                raise Incorrect(f"{case} your mean is the mean of the per-sequence losses: every sequence then "
                                "weighs the same, and a character of a short name counts more than one of a long "
                                "name. Average over the real tokens: total loss / number of real tokens.")
            shorter = _masked_reference(logits, targets, lengths - 1)
            if np.isclose(float(loss), shorter[0], rtol=1e-9) and not np.isclose(expected, shorter[0]):
                raise Incorrect(f"{case} your mask leaves out the last real step of every sequence: step t is real "
                                "when t < length.")
            if np.isclose(float(loss), expected * lengths.sum() / lengths.size / lengths.max(), rtol=1e-9):
                raise Incorrect(f"{case} your mean divides by B·T_max: the padded positions count in the "
                                "denominator. Divide by the number of real tokens.")
            if not np.allclose(per_seq, expected_seq, rtol=1e-9, atol=1e-12):
                raise Incorrect(f"{case} the per-sequence losses are not each sequence's mean over its own real "
                                "steps: padding must not count, and each row divides by its own length.")
            raise Incorrect(f"{case} your mean loss counts the padding or divides by the wrong number: only the "
                            "real tokens count, each once.")


ex1 = PaddedShape()
ex2 = WindowCount()
ex3 = ChronologicalSplit()
ex4 = LastLayerState()
ex5 = MaskedLoss()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5", "ragged_batch"]
