"""Effective learning rates, traced runs, moving averages and the sparse-feature surface."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import adaptive, gradcheck, neuron, optim, surfaces

SPARSE = surfaces.sparse_feature()


@pytest.mark.parametrize("cls", [optim.GD, optim.Momentum, optim.NAG])
def test_effective_lr_of_the_plain_methods_is_eta(cls):
    rates = adaptive.effective_lr(cls(0.3), {"w": np.zeros(3), "b": np.array(0.0)})
    assert np.array_equal(rates["w"], [0.3, 0.3, 0.3]) and rates["b"] == 0.3


def test_effective_lr_before_and_after_adagrad_steps():
    opt = optim.AdaGrad(0.5, eps=1e-3)
    params = {"w": np.array([1.0, 2.0])}
    assert np.allclose(adaptive.effective_lr(opt, params)["w"], 0.5 / 1e-3)  # v_0 = 0
    for g in ([3.0, 0.0], [4.0, 1.0]):
        opt.step(params, lambda p, g=g: {"w": np.array(g)})
    expected = 0.5 / (np.sqrt([9.0 + 16.0, 0.0 + 1.0]) + 1e-3)
    assert np.allclose(adaptive.effective_lr(opt, params)["w"], expected, rtol=1e-14)


@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_traced_run_records_the_rate_of_every_step(name):
    make = {"Momentum": lambda: optim.Momentum(0.05), "NAG": lambda: optim.NAG(0.05)}.get(
        name, lambda: optim.OPTIMIZERS[name](0.05)
    )
    traced = adaptive.traced_run(make(), SPARSE.grad_fn, SPARSE.params(), 30)
    # the same steps, taken one at a time by hand, reading the rate after each
    opt, params, rates = make(), SPARSE.params(), []
    for _ in range(30):
        opt.step(params, SPARSE.grad_fn)
        rates.append(adaptive.effective_lr(opt, params)["b"])
    assert traced.effective_lrs["b"].shape == (30,)
    assert np.allclose(traced.effective_lrs["b"], rates, rtol=1e-14)
    assert np.allclose(traced.path[-1], [params["w"], params["b"]], rtol=1e-14)
    assert traced.lrs.shape == (30,) and np.all(traced.lrs == 0.05)  # eta left as it was


def test_traced_run_stops_with_the_run_when_it_diverges():
    bowl = surfaces.quadratic_bowl(1.0, 10.0)
    traced = adaptive.traced_run(optim.GD(0.25), bowl.grad_fn, bowl.params(), 200)
    assert traced.diverged
    assert traced.effective_lrs["w"].shape == (traced.steps,)


@given(
    values=st.lists(st.floats(-10, 10), min_size=1, max_size=30),
    beta=st.floats(0.0, 0.99),
)
def test_ema_is_the_weighted_sum(values, beta):
    out = adaptive.ema(values, beta)
    for t in range(1, len(values) + 1):
        explicit = (1 - beta) * sum(beta ** (t - k) * values[k - 1] for k in range(1, t + 1))
        assert out[t - 1] == pytest.approx(explicit, rel=1e-9, abs=1e-12)
    corrected = adaptive.ema(values, beta, bias_correction=True)
    t = np.arange(1, len(values) + 1)
    assert np.allclose(corrected, out / (1 - beta**t))


def test_bias_correction_recovers_a_constant_and_the_expectation():
    assert np.allclose(adaptive.ema(np.full(20, 3.0), 0.9, bias_correction=True), 3.0)
    # Stationary noisy gradients with mean 2: E[m_t] = (1 - beta^t) * 2 (the derivation).
    rng = np.random.default_rng(0)
    g = 2.0 + rng.standard_normal((40, 20_000))
    mean_m = adaptive.ema(g, 0.9).mean(axis=1)
    t = np.arange(1, 41)
    assert np.allclose(mean_m, (1 - 0.9**t) * 2.0, atol=0.02)
    assert np.allclose(adaptive.ema(g, 0.9, bias_correction=True).mean(axis=1), 2.0, atol=0.03)


def test_ema_checks_its_arguments():
    with pytest.raises(ValueError, match="beta must be in"):
        adaptive.ema([1.0], 1.0)
    with pytest.raises(ValueError, match=r"values must have shape \(T, ...\)"):
        adaptive.ema(3.0, 0.5)
    with pytest.raises(TypeError, match="bias_correction must be True or False"):
        adaptive.ema([1.0], 0.5, bias_correction=1)
    with pytest.raises(TypeError, match="optimizer must be"):
        adaptive.effective_lr("Adam", {"w": np.zeros(1)})


@given(w=st.floats(-6, 6), b=st.floats(-4, 4))
def test_sparse_feature_gradient_of_w_comes_from_the_k_points(w, b):
    X, Y = SPARSE.extras["X"], SPARSE.extras["Y"]
    k = SPARSE.extras["k"]
    assert np.count_nonzero(X) == k and k / X.size <= 0.05
    gw, gb = SPARSE.grad(w, b)
    gw_few, _ = neuron.gradient(w, b, X[:k], Y[:k])
    assert gw == pytest.approx(gw_few, rel=1e-12, abs=1e-15)
    assert gb == pytest.approx(neuron.gradient(w, b, X, Y)[1], rel=1e-12, abs=1e-15)
    # grouping the identical points is exact: the lecture's sum over all n points
    assert SPARSE.loss(w, b) == pytest.approx(neuron.loss(w, b, X, Y), rel=1e-12, abs=1e-300)
    W, B = np.meshgrid([w, w / 2, 0.0], [b, -b])  # and it broadcasts over grids
    assert np.allclose(
        SPARSE.loss(W, B), [[neuron.loss(x, y, X, Y) for x in W[0]] for y in B[:, 0]]
    )
    assert SPARSE.loss(*SPARSE.minimum) == pytest.approx(0.0, abs=1e-30)


def test_sparse_feature_bad_arguments():
    with pytest.raises(ValueError, match="k must be smaller than n"):
        surfaces.sparse_feature(n=10, k=10)
    with pytest.raises(ValueError, match="k must be >= 1"):
        surfaces.sparse_feature(k=0)


# -- where adaptive methods fail (notebook 05, section 6) -------------------------------------
@pytest.mark.parametrize("angle", [0.0, 30.0, 45.0, -70.0])
def test_rotated_bowl_gradient_matches_finite_differences(angle):
    bowl = adaptive.rotated_bowl((2.0, 50.0), angle)
    for w, b in [(0.3, -1.2), (-2.0, 0.7), (1.5, 1.5)]:
        h = 1e-5
        fd = [
            (bowl.loss(w + h, b) - bowl.loss(w - h, b)) / (2 * h),
            (bowl.loss(w, b + h) - bowl.loss(w, b - h)) / (2 * h),
        ]
        assert gradcheck.relative_error(np.array(bowl.grad(w, b)), np.array(fd)) < 1e-7


def test_rotated_bowl_has_its_curvatures_along_its_axes():
    bowl = adaptive.rotated_bowl((1.0, 100.0), 30.0)
    d1, d2 = bowl.extras["along"], bowl.extras["normal"]
    # the loss along each axis is ½ λ s², written out
    assert bowl.loss(*(0.4 * d1)) == pytest.approx(0.5 * 1.0 * 0.16, rel=1e-12)
    assert bowl.loss(*(0.4 * d2)) == pytest.approx(0.5 * 100.0 * 0.16, rel=1e-12)
    aligned, classic = adaptive.rotated_bowl((1.0, 10.0), 0.0), surfaces.quadratic_bowl(1.0, 10.0)
    assert aligned.loss(1.3, -0.4) == pytest.approx(classic.loss(1.3, -0.4), rel=1e-14)


def test_approach_u_turns_counts_by_hand():
    bowl = adaptive.rotated_bowl((1.0, 100.0), 0.0)  # across the valley is b
    # b: 1, -0.5, 0.25, -0.1, then tiny: three u-turns before the loss falls below 1e-3 of its start
    traj = {"w": np.array([0.1, 0.05, 0.02, 0.01, 0.0, 0.0]),
            "b": np.array([1.0, -0.5, 0.25, -0.1, 1e-4, -1e-4])}  # fmt: skip
    assert adaptive.approach_u_turns(bowl, traj).tolist() == [3]
    two = {k: np.column_stack([v, v[::-1] * 0 + v[0]]) for k, v in traj.items()}  # second: still
    assert adaptive.approach_u_turns(bowl, two).tolist() == [3, 0]


def test_reddi_problem_best_point_is_minus_one():
    grads = [adaptive.reddi_gradient(t, 3.0) for t in range(1, 7)]
    assert grads == [3.0, -1.0, -1.0, 3.0, -1.0, -1.0]  # sum over a period: C - 2 > 0


def test_projected_online_run_of_gd_by_hand():
    path = adaptive.projected_online_run(optim.GD(0.5), adaptive.reddi_gradient, 0.0, 4)
    x, expected = 0.0, [0.0]
    for t in range(1, 5):
        x = min(1.0, max(-1.0, x - 0.5 / np.sqrt(t) * (3.0 if t % 3 == 1 else -1.0)))
        expected.append(x)
    assert path == pytest.approx(expected, rel=1e-14)


def test_adam_fails_and_amsgrad_succeeds_on_reddis_problem():
    starts = np.linspace(-1, 1, 5)
    for C in (3.0, 10.0):
        beta2 = 1 / (1 + C**2)

        def grad(t, C=C):
            return adaptive.reddi_gradient(t, C)

        adam = adaptive.projected_online_run(optim.Adam(0.5, 0.0, beta2), grad, starts, 1500)
        ams = adaptive.projected_online_run(
            optim.Adam(0.5, 0.0, beta2, amsgrad=True), grad, starts, 1500
        )
        assert adam[-300:].mean(axis=0).min() > 0.9  # near +1, the worst point
        assert ams[-1].max() < -0.99  # at the best point


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: adaptive.rotated_bowl((10.0, 1.0)), ValueError, "curvatures must be"),
        (lambda: adaptive.rotated_bowl((0.0, 1.0)), ValueError, "curvatures.0. must be > 0"),
        (lambda: adaptive.rotated_bowl(angle=120), ValueError, "angle must be in"),
        (
            lambda: adaptive.projected_online_run(optim.GD(1), abs, 2.0, 3),
            ValueError,
            "x0 must lie in bounds",
        ),
        (lambda: adaptive.projected_online_run("GD", abs, 0.0, 3), TypeError, "optimizer must"),
        (
            lambda: adaptive.approach_u_turns(adaptive.rotated_bowl(), {"w": [1], "b": [1]}, 2),
            ValueError,
            "frac must be in",
        ),
    ],
)
def test_bad_input_to_the_failure_tools(call, error, words):
    with pytest.raises(error, match=words):
        call()
