"""Momentum and NAG: hand calculations, closed forms, the look-ahead, the unrolled sum."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import optim

A = 2.0  # the test quadratic L(w) = A w² / 2, gradient A w


def quadratic(params):
    return {"w": A * params["w"]}


def three_steps(opt):
    params = {"w": np.array(1.0)}
    ws = []
    for _ in range(3):
        opt.step(params, quadratic)
        ws.append(float(params["w"]))
    return ws


def test_momentum_by_hand():
    # η = 0.1, γ = 0.9, w0 = 1, ∇w = 2w:
    # u1 = 0.1·2          = 0.2    w1 = 0.8
    # u2 = 0.9·0.2 + 0.16 = 0.34   w2 = 0.46
    # u3 = 0.306 + 0.092  = 0.398  w3 = 0.062
    opt = optim.Momentum(0.1, 0.9)
    assert three_steps(opt) == pytest.approx([0.8, 0.46, 0.062], abs=1e-12)
    assert float(opt.update["w"]) == pytest.approx(0.398, abs=1e-12)


def test_nag_by_hand():
    # look-ahead ŵ_t = w_t − γ u_{t−1}, u_t = γ u_{t−1} + η ∇w(ŵ_t):
    # t=1: ŵ = 1                     u1 = 0.2                    w1 = 0.8
    # t=2: ŵ = 0.8 − 0.18 = 0.62     u2 = 0.18 + 0.124 = 0.304   w2 = 0.496
    # t=3: ŵ = 0.496 − 0.2736        u3 = 0.2736 + 0.04448       w3 = 0.17792
    opt = optim.NAG(0.1, 0.9)
    assert three_steps(opt) == pytest.approx([0.8, 0.496, 0.17792], abs=1e-12)
    assert float(opt.update["w"]) == pytest.approx(0.31808, abs=1e-12)


def _matrix_power_path(M, w0, steps):
    """w_t from the state (w_t, u_{t-1}) -> M @ state, an independent closed form."""
    state, ws = np.array([w0, 0.0]), [w0]
    for _ in range(steps):
        state = M @ state
        ws.append(state[0])
    return np.array(ws)


@given(
    lr=st.floats(0.001, 0.5),
    gamma=st.floats(0.0, 0.99),
    a=st.floats(0.1, 3.0),
    steps=st.integers(1, 40),
)
def test_momentum_and_nag_match_their_linear_recurrences(lr, gamma, a, steps):
    # On L = a w²/2 both methods are linear maps of (w_t, u_{t-1}):
    # momentum: u_t = γu + ηa w,            w_{t+1} = (1 − ηa) w − γu
    # NAG:      u_t = γ(1 − ηa)u + ηa w,    w_{t+1} = (1 − ηa) w − γ(1 − ηa)u
    k = lr * a
    momentum = np.array([[1 - k, -gamma], [k, gamma]])
    nag = np.array([[1 - k, -gamma * (1 - k)], [k, gamma * (1 - k)]])

    def grad(p):
        return {"w": a * p["w"]}

    for cls, M in ((optim.Momentum, momentum), (optim.NAG, nag)):
        run = optim.run(cls(lr, gamma), grad, {"w": np.array(1.5)}, steps)
        expected = _matrix_power_path(M, 1.5, steps)
        assert np.allclose(run.trajectory["w"], expected, rtol=1e-10, atol=1e-12)


def test_gamma_zero_is_gradient_descent():
    def grad(p):
        return {"w": np.array([1.0, 4.0]) * p["w"]}

    start = {"w": np.array([1.0, -1.0])}
    gd = optim.run(optim.GD(0.2), grad, start, 30).trajectory["w"]
    for cls in (optim.Momentum, optim.NAG):
        assert np.allclose(optim.run(cls(0.2, 0.0), grad, start, 30).trajectory["w"], gd)


def test_nag_evaluates_the_gradient_at_the_look_ahead_point():
    calls = []

    def recording(params):
        calls.append({k: v.copy() for k, v in params.items()})
        return {"w": A * params["w"], "b": 10.0 * params["b"]}

    opt = optim.NAG(0.05, 0.8)
    run = optim.run(opt, recording, {"w": np.array(1.0), "b": np.array(-0.5)}, 12)
    assert len(calls) == 12  # exactly one gradient per step
    for key in ("w", "b"):
        path = run.trajectory[key]
        # update_{t-1} = w_{t-1} − w_t, so the look-ahead is w_t − γ (w_{t-1} − w_t).
        previous_update = np.concatenate([[0.0], path[:-2] - path[1:-1]])
        look_ahead = path[:-1] - 0.8 * previous_update
        assert np.allclose([c[key] for c in calls], look_ahead, rtol=0, atol=1e-14)
    # ...and never at w_t itself once there is momentum.
    assert not np.isclose(float(calls[3]["w"]), run.trajectory["w"][3])


def test_momentum_evaluates_the_gradient_at_the_current_point():
    calls = []

    def recording(params):
        calls.append(float(params["w"]))
        return quadratic(params)

    run = optim.run(optim.Momentum(0.05, 0.8), recording, {"w": np.array(1.0)}, 8)
    assert np.allclose(calls, run.trajectory["w"][:-1])


@given(
    grads=st.lists(st.floats(-10, 10), min_size=1, max_size=30),
    lr=st.floats(0.001, 2.0),
    gamma=st.floats(0.0, 0.999),
)
def test_unrolled_sum(grads, lr, gamma):
    # update_t = Σ_{τ=1..t} γ^(t−τ) η ∇w_τ, with the gradients the optimizer actually used.
    sequence = iter(grads)
    opt = optim.Momentum(lr, gamma)
    params = {"w": np.array(0.0)}
    for t in range(1, len(grads) + 1):
        opt.step(params, lambda p: {"w": np.array(next(sequence))})
        expected = sum(gamma ** (t - tau) * lr * grads[tau - 1] for tau in range(1, t + 1))
        assert float(opt.update["w"]) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    # and w_t = w_0 − Σ_t update_t
    total = sum(
        sum(gamma ** (t - tau) * lr * grads[tau - 1] for tau in range(1, t + 1))
        for t in range(1, len(grads) + 1)
    )
    assert float(params["w"]) == pytest.approx(-total, rel=1e-9, abs=1e-9)


def test_works_on_several_arrays_and_reset_forgets():
    params = {"W": np.ones((2, 3)), "c": np.zeros(3)}

    def grad(p):
        return {"W": np.full((2, 3), 2.0), "c": np.ones(3)}

    opt = optim.Momentum(0.5, 0.5)
    opt.step(params, grad)
    opt.step(params, grad)
    # updates: 1.0 then 0.5·1.0 + 1.0 = 1.5 for W; 0.5 then 0.75 for c
    assert np.allclose(params["W"], 1 - 1.0 - 1.5) and np.allclose(params["c"], -1.25)
    opt.reset()
    assert opt.update == {} and opt.t == 0


@pytest.mark.parametrize("cls", [optim.Momentum, optim.NAG])
@pytest.mark.parametrize(
    ("gamma", "error", "words"),
    [
        (1.0, ValueError, r"gamma must be in \[0.0, 1.0\), got 1.0"),
        (1.5, ValueError, r"gamma must be in \[0.0, 1.0\), got 1.5"),
        (-0.1, ValueError, r"gamma must be in \[0.0, 1.0\), got -0.1"),
        (float("nan"), ValueError, "gamma must be finite"),
        ("0.9", TypeError, "gamma must be a real number"),
        (True, TypeError, "gamma must be a real number"),
    ],
)
def test_bad_gamma(cls, gamma, error, words):
    with pytest.raises(error, match=words):
        cls(0.1, gamma)


@pytest.mark.parametrize("cls", [optim.Momentum, optim.NAG])
def test_bad_lr_and_bad_gradients(cls):
    with pytest.raises(ValueError, match="lr must be > 0, got 0.0"):
        cls(0.0, 0.9)
    with pytest.raises(ValueError, match=r"grad_fn\(params\) must have keys \['w'\]"):
        cls(0.1, 0.9).step({"w": np.array(1.0)}, lambda p: {"v": np.array(1.0)})


def test_a_run_can_continue_from_its_final_point():
    # Run.final used to return NumPy scalars for 0-d parameters, which optim.run rejects.
    grad = lambda p: {"w": A * p["w"]}  # noqa: E731
    first = optim.run(optim.Momentum(0.1, 0.9), grad, {"w": np.array(1.0)}, 3)
    final = first.final
    assert isinstance(final["w"], np.ndarray) and final["w"].shape == ()
    final["w"] += 1.0  # a fresh array: the trajectory is not changed through it
    assert first.trajectory["w"][-1] == pytest.approx(0.062)
    again = optim.run(optim.Momentum(0.1, 0.9), grad, first.final, 2)
    assert again.trajectory["w"][0] == pytest.approx(0.062)
