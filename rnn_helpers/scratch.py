"""From-scratch RNN, LSTM and GRU layers in numpy, with hand-written backpropagation through time (BPTT).

Every number here can be compared with PyTorch: parameter names, shapes and gate order are PyTorch's
(LSTM gates i, f, g, o; GRU gates r, z, n), the arithmetic is float64, and ``from_torch`` / ``to_torch``
copy weights both ways. The contract (docs/DESIGN.md, "The from-scratch contract")::

    lstm = scratch.LSTM.from_torch(torch_lstm)      # numpy copies of the weights, float64
    out, (h, c) = lstm.forward(x)                   # x (B, T, I); out (B, T, H); h, c (B, H)
    grads = lstm.backward(d_out)                    # d_out = dL/d_out, (B, T, H)
    grads["weight_ih_l0"], grads["weight_hh_l0"], grads["bias_ih_l0"], grads["bias_hh_l0"], grads["x"]
    grads["h0"], grads["c0"]                        # dL/dh_0 and dL/dc_0, (B, H)

Shapes: B batch, T time, I input features, H hidden units, G gates (RNN 1, LSTM 4, GRU 3). Everything is batch
first. Unlike torch's ``h_n`` of shape (layers·directions, B, H), a scratch layer's states are (B, H): one
layer, one direction.

Gradient and parameter keys are always the single-layer names ``weight_ih_l0``, ``weight_hh_l0``,
``bias_ih_l0``, ``bias_hh_l0`` (no bias keys when ``bias=False``), even for a cell copied from layer 1 or from
the reverse direction of a torch module: a scratch cell *is* one layer and one direction.

The module has three levels, each usable on its own:

- single steps, pure functions: ``rnn_step``, ``lstm_step``, ``gru_step`` and their ``*_step_backward``;
- layers that loop the steps over time and remember what backward needs: ``RNN``, ``LSTM``, ``GRU``;
- the common base ``RecurrentLayer``: argument checks, parameters, ``from_torch``, ``to_torch``.

Introduced in 03_vanilla_rnn.ipynb (RNN and BPTT); 05_lstm.ipynb (LSTM); 06_gru.ipynb (GRU);
07_bidirectional.ipynb composes layers and directions.
"""

from __future__ import annotations

import math

import numpy as np

from rnn_helpers._checks import (
    as_float64,
    check_array,
    check_bool,
    check_choice,
    check_int,
    describe,
    make_rng,
)

__all__ = [
    "ACTIVATIONS",
    "GRU",
    "LSTM",
    "NONLINEARITIES",
    "RNN",
    "RecurrentLayer",
    "activate",
    "activation_derivative",
    "gru_step",
    "gru_step_backward",
    "lstm_step",
    "lstm_step_backward",
    "rnn_forward",
    "rnn_step",
    "rnn_step_backward",
    "sigmoid",
]

NONLINEARITIES = ("tanh", "relu")
"""The nonlinearities of ``torch.nn.RNN``, and so of the layer ``RNN``."""
ACTIVATIONS = ("tanh", "sigmoid", "relu", "identity")
"""What a single Elman step (``rnn_step``, ``rnn_forward``) accepts: torch's two, and the sigmoid and the identity
that chapter 04 compares with them."""


# ----------------------------------------------------------------------------------------------------------
# Elementwise functions and argument checks
# ----------------------------------------------------------------------------------------------------------


def sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) = 1 / (1 + e^{-a}), elementwise, without overflow for large |a|. Introduced in 05_lstm.ipynb."""
    # σ(a) = exp(-log(1 + e^{-a})); logaddexp(0, -a) = log(e^0 + e^{-a}) never overflows
    return np.exp(-np.logaddexp(0.0, -a))


def activate(a, nonlinearity: str = "tanh") -> np.ndarray:
    """φ(a), elementwise: tanh, the logistic sigmoid σ(a) = 1 / (1 + e^{-a}), ReLU max(a, 0), or the identity
    (a copy of a). Introduced in 04_vanishing_exploding.ipynb (as ``gradients.activate``)."""
    check_choice("nonlinearity", nonlinearity, ACTIVATIONS)
    a = np.asarray(a, dtype=np.float64)
    if nonlinearity == "tanh":
        return np.tanh(a)
    if nonlinearity == "sigmoid":
        return sigmoid(a)
    if nonlinearity == "relu":
        return np.maximum(a, 0.0)
    return a.copy()


def activation_derivative(h, nonlinearity: str = "tanh") -> np.ndarray:
    """φ'(a) written with the output h = φ(a), elementwise, as backpropagation uses it.

        tanh: 1 - h²      sigmoid: h (1 - h)      ReLU: 1 where h > 0, else 0      identity: 1

    Introduced in 04_vanishing_exploding.ipynb (as ``gradients.derivative``).
    """
    check_choice("nonlinearity", nonlinearity, ACTIVATIONS)
    h = np.asarray(h, dtype=np.float64)
    if nonlinearity == "tanh":
        return 1.0 - h**2
    if nonlinearity == "sigmoid":
        return h * (1.0 - h)
    if nonlinearity == "relu":
        return (h > 0).astype(np.float64)  # torch also takes relu'(0) = 0
    return np.ones_like(h)


def _split_gates(a: np.ndarray, n_gates: int) -> list[np.ndarray]:
    """The G stacked gate blocks of a pre-activation: (B, G·H) -> G × (B, H), in PyTorch's stacking order."""
    H = a.shape[1] // n_gates
    return [a[:, k * H : (k + 1) * H] for k in range(n_gates)]


