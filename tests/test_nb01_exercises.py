"""The exercises of 01_sequential_data.ipynb accept the reference solutions (checked against the course's own
helpers, not against typed numbers) and reject known wrong answers with a message that says what is wrong."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from test_exercises import run_solution

from rnn_helpers import datasets as ds
from rnn_helpers.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED, ____, nb01


def test_reference_solutions_are_correct():
    for exercise in (nb01.ex1, nb01.ex2, nb01.ex3, nb01.ex4):
        verdict = exercise.check(run_solution(exercise))
        assert verdict.status == CORRECT, (exercise.title, verdict.message)
        assert exercise.check(____).status == NOT_ATTEMPTED


def test_ex1_matches_pad_sequences_and_rejects_time_first():
    vocab = ds.Vocabulary.from_text(ds.load_names("first"), pad_token=".")
    padded, _, _ = ds.pad_sequences([vocab.encode(n) for n in ["jo", "anna", "elizabeth"]], pad_value=vocab.pad_id)
    one_hot = np.eye(len(vocab))[padded]  # (B, T_max, V)
    assert nb01.ex1.check(one_hot.shape).correct
    assert nb01.ex1.check(list(one_hot.shape)).correct
    for wrong, words in [((9, 3, 27), "time first"), ((3, 4, 27), "LONGEST"), ((3, 9, 26), "padding symbol included"),
                         ((3, 9), "three numbers"), ("3, 9, 27", "three numbers"),
                         ((4, 9, 27), "not right: yours is (4, 9, 27)")]:
        verdict = nb01.ex1.check(wrong)
        assert verdict.status == INCORRECT and words in verdict.message, (wrong, verdict.message)


def test_ex2_matches_sliding_windows():
    X, _ = ds.sliding_windows(ds.load_seattle_weather().values, 30, horizon=7, stride=7)
    assert nb01.ex2.check(len(X)).correct and nb01.ex2.check(np.int64(len(X))).correct
    for wrong, words in [(1425, "stride 1"), (1461 // 7, "horizon"), ((1461 - 30) // 7 + 1, "horizon"),
                         (203, "a little too small"), (204.0, "whole number"), (True, "whole number")]:
        verdict = nb01.ex2.check(wrong)
        assert verdict.status == INCORRECT and words in verdict.message, (wrong, verdict.message)


def test_ex3_agrees_with_chronological_split_and_rejects_shuffles_and_bad_rounding():
    def by_helper(series, train_frac, val_frac):
        return ds.chronological_split(series, train=train_frac, val=val_frac)

    assert nb01.ex3.check(by_helper).correct

    def shuffled(series, train_frac, val_frac):
        perm = np.random.default_rng(0).permutation(len(series))
        return by_helper(series[perm], train_frac, val_frac)

    def floor_cuts(series, train_frac, val_frac):
        T = len(series)
        a, b = int(T * train_frac), int(T * (train_frac + val_frac))
        return series[:a], series[a:b], series[b:]

    def loses_a_step(series, train_frac, val_frac):
        train, val, test = by_helper(series, train_frac, val_frac)
        return train, val, test[1:]

    def flattened(series, train_frac, val_frac):
        return tuple(p.ravel() for p in by_helper(series, train_frac, val_frac))

    for wrong, words in [(shuffled, "not in time order"), (floor_cuts, "round()"), (loses_a_step, "every time step"),
                         (flattened, "time axis only"), (lambda s, a, b: s, "three arrays"), (42, "a function"),
                         (lambda s, a, b: 1 / 0, "ZeroDivisionError")]:
        verdict = nb01.ex3.check(wrong)
        assert verdict.status == INCORRECT and words in verdict.message, (words, verdict.message)
    assert nb01.ex3.check(lambda s, a, b: ____).status == NOT_ATTEMPTED


def test_ex4_reads_the_last_layer_and_rejects_common_mistakes():
    def first_layer(h_n, num_layers, bidirectional):
        D = 2 if bidirectional else 1
        return torch.cat([h_n[d] for d in range(D)], dim=-1)

    def last_row(h_n, num_layers, bidirectional):
        return h_n[-1]

    def swapped(h_n, num_layers, bidirectional):
        return torch.cat([h_n[-1], h_n[-2]], dim=-1) if bidirectional else h_n[-1]

    def batch_first_reshape(h_n, num_layers, bidirectional):
        return h_n.reshape(h_n.shape[1], -1)

    for wrong, words in [(first_layer, "FIRST layer"), (last_row, "shape"), (swapped, "swapped"),
                         (batch_first_reshape, "shape"), ("h_n[-1]", "a function")]:
        verdict = nb01.ex4.check(wrong)
        assert verdict.status == INCORRECT and words in verdict.message, (words, verdict.message)
    assert nb01.ex4.check(lambda h, L, b: ____).status == NOT_ATTEMPTED


def test_ex4_solution_equals_a_direct_computation_on_an_lstm():
    solution = run_solution(nb01.ex4)
    lstm = torch.nn.LSTM(3, 4, num_layers=3, bidirectional=True, batch_first=True)
    out, (h_n, _) = lstm(torch.randn(2, 5, 3))
    torch.testing.assert_close(solution(h_n, 3, True), torch.cat([out[:, -1, :4], out[:, 0, 4:]], dim=-1))


@pytest.mark.parametrize("exercise", [nb01.ex1, nb01.ex2, nb01.ex3, nb01.ex4])
def test_hints_and_solutions_exist(exercise):
    assert len(exercise.hints) >= 2 and "Hint (hint 1 of" in str(exercise.hint_text())
    assert "```python" in str(exercise.solution_text())


def test_masked_loss_is_torchs_ignore_index_and_names_the_mistake():
    import torch

    e = nb01.ex5
    masked_loss = e.reference()
    for lengths, seed in (([3, 5, 1, 4], 0), ([2, 2], 1), ([6], 2)):
        logits, targets, lengths = nb01.ragged_batch(lengths, seed=seed)
        ignored = torch.tensor(targets)
        ignored[torch.arange(targets.shape[1])[None, :] >= torch.tensor(lengths)[:, None]] = -100
        expected = torch.nn.functional.cross_entropy(torch.tensor(logits).transpose(1, 2), ignored)
        mean, per_sequence = masked_loss(logits, targets, lengths)
        assert abs(mean - expected.item()) < 1e-10
        assert per_sequence.shape == lengths.shape
    assert e.check(masked_loss).correct
    messages = [e.check(w).message for w in e.wrong_answers()]
    assert "divides by B·T_max" in messages[0]
    assert "mean of the per-sequence losses" in messages[1]
    assert "leaves out the last real step" in messages[2]
    assert "nan or inf" in messages[3]
    assert "pair" in e.check(lambda lo, t, le: 1.0).message
    assert "(B,)" in e.check(lambda lo, t, le: (1.0, np.zeros(2))).message


def test_ragged_batch_puts_garbage_only_on_the_padding():
    logits, targets, lengths = nb01.ragged_batch([2, 4], V=3, seed=0)
    assert logits.shape == (2, 4, 3) and targets.shape == (2, 4) and lengths.tolist() == [2, 4]
    assert np.abs(logits[0, 2:]).min() == 1e4 and np.abs(logits[0, :2]).max() < 100 and np.abs(logits[1]).max() < 100
