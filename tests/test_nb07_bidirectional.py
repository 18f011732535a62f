"""Chapter 07 (bidirectional and deep RNNs): the shifted-copy task, per-position accuracy, causal outputs and
re-reading sampling, the plots and the widget, the exercise checkers, and the claim the chapter rests on:
two scratch layers per layer, composed, equal torch's bidirectional and stacked modules."""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from test_exercises import run_solution

from rnn_helpers import scratch, tasks, viz, widgets
from rnn_helpers.exercises import INCORRECT, NOT_ATTEMPTED, ____, nb07
from rnn_helpers.models import SequenceModel, causal_outputs, sample_rereading


# ------------------------------------------------------------------------------------------ shifted_copy
def test_shifted_copy_shapes_dtypes_and_seed():
    x, y = tasks.shifted_copy(8, 12, 3, n_symbols=5, seed=0)
    assert x.shape == (8, 12, 5) and x.dtype == torch.float32
    assert y.shape == (8, 12) and y.dtype == torch.int64
    assert torch.equal(x.sum(-1), torch.ones(8, 12)), "one-hot inputs"
    x2, y2 = tasks.shifted_copy(8, 12, 3, n_symbols=5, seed=0)
    assert torch.equal(x, x2) and torch.equal(y, y2)
    x3, _ = tasks.shifted_copy(8, 12, 3, n_symbols=5, seed=1)
    assert not torch.equal(x, x3)


@pytest.mark.parametrize("k", [-4, -1, 0, 1, 2, 6])
def test_shifted_copy_labels_are_the_symbol_k_steps_away(k):
    T = 10
    x, y = tasks.shifted_copy(50, T, k, seed=3)
    symbols = x.argmax(-1)  # (50, T)
    for t in range(T):
        if 0 <= t + k < T:
            assert torch.equal(y[:, t], symbols[:, t + k])
        else:
            assert (y[:, t] == tasks.SHIFT_IGNORE).all()
    assert (y != tasks.SHIFT_IGNORE).sum(1).eq(T - abs(k)).all()


def test_shifted_copy_symbols_are_uniform_and_ignored_by_cross_entropy():
    x, y = tasks.shifted_copy(4000, 5, 1, n_symbols=4, seed=4)
    counts = torch.bincount(x.argmax(-1).flatten(), minlength=4).float()
    assert (counts / counts.mean() - 1).abs().max() < 0.05
    logits = torch.randn(4000, 5, 4)
    full = torch.nn.functional.cross_entropy(logits.reshape(-1, 4), y.reshape(-1))
    kept = y[:, :-1]
    manual = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, 4), kept.reshape(-1))
    torch.testing.assert_close(full, manual)


def test_shifted_copy_errors():
    with pytest.raises(ValueError, match=r"k \(shift\) must be <= 4, got 5"):
        tasks.shifted_copy(2, 5, 5)
    with pytest.raises(ValueError, match=r"k \(shift\) must be >= -4, got -5"):
        tasks.shifted_copy(2, 5, -5)
    with pytest.raises(TypeError, match=r"k \(shift\) must be an integer, got float"):
        tasks.shifted_copy(2, 5, 1.0)
    with pytest.raises(ValueError, match="n_symbols must be >= 2, got 1"):
        tasks.shifted_copy(2, 5, 1, n_symbols=1)
    with pytest.raises(ValueError, match=r"T \(sequence length\) must be >= 1, got 0"):
        tasks.shifted_copy(2, 0, 0)
    with pytest.raises(TypeError, match="n must be an integer, got bool"):
        tasks.shifted_copy(True, 5, 0)


# -------------------------------------------------------------------------------------- position_accuracy
def test_position_accuracy_matches_a_loop_and_marks_empty_positions():
    rng = np.random.default_rng(0)
    logits = torch.from_numpy(rng.normal(size=(30, 6, 4)))
    y = torch.from_numpy(rng.integers(0, 4, size=(30, 6)))
    y[:, -1] = tasks.SHIFT_IGNORE  # no answer at the last step
    y[:10, 2] = tasks.SHIFT_IGNORE  # a partly labelled step
    acc = tasks.position_accuracy(logits, y)
    assert acc.shape == (6,) and acc.dtype == np.float64 and np.isnan(acc[-1])
    for t in range(5):
        rows = [b for b in range(30) if y[b, t] != tasks.SHIFT_IGNORE]
        expected = np.mean([int(logits[b, t].argmax() == y[b, t]) for b in rows])
        assert acc[t] == pytest.approx(expected)


