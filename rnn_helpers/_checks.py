"""Argument checks shared by every public helper.

Each check raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value or shape)
with a message that names the argument, what was expected and what was received, so a learner who passes
the wrong thing sees at once what to change. Private module (learners never call it): every module of the
package takes its checks from here, so there is one of each (see docs/DESIGN.md).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np


def describe(value) -> str:
    """A short description of ``value`` for an error message: its type, and its shape when it has one."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        dtype = getattr(value, "dtype", None)
        return f"{type(value).__name__} of shape {tuple(shape)} and dtype {dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def check_int(name: str, value, *, low: int | None = None, high: int | None = None) -> int:
    """``value`` must be an integer (not a bool, not a float) with ``low <= value <= high``; returns it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    value = int(value)
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value}")
    return value


def check_float(
    name: str,
    value,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` must be a finite real number within the bounds (open bounds exclude the end); returns it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value}")
    return value


def check_seed(name: str, value) -> int | None:
    """A seed is ``None`` or a non-negative integer."""
    if value is None:
        return None
    return check_int(name, value, low=0, high=2**32 - 1)


def make_rng(seed, name: str = "seed") -> np.random.Generator:
    """The random generator of a helper's ``seed``, with one meaning everywhere: an integer gives the same draws
    on every call; ``None`` draws the seed from numpy's global generator, so that a notebook seeded by
    ``setup_notebook`` still repeats its numbers on a re-run."""
    seed = check_seed(name, seed)
    if seed is None:
        seed = int(np.random.randint(0, 2**31 - 1))
    return np.random.default_rng(seed)


def check_choice(name: str, value, choices: Sequence) -> object:
    """``value`` must be one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def check_bool(name: str, value) -> bool:
    """``value`` must be ``True`` or ``False`` (a numpy bool too; not 0 or 1); returns it as a Python bool."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def check_callable(name: str, value) -> object:
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {describe(value)}")
    return value


def check_array(name: str, value, *, ndim: int | None = None, shape: tuple | None = None) -> np.ndarray:
    """``value`` must be a numpy array of ``ndim`` dimensions; ``shape`` entries of ``None`` match any size."""
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {describe(value)}")
    if ndim is not None and value.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {value.shape}")
    if shape is not None:
        if value.ndim != len(shape) or any(s is not None and s != v for s, v in zip(shape, value.shape, strict=True)):
            wanted = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {wanted}, got {value.shape}")
    return value


def as_float64(name: str, value, *, ndim: int | None = None, shape: tuple | None = None,
               number: bool = False) -> np.ndarray:
    """A float64 copy of a real-valued numpy array, checked like ``check_array`` (``ndim``, ``shape``).

    Bool, complex and non-numeric arrays are refused; a torch tensor is refused with the call that converts it
    (the from-scratch code computes in numpy, and a silent conversion would hide a tensor where the learner
    meant an array). ``number=True`` also accepts a real Python number (as a 0-d array).
    """
    if number and isinstance(value, numbers.Real) and not isinstance(value, bool):
        return np.asarray(value, dtype=np.float64)
    wanted = "a numpy array or a real number" if number else "a numpy array"
    if hasattr(value, "detach") and not isinstance(value, np.ndarray):
        short = name.split(" ")[0]
        raise TypeError(f"{name} must be {wanted}, got {describe(value)}: pass {short}.detach().numpy()")
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be {wanted}, got {describe(value)}")
    check_array(name, value, ndim=ndim, shape=shape)
    if value.dtype == np.bool_ or not np.issubdtype(value.dtype, np.number) or np.iscomplexobj(value):
        raise TypeError(f"{name} must hold real numbers, got {describe(value)}")
    return np.array(value, dtype=np.float64)


def as_numpy(name: str, value) -> np.ndarray:
    """``value`` as a numpy array: a torch tensor is detached and copied to the CPU; anything else but a numpy
    array is refused."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy array or a torch tensor, got {describe(value)}")
    return value


def check_trace(text, hidden, probs, tokens) -> tuple[np.ndarray, np.ndarray]:
    """What a character RNN computed while reading a text: ``text`` of T characters, ``hidden`` (T, H), ``probs``
    (T, V) and ``tokens`` of length V; returns hidden and probs as float64 numpy arrays."""
    if not isinstance(text, str) or not text:
        raise TypeError(f"text must be a non-empty string, got {describe(text)}")
    hidden = np.asarray(as_numpy("hidden", hidden), dtype=np.float64)
    probs = np.asarray(as_numpy("probs", probs), dtype=np.float64)
    if hidden.ndim != 2 or hidden.shape[0] != len(text):
        raise ValueError(f"hidden must have shape (T, H) with T = len(text) = {len(text)}, got {hidden.shape}")
    if isinstance(tokens, str) or not hasattr(tokens, "__len__"):
        raise TypeError(f"tokens must be a list of the V token strings, got {describe(tokens)}")
    if probs.shape != (len(text), len(tokens)):
        raise ValueError(
            f"probs must have shape (T, V) = ({len(text)}, {len(tokens)}) (T = len(text), V = len(tokens)), "
            f"got {probs.shape}"
        )
    return hidden, probs


def check_accuracy_curves(accuracies) -> dict[str, np.ndarray]:
    """A non-empty dict label -> 1-D array of per-position accuracies, all of the same length T."""
    if not isinstance(accuracies, dict) or not accuracies:
        raise TypeError(f"accuracies must be a non-empty dict label -> (T,) array, got {describe(accuracies)}")
    curves = {
        str(k): np.asarray(as_numpy(f"accuracies[{k!r}]", np.asarray(v) if isinstance(v, list | tuple) else v),
                           dtype=float)
        for k, v in accuracies.items()
    }
    lengths = {c.shape for c in curves.values()}
    if len(lengths) != 1 or next(iter(lengths)) == () or len(next(iter(lengths))) != 1:
        raise ValueError(f"every accuracy curve must be 1-D with the same length T, got shapes {sorted(lengths)}")
    return curves


def as_float32_or_int64(x: np.ndarray) -> np.ndarray:
    """The data convention of ``datasets``: integers and bools (ids, labels) as int64, real values as float32."""
    if np.issubdtype(x.dtype, np.integer) or x.dtype == bool:
        return x.astype(np.int64)
    if np.issubdtype(x.dtype, np.floating):
        return x.astype(np.float32)
    raise TypeError(f"arrays must hold numbers, got dtype {x.dtype}")
