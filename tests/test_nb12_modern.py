"""rnn_helpers.modern: each layer's parallel form equals its own step-by-step form (float64, outputs and
gradients), the recurrent state has a fixed size, the models train, and MQAR is built as documented."""

from __future__ import annotations

import pytest
import torch

from rnn_helpers import modern


def double(module):
    return module.to(torch.float64)


def run_steps(layer, x):
    """The recurrent form: one token at a time; returns the outputs (B, T, ·) and the state sizes."""
    state = layer.initial_state(x.shape[0], dtype=x.dtype)
    outs, sizes = [], []
    for t in range(x.shape[1]):
        out = layer.step(x[:, t], state)
        if isinstance(layer, modern.MinGRU):
            y, state = out, out
        else:
            y, state = out
        outs.append(y)
        sizes.append(modern.state_numbers(state))
    return torch.stack(outs, 1), sizes


LAYERS = {
    "mingru": lambda: modern.MinGRU(3, 5),
    "lru": lambda: modern.LRU(3, 4, seed=0),
    "selective": lambda: modern.SelectiveSSM(3, 4),
    "mamba_block": lambda: modern.MambaBlock(3, 4, expand=2, conv=3),
}


@pytest.mark.parametrize("name", list(LAYERS))
@pytest.mark.parametrize("T", [1, 9])
def test_parallel_form_equals_recurrent_form(name, T):
    torch.manual_seed(0)
    layer = double(LAYERS[name]())
    x = torch.randn(2, T, 3, dtype=torch.float64)
    y_par = layer(x)
    y_seq_scan = layer(x, mode="sequential")
    y_steps, sizes = run_steps(layer, x)
    torch.testing.assert_close(y_par, y_steps, rtol=0, atol=1e-10)
    torch.testing.assert_close(y_par, y_seq_scan, rtol=0, atol=1e-10)
    assert len(set(sizes)) == 1, "the state has the same size after every token"
    # gradients of the two forms agree too
    w = torch.randn_like(y_par)
    g_par = torch.autograd.grad((layer(x) * w).sum(), list(layer.parameters()), allow_unused=True)
    g_seq = torch.autograd.grad((run_steps(layer, x)[0] * w).sum(), list(layer.parameters()), allow_unused=True)
    for gp, gs in zip(g_par, g_seq, strict=True):
        if gs is not None:  # (a parameter unused at T = 1 may get None from one form and zeros from the other)
            torch.testing.assert_close(torch.zeros_like(gs) if gp is None else gp, gs, rtol=0, atol=1e-10)


def test_mingru_with_initial_state():
    layer = double(modern.MinGRU(2, 3))
    x = torch.randn(4, 6, 2, dtype=torch.float64)
    h0 = torch.randn(4, 3, dtype=torch.float64)
    h = h0
    for t in range(6):
        z = torch.sigmoid(layer.linear_z(x[:, t]))
        h = (1 - z) * h + z * layer.linear_h(x[:, t])  # Feng et al.: z weights the candidate
    torch.testing.assert_close(layer(x, h0)[:, -1], h, rtol=0, atol=1e-12)


def test_lru_eigenvalues_start_on_the_ring_and_stay_inside_the_disc():
    lru = modern.LRU(4, 64, r_min=0.4, r_max=0.8, max_phase=1.0, seed=1)
    mod = lru.eigenvalues().abs()
    assert mod.min() >= 0.4 - 1e-6 and mod.max() <= 0.8 + 1e-6
    assert (lru.eigenvalues().angle().abs() <= 1.0 + 1e-6).all()
    with torch.no_grad():
        lru.nu_log.fill_(-30.0)  # whatever value ν takes, |λ| = exp(-exp(ν)) < 1
    assert (lru.eigenvalues().abs() <= 1).all()
    gamma = torch.exp(modern.LRU(4, 8, seed=2).gamma_log)
    lam = modern.LRU(4, 8, seed=2).eigenvalues().abs()
    torch.testing.assert_close(gamma, torch.sqrt(1 - lam**2))


def test_selective_ssm_discretisation():
    ssm = double(modern.SelectiveSSM(2, 3))
    x = torch.randn(1, 1, 2, dtype=torch.float64)
    A_bar, Bx, C = ssm.coefficients(x)
    delta = torch.nn.functional.softplus(ssm.W_delta(x))
    A = -torch.exp(ssm.A_log)
    torch.testing.assert_close(A_bar[0, 0], torch.exp(delta[0, 0, :, None] * A))
    assert ((A_bar > 0) & (A_bar < 1)).all()
    torch.testing.assert_close(-torch.exp(ssm.A_log[0]), -torch.arange(1, 4, dtype=torch.float64))


