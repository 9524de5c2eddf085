import numpy as np
import pytest

from course_lib import gradcheck


def cubic(params):
    return float(np.sum(params["a"] ** 3) + 2 * params["b"].sum())


def test_numerical_gradient_of_a_cubic():
    rng = np.random.default_rng(0)
    params = {"a": rng.normal(size=(3, 2)), "b": rng.normal(size=4)}
    numeric = gradcheck.numerical_gradient(cubic, params)
    assert gradcheck.relative_error(numeric["a"], 3 * params["a"] ** 2) < 1e-9
    assert gradcheck.relative_error(numeric["b"], np.full(4, 2.0)) < 1e-9


def test_a_wrong_gradient_is_caught():
    params = {"a": np.array([0.3, -1.2]), "b": np.array([1.0])}
    wrong = {"a": 2 * params["a"] ** 2, "b": np.array([2.0])}  # 2x² instead of 3x²
    errors = gradcheck.check_gradients(cubic, wrong, params)
    assert errors["a"] > 0.1 and errors["b"] < 1e-9


def test_params_are_restored():
    params = {"a": np.array([1.0, 2.0]), "b": np.array([3.0])}
    before = {k: v.copy() for k, v in params.items()}
    gradcheck.numerical_gradient(cubic, params)
    assert all(np.array_equal(before[k], params[k]) for k in params)


def test_params_are_restored_when_the_loss_raises():
    params = {"a": np.array([1.0, 2.0]), "b": np.array([3.0])}
    calls = []

    def fails_on_the_third_call(p):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return cubic(p)

    with pytest.raises(RuntimeError, match="boom"):
        gradcheck.numerical_gradient(fails_on_the_third_call, params)
    assert params["a"].tolist() == [1.0, 2.0] and params["b"].tolist() == [3.0]


def test_relative_error_basics():
    assert gradcheck.relative_error([0, 0], [0, 0]) == 0
    assert gradcheck.relative_error([1, 0], [0, 0]) == 1
    assert gradcheck.relative_error([1e-8], [1.0001e-8]) == pytest.approx(5e-5, rel=1e-3)
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.relative_error([1, 2], [1])


def test_float32_is_refused():
    with pytest.raises(TypeError, match="float64"):
        gradcheck.numerical_gradient(cubic, {"a": np.ones(2, np.float32), "b": np.ones(1)})