def test_position_accuracy_errors():
    logits, y = torch.zeros(2, 3, 4), torch.zeros(2, 3, dtype=torch.int64)
    with pytest.raises(TypeError, match="logits must be a torch.Tensor, got ndarray"):
        tasks.position_accuracy(logits.numpy(), y)
    with pytest.raises(ValueError, match=r"logits must be \(B, T, C\) and y \(B, T\).*\(2, 3, 4\) and \(3, 2\)"):
        tasks.position_accuracy(logits, y.T)
    with pytest.raises(TypeError, match="y must hold int64 class labels, got dtype torch.float32"):
        tasks.position_accuracy(logits, y.float())


# ----------------------------------------------------------------------------------------- causal_outputs
def _models(V=5, H=7):
    torch.manual_seed(0)
    uni = SequenceModel("lstm", V, H, V, readout="all")
    bi = SequenceModel("gru", V, H, V, readout="all", bidirectional=True)
    return uni, bi


def test_causal_outputs_equal_a_forward_model_and_differ_for_a_bidirectional_one():
    uni, bi = _models()
    x = torch.randn(3, 9, 5)
    with torch.no_grad():
        torch.testing.assert_close(causal_outputs(uni, x), uni(x), rtol=1e-5, atol=1e-6)
        full = bi(x)
    causal = causal_outputs(bi, x)
    assert causal.shape == (3, 9, 5)
    torch.testing.assert_close(causal[:, -1], full[:, -1])  # the last step has read everything either way
    assert (causal[:, :-1] - full[:, :-1]).abs().max() > 1e-3  # earlier steps lose the future
    for t in (0, 4):
        with torch.no_grad():
            torch.testing.assert_close(causal[:, t], bi(x[:, : t + 1])[:, -1])


def test_causal_outputs_errors():
    uni, _ = _models()
    with pytest.raises(TypeError, match="model must be a torch.nn.Module, got function"):
        causal_outputs(lambda x: x, torch.zeros(1, 2, 5))
    with pytest.raises(TypeError, match="x must be a torch.Tensor, got ndarray"):
        causal_outputs(uni, np.zeros((1, 2, 5)))
    with pytest.raises(ValueError, match=r"x must have shape \(batch, time, features\).*got \(2, 5\)"):
        causal_outputs(uni, torch.zeros(2, 5))
    last = SequenceModel("lstm", 5, 4, 3, readout="last")
    with pytest.raises(ValueError, match=r"one output per step.*got \(1, 3\).*readout='all'"):
        causal_outputs(last, torch.zeros(1, 2, 5))


# --------------------------------------------------------------------------------------- sample_rereading
def test_sample_rereading_repeats_under_a_generator_and_equals_a_manual_loop():
    uni, bi = _models()
    bi.train()
    a = sample_rereading(bi, [0, 1], 12, vocab_size=5, window=4, generator=torch.Generator().manual_seed(1))
    b = sample_rereading(bi, [0, 1], 12, vocab_size=5, window=4, generator=torch.Generator().manual_seed(1))
    assert a == b and len(a) == 12 and all(0 <= i < 5 for i in a)
    assert bi.training, "the model's mode is restored"
    # an independent loop: re-read the last 4 ids, softmax of the last step, one multinomial draw
    gen, ids = torch.Generator().manual_seed(1), [0, 1]
    bi.eval()
    with torch.no_grad():
        for _ in range(12):
            x = torch.nn.functional.one_hot(torch.tensor([ids[-4:]]), 5).float()
            ids.append(int(torch.multinomial(torch.softmax(bi(x)[0, -1], -1), 1, generator=gen)))
    assert ids[2:] == a
    assert sample_rereading(uni, [3], 0, vocab_size=5, window=3) == []


