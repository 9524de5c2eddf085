"""The LSTM: forward against a step-by-step reference written from the equations, gradient
checks of every parameter (full BPTT, truncation, many-to-one, masks), cell steps, sampling,
and clear errors for bad inputs."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from recurrent_reference import frozen_state_loss, sequence_by_steps

from course_lib import gradcheck, lstm

B, T, N, D, K = 3, 6, 4, 5, 4


def problem(seed=0, B=B, T=T, n=N, d=D, k=K):
    """Random parameters with every entry perturbed (nonzero biases, non-orthogonal W)."""
    rng = np.random.default_rng(seed)
    params = lstm.init_params(n, d, k, rng=seed + 1)
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
    """Padding in the middle too: the state must pass through it, and so must the gradient."""
    mask = ragged_mask()
    mask[2, 1:3] = 0.0
    mask[0, 0] = 0.0
    return mask


def test_init_params_has_the_design_keys_and_shapes():
    p = lstm.init_params(3, 7, 2, rng=0)
    assert " ".join(p) == "Uo Wo bo Ui Wi bi Uf Wf bf U W b V c"  # DESIGN.md's keys, in order
    for g in ("o", "i", "f", ""):
        assert (
            p["U" + g].shape == (7, 3) and p["W" + g].shape == (7, 7) and p["b" + g].shape == (7,)
        )
        assert np.allclose(p["W" + g] @ p["W" + g].T, np.eye(7))  # orthogonal
    assert p["V"].shape == (2, 7) and p["c"].shape == (2,)
    assert np.all(p["bf"] == 1.0) and np.all(p["bo"] == 0.0)
    assert all(v.dtype == np.float64 for v in p.values())
    assert lstm.check_params(p) == (3, 7, 2)
    # seeded: same seed, same parameters; None means seed 0
    q, r = lstm.init_params(3, 7, 2, rng=0), lstm.init_params(3, 7, 2)
    assert all(np.array_equal(p[k], q[k]) and np.array_equal(p[k], r[k]) for k in p)
    assert lstm.init_params(3, 7, 2, forget_bias=0.0)["bf"].max() == 0.0
    chrono = lstm.init_params(3, 200, 2, chrono=50)  # b_f = log u, u ~ U(1, 49); b_i = −b_f
    assert np.all((chrono["bf"] >= 0) & (chrono["bf"] <= np.log(49)))
    assert np.array_equal(chrono["bi"], -chrono["bf"]) and chrono["bf"].std() > 0.3


def test_stack_and_unstack_are_inverse():
    params, _, _ = problem()
    U4, W4, b4 = lstm.stack(params)
    assert U4.shape == (4 * D, N) and W4.shape == (4 * D, D) and b4.shape == (4 * D,)
    assert np.array_equal(U4[2 * D : 3 * D], params["Uf"])  # the order is o, i, f, candidate
    back = lstm.unstack(U4, W4, b4)
    assert set(back) == set(lstm.KEYS) - {"V", "c"}
    assert all(np.array_equal(back[k], params[k]) for k in back)


# --- the readable step, checked by hand -------------------------------------------------------

LN3 = np.log(3.0)  # σ(ln 3) = 3/4 and σ(−ln 3) = 1/4 exactly


def hand_params():
    """n = 1, d = 2. Every pre-activation is W h_prev + U x + b with h_prev = (1, 0) and
    x = (2,), so W contributes only its first COLUMN (the second is junk that a transposed
    W would read). Pre-activations of unit 0: o ln 3, i ln 3, f −ln 3, s̃ atanh(1/2);
    of unit 1: o 0, i 0, f 0, s̃ 0."""
    junk = np.array([[0.0, 7.0], [0.0, -5.0]])
    p = {}
    for g, a0 in (("o", LN3), ("i", LN3), ("f", -LN3), ("", np.arctanh(0.5))):
        p["W" + g] = junk + np.array([[a0 / 2, 0.0], [0.0, 0.0]])  # W h_prev = (a0/2, 0)
        p["U" + g] = np.array([[a0 / 8], [0.0]])  # U x = (a0/4, 0)
        p["b" + g] = np.array([a0 / 4, 0.0])  # a = a0/2 + a0/4 + a0/4 = a0
    p["V"], p["c"] = np.eye(2), np.zeros(2)
    return {k: p[k] for k in lstm.KEYS}


def test_step_forward_by_hand():
    h, s, cache = lstm.step_forward(hand_params(), [2.0], [1.0, 0.0], [2.0, -1.0])
    # unit 0: o = i = 3/4, f = 1/4, s̃ = 1/2; unit 1: o = i = f = 1/2, s̃ = 0
    np.testing.assert_allclose(cache["o"], [0.75, 0.5], rtol=1e-15)
    np.testing.assert_allclose(cache["f"], [0.25, 0.5], rtol=1e-15)
    np.testing.assert_allclose(cache["s_tilde"], [0.5, 0.0], atol=1e-15)
    s_expected = [0.25 * 2.0 + 0.75 * 0.5, 0.5 * -1.0 + 0.5 * 0.0]  # f s_prev + i s̃
    np.testing.assert_allclose(s, s_expected, rtol=1e-15)
    np.testing.assert_allclose(h, [0.75 * np.tanh(0.875), 0.5 * np.tanh(-0.5)], rtol=1e-15)


@pytest.mark.parametrize("seed", [0, 1])
def test_step_forward_gates_in_their_limits(seed):
    """Closed forms: with the forget gate shut and the input gate open, the new state is
    the candidate; with the forget gate open and the input gate shut, the old state is kept
    exactly; with the output gate shut, nothing is written out (h = 0)."""
    params, X, _ = problem(seed=seed)
    rng = np.random.default_rng(seed)
    x, h_prev, s_prev = X[0, 0], rng.standard_normal(D), rng.standard_normal(D)
    zero_w = {k: np.zeros_like(params[k]) for k in ("Wo", "Uo", "Wi", "Ui", "Wf", "Uf")}
    shut, open_ = np.full(D, -800.0), np.full(D, 800.0)  # σ(∓800) is 0 and 1 to the last bit
    gates = {**params, **zero_w}
    _, s, _ = lstm.step_forward({**gates, "bf": shut, "bi": open_}, x, h_prev, s_prev)
    s_tilde = np.tanh(params["W"] @ h_prev + params["U"] @ x + params["b"])
    np.testing.assert_allclose(s, s_tilde, rtol=1e-15)
    _, s, _ = lstm.step_forward({**gates, "bf": open_, "bi": shut}, x, h_prev, s_prev)
    assert np.array_equal(s, s_prev)
    h, _, _ = lstm.step_forward({**gates, "bo": shut}, x, h_prev, s_prev)
    assert np.array_equal(h, np.zeros(D))


def test_step_functions_check_their_arguments():
    params, X, _ = problem()
    with pytest.raises(ValueError, match=r"x must have shape \(4,\)"):
        lstm.step_forward(params, X[0, 0, :3], np.zeros(D), np.zeros(D))
    with pytest.raises(ValueError, match="h_prev must be 1-D"):
        lstm.step_forward(params, X[0, 0], np.zeros((1, D)), np.zeros(D))
    with pytest.raises(ValueError, match="unknown keys"):
        lstm.step_forward({**params, "Wx": params["W"]}, X[0, 0], np.zeros(D), np.zeros(D))
    *_, cache = lstm.step_forward(params, X[0, 0], np.zeros(D), np.zeros(D))
    with pytest.raises(ValueError, match=r"ds must have shape \(5,\)"):
        lstm.step_backward(np.zeros(D), np.zeros(D + 1), cache)


# --- forward against the steps ---------------------------------------------------------------


def test_forward_matches_the_step_by_step_equations():
    params, X, _ = problem(seed=1)
    probs, cache = lstm.forward(params, X)
    assert probs.shape == (B, T, K)
    for b in range(B):
        ref = sequence_by_steps(lstm, params, X[b])
        np.testing.assert_allclose(probs[b], ref["y"], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(cache["h"][b, 1:], ref["h"], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(cache["s"][b, 1:], ref["s"], rtol=1e-12, atol=1e-14)
        for gate in ("o", "i", "f", "s_tilde"):
            np.testing.assert_allclose(cache[gate][b], ref[gate], rtol=1e-12, atol=1e-14)
    assert np.all(cache["h"][:, 0] == 0) and np.all(cache["s"][:, 0] == 0)
    assert np.all((cache["f"] > 0) & (cache["f"] < 1))


def test_forward_from_a_given_state_and_shared_vector_state():
    params, X, _ = problem(seed=2)
    rng = np.random.default_rng(0)
    h0, s0 = rng.standard_normal((B, D)), rng.standard_normal(D)
    probs, cache = lstm.forward(params, X, s0=(h0, s0))
    for b in range(B):
        ref = sequence_by_steps(lstm, params, X[b], h0[b], s0)
        np.testing.assert_allclose(probs[b], ref["y"], rtol=1e-12)
        np.testing.assert_allclose(cache["s"][b, 1:], ref["s"], rtol=1e-12)


def test_cell_step_continues_the_sequence():
    params, X, _ = problem(seed=3)
    probs, cache = lstm.forward(params, X)
    state = None
    for t in range(T):
        p, state = lstm.cell_step(params, X[:, t], state)
        np.testing.assert_allclose(p, probs[:, t], rtol=1e-12)
    np.testing.assert_allclose(state[0], cache["h"][:, -1], rtol=1e-12)
    np.testing.assert_allclose(state[1], cache["s"][:, -1], rtol=1e-12)


def test_extreme_preactivations_stay_finite_without_warnings():
    params, X, y = problem(seed=4)
    big = {k: 200.0 * v for k, v in params.items()}
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is harmless
        probs, cache = lstm.forward(big, X)
        loss, grads = lstm.loss_and_grads(big, X, y)
    assert np.all(np.isfinite(probs)) and np.isfinite(loss)
    assert all(np.all(np.isfinite(g)) for g in grads.values())


# --- gradients --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"mask": "ragged"},
        {"mask": "holes"},
        {"many_to_one": True},
        {"many_to_one": True, "mask": "holes"},
        {"s0": "random"},
    ],
    ids=["full", "ragged", "holes", "many-to-one", "many-to-one-holes", "s0"],
)
def test_every_gradient_matches_finite_differences(options):
    params, X, y = problem(seed=5)
    options = dict(options)
    if options.get("mask") == "ragged":
        options["mask"] = ragged_mask()
    elif options.get("mask") == "holes":
        options["mask"] = holey_mask()
    if options.get("s0") == "random":
        rng = np.random.default_rng(9)
        options["s0"] = (rng.uniform(-1, 1, (B, D)), rng.uniform(-1, 1, (B, D)))
    if options.get("many_to_one"):
        y = y[:, 0]
    _, grads = lstm.loss_and_grads(params, X, y, **options)
    errors = gradcheck.check_gradients(
        lambda p: lstm.loss_and_grads(p, X, y, **options)[0], grads, params
    )
    assert set(errors) == set(lstm.KEYS)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("columns", [1, 10])
@pytest.mark.parametrize("many_to_one", [False, True])
def test_gradients_gathered_over_blocks_of_steps_match_finite_differences(
    monkeypatch, columns, many_to_one
):
    """The backward sweep adds δz to the weight gradients a block of steps at a time (default:
    512 columns, so every small test above is one block). Blocks of one step (1 column ≤ B)
    and of 4 steps then 2 (10 columns at B = 3, T = 6) must give the same gradients."""
    monkeypatch.setattr(lstm, "_BLOCK_COLUMNS", columns)
    params, X, y = problem(seed=11)
    y = y[:, 0] if many_to_one else y
    options = {"mask": holey_mask(), "many_to_one": many_to_one}
    _, grads = lstm.loss_and_grads(params, X, y, **options)
    errors = gradcheck.check_gradients(
        lambda p: lstm.loss_and_grads(p, X, y, **options)[0], grads, params
    )
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("setting", ["plain", "holes", "many-to-one-ragged"])
def test_truncated_gradient_matches_finite_differences_of_the_frozen_state_loss(k, setting):
    # Truncated BPTT is the exact gradient of the loss in which every ℓ_t starts from the
    # state k steps back, held constant (see recurrent_reference.frozen_state_loss).
    params, X, y = problem(seed=6)
    mask = {"plain": None, "holes": holey_mask(), "many-to-one-ragged": ragged_mask()}[setting]
    many = setting.startswith("many")
    y = y[:, 0] if many else y
    _, grads = lstm.loss_and_grads(params, X, y, truncate=k, mask=mask, many_to_one=many)
    frozen = {key: v.copy() for key, v in params.items()}
    errors = gradcheck.check_gradients(
        lambda p: frozen_state_loss(lstm, p, frozen, X, y, k, mask, many), grads, params
    )
    assert max(errors.values()) < 1e-7, errors
    _, full = lstm.loss_and_grads(params, X, y, mask=mask, many_to_one=many)
    worst = max(gradcheck.relative_error(full[key], grads[key]) for key in full)
    assert worst > 1e-4  # truncation matters in these cases


@given(T=st.integers(1, 6), extra=st.integers(0, 4), seed=st.integers(0, 500), B=st.integers(1, 3))
def test_truncating_at_T_or_more_is_full_bptt(T, extra, seed, B):
    params, X, y = problem(seed=seed, T=T, B=B)
    _, full = lstm.loss_and_grads(params, X, y)
    _, truncated = lstm.loss_and_grads(params, X, y, truncate=T + extra)
    for key in full:
        assert gradcheck.relative_error(full[key], truncated[key]) < 1e-12, key


@given(lengths=st.lists(st.integers(1, 6), min_size=1, max_size=4), seed=st.integers(0, 99))
def test_padded_steps_contribute_nothing(lengths, seed):
    """A padded batch gives the loss and gradients of its sequences run one by one, unpadded,
    whatever junk the padding holds."""
    params, X, y = problem(seed=seed, B=len(lengths), T=max(lengths))
    mask = (np.arange(max(lengths)) < np.array(lengths)[:, None]).astype(float)
    rng = np.random.default_rng(seed)
    X_junk = np.where(mask[..., None] > 0, X, 5 * rng.standard_normal(X.shape))
    y_junk = np.where(mask > 0, y, rng.integers(K, size=y.shape))
    for truncate in (None, 2):
        loss, grads = lstm.loss_and_grads(params, X_junk, y_junk, mask=mask, truncate=truncate)
        total, expected = 0.0, {key: np.zeros_like(v) for key, v in params.items()}
        for i, n in enumerate(lengths):
            li, gi = lstm.loss_and_grads(
                params, X[i : i + 1, :n], y[i : i + 1, :n], truncate=truncate
            )
            total += li / len(lengths)
            for key in expected:
                expected[key] += gi[key] / len(lengths)
        assert loss == pytest.approx(total, rel=1e-12)
        for key in expected:
            assert gradcheck.relative_error(grads[key], expected[key]) < 1e-10, key


def test_loss_is_the_mean_over_sequences_of_summed_cross_entropies():
    params, X, y = problem(seed=7)
    loss, _ = lstm.loss_and_grads(params, X, y)
    expected = -np.mean(
        [
            np.log(sequence_by_steps(lstm, params, X[b])["y"][np.arange(T), y[b]]).sum()
            for b in range(B)
        ]
    )
    assert loss == pytest.approx(expected, rel=1e-12)
    loss1, _ = lstm.loss_and_grads(params, X, y[:, 2], many_to_one=True)
    last = -np.mean(
        [np.log(sequence_by_steps(lstm, params, X[b])["y"][-1, y[b, 2]]) for b in range(B)]
    )
    assert loss1 == pytest.approx(last, rel=1e-12)


def test_state_grads_are_the_derivatives_of_the_loss_with_respect_to_the_states():
    params, X, y = problem(seed=8)
    grads = lstm.state_grads(params, X, y[:, 0], many_to_one=True)
    assert grads["s"].shape == grads["h"].shape == (B, T + 1, D)
    # entry 0 is ∂𝓛/∂(h0, s0): compare with finite differences in the initial state
    rng = np.random.default_rng(1)
    h0, s0 = rng.standard_normal((B, D)), rng.standard_normal((B, D))
    grads = lstm.state_grads(params, X, y[:, 0], s0=(h0, s0), many_to_one=True)
    num = gradcheck.numerical_gradient(
        lambda p: lstm.loss_and_grads(params, X, y[:, 0], s0=(p["h"], p["s"]), many_to_one=True)[0],
        {"h": h0, "s": s0},
    )
    assert gradcheck.relative_error(grads["h"][:, 0], num["h"]) < 1e-7
    assert gradcheck.relative_error(grads["s"][:, 0], num["s"]) < 1e-7
    # Entry k > 0 from a restart at step k, where h_k and s_k are independent inputs: the
    # total derivative adds the path s_k → h_k = o_k ⊙ tanh(s_k).
    _, cache = lstm.forward(params, X, s0=(h0, s0))
    for k in (1, 3, T - 1):
        h_k, s_k, o_k = cache["h"][:, k], cache["s"][:, k], cache["o"][:, k - 1]
        restarted = lstm.state_grads(params, X[:, k:], y[:, 0], s0=(h_k, s_k), many_to_one=True)
        total_s = restarted["s"][:, 0] + restarted["h"][:, 0] * o_k * (1 - np.tanh(s_k) ** 2)
        np.testing.assert_allclose(grads["h"][:, k], restarted["h"][:, 0], rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(grads["s"][:, k], total_s, rtol=1e-10, atol=1e-15)


# --- sampling ---------------------------------------------------------------------------------


def test_greedy_sampling_follows_the_argmax_and_stops():
    params, _, _ = problem(seed=10)
    out = lstm.sample(params, [0, 1], 8, greedy=True)
    eye = np.eye(N)
    seq = [0, 1]
    for token in out:  # each greedy token is the argmax after the tokens so far
        probs, _ = lstm.forward(params, eye[seq][None])
        assert token == int(np.argmax(probs[0, -1]))
        seq.append(token)
    assert len(out) == 8
    stop = out[2]
    assert lstm.sample(params, [0, 1], 8, greedy=True, stop=stop) == out[: out.index(stop) + 1]
    assert lstm.sample(params, [0], 0) == []


def test_sampling_is_seeded_and_temperature_sharpens():
    params, _, _ = problem(seed=11)
    a = lstm.sample(params, [2], 30, rng=5)
    assert a == lstm.sample(params, [2], 30, rng=np.random.default_rng(5))
    assert all(0 <= t < K for t in a)
    cold = lstm.sample(params, [2], 30, rng=5, temperature=1e-3)
    assert cold == lstm.sample(params, [2], 30, greedy=True)


# --- clear errors -----------------------------------------------------------------------------


def test_bad_inputs_give_clear_errors():
    params, X, y = problem()
    with pytest.raises(ValueError, match="missing keys"):
        lstm.forward({k: v for k, v in params.items() if k != "Wf"}, X)
    with pytest.raises(ValueError, match=r"params\['Wi'\] must have shape \(5, 5\)"):
        lstm.forward({**params, "Wi": np.zeros((5, 4))}, X)
    with pytest.raises(ValueError, match="unknown keys"):
        lstm.forward({**params, "Wx": np.zeros((5, 5))}, X)
    with pytest.raises(ValueError, match="3-D"):
        lstm.forward(params, X[0])
    with pytest.raises(ValueError, match="4 features"):
        lstm.forward(params, X[..., :3])
    with pytest.raises(TypeError, match=r"pair \(h0, s0\)"):
        lstm.forward(params, X, s0=np.zeros((B, D)))
    with pytest.raises(ValueError, match=r"s0\[1\] must have shape"):
        lstm.forward(params, X, s0=(np.zeros(D), np.zeros(D + 1)))
    with pytest.raises(ValueError, match="only 0"):
        lstm.forward(params, X, mask=np.full((B, T), 0.5))
    with pytest.raises(ValueError, match="empty"):
        lstm.forward(params, X, mask=np.zeros((B, T)))
    with pytest.raises(ValueError, match=r"targets must be in \[0, 4\)"):
        lstm.loss_and_grads(params, X, y + 1)
    with pytest.raises(TypeError, match="integer class ids"):
        lstm.loss_and_grads(params, X, y.astype(float))
    with pytest.raises(ValueError, match="many_to_one=True"):
        lstm.loss_and_grads(params, X, y, many_to_one=True)
    with pytest.raises(ValueError, match="truncate must be >= 1"):
        lstm.loss_and_grads(params, X, y, truncate=0)
    with pytest.raises(TypeError, match="unknown options"):
        lstm.init_params(3, 4, 5, reset_after=True)
    with pytest.raises(ValueError, match="d must be >= 1"):
        lstm.init_params(3, 0, 5)
    with pytest.raises(ValueError, match="prefix must hold ids"):
        lstm.sample(params, [N], 3)
    with pytest.raises(ValueError, match="at least one token"):
        lstm.sample(params, [], 3)
    with pytest.raises(ValueError, match="temperature must be > 0"):
        lstm.sample(params, [0], 3, temperature=0.0)
