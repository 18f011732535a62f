"""A runnable history of recurrent networks: the models of chapter 02, each small enough to run in seconds.

- ``Perceptron``: Rosenblatt's (1958) threshold unit and its error-correction rule; the XOR failure that
  Minsky & Papert (1969) made famous.
- ``HopfieldNetwork``, ``hebbian_weights``, ``capacity_sweep``: Hopfield's (1982) associative memory, its
  Hebbian storage, asynchronous and synchronous recall, and its capacity of about 0.14 N patterns.
- ``ElmanNetwork`` and ``JordanNetwork``: the simple recurrent networks of Jordan (1986) and Elman (1990),
  trained the way they were: online, one bit at a time, with the error propagated back one step only.
- ``rtrl_gradients``: real-time recurrent learning (Williams & Zipser 1989), forward-mode gradients of a
  ``scratch.RNN`` that equal backpropagation through time.
- ``MILESTONES``, ``ERAS``, ``EraResult``: the timeline the notebook's widget walks through.

Everything is numpy (the RTRL check reads a ``rnn_helpers.scratch.RNN``). Shapes: B batch (or probes),
T time, N units of a Hopfield network, P stored patterns, I inputs, H hidden units, O outputs.

Introduced in 02_history.ipynb.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from rnn_helpers._checks import check_array, check_choice, check_float, check_int, check_seed, describe

__all__ = [
    "BOOLEAN_FUNCTIONS",
    "ERAS",
    "ERA_ELSEWHERE",
    "MILESTONES",
    "CapacityResult",
    "ElmanNetwork",
    "EraResult",
    "HopfieldNetwork",
    "JordanNetwork",
    "Milestone",
    "Perceptron",
    "PerceptronFit",
    "RecallResult",
    "boolean_dataset",
    "capacity_sweep",
    "corrupt",
    "crossing_load",
    "error_by_phase",
    "hebbian_weights",
    "hopfield_error_probability",
    "learning_costs",
    "rtrl_gradients",
]


def _as_real(name: str, value, *, ndim: int | None = None) -> np.ndarray:
    """A real numpy array (not bool, not complex) of ``ndim`` dimensions, as float64."""
    check_array(name, value, ndim=ndim)
    if value.dtype == bool or not np.issubdtype(value.dtype, np.number) or np.iscomplexobj(value):
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    return value.astype(np.float64)


# ---------------------------------------------------------------------------------------------- perceptron
BOOLEAN_FUNCTIONS = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "XOR": (0, 1, 1, 0),
    "NAND": (1, 1, 1, 0),
}
"""Truth tables on the inputs (0, 0), (0, 1), (1, 0), (1, 1), in that order."""


def boolean_dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The four input pairs (0,0), (0,1), (1,0), (1,1) and the targets of a two-input Boolean function.

    Returns ``X`` float64 (4, 2) and ``y`` int64 (4,). ``name`` is one of ``BOOLEAN_FUNCTIONS``.
    Introduced in 02_history.ipynb.
    """
    check_choice("name", name, list(BOOLEAN_FUNCTIONS))
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(BOOLEAN_FUNCTIONS[name], dtype=np.int64)


@dataclass
class PerceptronFit:
    """What ``Perceptron.fit`` records, one entry per epoch (a pass over the examples).

    ``mistakes[e]``: updates made in epoch e; ``accuracy[e]``: accuracy on all examples after epoch e;
    ``weights[e]``: (w_1 … w_I, b) after epoch e; ``converged_epoch``: the first epoch (1-based) without a
    mistake, or None.
    """

    mistakes: list[int] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    weights: list[np.ndarray] = field(default_factory=list)
    converged_epoch: int | None = None

    @property
    def converged(self) -> bool:
        return self.converged_epoch is not None


