"""rnn_helpers.attention (08_rnns_vs_transformers.ipynb): numpy self-attention equals torch.nn.MultiheadAttention
(outputs, attention weights, every gradient; float64), its backward equals finite differences, the causal mask
hides the future, and the cost helpers count what the models really store."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_helpers import attention
from rnn_helpers.attention import MultiHeadSelfAttention
from rnn_helpers.gradcheck import numerical_gradient, relative_error


def make_mha(d, h, *, bias=True, seed=0):
    torch.manual_seed(seed)
    mha = torch.nn.MultiheadAttention(d, h, batch_first=True, bias=bias, dtype=torch.float64)
    if bias:
        with torch.no_grad():
            mha.in_proj_bias.normal_()
            mha.out_proj.bias.normal_()
    return mha


def torch_grads(mha, d):
    W, gW = mha.in_proj_weight.grad, {}
    gW.update(W_q=W[:d], W_k=W[d : 2 * d], W_v=W[2 * d :], W_o=mha.out_proj.weight.grad)
    if mha.in_proj_bias is not None:
        b = mha.in_proj_bias.grad
        gW.update(b_q=b[:d], b_k=b[d : 2 * d], b_v=b[2 * d :], b_o=mha.out_proj.bias.grad)
    return {k: v.numpy() for k, v in gW.items()}


SHAPES = [  # (B, T, d, h): batch 1, time 1, one head, several heads
    (2, 5, 8, 2),
    (1, 1, 4, 1),
    (3, 7, 6, 3),
    (1, 4, 4, 4),
]


@pytest.mark.parametrize("B, T, d, h", SHAPES)
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_forward_and_backward_equal_torch(B, T, d, h, causal, bias):
    mha = make_mha(d, h, bias=bias)
    att = MultiHeadSelfAttention.from_torch(mha)
    x = torch.randn(B, T, d, dtype=torch.float64, requires_grad=True)
    mask = torch.from_numpy(attention.causal_mask(T)) if causal else None
    y, A = mha(x, x, x, attn_mask=mask, need_weights=True, average_attn_weights=False)
    y_ours, A_ours = att.forward(x.detach().numpy(), causal=causal)
    np.testing.assert_allclose(y_ours, y.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(A_ours, A.detach().numpy(), rtol=0, atol=1e-12)
    assert A_ours.shape == (B, h, T, T)

    d_y = torch.randn_like(y)
    y.backward(d_y)
    grads = att.backward(d_y.numpy())
    expected = torch_grads(mha, d) | {"x": x.grad.numpy()}
    assert set(grads) == set(expected) == set(att.params) | {"x"}
    for name, g in expected.items():
        np.testing.assert_allclose(grads[name], g, rtol=0, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("causal", [False, True])
def test_backward_equals_finite_differences(causal):
    att = MultiHeadSelfAttention(6, 2, seed=3)
    rng = np.random.default_rng(0)
    for name in ("b_q", "b_k", "b_v", "b_o"):
        att.params[name] = rng.normal(size=6)
    x = rng.normal(size=(2, 4, 6))
    d_y = rng.normal(size=(2, 4, 6))
    att.forward(x, causal=causal)
    grads = att.backward(d_y)

    def loss(_):
        return float((att.forward(x, causal=causal)[0] * d_y).sum())

    for name in list(att.params) + ["x"]:
        target = x if name == "x" else att.params[name]
        numeric = numerical_gradient(loss, target)
        if name == "b_k":  # a shift shared by every key changes no softmax: the gradient is exactly 0
            assert np.abs(grads[name]).max() < 1e-12 and np.abs(numeric).max() < 1e-8
            continue
        assert relative_error(grads[name], numeric) < 1e-7, name


def test_causal_output_ignores_the_future_and_free_output_does_not():
    att = MultiHeadSelfAttention(4, 2, seed=1)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 6, 4))
    later = x.copy()
    later[:, 3:] = rng.normal(size=(2, 3, 4))
    y1, A = att.forward(x, causal=True)
    y2, _ = att.forward(later, causal=True)
    assert np.array_equal(y1[:, :3], y2[:, :3])
    assert np.abs(y1[:, 3:] - y2[:, 3:]).max() > 1e-3
    assert np.all(A[:, :, np.triu_indices(6, 1)[0], np.triu_indices(6, 1)[1]] == 0)
    f1, _ = att.forward(x, causal=False)
    f2, _ = att.forward(later, causal=False)
    assert np.abs(f1[:, :3] - f2[:, :3]).max() > 1e-3


def test_causal_mask_is_torchs_convention():
    m = attention.causal_mask(4)
    assert m.dtype == np.bool_ and m.shape == (4, 4)
    assert np.array_equal(m, torch.triu(torch.ones(4, 4, dtype=torch.bool), 1).numpy())
    assert np.array_equal(m, torch.nn.Transformer.generate_square_subsequent_mask(4).numpy() == -np.inf)
    assert not attention.causal_mask(1).any()


def test_scaled_dot_product_attention_equals_torch_with_leading_dimensions():
    rng = np.random.default_rng(2)
    Q, K, V = rng.normal(size=(2, 3, 5, 4)), rng.normal(size=(2, 3, 7, 4)), rng.normal(size=(2, 3, 7, 6))
    out, A = attention.scaled_dot_product_attention(Q, K, V)
    expected = torch.nn.functional.scaled_dot_product_attention(*(torch.from_numpy(a) for a in (Q, K, V)))
    np.testing.assert_allclose(out, expected.numpy(), atol=1e-12)
    np.testing.assert_allclose(A.sum(-1), 1.0)
    mask = attention.causal_mask(5)[:, :5]
    Qs, Ks, Vs = Q[..., :5, :], K[..., :5, :], V[..., :5, :]
    out_c, _ = attention.scaled_dot_product_attention(Qs, Ks, Vs, mask)
    # torch's F.scaled_dot_product_attention takes the opposite boolean convention: True = may attend
    expected_c = torch.nn.functional.scaled_dot_product_attention(
        *(torch.from_numpy(a) for a in (Qs, Ks, Vs)), attn_mask=torch.from_numpy(~mask)
    )
    np.testing.assert_allclose(out_c, expected_c.numpy(), atol=1e-12)


def test_softmax_is_stable_and_sums_to_one():
    a = np.array([[1000.0, 1000.0], [-np.inf, 0.0]])
    s = attention.softmax(a)
    np.testing.assert_allclose(s, [[0.5, 0.5], [0.0, 1.0]])
    with pytest.raises(TypeError, match="a must be a numpy array"):
        attention.softmax([1.0, 2.0])


# ------------------------------------------------------------------------------------------- errors
def test_attention_errors_name_what_was_expected():
    att = MultiHeadSelfAttention(4, 2)
    with pytest.raises(ValueError, match=r"x must have shape \(\*, \*, 4\), got \(2, 3, 5\)"):
        att.forward(np.zeros((2, 3, 5)))
    with pytest.raises(TypeError, match="x must be a numpy array"):
        att.forward(torch.zeros(2, 3, 4))
    with pytest.raises(TypeError, match="causal must be True or False"):
        att.forward(np.zeros((1, 2, 4)), causal=1)
    with pytest.raises(RuntimeError, match="call forward"):
        MultiHeadSelfAttention(4, 2).backward(np.zeros((1, 2, 4)))
    att.forward(np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match=r"d_y must have shape \(1, 2, 4\), got \(1, 3, 4\)"):
        att.backward(np.zeros((1, 3, 4)))
    with pytest.raises(ValueError, match="d_model must be divisible by n_heads, got d_model=6 and n_heads=4"):
        MultiHeadSelfAttention(6, 4)
    with pytest.raises(TypeError, match="bias must be True or False"):
        MultiHeadSelfAttention(4, 2, bias="yes")


def test_from_torch_rejects_what_it_cannot_copy():
    with pytest.raises(TypeError, match="mha must be a torch.nn.MultiheadAttention"):
        MultiHeadSelfAttention.from_torch(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="batch_first=True"):
        MultiHeadSelfAttention.from_torch(torch.nn.MultiheadAttention(4, 2))
    with pytest.raises(ValueError, match="kdim = vdim = embed_dim"):
        MultiHeadSelfAttention.from_torch(torch.nn.MultiheadAttention(4, 2, batch_first=True, kdim=3))
    with pytest.raises(ValueError, match="dropout=0"):
        MultiHeadSelfAttention.from_torch(torch.nn.MultiheadAttention(4, 2, batch_first=True, dropout=0.1))


def test_scaled_dot_product_attention_errors():
    z = np.zeros((3, 2))
    with pytest.raises(ValueError, match="Q and K must have the same last dimension"):
        attention.scaled_dot_product_attention(z, np.zeros((3, 4)), z)
    with pytest.raises(ValueError, match="K and V must have the same shape up to the last dimension"):
        attention.scaled_dot_product_attention(z, z, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        attention.scaled_dot_product_attention(np.zeros(2), z, z)
    with pytest.raises(TypeError, match="mask must be a boolean numpy array"):
        attention.scaled_dot_product_attention(z, z, z, mask=np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"mask must have shape \(T_q, T_k\) = \(3, 3\), got \(2, 2\)"):
        attention.scaled_dot_product_attention(z, z, z, mask=np.zeros((2, 2), dtype=bool))
    full = np.zeros((3, 3), dtype=bool)
    full[1] = True
    with pytest.raises(ValueError, match="mask hides every key from query 1"):
        attention.scaled_dot_product_attention(z, z, z, mask=full)
    with pytest.raises(ValueError, match="T \\(sequence length\\) must be >= 1, got 0"):
        attention.causal_mask(0)


# -------------------------------------------------------------------------------------------- costs
def test_state_and_cache_sizes_match_what_the_models_store():
    from rnn_helpers.models import TinyTransformer

    for cell, module in [("gru", torch.nn.GRU), ("lstm", torch.nn.LSTM), ("rnn", torch.nn.RNN)]:
        rnn = module(3, 5, num_layers=2, batch_first=True)
        _, state = rnn(torch.randn(1, 9, 3))
        stored = sum(s.numel() for s in (state if isinstance(state, tuple) else (state,)))
        assert attention.recurrent_state_numbers(5, cell=cell, n_layers=2) == stored
    model = TinyTransformer(3, 8, 2, 3, n_layers=3, causal=True)
    _, cache = model.stream(torch.randn(2, 11, 3))
    assert sum(K.numel() + V.numel() for K, V in cache) == attention.kv_cache_numbers(11, 8, n_layers=3, batch=2)
    _, weights = model(torch.randn(1, 11, 3), return_attention=True)
    assert weights[0].numel() == attention.attention_scores_numbers(11, 2)
    assert attention.kv_cache_numbers(0, 8) == 0


def test_layer_multiply_adds_counts_table_1():
    n, d = 10, 4
    # attention: Q Kᵀ is (n, d) x (d, n), n·n·d; A V is (n, n) x (n, d), n·n·d
    assert attention.layer_multiply_adds("attention", n, d) == 2 * n * n * d
    # recurrent: per step, W_h h_{t-1} for three gates: 3·d·d
    assert attention.layer_multiply_adds("recurrent", n, d) == n * 3 * d * d
    assert attention.layer_multiply_adds("attention", d, d) * 3 == attention.layer_multiply_adds("recurrent", d, d) * 2
    with pytest.raises(ValueError, match=r"kind must be one of \['attention', 'recurrent'\]"):
        attention.layer_multiply_adds("conv", 3, 3)


def test_layer_multiply_adds_with_input_projections_match_the_modules():
    n, d = 10, 4
    gru = torch.nn.GRU(d, d)  # per step: W_ih x_t (3d x d) and W_hh h_{t-1} (3d x d), one multiply-add per weight
    per_step = gru.weight_ih_l0.numel() + gru.weight_hh_l0.numel()
    assert attention.layer_multiply_adds("recurrent", n, d, input_projections=True) == n * per_step
    qkv = torch.nn.Linear(d, 3 * d, bias=False)  # Q, K, V from x
    with_projections = attention.layer_multiply_adds("attention", n, d, input_projections=True)
    assert with_projections == 2 * n * n * d + n * qkv.weight.numel()


def test_cost_helper_errors():
    with pytest.raises(ValueError, match=r"cell must be one of \['rnn', 'gru', 'lstm'\]"):
        attention.recurrent_state_numbers(4, cell="transformer")
    with pytest.raises(ValueError, match="context must be >= 0, got -1"):
        attention.kv_cache_numbers(-1, 4)
    with pytest.raises(TypeError, match="d_model must be an integer"):
        attention.kv_cache_numbers(3, 4.0)
    with pytest.raises(ValueError, match="n_heads must be >= 1"):
        attention.attention_scores_numbers(3, 0)


def test_fit_power_law_recovers_exponents_and_rejects_bad_input():
    n = np.array([100, 200, 400, 800])
    for p, c in [(1.0, 3e-6), (2.0, 5e-9), (0.0, 1e-3)]:
        slope, coef = attention.fit_power_law(n, c * n**p)
        assert abs(slope - p) < 1e-10 and abs(coef / c - 1) < 1e-8
    with pytest.raises(ValueError, match="at least two distinct sizes"):
        attention.fit_power_law([4, 4], [1.0, 2.0])
    with pytest.raises(ValueError, match="positive and finite"):
        attention.fit_power_law([1, 2], [1.0, 0.0])
    with pytest.raises(ValueError, match="1-D of the same length"):
        attention.fit_power_law([1, 2, 3], [1.0, 2.0])


def test_fit_cost_model_is_exact_on_its_form_and_never_negative():
    n = np.array([64.0, 256.0, 1024.0, 4096.0])
    c = attention.fit_cost_model(n, 2e-4 + 3e-7 * n + 1e-9 * n**2)
    np.testing.assert_allclose(c, [2e-4, 3e-7, 1e-9], rtol=1e-6)
    # flat but noisy measurements: the best unconstrained fit would need a negative term
    flat = attention.fit_cost_model([64, 256, 1024], [140e-6, 151e-6, 148e-6])
    assert (flat >= 0).all() and abs(flat[0] / 146e-6 - 1) < 0.1
    np.testing.assert_allclose(attention.fit_cost_model([1, 2], [3.0, 3.0], degree=0), [3.0])
    with pytest.raises(ValueError, match="degree must be <= 3"):
        attention.fit_cost_model([1, 2], [1.0, 2.0], degree=4)
    with pytest.raises(ValueError, match="positive and finite"):
        attention.fit_cost_model([1, 2], [1.0, -2.0])


def test_median_seconds_runs_warmup_plus_repeats_and_checks_arguments():
    calls = []
    t = attention.median_seconds(lambda: calls.append(1), repeats=3, warmup=2)
    assert len(calls) == 5 and t >= 0.0
    assert attention.median_seconds(lambda: None, clock="wall") >= 0.0

    def busy():
        sum(range(200_000))

    assert attention.median_seconds(busy, repeats=3) > 0.0
    with pytest.raises(TypeError, match="fn must be callable"):
        attention.median_seconds(3)
    with pytest.raises(ValueError, match="repeats must be >= 1"):
        attention.median_seconds(busy, repeats=0)
    with pytest.raises(ValueError, match=r"clock must be one of \['process', 'wall'\]"):
        attention.median_seconds(busy, clock="gpu")
    with pytest.raises(ValueError, match="threads must be >= 1"):
        attention.median_seconds(busy, threads=0)


def test_median_seconds_measures_on_the_asked_threads_and_restores_the_setting():
    import torch

    before = torch.get_num_threads()
    seen = []
    attention.median_seconds(lambda: seen.append(torch.get_num_threads()), repeats=2, warmup=0)
    assert seen == [1, 1] and torch.get_num_threads() == before
    attention.median_seconds(lambda: seen.append(torch.get_num_threads()), repeats=1, warmup=0, threads=None)
    assert seen[-1] == before

    def fails():
        raise KeyError("x")

    with pytest.raises(KeyError):
        attention.median_seconds(fails)
    assert torch.get_num_threads() == before


def test_interleaved_seconds_takes_turns_keeps_the_fastest_round_and_checks_arguments(monkeypatch):
    import torch

    order = []
    calls = {"a": lambda: order.append("a"), ("b", 2): lambda: order.append("b")}
    best = attention.interleaved_seconds(calls, rounds=3, warmup=1, clock="wall")
    # one warm-up call each, then three rounds in which every call runs once, in turn
    assert order == ["a", "b"] + ["a", "b"] * 3
    assert set(best) == {"a", ("b", 2)} and all(t >= 0.0 for t in best.values())

    # the fastest round is kept: a call slowed down in every round but one is timed by that one
    clock = iter([0.0, 5.0, 5.0, 5.5, 5.5, 9.5])  # three rounds of 5, 0.5 and 4 seconds

    def fake_now():
        return next(clock)

    with monkeypatch.context() as patch:
        patch.setattr(attention.time, "process_time", fake_now)
        assert attention.interleaved_seconds({"x": lambda: None}, rounds=3, warmup=0) == {"x": 0.5}

    before = torch.get_num_threads()
    seen = []
    attention.interleaved_seconds({"t": lambda: seen.append(torch.get_num_threads())}, rounds=2, warmup=0)
    assert seen == [1, 1] and torch.get_num_threads() == before

    def fails():
        raise KeyError("x")

    with pytest.raises(KeyError):
        attention.interleaved_seconds({"f": fails})
    assert torch.get_num_threads() == before
    with pytest.raises(TypeError, match="calls must be a non-empty dict"):
        attention.interleaved_seconds([lambda: None])
    with pytest.raises(TypeError, match="calls must be a non-empty dict"):
        attention.interleaved_seconds({})
    with pytest.raises(TypeError, match=r"calls\['a'\] must be callable"):
        attention.interleaved_seconds({"a": 3})
    with pytest.raises(ValueError, match="rounds must be >= 1"):
        attention.interleaved_seconds(calls, rounds=0)
    with pytest.raises(ValueError, match=r"clock must be one of \['process', 'wall'\]"):
        attention.interleaved_seconds(calls, clock="gpu")
