"""Finite-difference gradients and relative errors: how we know a hand-written backward is right.

A hand-written gradient is trusted when it matches central differences,

    ∂f/∂x_k ≈ (f(x + ε e_k) - f(x - ε e_k)) / (2ε),

whose error is O(ε²) plus rounding of order (machine epsilon)·|f| / ε; in float64 with ε = 1e-6 the two
agree to about 1e-8 relative error or better. Introduced in 03_vanilla_rnn.ipynb.

    errors = gradcheck.check_gradients(scratch.LSTM(3, 4), x)   # {"weight_ih_l0": 3e-10, ..., "x": 1e-10}
    print(gradcheck.format_report(errors))
"""

from __future__ import annotations

import numbers

import numpy as np

from rnn_helpers._checks import as_float64, check_array, check_callable, check_float, describe, make_rng
from rnn_helpers.scratch import RecurrentLayer

__all__ = ["check_gradients", "format_report", "numerical_gradient", "relative_error"]


def _check_float_array(name: str, value) -> np.ndarray:
    check_array(name, value)
    if not np.issubdtype(value.dtype, np.floating):
        raise TypeError(
            f"{name} must be a float array (it is perturbed by ±eps in place), got {describe(value)}"
        )
    return value


def _scalar(value) -> float:
    """f's value as a Python float; f must return a single real number."""
    if np.ndim(value) != 0 or not np.isrealobj(value):
        raise ValueError(f"f must return a single real number, got {describe(value)}")
    return float(value)


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function f at the array x.

        df/dx_k ≈ (f(x + ε e_k) - f(x - ε e_k)) / (2ε)      for every entry k of x

    ``f`` is called as ``f(x)`` with ``x`` itself, perturbed in place one entry at a time and restored
    exactly afterwards, so a closure that reads the same array another way (``model.params[name]``) also
    sees the perturbation. ``x`` must be a float numpy array (float64 for good accuracy); returns an array
    of x's shape. Costs 2·x.size calls of f. Introduced in 03_vanilla_rnn.ipynb.
    """
    check_callable("f", f)
    x = _check_float_array("x", x)
    eps = check_float("eps", eps, low=0.0, low_open=True)
    grad = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        x_k = x[k]
        try:
            x[k] = x_k + eps
            f_plus = _scalar(f(x))
            x[k] = x_k - eps
            f_minus = _scalar(f(x))
        finally:
            x[k] = x_k
        # (f(x + ε e_k) - f(x - ε e_k)) / 2ε
        grad[k] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b) -> float:
    """One number saying how far two arrays of the same shape are apart, relative to their size:

        max_k |a_k - b_k| / max(max_k (|a_k| + |b_k|), tiny)

    0 means equal; about 1e-8 or less is what a correct float64 gradient scores against finite differences;
    1 means unrelated (e.g. opposite signs). ``tiny`` (the smallest positive float64) keeps the ratio
    defined when both are zero (the error is then 0); empty arrays also give 0. Normalising by the largest
    entry, not entry by entry, keeps entries that are nearly zero from dominating.
    Introduced in 03_vanilla_rnn.ipynb.
    """
    a, b = as_float64("a", a, number=True), as_float64("b", b, number=True)
    if a.shape != b.shape:
        raise ValueError(
            f"a and b must have the same shape, got a of shape {a.shape} and b of shape {b.shape}"
        )
    if a.size == 0:
        return 0.0
    # max |a - b| / max(|a| + |b|, tiny)
    scale = max(float(np.max(np.abs(a) + np.abs(b))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a - b)) / scale)


def _as_parts(state) -> tuple:
    """A layer's state as a tuple of (B, H) arrays: (h,) for RNN and GRU, (h, c) for the LSTM."""
    return tuple(state) if isinstance(state, tuple | list) else (state,)


def _linear_loss(out, final_state, d_out, d_state) -> float:
    """L = Σ out ⊙ d_out + Σ h_T ⊙ dh_T (+ Σ c_T ⊙ dc_T): its gradients are exactly d_out and d_state."""
    loss = np.sum(out * d_out)
    for part, d_part in zip(_as_parts(final_state), _as_parts(d_state), strict=True):
        loss += np.sum(part * d_part)
    return float(loss)