def test_sample_rereading_temperature_sharpens():
    uni, _ = _models()
    cold = sample_rereading(uni, [2], 30, vocab_size=5, window=5, temperature=1e-3,
                            generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        ids = [2]
        for _ in range(30):  # greedy decoding, the limit of a temperature -> 0
            x = torch.nn.functional.one_hot(torch.tensor([ids[-5:]]), 5).float()
            ids.append(int(uni(x)[0, -1].argmax()))
    assert cold == ids[1:]


def test_sample_rereading_errors():
    uni, _ = _models()
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        sample_rereading("model", [0], 3, vocab_size=5, window=2)
    with pytest.raises(ValueError, match=r"prefix_ids must be a non-empty sequence of ids in \[0, 4\], got \[7\]"):
        sample_rereading(uni, [7], 3, vocab_size=5, window=2)
    with pytest.raises(ValueError, match=r"prefix_ids must be a non-empty sequence.*got \[\]"):
        sample_rereading(uni, [], 3, vocab_size=5, window=2)
    with pytest.raises(ValueError, match="window must be >= 1, got 0"):
        sample_rereading(uni, [0], 3, vocab_size=5, window=0)
    with pytest.raises(ValueError, match="temperature must be > 0.0, got 0.0"):
        sample_rereading(uni, [0], 3, vocab_size=5, window=2, temperature=0.0)
    with pytest.raises(ValueError, match="vocab_size must be >= 2, got 1"):
        sample_rereading(uni, [0], 3, vocab_size=1, window=2)


# ------------------------------------------------------------------------- the chapter's claim: composition
def _compose(module, cls, x: np.ndarray):
    """Run every layer and direction of ``module`` as scratch layers; return (out, h_n) as torch lays them out."""
    layer_input, finals = x, []
    directions = [False, True] if module.bidirectional else [False]
    for layer in range(module.num_layers):
        outs = []
        for reverse in directions:
            cell = cls.from_torch(module, layer=layer, reverse=reverse if module.bidirectional else None)
            out, state = cell.forward(layer_input)
            outs.append(out)
            finals.append(state[0] if isinstance(state, tuple) else state)
        layer_input = np.concatenate(outs, axis=-1)  # (B, T, D·H)
    return layer_input, np.stack(finals)  # (B, T, D·H), (L·D, B, H)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("num_layers, bidirectional", [(1, True), (2, False), (3, True)])
def test_composed_scratch_layers_equal_torch(name, num_layers, bidirectional):
    torch.manual_seed(2)
    module = getattr(torch.nn, name)(3, 4, num_layers=num_layers, bidirectional=bidirectional, batch_first=True,
                                     dtype=torch.float64)
    x = torch.randn(2, 6, 3, dtype=torch.float64)
    with torch.no_grad():
        out, h_n = module(x)
    h_n = h_n[0] if isinstance(h_n, tuple) else h_n
    ours_out, ours_h = _compose(module, getattr(scratch, name), x.numpy())
    torch.testing.assert_close(torch.from_numpy(ours_out), out, rtol=0, atol=1e-10)
    torch.testing.assert_close(torch.from_numpy(ours_h), h_n, rtol=0, atol=1e-10)
    if bidirectional:
        torch.testing.assert_close(h_n[-2], out[:, -1, :4])
        torch.testing.assert_close(h_n[-1], out[:, 0, 4:])


# ---------------------------------------------------------------------------------------- plots and widget
def test_plot_position_accuracy_draws_one_line_per_model_and_chance():
    curves = {"forward": np.array([np.nan, 0.25, 0.3]), "bidirectional": torch.tensor([np.nan, 1.0, 0.9])}
    ax = viz.plot_position_accuracy(curves, k=-1, chance=0.25)
    assert len(ax.lines) == 3 and "x_(t-1)" in ax.get_title() and "1 step back" in ax.get_title()
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [np.nan, 1.0, 0.9])
    _, ax2 = plt.subplots()
    assert viz.plot_position_accuracy({"a": np.ones(4)}, k=2, ax=ax2) is ax2
    assert "2 steps ahead" in ax2.get_title() and ax2.get_xlim() == (-0.5, 3.5)


