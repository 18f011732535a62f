"""Many-to-one sequence classification on real labelled text: first names and the sex recorded for them in
the 1990 US census, with frequency weights, ambiguous names kept as soft labels, and the baselines a
practitioner tries first (character n-gram naive Bayes and logistic regression).

Shapes: ``N`` names, ``G`` distinct n-gram features, ``L`` the longest name plus the end marker.

Introduced in 11_applications.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from rnn_helpers._checks import check_array, check_float, check_int, describe


@dataclass(frozen=True, eq=False)
class NameTable:
    """Every first name of the census files with its recorded-sex statistics.

    ``names``: ``N`` lower-case names; ``p_female`` ``(N,)``: the share of people with that name recorded
    female, ``f / (f + m)`` with ``f`` and ``m`` the name's percentages in the female and male lists (equal
    numbers of women and men assumed; 0 where absent from a list); ``weight`` ``(N,)``: the name's share of
    the whole population in percent, ``(f + m) / 2``.
    """

    names: tuple
    p_female: np.ndarray
    weight: np.ndarray

    def ambiguous(self, margin: float = 0.2) -> np.ndarray:
        """Boolean ``(N,)``: names whose ``p_female`` lies within ``margin`` of 1/2 (e.g. 0.3-0.7)."""
        margin = check_float("margin", margin, low=0.0, high=0.5)
        return np.abs(self.p_female - 0.5) < margin

    def hard_labels(self) -> np.ndarray:
        """int64 ``(N,)``: 1 where most people with the name were recorded female (``p_female > 1/2``), else 0."""
        return (self.p_female > 0.5).astype(np.int64)


def load_name_table(data_dir=None) -> NameTable:
    """The census first names (5,163 distinct) with ``p_female`` and population weights; see ``NameTable``."""
    from rnn_helpers.datasets import load_names

    female = dict(zip(*load_names("first", sex="female", with_frequencies=True, data_dir=data_dir), strict=True))
    male = dict(zip(*load_names("first", sex="male", with_frequencies=True, data_dir=data_dir), strict=True))
    names = sorted(set(female) | set(male))
    f = np.array([female.get(n, 0.0) for n in names])
    m = np.array([male.get(n, 0.0) for n in names])
    return NameTable(tuple(names), f / (f + m), (f + m) / 2)


def split_indices(n: int, *, test=0.2, val=0.1, seed=0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random split of ``range(n)`` into train, validation and test index arrays (names have no time order)."""
    n = check_int("n", n, low=3)
    test, val = check_float("test", test, low=0.0, high=1.0, low_open=True, high_open=True), check_float(
        "val", val, low=0.0, high=1.0, high_open=True
    )
    if test + val >= 1:
        raise ValueError(f"test + val must be < 1, got {test} + {val}")
    order = np.random.default_rng(check_int("seed", seed, low=0)).permutation(n)
    n_test, n_val = round(n * test), round(n * val)
    return np.sort(order[n_test + n_val :]), np.sort(order[n_test : n_test + n_val]), np.sort(order[:n_test])


