"""rnn_helpers.scratch against PyTorch: every output, state and gradient, in float64, to 1e-10.

The reference is always torch (forward + autograd) with the same weights, never numbers typed in here.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_helpers import scratch

TOL = {"rtol": 1e-10, "atol": 1e-10}

# kind -> (scratch layer, torch layer, torch cell, constructor options)
KINDS = {
    "rnn_tanh": (scratch.RNN, torch.nn.RNN, torch.nn.RNNCell, {"nonlinearity": "tanh"}),
    "rnn_relu": (scratch.RNN, torch.nn.RNN, torch.nn.RNNCell, {"nonlinearity": "relu"}),
    "lstm": (scratch.LSTM, torch.nn.LSTM, torch.nn.LSTMCell, {}),
    "gru": (scratch.GRU, torch.nn.GRU, torch.nn.GRUCell, {}),
}
# (B, T, I, H): batch 1, time 1 and hidden 1 each appear
SHAPES = [(1, 1, 1, 1), (2, 5, 3, 4), (3, 1, 2, 1), (1, 6, 1, 3), (4, 3, 5, 2)]


# ----------------------------------------------------------------------------------------------------------
# helpers: build torch modules, run torch's forward + autograd, lay states out both ways
# ----------------------------------------------------------------------------------------------------------


def is_lstm(kind: str) -> bool:
    return kind == "lstm"


def torch_module(kind: str, I: int, H: int, seed: int = 0, **kwargs):
    """A float64, batch_first torch layer with torch's own random init."""
    _, torch_cls, _, options = KINDS[kind]
    torch.manual_seed(seed)
    return torch_cls(I, H, batch_first=True, dtype=torch.float64, **options, **kwargs)


def torch_state(kind: str, n: int, B: int, H: int, rng):
    """A random state in torch's layout: (n, B, H), or a tuple of two for the LSTM (n = layers·directions)."""
    parts = tuple(rng.standard_normal((n, B, H)) for _ in range(2 if is_lstm(kind) else 1))
    return parts if is_lstm(kind) else parts[0]


def parts(state) -> tuple:
    return state if isinstance(state, tuple) else (state,)


def pick(state, k: int):
    """Entry k of a torch-layout state as a scratch state: (B, H), or (h, c) for the LSTM."""
    if isinstance(state, tuple):
        return tuple(p[k] for p in state)
    return state[k]


def torch_reference(module, x, state, d_out, d_state):
    """torch's out, final state and gradients of L = Σ out ⊙ d_out + Σ state_n ⊙ d_state (all numpy).

    ``state`` and ``d_state`` are in torch's layout; ``d_state=None`` leaves the final state out of L.
    Gradients are keyed by torch's parameter names, plus "x", "h0" and "c0".
    """
    x_t = torch.tensor(x, requires_grad=True)
    state_t = tuple(torch.tensor(p, requires_grad=True) for p in parts(state))
    out, final = module(x_t, state_t if len(state_t) == 2 else state_t[0])
    finals = parts(final)
    loss = (out * torch.from_numpy(d_out)).sum()
    if d_state is not None:
        loss = loss + sum(
            (f * torch.from_numpy(d)).sum() for f, d in zip(finals, parts(d_state), strict=True)
        )
    module.zero_grad()
    loss.backward()
    grads = {name: p.grad.numpy() for name, p in module.named_parameters()}
    grads["x"] = x_t.grad.numpy()
    grads.update({name: s.grad.numpy() for name, s in zip(("h0", "c0"), state_t, strict=False)})
    return out.detach().numpy(), tuple(f.detach().numpy() for f in finals), grads


def assert_close(ours, theirs) -> None:
    ours, theirs = np.ascontiguousarray(ours, dtype=np.float64), np.ascontiguousarray(theirs)
    torch.testing.assert_close(ours, theirs, **TOL)


def assert_grads_close(ours: dict, theirs: dict) -> None:
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert_close(ours[name], theirs[name])


