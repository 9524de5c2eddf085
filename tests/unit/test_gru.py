"""The GRU in both reset-gate placements: forward against a step-by-step reference written
from the equations, gradient checks of every parameter (full BPTT, truncation, many-to-one,
masks), cell steps, sampling, and clear errors for bad inputs."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from recurrent_reference import frozen_state_loss, sequence_by_steps

from course_lib import gradcheck, gru

B, T, N, D, K = 3, 6, 4, 5, 4
PLACEMENTS = pytest.mark.parametrize("reset_after", [False, True], ids=["notes", "reset-after"])


def problem(seed=0, B=B, T=T, n=N, d=D, k=K):
    """Random parameters with every entry perturbed (nonzero biases, non-orthogonal W)."""
    rng = np.random.default_rng(seed)
    params = gru.init_params(n, d, k, rng=seed + 1)
    for key in params:
        params[key] = params[key] + 0.4 * rng.standard_normal(params[key].shape)
    X = rng.standard_normal((B, T, n))
    y = rng.integers(k, size=(B, T))
    return params, X, y


def ragged_mask():
    mask = np.ones((B, T))
    mask[0, 4:] = 0.0
    mask[1, 2:] = 0.0
    return mask


def holey_mask():
    mask = ragged_mask()
    mask[2, 1:3] = 0.0
    mask[0, 0] = 0.0
    return mask


def test_init_params_has_the_design_keys_and_shapes():
    p = gru.init_params(3, 7, 2, rng=0)
    assert " ".join(p) == "Uo Wo bo Ui Wi bi U W b V c"  # DESIGN.md's keys, in order
    for g in ("o", "i", ""):
        assert (
            p["U" + g].shape == (7, 3) and p["W" + g].shape == (7, 7) and p["b" + g].shape == (7,)
        )
        assert np.allclose(p["W" + g] @ p["W" + g].T, np.eye(7))
    assert p["V"].shape == (2, 7) and p["c"].shape == (2,)
    assert gru.check_params(p) == (3, 7, 2)
    assert np.all(p["bi"] == -1.0) and np.all(p["bo"] == 0.0)  # 1 − σ(−1) ≈ 0.73 kept
    chrono = gru.init_params(3, 200, 2, chrono=50)["bi"]  # b_i = −log u, u ~ U(1, 49)
    assert np.all((chrono <= 0) & (chrono >= -np.log(49))) and chrono.std() > 0.3
    q = gru.init_params(3, 7, 2, rng=0)
    assert all(np.array_equal(p[k], q[k]) for k in p)
    U3, W3, b3 = gru.stack(p)
    assert np.array_equal(W3[7:14], p["Wi"])  # the order is o, i, candidate
    back = gru.unstack(U3, W3, b3)
    assert all(np.array_equal(back[k], p[k]) for k in back)


# --- the readable step, checked by hand -------------------------------------------------------

LN3, ATANH_HALF = np.log(3.0), np.arctanh(0.5)  # σ(±ln 3) = 3/4, 1/4; tanh(atanh ½) = ½


def hand_params():
    """n = 1, d = 2, for x = (2,) and s_prev = (1, 0): W contributes only its first COLUMN
    (the second is junk that a transposed W would read). Pre-activations of unit 0: o ln 3,
    i −ln 3, s̃ atanh(1/2) (with o_0 = 3/4 on the state); of unit 1: all 0."""
    junk = np.array([[0.0, 7.0], [0.0, -5.0]])
    p = {}
    for g, a0, w in (
        ("o", LN3, LN3 / 2),
        ("i", -LN3, -LN3 / 2),
        ("", ATANH_HALF, 2 * ATANH_HALF / 3),
    ):
        p["W" + g] = junk + np.array([[w, 0.0], [0.0, 0.0]])  # s̃: W(o ⊙ s) = (3/4)·w = a0/2
        p["U" + g] = np.array([[a0 / 8], [0.0]])  # U x = (a0/4, 0)
        p["b" + g] = np.array([a0 / 4, 0.0])
    p["V"], p["c"] = np.eye(2), np.zeros(2)
    return {k: p[k] for k in gru.KEYS}


@PLACEMENTS
def test_step_forward_by_hand(reset_after):
    # with s_prev = (1, 0) the two placements agree: o ⊙ (W s) = W (o ⊙ s) on this state
    s, cache = gru.step_forward(hand_params(), [2.0], [1.0, 0.0], reset_after=reset_after)
    np.testing.assert_allclose(cache["o"], [0.75, 0.5], rtol=1e-15)
    np.testing.assert_allclose(cache["i"], [0.25, 0.5], rtol=1e-15)
    np.testing.assert_allclose(cache["s_tilde"], [0.5, 0.0], rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(s, [0.75 * 1.0 + 0.25 * 0.5, 0.0], rtol=1e-15, atol=1e-15)


@PLACEMENTS
@pytest.mark.parametrize("seed", [0, 1])
def test_step_forward_gates_in_their_limits(seed, reset_after):
    """Closed forms: an update gate shut keeps the old state exactly, one open writes the
    candidate; a reset gate shut makes the candidate forget the state in both placements,
    s̃ = tanh(U x + b)."""
    params, X, _ = problem(seed=seed)
    x, s_prev = X[0, 0], np.random.default_rng(seed).standard_normal(D)
    gates = {**params, **{k: np.zeros_like(params[k]) for k in ("Wo", "Uo", "Wi", "Ui")}}
    shut, open_ = np.full(D, -800.0), np.full(D, 800.0)  # σ(∓800) is 0 and 1 to the last bit
    s, _ = gru.step_forward({**gates, "bi": shut}, x, s_prev, reset_after)
    assert np.array_equal(s, s_prev)
    s, cache = gru.step_forward({**gates, "bi": open_}, x, s_prev, reset_after)
    assert np.array_equal(s, cache["s_tilde"])
    _, cache = gru.step_forward({**gates, "bo": shut}, x, s_prev, reset_after)
    np.testing.assert_allclose(cache["s_tilde"], np.tanh(params["U"] @ x + params["b"]), rtol=1e-15)


def test_step_functions_check_their_arguments():
    params, X, _ = problem()
    with pytest.raises(ValueError, match=r"s_prev must have shape \(5,\)"):
        gru.step_forward(params, X[0, 0], np.zeros(D + 1))
    with pytest.raises(TypeError, match="reset_after must be True or False"):
        gru.step_forward(params, X[0, 0], np.zeros(D), reset_after=1)
    _, cache = gru.step_forward(params, X[0, 0], np.zeros(D))
    with pytest.raises(ValueError, match="ds must be 1-D"):
        gru.step_backward(np.zeros((1, D)), cache)


# --- forward against the steps ---------------------------------------------------------------


@PLACEMENTS
def test_forward_matches_the_step_by_step_equations(reset_after):
    params, X, _ = problem(seed=1)
    rng = np.random.default_rng(3)
    for s0 in (None, rng.standard_normal((B, D))):
        probs, cache = gru.forward(params, X, s0=s0, reset_after=reset_after)
        assert probs.shape == (B, T, K)
        for b in range(B):
            state = () if s0 is None else (s0[b],)
            ref = sequence_by_steps(gru, params, X[b], *state, reset_after=reset_after)
            np.testing.assert_allclose(probs[b], ref["y"], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(cache["s"][b, 1:], ref["s"], rtol=1e-12, atol=1e-14)
            for gate in ("o", "i", "s_tilde"):
                np.testing.assert_allclose(cache[gate][b], ref[gate], rtol=1e-12, atol=1e-14)


def test_the_two_placements_differ_unless_the_reset_gate_is_open():
    params, X, _ = problem(seed=2)
    a, _ = gru.forward(params, X)
    b, _ = gru.forward(params, X, reset_after=True)
    assert np.abs(a - b).max() > 1e-3
    params["bo"] = np.full(D, 60.0)  # o_t = 1: W(o ⊙ s) = o ⊙ (W s)
    params["Wo"] = np.zeros((D, D))
    params["Uo"] = np.zeros((D, N))
    a, _ = gru.forward(params, X)
    b, _ = gru.forward(params, X, reset_after=True)
    np.testing.assert_allclose(a, b, rtol=1e-12)


@PLACEMENTS
def test_cell_step_continues_the_sequence(reset_after):
    params, X, _ = problem(seed=3)
    probs, cache = gru.forward(params, X, reset_after=reset_after)
    state = None
    for t in range(T):
        p, state = gru.cell_step(params, X[:, t], state, reset_after=reset_after)
        np.testing.assert_allclose(p, probs[:, t], rtol=1e-12)
    np.testing.assert_allclose(state, cache["s"][:, -1], rtol=1e-12)


@PLACEMENTS
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"mask": "ragged"},
        {"mask": "holes"},
        {"many_to_one": True, "mask": "holes"},
        {"s0": "random"},
    ],
    ids=["full", "ragged", "holes", "many-to-one-holes", "s0"],
)
def test_every_gradient_matches_finite_differences(options, reset_after):
    params, X, y = problem(seed=5)
    options = dict(options, reset_after=reset_after)
    if options.get("mask") == "ragged":
        options["mask"] = ragged_mask()
    elif options.get("mask") == "holes":
        options["mask"] = holey_mask()
    if options.get("s0") == "random":
        options["s0"] = np.random.default_rng(9).uniform(-1, 1, (B, D))
    if options.get("many_to_one"):
        y = y[:, 0]
    _, grads = gru.loss_and_grads(params, X, y, **options)
    errors = gradcheck.check_gradients(
        lambda p: gru.loss_and_grads(p, X, y, **options)[0], grads, params
    )
    assert set(errors) == set(gru.KEYS)
    assert max(errors.values()) < 1e-7, errors


@PLACEMENTS
@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("setting", ["plain", "holes", "many-to-one-ragged"])
def test_truncated_gradient_matches_finite_differences_of_the_frozen_state_loss(
    k, setting, reset_after
):
    # Truncated BPTT is the exact gradient of the loss in which every ℓ_t starts from the
    # state k steps back, held constant (see recurrent_reference.frozen_state_loss).
    params, X, y = problem(seed=6)
    mask = {"plain": None, "holes": holey_mask(), "many-to-one-ragged": ragged_mask()}[setting]
    many = setting.startswith("many")
    y = y[:, 0] if many else y
    opts = {"mask": mask, "many_to_one": many, "reset_after": reset_after}
    _, grads = gru.loss_and_grads(params, X, y, truncate=k, **opts)
    frozen = {key: v.copy() for key, v in params.items()}
    errors = gradcheck.check_gradients(
        lambda p: frozen_state_loss(gru, p, frozen, X, y, k, mask, many, reset_after=reset_after),
        grads,
        params,
    )
    assert max(errors.values()) < 1e-7, errors
    _, full = gru.loss_and_grads(params, X, y, **opts)
    assert max(gradcheck.relative_error(full[key], grads[key]) for key in full) > 1e-4


@given(
    T=st.integers(1, 6),
    extra=st.integers(0, 4),
    seed=st.integers(0, 500),
    reset_after=st.booleans(),
)
def test_truncating_at_T_or_more_is_full_bptt(T, extra, seed, reset_after):
    params, X, y = problem(seed=seed, T=T, B=2)
    _, full = gru.loss_and_grads(params, X, y, reset_after=reset_after)
    _, truncated = gru.loss_and_grads(params, X, y, truncate=T + extra, reset_after=reset_after)
    for key in full:
        assert gradcheck.relative_error(full[key], truncated[key]) < 1e-12, key


@given(
    lengths=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    seed=st.integers(0, 99),
    reset_after=st.booleans(),
)
def test_padded_steps_contribute_nothing(lengths, seed, reset_after):
    params, X, y = problem(seed=seed, B=len(lengths), T=max(lengths))
    mask = (np.arange(max(lengths)) < np.array(lengths)[:, None]).astype(float)
    rng = np.random.default_rng(seed)
    X_junk = np.where(mask[..., None] > 0, X, 5 * rng.standard_normal(X.shape))
    y_junk = np.where(mask > 0, y, rng.integers(K, size=y.shape))
    for truncate in (None, 2):
        opts = {"truncate": truncate, "reset_after": reset_after}
        loss, grads = gru.loss_and_grads(params, X_junk, y_junk, mask=mask, **opts)
        total, expected = 0.0, {key: np.zeros_like(v) for key, v in params.items()}
        for i, n in enumerate(lengths):
            li, gi = gru.loss_and_grads(params, X[i : i + 1, :n], y[i : i + 1, :n], **opts)
            total += li / len(lengths)
            for key in expected:
                expected[key] += gi[key] / len(lengths)
        assert loss == pytest.approx(total, rel=1e-12)
        for key in expected:
            assert gradcheck.relative_error(grads[key], expected[key]) < 1e-10, key


@PLACEMENTS
def test_state_grads_are_the_derivatives_of_the_loss_with_respect_to_the_states(reset_after):
    params, X, y = problem(seed=8)
    s0 = np.random.default_rng(1).standard_normal((B, D))
    opts = {"many_to_one": True, "reset_after": reset_after}
    grads = gru.state_grads(params, X, y[:, 0], s0=s0, **opts)["s"]
    assert grads.shape == (B, T + 1, D)
    num = gradcheck.numerical_gradient(
        lambda p: gru.loss_and_grads(params, X, y[:, 0], s0=p["s"], **opts)[0], {"s": s0}
    )["s"]
    assert gradcheck.relative_error(grads[:, 0], num) < 1e-7
    _, cache = gru.forward(params, X, s0=s0, reset_after=reset_after)
    for k in (1, 3, T - 1):  # restarting at step k from s_k gives entry k
        again = gru.state_grads(params, X[:, k:], y[:, 0], s0=cache["s"][:, k], **opts)["s"]
        np.testing.assert_allclose(again[:, 0], grads[:, k], rtol=1e-10, atol=1e-15)


@PLACEMENTS
def test_sampling(reset_after):
    params, _, _ = problem(seed=10)
    out = gru.sample(params, [0, 1], 6, greedy=True, reset_after=reset_after)
    eye, seq = np.eye(N), [0, 1]
    for token in out:
        probs, _ = gru.forward(params, eye[seq][None], reset_after=reset_after)
        assert token == int(np.argmax(probs[0, -1]))
        seq.append(token)
    a = gru.sample(params, [2], 20, rng=5, reset_after=reset_after)
    assert a == gru.sample(params, [2], 20, rng=5, reset_after=reset_after)
    stop = out[2]
    got = gru.sample(params, [0, 1], 6, greedy=True, stop=stop, reset_after=reset_after)
    assert got == out[: out.index(stop) + 1]


def test_bad_inputs_give_clear_errors():
    params, X, y = problem()
    with pytest.raises(TypeError, match="reset_after is not a parameter option"):
        gru.init_params(3, 4, 5, reset_after=True)
    with pytest.raises(TypeError, match="reset_after must be True or False"):
        gru.forward(params, X, reset_after="yes")
    with pytest.raises(ValueError, match="missing keys"):
        gru.forward({k: v for k, v in params.items() if k != "Wo"}, X)
    with pytest.raises(ValueError, match="unknown keys"):  # LSTM parameters given to the GRU
        gru.forward({**params, "Wf": np.zeros((D, D))}, X)
    with pytest.raises(ValueError, match=r"s0 must have shape \(3, 5\) or \(5,\)"):
        gru.forward(params, X, s0=np.zeros((2, D)))
    with pytest.raises(ValueError, match="targets must have shape"):
        gru.loss_and_grads(params, X, y[:, :2])
    with pytest.raises(ValueError, match="sampling feeds outputs back"):
        gru.sample(gru.init_params(2, 3, 4), [0], 3)
