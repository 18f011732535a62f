"""rnn_helpers.history: the perceptron, the Hopfield network, Jordan and Elman networks, RTRL and the timeline,
each checked against an independent computation (a plain loop, torch autograd, the scratch RNN's BPTT), plus the
error messages of every public function."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnn_helpers import history, scratch, tasks

# ------------------------------------------------------------------------------------------------ perceptron


@pytest.mark.parametrize("name", ["AND", "OR", "NAND"])
def test_perceptron_converges_on_linearly_separable_functions(name):
    X, y = history.boolean_dataset(name)
    p = history.Perceptron(2)
    fit = p.fit(X, y, epochs=50)
    assert fit.converged and fit.converged_epoch <= 10
    assert (p.predict(X) == y).all() and fit.accuracy[-1] == 1.0 and fit.mistakes[-1] == 0


def test_perceptron_never_learns_xor():
    X, y = history.boolean_dataset("XOR")
    fit = history.Perceptron(2).fit(X, y, epochs=200)
    assert not fit.converged and len(fit.mistakes) == 200
    assert max(fit.accuracy) <= 0.75  # no line separates XOR: at best 3 of the 4 points
    assert min(fit.mistakes) >= 1


def test_perceptron_update_follows_the_rule():
    p = history.Perceptron(3, lr=0.5)
    p.w, p.b = np.array([0.2, -0.4, 0.1]), -0.3
    x = np.array([1.0, 0.5, 2.0])  # w·x + b = 0.2 - 0.2 + 0.2 - 0.3 = -0.1 -> ŷ = 0
    assert p.update(x, 1) == 1
    np.testing.assert_allclose(p.w, [0.7, -0.15, 1.1])
    assert p.b == pytest.approx(0.2)
    w, b = p.w.copy(), p.b
    assert p.update(x, 1) == 0  # now right: nothing changes
    np.testing.assert_array_equal(p.w, w)
    assert p.b == b
    assert p.update(x, 0) == -1  # a false 1 subtracts
    np.testing.assert_allclose(p.w, w - 0.5 * x)


def test_perceptron_threshold_is_strict():
    p = history.Perceptron(1)
    assert p.predict(np.array([[0.0]]))[0] == 0  # w·x + b = 0 is answered 0


def test_perceptron_and_dataset_errors():
    with pytest.raises(TypeError, match="n_inputs must be an integer"):
        history.Perceptron(2.0)
    with pytest.raises(ValueError, match="lr must be > 0"):
        history.Perceptron(2, lr=0)
    p = history.Perceptron(2)
    with pytest.raises(ValueError, match=r"X must have shape \(B, 2\), got \(4, 3\)"):
        p.predict(np.zeros((4, 3)))
    with pytest.raises(TypeError, match="X must be a numpy array"):
        p.predict([[0, 1]])
    with pytest.raises(ValueError, match="y must be 0 or 1, got 2"):
        p.update(np.zeros(2), 2)
    with pytest.raises(ValueError, match="y must be 4 labels"):
        p.fit(np.zeros((4, 2)), np.array([0, 1, 2, 0]))
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        p.fit(np.zeros((4, 2)), np.zeros(4, dtype=int), epochs=0)
    with pytest.raises(ValueError, match=r"name must be one of \['AND', 'OR', 'XOR', 'NAND'\], got 'xor'"):
        history.boolean_dataset("xor")
    with pytest.raises(TypeError, match="X must hold real numbers"):
        p.predict(np.zeros((1, 2), dtype=bool))


# ------------------------------------------------------------------------------------------ Hopfield network
def test_hebbian_weights_equal_a_sum_of_outer_products():
    rng = np.random.default_rng(0)
    xi = rng.choice([-1.0, 1.0], size=(3, 7))
    W = history.hebbian_weights(xi)
    expected = sum(np.outer(p, p) for p in xi)
    np.fill_diagonal(expected, 0)
    np.testing.assert_array_equal(W, expected)
    np.testing.assert_array_equal(W, W.T)
    with pytest.raises(ValueError, match="patterns must contain only -1 and \\+1"):
        history.hebbian_weights(np.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match="patterns must have 2 dimensions, got shape \\(4,\\)"):
        history.hebbian_weights(np.ones(4))


def naive_async(W, b, s, order):
    """Hopfield's asynchronous rule, one unit at a time, written as a plain loop."""
    s = s.copy()
    for i in order:
        h = sum(W[i, j] * s[j] for j in range(len(s))) + b[i]
        if h != 0:
            s[i] = 1.0 if h > 0 else -1.0
    return s


