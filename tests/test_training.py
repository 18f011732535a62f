"""The training loop: the loss falls on a learnable task, early stop works, clipping is applied, bad input."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.functional import mse_loss

from rnn_helpers import tasks
from rnn_helpers.models import SequenceModel
from rnn_helpers.training import TrainConfig, TrainResult, train


def linear_problem(seed=0):
    """y = x @ w: a task a linear model learns exactly."""
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(3, 1, generator=g)

    def batch(step):
        x = torch.randn(32, 3, generator=g)
        return x, x @ w

    return batch, w


def test_loss_falls_on_a_learnable_sequence_task():
    torch.manual_seed(0)
    model = SequenceModel("gru", 2, 16, 1)
    x_test, y_test = tasks.adding_problem(256, 10, seed=99)
    result = train(
        model, lambda s: tasks.adding_problem(64, 10, seed=s), mse_loss,
        eval_fn=lambda m: mse_loss(m(x_test), y_test).item(), steps=150, eval_every=50, progress=False,
    )
    assert isinstance(result, TrainResult) and result.steps == 150 and len(result.losses) == 150
    assert sum(result.losses[-20:]) / 20 < 0.5 * sum(result.losses[:20]) / 20
    assert result.eval_steps == [50, 100, 150]
    assert result.eval_values[-1] < tasks.ADDING_BASELINE_MSE / 2
    assert result.steps_to_target is None and not result.reached_target
    assert result.seconds > 0


def test_early_stop_at_target_min_and_max():
    torch.manual_seed(0)
    batch, _ = linear_problem()
    x_eval, y_eval = batch(0)
    model = nn.Linear(3, 1)
    result = train(model, batch, mse_loss, eval_fn=lambda m: mse_loss(m(x_eval), y_eval).item(),
                   steps=2000, lr=0.05, eval_every=10, target=1e-3, progress=False)
    assert result.reached_target and result.steps_to_target == result.steps < 2000
    assert result.eval_values[-1] <= 1e-3 and all(v > 1e-3 for v in result.eval_values[:-1])
    # goal="max": stop once a score is high enough
    calls = []

    def score(m):
        calls.append(1)
        return float(len(calls))

    result = train(nn.Linear(3, 1), batch, mse_loss, eval_fn=score, steps=100, eval_every=5, target=3,
                   goal="max", progress=False)
    assert result.steps_to_target == 15 and result.steps == 15


def test_clipping_bounds_the_update():
    torch.manual_seed(0)
    batch, _ = linear_problem()
    model = nn.Linear(3, 1)

    def huge_loss(pred, y):
        return 1e6 * mse_loss(pred, y)

    before = torch.cat([p.detach().flatten().clone() for p in model.parameters()])
    result = train(model, batch, huge_loss, steps=1, lr=1.0, clip=0.5, optimizer="sgd", progress=False)
    after = torch.cat([p.detach().flatten() for p in model.parameters()])
    # SGD with lr 1 moves the parameters by exactly the clipped gradient
    assert result.grad_norms[0] > 0.5
    assert torch.linalg.vector_norm(after - before).item() == pytest.approx(0.5, rel=1e-4)


def test_no_clipping_records_the_raw_norm():
    torch.manual_seed(0)
    batch, _ = linear_problem()
    model = nn.Linear(3, 1)
    before = torch.cat([p.detach().flatten().clone() for p in model.parameters()])
    result = train(model, batch, lambda p, y: 1e3 * mse_loss(p, y), steps=1, lr=1.0, clip=None,
                   optimizer="sgd", progress=False)
    after = torch.cat([p.detach().flatten() for p in model.parameters()])
    assert torch.linalg.vector_norm(after - before).item() == pytest.approx(result.grad_norms[0], rel=1e-4)


def test_progress_prints_one_summary_line(capsys):
    batch, _ = linear_problem()
    train(nn.Linear(3, 1), batch, mse_loss, steps=3, progress=True)
    out = capsys.readouterr().out
    assert "3 steps in" in out and out.count("\n") == 1


def test_diverging_loss_raises_clearly():
    batch, _ = linear_problem()

    def nan_loss(pred, y):
        return (pred * float("nan")).sum()

    with pytest.raises(FloatingPointError, match="the loss became nan at step 1"):
        train(nn.Linear(3, 1), batch, nan_loss, steps=5, progress=False)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(model="model"), TypeError, "model must be a torch.nn.Module, got str"),
        (dict(batch_fn=[1, 2]), TypeError, "batch_fn must be callable, got list"),
        (dict(steps=0), ValueError, "steps must be >= 1, got 0"),
        (dict(lr=-1.0), ValueError, "lr must be > 0.0, got -1.0"),
        (dict(clip=0.0), ValueError, "clip must be > 0.0, got 0.0"),
        (dict(goal="best"), ValueError, r"goal must be one of \['min', 'max'\]"),
        (dict(optimizer="rmsprop"), ValueError, r"optimizer must be one of \['adam', 'sgd'\]"),
        (dict(target=0.1), ValueError, "a target needs an eval_fn"),
        (dict(learning_rate=0.1), TypeError, r"unknown training option\(s\) \['learning_rate'\]"),
        (dict(config={"steps": 3}), TypeError, "config must be a TrainConfig, got dict"),
    ],
)
def test_bad_input(kwargs, error, match):
    batch, _ = linear_problem()
    args = dict(model=nn.Linear(3, 1), batch_fn=batch, loss_fn=mse_loss, progress=False)
    args.update(kwargs)
    model, batch_fn, loss_fn = args.pop("model"), args.pop("batch_fn"), args.pop("loss_fn")
    with pytest.raises(error, match=match):
        train(model, batch_fn, loss_fn, **args)


def test_config_object_and_overrides():
    batch, _ = linear_problem()
    config = TrainConfig(steps=4, lr=0.1)
    result = train(nn.Linear(3, 1), batch, mse_loss, config=config, steps=2, progress=False)
    assert result.steps == 2 and config.steps == 4  # the override does not change the caller's config


def test_a_model_returning_output_and_state_trains_with_next_token_loss():
    from rnn_helpers.models import CharLM
    from rnn_helpers.training import next_token_loss

    torch.manual_seed(0)
    model = CharLM(4, 8, cell="gru")
    ids = torch.arange(4).repeat(3, 5)  # (3, 20): 0 1 2 3 0 1 2 3 ...
    batch = lambda step: (ids[:, :-1], ids[:, 1:])  # noqa: E731
    result = train(model, batch, next_token_loss, steps=60, lr=0.05, progress=False)
    assert result.losses[-1] < 0.2 * result.losses[0]  # the cycle is learnt
    logits, _ = model(ids[:, :-1])
    expected = nn.functional.cross_entropy(logits.reshape(-1, 4), ids[:, 1:].reshape(-1))
    torch.testing.assert_close(next_token_loss(logits, ids[:, 1:]), expected)
    padded = ids[:, 1:].clone()
    padded[:, 10:] = -100  # padding is left out of the mean
    expected = nn.functional.cross_entropy(logits[:, :10].reshape(-1, 4), ids[:, 1:11].reshape(-1))
    torch.testing.assert_close(next_token_loss(logits, padded), expected)
    with pytest.raises(ValueError, match=r"y must be a tensor of shape \(3, 19\)"):
        next_token_loss(logits, ids)
    with pytest.raises(ValueError, match="logits must be a tensor of shape"):
        next_token_loss(logits[0], ids[0])


@pytest.mark.parametrize(
    ("batch_fn", "loss_fn", "error", "match"),
    [
        (lambda s: torch.zeros(4, 3), mse_loss, TypeError, r"batch_fn\(step\) must return a pair \(x, y\), got Tensor"),
        (lambda s: (torch.zeros(4, 3), torch.zeros(4, 1)), lambda p, y: 1.0, TypeError,
         r"loss_fn\(prediction, y\) must return a scalar tensor .* got float 1.0 at step 1"),
        (lambda s: (torch.zeros(4, 3), torch.zeros(4, 1)), lambda p, y: (p - y) ** 2, TypeError,
         r"must return a scalar tensor .* shape \(4, 1\)"),
        (lambda s: (torch.zeros(4, 3), torch.zeros(4, 1)), lambda p, y: mse_loss(p, y).detach(), ValueError,
         "returned a tensor with no gradient at step 1"),
    ],
)
def test_what_batch_fn_and_loss_fn_return_is_checked(batch_fn, loss_fn, error, match):
    with pytest.raises(error, match=match):
        train(nn.Linear(3, 1), batch_fn, loss_fn, steps=3, progress=False)


def test_the_progress_bar_is_closed_when_an_exception_escapes(monkeypatch):
    import tqdm.auto

    closed = []

    class RecordingBar(tqdm.auto.tqdm):
        def close(self):
            closed.append(self.n)  # the steps counted when it was closed
            super().close()

    monkeypatch.setattr(tqdm.auto, "tqdm", RecordingBar)

    def failing_batch(step):
        if step == 3:
            raise KeyError("no batch 3")
        return torch.zeros(4, 3), torch.zeros(4, 1)

    with pytest.raises(KeyError, match="no batch 3") as caught:
        train(nn.Linear(3, 1), failing_batch, mse_loss, steps=5, progress=True)  # a live bar counts its steps
    assert caught.traceback  # the traceback keeps the bar alive: only an explicit close() counts
    assert closed[:1] == [2]


def test_eval_mode_restores_the_mode_even_when_the_block_raises():
    from rnn_helpers.models import eval_mode

    model = nn.Sequential(nn.Dropout(0.5))
    model.train()
    with pytest.raises(RuntimeError, match="inside"):
        with eval_mode(model):
            assert not model.training
            raise RuntimeError("inside")
    assert model.training
    model.eval()
    with eval_mode(model):
        pass
    assert not model.training  # back to the mode it was in, not always to training
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        with eval_mode("model"):
            pass
