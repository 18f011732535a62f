"""The checkers of 09_hidden_state_lab.ipynb accept the reference solutions and reject known wrong answers."""

from __future__ import annotations

import numpy as np
from test_exercises import run_solution

import rnn_helpers.exercises as ex
from rnn_helpers.exercises import ____, nb09


def test_reference_solutions_pass():
    for exercise in (nb09.ex1, nb09.ex2, nb09.ex3):
        verdict = exercise.check(run_solution(exercise))
        assert verdict.correct, f"{exercise.title}: {verdict.message}"


def test_untouched_stubs_are_not_attempted():
    for exercise in (nb09.ex1, nb09.ex2, nb09.ex3):
        assert exercise.check(____).status == ex.NOT_ATTEMPTED
        assert exercise.check(lambda *args: ____).status == ex.NOT_ATTEMPTED


def test_ex1_position_in_word_rejects_wrong_features():
    def counts_from_zero(text):  # 0, 1, 2, ... along a word: off by one
        values, k = [], -1
        for ch in text:
            k = k + 1 if ch.isalnum() or ch == "_" else -1
            values.append(max(k, 0))
        return np.array(values, float)

    def letters_only(text):  # forgets digits and underscores
        values, k = [], 0
        for ch in text:
            k = k + 1 if ch.isalpha() else 0
            values.append(k)
        return np.array(values, float)

    for wrong in (counts_from_zero, letters_only, lambda text: np.zeros(len(text) + 1), lambda text: "abc"):
        verdict = nb09.ex1.check(wrong)
        assert verdict.status == ex.INCORRECT, wrong
    assert "one value per character" in nb09.ex1.check(lambda text: np.zeros(len(text) + 1)).message
    assert nb09.ex1.check(3).status == ex.INCORRECT


def test_ex2_saturation_rejects_swapped_and_non_strict_answers():
    swapped = nb09.ex2.check(lambda g, low=0.1, high=0.9: ((g > high).mean(0), (g < low).mean(0)))
    assert swapped.status == ex.INCORRECT and "swapped" in swapped.message
    non_strict = nb09.ex2.check(lambda g, low=0.1, high=0.9: ((g <= low).mean(0), (g >= high).mean(0)))
    assert non_strict.status == ex.INCORRECT
    over_units = nb09.ex2.check(lambda g, low=0.1, high=0.9: ((g < low).mean(1), (g > high).mean(1)))
    assert over_units.status == ex.INCORRECT
    assert nb09.ex2.check(lambda g, low=0.1, high=0.9: (g < low).mean(0)).status == ex.INCORRECT


def test_ex3_best_unit_rejects_signed_ranking_and_wrong_types():
    def by_signed_r(activations, feature):
        r = [np.corrcoef(activations[:, j], feature)[0, 1] for j in range(activations.shape[1])]
        return int(np.argmax(r))

    verdict = nb09.ex3.check(by_signed_r)
    assert verdict.status == ex.INCORRECT and "absolute value" in verdict.message
    assert nb09.ex3.check(lambda a, f: 0).status == ex.INCORRECT
    assert "as an int" in nb09.ex3.check(lambda a, f: 4.0).message
    assert nb09.ex3.check(lambda a, f: int(np.argmax(a.var(0)))).status == ex.INCORRECT