@pytest.mark.parametrize("convention", ["spin", "hopfield1982"])
def test_async_recall_equals_a_plain_loop(convention):
    rng = np.random.default_rng(1)
    xi = rng.choice([-1.0, 1.0], size=(6, 30))
    net = history.HopfieldNetwork(xi, convention=convention)
    probes = history.corrupt(xi[:3], 0.2, seed=2)
    result = net.recall(probes, seed=5, max_sweeps=3)
    orders = np.random.default_rng(5)
    expected = probes.copy()
    for _ in range(result.sweeps):
        order = orders.permutation(30)
        expected = np.array([naive_async(net.W, net.b, s, order) for s in expected])
    np.testing.assert_array_equal(result.states, expected)


def test_hopfield1982_convention_is_zero_one_units_with_threshold_zero():
    rng = np.random.default_rng(3)
    xi = rng.choice([-1.0, 1.0], size=(12, 40))
    net = history.HopfieldNetwork(xi, convention="hopfield1982")
    V_patterns = (xi + 1) / 2
    T = sum(np.outer(2 * v - 1, 2 * v - 1) for v in V_patterns)
    np.fill_diagonal(T, 0)
    V = (history.corrupt(xi[:2], 0.1, seed=0) + 1) / 2
    result = net.recall(2 * V - 1, seed=7, max_sweeps=1)
    order = np.random.default_rng(7).permutation(40)
    for v in V:  # Hopfield: V_i -> 1 if Σ_j T_ij V_j > 0, -> 0 if < 0
        for i in order:
            field = T[i] @ v
            if field != 0:
                v[i] = 1.0 if field > 0 else 0.0
    np.testing.assert_array_equal(result.states, 2 * V - 1)


def test_stored_patterns_are_recalled_and_energy_never_rises():
    rng = np.random.default_rng(4)
    xi = rng.choice([-1.0, 1.0], size=(5, 100))  # load 0.05
    net = history.HopfieldNetwork(xi)
    probes = history.corrupt(xi, 0.2, seed=1)
    result = net.recall(probes, record_energy=True)
    np.testing.assert_array_equal(result.states, xi)
    assert result.converged.all() and not result.cycled.any()
    assert np.all(np.diff(result.energies, axis=0) <= 1e-9)
    np.testing.assert_allclose(result.energies[-1], net.energy(xi))
    assert (net.energy(xi) < net.energy(probes)).all()


def test_energy_formula():
    rng = np.random.default_rng(5)
    xi = rng.choice([-1.0, 1.0], size=(3, 6))
    net = history.HopfieldNetwork(xi, convention="hopfield1982")
    s = rng.choice([-1.0, 1.0], size=(2, 6))
    for row, e in zip(s, net.energy(s), strict=True):
        expected = -0.5 * sum(net.W[i, j] * row[i] * row[j] for i in range(6) for j in range(6)) - net.b @ row
        assert e == pytest.approx(expected)


def test_synchronous_updates_can_cycle_where_asynchronous_ones_settle():
    net = history.HopfieldNetwork(np.array([[1.0, -1.0]]))  # W = [[0, -1], [-1, 0]]
    sync = net.recall(np.array([[1.0, 1.0]]), mode="sync")
    assert sync.cycled[0] and not sync.converged[0]
    async_ = net.recall(np.array([[1.0, 1.0]]), mode="async", seed=0)
    assert async_.converged[0] and np.abs(async_.states @ net.patterns[0])[0] == 2  # ±ξ: a stored minimum


def test_sync_recall_reaches_fixed_points_at_low_load():
    rng = np.random.default_rng(6)
    xi = rng.choice([-1.0, 1.0], size=(3, 80))
    result = history.HopfieldNetwork(xi).recall(history.corrupt(xi, 0.1, seed=0), mode="sync", record_energy=True)
    np.testing.assert_array_equal(result.states, xi)
    assert result.converged.all() and result.energies.shape == (result.sweeps, 3)


