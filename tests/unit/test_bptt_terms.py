"""rnn.bptt_terms: the path terms of ∂ℓ_t/∂W (and U, b) for one sequence, against centred
finite differences of the loss ℓ_t alone, and summed over t against loss_and_grads."""

import numpy as np
import pytest

from course_lib import gradcheck, rnn


def case(seed, w_scale=1.2, T=7, n=3, d=4, K=3, activation="tanh"):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(n, d, K, rng=seed, w_scale=w_scale)
    params["b"] = 0.3 * rng.standard_normal(d)
    params["c"] = 0.3 * rng.standard_normal(K)
    return params, rng.standard_normal((T, n)), rng.integers(K, size=T)


def loss_at(params, x, y, t, activation):
    """ℓ_t = −log ŷ_{t, y_t}, computed by the forward pass only."""
    probs, _ = rnn.forward(params, x[None], activation=activation)
    return -np.log(probs[0, t - 1, y[t - 1]])


@pytest.mark.parametrize("activation", ["tanh", "logistic"])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("key", ["W", "U", "b"])
def test_terms_sum_to_finite_differences_of_loss_t(activation, seed, key):
    params, x, y = case(seed, activation=activation)
    for t in (1, 4, 7):
        terms = rnn.bptt_terms(params, x, y, t, key=key, activation=activation)
        assert terms.shape == (t, *params[key].shape)
        fd = gradcheck.numerical_gradient(lambda p, t=t: loss_at(p, x, y, t, activation), params)
        assert gradcheck.relative_error(terms.sum(axis=0), fd[key]) < 1e-7


@pytest.mark.parametrize("w_scale", [0.5, 1.0, 3.0])
def test_summed_over_t_they_give_loss_and_grads(w_scale):
    params, x, y = case(3, w_scale=w_scale)
    _, grads = rnn.loss_and_grads(params, x[None], y[None])
    for key in ("W", "U", "b"):
        total = sum(rnn.bptt_terms(params, x, y, t, key=key).sum(axis=0) for t in range(1, 8))
        assert gradcheck.relative_error(total, grads[key]) < 1e-12


def test_term_k_is_explicit_part_through_the_jacobian():
    """Term k written with explicitly formed Jacobians (rnn.state_jacobians, checked in
    test_rnn against finite differences)."""
    params, x, y = case(4)
    t = 6
    probs, cache = rnn.forward(params, x[None])
    s = cache["s"][0]
    dl = params["V"].T @ (probs[0, t - 1] - np.eye(3)[y[t - 1]])
    terms = rnn.bptt_terms(params, x, y, t)
    for k in range(1, t + 1):
        J = rnn.state_jacobians(params, x, k=k)[t - k]
        expected = np.outer((dl @ J) * (1 - s[k] ** 2), s[k - 1])
        np.testing.assert_allclose(terms[k - 1], expected, rtol=1e-10, atol=1e-14)


def test_truncated_sum_is_loss_and_grads_truncate():
    """Keeping the terms k > t − τ, summed over t, is loss_and_grads(truncate=τ)."""
    params, x, y = case(5)
    for tau in (1, 2, 3):
        _, grads = rnn.loss_and_grads(params, x[None], y[None], truncate=tau)
        kept = sum(rnn.bptt_terms(params, x, y, t)[max(0, t - tau) :].sum(0) for t in range(1, 8))
        assert gradcheck.relative_error(kept, grads["W"]) < 1e-12


def test_does_not_change_its_arguments():
    params, x, y = case(6)
    copies = {k: v.copy() for k, v in params.items()}, x.copy(), y.copy()
    rnn.bptt_terms(params, x, y, 5)
    assert all(np.array_equal(params[k], copies[0][k]) for k in params)
    assert np.array_equal(x, copies[1]) and np.array_equal(y, copies[2])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"t": 0}, ValueError, "t must be >= 1"),
        ({"t": 8}, ValueError, "t must be <= T = 7"),
        ({"t": 2.0}, TypeError, "t must be an integer"),
        ({"t": 2, "key": "V"}, ValueError, "key must be 'W', 'U' or 'b'"),
        ({"t": 2, "activation": "relu"}, ValueError, "activation must be one of"),
        ({"t": 2, "y": np.zeros(7)}, ValueError, "y must be 7 integer targets"),
        ({"t": 2, "y": np.full(7, 3)}, ValueError, r"in \[0, 3\)"),
        ({"t": 2, "x": np.zeros((7, 2))}, ValueError, r"x must have shape \(T, 3\)"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    params, x, y = case(0)
    args = {"x": x, "y": y} | kwargs
    with pytest.raises(error, match=match):
        rnn.bptt_terms(params, args.pop("x"), args.pop("y"), **args)
