"""rnn_helpers.models.lstm_variants (chapter 05): the full variant equals torch.nn.LSTM (outputs and gradients,
float64), every flag does what Greff et al.'s variant says (against a plain one-member loop written here), the
members train independently, and bad input gets a clear error; tasks.flip_flop's targets."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_helpers import tasks
from rnn_helpers.models.lstm_variants import VARIANTS, LSTMVariants, VariantRegressor


def reference(x, weights, flags):
    """One member, one step at a time, written out per variant (x (B, T, I), float64)."""
    W_ih, W_hh, b = weights["weight_ih_l0"], weights["weight_hh_l0"], weights["bias_ih_l0"] + weights["bias_hh_l0"]
    H = W_hh.shape[1]
    h = c = torch.zeros(x.shape[0], H, dtype=x.dtype)
    out = []
    for t in range(x.shape[1]):
        a = x[:, t] @ W_ih.T + h @ W_hh.T + b
        a_i, a_f, a_g, a_o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        if flags.get("peepholes"):
            a_i, a_f = a_i + weights["w_ci"] * c, a_f + weights["w_cf"] * c
        f = torch.sigmoid(a_f) if flags.get("forget_gate", True) else torch.ones_like(a_f)
        if flags.get("coupled"):
            i = 1 - f
        elif flags.get("input_gate", True):
            i = torch.sigmoid(a_i)
        else:
            i = torch.ones_like(a_i)
        g = torch.tanh(a_g) if flags.get("input_activation", True) else a_g
        c = f * c + i * g
        if flags.get("peepholes"):
            a_o = a_o + weights["w_co"] * c
        o = torch.sigmoid(a_o) if flags.get("output_gate", True) else torch.ones_like(a_o)
        h = o * (torch.tanh(c) if flags.get("output_activation", True) else c)
        out.append(h)
    return torch.stack(out, dim=1), c


def test_full_variant_equals_nn_lstm_outputs_and_gradients():
    torch.manual_seed(0)
    layer = LSTMVariants(3, 5, ["LSTM", "NFG", "LSTM"], seeds=[1, 2, 3]).double()
    x = torch.randn(4, 6, 3, dtype=torch.float64)
    out, (h, c) = layer(x)
    w = torch.randn_like(out)
    (out * w).sum().backward()
    for m in (0, 2):
        lstm = torch.nn.LSTM(3, 5, batch_first=True).double()
        with torch.no_grad():
            for name, value in layer.member_weights(m).items():
                if name.endswith("l0"):
                    getattr(lstm, name).copy_(value)
        ref_out, (ref_h, ref_c) = lstm(x)
        (ref_out * w[m]).sum().backward()
        torch.testing.assert_close(out[m], ref_out, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(h[m], ref_h[0], rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(c[m], ref_c[0], rtol=1e-12, atol=1e-12)
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            torch.testing.assert_close(getattr(layer, name).grad[m], getattr(lstm, name + "_l0").grad,
                                       rtol=1e-10, atol=1e-12)
        assert layer.peephole.grad is None, "no member has peepholes: they take no part"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_variant_matches_its_equations(variant):
    layer = LSTMVariants(2, 4, [variant, "LSTM"], seeds=[5, 6]).double()
    x = torch.randn(3, 7, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    out, (_, c) = layer(x)
    ref_out, ref_c = reference(x, layer.member_weights(0), VARIANTS[variant])
    torch.testing.assert_close(out[0], ref_out, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(c[0], ref_c, rtol=1e-12, atol=1e-12)
    if variant != "LSTM":
        assert not torch.allclose(out[0], reference(x, layer.member_weights(0), {})[0]), "the flag changes the cell"


def test_unused_weights_get_no_gradient_and_members_are_independent():
    layer = LSTMVariants(2, 3, ["NFG", "NOG", "CIFG", "NIG", "PH"], seeds=[0, 1, 2, 3, 4]).double()
    x = torch.randn(2, 5, 2, dtype=torch.float64)
    out, _ = layer(x)
    out[1].sum().backward()  # a loss on member 1 only
    for m in (0, 2, 3, 4):
        assert not layer.weight_hh.grad[m].any() and not layer.weight_ih.grad[m].any()
    layer.zero_grad()
    out, _ = layer(x)
    out.sum().backward()
    H = 3
    g = layer.weight_hh.grad
    assert not g[0, H:2 * H].any(), "NFG: the forget gate's rows are unused"
    assert not g[1, 3 * H:].any(), "NOG: the output gate's rows are unused"
    assert not g[2, :H].any() and g[2, H:2 * H].any(), "CIFG: the input gate's rows are unused"
    assert not g[3, :H].any(), "NIG: the input gate's rows are unused"
    assert layer.peephole.grad[4].abs().min() > 0 and not layer.peephole.grad[:4].any()
    per_gate = H * 2 + H * H + 2 * H
    assert layer.parameters_used() == [3 * per_gate, 3 * per_gate, 3 * per_gate, 3 * per_gate, 4 * per_gate + 3 * H]


def test_seeds_and_regressor_shapes():
    a = VariantRegressor(2, 4, 1, ["LSTM", "LSTM", "CIFG"], seeds=[7, 8, 7])
    assert not torch.equal(a.lstm.weight_hh[0], a.lstm.weight_hh[1])
    assert torch.equal(a.lstm.weight_hh[0], a.lstm.weight_hh[2]) and torch.equal(a.head_weight[0], a.head_weight[2])
    assert a.lstm.weight_hh.abs().max() <= 0.5  # U(-1/√H, 1/√H)
    x = torch.randn(5, 6, 2)
    y = a(x)
    assert y.shape == (3, 5, 6, 1)
    out, _ = a.lstm(x)
    torch.testing.assert_close(y[1], out[1] @ a.head_weight[1].T + a.head_bias[1])


def test_errors():
    with pytest.raises(ValueError, match="variant must be one of"):
        LSTMVariants(2, 3, ["GRU"])
    with pytest.raises(TypeError, match="variants must be a non-empty list"):
        LSTMVariants(2, 3, "LSTM")
    with pytest.raises(ValueError, match="unknown \\['peephole'\\]"):
        LSTMVariants(2, 3, [{"peephole": True}])
    with pytest.raises(TypeError, match="must be True or False"):
        LSTMVariants(2, 3, [{"peepholes": 1}])
    with pytest.raises(ValueError, match="coupled=True needs both"):
        LSTMVariants(2, 3, [{"coupled": True, "forget_gate": False}])
    with pytest.raises(ValueError, match="seeds must be None or a list of 2"):
        LSTMVariants(2, 3, ["LSTM", "NFG"], seeds=[1])
    layer = LSTMVariants(2, 3, ["LSTM", "NFG"])
    with pytest.raises(ValueError, match="x must have shape \\(B, T, 2\\)"):
        layer(torch.zeros(4, 5, 3))
    with pytest.raises(TypeError, match="x must be a torch tensor"):
        layer(np.zeros((4, 5, 2)))
    with pytest.raises(ValueError, match="state must be"):
        layer(torch.zeros(4, 5, 2), (torch.zeros(2, 4, 3), torch.zeros(4, 3)))


def test_flip_flop_targets():
    x, y = tasks.flip_flop(50, 12, p_store=0.3, seed=0)
    assert x.shape == (50, 12, 2) and y.shape == (50, 12, 1) and x.dtype == y.dtype == torch.float32
    for b in range(50):
        held = 0.0
        for t in range(12):
            if x[b, t, 1] == 1:
                held = x[b, t, 0].item()
            assert y[b, t, 0].item() == pytest.approx(held)
    assert set(x[:, :, 1].unique().tolist()) == {0.0, 1.0} and x[:, :, 0].abs().max() <= 1
    assert torch.equal(tasks.flip_flop(3, 4, seed=1)[0], tasks.flip_flop(3, 4, seed=1)[0])
    with pytest.raises(ValueError, match="p_store must be a probability"):
        tasks.flip_flop(3, 4, p_store=0)


def test_plot_variant_scores():
    import matplotlib.pyplot as plt

    from rnn_helpers import viz

    ax = viz.plot_variant_scores({"LSTM": np.array([0.1, 0.2]), "NFG": np.array([1.0, 2.0, 3.0])}, baseline=5.0,
                                 reference="LSTM", title="t")
    lines = ax.get_lines()
    assert len(lines) == 5 and ax.get_yscale() == "log" and ax.get_title() == "t"
    assert lines[0].get_color() == viz.VERMILION and lines[2].get_color() == viz.BLUE
    np.testing.assert_allclose(lines[3].get_ydata(), [2.0, 2.0])  # the mean bar
    assert [t.get_text() for t in ax.get_xticklabels()] == ["LSTM", "NFG"]
    with pytest.raises(TypeError, match="scores must be a non-empty dict"):
        viz.plot_variant_scores([0.1])
    with pytest.raises(ValueError, match="reference must be one of"):
        viz.plot_variant_scores({"a": np.ones(2)}, reference="b")
    with pytest.raises(ValueError, match="positive numbers"):
        viz.plot_variant_scores({"a": np.array([0.0, 1.0])})
    plt.close("all")


def test_members_train_as_they_would_alone():
    """Adam on the summed loss of stacked members = Adam on each member alone (same batches, no clipping)."""
    from rnn_helpers.training import train

    def summed_mse(prediction, y):
        return ((prediction - y) ** 2).mean(dim=(1, 2, 3)).sum()

    def batch(step):
        return tasks.flip_flop(8, 6, p_store=0.3, seed=step)

    together = VariantRegressor(2, 3, 1, ["NFG", "CIFG", "PH"], seeds=[4, 5, 6]).double()
    train(together, batch, summed_mse, steps=15, lr=0.05, clip=None, progress=False)
    for m, (name, seed) in enumerate([("NFG", 4), ("CIFG", 5), ("PH", 6)]):
        alone = VariantRegressor(2, 3, 1, [name], seeds=[seed]).double()
        train(alone, batch, summed_mse, steps=15, lr=0.05, clip=None, progress=False)
        for (key, a), b in zip(alone.named_parameters(), together.parameters(), strict=True):
            torch.testing.assert_close(a[0], b[m], rtol=1e-9, atol=1e-12, msg=key)
        fresh = VariantRegressor(2, 3, 1, [name], seeds=[seed]).double()
        assert not torch.equal(alone.lstm.weight_hh, fresh.lstm.weight_hh), "training moved the weights"
