"""Exercises of 00_start_here.ipynb: the assignment's checker (the adding problem written by the learner) accepts
the reference and rejects the mistakes learners make, with messages that say what is wrong."""

from __future__ import annotations

import numpy as np

import rnn_helpers.exercises as ex
from rnn_helpers import tasks
from rnn_helpers.exercises import ____, nb00


def message(answer) -> str:
    verdict = nb00.ex3.check(answer)
    assert verdict.status == ex.INCORRECT, verdict
    return verdict.message


def test_the_reference_and_other_right_answers_pass():
    assert nb00.ex3.check(nb00.ex3.reference()).correct

    def vectorised(batch, T, rng):  # all rows at once: the two smallest of T random keys are two different steps
        values = rng.uniform(0, 1, size=(batch, T))
        marked = np.argsort(rng.random((batch, T)), axis=1)[:, :2]
        markers = np.zeros((batch, T))
        np.put_along_axis(markers, marked, 1.0, axis=1)
        return np.stack([values, markers], -1).astype(np.float32), (values * markers).sum(1, keepdims=True)

    assert nb00.ex3.check(vectorised).correct


def test_known_mistakes_get_their_own_message():
    wrong = nb00.ex3.wrong_answers()
    assert "single marker" in message(wrong[0]) and "with replacement" in message(wrong[0])
    assert "the last step is never marked" in message(wrong[1])
    assert "same two steps" in message(wrong[2])
    assert "adds every value" in message(wrong[3])
    assert "(batch, 1)" in message(wrong[4]) and "keepdims" in message(wrong[4])
    assert "wrong order" in message(wrong[5])
    assert "same seed gave different batches" in message(wrong[6])
    assert "outside [0, 1]" in message(wrong[7])
    assert "columns are swapped" in message(wrong[8])


def test_blank_helper_and_shapes():
    assert nb00.ex3.check(lambda batch, T, rng: ____).status == ex.NOT_ATTEMPTED
    assert nb00.ex3.check(lambda batch, T, rng: (____, ____)).status == ex.NOT_ATTEMPTED

    def calls_the_course(batch, T, rng):
        x, y = tasks.adding_problem(batch, T, seed=int(rng.integers(10**6)))
        return x.numpy(), y.numpy()

    assert "write it yourself" in message(calls_the_course)
    assert "Return two arrays" in message(lambda batch, T, rng: np.zeros((batch, T, 2)))

    def seeded_inside(batch, T, rng):  # ignores the rng handed in
        return nb00.ex3.reference()(batch, T, np.random.default_rng(0))

    assert "does not draw from the `rng`" in message(seeded_inside)
