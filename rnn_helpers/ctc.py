"""Speech-like sequence labelling with CTC: Morse code heard as a noisy tone, decoded to letters.

Graves, Fernández, Gomez & Schmidhuber (2006) introduced connectionist temporal classification (CTC): a
network reads ``T`` frames and emits, per frame, a distribution over the labels plus a *blank*; the loss sums
over every frame-level path that collapses to the target (merge repeats, then drop blanks), so no one has to
say which frame belongs to which letter. This module makes the data (deterministic noisy Morse audio, framed
into tone energies), the model (a bidirectional LSTM), the greedy decoder written out, the character error
rate, and the baseline a radio amateur's program would use (threshold, run lengths, a code table).

Shapes: ``B`` signals, ``T`` frames, ``C = 27`` classes (blank = 0, then A-Z).

Introduced in 11_applications.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from rnn_helpers._checks import check_array, check_bool, check_float, check_int, describe

MORSE = {
    "A": ".-", "B": "-...", "C": "-.-.", "D": "-..", "E": ".", "F": "..-.", "G": "--.", "H": "....",
    "I": "..", "J": ".---", "K": "-.-", "L": ".-..", "M": "--", "N": "-.", "O": "---", "P": ".--.",
    "Q": "--.-", "R": ".-.", "S": "...", "T": "-", "U": "..-", "V": "...-", "W": ".--", "X": "-..-",
    "Y": "-.--", "Z": "--..",
}  # fmt: skip  (International Morse code, ITU-R M.1677-1)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BLANK = 0  # class 0 is CTC's blank; letter k of LETTERS is class k + 1
SAMPLES_PER_FRAME = 32  # audio samples summarised by one frame
TONE_CYCLES_PER_FRAME = 4  # the tone's frequency, in cycles per frame (an exact DFT bin)


def encode_text(text: str) -> list[int]:
    """Class ids of a string of capital letters: ``"SOS"`` -> ``[19, 15, 19]`` (blank is 0)."""
    if not isinstance(text, str) or not text or any(c not in LETTERS for c in text):
        raise ValueError(f"text must be a non-empty string of capital letters A-Z, got {text!r}")
    return [LETTERS.index(c) + 1 for c in text]


def decode_ids(ids) -> str:
    """Class ids (no blanks) back to letters."""
    ids = [int(i) for i in ids]
    if any(i < 1 or i > len(LETTERS) for i in ids):
        raise ValueError(f"ids must lie in 1..{len(LETTERS)} (0 is the blank), got {ids}")
    return "".join(LETTERS[i - 1] for i in ids)


def morse_keying(text: str, unit: int) -> np.ndarray:
    """The on/off key of ``text`` in Morse, one entry per frame: a dot is 1 unit on, a dash 3, the gap inside
    a letter 1 unit off, between letters 3; one unit of silence before and after. ``(T,)`` float64 of 0/1."""
    encode_text(text)
    unit = check_int("unit", unit, low=1)
    parts = [np.zeros(unit)]
    for k, letter in enumerate(text):
        if k:
            parts.append(np.zeros(3 * unit))
        for j, symbol in enumerate(MORSE[letter]):
            if j:
                parts.append(np.zeros(unit))
            parts.append(np.ones(unit if symbol == "." else 3 * unit))
    parts.append(np.zeros(unit))
    return np.concatenate(parts)


def tone_frames(key, snr_db, rng) -> np.ndarray:
    """Noisy tone audio for an on/off ``key`` ``(T,)``, framed into one feature per frame.

    Each frame is ``SAMPLES_PER_FRAME`` audio samples of a unit-amplitude sine (on) or silence (off), plus white
    Gaussian noise whose power sets the signal-to-noise ratio ``snr_db`` (tone power 1/2 over noise power σ²,
    per sample). The feature of a frame is the magnitude of its DFT at the tone's frequency (the energy a
    receiver tuned to the tone hears), divided by its noise-free 'on' value, so 1 means 'on' and 0 'off'
    without noise. Returns ``(T,)`` float32.
    """
    key = check_array("key", key, ndim=1)
    snr_db = check_float("snr_db", snr_db)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {describe(rng)}")
    n = np.arange(SAMPLES_PER_FRAME)
    phase = rng.uniform(0, 2 * np.pi)
    carrier = np.sin(2 * np.pi * TONE_CYCLES_PER_FRAME * n / SAMPLES_PER_FRAME + phase)  # (S,)
    sigma = np.sqrt(0.5 / 10 ** (snr_db / 10))  # SNR = (1/2) / σ²
    audio = key[:, None] * carrier + sigma * rng.standard_normal((len(key), SAMPLES_PER_FRAME))  # (T, S)
    basis = np.exp(-2j * np.pi * TONE_CYCLES_PER_FRAME * n / SAMPLES_PER_FRAME)  # one DFT bin
    return (np.abs(audio @ basis) / (SAMPLES_PER_FRAME / 2)).astype(np.float32)  # (T,)


@dataclass(frozen=True, eq=False)
class MorseBatch:
    """A padded batch for ``nn.CTCLoss``: ``x`` (B, T, 1) float32 frames (zeros after each signal's end),
    ``x_lengths`` (B,), ``targets`` (B, L) int64 padded with 0, ``target_lengths`` (B,), and the texts."""

    x: torch.Tensor
    x_lengths: torch.Tensor
    targets: torch.Tensor
    target_lengths: torch.Tensor
    texts: tuple


def random_words(n, rng, *, min_len=2, max_len=4) -> list[str]:
    """``n`` random strings of ``min_len``..``max_len`` capital letters, letters drawn uniformly."""
    n, min_len = check_int("n", n, low=1), check_int("min_len", min_len, low=1)
    max_len = check_int("max_len", max_len, low=min_len)
    lengths = rng.integers(min_len, max_len + 1, size=n)
    return ["".join(rng.choice(list(LETTERS), size=k)) for k in lengths]


def morse_batch(texts, rng, *, snr_db=(-10.0, 10.0), units=(2, 3)) -> MorseBatch:
    """Noisy Morse audio frames for each text, at a speed (``unit`` frames per dot) drawn from ``units`` and
    an SNR in dB drawn uniformly from the interval ``snr_db`` (or fixed, when it is one number)."""
    if not isinstance(texts, (list, tuple)) or not texts:
        raise TypeError(f"texts must be a non-empty list of strings, got {describe(texts)}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {describe(rng)}")
    low, high = (snr_db, snr_db) if not isinstance(snr_db, (tuple, list)) else snr_db
    low, high = check_float("snr_db low", low), check_float("snr_db high", high)
    frames, labels = [], []
    for text in texts:
        key = morse_keying(text, int(rng.choice(units)))
        frames.append(tone_frames(key, rng.uniform(low, high), rng))
        labels.append(encode_text(text))
    T, L = max(map(len, frames)), max(map(len, labels))
    x = np.zeros((len(texts), T, 1), dtype=np.float32)  # (B, T, 1)
    targets = np.zeros((len(texts), L), dtype=np.int64)  # (B, L)
    for b, (f, y) in enumerate(zip(frames, labels, strict=True)):
        x[b, : len(f), 0], targets[b, : len(y)] = f, y
    return MorseBatch(
        torch.from_numpy(x), torch.tensor([len(f) for f in frames]), torch.from_numpy(targets),
        torch.tensor([len(y) for y in labels]), tuple(texts),
    )  # fmt: skip


class CTCTagger(nn.Module):
    """Frames -> bidirectional LSTM -> linear -> log-probabilities over blank + 26 letters at every frame.

    ``x`` (B, T, 1) -> BiLSTM -> (B, T, 2H) -> linear -> log_softmax -> (B, T, C). ``nn.CTCLoss`` wants them
    time first, ``(T, B, C)``: transpose before the loss.
    """

    def __init__(self, hidden_size: int = 32, num_layers: int = 2):
        super().__init__()
        check_int("hidden_size", hidden_size, low=1)
        self.rnn = nn.LSTM(1, hidden_size, num_layers=check_int("num_layers", num_layers, low=1),
                           batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden_size, len(LETTERS) + 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor) or x.ndim != 3 or x.shape[2] != 1:
            raise ValueError(f"x must be a tensor of shape (B, T, 1), got {describe(x)}")
        out, _ = self.rnn(x)  # (B, T, 2H)
        return self.head(out).log_softmax(dim=-1)  # (B, T, C)


def ctc_loss(log_probs: torch.Tensor, batch: MorseBatch) -> torch.Tensor:
    """``nn.CTCLoss`` (blank 0, mean over the batch of the loss divided by each target's length)."""
    return nn.functional.ctc_loss(
        log_probs.transpose(0, 1), batch.targets, batch.x_lengths, batch.target_lengths, blank=BLANK,
        zero_infinity=True,
    )  # fmt: skip


def greedy_decode(log_probs, lengths=None) -> list[list[int]]:
    """Best-path decoding: the most likely class at every frame, then merge repeats, then drop blanks.

    ``log_probs``: ``(B, T, C)`` (tensor or array), ``lengths``: ``(B,)`` frames to read per signal (default
    all). Order matters: merging first keeps a doubled letter apart when a blank separates its two copies
    (``A A _ A`` -> ``A A``, but ``A _ A`` -> ``A A`` and ``A A`` -> ``A``). Returns a list of ``B`` id lists.
    """
    scores = log_probs.detach().numpy() if isinstance(log_probs, torch.Tensor) else log_probs
    scores = check_array("log_probs", scores, ndim=3)
    lengths = np.full(len(scores), scores.shape[1]) if lengths is None else np.asarray(lengths)
    if lengths.shape != (len(scores),) or lengths.min() < 0 or lengths.max() > scores.shape[1]:
        raise ValueError(f"lengths must be ({len(scores)},) values in 0..{scores.shape[1]}, got {lengths}")
    best = scores.argmax(axis=-1)  # (B, T)
    decoded = []
    for b in range(len(best)):
        path = best[b, : lengths[b]]
        merged = [int(c) for t, c in enumerate(path) if t == 0 or c != path[t - 1]]  # merge repeats
        decoded.append([c for c in merged if c != BLANK])  # drop blanks
    return decoded


def edit_distance(ref, hyp) -> int:
    """Levenshtein distance: the fewest substitutions, insertions and deletions turning ``hyp`` into ``ref``."""
    if not isinstance(ref, (str, list, tuple)) or not isinstance(hyp, (str, list, tuple)):
        raise TypeError(f"ref and hyp must be strings or lists, got {describe(ref)} and {describe(hyp)}")
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1]


def character_error_rate(refs, hyps) -> float:
    """CER = (total edit distance) / (total reference length), over a list of reference and decoded texts."""
    if not isinstance(refs, (list, tuple)) or not isinstance(hyps, (list, tuple)) or len(refs) != len(hyps):
        raise ValueError(f"refs and hyps must be lists of the same length, got {describe(refs)} and {describe(hyps)}")
    total = sum(len(r) for r in refs)
    if total == 0:
        raise ValueError("the references are empty: CER is undefined")
    return sum(edit_distance(r, h) for r, h in zip(refs, hyps, strict=True)) / total


def _runs(on: np.ndarray) -> list[tuple[bool, int]]:
    """(value, length) of each run of equal values in a boolean array."""
    edges = np.flatnonzero(np.diff(on.astype(np.int8))) + 1
    starts = np.concatenate([[0], edges])
    ends = np.concatenate([edges, [len(on)]])
    return [(bool(on[s]), int(e - s)) for s, e in zip(starts, ends, strict=True)]


def threshold_decode(frames, *, threshold=0.5) -> str:
    """The classic decoder, no learning: smooth, threshold, measure run lengths, read the code table.

    (1) median-filter the frames over 3 steps; (2) 'on' where above ``threshold``; (3) estimate the unit as
    the median of the short runs (on or off, at most 1.5 × the 20th percentile of all run lengths); (4) an
    on-run under 2 units is a dot, else a dash; an off-run of 2 units or more ends a letter; (5) look each
    letter's dots and dashes up in ``MORSE`` (an unknown pattern gives no letter). ``frames``: ``(T,)``.
    """
    frames = check_array("frames", frames, ndim=1).astype(np.float64)
    check_float("threshold", threshold)
    padded = np.pad(frames, 1, mode="edge")
    smooth = np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), axis=0)  # (T,)
    runs = _runs(smooth > threshold)
    while runs and not runs[0][0]:
        runs = runs[1:]  # leading silence
    while runs and not runs[-1][0]:
        runs = runs[:-1]  # trailing silence
    if not runs:
        return ""
    lengths = np.array([n for _, n in runs])
    short = lengths[lengths <= 1.5 * np.percentile(lengths, 20)]
    unit = float(np.median(short))
    table = {code: letter for letter, code in MORSE.items()}
    letters, symbols = [], ""
    for on, n in runs:
        if on:
            symbols += "." if n < 2 * unit else "-"
        elif n >= 2 * unit:
            letters.append(table.get(symbols, ""))
            symbols = ""
    letters.append(table.get(symbols, ""))
    return "".join(letters)


