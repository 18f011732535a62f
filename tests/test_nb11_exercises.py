"""The checkers of 11_applications.ipynb accept the reference solutions and reject the mistakes learners make,
with messages that say how an answer is wrong and never print the expected value."""

from __future__ import annotations

import numpy as np
from test_exercises import run_solution

import rnn_helpers.exercises as ex
from rnn_helpers.exercises import ____, nb11

ALL = (nb11.ex1, nb11.ex2, nb11.ex3, nb11.ex4, nb11.ex5, nb11.ex6)


def test_reference_solutions_pass_and_stubs_are_not_attempted():
    for exercise in ALL:
        assert exercise.check(run_solution(exercise)).correct, exercise.title
        assert exercise.check(____).status == ex.NOT_ATTEMPTED
        assert exercise.check(lambda *args: ____).status == ex.NOT_ATTEMPTED


def test_ex1_mae_rejects_wrong_axis_squares_and_signed_errors():
    wrong_axis = nb11.ex1.check(lambda p, t: np.abs(p - t).mean(axis=1))
    assert wrong_axis.status == ex.INCORRECT and "axis 0" in wrong_axis.message
    squared = nb11.ex1.check(lambda p, t: ((p - t) ** 2).mean(axis=0))
    assert squared.status == ex.INCORRECT and "squares" in squared.message
    signed = nb11.ex1.check(lambda p, t: np.abs((p - t).mean(axis=0)))
    assert signed.status == ex.INCORRECT and "cancel" in signed.message
    assert nb11.ex1.check(lambda p, t: np.abs(p - t).mean()).status == ex.INCORRECT  # one number overall


def test_ex2_seasonal_naive_rejects_off_by_one_and_persistence():
    for shift, word in [(29, "late"), (31, "early"), (1, "persistence")]:
        verdict = nb11.ex2.check(lambda s, t, period, k=shift: s[t - k])
        assert verdict.status == ex.INCORRECT and word in verdict.message
    assert nb11.ex2.check(lambda s, t, period: s[:3]).status == ex.INCORRECT  # wrong shape


def test_ex3_min_frames_rejects_forgotten_and_excess_blanks():
    forgot = nb11.ex3.check(lambda labels: len(labels))
    assert forgot.status == ex.INCORRECT and "equal neighbours" in forgot.message
    every = nb11.ex3.check(lambda labels: 2 * len(labels) - 1)
    assert every.status == ex.INCORRECT and "every pair" in every.message
    assert nb11.ex3.check(lambda labels: [1]).status == ex.INCORRECT


def test_ex4_cer_rejects_counts_wrong_denominator_and_positional_comparison():
    def lev(a, b):
        row = list(range(len(b) + 1))
        for i, x in enumerate(a, 1):
            new = [i]
            for j, y in enumerate(b, 1):
                new.append(min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (x != y)))
            row = new
        return row[-1]

    counts = nb11.ex4.check(lambda r, h: lev(r, h))
    assert counts.status == ex.INCORRECT and "number of edits" in counts.message
    by_hyp = nb11.ex4.check(lambda r, h: lev(r, h) / max(len(h), 1))
    assert by_hyp.status == ex.INCORRECT and "hypothesis" in by_hyp.message
    positional = nb11.ex4.check(
        lambda r, h: (sum(a != b for a, b in zip(r, h, strict=False)) + abs(len(r) - len(h))) / len(r))
    assert positional.status == ex.INCORRECT and "position by position" in positional.message


def test_ex5_distinct_rejects_per_text_average_counts_and_wrong_n():
    def per_text(texts, n):
        return float(np.mean([len({t[i:i + n] for i in range(len(t) - n + 1)}) / (len(t) - n + 1) for t in texts]))

    verdict = nb11.ex5.check(per_text)
    assert verdict.status == ex.INCORRECT and "pool" in verdict.message
    count = nb11.ex5.check(lambda texts, n: len({t[i:i + n] for t in texts for i in range(len(t) - n + 1)}))
    assert count.status == ex.INCORRECT and "number of distinct" in count.message

    def wrong_n(texts, n):
        grams = [t[i:i + n + 1] for t in texts for i in range(len(t) - n)]
        return len(set(grams)) / len(grams)

    assert "wrong length" in nb11.ex5.check(wrong_n).message


def test_ex6_pipeline_rejects_persistence_scaled_output_and_wrong_shapes():
    def persistence(train):
        return lambda X: np.repeat(X[:, -1, 1:2], 7, axis=1)

    verdict = nb11.ex6.check(persistence)
    assert verdict.status == ex.INCORRECT and "Beat it by at least 5%" in verdict.message

    def standardised(train):
        mean, std = train[:, 1].mean(), train[:, 1].std()
        return lambda X: (np.repeat(X[:, -1, 1:2], 7, axis=1) - mean) / std

    assert nb11.ex6.check(standardised).status == ex.NOT_ATTEMPTED
    assert "standardised" in nb11.ex6.check(standardised).message
    assert nb11.ex6.check(lambda train: (lambda X: np.zeros((len(X), 3)))).status == ex.INCORRECT
    assert nb11.ex6.check(lambda train: 3).status == ex.INCORRECT
    assert nb11.ex6.check(lambda train: (lambda X: np.full((len(X), 7), np.nan))).status == ex.INCORRECT


def test_messages_never_print_the_expected_answer():
    train, X, y = nb11.forecasting_task()
    assert X.shape[1:] == (28, 4) and y.shape[1] == 7 and len(train) > 900
    wrong = nb11.ex2.check(lambda s, t, period: s[t - period] + 1.0)
    assert wrong.status == ex.INCORRECT
    series = np.arange(100, dtype=float) ** 1.5
    for value in series[np.array([40, 41, 57, 99]) - 30]:
        assert f"{value:.6g}" not in wrong.message


def test_short_exercises_refuse_the_course_helpers():
    from rnn_helpers import ctc, forecasting, generation

    answers = {
        nb11.ex1: forecasting.mae_per_horizon,
        nb11.ex2: lambda series, t, period: forecasting.seasonal_naive_forecast(series, t, period),
        nb11.ex4: lambda ref, hyp: ctc.edit_distance(ref, hyp) / len(ref),
        nb11.ex5: generation.distinct_ngrams,
    }
    for exercise, answer in answers.items():
        verdict = exercise.check(answer)
        assert verdict.status == ex.INCORRECT and "course's own" in verdict.message, (exercise.title, verdict)