def test_hopfield_errors():
    xi = np.ones((2, 4))
    with pytest.raises(ValueError, match=r"convention must be one of \['spin', 'hopfield1982'\], got 'binary'"):
        history.HopfieldNetwork(xi, convention="binary")
    net = history.HopfieldNetwork(xi)
    with pytest.raises(ValueError, match=r"probes must have shape \(B, 4\), got \(1, 5\)"):
        net.recall(np.ones((1, 5)))
    with pytest.raises(ValueError, match=r"mode must be one of \['async', 'sync'\], got 'parallel'"):
        net.recall(xi, mode="parallel")
    with pytest.raises(ValueError, match="max_sweeps must be >= 1"):
        net.recall(xi, max_sweeps=0)
    with pytest.raises(ValueError, match="states must contain only -1 and \\+1"):
        net.energy(np.zeros((1, 4)))
    with pytest.raises(ValueError, match="fraction must be <= 1.0"):
        history.corrupt(xi, 1.5)
    assert "N=4, P=2" in repr(net)


def test_corrupt_flips_exactly_the_requested_number_of_bits():
    xi = np.ones((5, 50))
    noisy = history.corrupt(xi, 0.1, seed=0)
    assert ((noisy != xi).sum(axis=1) == 5).all()
    np.testing.assert_array_equal(history.corrupt(xi, 0.1, seed=0), noisy)


def test_capacity_sweep_low_load_recalled_high_load_lost():
    result = history.capacity_sweep(100, [0.05, 0.5], trials=2, seed=0)
    assert result.n_patterns.tolist() == [5, 50]
    assert [e.shape for e in result.errors] == [(10,), (100,)]
    recalled = result.recalled(0.02)
    assert recalled[0] == 1.0 and recalled[1] < 0.1
    again = history.capacity_sweep(100, [0.05, 0.5], trials=2, seed=0)
    assert all((a == b).all() for a, b in zip(again.errors, result.errors, strict=True))


def test_capacity_sweep_with_noisy_cues_and_errors():
    result = history.capacity_sweep(100, np.array([0.05]), trials=2, noise=0.1, seed=1)
    assert result.recalled(0.0)[0] == 1.0  # 10 wrong bits in each cue, all corrected
    with pytest.raises(ValueError, match="loads must be a non-empty 1-D array of loads P/N > 0"):
        history.capacity_sweep(100, np.array([0.0, 0.1]))
    with pytest.raises(ValueError, match="noise must be <= 0.5"):
        history.capacity_sweep(100, [0.1], noise=0.7)
    with pytest.raises(ValueError, match="trials must be >= 1"):
        history.capacity_sweep(100, [0.1], trials=0)
    with pytest.raises(ValueError, match="tolerance must be <= 1.0"):
        result.recalled(2.0)


def test_crossing_load():
    loads = np.array([0.1, 0.2, 0.3])
    assert history.crossing_load(loads, np.array([1.0, 0.6, 0.2])) == pytest.approx(0.225)
    assert history.crossing_load(loads, np.array([1.0, 0.6, 0.2]), level=0.9) == pytest.approx(0.125)
    assert math.isnan(history.crossing_load(loads, np.ones(3)))
    assert history.crossing_load(loads, np.zeros(3)) == 0.1
    with pytest.raises(ValueError, match="loads and fractions must have the same shape"):
        history.crossing_load(loads, np.ones(2))


def test_hopfield_error_probability_reproduces_the_paper_and_the_simulation():
    assert history.hopfield_error_probability(10, 100) == pytest.approx(0.0091, abs=2e-4)  # PNAS 1982, p. 2556
    rng = np.random.default_rng(0)
    unstable = []
    for _ in range(200):
        xi = rng.choice([-1.0, 1.0], size=(10, 100))
        net = history.HopfieldNetwork(xi, convention="hopfield1982")
        unstable.append((np.sign(xi @ net.W + net.b) != xi).mean())
    assert 0.006 < np.mean(unstable) < 0.016  # the Gaussian estimate is close to the simulated rate
    with pytest.raises(ValueError, match="n_patterns must be >= 2"):
        history.hopfield_error_probability(1, 100)