# ----------------------------------------------------------------------------------------------------------
# one layer, one direction: outputs, final states, every gradient
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("B", "T", "I", "H"), SHAPES)
@pytest.mark.parametrize("given_state", [False, True], ids=["zero_state", "given_state"])
@pytest.mark.parametrize("given_d_state", [False, True], ids=["no_d_state", "d_state"])
def test_layer_matches_torch(kind, B, T, I, H, given_state, given_d_state):
    rng = np.random.default_rng(B * 1000 + T * 100 + I * 10 + H)
    module = torch_module(kind, I, H, seed=T)
    layer = KINDS[kind][0].from_torch(module)
    x = rng.standard_normal((B, T, I))
    state = torch_state(kind, 1, B, H, rng)
    if not given_state:
        state = tuple(np.zeros_like(p) for p in parts(state)) if is_lstm(kind) else np.zeros_like(state)
    d_out = rng.standard_normal((B, T, H))
    d_state = torch_state(kind, 1, B, H, rng) if given_d_state else None
    out_ref, final_ref, grads_ref = torch_reference(module, x, state, d_out, d_state)

    out, final = layer.forward(x, pick(state, 0) if given_state else None)
    grads = layer.backward(d_out, None if d_state is None else pick(d_state, 0))

    assert_close(out, out_ref)
    for ours, theirs in zip(parts(final), final_ref, strict=True):
        assert_close(ours, theirs[0])
    assert_grads_close(grads, {**grads_ref, **{k: grads_ref[k][0] for k in layer.state_names}})


@pytest.mark.parametrize("kind", KINDS)
def test_layer_without_bias_matches_torch(kind):
    rng = np.random.default_rng(0)
    module = torch_module(kind, 3, 4, bias=False)
    layer = KINDS[kind][0].from_torch(module)
    x, d_out = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 5, 4))
    state, d_state = torch_state(kind, 1, 2, 4, rng), torch_state(kind, 1, 2, 4, rng)
    out_ref, _, grads_ref = torch_reference(module, x, state, d_out, d_state)

    out, _ = layer.forward(x, pick(state, 0))
    grads = layer.backward(d_out, pick(d_state, 0))

    assert not layer.bias and "bias_ih_l0" not in layer.params and "bias_ih_l0" not in grads
    assert_close(out, out_ref)
    assert_grads_close(grads, {**grads_ref, **{k: grads_ref[k][0] for k in layer.state_names}})


def test_backward_can_be_repeated_and_uses_the_latest_forward():
    rng = np.random.default_rng(1)
    module = torch_module("lstm", 2, 3)
    layer = scratch.LSTM.from_torch(module)
    x_old, x_new = rng.standard_normal((2, 4, 2)), rng.standard_normal((1, 3, 2))
    d_out = rng.standard_normal((1, 3, 3))
    layer.forward(x_old)
    layer.forward(x_new)
    zeros = tuple(np.zeros((1, 1, 3)) for _ in range(2))
    _, _, grads_ref = torch_reference(module, x_new, zeros, d_out, None)

    first, second = layer.backward(d_out), layer.backward(d_out)

    assert_grads_close(first, {**grads_ref, "h0": grads_ref["h0"][0], "c0": grads_ref["c0"][0]})
    assert_grads_close(second, first)


# ----------------------------------------------------------------------------------------------------------
# recorded gates and cell states (what 09's hidden-state lab reads)
# ----------------------------------------------------------------------------------------------------------


def torch_gates(module, x_t, h_prev, n_gates: int):
    """The pre-activations W_ih x_t + b_ih and W_hh h_{t-1} + b_hh, from torch's weights, split per gate."""
    a_ih = torch.nn.functional.linear(x_t, module.weight_ih_l0, module.bias_ih_l0)
    a_hh = torch.nn.functional.linear(h_prev, module.weight_hh_l0, module.bias_hh_l0)
    return a_ih.chunk(n_gates, dim=-1), a_hh.chunk(n_gates, dim=-1)


