#!/usr/bin/env python3
"""The hidden-state explorer as a web app: Voilà serves chapter 09's corpus explorer with no code cells.

    make explorer                                  # the pretrained model on the held-out Python module
    make explorer MODEL=my_model.pt TEXT=notes.txt # a model saved with probe.save_charlm, any UTF-8 text
    python tools/explorer.py --model my_model.pt --text notes.txt --port 8866

It writes the app's notebook to build/explorer/hidden_state_explorer.ipynb (generated, never committed) and
runs Voilà on 127.0.0.1 with a token (printed in the URL; ``--token`` sets one). Everything is local: the
model is read with ``torch.load(..., weights_only=True)`` (``probe.load_charlm``), Voilà's pages come from
the installed package, and nothing is downloaded. A text longer than 100,000 characters is recorded to a
temporary folder as memory maps. Stop the server with Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "explorer"
NOTEBOOK = "hidden_state_explorer.ipynb"

INTRO = """# Hidden-state explorer

What a character-level recurrent network does at every character of a text: pick a layer, what to show
(the hidden state, the cell state or a gate) and a unit, and slide along the text, coloured by that unit
(blue negative, red positive; hover a character for its value). Below, a **pattern query** (select and match,
after LSTMVis, Strobelt et al. 2018): type a regular expression, pick which of its occurrences to select and
a threshold, and press *find units*: the units on through that stretch and off just before and after it, and
every place in the text where they are all on. Chapter 09 of the course explains each view."""

CODE = """import os
import tempfile
from pathlib import Path

from IPython.display import Markdown, display

from rnn_helpers import datasets, probe, setup_notebook
from rnn_helpers.widgets import corpus_explorer

setup_notebook(seed=0)
model_path = os.environ.get("RNN_EXPLORER_MODEL", "")  # written by probe.save_charlm; empty: the course's model
text_path = os.environ.get("RNN_EXPLORER_TEXT", "")  # a UTF-8 text file; empty: the held-out Python module
bundle = probe.load_charlm(model_path) if model_path else probe.load_pretrained()
text = Path(text_path).read_text(encoding="utf-8") if text_path else datasets.load_held_out_python()
folder = tempfile.mkdtemp(prefix="rnn-explorer-") if len(text) > 100_000 else None  # long texts go to disk
recording = probe.record_text(bundle.model, bundle.vocab, text, path=folder,
                              unknown="unk" if bundle.vocab.unk_token else "error")
display(Markdown(
    f"**Model:** {Path(model_path).name if model_path else probe.PRETRAINED_FILE} "
    f"({recording.kind.upper()}, {recording.num_layers} layer(s) of {recording.hidden_size} units). "
    f"**Text:** {Path(text_path).name if text_path else 'tokenize.py (held out)'}, {len(text):,} characters."
))
corpus_explorer(recording)"""


def write_notebook(folder: Path = BUILD) -> Path:
    """The app's notebook (a markdown cell and one code cell, which Voilà runs and hides), in ``folder``."""
    def lines(text):
        parts = text.split("\n")
        return [p + "\n" for p in parts[:-1]] + [parts[-1]]

    notebook = {
        "cells": [
            {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": lines(INTRO)},
            {"cell_type": "code", "id": "app", "metadata": {}, "execution_count": None, "outputs": [],
             "source": lines(CODE)},
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NOTEBOOK
    path.write_text(json.dumps(notebook, indent=1))
    return path


def command(notebook: Path, port: int, token: str) -> list[str]:
    """The Voilà command line: 127.0.0.1 only, a token, no browser, no code shown."""
    cmd = [sys.executable, "-m", "voila", str(notebook), "--no-browser", "--Voila.ip=127.0.0.1",
           f"--port={port}", f"--Voila.token={token}", "--strip_sources=True", "--Voila.port_retries=0"]
    return cmd


def environment(model: str | None, text: str | None) -> dict:
    """The server's environment: the model and text as absolute paths (Voilà's kernel runs in build/)."""
    env = {**os.environ}
    for name, value in (("RNN_EXPLORER_MODEL", model), ("RNN_EXPLORER_TEXT", text)):
        if value:
            path = Path(value).expanduser().resolve()
            if not path.is_file():
                raise SystemExit(f"{name.split('_')[-1].lower()} must be a file, got {value!r} (no such file)")
            env[name] = str(path)
        else:
            env.pop(name, None)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=os.environ.get("MODEL") or None,
                        help="a model saved with probe.save_charlm (default: the pretrained one)")
    parser.add_argument("--text", default=os.environ.get("TEXT") or None,
                        help="a UTF-8 text file (default: the held-out Python module)")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--token", default=None, help="the token to require (default: a random one)")
    args = parser.parse_args()
    token = args.token or secrets.token_hex(16)
    env = environment(args.model, args.text)
    notebook = write_notebook()
    print(f"Hidden-state explorer: http://127.0.0.1:{args.port}/?token={token}  (Ctrl-C stops it)", flush=True)
    try:
        subprocess.run(command(notebook, args.port, token), env=env, check=False)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