def _affine(v: np.ndarray, W: np.ndarray, b: np.ndarray | None) -> np.ndarray:
    """W v + b for a batch of row vectors v: (B, n) @ (n, m)ᵀ -> (B, m); ``b=None`` means no bias."""
    a = v @ W.T
    return a if b is None else a + b


def _check_step_args(x_t, h_prev, W_ih, W_hh, b_ih, b_hh, n_gates: int) -> None:
    """Shapes of one step: x_t (B, I), h_prev (B, H), W_ih (G·H, I), W_hh (G·H, H), b_ih and b_hh (G·H,)."""
    W_hh = check_array("W_hh", W_hh, ndim=2)
    H = W_hh.shape[1]
    check_array("W_hh", W_hh, shape=(n_gates * H, H))
    W_ih = check_array("W_ih", W_ih, shape=(n_gates * H, None))
    x_t = check_array("x_t", x_t, shape=(None, W_ih.shape[1]))
    check_array("h_prev", h_prev, shape=(x_t.shape[0], H))
    for name, b in (("b_ih", b_ih), ("b_hh", b_hh)):
        if b is not None:
            check_array(name, b, shape=(n_gates * H,))


def _check_like(reference: np.ndarray, **arrays) -> None:
    """Every array in ``arrays`` must have the shape of ``reference`` (B, H)."""
    for name, value in arrays.items():
        check_array(name, value, shape=reference.shape)


# ----------------------------------------------------------------------------------------------------------
# Single steps: forward
# ----------------------------------------------------------------------------------------------------------


def rnn_step(x_t, h_prev, W_ih, W_hh, b_ih=None, b_hh=None, nonlinearity: str = "tanh") -> np.ndarray:
    """One Elman RNN step: take x_t and h_{t-1}, return h_t.

        h_t = φ(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   φ = tanh or relu (or sigmoid, identity: ACTIVATIONS)

    Shapes: x_t (B, I), h_prev (B, H), W_ih (H, I), W_hh (H, H), b_ih and b_hh (H,) or None (no bias);
    returns h_t (B, H). Introduced in 03_vanilla_rnn.ipynb.
    """
    _check_step_args(x_t, h_prev, W_ih, W_hh, b_ih, b_hh, n_gates=1)
    # a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh                          (B, H)
    a = _affine(x_t, W_ih, b_ih) + _affine(h_prev, W_hh, b_hh)
    # h_t = φ(a_t)
    return activate(a, nonlinearity)


def rnn_forward(x, W_ih, W_hh, b_ih=None, b_hh=None, *, h0=None, nonlinearity: str = "tanh", reverse: bool = False):
    """The Elman recurrence over a whole batch of sequences: ``rnn_step`` at every step, from h0 (zeros if None).

    Shapes: x (B, T, I), W_ih (H, I), W_hh (H, H), b_ih and b_hh (H,) or None, h0 (B, H) or None. Returns the
    states (B, T, H), ``states[:, t]`` being the state after reading x_t; with ``reverse=True`` the steps run
    from t = T-1 down to 0 (like the backward direction of a bidirectional ``torch.nn.RNN``). This is the one
    Elman forward of the package: ``RNN.forward``, ``gradients.run_rnn`` and ``history.rtrl_gradients`` run it.
    Introduced in 03_vanilla_rnn.ipynb.
    """
    x = check_array("x", x, ndim=3)
    check_choice("nonlinearity", nonlinearity, ACTIVATIONS)
    B, T, _ = x.shape
    H = check_array("W_hh", W_hh, ndim=2).shape[0]
    h = np.zeros((B, H)) if h0 is None else check_array("h0", h0, shape=(B, H))
    states = np.empty((B, T, H))  # (B, T, H)
    for t in range(T - 1, -1, -1) if check_bool("reverse", reverse) else range(T):
        h = rnn_step(x[:, t], h, W_ih, W_hh, b_ih, b_hh, nonlinearity)
        states[:, t] = h
    return states


def lstm_step(x_t, h_prev, c_prev, W_ih, W_hh, b_ih=None, b_hh=None):
    """One LSTM step: take x_t, h_{t-1} and c_{t-1}; return h_t, c_t and the gates.

        [a_i; a_f; a_g; a_o] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
        i_t = σ(a_i),  f_t = σ(a_f),  g_t = tanh(a_g),  o_t = σ(a_o)
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
        h_t = o_t ⊙ tanh(c_t)

    Shapes: x_t (B, I), h_prev and c_prev (B, H), W_ih (4H, I), W_hh (4H, H), b_ih and b_hh (4H,) or None.
    The rows of W_ih, W_hh and the biases are stacked in PyTorch's gate order i, f, g, o.
    Returns ``(h_t, c_t, gates)`` with ``gates = {"i", "f", "g", "o"}``, each (B, H) after its activation.
    Introduced in 05_lstm.ipynb.
    """
    _check_step_args(x_t, h_prev, W_ih, W_hh, b_ih, b_hh, n_gates=4)
    _check_like(h_prev, c_prev=c_prev)
    # [a_i; a_f; a_g; a_o] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh        (B, 4H) -> 4 × (B, H)
    a_i, a_f, a_g, a_o = _split_gates(_affine(x_t, W_ih, b_ih) + _affine(h_prev, W_hh, b_hh), 4)
    # i_t = σ(a_i), f_t = σ(a_f), g_t = tanh(a_g), o_t = σ(a_o)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    c = f * c_prev + i * g
    # h_t = o_t ⊙ tanh(c_t)
    h = o * np.tanh(c)
    return h, c, {"i": i, "f": f, "g": g, "o": o}