@pytest.mark.parametrize("reverse", [False, True])
def test_lstm_gates_and_cells_match_torch(reverse):
    """Gates from torch's weights and torch's own outputs; cells c_t from torch run on each prefix/suffix."""
    rng = np.random.default_rng(2)
    B, T, I, H = 2, 5, 3, 4
    module = torch_module("lstm", I, H, bidirectional=True)
    layer = scratch.LSTM.from_torch(module, reverse=reverse)
    x = rng.standard_normal((B, T, I))
    layer.forward(x)
    with torch.no_grad():
        suffix = "_reverse" if reverse else ""
        one_way = torch_module("lstm", I, H)
        for name, p in one_way.named_parameters():
            p.copy_(getattr(module, name + suffix))
        x_t = torch.from_numpy(
            x[:, ::-1].copy() if reverse else x
        )  # torch's reverse half = forward on flipped x
        out, _ = one_way(x_t)
        cells = np.stack([one_way(x_t[:, : k + 1])[1][1][0].numpy() for k in range(T)], axis=1)
        h_prev = torch.cat([torch.zeros(B, 1, H, dtype=torch.float64), out[:, :-1]], dim=1)
        (a_ii, a_if, a_ig, a_io), (a_hi, a_hf, a_hg, a_ho) = torch_gates(one_way, x_t, h_prev, 4)
        gates = {
            "i": torch.sigmoid(a_ii + a_hi),
            "f": torch.sigmoid(a_if + a_hf),
            "g": torch.tanh(a_ig + a_hg),
            "o": torch.sigmoid(a_io + a_ho),
        }
    flip = (lambda a: a[:, ::-1]) if reverse else (lambda a: a)

    assert list(layer.gates) == ["i", "f", "g", "o"]
    for name, value in gates.items():
        assert layer.gates[name].shape == (B, T, H)
        assert_close(layer.gates[name], flip(value.numpy()))
    assert layer.cells.shape == (B, T, H)
    assert_close(layer.cells, flip(cells))


def test_gru_gates_match_torch():
    rng = np.random.default_rng(3)
    B, T, I, H = 3, 4, 2, 5
    module = torch_module("gru", I, H)
    layer = scratch.GRU.from_torch(module)
    x = rng.standard_normal((B, T, I))
    layer.forward(x)
    with torch.no_grad():
        out, _ = module(torch.from_numpy(x))
        h_prev = torch.cat([torch.zeros(B, 1, H, dtype=torch.float64), out[:, :-1]], dim=1)
        (a_ir, a_iz, a_in), (a_hr, a_hz, a_hn) = torch_gates(module, torch.from_numpy(x), h_prev, 3)
        r = torch.sigmoid(a_ir + a_hr)
        gates = {"r": r, "z": torch.sigmoid(a_iz + a_hz), "n": torch.tanh(a_in + r * a_hn)}

    assert list(layer.gates) == ["r", "z", "n"]
    for name, value in gates.items():
        assert layer.gates[name].shape == (B, T, H)
        assert_close(layer.gates[name], value.numpy())


def test_rnn_records_no_gates_and_returned_arrays_are_copies():
    rng = np.random.default_rng(4)
    layer = scratch.RNN(2, 3)
    assert layer.gates is None
    x, d_out = rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 3, 3))
    out, h = layer.forward(x)
    grads = layer.backward(d_out)
    out[:] = 0.0  # editing what forward returned must not change what backward uses
    x[:] = 0.0

    assert layer.gates == {}
    assert_grads_close(layer.backward(d_out), grads)


# ----------------------------------------------------------------------------------------------------------
# directions and layers of multi-layer, bidirectional torch modules
# ----------------------------------------------------------------------------------------------------------


def scratch_stack(kind: str, module) -> dict:
    """Every (layer, direction) of a torch module as a scratch layer."""
    directions = (False, True) if module.bidirectional else (False,)
    cls = KINDS[kind][0]
    return {
        (k, r): cls.from_torch(module, layer=k, reverse=r)
        for k in range(module.num_layers)
        for r in directions
    }


