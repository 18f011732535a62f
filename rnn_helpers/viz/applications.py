"""Plots of the applications (11): forecasts and their errors, a confusion matrix, temperature against
diversity, anomalies, CTC frames and error rates. They only draw; the numbers come from the topic modules
(``forecasting``, ``anomaly``, ``name_classification``, ``ngram``, ``generation``, ``ctc``).

Introduced in 11_applications.ipynb.
"""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import check_array, describe
from rnn_helpers.viz.style import BLUE, VERMILION, axes_or_new


def _curves(name: str, curves) -> dict:
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"{name} must be a non-empty dict of name -> 1-D array, got {describe(curves)}")
    out = {k: np.asarray(v, dtype=float) for k, v in curves.items()}
    lengths = {v.shape for v in out.values()}
    if len(lengths) != 1 or next(iter(lengths)) == () or len(next(iter(lengths))) != 1:
        raise ValueError(f"{name} must hold 1-D arrays of one length, got shapes {sorted(lengths)}")
    return out


def plot_mae_per_horizon(maes, *, ax=None, unit="°C", title="test MAE per horizon"):
    """One line per model: its MAE at horizons 1..H. ``maes``: dict name -> (H,)."""
    maes = _curves("maes", maes)
    ax = axes_or_new(ax)
    for name, values in maes.items():
        ax.plot(np.arange(1, len(values) + 1), values, "o-", ms=4, label=name)
    ax.set(xlabel="days ahead", ylabel=f"MAE ({unit})", title=title)
    ax.legend(fontsize=9)
    return ax


def plot_forecast(history_times, history, future_times, truth, forecast, *, band=None, label="forecast", ax=None,
                  unit="°C"):  # fmt: skip
    """The last observed days, what came next, one forecast, and its band (``(lower, upper)``, each (H,))."""
    history, truth, forecast = (check_array(n, v, ndim=1) for n, v in
                                [("history", history), ("truth", truth), ("forecast", forecast)])
    if len(truth) != len(forecast) or len(future_times) != len(truth) or len(history_times) != len(history):
        raise ValueError("times and values must have matching lengths")
    ax = axes_or_new(ax)
    ax.plot(history_times, history, color="0.3", label="observed")
    ax.plot(future_times, truth, "o-", color="0.3", ms=4, mfc="white", label="what happened")
    if band is not None:
        lower, upper = band
        ax.fill_between(future_times, lower, upper, color=BLUE, alpha=0.2, label="10-90% band")
    ax.plot(future_times, forecast, "o-", color=BLUE, ms=4, label=label)
    ax.set(ylabel=unit)
    ax.legend(fontsize=9, loc="best")
    return ax


def plot_confusion(matrix, labels=("male", "female"), *, ax=None, title="confusion matrix (test names)"):
    """A 2×2 (or K×K) count matrix: rows the truth, columns the guess, each cell annotated."""
    matrix = check_array("matrix", np.asarray(matrix), ndim=2)
    if matrix.shape[0] != matrix.shape[1] or matrix.shape[0] != len(labels):
        raise ValueError(f"matrix must be square with one row per label ({len(labels)}), got {matrix.shape}")
    ax = axes_or_new(ax)
    ax.imshow(matrix, cmap="Blues")
    for r in range(matrix.shape[0]):
        for c in range(matrix.shape[1]):
            ax.text(c, r, f"{matrix[r, c]:,}", ha="center", va="center",
                    color="white" if matrix[r, c] > matrix.max() / 2 else "black")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set(xlabel="guess", ylabel="recorded (majority)", title=title)
    ax.grid(False)
    return ax


def plot_temperature_diversity(temperatures, measures, *, ax=None, title="sampling temperature"):
    """Measures of generated text (dict name -> one value per temperature) against the temperature."""
    temperatures = np.asarray(temperatures, dtype=float)
    measures = _curves("measures", measures)
    if len(next(iter(measures.values()))) != len(temperatures):
        raise ValueError("each measure needs one value per temperature")
    ax = axes_or_new(ax)
    for name, values in measures.items():
        ax.plot(temperatures, values, "o-", label=name)
    ax.set(xlabel="temperature", ylabel="share", ylim=(0, 1.02), title=title)
    ax.legend(fontsize=9)
    return ax


def plot_anomalies(times, values, labels, flagged, *, ax=None, title="injected anomalies and what was flagged"):
    """A series with its labelled anomalous steps (red) and a detector's flags (black rings)."""
    values = check_array("values", values, ndim=1)
    labels, flagged = np.asarray(labels, dtype=bool), np.asarray(flagged, dtype=bool)
    if not (len(times) == len(values) == len(labels) == len(flagged)):
        raise ValueError("times, values, labels and flagged must have the same length")
    ax = axes_or_new(ax)
    ax.plot(times, values, color="0.4", lw=1)
    ax.plot(np.asarray(times)[labels], values[labels], "o", color=VERMILION, ms=5, label="injected anomaly")
    ax.plot(np.asarray(times)[flagged], values[flagged], "o", mfc="none", mec="black", ms=9, label="flagged")
    ax.set(title=title)
    ax.legend(fontsize=9)
    return ax


def plot_cer_vs_snr(snrs, cers, *, ax=None, title="Morse decoding: character error rate against noise"):
    """One line per decoder: CER at each SNR in dB. ``cers``: dict name -> (len(snrs),)."""
    snrs = np.asarray(snrs, dtype=float)
    cers = _curves("cers", cers)
    ax = axes_or_new(ax)
    for name, values in cers.items():
        ax.plot(snrs, values, "o-", label=name)
    ax.set(xlabel="signal-to-noise ratio per audio sample (dB)", ylabel="character error rate", title=title)
    ax.legend(fontsize=9)
    return ax


def plot_ctc_frames(frames, log_probs, alphabet, *, ax=None, title="frames and the network's per-frame guess"):
    """The input frames (T,) and, above them, the most likely non-blank class where it beats the blank."""
    frames = check_array("frames", np.asarray(frames, dtype=float), ndim=1)
    log_probs = check_array("log_probs", np.asarray(log_probs, dtype=float), ndim=2)
    if len(log_probs) != len(frames):
        raise ValueError(f"log_probs must have one row per frame ({len(frames)}), got {log_probs.shape}")
    ax = axes_or_new(ax)
    ax.plot(frames, color="0.4", lw=1, label="tone energy per frame")
    best = log_probs.argmax(axis=1)
    top = frames.max() * 1.1 if len(frames) else 1.0
    for t, c in enumerate(best):
        if c != 0:
            ax.text(t, top, alphabet[c - 1], ha="center", va="bottom", fontsize=9, color=VERMILION)
    ax.set(xlabel="frame", ylim=(min(0, frames.min()), top * 1.2), title=title)
    ax.legend(fontsize=9, loc="lower right")
    return ax