def test_ex3_best_unit_rejects_answers_that_are_not_a_correlation():
    def dot_product(activations, feature):  # no centring: large offsets win
        return int(np.argmax(np.abs(activations.T @ feature)))

    def covariance(activations, feature):  # centred but not scaled: large spreads win
        a = activations - activations.mean(0)
        return int(np.argmax(np.abs(a.T @ (feature - feature.mean()))))

    def difference_of_means(activations, feature):  # mean inside minus mean outside, unscaled
        on = feature > 0.5
        return int(np.argmax(np.abs(activations[on].mean(0) - activations[~on].mean(0))))

    def largest_mean_where_on(activations, feature):
        return int(np.argmax(np.abs(activations[feature > 0.5].mean(0))))

    def cosine_similarity(activations, feature):  # scaled but not centred
        a = activations / np.linalg.norm(activations, axis=0)
        return int(np.argmax(np.abs(a.T @ feature)))

    messages = {}
    for wrong in (dot_product, covariance, difference_of_means, largest_mean_where_on, cosine_similarity):
        verdict = nb09.ex3.check(wrong)
        assert verdict.status == ex.INCORRECT, wrong.__name__
        messages[wrong.__name__] = verdict.message
    assert "subtract each unit's mean" in messages["dot_product"]
    assert "spread" in messages["covariance"] and "spread" in messages["difference_of_means"]

    def correlation_vectorised(activations, feature):  # a right answer written another way
        a = (activations - activations.mean(0)) / activations.std(0)
        return int(np.argmax(np.abs(a.T @ (feature - feature.mean()))))

    assert nb09.ex3.check(correlation_vectorised).correct


# ------------------------------------------------------------------------------------- the assignment
def _probe_r2(intercept=True, fit_on="train", score_on="test", r2="proper", scale=None):
    """A learner's held-out probe with one of the usual slips."""
    def probe_r2(train_states, train_feature, test_states, test_feature):
        S_tr, S_te = train_states, test_states
        if scale == "own":
            S_tr = (S_tr - S_tr.mean(0)) / S_tr.std(0)
            S_te = (S_te - S_te.mean(0)) / S_te.std(0)
        elif scale == "train":
            mu, sd = S_tr.mean(0), S_tr.std(0)
            S_tr, S_te = (S_tr - mu) / sd, (S_te - mu) / sd

        def design(S):
            return np.hstack([S, np.ones((len(S), 1))]) if intercept else S

        fit_S, fit_y = (S_tr, train_feature) if fit_on == "train" else (S_te, test_feature)
        w = np.linalg.lstsq(design(fit_S), fit_y, rcond=None)[0]
        S, y = (S_te, test_feature) if score_on == "test" else (S_tr, train_feature)
        pred = design(S) @ w
        if r2 == "corr":
            return float(np.corrcoef(pred, y)[0, 1] ** 2)
        mean = {"proper": y.mean(), "train_mean": train_feature.mean(), "zero": 0.0}[r2]
        return float(1 - np.sum((y - pred) ** 2) / np.sum((y - mean) ** 2))

    return probe_r2


def test_nb09_ex4_probe_rejects_known_mistakes():
    e = nb09.ex4
    assert e.check(_probe_r2()).correct
    assert e.check(_probe_r2(scale="train")).correct  # standardising with the training statistics changes nothing
    cases = {
        "no offset": _probe_r2(intercept=False),
        "on the training text": _probe_r2(score_on="train"),
        "fit on the test text": _probe_r2(fit_on="test"),
        "squared correlation": _probe_r2(r2="corr"),
        "training text's mean": _probe_r2(r2="train_mean"),
        "subtract the feature's mean": _probe_r2(r2="zero"),
        "their own mean and spread": _probe_r2(scale="own"),
    }
    for phrase, answer in cases.items():
        verdict = e.check(answer)
        assert verdict.status == ex.INCORRECT and phrase in verdict.message, (phrase, verdict.message)
    assert "higher than" in e.check(lambda *a: 0.999).message
    assert "one number" in e.check(lambda *a: np.zeros(3)).message
    assert e.check(lambda *a: ____).status == ex.NOT_ATTEMPTED


def test_nb09_ex3_rejects_the_course_finder():
    from rnn_helpers import probe

    verdict = nb09.ex3.check(lambda acts, feature: probe.find_units(acts, feature, top=1)[0][0])
    assert verdict.status == ex.INCORRECT and "find_units" in verdict.message and "course's own" in verdict.message


def test_nb09_ex2_rejects_the_course_saturation():
    from rnn_helpers import probe

    verdict = nb09.ex2.check(lambda gate, low=0.1, high=0.9: probe.gate_saturation(gate, low=low, high=high))
    assert verdict.status == ex.INCORRECT and "gate_saturation" in verdict.message and "course's own" in verdict.message
