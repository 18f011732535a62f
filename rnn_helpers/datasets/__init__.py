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

The files are read from the repository's data/, or from the folder the environment variable
``RNN_COURSE_DATA`` names (needed when the package is installed from a wheel, with no data/ beside it).

One module per concept, in course order; every public name is re-exported here, so ``from rnn_helpers import
datasets; datasets.x`` works wherever x lives (docs/DESIGN.md):

- ``datasets.loaders``: The data sets: the files shipped in data/ (each checked against its size and SHA-256) and
  the loaders that read them and the installed packages' data.
- ``datasets.vocabulary``: Vocabularies: characters or words to integer ids and back.
- ``datasets.windows``: Splits, normalisation and windows: chronological splits, standardisation, forecasting
  windows, language-model windows and batches.
- ``datasets.padding``: Batches of sequences of different lengths: padding and packing.
- ``datasets.partitions``: Minibatches of one long text for truncated BPTT: sequential and random
  partitioning, random offsets, chunks of random length.
"""

from rnn_helpers.datasets.loaders import (
    DATA_ENV,
    DATA_FILES,
    PYTHON_SOURCE_MODULES,
    STOCK_TICKERS,
    WEATHER_FEATURES,
    WEATHER_LABELS,
    WEATHER_UNITS,
    DataFileError,
    Play,
    TimeSeries,
    default_data_dir,
    load_held_out_python,
    load_names,
    load_python_source,
    load_seattle_temperature,
    load_seattle_weather,
    load_shakespeare,
    load_stock_prices,
    shakespeare_plays,
    verify_data,
    verify_data_file,
)
from rnn_helpers.datasets.padding import PaddedBatch, pack_batch, pad_sequences, unpack_batch
from rnn_helpers.datasets.partitions import random_batches, random_chunk_lengths, sequential_batches, stream_rows
from rnn_helpers.datasets.vocabulary import Vocabulary
from rnn_helpers.datasets.windows import (
    ForecastSplits,
    Standardizer,
    chronological_split,
    lm_windows,
    make_forecasting_splits,
    sample_lm_batch,
    sliding_windows,
)

__all__ = [
    "DATA_FILES",
    "DATA_ENV",
    "WEATHER_FEATURES",
    "WEATHER_UNITS",
    "WEATHER_LABELS",
    "STOCK_TICKERS",
    "PYTHON_SOURCE_MODULES",
    "DataFileError",
    "default_data_dir",
    "verify_data_file",
    "verify_data",
    "Play",
    "shakespeare_plays",
    "load_shakespeare",
    "load_names",
    "TimeSeries",
    "load_seattle_weather",
    "load_seattle_temperature",
    "load_stock_prices",
    "load_held_out_python",
    "load_python_source",
    "Vocabulary",
    "chronological_split",
    "Standardizer",
    "sliding_windows",
    "ForecastSplits",
    "make_forecasting_splits",
    "lm_windows",
    "sample_lm_batch",
    "PaddedBatch",
    "pad_sequences",
    "pack_batch",
    "unpack_batch",
    "stream_rows",
    "sequential_batches",
    "random_batches",
    "random_chunk_lengths",
]