# ------------------------------------------------------------------------ Jordan and Elman simple recurrent nets
def torch_srn_forward(net, x, targets=None):
    """The same recurrence written with torch ops, as an independent check of forward."""
    p = {k: torch.tensor(v) for k, v in net.params.items()}
    x = torch.tensor(x)
    B, T, _ = x.shape
    c = torch.full((B, net.context_size), float(net.context_start), dtype=torch.float64)
    ys = []
    for t in range(T):
        h = torch.sigmoid(x[:, t] @ p["W_xh"].T + c @ p["W_ch"].T + p["b_h"])
        y = torch.sigmoid(h @ p["W_hy"].T + p["b_y"])
        ys.append(y)
        if isinstance(net, history.ElmanNetwork):
            c = h
        else:
            c = net.mu * c + (y if targets is None else torch.tensor(targets[:, t]))
    return torch.stack(ys, 1).numpy()


@pytest.mark.parametrize("cls", [history.ElmanNetwork, history.JordanNetwork])
def test_srn_forward_equals_torch(cls):
    rng = np.random.default_rng(0)
    net = cls(3, 4, 2, seed=1)
    x = rng.normal(size=(2, 6, 3))
    y, h = net.forward(x)
    assert y.shape == (2, 6, 2) and h.shape == (2, 6, 4)
    np.testing.assert_allclose(y, torch_srn_forward(net, x), atol=1e-12)
    targets = rng.random((2, 6, 2))
    np.testing.assert_allclose(net.forward(x, targets=targets)[0], torch_srn_forward(net, x, targets), atol=1e-12)


