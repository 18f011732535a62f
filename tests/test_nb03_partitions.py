"""Tests of rnn_helpers.datasets.partitions: sequential and random partitioning, offsets, random chunk lengths."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_helpers import datasets


def test_stream_rows_are_contiguous_stretches():
    ids = np.arange(103)
    rows = datasets.stream_rows(ids, 4, offset=3)
    assert rows.shape == (4, 25) and rows.dtype == np.int64
    assert rows[0, 0] == 3 and np.all(np.diff(rows, axis=1) == 1)
    assert np.all(rows[1:, 0] == rows[:-1, -1] + 1), "row i + 1 continues where row i ends"


def test_sequential_rows_continue_across_batches():
    ids = np.arange(1000)  # a token is its own position
    X, Y = datasets.sequential_batches(ids, 8, 5, offset=2)
    n = (1000 - 2) // 8
    assert X.shape == Y.shape == (((n - 1) // 5), 8, 5)
    assert np.array_equal(Y, X + 1), "every target is the next token"
    assert np.all(X[1:, :, 0] == X[:-1, :, -1] + 1), "row i of batch k + 1 continues row i of batch k"
    assert X[0, 0, 0] == 2 and np.all(X[0, :, 0] == 2 + np.arange(8) * n)


def test_sequential_uses_each_token_once_per_pass():
    ids = np.arange(500)
    X, _ = datasets.sequential_batches(ids, 4, 6)
    assert len(np.unique(X)) == X.size


def test_random_batches_cover_chunks_once_in_a_shuffled_order():
    ids = np.arange(1001)
    X, Y = datasets.random_batches(ids, 4, 10, offset=3, seed=0)
    assert X.shape == ((1001 - 3 - 1) // 10 // 4, 4, 10)
    assert np.array_equal(Y, X + 1)
    starts = X[:, :, 0].ravel()
    assert np.all((starts - 3) % 10 == 0), "chunks start at offset + j * num_steps"
    assert len(set(starts.tolist())) == starts.size, "no chunk twice"
    assert not np.all(np.diff(starts) > 0), "shuffled, not in text order"
    continues = X[1:, :, 0] == X[:-1, :, -1] + 1
    assert continues.mean() < 0.1, "row i of batch k + 1 rarely continues row i of batch k"


def test_random_batches_repeat_under_a_seed_and_differ_across_seeds():
    ids = np.arange(2000)
    a, _ = datasets.random_batches(ids, 4, 10, seed=1)
    b, _ = datasets.random_batches(ids, 4, 10, seed=1)
    c, _ = datasets.random_batches(ids, 4, 10, seed=2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_offsets_move_the_chunk_boundaries():
    ids = np.arange(2000)
    firsts = [set(datasets.sequential_batches(ids, 1, 8, offset=o)[0][:, 0, 0].tolist()) for o in (0, 3)]
    assert not firsts[0] & firsts[1]


@pytest.mark.parametrize("mean", [1, 4, 32.5])
def test_random_chunk_lengths_sum_to_total_with_the_mean(mean):
    lengths = datasets.random_chunk_lengths(20_000, mean, seed=0)
    assert lengths.dtype == np.int64 and lengths.min() >= 1 and lengths.sum() == 20_000
    assert abs(lengths[:-1].mean() - mean) < 0.1 * mean + 0.01
    if mean > 1:
        assert len(set(lengths.tolist())) > 3, "the lengths vary"


def test_random_chunk_lengths_small_total():
    assert datasets.random_chunk_lengths(1, 10, seed=0).tolist() == [1]
    assert datasets.random_chunk_lengths(3, 1, seed=0).tolist() == [1, 1, 1]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: datasets.sequential_batches(np.arange(10.0), 2, 2), TypeError, "integers"),
        (lambda: datasets.sequential_batches(np.arange(20).reshape(4, 5), 2, 2), ValueError, "ids"),
        (lambda: datasets.sequential_batches(np.arange(20), 0, 2), ValueError, "batch_size"),
        (lambda: datasets.sequential_batches(np.arange(20), 2.0, 2), TypeError, "batch_size"),
        (lambda: datasets.sequential_batches(np.arange(20), 2, 0), ValueError, "num_steps"),
        (lambda: datasets.sequential_batches(np.arange(20), 2, 4, offset=4), ValueError, "offset"),
        (lambda: datasets.sequential_batches(np.arange(20), 2, 4, offset=-1), ValueError, "offset"),
        (lambda: datasets.sequential_batches(np.arange(20), 2, 10), ValueError, "num_steps=10"),
        (lambda: datasets.stream_rows(np.arange(3), 2), ValueError, "at least"),
        (lambda: datasets.random_batches(np.arange(20), 4, 5), ValueError, "at least"),
        (lambda: datasets.random_batches(np.arange(20), 2, 2, seed=-1), ValueError, "seed"),
        (lambda: datasets.random_batches(np.arange(20), 2, 2, seed="a"), TypeError, "seed"),
        (lambda: datasets.random_chunk_lengths(0, 4), ValueError, "total"),
        (lambda: datasets.random_chunk_lengths(10, 0.5), ValueError, "mean_length"),
        (lambda: datasets.random_chunk_lengths(10, "4"), TypeError, "mean_length"),
    ],
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error, match=words):
        call()
