"""What 05_lstm.ipynb adds to rnn_helpers: ``models.set_forget_bias``, ``viz.plot_gate_panels``,
``viz.plot_gradient_reach``, ``widgets.gate_explorer``, and the exercises of ``exercises.nb05``.

The scratch LSTM itself is checked against torch in test_scratch.py (batch 1, time 1 and hidden 1 included).
"""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from test_exercises import run_solution

from rnn_helpers import scratch, viz, widgets
from rnn_helpers.exercises import CORRECT, INCORRECT, NOT_ATTEMPTED, ____, nb05
from rnn_helpers.models import set_forget_bias

# ----------------------------------------------------------------------------------------- set_forget_bias


@pytest.mark.parametrize(("num_layers", "bidirectional"), [(1, False), (2, True)])
def test_set_forget_bias_sets_the_total_forget_bias_everywhere(num_layers, bidirectional):
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 5, num_layers=num_layers, bidirectional=bidirectional)
    before = {name: p.detach().clone() for name, p in lstm.named_parameters()}
    assert set_forget_bias(lstm, 1.5) is lstm
    H = 5
    suffixes = [f"_l{k}{d}" for k in range(num_layers) for d in ([""] + (["_reverse"] if bidirectional else []))]
    for suffix in suffixes:
        b_ih, b_hh = getattr(lstm, "bias_ih" + suffix), getattr(lstm, "bias_hh" + suffix)
        torch.testing.assert_close(b_ih[H : 2 * H] + b_hh[H : 2 * H], torch.full((H,), 1.5))
        for block in (slice(0, H), slice(2 * H, 4 * H)):  # i, then g and o: untouched
            torch.testing.assert_close(b_ih[block], before["bias_ih" + suffix][block])
            torch.testing.assert_close(b_hh[block], before["bias_hh" + suffix][block])
    for name, p in lstm.named_parameters():
        if name.startswith("weight"):
            torch.testing.assert_close(p, before[name])