def _like(parts: tuple, state):
    """``parts`` in the structure of ``state``: a tuple for the LSTM's (h, c), else the one array."""
    return tuple(parts) if isinstance(state, tuple | list) else parts[0]


def _float_copy(state):
    """A float64 copy of a state, which the check may perturb in place without touching the caller's."""
    return _like(tuple(np.array(part, dtype=np.float64) for part in _as_parts(state)), state)


def check_gradients(model, x, state=None, *, seed: int = 0, eps: float = 1e-6) -> dict[str, float]:
    """Compare every hand-written gradient of a scratch layer with finite differences.

    The loss is a random linear function of everything the layer returns,

        L = Σ out ⊙ d_out + Σ h_T ⊙ dh_T (+ Σ c_T ⊙ dc_T for the LSTM),   d_out, dh_T, dc_T ~ N(0, 1),

    so ``model.backward(d_out, d_state)`` must return dL/dθ for every parameter θ, dL/dx and dL/dh_0
    (and dL/dc_0). Each is compared with ``numerical_gradient`` of L.

    Args:
        model: a ``scratch.RNN``, ``scratch.LSTM`` or ``scratch.GRU``.
        x: input, numpy (B, T, I). Keep it small: the check costs 2 forward passes per number.
        state: initial state ((B, H), or (h0, c0) for the LSTM); None means zeros. Its gradient is checked
            either way.
        seed: seed of the random d_out and d_state.
        eps: finite-difference step ε.

    Returns:
        dict name -> ``relative_error`` between the hand-written and the numerical gradient, with the
        gradient names of ``model.backward`` (``weight_ih_l0``, ..., ``x``, ``h0``, ``c0``). Neither x, state
        nor ``model.params`` are changed; afterwards the model's cache is that of the unperturbed forward.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    if not isinstance(model, RecurrentLayer):
        raise TypeError(f"model must be a scratch.RNN, scratch.LSTM or scratch.GRU, got {describe(model)}")
    eps = check_float("eps", eps, low=0.0, low_open=True)
    rng = make_rng(seed)
    out, final_state = model.forward(x, state)  # checks x and state, with clear errors
    x = np.array(x, dtype=np.float64)
    state = model.zero_state(x.shape[0]) if state is None else _float_copy(state)

    # the hand-written gradient of L
    d_out = rng.standard_normal(out.shape)
    d_state = _like(tuple(rng.standard_normal(part.shape) for part in _as_parts(final_state)), final_state)
    analytic = model.backward(d_out, d_state)

    # the numerical gradient of L with respect to each array, perturbed in place
    def loss(_perturbed: np.ndarray) -> float:
        return _linear_loss(*model.forward(x, state), d_out, d_state)

    arrays = {**model.params, "x": x, **dict(zip(model.state_names, _as_parts(state), strict=True))}
    errors = {}
    for name, value in arrays.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss, value, eps))
    model.forward(x, state)  # leave the cache of the unperturbed forward
    return errors


def format_report(errors: dict[str, float], tol: float = 1e-7) -> str:
    """A table of relative errors, one line per gradient, each marked ok or FAIL against ``tol``.

    ``errors`` is the dict ``check_gradients`` returns. Introduced in 03_vanilla_rnn.ipynb.
    """
    if not isinstance(errors, dict) or not errors:
        raise TypeError(f"errors must be a non-empty dict name -> relative error, got {describe(errors)}")
    tol = check_float("tol", tol, low=0.0, low_open=True)
    width = max(len(str(name)) for name in errors)
    lines = [f"{'gradient':<{width}}  relative error  (tol {tol:.0e})"]
    for name, error in errors.items():
        if isinstance(error, bool) or not isinstance(error, numbers.Real):
            raise TypeError(f"errors[{name!r}] must be a number, got {describe(error)}")
        # NaN compares False, so a NaN gradient is reported as FAIL
        lines.append(f"{name:<{width}}  {error:14.2e}  {'ok' if error <= tol else 'FAIL'}")
    return "\n".join(lines)
