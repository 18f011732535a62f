"""Hopfield's associative memory (1982): Hebbian storage, recall, capacity (chapter 02)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import as_float64, check_choice, check_float, check_int, describe, make_rng


def _check_spins(name: str, value, *, ndim: int) -> np.ndarray:
    """A numpy array of ±1 entries with ``ndim`` dimensions, as float64."""
    value = as_float64(name, value, ndim=ndim)
    if value.size == 0 or not np.isin(value, (-1.0, 1.0)).all():
        raise ValueError(f"{name} must contain only -1 and +1 (and at least one entry), got {describe(value)}")
    return value


def hebbian_weights(patterns) -> np.ndarray:
    """Hebb's rule for P patterns ξ^μ ∈ {−1, +1}^N, patterns (P, N): W = Σ_μ ξ^μ ξ^μᵀ with a zero diagonal.

    W_ij grows by one for every stored pattern in which units i and j agree and falls by one for every pattern
    in which they disagree ("cells that fire together wire together", after Hebb 1949). This is Hopfield's
    (1982) T_ij = Σ_s (2V_i^s − 1)(2V_j^s − 1), written for ±1 units. Many texts divide by N; that changes no
    sign and so no dynamics, and without it W holds small integers, so ties (a field of exactly 0) stay exact.
    Returns W float64 (N, N), symmetric. Introduced in 02_history.ipynb.
    """
    xi = _check_spins("patterns", patterns, ndim=2)  # (P, N)
    # W = Σ_μ ξ^μ ξ^μᵀ : (N, P) @ (P, N) -> (N, N)
    W = xi.T @ xi
    np.fill_diagonal(W, 0.0)  # no self-connections: T_ii = 0
    return W


@dataclass
class RecallResult:
    """What ``HopfieldNetwork.recall`` returns.

    ``states`` (B, N) the final states; ``sweeps`` how many sweeps (asynchronous: N single-unit updates each;
    synchronous: one update of all units each) ran; ``converged`` (B,) bool, True where a state stopped
    changing; ``cycled`` (B,) bool, True where synchronous updates fell into a two-state cycle;
    ``energies`` (steps, B) or None: the energy after every single-unit update (asynchronous) or every
    synchronous step, computed from scratch with ``HopfieldNetwork.energy``, when ``record_energy=True``.
    """

    states: np.ndarray
    sweeps: int
    converged: np.ndarray
    cycled: np.ndarray
    energies: np.ndarray | None = None


def _sign_keep(h: np.ndarray, s: np.ndarray) -> np.ndarray:
    """sign(h), keeping the current state s where h = 0 (Hopfield's rule leaves a unit at threshold alone)."""
    new = np.sign(h)
    np.copyto(new, s, where=h == 0)
    return new


def _settle_async(W, b, S, rng, max_sweeps, energy_fn=None):
    """Asynchronous dynamics for R stacked networks: W (R, N, N) symmetric, b (R, N), S (R, B, N) probes.

    Each sweep visits the units in a fresh random order; unit i takes s_i ← sign(h_i), h_i = Σ_j W_ij s_j + b_i.
    The fields are kept up to date incrementally: a flip of s_i by Δ = ±2 adds Δ W_ji to every h_j. Internally
    units sit on the middle axis, (R, N, B), so that reading one unit's field for every probe is contiguous.
    """
    S = np.ascontiguousarray(np.swapaxes(S, 1, 2))  # (R, N, B)
    R, N, B = S.shape
    H = W @ S + b[:, :, None]  # (R, N, N) @ (R, N, B) -> (R, N, B) local fields
    active = np.ones((R, B), dtype=bool)  # probes that changed in the last sweep
    energies = [] if energy_fn is not None else None
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        changed = np.zeros((R, B), dtype=bool)
        for i in rng.permutation(N):
            new = _sign_keep(H[:, i], S[:, i])  # (R, B)
            r, p = np.nonzero(new != S[:, i])
            if r.size:
                S[r, i, p] = new[r, p]
                # h_j ← h_j + Δs_i W_ji, with Δs_i = 2 s_i(new)
                H[r, :, p] += (2.0 * new[r, p])[:, None] * W[r, :, i]
                changed[r, p] = True
            if energies is not None:
                energies.append(energy_fn(np.swapaxes(S, 1, 2)))
        active = changed
        if not active.any():
            break
    return np.swapaxes(S, 1, 2).copy(), sweeps, ~active, energies


def _settle_sync(W, b, S, max_sweeps, energy_fn=None):
    """Synchronous (Little 1974) dynamics: every unit updates at once, s ← sign(W s + b); may cycle."""
    S = S.copy()
    previous = None
    converged = np.zeros(S.shape[:2], dtype=bool)
    cycled = np.zeros(S.shape[:2], dtype=bool)
    energies = [] if energy_fn is not None else None
    sweeps = 0
    while sweeps < max_sweeps:
        sweeps += 1
        new = _sign_keep(S @ W + b[:, None, :], S)  # (R, B, N) @ (R, N, N): all units at once
        converged = (new == S).all(axis=2)
        cycled = ~converged & ((new == previous).all(axis=2) if previous is not None else False)
        previous, S = S, new
        if energies is not None:
            energies.append(energy_fn(S))
        if (converged | cycled).all():
            break
    return S, sweeps, converged, cycled, energies


class HopfieldNetwork:
    """Hopfield's associative memory: N binary units, symmetric Hebbian weights, recall by descending an energy.

    Store patterns ξ^μ ∈ {−1, +1}^N with ``hebbian_weights``; recall by starting from a probe s (a corrupted
    pattern) and updating units one at a time:

        s_i ← sign(h_i),   h_i = Σ_j W_ij s_j + b_i          (a unit with h_i = 0 keeps its state)
        E(s) = −½ Σ_ij W_ij s_i s_j − Σ_i b_i s_i

    With W symmetric and W_ii = 0, every asynchronous update leaves E the same or lower, so recall always
    stops in a local minimum of E; stored patterns are such minima while the load P/N stays below about
    0.14 (Amit, Gutfreund & Sompolinsky 1985). Synchronous updates (all units at once, Little 1974) have no
    such guarantee and can end in a cycle of two states.

    Two conventions (``convention``):

    - ``"spin"``: units ±1, thresholds 0, b = 0. The textbook model; its capacity is the 0.138 N of Amit et al.
    - ``"hopfield1982"``: Hopfield's own 1982 model, units V ∈ {0, 1} that fire when Σ_j T_ij V_j > 0. Written
      with s = 2V − 1 that is the spin model with b_i = Σ_j W_ij. Hopfield noted the spin form stores about
      twice as much at equal accuracy; this convention reproduces the numbers of his paper.

    Source: J. J. Hopfield (1982), "Neural networks and physical systems with emergent collective
    computational abilities", PNAS 79(8), 2554–2558.

    Args:
        patterns: (P, N) array of ±1, the memories.
        convention: ``"spin"`` or ``"hopfield1982"``.

    Attributes: ``W`` (N, N), ``b`` (N,), ``patterns`` (P, N), ``n_units`` N.

    Introduced in 02_history.ipynb.
    """

    CONVENTIONS = ("spin", "hopfield1982")

    def __init__(self, patterns, *, convention: str = "spin"):
        self.patterns = _check_spins("patterns", patterns, ndim=2).copy()
        self.convention = check_choice("convention", convention, self.CONVENTIONS)
        self.n_units = self.patterns.shape[1]
        self.W = hebbian_weights(self.patterns)
        # 0/1 units with threshold 0: Σ_j T_ij (s_j + 1)/2 > 0  ⇔  Σ_j W_ij s_j + Σ_j W_ij > 0
        self.b = self.W.sum(axis=1) if convention == "hopfield1982" else np.zeros(self.n_units)

    def __repr__(self) -> str:
        P, N = self.patterns.shape
        return f"HopfieldNetwork(N={N}, P={P}, convention={self.convention!r})"

    def _check_states(self, name: str, states) -> np.ndarray:
        states = _check_spins(name, states, ndim=2)
        if states.shape[1] != self.n_units:
            raise ValueError(f"{name} must have shape (B, {self.n_units}), got {states.shape}")
        return states

    def energy(self, states) -> np.ndarray:
        """E(s) = −½ sᵀ W s − bᵀ s for each row of states (B, N); returns (B,)."""
        s = self._check_states("states", states)
        return -0.5 * np.einsum("bi,ij,bj->b", s, self.W, s) - s @ self.b

    def recall(self, probes, *, mode: str = "async", max_sweeps: int = 100, seed: int | None = 0,
               record_energy: bool = False) -> RecallResult:
        """Run the dynamics from probes (B, N) until nothing changes (or ``max_sweeps``); see ``RecallResult``.

        ``mode="async"``: units update one at a time in a random order (fresh each sweep, from ``seed``);
        ``mode="sync"``: all units update at once. ``record_energy`` logs the energy after every update.
        """
        S = self._check_states("probes", probes)[None]  # (1, B, N)
        check_choice("mode", mode, ["async", "sync"])
        max_sweeps = check_int("max_sweeps", max_sweeps, low=1)
        energy_fn = (lambda states: self.energy(states[0])) if record_energy else None
        W, b = self.W[None], self.b[None]
        if mode == "async":
            rng = make_rng(seed)
            S, sweeps, converged, energies = _settle_async(W, b, S, rng, max_sweeps, energy_fn)
            cycled = np.zeros_like(converged)
        else:
            S, sweeps, converged, cycled, energies = _settle_sync(W, b, S, max_sweeps, energy_fn)
        return RecallResult(S[0], sweeps, converged[0], cycled[0],
                            None if energies is None else np.array(energies))


def corrupt(patterns, fraction: float, *, seed: int | None = None) -> np.ndarray:
    """Copies of ±1 patterns (B, N) with ``round(fraction · N)`` distinct units flipped in each row."""
    patterns = _check_spins("patterns", patterns, ndim=2)
    fraction = check_float("fraction", fraction, low=0.0, high=1.0)
    rng = make_rng(seed)
    B, N = patterns.shape
    k = int(round(fraction * N))
    out = patterns.copy()
    for row in out:
        row[rng.choice(N, size=k, replace=False)] *= -1.0
    return out


@dataclass
class CapacityResult:
    """What ``capacity_sweep`` returns, one entry per load α = P/N.

    ``loads`` (L,), ``n_patterns`` (L,) the P actually stored (round(α N)), ``errors`` a list of L int arrays:
    the number of wrong bits of every stored pattern after recall (trials · P entries each).
    ``recalled(tolerance)`` (L,): the fraction of patterns recalled with at most ``tolerance · N`` wrong bits.
    """

    n_units: int
    loads: np.ndarray
    n_patterns: np.ndarray
    errors: list[np.ndarray]

    def recalled(self, tolerance: float = 0.02) -> np.ndarray:
        tolerance = check_float("tolerance", tolerance, low=0.0, high=1.0)
        return np.array([(e <= tolerance * self.n_units).mean() for e in self.errors])


def capacity_sweep(n_units: int, loads, *, trials: int = 4, noise: float = 0.0, convention: str = "spin",
                   max_sweeps: int = 30, seed: int | None = None) -> CapacityResult:
    """Store P = round(α N) random patterns for each load α, recall each of them, count the wrong bits.

    With ``noise=0`` this is Hopfield's (1982) protocol: "The system was started at each assigned nominal
    memory state, and the state was allowed to evolve until stationary." With ``noise > 0`` each probe is the
    pattern with round(noise · N) bits flipped: recall from a cue, as an associative memory is used.
    Asynchronous updates, ``trials`` independent weight matrices per load. All the networks run side by side
    (stacked arrays), so a sweep of ~10 loads with N = 200 takes a second or two.

    Args:
        n_units: N. loads: 1-D array of α > 0. trials: independent sets of patterns per load.
        noise: fraction of bits flipped in each probe, in [0, 0.5].
        convention: as in ``HopfieldNetwork``. max_sweeps: cap on asynchronous sweeps (overloaded networks
            wander for long; by then they are far from the pattern). seed: patterns and update orders.

    Introduced in 02_history.ipynb.
    """
    N = check_int("n_units", n_units, low=2)
    loads = as_float64("loads", np.asarray(loads, dtype=float) if isinstance(loads, (list, tuple)) else loads, ndim=1)
    if loads.size == 0 or (loads <= 0).any():
        raise ValueError(f"loads must be a non-empty 1-D array of loads P/N > 0, got {describe(loads)}")
    trials = check_int("trials", trials, low=1)
    noise = check_float("noise", noise, low=0.0, high=0.5)
    check_choice("convention", convention, HopfieldNetwork.CONVENTIONS)
    max_sweeps = check_int("max_sweeps", max_sweeps, low=1)
    rng = make_rng(seed)
    n_patterns = np.maximum(1, np.round(loads * N)).astype(int)
    P_max = int(n_patterns.max())
    R = loads.size * trials
    xi = rng.choice([-1.0, 1.0], size=(R, P_max, N))  # (R, P_max, N), padded with unused patterns
    used = np.arange(P_max)[None, :] < np.repeat(n_patterns, trials)[:, None]  # (R, P_max)
    stored = xi * used[:, :, None]  # unused rows are 0 and add nothing to W
    W = np.einsum("rpi,rpj->rij", stored, stored)  # (R, N, N), Hebb's rule for each network
    idx = np.arange(N)
    W[:, idx, idx] = 0.0
    b = W.sum(axis=2) if convention == "hopfield1982" else np.zeros((R, N))
    probes = xi.copy()
    k = int(round(noise * N))
    if k:
        flip = np.argsort(rng.random((R, P_max, N)), axis=2)[:, :, :k]  # k distinct units per probe
        np.put_along_axis(probes, flip, -np.take_along_axis(probes, flip, axis=2), axis=2)
    S, _, _, _ = _settle_async(W, b, probes, rng, max_sweeps)
    wrong = (S != xi).sum(axis=2)  # (R, P_max)
    errors = [wrong[k * trials:(k + 1) * trials][used[k * trials:(k + 1) * trials]] for k in range(loads.size)]
    return CapacityResult(N, loads.copy(), n_patterns, errors)


def crossing_load(loads, fractions, level: float = 0.5) -> float:
    """The load at which ``fractions`` first falls below ``level``, by linear interpolation between points.

    ``loads`` (L,) increasing, ``fractions`` (L,) (e.g. ``CapacityResult.recalled()``). Returns NaN when the
    curve never falls below ``level``; the first load when it starts below.
    """
    loads = as_float64("loads", loads, ndim=1)
    fractions = as_float64("fractions", fractions, ndim=1)
    if loads.shape != fractions.shape:
        raise ValueError(f"loads and fractions must have the same shape, got {loads.shape} and {fractions.shape}")
    level = check_float("level", level)
    below = np.nonzero(fractions < level)[0]
    if below.size == 0:
        return float("nan")
    k = int(below[0])
    if k == 0:
        return float(loads[0])
    x0, x1, y0, y1 = loads[k - 1], loads[k], fractions[k - 1], fractions[k]
    return float(x0 + (y0 - level) * (x1 - x0) / (y0 - y1))


def hopfield_error_probability(n_patterns: int, n_units: int) -> float:
    """Hopfield's (1982) estimate of the chance that one bit of a stored memory is unstable (his eq. 10).

    For 0/1 units the field on a unit in a stored state has mean ±N/2 and, from the other n − 1 memories,
    Gaussian noise of rms σ = [(n − 1) N / 2]^{1/2}; the bit flips when the noise beats the signal:
    P = ½ erfc((N/2) / (σ √2)). Hopfield: "For the case n = 10, N = 100, P = 0.0091".
    """
    n = check_int("n_patterns", n_patterns, low=2)
    N = check_int("n_units", n_units, low=1)
    sigma = math.sqrt((n - 1) * N / 2)
    return 0.5 * math.erfc((N / 2) / (sigma * math.sqrt(2)))
