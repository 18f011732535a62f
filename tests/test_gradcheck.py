"""rnn_helpers.gradcheck: finite differences agree with torch autograd, and every scratch backward agrees
with finite differences (small sizes)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_helpers import gradcheck, scratch

LAYERS = {
    "rnn_tanh": lambda I, H, **kw: scratch.RNN(I, H, nonlinearity="tanh", **kw),
    "rnn_relu": lambda I, H, **kw: scratch.RNN(I, H, nonlinearity="relu", **kw),
    "lstm": lambda I, H, **kw: scratch.LSTM(I, H, **kw),
    "gru": lambda I, H, **kw: scratch.GRU(I, H, **kw),
}


def torch_function(x: torch.Tensor) -> torch.Tensor:
    """A smooth scalar function with cross terms, written once in torch (numpy values go through it too)."""
    return (torch.tanh(x) ** 2 * x).sum() + torch.sin(x[0]).prod() * x.sum()


def as_numpy_function(x: np.ndarray) -> float:
    return float(torch_function(torch.from_numpy(x)))


# ----------------------------------------------------------------------------------------------------------
# numerical_gradient and relative_error
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(1,), (3,), (2, 3), (2, 1, 2)])
def test_numerical_gradient_matches_torch_autograd(shape):
    x = np.random.default_rng(0).standard_normal(shape)
    x_t = torch.tensor(x, requires_grad=True)
    torch_function(x_t).backward()

    grad = gradcheck.numerical_gradient(as_numpy_function, x)

    assert grad.shape == x.shape
    assert gradcheck.relative_error(grad, x_t.grad.numpy()) < 1e-8


def test_numerical_gradient_perturbs_in_place_and_restores():
    x = np.random.default_rng(1).standard_normal((2, 3))
    original = x.copy()
    seen = []

    def f(arg):
        seen.append((arg is x, arg.copy()))
        return float(np.sum(arg**3))

    gradcheck.numerical_gradient(f, x, eps=1e-3)

    np.testing.assert_array_equal(x, original)
    assert len(seen) == 2 * x.size and all(same for same, _ in seen)
    changed = [np.flatnonzero(value != original) for _, value in seen]
    assert all(len(k) == 1 for k in changed)  # one entry at a time
    assert sorted(int(k[0]) for k in changed) == sorted(2 * list(range(x.size)))


def test_numerical_gradient_restores_x_when_f_fails():
    x = np.random.default_rng(2).standard_normal(4)
    original = x.copy()

    def f(arg):
        if arg[1] != original[1]:
            raise ArithmeticError("boom")
        return float(arg.sum())

    with pytest.raises(ArithmeticError):
        gradcheck.numerical_gradient(f, x)
    np.testing.assert_array_equal(x, original)


def test_relative_error_follows_its_formula_in_torch():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    a_t, b_t = torch.from_numpy(a), torch.from_numpy(b)
    expected = ((a_t - b_t).abs().max() / (a_t.abs() + b_t.abs()).max()).item()

    assert gradcheck.relative_error(a, b) == pytest.approx(expected, rel=1e-14)
    assert gradcheck.relative_error(a, a) == 0.0
    assert gradcheck.relative_error(a, -a) == pytest.approx(1.0, rel=1e-14)
    assert gradcheck.relative_error(1e-20 * a, 1e-20 * b) == pytest.approx(expected, rel=1e-12)  # scale-free
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error(2.0, 2.0) == 0.0
    assert gradcheck.relative_error(np.zeros((0, 2)), np.zeros((0, 2))) == 0.0


# ----------------------------------------------------------------------------------------------------------
# check_gradients: every hand-written backward equals finite differences
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize(
    ("B", "T", "I", "H", "options"),
    [
        (1, 1, 1, 1, {}),
        (2, 3, 2, 3, {}),
        (2, 3, 2, 2, {"reverse": True}),
        (1, 2, 3, 2, {"bias": False}),
    ],
    ids=["tiny", "small", "reverse", "no_bias"],
)
@pytest.mark.parametrize("given_state", [False, True], ids=["zero_state", "given_state"])
def test_backward_matches_finite_differences(kind, B, T, I, H, options, given_state):
    rng = np.random.default_rng(4)
    layer = LAYERS[kind](I, H, seed=3, **options)
    x = rng.standard_normal((B, T, I))
    state = None
    if given_state:
        state = tuple(rng.standard_normal((B, H)) for _ in layer.state_names)
        state = state if kind == "lstm" else state[0]

    errors = gradcheck.check_gradients(layer, x, state)

    expected_keys = [*layer.params, "x", *layer.state_names]
    assert list(errors) == expected_keys
    assert max(errors.values()) < 1e-7, gradcheck.format_report(errors)


class _BrokenLSTM(scratch.LSTM):
    """An LSTM whose backward gets dL/dW_hh slightly wrong: the check must notice."""

    def backward(self, d_out, d_state=None):
        grads = super().backward(d_out, d_state)
        grads["weight_hh_l0"] = grads["weight_hh_l0"] * 1.01
        return grads


def test_check_gradients_catches_a_wrong_gradient():
    errors = gradcheck.check_gradients(_BrokenLSTM(2, 3), np.random.default_rng(5).standard_normal((2, 3, 2)))

    assert errors["weight_hh_l0"] > 1e-3
    assert max(v for k, v in errors.items() if k != "weight_hh_l0") < 1e-7
    assert "FAIL" in gradcheck.format_report(errors).splitlines()[2]


def test_check_gradients_leaves_inputs_params_and_cache_as_they_were():
    rng = np.random.default_rng(6)
    layer = scratch.GRU(2, 3, seed=1)
    x, h0 = rng.standard_normal((2, 4, 2)), rng.standard_normal((2, 3))
    x_before, h0_before = x.copy(), h0.copy()
    params_before = {name: value.copy() for name, value in layer.params.items()}
    d_out = rng.standard_normal((2, 4, 3))

    gradcheck.check_gradients(layer, x, h0)
    grads_after = layer.backward(d_out)
    fresh = scratch.GRU(2, 3, seed=1)
    fresh.forward(x, h0)

    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(h0, h0_before)
    for name, value in params_before.items():
        np.testing.assert_array_equal(layer.params[name], value)
    for name, value in fresh.backward(d_out).items():
        np.testing.assert_array_equal(grads_after[name], value)


def test_format_report_lists_every_gradient():
    errors = {"weight_ih_l0": 1e-10, "x": float("nan"), "h0": 0.5}

    lines = gradcheck.format_report(errors, tol=1e-7).splitlines()

    assert len(lines) == 1 + len(errors)
    assert lines[1].split() == ["weight_ih_l0", "1.00e-10", "ok"]
    assert lines[2].split()[::2] == ["x", "FAIL"]
    assert lines[3].split() == ["h0", "5.00e-01", "FAIL"]


# ----------------------------------------------------------------------------------------------------------
# errors: each message names what was expected and what was received
# ----------------------------------------------------------------------------------------------------------

X = np.zeros((2, 3, 2))

ERRORS = {
    "f_not_callable": (lambda: gradcheck.numerical_gradient(3.0, X.copy()), TypeError, r"f must be callable"),
    "x_not_array": (
        lambda: gradcheck.numerical_gradient(np.sum, [1.0, 2.0]),
        TypeError,
        r"x must be a numpy array, got list",
    ),
    "x_int": (
        lambda: gradcheck.numerical_gradient(np.sum, np.arange(3)),
        TypeError,
        r"x must be a float array .*got ndarray of shape \(3,\) and dtype int64",
    ),
    "eps_zero": (
        lambda: gradcheck.numerical_gradient(np.sum, X.copy(), eps=0.0),
        ValueError,
        r"eps must be > 0",
    ),
    "f_not_scalar": (
        lambda: gradcheck.numerical_gradient(lambda x: x * 2, X.copy()),
        ValueError,
        r"f must return a single real number, got ndarray of shape \(2, 3, 2\)",
    ),
    "shapes_differ": (
        lambda: gradcheck.relative_error(np.zeros((2, 3)), np.zeros((3, 2))),
        ValueError,
        r"same shape, got a of shape \(2, 3\) and b of shape \(3, 2\)",
    ),
    "tensor": (
        lambda: gradcheck.relative_error(torch.zeros(2), np.zeros(2)),
        TypeError,
        r"a must be a numpy array or a real number, got Tensor.*detach\(\)\.numpy\(\)",
    ),
    "complex": (
        lambda: gradcheck.relative_error(np.zeros(2), np.zeros(2, complex)),
        TypeError,
        r"b must hold real numbers",
    ),
    "model": (
        lambda: gradcheck.check_gradients(torch.nn.LSTM(2, 3), X),
        TypeError,
        r"model must be a scratch.RNN, scratch.LSTM or scratch.GRU, got LSTM",
    ),
    "model_x": (
        lambda: gradcheck.check_gradients(scratch.RNN(4, 3), X),
        ValueError,
        r"x must have shape \(\*, \*, 4\), got \(2, 3, 2\)",
    ),
    "model_state": (
        lambda: gradcheck.check_gradients(scratch.LSTM(2, 3), X, np.zeros((2, 3))),
        TypeError,
        r"state must be a tuple \(h, c\)",
    ),
    "report_empty": (lambda: gradcheck.format_report({}), TypeError, r"non-empty dict.*got dict \{\}"),
    "report_value": (
        lambda: gradcheck.format_report({"x": "small"}),
        TypeError,
        r"errors\['x'\] must be a number, got str",
    ),
}


@pytest.mark.parametrize("case", ERRORS)
def test_errors_name_expected_and_received(case):
    call, error, match = ERRORS[case]
    with pytest.raises(error, match=match):
        call()
