"""A translation task with real language in it: dates written out in several languages, to ISO 8601.

The source is one or more dates written the way a language writes them, from the Unicode CLDR data that the
``babel`` package ships inside its wheel (nothing is downloaded): ``"3. März 1999; 12. Juni 2001"``. The
target is the same dates in ISO 8601, ``"1999-03-03 2001-06-12"``. Most languages put the day first and the
year last, so the model must **re-order**: the first characters of the target (the year) come from the end
of each source date. Hungarian writes year, month, day, and English month, day, year, so the alignment
differs from language to language. More dates make longer sources, which is where a model that squeezes
the whole source into one vector begins to fail (chapter 10's headline).

The **split is by value**: every calendar day from 1900-01-01 to 2099-12-31 belongs either to the training
set or to the test set (20 % of the days, fixed once by ``SPLIT_SEED``), so a test date never appears in
training, in any language.

Introduced in 10_seq2seq_attention.ipynb.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import numpy as np

from rnn_helpers._checks import check_choice, check_int, check_seed, describe

__all__ = [
    "FIRST_DAY",
    "LANGUAGES",
    "LAST_DAY",
    "SPLIT_SEED",
    "DatePair",
    "date_pairs",
    "is_test_date",
    "iso",
    "write_date",
    "written_characters",
    "vocabularies",
    "TARGET_CHARS",
]

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "fi", "hu", "pl")
"""CLDR locales used by default: ten languages in Latin script, with day-month-year, month-day-year
(English) and year-month-day (Hungarian) orders, and month names that decline (Finnish, Polish)."""

FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)
SPLIT_SEED = 20_140_901  # Bahdanau et al. appeared on 1 September 2014
TEST_SHARE = 0.2
_N_DAYS = (LAST_DAY - FIRST_DAY).days + 1
_IS_TEST = np.random.default_rng(SPLIT_SEED).random(_N_DAYS) < TEST_SHARE  # (days,) fixed once
SEPARATOR = "; "  # between dates in the source
TARGET_SEPARATOR = " "  # between dates in the target


@functools.cache
def _pattern(language: str, style: str):
    """babel's Locale and its date pattern, parsed once per language (parsing dominates formatting)."""
    from babel import Locale
    from babel.dates import get_date_format

    locale = Locale.parse(language)
    return locale, get_date_format(style, locale=locale)


def _check_language(language) -> str:
    if not isinstance(language, str):
        raise TypeError(f"language must be a CLDR locale name such as 'de', got {describe(language)}")
    from babel import UnknownLocaleError

    try:
        _pattern(language, "long")
    except (UnknownLocaleError, ValueError, TypeError) as err:
        raise ValueError(f"language must be a locale that babel knows, such as 'de' or 'fr'; got {language!r}") from err
    return language


def _check_date(day) -> datetime.date:
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise TypeError(f"day must be a datetime.date, got {describe(day)}")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"day must lie between {FIRST_DAY} and {LAST_DAY}, got {day}")
    return day


def write_date(day: datetime.date, language: str, *, style: str = "long") -> str:
    """``day`` written out in ``language`` by CLDR's ``long`` (or ``full``, with the weekday) date format.

    ``write_date(date(1999, 3, 3), "de")`` gives ``"3. März 1999"``; ``"hu"`` gives ``"1999. március 3."``.
    The text is exactly what ``babel.dates.format_date(day, style, locale=language)`` returns; for speed, the
    ``long`` style fills a per-month template that was checked against babel when it was built.
    Introduced in 10_seq2seq_attention.ipynb.
    """
    _check_date(day)
    _check_language(language)
    check_choice("style", style, ["long", "full"])
    return _write(day, language, style)


def _write(day: datetime.date, language: str, style: str) -> str:
    """``write_date`` without the argument checks (for arguments already checked)."""
    templates = _month_templates(language) if style == "long" else None
    if templates is not None:
        return templates[day.month - 1].replace("{y}", str(day.year)).replace("{d}", str(day.day))
    locale, pattern = _pattern(language, style)
    return pattern.apply(day, locale)


@functools.cache
def _month_templates(language: str) -> tuple[str, ...] | None:
    """For each month, babel's ``long`` text with the year and the day replaced by ``{y}`` and ``{d}``;
    ``None`` when a template would not reproduce babel exactly (then every date is formatted by babel)."""
    locale, pattern = _pattern(language, "long")
    templates = []
    for month in range(1, 13):
        text = pattern.apply(datetime.date(1987, month, 26), locale)
        if text.count("1987") != 1 or text.count("26") != 1:
            return None
        template = text.replace("1987", "{y}").replace("26", "{d}")
        for year, day in ((1900, 1), (2099, 9), (2000, 10), (1912, 28)):
            probe = datetime.date(year, month, day)
            if template.replace("{y}", str(year)).replace("{d}", str(day)) != pattern.apply(probe, locale):
                return None
        templates.append(template)
    return tuple(templates)


def iso(day: datetime.date) -> str:
    """``day`` in ISO 8601: ``"1999-03-03"``. Introduced in 10_seq2seq_attention.ipynb."""
    return _check_date(day).isoformat()


