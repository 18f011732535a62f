"""Exercises of 11_applications.ipynb: MAE per horizon, the seasonal-naive baseline, the fewest frames CTC needs,
the character error rate, distinct n-grams, and (assignment-size) a forecasting pipeline that beats persistence."""

from __future__ import annotations

import numpy as np

from rnn_helpers import ctc, forecasting, generation
from rnn_helpers.ctc import edit_distance
from rnn_helpers.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    as_array,
    call_learner,
    expect_callable,
    mutate,
)

# ------------------------------------------------------------------------------------------ 1: MAE per horizon


class MAEPerHorizon(Exercise):
    write_it_yourself = (forecasting.mae_per_horizon,)
    title = "Exercise 1: mean absolute error per horizon"
    hints = (
        "pred and target are (N, H): N forecasts, each H steps long. One number per horizon means averaging "
        "over the N forecasts, that is over axis 0.",
        "Which axis of (N, H) counts the forecasts? Average the absolute errors over that one and keep the other.",
    )
    solution_code = """
import numpy as np

def mae_per_horizon(pred, target):
    return np.abs(pred - target).mean(axis=0)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def mae_per_horizon(pred, target):
    return np.abs(pred - target).mean(axis=1)  # one per forecast
""",
        """
import numpy as np

def mae_per_horizon(pred, target):
    return ((pred - target) ** 2).mean(axis=0)  # squared
""",
        """
import numpy as np

def mae_per_horizon(pred, target):
    return np.abs((pred - target).mean(axis=0))  # signed errors cancel
""",
    )

    def _check(self, mae_per_horizon) -> None:
        rng = np.random.default_rng(11)
        pred, target = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
        pred[:, 3] += 2.0  # the last horizon is clearly worse
        got = as_array(call_learner(mae_per_horizon, pred.copy(), target.copy()), "mae_per_horizon")
        expected = np.abs(pred - target).mean(axis=0)
        if got.shape == (6,):
            raise Incorrect("You returned one number per forecast (N of them); average over the forecasts (axis 0) "
                            "to get one number per horizon.")
        if got.shape != (4,):
            raise Incorrect(f"The result should have one entry per horizon, shape (4,) here; yours has {got.shape}.")
        mse = ((pred - target) ** 2).mean(axis=0)
        if np.allclose(got, mse) or np.allclose(got, np.sqrt(mse)):
            raise Incorrect("That squares the errors (MSE or RMSE). MAE takes their absolute value.")
        if np.allclose(got, np.abs((pred - target).mean(axis=0))):
            raise Incorrect("You averaged the signed errors first, so positive and negative errors cancel. Take the "
                            "absolute value of each error before averaging.")
        if not np.allclose(got, expected):
            raise Incorrect("Your numbers differ from the mean absolute error per horizon on a test case.")


# ------------------------------------------------------------------------------------------ 2: seasonal naive


class SeasonalNaive(Exercise):
    write_it_yourself = (forecasting.seasonal_naive_forecast,)
    title = "Exercise 2: the seasonal-naive forecast"
    hints = (
        "The forecast for time t is the value observed exactly one period earlier.",
        "Indexing a numpy array with an array of positions answers for all of them at once: which position is "
        "one period before t?",
    )
    solution_code = """
def seasonal_naive(series, t, period):
    return series[t - period]
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def seasonal_naive(series, t, period):
    return series[t - 1]                       # persistence
""",
        """
def seasonal_naive(series, t, period):
    return series[t - period + 1]              # one step late
""",
    )

    def _check(self, seasonal_naive) -> None:
        series = np.arange(100, dtype=float) ** 1.5  # every value distinct, so every off-by-one shows
        t = np.array([40, 41, 57, 99])
        period = 30
        got = as_array(call_learner(seasonal_naive, series.copy(), t.copy(), period), "seasonal_naive")
        if got.shape != t.shape:
            raise Incorrect(f"Return one forecast per index in t: shape {t.shape}; yours has shape {got.shape}.")
        for shift, message in [
            (period - 1, "one step too late: that is the value period - 1 steps back"),
            (period + 1, "one step too early: that is the value period + 1 steps back"),
            (1, "that is the persistence forecast (the previous value), not the value one season back"),
        ]:
            if np.allclose(got, series[t - shift]):
                raise Incorrect(f"Your forecast is {message}.")
        if not np.allclose(got, series[t - period]):
            raise Incorrect("Your forecasts differ from the values one period earlier.")