class Perceptron:
    """Rosenblatt's perceptron: one threshold unit that learns from its mistakes.

    Take x (I,), return ŷ = 1 if w·x + b > 0 else 0. After each example (x, y):

        w ← w + η (y − ŷ) x,     b ← b + η (y − ŷ)

    so nothing changes when the answer is right. If the classes can be separated by a line (a hyperplane),
    the rule stops after finitely many mistakes (the perceptron convergence theorem, Novikoff 1962); if not,
    as for XOR, it never stops changing the weights.

    Source: F. Rosenblatt (1958), "The perceptron: a probabilistic model for information storage and
    organization in the brain", Psychological Review 65(6), 386–408; here in the simplified modern form (one
    unit on the raw inputs, the rule written as error correction). The XOR limit: M. Minsky & S. Papert (1969),
    *Perceptrons*.

    Args:
        n_inputs: I. lr: η > 0. Weights and bias start at zero, so a run is deterministic.

    Introduced in 02_history.ipynb.
    """

    def __init__(self, n_inputs: int, *, lr: float = 1.0):
        self.n_inputs = check_int("n_inputs", n_inputs, low=1)
        self.lr = check_float("lr", lr, low=0.0, low_open=True)
        self.w = np.zeros(self.n_inputs)
        self.b = 0.0

    def _check_X(self, X) -> np.ndarray:
        X = _as_real("X", X, ndim=2)
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (B, {self.n_inputs}), got {X.shape}")
        return X

    def predict(self, X) -> np.ndarray:
        """ŷ = step(X w + b) for X (B, I); returns int64 (B,) of 0 and 1."""
        X = self._check_X(X)
        return (X @ self.w + self.b > 0).astype(np.int64)

    def update(self, x, y) -> int:
        """One step of the rule on one example x (I,), y ∈ {0, 1}; returns the error y − ŷ (−1, 0 or 1)."""
        x = self._check_X(_as_real("x", x, ndim=1)[None])[0]
        if y not in (0, 1):
            raise ValueError(f"y must be 0 or 1, got {y!r}")
        error = int(y) - int(x @ self.w + self.b > 0)
        # w ← w + η (y − ŷ) x ;  b ← b + η (y − ŷ)
        self.w = self.w + self.lr * error * x
        self.b = self.b + self.lr * error
        return error

    def fit(self, X, y, *, epochs: int = 20) -> PerceptronFit:
        """Present the examples in order, ``epochs`` times (stopping after an epoch without mistakes)."""
        X = self._check_X(X)
        y = np.asarray(y)
        if y.shape != (X.shape[0],) or not np.isin(y, (0, 1)).all():
            raise ValueError(f"y must be {X.shape[0]} labels in {{0, 1}}, got {describe(y)}")
        epochs = check_int("epochs", epochs, low=1)
        fit = PerceptronFit()
        for epoch in range(1, epochs + 1):
            mistakes = sum(self.update(x_i, int(y_i)) != 0 for x_i, y_i in zip(X, y, strict=True))
            fit.mistakes.append(mistakes)
            fit.accuracy.append(float((self.predict(X) == y).mean()))
            fit.weights.append(np.append(self.w, self.b))
            if mistakes == 0:
                fit.converged_epoch = epoch
                break
        return fit


# ------------------------------------------------------------------------------------------ Hopfield network
def _check_spins(name: str, value, *, ndim: int) -> np.ndarray:
    """A numpy array of ±1 entries with ``ndim`` dimensions, as float64."""
    value = _as_real(name, value, ndim=ndim)
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
            rng = np.random.default_rng(check_seed("seed", seed))
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
    rng = np.random.default_rng(check_seed("seed", seed))
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
    loads = _as_real("loads", np.asarray(loads, dtype=float) if isinstance(loads, (list, tuple)) else loads, ndim=1)
    if loads.size == 0 or (loads <= 0).any():
        raise ValueError(f"loads must be a non-empty 1-D array of loads P/N > 0, got {describe(loads)}")
    trials = check_int("trials", trials, low=1)
    noise = check_float("noise", noise, low=0.0, high=0.5)
    check_choice("convention", convention, HopfieldNetwork.CONVENTIONS)
    max_sweeps = check_int("max_sweeps", max_sweeps, low=1)
    rng = np.random.default_rng(check_seed("seed", seed))
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
    loads = _as_real("loads", loads, ndim=1)
    fractions = _as_real("fractions", fractions, ndim=1)
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


# ------------------------------------------------------------------------ Jordan and Elman simple recurrent nets
def _sigmoid(a):
    """σ(a) = 1 / (1 + e^{−a}) for numpy arrays, without overflow."""
    return np.exp(-np.logaddexp(0.0, -a))


def _sigmoid_float(a: float) -> float:
    """σ(a) for one Python float (the online training loop runs on floats: see ``train``)."""
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


