"""One Elman forward (issue 20): ``scratch.rnn_forward`` equals torch in both directions, and the layer, chapter
04's ``gradients.run_rnn`` and chapter 02's RTRL all run it, step by step, through ``scratch.rnn_step``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_helpers import gradients, history, scratch


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("reverse", [False, True])
def test_rnn_forward_equals_torch(nonlinearity, reverse):
    torch.manual_seed(0)
    rnn = torch.nn.RNN(3, 4, nonlinearity=nonlinearity, batch_first=True, bidirectional=reverse,
                       dtype=torch.float64)
    x, h0 = torch.randn(2, 5, 3, dtype=torch.float64), torch.randn(2 if reverse else 1, 2, 4, dtype=torch.float64)
    with torch.no_grad():
        out, _ = rnn(x, h0)
    suffix = "_l0_reverse" if reverse else "_l0"
    W = {n: getattr(rnn, n + suffix).detach().numpy() for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    states = scratch.rnn_forward(x.numpy(), W["weight_ih"], W["weight_hh"], W["bias_ih"], W["bias_hh"],
                                 h0=h0[-1].numpy(), nonlinearity=nonlinearity, reverse=reverse)
    expected = out[..., 4:] if reverse else out
    np.testing.assert_allclose(states, expected.numpy(), rtol=1e-12, atol=1e-12)


def test_every_elman_forward_runs_the_one_step(monkeypatch):
    calls = []
    real_step = scratch.rnn_step

    def counting_step(*args, **kwargs):
        calls.append(1)
        return real_step(*args, **kwargs)

    monkeypatch.setattr(scratch, "rnn_step", counting_step)
    monkeypatch.setattr(history.rtrl, "rnn_step", counting_step)
    rng = np.random.default_rng(0)
    layer = scratch.RNN(2, 3, seed=0)
    x = rng.standard_normal((1, 7, 2))
    out, _ = layer.forward(x)
    assert len(calls) == 7
    W_ih, W_hh = layer.params["weight_ih_l0"], layer.params["weight_hh_l0"]
    b = layer.params["bias_ih_l0"] + layer.params["bias_hh_l0"]
    np.testing.assert_allclose(gradients.run_rnn(x[0], W_ih, W_hh, b=b), out[0], rtol=1e-13, atol=1e-15)
    assert len(calls) == 14
    history.rtrl_gradients(layer, x, rng.standard_normal((1, 7, 3)))
    assert len(calls) == 21


@pytest.mark.parametrize("nonlinearity", scratch.ACTIVATIONS)
def test_rnn_step_and_its_backward_for_every_activation(nonlinearity):
    rng = np.random.default_rng(1)
    x_t, h_prev = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    W_ih, W_hh, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 4)), rng.standard_normal(4)
    h = scratch.rnn_step(x_t, h_prev, W_ih, W_hh, b, None, nonlinearity)
    act = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "identity": lambda a: a}[nonlinearity]
    W_t = torch.tensor(W_hh, requires_grad=True)
    h_t = act(torch.tensor(x_t) @ torch.tensor(W_ih).T + torch.tensor(b) + torch.tensor(h_prev) @ W_t.T)
    np.testing.assert_allclose(h, h_t.detach().numpy(), rtol=1e-13, atol=1e-15)
    dh = rng.standard_normal((2, 4))
    (h_t * torch.tensor(dh)).sum().backward()
    grads = scratch.rnn_step_backward(dh, x_t, h_prev, h, W_ih, W_hh, nonlinearity)
    np.testing.assert_allclose(grads["W_hh"], W_t.grad.numpy(), rtol=1e-12, atol=1e-13)


def test_rnn_forward_bad_input():
    W_ih, W_hh = np.zeros((3, 2)), np.zeros((3, 3))
    with pytest.raises(ValueError, match="x"):
        scratch.rnn_forward(np.zeros((4, 2)), W_ih, W_hh)
    with pytest.raises(ValueError, match="nonlinearity"):
        scratch.rnn_forward(np.zeros((1, 4, 2)), W_ih, W_hh, nonlinearity="elu")
    with pytest.raises(ValueError, match="h0"):
        scratch.rnn_forward(np.zeros((1, 4, 2)), W_ih, W_hh, h0=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="nonlinearity"):
        scratch.RNN(2, 3, nonlinearity="sigmoid")  # the layer keeps torch.nn.RNN's two