# ------------------------------------------------------------------------------------------ 3: greedy CTC


class MinFrames(Exercise):
    title = "Exercise 3: how many frames does CTC need?"
    hints = (
        "Each label needs at least one frame. Where can the network get away without a blank between two labels, "
        "and where can it not?",
        "Collapse by hand the frames A B, A A and A _ A (repeats merge, then blanks vanish): which pairs of "
        "neighbouring labels need a frame between them, and which do not?",
    )
    solution_code = """
def min_frames(labels):
    repeats = sum(labels[i] == labels[i - 1] for i in range(1, len(labels)))
    return len(labels) + repeats
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def min_frames(labels):
    return len(labels)                         # repeats need a blank
""",
        """
def min_frames(labels):
    return 2 * len(labels) + 1                 # a blank everywhere
""",
    )

    def _check(self, min_frames) -> None:
        cases = [[1, 2, 3], [5, 5], [7], [1, 1, 1], [2, 3, 3, 2, 2], [4, 1, 4, 1]]
        for labels in cases:
            got = call_learner(min_frames, list(labels))
            try:
                got = int(got)
            except (TypeError, ValueError) as err:
                raise Incorrect(f"min_frames should return an integer; it returned {type(got).__name__}.") from err
            repeats = sum(labels[i] == labels[i - 1] for i in range(1, len(labels)))
            if got == len(labels) + repeats:
                continue
            if got == len(labels):
                raise Incorrect(f"For {labels} that forgets that two equal neighbours need a blank between them, or "
                                "the frame path collapses them into one.")
            if got == 2 * len(labels) + 1 or got == 2 * len(labels) - 1:
                raise Incorrect(f"For {labels} you put a blank between every pair of labels; a blank is only needed "
                                "between two equal labels.")
            raise Incorrect(f"For {labels} your count differs from the fewest frames that collapse to it.")


# ------------------------------------------------------------------------------------------ 4: CER


class CharacterErrorRate(Exercise):
    write_it_yourself = (ctc.edit_distance, ctc.character_error_rate)
    title = "Exercise 4: the character error rate"
    hints = (
        "CER = (substitutions + insertions + deletions) / (length of the reference). The fewest such edits is the "
        "Levenshtein distance; a position-by-position comparison is not enough when a letter is missing.",
        "Fill a table d[i][j], the fewest edits that turn ref[:i] into hyp[:j]; each entry follows from its three "
        "neighbours (above, left, diagonal). What are the first row and column?",
    )
    solution_code = """
def cer(ref, hyp):
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        new = [i]
        for j, h in enumerate(hyp, 1):
            new.append(min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (r != h)))
        row = new
    return row[-1] / len(ref)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
def cer(ref, hyp):
    wrong = sum(r != h for r, h in zip(ref, hyp)) + abs(len(ref) - len(hyp))
    return wrong / len(ref)                    # position by position
""",
        mutate(solution_code, "return row[-1] / len(ref)", "return row[-1]"),  # edits, not a rate
    )

    def _check(self, cer) -> None:
        cases = [("HELLO", "HELO"), ("MORSE", "MORSE"), ("SOS", "SOSS"), ("ABCD", "XBCY"), ("CTC", ""),
                 ("AB", "BAAB")]  # fmt: skip
        for ref, hyp in cases:
            got = call_learner(cer, ref, hyp)
            try:
                got = float(got)
            except (TypeError, ValueError) as err:
                raise Incorrect(f"cer should return a number; it returned {type(got).__name__}.") from err
            d = edit_distance(ref, hyp)  # the course's Levenshtein distance (rnn_helpers.ctc)
            if np.isclose(got, d / len(ref)):
                continue
            if np.isclose(got, d):
                raise Incorrect(f"For ref={ref!r}, hyp={hyp!r} you returned the number of edits; divide by the "
                                "reference's length.")
            if hyp and np.isclose(got, d / len(hyp)):
                raise Incorrect(f"For ref={ref!r}, hyp={hyp!r} you divided by the length of the hypothesis; CER "
                                "divides by the reference's length.")
            positional = sum(r != h for r, h in zip(ref, hyp, strict=False)) + abs(len(ref) - len(hyp))
            if np.isclose(got, positional / len(ref)):
                raise Incorrect(f"For ref={ref!r}, hyp={hyp!r} you compared position by position; one missing "
                                "letter then shifts everything after it. Use the edit (Levenshtein) distance.")
            raise Incorrect(f"For ref={ref!r}, hyp={hyp!r} your CER differs from edit distance / reference length.")


