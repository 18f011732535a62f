"""Minibatches of one long text for truncated BPTT: sequential and random partitioning, random offsets, and
chunks of random length.

A long stream of token ids is read in chunks of ``num_steps``; a minibatch holds ``batch_size`` chunks.
There are two ways to choose them (Zhang et al., *Dive into Deep Learning*, section 9.3):

- **sequential partitioning** (``sequential_batches``): the text is cut into ``batch_size`` contiguous
  stretches, one per row (``stream_rows``), and batch ``k`` holds chunk ``k`` of every stretch, so row ``i`` of
  batch ``k + 1`` continues row ``i`` of batch ``k``: the hidden state can be carried from batch to batch
  (detached between them);
- **random partitioning** (``random_batches``): the text is cut into chunks side by side, the chunks are
  shuffled, and each batch takes ``batch_size`` of them; neighbouring batches hold unrelated pieces of text, so
  the state must be reset at every batch.

Both start at an ``offset`` (the first ``offset`` tokens are skipped); drawing a new offset in
``[0, num_steps)`` for every pass over the text moves the chunk boundaries, so a token is not always the first
of its chunk. ``random_chunk_lengths`` draws chunk lengths at random (geometric, a cut after every token with
probability ``1 / mean_length``), the cut points of Tallec & Ollivier's (2017) randomised truncation; their
reweighting of the gradient, which makes the truncated gradient unbiased, is not part of it.

All arrays are numpy int64. Introduced in 03_vanilla_rnn.ipynb.
"""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import check_array, check_float, check_int, make_rng


def _check_stream(ids) -> np.ndarray:
    ids = check_array("ids", ids, ndim=1)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must hold integers (token ids), got dtype {ids.dtype}")
    return ids.astype(np.int64)


def _check_offset(offset, num_steps: int | None) -> int:
    high = None if num_steps is None else num_steps - 1
    return check_int("offset", offset, low=0, high=high)


