"""How a gradient shrinks or grows on its way back through time: Jacobian products of a recurrent layer.

For an Elman RNN run on one sequence,

    a_t = W_ih x_t + b + W_hh h_{t-1},     h_t = φ(a_t),

one step back multiplies a gradient by the step Jacobian, and T steps back by their product:

    J_t = ∂h_t/∂h_{t-1} = diag(φ'(a_t)) W_hh                        (H, H)
    ∂h_T/∂h_0 = J_T J_{T-1} ⋯ J_1                                   (H, H)

With γ = max |φ'| (1 for tanh, ReLU and the identity, 1/4 for the sigmoid) and λ1 = ‖W_hh‖₂, the largest
singular value, every factor has norm at most γ λ1, so ‖∂h_T/∂h_0‖₂ ≤ (γ λ1)^T: λ1 < 1/γ is enough for the
gradient to vanish, and λ1 > 1/γ is needed (not enough) for it to explode (Pascanu, Mikolov & Bengio 2013).

Everything here works on ONE sequence (no batch axis), in float64: x is (T, I) and the states h are (T, H),
the rows h_1 … h_T. Introduced in 04_vanishing_exploding.ipynb.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rnn_helpers import scratch
from rnn_helpers._checks import as_float64, check_choice, check_float, check_int, describe, make_rng

__all__ = [
    "GAMMA",
    "NONLINEARITIES",
    "GradientFlow",
    "TemporalContributions",
    "activate",
    "clip_by_norm",
    "derivative",
    "gradient_flow",
    "jacobian_norms",
    "jacobian_product",
    "matrix_with_spectral_norm",
    "one_unit_rnn",
    "run_rnn",
    "step_jacobians",
    "temporal_contributions",
]

NONLINEARITIES = scratch.ACTIVATIONS  # ("tanh", "sigmoid", "relu", "identity")
GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0, "identity": 1.0}
"""γ = max over a of |φ'(a)|: tanh'(0) = 1, σ'(0) = 1/4, and 1 for ReLU (where active) and the identity."""


def _check_nonlinearity(nonlinearity) -> str:
    return check_choice("nonlinearity", nonlinearity, NONLINEARITIES)


# φ and φ' live with the Elman step in scratch (one of each); chapter 04 reaches them as gradients.activate
# and gradients.derivative
activate = scratch.activate
derivative = scratch.activation_derivative


def matrix_with_spectral_norm(
    H: int, spectral_norm: float, *, kind: str = "orthogonal", seed: int | None = 0
) -> np.ndarray:
    """A random (H, H) recurrent matrix W_hh whose largest singular value λ1 is exactly ``spectral_norm``.

    ``kind="orthogonal"``: W = λ1 Q with Q a random orthogonal matrix, so EVERY singular value and every
    eigenvalue modulus equals λ1 (for the identity nonlinearity, ‖W^T‖ = λ1^T exactly).
    ``kind="gaussian"``: W = λ1 G / ‖G‖₂ with G Gaussian; only the largest singular value is λ1, and the
    spectral radius (largest eigenvalue modulus) is smaller, about λ1 / 2 for large H.

    Introduced in 04_vanishing_exploding.ipynb.
    """
    H = check_int("H", H, low=1)
    spectral_norm = check_float("spectral_norm", spectral_norm, low=0.0)
    check_choice("kind", kind, ["orthogonal", "gaussian"])
    rng = make_rng(seed)
    G = rng.standard_normal((H, H))
    if kind == "orthogonal":
        Q, R = np.linalg.qr(G)
        Q = Q * np.where(np.diag(R) < 0, -1.0, 1.0)  # sign fix: Q is uniformly (Haar) distributed
        return spectral_norm * Q
    return spectral_norm * G / np.linalg.norm(G, 2)


