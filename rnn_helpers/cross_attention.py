"""Attention between two sequences, from scratch in numpy: Bahdanau's additive attention (forward and backward)
and Luong's dot-product attention, equal to ``seq2seq.AdditiveAttention`` / ``seq2seq.DotAttention`` in torch.

Symbols, the same as in 10_seq2seq_attention.ipynb: queries s_t (the decoder's states, B × T_q × d_q),
annotations h_j (the encoder's states, B × T_k × d_k), the attention layer's width A::

    P = s W_aᵀ                      (B, T_q, A)      each query, projected
    U = h U_aᵀ                      (B, T_k, A)      each annotation, projected (once per source)
    Z_tj = tanh(P_t + U_j)          (B, T_q, T_k, A)
    e_tj = v_aᵀ Z_tj                (B, T_q, T_k)    additive score (Bahdanau et al. 2015, appendix A.1.2)
    α_t = softmax_j(e_t + M)        (B, T_q, T_k)    M = -∞ at padding
    c_t = Σ_j α_tj h_j              (B, T_q, d_k)    the context

Luong's "dot" score is e_tj = s_tᵀ h_j (Luong et al. 2015, eq. 8). Divide it by √d and give queries, keys and
values their own projections, and it is the scaled dot-product attention of chapter 08
(``attention.scaled_dot_product_attention``); there Q, K and V come from one sequence (self-attention), here
the queries come from the decoder and the keys and values from the encoder (cross-attention).

Introduced in 10_seq2seq_attention.ipynb.
"""

from __future__ import annotations

import math

import numpy as np

from rnn_helpers._checks import check_array, check_int, check_seed, describe

__all__ = ["AdditiveAttention", "dot_attention", "masked_softmax"]


def _check_mask(mask, B: int, T_k: int):
    if mask is None:
        return None
    if not isinstance(mask, np.ndarray) or mask.dtype != np.bool_:
        raise TypeError(f"mask must be a boolean numpy array (True at padding), got {describe(mask)}")
    if mask.shape != (B, T_k):
        raise ValueError(f"mask must have shape (B, T_k) = ({B}, {T_k}), got {mask.shape}")
    if mask.all(axis=1).any():
        raise ValueError("mask hides every annotation of a row: each row needs at least one False entry")
    return mask


