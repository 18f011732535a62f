"""rnn_helpers.gradients (chapter 04): every Jacobian product equals torch's autograd, the bound (γ λ1)^t
holds, clipping equals torch's clip_grad_norm_, and bad input gets a clear error."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.autograd.functional import jacobian

from rnn_helpers import gradients as G
from rnn_helpers import scratch

TORCH_PHI = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "identity": lambda a: a}


def torch_states(x, W_ih, W_hh, b, h0, nonlinearity):
    """An independent torch loop: h_t = φ(W_ih x_t + b + W_hh h_{t-1}); returns (T, H)."""
    h, out = h0, []
    for x_t in x:
        h = TORCH_PHI[nonlinearity](W_ih @ x_t + b + W_hh @ h)
        out.append(h)
    return torch.stack(out)


def random_rnn(T=6, H=4, I=2, seed=0, scale=1.2):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((T, I)), rng.standard_normal((H, I)),
            G.matrix_with_spectral_norm(H, scale, kind="gaussian", seed=seed), rng.standard_normal(H) * 0.3,
            rng.standard_normal(H) * 0.5)


@pytest.mark.parametrize("nonlinearity", G.NONLINEARITIES)
def test_activate_and_derivative_match_torch(nonlinearity):
    a = torch.linspace(-4, 4, 41, dtype=torch.float64, requires_grad=True)
    h = TORCH_PHI[nonlinearity](a)
    (d,) = torch.autograd.grad(h.sum(), a)
    np.testing.assert_allclose(G.activate(a.detach().numpy(), nonlinearity), h.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(G.derivative(h.detach().numpy(), nonlinearity), d.numpy(), rtol=1e-12, atol=1e-15)
    assert G.GAMMA[nonlinearity] == pytest.approx(float(d.abs().max()), rel=1e-12)  # max |φ'| on a grid with 0


@pytest.mark.parametrize("nonlinearity", G.NONLINEARITIES)
def test_run_rnn_matches_an_independent_torch_loop(nonlinearity):
    x, W_ih, W_hh, b, h0 = random_rnn(T=5, H=3)
    got = G.run_rnn(x, W_ih, W_hh, b=b, h0=h0, nonlinearity=nonlinearity)
    t = [torch.tensor(v) for v in (x, W_ih, W_hh, b, h0)]
    np.testing.assert_allclose(got, torch_states(*t, nonlinearity).numpy(), rtol=1e-13, atol=1e-14)
    assert got.shape == (5, 3)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_run_rnn_equals_scratch_and_torch_rnn(nonlinearity):
    torch.manual_seed(0)
    module = torch.nn.RNN(2, 5, batch_first=True, nonlinearity=nonlinearity, dtype=torch.float64)
    layer = scratch.RNN.from_torch(module)
    p = layer.params
    x = np.random.default_rng(1).standard_normal((7, 2))
    h0 = np.random.default_rng(2).standard_normal(5)
    got = G.run_rnn(x, p["weight_ih_l0"], p["weight_hh_l0"], b=p["bias_ih_l0"] + p["bias_hh_l0"], h0=h0,
                    nonlinearity=nonlinearity)
    out, _ = layer.forward(x[None], h0[None])
    np.testing.assert_allclose(got, out[0], rtol=1e-13, atol=1e-14)
    ref, _ = module(torch.tensor(x[None]), torch.tensor(h0[None, None]))
    np.testing.assert_allclose(got, ref[0].detach().numpy(), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("nonlinearity", G.NONLINEARITIES)
@pytest.mark.parametrize(("T", "H"), [(1, 3), (6, 4), (9, 1)])
def test_jacobian_product_equals_autograd(nonlinearity, T, H):
    x, W_ih, W_hh, b, h0 = random_rnn(T=T, H=H, seed=T + H)
    states = G.run_rnn(x, W_ih, W_hh, b=b, h0=h0, nonlinearity=nonlinearity)
    t = [torch.tensor(v) for v in (x, W_ih, W_hh, b)]
    J = jacobian(lambda h: torch_states(*t, h, nonlinearity)[-1], torch.tensor(h0)).numpy()  # (H, H)
    np.testing.assert_allclose(G.jacobian_product(states, W_hh, nonlinearity), J, rtol=1e-10, atol=1e-13)
    # every prefix: the norms of ∂h_t/∂h_0
    prefix = [np.linalg.norm(jacobian(lambda h, k=k: torch_states(*t, h, nonlinearity)[k], torch.tensor(h0)).numpy(), 2)
              for k in range(T)]
    np.testing.assert_allclose(G.jacobian_norms(states, W_hh, nonlinearity), prefix, rtol=1e-9, atol=1e-13)


def test_step_jacobians_are_one_step_of_autograd():
    x, W_ih, W_hh, b, h0 = random_rnn(T=3, H=4)
    states = G.run_rnn(x, W_ih, W_hh, b=b, h0=h0)
    J = G.step_jacobians(states, W_hh)
    assert J.shape == (3, 4, 4)
    t = [torch.tensor(v) for v in (x, W_ih, W_hh, b)]
    for k in range(1, 3):  # J_{k+1} = ∂h_{k+1}/∂h_k, from h_k = states[k-1]
        ref = jacobian(lambda h, k=k: torch.tanh(t[1] @ t[0][k] + t[3] + t[2] @ h), torch.tensor(states[k - 1]))
        np.testing.assert_allclose(J[k], ref.numpy(), rtol=1e-12, atol=1e-14)


def test_matrix_with_spectral_norm():
    Q = G.matrix_with_spectral_norm(6, 1.3, seed=3)
    np.testing.assert_allclose(np.linalg.svd(Q, compute_uv=False), 1.3, rtol=1e-12)  # all singular values
    W = G.matrix_with_spectral_norm(20, 1.5, kind="gaussian", seed=3)
    s = np.linalg.svd(W, compute_uv=False)
    assert s[0] == pytest.approx(1.5, rel=1e-12) and s[-1] < 0.5
    assert max(abs(np.linalg.eigvals(W))) < 1.5  # the spectral radius is below λ1
    np.testing.assert_array_equal(Q, G.matrix_with_spectral_norm(6, 1.3, seed=3))  # seeded
    assert not np.allclose(Q, G.matrix_with_spectral_norm(6, 1.3, seed=4))


@pytest.mark.parametrize("nonlinearity", G.NONLINEARITIES)
@pytest.mark.parametrize("spectral_norm", [0.5, 0.9, 1.5, 4.0])
def test_gradient_flow_never_exceeds_the_bound(nonlinearity, spectral_norm):
    for kind in ("orthogonal", "gaussian"):
        flow = G.gradient_flow(spectral_norm, nonlinearity, 40, H=8, kind=kind, seed=1)
        assert flow.norms.shape == flow.bound.shape == (40,) and flow.states.shape == (40, 8)
        assert np.all(flow.norms <= flow.bound * (1 + 1e-10))
        assert flow.gamma == G.GAMMA[nonlinearity] and flow.spectral_norm == spectral_norm


def test_gradient_flow_identity_orthogonal_is_exactly_lambda_to_the_t():
    flow = G.gradient_flow(1.5, "identity", 50, H=10, seed=2)
    np.testing.assert_allclose(flow.norms, 1.5 ** np.arange(1, 51), rtol=1e-9)
    again = G.gradient_flow(1.5, "identity", 50, H=10, seed=2)
    np.testing.assert_array_equal(flow.states, again.states)


def test_gradient_flow_tanh_above_threshold_can_go_either_way():
    """λ1 > 1/γ is necessary, not sufficient: the same W_hh explodes with weak inputs, vanishes with strong."""
    weak = G.gradient_flow(1.5, "tanh", 100, H=16, input_scale=0.1, seed=0)
    strong = G.gradient_flow(1.5, "tanh", 100, H=16, input_scale=3.0, seed=0)
    assert weak.norms[-1] > 1e3 and strong.norms[-1] < 1e-3


def test_clip_by_norm_equals_torch():
    rng = np.random.default_rng(0)
    for scale, max_norm in ((5.0, 1.0), (0.01, 1.0), (1.0, 0.3)):
        grads = [rng.normal(0, scale, (3, 4)), rng.normal(0, scale, 5)]
        before = [g.copy() for g in grads]
        tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
        for t, g in zip(tensors, grads, strict=True):
            t.grad = torch.tensor(g)
        total = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
        clipped, norm = G.clip_by_norm(grads, max_norm)
        assert isinstance(clipped, list) and norm == pytest.approx(float(total), rel=1e-12)
        for c, t in zip(clipped, tensors, strict=True):  # torch divides by ‖g‖ + 1e-6, we by ‖g‖
            np.testing.assert_allclose(c, t.grad.numpy(), rtol=2e-6 / max_norm)
        for g, b in zip(grads, before, strict=True):
            np.testing.assert_array_equal(g, b)  # the input is not changed
    single, norm = G.clip_by_norm(np.array([3.0, 4.0]), 1.0)
    np.testing.assert_allclose(single, [0.6, 0.8]) and norm == 5.0
    as_tuple, _ = G.clip_by_norm((np.ones(2), np.ones(2)), 10.0)
    assert isinstance(as_tuple, tuple)


def test_one_unit_rnn_derivatives_equal_autograd():
    for nonlinearity in G.NONLINEARITIES:
        for w, b in ((1.7, -0.4), (6.0, -2.9), (0.9, 0.2)):
            wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
            bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
            h = torch.tensor(0.3, dtype=torch.float64)
            for _ in range(12):
                h = TORCH_PHI[nonlinearity](wt * h + bt)
            dw, db = torch.autograd.grad(h, (wt, bt))
            got = G.one_unit_rnn(w, b, T=12, h0=0.3, nonlinearity=nonlinearity)
            np.testing.assert_allclose(got, [h.item(), dw.item(), db.item()], rtol=1e-10, atol=1e-14)


def test_one_unit_rnn_on_a_grid_and_at_the_wall():
    w, b = np.meshgrid(np.linspace(0, 8, 5), np.linspace(-4, 1, 3))
    h, dw, db = G.one_unit_rnn(w, b, T=20, h0=0.5)
    assert h.shape == dw.shape == db.shape == (3, 5)
    k = (1, 2)
    np.testing.assert_allclose([h[k], dw[k], db[k]], G.one_unit_rnn(w[k], b[k], T=20, h0=0.5), rtol=1e-14)
    # on the wall b = -w/2 the state stays at 1/2 and dh_T/db = (1/4) Σ_{k<T} (w/4)^k exactly
    for w0, T in ((6.0, 50), (3.0, 50)):
        _, _, slope = G.one_unit_rnn(w0, -w0 / 2, T=T, h0=0.5)
        assert slope == pytest.approx(0.25 * ((w0 / 4) ** T - 1) / (w0 / 4 - 1), rel=1e-10)


def test_one_unit_rnn_overflows_to_inf_not_an_exception():
    with np.errstate(over="ignore", invalid="ignore"):
        h, dw, _ = G.one_unit_rnn(1e3, 0.0, T=200, h0=1.0, nonlinearity="identity")
    assert not np.isfinite(h) and not np.isfinite(dw)


# ------------------------------------------------------------------------------------------- errors
def test_errors_name_what_was_expected():
    x, W_ih, W_hh, b, h0 = random_rnn(T=4, H=3)
    with pytest.raises(ValueError, match=r"nonlinearity must be one of \['tanh', 'sigmoid', 'relu', 'identity'\]"):
        G.run_rnn(x, W_ih, W_hh, nonlinearity="softplus")
    with pytest.raises(ValueError, match=r"W_hh must have shape \(3, 3\), got \(3, 4\)"):
        G.run_rnn(x, W_ih, np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"x \(one sequence \(T, I\), no batch axis\) must have shape \(\*, 2\), got"):
        G.run_rnn(np.zeros((4, 3)), W_ih, W_hh)
    with pytest.raises(ValueError, match=r"no batch axis\) must have shape \(\*, 2\), got \(1, 4, 2\)"):
        G.run_rnn(x[None], W_ih, W_hh)
    with pytest.raises(TypeError, match=r"x .*must be a numpy array, got Tensor.*: pass x.detach\(\).numpy\(\)"):
        G.run_rnn(torch.tensor(x), W_ih, W_hh)
    with pytest.raises(ValueError, match=r"h0 must have shape \(3\), got \(1, 3\)"):
        G.run_rnn(x, W_ih, W_hh, h0=h0[None])
    with pytest.raises(ValueError, match=r"h \(the states h_1 … h_T of one sequence\) must have shape \(\*, 3\)"):
        G.jacobian_product(np.zeros((4, 5)), W_hh)
    with pytest.raises(ValueError, match=r"h must hold at least one time step"):
        G.jacobian_norms(np.zeros((0, 3)), W_hh)
    with pytest.raises(TypeError, match=r"must hold real numbers"):
        G.step_jacobians(np.array([["a", "b", "c"]]), W_hh)
    with pytest.raises(ValueError, match=r"spectral_norm must be >= 0.0, got -1.0"):
        G.matrix_with_spectral_norm(3, -1.0)
    with pytest.raises(ValueError, match=r"kind must be one of \['orthogonal', 'gaussian'\], got 'uniform'"):
        G.matrix_with_spectral_norm(3, 1.0, kind="uniform")
    with pytest.raises(TypeError, match=r"H must be an integer, got float 3.0"):
        G.matrix_with_spectral_norm(3.0, 1.0)
    with pytest.raises(ValueError, match=r"max_norm must be > 0.0, got 0.0"):
        G.clip_by_norm([np.ones(2)], 0.0)
    with pytest.raises(TypeError, match=r"grads must be a numpy array or a non-empty list of numpy arrays"):
        G.clip_by_norm([], 1.0)
    with pytest.raises(TypeError, match=r"grads\[1\] must be a numpy array, got list"):
        G.clip_by_norm([np.ones(2), [1.0, 2.0]], 1.0)
    with pytest.raises(ValueError, match=r"T must be >= 1, got 0"):
        G.one_unit_rnn(1.0, 0.0, T=0, h0=0.5)
    with pytest.raises(TypeError, match=r"w must be a number or a numpy array, got str"):
        G.one_unit_rnn("1", 0.0, T=3, h0=0.5)
    with pytest.raises(ValueError, match=r"input_scale must be >= 0.0, got -0.5"):
        G.gradient_flow(1.0, "tanh", 10, input_scale=-0.5)
    with pytest.raises(ValueError, match=r"nonlinearity must be one of"):
        G.derivative(np.zeros(2), "elu")
    assert math.isfinite(G.gradient_flow(1.0, "relu", 5).norms[0])


# Pascanu, Mikolov & Bengio (2013), eqs. (3)-(5): temporal contributions ---------------------------------------


def contribution_case(nonlinearity="tanh", B=3, T=6, I=2, H=4, bias=True, seed=0):
    rng = np.random.default_rng(seed)
    rnn = scratch.RNN(I, H, nonlinearity=nonlinearity, bias=bias, seed=seed)
    return rnn, rng.standard_normal((B, T, I)), rng.standard_normal((B, T, H)), 0.3 * rng.standard_normal((B, H))


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("shape", [(3, 6, 2, 4), (1, 1, 1, 1), (2, 9, 3, 5)])
def test_temporal_contributions_sum_to_bptt_and_autograd(nonlinearity, shape):
    B, T, I, H = shape
    rnn, x, g, h0 = contribution_case(nonlinearity, B, T, I, H)
    tc = G.temporal_contributions(rnn, x, g, h0=h0)
    total = tc.total()
    # scratch's BPTT with the same dE_t/dh_t
    rnn.forward(x, h0)
    bptt = rnn.backward(g)
    # torch autograd: E = Σ_t Σ_b <g_t, h_t>, whose ∂E_t/∂h_t is g_t
    module = rnn.to_torch()
    out, _ = module(torch.from_numpy(x), torch.from_numpy(h0)[None])
    (out * torch.from_numpy(g)).sum().backward()
    for name, p in module.named_parameters():
        np.testing.assert_allclose(total[name], bptt[name], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(total[name], p.grad.numpy(), rtol=1e-10, atol=1e-12)
        assert tc.terms[name].shape == (T, T, *p.shape)
        np.testing.assert_allclose(tc.by_lag(name).sum(axis=0), total[name], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tc.states, out.detach().numpy(), rtol=1e-12)


def test_temporal_contributions_each_term_is_pascanus_product():
    """Term (t, k) = (∂E_t/∂h_t)(∂h_t/∂h_k)(∂⁺h_k/∂θ), built here from jacobian_product on one sequence."""
    rnn, x, g, h0 = contribution_case(B=1, T=7)
    tc = G.temporal_contributions(rnn, x, g, h0=h0)
    W_hh = rnn.params["weight_hh_l0"]
    h = tc.states[0]
    h_prev = np.vstack([h0, h[:-1]])
    for t in range(7):
        for k in range(7):
            term = tc.terms["weight_hh_l0"][t, k]
            if k > t:
                assert not term.any(), "a loss cannot reach a later step"
                continue
            # ∂h_t/∂h_k = J_t ⋯ J_{k+1}: the Jacobian product over the states h_{k+1} … h_t
            P = G.jacobian_product(h[k + 1:t + 1], W_hh) if t > k else np.eye(4)
            delta = P.T @ g[0, t]  # (∂h_t/∂h_k)ᵀ ∂E_t/∂h_t
            # ∂⁺h_k/∂W_hh: h_k = tanh(a_k) with a_k = … + W_hh h_{k-1}, h_{k-1} held constant
            expected = np.outer(delta * (1 - h[k] ** 2), h_prev[k])
            np.testing.assert_allclose(term, expected, rtol=1e-10, atol=1e-14)


def test_temporal_contributions_bound_eq7():
    """Pascanu's eq. (7) for tanh: ‖(∂E_t/∂h_t)(∂h_t/∂h_k)‖ ≤ λ1^(t-k) ‖∂E_t/∂h_t‖, so the W_hh term of (t, k)
    is at most λ1^(t-k) ‖∂E_t/∂h_t‖ ‖h_{k-1}‖ (one sequence)."""
    rnn, x, g, h0 = contribution_case(B=1, T=12, H=5, seed=3)
    lam = 0.8
    rnn.params["weight_hh_l0"] = G.matrix_with_spectral_norm(5, lam, kind="gaussian", seed=3)
    tc = G.temporal_contributions(rnn, x, g, h0=h0)
    h_prev = np.vstack([h0, tc.states[0, :-1]])
    worst = 0.0
    for t in range(12):
        for k in range(t + 1):
            bound = lam ** (t - k) * np.linalg.norm(g[0, t]) * np.linalg.norm(h_prev[k])
            worst = max(worst, np.linalg.norm(tc.terms["weight_hh_l0"][t, k]) / bound)
    assert 0.01 < worst <= 1 + 1e-12


def test_temporal_contributions_lags_and_losses_at_some_steps():
    rnn, x, g, h0 = contribution_case(B=2, T=5)
    g[:, :4] = 0.0  # a loss at the last step only (the adding problem's case)
    tc = G.temporal_contributions(rnn, x, g, h0=h0)
    assert tc.has_loss.tolist() == [False, False, False, False, True]
    assert not tc.terms["weight_ih_l0"][:4].any()
    norms = tc.lag_norms("weight_ih_l0")
    by_lag = tc.by_lag("weight_ih_l0")
    for d in range(5):  # one pair (t = 5, k = 5 - d) per lag
        np.testing.assert_allclose(norms[d], np.linalg.norm(tc.terms["weight_ih_l0"][4, 4 - d]), rtol=1e-12)
        np.testing.assert_allclose(by_lag[d], tc.terms["weight_ih_l0"][4, 4 - d], rtol=1e-12)
    # a loss at the first step only: lags beyond 0 are reached by no loss
    rnn, x, g, h0 = contribution_case(B=2, T=4)
    g[:, 1:] = 0.0
    norms = G.temporal_contributions(rnn, x, g).lag_norms("bias_hh_l0")
    assert norms[0] > 0 and np.isnan(norms[1:]).all()


def test_temporal_contributions_mean_over_pairs_and_no_bias():
    rnn, x, g, _ = contribution_case(B=1, T=4, bias=False)
    tc = G.temporal_contributions(rnn, x, g)
    assert sorted(tc.terms) == ["weight_hh_l0", "weight_ih_l0"]
    terms = tc.terms["weight_ih_l0"]
    expected = np.mean([np.linalg.norm(terms[k + 1, k]) for k in range(3)])
    np.testing.assert_allclose(tc.lag_norms("weight_ih_l0")[1], expected, rtol=1e-12)


def test_temporal_contributions_errors():
    rnn, x, g, h0 = contribution_case()
    with pytest.raises(TypeError, match="rnn must be a scratch.RNN"):
        G.temporal_contributions(scratch.GRU(2, 4), x, g)
    with pytest.raises(ValueError, match="rnn must process time forwards"):
        G.temporal_contributions(scratch.RNN(2, 4, reverse=True), x, g)
    with pytest.raises(ValueError, match="dE_dh"):
        G.temporal_contributions(rnn, x, g[:, :-1])
    with pytest.raises(TypeError, match="dE_dh"):
        G.temporal_contributions(rnn, x, torch.from_numpy(g))
    tc = G.temporal_contributions(rnn, x, g, h0=h0)
    with pytest.raises(ValueError, match="name"):
        tc.lag_norms("W_hh")
    with pytest.raises(ValueError, match="name"):
        tc.by_lag("weight_hh")