def stack_forward(cells: dict, module, x, state):
    """Compose the scratch layers as torch does: each layer reads the concatenated directions below it."""
    D = 2 if module.bidirectional else 1
    inputs, finals = x, []
    for k in range(module.num_layers):
        outs = []
        for r in range(D):
            out, final = cells[k, bool(r)].forward(inputs, pick(state, k * D + r))
            outs.append(out)
            finals.append(final)
        inputs = np.concatenate(outs, axis=-1)  # (B, T, D·H)
    return inputs, finals


def stack_backward(cells: dict, module, d_out, d_state) -> dict:
    """BPTT through the stack, top layer first; gradients renamed to torch's per-layer names."""
    D, H = (2 if module.bidirectional else 1), module.hidden_size
    grads, d_inputs = {}, d_out
    for k in reversed(range(module.num_layers)):
        d_below = 0.0
        for r in range(D):
            g = cells[k, bool(r)].backward(d_inputs[..., r * H : (r + 1) * H], pick(d_state, k * D + r))
            suffix = f"_l{k}" + ("_reverse" if r else "")
            grads.update({name.replace("_l0", suffix): g[name] for name in cells[k, bool(r)].params})
            for name in ("h0", "c0"):
                if name in g:
                    grads.setdefault(name, [None] * (module.num_layers * D))[k * D + r] = g[name]
            d_below = d_below + g["x"]
        d_inputs = d_below
    grads["x"] = d_inputs
    return {name: np.stack(v) if isinstance(v, list) else v for name, v in grads.items()}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("num_layers", "bidirectional"), [(1, True), (2, False), (2, True)])
def test_layers_and_directions_compose_to_torch(kind, num_layers, bidirectional):
    rng = np.random.default_rng(5)
    B, T, I, H = 2, 4, 3, 2
    module = torch_module(kind, I, H, num_layers=num_layers, bidirectional=bidirectional)
    cells = scratch_stack(kind, module)
    D = 2 if bidirectional else 1
    n = num_layers * D
    x, d_out = rng.standard_normal((B, T, I)), rng.standard_normal((B, T, D * H))
    state, d_state = torch_state(kind, n, B, H, rng), torch_state(kind, n, B, H, rng)
    out_ref, final_ref, grads_ref = torch_reference(module, x, state, d_out, d_state)

    out, finals = stack_forward(cells, module, x, state)
    grads = stack_backward(cells, module, d_out, d_state)

    assert_close(out, out_ref)
    for k, final in enumerate(finals):
        for ours, theirs in zip(parts(final), final_ref, strict=True):
            assert_close(ours, theirs[k])
    assert_grads_close(grads, grads_ref)


def test_reverse_layer_is_a_forward_layer_on_flipped_time():
    rng = np.random.default_rng(6)
    module = torch_module("gru", 2, 3, bidirectional=True)
    forward_copy = scratch.GRU.from_torch(module, reverse=False)
    forward_copy.params = scratch.GRU.from_torch(module, reverse=True).params
    reverse = scratch.GRU.from_torch(module, reverse=True)
    x = rng.standard_normal((2, 5, 2))

    out_reverse, h_reverse = reverse.forward(x)
    out_flipped, h_flipped = forward_copy.forward(x[:, ::-1])

    assert reverse.reverse and not forward_copy.reverse
    assert_close(out_reverse, out_flipped[:, ::-1])
    assert_close(h_reverse, h_flipped)
    assert_close(reverse.gates["z"], forward_copy.gates["z"][:, ::-1])


def test_from_torch_copies_and_converts_to_float64():
    module = torch.nn.LSTM(3, 2, batch_first=False)  # float32, time first: only the weights matter
    layer = scratch.LSTM.from_torch(module)
    before = module.weight_hh_l0.detach().double().numpy().copy()
    with torch.no_grad():
        module.weight_hh_l0.add_(1.0)

    assert all(p.dtype == np.float64 for p in layer.params.values())
    np.testing.assert_array_equal(layer.params["weight_hh_l0"], before)
    assert (layer.input_size, layer.hidden_size, layer.bias, layer.reverse) == (3, 2, True, False)