def is_test_date(day: datetime.date) -> bool:
    """True when ``day`` belongs to the test split (20 % of the days, fixed by ``SPLIT_SEED``).

    Introduced in 10_seq2seq_attention.ipynb.
    """
    return bool(_IS_TEST[(_check_date(day) - FIRST_DAY).days])


@dataclass(frozen=True)
class DatePair:
    """One example: ``source`` (the dates written out), ``target`` (ISO 8601), the ``language`` and the
    ``days`` themselves."""

    source: str
    target: str
    language: str
    days: tuple[datetime.date, ...]


def date_pairs(
    n: int,
    *,
    split: str = "train",
    n_dates: int | tuple[int, int] = 1,
    languages=LANGUAGES,
    style: str = "long",
    seed: int | None = None,
) -> list[DatePair]:
    """``n`` seeded translation pairs: one to several dates written out in one language -> ISO 8601.

    Args:
        n: number of pairs.
        split: ``"train"`` or ``"test"``: the days come only from that split (see the module docstring).
        n_dates: dates per pair, an integer or an inclusive range ``(low, high)`` drawn uniformly per pair.
        languages: CLDR locale names; each pair draws one uniformly. Default ``LANGUAGES``.
        style: ``"long"`` (``"3. März 1999"``) or ``"full"`` (with the weekday).
        seed: an integer gives the same pairs every time; ``None`` draws one from numpy's global generator
            (which ``setup_notebook`` seeds).

    Returns:
        A list of ``DatePair``. Sources join the dates with ``"; "``, targets with ``" "``.

    Introduced in 10_seq2seq_attention.ipynb.
    """
    n = check_int("n", n, low=1)
    check_choice("split", split, ["train", "test"])
    low, high = _check_n_dates(n_dates)
    if isinstance(languages, str) or not hasattr(languages, "__iter__"):
        raise TypeError(f"languages must be a list of locale names such as ['en', 'de'], got {describe(languages)}")
    languages = [_check_language(lang) for lang in languages]
    if not languages:
        raise ValueError("languages must name at least one locale, got an empty list")
    check_choice("style", style, ["long", "full"])
    seed = check_seed("seed", seed)
    rng = np.random.default_rng(seed if seed is not None else int(np.random.randint(0, 2**31 - 1)))
    pool = np.flatnonzero(_IS_TEST if split == "test" else ~_IS_TEST)  # day offsets of this split
    counts = rng.integers(low, high + 1, size=n)  # (n,) dates per pair
    which = rng.integers(len(languages), size=n)  # (n,) language of each pair
    offsets = rng.choice(pool, size=int(counts.sum()))  # every day of every pair, drawn at once
    ordinal = FIRST_DAY.toordinal()
    pairs, start = [], 0
    for k, lang in zip(counts.tolist(), which.tolist(), strict=True):
        days = tuple(datetime.date.fromordinal(ordinal + d) for d in offsets[start : start + k].tolist())
        start += k
        language = languages[lang]
        source = SEPARATOR.join(_write(day, language, style) for day in days)
        target = TARGET_SEPARATOR.join(day.isoformat() for day in days)
        pairs.append(DatePair(source, target, language, days))
    return pairs


def _check_n_dates(n_dates) -> tuple[int, int]:
    if isinstance(n_dates, tuple):
        if len(n_dates) != 2:
            raise ValueError(f"n_dates must be an integer or a pair (low, high), got {n_dates!r}")
        low = check_int("n_dates[0]", n_dates[0], low=1, high=20)
        high = check_int("n_dates[1]", n_dates[1], low=low, high=20)
        return low, high
    k = check_int("n_dates", n_dates, low=1, high=20)
    return k, k


def written_characters(languages=LANGUAGES, *, style: str = "long") -> str:
    """Every character that the dates of ``languages`` can contain (all months, all digits, the separators),
    sorted: the source alphabet of the task. Introduced in 10_seq2seq_attention.ipynb."""
    check_choice("style", style, ["long", "full"])
    chars = set("0123456789" + SEPARATOR)
    for language in languages:
        for month in range(1, 13):
            for day in (1, 28):  # day numbers of one and two digits
                for weekday_shift in range(7 if style == "full" else 1):
                    d = datetime.date(2000, month, day) + datetime.timedelta(days=weekday_shift)
                    chars.update(write_date(d, language, style=style))
    return "".join(sorted(chars))


def share_test_days() -> float:
    """The share of days in the test split (close to ``TEST_SHARE``). Introduced in 10_seq2seq_attention.ipynb."""
    return float(_IS_TEST.mean())



TARGET_CHARS = "0123456789- "
"""The target alphabet: ISO 8601 dates separated by spaces."""


def vocabularies(languages=LANGUAGES):
    """The source and target ``seq2seq.CharVocab`` of the task: every character the dates of ``languages``
    can contain, and ``TARGET_CHARS``. Introduced in 10_seq2seq_attention.ipynb."""
    from rnn_helpers.seq2seq import CharVocab

    return CharVocab(written_characters(languages)), CharVocab(TARGET_CHARS)