def stream_rows(ids, batch_size, *, offset=0) -> np.ndarray:
    """The text as ``batch_size`` contiguous stretches, one per row: the layout of sequential partitioning.

    Row ``i`` is ``ids[offset + i * n : offset + (i + 1) * n]`` with ``n = (len(ids) - offset) // batch_size``;
    the tokens past ``batch_size * n`` are left out.

    Args:
        ids: int array ``(N,)`` of token ids.
        batch_size: the number of rows ``B``.
        offset: tokens skipped at the start (an integer >= 0).

    Returns:
        int64 array ``(B, n)``.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    ids = _check_stream(ids)
    batch_size = check_int("batch_size", batch_size, low=1)
    offset = _check_offset(offset, None)
    n = (len(ids) - offset) // batch_size
    if n < 2:
        raise ValueError(
            f"ids has {len(ids)} tokens: after an offset of {offset}, {batch_size} rows need at least "
            f"{2 * batch_size + offset} tokens (two per row, an input and its target)"
        )
    return ids[offset : offset + batch_size * n].reshape(batch_size, n)  # (B, n)


def sequential_batches(ids, batch_size, num_steps, *, offset=0) -> tuple[np.ndarray, np.ndarray]:
    """Sequential partitioning: batch ``k`` holds chunk ``k`` of each of ``batch_size`` contiguous stretches.

    With ``R = stream_rows(ids, batch_size, offset=offset)``, ``X[k, i] = R[i, k * L : (k + 1) * L]`` and
    ``Y[k, i] = R[i, k * L + 1 : (k + 1) * L + 1]`` (``L = num_steps``): the target of every token is the token
    after it, and row ``i`` of batch ``k + 1`` starts where row ``i`` of batch ``k`` ended, so the state that
    batch ``k`` ends in is the right state to start batch ``k + 1`` from.

    Args:
        ids: int array ``(N,)``.
        batch_size: rows per batch ``B``.
        num_steps: tokens per chunk ``L``.
        offset: tokens skipped at the start, in ``[0, num_steps)``; draw a new one every pass over the text.

    Returns:
        ``X, Y``: int64 arrays ``(K, B, L)``, ``K = (n - 1) // L`` batches (``n`` tokens per row).

    Introduced in 03_vanilla_rnn.ipynb.
    """
    num_steps = check_int("num_steps", num_steps, low=1)
    offset = _check_offset(offset, num_steps)
    rows = stream_rows(ids, batch_size, offset=offset)  # (B, n)
    n_batches = (rows.shape[1] - 1) // num_steps
    if n_batches < 1:
        raise ValueError(
            f"each of the {rows.shape[0]} rows has {rows.shape[1]} tokens; num_steps={num_steps} needs at least "
            f"{num_steps + 1}: use a smaller batch_size or num_steps"
        )
    cols = np.arange(n_batches)[:, None] * num_steps + np.arange(num_steps)  # (K, L)
    X = rows[:, cols].transpose(1, 0, 2)  # (K, B, L)
    Y = rows[:, cols + 1].transpose(1, 0, 2)  # (K, B, L)
    return np.ascontiguousarray(X), np.ascontiguousarray(Y)


def random_batches(ids, batch_size, num_steps, *, offset=0, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Random partitioning: chunks of ``num_steps`` tokens side by side, shuffled, ``batch_size`` per batch.

    The chunks start at ``offset + j * L`` (``L = num_steps``), every chunk is used at most once per call, and
    their order is a random permutation drawn from ``seed``; chunks that do not fill a last batch are left
    out. Neighbouring batches hold unrelated pieces of the text: start every batch from a fresh state.

    Args:
        ids: int array ``(N,)``.
        batch_size: chunks per batch ``B``.
        num_steps: tokens per chunk ``L``.
        offset: tokens skipped at the start, in ``[0, num_steps)``.
        seed: the shuffle's seed (an integer, or ``None`` for numpy's global generator).

    Returns:
        ``X, Y``: int64 arrays ``(K, B, L)``; ``Y`` is ``X`` shifted one token ahead.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    ids = _check_stream(ids)
    batch_size = check_int("batch_size", batch_size, low=1)
    num_steps = check_int("num_steps", num_steps, low=1)
    offset = _check_offset(offset, num_steps)
    rng = make_rng(seed)
    n_chunks = (len(ids) - offset - 1) // num_steps
    n_batches = n_chunks // batch_size
    if n_batches < 1:
        raise ValueError(
            f"ids has {len(ids)} tokens: {batch_size} chunks of {num_steps} after an offset of {offset} need at "
            f"least {offset + batch_size * num_steps + 1}"
        )
    starts = offset + rng.permutation(n_chunks)[: n_batches * batch_size] * num_steps  # (K·B,)
    index = starts.reshape(n_batches, batch_size)[:, :, None] + np.arange(num_steps)  # (K, B, L)
    return ids[index], ids[index + 1]


def random_chunk_lengths(total, mean_length, *, seed=None) -> np.ndarray:
    """Chunk lengths for randomised truncation: a cut after every token with probability ``1 / mean_length``.

    The lengths are geometric with mean ``mean_length`` (Tallec & Ollivier 2017 draw the truncation points
    this way); they are drawn until they cover ``total`` tokens, and the last one is shortened so that the
    lengths sum to ``total`` exactly.

    Args:
        total: the number of tokens to cover (an integer >= 1), e.g. the columns of ``stream_rows`` minus one.
        mean_length: the mean chunk length (a number >= 1).
        seed: an integer, or ``None`` for numpy's global generator.

    Returns:
        int64 array of lengths, each >= 1, summing to ``total``.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    total = check_int("total", total, low=1)
    mean_length = check_float("mean_length", mean_length, low=1.0)
    rng = make_rng(seed)
    lengths: list[int] = []
    covered = 0
    while covered < total:
        draw = rng.geometric(1.0 / mean_length, size=max(16, int(2 * (total - covered) / mean_length)))
        for length in draw.tolist():
            length = min(length, total - covered)
            lengths.append(length)
            covered += length
            if covered == total:
                break
    return np.asarray(lengths, dtype=np.int64)
