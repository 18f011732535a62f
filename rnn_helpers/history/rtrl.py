"""Real-time recurrent learning (Williams & Zipser 1989) and what it costs against BPTT (chapter 02)."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import as_float64, check_int, describe
from rnn_helpers.scratch import RNN, activation_derivative, rnn_step


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

    if not isinstance(layer, RNN):
        raise TypeError(f"layer must be a rnn_helpers.scratch.RNN, got {describe(layer)}")
    if layer.reverse:
        raise ValueError("layer must run forward in time (reverse=False) for RTRL, got reverse=True")
    I, H = layer.input_size, layer.hidden_size
    x = as_float64("x", x, ndim=3)
    if x.shape[2] != I or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (B, T, {I}) with B, T >= 1, got {x.shape}")
    B, T, _ = x.shape
    d_out = as_float64("d_out", d_out, ndim=3)
    if d_out.shape != (B, T, H):
        raise ValueError(f"d_out must have shape {(B, T, H)} (like the layer's output), got {d_out.shape}")
    h = np.zeros((B, H)) if state is None else as_float64("state", state, ndim=2)
    if h.shape != (B, H):
        raise ValueError(f"state must have shape {(B, H)}, got {h.shape}")
    W_ih, W_hh = layer.params["weight_ih_l0"], layer.params["weight_hh_l0"]
    b_ih, b_hh = (layer.params["bias_ih_l0"], layer.params["bias_hh_l0"]) if layer.bias else (None, None)
    eye = np.eye(H)
    P_ih = np.zeros((B, H, H, I))  # ∂h_t[k] / ∂W_ih[i, j]
    P_hh = np.zeros((B, H, H, H))  # ∂h_t[k] / ∂W_hh[i, j]
    P_b = np.zeros((B, H, H))  # ∂h_t[k] / ∂b[i]
    g_ih, g_hh, g_b = np.zeros((H, I)), np.zeros((H, H)), np.zeros(H)
    for t in range(T):
        # the forward step is scratch's Elman step, the one BPTT's forward runs
        h_new = rnn_step(x[:, t], h, W_ih, W_hh, b_ih, b_hh, layer.nonlinearity)  # h_t = φ(a_t), (B, H)
        dphi = activation_derivative(h_new, layer.nonlinearity)  # φ'(a_t) from h_t, (B, H)
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