def transcribe(model: CTCTagger, batch: MorseBatch) -> list[str]:
    """Greedy CTC transcription of every signal of ``batch`` by ``model``."""
    if not isinstance(model, CTCTagger):
        raise TypeError(f"model must be a CTCTagger, got {describe(model)}")
    with torch.no_grad():
        log_probs = model(batch.x)  # (B, T, C)
    return [decode_ids(ids) for ids in greedy_decode(log_probs, batch.x_lengths)]


def curriculum_stage(step: int, steps: int, warmup_steps: int) -> tuple[tuple[int, int], tuple[float, float]]:
    """The training data of step ``step`` (1-based) of ``steps``: ``(word lengths, SNR interval in dB)``.

    Steps ``1..warmup_steps`` read one- and two-letter words at 10 to 20 dB, where a letter's dots and dashes
    stand out; after that, words of 2 to 4 letters, with the SNR interval sliding from [10, 20] dB down to
    [-10, 10] dB over half of the remaining steps and staying there (tools/train_ctc.py tells which recipes
    without it stalled on the plateau where the network emits one letter whatever it hears).
    """
    if step <= warmup_steps:
        return (1, 2), (10.0, 20.0)
    frac = min(1.0, (step - warmup_steps) / (0.5 * max(steps - warmup_steps, 1)))
    return (2, 4), (10.0 - 20.0 * frac, 20.0 - 10.0 * frac)


