"""Character n-gram language models with Witten-Bell smoothing: the baseline a character LSTM must beat.

Witten & Bell (1991) smoothing, interpolated (as in Chen & Goodman 1999): with ``h`` the last ``n - 1``
characters, ``h'`` the last ``n - 2``, ``c(h, x)`` the count of ``h`` followed by ``x``, ``c(h)`` the count of
``h`` followed by anything and ``u(h)`` the number of distinct characters seen after ``h``,

    P_n(x | h) = (c(h, x) + u(h) · P_{n-1}(x | h')) / (c(h) + u(h)),

down to the uniform distribution over the vocabulary, ``P_0(x) = 1 / V``; a context never seen in training
(``c(h) = 0``) uses ``P_{n-1}`` unchanged. Every probability is positive, so every held-out text has a finite
cross-entropy.

Shapes: ``ids`` int64 ``(N,)`` with values in ``0..V-1``.

Introduced in 11_applications.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_array, check_int


def _check_ids(name: str, ids, vocab_size: int | None = None) -> np.ndarray:
    ids = check_array(name, ids, ndim=1)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"{name} must hold integer ids, got dtype {ids.dtype}")
    if len(ids) and ids.min() < 0:
        raise ValueError(f"{name} must hold ids >= 0, got {ids.min()}")
    if vocab_size is not None and len(ids) and ids.max() >= vocab_size:
        raise ValueError(f"{name} must hold ids < vocab_size = {vocab_size}, got {ids.max()}")
    return ids.astype(np.int64)


def _codes(ids: np.ndarray, k: int, V: int) -> np.ndarray:
    """Integer code of the k characters ending at each position ``t >= k - 1``: ``(N - k + 1,)``."""
    code = np.zeros(len(ids) - k + 1, dtype=np.int64)
    for j in range(k):
        code = code * V + ids[j : len(ids) - k + 1 + j]
    return code


def _lookup(table_keys: np.ndarray, table_values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """``table_values`` at each query key, 0 where the key is absent (keys sorted, as ``np.unique`` gives)."""
    pos = np.searchsorted(table_keys, queries)
    pos = np.minimum(pos, len(table_keys) - 1)
    found = table_keys[pos] == queries
    return np.where(found, table_values[pos], 0)


@dataclass(frozen=True, eq=False)
class CharNgramLM:
    """An interpolated Witten-Bell character n-gram model of order ``order`` (``order - 1`` characters of
    context) over a vocabulary of ``vocab_size`` ids. Build it with ``CharNgramLM.fit``."""

    order: int
    vocab_size: int
    tables: tuple  # per k = 1..order: (sorted codes of k-grams, their counts)
    contexts: tuple  # per k = 1..order: (sorted codes of the (k-1)-gram contexts, c(h), u(h))

    @classmethod
    def fit(cls, ids, order: int, vocab_size: int) -> CharNgramLM:
        """Count every k-gram of ``ids`` for k = 1..order."""
        order = check_int("order", order, low=1, high=10)
        vocab_size = check_int("vocab_size", vocab_size, low=2)
        if vocab_size**order >= 2**62:
            raise ValueError(f"vocab_size ** order is too large for 64-bit codes: {vocab_size}**{order}")
        ids = _check_ids("ids", ids, vocab_size)
        if len(ids) < order:
            raise ValueError(f"ids has {len(ids)} characters, fewer than order = {order}")
        tables, contexts = [], []
        for k in range(1, order + 1):
            keys, counts = np.unique(_codes(ids, k, vocab_size), return_counts=True)  # k-grams
            tables.append((keys, counts))
            # a context h (k-1 chars) is keys // V; c(h) = Σ_x c(h, x), u(h) = #{x : c(h, x) > 0}
            ctx, start = np.unique(keys // vocab_size, return_index=True)
            c_h = np.add.reduceat(counts, start)
            u_h = np.diff(np.append(start, len(keys)))
            contexts.append((ctx, c_h, u_h))
        return cls(order, vocab_size, tuple(tables), tuple(contexts))

    def probabilities(self, ids) -> np.ndarray:
        """``P(ids[t] | ids[t-order+1 : t])`` for every ``t >= order - 1``: ``(N - order + 1,)`` float64.

        (The first ``order - 1`` characters have no full context and get no probability.)
        """
        ids = _check_ids("ids", ids, self.vocab_size)
        n_out = len(ids) - self.order + 1
        if n_out < 1:
            raise ValueError(f"ids must have at least order = {self.order} characters, got {len(ids)}")
        V = self.vocab_size
        p = np.full(n_out, 1.0 / V)  # P_0(x) = 1 / V
        for k in range(1, self.order + 1):
            gram = _codes(ids, k, V)[self.order - k :]  # (n_out,): the k chars ending at each target
            keys, counts = self.tables[k - 1]
            ctx_keys, c_h_all, u_h_all = self.contexts[k - 1]
            c_hx = _lookup(keys, counts, gram)
            h = gram // V
            c_h, u_h = _lookup(ctx_keys, c_h_all, h), _lookup(ctx_keys, u_h_all, h)
            # P_k(x | h) = (c(h, x) + u(h) P_{k-1}(x | h')) / (c(h) + u(h)); unseen h: P_{k-1}
            seen = c_h > 0
            p = np.where(seen, (c_hx + u_h * p) / np.maximum(c_h + u_h, 1), p)
        return p

    def nats_per_char(self, ids) -> float:
        """Cross-entropy on ``ids``: ``-mean log P(x_t | context)`` over every character with a full context."""
        return float(-np.log(self.probabilities(ids)).mean())


def choose_order(train_ids, val_ids, vocab_size: int, orders=range(1, 9)) -> tuple[int, dict]:
    """Fit one model per order and return the order with the lowest validation nats per character, and a
    dict ``order -> validation nats/char`` (the n-gram's only hyper-parameter, tuned like any model's).

    Every order is scored on the same characters (those after the first ``max(orders) - 1``), so the numbers
    compare like with like."""
    orders = list(orders)
    if not orders:
        raise ValueError("orders must not be empty")
    top = max(check_int("each order", o, low=1) for o in orders)
    val_ids = _check_ids("val_ids", val_ids, vocab_size)
    scores = {}
    for o in orders:
        model = CharNgramLM.fit(train_ids, o, vocab_size)
        p = model.probabilities(val_ids)[top - o :]  # the same targets for every order
        scores[o] = float(-np.log(p).mean())
    return min(scores, key=scores.get), scores
