"""Linear recurrences and the parallel scan.

Every model of chapter 12 (minGRU, the LRU, a selective state-space layer) updates its state with a
recurrence that is **linear in the state**, element by element:

    h_t = a_t ⊙ h_{t-1} + b_t          a, b, h: (B, T, H); h_0 given (zeros by default)

where a_t and b_t may depend on the input x_t but never on h_{t-1}. Such a recurrence is a *scan* (a
prefix "sum") over the pairs (a_t, b_t) with the associative operator

    (a_1, b_1) • (a_2, b_2) = (a_1 ⊙ a_2,  a_2 ⊙ b_1 + b_2)      "first step 1, then step 2"

and an associative operator can be evaluated in O(log T) parallel rounds instead of T sequential steps
(Blelloch 1990, "Prefix sums and their applications"; Hillis & Steele 1986).

- ``sequential_scan``: the loop, one step after another (the reference; what inference does).
- ``parallel_scan``: Hillis-Steele over the pairs: ⌈log2 T⌉ rounds, each one vectorised over all T.
- ``chunked_scan``: sequential across chunks of C steps, parallel inside each chunk.
- ``cumsum_scan``: the closed form h_t = P_t Σ_{s<=t} b_s / P_s with P_t = Π_{r<=t} a_r. Exact in
  algebra, unusable in floating point for long sequences: 1 / P_s overflows. Shown to fail, on purpose.
- ``log_space_scan``: the closed form done right for b > 0, in log space (Heinsen 2023).
- ``scan_levels``, ``scan_coverage``: the intermediate rounds of the parallel scan, for pictures.

All functions take and return torch tensors and are differentiable by autograd.
Introduced in 12_modern_recurrences.ipynb.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from rnn_helpers._checks import check_int, describe

__all__ = [
    "combine", "sequential_scan", "parallel_scan", "chunked_scan", "cumsum_scan", "log_space_scan",
    "scan_levels", "scan_coverage", "scan_work_depth", "time_scans",
]


# ------------------------------------------------------------------------------------------ checks
def _check_tensor(name: str, value) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape (B, T, H), got {describe(value)}")
    if not (value.is_floating_point() or value.is_complex()):
        raise TypeError(f"{name} must hold floating-point (or complex) numbers, got dtype {value.dtype}")
    return value


def _check_scan_args(a, b, h0) -> None:
    """a, b: (B, T, H) tensors of one dtype; h0: None or (B, H)."""
    _check_tensor("a", a)
    _check_tensor("b", b)
    if a.ndim != 3:
        raise ValueError(f"a must have 3 dimensions (B, T, H), got shape {tuple(a.shape)}")
    if b.ndim != 3:
        raise ValueError(f"b must have 3 dimensions (B, T, H), got shape {tuple(b.shape)}")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape (B, T, H), got a {tuple(a.shape)} and b {tuple(b.shape)}")
    if a.dtype != b.dtype:
        raise TypeError(f"a and b must have the same dtype, got a {a.dtype} and b {b.dtype}")
    if a.shape[1] == 0:
        raise ValueError(f"the sequences must have at least one step (T >= 1), got shape {tuple(a.shape)}")
    if h0 is not None:
        _check_tensor("h0", h0)
        B, _, H = a.shape
        if tuple(h0.shape) != (B, H):
            raise ValueError(f"h0 must have shape (B, H) = ({B}, {H}), got {tuple(h0.shape)}")
        if h0.dtype != a.dtype:
            raise TypeError(f"h0 must have the dtype of a and b ({a.dtype}), got {h0.dtype}")


def _fold_h0(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None) -> torch.Tensor:
    """Fold the initial state into the first input: b'_1 = a_1 ⊙ h_0 + b_1, after which h_0 = 0."""
    if h0 is None:
        return b
    first = a[:, :1] * h0[:, None] + b[:, :1]  # (B, 1, H)
    return torch.cat([first, b[:, 1:]], dim=1)


