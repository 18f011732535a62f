"""Synthetic sequence tasks from the literature.

Every task returns seeded, batch-first torch tensors: inputs are ``float32`` of shape ``(B, T, features)``;
regression targets are ``float32``; class targets are ``int64`` (what ``nn.CrossEntropyLoss`` wants).
Each docstring names the paper and the exact variant built, including where it departs from the paper.

Seeds: ``seed=None`` draws the task's seed from numpy's global generator, which ``setup_notebook`` seeds, so
a notebook is reproducible and two calls still give different data (a training set and a test set). Pass an
integer to pin one batch exactly.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from rnn_helpers._checks import check_choice, check_int, describe, make_rng


def _two_distinct(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    """``n`` pairs of distinct integers drawn uniformly from ``[low, high)``; shape (n, 2)."""
    first = rng.integers(low, high, size=n)
    # draw the second from the remaining high-low-1 values, then skip over the first
    second = rng.integers(low, high - 1, size=n)
    second = second + (second >= first)
    return np.stack([first, second], axis=1)


# ----------------------------------------------------------------------------------------------- adding
ADDING_BASELINE_MSE = 1.0 / 6.0
"""Test MSE of always predicting 1 on the Le et al. (2015) adding problem: Var(X1 + X2) = 2 · 1/12 = 0.167."""


def adding_problem(
    n: int, T: int, *, variant: str = "le2015", seed: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """The adding problem: remember two marked numbers over a long sequence and output their sum.

    Two variants, chosen with ``variant``:

    ``"le2015"`` (Le, Jaitly & Hinton 2015, "A simple way to initialize recurrent networks of rectified linear
    units", section 4.1): at each step the input is a pair (value, marker); values are uniform in [0, 1];
    exactly two steps, chosen uniformly at random among all T without replacement, have marker 1, the rest 0.
    The target is the sum of the two marked values. Always predicting 1 scores MSE 1/6 ≈ 0.167
    (``ADDING_BASELINE_MSE``), the baseline a model must beat.

    ``"hochreiter1997"`` (Hochreiter & Schmidhuber 1997, "Long short-term memory", section 5.4, experiment 4):
    values uniform in [-1, 1]; one of the first ten steps is marked (X1), then one of the first T/2 - 1 still
    unmarked steps (X2); markers are 1.0 there, -1.0 on the first and last step, 0 elsewhere. If the first step
    is marked, its value is set to 0 (the paper states this for X1; we apply it whichever of the two lands
    there). The target is 0.5 + (X1 + X2) / 4. The paper draws each sequence's length between T and
    T + T/10; here every sequence has exactly length T, so a batch is one tensor.
    The paper counts a sequence as solved when the absolute error is below 0.04.

    Args:
        n: number of sequences (the batch size B).
        T: sequence length; at least 2 for ``"le2015"``, at least 22 for ``"hochreiter1997"``
            (the ten first steps plus room for X2 in the first half).
        variant: ``"le2015"`` or ``"hochreiter1997"``.
        seed: see the module docstring.

    Returns:
        ``x`` float32 of shape (n, T, 2), columns (value, marker); ``y`` float32 of shape (n, 1).

    Introduced in 00_start_here.ipynb; the lag experiment of 04_vanishing_exploding.ipynb, the races of
    05_lstm.ipynb and 06_gru.ipynb, and section 4 of 08_rnns_vs_transformers.ipynb use it.
    """
    n = check_int("n", n, low=1)
    check_choice("variant", variant, ["le2015", "hochreiter1997"])
    min_T = 2 if variant == "le2015" else 22
    T = check_int("T (sequence length)", T, low=min_T)
    rng = make_rng(seed)
    rows = np.arange(n)
    if variant == "le2015":
        values = rng.uniform(0.0, 1.0, size=(n, T))
        marks = _two_distinct(rng, n, 0, T)  # (n, 2)
        markers = np.zeros((n, T))
        markers[rows, marks[:, 0]] = 1.0
        markers[rows, marks[:, 1]] = 1.0
        y = values[rows, marks[:, 0]] + values[rows, marks[:, 1]]
    else:
        values = rng.uniform(-1.0, 1.0, size=(n, T))
        first = rng.integers(0, 10, size=n)  # one of the first ten steps
        # one of the first T/2 - 1 still unmarked steps: draw among T/2 - 1 slots, skip over `first`
        second = rng.integers(0, T // 2 - 1, size=n)
        second = second + (second >= first)
        markers = np.zeros((n, T))
        markers[:, 0] = -1.0
        markers[:, -1] = -1.0
        markers[rows, first] = 1.0
        markers[rows, second] = 1.0
        values[markers[:, 0] == 1.0, 0] = 0.0  # the paper's rule: a marked first step counts as 0
        y = 0.5 + (values[rows, first] + values[rows, second]) / 4.0
    x = np.stack([values, markers], axis=2)  # (n, T, 2)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y[:, None], dtype=torch.float32)


# ------------------------------------------------------------------------------------------ copy memory
COPY_BLANK, COPY_DELIMITER, COPY_N_SYMBOLS = 0, 9, 10


def copy_memory_baseline(T: int) -> float:
    """Cross-entropy of the memoryless strategy on the copy task: 10 · log(8) / (T + 20) nats per step.

    It outputs blanks for T + 10 steps, then guesses uniformly among the 8 data symbols for the last 10
    (Arjovsky, Shah & Bengio 2016, section 4.1).
    Used by no chapter yet (tested in tests/test_tasks.py); there for exercises, the labs and later chapters.
    """
    T = check_int("T (delay)", T, low=1)
    return 10.0 * math.log(8.0) / (T + 20)


def copy_memory(n: int, T: int, *, seed: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The copy memory task of Arjovsky, Shah & Bengio 2016 ("Unitary evolution recurrent neural networks",
    section 4.1), after Hochreiter & Schmidhuber 1997.

    Symbols: 0 is the blank, 1-8 are data, 9 is the delimiter. The input is 10 data symbols drawn uniformly
    from 1-8, then T - 1 blanks, the delimiter, and 10 more blanks: length T + 20. The target is T + 10 blanks
    followed by the 10 data symbols: the network must reproduce them after the delimiter, T steps later.
    The memoryless baseline is ``copy_memory_baseline(T)``.

    Args:
        n: number of sequences. T: the delay (at least 1).

    Returns:
        ``x`` float32 one-hot of shape (n, T + 20, 10); ``y`` int64 class labels of shape (n, T + 20).

    Used by no chapter yet (tested in tests/test_tasks.py); there for exercises, the labs and later chapters.
    """
    n = check_int("n", n, low=1)
    T = check_int("T (delay)", T, low=1)
    rng = make_rng(seed)
    data = rng.integers(1, 9, size=(n, 10))  # (n, 10) symbols 1..8
    seq = np.full((n, T + 20), COPY_BLANK)
    seq[:, :10] = data
    seq[:, T + 9] = COPY_DELIMITER
    target = np.full((n, T + 20), COPY_BLANK)
    target[:, -10:] = data
    x = np.eye(COPY_N_SYMBOLS, dtype=np.float32)[seq]  # (n, T + 20, 10)
    return torch.from_numpy(x), torch.tensor(target, dtype=torch.int64)


# --------------------------------------------------------------------------------------- temporal order
TEMPORAL_ORDER_SYMBOLS = ("a", "b", "c", "d", "X", "Y", "E", "B")
TEMPORAL_ORDER_CLASSES = ("Q", "R", "S", "U")  # XX, XY, YX, YY


def temporal_order(
    n: int, *, length: int = 100, seed: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """The temporal order problem, Hochreiter & Schmidhuber 1997, section 5.6, task 6a.

    Each sequence starts with E and ends with B (the trigger symbol); in between, symbols are drawn uniformly
    from {a, b, c, d}, except at two positions t1 and t2 that hold X or Y. The class is the order of the two:
    XX -> Q (0), XY -> R (1), YX -> S (2), YY -> U (3). With ``length=100``, t1 is drawn from 10-20 and t2
    from 50-60 as in the paper (1-based positions, inclusive); for other lengths both ranges scale with the
    length. The paper draws each length from 100-110; here all sequences have exactly ``length`` steps.

    Args:
        n: number of sequences. length: steps per sequence, at least 20.

    Returns:
        ``x`` float32 one-hot of shape (n, length, 8) over ``TEMPORAL_ORDER_SYMBOLS``;
        ``y`` int64 class of shape (n,), indexing ``TEMPORAL_ORDER_CLASSES``.

    Used by no chapter yet (tested in tests/test_tasks.py); there for exercises, the labs and later chapters.
    """
    n = check_int("n", n, low=1)
    length = check_int("length", length, low=20)
    rng = make_rng(seed)
    scale = length / 100.0
    # 1-based paper positions -> 0-based indices
    t1 = rng.integers(round(10 * scale), round(20 * scale) + 1, size=n) - 1
    t2 = rng.integers(round(50 * scale), round(60 * scale) + 1, size=n) - 1
    seq = rng.integers(0, 4, size=(n, length))  # a, b, c, d
    which = rng.integers(0, 2, size=(n, 2))  # 0 -> X, 1 -> Y
    rows = np.arange(n)
    seq[rows, t1] = 4 + which[:, 0]
    seq[rows, t2] = 4 + which[:, 1]
    seq[:, 0] = TEMPORAL_ORDER_SYMBOLS.index("E")
    seq[:, -1] = TEMPORAL_ORDER_SYMBOLS.index("B")
    label = 2 * which[:, 0] + which[:, 1]
    x = np.eye(len(TEMPORAL_ORDER_SYMBOLS), dtype=np.float32)[seq]
    return torch.from_numpy(x), torch.tensor(label, dtype=torch.int64)


# --------------------------------------------------------------------------------- embedded Reber grammar
REBER_SYMBOLS = "BTSXPVE"
# Reber (1967) grammar as used by Cleeremans, Servan-Schreiber & McClelland (1989), Fig. 1: from each state,
# two equally likely (symbol, next state) arcs; state 5 emits E and stops.
_REBER_ARCS = {
    0: (("T", 1), ("P", 2)),
    1: (("S", 1), ("X", 3)),
    2: (("T", 2), ("V", 4)),
    3: (("X", 2), ("S", 5)),
    4: (("P", 3), ("V", 5)),
}


def _reber_string(rng: np.random.Generator) -> str:
    out, state = ["B"], 0
    while state != 5:
        symbol, state = _REBER_ARCS[state][rng.integers(0, 2)]
        out.append(symbol)
    out.append("E")
    return "".join(out)


def embedded_reber_strings(n: int, *, seed: int | None = None) -> list[str]:
    """``n`` strings of the embedded Reber grammar (Cleeremans et al. 1989; Hochreiter & Schmidhuber 1997,
    section 5.1, experiment 1): ``B``, then ``T`` or ``P``, then a Reber string, then the same ``T`` or ``P``
    again, then ``E``. The long-range part is the second-to-last symbol, which must repeat the second.

    Used by no chapter yet (tested in tests/test_tasks.py); there for exercises, the labs and later chapters.
    """
    n = check_int("n", n, low=1)
    rng = make_rng(seed)
    strings = []
    for _ in range(n):
        branch = "TP"[rng.integers(0, 2)]
        strings.append("B" + branch + _reber_string(rng) + branch + "E")
    return strings


def _reber_next_sets(inner: str) -> list[set[str]]:
    """For a plain Reber string, the set of symbols the grammar allows after each of its prefixes."""
    sets, state = [{"T", "P"}], 0  # after the leading B
    for symbol in inner[1:-1]:
        state = dict(_REBER_ARCS[state])[symbol]
        sets.append({s for s, _ in _REBER_ARCS[state]} if state != 5 else {"E"})
    return sets


def is_embedded_reber(string: str) -> bool:
    """True when ``string`` is a complete string of the embedded Reber grammar.

    Used by no chapter yet (tested in tests/test_tasks.py); there for exercises, the labs and later chapters.
    """
    if not isinstance(string, str):
        raise TypeError(f"string must be a str, got {type(string).__name__}")
    if len(string) < 9 or string[0] != "B" or string[-1] != "E" or string[1] not in "TP":
        return False
    if string[-2] != string[1]:
        return False
    inner = string[2:-2]
    if not (inner.startswith("B") and inner.endswith("E")):
        return False
    try:
        sets = _reber_next_sets(inner)
    except KeyError:
        return False
    return all(sym in allowed for sym, allowed in zip(inner[1:], sets, strict=True))


def embedded_reber(
    n: int, *, seed: int | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Next-symbol prediction on the embedded Reber grammar, as in Hochreiter & Schmidhuber 1997, exp. 1.

    As in the paper, the target at each step is the set of symbols the grammar allows next (several output
    units on at once); the hard step is the second-to-last, where only the branch symbol seen at step 2 is
    allowed. Strings have different lengths: the batch is zero-padded at the end.

    Returns:
        ``x`` float32 one-hot of shape (n, L, 7) over ``REBER_SYMBOLS`` for every symbol but the last;
        ``y`` float32 multi-hot of shape (n, L, 7), the allowed next symbols; ``lengths`` int64 of shape (n,)
        (L is the longest length in the batch; padded steps are all zero in both).

    Used by no chapter yet (tested in tests/test_tasks.py); there for exercises, the labs and later chapters.
    """
    strings = embedded_reber_strings(n, seed=seed)
    lengths = np.array([len(s) - 1 for s in strings])
    L = int(lengths.max())
    x = np.zeros((len(strings), L, len(REBER_SYMBOLS)), dtype=np.float32)
    y = np.zeros_like(x)
    for b, s in enumerate(strings):
        branch, inner = s[1], s[2:-2]
        allowed = [{"T", "P"}] + [{"B"}] + _reber_next_sets(inner) + [{branch}, {"E"}]
        for t, symbol in enumerate(s[:-1]):
            x[b, t, REBER_SYMBOLS.index(symbol)] = 1.0
            for a in allowed[t]:
                y[b, t, REBER_SYMBOLS.index(a)] = 1.0
    return torch.from_numpy(x), torch.from_numpy(y), torch.tensor(lengths, dtype=torch.int64)


# --------------------------------------------------------------------------------------- temporal XOR
def temporal_xor(n: int, length: int, *, seed: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Elman's temporal XOR (Elman 1990, "Finding structure in time", section "Exclusive-or").

    A bit stream made of triples (a, b, a XOR b): two random bits, then their XOR. The task is to predict the
    next bit. Only every third bit is predictable; the first two of each triple are coin flips.
    Elman trained one network on a single stream of 3,000 bits.

    Args:
        n: number of streams. length: bits in each input (at least 3); each stream has length + 1 bits.

    Returns:
        ``x`` float32 of shape (n, length, 1), the bits; ``y`` float32 of shape (n, length, 1), the next bits
        (``y[:, t] == x[:, t + 1]``). ``y[:, t]`` is predictable exactly when ``t % 3 == 1`` (the target is
        the third bit of a triple).

    Introduced in 02_history.ipynb.
    """
    n = check_int("n", n, low=1)
    length = check_int("length", length, low=3)
    rng = make_rng(seed)
    triples = -(-(length + 1) // 3)  # ceil
    pairs = rng.integers(0, 2, size=(n, triples, 2))
    stream = np.concatenate([pairs, pairs[:, :, :1] ^ pairs[:, :, 1:]], axis=2).reshape(n, -1)
    stream = stream[:, : length + 1].astype(np.float32)
    return torch.from_numpy(stream[:, :-1, None].copy()), torch.from_numpy(stream[:, 1:, None].copy())


# ---- chapter 07: bidirectional and deep RNNs ----
SHIFT_IGNORE = -100
"""Label of a position whose answer lies outside the sequence; ``nn.CrossEntropyLoss`` skips it by default."""


def shifted_copy(
    n: int, T: int, k: int, *, n_symbols: int = 4, seed: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Label every step with the symbol ``k`` steps away: y_t = x_{t+k}.

    With ``k > 0`` the answer lies in the future, so a network that reads left to right can only guess
    (accuracy 1 / n_symbols), while a bidirectional one can read it off its backward half. With ``k <= 0``
    the answer is in the present or the past, and a forward network suffices. Schuster & Paliwal (1997,
    "Bidirectional recurrent neural networks", IEEE Trans. Signal Processing 45(11)) first tested
    bidirectional networks on artificial data whose targets depend on inputs before and after t; this delayed
    copy is the simplest such task, made for this course (it is not their data).

    Symbols are drawn uniformly and independently from 0 … n_symbols - 1. Where t + k falls outside
    0 … T-1 there is no answer: the label is ``SHIFT_IGNORE`` (-100), which ``cross_entropy`` ignores.

    Args:
        n: number of sequences. T: steps per sequence (at least 1).
        k: the shift, an integer with |k| < T (positive: the future, negative: the past).
        n_symbols: alphabet size, at least 2. seed: see the module docstring.

    Returns:
        ``x`` float32 one-hot of shape (n, T, n_symbols); ``y`` int64 labels of shape (n, T).

    Introduced in 07_bidirectional.ipynb.
    """
    n = check_int("n", n, low=1)
    T = check_int("T (sequence length)", T, low=1)
    k = check_int("k (shift)", k, low=-(T - 1), high=T - 1)
    n_symbols = check_int("n_symbols", n_symbols, low=2)
    rng = make_rng(seed)
    symbols = rng.integers(0, n_symbols, size=(n, T))  # (n, T)
    y = np.full((n, T), SHIFT_IGNORE, dtype=np.int64)
    # y_t = x_{t+k} wherever 0 <= t + k < T
    if k >= 0:
        y[:, : T - k] = symbols[:, k:]
    else:
        y[:, -k:] = symbols[:, : T + k]
    x = np.eye(n_symbols, dtype=np.float32)[symbols]  # (n, T, n_symbols)
    return torch.from_numpy(x), torch.from_numpy(y)


def position_accuracy(logits: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """Accuracy at each time step: the share of sequences whose arg-max class at t equals the label y_t.

    ``logits`` (B, T, C) and ``y`` (B, T) int64, labels ``SHIFT_IGNORE`` skipped. Returns float64 of shape
    (T,); NaN at a step where every label is ignored (its answer lies outside the sequence).

    Introduced in 07_bidirectional.ipynb.
    """
    for name, value in (("logits", logits), ("y", y)):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {describe(value)}")
    if logits.ndim != 3 or y.shape != logits.shape[:2]:
        raise ValueError(
            f"logits must be (B, T, C) and y (B, T) with the same B and T, got {tuple(logits.shape)} and "
            f"{tuple(y.shape)}"
        )
    if y.dtype != torch.int64:
        raise TypeError(f"y must hold int64 class labels, got dtype {y.dtype}")
    valid = y != SHIFT_IGNORE  # (B, T)
    hits = (logits.detach().argmax(-1) == y) & valid  # (B, T)
    counts = valid.sum(0).cpu().numpy().astype(np.float64)  # (T,)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, hits.sum(0).cpu().numpy() / counts, np.nan)


# ---- chapter 08: RNNs and transformers ----
RECALL_KEYS = "abcdefghijklmnopqrstuvwxyz"
RECALL_VALUES = "0123456789"
RECALL_SEPARATOR = "?"
RECALL_SYMBOLS = RECALL_KEYS + RECALL_VALUES + RECALL_SEPARATOR  # 37 one-hot features: a-z, 0-9, ?


def associative_recall(
    n: int, n_pairs: int, *, layout: str = "paired", seed: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Associative recall (associative retrieval) of Ba, Hinton, Mnih, Leibo & Ionescu 2016, "Using fast
    weights to attend to the recent past" (NIPS), section 4.1.

    Each sequence shows ``n_pairs`` key-value pairs, then two separators, then one of the keys again: the
    target is the value that came with it. In the paper's example ``c9k8j3f1??c`` the answer is 9. Keys are
    distinct letters a-z (drawn without replacement, so ``n_pairs`` <= 26), values are digits 0-9 (they may
    repeat), the query is one of the keys chosen uniformly. Features are one-hot over ``RECALL_SYMBOLS``
    (26 letters, 10 digits, ``?``: 37 in all).

    Two layouts, chosen with ``layout``:

    ``"ba2016"``: one symbol per step, as in the paper: k1 v1 k2 v2 ... ? ? q, length 2 · n_pairs + 3.
    ``"paired"`` (our variant): a key and its value arrive together in one step (two features on), then
    ``? ?``, then the query key alone: length n_pairs + 3. The memory problem is the same; one attention
    layer can then look the pair up directly, whereas with the paper's layout a transformer needs two layers
    (one to attach each value to the key before it, one to look up), which takes far longer to train.

    Args:
        n: number of sequences. n_pairs: key-value pairs per sequence, 1 to 26.
        layout: ``"paired"`` or ``"ba2016"``. seed: see the module docstring.

    Returns:
        ``x`` float32 of shape (n, L, 37); ``y`` int64 of shape (n,), the digit 0-9 to recall.

    Introduced in 08_rnns_vs_transformers.ipynb.
    """
    n = check_int("n", n, low=1)
    n_pairs = check_int("n_pairs", n_pairs, low=1, high=len(RECALL_KEYS))
    check_choice("layout", layout, ["paired", "ba2016"])
    rng = make_rng(seed)
    rows = np.arange(n)
    n_keys, n_values = len(RECALL_KEYS), len(RECALL_VALUES)
    sep = len(RECALL_SYMBOLS) - 1
    keys = np.argsort(rng.random((n, n_keys)), axis=1)[:, :n_pairs]  # (n, K) distinct letters
    values = rng.integers(0, n_values, size=(n, n_pairs))  # (n, K) digits
    which = rng.integers(0, n_pairs, size=n)  # the pair to recall
    query, y = keys[rows, which], values[rows, which]
    eye = np.eye(len(RECALL_SYMBOLS), dtype=np.float32)
    if layout == "ba2016":
        seq = np.full((n, 2 * n_pairs + 3), sep)
        seq[:, 0 : 2 * n_pairs : 2] = keys
        seq[:, 1 : 2 * n_pairs : 2] = n_keys + values
        seq[:, -1] = query
        x = eye[seq]  # (n, 2K + 3, 37)
    else:
        x = np.zeros((n, n_pairs + 3, len(RECALL_SYMBOLS)), dtype=np.float32)
        x[:, :n_pairs] = eye[keys] + eye[n_keys + values]  # key and value in the same step
        x[:, n_pairs : n_pairs + 2, sep] = 1.0
        x[rows, -1, query] = 1.0
    return torch.from_numpy(x), torch.tensor(y, dtype=torch.int64)


def recall_text(x) -> str:
    """One associative-recall sequence (L, 37), either layout, as text: ``"c9k8j3f1??c"``; a paired step
    shows its key and value together. Introduced in 08_rnns_vs_transformers.ipynb.
    """
    x = x.detach().cpu().numpy() if hasattr(x, "detach") else x
    if not isinstance(x, np.ndarray) or x.ndim != 2 or x.shape[1] != len(RECALL_SYMBOLS):
        raise ValueError(f"x must be one sequence of shape (L, {len(RECALL_SYMBOLS)}), got {getattr(x, 'shape', x)}")
    return "".join(RECALL_SYMBOLS[i] for step in x for i in np.flatnonzero(step > 0.5))


# ---- chapter 05: LSTM variants ----
def flip_flop(n: int, T: int, *, p_store: float = 0.1, seed: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """A continuous flip-flop (a one-slot memory): store a value when told, report it until told again.

    Each step carries a value v_t uniform in [-1, 1] and a store flag s_t (1 with probability ``p_store``). The
    target at every step is the value at the most recent step with s_t = 1, up to and including this one, and 0
    before the first store. The network must hold a value over the steps between two stores (memory) and drop
    it at the next store (forgetting): a small version of the memory tasks used to probe gated networks, e.g.
    Sussillo & Barak (2013, the 3-bit flip-flop). Always answering 0 scores an MSE of at most 1/3 (Var v = 1/3).

    Returns ``x`` float32 (n, T, 2) holding (v_t, s_t), and ``y`` float32 (n, T, 1).
    Introduced in 05_lstm.ipynb.
    """
    n = check_int("n", n, low=1)
    T = check_int("T", T, low=1)
    if isinstance(p_store, bool) or not isinstance(p_store, int | float) or not 0 < p_store <= 1:
        raise ValueError(f"p_store must be a probability in (0, 1], got {describe(p_store)}")
    rng = make_rng(seed)
    values = rng.uniform(-1, 1, size=(n, T))
    store = rng.random((n, T)) < p_store
    y = np.zeros((n, T))
    held = np.zeros(n)
    for t in range(T):
        held = np.where(store[:, t], values[:, t], held)
        y[:, t] = held
    x = np.stack([values, store.astype(np.float64)], axis=2).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(y[:, :, None].astype(np.float32))
