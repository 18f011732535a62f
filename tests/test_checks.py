"""The shared validators of rnn_helpers._checks (one of each, used by every module)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from rnn_helpers._checks import as_float32_or_int64, as_float64, check_bool, make_rng


def test_as_float64_copies_real_arrays_and_names_what_is_wrong():
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    got = as_float64("x", x, shape=(2, None))
    assert got.dtype == np.float64 and np.array_equal(got, x) and got is not x
    np.testing.assert_array_equal(as_float64("a", 2.5, number=True), 2.5)
    cases = [
        (torch.zeros(2), {}, TypeError, r"x must be a numpy array, got Tensor .*: pass x.detach\(\).numpy\(\)"),
        ([1.0], {}, TypeError, "x must be a numpy array, got list"),
        (np.array([True]), {}, TypeError, "x must hold real numbers"),
        (np.array([1j]), {}, TypeError, "x must hold real numbers"),
        (np.zeros((2, 2)), {"ndim": 3}, ValueError, r"x must have 3 dimensions, got shape \(2, 2\)"),
        (np.zeros((2, 2)), {"shape": (3, None)}, ValueError, r"x must have shape \(3, \*\), got \(2, 2\)"),
        (True, {"number": True}, TypeError, "x must be a numpy array or a real number, got bool"),
    ]
    for value, options, error, match in cases:
        with pytest.raises(error, match=match):
            as_float64("x", value, **options)


def test_check_bool_accepts_only_true_and_false():
    assert check_bool("flag", np.bool_(True)) is True and check_bool("flag", False) is False
    for wrong in (0, 1, "yes", None):
        with pytest.raises(TypeError, match="flag must be True or False"):
            check_bool("flag", wrong)


def test_make_rng_one_meaning_of_seed():
    assert make_rng(3).integers(1000) == make_rng(3).integers(1000)
    np.random.seed(5)
    first = make_rng(None).integers(10**9)
    np.random.seed(5)
    assert make_rng(None).integers(10**9) == first  # None follows numpy's global seed (setup_notebook)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        make_rng(-1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        make_rng(1.5)


def test_as_float32_or_int64_is_the_data_convention():
    assert as_float32_or_int64(np.array([1, 2], dtype=np.int8)).dtype == np.int64
    assert as_float32_or_int64(np.array([True])).dtype == np.int64
    assert as_float32_or_int64(np.array([0.5])).dtype == np.float32
    with pytest.raises(TypeError, match="arrays must hold numbers, got dtype <U1"):
        as_float32_or_int64(np.array(["a"]))