@pytest.mark.parametrize("mixer", modern.MIXERS)
def test_mixer_models_are_causal_and_shaped(mixer):
    torch.manual_seed(0)
    model = modern.SequenceMixerLM(16, 8, mixer, n_layers=2, state_size=4, max_len=32)
    ids = torch.randint(0, 16, (2, 10))
    logits = model(ids)
    assert logits.shape == (2, 10, 16)
    changed = ids.clone()
    changed[:, 6:] = (changed[:, 6:] + 1) % 16
    assert torch.allclose(model(changed)[:, :6], logits[:, :6], atol=1e-6), "outputs up to t see inputs up to t"
    assert not torch.allclose(model(changed)[:, 6:], logits[:, 6:])


def test_mqar_layout():
    ids, targets = modern.mqar(50, 4, vocab_size=32, layout="tokens", seed=0)
    assert ids.shape == targets.shape == (50, 16) and ids.dtype == targets.dtype == torch.int64
    for row, tgt in zip(ids, targets, strict=True):
        keys, values = row[0:8:2], row[1:8:2]
        assert len(set(keys.tolist())) == 4 and (keys >= 1).all() and (keys < 16).all()
        assert (values >= 16).all() and len(set(values.tolist())) == 4
        pairs = dict(zip(keys.tolist(), values.tolist(), strict=True))
        queries = row[8::2]
        assert sorted(queries.tolist()) == sorted(keys.tolist()), "every key is asked once"
        assert tgt[8::2].tolist() == [pairs[q] for q in queries.tolist()]
        assert (tgt[:8] == -100).all() and (tgt[9::2] == -100).all()
    again, _ = modern.mqar(50, 4, vocab_size=32, layout="tokens", seed=0)
    assert torch.equal(ids, again)
    ids, targets = modern.mqar(50, 4, vocab_size=32, seed=0)  # paired: (key, value) per step, then (query, 0)
    assert ids.shape == (50, 8, 2) and targets.shape == (50, 8)
    for row, tgt in zip(ids, targets, strict=True):
        pairs = dict(zip(row[:4, 0].tolist(), row[:4, 1].tolist(), strict=True))
        assert len(pairs) == 4 and all(v >= 16 for v in pairs.values())
        assert (row[4:, 1] == 0).all() and sorted(row[4:, 0].tolist()) == sorted(pairs)
        assert tgt[4:].tolist() == [pairs[q] for q in row[4:, 0].tolist()] and (tgt[:4] == -100).all()
    model = modern.SequenceMixerLM(32, 8, "mingru", n_layers=1)
    assert model(ids).shape == (50, 8, 32)
    with pytest.raises(ValueError, match="n_pairs"):
        modern.mqar(2, 40, vocab_size=32)


def test_mqar_accuracy_counts_only_queries():
    ids, targets = modern.mqar(8, 3, vocab_size=16, layout="tokens", seed=1)

    class Oracle(torch.nn.Module):
        def forward(self, x):
            logits = torch.zeros(*x.shape, 16)
            t = targets.clamp(min=0)
            return logits.scatter(-1, t[..., None], 1.0)

    assert modern.mqar_accuracy(Oracle(), ids, targets) == 1.0


def test_bad_input():
    with pytest.raises(TypeError, match="torch.Tensor"):
        modern.MinGRU(2, 3)([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"\(B, T, 2\)"):
        modern.MinGRU(2, 3)(torch.randn(4, 3))
    with pytest.raises(ValueError, match="mode"):
        modern.MinGRU(2, 3)(torch.randn(1, 4, 2), mode="fast")
    with pytest.raises(ValueError, match="mixer"):
        modern.SequenceMixerLM(8, 4, "lstm")
    with pytest.raises(ValueError, match="int64"):
        modern.SequenceMixerLM(8, 4, "gru")(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="layout"):
        modern.mqar(2, 2, layout="zoology")
    with pytest.raises(TypeError, match="state"):
        modern.state_numbers(3)


def test_the_shipped_models_load_and_match_their_record():
    trained = modern.load_trained()
    cfg = trained["mqar_config"]
    assert trained["weights_dtype"] == "float16" and trained["layer"]["n_layers"] == 1
    for K in cfg["pairs"]:
        for mixer in modern.MIXERS:
            for seed in cfg["seeds"]:
                run = trained["mqar"][f"{mixer}/K{K}/seed{seed}"]
                assert isinstance(run["model"], modern.SequenceMixerLM) and not run["model"].training
                assert [s for s, _ in run["history"]][-1] == cfg["steps"]
    ids, targets = modern.mqar(200, 2, vocab_size=cfg["vocab_size"], seed=cfg["test_seed"])
    acc = modern.mqar_accuracy(trained["mqar"]["attention/K2/seed0"]["model"], ids, targets)
    assert acc > 0.9, "the attention model recalls, loaded from float16 weights"
    assert set(trained["lm"]) == set(modern.MIXERS)