# ----------------------------------------------------------------------------------------------------------
# single steps against torch's cells
# ----------------------------------------------------------------------------------------------------------


def torch_cell(kind: str, I: int, H: int):
    _, _, cell_cls, options = KINDS[kind]
    torch.manual_seed(7)
    return cell_cls(I, H, dtype=torch.float64, **options)


def scratch_step(kind: str, x_t, h_prev, c_prev, dh, dc, weights: tuple):
    """Our h_t, c_t (None without a cell state) and the step's gradients for dL/dh_t = dh (and dc)."""
    W_ih, W_hh, _, b_hh = weights
    if kind == "lstm":
        h, c, gates = scratch.lstm_step(x_t, h_prev, c_prev, *weights)
        return h, c, scratch.lstm_step_backward(dh, dc, x_t, h_prev, c_prev, c, gates, W_ih, W_hh)
    if kind == "gru":
        h, gates = scratch.gru_step(x_t, h_prev, *weights)
        return h, None, scratch.gru_step_backward(dh, x_t, h_prev, gates, W_ih, W_hh, b_hh)
    nonlinearity = KINDS[kind][3]["nonlinearity"]
    h = scratch.rnn_step(x_t, h_prev, *weights, nonlinearity)
    return h, None, scratch.rnn_step_backward(dh, x_t, h_prev, h, W_ih, W_hh, nonlinearity)


def torch_step(cell, x_t, h_prev, c_prev, dh, dc):
    """torch's h_t, c_t and the gradients of L = Σ h_t ⊙ dh (+ Σ c_t ⊙ dc), keyed like ``scratch_step``'s."""
    x, h0, c0 = (torch.tensor(a, requires_grad=True) for a in (x_t, h_prev, c_prev))
    if isinstance(cell, torch.nn.LSTMCell):
        h, c = cell(x, (h0, c0))
        loss = (h * torch.from_numpy(dh)).sum() + (c * torch.from_numpy(dc)).sum()
    else:
        h, c = cell(x, h0), None
        loss = (h * torch.from_numpy(dh)).sum()
    loss.backward()
    grads = {"x_t": x.grad, "h_prev": h0.grad, "W_ih": cell.weight_ih.grad, "W_hh": cell.weight_hh.grad}
    grads.update({"b_ih": cell.bias_ih.grad, "b_hh": cell.bias_hh.grad})
    if c is not None:
        grads["c_prev"] = c0.grad
    c = None if c is None else c.detach().numpy()
    return h.detach().numpy(), c, {name: g.numpy() for name, g in grads.items()}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("B", "I", "H"), [(1, 1, 1), (3, 2, 4)])
def test_step_and_step_backward_match_torch_cells(kind, B, I, H):
    rng = np.random.default_rng(8)
    cell = torch_cell(kind, I, H)
    weights = tuple(
        getattr(cell, n).detach().numpy() for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    )
    x_t, h_prev, c_prev, dh, dc = (rng.standard_normal(s) for s in ((B, I), (B, H), (B, H), (B, H), (B, H)))

    h, c, step = scratch_step(kind, x_t, h_prev, c_prev, dh, dc, weights)
    h_ref, c_ref, step_ref = torch_step(cell, x_t, h_prev, c_prev, dh, dc)

    assert_close(h, h_ref)
    if c_ref is not None:
        assert_close(c, c_ref)
    assert_grads_close(step, step_ref)


# ----------------------------------------------------------------------------------------------------------
# standalone layers: torch's init distribution and to_torch round trips
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_init_follows_torch_default_distribution(kind):
    cls, _, _, options = KINDS[kind]
    H = 64
    ours = np.concatenate([p.ravel() for p in cls(8, H, seed=0, **options).params.values()])
    theirs = torch.cat([p.detach().ravel() for p in torch_module(kind, 8, H).parameters()]).numpy()
    bound = np.abs(theirs).max()  # torch's U(-k, k): its largest |w| is just below k

    assert all(p.dtype == np.float64 for p in cls(8, H, **options).params.values())
    assert np.abs(ours).max() <= bound * 1.01
    assert np.abs(ours).max() >= bound * 0.99
    assert abs(ours.std() - theirs.std()) < 0.03 * bound
    assert abs(ours.mean() - theirs.mean()) < 0.03 * bound


