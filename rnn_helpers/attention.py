"""Self-attention from scratch in numpy, equal to ``torch.nn.MultiheadAttention``, and what attention costs.

Symbols, the same here and in 08_rnns_vs_transformers.ipynb: B batch, T sequence length (n in the complexity
formulas of Vaswani et al. 2017, Table 1), d the model width (torch's ``embed_dim``), h heads, d_k = d / h
the width of one head. One layer of multi-head self-attention computes::

    Q = X W_qᵀ + b_q,   K = X W_kᵀ + b_k,   V = X W_vᵀ + b_v        (B, T, d) each, split into h heads
    S_i = Q_i K_iᵀ / √d_k + M                                        (B, T, T) per head; M = -∞ where masked
    A_i = softmax(S_i)  (over the keys, the last axis)               (B, T, T) per head
    Z = concat_i(A_i V_i)                                            (B, T, d)
    Y = Z W_oᵀ + b_o                                                 (B, T, d)

PyTorch stores W_q, W_k, W_v stacked in ``in_proj_weight`` (3d, d) and W_o in ``out_proj.weight``;
``MultiHeadSelfAttention.from_torch`` splits them. A causal mask hides the future: query i sees keys j ≤ i.
Masks are boolean with ``True`` where attending is *forbidden*, the convention of torch's ``attn_mask``.

The cost helpers count what Table 1 of Vaswani et al. (2017) counts (multiply-adds per layer), and the
numbers a streaming model must keep between tokens (an RNN's state, a transformer's key-value cache).

Introduced in 08_rnns_vs_transformers.ipynb.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_array, check_callable, check_choice, check_int, describe, make_rng

__all__ = [
    "MultiHeadSelfAttention",
    "StreamingCost",
    "attention_scores_numbers",
    "causal_mask",
    "fit_cost_model",
    "fit_power_law",
    "kv_cache_numbers",
    "layer_multiply_adds",
    "interleaved_seconds",
    "median_seconds",
    "power_law_fits",
    "recurrent_state_numbers",
    "scaled_dot_product_attention",
    "softmax",
    "streaming_costs",
]


# ----------------------------------------------------------------------------------------------------------
# The pieces: softmax, the causal mask, scaled dot-product attention
# ----------------------------------------------------------------------------------------------------------


def softmax(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(a)_j = e^{a_j} / Σ_k e^{a_k} along ``axis``; -∞ entries get weight 0.

    Subtracting the maximum first keeps e^{a} from overflowing and does not change the result.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    check_array("a", a)
    a_max = np.max(a, axis=axis, keepdims=True)
    e = np.exp(a - a_max)
    return e / np.sum(e, axis=axis, keepdims=True)


def causal_mask(T: int) -> np.ndarray:
    """The causal mask for T positions: a boolean (T, T) array, ``True`` above the diagonal.

    Entry [i, j] is ``True`` when query i must *not* see key j, that is when j > i (a later position).
    Pass it as ``attn_mask`` to ``torch.nn.MultiheadAttention`` (as a tensor) or as ``mask`` here.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    T = check_int("T (sequence length)", T, low=1)
    return np.triu(np.ones((T, T), dtype=bool), k=1)


def _check_mask(mask, T_q: int, T_k: int) -> np.ndarray | None:
    if mask is None:
        return None
    if not isinstance(mask, np.ndarray) or mask.dtype != np.bool_:
        raise TypeError(f"mask must be a boolean numpy array (True = may not attend), got {describe(mask)}")
    if mask.shape != (T_q, T_k):
        raise ValueError(f"mask must have shape (T_q, T_k) = ({T_q}, {T_k}), got {mask.shape}")
    if mask.all(axis=1).any():
        row = int(np.flatnonzero(mask.all(axis=1))[0])
        raise ValueError(f"mask hides every key from query {row}: each row needs at least one False entry")
    return mask