# ------------------------------------------------------------------------------------------ n-gram features
def char_ngrams(name: str, n_max: int = 3) -> list[str]:
    """Every character n-gram of ``^name$`` for n = 1..n_max (``^`` and ``$`` mark the ends, so ``a$`` is the
    feature 'ends in a')."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string, got {describe(name)}")
    n_max = check_int("n_max", n_max, low=1)
    text = f"^{name}$"
    return [text[i : i + n] for n in range(1, n_max + 1) for i in range(len(text) - n + 1)]


@dataclass(frozen=True, eq=False)
class NgramFeatures:
    """The n-gram vocabulary of the training names (``grams``, G of them) and ``n_max``."""

    grams: tuple
    n_max: int

    @classmethod
    def fit(cls, names, *, n_max: int = 3, min_count: int = 2) -> NgramFeatures:
        """Keep the n-grams that occur in at least ``min_count`` training names."""
        from collections import Counter

        counts = Counter(g for name in names for g in set(char_ngrams(name, n_max)))
        min_count = check_int("min_count", min_count, low=1)
        return cls(tuple(sorted(g for g, c in counts.items() if c >= min_count)), n_max)

    def transform(self, names) -> np.ndarray:
        """Counts of each kept n-gram in each name: float32 ``(N, G)`` (n-grams not kept are ignored)."""
        if isinstance(names, str) or not isinstance(names, (list, tuple)):
            raise TypeError(f"names must be a list of strings, got {describe(names)}")
        index = {g: j for j, g in enumerate(self.grams)}
        X = np.zeros((len(names), len(self.grams)), dtype=np.float32)
        for i, name in enumerate(names):
            for g in char_ngrams(name, self.n_max):
                j = index.get(g)
                if j is not None:
                    X[i, j] += 1
        return X


def naive_bayes_fit(X, p_female, *, alpha: float = 1.0) -> tuple[np.ndarray, float]:
    """Multinomial naive Bayes on n-gram counts with soft labels; returns ``(w, b)`` such that the log-odds
    of 'female' are ``X @ w + b``.

    ``log P(g | class) = log (n_class(g) + α) - log Σ_g' (n_class(g') + α)`` with ``n_female(g) = Σ_i p_i X_ig``
    and ``n_male(g) = Σ_i (1 - p_i) X_ig``; ``b`` is the log prior odds ``log Σ p_i - log Σ (1 - p_i)``.
    ``X``: ``(N, G)``; ``p_female``: ``(N,)`` in [0, 1].
    """
    X = check_array("X", X, ndim=2).astype(np.float64)
    p = check_array("p_female", p_female, shape=(len(X),)).astype(np.float64)
    if p.min() < 0 or p.max() > 1:
        raise ValueError("p_female must lie in [0, 1]")
    alpha = check_float("alpha", alpha, low=0.0, low_open=True)
    n_f, n_m = p @ X + alpha, (1 - p) @ X + alpha  # (G,) smoothed counts per class
    w = np.log(n_f / n_f.sum()) - np.log(n_m / n_m.sum())
    return w, float(np.log(p.sum()) - np.log((1 - p).sum()))


def logistic_regression_fit(X, p_female, *, l2: float = 1e-3, steps: int = 300, lr: float = 0.1, seed: int = 0):
    """Logistic regression on n-gram counts with soft labels, full batch, Adam on cross-entropy + ``l2``·|w|².

    Returns ``(w, b)``: the log-odds of 'female' are ``X @ w + b``. ``X``: ``(N, G)``; ``p_female``: ``(N,)``.
    """
    X = check_array("X", X, ndim=2)
    p = check_array("p_female", p_female, shape=(len(X),))
    l2 = check_float("l2", l2, low=0.0)
    torch.manual_seed(check_int("seed", seed, low=0))
    Xt, pt = torch.from_numpy(X.astype(np.float32)), torch.from_numpy(p.astype(np.float32))
    w = torch.zeros(X.shape[1], requires_grad=True)
    b = torch.zeros((), requires_grad=True)
    optimizer = torch.optim.Adam([w, b], lr=check_float("lr", lr, low=0.0, low_open=True))
    for _ in range(check_int("steps", steps, low=1)):
        loss = nn.functional.binary_cross_entropy_with_logits(Xt @ w + b, pt) + l2 * (w * w).sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return w.detach().double().numpy(), float(b.detach())


# ------------------------------------------------------------------------------------------ the recurrent one
def encode_names(names, alphabet: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Names to padded ids for ``NameClassifier``: ``(N, L)`` int64 (0 = padding, letters 1..len(alphabet),
    then an end marker ``len(alphabet) + 1``) and ``(N,)`` lengths (end marker included)."""
    if isinstance(names, str) or not isinstance(names, (list, tuple)) or not names:
        raise TypeError(f"names must be a non-empty list of strings, got {describe(names)}")
    bad = sorted({c for n in names for c in n if c not in alphabet})
    if bad:
        raise ValueError(f"names contain characters outside the alphabet {alphabet!r}: {bad}")
    lengths = torch.tensor([len(n) + 1 for n in names])
    ids = torch.zeros(len(names), int(lengths.max()), dtype=torch.int64)
    for i, name in enumerate(names):
        ids[i, : len(name)] = torch.tensor([alphabet.index(c) + 1 for c in name])
        ids[i, len(name)] = len(alphabet) + 1  # the end marker
    return ids, lengths