def gru_step(x_t, h_prev, W_ih, W_hh, b_ih=None, b_hh=None):
    """One GRU step (PyTorch's variant): take x_t and h_{t-1}; return h_t and the gates.

        r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
        z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
        n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
        h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

    z_t keeps the *old* state, as in Cho et al. 2014 (eq. 7, h = z h_prev + (1 - z) h~) and PyTorch; Chung
    et al. 2014 (eq. 5) write z and 1 - z the other way round. The reset gate multiplies W_hn h_{t-1} + b_hn,
    after the matrix product: that is the cuDNN/PyTorch variant; both papers apply it before the product,
    U (r ⊙ h_{t-1}) (06_gru.ipynb shows the three side by side).
    Shapes: x_t (B, I), h_prev (B, H), W_ih (3H, I), W_hh (3H, H), b_ih and b_hh (3H,) or None, rows stacked
    r, z, n. Returns ``(h_t, gates)`` with ``gates = {"r", "z", "n"}``, each (B, H).
    Introduced in 06_gru.ipynb.
    """
    _check_step_args(x_t, h_prev, W_ih, W_hh, b_ih, b_hh, n_gates=3)
    # [a_ir; a_iz; a_in] = W_ih x_t + b_ih,  [a_hr; a_hz; a_hn] = W_hh h_{t-1} + b_hh       (B, 3H) each
    a_ir, a_iz, a_in = _split_gates(_affine(x_t, W_ih, b_ih), 3)
    a_hr, a_hz, a_hn = _split_gates(_affine(h_prev, W_hh, b_hh), 3)
    # r_t = σ(a_ir + a_hr), z_t = σ(a_iz + a_hz)
    r, z = sigmoid(a_ir + a_hr), sigmoid(a_iz + a_hz)
    # n_t = tanh(a_in + r_t ⊙ a_hn)
    n = np.tanh(a_in + r * a_hn)
    # h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}
    h = (1 - z) * n + z * h_prev
    return h, {"r": r, "z": z, "n": n}


# ----------------------------------------------------------------------------------------------------------
# Single steps: backward. Each takes dh = dL/dh_t (everything that reaches h_t: the output at step t and the
# next step) and returns the step's gradients as a dict:
#   "x_t" (B, I), "h_prev" (B, H), "W_ih" (G·H, I), "W_hh" (G·H, H), "b_ih" (G·H,), "b_hh" (G·H,)
# and for the LSTM also "c_prev" (B, H). A layer's backward sums the weight gradients over time.
# ----------------------------------------------------------------------------------------------------------


def _affine_backward(da_ih, da_hh, x_t, h_prev, W_ih, W_hh) -> dict:
    """Backward through a_ih = W_ih x_t + b_ih and a_hh = W_hh h_{t-1} + b_hh, given dL/da_ih and dL/da_hh.

    The RNN and the LSTM add the two before any nonlinearity, so there da_ih = da_hh; the GRU does not.
    """
    return {
        # dL/dx_t = dL/da_ih W_ih                     (B, G·H) @ (G·H, I) -> (B, I)
        "x_t": da_ih @ W_ih,
        # dL/dh_{t-1} = dL/da_hh W_hh                 (B, G·H) @ (G·H, H) -> (B, H)
        "h_prev": da_hh @ W_hh,
        # dL/dW_ih = Σ_batch (dL/da_ih)ᵀ x_t          (G·H, B) @ (B, I) -> (G·H, I)
        "W_ih": da_ih.T @ x_t,
        # dL/dW_hh = Σ_batch (dL/da_hh)ᵀ h_{t-1}      (G·H, B) @ (B, H) -> (G·H, H)
        "W_hh": da_hh.T @ h_prev,
        # dL/db_ih = Σ_batch dL/da_ih, dL/db_hh = Σ_batch dL/da_hh      (G·H,)
        "b_ih": da_ih.sum(axis=0),
        "b_hh": da_hh.sum(axis=0),
    }


def rnn_step_backward(dh, x_t, h_prev, h, W_ih, W_hh, nonlinearity: str = "tanh") -> dict:
    """Backward through one ``rnn_step``: take dL/dh_t and the step's inputs and output h_t; return gradients.

    Shapes: dh, h_prev, h (B, H); x_t (B, I); W_ih (H, I); W_hh (H, H). Returns the dict described above
    (keys x_t, h_prev, W_ih, W_hh, b_ih, b_hh). Introduced in 03_vanilla_rnn.ipynb.
    """
    _check_step_args(x_t, h_prev, W_ih, W_hh, None, None, n_gates=1)
    _check_like(h_prev, dh=dh, h=h)
    # h_t = φ(a_t)  ⇒  dL/da_t = dL/dh_t ⊙ φ'(a_t), written with h_t: tanh 1 - h_t², relu [h_t > 0], ...
    da = dh * activation_derivative(h, nonlinearity)
    return _affine_backward(da, da, x_t, h_prev, W_ih, W_hh)