def run_rnn(x, W_ih, W_hh, *, b=None, h0=None, nonlinearity: str = "tanh") -> np.ndarray:
    """Run an Elman RNN over ONE sequence and return its states h_1 … h_T.

        a_t = W_ih x_t + b + W_hh h_{t-1},     h_t = φ(a_t)

    Shapes: x (T, I), W_ih (H, I), W_hh (H, H), b (H,) or None (no bias), h0 (H,) or None (zeros).
    Returns h of shape (T, H), row t-1 holding h_t. For tanh and ReLU this is ``scratch.RNN`` (chapter 03)
    with b = b_ih + b_hh; the sigmoid and the identity are here for the comparison of this chapter.
    Introduced in 04_vanishing_exploding.ipynb.
    """
    _check_nonlinearity(nonlinearity)
    W_hh = as_float64("W_hh", W_hh, ndim=2)
    H = W_hh.shape[0]
    W_hh = as_float64("W_hh", W_hh, shape=(H, H))
    W_ih = as_float64("W_ih", W_ih, shape=(H, None))
    x = as_float64("x (one sequence (T, I), no batch axis)", x, shape=(None, W_ih.shape[1]))
    if x.shape[0] < 1:
        raise ValueError(f"x must hold at least one time step, got shape {x.shape}")
    b = None if b is None else as_float64("b", b, shape=(H,))
    h0 = None if h0 is None else as_float64("h0", h0, shape=(H,))[None]  # (1, H)
    # a_t = W_ih x_t + b + W_hh h_{t-1};  h_t = φ(a_t): scratch's Elman forward on a batch of one
    return scratch.rnn_forward(x[None], W_ih, W_hh, b, None, h0=h0, nonlinearity=nonlinearity)[0]  # (T, H)


def _check_states(h, W_hh) -> tuple[np.ndarray, np.ndarray]:
    W_hh = as_float64("W_hh", W_hh, ndim=2)
    H = W_hh.shape[0]
    W_hh = as_float64("W_hh", W_hh, shape=(H, H))
    h = as_float64("h (the states h_1 … h_T of one sequence)", h, shape=(None, H))
    if h.shape[0] < 1:
        raise ValueError(f"h must hold at least one time step, got shape {h.shape}")
    return h, W_hh


def step_jacobians(h, W_hh, nonlinearity: str = "tanh") -> np.ndarray:
    """The step Jacobians J_t = ∂h_t/∂h_{t-1} = diag(φ'(a_t)) W_hh for t = 1 … T.

    ``h`` (T, H) holds the states h_1 … h_T (what ``run_rnn`` or ``scratch.RNN.forward`` returns for one
    sequence); φ'(a_t) is read off h_t (see ``derivative``). Returns (T, H, H).
    Introduced in 04_vanishing_exploding.ipynb.
    """
    _check_nonlinearity(nonlinearity)
    h, W_hh = _check_states(h, W_hh)
    # diag(φ'(a_t)) W_hh scales row i of W_hh by φ'(a_t)_i                  (T, H, 1) * (1, H, H) -> (T, H, H)
    return derivative(h, nonlinearity)[:, :, None] * W_hh[None, :, :]


def jacobian_product(h, W_hh, nonlinearity: str = "tanh") -> np.ndarray:
    """∂h_T/∂h_0 = J_T J_{T-1} ⋯ J_1, an (H, H) matrix, from the states h (T, H) of one sequence.

    Introduced in 04_vanishing_exploding.ipynb.
    """
    J = step_jacobians(h, W_hh, nonlinearity)
    P = np.eye(J.shape[1])
    for J_t in J:
        P = J_t @ P  # ∂h_t/∂h_0 = J_t ∂h_{t-1}/∂h_0
    return P


def jacobian_norms(h, W_hh, nonlinearity: str = "tanh") -> np.ndarray:
    """‖∂h_t/∂h_0‖₂ (largest singular value) for t = 1 … T: how much a gradient arriving at step t can still
    change h_0, as a function of the time lag t. Shape (T,). Introduced in 04_vanishing_exploding.ipynb.
    """
    J = step_jacobians(h, W_hh, nonlinearity)
    P = np.eye(J.shape[1])
    norms = np.empty(J.shape[0])
    for t, J_t in enumerate(J):
        P = J_t @ P  # ∂h_t/∂h_0
        norms[t] = np.linalg.norm(P, 2)
    return norms


