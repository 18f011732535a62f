"""Character n-gram language models: the baselines a character RNN must beat.

Two smoothings. ``CharNgramLM`` (Witten-Bell) reads one long stream of text (chapter 11's Shakespeare);
``KneserNeyLM`` (modified Kneser-Ney) reads a set of short sequences, each from a fresh start, as a recurrent
model reads names from its initial state (chapter 03).

Witten & Bell (1991) smoothing, interpolated (as in Chen & Goodman 1999): with ``h`` the last ``n - 1``
characters, ``h'`` the last ``n - 2``, ``c(h, x)`` the count of ``h`` followed by ``x``, ``c(h)`` the count of
``h`` followed by anything and ``u(h)`` the number of distinct characters seen after ``h``,

    P_n(x | h) = (c(h, x) + u(h) · P_{n-1}(x | h')) / (c(h) + u(h)),

down to the uniform distribution over the vocabulary, ``P_0(x) = 1 / V``; a context never seen in training
(``c(h) = 0``) uses ``P_{n-1}`` unchanged. Every probability is positive, so every held-out text has a finite
cross-entropy.

Shapes: ``ids`` int64 ``(N,)`` with values in ``0..V-1``.

Introduced in 11_applications.ipynb (Witten-Bell) and 03_vanilla_rnn.ipynb (Kneser-Ney).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_array, check_int, describe


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


# ------------------------------------------------------------------------------------------- Kneser-Ney


def _kn_discounts(counts: np.ndarray) -> np.ndarray:
    """Chen & Goodman's (1999) estimates of the three discounts of modified Kneser-Ney, from the number n_r of
    n-grams seen exactly r times: Y = n1 / (n1 + 2 n2), D_r = r - (r + 1) Y n_{r+1} / n_r for r = 1, 2, 3
    (D_3 is used for every count >= 3). Returns ``[0, D1, D2, D3]``. Where an estimate is undefined (a count of
    counts is zero) or falls outside (0, r], as on tiny data, Ney's single discount Y (or 0.5) stands in."""
    n = [int(np.sum(counts == r)) for r in range(1, 5)]
    y = n[0] / (n[0] + 2 * n[1]) if n[0] > 0 and n[1] > 0 else 0.5  # in (0, 1)
    discounts = [0.0]
    for r in (1, 2, 3):
        d = r - (r + 1) * y * n[r] / n[r - 1] if n[r - 1] > 0 and n[r] > 0 else y
        discounts.append(float(d) if 0 < d <= r else y)  # a discount in (0, r]: every probability stays positive
    return np.array(discounts)


def _check_sequences(name: str, sequences, vocab_size: int) -> list:
    if isinstance(sequences, np.ndarray) or not isinstance(sequences, (list, tuple)):
        raise TypeError(
            f"{name} must be a list of 1-D integer arrays (one per sequence), got {type(sequences).__name__}"
        )
    if not sequences:
        raise ValueError(f"{name} must hold at least one sequence, got an empty list")
    for i, seq in enumerate(sequences):
        if not isinstance(seq, np.ndarray) or seq.ndim != 1 or not np.issubdtype(seq.dtype, np.integer):
            raise TypeError(f"{name}[{i}] must be a 1-D numpy array of integer ids, got {describe(seq)}")
        if len(seq) == 0:
            raise ValueError(f"{name}[{i}] is empty: every sequence needs at least one character to predict")
    _check_ids(f"{name} (all sequences together)", np.concatenate(sequences), vocab_size)
    return list(sequences)


