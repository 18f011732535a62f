"""Features of a text: one number per character, aligned with the state after reading that character."""

from __future__ import annotations

import numpy as np

from rnn_helpers._checks import describe


def _check_text(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {describe(text)}")
    return text


def _python_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Two boolean masks (T,): inside a string literal, inside a comment (state after reading each char).

    A small scanner, not Python's tokenizer, so it works on any snippet (a cut-off string just runs to the
    end): ' and " strings, triple-quoted strings, backslash escapes, # comments outside strings. An opening
    quote counts as inside (after reading it we are in the string), the last closing quote as outside.
    """
    T = len(text)
    in_string, in_comment = np.zeros(T, dtype=bool), np.zeros(T, dtype=bool)
    i = 0
    while i < T:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            end = T if end < 0 else end
            in_comment[i:end] = True  # the newline itself ends the comment
            i = end
        elif ch in "'\"":
            quote = text[i : i + 3] if text[i : i + 3] == ch * 3 else ch
            j = i + len(quote)
            while j < T and not text.startswith(quote, j):
                if text[j] == "\\":
                    j += 1  # skip the escaped character
                elif text[j] == "\n" and len(quote) == 1:
                    break  # a one-quote string cannot span lines: treat the newline as its end
                j += 1
            last = min(j + len(quote) - 1, T)  # index of the last closing quote (or the end)
            in_string[i:last] = True
            i = last + 1 if j < T and text.startswith(quote, j) else j
        else:
            i += 1
    return in_string, in_comment


def in_string(text: str) -> np.ndarray:
    """1.0 inside a Python string literal, else 0.0, per character (T,).

    ``"a"`` gives 1, 1, 0: after reading the opening quote the text is inside the string; after reading the
    closing one it is outside. Triple quotes, escapes and comments are handled; quotes in a comment are not
    strings. Introduced in 09_hidden_state_lab.ipynb.
    """
    return _python_spans(_check_text(text))[0].astype(np.float64)


def in_comment(text: str) -> np.ndarray:
    """1.0 from a ``#`` (outside strings) to the end of its line (the newline excluded), else 0.0; (T,).

    Introduced in 09_hidden_state_lab.ipynb.
    """
    return _python_spans(_check_text(text))[1].astype(np.float64)


def bracket_depth(text: str) -> np.ndarray:
    """How many ``(``, ``[``, ``{`` are open after each character, outside strings and comments; (T,).

    ``f(a[0])`` gives 0, 1, 1, 2, 2, 1, 0. Never below 0 (a stray closing bracket is ignored).
    Introduced in 09_hidden_state_lab.ipynb.
    """
    text = _check_text(text)
    string, comment = _python_spans(text)
    depth, values = 0, np.zeros(len(text))
    for t, ch in enumerate(text):
        if not (string[t] or comment[t]):
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth = max(depth - 1, 0)
        values[t] = depth
    return values


def column(text: str) -> np.ndarray:
    """Position in the line: 0 after a newline, 1 after the line's first character, ...; (T,).

    Karpathy et al. (2015) found a "line length" cell that counts this. Introduced in 09_hidden_state_lab.ipynb.
    """
    text = _check_text(text)
    values, col = np.zeros(len(text)), 0
    for t, ch in enumerate(text):
        col = 0 if ch == "\n" else col + 1
        values[t] = col
    return values


def indentation(text: str) -> np.ndarray:
    """The current line's indentation as read so far: leading spaces counted while they come, then held; 0
    after a newline; (T,). Introduced in 09_hidden_state_lab.ipynb."""
    text = _check_text(text)
    values, indent, leading = np.zeros(len(text)), 0, True
    for t, ch in enumerate(text):
        if ch == "\n":
            indent, leading = 0, True
        elif ch == " " and leading:
            indent += 1
        else:
            leading = False
        values[t] = indent
    return values


def is_vowel(text: str) -> np.ndarray:
    """1.0 for a vowel (a, e, i, o, u in either case), 0.0 for any other letter, NaN for a non-letter; (T,).

    NaN means "not defined here": ``correlations`` leaves those steps out. Introduced in 09_hidden_state_lab.ipynb.
    """
    text = _check_text(text)
    return np.array([(ch in "aeiouAEIOU") if ch.isalpha() else np.nan for ch in text], dtype=np.float64)


FEATURES = {
    "in_string": in_string,
    "in_comment": in_comment,
    "bracket_depth": bracket_depth,
    "column": column,
    "indentation": indentation,
    "is_vowel": is_vowel,
}
