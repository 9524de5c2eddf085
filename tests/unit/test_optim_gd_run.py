"""GD and run(): closed forms on the quadratic bowl, divergence reporting, input checks."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import optim, surfaces


@given(lr=st.floats(0.001, 0.19), steps=st.integers(0, 60))
def test_gd_on_the_bowl_matches_the_closed_form(lr, steps):
    bowl = surfaces.quadratic_bowl(a=1.0, c=10.0)
    result = optim.run(optim.GD(lr), bowl.grad_fn, bowl.params(), steps)
    t = np.arange(steps + 1)
    w0, b0 = bowl.start
    assert np.allclose(result.trajectory["w"], (1 - lr * 1.0) ** t * w0, rtol=1e-12, atol=1e-300)
    # Near lr = 0.1 the factor 1 − 10·lr is tiny and each GD step (b − lr·10·b) cancels
    # catastrophically: the error is ~eps·|b_{t−1}| in absolute terms, not relative to b_t.
    expected_b = (1 - lr * 10.0) ** t * b0
    assert np.allclose(result.trajectory["b"], expected_b, rtol=1e-12, atol=1e-14 * abs(b0))
    assert not result.diverged


def test_gd_step_by_hand():
    params = {"w": np.array([1.0, -2.0])}
    grads = optim.GD(0.5).step(params, lambda p: {"w": np.array([4.0, 2.0])})
    assert np.array_equal(params["w"], [-1.0, -3.0])
    assert np.array_equal(grads["w"], [4.0, 2.0])


def test_run_reports_divergence_without_warnings():
    bowl = surfaces.quadratic_bowl(a=1.0, c=10.0)  # GD diverges for lr > 2 / 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = optim.run(optim.GD(0.25), bowl.grad_fn, bowl.params(), 500, loss_fn=bowl.loss_fn)
    assert result.diverged
    # |b_t| = 1.5^t * 2 first exceeds 1e6 at t = ceil(log(5e5) / log(1.5)) = 33
    assert result.diverged_at == int(np.ceil(np.log(5e5) / np.log(1.5)))
    assert "b" in result.reason
    assert len(result.trajectory["b"]) == result.diverged_at  # the finite points only
    assert len(result.grad_norms) == len(result.lrs) == result.steps == result.diverged_at - 1
    assert np.all(np.isfinite(result.losses))


def test_run_reports_non_finite_values():
    def exploding(params):
        return {"w": np.array(np.inf)}

    result = optim.run(optim.GD(1.0), exploding, {"w": np.array(1.0)}, 10)
    assert result.diverged_at == 1 and "non-finite" in result.reason


def test_run_converges_just_below_the_threshold():
    bowl = surfaces.quadratic_bowl(a=1.0, c=10.0)
    result = optim.run(optim.GD(0.19), bowl.grad_fn, bowl.params(), 500, loss_fn=bowl.loss_fn)
    assert not result.diverged and result.losses[-1] < 1e-12


def test_run_does_not_touch_params0_and_records_everything():
    s = surfaces.sigmoid_neuron()
    params0 = s.params()
    result = optim.run(optim.GD(1.0), s.grad_fn, params0, 5, loss_fn=s.loss_fn)
    assert float(params0["w"]) == -2.0
    assert result.path.shape == (6, 2) and result.losses.shape == (6,)
    assert result.grad_norms.shape == (5,) and np.all(result.lrs == 1.0)
    expected = [np.hypot(*s.grad(w, b)) for w, b in result.path[:-1]]
    assert np.allclose(result.grad_norms, expected)


def test_schedules_set_attributes_before_each_step():
    bowl = surfaces.quadratic_bowl()
    result = optim.run(
        optim.GD(1.0), bowl.grad_fn, bowl.params(), 4, schedules={"lr": lambda t: 0.1 / (t + 1)}
    )
    assert np.allclose(result.lrs, [0.1, 0.05, 0.1 / 3, 0.025])


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"steps": -1}, ValueError, "steps must be >= 0"),
        ({"steps": 2.5}, TypeError, "steps must be an integer"),
        ({"params0": {"w": np.array(np.nan)}}, ValueError, "params0"),
        ({"params0": {"w": 1.0}}, TypeError, "params0"),
        ({"params0": {}}, ValueError, "params0 must not be empty"),
        ({"grad_fn": 3}, TypeError, "grad_fn must be callable"),
        ({"optimizer": "GD"}, TypeError, "optimizer must be"),
        ({"schedules": {"beta": lambda t: 1}}, ValueError, "schedules key 'beta'"),
    ],
)
def test_run_bad_inputs(kwargs, error, words):
    bowl = surfaces.quadratic_bowl()
    args = {
        "optimizer": optim.GD(0.1),
        "grad_fn": bowl.grad_fn,
        "params0": bowl.params(),
        "steps": 3,
    }
    args.update(kwargs)
    with pytest.raises(error, match=words):
        optim.run(**args)


def test_grad_fn_with_wrong_keys_is_named():
    with pytest.raises(ValueError, match=r"grad_fn\(params\) must have keys"):
        optim.GD(0.1).step({"w": np.array(1.0)}, lambda p: {"v": np.array(1.0)})


@pytest.mark.parametrize("lr", [0, -1, np.nan, "0.1", True])
def test_bad_learning_rates(lr):
    with pytest.raises((ValueError, TypeError), match="lr"):
        optim.GD(lr)


def test_clip_grad_norm_keeps_direction_and_bounds_norm():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    clipped = optim.clip_grad_norm(grads, 1.0)
    assert optim.global_norm(clipped) == pytest.approx(1.0)
    assert np.allclose(clipped["a"], [0.6, 0.0]) and np.allclose(clipped["b"], [[0.8]])
    assert grads["a"][0] == 3.0  # input untouched
    same = optim.clip_grad_norm(grads, 10.0)
    assert all(np.array_equal(same[k], grads[k]) for k in grads)
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        optim.clip_grad_norm(grads, 0)


def test_a_gradient_too_large_to_square_is_a_divergence_not_an_overflow():
    """1e200² overflows a float: the run says the gradient became non-finite (a Python
    float's ** 2 would raise OverflowError instead)."""
    assert optim.global_norm({"w": np.array(1e200), "b": np.array(1.0)}) == np.inf
    start = {"w": np.array(0.0)}
    run = optim.run(optim.GD(1e-300), lambda p: {"w": np.array(1e200)}, start, 5)
    assert run.diverged_at == 1 and run.reason == "the gradient became non-finite"