def lstm_step_backward(dh, dc_next, x_t, h_prev, c_prev, c, gates, W_ih, W_hh) -> dict:
    """Backward through one ``lstm_step``: take dL/dh_t and dL/dc_t from step t+1; return gradients.

    ``dc_next`` is only what reaches c_t through c_{t+1} (zero at the last step); the path through h_t is
    added here. Shapes: dh, dc_next, h_prev, c_prev, c (B, H); x_t (B, I); gates {"i", "f", "g", "o"} each
    (B, H) as returned by ``lstm_step``; W_ih (4H, I); W_hh (4H, H). Returns the dict described above plus
    "c_prev".
    Introduced in 05_lstm.ipynb.
    """
    _check_step_args(x_t, h_prev, W_ih, W_hh, None, None, n_gates=4)
    i, f, g, o = gates["i"], gates["f"], gates["g"], gates["o"]
    _check_like(h_prev, dh=dh, dc_next=dc_next, c_prev=c_prev, c=c, i=i, f=f, g=g, o=o)
    tanh_c = np.tanh(c)
    # h_t = o_t ⊙ tanh(c_t)  ⇒  dL/do_t = dL/dh_t ⊙ tanh(c_t)
    do = dh * tanh_c
    # c_t reaches the loss through h_t and through c_{t+1}:
    #     dL/dc_t = dL/dh_t ⊙ o_t ⊙ (1 - tanh²(c_t)) + dc_next
    dc = dh * o * (1 - tanh_c**2) + dc_next
    # c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t  ⇒
    #     dL/di_t = dL/dc_t ⊙ g_t,  dL/df_t = dL/dc_t ⊙ c_{t-1},  dL/dg_t = dL/dc_t ⊙ i_t
    di, df, dg = dc * g, dc * c_prev, dc * i
    # dL/dc_{t-1} = dL/dc_t ⊙ f_t
    dc_prev = dc * f
    # through the activations: σ'(a) = σ(a)(1 - σ(a)), tanh'(a) = 1 - tanh²(a)      (B, 4H), order i, f, g, o
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)], axis=1)
    grads = _affine_backward(da, da, x_t, h_prev, W_ih, W_hh)
    grads["c_prev"] = dc_prev
    return grads


def gru_step_backward(dh, x_t, h_prev, gates, W_ih, W_hh, b_hh=None) -> dict:
    """Backward through one ``gru_step``: take dL/dh_t and the step's inputs and gates; return gradients.

    a_hn = W_hn h_{t-1} + b_hn is recomputed here from h_prev, W_hh and b_hh rather than stored.
    Shapes: dh, h_prev (B, H); x_t (B, I); gates {"r", "z", "n"} each (B, H) as returned by ``gru_step``;
    W_ih (3H, I); W_hh (3H, H); b_hh (3H,) or None. Returns the dict described above.
    Introduced in 06_gru.ipynb.
    """
    _check_step_args(x_t, h_prev, W_ih, W_hh, None, b_hh, n_gates=3)
    r, z, n = gates["r"], gates["z"], gates["n"]
    _check_like(h_prev, dh=dh, r=r, z=z, n=n)
    H = h_prev.shape[1]
    # a_hn = W_hn h_{t-1} + b_hn                                             (B, H)
    a_hn = _affine(h_prev, W_hh[2 * H :], None if b_hh is None else b_hh[2 * H :])
    # h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}  ⇒
    #     dL/dn_t = dL/dh_t ⊙ (1 - z_t),  dL/dz_t = dL/dh_t ⊙ (h_{t-1} - n_t)
    dn, dz = dh * (1 - z), dh * (h_prev - n)
    # n_t = tanh(a_in + r_t ⊙ a_hn)  ⇒  dL/da_in = dL/dn_t ⊙ (1 - n_t²), dL/dr_t = dL/da_in ⊙ a_hn
    da_n = dn * (1 - n**2)
    dr = da_n * a_hn
    # r_t = σ(a_ir + a_hr), z_t = σ(a_iz + a_hz)  ⇒  σ'(a) = σ(a)(1 - σ(a))
    da_r, da_z = dr * r * (1 - r), dz * z * (1 - z)
    # the input side sees a_in directly; the hidden side sees a_hn through r_t ⊙ a_hn     (B, 3H) each
    da_ih = np.concatenate([da_r, da_z, da_n], axis=1)
    da_hh = np.concatenate([da_r, da_z, r * da_n], axis=1)
    grads = _affine_backward(da_ih, da_hh, x_t, h_prev, W_ih, W_hh)
    # h_{t-1} also reaches h_t directly, through z_t ⊙ h_{t-1}
    grads["h_prev"] += dh * z
    return grads


# ----------------------------------------------------------------------------------------------------------
# Layers: the common base
# ----------------------------------------------------------------------------------------------------------


def _torch_class(name: str):
    import torch

    return getattr(torch.nn, name)


def _numpy_copy(tensor) -> np.ndarray:
    """A float64 numpy copy of a torch tensor (any device, any float dtype)."""
    import torch

    return np.array(tensor.detach().to(device="cpu", dtype=torch.float64).numpy(), dtype=np.float64)


