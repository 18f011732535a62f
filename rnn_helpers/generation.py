"""Text generation with a character LSTM: the model shipped for chapter 11 (Shakespeare), samples drawn side
by side at a temperature, and two measures of what comes out (distinct n-grams, share of real words).

Introduced in 11_applications.ipynb.
"""

from __future__ import annotations

import re

import numpy as np

from rnn_helpers._checks import check_float, check_int, describe

PRETRAINED_FILE = "charlm_shakespeare_lstm.pt"
HELD_OUT_PLAY = "midsummer_nights_dream_gut"  # never seen in training (tools/train_shakespeare.py)


def load_shakespeare_lm(data_dir=None):
    """The character LSTM trained on seven Shakespeare plays by tools/train_shakespeare.py (``HELD_OUT_PLAY``
    held out), as a ``probe.CharLMBundle`` (model, vocab, info). Checks the file's size and SHA-256 first, then
    loads it with ``torch.load(..., weights_only=True)``."""
    from pathlib import Path

    from rnn_helpers.datasets import default_data_dir, verify_data_file
    from rnn_helpers.probe import load_charlm

    if data_dir is not None and not isinstance(data_dir, str | Path):
        raise TypeError(f"data_dir must be None, a str or a pathlib.Path, got {describe(data_dir)}")
    verify_data_file(PRETRAINED_FILE, data_dir)
    return load_charlm((default_data_dir() if data_dir is None else Path(data_dir)) / PRETRAINED_FILE)


def distinct_ngrams(texts, n: int) -> float:
    """Diversity of generated text: distinct n-grams / all n-grams, over every text in ``texts``.

    1.0 means no n-gram repeats; a model stuck in a loop scores near 0. ``texts``: a list of strings.
    """
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)) or not all(isinstance(t, str) for t in texts):
        raise TypeError(f"texts must be a list of strings, got {describe(texts)}")
    n = check_int("n", n, low=1)
    grams = [t[i : i + n] for t in texts for i in range(len(t) - n + 1)]
    if not grams:
        raise ValueError(f"the texts have no {n}-grams (each is shorter than {n} characters)")
    return len(set(grams)) / len(grams)


def known_word_share(texts, vocabulary) -> float:
    """Share of the words of ``texts`` (runs of letters, lower-cased) that occur in ``vocabulary`` (a set of
    lower-case words, e.g. every word of the training text): a crude measure of how real the output looks."""
    if not isinstance(vocabulary, (set, frozenset)):
        raise TypeError(f"vocabulary must be a set of words, got {describe(vocabulary)}")
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        raise TypeError(f"texts must be a list of strings, got {describe(texts)}")
    words = [w.lower() for t in texts for w in re.findall(r"[A-Za-z]+", t)]
    if not words:
        raise ValueError("the texts contain no words")
    return sum(w in vocabulary for w in words) / len(words)


def sample_batch(model, prefix_ids, n: int, *, temperature: float, num_samples: int, seed: int = 0) -> np.ndarray:
    """``num_samples`` continuations of ``n`` characters from a ``models.CharLM``, drawn side by side.

    Each next character ~ softmax(logits / temperature). Returns int64 ``(num_samples, n)``. Deterministic
    under ``seed``.
    """
    import torch

    from rnn_helpers.models import CharLM

    if not isinstance(model, CharLM):
        raise TypeError(f"model must be a models.CharLM, got {describe(model)}")
    n, num_samples = check_int("n", n, low=1), check_int("num_samples", num_samples, low=1)
    temperature = check_float("temperature", temperature, low=0.0, low_open=True)
    prefix = torch.as_tensor(np.asarray(prefix_ids, dtype=np.int64))
    if prefix.ndim != 1 or len(prefix) == 0:
        raise ValueError(f"prefix_ids must be a non-empty 1-D sequence of ids, got shape {tuple(prefix.shape)}")
    generator = torch.Generator().manual_seed(check_int("seed", seed, low=0))
    out = torch.empty(num_samples, n, dtype=torch.int64)
    with torch.no_grad():
        logits, state = model(prefix.repeat(num_samples, 1))  # (S, P, V)
        for t in range(n):
            probs = torch.softmax(logits[:, -1] / temperature, dim=-1)  # (S, V)
            out[:, t] = torch.multinomial(probs, 1, generator=generator)[:, 0]
            logits, state = model(out[:, t : t + 1], state)  # (S, 1, V)
    return out.numpy()