def test_plot_position_accuracy_errors():
    with pytest.raises(TypeError, match="accuracies must be a non-empty dict"):
        viz.plot_position_accuracy({})
    with pytest.raises(ValueError, match="same length T"):
        viz.plot_position_accuracy({"a": np.ones(3), "b": np.ones(4)})
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        viz.plot_position_accuracy({"a": np.ones(3)}, ax="axes")


def test_plot_shift_sweep_and_its_errors():
    ax = viz.plot_shift_sweep([-1, 0, 2], {"f": [1.0, 1.0, 0.25], "b": [1.0, 1.0, 1.0]}, chance=0.25)
    assert len(ax.lines) == 3 and list(ax.get_xticks()) == [-1, 0, 2]
    with pytest.raises(ValueError, match=r"one entry per shift \(3\), got 2"):
        viz.plot_shift_sweep([-1, 0, 2], {"f": [1.0, 1.0]})
    with pytest.raises(ValueError, match="ks must be a non-empty 1-D list"):
        viz.plot_shift_sweep([], {"f": []})


def test_plot_dependence_masks_exact_zeros():
    dep = np.tril(np.arange(1.0, 17.0).reshape(4, 4))
    ax = viz.plot_dependence(dep)
    shown = ax.images[0].get_array()
    assert shown.mask[0, 1] and not shown.mask[1, 0]
    with pytest.raises(ValueError, match=r"dependence must be a square \(T, T\) array, got shape \(2, 3\)"):
        viz.plot_dependence(np.ones((2, 3)))


def test_shift_explorer_wiring():
    results = {k: {"forward": np.full(5, 0.25), "bidirectional": np.ones(5)} for k in (2, -1, 0)}
    w = widgets.shift_explorer(results, chance=0.25)
    assert isinstance(w, ipywidgets.VBox)
    slider = w.children[0]
    assert list(slider.options) == [-1, 0, 2] and slider.value == 0
    slider.value = 2  # redraws without error
    ax = viz.plot_position_accuracy(results[slider.value], k=slider.value, chance=0.25)
    assert "2 steps ahead" in ax.get_title()


def test_shift_explorer_errors():
    with pytest.raises(TypeError, match="results must be a non-empty dict"):
        widgets.shift_explorer({})
    with pytest.raises(TypeError, match="each shift k must be an integer, got str"):
        widgets.shift_explorer({"1": {"a": np.ones(3)}})
    with pytest.raises(ValueError, match="same length T"):
        widgets.shift_explorer({1: {"a": np.ones(3), "b": np.ones(2)}})


# -------------------------------------------------------------------------------------------- exercises
@pytest.mark.parametrize("exercise", [nb07.ex1, nb07.ex2, nb07.ex3, nb07.ex4])
def test_nb07_reference_solutions_pass(exercise):
    assert exercise.check(run_solution(exercise)).correct
    assert exercise.check(____).status == NOT_ATTEMPTED


def test_nb07_ex1_rejects_swapped_or_time_split_halves():
    swapped = nb07.ex1.check(lambda out, H: (out[..., H:], out[..., :H]))
    assert swapped.status == INCORRECT and "swapped" in swapped.message
    by_time = nb07.ex1.check(lambda out, H: (out[:, :3], out[:, 3:]))
    assert by_time.status == INCORRECT and "Split the last axis" in by_time.message
    assert nb07.ex1.check(lambda out, H: ____).status == NOT_ATTEMPTED


def test_nb07_ex2_rejects_direction_first_order():
    wrong = nb07.ex2.check(lambda layer, direction, n: direction * 3 + layer)
    assert wrong.status == INCORRECT and "layer first" in wrong.message
    assert nb07.ex2.check(lambda layer, direction, n: layer + direction).status == INCORRECT
    assert nb07.ex2.check(lambda layer, direction, n: np.int64(layer * n + direction)).correct