def _choose_layer(module, layer, reverse) -> tuple[int, bool]:
    """Which (layer, direction) of a torch module to copy; when ambiguous, the error names the options."""
    n_layers, bidirectional = module.num_layers, module.bidirectional
    missing = []
    if layer is None and n_layers > 1:
        missing.append(f"layer=k with k in 0..{n_layers - 1}")
    if reverse is None and bidirectional:
        missing.append("reverse=False (forward direction) or reverse=True (backward direction)")
    if missing:
        raise ValueError(
            f"this torch.nn.{type(module).__name__} has num_layers={n_layers} and "
            f"bidirectional={bidirectional}, but a scratch layer holds one layer and one direction: "
            f"pass {' and '.join(missing)}, "
            "e.g. from_torch(module, layer=0, reverse=False), and compose the layers (07_bidirectional.ipynb)"
        )
    layer = check_int("layer", 0 if layer is None else layer, low=0, high=n_layers - 1)
    reverse = check_bool("reverse", False if reverse is None else reverse)
    if reverse and not bidirectional:
        raise ValueError(
            "reverse=True needs a module with bidirectional=True (it has the *_reverse weights), "
            "got bidirectional=False"
        )
    return layer, reverse


class RecurrentLayer:
    """Common base of ``RNN``, ``LSTM`` and ``GRU``: parameters, checks, ``from_torch`` and ``to_torch``.

    Not used on its own. A subclass sets ``torch_name`` (its torch.nn class), ``n_gates`` (G: how many (H, ·)
    blocks its weight matrices stack), ``gate_names`` and ``state_names``, and writes ``forward`` and
    ``backward`` with the step functions above.

    Args (of every subclass's constructor):
        input_size, hidden_size: I and H.
        bias: give the layer b_ih and b_hh (torch's ``bias``).
        reverse: process time backwards, as the reverse half of a bidirectional torch module.
        seed: seed of the numpy Generator that draws the initial weights (None: fresh randomness).

    Inputs may have any real dtype; they are copied to float64, and all arithmetic is float64.

    Attributes:
        input_size, hidden_size: I and H.
        bias: whether the layer has b_ih and b_hh.
        reverse: process time from t = T-1 down to 0, as the backward half of a bidirectional torch module:
            the initial state enters at t = T-1, ``out[:, t]`` is still the state at time t, and the final
            state is the one after t = 0 (``out[:, 0]``, like torch's ``h_n[1]``).
        params: dict name -> float64 array with PyTorch's names and shapes: ``weight_ih_l0`` (G·H, I),
            ``weight_hh_l0`` (G·H, H), ``bias_ih_l0`` and ``bias_hh_l0`` (G·H,). ``forward`` reads it on every
            call, so editing an array in place (as a finite-difference check does) changes the layer.
        gates: after ``forward``, dict gate name -> (B, T, H) activations, indexed by time t (also for a
            reverse layer); ``None`` before the first forward.
    """

    torch_name = ""
    n_gates = 1
    gate_names: tuple[str, ...] = ()
    state_names: tuple[str, ...] = ("h0",)

    def __init__(self, input_size: int, hidden_size: int, *, bias=True, reverse=False, seed=0):
        self.input_size = check_int("input_size", input_size, low=1)
        self.hidden_size = check_int("hidden_size", hidden_size, low=1)
        self.bias = check_bool("bias", bias)
        self.reverse = check_bool("reverse", reverse)
        self.params = self._init_params(make_rng(seed))
        self.gates: dict[str, np.ndarray] | None = None
        self._cache: dict[str, np.ndarray] | None = None

    # parameters ------------------------------------------------------------------------------------------

    def _param_shapes(self) -> dict[str, tuple[int, ...]]:
        GH, I, H = self.n_gates * self.hidden_size, self.input_size, self.hidden_size
        shapes = {"weight_ih_l0": (GH, I), "weight_hh_l0": (GH, H)}
        if self.bias:
            shapes.update({"bias_ih_l0": (GH,), "bias_hh_l0": (GH,)})
        return shapes

    def _init_params(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """PyTorch's default: every weight and bias ~ U(-1/√H, 1/√H)."""
        k = 1.0 / math.sqrt(self.hidden_size)
        return {name: rng.uniform(-k, k, size=shape) for name, shape in self._param_shapes().items()}

    def _weights(self):
        """(W_ih, W_hh, b_ih, b_hh) from ``params``, shapes checked; the biases are None without bias."""
        shapes = self._param_shapes()
        if sorted(self.params) != sorted(shapes):
            raise ValueError(f"params must have the keys {sorted(shapes)}, got {sorted(self.params)}")
        for name, shape in shapes.items():
            check_array(f"params[{name!r}]", self.params[name], shape=shape)
        p = self.params
        return p["weight_ih_l0"], p["weight_hh_l0"], p.get("bias_ih_l0"), p.get("bias_hh_l0")

    # torch round trips -----------------------------------------------------------------------------------

    def _options(self) -> dict:
        """Constructor options beyond sizes, bias and direction (the RNN's nonlinearity)."""
        return {}

    @classmethod
    def _options_from_torch(cls, module) -> dict:
        return {}

    @classmethod
    def from_torch(cls, module, layer: int | None = None, reverse: bool | None = None):
        """A scratch layer holding float64 numpy copies of one layer and direction of a torch module.

        ``layer`` and ``reverse`` name the layer (0-based) and direction; they may be left out only when the
        module has one layer and one direction. Layer k > 0 takes the previous layer's output as input
        (H features, 2H when bidirectional). Works for ``batch_first`` True or False: only weights are copied.
        Dropout between layers is not part of a layer. ``proj_size != 0`` is not supported.
        """
        if not isinstance(module, _torch_class(cls.torch_name)):
            wanted = f"torch.nn.{cls.torch_name}"
            raise TypeError(f"{cls.__name__}.from_torch expects a {wanted}, got {describe(module)}")
        if getattr(module, "proj_size", 0) != 0:
            raise ValueError(f"proj_size must be 0 (no projection), got proj_size={module.proj_size}")
        layer, reverse = _choose_layer(module, layer, reverse)
        suffix = f"_l{layer}" + ("_reverse" if reverse else "")
        input_size = getattr(module, "weight_ih" + suffix).shape[1]  # I for layer 0, H or 2H above it
        options = cls._options_from_torch(module)
        new = cls(input_size, module.hidden_size, bias=module.bias, reverse=reverse, **options)
        new.params = {name: _numpy_copy(getattr(module, name.replace("_l0", suffix))) for name in new.params}
        return new

    def to_torch(self):
        """An equivalent one-layer torch module (batch_first=True, float64) holding copies of ``params``."""
        import torch

        if self.reverse:
            raise ValueError(
                "to_torch needs reverse=False: torch has no stand-alone reverse layer. "
                "A reverse layer equals a forward one on time-flipped input: "
                "out = flip(module(flip(x, 1)), 1)"
            )
        self._weights()
        module = _torch_class(self.torch_name)(
            self.input_size, self.hidden_size, bias=self.bias, batch_first=True, dtype=torch.float64,
            **self._options(),
        )  # fmt: skip
        with torch.no_grad():
            for name, value in self.params.items():
                getattr(module, name).copy_(torch.from_numpy(np.asarray(value, dtype=np.float64)))
        return module

    def __repr__(self) -> str:
        options = "".join(f", {key}={value!r}" for key, value in self._options().items())
        return (
            f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size}{options}, "
            f"bias={self.bias}, reverse={self.reverse})"
        )

    # states ----------------------------------------------------------------------------------------------

    def _pack_state(self, parts: tuple):
        """The public form of a state: one (B, H) array (RNN, GRU); the LSTM overrides with a tuple (h, c)."""
        return parts[0]

    def _unpack_state(self, state, what: str) -> tuple:
        """The parts of a state as a tuple; the LSTM overrides to require a tuple (h, c)."""
        return (state,)

    def zero_state(self, batch_size: int):
        """The all-zero initial state that ``forward`` uses when ``state`` is None: (B, H), or (h0, c0)."""
        B = check_int("batch_size", batch_size, low=1)
        return self._pack_state(tuple(np.zeros((B, self.hidden_size)) for _ in self.state_names))

    def _check_state(self, state, batch_size: int, names: tuple[str, ...], what: str) -> tuple:
        """A state (or a gradient of one) as a tuple of float64 (B, H) arrays; None means zeros."""
        if state is None:
            return tuple(np.zeros((batch_size, self.hidden_size)) for _ in names)
        parts = self._unpack_state(state, what)
        pairs = zip(names, parts, strict=True)
        return tuple(self._check_hidden(name, part, batch_size) for name, part in pairs)

    def _check_hidden(self, name: str, value, batch_size: int) -> np.ndarray:
        expected = (batch_size, self.hidden_size)
        if isinstance(value, np.ndarray) and value.shape == (1, *expected):
            raise ValueError(
                f"{name} must have shape {expected}, got {value.shape}: torch's h_n has a leading "
                f"(layers·directions) axis, a scratch layer's state does not; pass {name}[0]"
            )
        return as_float64(name, value, shape=expected)

    # inputs ----------------------------------------------------------------------------------------------

    def _check_x(self, x) -> np.ndarray:
        """x must be a real (B, T, I) numpy array with B, T ≥ 1; returns a float64 copy."""
        if isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] == self.input_size:
            raise ValueError(
                f"x must have shape (B, T, {self.input_size}) (batch, time, features), got {x.shape}; "
                "for a single sequence pass x[None]"
            )
        x = as_float64("x", x, shape=(None, None, self.input_size))
        if x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(f"x must have at least one sequence and one time step, got shape {x.shape}")
        return x

    def _check_d_out(self, d_out) -> np.ndarray:
        """d_out must match the ``out`` of the last forward, (B, T, H); returns a float64 copy."""
        if self._cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward needs the cache of a forward pass: call forward(x) first"
            )
        return as_float64("d_out", d_out, shape=self._cache["h"].shape)

    # the time loop ---------------------------------------------------------------------------------------

    def _time_steps(self, T: int) -> range:
        """Time indices in processing order: 0 … T-1, or T-1 … 0 for a reverse layer (like torch's)."""
        return range(T - 1, -1, -1) if self.reverse else range(T)

    def _new_cache(self, x: np.ndarray, names: tuple[str, ...]) -> dict[str, np.ndarray]:
        """The record a forward fills in: x, plus one (B, T, H) array per name, indexed by time t."""
        B, T, _ = x.shape
        cache = {name: np.empty((B, T, self.hidden_size)) for name in names}
        cache["x"] = x
        return cache

    def _step_cache(self, t: int) -> dict[str, np.ndarray]:
        """Everything the forward recorded at time index t, each (B, ·)."""
        return {name: value[:, t] for name, value in self._cache.items()}

    def _finish_forward(self, cache: dict[str, np.ndarray]) -> np.ndarray:
        """Keep the cache for backward, expose copies of the gates, return a copy of out (B, T, H)."""
        self._cache = cache
        self.gates = {name: cache[name].copy() for name in self.gate_names}
        return cache["h"].copy()

    def _zero_grads(self) -> dict[str, np.ndarray]:
        grads = {name: np.zeros(shape) for name, shape in self._param_shapes().items()}
        grads["x"] = np.zeros_like(self._cache["x"])  # (B, T, I)
        return grads

    def _accumulate(self, grads: dict, step: dict, t: int) -> None:
        """Add one step's weight gradients to the totals (shared weights: the gradient sums over time)."""
        grads["weight_ih_l0"] += step["W_ih"]
        grads["weight_hh_l0"] += step["W_hh"]
        if self.bias:
            grads["bias_ih_l0"] += step["b_ih"]
            grads["bias_hh_l0"] += step["b_hh"]
        grads["x"][:, t] = step["x_t"]