def _padded_stream(sequences: list, pad: int, start_id: int) -> tuple[np.ndarray, np.ndarray]:
    """The sequences one after another, each preceded by ``pad`` copies of ``start_id`` (so that every context
    is full and none reaches into another sequence), and the positions of their characters in it."""
    lengths = np.array([len(s) for s in sequences])
    stream = np.full(int(lengths.sum()) + pad * len(sequences), start_id, dtype=np.int64)
    starts = np.cumsum(np.concatenate([[0], lengths[:-1] + pad])) + pad  # where each sequence's characters begin
    owner = np.repeat(np.arange(len(sequences)), lengths)
    targets = starts[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    stream[targets] = np.concatenate(sequences)
    return stream, targets


def _grams_at(stream: np.ndarray, targets: np.ndarray, k: int, V: int) -> np.ndarray:
    """Codes of the k characters of ``stream`` ending at each position in ``targets``."""
    return _codes(stream, k, V)[targets - (k - 1)]  # code j covers stream[j : j + k]


@dataclass(frozen=True, eq=False)
class KneserNeyLM:
    """Modified Kneser-Ney (Kneser & Ney 1995; Chen & Goodman 1999, interpolated, three discounts per order) over
    short sequences, each read from a fresh start: the context of a sequence's first character is ``order - 1``
    copies of ``start_id``, nothing from another sequence.

    With ``h`` the last ``k - 1`` characters and ``h'`` the last ``k - 2``,

        P_k(x | h) = (max(c_k(h x) - D_k(c_k(h x)), 0) + γ_k(h) P_{k-1}(x | h')) / Σ_y c_k(h y),
        γ_k(h) = D_k1 N_1(h •) + D_k2 N_2(h •) + D_k3 N_3+(h •),     P_0(x) = 1 / V,

    where c_k is the count for the highest order and, below it, the *continuation count* N_1+(• h x): the
    number of distinct characters seen before ``h x`` (a character that follows many contexts is a likely
    guess in a new one); N_r(h •) is the number of characters x with c_k(h x) = r (N_3+: at least 3). A
    context never seen (Σ_y c_k(h y) = 0) uses P_{k-1} unchanged. The probabilities over x sum to 1 for every
    context, and every one is positive.

    Build it with ``KneserNeyLM.fit``. Introduced in 03_vanilla_rnn.ipynb.
    """

    order: int
    vocab_size: int
    start_id: int
    tables: tuple  # per k = 1..order: (sorted k-gram codes, their counts c_k)
    contexts: tuple  # per k = 1..order: (sorted (k-1)-gram context codes, Σ_y c_k(h y), γ_k(h))
    discounts: tuple  # per k = 1..order: [0, D1, D2, D3]

    @classmethod
    def fit(cls, sequences, order: int, vocab_size: int, *, start_id: int) -> KneserNeyLM:
        """Count the k-grams (k = 1..order) ending at every character of every sequence in ``sequences`` (a list
        of 1-D int arrays, the characters to predict, e.g. ``"mary."``), each sequence preceded by start symbols."""
        order = check_int("order", order, low=1, high=10)
        vocab_size = check_int("vocab_size", vocab_size, low=2)
        start_id = check_int("start_id", start_id, low=0, high=vocab_size - 1)
        if vocab_size ** (order + 1) >= 2**62:
            raise ValueError(f"vocab_size ** (order + 1) is too large for 64-bit codes: {vocab_size}**{order + 1}")
        sequences = _check_sequences("sequences", sequences, vocab_size)
        V = vocab_size
        # one start symbol more than the longest context: every k-gram, k < order, has a predecessor
        stream, targets = _padded_stream(sequences, order, start_id)
        tables, contexts, discounts = [], [], []
        for k in range(1, order + 1):
            if k == order:  # the highest order: plain counts
                keys, counts = np.unique(_grams_at(stream, targets, k, V), return_counts=True)
            else:  # continuation counts: distinct (k+1)-grams that end in this k-gram
                longer = np.unique(_grams_at(stream, targets, k + 1, V))
                keys, counts = np.unique(longer % V**k, return_counts=True)
            d = _kn_discounts(counts)
            ctx, first = np.unique(keys // V, return_index=True)
            total = np.add.reduceat(counts, first)  # Σ_y c_k(h y)
            gamma = np.add.reduceat(d[np.minimum(counts, 3)], first)  # Σ_y D(c_k(h y)) = γ_k(h)
            tables.append((keys, counts))
            contexts.append((ctx, total, gamma))
            discounts.append(d)
        return cls(order, vocab_size, start_id, tuple(tables), tuple(contexts), tuple(discounts))

    def probabilities(self, sequences) -> np.ndarray:
        """P(x | context) of every character of every sequence, the sequences one after another:
        ``(total characters,)`` float64."""
        sequences = _check_sequences("sequences", sequences, self.vocab_size)
        V = self.vocab_size
        stream, targets = _padded_stream(sequences, self.order, self.start_id)
        p = np.full(len(targets), 1.0 / V)  # P_0(x) = 1 / V
        for k in range(1, self.order + 1):
            gram = _grams_at(stream, targets, k, V)  # (total characters,)
            keys, counts = self.tables[k - 1]
            ctx_keys, total_all, gamma_all = self.contexts[k - 1]
            c_hx = _lookup(keys, counts, gram)
            h = gram // V
            total, gamma = _lookup(ctx_keys, total_all, h), _lookup(ctx_keys, gamma_all, h)
            discounted = np.maximum(c_hx - self.discounts[k - 1][np.minimum(c_hx, 3)], 0.0)
            p = np.where(total > 0, (discounted + gamma * p) / np.maximum(total, 1), p)
        return p

    def nats_per_char(self, sequences) -> float:
        """Cross-entropy on ``sequences``: ``-mean log P(x | context)`` over every character of every sequence."""
        return float(-np.log(self.probabilities(sequences)).mean())