def clip_by_norm(grads, max_norm: float):
    """Gradient-norm clipping (Pascanu, Mikolov & Bengio 2013, algorithm 1), what
    ``torch.nn.utils.clip_grad_norm_`` does:

        ‖g‖ = sqrt(Σ over every array of Σ g²);   if ‖g‖ > max_norm:  g ← g · max_norm / ‖g‖

    ONE norm over all the arrays together, so the direction of the whole gradient is kept.
    ``grads`` is a numpy array or a list/tuple of arrays; returns ``(clipped, norm)`` with ``clipped`` of the
    same kind (new arrays; the input is not changed) and ``norm`` the norm before clipping.
    Introduced in 04_vanishing_exploding.ipynb.
    """
    max_norm = check_float("max_norm", max_norm, low=0.0, low_open=True)
    single = isinstance(grads, np.ndarray)
    if not single and not (isinstance(grads, list | tuple) and grads):
        raise TypeError(f"grads must be a numpy array or a non-empty list of numpy arrays, got {describe(grads)}")
    arrays = [as_float64(f"grads[{i}]", g) for i, g in enumerate([grads] if single else grads)]
    norm = math.sqrt(sum(float(np.sum(g**2)) for g in arrays))
    scale = max_norm / norm if norm > max_norm else 1.0
    clipped = [g * scale for g in arrays]
    return (clipped[0] if single else type(grads)(clipped)), norm


def one_unit_rnn(w, b, *, T: int, h0: float, nonlinearity: str = "sigmoid"):
    """A one-unit RNN without input, h_t = φ(w h_{t-1} + b), run for T steps from h_0 (the model of
    Pascanu, Mikolov & Bengio 2013, section 3, in our notation). Returns ``(h_T, dh_T/dw, dh_T/db)``.

    The derivatives are exact, carried forward with the state (forward-mode differentiation):

        dh_t/dw = φ'(a_t) (h_{t-1} + w dh_{t-1}/dw),      dh_t/db = φ'(a_t) (1 + w dh_{t-1}/db)

    ``w`` and ``b`` may be numbers or arrays (they broadcast, so a whole grid of (w, b) runs at once); the
    outputs have their broadcast shape. Here λ1 = |w|, so by the bound above the gradient can only explode
    where |w| > 1/γ (|w| > 4 for the sigmoid). Introduced in 04_vanishing_exploding.ipynb.
    """
    _check_nonlinearity(nonlinearity)
    T = check_int("T", T, low=1)
    h0 = check_float("h0", h0)
    for name, value in (("w", w), ("b", b)):
        if isinstance(value, bool) or not (isinstance(value, int | float | np.number) or isinstance(value, np.ndarray)):
            raise TypeError(f"{name} must be a number or a numpy array, got {describe(value)}")
    w, b = np.broadcast_arrays(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64))
    h = np.full(w.shape, h0)
    dh_dw, dh_db = np.zeros(w.shape), np.zeros(w.shape)
    for _ in range(T):
        h_new = activate(w * h + b, nonlinearity)  # h_t = φ(w h_{t-1} + b)
        d = derivative(h_new, nonlinearity)  # φ'(a_t)
        dh_dw, dh_db = d * (h + w * dh_dw), d * (1.0 + w * dh_db)
        h = h_new
    if h.ndim == 0:  # numpy scalars: like arrays, they overflow to inf rather than raising
        return np.float64(h), np.float64(dh_dw), np.float64(dh_db)
    return h, dh_dw, dh_db


@dataclass
class GradientFlow:
    """What ``gradient_flow`` measured for one RNN and one sequence.

    ``norms`` (T,): ‖∂h_t/∂h_0‖₂ for t = 1 … T; ``bound`` (T,): (γ λ1)^t, which ``norms`` never exceeds;
    ``states`` (T, H): h_1 … h_T; ``spectral_norm`` λ1; ``nonlinearity``; ``gamma`` γ.
    """

    norms: np.ndarray
    bound: np.ndarray
    states: np.ndarray
    spectral_norm: float
    nonlinearity: str
    gamma: float


