"""Batches of sequences of different lengths: padding and packing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from rnn_helpers._checks import as_float32_or_int64, check_float, check_int, describe


class PaddedBatch(NamedTuple):
    """Sequences of different lengths in one array.

    ``padded``: ``(B, T_max)`` or ``(B, T_max, F)``; ``lengths``: int64 ``(B,)``; ``mask``: bool
    ``(B, T_max)``, ``True`` at real steps and ``False`` at padding.

    Introduced in 01_sequential_data.ipynb.
    """

    padded: np.ndarray
    lengths: np.ndarray
    mask: np.ndarray


def pad_sequences(sequences, *, pad_value=0) -> PaddedBatch:
    """Stack sequences of different lengths into one batch-first array, padding at the end.

    Args:
        sequences: a list of B sequences, each ``(T_i,)`` or each ``(T_i, F)`` (numpy arrays, lists or
            torch tensors), with ``T_i >= 1``.
        pad_value: value put after the end of each shorter sequence (use ``vocab.pad_id`` for token ids).

    Returns:
        ``PaddedBatch(padded, lengths, mask)``: ``padded`` is ``(B, T_max)`` or ``(B, T_max, F)``, int64
        for integer input and float32 for real input; ``lengths`` int64 ``(B,)``; ``mask`` bool
        ``(B, T_max)``. ``padded[b, :lengths[b]]`` is sequence ``b``.

    Introduced in 01_sequential_data.ipynb.
    """
    if isinstance(sequences, str | np.ndarray) or not isinstance(sequences, Sequence) or not sequences:
        raise TypeError(f"sequences must be a non-empty list of sequences, got {describe(sequences)}")
    arrays = [
        as_float32_or_int64(np.asarray(s.detach().cpu() if hasattr(s, "detach") else s)) for s in sequences
    ]
    trailing = arrays[0].shape[1:]
    for i, x in enumerate(arrays):
        if x.ndim not in (1, 2) or x.shape[1:] != trailing or len(x) == 0:
            raise ValueError(
                f"sequence {i} has shape {x.shape}; every sequence must be non-empty with shape (T_i,) "
                f"or (T_i, F) like sequence 0, {arrays[0].shape}"
            )
    lengths = np.array([len(x) for x in arrays], dtype=np.int64)  # (B,)
    dtype = np.float32 if any(x.dtype == np.float32 for x in arrays) else np.int64
    pad_value = check_float("pad_value", pad_value)
    if dtype == np.int64 and not pad_value.is_integer():
        raise ValueError(f"pad_value must be a whole number for integer sequences, got {pad_value}")
    padded = np.full((len(arrays), lengths.max(), *trailing), pad_value, dtype=dtype)  # (B, T_max, ...)
    for b, x in enumerate(arrays):
        padded[b, : len(x)] = x
    mask = np.arange(lengths.max())[None, :] < lengths[:, None]  # (B, T_max)
    return PaddedBatch(padded, lengths, mask)


def pack_batch(padded, lengths):
    """Pack a padded batch so a torch RNN skips the padding: ``PackedSequence``.

    Calls ``torch.nn.utils.rnn.pack_padded_sequence(padded, lengths, batch_first=True,
    enforce_sorted=False)``, so the batch need not be sorted by length; ``unpack_batch`` restores the
    original order.

    Args:
        padded: ``(B, T_max)`` or ``(B, T_max, F)`` numpy array or torch tensor, e.g.
            ``pad_sequences(...).padded``.
        lengths: ``(B,)`` integers, each in ``1 .. T_max``.

    Introduced in 01_sequential_data.ipynb.
    """
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence

    padded = torch.as_tensor(padded)
    lengths = torch.as_tensor(np.asarray(lengths.cpu() if hasattr(lengths, "cpu") else lengths))
    if padded.ndim not in (2, 3):
        raise ValueError(f"padded must have shape (B, T_max) or (B, T_max, F), got {tuple(padded.shape)}")
    if lengths.shape != (padded.shape[0],) or lengths.dtype.is_floating_point:
        raise ValueError(f"lengths must be {padded.shape[0]} integers, got {describe(lengths)}")
    if lengths.min() < 1 or lengths.max() > padded.shape[1]:
        raise ValueError(f"lengths must lie in 1..{padded.shape[1]}, got {lengths.tolist()}")
    return pack_padded_sequence(
        padded, lengths.to("cpu", torch.int64), batch_first=True, enforce_sorted=False
    )


def unpack_batch(packed, total_length=None):
    """Undo ``pack_batch``: ``(padded, lengths)`` as torch tensors, batch first, original order.

    ``padded`` is ``(B, T, ...)`` with ``T = total_length`` or, if ``None``, the longest length; padding
    is zero. ``lengths`` is int64 ``(B,)``. Use it on the packed output of an RNN.

    Introduced in 01_sequential_data.ipynb.
    """
    from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence

    if not isinstance(packed, PackedSequence):
        raise TypeError(f"packed must be a torch PackedSequence (from pack_batch), got {describe(packed)}")
    if total_length is not None:
        total_length = check_int("total_length", total_length, low=1)
    return pad_packed_sequence(packed, batch_first=True, total_length=total_length)