def masked_softmax(e: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """softmax over the last axis of e (B, T_q, T_k), with weight exactly 0 where mask (B, T_k) is True.
    Introduced in 10_seq2seq_attention.ipynb."""
    check_array("e", e, ndim=3)
    mask = _check_mask(mask, e.shape[0], e.shape[2])
    if mask is not None:
        e = np.where(mask[:, None, :], -np.inf, e)
    e = np.exp(e - e.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _check_inputs(s, h, d_q: int | None = None, d_k: int | None = None):
    s = check_array("s (queries)", s, shape=(None, None, d_q))
    h = check_array("h (annotations)", h, shape=(None, None, d_k))
    if s.shape[0] != h.shape[0]:
        raise ValueError(f"s and h must have the same batch size, got s {s.shape} and h {h.shape}")
    return s.astype(np.float64), h.astype(np.float64)


def dot_attention(s: np.ndarray, h: np.ndarray, mask: np.ndarray | None = None):
    """Luong's dot-product attention: e_tj = s_tᵀ h_j, α = softmax, c_t = Σ_j α_tj h_j.

    s (B, T_q, d), h (B, T_k, d), mask (B, T_k) bool or None. Returns c (B, T_q, d) and α (B, T_q, T_k).
    Introduced in 10_seq2seq_attention.ipynb.
    """
    s, h = _check_inputs(s, h)
    if s.shape[2] != h.shape[2]:
        raise ValueError(f"the dot score needs d_q = d_k, got s {s.shape} and h {h.shape}")
    alpha = masked_softmax(s @ h.transpose(0, 2, 1), mask)  # (B, T_q, d) x (B, d, T_k) -> (B, T_q, T_k)
    return alpha @ h, alpha


class AdditiveAttention:
    """Bahdanau's additive attention in numpy (float64), with its backward pass.

    ``forward(s, h, mask=None)`` -> (c (B, T_q, d_k), α (B, T_q, T_k)); ``backward(d_c, d_alpha=None)`` ->
    dict of dL/dW_a (A, d_q), dL/dU_a (A, d_k), dL/dv_a (A,), dL/ds and dL/dh. ``from_torch`` copies the
    weights of a ``seq2seq.AdditiveAttention`` (whose names are the same). Introduced in 10_seq2seq_attention.ipynb.
    """

    def __init__(self, d_query: int, d_key: int, d_attn: int, *, seed: int | None = None):
        self.d_query = check_int("d_query", d_query, low=1)
        self.d_key = check_int("d_key", d_key, low=1)
        self.d_attn = check_int("d_attn", d_attn, low=1)
        rng = np.random.default_rng(check_seed("seed", seed))
        self.params = {
            "W_a": rng.uniform(-1, 1, (d_attn, d_query)) / math.sqrt(d_query),
            "U_a": rng.uniform(-1, 1, (d_attn, d_key)) / math.sqrt(d_key),
            "v_a": rng.uniform(-1, 1, d_attn) / math.sqrt(d_attn),
        }
        self._cache = None

    @classmethod
    def from_torch(cls, module) -> AdditiveAttention:
        """Float64 numpy copies of a ``seq2seq.AdditiveAttention``'s W_a, U_a and v_a."""
        from rnn_helpers.seq2seq import AdditiveAttention as TorchAdditive

        if not isinstance(module, TorchAdditive):
            raise TypeError(f"module must be a seq2seq.AdditiveAttention, got {describe(module)}")
        A, d_q = module.W_a.weight.shape
        att = cls(d_q, module.U_a.weight.shape[1], A)
        att.params = {
            "W_a": module.W_a.weight.detach().double().numpy().copy(),
            "U_a": module.U_a.weight.detach().double().numpy().copy(),
            "v_a": module.v_a.detach().double().numpy().copy(),
        }
        return att

    def forward(self, s: np.ndarray, h: np.ndarray, mask: np.ndarray | None = None):
        s, h = _check_inputs(s, h, self.d_query, self.d_key)
        p = self.params
        P = s @ p["W_a"].T  # (B, T_q, A)
        U = h @ p["U_a"].T  # (B, T_k, A)
        # Z_tj = tanh(P_t + U_j)                        (B, T_q, 1, A) + (B, 1, T_k, A) -> (B, T_q, T_k, A)
        Z = np.tanh(P[:, :, None, :] + U[:, None, :, :])
        e = Z @ p["v_a"]  # e_tj = v_aᵀ Z_tj             (B, T_q, T_k)
        alpha = masked_softmax(e, mask)  # α_t = softmax_j(e_t + M)
        c = alpha @ h  # c_t = Σ_j α_tj h_j               (B, T_q, T_k) x (B, T_k, d_k) -> (B, T_q, d_k)
        self._cache = (s, h, Z, alpha)
        return c, alpha

    def backward(self, d_c: np.ndarray, d_alpha: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Gradients for the last ``forward`` given dL/dc (B, T_q, d_k) and, if the loss also reads the
        weights, dL/dα (B, T_q, T_k)."""
        if self._cache is None:
            raise RuntimeError("call forward(s, h) before backward(d_c)")
        s, h, Z, alpha = self._cache
        d_c = check_array("d_c", d_c, shape=(s.shape[0], s.shape[1], h.shape[2]))
        p = self.params
        # c = α h  ->  dα = dc hᵀ,  dh = αᵀ dc
        dA = d_c @ h.transpose(0, 2, 1)
        if d_alpha is not None:
            dA = dA + check_array("d_alpha", d_alpha, shape=alpha.shape)
        dh = alpha.transpose(0, 2, 1) @ d_c
        # α = softmax(e) row by row  ->  de = α ⊙ (dα - Σ_j α_j dα_j); padding has α = 0, so de = 0 there
        de = alpha * (dA - np.sum(alpha * dA, axis=-1, keepdims=True))
        # e = Z v_a  ->  dv_a = Σ de Z,  dZ = de v_aᵀ
        dv = np.einsum("btj,btja->a", de, Z)
        # Z = tanh(P + U)  ->  d(P + U) = dZ ⊙ (1 - Z²); P is shared by every j, U by every t
        d_pre = de[..., None] * p["v_a"] * (1.0 - Z**2)  # (B, T_q, T_k, A)
        dP, dU = d_pre.sum(axis=2), d_pre.sum(axis=1)  # (B, T_q, A), (B, T_k, A)
        # P = s W_aᵀ, U = h U_aᵀ
        grads = {
            "W_a": np.einsum("bta,btd->ad", dP, s),
            "U_a": np.einsum("bja,bjd->ad", dU, h),
            "v_a": dv,
            "s": dP @ p["W_a"],
            "h": dh + dU @ p["U_a"],
        }
        return grads

    def __repr__(self) -> str:
        return f"AdditiveAttention(d_query={self.d_query}, d_key={self.d_key}, d_attn={self.d_attn})"