class _SimpleRecurrentNetwork:
    """Common code of ``ElmanNetwork`` and ``JordanNetwork``: a layer of sigmoid hidden units that sees the
    input x_t and a context c_t, and a layer of sigmoid outputs:

        h_t = σ(W_xh x_t + W_ch c_t + b_h)        (H,)
        y_t = σ(W_hy h_t + b_y)                   (O,)

    The subclasses differ only in what the context holds (``_next_context``).
    """

    context_start = 0.0

    def __init__(self, n_inputs: int, n_hidden: int, n_outputs: int, *, seed: int | None = 0):
        self.n_inputs = check_int("n_inputs", n_inputs, low=1)
        self.n_hidden = check_int("n_hidden", n_hidden, low=1)
        self.n_outputs = check_int("n_outputs", n_outputs, low=1)
        rng = np.random.default_rng(check_seed("seed", seed))
        I, H, O, C = self.n_inputs, self.n_hidden, self.n_outputs, self.context_size
        # weights and biases ~ U(-1, 1): the papers do not give their initial range
        self.params = {
            "W_xh": rng.uniform(-1, 1, (H, I)), "W_ch": rng.uniform(-1, 1, (H, C)), "b_h": rng.uniform(-1, 1, H),
            "W_hy": rng.uniform(-1, 1, (O, H)), "b_y": rng.uniform(-1, 1, O),
        }

    @property
    def context_size(self) -> int:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_inputs={self.n_inputs}, n_hidden={self.n_hidden}, n_outputs={self.n_outputs})"

    def _check_sequences(self, name: str, value, size: int, ndim: int) -> np.ndarray:
        value = _as_real(name, value.detach().cpu().numpy() if hasattr(value, "detach") else value)
        if value.ndim != ndim or value.shape[-1] != size or 0 in value.shape:
            what = "(B, T, {})" if ndim == 3 else "(T, {})"
            raise ValueError(f"{name} must have shape {what.format(size)} with B, T >= 1, got {value.shape}")
        return value

    def forward(self, x, *, targets=None) -> tuple[np.ndarray, np.ndarray]:
        """Run over x (B, T, I) (numpy or torch); return outputs y (B, T, O) and hidden states h (B, T, H).

        ``targets`` (B, T, O), optional: for the Jordan network, feed back the targets instead of the outputs
        (teacher forcing); the Elman network ignores them.
        """
        x = self._check_sequences("x", x, self.n_inputs, 3)
        if targets is not None:
            targets = self._check_sequences("targets", targets, self.n_outputs, 3)
            if targets.shape[:2] != x.shape[:2]:
                raise ValueError(f"targets must have shape {x.shape[:2] + (self.n_outputs,)}, got {targets.shape}")
        p = self.params
        B, T, _ = x.shape
        c = np.full((B, self.context_size), self.context_start)
        ys, hs = np.empty((B, T, self.n_outputs)), np.empty((B, T, self.n_hidden))
        for t in range(T):
            # h_t = σ(W_xh x_t + W_ch c_t + b_h) ;  y_t = σ(W_hy h_t + b_y)
            h = _sigmoid(x[:, t] @ p["W_xh"].T + c @ p["W_ch"].T + p["b_h"])  # (B, H)
            y = _sigmoid(h @ p["W_hy"].T + p["b_y"])  # (B, O)
            ys[:, t], hs[:, t] = y, h
            c = self._next_context(c, h, y if targets is None else targets[:, t])
        return ys, hs

    def step_gradients(self, x_t, c_t, target_t) -> dict[str, np.ndarray]:
        """The gradients used for one online update: of E_t = ½ ‖y_t − target_t‖² with the context c_t held
        fixed, as if it were one more input (Elman's copy-back: the error goes back one step only).

        x_t (I,), c_t (C,), target_t (O,); returns arrays shaped like ``params``.
        """
        p = self.params
        x_t, c_t, target_t = (np.asarray(v, dtype=np.float64) for v in (x_t, c_t, target_t))
        h = _sigmoid(p["W_xh"] @ x_t + p["W_ch"] @ c_t + p["b_h"])
        y = _sigmoid(p["W_hy"] @ h + p["b_y"])
        d_y = (y - target_t) * y * (1 - y)  # δ_o = ∂E/∂(pre-activation of y)
        d_h = (p["W_hy"].T @ d_y) * h * (1 - h)  # δ_h
        return {"W_xh": np.outer(d_h, x_t), "W_ch": np.outer(d_h, c_t), "b_h": d_h,
                "W_hy": np.outer(d_y, h), "b_y": d_y}

    def train(self, x, y, *, passes: int, lr: float) -> list[float]:
        """Online training on one stream, as in 1986–1990: x (T, I), y (T, O) (numpy or torch).

        ``passes`` times through the stream, from the start context each time; after every step t the weights
        move by −lr × ``step_gradients`` (the copy-back rule: the context is not differentiated). Returns the
        mean squared error ½‖y_t − target_t‖² of every pass, averaged over the T steps.

        The loop runs on plain Python floats: for a network of a few units, numpy's per-call overhead would
        make it several times slower.
        """
        X = self._check_sequences("x", x, self.n_inputs, 2).tolist()
        Y = self._check_sequences("y", y, self.n_outputs, 2)
        if Y.shape[0] != len(X):
            raise ValueError(f"y must have shape ({len(X)}, {self.n_outputs}), got {Y.shape}")
        Y = Y.tolist()
        passes = check_int("passes", passes, low=1)
        lr = check_float("lr", lr, low=0.0, low_open=True)
        P = {name: value.tolist() for name, value in self.params.items()}
        W_xh, W_ch, b_h, W_hy, b_y = P["W_xh"], P["W_ch"], P["b_h"], P["W_hy"], P["b_y"]
        units, outs = range(self.n_hidden), range(self.n_outputs)
        inputs, contexts = range(self.n_inputs), range(self.context_size)
        sig, exp, history = _sigmoid_float, math.exp, []
        for _ in range(passes):
            c = [self.context_start] * self.context_size
            total = 0.0
            for x_t, t_t in zip(X, Y, strict=True):
                # forward: h = σ(W_xh x + W_ch c + b_h)
                h = []
                for k in units:
                    a, row_x, row_c = b_h[k], W_xh[k], W_ch[k]
                    for j in inputs:
                        a += row_x[j] * x_t[j]
                    for j in contexts:
                        a += row_c[j] * c[j]
                    h.append(1.0 / (1.0 + exp(-a)) if a >= 0 else sig(a))
                # y = σ(W_hy h + b_y);  δ_o = (y − t) y (1 − y)
                d_y = []
                for o in outs:
                    a, row = b_y[o], W_hy[o]
                    for k in units:
                        a += row[k] * h[k]
                    y_o = sig(a)
                    total += 0.5 * (y_o - t_t[o]) ** 2
                    d_y.append((y_o - t_t[o]) * y_o * (1.0 - y_o))
                # δ_h = (W_hyᵀ δ_o) h (1 − h), with W_hy before its update
                d_h = []
                for k in units:
                    g = 0.0
                    for o in outs:
                        g += W_hy[o][k] * d_y[o]
                    d_h.append(g * h[k] * (1.0 - h[k]))
                # update: W ← W − lr ∂E_t/∂W (the context c counts as an input)
                for o in outs:
                    row, step = W_hy[o], lr * d_y[o]
                    for k in units:
                        row[k] -= step * h[k]
                    b_y[o] -= step
                for k in units:
                    row_x, row_c, step = W_xh[k], W_ch[k], lr * d_h[k]
                    for j in inputs:
                        row_x[j] -= step * x_t[j]
                    for j in contexts:
                        row_c[j] -= step * c[j]
                    b_h[k] -= step
                c = self._next_context_list(c, h, t_t)
            history.append(total / len(X))
        self.params = {name: np.array(value) for name, value in P.items()}
        return history


