"""Splits, normalisation and windows: chronological splits, standardisation, forecasting windows, and
language-model windows and batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import as_float32_or_int64, check_array, check_bool, check_float, check_int, describe

_MAX_WINDOW_ELEMENTS = 50_000_000  # 400 MB of int64: past this, sliding windows should be sampled instead


def _split_points(n: int, train: float, val: float) -> tuple[int, int]:
    train = check_float("train", train, low=0.0, high=1.0, low_open=True, high_open=True)
    val = check_float("val", val, low=0.0, high=1.0, high_open=True)
    if train + val >= 1.0:
        raise ValueError(f"train + val must be < 1 so that a test part remains, got {train} + {val}")
    a, b = round(n * train), round(n * (train + val))
    if a < 1 or b - a < (1 if val > 0 else 0) or n - b < 1:
        raise ValueError(f"a series of length {n} is too short for fractions train={train}, val={val}")
    return a, b


def chronological_split(data, *, train=0.7, val=0.15) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut ``data`` along axis 0 (time) into train, validation and test parts, in that order.

    ``data``: numpy array of shape ``(T, ...)``. Returns three views of shapes ``(T_train, ...)``,
    ``(T_val, ...)``, ``(T_test, ...)`` with ``T_train = round(T * train)`` and
    ``T_train + T_val = round(T * (train + val))``. Nothing is shuffled: every training step comes before
    every validation step, which comes before every test step. ``val=0`` gives an empty validation part.

    Introduced in 01_sequential_data.ipynb.
    """
    if not isinstance(data, np.ndarray) or data.ndim == 0:
        raise TypeError(f"data must be a numpy array with a time axis first, got {describe(data)}")
    a, b = _split_points(len(data), train, val)
    return data[:a], data[a:b], data[b:]


@dataclass(frozen=True, eq=False)
class Standardizer:
    """Per-feature standardisation ``z = (x - mean) / std``, fitted on training data only.

    ``mean`` and ``std`` have shape ``(F,)`` (float64). A feature that is constant in the training data
    gets ``std = 1`` so it is shifted but not divided by zero.

    Introduced in 01_sequential_data.ipynb.
    """

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, train) -> Standardizer:
        """Mean and standard deviation of each column of ``train``: ``(T,)`` or ``(T, F)``."""
        train = check_array("train", train)
        if train.ndim not in (1, 2) or len(train) < 1:
            raise ValueError(f"train must have shape (T,) or (T, F) with T >= 1, got {train.shape}")
        x = train.reshape(len(train), -1).astype(np.float64)  # (T, F)
        std = x.std(axis=0)
        return cls(mean=x.mean(axis=0), std=np.where(std > 0, std, 1.0))

    def transform(self, x, *, columns=None) -> np.ndarray:
        """``z = (x - mean) / std``, float32, same shape as ``x``.

        ``x``: ``(..., F)`` (or ``(T,)`` when F = 1). ``columns`` (an int or a list of ints) says which
        features ``x`` holds when it holds only some of them, e.g. the one column a model forecasts.
        """
        mean, std = self._pick(columns)
        # z = (x - mean) / std, feature by feature
        return ((self._as_features(x, len(mean)) - mean) / std).astype(np.float32).reshape(x.shape)

    def inverse_transform(self, z, *, columns=None) -> np.ndarray:
        """``x = z * std + mean``, float32, back in the data's units; ``columns`` as in ``transform``."""
        mean, std = self._pick(columns)
        return (self._as_features(z, len(mean)) * std + mean).astype(np.float32).reshape(z.shape)

    def _pick(self, columns) -> tuple[np.ndarray, np.ndarray]:
        if columns is None:
            return self.mean, self.std
        picked = [columns] if not isinstance(columns, Sequence) else list(columns)
        for c in picked:
            check_int("each column", c, low=0, high=len(self.mean) - 1)
        return self.mean[picked], self.std[picked]

    @staticmethod
    def _as_features(x, features: int) -> np.ndarray:
        x = check_array("x", x)
        if features == 1 and (x.ndim == 0 or x.shape[-1] != 1):
            return x.astype(np.float64)[..., None]  # (..., 1)
        if x.ndim == 0 or x.shape[-1] != features:
            raise ValueError(f"x must have {features} features in its last axis, got shape {x.shape}")
        return x.astype(np.float64)


