"""Chapter 08's additions to models and tasks: TinyTransformer (its attention equals our numpy attention,
the causal option hides the future, the key-value cache equals recomputation, no positions means order does
not matter), input_gradient_norms (equals per-sequence autograd and finite differences), and the associative
recall task of Ba et al. (2016), whose answers are recomputed from the inputs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_helpers import attention, tasks
from rnn_helpers.models import SequenceModel, TinyTransformer, TransformerBlock, input_gradient_norms


def double(model):
    return model.double().eval()


# ------------------------------------------------------------------------------------ TinyTransformer
@pytest.mark.parametrize("readout, shape", [("last", (3, 4)), ("all", (3, 7, 4))])
def test_shapes_and_readouts(readout, shape):
    torch.manual_seed(0)
    model = TinyTransformer(5, 8, 2, 4, n_layers=2, readout=readout)
    x = torch.randn(3, 7, 5)
    out, weights = model(x, return_attention=True)
    assert out.shape == shape and model(x).shape == shape
    assert len(weights) == 2 and all(A.shape == (3, 2, 7, 7) for A in weights)
    torch.testing.assert_close(weights[0].sum(-1), torch.ones(3, 2, 7))
    if readout == "all":  # "last" is the last row of "all"
        last = TinyTransformer(5, 8, 2, 4, n_layers=2)
        last.load_state_dict(model.state_dict())
        torch.testing.assert_close(last(x), out[:, -1])


def test_block_attention_is_our_numpy_attention():
    torch.manual_seed(1)
    model = double(TinyTransformer(3, 8, 2, 2, causal=True))
    block = model.blocks[0]
    x = torch.randn(2, 6, 3, dtype=torch.float64)
    _, (A,) = model(x, return_attention=True)
    a = block.ln1(model.embed(x) + model.pos[:6])  # what the attention layer reads
    att = attention.MultiHeadSelfAttention.from_torch(block.attn)
    _, A_ours = att.forward(a.detach().numpy(), causal=True)
    np.testing.assert_allclose(A.detach().numpy(), A_ours, atol=1e-12)


@pytest.mark.parametrize("n_layers", [1, 2])
def test_causal_model_output_at_t_ignores_later_inputs(n_layers):
    torch.manual_seed(2)
    causal = double(TinyTransformer(3, 8, 2, 2, n_layers=n_layers, causal=True, readout="all"))
    free = double(TinyTransformer(3, 8, 2, 2, n_layers=n_layers, causal=False, readout="all"))
    free.load_state_dict(causal.state_dict())
    x = torch.randn(2, 9, 3, dtype=torch.float64)
    x2 = x.clone()
    x2[:, 5:] = torch.randn(2, 4, 3, dtype=torch.float64)
    with torch.no_grad():
        assert (causal(x2)[:, :5] - causal(x)[:, :5]).abs().max() < 1e-12
        assert (causal(x2)[:, 5:] - causal(x)[:, 5:]).abs().max() > 1e-3
        assert (free(x2)[:, :5] - free(x)[:, :5]).abs().max() > 1e-3


@pytest.mark.parametrize("n_layers, chunks", [(1, [1] * 6), (2, [3, 1, 2]), (3, [6])])
def test_stream_with_cache_equals_recomputing_the_prefix(n_layers, chunks):
    torch.manual_seed(3)
    model = double(TinyTransformer(4, 8, 2, 3, n_layers=n_layers, causal=True, readout="all"))
    x = torch.randn(2, sum(chunks), 4, dtype=torch.float64)
    with torch.no_grad():
        full = model(x)
        outs, cache, start = [], None, 0
        for m in chunks:
            out, cache = model.stream(x[:, start : start + m], cache)
            outs.append(out)
            start += m
    torch.testing.assert_close(torch.cat(outs, 1), full, rtol=0, atol=1e-12)
    assert len(cache) == n_layers and cache[0][0].shape == (2, 2, sum(chunks), 4)


def test_no_positions_means_order_does_not_matter_but_positions_do():
    torch.manual_seed(4)
    plain = double(TinyTransformer(2, 8, 2, 1, positions=False))
    positioned = double(TinyTransformer(2, 8, 2, 1, positions=True))
    with torch.no_grad():
        positioned.pos.normal_()
    x = torch.randn(3, 10, 2, dtype=torch.float64)
    perm = torch.randperm(9)
    shuffled = torch.cat([x[:, perm], x[:, -1:]], 1)  # keep the read-out step last
    with torch.no_grad():
        assert (plain(shuffled) - plain(x)).abs().max() < 1e-12
        assert (positioned(shuffled) - positioned(x)).abs().max() > 1e-4
    assert plain.pos is None


def test_transformer_errors():
    model = TinyTransformer(3, 8, 2, 1, max_len=5)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, time, 3\), got \(2, 4, 2\)"):
        model(torch.randn(2, 4, 2))
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        model(np.zeros((2, 4, 3)))
    with pytest.raises(ValueError, match="beyond max_len=5 learned positions"):
        model(torch.randn(1, 6, 3))
    with pytest.raises(ValueError, match="stream\\(\\) needs a causal model"):
        model.stream(torch.randn(1, 2, 3))
    causal = TinyTransformer(3, 8, 2, 1, max_len=5, causal=True)
    _, cache = causal.stream(torch.randn(1, 4, 3))
    with pytest.raises(ValueError, match="reaches position 6, beyond max_len=5"):
        causal.stream(torch.randn(1, 2, 3), cache)
    with pytest.raises(ValueError, match=r"cache must hold one \(K, V\) pair per layer \(1\), got 2"):
        causal.stream(torch.randn(1, 1, 3), cache * 2)
    with pytest.raises(ValueError, match="d_model must be divisible by n_heads, got d_model=6 and n_heads=4"):
        TinyTransformer(3, 6, 4, 1)
    with pytest.raises(ValueError, match=r"readout must be one of \['last', 'all'\]"):
        TinyTransformer(3, 8, 2, 1, readout="mean")
    with pytest.raises(TypeError, match="causal must be True or False"):
        TinyTransformer(3, 8, 2, 1, causal="yes")
    with pytest.raises(ValueError, match="d_ff must be >= 1"):
        TransformerBlock(8, 2, 0)


# ------------------------------------------------------------------------------ input_gradient_norms
@pytest.mark.parametrize("make", [lambda: SequenceModel("gru", 2, 5, 2), lambda: TinyTransformer(2, 8, 2, 2)])
def test_input_gradient_norms_equal_per_sequence_autograd(make):
    torch.manual_seed(5)
    model = double(make())
    model.train()
    x = torch.randn(3, 6, 2, dtype=torch.float64)
    got = input_gradient_norms(model, x, output_index=1)
    assert got.shape == (3, 6) and model.training  # the mode is restored
    for b in range(3):
        xb = x[b : b + 1].clone().requires_grad_(True)
        model(xb)[0, 1].backward()
        torch.testing.assert_close(got[b], xb.grad[0].norm(dim=1))


def test_input_gradient_norms_equal_finite_differences():
    torch.manual_seed(6)
    model = double(SequenceModel("gru", 2, 4, 1))
    x = torch.randn(1, 5, 2, dtype=torch.float64)
    eps, grad = 1e-6, torch.zeros(5, 2, dtype=torch.float64)
    with torch.no_grad():
        for t in range(5):
            for f in range(2):
                plus, minus = x.clone(), x.clone()
                plus[0, t, f] += eps
                minus[0, t, f] -= eps
                grad[t, f] = (model(plus) - model(minus))[0, 0] / (2 * eps)
    torch.testing.assert_close(input_gradient_norms(model, x)[0], grad.norm(dim=1), rtol=1e-6, atol=1e-9)


def test_input_gradient_norms_errors():
    model = SequenceModel("gru", 2, 4, 1)
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        input_gradient_norms(lambda x: x, torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match=r"x must be a torch.Tensor of shape \(batch, time, features\)"):
        input_gradient_norms(model, torch.zeros(2, 2))
    with pytest.raises(ValueError, match="output_index must be <= 0, got 1"):
        input_gradient_norms(model, torch.zeros(1, 3, 2), output_index=1)
    all_steps = SequenceModel("gru", 2, 4, 1, readout="all")
    with pytest.raises(ValueError, match=r"one output per sequence, shape \(batch, outputs\)"):
        input_gradient_norms(all_steps, torch.zeros(1, 3, 2))


# ----------------------------------------------------------------------------- associative recall
def decode(x):
    """(n, L, 37) one-hot -> for each sequence the list of symbol sets, one per step."""
    return [[set(np.flatnonzero(step.numpy() > 0.5).tolist()) for step in seq] for seq in x]


@pytest.mark.parametrize("layout", ["paired", "ba2016"])
def test_associative_recall_shapes_seed_and_answer(layout):
    K = 5
    x, y = tasks.associative_recall(200, K, layout=layout, seed=3)
    L = K + 3 if layout == "paired" else 2 * K + 3
    assert x.shape == (200, L, 37) and x.dtype == torch.float32
    assert y.shape == (200,) and y.dtype == torch.int64
    x2, y2 = tasks.associative_recall(200, K, layout=layout, seed=3)
    assert torch.equal(x, x2) and torch.equal(y, y2)
    assert not torch.equal(x, tasks.associative_recall(200, K, layout=layout, seed=4)[0])
    sep = len(tasks.RECALL_SYMBOLS) - 1
    for seq, answer in zip(decode(x), y.tolist(), strict=True):
        if layout == "paired":
            pairs = [sorted(s) for s in seq[:K]]
            assert all(len(p) == 2 and p[0] < 26 <= p[1] < 36 for p in pairs)
        else:
            pairs = [(min(seq[2 * i]), min(seq[2 * i + 1])) for i in range(K)]
            assert all(k < 26 <= v < 36 for k, v in pairs)
        keys = [p[0] for p in pairs]
        assert len(set(keys)) == K, "keys are distinct"
        assert seq[-3] == {sep} and seq[-2] == {sep}, "two separators before the query"
        (query,) = seq[-1]
        assert query in keys
        assert answer == pairs[keys.index(query)][1] - 26, "the target is the value that came with the query"


def test_associative_recall_layouts_carry_the_same_pairs_and_query_is_uniform():
    xp, yp = tasks.associative_recall(50, 4, seed=9)
    xb, yb = tasks.associative_recall(50, 4, layout="ba2016", seed=9)
    assert torch.equal(yp, yb)
    assert [tasks.recall_text(a) for a in xp] == [tasks.recall_text(b) for b in xb]
    x, y = tasks.associative_recall(4000, 8, seed=1)
    keys = x[:, :8, :26].argmax(2)
    where = (keys == x[:, -1, :26].argmax(1, keepdim=True)).float().argmax(1)
    counts = np.bincount(where.numpy(), minlength=8)
    assert counts.min() > 0.8 * counts.mean(), "the asked pair is uniform over the positions"
    assert set(y.unique().tolist()) == set(range(10))


def test_recall_text_renders_the_papers_example():
    sym = tasks.RECALL_SYMBOLS
    x = torch.zeros(7, 37)
    for t, (k, v) in enumerate(["c9", "k8", "j3", "f1"]):
        x[t, sym.index(k)] = x[t, sym.index(v)] = 1
    x[4, 36] = x[5, 36] = 1
    x[6, sym.index("c")] = 1
    assert tasks.recall_text(x) == "c9k8j3f1??c"
    with pytest.raises(ValueError, match=r"x must be one sequence of shape \(L, 37\)"):
        tasks.recall_text(torch.zeros(2, 7, 37))


def test_associative_recall_errors():
    with pytest.raises(ValueError, match="n_pairs must be <= 26, got 27"):
        tasks.associative_recall(2, 27)
    with pytest.raises(ValueError, match="n_pairs must be >= 1, got 0"):
        tasks.associative_recall(2, 0)
    with pytest.raises(ValueError, match=r"layout must be one of \['paired', 'ba2016'\]"):
        tasks.associative_recall(2, 3, layout="tokens")
    with pytest.raises(TypeError, match="n must be an integer"):
        tasks.associative_recall(2.0, 3)
