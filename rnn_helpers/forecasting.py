"""Multi-step forecasting against honest baselines: persistence, seasonal naive, a linear autoregression,
and recurrent quantile forecasters with an uncertainty band.

Shapes: ``N`` windows, ``W`` steps per input window, ``F`` input features, ``H`` forecast horizon (steps
ahead), ``Q`` quantiles. Forecasts and targets are ``(N, H)``; quantile forecasts ``(N, H, Q)``.

Introduced in 11_applications.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from rnn_helpers._checks import check_array, check_choice, check_float, check_int, describe
from rnn_helpers.models import make_rnn


def _check_pair(pred, target) -> tuple[np.ndarray, np.ndarray]:
    pred, target = check_array("pred", pred), check_array("target", target)
    if pred.shape != target.shape:
        raise ValueError(f"pred and target must have the same shape, got {pred.shape} and {target.shape}")
    if pred.ndim != 2:
        raise ValueError(f"pred and target must have shape (N, H), got {pred.shape}")
    return pred.astype(np.float64), target.astype(np.float64)


def mae_per_horizon(pred, target) -> np.ndarray:
    """Mean absolute error at each horizon: ``MAE_h = mean_n |pred[n, h] - target[n, h]|``.

    ``pred``, ``target``: ``(N, H)`` numpy arrays in the same units. Returns ``(H,)`` float64.
    """
    pred, target = _check_pair(pred, target)
    return np.abs(pred - target).mean(axis=0)


# ------------------------------------------------------------------------------------------------ baselines
def persistence_forecast(last_values, horizon) -> np.ndarray:
    """Tomorrow (and every later day) looks like today: ``ŷ[n, h] = x[n, W-1]`` for every h.

    ``last_values``: ``(N,)`` the last observed value of each window. Returns ``(N, horizon)`` float64.
    """
    last_values = check_array("last_values", last_values, ndim=1).astype(np.float64)
    horizon = check_int("horizon", horizon, low=1)
    return np.repeat(last_values[:, None], horizon, axis=1)


def seasonal_naive_forecast(series, target_index, period) -> np.ndarray:
    """The value one season earlier: ``ŷ_t = y_{t - period}``.

    ``series``: ``(T,)`` the whole series (only values before each target are read); ``target_index``:
    int array ``(N, H)`` of the time steps to forecast. Every ``target_index - period`` must be ``>= 0``.
    Returns ``(N, H)`` float64.
    """
    series = check_array("series", series, ndim=1).astype(np.float64)
    target_index = check_array("target_index", target_index, ndim=2)
    if not np.issubdtype(target_index.dtype, np.integer):
        raise TypeError(f"target_index must hold integers, got dtype {target_index.dtype}")
    period = check_int("period", period, low=1)
    source = target_index - period
    if source.min() < 0 or target_index.max() >= len(series):
        raise ValueError(
            f"every target_index - period must lie in [0, {len(series) - 1}]; got "
            f"{source.min()}..{target_index.max() - period} with period={period}"
        )
    return series[source]


@dataclass(frozen=True, eq=False)
class LinearAR:
    """A direct multi-step linear autoregression: ``ŷ = [vec(x_window), 1] · B``, one column per horizon.

    ``coef``: ``(W·F + 1, H)``; ``lam``: the ridge penalty it was fitted with.
    """

    coef: np.ndarray
    lam: float

    @staticmethod
    def design(X) -> np.ndarray:
        """``[vec(window), 1]`` per window: ``(N, W, F)`` -> ``(N, W·F + 1)``."""
        X = check_array("X", X, ndim=3)
        return np.column_stack([X.reshape(len(X), -1).astype(np.float64), np.ones(len(X))])

    @classmethod
    def fit(cls, X, y, *, lam=1.0) -> LinearAR:
        """Ridge least squares: ``B = (AᵀA + λI)⁻¹ Aᵀ y`` with ``A = design(X)`` (the bias is penalised too;
        inputs are standardised, so that matters little). ``X``: ``(N, W, F)``; ``y``: ``(N, H)``."""
        A = cls.design(X)  # (N, W·F + 1)
        y = check_array("y", y, ndim=2)
        if len(y) != len(A):
            raise ValueError(f"X and y must have the same number of windows, got {len(A)} and {len(y)}")
        lam = check_float("lam", lam, low=0.0)
        # B = (AᵀA + λI)⁻¹ Aᵀ y
        coef = np.linalg.solve(A.T @ A + lam * np.eye(A.shape[1]), A.T @ y.astype(np.float64))  # (W·F+1, H)
        return cls(coef=coef, lam=lam)

    def predict(self, X) -> np.ndarray:
        """``(N, W, F)`` -> ``(N, H)`` float64."""
        A = self.design(X)
        if A.shape[1] != self.coef.shape[0]:
            raise ValueError(f"X must flatten to {self.coef.shape[0] - 1} inputs per window, got {A.shape[1] - 1}")
        return A @ self.coef


def fit_linear_ar(X_train, y_train, X_val, y_val, *, lams=(0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)) -> LinearAR:
    """Fit a ``LinearAR`` for each ridge penalty in ``lams`` and keep the one with the lowest validation MAE
    (the same selection rule the recurrent models get: choose on validation, report on test)."""
    if not isinstance(lams, (tuple, list)) or not lams:
        raise TypeError(f"lams must be a non-empty tuple or list of penalties, got {describe(lams)}")
    fits = [LinearAR.fit(X_train, y_train, lam=lam) for lam in lams]
    scores = [mae_per_horizon(m.predict(X_val), y_val).mean() for m in fits]
    return fits[int(np.argmin(scores))]


# --------------------------------------------------------------------------------------- quantile forecasts
def pinball_loss(pred: torch.Tensor, target: torch.Tensor, quantiles) -> torch.Tensor:
    """The quantile (pinball) loss, averaged over windows, horizons and quantiles.

    ``ρ_q(e) = max(q·e, (q - 1)·e)`` with ``e = y - ŷ_q``: its minimiser is the q-quantile of ``y``, so a model
    trained on it forecasts quantiles, and ``ŷ_0.5`` is a median forecast (``ρ_0.5`` is half the absolute error).
    ``pred``: ``(N, H, Q)``; ``target``: ``(N, H)``; ``quantiles``: ``Q`` numbers in (0, 1).
    """
    if not isinstance(pred, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError(f"pred and target must be torch tensors, got {describe(pred)} and {describe(target)}")
    q = torch.as_tensor(quantiles, dtype=pred.dtype)
    if q.ndim != 1 or pred.ndim != 3 or pred.shape[2] != len(q) or tuple(target.shape) != tuple(pred.shape[:2]):
        raise ValueError(
            f"pred must be (N, H, Q) with Q = len(quantiles) = {len(q)} and target (N, H); got "
            f"{tuple(pred.shape)} and {tuple(target.shape)}"
        )
    if (q <= 0).any() or (q >= 1).any():
        raise ValueError(f"quantiles must lie strictly between 0 and 1, got {q.tolist()}")
    e = target[..., None] - pred  # (N, H, Q)
    # ρ_q(e) = max(q e, (q - 1) e)
    return torch.maximum(q * e, (q - 1) * e).mean()


class QuantileForecaster(nn.Module):
    """A recurrent encoder and a linear read-out of ``H × Q`` quantiles from its last state.

    ``x`` (N, W, F) -> RNN/LSTM/GRU -> h_W (N, hidden) -> linear -> (N, H, Q), sorted along Q so the quantiles
    never cross. A direct multi-step forecaster: all ``H`` steps come out at once, none is fed back in.
    """

    def __init__(self, input_size: int, hidden_size: int, horizon: int, quantiles=(0.1, 0.5, 0.9), *, cell="gru"):
        super().__init__()
        self.horizon = check_int("horizon", horizon, low=1)
        quantiles = tuple(float(q) for q in quantiles)
        if not quantiles or any(not 0 < q < 1 for q in quantiles) or list(quantiles) != sorted(quantiles):
            raise ValueError(f"quantiles must be increasing numbers in (0, 1), got {quantiles}")
        self.quantiles = quantiles
        self.rnn = make_rnn(check_choice("cell", cell, ["rnn", "gru", "lstm"]), input_size, hidden_size)
        self.head = nn.Linear(hidden_size, horizon * len(quantiles))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor) or x.ndim != 3 or x.shape[2] != self.rnn.input_size:
            raise ValueError(f"x must be a tensor of shape (N, W, {self.rnn.input_size}), got {describe(x)}")
        out, _ = self.rnn(x)  # (N, W, hidden)
        q = self.head(out[:, -1]).view(len(x), self.horizon, len(self.quantiles))  # (N, H, Q)
        return q.sort(dim=-1).values


@dataclass
class QuantileFit:
    """A trained ``QuantileForecaster``: the model (best validation weights restored), the step they came
    from, and the validation pinball loss at every evaluation."""

    model: QuantileForecaster
    best_step: int
    eval_steps: list
    eval_losses: list


def train_quantile_forecaster(
    X_train, y_train, X_val, y_val, *, hidden_size=32, cell="gru", quantiles=(0.1, 0.5, 0.9), steps=150,
    batch_size=128, lr=1e-2, eval_every=25, seed=0,
) -> QuantileFit:  # fmt: skip
    """Train a ``QuantileForecaster`` with Adam on the pinball loss; keep the weights of the evaluation with
    the lowest validation loss (early stopping by selection: the test part is never looked at).

    ``X_*``: float32 ``(N, W, F)``; ``y_*``: float32 ``(N, H)`` (standardised units). Deterministic under
    ``seed`` (weights and batches).
    """
    X_train, X_val = check_array("X_train", X_train, ndim=3), check_array("X_val", X_val, ndim=3)
    y_train, y_val = check_array("y_train", y_train, ndim=2), check_array("y_val", y_val, ndim=2)
    if len(X_train) != len(y_train) or len(X_val) != len(y_val):
        raise ValueError("each X must have as many windows as its y")
    steps, eval_every = check_int("steps", steps, low=1), check_int("eval_every", eval_every, low=1)
    batch_size = check_int("batch_size", batch_size, low=1)
    torch.manual_seed(check_int("seed", seed, low=0))
    generator = torch.Generator().manual_seed(seed)
    model = QuantileForecaster(X_train.shape[2], hidden_size, y_train.shape[1], quantiles, cell=cell)
    Xt, yt = torch.from_numpy(X_train.astype(np.float32)), torch.from_numpy(y_train.astype(np.float32))
    Xv, yv = torch.from_numpy(X_val.astype(np.float32)), torch.from_numpy(y_val.astype(np.float32))
    optimizer = torch.optim.Adam(model.parameters(), lr=check_float("lr", lr, low=0.0, low_open=True))
    best = (float("inf"), None, 0)
    fit = QuantileFit(model, 0, [], [])
    for step in range(1, steps + 1):
        idx = torch.randint(0, len(Xt), (min(batch_size, len(Xt)),), generator=generator)
        # forward
        loss = pinball_loss(model(Xt[idx]), yt[idx], quantiles)
        # backward
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        # update
        optimizer.step()
        if step % eval_every == 0 or step == steps:
            with torch.no_grad():
                value = pinball_loss(model(Xv), yv, quantiles).item()
            fit.eval_steps.append(step)
            fit.eval_losses.append(value)
            if value < best[0]:
                best = (value, {k: v.clone() for k, v in model.state_dict().items()}, step)
    model.load_state_dict(best[1])
    model.eval()
    fit.best_step = best[2]
    return fit


def predict_quantiles(model: QuantileForecaster, X) -> np.ndarray:
    """The model's quantile forecasts for windows ``X`` (N, W, F): ``(N, H, Q)`` float64, standardised units."""
    if not isinstance(model, QuantileForecaster):
        raise TypeError(f"model must be a QuantileForecaster, got {describe(model)}")
    X = check_array("X", X, ndim=3)
    with torch.no_grad():
        return model(torch.from_numpy(X.astype(np.float32))).double().numpy()


