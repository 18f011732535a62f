"""Rosenblatt's perceptron (1958) and the Boolean functions it can and cannot learn (chapter 02)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rnn_helpers._checks import as_float64, check_choice, check_float, check_int, describe

BOOLEAN_FUNCTIONS = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "XOR": (0, 1, 1, 0),
    "NAND": (1, 1, 1, 0),
}
"""Truth tables on the inputs (0, 0), (0, 1), (1, 0), (1, 1), in that order."""


def boolean_dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The four input pairs (0,0), (0,1), (1,0), (1,1) and the targets of a two-input Boolean function.

    Returns ``X`` float64 (4, 2) and ``y`` int64 (4,). ``name`` is one of ``BOOLEAN_FUNCTIONS``.
    Introduced in 02_history.ipynb.
    """
    check_choice("name", name, list(BOOLEAN_FUNCTIONS))
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(BOOLEAN_FUNCTIONS[name], dtype=np.int64)


@dataclass
class PerceptronFit:
    """What ``Perceptron.fit`` records, one entry per epoch (a pass over the examples).

    ``mistakes[e]``: updates made in epoch e; ``accuracy[e]``: accuracy on all examples after epoch e;
    ``weights[e]``: (w_1 … w_I, b) after epoch e; ``converged_epoch``: the first epoch (1-based) without a
    mistake, or None.
    """

    mistakes: list[int] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    weights: list[np.ndarray] = field(default_factory=list)
    converged_epoch: int | None = None

    @property
    def converged(self) -> bool:
        return self.converged_epoch is not None


class Perceptron:
    """Rosenblatt's perceptron: one threshold unit that learns from its mistakes.

    Take x (I,), return ŷ = 1 if w·x + b > 0 else 0. After each example (x, y):

        w ← w + η (y − ŷ) x,     b ← b + η (y − ŷ)

    so nothing changes when the answer is right. If the classes can be separated by a line (a hyperplane),
    the rule stops after finitely many mistakes (the perceptron convergence theorem, Novikoff 1962); if not,
    as for XOR, it never stops changing the weights.

    Source: F. Rosenblatt (1958), "The perceptron: a probabilistic model for information storage and
    organization in the brain", Psychological Review 65(6), 386–408; here in the simplified modern form (one
    unit on the raw inputs, the rule written as error correction). The XOR limit: M. Minsky & S. Papert (1969),
    *Perceptrons*.

    Args:
        n_inputs: I. lr: η > 0. Weights and bias start at zero, so a run is deterministic.

    Introduced in 02_history.ipynb.
    """

    def __init__(self, n_inputs: int, *, lr: float = 1.0):
        self.n_inputs = check_int("n_inputs", n_inputs, low=1)
        self.lr = check_float("lr", lr, low=0.0, low_open=True)
        self.w = np.zeros(self.n_inputs)
        self.b = 0.0

    def _check_X(self, X) -> np.ndarray:
        X = as_float64("X", X, ndim=2)
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (B, {self.n_inputs}), got {X.shape}")
        return X

    def predict(self, X) -> np.ndarray:
        """ŷ = step(X w + b) for X (B, I); returns int64 (B,) of 0 and 1."""
        X = self._check_X(X)
        return (X @ self.w + self.b > 0).astype(np.int64)

    def update(self, x, y) -> int:
        """One step of the rule on one example x (I,), y ∈ {0, 1}; returns the error y − ŷ (−1, 0 or 1)."""
        x = self._check_X(as_float64("x", x, ndim=1)[None])[0]
        if y not in (0, 1):
            raise ValueError(f"y must be 0 or 1, got {y!r}")
        error = int(y) - int(x @ self.w + self.b > 0)
        # w ← w + η (y − ŷ) x ;  b ← b + η (y − ŷ)
        self.w = self.w + self.lr * error * x
        self.b = self.b + self.lr * error
        return error

    def fit(self, X, y, *, epochs: int = 20) -> PerceptronFit:
        """Present the examples in order, ``epochs`` times (stopping after an epoch without mistakes)."""
        X = self._check_X(X)
        y = np.asarray(y)
        if y.shape != (X.shape[0],) or not np.isin(y, (0, 1)).all():
            raise ValueError(f"y must be {X.shape[0]} labels in {{0, 1}}, got {describe(y)}")
        epochs = check_int("epochs", epochs, low=1)
        fit = PerceptronFit()
        for epoch in range(1, epochs + 1):
            mistakes = sum(self.update(x_i, int(y_i)) != 0 for x_i, y_i in zip(X, y, strict=True))
            fit.mistakes.append(mistakes)
            fit.accuracy.append(float((self.predict(X) == y).mean()))
            fit.weights.append(np.append(self.w, self.b))
            if mistakes == 0:
                fit.converged_epoch = epoch
                break
        return fit