# ------------------------------------------------------------------------------------------ the scans
def combine(a_1, b_1, a_2, b_2):
    """The associative operator of the linear recurrence: apply step (a_1, b_1), then step (a_2, b_2).

    h ↦ a_2 (a_1 h + b_1) + b_2 = (a_1 a_2) h + (a_2 b_1 + b_2), so (a_1, b_1) • (a_2, b_2) =
    (a_1 ⊙ a_2, a_2 ⊙ b_1 + b_2). Works elementwise on numbers, numpy arrays or tensors of one shape.
    """
    return a_1 * a_2, a_2 * b_1 + b_2


def sequential_scan(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
    """h_t = a_t ⊙ h_{t-1} + b_t for t = 1..T, one step after another (a Python loop over time).

    a, b: (B, T, H); h0: (B, H) or None (zeros). Returns h: (B, T, H). T sequential steps of O(B·H) work
    each: the reference every other scan is checked against, and what streaming inference does.
    """
    _check_scan_args(a, b, h0)
    h = torch.zeros_like(b[:, 0]) if h0 is None else h0  # (B, H)
    out = []
    for t in range(a.shape[1]):
        # h_t = a_t ⊙ h_{t-1} + b_t
        h = a[:, t] * h + b[:, t]
        out.append(h)
    return torch.stack(out, dim=1)  # (B, T, H)


def _hillis_steele(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Inclusive scan of the pairs (a_t, b_t) along dim 1 in ⌈log2 T⌉ rounds (Hillis & Steele 1986).

    After the round with offset d, position t holds the composition of the steps max(1, t-2d+1)..t.
    Returns (A, h): A_t = a_1 ⊙ ... ⊙ a_t and h_t (from h_0 = 0). Out of place, so autograd sees every round.
    """
    T = a.shape[1]
    d = 1
    while d < T:
        # (A, B)_t ← (A, B)_{t-d} • (A, B)_t for t >= d; positions t < d are already complete
        a_prev, b_prev = a[:, :-d], b[:, :-d]  # (B, T-d, H): the earlier halves
        a_new, b_new = combine(a_prev, b_prev, a[:, d:], b[:, d:])
        a = torch.cat([a[:, :d], a_new], dim=1)  # (B, T, H)
        b = torch.cat([b[:, :d], b_new], dim=1)
        d *= 2
    return a, b


def parallel_scan(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
    """h_t = a_t ⊙ h_{t-1} + b_t for all t at once: Hillis-Steele over the associative pair operator.

    a, b: (B, T, H); h0: (B, H) or None (zeros). Returns h: (B, T, H), equal to ``sequential_scan``.
    Depth ⌈log2 T⌉ rounds (each vectorised over B·T·H), work O(B·T·H·log T). It never divides by a product
    of a's, so it stays finite for long sequences with |a| <= 1: products of a only shrink (and may
    underflow to 0, which is the right answer to machine precision).
    """
    _check_scan_args(a, b, h0)
    _, h = _hillis_steele(a, _fold_h0(a, b, h0))
    return h


def chunked_scan(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None, *, chunk: int = 64) -> torch.Tensor:
    """The same recurrence, sequential across chunks of ``chunk`` steps and parallel inside each chunk.

    Inside a chunk, the Hillis-Steele scan gives the chunk's products A_t and its states from zero h_t^0;
    the state entering the chunk, h_in, then adds A_t ⊙ h_in:  h_t = h_t^0 + A_t ⊙ h_in. The chunks' inner
    scans run side by side (one batched Hillis-Steele), then ⌈T / chunk⌉ sequential updates: depth
    ⌈log2 chunk⌉ + ⌈T / chunk⌉ - 1, work O(B·T·H·log chunk). ``chunk=1`` is the loop; ``chunk >= T`` is
    ``parallel_scan``. a, b: (B, T, H); h0: (B, H) or None. Returns h: (B, T, H).
    """
    _check_scan_args(a, b, h0)
    chunk = check_int("chunk", chunk, low=1)
    B, T, H = a.shape
    n_chunks = math.ceil(T / chunk)
    pad = n_chunks * chunk - T
    if pad:  # pad with identity steps (a = 1, b = 0), cut off again at the end
        a = torch.cat([a, a.new_ones(B, pad, H)], dim=1)
        b = torch.cat([b, b.new_zeros(B, pad, H)], dim=1)
    # all chunks side by side in the batch dimension: (B, n, C, H) -> (B·n, C, H)
    a_c = a.reshape(B * n_chunks, chunk, H)
    b_c = b.reshape(B * n_chunks, chunk, H)
    A, h_zero = _hillis_steele(a_c, b_c)  # (B·n, C, H) each
    A = A.reshape(B, n_chunks, chunk, H)
    h_zero = h_zero.reshape(B, n_chunks, chunk, H)
    h_in = torch.zeros_like(b[:, 0]) if h0 is None else h0  # (B, H)
    out = []
    for k in range(n_chunks):  # sequential across chunks
        # h_t = h_t^0 + A_t ⊙ h_in              (B, C, H)
        h_k = h_zero[:, k] + A[:, k] * h_in[:, None]
        out.append(h_k)
        h_in = h_k[:, -1]
    return torch.cat(out, dim=1)[:, :T]


def cumsum_scan(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor | None = None) -> torch.Tensor:
    """The closed form, written naively: h_t = P_t ⊙ Σ_{s<=t} b_s / P_s with P_t = exp(Σ_{r<=t} log a_r).

    Exact in algebra (a_t > 0 needed), and fast (two cumulative sums), but in floating point P_t underflows
    and 1 / P_s overflows once Σ log a reaches about -709 (float64) or -88 (float32): at T = 4096 with
    a in (0.5, 1) the result is inf or NaN. Kept to show the failure; use ``parallel_scan``.
    a, b: (B, T, H) with a > 0; h0: (B, H) or None. Returns h: (B, T, H).
    """
    _check_scan_args(a, b, h0)
    b = _fold_h0(a, b, h0)
    log_P = torch.cumsum(torch.log(a), dim=1)  # (B, T, H): log P_t
    P = torch.exp(log_P)
    return P * torch.cumsum(b / P, dim=1)


def log_space_scan(log_a: torch.Tensor, log_b: torch.Tensor) -> torch.Tensor:
    """The closed form done right, for positive b, in log space:

        log h_t = A_t + logcumsumexp_s(log b_s - A_s),    A_t = Σ_{r<=t} log a_r

    Every number that is exponentiated is a difference A_t - A_s <= 0 (inside logcumsumexp, which
    subtracts the running maximum), so nothing overflows however long the sequence (Heinsen 2023,
    "Efficient parallelization of a ubiquitous sequential computation"; Feng et al. 2024 train minGRU this
    way). log_a, log_b: (B, T, H) real. Returns log h: (B, T, H), from h_0 = 0. Work O(T), depth O(log T)
    on hardware with a parallel cumulative sum.
    """
    _check_scan_args(log_a, log_b, None)
    if log_a.is_complex():
        raise TypeError("log_space_scan works with real logarithms (b > 0); got complex tensors")
    A = torch.cumsum(log_a, dim=1)  # (B, T, H): log P_t
    return A + torch.logcumsumexp(log_b - A, dim=1)


def scan_levels(a: torch.Tensor, b: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The Hillis-Steele rounds, for pictures: a list of (A, h) after 0, 1, ..., ⌈log2 T⌉ rounds.

    a, b: (B, T, H). After round r, position t has combined the steps max(1, t - 2^r + 1)..t; the last
    entry's h equals ``parallel_scan(a, b)``.
    """
    _check_scan_args(a, b, None)
    levels = [(a, b)]
    T, d = a.shape[1], 1
    while d < T:
        a_new, b_new = combine(a[:, :-d], b[:, :-d], a[:, d:], b[:, d:])
        a = torch.cat([a[:, :d], a_new], dim=1)
        b = torch.cat([b[:, :d], b_new], dim=1)
        levels.append((a, b))
        d *= 2
    return levels


def scan_coverage(T: int, rounds: int) -> np.ndarray:
    """(T, T) boolean: entry [t, s] is True when, after ``rounds`` Hillis-Steele rounds, position t has
    combined step s (that is, t - 2^rounds < s <= t)."""
    T = check_int("T", T, low=1)
    rounds = check_int("rounds", rounds, low=0)
    t, s = np.arange(T)[:, None], np.arange(T)[None, :]
    return (s <= t) & (s > t - 2**rounds)


def scan_work_depth(T: int, method: str, *, chunk: int = 64) -> tuple[int, int]:
    """(work, depth) of a scan of length T: the number of applications of the pair operator in all, and the
    number of rounds that must run one after another (each round's applications are independent).

    ``"sequential"``: T - 1 and T - 1. ``"hillis-steele"``: Σ_r (T - 2^r) over ⌈log2 T⌉ rounds, and
    ⌈log2 T⌉. ``"chunked"``: Hillis-Steele inside each chunk plus one application per step to add the
    incoming state; depth ⌈log2 chunk⌉ + ⌈T / chunk⌉ - 1 (the chunks' inner scans run side by side).
    ``"blelloch"``: 2(T - 1) and 2⌈log2 T⌉ (the work-efficient up-sweep and down-sweep of Blelloch 1990),
    for comparison.
    """
    T = check_int("T", T, low=1)
    chunk = check_int("chunk", chunk, low=1)
    rounds = math.ceil(math.log2(T)) if T > 1 else 0
    if method == "sequential":
        return T - 1, T - 1
    if method == "hillis-steele":
        return sum(T - 2**r for r in range(rounds)), rounds
    if method == "blelloch":
        return 2 * (T - 1), 2 * rounds
    if method == "chunked":
        C = min(chunk, T)
        n = math.ceil(T / C)
        inner_work, inner_depth = scan_work_depth(C, "hillis-steele")
        return n * inner_work + (n - 1) * C, inner_depth + (n - 1)
    raise ValueError(f"method must be one of ['sequential', 'hillis-steele', 'chunked', 'blelloch'], got {method!r}")


def time_scans(lengths, widths, *, methods=("sequential", "parallel", "chunked"), repeats: int = 3,
               chunk: int = 64, seed: int = 0) -> dict:
    """The CPU seconds of each scan (forward, float32, no autograd, one torch thread) on a = U(0.5, 1) and
    b = N(0, 1) of shape (1, T, W) for every T in ``lengths`` and width W = B·H in ``widths``: the fastest of
    ``repeats`` rounds, every call timed once per round (``attention.interleaved_seconds``).

    Returns {method: array (len(lengths), len(widths))}. Process CPU time on one thread, taken in turns:
    steady on a shared machine, and comparable between methods, which is what the ratios need.
    Introduced in 12_modern_recurrences.ipynb; benchmarks/scans.py runs a larger grid.
    """
    from rnn_helpers.attention import interleaved_seconds

    fns = {"sequential": sequential_scan, "parallel": parallel_scan,
           "chunked": lambda a, b: chunked_scan(a, b, chunk=chunk)}
    for m in methods:
        if m not in fns:
            raise ValueError(f"methods must be taken from {list(fns)}, got {m!r}")
    lengths = [check_int("T", T, low=1) for T in lengths]
    widths = [check_int("width", W, low=1) for W in widths]
    g = torch.Generator().manual_seed(seed)
    calls = {}
    for i, T in enumerate(lengths):
        for j, W in enumerate(widths):
            a = 0.5 + 0.5 * torch.rand(1, T, W, generator=g)  # (1, T, W)
            b = torch.randn(1, T, W, generator=g)
            for m in methods:
                calls[m, i, j] = lambda f=fns[m], a=a, b=b: f(a, b)
    with torch.no_grad():
        fastest = interleaved_seconds(calls, rounds=repeats, warmup=1)
    out = {m: np.zeros((len(lengths), len(widths))) for m in methods}
    for (m, i, j), seconds in fastest.items():
        out[m][i, j] = seconds
    return out
