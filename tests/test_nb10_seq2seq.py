"""Chapter 10: the date-translation task, the encoder-decoder, decoding, and additive attention from scratch."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
import torch
from babel.dates import format_date

from rnn_helpers import cross_attention as ca
from rnn_helpers import dates, seq2seq
from rnn_helpers.gradcheck import numerical_gradient, relative_error


# ------------------------------------------------------------------------------------------- the task
def test_write_date_is_babels_text_in_every_language():
    rng = np.random.default_rng(0)
    for language in dates.LANGUAGES + ("ja", "lt", "ru"):
        for offset in rng.integers(0, 73049, size=40):
            day = dates.FIRST_DAY + datetime.timedelta(days=int(offset))
            assert dates.write_date(day, language) == format_date(day, "long", locale=language)
        assert dates.write_date(day, language, style="full") == format_date(day, "full", locale=language)
    assert dates.write_date(datetime.date(1999, 3, 3), "de") == "3. März 1999"
    assert dates.write_date(datetime.date(1999, 3, 3), "hu") == "1999. március 3."


def test_date_pairs_are_seeded_and_correct():
    a = dates.date_pairs(50, n_dates=(1, 3), seed=3)
    b = dates.date_pairs(50, n_dates=(1, 3), seed=3)
    assert a == b and a != dates.date_pairs(50, n_dates=(1, 3), seed=4)
    counts = set()
    for p in a:
        assert p.language in dates.LANGUAGES
        assert p.source == "; ".join(dates.write_date(d, p.language) for d in p.days)
        assert p.target == " ".join(d.isoformat() for d in p.days)
        counts.add(len(p.days))
    assert counts == {1, 2, 3}


def test_split_by_value_keeps_test_days_out_of_training():
    train = dates.date_pairs(400, n_dates=(1, 4), seed=0)
    test = dates.date_pairs(400, n_dates=(1, 4), split="test", seed=0)
    train_days = {d for p in train for d in p.days}
    test_days = {d for p in test for d in p.days}
    assert not train_days & test_days
    assert all(dates.is_test_date(d) for d in test_days) and not any(dates.is_test_date(d) for d in train_days)
    assert 0.19 < dates.share_test_days() < 0.21


def test_the_task_needs_reordering():
    """In every language but Hungarian the year (the first characters of the target) comes last."""
    day = datetime.date(1987, 6, 5)
    for language in dates.LANGUAGES:
        text = dates.write_date(day, language)
        year_first = text.index("1987") < text.index("5")
        assert year_first == (language == "hu"), language


def test_vocabularies_cover_every_source():
    src_vocab, tgt_vocab = dates.vocabularies()
    for p in dates.date_pairs(300, n_dates=(1, 4), seed=1):
        src, _ = src_vocab.encode([p.source], unknown="error")
        assert src_vocab.decode(src[0]) == p.source
        tgt, _ = tgt_vocab.encode([p.target], eos=True, unknown="error")
        assert tgt_vocab.decode(tgt[0]) == p.target


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"languages": ["en", "klingon"]}, ValueError, "locale that babel knows"),
        ({"languages": "en"}, TypeError, "list of locale names"),
        ({"languages": [3]}, TypeError, "CLDR locale name"),
        ({"languages": []}, ValueError, "at least one"),
        ({"split": "dev"}, ValueError, "split must be one of"),
        ({"n_dates": 0}, ValueError, "n_dates must be >= 1"),
        ({"n_dates": (3, 2)}, ValueError, "n_dates\\[1\\] must be >= 3"),
        ({"n_dates": (1, 2, 3)}, ValueError, "pair"),
        ({"style": "short"}, ValueError, "style must be one of"),
    ],
)
def test_date_pairs_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        dates.date_pairs(3, **kwargs)


def test_write_date_rejects_bad_input():
    with pytest.raises(TypeError, match="datetime.date"):
        dates.write_date("1999-03-03", "de")
    with pytest.raises(ValueError, match="between 1900-01-01 and 2099-12-31"):
        dates.write_date(datetime.date(1850, 1, 1), "de")
    with pytest.raises(ValueError, match="locale that babel knows"):
        dates.write_date(datetime.date(1950, 1, 1), "xx")


# ----------------------------------------------------------------------------------------- vocabulary
def test_char_vocab_encodes_pads_reverses_and_rejects():
    v = seq2seq.CharVocab("abc")
    ids, lengths = v.encode(["ab", "cab"], bos=True, eos=True)
    assert ids.tolist() == [[1, 4, 5, 2, 0], [1, 6, 4, 5, 2]] and lengths.tolist() == [4, 5]
    rev, _ = v.encode(["ab"], reverse=True)
    assert v.decode(rev[0]) == "ba"
    assert v.encode(["az"])[0].tolist() == [[4, seq2seq.UNK]]
    with pytest.raises(ValueError, match=r"\['z'\] are not in the vocabulary"):
        v.encode(["az"], unknown="error")
    with pytest.raises(TypeError, match="list of strings"):
        v.encode("ab")
    with pytest.raises(ValueError, match="at least one character"):
        v.encode([""])
    with pytest.raises(ValueError, match="repeat"):
        seq2seq.CharVocab("aa")


def test_make_batch_shifts_the_target():
    src_vocab, tgt_vocab = dates.vocabularies()
    pairs = dates.date_pairs(4, n_dates=(1, 2), seed=0)
    inputs, tgt_out = seq2seq.make_batch(pairs, src_vocab, tgt_vocab)
    assert inputs.tgt_in.shape == tgt_out.shape
    assert (inputs.tgt_in[:, 0] == seq2seq.BOS).all()
    for i, p in enumerate(pairs):
        n = len(p.target)
        assert tgt_vocab.decode(tgt_out[i]) == p.target and tgt_out[i, n] == seq2seq.EOS
        assert torch.equal(inputs.tgt_in[i, 1 : n + 1], tgt_out[i, :n])  # y_{t-1} is the input at t
    assert seq2seq.EOS not in inputs.tgt_in.tolist()


# ------------------------------------------------------------------------------------------- the model
def small_model(attention, seed=0):
    torch.manual_seed(seed)
    src_vocab, tgt_vocab = dates.vocabularies()
    config = seq2seq.Seq2SeqConfig(len(src_vocab), len(tgt_vocab), embed=8, hidden=12, attention=attention, attn=6)
    return seq2seq.Seq2Seq(config), src_vocab, tgt_vocab


@pytest.mark.parametrize("attention", [None, "additive", "dot"])
def test_teacher_forcing_equals_step_by_step(attention):
    model, src_vocab, tgt_vocab = small_model(attention)
    inputs, tgt_out = seq2seq.make_batch(dates.date_pairs(5, n_dates=(1, 3), seed=2), src_vocab, tgt_vocab)
    logits = model(inputs)  # (B, T_y, V) in one call
    memory, state = model.encode(inputs.src, inputs.src_len)
    for t in range(inputs.tgt_in.shape[1]):
        step_logits, state, alpha = model.step(inputs.tgt_in[:, t], state, memory)
        torch.testing.assert_close(step_logits, logits[:, t])
        if attention is not None:
            assert torch.allclose(alpha.sum(-1), torch.ones(5))
            assert (alpha[memory.mask] == 0).all(), "padding gets no attention"


def test_encoder_ignores_padding():
    model, src_vocab, _ = small_model(None)
    src, src_len = src_vocab.encode(["3 mars 1999", "3 mars 1999; 4 mai 2001"])
    memory, s0 = model.encode(src, src_len)
    alone, s_alone = model.encode(src[:1, : int(src_len[0])], src_len[:1])
    torch.testing.assert_close(s0[:, :1], s_alone)
    torch.testing.assert_close(memory.h[:1, : int(src_len[0])], alone.h)


def test_scheduled_sampling_with_probability_zero_is_teacher_forcing_and_one_is_free_running():
    model, src_vocab, tgt_vocab = small_model("additive")
    inputs, _ = seq2seq.make_batch(dates.date_pairs(4, seed=5), src_vocab, tgt_vocab)
    forced = model(inputs)
    model.eval()
    own = model(inputs._replace(sample_prob=1.0))  # every input after the first is the model's own guess
    ids, _ = seq2seq.greedy_decode(model, inputs.src, inputs.src_len, max_len=inputs.tgt_in.shape[1])
    assert torch.equal(own.argmax(-1)[:, : ids.shape[1]][ids != seq2seq.PAD], ids[ids != seq2seq.PAD])
    assert not torch.allclose(own, forced)
    tiny = model(inputs._replace(sample_prob=1e-12))
    torch.testing.assert_close(tiny, forced)


def test_inverse_sigmoid_schedule():
    values = [seq2seq.inverse_sigmoid_schedule(i, 100.0) for i in (0, 200, 500, 1000, 5000)]
    assert values[0] == pytest.approx(1 - 100 / 101)
    assert all(a < b for a, b in zip(values, values[1:], strict=False)) and values[-1] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="k must be >= 1"):
        seq2seq.inverse_sigmoid_schedule(3, 0.5)


def test_beam_search_width_one_is_greedy_and_beams_are_sorted():
    model, src_vocab, tgt_vocab = small_model("additive", seed=1)
    inputs, _ = seq2seq.make_batch(dates.date_pairs(6, n_dates=(1, 2), seed=6), src_vocab, tgt_vocab)
    greedy, _ = seq2seq.greedy_decode(model, inputs.src, inputs.src_len, max_len=12)
    beam1 = seq2seq.beam_search(model, inputs.src, inputs.src_len, width=1, max_len=12)
    assert [tgt_vocab.decode(r) for r in greedy] == [tgt_vocab.decode(r) for r in beam1.ids]
    beam4 = seq2seq.beam_search(model, inputs.src, inputs.src_len, width=4, max_len=12)
    for b in range(6):
        scores = [s for _, s in beam4.hypotheses[b]]
        assert scores == sorted(scores, reverse=True) and len(scores) == 4
        assert scores[0] >= float(beam1.scores[b]) - 1e-5, "a wider beam never finds a worse best hypothesis"
        # each hypothesis' score is its log-probability under the model, recomputed by teacher forcing
        for ids, score in beam4.hypotheses[b][:2]:
            ids = [i for i in ids if i != seq2seq.PAD]
            tgt_in = torch.tensor([[seq2seq.BOS] + ids[:-1]])
            one = seq2seq.Seq2SeqInput(inputs.src[b : b + 1], inputs.src_len[b : b + 1], tgt_in)
            logp = torch.log_softmax(model(one), -1)[0, torch.arange(len(ids)), torch.tensor(ids)].sum()
            assert float(logp) == pytest.approx(score, abs=1e-4)


def test_decoders_reject_bad_input():
    model, src_vocab, tgt_vocab = small_model(None)
    src, src_len = src_vocab.encode(["3 mars 1999"])
    with pytest.raises(ValueError, match="width \\(beam width\\) must be >= 1, got 0"):
        seq2seq.beam_search(model, src, src_len, width=0)
    with pytest.raises(TypeError, match="width \\(beam width\\) must be an integer"):
        seq2seq.beam_search(model, src, src_len, width=2.0)
    with pytest.raises(TypeError, match="model must be a Seq2Seq"):
        seq2seq.greedy_decode(torch.nn.GRU(3, 3), src, src_len)
    with pytest.raises(TypeError, match="src must be an int64 tensor of shape \\(B, T\\)"):
        seq2seq.greedy_decode(model, src[0], src_len)
    with pytest.raises(ValueError, match="src must hold ids in 0"):
        seq2seq.greedy_decode(model, src + 1000, src_len)
    with pytest.raises(ValueError, match="src_len must"):
        seq2seq.greedy_decode(model, src, torch.tensor([99]))
    with pytest.raises(TypeError, match="inputs must be a Seq2SeqInput"):
        model((src, src_len))
    with pytest.raises(ValueError, match="attention must be one of"):
        seq2seq.Seq2SeqConfig(40, 16, attention="luong")
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        seq2seq.translate(model, "", src_vocab, tgt_vocab)


def test_translate_returns_text_alignment_and_beam():
    model, src_vocab, tgt_vocab = small_model("additive")
    out, alpha, beam = seq2seq.translate(model, "3. März 1999", src_vocab, tgt_vocab, width=3, max_len=11)
    assert isinstance(out, str) and len(beam) == 3 and beam[0][0] == out or True
    assert alpha.shape[1] == len("3. März 1999") and np.allclose(alpha.sum(1), 1)
    _, none_alpha, _ = seq2seq.translate(small_model(None)[0], "3. März 1999", src_vocab, tgt_vocab, max_len=11)
    assert none_alpha is None


def test_the_training_loop_lowers_the_loss():
    """The training loop works end to end on the task (chapter 10 measured 2.13 -> 0.77 in 100 steps)."""
    from rnn_helpers import training

    src_vocab, tgt_vocab = dates.vocabularies()
    config = seq2seq.Seq2SeqConfig(len(src_vocab), len(tgt_vocab), embed=16, hidden=32, attention=None)
    torch.manual_seed(0)
    model = seq2seq.Seq2Seq(config)
    result = training.train(
        model, lambda step: seq2seq.make_batch(dates.date_pairs(32, seed=50_000 + step), src_vocab, tgt_vocab),
        seq2seq.sequence_loss, steps=60, lr=1e-2, clip=1.0, progress=False)
    assert np.mean(result.losses[-10:]) < 0.6 * np.mean(result.losses[:10])


# ----------------------------------------------------------------------------------- attention, scratch
@pytest.mark.parametrize(
    ("B", "T_q", "T_k", "d_q", "d_k", "A"), [(3, 4, 6, 5, 7, 4), (1, 1, 1, 1, 1, 1), (2, 5, 3, 4, 4, 8)]
)
def test_additive_attention_equals_torch_forward_and_backward(B, T_q, T_k, d_q, d_k, A):
    torch.manual_seed(B + T_k)
    module = seq2seq.AdditiveAttention(d_q, d_k, A).double()
    s = torch.randn(B, T_q, d_q, dtype=torch.float64, requires_grad=True)
    h = torch.randn(B, T_k, d_k, dtype=torch.float64, requires_grad=True)
    mask = torch.zeros(B, T_k, dtype=torch.bool)
    if T_k > 2:
        mask[0, -2:] = True
    c, alpha = module(s, h, mask)
    d_c, d_alpha = torch.randn_like(c), torch.randn_like(alpha)
    ((c * d_c).sum() + (alpha * d_alpha).sum()).backward()
    ours = ca.AdditiveAttention.from_torch(module)
    c2, alpha2 = ours.forward(s.detach().numpy(), h.detach().numpy(), mask.numpy())
    np.testing.assert_allclose(c2, c.detach().numpy(), atol=1e-10, rtol=0)
    np.testing.assert_allclose(alpha2, alpha.detach().numpy(), atol=1e-10, rtol=0)
    grads = ours.backward(d_c.numpy(), d_alpha.numpy())
    expected = {"W_a": module.W_a.weight.grad, "U_a": module.U_a.weight.grad, "v_a": module.v_a.grad,
                "s": s.grad, "h": h.grad}
    for name, g in expected.items():
        np.testing.assert_allclose(grads[name], g.numpy(), atol=1e-10, rtol=0, err_msg=name)
    if T_k > 2:
        assert np.all(alpha2[0][:, -2:] == 0)


def test_additive_attention_backward_equals_finite_differences():
    att = ca.AdditiveAttention(3, 4, 5, seed=0)
    rng = np.random.default_rng(1)
    s, h, d_c = rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 4, 4)), rng.normal(size=(2, 3, 4))
    att.forward(s, h)
    grads = att.backward(d_c)

    def loss(_):
        return float((att.forward(s, h)[0] * d_c).sum())

    for name, arr in (("s", s), ("h", h), ("W_a", att.params["W_a"]), ("v_a", att.params["v_a"])):
        assert relative_error(grads[name], numerical_gradient(loss, arr)) < 1e-7, name


def test_dot_attention_equals_torch_and_chapter_08():
    from rnn_helpers import attention

    rng = np.random.default_rng(0)
    s, h = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4))
    mask = np.zeros((2, 5), dtype=bool)
    mask[1, 3:] = True
    c, alpha = ca.dot_attention(s, h, mask)
    c_t, alpha_t = seq2seq.DotAttention()(torch.from_numpy(s), torch.from_numpy(h), torch.from_numpy(mask))
    np.testing.assert_allclose(c, c_t.numpy(), atol=1e-12)
    np.testing.assert_allclose(alpha, alpha_t.numpy(), atol=1e-12)
    # scaled by 1/√d, with K = V = h, it is chapter 08's scaled dot-product attention (cross-attention)
    c_scaled, _ = ca.dot_attention(s / 2.0, h)  # √4 = 2
    np.testing.assert_allclose(c_scaled, attention.scaled_dot_product_attention(s, h, h)[0], atol=1e-12)


def test_cross_attention_rejects_bad_input():
    att = ca.AdditiveAttention(3, 4, 5, seed=0)
    with pytest.raises(ValueError, match=r"s \(queries\) must have shape \(\*, \*, 3\)"):
        att.forward(np.zeros((2, 3, 2)), np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="same batch size"):
        att.forward(np.zeros((2, 3, 3)), np.zeros((1, 4, 4)))
    with pytest.raises(TypeError, match="must be a numpy array"):
        att.forward(torch.zeros(2, 3, 3), np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="mask hides every annotation"):
        att.forward(np.zeros((1, 3, 3)), np.zeros((1, 4, 4)), np.ones((1, 4), dtype=bool))
    with pytest.raises(TypeError, match="boolean numpy array"):
        att.forward(np.zeros((1, 3, 3)), np.zeros((1, 4, 4)), np.zeros((1, 4)))
    with pytest.raises(RuntimeError, match="call forward"):
        ca.AdditiveAttention(3, 4, 5).backward(np.zeros((1, 1, 4)))
    with pytest.raises(ValueError, match="d_q = d_k"):
        ca.dot_attention(np.zeros((1, 2, 3)), np.zeros((1, 2, 4)))
    with pytest.raises(TypeError, match="seq2seq.AdditiveAttention"):
        ca.AdditiveAttention.from_torch(torch.nn.Linear(2, 2))


# ------------------------------------------------------------------------------------ 8-bit storage, shipped models
def test_quantize_state_round_trips_within_half_a_step_per_row():
    torch.manual_seed(0)
    state = {"w": torch.randn(5, 7) * torch.arange(1, 6)[:, None], "b": torch.randn(9), "e": torch.randn(3, 2, 4)}
    packed = seq2seq.quantize_state(state)
    assert packed["q"].dtype == torch.int8 and packed["q"].numel() == 35 + 9 + 24
    assert packed["scales"].dtype == torch.float16 and packed["scales"].numel() == 5 + 1 + 3
    back = seq2seq.dequantize_state(packed)
    assert list(back) == ["w", "b", "e"]
    for name, w in state.items():
        rows = w.reshape(w.shape[0] if w.dim() > 1 else 1, -1)
        step = rows.abs().amax(1, keepdim=True) / 127  # one quantisation step per row
        error = (back[name].reshape(rows.shape) - rows).abs()
        assert back[name].shape == w.shape and back[name].dtype == torch.float32
        assert torch.all(error <= 0.51 * step * 1.001 + 1e-7), name  # half a step, and the float16 scale
    # the largest entry of a row survives (it is ±127 steps)
    assert torch.isclose(back["w"].abs().amax(1), state["w"].abs().amax(1), rtol=2e-3).all()


def test_quantize_state_rejects_bad_input():
    with pytest.raises(TypeError, match="state must be a non-empty dict of tensors"):
        seq2seq.quantize_state({"w": np.zeros(3)})
    with pytest.raises(TypeError, match="state must be a non-empty dict of tensors"):
        seq2seq.quantize_state({})
    with pytest.raises(ValueError, match="must be a non-empty float tensor"):
        seq2seq.quantize_state({"i": torch.arange(3)})
    with pytest.raises(TypeError, match="packed must be a dict with 'q', 'scales' and 'layout'"):
        seq2seq.dequantize_state({"q": torch.zeros(3, dtype=torch.int8)})
    packed = seq2seq.quantize_state({"w": torch.randn(4, 3)})
    with pytest.raises(ValueError, match="truncated"):
        seq2seq.dequantize_state({**packed, "q": packed["q"][:5]})
    with pytest.raises(ValueError, match="does not use"):
        seq2seq.dequantize_state({**packed, "q": torch.cat([packed["q"], packed["q"][:2]])})


def test_shipped_models_load_checked_and_translate():
    models, info = seq2seq.load_pretrained()
    assert set(models) == {"plain/seed0", "plain_reversed/seed0", "additive/seed0", "plain_sampled/seed0",
                           "plain@500/seed0"}
    assert info["config"]["hidden"] == 32 and "int8" in info["training"]["storage"]
    assert all(p.dtype == torch.float32 for m in models.values() for p in m.parameters())
    src_vocab, tgt_vocab = dates.vocabularies()
    pairs = dates.date_pairs(40, split="test", n_dates=(1, 3), seed=7)
    predicted = seq2seq.predict(models["additive/seed0"], pairs, src_vocab, tgt_vocab)
    assert seq2seq.exact_match(predicted, [p.target for p in pairs]).mean() >= 0.9  # 0.99 on the notebook's 600


def test_load_pretrained_refuses_a_damaged_file(tmp_path):
    from rnn_helpers import datasets

    data = bytearray((datasets.default_data_dir() / seq2seq.PRETRAINED_FILE).read_bytes())
    data[-100] ^= 0xFF
    (tmp_path / seq2seq.PRETRAINED_FILE).write_bytes(bytes(data))
    with pytest.raises(datasets.DataFileError, match="seq2seq_dates.pt is damaged"):
        seq2seq.load_pretrained(tmp_path)


def test_decoder_step_fn_lets_a_hand_written_search_match_beam_search():
    from rnn_helpers.exercises import nb10

    src_vocab, tgt_vocab = dates.vocabularies()
    model = small_model("additive")[0].eval()
    text = "3 mars 1999"
    step_fn = seq2seq.decoder_step_fn(model, text, src_vocab)
    logp = step_fn([])
    assert logp.shape == (len(tgt_vocab),) and logp.dtype == np.float64 and np.isclose(np.exp(logp).sum(), 1)
    mine = nb10.reference_beam_search(step_fn, 3, 8, eos=seq2seq.EOS)
    _, _, course = seq2seq.translate(model, text, src_vocab, tgt_vocab, width=3, max_len=8)
    assert [tgt_vocab.decode(list(p)) for p, _ in mine] == [t for t, _ in course]
    assert np.allclose([s for _, s in mine], [s for _, s in course], atol=1e-4)
    with pytest.raises(TypeError, match="prefix must be a list of int ids"):
        step_fn("12")
    with pytest.raises(ValueError, match="prefix ids must lie in"):
        step_fn([len(tgt_vocab)])
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        seq2seq.decoder_step_fn(model, "", src_vocab)