def test_set_forget_bias_gives_sigmoid_of_the_bias_with_zero_weights():
    """Independent check through the scratch LSTM: with zero weights the forget gate is σ(value) everywhere."""
    lstm = torch.nn.LSTM(2, 4, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        lstm.weight_ih_l0.zero_()
        lstm.weight_hh_l0.zero_()
    set_forget_bias(lstm, 1.0)
    layer = scratch.LSTM.from_torch(lstm)
    layer.forward(np.random.default_rng(0).standard_normal((3, 6, 2)))
    np.testing.assert_allclose(layer.gates["f"], 1 / (1 + np.exp(-1.0)), rtol=1e-12)


def test_set_forget_bias_rejects_bad_input():
    with pytest.raises(TypeError, match=r"lstm must be a torch.nn.LSTM, got GRU"):
        set_forget_bias(torch.nn.GRU(2, 3))
    with pytest.raises(ValueError, match="bias=False: it has no forget-gate bias"):
        set_forget_bias(torch.nn.LSTM(2, 3, bias=False))
    with pytest.raises(TypeError, match="value must be a number, got str"):
        set_forget_bias(torch.nn.LSTM(2, 3), "1")
    with pytest.raises(ValueError, match="value must be finite, got nan"):
        set_forget_bias(torch.nn.LSTM(2, 3), float("nan"))


# ------------------------------------------------------------------------------------------- plot_gate_panels


def _panels(T=12, H=6, seed=0):
    rng = np.random.default_rng(seed)
    gate = 1 / (1 + np.exp(-rng.standard_normal((T, H))))  # in (0, 1)
    candidate = np.tanh(rng.standard_normal((T, H)))  # in (-1, 1)
    cell = 3.0 * rng.standard_normal((T, H))  # unbounded
    return {"f": gate, "g": candidate, "c": cell}


def test_plot_gate_panels_draws_the_chosen_units_with_their_scales():
    panels = _panels()
    markers = np.zeros(12)
    markers[[2, 9]] = 1
    units = [4, 0, 5]
    axes = viz.plot_gate_panels(panels, markers=markers, units=units, title="demo")
    assert len(axes) == 3 and all(isinstance(a, plt.Axes) for a in axes)
    for ax, (name, value) in zip(axes, panels.items(), strict=True):
        (image,) = ax.get_images()
        np.testing.assert_array_equal(image.get_array(), value[:, units].T)  # units down, time across
        assert ax.get_ylabel() == name
        assert [t.get_text() for t in ax.get_yticklabels()] == ["4", "0", "5"]
        frames = [p for p in ax.patches if not p.get_fill()]
        assert len(frames) == 2  # one frame per marked step
    assert axes[0].get_images()[0].get_clim() == (0.0, 1.0)  # a gate
    assert axes[1].get_images()[0].get_clim() == (-1.0, 1.0)  # a tanh output
    bound = np.abs(panels["c"][:, units]).max()  # a cell: symmetric, set by the units shown
    np.testing.assert_allclose(axes[2].get_images()[0].get_clim(), (-bound, bound))
    assert axes[0].get_title() == "demo"


def test_plot_gate_panels_accepts_tensors_and_given_axes():
    panels = {name: torch.from_numpy(v) for name, v in _panels(T=5, H=3).items()}
    fig, given = plt.subplots(3, 1)
    axes = viz.plot_gate_panels(panels, axes=given)
    assert axes == list(given)
    assert axes[0].get_images()[0].get_array().shape == (3, 5)
    assert not [p for p in axes[0].patches if not p.get_fill()]  # no markers, no frames


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"panels": {}}, TypeError, r"panels must be a non-empty dict name -> \(T, H\) array, got dict"),
        ({"panels": [1, 2]}, TypeError, r"panels must be a non-empty dict .* got list"),
        ({"panels": {"f": np.zeros((4, 3)), "c": np.zeros((4, 2))}}, ValueError,
         r"panels\['c'\] must have shape \(T, H\) = \(4, 3\) like the first one, got \(4, 2\)"),
        ({"panels": {"f": np.zeros(4)}}, ValueError, r"panels\['f'\] must have shape \(T, H\)"),
        ({"panels": {"f": [[0.5]]}}, TypeError, r"panels\['f'\] must be a numpy array or a torch tensor, got list"),
        ({"panels": {"f": np.zeros((4, 3))}, "units": [0, 3]}, ValueError,
         r"units must be a non-empty 1-D list of unit indices in \[0, 2\]"),
        ({"panels": {"f": np.zeros((4, 3))}, "units": []}, ValueError, r"units must be a non-empty 1-D list"),
        ({"panels": {"f": np.zeros((4, 3))}, "markers": np.zeros(5)}, ValueError,
         r"markers must have shape \(T,\) = \(4,\), got \(5,\)"),
    ],
)  # fmt: skip
def test_plot_gate_panels_rejects_bad_input(kwargs, error, message):
    panels = kwargs.pop("panels")
    with pytest.raises(error, match=message):
        viz.plot_gate_panels(panels, **kwargs)


def test_plot_gate_panels_rejects_the_wrong_number_of_axes():
    _, ax = plt.subplots()
    with pytest.raises(TypeError, match=r"axes must be 3 matplotlib Axes \(one per panel\)"):
        viz.plot_gate_panels(_panels(), axes=[ax])


# ----------------------------------------------------------------------------------------- plot_gradient_reach


def test_plot_gradient_reach_draws_one_line_per_model_on_a_log_scale():
    lags = np.array([1, 5, 10])
    norms = {"rnn": np.array([1.0, 1e-3, 1e-6]), "lstm": np.array([1.0, 0.5, 0.2])}
    ax = viz.plot_gradient_reach(lags, norms, title="t")
    assert ax.get_yscale() == "log" and ax.get_title() == "t"
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["rnn", "lstm"]
    for line, values in zip(lines, norms.values(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), lags)
        np.testing.assert_array_equal(line.get_ydata(), values)


