"""Plots, the stepper widget and the trace helper of 03_vanilla_rnn.ipynb: what they draw, how the widget's
slider drives the plot, and their error messages."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from rnn_helpers import viz, widgets
from rnn_helpers.models import CharLM, char_lm_trace

TOKENS = [" ", "a", "c", "t"]
TEXT = "a cat"


def trace(H: int = 3):
    rng = np.random.default_rng(0)
    hidden = np.tanh(rng.standard_normal((len(TEXT), H)))  # (T, H)
    logits = rng.standard_normal((len(TEXT), len(TOKENS)))
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)  # (T, V)
    return hidden, probs


# ---------------------------------------------------------------------------------- plot_unrolled_rnn
@pytest.mark.parametrize("T", [1, 4, 8])
def test_unrolled_rnn_draws_one_node_per_step_and_shared_weights(T):
    ax = viz.plot_unrolled_rnn(T)
    texts = [t.get_text() for t in ax.texts]
    assert len(ax.patches) == 3 * T + 1  # x_t, h_t, y_t for each step, plus h_0
    for t in range(1, T + 1):
        assert f"$x_{{{t}}}$" in texts and f"$h_{{{t}}}$" in texts and f"$y_{{{t}}}$" in texts
    assert "$h_0$" in texts
    # the same three matrices label every step: shared weights
    assert texts.count("$W_{hh}$") == texts.count("$W_{xh}$") == texts.count("$W_{hy}$") == T
    assert f"T = {T}" in ax.get_title()


def test_unrolled_rnn_uses_the_given_axes_and_rejects_bad_input():
    _, ax = plt.subplots()
    assert viz.plot_unrolled_rnn(2, ax=ax) is ax
    with pytest.raises(ValueError, match="T must be <= 8, got 9"):
        viz.plot_unrolled_rnn(9)
    with pytest.raises(ValueError, match="T must be >= 1, got 0"):
        viz.plot_unrolled_rnn(0)
    with pytest.raises(TypeError, match="T must be an integer, got float"):
        viz.plot_unrolled_rnn(3.0)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        viz.plot_unrolled_rnn(3, ax="left")


# ---------------------------------------------------------------------------------- plot_rnn_step
def test_rnn_step_shows_the_state_and_the_top_k_predictions():
    hidden, probs = trace()
    t = 2  # reading "c"; the next character is "a"
    ax_text, ax_h, ax_p = viz.plot_rnn_step(TEXT, t, hidden, probs, TOKENS, k=3)
    # panel 2: one bar per hidden unit, heights h_t
    np.testing.assert_allclose([b.get_height() for b in ax_h.patches], hidden[t])
    # panel 3: the 3 most probable characters, most probable at the top (last bar)
    widths = [b.get_width() for b in ax_p.patches]
    np.testing.assert_allclose(sorted(widths), np.sort(probs[t])[-3:])
    assert widths[-1] == pytest.approx(probs[t].max())
    labels = [label.get_text() for label in ax_p.get_yticklabels()]
    expected = [("␣" if TOKENS[i] == " " else TOKENS[i]) for i in np.argsort(-probs[t], kind="stable")[:3][::-1]]
    assert labels == expected
    assert "true: 'a'" in ax_p.get_title()
    # panel 1: the text, with the character read at step t highlighted
    highlighted = [x for x in ax_text.texts if x.get_bbox_patch() is not None]
    assert [x.get_text() for x in highlighted] == ["c"] and "t = 2" in ax_text.get_title()


def test_rnn_step_true_next_character_is_coloured_and_last_step_has_none():
    hidden, probs = trace()
    _, _, ax_p = viz.plot_rnn_step(TEXT, 0, hidden, probs, TOKENS, k=4)  # next is " "
    labels = [label.get_text() for label in ax_p.get_yticklabels()]
    colours = [bar.get_facecolor() for bar in ax_p.patches]
    orange = plt.matplotlib.colors.to_rgba("#E69F00")
    assert [c == orange for c in colours] == [label == "␣" for label in labels]
    _, _, ax_last = viz.plot_rnn_step(TEXT, len(TEXT) - 1, hidden, probs, TOKENS)
    assert "true" not in ax_last.get_title()


def test_rnn_step_uses_given_axes():
    hidden, probs = trace()
    _, axes = plt.subplots(1, 3)
    assert viz.plot_rnn_step(TEXT, 1, hidden, probs, TOKENS, axes=axes) == tuple(axes)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"t": 5}, ValueError, r"t must be <= 4, got 5"),
        ({"k": 5}, ValueError, r"k must be <= 4, got 5"),
        ({"text": ""}, TypeError, r"text must be a non-empty string, got str ''"),
        ({"hidden": np.zeros((4, 3))}, ValueError, r"shape \(T, H\) with T = len\(text\) = 5, got \(4, 3\)"),
        ({"probs": np.zeros((5, 3))}, ValueError, r"probs must have shape \(T, V\) = \(5, 4\).*got \(5, 3\)"),
        ({"hidden": [[0.0]]}, TypeError, r"hidden must be a numpy array or a torch tensor, got list"),
        ({"tokens": "acat"}, TypeError, r"tokens must be a list of the V token strings, got str"),
        ({"axes": [1, 2, 3]}, TypeError, r"axes must be three matplotlib Axes or None"),
    ],
)
def test_rnn_step_bad_input(kwargs, error, match):
    hidden, probs = trace()
    args = {"text": TEXT, "t": 1, "hidden": hidden, "probs": probs, "tokens": TOKENS, **kwargs}
    with pytest.raises(error, match=match):
        viz.plot_rnn_step(args.pop("text"), args.pop("t"), args.pop("hidden"), args.pop("probs"), args.pop("tokens"),
                          **args)  # fmt: skip


# ---------------------------------------------------------------------------------- rnn_stepper
def test_stepper_slider_drives_the_plot(monkeypatch):
    hidden, probs = trace()
    drawn = []
    monkeypatch.setattr(viz, "plot_rnn_step", lambda text, t, h, p, tokens, k: drawn.append((text, t, k)))
    box = widgets.rnn_stepper(TEXT, hidden, probs, TOKENS, k=2)
    slider = box.children[0]
    assert (slider.min, slider.max, slider.value) == (0, len(TEXT) - 1, 0)
    slider.value = 3
    assert drawn[-1] == (TEXT, 3, 2)
    slider.value = 4
    assert drawn[-1] == (TEXT, 4, 2)


def test_stepper_draws_with_the_real_plot_function(monkeypatch):
    hidden, probs = trace()
    calls = []
    real = viz.plot_rnn_step
    monkeypatch.setattr(viz, "plot_rnn_step", lambda *a, **k: calls.append(real(*a, **k)))
    box = widgets.rnn_stepper(TEXT, hidden, probs, TOKENS)
    box.children[0].value = 2
    ax_text, _, _ = calls[-1]
    assert "t = 2" in ax_text.get_title()


def test_stepper_bad_input():
    hidden, probs = trace()
    with pytest.raises(ValueError, match=r"probs must have shape \(T, V\)"):
        widgets.rnn_stepper(TEXT, hidden, probs[:, :3], TOKENS)
    with pytest.raises(ValueError, match="k must be <= 4, got 7"):
        widgets.rnn_stepper(TEXT, hidden, probs, TOKENS, k=7)


# ---------------------------------------------------------------------------------- char_lm_trace
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_trace_matches_the_model_forward(cell):
    torch.manual_seed(0)
    model = CharLM(6, 5, cell=cell)
    ids = torch.tensor([0, 3, 5, 1, 1, 2])
    hidden, probs = char_lm_trace(model, ids)
    logits, _ = model(ids[None])
    out, _ = model.rnn(torch.nn.functional.one_hot(ids[None], 6).float())
    assert hidden.shape == (6, 5) and probs.shape == (6, 6) and hidden.dtype == probs.dtype == np.float64
    np.testing.assert_allclose(probs, torch.softmax(logits[0], -1).detach().numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(hidden, out[0].detach().numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-6)
    assert model.training  # the mode is restored
    # a list or a numpy array of ids gives the same
    np.testing.assert_array_equal(char_lm_trace(model, ids.tolist())[1], probs)
    np.testing.assert_array_equal(char_lm_trace(model, ids.numpy())[0], hidden)


def test_trace_with_a_state_continues_reading():
    torch.manual_seed(1)
    model = CharLM(4, 3, cell="rnn")
    ids = torch.tensor([1, 2, 3, 0, 2])
    hidden, _ = char_lm_trace(model, ids)
    _, state = model.rnn(torch.nn.functional.one_hot(ids[None, :2], 4).float())
    rest, _ = char_lm_trace(model, ids[2:], state.detach())
    np.testing.assert_allclose(rest, hidden[2:], rtol=1e-6, atol=1e-7)


def test_trace_bad_input():
    model = CharLM(4, 3, cell="rnn")
    with pytest.raises(TypeError, match="model must be a CharLM, got RNN"):
        char_lm_trace(torch.nn.RNN(4, 3), [1, 2])
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 3\], got 0..7"):
        char_lm_trace(model, [0, 7])
    with pytest.raises(ValueError, match="ids must be a non-empty 1-D sequence of integer ids"):
        char_lm_trace(model, [])
    with pytest.raises(ValueError, match="ids must be a non-empty 1-D sequence of integer ids"):
        char_lm_trace(model, torch.zeros(2, 3, dtype=torch.int64))
    with pytest.raises(ValueError, match="ids must be a non-empty 1-D sequence of integer ids"):
        char_lm_trace(model, [0.5, 1.0])
