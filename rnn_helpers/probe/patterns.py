"""The pattern query (select and match, after LSTMVis): the units on through a selected span of text and off
just before and after it, and everywhere else in the corpus that the same set of units turns on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from rnn_helpers._checks import check_float, check_int, describe
from rnn_helpers.probe.recording import Recording

SIGMOID_GATES = ("i", "f", "o", "r", "z")


@dataclass
class PatternQuery:
    """The answer of ``pattern_query``.

    Attributes:
        span: (start, end), the selected characters ``text[start:end]`` (end excluded).
        threshold: a unit is *on* at a step when its value there is >= threshold.
        units: the selected units, ranked: a list of (unit, margin), where margin = (smallest value inside
            the span) - (largest value on the flanks just before and after it), largest first. Every selected
            unit is on at every step of the span and off on both flanks, so every margin is > 0.
        matches: every maximal run (start, end) of steps where *all* the selected units are on, in text order
            (the selection's own run among them); none when no unit was selected.
        pattern: the regular expression the span was found by, or ``None``.
        occurrences: with a pattern, every (start, end) where it occurs in the text.
        what, layer, direction: what was queried.
    """

    span: tuple[int, int]
    threshold: float
    units: list
    matches: list
    pattern: str | None = None
    occurrences: list = field(default_factory=list)
    what: str = "hidden"
    layer: int = -1
    direction: int = 0

    @property
    def count(self) -> int:
        """How many times the selected set of units turns on in the text (the number of matches)."""
        return len(self.matches)

    @property
    def unit_ids(self) -> list[int]:
        return [j for j, _ in self.units]

    def agreement(self) -> tuple[float, float]:
        """With a pattern: (the fraction of matches that overlap an occurrence of the pattern, the fraction of
        occurrences that overlap a match), a precision and a recall of the unit set as a detector."""
        if self.pattern is None:
            raise ValueError("agreement needs a query made with a pattern (a regular expression as span)")

        def overlaps(a, others):
            return any(a[0] < b[1] and b[0] < a[1] for b in others)

        precision = np.mean([overlaps(m, self.occurrences) for m in self.matches]) if self.matches else 0.0
        recall = np.mean([overlaps(o, self.matches) for o in self.occurrences]) if self.occurrences else 0.0
        return float(precision), float(recall)


def value_range(kind: str, what: str) -> tuple[float, float]:
    """The open interval the values of ``what`` lie in for a recurrent layer of ``kind`` ("rnn", "lstm",
    "gru"): (0, 1) for a sigmoid gate, (-1, 1) for tanh values (hidden states, g, n), unbounded for cells.
    (A ReLU RNN's hidden states, [0, inf), are not covered: query them with ``select_units`` and
    ``match_units`` directly.) Introduced in 09_hidden_state_lab.ipynb."""
    if what in SIGMOID_GATES:
        return 0.0, 1.0
    if what == "cell":
        return -np.inf, np.inf
    return -1.0, 1.0


def select_units(values, span, threshold: float, *, before: int = 1, after: int = 1) -> list[tuple[int, float]]:
    """The units on (>= threshold) at every step of ``span`` = (start, end) and off (< threshold) at the
    ``before`` steps just before it and the ``after`` steps just after it (flanks cut at the text's ends),
    ranked by margin: (min inside) - (max on the flanks). ``values``: (T, H). Returns [(unit, margin), ...].

    Introduced in 09_hidden_state_lab.ipynb."""
    V = _as_values(values)
    start, end = _check_span(span, V.shape[0])
    threshold = check_float("threshold", threshold)
    before = check_int("before", before, low=0)
    after = check_int("after", after, low=0)
    inside = np.asarray(V[start:end]).min(axis=0)  # (H,)
    flanks = np.asarray(np.concatenate([V[max(start - before, 0) : start], V[end : end + after]]))
    outside = flanks.max(axis=0) if len(flanks) else np.full(V.shape[1], -np.inf)
    chosen = np.flatnonzero((inside >= threshold) & (outside < threshold))
    margin = inside[chosen] - np.where(np.isfinite(outside[chosen]), outside[chosen], threshold)
    order = np.argsort(-margin, kind="stable")
    return [(int(chosen[i]), float(margin[i])) for i in order]


def match_units(values, units, threshold: float, *, min_length: int = 1, block: int = 65536) -> list:
    """Every maximal run (start, end) of steps where all ``units`` are on (>= threshold) in ``values`` (T, H),
    at least ``min_length`` steps long, in order. Reads ``values`` ``block`` steps at a time (a memory-mapped
    recording of a million steps is fine). No units, no matches. Introduced in 09_hidden_state_lab.ipynb."""
    V = _as_values(values)
    threshold = check_float("threshold", threshold)
    min_length = check_int("min_length", min_length, low=1)
    units = [check_int("unit", j, low=0, high=V.shape[1] - 1) for j in units]
    if not units:
        return []
    T = V.shape[0]
    on = np.empty(T, dtype=bool)
    for a in range(0, T, block):
        on[a : a + block] = (np.asarray(V[a : a + block][:, units]) >= threshold).all(axis=1)
    edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True) if e - s >= min_length]


def pattern_query(recording, span, threshold: float, *, what: str = "hidden", layer: int = -1, direction: int = 0,
                  batch: int = 0, before: int = 1, after: int = 1, occurrence: int = 0, top: int | None = None,
                  min_length: int = 1) -> PatternQuery:
    """Select and match on a recorded text: the units of ``what`` (``"hidden"``, ``"cell"``, a gate) in
    ``layer`` that are on through ``span`` and off just before and after it, ranked, and every run of the text
    where that same set of units is on, with the count.

    Args:
        recording: a ``Recording`` with its text (``record_text``).
        span: (start, end) character positions, end excluded; or a regular expression, whose ``occurrence``-th
            match (0: the first) is the span, and whose every occurrence is kept for ``PatternQuery.agreement``.
        threshold: inside the range of ``what``'s values: (0, 1) for sigmoid gates, (-1, 1) for hidden states
            and g, n, any number for cell states (``value_range``).
        before, after: how many steps just before and after the span must be off.
        top: keep only the ``top`` best-ranked units for matching (default all selected).
        min_length: the shortest run that counts as a match.

    Returns a ``PatternQuery``. Introduced in 09_hidden_state_lab.ipynb.
    """
    if not isinstance(recording, Recording):
        raise TypeError(f"recording must be a probe.Recording (from probe.record_text), got {describe(recording)}")
    if recording.text is None:
        raise ValueError("the recording has no text: record it with probe.record_text(model, vocab, text)")
    B = recording.hidden[0][0].shape[0]
    batch = check_int("batch", batch, low=0, high=B - 1)
    text = recording.text if isinstance(recording.text, str) else recording.text[batch]
    values = recording.select(what, layer, direction=direction, batch=batch)  # (T, H)
    low, high = value_range(recording.kind, what)
    threshold = check_float("threshold", threshold)
    if not low < threshold < high:
        raise ValueError(
            f"threshold must lie inside the range of {what!r} values, ({low:g}, {high:g}), got {threshold:g}"
        )
    pattern, occurrences = None, []
    if isinstance(span, str):
        pattern = span
        try:
            occurrences = [(m.start(), m.end()) for m in re.finditer(pattern, text) if m.end() > m.start()]
        except re.error as error:
            raise ValueError(
                f"span must be a valid regular expression or (start, end), got {span!r}: {error}"
            ) from None
        occurrence = check_int("occurrence", occurrence, low=0)
        if occurrence >= len(occurrences):
            raise ValueError(
                f"span {span!r} occurs {len(occurrences)} time(s) in the text (non-empty matches); "
                f"expected at least occurrence + 1 = {occurrence + 1}"
            )
        span = occurrences[occurrence]
    start, end = _check_span(span, len(text))
    units = select_units(values, (start, end), threshold, before=before, after=after)
    if top is not None:
        units = units[: check_int("top", top, low=1)]
    matches = match_units(values, [j for j, _ in units], threshold, min_length=min_length)
    L = recording.num_layers
    return PatternQuery((start, end), threshold, units, matches, pattern, occurrences, what,
                        check_int("layer", layer, low=-L, high=L - 1) % L, direction)


def _as_values(values):
    if hasattr(values, "detach") and not isinstance(values, np.ndarray):
        values = values.detach().cpu().numpy()
    if not isinstance(values, np.ndarray) or values.ndim != 2 or values.shape[0] < 1:
        raise ValueError(f"values must be a (T, H) array (time by unit), e.g. rec.select('cell', 1), got "
                         f"{describe(values)}")
    return values


def _check_span(span, T: int) -> tuple[int, int]:
    ok = isinstance(span, tuple | list) and len(span) == 2 and all(isinstance(v, int | np.integer) for v in span)
    if not ok:
        raise TypeError(f"span must be (start, end), two integers, or a regular expression, got {describe(span)}")
    start, end = int(span[0]), int(span[1])
    if not 0 <= start < end <= T:
        raise ValueError(f"span must satisfy 0 <= start < end <= {T} (the text's length), got ({start}, {end})")
    return start, end