def test_plot_gradient_reach_rejects_bad_input():
    with pytest.raises(ValueError, match="lags must be a non-empty 1-D array of lags"):
        viz.plot_gradient_reach([], {"a": []})
    with pytest.raises(TypeError, match=r"norms must be a non-empty dict label -> \(K,\) array, got list"):
        viz.plot_gradient_reach([1, 2], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"norms\['a'\] must have shape \(2,\) like lags, got \(3,\)"):
        viz.plot_gradient_reach([1, 2], {"a": [1.0, 2.0, 3.0]})
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        viz.plot_gradient_reach([1, 2], {"a": [1.0, 2.0]}, ax="left")


# -------------------------------------------------------------------------------------------- gate_explorer


def _explorer_data(N=4, T=10, H=5):
    rng = np.random.default_rng(1)
    panels = {"i": rng.uniform(size=(N, T, H)), "c": rng.standard_normal((N, T, H))}
    markers = np.zeros((N, T))
    markers[:, [1, 7]] = 1
    return panels, markers


def test_gate_explorer_draws_the_chosen_sequence_and_units(monkeypatch):
    panels, markers = _explorer_data()
    calls = []
    monkeypatch.setattr(viz, "plot_gate_panels", lambda p, **kw: calls.append((p, kw)))
    w = widgets.gate_explorer(panels, markers, units=[3, 1], targets=np.arange(4) / 10, predictions=np.ones(4))
    assert isinstance(w, ipywidgets.Widget)
    slider, toggle = w.children[0].children
    assert (slider.min, slider.max) == (0, 3) and toggle.value == "selected units"
    calls.clear()
    slider.value = 2
    p, kw = calls[-1]
    np.testing.assert_array_equal(p["i"], panels["i"][2])
    np.testing.assert_array_equal(kw["markers"], markers[2])
    assert kw["units"] == [3, 1] and kw["title"] == "sequence 2: target 0.200, prediction 1.000"
    toggle.value = "all units"
    assert calls[-1][1]["units"] is None


def test_gate_explorer_without_units_has_no_toggle(monkeypatch):
    panels, markers = _explorer_data()
    calls = []
    monkeypatch.setattr(viz, "plot_gate_panels", lambda p, **kw: calls.append(kw))
    w = widgets.gate_explorer(panels, torch.from_numpy(markers), title="example")
    (slider,) = w.children[0].children
    slider.value = 1
    assert calls[-1]["units"] is None and calls[-1]["title"] == "example 1"


def test_gate_explorer_renders_with_the_real_plot():
    panels, markers = _explorer_data()
    w = widgets.gate_explorer(panels, markers, units=[0])
    w.children[0].children[0].value = 3  # draws with viz.plot_gate_panels; must not raise
    assert isinstance(w.children[1], ipywidgets.Output)


def test_gate_explorer_rejects_bad_input():
    panels, markers = _explorer_data()
    with pytest.raises(TypeError, match=r"panels must be a non-empty dict name -> \(N, T, H\) array"):
        widgets.gate_explorer({}, markers)
    with pytest.raises(ValueError, match=r"panels\['c'\] must have shape \(N, T, H\) = \(4, 10, 5\), got \(4, 9, 5\)"):
        widgets.gate_explorer({"i": panels["i"], "c": panels["c"][:, :9]}, markers)
    with pytest.raises(ValueError, match=r"markers must have shape \(N, T\) = \(4, 10\), got \(10,\)"):
        widgets.gate_explorer(panels, markers[0])
    with pytest.raises(ValueError, match=r"targets must hold one number per sequence \(N = 4\), got shape \(3,\)"):
        widgets.gate_explorer(panels, markers, targets=np.zeros(3))


# ---------------------------------------------------------------------------------------------- exercises