# ----------------------------------------------------------------------------------------------------------
# Layers: RNN, LSTM, GRU
# ----------------------------------------------------------------------------------------------------------


class RNN(RecurrentLayer):
    """An Elman RNN layer: take x_1 … x_T and h_0; return h_1 … h_T.

        h_t = φ(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   φ = tanh or relu,   h_0 = 0 unless given

    Like one layer and one direction of ``torch.nn.RNN``. ``forward(x, state=None)`` takes x (B, T, I) and
    h0 (B, H), returns ``out, h``: out (B, T, H) holds h_t for every t, h (B, H) the final state.
    ``backward(d_out, d_state=None)`` takes dL/d_out (B, T, H) and dL/dh (B, H) and returns the gradients:
    ``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``, ``x`` (B, T, I), ``h0`` (B, H).
    ``gates`` is {} after forward (an RNN has none). Introduced in 03_vanilla_rnn.ipynb.
    """

    torch_name = "RNN"
    n_gates = 1

    def __init__(self, input_size, hidden_size, *, nonlinearity="tanh", bias=True, reverse=False, seed=0):
        self.nonlinearity = check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
        super().__init__(input_size, hidden_size, bias=bias, reverse=reverse, seed=seed)

    def _options(self) -> dict:
        return {"nonlinearity": self.nonlinearity}

    @classmethod
    def _options_from_torch(cls, module) -> dict:
        return {"nonlinearity": module.nonlinearity}

    def forward(self, x, state=None):
        """Run over x (B, T, I) from h0 (B, H) or zeros; return ``out`` (B, T, H) and ``h`` (B, H)."""
        x = self._check_x(x)
        (h,) = self._check_state(state, x.shape[0], ("h0",), "state")
        W_ih, W_hh, b_ih, b_hh = self._weights()
        cache = self._new_cache(x, ("h_prev", "h"))
        states = rnn_forward(x, W_ih, W_hh, b_ih, b_hh, h0=h, nonlinearity=self.nonlinearity, reverse=self.reverse)
        cache["h"][:] = states
        # h_{t-1} of each step, in processing order: h0, then the states read so far
        if self.reverse:
            cache["h_prev"][:, -1], cache["h_prev"][:, :-1] = h, states[:, 1:]
        else:
            cache["h_prev"][:, 0], cache["h_prev"][:, 1:] = h, states[:, :-1]
        return self._finish_forward(cache), states[:, 0 if self.reverse else -1].copy()

    def backward(self, d_out, d_state=None):
        """BPTT from the last forward: d_out (B, T, H), d_state = dL/dh (B, H) or None; return grads."""
        d_out = self._check_d_out(d_out)
        (dh_next,) = self._check_state(d_state, d_out.shape[0], ("d_state",), "d_state")
        W_ih, W_hh, _, _ = self._weights()
        grads = self._zero_grads()
        for t in reversed(self._time_steps(d_out.shape[1])):
            s = self._step_cache(t)
            # h_t reaches the loss through out[:, t] and through h_{t+1}
            dh = d_out[:, t] + dh_next
            step = rnn_step_backward(dh, s["x"], s["h_prev"], s["h"], W_ih, W_hh, self.nonlinearity)
            self._accumulate(grads, step, t)
            dh_next = step["h_prev"]
        grads["h0"] = dh_next
        return grads