# ------------------------------------------------------------------------------------------ 5: distinct n-grams


class DistinctNgrams(Exercise):
    write_it_yourself = (generation.distinct_ngrams,)
    title = "Exercise 5: distinct n-grams"
    hints = (
        "Collect every n-gram (every slice text[i:i+n]) of every text into one list, then divide the number of "
        "different ones by the number of all of them.",
        "Pool first, then count: a set of the pooled n-grams holds the distinct ones. How many n-grams does a text "
        "of length L have?",
    )
    solution_code = """
def distinct_n(texts, n):
    grams = [t[i:i + n] for t in texts for i in range(len(t) - n + 1)]
    return len(set(grams)) / len(grams)
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def distinct_n(texts, n):
    return np.mean([len({t[i:i + n] for i in range(len(t) - n + 1)}) / (len(t) - n + 1) for t in texts])
""",
        """
def distinct_n(texts, n):
    return len({t[i:i + n] for t in texts for i in range(len(t) - n + 1)})   # a count
""",
    )

    def _check(self, distinct_n) -> None:
        texts = ["the cat the cat", "a cat sat", "the end"]
        for n in (2, 3):
            got = call_learner(distinct_n, list(texts), n)
            try:
                got = float(got)
            except (TypeError, ValueError) as err:
                raise Incorrect(f"distinct_n should return a number; it returned {type(got).__name__}.") from err
            grams = [t[i : i + n] for t in texts for i in range(len(t) - n + 1)]
            if np.isclose(got, len(set(grams)) / len(grams)):
                continue
            per_text = np.mean([len({t[i : i + n] for i in range(len(t) - n + 1)}) / (len(t) - n + 1) for t in texts])
            if np.isclose(got, per_text):
                raise Incorrect(f"With n={n} you averaged the ratio text by text; pool the n-grams of all texts, so "
                                "that a phrase repeated across samples counts as a repeat.")
            if np.isclose(got, len(set(grams))):
                raise Incorrect(f"With n={n} you returned the number of distinct n-grams; divide by the number of all.")
            for m in (n - 1, n + 1):
                other = [t[i : i + m] for t in texts for i in range(len(t) - m + 1)]
                if m >= 1 and np.isclose(got, len(set(other)) / len(other)):
                    raise Incorrect(f"With n={n} your n-grams have the wrong length (check the slice text[i:i+n]).")
            raise Incorrect(f"With n={n} your ratio differs from distinct / all n-grams.")


# ------------------------------------------------------------------------------------------ 6: a pipeline


def forecasting_task(data_dir=None):
    """The assignment's data: raw daily Seattle weather cut in time. Returns ``train`` (T_train, 4) float64
    (precipitation, temp_max, temp_min, wind), the test windows ``X`` (N, 28, 4) (raw units) and the truth
    ``y`` (N, 7) (temp_max in °C, the 7 days after each window)."""
    from rnn_helpers import datasets

    values = datasets.load_seattle_weather(data_dir=data_dir).values.astype(np.float64)  # (1461, 4)
    a, b = round(len(values) * 0.7), round(len(values) * 0.85)
    X, y = datasets.sliding_windows(values[b:], 28, horizon=7, targets=values[b:, 1])
    return values[:a].copy(), X.astype(np.float64), y.astype(np.float64)