def test_nb05_reference_solutions_are_correct():
    for exercise in (nb05.ex1, nb05.ex2, nb05.ex3, nb05.ex4, nb05.ex5, nb05.ex6):
        verdict = exercise.check(run_solution(exercise))
        assert verdict.status == CORRECT, (exercise.title, verdict.message)
        assert exercise.check(____).status == NOT_ATTEMPTED


def _verdict(exercise, answer, status=INCORRECT):
    verdict = exercise.check(answer)
    assert verdict.status == status, (exercise.title, verdict.message)
    return verdict.message


def test_nb05_ex1_rejects_known_mistakes():
    def cell(c_of, h_of=lambda o, c, c_prev: o * np.tanh(c)):
        def coupled_cell_update(f, g, o, c_prev):
            c = c_of(f, g, c_prev)
            return c, h_of(o, c, c_prev)
        return coupled_cell_update

    assert "swaps f and 1 - f" in _verdict(nb05.ex1, cell(lambda f, g, cp: (1 - f) * cp + f * g))
    assert "wrong factor" in _verdict(nb05.ex1, cell(lambda f, g, cp: f * cp + f * g))
    assert "wrong factor" in _verdict(nb05.ex1, cell(lambda f, g, cp: f * cp + g))
    skip = cell(lambda f, g, cp: f * cp + (1 - f) * g, lambda o, c, cp: o * c)
    assert "skips the squashing" in _verdict(nb05.ex1, skip)
    old = cell(lambda f, g, cp: f * cp + (1 - f) * g, lambda o, c, cp: o * np.tanh(cp))
    assert "old cell" in _verdict(nb05.ex1, old)
    assert "should return a pair" in _verdict(nb05.ex1, lambda f, g, o, c_prev: f * c_prev)
    assert "elementwise" in _verdict(nb05.ex1, lambda f, g, o, c_prev: (f @ c_prev.T, o))
    assert _verdict(nb05.ex1, lambda f, g, o, c_prev: (____, ____), NOT_ATTEMPTED)
    assert "function itself" in _verdict(nb05.ex1, 42)


def test_nb05_ex2_rejects_known_mistakes():
    import math

    k = math.log(0.01) / math.log(0.95)
    assert "whole" in _verdict(nb05.ex2, k)
    assert "still left" in _verdict(nb05.ex2, math.floor(k))  # one step short
    assert "also after fewer" in _verdict(nb05.ex2, math.ceil(k) + 5)
    assert "time constant" in _verdict(nb05.ex2, 20)  # 1 / (1 - f)
    assert "10%" in _verdict(nb05.ex2, 45)  # where 10% is left
    assert "Give a number" in _verdict(nb05.ex2, "90")
    assert nb05.ex2.check(float(math.ceil(k))).correct


def test_nb05_ex3_rejects_known_mistakes():
    def rows(order="ifgo", start_shift=0, stop_shift=0):
        return lambda gate, H: (order.index(gate) * H + start_shift, (order.index(gate) + 1) * H + stop_shift)

    order = "ifgo"
    assert "for gate 'g' hold gate 'o'" in _verdict(nb05.ex3, rows("ifog"))
    assert "stops one past" in _verdict(nb05.ex3, rows(stop_shift=-1))
    assert "does not start" in _verdict(nb05.ex3, rows(start_shift=1, stop_shift=1))
    assert "holds" in _verdict(nb05.ex3, lambda gate, H: (0, 4 * H))
    assert "pair" in _verdict(nb05.ex3, lambda gate, H: 5)
    assert nb05.ex3.check(lambda gate, H: slice(order.index(gate) * H, (order.index(gate) + 1) * H)).correct
    assert nb05.ex3.check(lambda gate, H: [order.index(gate) * H, (order.index(gate) + 1) * H]).correct