class ElmanNetwork(_SimpleRecurrentNetwork):
    """Elman's simple recurrent network: the hidden layer's last state is copied back as context.

        h_t = σ(W_xh x_t + W_ch c_t + b_h),   y_t = σ(W_hy h_t + b_y),   c_{t+1} = h_t,   c_1 = 0.5

    "The context units are initially set to 0.5", and the copy from hidden to context units is fixed at 1.0
    and not trained; training is plain backpropagation at every step, the context treated as input.
    For the temporal XOR, Elman used 1 input, 2 hidden units, 1 output and 2 context units and trained for 600
    passes through a 3,000-bit stream (section "Exclusive-or" and Fig. 3).

    Source: J. L. Elman (1990), "Finding structure in time", Cognitive Science 14(2), 179–211.

    Args: n_inputs I, n_hidden H (= the number of context units), n_outputs O, seed for the initial weights.
    Attributes: ``params`` dict with ``W_xh`` (H, I), ``W_ch`` (H, H), ``b_h`` (H,), ``W_hy`` (O, H),
    ``b_y`` (O,).

    Introduced in 02_history.ipynb.
    """

    context_start = 0.5

    @property
    def context_size(self) -> int:
        return self.n_hidden

    def _next_context(self, c, h, y_or_target):
        return h  # c_{t+1} = h_t

    def _next_context_list(self, c, h, target):
        return h


