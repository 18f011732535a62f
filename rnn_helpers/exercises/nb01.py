"""Exercises of 01_sequential_data.ipynb: the shape of a padded batch, how many windows a series gives, a
chronological split by hand, and reading the last layer out of ``h_n``."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, NotAttempted, ____, expect_equal, is_blank


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


ex1 = PaddedShape()
ex2 = WindowCount()
ex3 = ChronologicalSplit()
ex4 = LastLayerState()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4"]