def test_seed_makes_init_reproducible():
    a, b, c = scratch.GRU(3, 4, seed=1), scratch.GRU(3, 4, seed=1), scratch.GRU(3, 4, seed=2)
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])
        assert not np.array_equal(a.params[name], c.params[name])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bias", [True, False])
def test_to_torch_round_trip(kind, bias):
    cls, torch_cls, _, options = KINDS[kind]
    rng = np.random.default_rng(9)
    layer = cls(3, 4, seed=5, bias=bias, **options)
    module = layer.to_torch()
    x, d_out = rng.standard_normal((2, 3, 3)), rng.standard_normal((2, 3, 4))
    state = torch_state(kind, 1, 2, 4, rng)
    out_ref, _, grads_ref = torch_reference(module, x, state, d_out, None)

    out, _ = layer.forward(x, pick(state, 0))
    grads = layer.backward(d_out)
    again = cls.from_torch(module)

    assert isinstance(module, torch_cls) and module.batch_first and module.weight_ih_l0.dtype == torch.float64
    assert (module.input_size, module.hidden_size, module.bias) == (3, 4, bias)
    assert getattr(module, "nonlinearity", None) == options.get("nonlinearity")
    assert_close(out, out_ref)
    assert_grads_close(grads, {**grads_ref, **{k: grads_ref[k][0] for k in layer.state_names}})
    assert again.params.keys() == layer.params.keys()
    for name in layer.params:
        np.testing.assert_array_equal(again.params[name], layer.params[name])


def test_zero_state_and_repr():
    lstm, rnn = scratch.LSTM(2, 3), scratch.RNN(2, 3, nonlinearity="relu")
    h0, c0 = lstm.zero_state(4)
    out_default, _ = lstm.forward(np.ones((4, 2, 2)))
    out_zero, _ = lstm.forward(np.ones((4, 2, 2)), (h0, c0))

    assert h0.shape == c0.shape == (4, 3) and not h0.any() and not c0.any()
    assert rnn.zero_state(2).shape == (2, 3)
    np.testing.assert_array_equal(out_default, out_zero)
    assert repr(rnn) == "RNN(input_size=2, hidden_size=3, nonlinearity='relu', bias=True, reverse=False)"


# ----------------------------------------------------------------------------------------------------------
# errors: each message names what was expected and what was received
# ----------------------------------------------------------------------------------------------------------


def after_forward(layer, x):
    layer.forward(x)
    return layer


X = np.zeros((2, 4, 3))
LSTM_X = after_forward(scratch.LSTM(3, 5), X)
RNN_X = after_forward(scratch.RNN(3, 5), X)
GRU_X = after_forward(scratch.GRU(3, 5), X)


def bad_params(layer):
    layer.params["weight_hh_l0"] = np.zeros((5, 5))
    return layer


