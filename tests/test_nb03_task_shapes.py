"""Tests of viz.plot_task_shapes (chapter 03): five panels, every task listed, bad input refused."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from rnn_helpers import viz  # noqa: E402

TASKS = {
    "one-to-one": ["perceptron (02)"],
    "one-to-many": [],
    "many-to-one": ["adding problem (00)", "recall (08)"],
    "many-to-many, aligned": ["char LM (03)"],
    "many-to-many, unaligned": ["dates (10)"],
}


def test_five_panels_with_every_task():
    axes = viz.plot_task_shapes(TASKS)
    try:
        assert [ax.get_title() for ax in axes] == list(viz.TASK_SHAPES)
        for ax, shape in zip(axes, viz.TASK_SHAPES, strict=True):
            text = " ".join(t.get_text() for t in ax.texts)
            for name in TASKS[shape]:
                assert name in text
        assert "none in this course" in " ".join(t.get_text() for t in axes[1].texts)
        # outputs (y boxes): 1, 3, 1, 3, 2; the unaligned panel has an encoder and a decoder
        counts = [sum(t.get_text() == "$y$" for t in ax.texts) for ax in axes]
        assert counts == [1, 3, 1, 3, 2]
        inputs = [sum(t.get_text() == "$x$" for t in ax.texts) for ax in axes]
        assert inputs == [1, 1, 3, 3, 3]
        assert {"encoder", "decoder"} <= {t.get_text() for t in axes[4].texts}
    finally:
        plt.close("all")


def test_draws_on_given_axes():
    fig, axes = plt.subplots(1, 5)
    try:
        assert list(viz.plot_task_shapes(TASKS, axes=axes)) == list(axes)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    "tasks, error, words",
    [
        ([("one-to-one", [])], TypeError, "dict"),
        ({k: v for k, v in TASKS.items() if k != "one-to-many"}, ValueError, "missing"),
        ({**TASKS, "two-to-two": []}, ValueError, "unknown"),
        ({**TASKS, "many-to-one": "adding"}, TypeError, "list of task names"),
        ({**TASKS, "many-to-one": [3]}, TypeError, "non-empty strings"),
    ],
)
def test_bad_input(tasks, error, words):
    with pytest.raises(error, match=words):
        viz.plot_task_shapes(tasks)
    plt.close("all")


def test_bad_axes():
    with pytest.raises(TypeError, match="five"):
        viz.plot_task_shapes(TASKS, axes=[None])
