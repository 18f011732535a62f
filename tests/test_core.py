"""setup_notebook, environment_report, models, viz and widgets."""

from __future__ import annotations

import random

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from rnn_helpers import setup_notebook, tasks, viz, widgets
from rnn_helpers.environment import environment_report
from rnn_helpers.models import SequenceModel, count_parameters, make_rnn
from rnn_helpers.training import train


def draws():
    return random.random(), np.random.rand(), torch.rand(1).item()


def test_setup_notebook_seeds_everything_and_returns_device():
    device = setup_notebook(seed=7)
    first = draws()
    setup_notebook(seed=7)
    assert draws() == first
    setup_notebook(seed=8)
    assert draws() != first
    assert device == torch.device("cuda" if torch.cuda.is_available() else "cpu")


def test_setup_notebook_style_and_threads(monkeypatch):
    mpl.rcParams["axes.grid"] = False
    threads = torch.get_num_threads()
    try:
        setup_notebook(seed=0, threads=1)
        assert mpl.rcParams["axes.grid"] is True and torch.get_num_threads() == 1
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == "#0072B2"
        monkeypatch.setenv("RNN_COURSE_THREADS", "2")
        setup_notebook(seed=0)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(threads)


@pytest.mark.parametrize("seed, error", [(None, TypeError), (-1, ValueError), (1.5, TypeError)])
def test_setup_notebook_bad_seed(seed, error):
    with pytest.raises(error, match="seed"):
        setup_notebook(seed=seed)


def test_environment_report_flags_mismatches(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text(f"torch=={torch.__version__.split('+')[0]}\nnumpy==0.0.1  # too old\n")
    report = environment_report(req)
    assert report["packages"]["numpy"] == np.__version__
    assert report["mismatches"] == [f"numpy: pinned 0.0.1, installed {np.__version__}"]
    with pytest.raises(ValueError, match="requirements must be an existing requirements.txt file"):
        environment_report(tmp_path / "missing.txt")


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("readout, shape", [("last", (4, 3)), ("all", (4, 6, 3))])
def test_sequence_model_shapes(cell, readout, shape):
    model = SequenceModel(cell, 2, 5, 3, readout=readout)
    assert model(torch.zeros(4, 6, 2)).shape == shape
    assert model.rnn.batch_first


def test_parameter_counts_match_the_formulas():
    # per layer: gates * (H * I + H * H + 2 * H) with 1, 4, 3 gates for RNN, LSTM, GRU
    I, H = 3, 5
    for cell, gates in [("rnn", 1), ("lstm", 4), ("gru", 3)]:
        assert count_parameters(make_rnn(cell, I, H)) == gates * (H * I + H * H + 2 * H)


def test_models_bad_input():
    with pytest.raises(ValueError, match=r"cell must be one of \['rnn', 'lstm', 'gru'\], got 'transformer'"):
        make_rnn("transformer", 2, 3)
    model = SequenceModel("gru", 2, 4, 1)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, time, 2\), got \(3, 2\)"):
        model(torch.zeros(3, 2))
    with pytest.raises(TypeError, match="x must be a torch.Tensor, got ndarray"):
        model(np.zeros((1, 3, 2)))
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        count_parameters("model")


def test_plot_adding_example_marks_the_two_values():
    x, y = tasks.adding_problem(3, 30, seed=0)
    ax = viz.plot_adding_example(x[1], y[1])
    scatter = ax.collections[0].get_offsets()
    assert len(scatter) == 2
    np.testing.assert_allclose(scatter[:, 1].sum(), y[1].item(), rtol=1e-6)
    assert f"{y[1].item():.3f}" in ax.get_title()
    with pytest.raises(ValueError, match=r"x must have shape \(T, 2\)"):
        viz.plot_adding_example(x, y)
    _, ax2 = plt.subplots()
    assert viz.plot_adding_example(x[0], y[0], ax=ax2) is ax2
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        viz.plot_adding_example(x[0], y[0], ax="left")


def test_plot_training_draws_loss_and_eval():
    batch = lambda s: (torch.randn(8, 3), torch.zeros(8, 1))  # noqa: E731
    result = train(torch.nn.Linear(3, 1), batch, torch.nn.functional.mse_loss,
                   eval_fn=lambda m: 1.0, steps=10, eval_every=5, progress=False)
    ax = viz.plot_training(result, target=0.5)
    assert len(ax.lines) == 3 and list(ax.lines[1].get_xdata()) == [5, 10]
    with pytest.raises(TypeError, match="result must be a TrainResult"):
        viz.plot_training([1, 2, 3])


def test_adding_explorer_wiring(monkeypatch):
    drawn = []
    monkeypatch.setattr(viz, "plot_adding_example", lambda x, y, ax=None: drawn.append((x.shape, float(y))))
    box = widgets.adding_explorer(n=5, seed=3)
    length, index = box.children[0].children
    length.value = 30
    index.value = 4
    assert drawn[-1][0] == (30, 2)
    _, y = tasks.adding_problem(5, 30, seed=3)
    assert drawn[-1][1] == pytest.approx(y[4].item())
    with pytest.raises(ValueError, match="n must be >= 1"):
        widgets.adding_explorer(n=0)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_char_lm_shapes_state_and_chunking(cell):
    from rnn_helpers.models import CharLM

    torch.manual_seed(0)
    model = CharLM(7, 5, cell=cell)
    ids = torch.randint(0, 7, (3, 10))
    logits, state = model(ids)
    assert logits.shape == (3, 10, 7)
    # reading in two chunks with the state carried equals reading at once
    first, s = model(ids[:, :4])
    second, _ = model(ids[:, 4:], s)
    torch.testing.assert_close(torch.cat([first, second], 1), logits)


def test_char_lm_bad_input():
    from rnn_helpers.models import CharLM

    model = CharLM(5, 4)
    with pytest.raises(ValueError, match=r"ids must be an int64 tensor of shape \(batch, time\)"):
        model(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 4\], got 0..9"):
        model(torch.tensor([[0, 9]]))
    with pytest.raises(TypeError, match="ids must be a torch.Tensor"):
        model([[1, 2]])


def test_sample_chars_repeats_and_follows_temperature():
    from rnn_helpers.models import CharLM, sample_chars

    torch.manual_seed(0)
    model = CharLM(6, 8)
    with torch.no_grad():  # make id 2 by far the likeliest next character
        model.head.bias.copy_(torch.tensor([0.0, 0.0, 3.0, 0.0, 0.0, 0.0]))
        model.head.weight.zero_()
    a = sample_chars(model, [1], 200, generator=torch.Generator().manual_seed(1))
    b = sample_chars(model, [1], 200, generator=torch.Generator().manual_seed(1))
    assert a == b and len(a) == 200 and all(0 <= i < 6 for i in a)
    cold = sample_chars(model, [1], 300, temperature=0.2, generator=torch.Generator().manual_seed(2))
    hot = sample_chars(model, [1], 300, temperature=5.0, generator=torch.Generator().manual_seed(2))
    # p(2) = e^3 / (e^3 + 5) ≈ 0.80 at T = 1; near 1 when cold, near uniform (≈ 0.21) when hot
    assert cold.count(2) > 290 and hot.count(2) < 120
    with pytest.raises(ValueError, match="temperature must be > 0.0, got 0.0"):
        sample_chars(model, [1], 3, temperature=0)
    with pytest.raises(ValueError, match="prefix_ids must be a non-empty"):
        sample_chars(model, [], 3)


def test_setup_notebook_limits_numpy_blas_to_one_thread():
    from threadpoolctl import threadpool_info

    setup_notebook(seed=0)
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