def test_nb07_ex3_names_the_usual_mistakes():
    module = torch.nn.LSTM(10, 20, num_layers=2, bidirectional=True)
    assert nb07.ex3.check(sum(p.numel() for p in module.parameters())).correct
    messages = {answer: nb07.ex3.check(answer).message for answer in (11840, 14720, 7520, 3)}
    assert "2H = 40" in messages[11840]
    assert "b_ih and b_hh" in messages[14720]
    assert "one direction" in messages[7520]
    assert "Not quite" in messages[3]
    assert nb07.ex3.check("15040").status == INCORRECT


def _padded_summary(run="packed", last_from="h_n", mean_over="lengths", enforce_sorted=False):
    """A learner's padded_summary with one of the usual slips."""
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    def padded_summary(gru, x, lengths):
        B, T, _ = x.shape
        H = gru.hidden_size
        if run == "packed":
            packed, h_n = gru(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=enforce_sorted))
            out, _ = pad_packed_sequence(packed, batch_first=True, total_length=T)
        else:
            out, h_n = gru(x)
        rows = torch.arange(B)
        last = {
            "h_n": lambda: torch.cat([h_n[0], h_n[1]], -1),
            "h_n_swapped": lambda: torch.cat([h_n[1], h_n[0]], -1),
            "last_step": lambda: out[:, -1],
            "by_length": lambda: torch.cat([out[rows, lengths - 1, :H], out[:, 0, H:]], -1),
            "T_minus_1": lambda: torch.cat([out[:, -1, :H], out[:, 0, H:]], -1),
        }[last_from]()
        mask = (torch.arange(T)[None] < lengths[:, None]).to(out.dtype)[..., None]
        mean = {"lengths": lambda: (out * mask).sum(1) / lengths[:, None], "T": lambda: (out * mask).sum(1) / T,
                "all": lambda: out.mean(1)}[mean_over]()
        return last, mean

    return padded_summary


def _incorrect(answer):
    verdict = nb07.ex4.check(answer)
    assert verdict.status == INCORRECT, verdict
    return verdict.message


def test_nb07_ex4_padded_summary_rejects_known_mistakes():
    assert nb07.ex4.check(_padded_summary()).correct
    assert "read the padding" in _incorrect(_padded_summary(run="unpacked", last_from="last_step"))
    assert "started on the padding" in _incorrect(_padded_summary(run="unpacked", last_from="by_length"))
    assert "last padded step T-1" in _incorrect(_padded_summary(last_from="T_minus_1"))
    assert "wrong order" in _incorrect(_padded_summary(last_from="h_n_swapped"))
    assert "divides by T" in _incorrect(_padded_summary(mean_over="T"))
    def with_mean_of(**slip):
        right, wrong = _padded_summary(), _padded_summary(**slip)
        return lambda g, x, n: (right(g, x, n)[0], wrong(g, x, n)[1])

    assert "unpacked run" in _incorrect(with_mean_of(run="unpacked"))
    assert "counts the padded steps" in _incorrect(with_mean_of(run="unpacked", mean_over="all"))
    sorted_only = _incorrect(_padded_summary(enforce_sorted=True))  # torch refuses unsorted lengths
    assert "enforce_sorted" in sorted_only
    assert "shape (B, 2H)" in _incorrect(lambda g, x, n: (g(x)[0][:, -1, :3], g(x)[0][:, -1]))
    assert "pair" in _incorrect(lambda g, x, n: g(x)[0])
    assert nb07.ex4.check(lambda g, x, n: (____, ____)).status == NOT_ATTEMPTED


def test_nb07_ex4_truth_is_each_sequence_alone():
    """The checker's reference is each sequence run alone, unpadded; the padding really changes the unpacked run."""
    gru, x, lengths, last, mean = nb07.ragged_batch()
    with torch.no_grad():
        out_unpacked, _ = gru(x)
    assert not torch.allclose(out_unpacked[:, -1], last)
    b = int(torch.argmin(lengths))
    with torch.no_grad():
        alone, h_n = gru(x[b:b + 1, : int(lengths[b])])
    torch.testing.assert_close(last[b], torch.cat([h_n[0, 0], h_n[1, 0]]))
    torch.testing.assert_close(mean[b], alone[0].mean(0))