class ForecastPipeline(Exercise):
    title = "Exercise 6 (assignment): a forecasting pipeline that beats persistence"
    margin = 0.05  # the pipeline's mean test MAE must be at least 5% below persistence's
    hints = (
        "Only train is yours to learn from. Cut it into (28-day window, next 7 days of temp_max) pairs with "
        "datasets.sliding_windows, standardise with statistics of train alone, fit a model, and return a "
        "function that applies the same standardisation to new windows and undoes it on the forecasts.",
        "Start with the simplest model that reads all 28 days: a linear map from the standardised window to the 7 "
        "standardised days, fit by least squares with some ridge (chapter 11's forecasting section has one), and "
        "check that your forecasts come back in °C before you try anything bigger.",
    )
    solution_code = """
import numpy as np
from rnn_helpers import datasets, forecasting

def fit_forecaster(train):
    scaler = datasets.Standardizer.fit(train)                       # training statistics only
    X, y = datasets.sliding_windows(scaler.transform(train), 28, horizon=7, targets=scaler.transform(train)[:, 1])
    model = forecasting.LinearAR.fit(X, y, lam=100.0)

    def predict(X_new):                                              # (N, 28, 4) raw -> (N, 7) in °C
        z = model.predict(scaler.transform(X_new.astype(np.float32)))
        return z * scaler.std[1] + scaler.mean[1]
    return predict
"""
    mistakes = (  # wrong answers learners give; tests check each is rejected without the answer shown
        """
import numpy as np

def fit_forecaster(train):
    def predict(X_new):                        # persistence: does not beat itself
        return np.repeat(X_new[:, -1, 1:2], 7, axis=1)
    return predict
""",
        """
import numpy as np

def fit_forecaster(train):
    mean = train[:, 1].mean()
    def predict(X_new):                        # the training mean: a climatology
        return np.full((len(X_new), 7), mean)
    return predict
""",
    )

    def _check(self, fit_forecaster) -> None:
        expect_callable(fit_forecaster)
        train, X, y = forecasting_task()
        predict = call_learner(fit_forecaster, train.copy())
        if not callable(predict):
            raise Incorrect(f"fit_forecaster should return a function predict(X); it gave {type(predict).__name__}.")
        pred = as_array(predict(X.copy()), "predict")
        if pred.shape != y.shape:
            raise Incorrect(f"predict(X) should return one row of 7 forecasts per window, shape {y.shape}; yours has "
                            f"shape {pred.shape}.")
        if not np.isfinite(pred).all():
            raise Incorrect("Some of your forecasts are NaN or infinite.")
        if np.abs(pred).max() < 5 and np.abs(y).max() > 10:
            raise NotAttempted("Your forecasts look standardised (all within ±5); convert them back to °C with the "
                               "training mean and standard deviation of temp_max.")
        persistence = np.repeat(X[:, -1, 1:2], 7, axis=1)
        mae, base = np.abs(pred - y).mean(), np.abs(persistence - y).mean()
        if mae > (1 - self.margin) * base:
            raise Incorrect(f"Your test MAE is {mae:.2f} °C; persistence (repeat the last temp_max) scores "
                            f"{base:.2f} °C. Beat it by at least {self.margin:.0%}.")


ex1 = MAEPerHorizon()
ex2 = SeasonalNaive()
ex3 = MinFrames()
ex4 = CharacterErrorRate()
ex5 = DistinctNgrams()
ex6 = ForecastPipeline()

# the blank comes with the exercises: `from rnn_helpers.exercises.nbNN import ____, ex1, ...`
__all__ = ["____", "ex1", "ex2", "ex3", "ex4", "ex5", "ex6"]
