"""Tasks: shapes, dtypes, seeds, and labels correct by construction (recomputed from the inputs)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnn_helpers import tasks


# ------------------------------------------------------------------------------------------- adding
@pytest.mark.parametrize("variant", ["le2015", "hochreiter1997"])
def test_adding_shapes_dtypes_and_seed(variant):
    x, y = tasks.adding_problem(16, 40, variant=variant, seed=3)
    assert x.shape == (16, 40, 2) and y.shape == (16, 1)
    assert x.dtype == torch.float32 and y.dtype == torch.float32
    x2, y2 = tasks.adding_problem(16, 40, variant=variant, seed=3)
    assert torch.equal(x, x2) and torch.equal(y, y2)
    x3, _ = tasks.adding_problem(16, 40, variant=variant, seed=4)
    assert not torch.equal(x, x3)


def test_adding_le2015_target_is_sum_of_marked_values():
    x, y = tasks.adding_problem(500, 30, seed=0)
    values, markers = x[..., 0], x[..., 1]
    assert ((values >= 0) & (values <= 1)).all()
    assert (markers.sum(1) == 2).all() and set(markers.unique().tolist()) == {0.0, 1.0}
    torch.testing.assert_close((values * markers).sum(1, keepdim=True), y)


def test_adding_le2015_markers_anywhere_and_baseline():
    x, y = tasks.adding_problem(20000, 20, seed=1)
    positions = x[..., 1].nonzero()[:, 1]
    counts = np.bincount(positions.numpy(), minlength=20)
    assert counts.min() > 0.8 * counts.mean()  # uniform over all steps
    baseline = torch.mean((y - 1.0) ** 2).item()
    assert abs(baseline - tasks.ADDING_BASELINE_MSE) < 0.01


def test_adding_hochreiter1997_construction():
    T = 60
    x, y = tasks.adding_problem(2000, T, variant="hochreiter1997", seed=2)
    values, markers = x[..., 0], x[..., 1]
    assert ((values >= -1) & (values <= 1)).all()
    marked = (markers == 1.0).nonzero()
    rows, cols = marked[:, 0], marked[:, 1]
    assert torch.equal(torch.bincount(rows, minlength=2000), torch.full((2000,), 2))
    first, second = cols.view(-1, 2).min(1).values, cols.view(-1, 2).max(1).values
    assert first.max() < 10 + 1 and second.max() < T // 2  # X1 among the first ten; X2 in the first half
    expected = 0.5 + (values * (markers == 1.0)).sum(1, keepdim=True) / 4.0
    torch.testing.assert_close(expected, y)
    # first and last step carry the -1 marker unless marked
    assert (markers[:, -1] == -1.0).all()
    assert ((markers[:, 0] == -1.0) | (markers[:, 0] == 1.0)).all()
    # the X1 = 0 rule when the first step is marked
    assert (values[markers[:, 0] == 1.0, 0] == 0).all()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(n=0, T=10), ValueError, "n must be >= 1, got 0"),
        (dict(n=2.5, T=10), TypeError, "n must be an integer"),
        (dict(n=4, T=1), ValueError, r"T \(sequence length\) must be >= 2, got 1"),
        (dict(n=4, T=10, variant="hochreiter1997"), ValueError, r"must be >= 22, got 10"),
        (dict(n=4, T=10, variant="le"), ValueError, r"variant must be one of \['le2015', 'hochreiter1997'\]"),
        (dict(n=4, T=10, seed=-1), ValueError, "seed must be >= 0"),
        (dict(n=4, T="10"), TypeError, "T \\(sequence length\\) must be an integer, got str"),
    ],
)
def test_adding_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        tasks.adding_problem(**kwargs)


def test_seed_none_follows_numpy_global_seed():
    np.random.seed(5)
    a, _ = tasks.adding_problem(4, 10)
    b, _ = tasks.adding_problem(4, 10)
    np.random.seed(5)
    c, _ = tasks.adding_problem(4, 10)
    assert torch.equal(a, c) and not torch.equal(a, b)


# --------------------------------------------------------------------------------------- copy memory
def test_copy_memory_layout():
    T = 15
    x, y = tasks.copy_memory(64, T, seed=0)
    assert x.shape == (64, T + 20, 10) and y.shape == (64, T + 20)
    assert x.dtype == torch.float32 and y.dtype == torch.int64
    symbols = x.argmax(-1)
    assert torch.equal(x.sum(-1), torch.ones(64, T + 20))  # one-hot
    data = symbols[:, :10]
    assert ((data >= 1) & (data <= 8)).all()
    assert (symbols[:, 10 : T + 9] == 0).all() and (symbols[:, T + 9] == 9).all()
    assert (symbols[:, T + 10 :] == 0).all()
    assert (y[:, : T + 10] == 0).all() and torch.equal(y[:, -10:], data)


def test_copy_memory_baseline_matches_memoryless_strategy():
    T = 30
    _, y = tasks.copy_memory(4000, T, seed=1)
    # the memoryless strategy: blank with certainty for T + 10 steps, then uniform over the 8 data symbols
    probs = torch.zeros(T + 20, 10)
    probs[: T + 10, 0] = 1.0
    probs[T + 10 :, 1:9] = 1 / 8
    nll = -torch.log(probs[torch.arange(T + 20), y]).mean().item()
    assert nll == pytest.approx(tasks.copy_memory_baseline(T), rel=1e-6)
    assert tasks.copy_memory_baseline(T) == pytest.approx(10 * math.log(8) / (T + 20))


def test_copy_memory_bad_input():
    with pytest.raises(ValueError, match=r"T \(delay\) must be >= 1, got 0"):
        tasks.copy_memory(3, 0)


# ------------------------------------------------------------------------------------ temporal order
def test_temporal_order_labels_follow_x_y_order():
    x, y = tasks.temporal_order(500, seed=0)
    assert x.shape == (500, 100, 8) and y.shape == (500,) and y.dtype == torch.int64
    symbols = x.argmax(-1)
    E, B, X, Y = (tasks.TEMPORAL_ORDER_SYMBOLS.index(s) for s in "EBXY")
    assert (symbols[:, 0] == E).all() and (symbols[:, -1] == B).all()
    for seq, label in zip(symbols, y, strict=True):
        pos = ((seq == X) | (seq == Y)).nonzero().flatten()
        assert len(pos) == 2
        assert 9 <= pos[0] <= 19 and 49 <= pos[1] <= 59  # paper: t1 in 10-20, t2 in 50-60 (1-based)
        order = "".join("X" if seq[p] == X else "Y" for p in pos)
        assert tasks.TEMPORAL_ORDER_CLASSES[label] == {"XX": "Q", "XY": "R", "YX": "S", "YY": "U"}[order]
    assert set(y.tolist()) == {0, 1, 2, 3}


def test_temporal_order_bad_length():
    with pytest.raises(ValueError, match="length must be >= 20, got 5"):
        tasks.temporal_order(2, length=5)


# ------------------------------------------------------------------------------------------- Reber
def test_embedded_reber_strings_are_grammatical():
    strings = tasks.embedded_reber_strings(300, seed=0)
    assert all(tasks.is_embedded_reber(s) for s in strings)
    assert {s[1] for s in strings} == {"T", "P"}


@pytest.mark.parametrize("bad", ["BTBTXSETE"[:-1], "BTBTXSEPE", "BPBTXXEPE", "BTBTSSETE", "", "BTBPVVETEX"])
def test_is_embedded_reber_rejects(bad):
    assert not tasks.is_embedded_reber(bad)


def test_is_embedded_reber_type_error():
    with pytest.raises(TypeError, match="string must be a str, got int"):
        tasks.is_embedded_reber(5)


def test_embedded_reber_tensors():
    x, y, lengths = tasks.embedded_reber(50, seed=2)
    strings = tasks.embedded_reber_strings(50, seed=2)
    assert x.shape[0] == 50 and x.shape[2] == 7 and y.shape == x.shape
    for b, s in enumerate(strings):
        L = len(s) - 1
        assert lengths[b] == L
        decoded = "".join(tasks.REBER_SYMBOLS[i] for i in x[b, :L].argmax(-1))
        assert decoded == s[:-1]
        assert x[b, L:].abs().sum() == 0 and y[b, L:].abs().sum() == 0
        # the actual next symbol is always among the allowed ones
        nxt = torch.tensor([tasks.REBER_SYMBOLS.index(c) for c in s[1:]])
        assert (y[b, torch.arange(L), nxt] == 1).all()
        # the long-range step: only the branch symbol is allowed before the final E
        assert y[b, L - 2].sum() == 1 and y[b, L - 2, tasks.REBER_SYMBOLS.index(s[1])] == 1


# ------------------------------------------------------------------------------------- temporal XOR
def test_temporal_xor_every_third_bit_is_xor():
    x, y = tasks.temporal_xor(8, 30, seed=0)
    assert x.shape == (8, 30, 1) and y.shape == (8, 30, 1)
    torch.testing.assert_close(y[:, :-1], x[:, 1:])
    stream = torch.cat([x[:, :1, 0], y[:, :, 0]], dim=1).long()  # (8, 31)
    for k in range(0, 29, 3):
        assert torch.equal(stream[:, k + 2], stream[:, k] ^ stream[:, k + 1])
    # the predictable targets are those with t % 3 == 1: y[t] = x[t - 1] XOR x[t]
    t = torch.arange(1, 30, 3)
    assert torch.equal(y[:, t, 0].long(), x[:, t - 1, 0].long() ^ x[:, t, 0].long())


def test_temporal_xor_bad_length():
    with pytest.raises(ValueError, match="length must be >= 3, got 2"):
        tasks.temporal_xor(1, 2)


def test_every_task_docstring_names_the_notebooks_that_really_use_it():
    """"Introduced in NN_x.ipynb" is true: that notebook calls the function; "used by no chapter" is true too."""
    import inspect
    import json
    import re
    from pathlib import Path

    notebooks = {p.name: "".join("".join(c["source"]) for c in json.loads(p.read_text(encoding="utf-8"))["cells"]
                                 if c["cell_type"] == "code")
                 for p in (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")}
    for name, function in inspect.getmembers(tasks, inspect.isfunction):
        if name.startswith("_") or function.__module__ != tasks.__name__:
            continue
        doc = inspect.getdoc(function) or ""
        introduced = doc.split("Introduced in", 1)[-1] if "Introduced in" in doc else ""
        named = re.findall(r"(\d\d_[a-z0-9_]+\.ipynb)", introduced)
        users = {nb for nb, code in notebooks.items() if re.search(rf"\b{name}\(", code)}
        if "Used by no chapter" in doc:
            assert not users, f"{name}: says no chapter uses it, but {sorted(users)} do"
        else:
            assert named, f"{name}: the docstring names no notebook"
            for nb in named:
                if nb in notebooks:
                    assert nb in users, f"{name}: says {nb}, which does not call it"