@pytest.mark.parametrize("cls", [history.ElmanNetwork, history.JordanNetwork])
def test_step_gradients_equal_autograd_with_the_context_held_fixed(cls):
    rng = np.random.default_rng(2)
    net = cls(2, 3, 2, seed=0)
    x_t, c_t, target = rng.normal(size=2), rng.random(net.context_size), rng.random(2)
    grads = net.step_gradients(x_t, c_t, target)
    p = {k: torch.tensor(v, requires_grad=True) for k, v in net.params.items()}
    h = torch.sigmoid(p["W_xh"] @ torch.tensor(x_t) + p["W_ch"] @ torch.tensor(c_t) + p["b_h"])
    y = torch.sigmoid(p["W_hy"] @ h + p["b_y"])
    (0.5 * ((y - torch.tensor(target)) ** 2).sum()).backward()
    for name, value in p.items():
        np.testing.assert_allclose(grads[name], value.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("cls", [history.ElmanNetwork, history.JordanNetwork])
def test_train_is_online_sgd_with_copy_back_context(cls):
    rng = np.random.default_rng(3)
    x, y = rng.random((5, 2)), rng.random((5, 1))
    net, reference = cls(2, 3, 1, seed=4), cls(2, 3, 1, seed=4)
    history_ = net.train(x, y, passes=2, lr=0.3)
    losses = []
    for _ in range(2):  # the same procedure, step by step, with numpy and step_gradients
        c, total = np.full(reference.context_size, reference.context_start), 0.0
        for t in range(5):
            p = reference.params
            h = 1 / (1 + np.exp(-(p["W_xh"] @ x[t] + p["W_ch"] @ c + p["b_h"])))
            out = 1 / (1 + np.exp(-(p["W_hy"] @ h + p["b_y"])))
            total += 0.5 * ((out - y[t]) ** 2).sum()
            grads = reference.step_gradients(x[t], c, y[t])
            reference.params = {k: v - 0.3 * grads[k] for k, v in p.items()}
            c = h if cls is history.ElmanNetwork else reference.mu * c + y[t]  # Jordan: teacher forcing
        losses.append(total / 5)
    for name in net.params:
        np.testing.assert_allclose(net.params[name], reference.params[name], atol=1e-12)
    np.testing.assert_allclose(history_, losses, atol=1e-12)


def test_elman_network_learns_the_temporal_xor_sawtooth():
    x, y = tasks.temporal_xor(1, 3000, seed=0)
    net = history.ElmanNetwork(1, 2, 1, seed=4)
    losses = net.train(x[0], y[0], passes=20, lr=0.5)
    assert losses[-1] < losses[0]
    xt, yt = tasks.temporal_xor(1, 1200, seed=99)
    out, _ = net.forward(xt)
    err = history.error_by_phase(out, yt)
    assert err[1] < min(err[0], err[2]) - 0.1  # only t % 3 == 1 can be predicted
    predictable = ((out[0, 1::3, 0] > 0.5) == (yt[0, 1::3, 0].numpy() > 0.5)).mean()
    assert predictable > 0.8


def test_srn_errors():
    with pytest.raises(ValueError, match="mu must be < 1.0"):
        history.JordanNetwork(1, 2, 1, mu=1.0)
    with pytest.raises(ValueError, match="n_hidden must be >= 1"):
        history.ElmanNetwork(1, 0, 1)
    net = history.ElmanNetwork(1, 2, 1)
    with pytest.raises(ValueError, match=r"x must have shape \(B, T, 1\) with B, T >= 1, got \(4, 1\)"):
        net.forward(np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"x must have shape \(T, 1\) with B, T >= 1, got \(1, 4, 1\)"):
        net.train(np.zeros((1, 4, 1)), np.zeros((4, 1)), passes=1, lr=0.1)
    with pytest.raises(ValueError, match=r"y must have shape \(4, 1\), got \(3, 1\)"):
        net.train(np.zeros((4, 1)), np.zeros((3, 1)), passes=1, lr=0.1)
    with pytest.raises(ValueError, match="passes must be >= 1"):
        net.train(np.zeros((4, 1)), np.zeros((4, 1)), passes=0, lr=0.1)
    with pytest.raises(ValueError, match="lr must be > 0"):
        net.train(np.zeros((4, 1)), np.zeros((4, 1)), passes=1, lr=0.0)
    with pytest.raises(ValueError, match=r"targets must have shape \(1, 4, 1\), got \(1, 3, 1\)"):
        net.forward(np.zeros((1, 4, 1)), targets=np.zeros((1, 3, 1)))
    assert "ElmanNetwork(n_inputs=1, n_hidden=2, n_outputs=1)" == repr(net)


def test_error_by_phase():
    out = np.array([[0.0, 1.0, 0.5, 0.0, 0.0, 0.5]])
    target = np.zeros((1, 6))
    np.testing.assert_allclose(history.error_by_phase(out, target), [0.0, math.sqrt(0.5), 0.5])
    np.testing.assert_allclose(history.error_by_phase(out[0], target[0], period=2),
                               [math.sqrt(0.25 / 3), math.sqrt(1.25 / 3)])
    with pytest.raises(ValueError, match="outputs and targets must have the same shape"):
        history.error_by_phase(np.zeros(4), np.zeros(5))
    with pytest.raises(ValueError, match="need at least period = 3 time steps, got 2"):
        history.error_by_phase(np.zeros(2), np.zeros(2))


# -------------------------------------------------------------------------------- learning through time: RTRL
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("bias", [True, False])
def test_rtrl_equals_bptt_and_torch(nonlinearity, bias):
    rng = np.random.default_rng(0)
    layer = scratch.RNN(3, 4, nonlinearity=nonlinearity, bias=bias, seed=2)
    x, d_out, h0 = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 6, 4)), rng.normal(size=(2, 4))
    rtrl = history.rtrl_gradients(layer, x, d_out, h0)
    layer.forward(x, h0)
    bptt = layer.backward(d_out)
    assert sorted(rtrl) == sorted(k for k in bptt if k not in ("x", "h0"))
    for name in rtrl:
        np.testing.assert_allclose(rtrl[name], bptt[name], atol=1e-10)
    module = layer.to_torch()
    out, _ = module(torch.tensor(x), torch.tensor(h0)[None])
    (out * torch.tensor(d_out)).sum().backward()
    for name in rtrl:
        np.testing.assert_allclose(rtrl[name], getattr(module, name).grad.numpy(), atol=1e-10)


def test_rtrl_sensitivities_and_costs():
    layer = scratch.RNN(2, 5, seed=0)
    x, d_out = np.ones((1, 7, 2)), np.ones((1, 7, 5))
    _, sens = history.rtrl_gradients(layer, x, d_out, return_sensitivities=True)
    costs = history.learning_costs(5, 2, 7)
    assert sum(s.size for s in sens.values()) == costs["rtrl_memory"] == 5 * costs["n_params"]
    torch_params = sum(p.numel() for p in torch.nn.RNN(2, 5).parameters())
    assert costs["n_params"] == torch_params - 5  # torch keeps two biases; they act as one
    assert costs["bptt_memory"] == 7 * 5
    small, large = history.learning_costs(8, 1, 10), history.learning_costs(16, 1, 10)
    assert 14 < large["rtrl_madds_per_step"] / small["rtrl_madds_per_step"] < 17  # ~H⁴: doubling H, ×16
    assert 3.5 < large["bptt_madds_per_step"] / small["bptt_madds_per_step"] < 4.1  # ~H²: ×4


