"""Prediction-error anomaly detection with injected, labelled anomalies.

A forecaster predicts each step from the steps before it; a step whose error ``|y_t - ŷ_t|`` is unusually
large is flagged. Real series rarely come with anomaly labels, so we inject anomalies of known kinds at known
places into a clean stretch and measure precision and recall against those labels.

Introduced in 11_applications.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_array, check_float, check_int, describe

KINDS = ("spike", "shift", "stuck")


@dataclass(frozen=True, eq=False)
class Injected:
    """A series with anomalies: ``values`` ``(T,)`` float64, ``labels`` ``(T,)`` bool (True on every
    anomalous step), and ``events``: a tuple of ``(kind, start, length)``."""

    values: np.ndarray
    labels: np.ndarray
    events: tuple


def inject_anomalies(series, n_events: int, rng, *, start: int = 1, size: float = 8.0, kinds=KINDS,
                     min_gap: int = 8) -> Injected:  # fmt: skip
    """Copy ``series`` ``(T,)`` and inject ``n_events`` anomalies at random places at or after ``start``.

    Kinds: ``"spike"``, one step moved by ±``size``; ``"shift"``, 3 steps moved by ±``size``·0.75 (a level
    shift that comes back); ``"stuck"``, 4 steps frozen at the value before them (a stuck sensor), labelled
    only where the frozen value differs from the truth by more than ``size``/4 (a stuck reading that happens
    to be right is not an anomaly one could detect). Events are at least ``min_gap`` steps apart.
    """
    series = check_array("series", series, ndim=1).astype(np.float64)
    n_events, start = check_int("n_events", n_events, low=1), check_int("start", start, low=1)
    size, min_gap = check_float("size", size, low=0.0, low_open=True), check_int("min_gap", min_gap, low=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {describe(rng)}")
    if not kinds or any(k not in KINDS for k in kinds):
        raise ValueError(f"kinds must be a non-empty selection of {KINDS}, got {kinds!r}")
    slots = np.arange(start, len(series) - 4, min_gap)  # one event per slot, so events never overlap
    if len(slots) < n_events:
        raise ValueError(f"room for {len(slots)} events after start={start} with min_gap={min_gap}, asked {n_events}")
    values, labels, events = series.copy(), np.zeros(len(series), dtype=bool), []
    for t0 in np.sort(rng.choice(slots, size=n_events, replace=False)):
        t0 = int(t0 + rng.integers(0, min_gap - 4)) if min_gap > 4 else int(t0)
        kind = str(rng.choice(list(kinds)))
        sign = rng.choice([-1.0, 1.0])
        if kind == "spike":
            values[t0] += sign * size
            labels[t0] = True
            events.append((kind, t0, 1))
        elif kind == "shift":
            values[t0 : t0 + 3] += sign * 0.75 * size
            labels[t0 : t0 + 3] = True
            events.append((kind, t0, 3))
        else:
            values[t0 : t0 + 4] = values[t0 - 1]
            labels[t0 : t0 + 4] = np.abs(values[t0 : t0 + 4] - series[t0 : t0 + 4]) > size / 4
            events.append((kind, t0, 4))
    return Injected(values, labels, tuple(events))


def precision_recall(scores, labels, threshold) -> tuple[float, float]:
    """Flag every step with ``score > threshold``; precision = flagged anomalies / flagged, recall = flagged
    anomalies / anomalies (precision is 1.0 when nothing is flagged). ``scores`` ``(T,)``, ``labels`` bool ``(T,)``."""
    scores = check_array("scores", scores, ndim=1)
    labels = check_array("labels", labels, shape=(len(scores),))
    if labels.dtype != bool:
        raise TypeError(f"labels must be a boolean array, got dtype {labels.dtype}")
    if not labels.any():
        raise ValueError("labels mark no anomaly: recall is undefined")
    threshold = check_float("threshold", threshold)
    flagged = scores > threshold
    hits = np.sum(flagged & labels)
    return (float(hits / flagged.sum()) if flagged.any() else 1.0), float(hits / labels.sum())


def average_precision(scores, labels) -> float:
    """Area under the precision-recall curve, threshold-free: the mean, over the anomalous steps, of the
    precision among the steps that score at least as high (ties broken against the detector)."""
    scores = check_array("scores", scores, ndim=1).astype(np.float64)
    labels = check_array("labels", labels, shape=(len(scores),))
    if labels.dtype != bool or not labels.any():
        raise ValueError("labels must be a boolean array with at least one anomaly")
    order = np.lexsort((labels, -scores))  # by score, high first; on ties normal steps first (pessimistic)
    hits = np.cumsum(labels[order])
    precision = hits / np.arange(1, len(scores) + 1)
    return float(precision[labels[order]].mean())


def threshold_from_clean(scores, quantile: float = 0.99) -> float:
    """A threshold set on clean data (e.g. the validation part): its ``quantile`` of the scores, so about
    ``1 - quantile`` of normal steps are flagged."""
    scores = check_array("scores", scores, ndim=1)
    return float(np.quantile(scores, check_float("quantile", quantile, low=0.0, high=1.0)))