def train_ctc_tagger(model: CTCTagger, steps: int, *, batch_size=32, lr=3e-3, seed=0, snr_db=(-10.0, 10.0),
                     warmup_steps=0, lr_drop_at=None, callback=None):  # fmt: skip
    """Train ``model`` with CTC on fresh random Morse words every step (Adam, gradient norm clipped at 1).

    With ``warmup_steps=0`` every step reads words of 2 to 4 letters at an SNR drawn from ``snr_db``; with
    ``warmup_steps > 0`` the data follow ``curriculum_stage`` (and ``snr_db`` is not used). ``lr_drop_at``, if
    given, is the step from which the learning rate is divided by 3. Deterministic under ``seed``.
    ``callback(step, model, loss)``, if given, runs after every step. Returns the list of training losses.
    """
    if not isinstance(model, CTCTagger):
        raise TypeError(f"model must be a CTCTagger, got {describe(model)}")
    steps, batch_size = check_int("steps", steps, low=1), check_int("batch_size", batch_size, low=1)
    warmup_steps = check_int("warmup_steps", warmup_steps, low=0)
    if lr_drop_at is not None:
        lr_drop_at = check_int("lr_drop_at", lr_drop_at, low=1)
    rng = np.random.default_rng(check_int("seed", seed, low=0))
    lr = check_float("lr", lr, low=0.0, low_open=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    model.train()
    for step in range(1, steps + 1):
        if warmup_steps:
            (min_len, max_len), snr = curriculum_stage(step, steps, warmup_steps)
        else:
            (min_len, max_len), snr = (2, 4), snr_db
        if step == lr_drop_at:
            for group in optimizer.param_groups:
                group["lr"] = lr / 3
        batch = morse_batch(random_words(batch_size, rng, min_len=min_len, max_len=max_len), rng, snr_db=snr)
        # forward
        loss = ctc_loss(model(batch.x), batch)
        # backward
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        # update
        optimizer.step()
        losses.append(loss.item())
        if callback is not None:
            callback(step, model, losses[-1])
    model.eval()
    return losses


def save_tagger(model: CTCTagger, path, *, info: dict | None = None, half: bool = False):
    """Save a ``CTCTagger`` as a dict of plain types and tensors (``torch.load(weights_only=True)`` reads it).

    ``half=True`` stores the weights as float16 (half the bytes; ``load_tagger`` casts them back to float32).
    """
    from pathlib import Path

    if not isinstance(model, CTCTagger):
        raise TypeError(f"model must be a CTCTagger, got {describe(model)}")
    dtype = torch.float16 if check_bool("half", half) else torch.float32
    path = Path(path)
    torch.save({"format": "ctc_tagger/1", "hidden_size": model.rnn.hidden_size, "num_layers": model.rnn.num_layers,
                "info": dict(info or {}),
                "state_dict": {k: v.detach().to(dtype).clone() for k, v in model.state_dict().items()}},
               path)
    return path


def load_tagger(path=None) -> CTCTagger:
    """The trained Morse decoder: ``data/ctc_morse_bilstm.pt`` (made by tools/train_ctc.py) unless ``path``.

    The shipped file's size and SHA-256 are checked first (a missing or damaged file stops with a
    ``datasets.DataFileError`` that says how to restore it); read with ``torch.load(..., weights_only=True)``.
    Returns a ``CTCTagger`` in eval mode with float32 weights, its training record in ``model.info``.
    """
    import io

    from rnn_helpers.datasets import verify_data_file

    if path is None:
        saved = torch.load(io.BytesIO(verify_data_file("ctc_morse_bilstm.pt")), weights_only=True)
    else:
        saved = torch.load(path, weights_only=True)
    if not isinstance(saved, dict) or saved.get("format") != "ctc_tagger/1":
        raise ValueError(f"expected a file written by ctc.save_tagger (format 'ctc_tagger/1'), got {describe(saved)}")
    model = CTCTagger(saved["hidden_size"], saved["num_layers"])
    model.load_state_dict({k: v.float() for k, v in saved["state_dict"].items()})
    model.info = dict(saved["info"])
    return model.eval()
