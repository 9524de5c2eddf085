"""course_lib.momentum_theory against what it claims to solve: the matrices against the
optimizers' own steps, the closed-form roots against numpy.linalg.eigvals, the stability
limits and optimal tunings against numerical searches, the rates against runs of
course_lib.optim."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import momentum_theory as mt
from course_lib import optim, surfaces


def make(method, eta, gamma):
    return optim.GD(eta) if method == "GD" else optim.OPTIMIZERS[method](eta, gamma)


def gamma_for(method, gamma):
    return 0.0 if method == "GD" else gamma


METHODS = list(mt.METHODS)


# -- the 2x2 matrix is one step of the optimizer -------------------------------------------
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("eta", "gamma", "lam"), [(0.1, 0.9, 3.0), (0.7, 0.5, 1.0), (2.5, 0.3, 0.4)]
)
def test_the_matrix_is_the_optimizers_step(method, eta, gamma, lam):
    gamma = gamma_for(method, gamma)
    opt = make(method, eta, gamma)
    params = {"x": np.array(1.7)}
    state = np.array([1.7, 0.0])  # (ξ_0, update_0 = 0)
    M = mt.iteration_matrix(method, eta, gamma, lam)
    for _ in range(25):
        before = float(params["x"])
        opt.step(params, lambda p: {"x": lam * p["x"]})
        state = M @ state
        update = before - float(params["x"])  # w_{t+1} = w_t - update_t, GD's too
        assert np.allclose(state, [float(params["x"]), update], rtol=1e-12, atol=1e-12)
        if method != "GD":
            assert np.isclose(float(opt.update["x"]), update, rtol=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    method=st.sampled_from(METHODS),
    eta=st.floats(1e-3, 5.0),
    gamma=st.floats(0.0, 0.999),
    lam=st.floats(1e-2, 10.0),
)
def test_the_closed_form_roots_are_the_matrix_eigenvalues(method, eta, gamma, lam):
    gamma = gamma_for(method, gamma)
    z = np.sort_complex(np.array(mt.eigenvalues(method, eta, gamma, lam)))
    numeric = np.sort_complex(np.linalg.eigvals(mt.iteration_matrix(method, eta, gamma, lam)))
    # A double root is ill-conditioned: eigvals finds it to about sqrt(machine epsilon).
    assert np.allclose(z, numeric, atol=1e-6)
    radius = mt.spectral_radius(method, eta, gamma, lam)
    assert np.isclose(radius, np.abs(numeric).max(), atol=1e-6)


def test_momentum_has_rate_sqrt_gamma_inside_its_complex_band():
    """The product of the roots is D = γ, so max|z| >= √γ, with equality exactly where the
    roots are complex: (1 - √γ)² < ηλ < (1 + √γ)²."""
    for gamma in (0.1, 0.5, 0.81, 0.95):
        lo, hi = (1 - np.sqrt(gamma)) ** 2, (1 + np.sqrt(gamma)) ** 2
        h = np.linspace(0.01, 2 * (1 + gamma) - 0.01, 500)
        radius = mt.spectral_radius("Momentum", h, gamma, 1.0)
        inside = (h > lo) & (h < hi)
        assert np.allclose(radius[inside], np.sqrt(gamma))
        assert np.all(radius[~inside] > np.sqrt(gamma) - 1e-12)


# -- stability ----------------------------------------------------------------------------
def _numerical_limit(method, gamma):
    """The ηλ at which the spectral radius reaches 1, by bisection (λ = 1)."""
    lo, hi = 1e-6, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mt.spectral_radius(method, mid, gamma, 1.0) < 1 else (lo, mid)
    return lo


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("gamma", [0.0, 0.3, 0.6, 0.9, 0.99])
def test_stability_limits_against_bisection_and_runs(method, gamma):
    gamma = gamma_for(method, gamma)
    limit = mt.stability_limit(method, gamma)
    assert np.isclose(limit, _numerical_limit(method, gamma), rtol=1e-9)
    bowl = surfaces.quadratic_bowl(0.5, 4.0)  # λ_max = 4
    for factor, diverges in ((0.97, False), (1.03, True)):
        eta = factor * limit / 4.0
        run = optim.run(make(method, eta, gamma), bowl.grad_fn, bowl.params(), 6000)
        assert run.diverged is diverges, (factor, run)


def test_nag_region_is_narrower_than_momentums_and_than_gds_for_positive_gamma():
    gammas = np.linspace(0.01, 0.99, 50)
    nag, mom = mt.stability_limit("NAG", gammas), mt.stability_limit("Momentum", gammas)
    assert np.all(nag < 2) and np.all(mom > 2) and mt.stability_limit("GD", 0.0) == 2.0
    assert np.isclose(mt.stability_limit("NAG", 0.0), 2.0)


def test_at_the_limit_the_run_neither_converges_nor_diverges():
    """At ηλ = the limit the spectral radius is exactly 1 (a root on the unit circle)."""
    for method in METHODS:
        for gamma in (0.0, 0.5, 0.9):
            gamma = gamma_for(method, gamma)
            limit = mt.stability_limit(method, gamma)
            assert np.isclose(mt.spectral_radius(method, limit, gamma, 1.0), 1.0)


# -- rates on a bowl and the best tuning -----------------------------------------------------
def test_a_bowls_rate_is_set_by_its_two_extreme_curvatures():
    """Between the extremes no curvature is slower (so a 2-D bowl tells the whole story)."""
    etas, gammas = np.meshgrid(np.linspace(0.02, 3.9, 60), np.linspace(0, 0.98, 50))
    for method in METHODS:
        g = 0 * gammas if method == "GD" else gammas
        ends = mt.rate(method, etas, g, [0.05, 1.0])
        dense = mt.rate(method, etas, g, np.linspace(0.05, 1.0, 200))
        assert np.allclose(dense, ends, rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kappa", [4.0, 10.0, 100.0, 1000.0])
def test_optimal_tuning_against_a_grid_search(method, kappa):
    best = mt.optimal(method, kappa)
    curv = [1 / kappa, 1.0]
    # At the optimum a root is double, which the closed-form roots find to ~sqrt(eps).
    assert np.isclose(mt.rate(method, best.eta, best.gamma, curv), best.rate, rtol=1e-7)
    etas = np.linspace(1e-3, 4.0, 900)[:, None]
    gammas = np.zeros((1, 1)) if method == "GD" else np.linspace(0, 0.999, 700)[None, :]
    grid = mt.rate(method, etas, gammas, curv)
    assert grid.min() >= best.rate - 1e-7  # nothing on the grid beats it
    assert grid.min() <= best.rate + 2e-3  # and the grid comes close to it


def test_optimal_rates_are_the_textbook_ones():
    kappa = 100.0
    assert np.isclose(mt.optimal("GD", kappa).rate, 99 / 101)
    assert np.isclose(mt.optimal("Momentum", kappa).rate, 9 / 11)
    assert np.isclose(mt.optimal("NAG", kappa).rate, 1 - 2 / np.sqrt(301))
    for k in (2.0, 10.0, 1e4):
        gd, hb, nag = (mt.optimal(m, k).rate for m in METHODS)
        assert hb < nag < gd
    scaled = mt.optimal("Momentum", 10.0, lam_max=5.0)
    assert np.isclose(scaled.eta * 5.0, mt.optimal("Momentum", 10.0).eta)


def test_kappa_one_gives_convergence_in_one_step_for_gd():
    assert mt.optimal("GD", 1.0) == (1.0, 0.0, 0.0)


# -- measured rates ---------------------------------------------------------------------------
def test_measured_rate_of_hand_made_paths():
    t = np.arange(40)[:, None]
    geometric = np.hstack([0.8**t, -(0.8**t)])
    assert np.isclose(mt.measured_rate(geometric, [0.0, 0.0]), 0.8)
    oscillating = (0.9**t) * np.hstack([np.cos(1.3 * t), np.sin(1.3 * t)]) + [1.0, 2.0]
    assert np.isclose(mt.measured_rate(oscillating, [1.0, 2.0]), 0.9)
    growing = 1.1**t
    assert np.isclose(mt.measured_rate(growing, [0.0]), 1.1)
    reached = np.vstack([[[1.0]], np.zeros((10, 1))])
    assert mt.measured_rate(reached, [0.0]) == 0.0
    fast = 0.01 ** np.arange(200.0)[:, None]  # below 1e-150 from step 76: measured before
    assert np.isclose(mt.measured_rate(fast, [0.0]), 0.01)


def test_measured_rates_equal_predicted_ones_over_many_runs():
    rng = np.random.default_rng(3)
    errors = []
    for kappa in (5.0, 30.0, 300.0):
        bowl = surfaces.quadratic_bowl(1 / kappa, 1.0)
        for method in METHODS:
            for _ in range(6):
                gamma = gamma_for(method, rng.uniform(0, 0.97))
                eta = rng.uniform(0.05, 0.95) * mt.stability_limit(method, gamma)
                start = bowl.params(*rng.uniform(-3, 3, 2))
                run = optim.run(make(method, eta, gamma), bowl.grad_fn, start, 400)
                predicted = mt.rate(method, eta, gamma, [1 / kappa, 1.0])
                errors.append(mt.measured_rate(run.path, bowl.minimum) / predicted - 1)
    assert np.max(np.abs(errors)) < 0.02, np.max(np.abs(errors))


# -- bad input --------------------------------------------------------------------------------
BAD = [
    (lambda: mt.spectral_radius("Adam", 0.1, 0.9, 1.0), ValueError, "method"),
    (lambda: mt.spectral_radius("Momentum", 0.0, 0.9, 1.0), ValueError, "eta"),
    (lambda: mt.spectral_radius("Momentum", -1.0, 0.9, 1.0), ValueError, "eta"),
    (lambda: mt.spectral_radius("Momentum", "0.1", 0.9, 1.0), TypeError, "eta"),
    (lambda: mt.spectral_radius("Momentum", np.nan, 0.9, 1.0), ValueError, "eta"),
    (lambda: mt.spectral_radius("Momentum", 0.1, 1.0, 1.0), ValueError, "gamma"),
    (lambda: mt.spectral_radius("Momentum", 0.1, -0.1, 1.0), ValueError, "gamma"),
    (lambda: mt.spectral_radius("GD", 0.1, 0.5, 1.0), ValueError, "gamma"),
    (lambda: mt.spectral_radius("NAG", 0.1, 0.9, 0.0), ValueError, "lam"),
    (lambda: mt.spectral_radius("NAG", 0.1, True, 1.0), TypeError, "gamma"),
    (lambda: mt.iteration_matrix("NAG", [0.1, 0.2], 0.9, 1.0), TypeError, "eta"),
    (lambda: mt.iteration_matrix("NAG", 0.1, 0.9, -2.0), ValueError, "lam"),
    (lambda: mt.iteration_matrix("SGD", 0.1, 0.9, 1.0), ValueError, "method"),
    (lambda: mt.trace_and_det("Momentum", 0.0, 0.5), ValueError, "eta_lam"),
    (lambda: mt.rate("Momentum", 0.1, 0.9, []), ValueError, "curvatures"),
    (lambda: mt.rate("Momentum", 0.1, 0.9, [[1.0]]), ValueError, "curvatures"),
    (lambda: mt.rate("Momentum", 0.1, 0.9, [1.0, -1.0]), ValueError, "curvatures"),
    (lambda: mt.stability_limit("Momentum", 1.5), ValueError, "gamma"),
    (lambda: mt.stability_limit(None, 0.5), ValueError, "method"),
    (lambda: mt.optimal("NAG", 0.5), ValueError, "kappa"),
    (lambda: mt.optimal("NAG", "10"), TypeError, "kappa"),
    (lambda: mt.optimal("NAG", 10.0, lam_max=0.0), ValueError, "lam_max"),
    (lambda: mt.measured_rate(np.ones((3, 2)), [0.0, 0.0]), ValueError, "path"),
    (lambda: mt.measured_rate(np.ones(10), [0.0]), ValueError, "path"),
    (lambda: mt.measured_rate(np.ones((10, 2)), [0.0]), ValueError, "minimum"),
    (lambda: mt.measured_rate(np.full((10, 2), np.inf), [0.0, 0.0]), ValueError, "path"),
    (lambda: mt.measured_rate([["a", "b"]] * 6, [0.0, 0.0]), TypeError, "path"),
]


@pytest.mark.parametrize(
    ("call", "error", "name"), BAD, ids=[f"{i}-{b[2]}" for i, b in enumerate(BAD)]
)
def test_bad_input_is_refused_naming_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_inputs_are_not_changed():
    etas, gammas, path = np.linspace(0.1, 1, 5), np.full(5, 0.5), np.ones((8, 2))
    copies = etas.copy(), gammas.copy(), path.copy()
    mt.rate("NAG", etas, gammas, [0.1, 1.0])
    mt.measured_rate(path, np.zeros(2))
    for kept, original in zip((etas, gammas, path), copies, strict=True):
        assert np.array_equal(kept, original)