class NameClassifier(nn.Module):
    """Characters -> embedding -> GRU -> the state after the end marker -> the log-odds of 'female'.

    ``ids`` (N, L) and ``lengths`` (N,) -> embedding (N, L, E) -> packed GRU -> h at each name's last step
    (N, H) -> linear -> (N,) logits. Packing makes the padding invisible: the state read is the one after the
    name's own last character, whatever the batch's longest name.
    """

    def __init__(self, alphabet_size: int, embed_size: int = 16, hidden_size: int = 64):
        super().__init__()
        self.embed = nn.Embedding(check_int("alphabet_size", alphabet_size, low=1) + 2, embed_size, padding_idx=0)
        self.rnn = nn.GRU(embed_size, check_int("hidden_size", hidden_size, low=1), batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        packed = nn.utils.rnn.pack_padded_sequence(self.embed(ids), lengths.cpu(), batch_first=True,
                                                   enforce_sorted=False)
        _, h_n = self.rnn(packed)  # (1, N, H): the state after each name's last real step
        return self.head(h_n[0])[:, 0]  # (N,)


def train_name_classifier(ids, lengths, p_female, val, *, alphabet_size: int, hidden_size=64, steps=300,
                          batch_size=256, lr=1e-2, eval_every=25, seed=0):  # fmt: skip
    """Train a ``NameClassifier`` on soft labels (binary cross-entropy against ``p_female``) with Adam; keep
    the weights of the evaluation with the lowest validation cross-entropy.

    ``val``: ``(ids_val, lengths_val, p_val)``. Returns ``(model, best_step)``.
    """
    torch.manual_seed(check_int("seed", seed, low=0))
    generator = torch.Generator().manual_seed(seed)
    model = NameClassifier(alphabet_size, hidden_size=hidden_size)
    p = torch.as_tensor(np.asarray(p_female, dtype=np.float32))
    ids_val, lengths_val, p_val = val
    p_val = torch.as_tensor(np.asarray(p_val, dtype=np.float32))
    optimizer = torch.optim.Adam(model.parameters(), lr=check_float("lr", lr, low=0.0, low_open=True))
    best = (float("inf"), None, 0)
    for step in range(1, check_int("steps", steps, low=1) + 1):
        idx = torch.randint(0, len(ids), (min(batch_size, len(ids)),), generator=generator)
        # forward
        loss = nn.functional.binary_cross_entropy_with_logits(model(ids[idx], lengths[idx]), p[idx])
        # backward
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        # update
        optimizer.step()
        if step % eval_every == 0 or step == steps:
            model.eval()
            with torch.no_grad():
                value = nn.functional.binary_cross_entropy_with_logits(model(ids_val, lengths_val), p_val).item()
            model.train()
            if value < best[0]:
                best = (value, {k: v.clone() for k, v in model.state_dict().items()}, step)
    model.load_state_dict(best[1])
    model.eval()
    return model, best[2]


# ------------------------------------------------------------------------------------------------ metrics
def classification_report(logits, p_female, weight) -> dict:
    """How good are log-odds ``logits`` ``(N,)`` for names with ``p_female`` and population ``weight`` ``(N,)``.

    Returns a dict: ``name_accuracy`` (share of names whose majority sex is predicted), ``people_accuracy``
    (the share of *people* whose recorded sex the guess matches, ``Σ w·(p if guess female else 1 - p) / Σ w``),
    ``people_ceiling`` (the best any rule that reads only the name can reach, ``Σ w·max(p, 1 - p) / Σ w``) and
    ``cross_entropy`` (nats per name against the soft labels).
    """
    logits = check_array("logits", logits, ndim=1).astype(np.float64)
    p = check_array("p_female", p_female, shape=(len(logits),)).astype(np.float64)
    w = check_array("weight", weight, shape=(len(logits),)).astype(np.float64)
    guess_female = logits > 0
    people = np.where(guess_female, p, 1 - p)
    q = 1 / (1 + np.exp(-logits))
    eps = 1e-12
    return {
        "name_accuracy": float((guess_female == (p > 0.5)).mean()),
        "people_accuracy": float((w * people).sum() / w.sum()),
        "people_ceiling": float((w * np.maximum(p, 1 - p)).sum() / w.sum()),
        "cross_entropy": float(-(p * np.log(q + eps) + (1 - p) * np.log(1 - q + eps)).mean()),
    }


def confusion_matrix(logits, p_female) -> np.ndarray:
    """2×2 counts of names: rows the majority recorded sex (0 male, 1 female), columns the guess."""
    logits = check_array("logits", logits, ndim=1)
    p = check_array("p_female", p_female, shape=(len(logits),))
    truth, guess = (p > 0.5).astype(int), (logits > 0).astype(int)
    return np.array([[np.sum((truth == r) & (guess == c)) for c in (0, 1)] for r in (0, 1)])
