"""Finding units: correlation with a feature, principal components, gate saturation."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import check_float, check_int, describe
from rnn_helpers.probe.recording import Recording


def _as_activations(activations) -> np.ndarray:
    if hasattr(activations, "detach") and not isinstance(activations, np.ndarray):
        activations = activations.detach().cpu().double().numpy()
    if not isinstance(activations, np.ndarray) or activations.ndim != 2 or activations.shape[0] < 2:
        raise ValueError(
            f"activations must be a (T, H) array (time by unit, T >= 2), e.g. rec.select('cell', layer=1); "
            f"got {describe(activations)}"
        )
    return np.asarray(activations, dtype=np.float64)


def correlations(activations, feature) -> np.ndarray:
    """Pearson's r between each unit's activation over time and ``feature``: (T, H), (T,) -> (H,).

    Steps where the feature is NaN are left out. A unit (or a feature) that never varies has r = 0.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    A = _as_activations(activations)
    f = np.asarray(feature, dtype=np.float64)
    if f.shape != (A.shape[0],):
        raise ValueError(f"feature must have shape ({A.shape[0]},), one value per step of activations, got {f.shape}")
    keep = ~np.isnan(f)
    A, f = A[keep], f[keep]
    # r_j = Σ_t (a_tj - ā_j)(f_t - f̄) / sqrt(Σ_t (a_tj - ā_j)² Σ_t (f_t - f̄)²)
    A, f = A - A.mean(axis=0), f - f.mean()
    denominator = np.sqrt((A**2).sum(axis=0) * (f**2).sum())  # (H,)
    numerator = f @ A  # (H,)
    safe = denominator > 1e-12 * max(len(f), 1)
    return np.where(safe, numerator / np.where(safe, denominator, 1.0), 0.0)


def find_units(activations, feature, *, top: int = 5) -> list[tuple[int, float]]:
    """The ``top`` units whose activation correlates most with ``feature`` (by |r|): a list of (unit, r).

    ``activations`` (T, H) from ``Recording.select``; ``feature`` (T,), e.g. ``in_string(text)``. A large
    negative r is as good as a large positive one: the unit then tracks the feature upside down.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    r = correlations(activations, feature)
    top = check_int("top", top, low=1, high=len(r))
    order = np.argsort(-np.abs(r), kind="stable")[:top]
    return [(int(j), float(r[j])) for j in order]


def principal_components(states, k: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Project states (T, H) onto their first ``k`` principal components.

    Returns ``(projection (T, k), explained (k,))``: the coordinates of each step, and the fraction of the
    states' variance each component explains. Each component's sign is fixed so that its largest loading is
    positive (the same picture on every run). Introduced in 09_hidden_state_lab.ipynb.
    """
    S = _as_activations(states)
    k = check_int("k", k, low=1, high=min(S.shape))
    centred = S - S.mean(axis=0)  # (T, H)
    _, sing, Vt = np.linalg.svd(centred, full_matrices=False)  # Vt (min(T, H), H)
    components = Vt[:k]
    signs = np.sign(components[np.arange(k), np.argmax(np.abs(components), axis=1)])
    components = components * signs[:, None]  # (k, H)
    total = (sing**2).sum()
    explained = (sing[:k] ** 2) / total if total > 0 else np.zeros(k)
    return centred @ components.T, explained  # (T, k), (k,)


SATURATION_LOW, SATURATION_HIGH = 0.1, 0.9  # Karpathy, Johnson & Fei-Fei (2015), Fig. 3


def gate_saturation(gate, *, low: float = SATURATION_LOW, high: float = SATURATION_HIGH):
    """For each unit, the fraction of steps its gate is left-saturated (< low) and right-saturated (> high).

    ``gate``: (T, H) or (B, T, H) activations of a sigmoid gate (LSTM i, f, o; GRU r, z), e.g.
    ``rec.select("f", layer=0)``. Returns ``(left (H,), right (H,))``. A forget gate right-saturated most of
    the time keeps its cell for long; one left-saturated most of the time wipes it at every step.
    The thresholds 0.1 and 0.9 are those of Karpathy, Johnson & Fei-Fei (2015), Fig. 3.
    Introduced in 09_hidden_state_lab.ipynb.
    """
    low = check_float("low", low, low=0.0, high=1.0)
    high = check_float("high", high, low=0.0, high=1.0)
    if low > high:
        raise ValueError(f"low must be <= high, got low={low}, high={high}")
    g = gate.detach().cpu().double().numpy() if hasattr(gate, "detach") else gate
    if not isinstance(g, np.ndarray) or g.ndim not in (2, 3) or g.size == 0:
        raise ValueError(f"gate must be a (T, H) or (B, T, H) array of gate activations, got {describe(gate)}")
    if g.min() < 0.0 or g.max() > 1.0:
        raise ValueError(
            f"gate values must lie in [0, 1] (a sigmoid gate such as i, f, o, r, z), got {g.min():.3g}..{g.max():.3g}"
        )
    g = g.reshape(-1, g.shape[-1])  # (B·T, H)
    return (g < low).mean(axis=0), (g > high).mean(axis=0)


def saturation_by_layer(recording, gate: str = "f") -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``gate_saturation`` of one gate in every layer (and direction) of a recording: a dict label ->
    ``(left, right)``, each (H,), with labels "layer 0", "layer 0 (backward)", "layer 1", ...

    ``recording``: a ``Recording`` of an LSTM or GRU; ``gate``: a sigmoid gate (LSTM "i", "f", "o"; GRU "r",
    "z"). What ``viz.plot_gate_saturation`` draws. Introduced in 09_hidden_state_lab.ipynb.
    """
    if not isinstance(recording, Recording):
        raise TypeError(f"recording must be a probe.Recording (what probe.record returns), got {describe(recording)}")
    sigmoid_gates = [g for g in recording.gates[0][0] if g not in ("g", "n")]
    if gate not in sigmoid_gates:
        raise ValueError(f"gate must be a sigmoid gate of this {recording.kind}, one of {sigmoid_gates}, got {gate!r}")
    saturation = {}
    for layer in range(recording.num_layers):
        for direction in range(recording.num_directions):
            label = f"layer {layer}" + (" (backward)" if direction else "")
            saturation[label] = gate_saturation(recording.gates[layer][direction][gate])
    return saturation