def test_nb05_ex4_rejects_known_mistakes():
    from rnn_helpers.scratch import sigmoid

    assert "peephole term w_cf" in _verdict(nb05.ex4, lambda a_f, w_cf, c_prev: sigmoid(a_f))
    assert "inside the sigmoid" in _verdict(nb05.ex4, lambda a_f, w_cf, c_prev: sigmoid(a_f) + w_cf * c_prev)
    assert _verdict(nb05.ex4, lambda a_f, w_cf, c_prev: sigmoid(a_f - w_cf * c_prev))
    assert "elementwise" in _verdict(nb05.ex4, lambda a_f, w_cf, c_prev: sigmoid(a_f + c_prev @ w_cf))
    assert _verdict(nb05.ex4, lambda a_f, w_cf, c_prev: ____, NOT_ATTEMPTED)


def _forward(order="ifgo", act_g=np.tanh, bias=True, squash=np.tanh, transpose=False):
    from rnn_helpers.scratch import sigmoid

    def lstm_forward_step(x_t, h_prev, c_prev, W_ih, W_hh, b):
        a = (W_ih @ x_t.T).T + h_prev @ W_hh.T if transpose else x_t @ W_ih.T + h_prev @ W_hh.T
        if transpose:
            a = W_ih @ x_t + W_hh @ h_prev  # column vectors: clashes with (B, I) rows
        a = a + b if bias else a
        blocks = dict(zip(order, np.split(a, 4, axis=1), strict=True))
        i, f, g, o = sigmoid(blocks["i"]), sigmoid(blocks["f"]), act_g(blocks["g"]), sigmoid(blocks["o"])
        c = f * c_prev + i * g
        return o * squash(c), c

    return lstm_forward_step


def test_nb05_ex5_forward_rejects_known_mistakes():
    from rnn_helpers.scratch import lstm_step, sigmoid

    assert nb05.ex5.check(_forward()).correct
    assert "candidate and output blocks swapped" in _verdict(nb05.ex5, _forward(order="ifog"))
    assert "input and forget blocks swapped" in _verdict(nb05.ex5, _forward(order="figo"))
    assert "sigmoid on the candidate" in _verdict(nb05.ex5, _forward(act_g=sigmoid))
    assert "no bias" in _verdict(nb05.ex5, _forward(bias=False))
    assert "without squashing" in _verdict(nb05.ex5, _forward(squash=lambda c: c))
    assert "examples in rows" in _verdict(nb05.ex5, _forward(transpose=True))
    swapped = _forward()
    assert "order (h_t, c_t)" in _verdict(nb05.ex5, lambda *a: swapped(*a)[::-1])
    # the course's own step, handed in or called
    assert "course's own `scratch.lstm_step`" in _verdict(nb05.ex5, lstm_step)

    def via_helper(x_t, h_prev, c_prev, W_ih, W_hh, b):
        return lstm_step(x_t, h_prev, c_prev, W_ih, W_hh, b)[:2]

    assert "course's own `scratch.lstm_step`" in _verdict(nb05.ex5, via_helper)
    assert _verdict(nb05.ex5, lambda *a: (____, ____), NOT_ATTEMPTED)


def _backward(**slips):
    """The reference backward with one slip switched on."""
    from rnn_helpers.scratch import sigmoid

    def lstm_backward_step(dh, dc, x_t, h_prev, c_prev, W_ih, W_hh, b):
        a = x_t @ W_ih.T + h_prev @ W_hh.T + b
        a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)
        i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
        c_t = f * c_prev + i * g
        tc = np.tanh(c_t)
        do = dh * tc
        through_h = dh * o * (1 - tc**2)
        dc_t = (0 if slips.get("no_h_path") else through_h) + (0 if slips.get("no_dc") else dc)
        di, df, dg = dc_t * g, dc_t * c_prev, dc_t * i
        dc_prev = dc_t if slips.get("no_f") else f * dc_t
        dsig = (lambda s: 1 - s**2) if slips.get("tanh_derivative") else (lambda s: s * (1 - s))
        blocks = [di * dsig(i), df * dsig(f), dg * (1 - g**2), do * dsig(o)]
        if slips.get("swap_if"):
            blocks[0], blocks[1] = blocks[1], blocks[0]
        if slips.get("wrong_f_block"):
            blocks[1] = df * f  # the sigmoid's derivative forgotten in one gate
        da = np.concatenate(blocks, axis=1)
        grads = {"x_t": da @ W_ih, "h_prev": da @ W_hh, "c_prev": dc_prev, "W_ih": da.T @ x_t,
                 "W_hh": da.T @ h_prev, "b": da.sum(axis=0)}
        if slips.get("transpose_W"):
            grads["W_ih"] = x_t.T @ da
        if slips.get("bias_per_example"):
            grads["b"] = da
        return grads

    return lstm_backward_step