def gradient_flow(
    spectral_norm: float,
    nonlinearity: str,
    T: int,
    *,
    H: int = 16,
    input_scale: float = 1.0,
    kind: str = "orthogonal",
    seed: int | None = 0,
) -> GradientFlow:
    """Build an RNN with ‖W_hh‖₂ = ``spectral_norm``, run it over T steps of random input, and measure how
    ‖∂h_t/∂h_0‖₂ changes with the lag t. What the explorer of 04_vanishing_exploding.ipynb draws.

    W_hh comes from ``matrix_with_spectral_norm(H, spectral_norm, kind=kind)``; W_ih (H, 1) and the inputs
    x_t ~ N(0, 1) are drawn from the same seed, with W_ih ~ N(0, input_scale² / 4); h_0 = 0, no bias.
    Returns a ``GradientFlow``. Introduced in 04_vanishing_exploding.ipynb.
    """
    _check_nonlinearity(nonlinearity)
    T = check_int("T", T, low=1)
    H = check_int("H", H, low=1)
    input_scale = check_float("input_scale", input_scale, low=0.0)
    W_hh = matrix_with_spectral_norm(H, spectral_norm, kind=kind, seed=seed)
    rng = np.random.default_rng(None if seed is None else seed + 1)
    W_ih = rng.normal(0.0, input_scale / 2, size=(H, 1))  # (H, 1)
    x = rng.standard_normal((T, 1))  # (T, 1)
    states = run_rnn(x, W_ih, W_hh, nonlinearity=nonlinearity)  # (T, H)
    gamma = GAMMA[nonlinearity]
    t = np.arange(1, T + 1)
    return GradientFlow(
        norms=jacobian_norms(states, W_hh, nonlinearity),
        bound=(gamma * float(spectral_norm)) ** t,
        states=states,
        spectral_norm=float(spectral_norm),
        nonlinearity=nonlinearity,
        gamma=gamma,
    )


# ----------------------------------------------------------------------------------------------------------
# Pascanu, Mikolov & Bengio (2013), section 1.1, eqs. (3)-(5): the gradient as a sum of temporal contributions
# ----------------------------------------------------------------------------------------------------------


@dataclass
class TemporalContributions:
    """The gradient of E = Σ_t E_t split into one term per pair (t, k), k ≤ t (what ``temporal_contributions``
    returns).

    ``terms``: dict parameter name -> array (T, T, *shape) with ``terms[name][t-1, k-1]`` the contribution
    (∂E_t/∂h_t)(∂h_t/∂h_k)(∂⁺h_k/∂θ) of step k to ∂E_t/∂θ; zero where k > t (a loss cannot reach the future).
    ``states``: (B, T, H), the forward pass the terms were computed on; ``has_loss`` (T,) bool: whether step t
    has a loss (some ∂E_t/∂h_t nonzero).
    """

    terms: dict
    states: np.ndarray
    has_loss: np.ndarray

    @property
    def T(self) -> int:
        return self.states.shape[1]

    def _check_name(self, name) -> str:
        return check_choice("name", name, list(self.terms))

    def total(self) -> dict:
        """Σ_t Σ_{k≤t} of every term: the full BPTT gradient, dict name -> array of the parameter's shape."""
        return {name: t.sum(axis=(0, 1)) for name, t in self.terms.items()}

    def by_lag(self, name: str) -> np.ndarray:
        """G_d = Σ over the pairs with t - k = d of the terms of parameter ``name``, for d = 0 … T-1:
        (T, *shape). Σ_d G_d is the full gradient."""
        terms = self.terms[self._check_name(name)]
        return np.stack([sum(terms[k + d, k] for k in range(self.T - d)) for d in range(self.T)])

    def lag_norms(self, name: str) -> np.ndarray:
        """The mean Frobenius norm of the terms (t, k) of parameter ``name`` with t - k = d, over the steps t
        that have a loss, for d = 0 … T-1: (T,). A lag no loss reaches (every loss is at most d - 1 steps after
        the first step) gives NaN."""
        terms = self.terms[self._check_name(name)]
        flat = terms.reshape(self.T, self.T, -1)
        norms = np.full(self.T, np.nan)
        for d in range(self.T):
            values = [np.linalg.norm(flat[k + d, k]) for k in range(self.T - d) if self.has_loss[k + d]]
            if values:
                norms[d] = np.mean(values)
        return norms