def test_rtrl_errors():
    layer = scratch.RNN(2, 3)
    with pytest.raises(TypeError, match="layer must be a rnn_helpers.scratch.RNN, got LSTM"):
        history.rtrl_gradients(scratch.LSTM(2, 3), np.ones((1, 2, 2)), np.ones((1, 2, 3)))
    with pytest.raises(ValueError, match="reverse=False"):
        history.rtrl_gradients(scratch.RNN(2, 3, reverse=True), np.ones((1, 2, 2)), np.ones((1, 2, 3)))
    with pytest.raises(ValueError, match=r"x must have shape \(B, T, 2\) with B, T >= 1, got \(1, 2, 3\)"):
        history.rtrl_gradients(layer, np.ones((1, 2, 3)), np.ones((1, 2, 3)))
    with pytest.raises(ValueError, match=r"d_out must have shape \(1, 2, 3\)"):
        history.rtrl_gradients(layer, np.ones((1, 2, 2)), np.ones((1, 3, 3)))
    with pytest.raises(ValueError, match=r"state must have shape \(1, 3\), got \(2, 3\)"):
        history.rtrl_gradients(layer, np.ones((1, 2, 2)), np.ones((1, 2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="hidden_size must be >= 1"):
        history.learning_costs(0, 1, 1)


# ------------------------------------------------------------------------------------------------ timeline
def test_milestones_are_ordered_and_cover_every_era():
    years = [m.year for m in history.MILESTONES]
    assert years == sorted(years)
    assert {m.era for m in history.MILESTONES} == set(history.ERAS)
    names = {m.name for m in history.MILESTONES}
    assert {"Perceptron", "Hopfield network", "RTRL", "Elman network", "LSTM", "Forget gate"} <= names
    lstm = next(m for m in history.MILESTONES if m.name == "LSTM")
    forget = next(m for m in history.MILESTONES if m.name == "Forget gate")
    assert lstm.year == 1997 and forget.year == 1999 and "Gers" in forget.citation
    rtrl = next(m for m in history.MILESTONES if m.name == "RTRL")
    assert "Williams" in rtrl.citation and "Zipser" in rtrl.citation and rtrl.year == 1989
    assert set(history.ERA_ELSEWHERE) <= set(history.ERAS)


def test_era_result_validation():
    ok = history.EraResult("hopfield", "t", "s", {"a": ([1, 2], [3, 4])}, "x", "y")
    assert ok.reference is None
    with pytest.raises(ValueError, match="era must be one of"):
        history.EraResult("1990s", "t", "s", {"a": ([1], [2])}, "x", "y")
    with pytest.raises(TypeError, match="series must be a non-empty dict"):
        history.EraResult("hopfield", "t", "s", {}, "x", "y")
    with pytest.raises(ValueError, match=r"series\['a'\] must be \(x, y\)"):
        history.EraResult("hopfield", "t", "s", {"a": ([1, 2], [3])}, "x", "y")


def test_the_timeline_has_no_gap_between_the_forget_gate_and_the_gru():
    """1999 to 2014 held CTC, RNN language models, clipping; 2014-2016 seq2seq, the IRNN and unitary RNNs."""
    by_name = {m.name: m for m in history.MILESTONES}
    expected = {"CTC": (2006, "Graves"), "RNN language model": (2010, "Mikolov"),
                "Gradient clipping": (2013, "Pascanu"), "Sequence to sequence": (2014, "Sutskever"),
                "IRNN": (2015, "Le"), "Unitary RNN": (2016, "Arjovsky")}
    for name, (year, author) in expected.items():
        assert by_name[name].year == year and author in by_name[name].citation, name
    years = sorted(m.year for m in history.MILESTONES if m.year >= 1982)
    gaps = [b - a for a, b in zip(years[:-1], years[1:], strict=True)]
    assert max(gaps) <= 7, "since 1982, no gap longer than seven years"
