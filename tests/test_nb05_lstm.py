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
    for exercise in (nb05.ex1, nb05.ex2, nb05.ex3, nb05.ex4):
        verdict = exercise.check(run_solution(exercise))
        assert verdict.status == CORRECT, (exercise.title, verdict.message)
        assert exercise.check(____).status == NOT_ATTEMPTED


def test_nb05_ex1_rejects_known_mistakes():
    def swapped(i, f, g, o, c_prev):
        c = i * c_prev + f * g
        return c, o * np.tanh(c)

    def no_tanh(i, f, g, o, c_prev):
        c = f * c_prev + i * g
        return c, o * c

    def blank(i, f, g, o, c_prev):
        return ____, ____

    assert "swaps the roles of i and f" in nb05.ex1.check(swapped).message
    assert "skips the tanh" in nb05.ex1.check(no_tanh).message
    assert nb05.ex1.check(blank).status == NOT_ATTEMPTED
    assert "should return a pair" in nb05.ex1.check(lambda i, f, g, o, c_prev: f * c_prev).message
    assert nb05.ex1.check(42).status == INCORRECT


def test_nb05_ex2_ex3_reject_known_mistakes():
    assert "they multiply" in nb05.ex2.check(0.95 * 50).message
    assert "part that is lost" in nb05.ex2.check(1 - 0.95**50).message
    assert nb05.ex2.check(0.95**49).status == INCORRECT
    assert nb05.ex2.check("0.077").status == INCORRECT
    assert "the input gate i" in nb05.ex3.check((0, 5)).message
    assert "the candidate g" in nb05.ex3.check((10, 15)).message
    assert "stops one past its end" in nb05.ex3.check((5, 9)).message
    assert nb05.ex3.check([5, 10]).status == CORRECT
    assert nb05.ex3.check(5).status == INCORRECT


def test_nb05_ex4_rejects_known_mistakes():
    from rnn_helpers.scratch import sigmoid

    assert "peephole term w_cf" in nb05.ex4.check(lambda a_f, w_cf, c_prev: sigmoid(a_f)).message
    outside = nb05.ex4.check(lambda a_f, w_cf, c_prev: sigmoid(a_f) + w_cf * c_prev)
    assert "inside the sigmoid" in outside.message
    assert nb05.ex4.check(lambda a_f, w_cf, c_prev: sigmoid(a_f - w_cf * c_prev)).status == INCORRECT
    assert nb05.ex4.check(lambda a_f, w_cf, c_prev: ____).status == NOT_ATTEMPTED