def scaled_dot_product_attention(
    Q: np.ndarray, K: np.ndarray, V: np.ndarray, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Attention(Q, K, V) = softmax(Q Kᵀ / √d_k + M) V  (Vaswani et al. 2017, eq. 1).

    Args:
        Q: queries, shape (..., T_q, d_k); any leading dimensions (batch, heads) are kept.
        K: keys, shape (..., T_k, d_k). V: values, shape (..., T_k, d_v).
        mask: ``None`` or a boolean (T_q, T_k) array, ``True`` where query i may not look at key j
            (``causal_mask(T)`` for a causal model). Masked scores become -∞, so their weight is exactly 0.

    Returns:
        ``out`` of shape (..., T_q, d_v) and the attention weights ``A`` of shape (..., T_q, T_k); each row of
        ``A`` is a probability distribution over the keys.

    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    for name, arr in (("Q", Q), ("K", K), ("V", V)):
        check_array(name, arr)
        if arr.ndim < 2:
            raise ValueError(f"{name} must have at least 2 dimensions (..., T, features), got shape {arr.shape}")
    if Q.shape[-1] != K.shape[-1]:
        raise ValueError(f"Q and K must have the same last dimension d_k, got Q {Q.shape} and K {K.shape}")
    if K.shape[:-1] != V.shape[:-1]:
        raise ValueError(f"K and V must have the same shape up to the last dimension, got K {K.shape} and V {V.shape}")
    mask = _check_mask(mask, Q.shape[-2], K.shape[-2])
    d_k = Q.shape[-1]
    # S = Q Kᵀ / √d_k                                      (..., T_q, d_k) x (..., d_k, T_k) -> (..., T_q, T_k)
    S = Q @ np.swapaxes(K, -1, -2) / math.sqrt(d_k)
    if mask is not None:
        S = np.where(mask, -np.inf, S)
    A = softmax(S, axis=-1)
    # out = A V                                            (..., T_q, T_k) x (..., T_k, d_v) -> (..., T_q, d_v)
    return A @ V, A


def _attention_backward(d_out, Q, K, V, A):
    """Gradients of out = softmax(Q Kᵀ / √d_k + M) V with respect to Q, K and V, given A and dL/d_out."""
    d_k = Q.shape[-1]
    # out = A V  ->  dA = d_out Vᵀ,  dV = Aᵀ d_out
    dA = d_out @ np.swapaxes(V, -1, -2)
    dV = np.swapaxes(A, -1, -2) @ d_out
    # A = softmax(S) row by row  ->  dS = A ⊙ (dA - Σ_j A_j dA_j); masked entries have A = 0, so dS = 0 there
    dS = A * (dA - np.sum(A * dA, axis=-1, keepdims=True))
    # S = Q Kᵀ / √d_k  ->  dQ = dS K / √d_k,  dK = dSᵀ Q / √d_k
    dQ = dS @ K / math.sqrt(d_k)
    dK = np.swapaxes(dS, -1, -2) @ Q / math.sqrt(d_k)
    return dQ, dK, dV


# ----------------------------------------------------------------------------------------------------------
# Multi-head self-attention, forward and backward
# ----------------------------------------------------------------------------------------------------------

_WEIGHTS = ("W_q", "W_k", "W_v", "W_o")
_BIASES = ("b_q", "b_k", "b_v", "b_o")


class MultiHeadSelfAttention:
    """Multi-head self-attention in numpy (float64), the same function as ``torch.nn.MultiheadAttention``
    called as ``mha(x, x, x)`` with ``batch_first=True``.

    ``forward(x, causal=False)`` takes x of shape (B, T, d) and returns ``(y, A)``: y (B, T, d) and the
    attention weights A (B, h, T, T) of every head (torch's ``average_attn_weights=False``).
    ``backward(d_y)`` returns the gradients of every parameter and of x, as a dict with the keys of
    ``params`` plus ``"x"``. Parameters: ``W_q, W_k, W_v, W_o`` (d, d) and, with ``bias=True``,
    ``b_q, b_k, b_v, b_o`` (d,).

        mha = torch.nn.MultiheadAttention(8, 2, batch_first=True, dtype=torch.float64)
        att = MultiHeadSelfAttention.from_torch(mha)
        y, A = att.forward(x, causal=True)        # x (B, T, 8) numpy
        grads = att.backward(d_y)                 # grads["W_q"] (8, 8), ..., grads["x"] (B, T, 8)

    Introduced in 08_rnns_vs_transformers.ipynb.
    """

    def __init__(self, d_model: int, n_heads: int, *, bias: bool = True, seed: int | None = None):
        self.d_model = check_int("d_model", d_model, low=1)
        self.n_heads = check_int("n_heads", n_heads, low=1)
        if d_model % n_heads:
            raise ValueError(f"d_model must be divisible by n_heads, got d_model={d_model} and n_heads={n_heads}")
        if not isinstance(bias, bool):
            raise TypeError(f"bias must be True or False, got {describe(bias)}")
        self.bias = bias
        self.d_k = d_model // n_heads
        rng = make_rng(seed)
        bound = 1.0 / math.sqrt(d_model)
        self.params = {name: rng.uniform(-bound, bound, (d_model, d_model)) for name in _WEIGHTS}
        if bias:
            self.params.update({name: np.zeros(d_model) for name in _BIASES})
        self._cache = None

    # ---------------------------------------------------------------------------------------- torch bridge
    @classmethod
    def from_torch(cls, mha) -> MultiHeadSelfAttention:
        """Copy the weights of a ``torch.nn.MultiheadAttention`` (float64 numpy copies).

        ``in_proj_weight`` (3d, d) is split into W_q, W_k, W_v; ``out_proj.weight`` is W_o. The module must be
        built with ``batch_first=True``, equal query/key/value sizes, no ``add_bias_kv`` and no dropout.
        """
        import torch

        if not isinstance(mha, torch.nn.MultiheadAttention):
            raise TypeError(f"mha must be a torch.nn.MultiheadAttention, got {describe(mha)}")
        if not mha.batch_first:
            raise ValueError("mha must be built with batch_first=True (the course is batch first), "
                             "got batch_first=False")
        if not mha._qkv_same_embed_dim or mha.bias_k is not None:
            raise ValueError("mha must use kdim = vdim = embed_dim and add_bias_kv=False for self-attention")
        if mha.dropout:
            raise ValueError(f"mha must have dropout=0 to be compared number for number, got dropout={mha.dropout}")
        att = cls(mha.embed_dim, mha.num_heads, bias=mha.in_proj_bias is not None)
        d = mha.embed_dim
        w = mha.in_proj_weight.detach().cpu().double().numpy()
        att.params.update(W_q=w[:d].copy(), W_k=w[d : 2 * d].copy(), W_v=w[2 * d :].copy())
        att.params["W_o"] = mha.out_proj.weight.detach().cpu().double().numpy().copy()
        if att.bias:
            b = mha.in_proj_bias.detach().cpu().double().numpy()
            att.params.update(b_q=b[:d].copy(), b_k=b[d : 2 * d].copy(), b_v=b[2 * d :].copy())
            att.params["b_o"] = mha.out_proj.bias.detach().cpu().double().numpy().copy()
        return att

    # ----------------------------------------------------------------------------------------- heads
    def _split(self, a: np.ndarray) -> np.ndarray:
        """(B, T, d) -> (B, h, T, d_k): head i takes the columns i·d_k ... (i+1)·d_k - 1."""
        B, T, _ = a.shape
        return a.reshape(B, T, self.n_heads, self.d_k).transpose(0, 2, 1, 3)

    def _merge(self, a: np.ndarray) -> np.ndarray:
        """(B, h, T, d_k) -> (B, T, d): the inverse of ``_split``."""
        B, _, T, _ = a.shape
        return a.transpose(0, 2, 1, 3).reshape(B, T, self.d_model)

    def _affine(self, x, W, b):
        return x @ self.params[W].T + (self.params[b] if self.bias else 0.0)

    # --------------------------------------------------------------------------------------- forward
    def forward(self, x: np.ndarray, *, causal: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """y = concat_i(softmax(Q_i K_iᵀ / √d_k + M) V_i) W_oᵀ + b_o for x of shape (B, T, d).

        Returns y (B, T, d) and the attention weights A (B, h, T, T). ``causal=True`` applies
        ``causal_mask(T)``: position t then depends on x[:, :t+1] only.
        """
        x = check_array("x", x, shape=(None, None, self.d_model))
        if not isinstance(causal, bool):
            raise TypeError(f"causal must be True or False, got {describe(causal)}")
        x = x.astype(np.float64)
        mask = causal_mask(x.shape[1]) if causal else None
        # Q = X W_qᵀ + b_q, and the same for K, V                   (B, T, d) -> (B, h, T, d_k)
        Q = self._split(self._affine(x, "W_q", "b_q"))
        K = self._split(self._affine(x, "W_k", "b_k"))
        V = self._split(self._affine(x, "W_v", "b_v"))
        O, A = scaled_dot_product_attention(Q, K, V, mask)  # (B, h, T, d_k), (B, h, T, T)
        Z = self._merge(O)  # (B, T, d)
        # Y = Z W_oᵀ + b_o                                           (B, T, d)
        y = self._affine(Z, "W_o", "b_o")
        self._cache = (x, Q, K, V, A, Z)
        return y, A

    # -------------------------------------------------------------------------------------- backward
    def backward(self, d_y: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients of a loss L given dL/dy (B, T, d) for the last ``forward``: a dict with dL/dW_q, ...,
        dL/db_o (when there are biases) and dL/dx (B, T, d)."""
        if self._cache is None:
            raise RuntimeError("call forward(x) before backward(d_y)")
        x, Q, K, V, A, Z = self._cache
        d_y = check_array("d_y", d_y, shape=Z.shape)
        grads: dict[str, np.ndarray] = {}
        p = self.params
        # Y = Z W_oᵀ + b_o  ->  dW_o = Σ_{b,t} dYᵀ Z,  db_o = Σ_{b,t} dY,  dZ = dY W_o
        grads["W_o"] = d_y.reshape(-1, self.d_model).T @ Z.reshape(-1, self.d_model)
        dZ = d_y @ p["W_o"]
        dQ, dK, dV = _attention_backward(self._split(dZ), Q, K, V, A)
        dQ, dK, dV = self._merge(dQ), self._merge(dK), self._merge(dV)  # (B, T, d) each
        # Q = X W_qᵀ + b_q  ->  dW_q = Σ dQᵀ X,  db_q = Σ dQ,  dX += dQ W_q   (the same for K and V)
        x2 = x.reshape(-1, self.d_model)
        dx = np.zeros_like(x)
        for W, b, dP in (("W_q", "b_q", dQ), ("W_k", "b_k", dK), ("W_v", "b_v", dV)):
            grads[W] = dP.reshape(-1, self.d_model).T @ x2
            if self.bias:
                grads[b] = dP.sum(axis=(0, 1))
            dx += dP @ p[W]
        if self.bias:
            grads["b_o"] = d_y.sum(axis=(0, 1))
        grads["x"] = dx
        return grads

    def __repr__(self) -> str:
        return f"MultiHeadSelfAttention(d_model={self.d_model}, n_heads={self.n_heads}, bias={self.bias})"


# ----------------------------------------------------------------------------------------------------------
# What it costs: Table 1 of Vaswani et al. (2017), state and cache sizes, timing
# ----------------------------------------------------------------------------------------------------------


def layer_multiply_adds(kind: str, n: int, d: int, *, input_projections: bool = False) -> int:
    """Multiply-adds of one layer over a sequence of n positions of width d, the leading terms that
    Vaswani et al. (2017), Table 1, count ("complexity per layer").

    ``"attention"``: the scores Q Kᵀ (n·n·d) and the weighted sum A V (n·n·d): 2·n²·d, that is O(n²·d).
    ``"recurrent"``: one d×d matrix-vector product per step for each of the three GRU gates on h_{t-1}:
    3·n·d², that is O(n·d²). The input projections are left out by default, as in the table; with
    ``input_projections=True`` they are added: W_ih x_t for the GRU's three gates (another 3·n·d², what
    ``nn.GRU`` computes), and Q, K, V from x for attention (3·n·d²).
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    check_choice("kind", kind, ["attention", "recurrent"])
    n = check_int("n (sequence length)", n, low=1)
    d = check_int("d (width)", d, low=1)
    core = 2 * n * n * d if kind == "attention" else 3 * n * d * d
    return core + (3 * n * d * d if input_projections else 0)


def recurrent_state_numbers(hidden_size: int, *, cell: str = "gru", n_layers: int = 1) -> int:
    """Numbers a recurrent network keeps between tokens when it streams: h_t of every layer (GRU, tanh RNN),
    plus c_t for an LSTM. It does not depend on how many tokens came before.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    hidden_size = check_int("hidden_size", hidden_size, low=1)
    check_choice("cell", cell, ["rnn", "gru", "lstm"])
    n_layers = check_int("n_layers", n_layers, low=1)
    return hidden_size * n_layers * (2 if cell == "lstm" else 1)


def kv_cache_numbers(context: int, d_model: int, *, n_layers: int = 1, batch: int = 1) -> int:
    """Numbers in a transformer's key-value cache after ``context`` tokens: one key and one value vector of
    width d for every token, layer and sequence: 2 · n_layers · context · d_model · batch.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    context = check_int("context", context, low=0)
    d_model = check_int("d_model", d_model, low=1)
    n_layers = check_int("n_layers", n_layers, low=1)
    batch = check_int("batch", batch, low=1)
    return 2 * n_layers * context * d_model * batch


def attention_scores_numbers(context: int, n_heads: int) -> int:
    """Numbers in the attention weights of one layer over ``context`` positions: n_heads · context².
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    context = check_int("context", context, low=0)
    n_heads = check_int("n_heads", n_heads, low=1)
    return n_heads * context * context


def fit_power_law(sizes, values) -> tuple[float, float]:
    """Fit values ≈ c · sizes^slope by least squares on log(values) = slope · log(sizes) + log(c).

    Returns ``(slope, c)``. On a log-log plot the slope is the exponent: 1 for a cost linear in the size,
    2 for a quadratic one. Needs at least two distinct positive sizes and positive values.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    sizes = np.asarray(sizes, dtype=float)
    values = np.asarray(values, dtype=float)
    if sizes.ndim != 1 or sizes.shape != values.shape:
        raise ValueError(
            f"sizes and values must be 1-D of the same length, got shapes {sizes.shape} and {values.shape}"
        )
    if len(np.unique(sizes)) < 2:
        raise ValueError(f"need at least two distinct sizes to fit a slope, got {sizes.tolist()}")
    if (sizes <= 0).any() or (values <= 0).any() or not np.isfinite(values).all():
        raise ValueError("sizes and values must be positive and finite (their logarithms are fitted)")
    slope, intercept = np.polyfit(np.log(sizes), np.log(values), 1)
    return float(slope), float(np.exp(intercept))


def power_law_fits(sizes, values: dict) -> dict[str, tuple[float, float]]:
    """``fit_power_law`` for each entry of ``values`` (name -> one value per size): name -> ``(slope, c)``.

    What ``viz.plot_scaling`` draws. Introduced in 08_rnns_vs_transformers.ipynb.
    """
    sizes = np.asarray(sizes, dtype=float)
    if not isinstance(values, dict) or not values:
        raise TypeError(f"seconds must be a non-empty dict name -> times, got {describe(values)}")
    fits = {}
    for name, times in values.items():
        times = np.asarray(times, dtype=float)
        if times.shape != sizes.shape:
            raise ValueError(f"seconds[{name!r}] must have one time per size ({len(sizes)}), got shape {times.shape}")
        fits[name] = fit_power_law(sizes, times)
    return fits


def fit_cost_model(sizes, values, *, degree: int = 2) -> np.ndarray:
    """Fit values ≈ c_0 + c_1·n + ... + c_degree·n^degree with every c_k >= 0, and return c (degree + 1,).

    The form a complexity analysis predicts (a fixed cost, a part linear in n, a part quadratic in n), with
    non-negative terms because each is a cost. The fit minimises the *relative* error, so small and large
    sizes count alike; it tries every subset of terms and keeps the best one whose coefficients are all
    non-negative (exact non-negative least squares for so few terms). Unlike a power law, it extrapolates
    with the right leading term. Evaluate it with ``np.polynomial.polynomial.polyval(n, c)``.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    import itertools

    degree = check_int("degree", degree, low=0, high=3)
    sizes = np.asarray(sizes, dtype=float)
    values = np.asarray(values, dtype=float)
    if sizes.ndim != 1 or sizes.shape != values.shape or len(sizes) == 0:
        raise ValueError(
            f"sizes and values must be 1-D of the same non-zero length, got shapes {sizes.shape} and {values.shape}"
        )
    if (sizes <= 0).any() or (values <= 0).any() or not np.isfinite(values).all():
        raise ValueError("sizes and values must be positive and finite")
    X = sizes[:, None] ** np.arange(degree + 1) / values[:, None]  # rows scaled: relative error
    ones = np.ones(len(sizes))
    best_residual, best = np.inf, None
    for used in itertools.product([False, True], repeat=degree + 1):
        cols = np.flatnonzero(used)
        if len(cols) == 0:
            continue
        c, *_ = np.linalg.lstsq(X[:, cols], ones, rcond=None)
        if (c < 0).any():
            continue
        full = np.zeros(degree + 1)
        full[cols] = c
        residual = float(np.sum((X @ full - ones) ** 2))
        if residual < best_residual * (1 - 1e-9):
            best_residual, best = residual, full
    return best


@dataclass(frozen=True)
class StreamingCost:
    """The cost of the next token after a context of ``n`` tokens, for several streaming models (what
    ``streaming_costs`` computes and ``viz.plot_streaming_cost`` draws).

    ``contexts`` (K,): the measured context lengths; ``measured``: name -> (K,) seconds per token there;
    ``coefficients``: name -> (3,) the cost model a + b·n + c·n² fitted to them (``fit_cost_model``);
    ``seconds``: name -> the model's time at ``n``; ``memory``: name -> function of the context giving the
    numbers kept; ``bytes``: name -> the memory at ``n`` in bytes, ``bytes_per_number`` bytes per number.
    """

    n: int
    contexts: np.ndarray
    measured: dict[str, np.ndarray]
    coefficients: dict[str, np.ndarray]
    seconds: dict[str, float]
    memory: dict[str, Callable[[int], int]]
    bytes: dict[str, int]
    bytes_per_number: int

    @property
    def extrapolated(self) -> bool:
        """True when ``n`` lies outside the measured contexts (the time at n is read off the fitted model)."""
        return bool(self.n > self.contexts.max() or self.n < self.contexts.min())


def streaming_costs(n: int, contexts, seconds: dict, memory: dict, *, bytes_per_number: int = 4) -> StreamingCost:
    """Time and memory of the next token after a context of ``n`` tokens, for several streaming models.

    ``seconds``: name -> the time per token measured at each of ``contexts``; the cost model a + b·n + c·n²
    with non-negative coefficients (``fit_cost_model``) is fitted to them and read off at ``n`` (an
    extrapolation outside the measured contexts). ``memory``: name -> function of the context giving the
    number of numbers the model keeps, times ``bytes_per_number``. Returns a ``StreamingCost``.
    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    from numpy.polynomial.polynomial import polyval

    n = check_int("n (context)", n, low=1)
    bytes_per_number = check_int("bytes_per_number", bytes_per_number, low=1)
    contexts = np.asarray(contexts, dtype=float)
    for name, arg in (("seconds", seconds), ("memory", memory)):
        if not isinstance(arg, dict) or not arg:
            raise TypeError(f"{name} must be a non-empty dict, got {describe(arg)}")
    coefficients = {name: fit_cost_model(contexts, times) for name, times in seconds.items()}
    return StreamingCost(
        n=n,
        contexts=contexts,
        measured={name: np.asarray(times, dtype=float) for name, times in seconds.items()},
        coefficients=coefficients,
        seconds={name: float(polyval(n, c)) for name, c in coefficients.items()},
        memory=dict(memory),
        bytes={name: int(numbers(n)) * bytes_per_number for name, numbers in memory.items()},
        bytes_per_number=bytes_per_number,
    )


@contextlib.contextmanager
def _timing_clock(clock: str, threads: int | None):
    """The clock of ``interleaved_seconds`` and ``median_seconds`` (``time.process_time`` for "process",
    ``time.perf_counter`` for "wall"), with torch set to ``threads`` intra-op threads while it is in use and the
    setting restored afterwards, also when the timed code raises (``None``: left as it is)."""
    import torch

    check_choice("clock", clock, ["process", "wall"])
    if threads is not None:
        threads = check_int("threads", threads, low=1)
    before = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        yield time.process_time if clock == "process" else time.perf_counter
    finally:
        torch.set_num_threads(before)


def interleaved_seconds(calls: dict, *, rounds: int = 5, warmup: int = 1, clock: str = "process",
                        threads: int | None = 1) -> dict:
    """The fastest of ``rounds`` timings of each call in ``calls`` (key -> function), taken in turns.

    Each round times every call once, in order, so a burst of work by another program slows one round of
    all of them rather than every repeat of one; the minimum over rounds then keeps, for each call, a
    round it ran undisturbed. Interference only ever adds time, which is why the minimum (as the ``timeit``
    documentation recommends) is steadier than the median when the machine is shared. ``clock`` and
    ``threads`` as in ``median_seconds``. Returns key -> seconds. Introduced in 08_rnns_vs_transformers.ipynb.
    """
    if not isinstance(calls, dict) or not calls:
        raise TypeError(f"calls must be a non-empty dict key -> function, got {describe(calls)}")
    for key, fn in calls.items():
        check_callable(f"calls[{key!r}]", fn)
    rounds = check_int("rounds", rounds, low=1)
    warmup = check_int("warmup", warmup, low=0)
    best = {key: float("inf") for key in calls}
    with _timing_clock(clock, threads) as now:
        for fn in calls.values():
            for _ in range(warmup):
                fn()
        for _ in range(rounds):
            for key, fn in calls.items():
                start = now()
                fn()
                best[key] = min(best[key], now() - start)
    return best


def median_seconds(fn, *, repeats: int = 5, warmup: int = 1, clock: str = "process", threads: int | None = 1) -> float:
    """The median time of ``fn()`` over ``repeats`` calls, after ``warmup`` untimed calls.

    ``clock="process"`` (the default) measures the CPU time of this process (``time.process_time``): the
    work our program did, not the time it spent waiting while other programs used the CPU, so it stays
    steady on a shared machine. ``clock="wall"`` measures elapsed time (``time.perf_counter``).
    ``threads``: torch's intra-op threads during the measurement, restored afterwards. The default, 1, makes
    the CPU time count the work itself, not threads waiting for one another, and gives the same picture on
    any number of cores; ``None`` keeps the current setting. The median, not the mean: a few calls are
    always disturbed, and the median ignores them. Introduced in 08_rnns_vs_transformers.ipynb.
    """
    check_callable("fn", fn)
    repeats = check_int("repeats", repeats, low=1)
    warmup = check_int("warmup", warmup, low=0)
    times = []
    with _timing_clock(clock, threads) as now:
        for _ in range(warmup):
            fn()
        for _ in range(repeats):
            start = now()
            fn()
            times.append(now() - start)
    return float(np.median(times))