def test_nb05_ex6_backward_rejects_known_mistakes():
    from rnn_helpers import scratch

    assert nb05.ex6.check(_backward()).correct
    assert "through h_t = o_t ⊙ tanh(c_t)" in _verdict(nb05.ex6, _backward(no_h_path=True))
    assert "arrives from step t+1" in _verdict(nb05.ex6, _backward(no_dc=True))
    assert "forgets the forget gate" in _verdict(nb05.ex6, _backward(no_f=True))
    assert "s (1 - s)" in _verdict(nb05.ex6, _backward(tanh_derivative=True))
    assert "not in PyTorch's order" in _verdict(nb05.ex6, _backward(swap_if=True))
    assert "gate(s) f;" in _verdict(nb05.ex6, _backward(wrong_f_block=True))
    assert "the transpose of" in _verdict(nb05.ex6, _backward(transpose_W=True))
    assert "sums over the batch" in _verdict(nb05.ex6, _backward(bias_per_example=True))
    assert "lacks the key" in _verdict(nb05.ex6, lambda *a: {"x_t": 0})
    assert "should return a dict" in _verdict(nb05.ex6, lambda *a: [1, 2])
    assert _verdict(nb05.ex6, lambda *a: {k: ____ for k in nb05.GRAD_KEYS}, NOT_ATTEMPTED)
    assert "course's own" in _verdict(nb05.ex6, scratch.lstm_step_backward)

    def via_autograd(dh, dc, x_t, h_prev, c_prev, W_ih, W_hh, b):
        t = {k: torch.tensor(v, requires_grad=True) for k, v in
             dict(x_t=x_t, h_prev=h_prev, c_prev=c_prev, W_ih=W_ih, W_hh=W_hh, b=b).items()}
        lstm = torch.nn.LSTMCell(x_t.shape[1], h_prev.shape[1], dtype=torch.float64)
        h, c = lstm(t["x_t"], (t["h_prev"], t["c_prev"]))
        ((h * torch.tensor(dh)).sum() + (c * torch.tensor(dc)).sum()).backward()
        return {k: v.grad.numpy() for k, v in t.items()}

    assert "calls `backward`" in _verdict(nb05.ex6, via_autograd)


def test_nb05_no_message_prints_a_reference_number():
    """Every wrong answer of the tests above gets a message without digits beyond shapes and sizes."""
    import re

    messages = [nb05.ex6.check(_backward(**{s: True})).message for s in
                ("no_h_path", "no_dc", "no_f", "tanh_derivative", "swap_if", "wrong_f_block")]
    messages += [nb05.ex5.check(_forward(order=o)).message for o in ("ifog", "figo", "fgio")]
    messages += [nb05.ex2.check(k).message for k in (20, 45, 89, 91, 89.78)]
    for message in messages:
        assert not re.search(r"\d\.\d{2,}", message), message  # no decimals: no value is given away


def test_nb05_finite_difference_report():
    good = nb05.finite_difference_report(run_solution(nb05.ex5), run_solution(nb05.ex6))
    assert set(good) == set(nb05.GRAD_KEYS) and max(good.values()) < 1e-7
    bad = nb05.finite_difference_report(run_solution(nb05.ex5), _backward(no_f=True))
    assert bad["c_prev"] > 1e-3 and bad["W_ih"] < 1e-7
    assert nb05.finite_difference_report(lambda *a: (____, ____), lambda *a: ____) == {}
