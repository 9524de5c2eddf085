import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import gradcheck, neuron

coords = st.floats(-6, 6, allow_nan=False)


def logit(p):
    return np.log(p / (1 - p))


@given(w=coords, b=coords)
def test_gradient_matches_finite_differences(w, b):
    params = {"w": np.array(w), "b": np.array(b)}
    grads = neuron.grad_fn()(params)
    errors = gradcheck.check_gradients(neuron.loss_fn(), grads, params)
    # The centred difference carries a rounding error of about eps*|L|/h ~ 1e-11, so where the
    # sigmoid saturates (|gradient| < 1e-4) the relative error means nothing: compare absolutely.
    numeric = gradcheck.numerical_gradient(neuron.loss_fn(), params)
    for key in params:
        if abs(numeric[key]) > 1e-4:
            assert errors[key] < 1e-7, (key, errors[key])
        else:
            assert abs(grads[key] - numeric[key]) < 1e-10


def test_gradient_by_hand_at_origin():
    # At w = b = 0, f(x) = 1/2 for every x, so dL/dz_i = (1/2 - y_i) * 1/4.
    common = (0.5 - neuron.Y_TOY) * 0.25
    gw, gb = neuron.gradient(0.0, 0.0)
    assert gw == pytest.approx(np.sum(common * neuron.X_TOY))
    assert gb == pytest.approx(np.sum(common))


def test_closed_form_minimum_has_zero_loss():
    # Two points, two parameters: w x_i + b = logit(y_i) has an exact solution.
    x, y = neuron.X_TOY, neuron.Y_TOY
    w = (logit(y[1]) - logit(y[0])) / (x[1] - x[0])
    b = logit(y[0]) - w * x[0]
    assert neuron.loss(w, b) < 1e-25
    assert np.allclose(neuron.gradient(w, b), 0, atol=1e-12)


def test_grid_equals_pointwise_loss():
    ws, bs = np.linspace(-7, 5, 13), np.linspace(-7, 5, 11)
    grid = neuron.loss_grid(ws, bs)
    assert grid.shape == (11, 13)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            assert grid[i, j] == pytest.approx(neuron.loss(w, b), rel=1e-12)


def test_grid_chunking_does_not_change_the_result():
    X, Y = neuron.make_dataset(n=150, seed=3)
    ws, bs = np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)
    assert np.allclose(
        neuron.loss_grid(ws, bs, X, Y, chunk=7), neuron.loss_grid(ws, bs, X, Y, chunk=1000)
    )


def test_sigmoid_is_stable_for_huge_inputs():
    with np.errstate(all="raise"):
        out = neuron.sigmoid(np.array([-1e6, -50.0, 0.0, 50.0, 1e6]))
    assert out[0] == 0.0 and out[-1] == 1.0 and out[2] == 0.5


def test_dataset_is_deterministic_and_valid():
    X1, Y1 = neuron.make_dataset(seed=7)
    X2, Y2 = neuron.make_dataset(seed=7)
    X3, _ = neuron.make_dataset(seed=8)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)
    assert X1.shape == (1000,) and np.all((Y1 >= 0) & (Y1 <= 1))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: neuron.loss(0, 0, [1, 2], [1]), ValueError, "same length"),
        (lambda: neuron.loss(0, 0, [[1, 2]], [[1, 2]]), ValueError, "X must be 1-D"),
        (lambda: neuron.loss(0, 0, [1, np.nan], [1, 2]), ValueError, "X must contain only finite"),
        (lambda: neuron.loss(np.inf, 0), ValueError, "w must be finite"),
        (lambda: neuron.loss("1", 0), TypeError, "w must be a real number"),
        (lambda: neuron.loss(0, 0, [], []), ValueError, "at least one point"),
        (lambda: neuron.loss_grid([0, 1], [[0]]), ValueError, "bs must be 1-D"),
        (lambda: neuron.make_dataset(n=0), ValueError, "n must be >= 1"),
        (lambda: neuron.make_dataset(noise=-1), ValueError, "noise must be >= 0"),
    ],
)
def test_bad_inputs_name_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_generator_accepts_generators_seeds_and_none_and_names_bad_rng():
    from course_lib import _validate as check

    g = np.random.default_rng(5)
    assert check.generator("rng", g) is g
    assert check.generator("rng", 3).random() == np.random.default_rng(3).random()
    assert check.generator("rng", None).random() == np.random.default_rng(0).random()
    for bad, error in [(True, TypeError), (1.5, TypeError), ("x", TypeError), (-1, ValueError)]:
        with pytest.raises(error, match="rng"):
            check.generator("rng", bad)
