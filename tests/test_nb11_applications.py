"""Chapter 11's helpers: forecasting baselines and quantile forecasters, anomaly injection and scores, character
n-gram language models, generation measures, name classification, CTC (Morse data, greedy decoding, CER,
the threshold decoder), and the plots and explorer; each with its bad-input errors."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")  # noqa: E402  (only this test process; notebooks keep their own backend)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from rnn_helpers import anomaly, ctc, forecasting, generation, ngram, viz, widgets  # noqa: E402
from rnn_helpers import name_classification as nc  # noqa: E402
from rnn_helpers.models import CharLM  # noqa: E402

# ---------------------------------------------------------------------------------------------- forecasting


def test_mae_per_horizon_and_baselines():
    pred = np.array([[1.0, 2.0], [3.0, 5.0]])
    target = np.array([[2.0, 2.0], [3.0, 1.0]])
    assert np.allclose(forecasting.mae_per_horizon(pred, target), [0.5, 2.0])
    assert np.array_equal(forecasting.persistence_forecast(np.array([1.0, 4.0]), 3), [[1, 1, 1], [4, 4, 4]])
    series = np.arange(20.0)
    idx = np.array([[10, 11], [15, 19]])
    assert np.array_equal(forecasting.seasonal_naive_forecast(series, idx, 7), series[idx - 7])


def test_forecasting_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        forecasting.mae_per_horizon(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(TypeError, match="numpy array"):
        forecasting.mae_per_horizon([[1.0]], np.zeros((1, 1)))
    with pytest.raises(ValueError, match="target_index - period"):
        forecasting.seasonal_naive_forecast(np.arange(10.0), np.array([[3]]), 7)
    with pytest.raises(TypeError, match="integers"):
        forecasting.seasonal_naive_forecast(np.arange(10.0), np.array([[3.0]]), 1)
    with pytest.raises(ValueError, match="horizon must be >= 1"):
        forecasting.persistence_forecast(np.zeros(3), 0)
    with pytest.raises(ValueError, match="lower must not exceed upper"):
        forecasting.coverage(np.ones((1, 2)), np.zeros((1, 2)), np.zeros((1, 2)))


def test_linear_ar_equals_least_squares_and_selects_on_validation():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 4, 2))
    B = rng.normal(size=(9, 3))
    A = np.column_stack([X.reshape(50, -1), np.ones(50)])
    y = A @ B + 0.01 * rng.normal(size=(50, 3))
    fit = forecasting.LinearAR.fit(X, y, lam=0.0)
    assert np.allclose(fit.coef, np.linalg.lstsq(A, y, rcond=None)[0], atol=1e-8)
    chosen = forecasting.fit_linear_ar(X[:40], y[:40], X[40:], y[40:], lams=(0.0, 1e4))
    assert chosen.lam == 0.0  # the huge penalty underfits the validation windows
    with pytest.raises(ValueError, match="inputs per window"):
        fit.predict(np.zeros((2, 3, 2)))
    with pytest.raises(TypeError, match="lams"):
        forecasting.fit_linear_ar(X, y, X, y, lams=())


def test_pinball_loss_is_minimised_by_the_quantile():
    y = torch.linspace(0, 1, 101)[:, None]  # (101, 1)
    grid = torch.linspace(0, 1, 201)
    for q in (0.1, 0.5, 0.9):
        losses = [forecasting.pinball_loss(c.expand(101, 1, 1), y, [q]).item() for c in grid]
        assert abs(grid[int(np.argmin(losses))].item() - q) < 0.011
    e = torch.tensor([[2.0]])
    assert torch.isclose(forecasting.pinball_loss(torch.zeros(1, 1, 1), e, [0.5]), torch.tensor(1.0))  # |e| / 2
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        forecasting.pinball_loss(torch.zeros(1, 1, 1), e, [1.0])
    with pytest.raises(ValueError, match=r"\(N, H, Q\)"):
        forecasting.pinball_loss(torch.zeros(1, 1, 2), e, [0.5])


def test_quantile_forecaster_trains_sorted_and_deterministic():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(64, 6, 2)).astype(np.float32)
    y = np.repeat(X[:, -1, :1], 2, axis=1)  # (64, 2): tomorrow = today's first feature
    fit = forecasting.train_quantile_forecaster(X, y, X, y, hidden_size=8, steps=60, eval_every=20, seed=3)
    again = forecasting.train_quantile_forecaster(X, y, X, y, hidden_size=8, steps=60, eval_every=20, seed=3)
    q = forecasting.predict_quantiles(fit.model, X)
    assert q.shape == (64, 2, 3) and np.all(np.diff(q, axis=-1) >= 0)
    assert np.allclose(q, forecasting.predict_quantiles(again.model, X))
    assert fit.eval_losses[0] > min(fit.eval_losses) and fit.best_step in fit.eval_steps
    with pytest.raises(ValueError, match="increasing"):
        forecasting.QuantileForecaster(2, 4, 3, quantiles=(0.9, 0.1))
    with pytest.raises(ValueError, match=r"\(N, W, 2\)"):
        fit.model(torch.zeros(3, 4, 5))
    with pytest.raises(TypeError, match="QuantileForecaster"):
        forecasting.predict_quantiles(torch.nn.Linear(2, 2), X)


def test_residual_band_and_coverage():
    rng = np.random.default_rng(2)
    y_val = rng.normal(size=(2000, 2))
    band = forecasting.residual_band(np.zeros((2000, 2)), y_val, np.zeros((3000, 2)))
    y_new = rng.normal(size=(3000, 2))
    assert abs(forecasting.coverage(*band, y_new) - 0.8) < 0.03
    with pytest.raises(ValueError, match="low must be below high"):
        forecasting.residual_band(np.zeros((5, 2)), y_val[:5], np.zeros((5, 2)), low=0.9, high=0.1)


def test_day_of_year_features():
    times = np.array(["2014-01-01", "2014-07-02", "2014-12-31"], dtype="datetime64[D]")
    f = forecasting.day_of_year_features(times)
    assert f.shape == (3, 2) and np.allclose(f[0], [0, 1]) and f[1, 1] < -0.99
    with pytest.raises(TypeError, match="datetime64"):
        forecasting.day_of_year_features(np.arange(3))


# ---------------------------------------------------------------------------------------------- anomalies


def test_inject_anomalies_labels_and_scores():
    series = np.sin(np.arange(400) / 10)
    inj = anomaly.inject_anomalies(series, 10, np.random.default_rng(0), start=50, size=8.0)
    assert len(inj.events) == 10 and inj.labels[:50].sum() == 0
    changed = inj.values != series
    assert np.all(inj.labels <= changed)  # every labelled step was changed
    for kind, t0, length in inj.events:
        if kind != "stuck":
            assert inj.labels[t0 : t0 + length].all()
    perfect = anomaly.average_precision(inj.labels.astype(float), inj.labels)
    assert perfect == 1.0
    p, r = anomaly.precision_recall(inj.labels.astype(float), inj.labels, 0.5)
    assert (p, r) == (1.0, 1.0)
    assert anomaly.precision_recall(np.zeros(400), inj.labels, 0.5) == (1.0, 0.0)
    random_ap = anomaly.average_precision(np.random.default_rng(1).random(400), inj.labels)
    assert random_ap < 0.5
    assert anomaly.threshold_from_clean(np.arange(101.0), 0.9) == 90.0


def test_anomaly_bad_input():
    with pytest.raises(ValueError, match="room for"):
        anomaly.inject_anomalies(np.zeros(30), 10, np.random.default_rng(0), start=5)
    with pytest.raises(TypeError, match="Generator"):
        anomaly.inject_anomalies(np.zeros(30), 1, 0)
    with pytest.raises(ValueError, match="kinds"):
        anomaly.inject_anomalies(np.zeros(300), 1, np.random.default_rng(0), kinds=("drift",))
    with pytest.raises(TypeError, match="boolean"):
        anomaly.precision_recall(np.zeros(3), np.array([0, 1, 0]), 0.5)
    with pytest.raises(ValueError, match="no anomaly"):
        anomaly.precision_recall(np.zeros(3), np.zeros(3, dtype=bool), 0.5)


# ---------------------------------------------------------------------------------------------- n-grams


def test_witten_bell_probabilities_sum_to_one_and_order_one_is_smoothed_unigram():
    rng = np.random.default_rng(0)
    V = 5
    ids = rng.integers(0, V, size=300)
    for order in (1, 2, 3):
        lm = ngram.CharNgramLM.fit(ids, order, V)
        for context in ([0, 1], [4, 4], [2, 3]):
            history = context[len(context) - (order - 1) :] if order > 1 else []
            total = sum(lm.probabilities(np.array([*history, x]))[-1] for x in range(V))
            assert abs(total - 1) < 1e-12
    lm1 = ngram.CharNgramLM.fit(ids, 1, V)
    counts = np.bincount(ids, minlength=V)
    expected = (counts + V * (1 / V)) / (len(ids) + V)  # every id seen: u = V
    assert np.allclose(lm1.probabilities(np.arange(V)), expected)


def test_ngram_order_choice_and_cross_entropy():
    text = np.array(list(np.tile([0, 1, 2, 3], 200)))  # a deterministic cycle: longer context is better
    best, scores = ngram.choose_order(text[:600], text[600:], 4, orders=[1, 2, 3])
    assert best >= 2 and scores[1] > scores[2]
    lm = ngram.CharNgramLM.fit(text, 2, 4)
    assert lm.nats_per_char(text[:50]) < 0.1
    with pytest.raises(ValueError, match="ids must hold ids < vocab_size"):
        lm.probabilities(np.array([0, 7]))
    with pytest.raises(TypeError, match="integer ids"):
        ngram.CharNgramLM.fit(np.zeros(10), 2, 4)
    with pytest.raises(ValueError, match="at least order"):
        lm.probabilities(np.array([1]))


def test_generation_measures_and_sampling():
    assert generation.distinct_ngrams(["abab"], 2) == pytest.approx(2 / 3)
    assert generation.distinct_ngrams(["ab", "ab"], 2) == 0.5  # pooled over texts
    assert generation.known_word_share(["the cat zzq"], {"the", "cat"}) == pytest.approx(2 / 3)
    with pytest.raises(TypeError, match="list of strings"):
        generation.distinct_ngrams("abc", 2)
    with pytest.raises(ValueError, match="no 5-grams"):
        generation.distinct_ngrams(["abc"], 5)
    with pytest.raises(TypeError, match="set of words"):
        generation.known_word_share(["a"], ["a"])
    torch.manual_seed(0)
    model = CharLM(6, 8)
    s1 = generation.sample_batch(model, [1, 2], 10, temperature=1.0, num_samples=3, seed=5)
    s2 = generation.sample_batch(model, [1, 2], 10, temperature=1.0, num_samples=3, seed=5)
    assert s1.shape == (3, 10) and np.array_equal(s1, s2) and s1.max() < 6
    cold = generation.sample_batch(model, [1, 2], 20, temperature=0.01, num_samples=4, seed=1)
    assert (cold == cold[0]).all()  # near-greedy: every sample the same
    with pytest.raises(ValueError, match="temperature must be > 0"):
        generation.sample_batch(model, [1], 3, temperature=0.0, num_samples=1)


# ---------------------------------------------------------------------------------------------- names


def test_name_table_is_consistent():
    table = nc.load_name_table()
    assert len(table.names) == 5163 and np.all((table.p_female >= 0) & (table.p_female <= 1))
    i = table.names.index("mary")
    assert table.p_female[i] > 0.99 and table.weight[i] > 1.0
    amb = table.ambiguous(0.2)
    assert 10 < amb.sum() < 200 and np.all(np.abs(table.p_female[amb] - 0.5) < 0.2)
    with pytest.raises(ValueError, match="margin must be <= 0.5"):
        table.ambiguous(0.7)


def test_ngram_features_naive_bayes_and_logistic_regression():
    assert nc.char_ngrams("ab", 2) == ["^", "a", "b", "$", "^a", "ab", "b$"]
    names = ["anna", "maria", "john", "mark", "emma", "jack"]
    p = np.array([1, 1, 0, 0, 1, 0], dtype=float)
    feats = nc.NgramFeatures.fit(names, min_count=1)
    X = feats.transform(names)
    assert X.shape == (6, len(feats.grams)) and X[0, feats.grams.index("a$")] == 1
    w, b = nc.naive_bayes_fit(X, p)
    assert np.all((X @ w + b > 0) == (p > 0.5))
    w, b = nc.logistic_regression_fit(X, p, l2=0.0, steps=200)
    assert np.all((X @ w + b > 0) == (p > 0.5))
    with pytest.raises(ValueError, match=r"p_female must lie in \[0, 1\]"):
        nc.naive_bayes_fit(X, p * 2)
    with pytest.raises(TypeError, match="non-empty string"):
        nc.char_ngrams("", 2)


def test_name_classifier_ignores_padding_and_reports():
    ids, lengths = nc.encode_names(["ab", "abcde"], "abcde")
    assert ids.shape == (2, 6) and lengths.tolist() == [3, 6] and ids[0, 2] == 6  # end marker
    torch.manual_seed(0)
    model = nc.NameClassifier(5, hidden_size=4).eval()
    alone_ids, alone_len = nc.encode_names(["ab"], "abcde")
    with torch.no_grad():
        assert torch.allclose(model(ids, lengths)[0], model(alone_ids, alone_len)[0], atol=1e-6)
    with pytest.raises(ValueError, match="outside the alphabet"):
        nc.encode_names(["ab!"], "abcde")
    report = nc.classification_report(np.array([2.0, -2.0, 1.0]), np.array([0.9, 0.2, 0.4]), np.array([1.0, 1, 2]))
    assert report["name_accuracy"] == pytest.approx(2 / 3)
    assert report["people_accuracy"] == pytest.approx((0.9 + 0.8 + 2 * 0.4) / 4)
    assert report["people_ceiling"] == pytest.approx((0.9 + 0.8 + 2 * 0.6) / 4)
    assert nc.confusion_matrix(np.array([2.0, -2.0, 1.0]), np.array([0.9, 0.2, 0.4])).tolist() == [[1, 1], [0, 1]]


def test_split_indices_partition():
    tr, va, te = nc.split_indices(100, test=0.2, val=0.1, seed=1)
    assert len(te) == 20 and len(va) == 10 and sorted([*tr, *va, *te]) == list(range(100))
    with pytest.raises(ValueError, match="test \\+ val must be < 1"):
        nc.split_indices(100, test=0.6, val=0.5)


# ---------------------------------------------------------------------------------------------- CTC


def test_morse_keying_timing():
    key = ctc.morse_keying("ET", 2)  # E = '.', T = '-': 1 unit pad, dot, 3 gap, dash, 1 unit pad
    assert key.tolist() == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0]
    assert ctc.encode_text("SOS") == [19, 15, 19] and ctc.decode_ids([19, 15, 19]) == "SOS"
    with pytest.raises(ValueError, match="capital letters"):
        ctc.encode_text("sos")
    with pytest.raises(ValueError, match="0 is the blank"):
        ctc.decode_ids([0])


def test_tone_frames_and_threshold_decoder_in_clean_and_heavy_noise():
    rng = np.random.default_rng(0)
    words = ctc.random_words(40, rng)
    clean = ctc.morse_batch(words, np.random.default_rng(1), snr_db=30)
    assert clean.x.shape[0] == 40 and clean.x.max() < 1.2 and clean.x.max() > 0.9
    decoded = [ctc.threshold_decode(clean.x[i, : clean.x_lengths[i], 0].numpy()) for i in range(40)]
    assert ctc.character_error_rate(words, decoded) == 0.0
    noisy = ctc.morse_batch(words, np.random.default_rng(1), snr_db=-12)
    decoded = [ctc.threshold_decode(noisy.x[i, : noisy.x_lengths[i], 0].numpy()) for i in range(40)]
    assert ctc.character_error_rate(words, decoded) > 0.3
    assert ctc.threshold_decode(np.zeros(20)) == ""


def test_greedy_decode_edit_distance_and_cer():
    C = 4
    path = [0, 1, 1, 0, 0, 1, 2, 2, 0, 3]
    log_probs = np.full((1, len(path), C), -10.0)
    log_probs[0, np.arange(len(path)), path] = 0.0
    assert ctc.greedy_decode(log_probs) == [[1, 1, 2, 3]]
    assert ctc.greedy_decode(log_probs, lengths=[3]) == [[1]]
    assert ctc.edit_distance("kitten", "sitting") == 3 and ctc.edit_distance("", "ab") == 2
    assert ctc.character_error_rate(["AB", "CD"], ["AB", "C"]) == 0.25
    with pytest.raises(ValueError, match="lengths"):
        ctc.greedy_decode(log_probs, lengths=[99])
    with pytest.raises(ValueError, match="empty"):
        ctc.character_error_rate([""], ["A"])
    with pytest.raises(TypeError, match="strings or lists"):
        ctc.edit_distance(3, "a")


def test_ctc_loss_equals_brute_force_sum_over_paths():
    torch.manual_seed(0)
    T, C = 4, 3
    log_y = torch.randn(1, T, C, dtype=torch.float64).log_softmax(-1)  # (B, T, C)
    target = [2, 1]

    def collapse(p):
        merged = [c for t, c in enumerate(p) if t == 0 or c != p[t - 1]]
        return [c for c in merged if c != 0]

    total = sum(torch.exp(sum(log_y[0, t, c] for t, c in enumerate(p)))
                for p in itertools.product(range(C), repeat=T) if collapse(list(p)) == target)  # fmt: skip
    batch = ctc.MorseBatch(torch.zeros(1, T, 1), torch.tensor([T]), torch.tensor([target]), torch.tensor([2]), ("",))
    loss = ctc.ctc_loss(log_y, batch)  # mean over the batch of loss / target length
    assert torch.isclose(loss, -torch.log(total) / 2, rtol=1e-9)


def test_ctc_tagger_learns_and_saves(tmp_path):
    torch.manual_seed(0)
    model = ctc.CTCTagger(8, 1)
    losses = ctc.train_ctc_tagger(model, 30, batch_size=8, seed=0)
    assert len(losses) == 30 and np.mean(losses[-5:]) < np.mean(losses[:5])
    path = ctc.save_tagger(model, tmp_path / "t.pt", info={"steps": 30})
    saved = torch.load(path, weights_only=True)
    assert saved["hidden_size"] == 8 and saved["info"]["steps"] == 30
    batch = ctc.morse_batch(["AB"], np.random.default_rng(0))
    assert isinstance(ctc.transcribe(model, batch)[0], str)
    with pytest.raises(ValueError, match=r"\(B, T, 1\)"):
        model(torch.zeros(2, 3))
    with pytest.raises(TypeError, match="CTCTagger"):
        ctc.transcribe(torch.nn.Linear(1, 1), batch)


def test_ctc_curriculum_and_half_precision_round_trip(tmp_path):
    # the curriculum: easy words first, then the noise interval slides down and stays at [-10, 10] dB
    assert ctc.curriculum_stage(1, 100, 20) == ((1, 2), (10.0, 20.0))
    assert ctc.curriculum_stage(20, 100, 20) == ((1, 2), (10.0, 20.0))
    lengths, (low, high) = ctc.curriculum_stage(40, 100, 20)  # halfway down the slide
    assert lengths == (2, 4) and low == pytest.approx(0.0) and high == pytest.approx(15.0)
    assert ctc.curriculum_stage(100, 100, 20) == ((2, 4), (-10.0, 10.0))
    steps_seen = []
    torch.manual_seed(0)
    model = ctc.CTCTagger(4, 1)
    losses = ctc.train_ctc_tagger(model, 6, batch_size=4, lr=1e-2, seed=0, warmup_steps=3, lr_drop_at=5,
                                  callback=lambda step, m, loss: steps_seen.append((step, loss)))
    assert [s for s, _ in steps_seen] == [1, 2, 3, 4, 5, 6] and [v for _, v in steps_seen] == losses
    with pytest.raises(ValueError, match="warmup_steps"):
        ctc.train_ctc_tagger(model, 2, warmup_steps=-1)
    # float16 storage halves the file and load_tagger rebuilds a float32 model equal to the rounded weights
    full = ctc.save_tagger(model, tmp_path / "full.pt", info={"steps": 6})
    half = ctc.save_tagger(model, tmp_path / "half.pt", info={"steps": 6}, half=True)
    loaded = ctc.load_tagger(half)
    stored = torch.load(half, weights_only=True)["state_dict"]
    assert all(v.dtype == torch.float16 for v in stored.values()) and loaded.info == {"steps": 6}
    assert all(v.dtype == torch.float32 for v in torch.load(full, weights_only=True)["state_dict"].values())
    for name, value in model.state_dict().items():
        assert loaded.state_dict()[name].dtype == torch.float32
        assert torch.equal(loaded.state_dict()[name], value.half().float())
    torch.save({"format": "something else"}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="ctc_tagger/1"):
        ctc.load_tagger(tmp_path / "other.pt")


def test_shipped_ctc_decoder_loads_and_reads_clean_morse():
    decoder = ctc.load_tagger()
    assert decoder.info["steps"] > 0 and not decoder.training
    words = ctc.random_words(20, np.random.default_rng(3))
    clean = ctc.morse_batch(words, np.random.default_rng(4), snr_db=20)
    assert ctc.character_error_rate(words, ctc.transcribe(decoder, clean)) < 0.05


def test_shipped_shakespeare_model_loads():
    bundle = generation.load_shakespeare_lm()
    assert bundle.model.vocab_size == len(bundle.vocab) == 76 and bundle.info["steps"] > 0
    with pytest.raises(FileNotFoundError):
        generation.load_shakespeare_lm(data_dir="/nonexistent")
    with pytest.raises(TypeError, match="data_dir"):
        generation.load_shakespeare_lm(data_dir=3)


# ---------------------------------------------------------------------------------------------- plots and explorer


def test_plots_return_axes_and_reject_bad_input():
    axes = [
        viz.plot_mae_per_horizon({"a": np.ones(3), "b": np.arange(3.0)}),
        viz.plot_confusion(np.array([[3, 1], [0, 5]])),
        viz.plot_temperature_diversity([0.5, 1.0], {"d": [0.2, 0.4]}),
        viz.plot_anomalies(np.arange(5), np.arange(5.0), np.array([0, 1, 0, 0, 0], bool), np.zeros(5, bool)),
        viz.plot_cer_vs_snr([0, 5], {"x": [0.5, 0.1]}),
        viz.plot_ctc_frames(np.ones(4), np.log(np.full((4, 3), 1 / 3)), "AB"),
        viz.plot_forecast(np.arange(3), np.ones(3), np.arange(3, 5), np.ones(2), np.ones(2),
                          band=(np.zeros(2), 2 * np.ones(2))),
    ]
    assert all(isinstance(ax, plt.Axes) for ax in axes)
    plt.close("all")
    with pytest.raises(TypeError, match="non-empty dict"):
        viz.plot_mae_per_horizon([1, 2])
    with pytest.raises(ValueError, match="one length"):
        viz.plot_cer_vs_snr([0, 1], {"a": [1, 2], "b": [1]})
    with pytest.raises(ValueError, match="square"):
        viz.plot_confusion(np.ones((2, 3)))
    with pytest.raises(TypeError, match="Axes"):
        viz.plot_confusion(np.ones((2, 2)), ax="left")


def _forecast_data():
    times = np.arange("2015-01-01", "2015-03-01", dtype="datetime64[D]")  # 59 days
    series = np.linspace(0, 10, len(times))
    target_index = 30 + np.arange(10)[:, None] + np.arange(3)  # (10, 3)
    forecasts = {"exact": series[target_index], "off by 2": series[target_index] + 2}
    bands = {"exact": (series[target_index] - 1, series[target_index] + 1)}
    return times, series, target_index, forecasts, bands


def test_draw_forecast_and_explorer_wiring():
    times, series, target_index, forecasts, bands = _forecast_data()
    ax, err = widgets.draw_forecast(times, series, target_index, forecasts, "off by 2", 4, horizon=2)
    assert err == pytest.approx(2.0) and "error 2.0 at 2 days ahead" in ax.get_title()
    _, err = widgets.draw_forecast(times, series, target_index, forecasts, "exact", 0, bands=bands)
    assert err == 0.0
    plt.close("all")
    box = widgets.forecast_explorer(times, series, target_index, forecasts, bands=bands)
    model, origin, horizon = box.children[0].children
    assert list(model.options) == ["exact", "off by 2"] and origin.max == 9 and horizon.max == 3
    model.value, origin.value, horizon.value = "off by 2", 9, 1  # redraws without error
    plt.close("all")
    with pytest.raises(ValueError, match="must have shape"):
        widgets.forecast_explorer(times, series, target_index, {"bad": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="model must be one of"):
        widgets.draw_forecast(times, series, target_index, forecasts, "nope", 0)
    with pytest.raises(ValueError, match="n must be <= 9"):
        widgets.draw_forecast(times, series, target_index, forecasts, "exact", 10)
