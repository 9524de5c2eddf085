"""The sharp-valley surface of the momentum section: its shape, and that the story it tells
(momentum u-turns yet beats GD; NAG oscillates less) holds from many starts and settings."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import gradcheck, measures, optim, surfaces

S = surfaces.sharp_valley()
THETA = np.deg2rad(10.0)
N = np.array([-np.sin(THETA), np.cos(THETA)])
D = np.array([np.cos(THETA), np.sin(THETA)])
M = np.array([2.5, 0.5])


def reference_loss(w, b):
    """Written again from the docstring's equation, in rotated coordinates."""
    p = np.array([w, b]) - M
    u, v = p @ N, p @ D
    return 1.5 * 0.1 * (np.sqrt(1 + (u / 0.1) ** 2) - 1) + 0.08 * 0.5 * (
        np.sqrt(1 + (v / 0.5) ** 2) - 1
    )


@given(w=st.floats(-4, 4), b=st.floats(-2, 2))
def test_loss_is_the_documented_equation(w, b):
    assert float(S.loss(w, b)) == pytest.approx(reference_loss(w, b), rel=1e-12, abs=1e-15)


@given(w=st.floats(-4, 4), b=st.floats(-2, 2))
def test_gradient_matches_finite_differences_everywhere(w, b):
    params = S.params(w, b)
    grads = S.grad_fn(params)
    numeric = gradcheck.numerical_gradient(S.loss_fn, params)
    for key in params:
        if abs(numeric[key]) > 1e-4:
            assert gradcheck.relative_error(grads[key], numeric[key]) < 1e-7
        else:  # rounding error of the difference, ~eps*|L|/h ~ 1e-11, swamps the relative one
            assert abs(grads[key] - numeric[key]) < 1e-10


def test_steep_walls_sharp_floor_gentle_slope():
    far = M + 1.5 * N  # high on a wall
    g = np.array(S.grad(*far))
    assert g @ N == pytest.approx(1.5, rel=0.01)  # the wall's slope is ~ a = 1.5
    # Curvature across the floor: a / width = 15; along it: slope / 0.5 = 0.16 at most.
    h = 1e-5
    across = (np.array(S.grad(*(M + h * N))) - np.array(S.grad(*(M - h * N)))) @ N / (2 * h)
    along = (np.array(S.grad(*(M + h * D))) - np.array(S.grad(*(M - h * D)))) @ D / (2 * h)
    assert across == pytest.approx(15.0, rel=1e-6) and along == pytest.approx(0.16, rel=1e-6)
    # Error is high on both sides of the valley and low along its floor.
    for side in (+1, -1):
        assert S.loss(*(M + side * 1.0 * N)) > 5 * S.loss(*(M - 3.0 * D))


def test_bad_parameters():
    with pytest.raises(ValueError, match="wall must be > 0"):
        surfaces.sharp_valley(wall=0)
    with pytest.raises(ValueError, match=r"angle must be in \[-60.0, 60.0\]"):
        surfaces.sharp_valley(angle=80)


# The claims of notebook 02, from a grid of start points high on either wall and far along
# the valley, for several learning rates and momentum parameters: nothing tuned to one start.
STARTS = [(w, b) for w in (-3.8, -2.5) for b in (-1.8, 1.0, 1.8)]
SETTINGS = [(0.03, 0.8), (0.03, 0.95), (0.045, 0.9), (0.06, 0.9)]


def _runs(lr, gamma, start, steps=3500):
    out = {}
    for name, opt in (
        ("GD", optim.GD(lr)),
        ("Momentum", optim.Momentum(lr, gamma)),
        ("NAG", optim.NAG(lr, gamma)),
    ):
        run = optim.run(opt, S.grad_fn, S.params(*start), steps, loss_fn=S.loss_fn)
        out[name] = dict(
            measures.valley_summary(S, run.path),
            reach=measures.steps_to_reach(run.losses, 1e-2, stay=True),
        )
    return out


@pytest.mark.parametrize(("lr", "gamma"), SETTINGS)
def test_the_momentum_story_is_robust(lr, gamma):
    for start in STARTS:
        assert abs((np.array(start) - M) @ N) > 0.5  # on a wall, not in the valley
        r = _runs(lr, gamma, start)
        gd, mom, nag = r["GD"], r["Momentum"], r["NAG"]
        where = f"lr={lr}, gamma={gamma}, start={start}: {r}"
        # GD walks down into the valley and never turns back across it...
        assert gd["u_turns"] == 0 and gd["exits"] == 0 and gd["overshoot"] == 0, where
        # ...momentum oscillates in and out of the valley, taking u-turns...
        assert mom["u_turns"] >= 5 and mom["exits"] >= 1 and mom["overshoot"] > 0.1, where
        # ...and still reaches the threshold in fewer than half of GD's steps.
        assert gd["reach"] is not None and mom["reach"] is not None, where
        assert mom["reach"] < gd["reach"] / 2, where
        # NAG: fewer u-turns, smaller overshoot, no more exits, and no slower than momentum.
        assert nag["u_turns"] < mom["u_turns"] and nag["overshoot"] < mom["overshoot"], where
        assert nag["exits"] <= mom["exits"] and nag["reach"] <= mom["reach"] * 1.05, where


def test_window_start_and_minimum():
    (w0, w1), (b0, b1) = S.window
    assert [w0, w1, b0, b1] == [-4, 4, -2, 2]
    assert S.minimum == (2.5, 0.5) and S.loss(*S.minimum) == 0
    assert S in [S] and "sharp valley" in surfaces.SURFACES
    assert list(itertools.islice(surfaces.SURFACES, 3)) == [
        "sigmoid neuron",
        "plateau",
        "quadratic bowl",
    ]
