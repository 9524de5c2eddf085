"""The recurrent-model interface, checked for EVERY model in course_lib.models.

A new model module (lstm.py, gru.py) that is listed in ``models.MODELS`` is picked up here
automatically: these tests state the contract that train.py, the notebooks and the other
tests rely on. Model-specific maths (the equations, hand calculations) lives in each model's
own test file.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recurrent_reference import step_backward_error, steps_loss_and_grads

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


# --- the fused kernels against the readable steps ---------------------------------------------

#: Options of each model that change its equations (drawn in the tests below).
STEP_OPTIONS = {
    "rnn": [{}, {"activation": "logistic"}],
    "lstm": [{}],
    "gru": [{}, {"reset_after": True}],
}


def random_problem(model, seed, B, T, n, d, k, chrono=False):
    """Perturbed parameters (chrono biases if ``chrono`` and the model has them), inputs,
    targets, a mask with padding at the end and in the middle (every row keeps a real
    step), and a random initial state in the model's form."""
    rng = np.random.default_rng(seed)
    init = {"chrono": T + 3} if chrono and models.name(model) != "RNN" else {}
    params = model.init_params(n, d, k, rng=seed, **init)
    for key in params:  # keep chrono's gate biases, perturb the rest
        if not (init and key in ("bi", "bf")):
            params[key] = params[key] + 0.3 * rng.standard_normal(params[key].shape)
    X = rng.standard_normal((B, T, n))
    y = rng.integers(k, size=(B, T))
    mask = (rng.random((B, T)) < 0.7).astype(float)
    mask[np.arange(B), rng.integers(T, size=B)] = 1.0
    parts = 2 if models.name(model) == "LSTM" else 1
    s0 = tuple(rng.uniform(-1, 1, (B, d)) for _ in range(parts))
    return params, X, y, mask, (s0 if parts == 2 else s0[0])


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    B=st.integers(1, 3),
    T=st.integers(1, 6),
    n=st.integers(1, 4),
    d=st.integers(1, 5),
    padded=st.booleans(),
    with_s0=st.booleans(),
    many_to_one=st.booleans(),
    chrono=st.booleans(),
    which=st.integers(0, 1),
)
@pytest.mark.parametrize("name", MODELS)
def test_fused_kernel_equals_the_readable_steps(
    name, seed, B, T, n, d, padded, with_s0, many_to_one, chrono, which
):
    """forward's states and loss_and_grads' gradients are those of step_forward and
    step_backward run over every sequence (as torch tests its fused optimizers against the
    for-loop ones): the same equations, stacked and fused, equal to round-off."""
    model = models.get(name)
    options = STEP_OPTIONS[name][which % len(STEP_OPTIONS[name])]
    params, X, y, mask, s0 = random_problem(model, seed, B, T, n, d, n, chrono)
    mask = mask if padded else None
    s0 = s0 if with_s0 else None
    y = y[:, 0] if many_to_one else y
    kwargs = {"s0": s0, "mask": mask, "many_to_one": many_to_one, **options}
    loss, grads = model.loss_and_grads(params, X, y, **kwargs)
    ref_loss, ref_grads, states = steps_loss_and_grads(model, params, X, y, **kwargs)
    _, cache = model.forward(params, X, s0=s0, mask=mask, **options)
    for b in range(B):
        np.testing.assert_allclose(cache["s"][b], states[b][:, -1], rtol=1e-12, atol=1e-14)
        if "h" in cache:
            np.testing.assert_allclose(cache["h"][b], states[b][:, 0], rtol=1e-12, atol=1e-14)
    assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-14)
    for key in params:
        assert gradcheck.relative_error(grads[key], ref_grads[key]) < 1e-10, key


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", MODELS)
def test_every_readable_step_backward_matches_finite_differences(name, seed):
    model = models.get(name)
    for options in STEP_OPTIONS[name]:
        params, X, _, _, s0 = random_problem(model, seed, 1, 1, 3, 4, 3)
        state = tuple(part[0] for part in (s0 if isinstance(s0, tuple) else (s0,)))
        errors = step_backward_error(model, params, X[0, 0], state, seed=seed, **options)
        assert max(errors.values()) < 1e-7, (options, errors)