class LSTM(RecurrentLayer):
    """An LSTM layer (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000).

    Take x_1 … x_T, h_0 and c_0; return h_1 … h_T and the final (h_T, c_T):

        [i_t; f_t; g_t; o_t] = [σ; σ; tanh; σ](W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
        h_t = o_t ⊙ tanh(c_t)

    Like one layer and one direction of ``torch.nn.LSTM`` (gate order i, f, g, o). ``forward(x, state=None)``
    takes x (B, T, I) and state (h0, c0), each (B, H); returns ``out, (h, c)`` with out (B, T, H).
    ``backward(d_out, d_state=None)`` takes dL/d_out (B, T, H) and d_state = (dL/dh, dL/dc), each (B, H), and
    returns the parameter gradients plus ``x`` (B, T, I), ``h0`` and ``c0`` (B, H).
    After forward: ``gates`` = {"i", "f", "g", "o"} and ``cells`` (the c_t), all (B, T, H) indexed by time t.
    Introduced in 05_lstm.ipynb.
    """

    torch_name = "LSTM"
    n_gates = 4
    gate_names = ("i", "f", "g", "o")
    state_names = ("h0", "c0")

    def __init__(self, input_size, hidden_size, *, bias=True, reverse=False, seed=0):
        super().__init__(input_size, hidden_size, bias=bias, reverse=reverse, seed=seed)
        self.cells: np.ndarray | None = None

    def _pack_state(self, parts: tuple):
        return parts[0], parts[1]

    def _unpack_state(self, state, what: str) -> tuple:
        if not isinstance(state, tuple | list) or len(state) != 2:
            wanted = f"an LSTM's {what} must be a tuple (h, c) of two (B, H) arrays"
            raise TypeError(f"{wanted}, got {describe(state)}")
        return tuple(state)

    def forward(self, x, state=None):
        """Run over x (B, T, I) from (h0, c0) or zeros; return ``out`` (B, T, H) and ``(h, c)`` (B, H)."""
        x = self._check_x(x)
        h, c = self._check_state(state, x.shape[0], ("h0", "c0"), "state")
        W_ih, W_hh, b_ih, b_hh = self._weights()
        cache = self._new_cache(x, ("h_prev", "c_prev", "h", "c", *self.gate_names))
        for t in self._time_steps(x.shape[1]):
            cache["h_prev"][:, t], cache["c_prev"][:, t] = h, c
            h, c, gates = lstm_step(x[:, t], h, c, W_ih, W_hh, b_ih, b_hh)
            cache["h"][:, t], cache["c"][:, t] = h, c
            for name, value in gates.items():
                cache[name][:, t] = value
        out = self._finish_forward(cache)
        self.cells = cache["c"].copy()
        return out, (h, c)

    def backward(self, d_out, d_state=None):
        """BPTT from the last forward: d_out (B, T, H), d_state = (dL/dh, dL/dc) or None; return grads."""
        d_out = self._check_d_out(d_out)
        dh_next, dc_next = self._check_state(d_state, d_out.shape[0], ("d_state[0]", "d_state[1]"), "d_state")
        W_ih, W_hh, _, _ = self._weights()
        grads = self._zero_grads()
        for t in reversed(self._time_steps(d_out.shape[1])):
            s = self._step_cache(t)
            gates = {name: s[name] for name in self.gate_names}
            # h_t reaches the loss through out[:, t] and through step t+1; c_t through h_t and step t+1
            dh = d_out[:, t] + dh_next
            step = lstm_step_backward(
                dh, dc_next, s["x"], s["h_prev"], s["c_prev"], s["c"], gates, W_ih, W_hh
            )
            self._accumulate(grads, step, t)
            dh_next, dc_next = step["h_prev"], step["c_prev"]
        grads["h0"], grads["c0"] = dh_next, dc_next
        return grads


