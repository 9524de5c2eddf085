"""The Jacobian of one step of the LSTM and the GRU (notebook 09), against centred finite
differences of the readable step functions, and gradcheck.numerical_jacobian itself."""

import numpy as np
import pytest

from course_lib import gradcheck, gru, lstm


def _perturbed(module, seed, scale=0.5):
    """Parameters away from the initialisation, so every term of the Jacobian is non-zero."""
    rng = np.random.default_rng(seed)
    p = module.init_params(3, 4, 2, rng=seed)
    return {k: v + scale * rng.standard_normal(v.shape) for k, v in p.items()}, rng


def test_numerical_jacobian_of_a_linear_map_is_the_matrix_and_leaves_x_alone():
    A = np.arange(6.0).reshape(2, 3)
    x = np.array([1.0, -2.0, 0.5])
    J = gradcheck.numerical_jacobian(lambda v: A @ v, x)
    assert J.shape == (2, 3) and np.allclose(J, A, atol=1e-9)
    assert np.array_equal(x, [1.0, -2.0, 0.5])
    # a quadratic: d(v²)/dv = 2 diag(v), exact for a centred difference
    assert np.allclose(gradcheck.numerical_jacobian(lambda v: v**2, x), np.diag(2 * x))
    with pytest.raises(ValueError, match="h must be > 0"):
        gradcheck.numerical_jacobian(lambda v: v, x, h=0.0)
    with pytest.raises((TypeError, ValueError), match="x"):
        gradcheck.numerical_jacobian(lambda v: v, np.ones((2, 2)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lstm_step_jacobian_matches_finite_differences(seed):
    p, rng = _perturbed(lstm, seed)
    x, h, s = rng.standard_normal(3), rng.standard_normal(4), rng.standard_normal(4)

    def step(z):
        h_t, s_t, _ = lstm.step_forward(p, x, z[:4], z[4:])
        return np.concatenate([h_t, s_t])

    J = lstm.step_jacobian(p, x, h, s)
    numeric = gradcheck.numerical_jacobian(step, np.concatenate([h, s]))
    assert J.shape == (8, 8)
    assert gradcheck.relative_error(J, numeric) < 1e-7
    # the (s, s) block is exactly diag(f_t): the direct path
    f = lstm.step_forward(p, x, h, s)[2]["f"]
    assert np.array_equal(J[4:, 4:], np.diag(f))


@pytest.mark.parametrize("reset_after", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gru_step_jacobian_matches_finite_differences(seed, reset_after):
    p, rng = _perturbed(gru, seed)
    x, s = rng.standard_normal(3), rng.standard_normal(4)
    J = gru.step_jacobian(p, x, s, reset_after)
    numeric = gradcheck.numerical_jacobian(lambda z: gru.step_forward(p, x, z, reset_after)[0], s)
    assert J.shape == (4, 4)
    assert gradcheck.relative_error(J, numeric) < 1e-7


def test_gru_jacobian_is_the_direct_path_when_the_recurrent_weights_are_zero():
    p, rng = _perturbed(gru, 3)
    for key in ("Wo", "Wi", "W"):
        p[key] = np.zeros_like(p[key])
    x, s = rng.standard_normal(3), rng.standard_normal(4)
    i = gru.step_forward(p, x, s)[1]["i"]
    assert np.allclose(gru.step_jacobian(p, x, s), np.diag(1 - i), rtol=0, atol=1e-15)


def test_the_sequence_forms_are_the_step_forms_along_a_run():
    p, rng = _perturbed(lstm, 4)
    X = rng.standard_normal((6, 3))
    h0, s0 = rng.standard_normal(4), rng.standard_normal(4)
    Js = lstm.step_jacobians(p, X, (h0, s0))
    h, s = h0, s0
    for t in range(6):
        assert np.allclose(Js[t], lstm.step_jacobian(p, X[t], h, s), rtol=1e-12, atol=1e-14)
        h, s, _ = lstm.step_forward(p, X[t], h, s)
    pg, _ = _perturbed(gru, 4)
    for reset_after in (False, True):
        Js = gru.step_jacobians(pg, X, s0, reset_after)
        s = s0
        for t in range(6):
            expected = gru.step_jacobian(pg, X[t], s, reset_after)
            assert np.allclose(Js[t], expected, rtol=1e-12, atol=1e-14)
            s, _ = gru.step_forward(pg, X[t], s, reset_after)


def test_the_product_of_lstm_step_jacobians_is_the_jacobian_over_several_steps():
    p, rng = _perturbed(lstm, 5)
    X = rng.standard_normal((5, 3))
    z0 = 0.3 * rng.standard_normal(8)

    def run(z):
        h, s = z[:4], z[4:]
        for x in X:
            h, s, _ = lstm.step_forward(p, x, h, s)
        return np.concatenate([h, s])

    product = np.eye(8)
    for J in lstm.step_jacobians(p, X, (z0[:4], z0[4:])):
        product = J @ product
    assert gradcheck.relative_error(product, gradcheck.numerical_jacobian(run, z0)) < 1e-7


def test_bad_input_is_rejected_with_the_argument_named():
    p, _ = _perturbed(lstm, 0)
    with pytest.raises(ValueError, match="h_prev"):
        lstm.step_jacobian(p, np.ones(3), np.ones(5), np.ones(4))
    with pytest.raises((TypeError, ValueError), match="x"):
        lstm.step_jacobians(p, np.ones(3))
    pg, _ = _perturbed(gru, 0)
    with pytest.raises(TypeError, match="reset_after"):
        gru.step_jacobian(pg, np.ones(3), np.ones(4), reset_after="yes")
    with pytest.raises(ValueError, match="s_prev"):
        gru.step_jacobian(pg, np.ones(3), np.ones(3))