class JordanNetwork(_SimpleRecurrentNetwork):
    """Jordan's network: the outputs are fed back into "state" units that also keep a decaying trace of
    themselves.

        h_t = σ(W_xh x_t + W_ch s_t + b_h),   y_t = σ(W_hy h_t + b_y),   s_{t+1} = μ s_t + y_t,   s_1 = 0

    Jordan trained with the targets fed back in place of the outputs (teacher forcing), which ``train`` does
    (``teacher_forcing=True``); ``forward`` feeds back its own outputs unless given ``targets``.

    Source: M. I. Jordan (1986), "Serial order: a parallel distributed processing approach", ICS Report 8604,
    Institute for Cognitive Science, University of California, San Diego.

    Args: n_inputs I (Jordan's "plan" units), n_hidden H, n_outputs O (= the number of state units),
    mu: μ in [0, 1), the state units' self-connection, seed.

    Introduced in 02_history.ipynb.
    """

    def __init__(self, n_inputs: int, n_hidden: int, n_outputs: int, *, mu: float = 0.5, seed: int | None = 0):
        self.mu = check_float("mu", mu, low=0.0, high=1.0, high_open=True)
        super().__init__(n_inputs, n_hidden, n_outputs, seed=seed)

    @property
    def context_size(self) -> int:
        return self.n_outputs

    def _next_context(self, s, h, y_or_target):
        return self.mu * s + y_or_target  # s_{t+1} = μ s_t + y_t

    def _next_context_list(self, s, h, target):
        return [self.mu * s_k + t_k for s_k, t_k in zip(s, target, strict=True)]  # teacher forcing


def error_by_phase(outputs, targets, period: int = 3) -> np.ndarray:
    """Root-mean-square error |y_t − target_t| grouped by the phase t mod ``period``; returns (period,).

    outputs and targets: arrays of the same shape whose second axis is time, (B, T) or (B, T, O), or (T,).
    For ``tasks.temporal_xor`` with period 3, phase 1 is the predictable bit (the XOR of the two before it).
    """
    outputs = _as_real("outputs", np.asarray(outputs.detach() if hasattr(outputs, "detach") else outputs))
    targets = _as_real("targets", np.asarray(targets.detach() if hasattr(targets, "detach") else targets))
    if outputs.shape != targets.shape or outputs.ndim not in (1, 2, 3):
        raise ValueError(f"outputs and targets must have the same shape (T,), (B, T) or (B, T, O), "
                         f"got {outputs.shape} and {targets.shape}")
    period = check_int("period", period, low=1)
    sq = (outputs - targets) ** 2
    if sq.ndim == 1:
        sq = sq[None]
    T = sq.shape[1]
    if T < period:
        raise ValueError(f"need at least period = {period} time steps, got {T}")
    phase = np.arange(T) % period
    return np.array([math.sqrt(sq[:, phase == k].mean()) for k in range(period)])


