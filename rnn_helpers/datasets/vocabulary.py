"""Vocabularies: characters or words to integer ids and back."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from types import MappingProxyType

import numpy as np

from rnn_helpers._checks import check_bool, check_choice, check_int, describe

# word tokens: words (with inner apostrophes, "who's"), numbers, or single punctuation marks
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+|[^\w\s]|_")


def _tokenize(text, level: str, lowercase: bool) -> list[str]:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {describe(text)}")
    if lowercase:
        text = text.lower()
    return list(text) if level == "char" else _WORD_RE.findall(text)


class Vocabulary:
    """A token <-> id mapping for characters or words, with ``encode`` and ``decode``.

    Build one with ``Vocabulary.from_text``. Ids are ``0 .. len(vocab) - 1``: first the special tokens
    (``pad_token`` then ``unk_token``, if given), then the tokens: characters in code-point order (as
    nanoGPT's ``data/shakespeare_char/prepare.py`` orders them), words most frequent first (ties
    alphabetically).

    >>> vocab = Vocabulary.from_text("hello")
    >>> vocab.tokens
    ('e', 'h', 'l', 'o')
    >>> vocab.encode("hole").tolist()
    [1, 3, 2, 0]
    >>> vocab.decode([1, 0, 2, 2, 3])
    'hello'

    Introduced in 03_vanilla_rnn.ipynb (characters); words use the same object.
    """

    def __init__(self, tokens, *, level="char", pad_token=None, unk_token=None, lowercase=False):
        check_choice("level", level, ("char", "word"))
        if isinstance(tokens, str) or not isinstance(tokens, Sequence) or len(tokens) == 0:
            raise TypeError(f"tokens must be a non-empty list of strings, got {describe(tokens)}")
        if not all(isinstance(t, str) and t for t in tokens) or len(set(tokens)) != len(tokens):
            raise ValueError("tokens must be distinct non-empty strings")
        for name, special in (("pad_token", pad_token), ("unk_token", unk_token)):
            if special is not None and special not in tokens:
                raise ValueError(f"{name} {special!r} is not among the tokens")
        self.tokens = tuple(tokens)
        self.level = level
        self.pad_token, self.unk_token = pad_token, unk_token
        self.lowercase = check_bool("lowercase", lowercase)
        self.stoi = MappingProxyType({t: i for i, t in enumerate(self.tokens)})

    @classmethod
    def from_text(
        cls,
        text,
        *,
        level="char",
        min_count=1,
        max_size=None,
        pad_token=None,
        unk_token=None,
        lowercase=False,
    ) -> Vocabulary:
        """Collect the vocabulary of ``text`` (a string, or a list of strings such as names).

        ``min_count`` drops rarer tokens and ``max_size`` caps the size (specials included); text that
        contains a dropped token can then only be encoded if ``unk_token`` is given (e.g. ``"<unk>"``).
        ``pad_token`` (e.g. ``"<pad>"`` or ``"."``) reserves id 0 for padding.
        """
        texts = [text] if isinstance(text, str) else text
        if not isinstance(texts, Sequence) or not all(isinstance(t, str) for t in texts) or not texts:
            raise TypeError(f"text must be a string or a non-empty list of strings, got {describe(text)}")
        check_int("min_count", min_count, low=1)
        specials = [s for s in (pad_token, unk_token) if s is not None]
        check_choice("level", level, ("char", "word"))
        counts = Counter(tok for t in texts for tok in _tokenize(t, level, lowercase))
        kept = [t for t, c in counts.items() if c >= min_count and t not in specials]
        kept.sort(key=(lambda t: t) if level == "char" else (lambda t: (-counts[t], t)))
        if max_size is not None:
            check_int("max_size", max_size, low=len(specials) + 1)
            kept = kept[: max_size - len(specials)]
        if not kept:
            raise ValueError(f"no token occurs at least min_count={min_count} times in the text")
        return cls(
            [*specials, *kept], level=level, pad_token=pad_token, unk_token=unk_token, lowercase=lowercase
        )

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token) -> bool:
        return token in self.stoi

    def __repr__(self) -> str:
        shown = ", ".join(repr(t) for t in self.tokens[:8]) + (", ..." if len(self) > 8 else "")
        return f"Vocabulary(level={self.level!r}, size={len(self)}, tokens=[{shown}])"

    @property
    def pad_id(self) -> int | None:
        """Id of ``pad_token`` (``None`` without one)."""
        return None if self.pad_token is None else self.stoi[self.pad_token]

    @property
    def unk_id(self) -> int | None:
        """Id of ``unk_token`` (``None`` without one)."""
        return None if self.unk_token is None else self.stoi[self.unk_token]

    def tokenize(self, text: str) -> list[str]:
        """Split ``text`` into tokens: characters, or words and punctuation marks."""
        return _tokenize(text, self.level, self.lowercase)

    def encode(self, text: str) -> np.ndarray:
        """``text`` -> ids, int64 of shape ``(T,)`` (T tokens). Unknown tokens map to ``unk_token``."""
        tokens = self.tokenize(text)
        unknown = sorted(set(tokens).difference(self.stoi))
        if unknown and self.unk_token is None:
            raise ValueError(
                f"text contains {len(unknown)} token(s) not in the vocabulary, e.g. {unknown[:5]}; "
                "build the vocabulary from text that includes them, or give it an unk_token"
            )
        stoi = self.stoi if not unknown else {**self.stoi, **dict.fromkeys(unknown, self.unk_id)}
        return np.fromiter(map(stoi.__getitem__, tokens), dtype=np.int64, count=len(tokens))

    def decode(self, ids, *, skip_pad=False) -> str:
        """Ids -> text. ``ids``: 1-D int array, tensor or list, shape ``(T,)``. Characters are joined
        as they are; words with single spaces (so spacing around punctuation is not restored)."""
        skip_pad = check_bool("skip_pad", skip_pad)
        ids = np.asarray(ids.detach().cpu() if hasattr(ids, "detach") else ids)
        if ids.ndim != 1 or not (ids.size == 0 or np.issubdtype(ids.dtype, np.integer)):
            raise ValueError(f"ids must be a 1-D sequence of integers, got {describe(ids)}")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(
                f"ids must lie in [0, {len(self) - 1}], got values from {ids.min()} to {ids.max()}"
            )
        tokens = [self.tokens[i] for i in ids.tolist() if not (skip_pad and i == self.pad_id)]
        return ("" if self.level == "char" else " ").join(tokens)
