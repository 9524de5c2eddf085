"""The shared elementary functions against their textbook forms."""

import math

import numpy as np
import pytest

from course_lib import functions


@pytest.mark.parametrize("z", [-30.0, -2.0, 0.0, 0.7, 5.0, 30.0])
def test_logistic_is_one_over_one_plus_exp(z):
    assert functions.logistic(z) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-14)


def test_logistic_does_not_overflow():
    with np.errstate(all="raise"):
        assert functions.logistic(np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]


def test_softmax_matches_the_definition_and_survives_large_logits():
    o = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 0.0]])
    expected0 = np.exp(o[0]) / np.exp(o[0]).sum()
    got = functions.softmax(o)
    np.testing.assert_allclose(got[0], expected0, rtol=1e-14)
    np.testing.assert_allclose(got[1], [0.5, 0.5, 0.0], atol=1e-300)
    assert o[1, 0] == 1000.0  # input untouched


def test_safe_log_is_log_above_tiny_and_finite_at_zero():
    assert functions.safe_log(0.25) == pytest.approx(math.log(0.25))
    assert np.isfinite(functions.safe_log(0.0))
    assert functions.safe_log(0.0) == pytest.approx(math.log(np.finfo(float).tiny))