def sliding_windows(series, window, *, horizon=1, stride=1, targets=None) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into (input window, what comes next) pairs.

    Window ``i`` starts at ``s = i * stride``: ``X[i] = series[s : s + window]`` and
    ``y[i] = targets[s + window : s + window + horizon]``.

    Args:
        series: ``(T,)`` or ``(T, F)`` numpy array; a 1-D series is treated as ``F = 1``.
        window: input length (time steps per window).
        horizon: how many steps after the window to predict.
        stride: steps between the starts of consecutive windows.
        targets: what to predict, ``(T,)`` or ``(T, K)`` aligned with ``series`` (e.g. class labels);
            ``None`` means the series itself.

    Returns:
        ``X`` float32 ``(N, window, F)`` and ``y`` ``(N, horizon)`` or ``(N, horizon, K)`` (the trailing
        axes of ``targets``; int64 if ``targets`` holds integers, else float32), with
        ``N = (T - window - horizon) // stride + 1``.

    Introduced in 01_sequential_data.ipynb.
    """
    series = check_array("series", series)
    if series.ndim not in (1, 2):
        raise ValueError(f"series must have shape (T,) or (T, F), got {series.shape}")
    targets = series if targets is None else check_array("targets", targets)
    if targets.ndim not in (1, 2) or len(targets) != len(series):
        raise ValueError(
            f"targets must have shape ({len(series)},) or ({len(series)}, K), got {targets.shape}"
        )
    window, horizon = check_int("window", window, low=1), check_int("horizon", horizon, low=1)
    stride = check_int("stride", stride, low=1)
    T = len(series)
    if T < window + horizon:
        raise ValueError(f"series of length {T} is shorter than window + horizon = {window + horizon}")
    starts = np.arange(0, T - window - horizon + 1, stride)  # (N,)
    x = series.reshape(T, -1)  # (T, F)
    X = x[starts[:, None] + np.arange(window)]  # (N, window, F)
    y = targets[starts[:, None] + window + np.arange(horizon)]  # (N, horizon) or (N, horizon, K)
    return X.astype(np.float32), as_float32_or_int64(y)


@dataclass(frozen=True, eq=False)
class ForecastSplits:
    """Windows for training, validation and testing, made by ``make_forecasting_splits``.

    ``X_*``: float32 ``(N_*, window, F)``; ``y_*``: ``(N_*, horizon)`` or ``(N_*, horizon, K)``.
    ``scaler`` was fitted on ``series[:boundaries[0]]`` only; ``boundaries = (a, b)`` are the time indices
    where validation and test begin.

    Introduced in 01_sequential_data.ipynb.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    scaler: Standardizer | None
    boundaries: tuple[int, int]


def make_forecasting_splits(
    series,
    window,
    *,
    horizon=1,
    stride=1,
    train=0.7,
    val=0.15,
    target_columns=None,
    targets=None,
    normalize=True,
) -> ForecastSplits:
    """Chronological train/validation/test windows of a series, normalised with training statistics only.

    Steps: (1) cut the series in time with ``chronological_split``; (2) fit a ``Standardizer`` on the
    training part alone and apply it to all three parts; (3) cut each part into windows on its own with
    ``sliding_windows``, so no window, input or target, straddles two parts.

    Args:
        series: ``(T,)`` or ``(T, F)`` numpy array, oldest first.
        window, horizon, stride: as in ``sliding_windows``.
        train, val: fractions of ``T`` for training and validation; the test part gets the rest.
        target_columns: which (normalised) columns to predict: ``None`` all of them, an int for one column
            (``y`` has shape ``(N, horizon)``), or a list of ints (``(N, horizon, K)``).
        targets: instead of columns of the series, any array aligned with it (``(T,)`` or ``(T, K)``),
            e.g. class labels for sequence classification; it is split, never normalised.
        normalize: ``False`` skips step (2); ``scaler`` is then ``None``.

    Returns:
        ``ForecastSplits``. Each part must be at least ``window + horizon`` long, else ``ValueError``.

    Introduced in 01_sequential_data.ipynb.
    """
    series = check_array("series", series)
    if series.ndim not in (1, 2):
        raise ValueError(f"series must have shape (T,) or (T, F), got {series.shape}")
    if targets is not None and target_columns is not None:
        raise ValueError("give targets or target_columns, not both")
    a, b = _split_points(len(series), train, val)
    normalize = check_bool("normalize", normalize)
    scaler = Standardizer.fit(series[:a]) if normalize else None
    scaled = scaler.transform(series) if normalize else series.astype(np.float32)
    if targets is None:
        targets = _select_columns(scaled, target_columns)
    elif not isinstance(targets, np.ndarray) or len(targets) != len(series):
        raise ValueError(f"targets must be a numpy array of length {len(series)}, got {describe(targets)}")
    parts = {}
    for name, lo, hi in (("train", 0, a), ("val", a, b), ("test", b, len(series))):
        if hi - lo < window + horizon:
            raise ValueError(
                f"the {name} part has {hi - lo} steps, fewer than window + horizon = {window + horizon}; "
                "use a shorter window or change train/val"
            )
        parts[name] = sliding_windows(
            scaled[lo:hi], window, horizon=horizon, stride=stride, targets=targets[lo:hi]
        )
    return ForecastSplits(*parts["train"], *parts["val"], *parts["test"], scaler=scaler, boundaries=(a, b))