# -------------------------------------------------------------------------------- learning through time: RTRL
def rtrl_gradients(layer, x, d_out, state=None, *, return_sensitivities: bool = False):
    """Real-time recurrent learning: the weight gradients of a ``scratch.RNN``, computed forward in time.

    For the loss L = Σ_t ⟨d_out_t, h_t⟩ (any loss, through its d_out = ∂L/∂h_t), RTRL carries the
    sensitivities P_t = ∂h_t/∂θ of the current state to every weight θ along with the state:

        a_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh,        h_t = φ(a_t)
        P_t = φ'(a_t) ⊙ (∂a_t/∂θ|direct + W_hh P_{t−1}),   P_0 = 0
        ∂L/∂θ = Σ_t d_out_tᵀ P_t

    so the gradient is ready at every step without storing the past (no backward pass): memory H · |θ|
    numbers per sequence whatever T is, but W_hh P_{t−1} costs H² · |θ| ≈ H⁴ multiply-adds per step,
    against BPTT's ~H² per step and T · H stored states. The result equals ``layer.backward(d_out)``.

    Source: R. J. Williams & D. Zipser (1989), "A learning algorithm for continually running fully recurrent
    neural networks", Neural Computation 1(2), 270–280.

    Args:
        layer: a ``scratch.RNN`` (tanh or relu; forward direction). x (B, T, I), d_out (B, T, H) numpy,
        state: h0 (B, H) or None (zeros).

    Returns: dict with ``weight_ih_l0`` (H, I), ``weight_hh_l0`` (H, H) and, with bias, ``bias_ih_l0`` and
    ``bias_hh_l0`` (H,) (equal: both biases enter a_t the same way). With ``return_sensitivities=True``, also
    a dict of the final sensitivities ∂h_T/∂θ: ``W_ih`` (B, H, H, I), ``W_hh`` (B, H, H, H), ``b`` (B, H, H):
    all that RTRL keeps in memory from one step to the next.

    Introduced in 02_history.ipynb.
    """
    from rnn_helpers.scratch import RNN

    if not isinstance(layer, RNN):
        raise TypeError(f"layer must be a rnn_helpers.scratch.RNN, got {describe(layer)}")
    if layer.reverse:
        raise ValueError("layer must run forward in time (reverse=False) for RTRL, got reverse=True")
    I, H = layer.input_size, layer.hidden_size
    x = _as_real("x", x, ndim=3)
    if x.shape[2] != I or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (B, T, {I}) with B, T >= 1, got {x.shape}")
    B, T, _ = x.shape
    d_out = _as_real("d_out", d_out, ndim=3)
    if d_out.shape != (B, T, H):
        raise ValueError(f"d_out must have shape {(B, T, H)} (like the layer's output), got {d_out.shape}")
    h = np.zeros((B, H)) if state is None else _as_real("state", state, ndim=2)
    if h.shape != (B, H):
        raise ValueError(f"state must have shape {(B, H)}, got {h.shape}")
    W_ih, W_hh = layer.params["weight_ih_l0"], layer.params["weight_hh_l0"]
    b = layer.params["bias_ih_l0"] + layer.params["bias_hh_l0"] if layer.bias else np.zeros(H)
    eye = np.eye(H)
    P_ih = np.zeros((B, H, H, I))  # ∂h_t[k] / ∂W_ih[i, j]
    P_hh = np.zeros((B, H, H, H))  # ∂h_t[k] / ∂W_hh[i, j]
    P_b = np.zeros((B, H, H))  # ∂h_t[k] / ∂b[i]
    g_ih, g_hh, g_b = np.zeros((H, I)), np.zeros((H, H)), np.zeros(H)
    for t in range(T):
        a = x[:, t] @ W_ih.T + h @ W_hh.T + b  # (B, H)
        h_new = np.tanh(a) if layer.nonlinearity == "tanh" else np.maximum(a, 0.0)
        dphi = (1.0 - h_new**2) if layer.nonlinearity == "tanh" else (a > 0).astype(float)  # φ'(a_t), (B, H)
        # P_t = φ'(a_t) ⊙ (direct + W_hh P_{t-1}); the direct term of W[i, j] is δ_ki · (input j)
        # W_hh P_{t-1}: (H, H) @ (B, H, H·I) as one matrix product per sequence, the O(H⁴) step
        P_ih = (W_hh @ P_ih.reshape(B, H, H * I)).reshape(B, H, H, I) + eye[None, :, :, None] * x[:, t, None, None, :]
        P_hh = (W_hh @ P_hh.reshape(B, H, H * H)).reshape(B, H, H, H) + eye[None, :, :, None] * h[:, None, None, :]
        P_b = W_hh @ P_b + eye[None]
        P_ih *= dphi[:, :, None, None]
        P_hh *= dphi[:, :, None, None]
        P_b *= dphi[:, :, None]
        # ∂L/∂θ += d_out_tᵀ P_t
        g_ih += np.einsum("bk,bkij->ij", d_out[:, t], P_ih)
        g_hh += np.einsum("bk,bkij->ij", d_out[:, t], P_hh)
        g_b += np.einsum("bk,bki->i", d_out[:, t], P_b)
        h = h_new
    grads = {"weight_ih_l0": g_ih, "weight_hh_l0": g_hh}
    if layer.bias:
        grads.update({"bias_ih_l0": g_b, "bias_hh_l0": g_b.copy()})
    if return_sensitivities:
        return grads, {"W_ih": P_ih, "W_hh": P_hh, "b": P_b}
    return grads


