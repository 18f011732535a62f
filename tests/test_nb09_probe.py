"""rnn_helpers.probe: recordings against torch, gates against torch's own arithmetic, features against Python's
tokenizer, the unit finder against numpy, and the pretrained file's loader (09_hidden_state_lab.ipynb)."""

from __future__ import annotations

import io
import math
import shutil
import sys
import tokenize

import numpy as np
import pytest
import torch

from rnn_helpers import datasets, probe
from rnn_helpers.models import CharLM, SequenceModel

TOL = {"rtol": 1e-10, "atol": 1e-10}
ARCHITECTURES = [(1, False), (2, False), (1, True), (3, True)]  # (num_layers, bidirectional)
CLASSES = {"rnn_tanh": torch.nn.RNN, "rnn_relu": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def module(kind, layers, bidirectional, I=3, H=4, seed=0):
    torch.manual_seed(seed)
    options = {"nonlinearity": kind[4:]} if kind.startswith("rnn") else {}
    return CLASSES[kind](I, H, num_layers=layers, bidirectional=bidirectional, batch_first=True,
                         dtype=torch.float64, **options)  # fmt: skip


def random_state(kind, m, B, rng):
    n = m.num_layers * (2 if m.bidirectional else 1)
    h0 = torch.from_numpy(rng.standard_normal((n, B, m.hidden_size)))
    return (h0, torch.from_numpy(rng.standard_normal((n, B, m.hidden_size)))) if kind == "lstm" else h0


# ---------------------------------------------------------------------------------------- recordings vs torch
@pytest.mark.parametrize("kind", list(CLASSES))
@pytest.mark.parametrize("layers, bidirectional", ARCHITECTURES)
@pytest.mark.parametrize("with_state", [False, True])
def test_recording_equals_torch_output_and_final_states(kind, layers, bidirectional, with_state):
    m = module(kind, layers, bidirectional)
    rng = np.random.default_rng(1)
    x = torch.from_numpy(rng.standard_normal((2, 6, 3)))  # (B, T, I)
    state = random_state(kind, m, 2, rng) if with_state else None
    out, final = m(x, state)
    rec = probe.record(m, x, state)
    torch.testing.assert_close(torch.from_numpy(rec.output), out.detach(), **TOL)
    h_n = final[0] if kind == "lstm" else final
    torch.testing.assert_close(torch.from_numpy(rec.h_n), h_n.detach(), **TOL)
    if kind == "lstm":
        torch.testing.assert_close(torch.from_numpy(rec.c_n), final[1].detach(), **TOL)
    else:
        assert rec.c_n is None and rec.cells is None
    D = 2 if bidirectional else 1
    assert (rec.num_layers, rec.num_directions, rec.hidden_size) == (layers, D, 4)
    assert all(h.shape == (2, 6, 4) for per_layer in rec.hidden for h in per_layer)


@pytest.mark.parametrize("kind", ["rnn_tanh", "lstm", "gru"])
def test_every_intermediate_layer_equals_a_truncated_torch_module(kind):
    """Layer k's recorded states equal the output of a torch module holding only layers 0..k."""
    m = module(kind, 3, True)
    x = torch.from_numpy(np.random.default_rng(2).standard_normal((3, 5, 3)))
    rec = probe.record(m, x)
    for k in range(3):
        part = module(kind, k + 1, True)
        part.load_state_dict({n: p for n, p in m.state_dict().items() if int(n.split("_l")[1][0]) <= k})
        out, _ = part(x)
        torch.testing.assert_close(torch.from_numpy(np.concatenate(rec.hidden[k], axis=2)), out.detach(), **TOL)


def torch_lstm_gates(m, suffix, x_in, h_prev):
    """i, f, g, o computed with torch from the module's weights: (B, T, H) each."""
    W_ih, W_hh = getattr(m, "weight_ih" + suffix), getattr(m, "weight_hh" + suffix)
    b = getattr(m, "bias_ih" + suffix) + getattr(m, "bias_hh" + suffix)
    a = x_in @ W_ih.T + h_prev @ W_hh.T + b  # (B, T, 4H)
    a_i, a_f, a_g, a_o = a.chunk(4, dim=-1)
    return {"i": a_i.sigmoid(), "f": a_f.sigmoid(), "g": a_g.tanh(), "o": a_o.sigmoid()}


def torch_gru_gates(m, suffix, x_in, h_prev):
    a_ir, a_iz, a_in = (x_in @ getattr(m, "weight_ih" + suffix).T + getattr(m, "bias_ih" + suffix)).chunk(3, -1)
    a_hr, a_hz, a_hn = (h_prev @ getattr(m, "weight_hh" + suffix).T + getattr(m, "bias_hh" + suffix)).chunk(3, -1)
    r, z = (a_ir + a_hr).sigmoid(), (a_iz + a_hz).sigmoid()
    return {"r": r, "z": z, "n": (a_in + r * a_hn).tanh()}


def previous_states(h, reverse):
    """h_{t-1} for every t (h_{t+1} for a reverse direction), with the zero initial state: (B, T, H)."""
    zero = torch.zeros_like(h[:, :1])
    return torch.cat([h[:, 1:], zero], 1) if reverse else torch.cat([zero, h[:, :-1]], 1)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_recorded_gates_and_cells_follow_torch_weights(kind):
    """Gates recomputed with torch ops from torch's own weights and the recorded states; cells obey
    c_t = f ⊙ c_{t-1} + i ⊙ g and h_t = o ⊙ tanh(c_t)."""
    m = module(kind, 2, True, H=5)
    x = torch.from_numpy(np.random.default_rng(3).standard_normal((2, 7, 3)))
    rec = probe.record(m, x)
    x_in = x
    for k in range(2):
        for d in range(2):
            suffix = f"_l{k}" + ("_reverse" if d else "")
            h = torch.from_numpy(rec.hidden[k][d])
            h_prev = previous_states(h, reverse=d == 1)
            expected = (torch_lstm_gates if kind == "lstm" else torch_gru_gates)(m, suffix, x_in, h_prev)
            for name, value in expected.items():
                torch.testing.assert_close(torch.from_numpy(rec.gates[k][d][name]), value.detach(), **TOL)
            if kind == "lstm":
                g = {n: torch.from_numpy(v) for n, v in rec.gates[k][d].items()}
                c = torch.from_numpy(rec.cells[k][d])
                c_prev = previous_states(c, reverse=d == 1)
                torch.testing.assert_close(c, g["f"] * c_prev + g["i"] * g["g"], **TOL)
                torch.testing.assert_close(h, g["o"] * c.tanh(), **TOL)
        x_in = torch.from_numpy(np.concatenate(rec.hidden[k], axis=2))


def test_recorded_gates_equal_the_scratch_cells():
    from rnn_helpers import scratch

    m = module("lstm", 2, False)
    x = np.random.default_rng(4).standard_normal((2, 5, 3))
    rec = probe.record(m, x)
    layer1 = scratch.LSTM.from_torch(m, layer=1)
    layer1.forward(rec.hidden[0][0])
    for name, value in layer1.gates.items():  # torch's matrix products against numpy's: rounding only
        np.testing.assert_allclose(rec.gates[1][0][name], value, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(rec.cells[1][0], layer1.cells, rtol=1e-12, atol=1e-14)


def test_float32_module_and_models_from_the_course():
    torch.manual_seed(0)
    model = SequenceModel("gru", 2, 6, 1, num_layers=2)  # float32
    x = torch.randn(3, 8, 2)
    rec = probe.record(model.rnn, x)
    torch.testing.assert_close(torch.from_numpy(rec.output).float(), model.rnn(x)[0].detach(), rtol=1e-5, atol=1e-6)
    lm = CharLM(6, 5, cell="lstm", num_layers=2)
    vocab = datasets.Vocabulary.from_text("abc()'")
    rec = probe.record_text(lm, vocab, "a(b)'c'")
    logits, _ = lm(torch.from_numpy(vocab.encode("a(b)'c'"))[None])
    head = lm.head(torch.from_numpy(rec.output).float())  # the read-out of the recorded states
    torch.testing.assert_close(head, logits.detach(), rtol=1e-5, atol=1e-5)
    assert rec.text == "a(b)'c'" and rec.select("f", layer=0).shape == (7, 5)


def test_select_and_names():
    rec = probe.record(module("gru", 2, True), np.random.default_rng(0).standard_normal((2, 4, 3)))
    assert rec.names() == ["hidden", "r", "z", "n"]
    np.testing.assert_array_equal(rec.select("z", layer=-1, direction=1, batch=1), rec.gates[1][1]["z"][1])
    every = rec.select("hidden", layer=0)  # batch=None: the sequences one after another, (B·T, H)
    np.testing.assert_array_equal(every, np.concatenate([rec.hidden[0][0][0], rec.hidden[0][0][1]]))
    with pytest.raises(ValueError, match="this recording has no text"):
        rec.feature(probe.column)
    with pytest.raises(ValueError, match=r"what must be one of \['hidden', 'r', 'z', 'n'\], got 'cell'"):
        rec.select("cell")
    with pytest.raises(ValueError, match="layer must be <= 1, got 2"):
        rec.select("hidden", layer=2)
    with pytest.raises(ValueError, match="batch must be <= 1, got 2"):
        rec.select("hidden", batch=2)


def test_record_text_reads_a_batch_of_texts_and_lays_out_features():
    torch.manual_seed(0)
    lm, vocab = CharLM(96, 5, num_layers=2), probe.python_vocabulary()
    texts = ["x = '(a)'\n", "def f(y):\n"]  # one length: 10
    rec = probe.record_text(lm, vocab, texts)
    for b, text in enumerate(texts):
        alone = probe.record_text(lm, vocab, text)
        # float32, the model's dtype: a batch and a single sequence round differently in torch's kernels
        np.testing.assert_allclose(rec.select("cell", 1, batch=b), alone.select("cell", 1), rtol=0, atol=1e-6)
        np.testing.assert_array_equal(alone.feature(probe.column), probe.column(text))
    assert rec.select("f", 0).shape == (20, 5) and rec.text == texts
    np.testing.assert_array_equal(rec.feature(probe.in_string), np.concatenate([probe.in_string(t) for t in texts]))
    with pytest.raises(ValueError, match=r"the texts of a batch must have one length, got lengths \[2, 3\]"):
        probe.record_text(lm, vocab, ["ab", "abc"])
    with pytest.raises(TypeError, match="function must be callable"):
        rec.feature("in_string")


def test_one_hot():
    x = probe.one_hot(np.array([2, 0, 2]), 3)
    np.testing.assert_array_equal(x, [[[0, 0, 1], [1, 0, 0], [0, 0, 1]]])
    with pytest.raises(ValueError, match=r"ids must be a 1-D array of integers in \[0, 2\]"):
        probe.one_hot(np.array([3]), 3)
    with pytest.raises(ValueError, match="ids must be a 1-D array of integers"):
        probe.one_hot(np.array([0.5]), 3)


def test_record_rejects_bad_input():
    m = module("lstm", 1, False)
    with pytest.raises(ValueError, match="module has no recurrent layer to record: expected a torch.nn.RNN, nn.LSTM "
                       "or nn.GRU inside Linear"):
        probe.record(torch.nn.Linear(3, 4), np.zeros((1, 2, 3)))
    with pytest.raises(TypeError, match="module must be a torch.nn.Module, got"):
        probe.record("lstm", np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match="batch_first=True"):
        probe.record(torch.nn.GRU(3, 4), np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match=r"got \(5, 3\); for a single sequence pass x\[None\]"):
        probe.record(m, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"x must have shape \(B, T, 3\) with B, T >= 1, got \(1, 5, 2\)"):
        probe.record(m, np.zeros((1, 5, 2)))
    with pytest.raises(TypeError, match="x must be a numpy array or a torch tensor"):
        probe.record(m, [[[0.0, 0.0, 0.0]]])
    with pytest.raises(TypeError, match=r"an LSTM's state must be a tuple \(h0, c0\)"):
        probe.record(m, np.zeros((1, 2, 3)), np.zeros((1, 1, 4)))
    with pytest.raises(ValueError, match=r"h0 must have torch's layout \(layers·directions, B, H\) = \(1, 1, 4\)"):
        probe.record(m, np.zeros((1, 2, 3)), (np.zeros((1, 4)), np.zeros((1, 1, 4))))
    lm = CharLM(4, 3)
    with pytest.raises(ValueError, match="vocab must be the model's Vocabulary"):
        probe.record_text(lm, datasets.Vocabulary.from_text("ab"), "ab")
    with pytest.raises(TypeError, match="model must be a models.CharLM"):
        probe.record_text(m, datasets.Vocabulary.from_text("abcd"), "ab")
    with pytest.raises(ValueError, match="text must be a non-empty string or a list of them"):
        probe.record_text(lm, datasets.Vocabulary.from_text("abcd"), "")


# -------------------------------------------------------------------------------------------------- features
def test_features_on_small_examples():
    text = 'f("a(", x[0]) # q"\n'
    np.testing.assert_array_equal(probe.in_string(text), [0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(probe.in_comment(text), [0] * 14 + [1, 1, 1, 1, 0])
    np.testing.assert_array_equal(probe.bracket_depth(text), [0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(probe.column("ab\ncd"), [1, 2, 0, 1, 2])
    np.testing.assert_array_equal(probe.indentation("a\n  b c\n"), [0, 0, 1, 2, 2, 2, 2, 0])
    np.testing.assert_array_equal(probe.is_vowel("Ab1e"), [1, 0, np.nan, 1])
    assert probe.in_string('"""a"b"""').tolist() == [1, 1, 1, 1, 1, 1, 1, 1, 0]
    assert probe.in_string(r"'a\'b'").tolist() == [1, 1, 1, 1, 1, 0]
    assert probe.in_string("'ab\nc").tolist() == [1, 1, 1, 0, 0]  # an unterminated one-quote string ends at the line
    assert probe.bracket_depth(")(").tolist() == [0, 1]
    assert set(probe.FEATURES) == {"in_string", "in_comment", "bracket_depth", "column", "indentation", "is_vowel"}
    for name, feature in probe.FEATURES.items():
        assert feature("").shape == (0,), name
        with pytest.raises(TypeError, match="text must be a string"):
            feature(b"abc")


def tokenizer_masks(text):
    """Strings, comments and bracket depth from Python's own tokenizer (an independent reference)."""
    lines = text.splitlines(keepends=True)
    starts = np.cumsum([0] + [len(line) for line in lines])
    string, comment = np.zeros(len(text), bool), np.zeros(len(text), bool)
    depth_change = np.zeros(len(text))
    open_fstring = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        a = starts[tok.start[0] - 1] + tok.start[1]
        b = starts[tok.end[0] - 1] + tok.end[1]
        name = tokenize.tok_name[tok.type]
        if name == "STRING":
            a += len(tok.string) - len(tok.string.lstrip("rbufRBUF"))  # a prefix such as r or b is outside
            string[a : b - 1] = True  # the opening quote is inside, the last closing quote outside
        elif name == "FSTRING_START":  # Python 3.12+ splits f-strings into tokens
            open_fstring.append(a + len(tok.string) - len(tok.string.lstrip("rbufRBUF")))
        elif name == "FSTRING_END":
            string[open_fstring.pop() : b - 1] = True
        elif name == "COMMENT":
            comment[a:b] = True
        elif name == "OP" and tok.string in "([{" and not open_fstring:
            depth_change[a] += 1
        elif name == "OP" and tok.string in ")]}" and not open_fstring:
            depth_change[a] -= 1
    # a bracket's depth counts from its own character on
    return string, comment, np.cumsum(depth_change)


def test_features_agree_with_pythons_tokenizer_on_real_code():
    text = datasets.load_python_source(modules=("json.decoder", "textwrap", "fnmatch"))
    string, comment, depth = tokenizer_masks(text)
    np.testing.assert_array_equal(probe.in_string(text).astype(bool), string)
    np.testing.assert_array_equal(probe.in_comment(text).astype(bool), comment)
    np.testing.assert_array_equal(probe.bracket_depth(text), depth)
    assert string.mean() > 0.05 and comment.mean() > 0.005 and depth.max() >= 3  # the test covers something


# ------------------------------------------------------------------------------------ finder, PCA, saturation
def test_correlations_equal_numpy_and_skip_nan_steps():
    rng = np.random.default_rng(5)
    A = rng.normal(size=(200, 6))
    f = rng.normal(size=200) + A[:, 2]
    expected = [np.corrcoef(A[:, j], f)[0, 1] for j in range(6)]
    np.testing.assert_allclose(probe.correlations(A, f), expected, rtol=1e-12)
    f_nan = f.copy()
    f_nan[::3] = np.nan
    keep = ~np.isnan(f_nan)
    expected = [np.corrcoef(A[keep, j], f_nan[keep])[0, 1] for j in range(6)]
    np.testing.assert_allclose(probe.correlations(A, f_nan), expected, rtol=1e-12)
    A[:, 4] = 3.0  # a unit that never changes
    assert probe.correlations(A, f)[4] == 0.0
    assert np.all(probe.correlations(A, np.ones(200)) == 0.0)
    assert probe.correlations(torch.from_numpy(A), f).shape == (6,)


def test_find_units_ranks_a_planted_unit_first():
    rng = np.random.default_rng(6)
    text = datasets.load_python_source(modules=("bisect",))[:1500]
    feature = probe.in_string(text)
    A = rng.normal(size=(len(text), 32))  # (T, H)
    A[:, 17] = -1.5 * feature + 0.4 * rng.normal(size=len(text))  # tracks strings, upside down
    A[:, 3] = 0.5 * feature + rng.normal(size=len(text))  # weaker
    ranking = probe.find_units(A, feature, top=3)
    assert [u for u, _ in ranking][:2] == [17, 3]
    assert ranking[0][1] == pytest.approx(np.corrcoef(A[:, 17], feature)[0, 1], rel=1e-12) and ranking[0][1] < 0
    assert ranking[1][1] == pytest.approx(np.corrcoef(A[:, 3], feature)[0, 1], rel=1e-12) and ranking[1][1] > 0
    assert len(probe.find_units(A, feature)) == 5


def test_finder_errors():
    with pytest.raises(ValueError, match=r"feature must have shape \(10,\), one value per step"):
        probe.correlations(np.zeros((10, 2)), np.zeros(9))
    with pytest.raises(ValueError, match=r"activations must be a \(T, H\) array"):
        probe.correlations(np.zeros(10), np.zeros(10))
    with pytest.raises(ValueError, match="top must be <= 2, got 3"):
        probe.find_units(np.random.rand(10, 2), np.random.rand(10), top=3)


def test_principal_components_match_the_covariance_eigenvectors():
    rng = np.random.default_rng(7)
    S = rng.normal(size=(300, 5)) @ rng.normal(size=(5, 5)) + 2.0
    projection, explained = probe.principal_components(S, k=2)
    centred = S - S.mean(0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(centred.T))
    order = np.argsort(eigenvalues)[::-1]
    np.testing.assert_allclose(explained, eigenvalues[order[:2]] / eigenvalues.sum(), rtol=1e-10)
    for k in range(2):
        v = eigenvectors[:, order[k]]
        v = v * np.sign(v[np.argmax(np.abs(v))])  # the documented sign convention
        np.testing.assert_allclose(projection[:, k], centred @ v, rtol=1e-8, atol=1e-8)
    with pytest.raises(ValueError, match="k must be <= 5, got 6"):
        probe.principal_components(S, k=6)


def test_gate_saturation_counts_strictly_beyond_the_thresholds():
    gate = np.array([[0.05, 0.5, 0.1], [0.95, 0.9, 0.0], [0.5, 0.99, 1.0], [0.01, 0.2, 0.91]])  # (T=4, H=3)
    left, right = probe.gate_saturation(gate)
    expected_left = [sum(gate[t, j] < 0.1 for t in range(4)) / 4 for j in range(3)]
    expected_right = [sum(gate[t, j] > 0.9 for t in range(4)) / 4 for j in range(3)]
    np.testing.assert_allclose(left, expected_left)
    np.testing.assert_allclose(right, expected_right)
    left_b, right_b = probe.gate_saturation(np.stack([gate, gate]))  # (B, T, H) pools the batch
    np.testing.assert_allclose(left_b, left) and np.testing.assert_allclose(right_b, right)
    assert (probe.SATURATION_LOW, probe.SATURATION_HIGH) == (0.1, 0.9)
    with pytest.raises(ValueError, match=r"gate values must lie in \[0, 1\]"):
        probe.gate_saturation(np.array([[-0.5, 0.2]]))
    with pytest.raises(ValueError, match="low must be <= high"):
        probe.gate_saturation(gate, low=0.8, high=0.2)
    with pytest.raises(ValueError, match=r"gate must be a \(T, H\) or \(B, T, H\) array"):
        probe.gate_saturation(np.zeros(4))


# -------------------------------------------------------------------------------------- saving and loading
def test_save_and_load_a_charlm_round_trip(tmp_path):
    torch.manual_seed(0)
    vocab = probe.python_vocabulary()
    assert len(vocab) == 96 and vocab.decode(vocab.encode("é\tx")) == "??x"
    model = CharLM(len(vocab), 8, num_layers=2)
    path = probe.save_charlm(model, vocab, tmp_path / "m.pt", info={"steps": 3, "note": "test"})
    saved = torch.load(path, weights_only=True)  # plain types and tensors only
    assert saved["format"] == probe.FORMAT and saved["info"] == {"steps": 3, "note": "test"}
    bundle = probe.load_charlm(path)
    assert bundle.vocab.tokens == vocab.tokens and bundle.info["steps"] == 3 and not bundle.model.training
    ids = torch.from_numpy(vocab.encode("def f(x):\n"))[None]
    torch.testing.assert_close(bundle.model(ids)[0], model(ids)[0], rtol=0, atol=0)


def test_save_and_load_errors(tmp_path):
    vocab = probe.python_vocabulary()
    model = CharLM(len(vocab), 4)
    with pytest.raises(ValueError, match="vocab must be a character Vocabulary with 96 tokens"):
        probe.save_charlm(model, datasets.Vocabulary.from_text("ab"), tmp_path / "x.pt")
    with pytest.raises(TypeError, match="info must map strings to str, int or float values"):
        probe.save_charlm(model, vocab, tmp_path / "x.pt", info={"bad": [1]})
    with pytest.raises(TypeError, match="model must be a models.CharLM"):
        probe.save_charlm(torch.nn.LSTM(2, 2), vocab, tmp_path / "x.pt")
    with pytest.raises(FileNotFoundError, match="no saved model at"):
        probe.load_charlm(tmp_path / "missing.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a model")
    with pytest.raises(ValueError, match="is not a model saved by probe.save_charlm"):
        probe.load_charlm(tmp_path / "junk.pt")
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="is not a model saved by probe.save_charlm"):
        probe.load_charlm(tmp_path / "other.pt")


def test_the_pretrained_file_loads_with_weights_only():
    path = datasets.default_data_dir() / probe.PRETRAINED_FILE
    saved = torch.load(path, map_location="cpu", weights_only=True)
    assert saved["format"] == probe.FORMAT
    bundle = probe.load_pretrained()
    assert isinstance(bundle.model, CharLM) and isinstance(bundle.model.rnn, torch.nn.LSTM)
    assert (bundle.model.rnn.num_layers, bundle.model.rnn.hidden_size) == (2, 128)
    assert len(bundle.vocab) == 96 and path.stat().st_size < 2_000_000
    assert path.stat().st_size == datasets.DATA_FILES[probe.PRETRAINED_FILE][0]


def test_the_pretrained_models_recorded_validation_loss_holds():
    """data/README.md quotes the validation loss; recompute it on the shipped held-out module (any Python)."""
    bundle = probe.load_pretrained()
    text = datasets.load_held_out_python()
    X, Y = datasets.lm_windows(bundle.vocab.encode(text), bundle.info["seq_len"])
    with torch.no_grad():
        logits, _ = bundle.model(torch.from_numpy(X))
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 96), torch.from_numpy(Y).reshape(-1)).item()
    assert math.isclose(loss, bundle.info["val_loss_nats"], abs_tol=2e-3)


def test_a_missing_or_damaged_pretrained_file_says_how_to_restore_it(tmp_path):
    source = datasets.default_data_dir() / probe.PRETRAINED_FILE
    with pytest.raises(FileNotFoundError, match=r"data/charlm_python_lstm.pt is missing.*git checkout -- data/"):
        probe.load_pretrained(tmp_path)
    damaged = tmp_path / probe.PRETRAINED_FILE
    shutil.copy(source, damaged)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte: same size, another SHA-256
    damaged.write_bytes(bytes(data))
    with pytest.raises(datasets.DataFileError, match=r"is damaged .*`git checkout -- data/charlm_python_lstm.pt`"):
        probe.load_pretrained(tmp_path)
    damaged.write_bytes(bytes(data[:1000]))  # truncated
    with pytest.raises(datasets.DataFileError, match="found 1000 bytes"):
        probe.load_pretrained(tmp_path)
    with pytest.raises(TypeError, match="data_dir must be None, a str or a pathlib.Path"):
        probe.load_pretrained(3)


def test_the_shipped_held_out_text_is_cpython_3_11_7s_tokenize_module():
    text = datasets.load_held_out_python()
    assert text.startswith("# file: tokenize.py\n") and "def generate_tokens(" in text and len(text) == 26_357
    assert probe.load_pretrained().info["python"] == "3.11.7", "the model was trained beside this text"
    if sys.version_info[:3] != (3, 11, 7):
        pytest.skip(f"the stdlib comparison needs CPython 3.11.7; this is {sys.version.split()[0]}")
    assert text == datasets.load_python_source(10**7, modules=("tokenize",))
