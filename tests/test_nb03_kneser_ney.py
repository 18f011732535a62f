"""Chapter 03's baseline: the modified Kneser-Ney n-gram over names (``ngram.KneserNeyLM``), held to a
dictionary-based implementation written from the formulas, to probabilities that sum to 1, and to its errors."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

import numpy as np
import pytest

from rnn_helpers import ngram


def _reference_kn(train, test, order, V, start):
    """Modified Kneser-Ney straight from Chen & Goodman (1999), with dictionaries of tuples: P of every
    character of ``test``, counted on ``train``."""
    pad = order
    padded = [(start,) * pad + tuple(int(c) for c in s) for s in train]
    targets = [(p, t) for p in padded for t in range(pad, len(p))]

    def grams(k):
        return [p[t - k + 1 : t + 1] for p, t in targets]

    counts = {}
    for k in range(1, order + 1):
        if k == order:
            counts[k] = Counter(grams(k))
        else:
            counts[k] = Counter(g[1:] for g in set(grams(k + 1)))  # N1+(• g)

    def discounts(c):
        n = [sum(1 for v in c.values() if v == r) for r in range(1, 5)]
        y = n[0] / (n[0] + 2 * n[1]) if n[0] and n[1] else 0.5
        d = [0.0]
        for r in (1, 2, 3):
            est = r - (r + 1) * y * n[r] / n[r - 1] if n[r - 1] and n[r] else y
            d.append(est if 0 < est <= r else y)
        return d

    D = {k: discounts(counts[k]) for k in counts}
    by_context = {k: defaultdict(dict) for k in counts}
    for k, c in counts.items():
        for g, v in c.items():
            by_context[k][g[:-1]][g[-1]] = v

    def prob(x, context, k):
        if k == 0:
            return 1.0 / V
        h = context[len(context) - (k - 1) :] if k > 1 else ()
        lower = prob(x, context, k - 1)
        row = by_context[k].get(h)
        if not row:
            return lower
        total = sum(row.values())
        gamma = sum(D[k][min(v, 3)] for v in row.values())
        c = row.get(x, 0)
        return (max(c - D[k][min(c, 3)], 0.0) + gamma * lower) / total

    out = []
    for s in test:
        p = (start,) * pad + tuple(int(c) for c in s)
        for t in range(pad, len(p)):
            out.append(prob(p[t], p[t - order + 1 : t] if order > 1 else (), order))
    return np.array(out)


def _random_names(n, V, seed):
    rng = np.random.default_rng(seed)
    # a skewed alphabet so that counts of 1, 2, 3 and more all occur; each name ends with the boundary 0
    probs = np.arange(V - 1, 0, -1.0) ** 2
    probs /= probs.sum()
    return [np.append(rng.choice(np.arange(1, V), size=rng.integers(1, 7), p=probs), 0) for _ in range(n)]


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_equals_the_formulas(order):
    V = 6
    train, test = _random_names(300, V, 0), _random_names(40, V, 1)
    lm = ngram.KneserNeyLM.fit(train, order, V, start_id=0)
    ours = lm.probabilities(test)
    assert ours.shape == (sum(len(s) for s in test),)
    np.testing.assert_allclose(ours, _reference_kn(train, test, order, V, 0), rtol=1e-12, atol=0)
    assert all(0 < d <= r for r, d in enumerate(lm.discounts[-1][1:], start=1))


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_kneser_ney_probabilities_sum_to_one(order):
    V = 5
    lm = ngram.KneserNeyLM.fit(_random_names(200, V, 2), order, V, start_id=0)
    # every context seen in training, one never seen, and the fresh start: the next character over all of V
    for prefix in [[], [1], [1, 2], [4, 4, 4], [2, 1, 3, 3]]:
        last = [lm.probabilities([np.array(prefix + [x])])[-1] for x in range(V)]
        assert sum(last) == pytest.approx(1.0, abs=1e-12), prefix
        assert min(last) > 0


def test_kneser_ney_sequences_do_not_see_each_other():
    # each sequence starts from the start symbols: its probabilities do not depend on the sequence before it
    V = 5
    lm = ngram.KneserNeyLM.fit(_random_names(100, V, 3), 3, V, start_id=0)
    a, b = np.array([1, 2, 0]), np.array([3, 1, 0])
    assert np.array_equal(lm.probabilities([a, b])[3:], lm.probabilities([b]))


def test_kneser_ney_beats_counting_on_held_out_text():
    # on text from a second-order Markov source, the 3-gram beats the 1-gram on held-out sequences
    V = 4
    rng = np.random.default_rng(4)
    table = rng.dirichlet(np.full(V - 1, 0.3), size=(V, V))
    seqs = []
    for _ in range(600):
        s = [0, 0]
        for _ in range(8):
            s.append(1 + rng.choice(V - 1, p=table[s[-2], s[-1]]))
        seqs.append(np.array(s[2:] + [0]))
    nats = {o: ngram.KneserNeyLM.fit(seqs[:500], o, V, start_id=0).nats_per_char(seqs[500:]) for o in (1, 3)}
    assert nats[3] < nats[1] - 0.1


def test_kneser_ney_bad_input():
    good = [np.array([1, 2, 0])]
    with pytest.raises(TypeError, match="list of 1-D integer arrays"):
        ngram.KneserNeyLM.fit(np.array([1, 2, 0]), 2, 3, start_id=0)
    with pytest.raises(ValueError, match="empty"):
        ngram.KneserNeyLM.fit([np.array([], dtype=np.int64)], 2, 3, start_id=0)
    with pytest.raises(ValueError, match="at least one sequence"):
        ngram.KneserNeyLM.fit([], 2, 3, start_id=0)
    with pytest.raises(ValueError, match="vocab_size"):
        ngram.KneserNeyLM.fit([np.array([1, 5])], 2, 3, start_id=0)
    with pytest.raises(TypeError, match="integer ids"):
        ngram.KneserNeyLM.fit([np.array([1.0, 2.0])], 2, 3, start_id=0)
    with pytest.raises(ValueError, match="start_id"):
        ngram.KneserNeyLM.fit(good, 2, 3, start_id=3)
    lm = ngram.KneserNeyLM.fit(good, 2, 3, start_id=0)
    with pytest.raises(ValueError, match="vocab_size"):
        lm.probabilities([np.array([7])])


def test_kneser_ney_discounts_on_a_known_count_table():
    # n1 = 4, n2 = 2, n3 = 1, n4 = 1: Y = 4 / 8 = 0.5; D1 = 1 - 2·0.5·2/4 = 0.5, D2 = 2 - 3·0.5·1/2 = 1.25,
    # D3 = 3 - 4·0.5·1/1 = 1
    counts = np.array([1, 1, 1, 1, 2, 2, 3, 4])
    np.testing.assert_allclose(ngram._kn_discounts(counts), [0.0, 0.5, 1.25, 1.0])
    assert list(itertools.islice(ngram._kn_discounts(np.array([5, 6])), 1, None)) == [0.5, 0.5, 0.5]
    # n1 = n2 = 1, n3 = 5: Y = 1/3 and D2 = 2 - 3·(1/3)·5 < 0 is no discount: Ney's Y stands in
    assert ngram._kn_discounts(np.array([1, 2, 3, 3, 3, 3, 3]))[2] == pytest.approx(1 / 3)