def learning_costs(hidden_size: int, input_size: int, T: int) -> dict[str, int]:
    """Leading-order costs of BPTT and RTRL for one sequence of a one-layer RNN with biases.

    Returns a dict of counts (numbers stored, multiply-adds):
    ``n_params`` |θ| = H·I + H² + H (the two biases act as one);
    ``bptt_memory`` T·H stored states; ``rtrl_memory`` H·|θ| sensitivities (whatever T);
    ``bptt_madds_per_step`` 3H² + 2H·I (forward W_ih x, W_hh h; backward W_hhᵀ δ, δ hᵀ, δ xᵀ);
    ``rtrl_madds_per_step`` H²·|θ| (the product W_hh P_{t−1}) + H·I + H².
    """
    H = check_int("hidden_size", hidden_size, low=1)
    I = check_int("input_size", input_size, low=1)
    T = check_int("T", T, low=1)
    n_params = H * I + H * H + H
    return {
        "n_params": n_params,
        "bptt_memory": T * H,
        "rtrl_memory": H * n_params,
        "bptt_madds_per_step": 3 * H * H + 2 * H * I,
        "rtrl_madds_per_step": H * H * n_params + H * I + H * H,
    }


# ------------------------------------------------------------------------------------------------ timeline
@dataclass(frozen=True)
class Milestone:
    """One dated step in the history: ``year``, a short ``name``, the ``citation`` (authors, title, venue),
    what it brought (``idea``) and the ``era`` key (see ``ERAS``)."""

    year: int
    name: str
    citation: str
    idea: str
    era: str


ERAS = {
    "perceptron": "1958–1969 · the perceptron and its limits",
    "hopfield": "1982 · Hopfield's associative memory",
    "srn": "1986–1990 · Jordan and Elman networks",
    "learning": "1974–1990 · learning through time: BPTT and RTRL",
    "gates": "1991–2000 · vanishing gradients, LSTM, bidirectional RNNs",
    "attention": "2014–2017 · GRU, attention, transformers",
    "linear": "2023–2024 · linear recurrences and state-space models",
}
"""Era key -> label, in chronological order (the eras of ``MILESTONES``)."""

MILESTONES = (
    Milestone(1958, "Perceptron", "F. Rosenblatt, 'The perceptron: a probabilistic model for information storage and "
              "organization in the brain', Psychological Review 65(6), 386–408",
              "a threshold unit that learns its weights from mistakes", "perceptron"),
    Milestone(1969, "Perceptrons (book)", "M. Minsky & S. Papert, 'Perceptrons', MIT Press",
              "what one layer of threshold units cannot compute: XOR, parity, connectedness", "perceptron"),
    Milestone(1974, "Werbos thesis", "P. J. Werbos, 'Beyond regression: new tools for prediction and analysis in the "
              "behavioral sciences', PhD thesis, Harvard University",
              "gradients of any differentiable network by the chain rule, backwards (backpropagation)", "learning"),
    Milestone(1982, "Hopfield network", "J. J. Hopfield, 'Neural networks and physical systems with emergent "
              "collective computational abilities', PNAS 79(8), 2554–2558",
              "memories as energy minima of a symmetric recurrent network; recall by settling", "hopfield"),
    Milestone(1985, "Capacity 0.14 N", "D. J. Amit, H. Gutfreund & H. Sompolinsky, 'Storing infinite numbers of "
              "patterns in a spin-glass model of neural networks', Physical Review Letters 55, 1530–1533",
              "recall breaks down above about 0.14 N stored patterns", "hopfield"),
    Milestone(1986, "Backprop, unrolled in time", "D. E. Rumelhart, G. E. Hinton & R. J. Williams, 'Learning internal "
              "representations by error propagation', in Parallel Distributed Processing, vol. 1, ch. 8, MIT Press",
              "error backpropagation; a recurrent net trained as a feed-forward net unrolled over time", "learning"),
    Milestone(1986, "Jordan network", "M. I. Jordan, 'Serial order: a parallel distributed processing approach', "
              "ICS Report 8604, UC San Diego", "outputs fed back as state: a network that produces sequences", "srn"),
    Milestone(1988, "BPTT on a recurrent model", "P. J. Werbos, 'Generalization of backpropagation with application "
              "to a recurrent gas market model', Neural Networks 1(4), 339–356",
              "backpropagation through the time steps of a recurrent model", "learning"),
    Milestone(1989, "RTRL", "R. J. Williams & D. Zipser, 'A learning algorithm for continually running fully recurrent "
              "neural networks', Neural Computation 1(2), 270–280",
              "exact gradients carried forward in time, online, at O(n⁴) cost per step", "learning"),
    Milestone(1990, "Elman network", "J. L. Elman, 'Finding structure in time', Cognitive Science 14(2), 179–211",
              "hidden state copied back as context; prediction error reveals structure", "srn"),
    Milestone(1990, "BPTT tutorial", "P. J. Werbos, 'Backpropagation through time: what it does and how to do it', "
              "Proceedings of the IEEE 78(10), 1550–1560", "the standard account of BPTT", "learning"),
    Milestone(1991, "Vanishing gradients", "S. Hochreiter, 'Untersuchungen zu dynamischen neuronalen Netzen', "
              "diploma thesis, TU Munich", "error signals shrink or blow up exponentially with the time lag", "gates"),
    Milestone(1994, "Long-term dependencies are hard", "Y. Bengio, P. Simard & P. Frasconi, 'Learning long-term "
              "dependencies with gradient descent is difficult', IEEE Trans. Neural Networks 5(2), 157–166",
              "robust memory and trainability by gradient descent pull against each other", "gates"),
    Milestone(1997, "LSTM", "S. Hochreiter & J. Schmidhuber, 'Long short-term memory', Neural Computation 9(8), "
              "1735–1780 (technical report FKI-207-95, 1995)",
              "a memory cell with a constant error carousel, input and output gates", "gates"),
    Milestone(1997, "Bidirectional RNN", "M. Schuster & K. K. Paliwal, 'Bidirectional recurrent neural networks', IEEE "
              "Trans. Signal Processing 45(11), 2673–2681", "one RNN forward, one backward in time", "gates"),
    Milestone(1999, "Forget gate", "F. A. Gers, J. Schmidhuber & F. Cummins, 'Learning to forget: continual prediction "
              "with LSTM', ICANN 1999, 850–855; Neural Computation 12(10), 2451–2471 (2000)",
              "the LSTM learns to reset its own memory", "gates"),
    Milestone(2014, "GRU", "K. Cho et al., 'Learning phrase representations using RNN encoder–decoder for statistical "
              "machine translation', EMNLP 2014", "a gated unit with two gates and no separate cell", "attention"),
    Milestone(2014, "Attention", "D. Bahdanau, K. Cho & Y. Bengio, 'Neural machine translation by jointly learning to "
              "align and translate', arXiv:1409.0473; ICLR 2015",
              "the decoder looks back at every encoder state", "attention"),
    Milestone(2017, "Transformer", "A. Vaswani et al., 'Attention is all you need', NeurIPS 2017",
              "attention without recurrence; parallel over time", "attention"),
    Milestone(2023, "LRU", "A. Orvieto et al., 'Resurrecting recurrent neural networks for long sequences', ICML 2023",
              "a linear, diagonal recurrence that trains like a state-space model", "linear"),
    Milestone(2023, "Mamba", "A. Gu & T. Dao, 'Mamba: linear-time sequence modeling with selective state spaces', "
              "arXiv:2312.00752", "a state-space model whose dynamics depend on the input", "linear"),
    Milestone(2024, "minGRU", "L. Feng et al., 'Were RNNs all we needed?', arXiv:2410.01201",
              "gates that read only the input, so training runs as a parallel scan", "linear"),
)
"""The timeline of 02_history.ipynb, in order of year."""