ERRORS = {
    "x_list": (
        lambda: scratch.RNN(3, 5).forward([[[0.0] * 3]]),
        TypeError,
        r"x must be a numpy array, got list",
    ),
    "x_tensor": (
        lambda: scratch.GRU(3, 5).forward(torch.zeros(2, 4, 3)),
        TypeError,
        r"x must be a numpy array, got Tensor of shape \(2, 4, 3\).*x\.detach\(\)\.numpy\(\)",
    ),
    "x_unbatched": (
        lambda: scratch.LSTM(3, 5).forward(np.zeros((4, 3))),
        ValueError,
        r"\(B, T, 3\).*got \(4, 3\).*x\[None\]",
    ),
    "x_features": (
        lambda: scratch.LSTM(3, 5).forward(np.zeros((2, 4, 5))),
        ValueError,
        r"shape \(\*, \*, 3\), got \(2, 4, 5\)",
    ),
    "x_rank": (
        lambda: scratch.GRU(3, 5).forward(np.zeros((1, 2, 4, 3))),
        ValueError,
        r"\(\*, \*, 3\), got \(1, 2, 4, 3\)",
    ),
    "x_empty": (
        lambda: scratch.RNN(3, 5).forward(np.zeros((2, 0, 3))),
        ValueError,
        r"one time step, got shape \(2, 0, 3\)",
    ),
    "x_complex": (
        lambda: scratch.RNN(3, 5).forward(np.zeros((2, 4, 3), complex)),
        TypeError,
        r"x must hold real numbers.*complex",
    ),
    "h0_shape": (
        lambda: scratch.RNN(3, 5).forward(X, np.zeros((3, 5))),
        ValueError,
        r"h0 must have shape \(2, 5\), got \(3, 5\)",
    ),
    "h0_torch_layout": (
        lambda: scratch.GRU(3, 5).forward(X, np.zeros((1, 2, 5))),
        ValueError,
        r"\(2, 5\), got \(1, 2, 5\).*h0\[0\]",
    ),
    "lstm_state_array": (
        lambda: scratch.LSTM(3, 5).forward(X, np.zeros((2, 5))),
        TypeError,
        r"state must be a tuple \(h, c\).*got ndarray of shape \(2, 5\)",
    ),
    "lstm_c0_shape": (
        lambda: scratch.LSTM(3, 5).forward(X, (np.zeros((2, 5)), np.zeros((2, 4)))),
        ValueError,
        r"c0 must have shape \(2, 5\), got \(2, 4\)",
    ),
    "rnn_state_tuple": (
        lambda: scratch.RNN(3, 5).forward(X, (np.zeros((2, 5)),)),
        TypeError,
        r"h0 must be a numpy array, got tuple",
    ),
    "backward_first": (
        lambda: scratch.LSTM(3, 5).backward(np.zeros((2, 4, 5))),
        RuntimeError,
        r"LSTM.backward needs .*call forward\(x\) first",
    ),
    "d_out_shape": (
        lambda: RNN_X.backward(np.zeros((2, 4, 4))),
        ValueError,
        r"d_out must have shape \(2, 4, 5\), got \(2, 4, 4\)",
    ),
    "d_out_list": (lambda: GRU_X.backward([0.0]), TypeError, r"d_out must be a numpy array, got list"),
    "d_state_shape": (
        lambda: GRU_X.backward(np.zeros((2, 4, 5)), np.zeros((2, 4))),
        ValueError,
        r"d_state must have shape \(2, 5\), got \(2, 4\)",
    ),
    "lstm_d_state": (
        lambda: LSTM_X.backward(np.zeros((2, 4, 5)), (np.zeros((2, 5)), np.zeros((5,)))),
        ValueError,
        r"d_state\[1\] must have shape \(2, 5\), got \(5,\)",
    ),
    "lstm_d_state_array": (
        lambda: LSTM_X.backward(np.zeros((2, 4, 5)), np.zeros((2, 5))),
        TypeError,
        r"d_state must be a tuple \(h, c\)",
    ),
    "from_wrong_module": (
        lambda: scratch.LSTM.from_torch(torch.nn.GRU(3, 5)),
        TypeError,
        r"expects a torch.nn.LSTM, got GRU",
    ),
    "from_not_module": (
        lambda: scratch.RNN.from_torch(np.zeros(3)),
        TypeError,
        r"expects a torch.nn.RNN, got ndarray",
    ),
    "from_multilayer": (
        lambda: scratch.GRU.from_torch(torch.nn.GRU(3, 5, num_layers=2)),
        ValueError,
        r"num_layers=2 and bidirectional=False.*pass layer=k with k in 0\.\.1",
    ),
    "from_bidirectional": (
        lambda: scratch.RNN.from_torch(torch.nn.RNN(3, 5, bidirectional=True)),
        ValueError,
        r"num_layers=1 and bidirectional=True.*pass reverse=False \(forward direction\) or reverse=True",
    ),
    "from_both": (
        lambda: scratch.LSTM.from_torch(torch.nn.LSTM(3, 5, num_layers=3, bidirectional=True), reverse=True),
        ValueError,
        r"layer=k with k in 0\.\.2",
    ),
    "from_layer_range": (
        lambda: scratch.LSTM.from_torch(torch.nn.LSTM(3, 5, num_layers=2), layer=2),
        ValueError,
        r"layer must be <= 1, got 2",
    ),
    "from_reverse_uni": (
        lambda: scratch.GRU.from_torch(torch.nn.GRU(3, 5), reverse=True),
        ValueError,
        r"needs a module with bidirectional=True.*got bidirectional=False",
    ),
    "from_proj": (
        lambda: scratch.LSTM.from_torch(torch.nn.LSTM(3, 5, proj_size=2)),
        ValueError,
        r"proj_size must be 0.*got proj_size=2",
    ),
    "nonlinearity": (
        lambda: scratch.RNN(3, 5, nonlinearity="sigmoid"),
        ValueError,
        r"nonlinearity must be one of \['tanh', 'relu'\], got 'sigmoid'",
    ),
    "hidden_size": (lambda: scratch.LSTM(3, 0), ValueError, r"hidden_size must be >= 1, got 0"),
    "input_size_type": (lambda: scratch.GRU(3.0, 5), TypeError, r"input_size must be an integer, got float"),
    "bias_type": (lambda: scratch.GRU(3, 5, bias="yes"), TypeError, r"bias must be True or False, got str"),
    "to_torch_reverse": (
        lambda: scratch.LSTM(3, 5, reverse=True).to_torch(),
        ValueError,
        r"to_torch needs reverse=False",
    ),
    "params_shape": (
        lambda: bad_params(scratch.LSTM(3, 5)).forward(X),
        ValueError,
        r"params\['weight_hh_l0'\] must have shape \(20, 5\), got \(5, 5\)",
    ),
    "step_W_hh": (
        lambda: scratch.lstm_step(
            np.zeros((2, 3)), np.zeros((2, 5)), np.zeros((2, 5)), np.zeros((20, 3)), np.zeros((15, 5))
        ),
        ValueError,
        r"W_hh must have shape \(20, 5\), got \(15, 5\)",
    ),
    "step_x_t": (
        lambda: scratch.rnn_step(np.zeros((2, 4)), np.zeros((2, 5)), np.zeros((5, 3)), np.zeros((5, 5))),
        ValueError,
        r"x_t must have shape \(\*, 3\), got \(2, 4\)",
    ),
    "step_h_prev": (
        lambda: scratch.gru_step(np.zeros((2, 3)), np.zeros((1, 5)), np.zeros((15, 3)), np.zeros((15, 5))),
        ValueError,
        r"h_prev must have shape \(2, 5\), got \(1, 5\)",
    ),
    "step_nonlinearity": (
        lambda: scratch.rnn_step(
            np.zeros((2, 3)), np.zeros((2, 5)), np.zeros((5, 3)), np.zeros((5, 5)), nonlinearity="sin"
        ),
        ValueError,
        r"nonlinearity must be one of .*got 'sin'",
    ),
    "step_backward_dh": (
        lambda: scratch.rnn_step_backward(
            np.zeros((2, 4)),
            np.zeros((2, 3)),
            np.zeros((2, 5)),
            np.zeros((2, 5)),
            np.zeros((5, 3)),
            np.zeros((5, 5)),
        ),
        ValueError,
        r"dh must have shape \(2, 5\), got \(2, 4\)",
    ),
    "zero_state": (lambda: scratch.LSTM(3, 5).zero_state(0), ValueError, r"batch_size must be >= 1, got 0"),
}


@pytest.mark.parametrize("case", ERRORS)
def test_errors_name_expected_and_received(case):
    call, error, match = ERRORS[case]
    with pytest.raises(error, match=match):
        call()


def test_params_with_missing_keys_are_rejected():
    layer = scratch.GRU(3, 5)
    del layer.params["bias_hh_l0"]
    with pytest.raises(ValueError, match=r"params must have the keys \[.*'bias_hh_l0'.*\], got \[.*\]"):
        layer.forward(X)