def _select_columns(scaled: np.ndarray, target_columns) -> np.ndarray:
    if target_columns is None:
        return scaled
    features = 1 if scaled.ndim == 1 else scaled.shape[1]
    columns = [target_columns] if not isinstance(target_columns, Sequence) else list(target_columns)
    if not columns:
        raise ValueError("target_columns must not be empty")
    for c in columns:
        check_int("each target column", c, low=0, high=features - 1)
    x = scaled.reshape(len(scaled), -1)  # (T, F)
    return x[:, columns[0]] if not isinstance(target_columns, Sequence) else x[:, columns]


def lm_windows(ids, seq_len, *, stride=None) -> tuple[np.ndarray, np.ndarray]:
    """Language-model pairs: each input window and the same window shifted one step ahead.

    ``X[i] = ids[s : s + seq_len]`` and ``Y[i] = ids[s + 1 : s + seq_len + 1]`` with ``s = i * stride``, so
    ``Y[i, t]`` is the token that follows ``X[i, t]``.

    Args:
        ids: int array of shape ``(T,)`` (e.g. ``vocab.encode(text)``).
        seq_len: time steps per window (the length of truncated backpropagation through time).
        stride: steps between window starts; ``None`` means ``seq_len`` (windows side by side).

    Returns:
        ``X`` and ``Y``, int64 of shape ``(N, seq_len)`` with ``N = (T - seq_len - 1) // stride + 1``.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    ids = _check_ids(ids)
    seq_len = check_int("seq_len", seq_len, low=1)
    stride = seq_len if stride is None else check_int("stride", stride, low=1)
    if len(ids) < seq_len + 1:
        raise ValueError(f"ids has {len(ids)} tokens; seq_len={seq_len} needs at least {seq_len + 1}")
    n = (len(ids) - seq_len - 1) // stride + 1
    if n * seq_len * 2 > _MAX_WINDOW_ELEMENTS:
        raise ValueError(
            f"{n} windows of {seq_len} tokens would take {n * seq_len * 16 / 1e9:.1f} GB; "
            "use a larger stride, or sample_lm_batch to draw random windows"
        )
    index = np.arange(n)[:, None] * stride + np.arange(seq_len)  # (N, seq_len)
    return ids[index], ids[index + 1]


def _check_ids(ids) -> np.ndarray:
    ids = check_array("ids", ids, ndim=1)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must hold integers (token ids), got dtype {ids.dtype}")
    return ids.astype(np.int64)


def sample_lm_batch(ids, batch_size, seq_len, rng) -> tuple[np.ndarray, np.ndarray]:
    """A random batch of language-model windows, drawn with the generator you pass.

    ``ids``: int array ``(T,)``; ``rng``: a ``numpy.random.Generator`` (e.g. ``np.random.default_rng(0)``),
    so the batches repeat under a seed. Returns ``X, Y``: int64 ``(batch_size, seq_len)``, ``Y`` being
    ``X`` shifted one step ahead.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    ids = _check_ids(ids)
    batch_size, seq_len = check_int("batch_size", batch_size, low=1), check_int("seq_len", seq_len, low=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {describe(rng)}"
        )
    if len(ids) < seq_len + 1:
        raise ValueError(f"ids has {len(ids)} tokens; seq_len={seq_len} needs at least {seq_len + 1}")
    starts = rng.integers(0, len(ids) - seq_len, size=batch_size)  # (B,)
    index = starts[:, None] + np.arange(seq_len)  # (B, seq_len)
    return ids[index], ids[index + 1]