# --- chunks with the state carried (truncated BPTT in its practical form) ----------------------


def chunks(T, k):
    return [slice(start, min(start + k, T)) for start in range(0, T, k)]


@pytest.mark.parametrize("name", MODELS)
def test_chunks_with_the_state_carried_give_the_states_of_one_run(name):
    model = models.get(name)
    params, X, y, _, s0 = random_problem(model, 5, 3, 10, N, D, K)
    mask = np.ones((3, 10))
    mask[1, 3:5] = 0.0  # padding inside chunks: the state passes through it
    mask[2, 7:] = 0.0  # a short sequence: the last chunk is all padding for it
    probs, cache = model.forward(params, X, s0=s0, mask=mask)
    state = s0
    for cut in chunks(10, 4):
        p, c = model.forward(params, X[:, cut], s0=state, mask=mask[:, cut])
        np.testing.assert_allclose(p, probs[:, cut], rtol=1e-12)
        np.testing.assert_allclose(c["s"][:, 1:], cache["s"][:, 1:][:, cut], rtol=1e-12)
        _, _, state = model.loss_grads_and_state(
            params, X[:, cut], y[:, cut], s0=state, mask=mask[:, cut]
        )
        np.testing.assert_allclose(
            np.array(state), np.array(c["final_state"]), rtol=1e-12, atol=1e-15
        )
    np.testing.assert_allclose(np.array(state), np.array(cache["final_state"]), rtol=1e-12)


@pytest.mark.parametrize("name", MODELS)
def test_chunked_gradient_is_the_gradient_with_the_carried_state_held_constant(name):
    """Σ over chunks of loss_grads_and_state, each chunk started from the state the one
    before returned, is the gradient of the chunked loss in which the carried states are
    constants (finite differences, with the states computed once at the start point): no
    gradient crosses a cut."""
    model = models.get(name)
    params, X, y, _, s0 = random_problem(model, 6, 2, 7, N, D, K)
    cuts = chunks(7, 3)
    carried, state = [], s0
    grads = {key: np.zeros_like(v) for key, v in params.items()}
    for cut in cuts:
        carried.append(state)
        _, g, state = model.loss_grads_and_state(params, X[:, cut], y[:, cut], s0=state)
        for key in grads:
            grads[key] += g[key]

    def chunked_loss(p):
        return sum(
            model.loss_and_grads(p, X[:, cut], y[:, cut], s0=s)[0]
            for cut, s in zip(cuts, carried, strict=True)
        )

    errors = gradcheck.check_gradients(chunked_loss, grads, params)
    assert max(errors.values()) < 1e-7, errors
    _, full = model.loss_and_grads(params, X, y, s0=s0)  # the cuts matter:
    assert gradcheck.relative_error(full["W"], grads["W"]) > 1e-6


@pytest.mark.parametrize("name", MODELS)
def test_loss_grads_and_state_is_loss_and_grads_with_the_final_state(name):
    model = models.get(name)
    params, X, y, mask, s0 = random_problem(model, 7, 3, 5, N, D, K)
    for kwargs in ({}, {"mask": mask, "s0": s0, "truncate": 2}):
        loss, grads, state = model.loss_grads_and_state(params, X, y, **kwargs)
        loss2, grads2 = model.loss_and_grads(params, X, y, **kwargs)
        assert loss == loss2 and all(np.array_equal(grads[k], grads2[k]) for k in grads)
        _, cache = model.forward(params, X, s0=kwargs.get("s0"), mask=kwargs.get("mask"))
        assert np.array_equal(np.array(state), np.array(cache["final_state"]))


@pytest.mark.parametrize("name", MODELS)
def test_check_params_rejects_another_models_parameters(name):
    model = models.get(name)
    params, *_ = problem(model)
    assert model.check_params(params) == (N, D, K)
    for other in MODELS:
        if other != name:
            with pytest.raises(ValueError, match="missing keys|unknown keys"):
                model.check_params(models.get(other).init_params(N, D, K))
