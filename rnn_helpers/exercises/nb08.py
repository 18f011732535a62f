"""Exercises of 08_rnns_vs_transformers.ipynb: attention by hand, the causal mask, and what streaming costs."""

from __future__ import annotations

import numpy as np

from rnn_helpers.exercises import Exercise, Incorrect, NotAttempted, expect_close, is_blank


def _reference_attention(Q, K, V):
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    A = A / A.sum(axis=-1, keepdims=True)
    return A @ V


class ScaledDotProductAttention(Exercise):
    title = "Exercise 1: scaled dot-product attention"
    hints = (
        "Scores first: S = Q Kᵀ / √d_k, where d_k is the last dimension of Q. `np.swapaxes(K, -1, -2)` "
        "transposes the last two axes whatever the leading (batch) axes are.",
        "Softmax over the keys, that is the last axis of S, one row per query: subtract the row's maximum, "
        "exponentiate, divide by the row's sum. Then multiply by V.",
    )
    solution_code = """
import numpy as np

def attention(Q, K, V):
    d_k = Q.shape[-1]
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)          # (..., T_q, T_k)
    A = np.exp(S - S.max(axis=-1, keepdims=True))
    A = A / A.sum(axis=-1, keepdims=True)                   # each row sums to 1
    return A @ V                                            # (..., T_q, d_v)
"""

    def _check(self, attention) -> None:
        if not callable(attention):
            raise Incorrect(f"Give a function attention(Q, K, V); you gave {type(attention).__name__}.")
        rng = np.random.default_rng(0)
        cases = [  # (Q, K, V): unbatched, more keys than queries, batched with heads
            (rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))),
            (rng.normal(size=(2, 5)), rng.normal(size=(6, 5)), rng.normal(size=(6, 3))),
            (rng.normal(size=(2, 3, 4, 8)), rng.normal(size=(2, 3, 4, 8)), rng.normal(size=(2, 3, 4, 8))),
        ]
        for Q, K, V in cases:
            got = attention(Q.copy(), K.copy(), V.copy())
            if is_blank(got):
                raise NotAttempted("Your function still returns ____.")
            expected = _reference_attention(Q, K, V)
            got = np.asarray(got, dtype=float)
            if got.shape != expected.shape:
                raise Incorrect(
                    f"For Q {Q.shape}, K {K.shape}, V {V.shape} the output should have shape {expected.shape} "
                    f"(one row of width d_v per query), but yours has shape {got.shape}."
                )
            S = Q @ np.swapaxes(K, -1, -2)
            unscaled = np.exp(S - S.max(axis=-1, keepdims=True))
            unscaled = unscaled / unscaled.sum(axis=-1, keepdims=True) @ V
            if np.allclose(got, unscaled, atol=1e-8) and not np.allclose(got, expected, atol=1e-8):
                raise Incorrect("Close: you forgot to divide the scores by √d_k (the last dimension of Q).")
            Ac = np.exp(S / np.sqrt(Q.shape[-1]))
            by_column = (Ac / Ac.sum(axis=-2, keepdims=True)) @ V
            if np.allclose(got, by_column, atol=1e-8) and not np.allclose(got, expected, atol=1e-8):
                raise Incorrect("Your softmax normalises each column; it must normalise each row (axis=-1), so "
                                "that every query's weights over the keys sum to 1.")
            expect_close(f"attention(Q, K, V) for Q of shape {Q.shape}", got, expected, atol=1e-8, rtol=1e-6)


class CausalMask(Exercise):
    title = "Exercise 2: the causal mask"
    hints = (
        "Entry [i, j] answers: may query i NOT look at key j? For a causal model the forbidden keys are the "
        "later ones, j > i.",
        "`np.triu(np.ones((T, T), dtype=bool), k=1)` keeps the entries strictly above the diagonal.",
    )
    solution_code = """
import numpy as np

def causal_mask(T):
    return np.triu(np.ones((T, T), dtype=bool), k=1)   # True where j > i: the future is hidden
"""

    def _check(self, causal_mask) -> None:
        if not callable(causal_mask):
            raise Incorrect(f"Give a function causal_mask(T); you gave {type(causal_mask).__name__}.")
        for T in (5, 2, 1):
            got = causal_mask(T)
            if is_blank(got):
                raise NotAttempted("Your function still returns ____.")
            got = np.asarray(got)
            expected = np.triu(np.ones((T, T), dtype=bool), k=1)
            if got.shape != (T, T):
                raise Incorrect(f"causal_mask({T}) should have shape ({T}, {T}), but yours has shape {got.shape}.")
            if got.dtype != np.bool_:
                raise Incorrect(f"causal_mask({T}) should be a boolean array (True = hidden), but its dtype is "
                                f"{got.dtype}. Add dtype=bool.")
            if T > 1 and np.array_equal(got, ~expected):
                raise Incorrect("Your mask is inverted: True must mark what a query may NOT see (the convention "
                                "of torch's attn_mask), so True belongs above the diagonal.")
            if np.array_equal(got, np.triu(np.ones((T, T), dtype=bool), k=0)):
                raise Incorrect("Your mask also hides the diagonal: a position may look at itself (j = i).")
            if np.array_equal(got, np.tril(np.ones((T, T), dtype=bool), k=-1)) and T > 1:
                raise Incorrect("Your mask hides the past instead of the future: query i may see keys j <= i.")
            if not np.array_equal(got, expected):
                raise Incorrect(f"causal_mask({T}) should be\n{expected.astype(int)}\nbut yours is\n{got.astype(int)}.")


class KVCacheBytes(Exercise):
    title = "Exercise 3: the size of a key-value cache"
    hints = (
        "For every token, every layer keeps one key vector and one value vector, each of width d_model.",
        "numbers = 2 (K and V) × layers × tokens × d_model; bytes = numbers × 2 for float16.",
    )
    solution_code = "answer = 2 * 12 * 1024 * 768 * 2   # K and V, 12 layers, 1024 tokens, width 768, 2 bytes each"

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
            raise Incorrect(f"Give a number of bytes; you gave {type(answer).__name__} {answer!r}.")
        expected = 2 * 12 * 1024 * 768 * 2
        if answer == expected // 2:
            raise Incorrect("Half the cache: keep both a key and a value for every token (a factor 2), or you "
                            "counted numbers rather than bytes (another factor 2 for float16).")
        if answer == expected * 2:
            raise Incorrect("Twice too much: float16 takes 2 bytes per number, not 4.")
        if answer == expected // 12:
            raise Incorrect("That is one layer's cache; every one of the 12 layers keeps its own.")
        expect_close("The cache size in bytes", answer, expected, atol=0.5, rtol=0)


class CrossoverLength(Exercise):
    title = "Exercise 4: when is attention cheaper than recurrence?"
    hints = (
        "Table 1 of Vaswani et al. (2017): self-attention costs O(n²·d) per layer, a recurrent layer O(n·d²).",
        "Set n²·d = n·d² and solve for n.",
    )
    solution_code = "answer = 512   # n²·d = n·d²  <=>  n = d: attention is cheaper while n < d"

    def _check(self, answer) -> None:
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
            raise Incorrect(f"Give a sequence length (a number); you gave {type(answer).__name__} {answer!r}.")
        if answer == 512**2:
            raise Incorrect("That is d². Divide both sides of n²·d = n·d² by n·d.")
        expect_close("The crossover length n", answer, 512, atol=0.5, rtol=0)


ex1 = ScaledDotProductAttention()
ex2 = CausalMask()
ex3 = KVCacheBytes()
ex4 = CrossoverLength()