class GRU(RecurrentLayer):
    """A GRU layer (Cho et al. 2014), in PyTorch's variant: take x_1 … x_T and h_0; return h_1 … h_T.

        r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
        z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
        n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
        h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

    Like one layer and one direction of ``torch.nn.GRU`` (rows stacked r, z, n). ``forward(x, state=None)``
    takes x (B, T, I) and h0 (B, H); returns ``out, h`` with out (B, T, H), h (B, H).
    ``backward(d_out, d_state=None)`` takes dL/d_out (B, T, H) and dL/dh (B, H); returns the parameter
    gradients plus ``x`` (B, T, I) and ``h0`` (B, H).
    After forward: ``gates`` = {"r", "z", "n"}, each (B, T, H) indexed by time t. Introduced in 06_gru.ipynb.
    """

    torch_name = "GRU"
    n_gates = 3
    gate_names = ("r", "z", "n")

    def forward(self, x, state=None):
        """Run over x (B, T, I) from h0 (B, H) or zeros; return ``out`` (B, T, H) and ``h`` (B, H)."""
        x = self._check_x(x)
        (h,) = self._check_state(state, x.shape[0], ("h0",), "state")
        W_ih, W_hh, b_ih, b_hh = self._weights()
        cache = self._new_cache(x, ("h_prev", "h", *self.gate_names))
        for t in self._time_steps(x.shape[1]):
            cache["h_prev"][:, t] = h
            h, gates = gru_step(x[:, t], h, W_ih, W_hh, b_ih, b_hh)
            cache["h"][:, t] = h
            for name, value in gates.items():
                cache[name][:, t] = value
        return self._finish_forward(cache), h

    def backward(self, d_out, d_state=None):
        """BPTT from the last forward: d_out (B, T, H), d_state = dL/dh (B, H) or None; return grads."""
        d_out = self._check_d_out(d_out)
        (dh_next,) = self._check_state(d_state, d_out.shape[0], ("d_state",), "d_state")
        W_ih, W_hh, _, b_hh = self._weights()
        grads = self._zero_grads()
        for t in reversed(self._time_steps(d_out.shape[1])):
            s = self._step_cache(t)
            gates = {name: s[name] for name in self.gate_names}
            # h_t reaches the loss through out[:, t] and through h_{t+1}
            dh = d_out[:, t] + dh_next
            step = gru_step_backward(dh, s["x"], s["h_prev"], gates, W_ih, W_hh, b_hh)
            self._accumulate(grads, step, t)
            dh_next = step["h_prev"]
        grads["h0"] = dh_next
        return grads