def temporal_contributions(rnn, x, dE_dh, *, h0=None) -> TemporalContributions:
    """Pascanu, Mikolov & Bengio's (2013, eqs. 3-5) decomposition of the BPTT gradient of an Elman RNN:

        ∂E/∂θ = Σ_t ∂E_t/∂θ,        ∂E_t/∂θ = Σ_{k ≤ t} (∂E_t/∂h_t) (∂h_t/∂h_k) (∂⁺h_k/∂θ),

    where ∂h_t/∂h_k = J_t ⋯ J_{k+1} carries the error of step t back to step k (t - k Jacobians) and
    ∂⁺h_k/∂θ is the "immediate" derivative of h_k, with h_{k-1} held constant. Each term is computed with the
    course's pieces: the error (∂h_t/∂h_k)ᵀ ∂E_t/∂h_t is carried back by ``scratch.rnn_step_backward`` (its
    ``h_prev`` output), and the same call's weight gradients at step k are the term (t, k).

    ``rnn``: a ``scratch.RNN`` (one forward layer, tanh or ReLU); ``x`` (B, T, I); ``dE_dh`` (B, T, H):
    ∂E_t/∂h_t, the direct derivative of step t's loss with respect to h_t (through the read-out only; zero
    where step t has no loss), summed over the batch like every gradient; ``h0`` (B, H) or None (zeros).
    Returns ``TemporalContributions``; its ``total()`` equals ``rnn.backward(dE_dh)``'s weight gradients.
    The work is O(T²) steps backward (pairs where step t has no loss are skipped).
    Introduced in 04_vanishing_exploding.ipynb.
    """
    if not isinstance(rnn, scratch.RNN):
        raise TypeError(f"rnn must be a scratch.RNN (scratch.RNN.from_torch(module) copies a torch one), "
                        f"got {describe(rnn)}")
    if rnn.reverse:
        raise ValueError("rnn must process time forwards (reverse=False): the decomposition here runs t = 1 … T")
    out, _ = rnn.forward(x, h0)  # (B, T, H); checks x and h0
    B, T, H = out.shape
    dE_dh = as_float64("dE_dh (∂E_t/∂h_t for every step, (B, T, H))", dE_dh, shape=(B, T, H))
    x = as_float64("x", x)  # (B, T, I), already checked by forward
    h_start = np.zeros((B, H)) if h0 is None else as_float64("h0", h0, shape=(B, H))
    h_prev = np.concatenate([h_start[:, None], out[:, :-1]], axis=1)  # (B, T, H): h_{k-1} of step k
    W_ih, W_hh = rnn.params["weight_ih_l0"], rnn.params["weight_hh_l0"]
    names = {"W_ih": "weight_ih_l0", "W_hh": "weight_hh_l0"}
    if rnn.bias:
        names.update({"b_ih": "bias_ih_l0", "b_hh": "bias_hh_l0"})
    terms = {name: np.zeros((T, T, *rnn.params[name].shape)) for name in names.values()}
    for t in range(T):
        if not dE_dh[:, t].any():
            continue  # no loss at step t: every term (t, k) is zero
        delta = dE_dh[:, t]  # (∂h_t/∂h_k)ᵀ ∂E_t/∂h_t, for k = t first            (B, H)
        for k in range(t, -1, -1):
            step = scratch.rnn_step_backward(delta, x[:, k], h_prev[:, k], out[:, k], W_ih, W_hh, rnn.nonlinearity)
            for key, name in names.items():
                terms[name][t, k] = step[key]  # (∂E_t/∂h_t)(∂h_t/∂h_k)(∂⁺h_k/∂θ)
            delta = step["h_prev"]  # one more Jacobian: (∂h_t/∂h_{k-1})ᵀ ∂E_t/∂h_t
    return TemporalContributions(terms=terms, states=out, has_loss=dE_dh.any(axis=(0, 2)))