def residual_band(pred_val, y_val, pred, *, low=0.1, high=0.9) -> tuple[np.ndarray, np.ndarray]:
    """An uncertainty band for any point forecaster, from its validation errors.

    For each horizon ``h``, the ``low`` and ``high`` quantiles of the validation residuals ``y - ŷ`` are added
    to the forecast: ``[ŷ + r_low(h), ŷ + r_high(h)]``. (This is the idea behind split conformal prediction,
    without its finite-sample correction.) ``pred_val``, ``y_val``: ``(N_val, H)``; ``pred``: ``(N, H)``.
    Returns ``(lower, upper)``, each ``(N, H)``.
    """
    pred_val, y_val = _check_pair(pred_val, y_val)
    pred = check_array("pred", pred, ndim=2)
    if pred.shape[1] != pred_val.shape[1]:
        raise ValueError(f"pred must have {pred_val.shape[1]} horizons like pred_val, got {pred.shape}")
    low, high = check_float("low", low, low=0, high=1), check_float("high", high, low=0, high=1)
    if low >= high:
        raise ValueError(f"low must be below high, got {low} and {high}")
    resid = y_val - pred_val  # (N_val, H)
    return pred + np.quantile(resid, low, axis=0), pred + np.quantile(resid, high, axis=0)


def coverage(lower, upper, target) -> float:
    """Share of targets inside their band: ``mean(lower <= y <= upper)``. All three ``(N, H)``."""
    lower, target = _check_pair(lower, target)
    upper, _ = _check_pair(upper, target)
    if (lower > upper).any():
        raise ValueError("lower must not exceed upper anywhere")
    return float(((target >= lower) & (target <= upper)).mean())


def day_of_year_features(times) -> np.ndarray:
    """``sin`` and ``cos`` of the day of the year, ``(T,)`` datetime64 -> ``(T, 2)`` float32: a calendar
    that a model can read without seeing a whole year of history."""
    times = check_array("times", times, ndim=1)
    if not np.issubdtype(times.dtype, np.datetime64):
        raise TypeError(f"times must be a datetime64 array, got dtype {times.dtype}")
    days = times.astype("datetime64[D]")
    day = (days - days.astype("datetime64[Y]")).astype(np.int64)  # 0 .. 365
    angle = 2 * np.pi * day / 365.25
    return np.column_stack([np.sin(angle), np.cos(angle)]).astype(np.float32)
