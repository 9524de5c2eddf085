import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import gradcheck, surfaces

unit = st.floats(0, 1, allow_nan=False)


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
@given(u=unit, v=unit)
def test_gradient_matches_finite_differences(name, u, v):
    s = surfaces.get(name)
    (w0, w1), (b0, b1) = s.window
    params = s.params(w0 + u * (w1 - w0), b0 + v * (b1 - b0))
    grads = s.grad_fn(params)
    numeric = gradcheck.numerical_gradient(s.loss_fn, params)
    # The difference's rounding error is ~eps*|L|/h: it grows with the loss (the sparse-feature
    # surface sums 100 points), so the thresholds scale with |L| where |L| > 1.
    scale = max(1.0, abs(s.loss_fn(params)))
    for key in params:
        if abs(numeric[key]) > 1e-4 * scale:
            assert gradcheck.relative_error(grads[key], numeric[key]) < 1e-7
        else:  # flat: the difference's rounding error, ~eps*|L|/h = 1e-11, swamps relative error
            assert abs(grads[key] - numeric[key]) < 1e-10 * scale


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
def test_grid_is_the_loss_and_window_holds_the_story(name):
    s = surfaces.get(name)
    W, B, Z = s.grid(17)
    assert W.shape == B.shape == Z.shape == (17, 17)
    assert Z[3, 5] == pytest.approx(s.loss(W[3, 5], B[3, 5]))
    (w0, w1), (b0, b1) = s.window
    assert w0 < s.start[0] < w1 and b0 < s.start[1] < b1
    if s.minimum is not None:
        assert w0 < s.minimum[0] < w1 and b0 < s.minimum[1] < b1
        g = s.grad_fn(s.params(*s.minimum))
        assert np.allclose([g["w"], g["b"]], 0, atol=1e-12)


def test_plateau_is_flat_far_away_and_steep_in_the_well():
    s = surfaces.plateau()
    far = np.hypot(*s.grad(-4.5, 4.5))
    near = np.hypot(*s.grad(0.5, 0.4))
    assert far < 0.05 and near > 0.5 and near > 20 * far


def test_unknown_surface_is_a_clear_error():
    with pytest.raises(ValueError, match="name must be one of"):
        surfaces.get("nope")


def test_bad_surface_parameters():
    with pytest.raises(ValueError, match="a must be > 0"):
        surfaces.quadratic_bowl(a=0)
    with pytest.raises(ValueError, match="tilt must be >= 0"):
        surfaces.plateau(tilt=-1)
