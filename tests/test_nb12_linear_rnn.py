"""rnn_helpers.linear_rnn: every scan equals the loop (outputs and gradients, float64), stays finite where
the naive closed form overflows, and rejects bad input with a clear message."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnn_helpers import linear_rnn as lr

SHAPES = [(2, 7, 3), (1, 1, 1), (3, 16, 1), (1, 33, 4), (2, 64, 5)]


def random_ab(shape, *, seed=0, low=0.5, high=1.0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    a = low + (high - low) * torch.rand(shape, generator=g, dtype=dtype)  # (B, T, H) in (low, high)
    b = torch.randn(shape, generator=g, dtype=dtype)
    h0 = torch.randn(shape[0], shape[2], generator=g, dtype=dtype)
    return a, b, h0


def loop_reference(a, b, h0=None):
    """The recurrence written independently of the module (numpy, one step at a time)."""
    a, b = a.detach().numpy(), b.detach().numpy()
    h = np.zeros(a.shape[0::2]) if h0 is None else h0.detach().numpy().copy()
    out = np.empty_like(b)
    for t in range(a.shape[1]):
        h = a[:, t] * h + b[:, t]
        out[:, t] = h
    return out


def grads(fn, a, b, h0, weight):
    a, b = a.clone().requires_grad_(True), b.clone().requires_grad_(True)
    h0 = None if h0 is None else h0.clone().requires_grad_(True)
    (fn(a, b, h0) * weight).sum().backward()
    return a.grad, b.grad, (None if h0 is None else h0.grad)


SCANS = {
    "parallel": lr.parallel_scan,
    "chunked4": lambda a, b, h0=None: lr.chunked_scan(a, b, h0, chunk=4),
    "chunked5": lambda a, b, h0=None: lr.chunked_scan(a, b, h0, chunk=5),
    "chunked1": lambda a, b, h0=None: lr.chunked_scan(a, b, h0, chunk=1),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("with_h0", [False, True])
def test_sequential_scan_is_the_recurrence(shape, with_h0):
    a, b, h0 = random_ab(shape, low=-1.2, high=1.2)
    h0 = h0 if with_h0 else None
    np.testing.assert_allclose(lr.sequential_scan(a, b, h0).numpy(), loop_reference(a, b, h0), rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", list(SCANS))
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("with_h0", [False, True])
def test_scans_equal_the_loop_outputs_and_gradients(name, shape, with_h0):
    scan = SCANS[name]
    a, b, h0 = random_ab(shape, seed=sum(shape), low=-1.1, high=1.1)  # signs and |a| > 1 too
    h0 = h0 if with_h0 else None
    h_loop, h_scan = lr.sequential_scan(a, b, h0), scan(a, b, h0)
    assert h_scan.shape == shape
    torch.testing.assert_close(h_scan, h_loop, rtol=0, atol=1e-10)
    weight = torch.randn(shape, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    for g_scan, g_loop in zip(grads(scan, a, b, h0, weight), grads(lr.sequential_scan, a, b, h0, weight), strict=True):
        if g_loop is not None:  # (a_1 is unused without h0 when T = 1: autograd may give None for zeros)
            g_scan = torch.zeros_like(g_loop) if g_scan is None else g_scan
            torch.testing.assert_close(g_scan, g_loop, rtol=0, atol=1e-10)


def test_complex_scan_equals_the_loop():
    g = torch.Generator().manual_seed(3)
    shape = (2, 20, 3)
    r = 0.5 + 0.5 * torch.rand(shape, generator=g, dtype=torch.float64)
    theta = torch.rand(shape, generator=g, dtype=torch.float64) * math.pi
    a = torch.polar(r, theta)  # complex128
    b = torch.randn(shape, generator=g, dtype=torch.complex128)
    torch.testing.assert_close(lr.parallel_scan(a, b), lr.sequential_scan(a, b), rtol=0, atol=1e-10)
    a1, b1 = a.clone().requires_grad_(True), b.clone().requires_grad_(True)
    a2, b2 = a.clone().requires_grad_(True), b.clone().requires_grad_(True)
    lr.parallel_scan(a1, b1).abs().sum().backward()
    lr.sequential_scan(a2, b2).abs().sum().backward()
    torch.testing.assert_close(a1.grad, a2.grad, rtol=0, atol=1e-10)
    torch.testing.assert_close(b1.grad, b2.grad, rtol=0, atol=1e-10)


def test_gradcheck_parallel_scan():
    a, b, h0 = random_ab((2, 9, 2))
    for x in (a, b, h0):
        x.requires_grad_(True)
    assert torch.autograd.gradcheck(lr.parallel_scan, (a, b, h0))


def test_long_sequences_naive_form_overflows_the_scans_do_not():
    a, b, h0 = random_ab((1, 4096, 16), seed=4)
    h_loop = lr.sequential_scan(a, b, h0)
    naive = lr.cumsum_scan(a, b, h0)
    assert not torch.isfinite(naive).all(), "the closed form with 1 / P_t overflows at T = 4096"
    for scan in (lr.parallel_scan, lambda a, b, h0: lr.chunked_scan(a, b, h0, chunk=64)):
        h = scan(a, b, h0)
        assert torch.isfinite(h).all()
        torch.testing.assert_close(h, h_loop, rtol=0, atol=1e-10)
    # float32 as well: finite and close
    h32 = lr.parallel_scan(a.float(), b.float(), h0.float())
    assert torch.isfinite(h32).all() and (h32.double() - h_loop).abs().max() < 1e-4
    # and a short sequence, where the naive closed form is still fine
    torch.testing.assert_close(lr.cumsum_scan(a[:, :50], b[:, :50], h0), h_loop[:, :50], rtol=0, atol=1e-10)


def test_log_space_scan_is_stable_for_positive_b():
    a, b, _ = random_ab((2, 4096, 3), seed=5)
    b = b.abs() + 0.1
    log_h = lr.log_space_scan(torch.log(a), torch.log(b))
    assert torch.isfinite(log_h).all()
    torch.testing.assert_close(torch.exp(log_h), lr.sequential_scan(a, b), rtol=1e-10, atol=1e-12)
    with pytest.raises(TypeError, match="real"):
        lr.log_space_scan(torch.log(a).to(torch.complex128), torch.log(b).to(torch.complex128))


def test_combine_is_associative_and_composes_steps():
    rng = np.random.default_rng(0)
    p, q, r = [(rng.normal(size=4), rng.normal(size=4)) for _ in range(3)]
    left = lr.combine(*lr.combine(*p, *q), *r)
    right = lr.combine(*p, *lr.combine(*q, *r))
    np.testing.assert_allclose(left, right, atol=1e-12)
    h = rng.normal(size=4)
    A, B = lr.combine(*p, *q)
    np.testing.assert_allclose(A * h + B, q[0] * (p[0] * h + p[1]) + q[1], atol=1e-12)


def test_scan_levels_end_at_the_scan():
    a, b, _ = random_ab((1, 10, 2))
    levels = lr.scan_levels(a, b)
    assert len(levels) == 1 + math.ceil(math.log2(10))
    torch.testing.assert_close(levels[-1][1], lr.sequential_scan(a, b), rtol=0, atol=1e-12)
    torch.testing.assert_close(levels[0][1], b)
    # after round r, position t has combined steps max(0, t - 2^r + 1)..t
    r, t = 2, 7
    ref = lr.sequential_scan(a[:, t - 3:t + 1], b[:, t - 3:t + 1])[:, -1]
    torch.testing.assert_close(levels[r][1][:, t], ref, rtol=0, atol=1e-12)


def test_work_and_depth():
    assert lr.scan_work_depth(8, "sequential") == (7, 7)
    assert lr.scan_work_depth(8, "hillis-steele") == (7 + 6 + 4, 3)
    assert lr.scan_work_depth(8, "blelloch") == (14, 6)
    assert lr.scan_work_depth(1, "hillis-steele") == (0, 0)
    work, depth = lr.scan_work_depth(4096, "chunked", chunk=64)
    assert depth == 6 + 63 and work == 64 * lr.scan_work_depth(64, "hillis-steele")[0] + 63 * 64
    with pytest.raises(ValueError, match="method"):
        lr.scan_work_depth(8, "magic")


@pytest.mark.parametrize("fn", [lr.sequential_scan, lr.parallel_scan, lr.chunked_scan, lr.cumsum_scan])
def test_bad_input_is_rejected_clearly(fn):
    a, b, h0 = random_ab((2, 5, 3))
    with pytest.raises(TypeError, match="torch.Tensor"):
        fn(a.numpy(), b)
    with pytest.raises(TypeError, match="torch.Tensor"):
        fn(a, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"3 dimensions \(B, T, H\), got shape \(5, 3\)"):
        fn(a[0], b[0])
    with pytest.raises(ValueError, match=r"same shape.*\(2, 5, 3\).*\(2, 4, 3\)"):
        fn(a, b[:, :4])
    with pytest.raises(TypeError, match="dtype"):
        fn(a, b.float())
    with pytest.raises(TypeError, match="floating-point"):
        fn(a.long(), b.long())
    with pytest.raises(ValueError, match=r"h0 must have shape \(B, H\) = \(2, 3\), got \(3,\)"):
        fn(a, b, h0[0])
    with pytest.raises(ValueError, match="at least one step"):
        fn(a[:, :0], b[:, :0])


def test_chunk_argument_is_checked():
    a, b, _ = random_ab((1, 5, 1))
    with pytest.raises(ValueError, match="chunk"):
        lr.chunked_scan(a, b, chunk=0)
    with pytest.raises(TypeError, match="chunk"):
        lr.chunked_scan(a, b, chunk=2.5)
