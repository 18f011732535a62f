"""The one training loop of the course.

``train`` runs a budget of optimiser steps with gradient-norm clipping, a progress bar that ``progress=False``
switches off, an evaluation every ``eval_every`` steps, and an early stop once the evaluation reaches a target.
It returns a ``TrainResult`` with the loss and gradient-norm history, the evaluation history, the number of
steps it took to reach the target (or ``None``) and the wall time.

Budgets are counted in steps, not seconds: steps-to-target repeat under a seed, wall time does not.

Introduced in 00_start_here.ipynb (used from 03_vanilla_rnn.ipynb on).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn

from rnn_helpers._checks import check_callable, check_choice, check_float, check_int, describe
from rnn_helpers.models import eval_mode


@dataclass
class TrainConfig:
    """Hyper-parameters of ``train``."""

    steps: int = 1000  # the budget: more steps, more chance to reach the target, more time
    lr: float = 1e-2  # Adam's step size: larger learns faster until it diverges
    clip: float | None = 1.0  # largest gradient norm allowed (None: no clipping); tames exploding gradients
    eval_every: int = 50  # steps between evaluations: smaller notices the target sooner but costs time
    target: float | None = None  # stop as soon as the evaluation reaches this value (None: use the budget)
    goal: str = "min"  # "min" when lower evaluations are better (a loss), "max" for accuracy
    optimizer: str = "adam"  # "adam" or "sgd"

    def __post_init__(self):
        check_int("steps", self.steps, low=1)
        check_float("lr", self.lr, low=0.0, low_open=True)
        if self.clip is not None:
            check_float("clip", self.clip, low=0.0, low_open=True)
        check_int("eval_every", self.eval_every, low=1)
        if self.target is not None:
            check_float("target", self.target)
        check_choice("goal", self.goal, ["min", "max"])
        check_choice("optimizer", self.optimizer, ["adam", "sgd"])


@dataclass
class TrainResult:
    """What ``train`` measured.

    ``losses`` and ``grad_norms`` have one entry per step (the gradient norm before clipping);
    ``eval_steps`` and ``eval_values`` are the evaluation history; ``steps_to_target`` is the step at which
    the evaluation first reached the target, or ``None``; ``seconds`` is the wall time.
    """

    steps: int = 0
    losses: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    eval_values: list[float] = field(default_factory=list)
    steps_to_target: int | None = None
    seconds: float = 0.0

    @property
    def reached_target(self) -> bool:
        return self.steps_to_target is not None

    @property
    def final_eval(self) -> float | None:
        return self.eval_values[-1] if self.eval_values else None

    def summary(self) -> str:
        """One line: steps, time, final loss and evaluation, and whether the target was reached."""
        parts = [f"{self.steps} steps in {self.seconds:.1f} s", f"final train loss {self.losses[-1]:.4g}"]
        if self.eval_values:
            parts.append(f"final eval {self.final_eval:.4g}")
        if self.steps_to_target is not None:
            parts.append(f"target reached at step {self.steps_to_target}")
        return ", ".join(parts)


def _reached(value: float, target: float | None, goal: str) -> bool:
    if target is None:
        return False
    return value <= target if goal == "min" else value >= target


def _make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    if config.optimizer == "adam":
        return torch.optim.Adam(model.parameters(), lr=config.lr)
    return torch.optim.SGD(model.parameters(), lr=config.lr)


def _evaluate(model: nn.Module, eval_fn: Callable[[nn.Module], float]) -> float:
    with eval_mode(model), torch.no_grad():
        value = eval_fn(model)
    value = float(value)
    if value != value:  # NaN
        raise ValueError("eval_fn returned NaN: the model has diverged (try a smaller lr or clip)")
    return value


def _check_train_args(model, batch_fn, loss_fn, eval_fn) -> None:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {describe(model)}")
    if not any(p.requires_grad for p in model.parameters()):
        raise ValueError("model has no trainable parameters")
    check_callable("batch_fn", batch_fn)
    check_callable("loss_fn", loss_fn)
    if eval_fn is not None:
        check_callable("eval_fn", eval_fn)


def next_token_loss(logits: torch.Tensor, y: torch.Tensor, *, ignore_index: int = -100) -> torch.Tensor:
    """Mean cross-entropy of a language model's predictions at every position, in nats per token.

    ``logits`` (B, T, V): the scores of the next token after each position (what a ``CharLM`` returns first);
    ``y`` (B, T) int64: the true next tokens; positions where ``y == ignore_index`` (padding) are left out.
    The loss ``train`` needs for a ``CharLM``: ``train(model, batch_fn, next_token_loss, ...)``.
    Introduced in 03_vanilla_rnn.ipynb.
    """
    if not isinstance(logits, torch.Tensor) or logits.ndim != 3:
        raise ValueError(f"logits must be a tensor of shape (batch, time, vocabulary), got {describe(logits)}")
    if not isinstance(y, torch.Tensor) or tuple(y.shape) != tuple(logits.shape[:2]):
        raise ValueError(f"y must be a tensor of shape {tuple(logits.shape[:2])} (one target per position), "
                         f"got {describe(y)}")
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=ignore_index)


def _prediction(output):
    """What ``loss_fn`` compares with y: the output itself, or its first part when the model returns
    ``(output, state)`` (``CharLM``, torch's own recurrent layers)."""
    return output[0] if isinstance(output, tuple) else output


def _batch(batch_fn, step: int) -> tuple:
    batch = batch_fn(step)
    if not isinstance(batch, tuple | list) or len(batch) != 2:
        raise TypeError(f"batch_fn(step) must return a pair (x, y), got {describe(batch)} at step {step}")
    return batch


def _loss(loss_fn, prediction, y, step: int) -> torch.Tensor:
    loss = loss_fn(prediction, y)
    if not isinstance(loss, torch.Tensor) or loss.ndim != 0:
        raise TypeError(
            f"loss_fn(prediction, y) must return a scalar tensor (e.g. a mean over the batch), got {describe(loss)} "
            f"at step {step}"
        )
    if not loss.requires_grad:
        raise ValueError(f"loss_fn(prediction, y) returned a tensor with no gradient at step {step}: compute it "
                         "from the prediction with torch operations (no .item(), .detach() or numpy in between)")
    return loss


def train(
    model: nn.Module,
    batch_fn: Callable[[int], tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    *,
    eval_fn: Callable[[nn.Module], float] | None = None,
    config: TrainConfig | None = None,
    progress: bool = True,
    desc: str = "training",
    **overrides,
) -> TrainResult:
    """Train ``model`` for a budget of steps; stop early once ``eval_fn`` reaches ``config.target``.

    Args:
        model: a module whose ``model(x)`` returns the prediction that ``loss_fn`` compares with ``y``, or a pair
            ``(prediction, state)`` as ``CharLM`` and torch's recurrent layers return (the state is dropped).
        batch_fn: ``batch_fn(step) -> (x, y)``, the training batch for this step (e.g. a fresh task batch).
        loss_fn: ``loss_fn(prediction, y)`` -> scalar tensor (``next_token_loss`` for a language model).
        eval_fn: ``eval_fn(model) -> float``, called under ``torch.no_grad()`` in eval mode every
            ``eval_every`` steps and after the last step (e.g. the test MSE). Without it, nothing stops early.
        config: a ``TrainConfig``; keyword ``overrides`` (``steps=500, lr=3e-3, ...``) replace its fields.
        progress: show a progress bar (``tqdm.auto``: a widget in Jupyter, text elsewhere) and print a
            one-line summary at the end. ``False`` trains silently (tests, sweeps).
        desc: the progress bar's label.

    Returns:
        A ``TrainResult``.

    Raises ``TypeError``/``ValueError`` naming the problem when ``batch_fn`` does not return a pair or
    ``loss_fn`` does not return a scalar tensor with a gradient, and ``FloatingPointError`` when the loss
    becomes infinite or NaN. The progress bar is closed whatever happens.

    Introduced in 00_start_here.ipynb.
    """
    _check_train_args(model, batch_fn, loss_fn, eval_fn)
    base = config if config is not None else TrainConfig()
    if not isinstance(base, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {describe(base)}")
    known = list(TrainConfig.__dataclass_fields__)
    unknown = set(overrides) - set(known)
    if unknown:
        raise TypeError(f"unknown training option(s) {sorted(unknown)}; known: {known}")
    config = TrainConfig(**{**base.__dict__, **overrides})
    if config.target is not None and eval_fn is None:
        raise ValueError("a target needs an eval_fn to measure it; pass eval_fn=... or target=None")

    from tqdm.auto import tqdm

    optimizer = _make_optimizer(model, config)
    result = TrainResult()
    start = time.perf_counter()
    bar = tqdm(total=config.steps, desc=desc, disable=not progress, leave=True)
    model.train()
    try:
        for step in range(1, config.steps + 1):
            x, y = _batch(batch_fn, step)
            # forward
            loss = _loss(loss_fn, _prediction(model(x)), y, step)
            if not torch.isfinite(loss):
                raise FloatingPointError(f"the loss became {loss.item()} at step {step}: try a smaller lr or a clip")
            # backward
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            max_norm = config.clip if config.clip is not None else float("inf")
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            # update
            optimizer.step()
            result.steps = step
            result.losses.append(loss.item())
            result.grad_norms.append(float(grad_norm))
            if eval_fn is not None and (step % config.eval_every == 0 or step == config.steps):
                value = _evaluate(model, eval_fn)
                result.eval_steps.append(step)
                result.eval_values.append(value)
                bar.set_postfix(loss=f"{loss.item():.4f}", eval=f"{value:.4f}", refresh=False)
                if _reached(value, config.target, config.goal):
                    result.steps_to_target = step
                    bar.update(1)
                    break
            bar.update(1)
    finally:
        bar.close()  # also when an exception escapes, so no half-drawn bar is left behind
    result.seconds = time.perf_counter() - start
    if progress:
        print(result.summary())
    return result