@dataclass(frozen=True)
class EraResult:
    """A result to show for an era: one or more curves and a sentence with the numbers.

    ``series`` maps a label to (x, y), two equal-length 1-D sequences; ``reference`` (optional) is a y value to
    draw as a horizontal line, labelled ``reference_label``; ``vline`` (optional) an x value to draw as a
    vertical line, labelled ``vline_label``. ``viz.plot_era_result`` draws it.
    """

    era: str
    title: str
    summary: str
    series: dict
    xlabel: str
    ylabel: str
    reference: float | None = None
    reference_label: str = ""
    vline: float | None = None
    vline_label: str = ""
    logy: bool = False

    def __post_init__(self):
        check_choice("era", self.era, list(ERAS))
        if not isinstance(self.series, dict) or not self.series:
            raise TypeError(f"series must be a non-empty dict label -> (x, y), got {describe(self.series)}")
        for label, xy in self.series.items():
            pair = isinstance(xy, (tuple, list)) and len(xy) == 2
            if not pair or np.ndim(xy[0]) != 1 or np.shape(xy[0]) != np.shape(xy[1]):
                raise ValueError(f"series[{label!r}] must be (x, y), two 1-D sequences of equal length, "
                                 f"got {describe(xy)}")


ERA_ELSEWHERE = {
    "gates": "chapter 04 measures vanishing gradients, chapter 05 builds the LSTM, chapter 07 bidirectional RNNs",
    "attention": "chapter 06 builds the GRU, chapter 08 compares RNNs with attention and transformers",
    "linear": "chapter 08 compares recurrences with attention; these models are the research frontier",
}
"""Where the course runs the models of an era that this notebook only names."""
