"""The recurrent-model interface, checked for EVERY model in course_lib.models.

A new model module (lstm.py, gru.py) that is listed in ``models.MODELS`` is picked up here
automatically: these tests state the contract that train.py, the notebooks and the other
tests rely on. Model-specific maths (the equations, hand calculations) lives in each model's
own test file.
"""

import numpy as np
import pytest

from course_lib import gradcheck, models

B, T, N, D, K = 2, 5, 3, 4, 3
MODELS = models.available()


def problem(model, seed=0):
    rng = np.random.default_rng(seed)
    params = model.init_params(N, D, K, rng=seed)
    for key, value in params.items():  # nonzero biases so that their gradients are tested
        if value.ndim == 1:
            params[key] = value + 0.2 * rng.standard_normal(value.shape)
    X = rng.standard_normal((B, T, N))
    y = rng.integers(K, size=(B, T))
    return params, X, y


@pytest.fixture(params=MODELS)
def model(request):
    return models.get(request.param)


def test_init_params_is_seeded_float64_with_the_design_shapes(model):
    a = model.init_params(N, D, K, rng=3)
    b = model.init_params(N, D, K, rng=np.random.default_rng(3))
    assert set(a) == set(b) and all(np.array_equal(a[k], b[k]) for k in a)
    assert all(v.dtype == np.float64 for v in a.values())
    assert a["V"].shape == (K, D) and a["c"].shape == (K,)
    assert a["U"].shape == (D, N) and a["W"].shape == (D, D) and a["b"].shape == (D,)


@pytest.mark.parametrize("many_to_one", [False, True])
def test_gradients_match_finite_differences(model, many_to_one):
    params, X, y = problem(model, seed=1)
    mask = np.ones((B, T))
    mask[0, 3:] = 0.0
    targets = y[:, 0] if many_to_one else y
    kwargs = {"mask": mask, "many_to_one": many_to_one}
    _, grads = model.loss_and_grads(params, X, targets, **kwargs)
    assert set(grads) == set(params)
    errors = gradcheck.check_gradients(
        lambda p: model.loss_and_grads(p, X, targets, **kwargs)[0], grads, params
    )
    assert max(errors.values()) < 1e-7, errors


def test_forward_shapes_and_probabilities(model):
    params, X, _ = problem(model)
    probs, cache = model.forward(params, X)
    assert probs.shape == (B, T, K) and isinstance(cache, dict)
    assert np.allclose(probs.sum(axis=-1), 1.0) and np.all(probs > 0)


def test_truncating_at_T_is_full_bptt(model):
    params, X, y = problem(model, seed=2)
    _, full = model.loss_and_grads(params, X, y)
    for k in (T, T + 3):
        _, truncated = model.loss_and_grads(params, X, y, truncate=k)
        for key in full:
            assert gradcheck.relative_error(truncated[key], full[key]) < 1e-12, key
    _, short = model.loss_and_grads(params, X, y, truncate=1)
    assert any(gradcheck.relative_error(short[k], full[k]) > 1e-6 for k in full)


def test_padded_steps_contribute_nothing(model):
    params, X, y = problem(model, seed=3)
    mask = np.ones((B, T))
    mask[1, 2:] = 0.0
    junk_X = X.copy()
    junk_X[1, 2:] = 7.0
    junk_y = y.copy()
    junk_y[1, 2:] = (y[1, 2:] + 1) % K
    loss, grads = model.loss_and_grads(params, junk_X, junk_y, mask=mask)
    l0, g0 = model.loss_and_grads(params, X[:1], y[:1])
    l1, g1 = model.loss_and_grads(params, X[1:, :2], y[1:, :2])
    assert loss == pytest.approx((l0 + l1) / 2, rel=1e-12)
    for key in grads:
        assert np.allclose(grads[key], (g0[key] + g1[key]) / 2, rtol=1e-10, atol=1e-14), key


def test_cell_step_reproduces_forward(model):
    params, X, _ = problem(model, seed=4)
    probs, _ = model.forward(params, X)
    state = None
    for t in range(T):
        p_t, state = model.cell_step(params, X[:, t], state)
        assert np.allclose(p_t, probs[:, t], rtol=1e-12)


def test_sampling_is_seeded_in_range_and_stops(model):
    params = model.init_params(K, D, K, rng=5)
    a = model.sample(params, [0, 1], 20, rng=7)
    assert a == model.sample(params, [0, 1], 20, rng=np.random.default_rng(7))
    assert len(a) == 20 and set(a) <= set(range(K))
    cut = model.sample(params, [0, 1], 20, rng=7, stop=a[2])
    assert cut == a[: a.index(a[2]) + 1]
    greedy = model.sample(params, [2], 5, greedy=True)
    probs, _ = model.forward(params, np.eye(K)[[2]][None])
    assert greedy[0] == int(np.argmax(probs[0, -1]))


def test_bad_inputs_give_clear_errors(model):
    params, X, y = problem(model)
    with pytest.raises(ValueError, match="targets must be in"):
        model.loss_and_grads(params, X, y + K)
    with pytest.raises(TypeError, match="targets must be integer"):
        model.loss_and_grads(params, X, y.astype(float))
    with pytest.raises(ValueError, match="features"):
        model.forward(params, X[..., :1])
    with pytest.raises(ValueError, match="at least one step"):
        model.forward(params, X[:, :0])
    with pytest.raises(ValueError, match="empty"):
        model.loss_and_grads(params, X, y, mask=np.zeros((B, T)))
