"""The RNN: finite-difference gradient checks, BPTT (full and truncated) against an independent
sum-over-paths implementation, masks, sampling, Jacobians, and input checks."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import _recurrent, gradcheck, optim, rnn
from course_lib.functions import logistic

B, T, N, D, K = 3, 6, 4, 5, 4


def problem(seed=0, w_scale=1.2, B=B, T=T, n=N, d=D, k=K):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(n, d, k, rng=seed + 1, w_scale=w_scale)
    params["b"] = 0.3 * rng.standard_normal(d)  # nonzero biases so their gradients are tested
    params["c"] = 0.3 * rng.standard_normal(k)
    X = rng.standard_normal((B, T, n))
    y = rng.integers(k, size=(B, T))
    return params, X, y


def ragged_mask(B=B, T=T):
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


# --- an independent implementation: column vectors, one sequence, the notes' formulas ----------


def reference(params, x, y, truncate=None, activation="tanh", s0=None):
    """Loss and gradients of ONE sequence, with ∂ℓ_t/∂θ written as the notes' sum over k of
    ∂ℓ_t/∂s_t · ∂s_t/∂s_k · ∂⁺s_k/∂θ, Jacobians formed explicitly as matrices."""
    U, W, b, V, c = (params[k] for k in "UWbVc")
    sig = np.tanh if activation == "tanh" else (lambda a: 1 / (1 + np.exp(-a)))
    d = W.shape[0]
    s = [np.zeros(d) if s0 is None else s0]
    deriv = [None]
    for x_t in x:
        a = U @ x_t + W @ s[-1] + b
        s.append(sig(a))
        deriv.append(1 - s[-1] ** 2 if activation == "tanh" else s[-1] * (1 - s[-1]))
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    loss = 0.0
    for t in range(1, len(x) + 1):
        o = V @ s[t] + c
        p = np.exp(o - o.max()) / np.exp(o - o.max()).sum()
        loss -= np.log(p[y[t - 1]])
        dy = p.copy()
        dy[y[t - 1]] -= 1
        grads["V"] += np.outer(dy, s[t])
        grads["c"] += dy
        dl_ds = V.T @ dy  # ∂ℓ_t/∂s_t
        reach = t if truncate is None else min(t, truncate)
        for k in range(t, t - reach, -1):
            jac = np.eye(d)  # ∂s_t/∂s_k = Π_{j=k+1}^{t} diag(σ'(a_j)) W
            for j in range(k + 1, t + 1):
                jac = np.diag(deriv[j]) @ W @ jac
            g = (dl_ds @ jac) * deriv[k]  # ∂ℓ_t/∂a_k along the paths through s_k
            grads["W"] += np.outer(g, s[k - 1])  # ∂⁺s_k/∂W: s_{k−1} is held constant
            grads["U"] += np.outer(g, x[k - 1])
            grads["b"] += g
    return loss, grads


def batch_reference(params, X, y, truncate=None, activation="tanh"):
    total, grads = 0.0, {k: np.zeros_like(v) for k, v in params.items()}
    for i in range(len(X)):
        loss, g = reference(params, X[i], y[i], truncate, activation)
        total += loss / len(X)
        for k in grads:
            grads[k] += g[k] / len(X)
    return total, grads


def assert_same(grads, expected, tol=1e-10):
    assert set(grads) == set(expected)
    for k in expected:
        assert grads[k].shape == expected[k].shape
        assert gradcheck.relative_error(grads[k], expected[k]) < tol, k


# --- finite differences -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"mask": "ragged"},
        {"mask": "holes"},
        {"mask": "holes", "truncate": None, "activation": "logistic"},
        {"many_to_one": True},
        {"many_to_one": True, "mask": "ragged"},
        {"activation": "logistic"},
        {"s0": "random"},
    ],
    ids=[
        "full",
        "masked",
        "holes",
        "holes-logistic",
        "many-to-one",
        "many-to-one-masked",
        "logistic",
        "s0",
    ],
)
def test_every_gradient_matches_finite_differences(options):
    params, X, y = problem(seed=3)
    options = dict(options)
    masks = {"ragged": ragged_mask, "holes": holey_mask}
    if "mask" in options:
        options["mask"] = masks[options["mask"]]()
    if options.get("s0") == "random":
        options["s0"] = np.random.default_rng(9).uniform(-0.5, 0.5, (B, D))
    if options.get("many_to_one"):
        y = y[:, 0]
    loss, grads = rnn.loss_and_grads(params, X, y, **options)
    errors = gradcheck.check_gradients(
        lambda p: rnn.loss_and_grads(p, X, y, **options)[0], grads, params
    )
    assert set(errors) == set(rnn.KEYS)
    assert max(errors.values()) < 1e-7, errors


def test_truncated_bptt_matches_the_sum_over_paths():
    # A truncated gradient is not the gradient of any loss, so finite differences cannot
    # check it; it is checked against the independent sum-over-paths implementation instead.
    params, X, y = problem(seed=4)
    for k in range(1, T + 1):
        _, grads = rnn.loss_and_grads(params, X, y, truncate=k)
        _, expected = batch_reference(params, X, y, truncate=k)
        assert_same(grads, expected)


def test_full_bptt_matches_the_sum_over_paths():
    params, X, y = problem(seed=5)
    for activation in rnn.ACTIVATIONS:
        loss, grads = rnn.loss_and_grads(params, X, y, activation=activation)
        ref_loss, expected = batch_reference(params, X, y, activation=activation)
        assert loss == pytest.approx(ref_loss, rel=1e-12)
        assert_same(grads, expected)


@given(T=st.integers(1, 7), extra=st.integers(0, 5), seed=st.integers(0, 1000), B=st.integers(1, 3))
def test_truncating_at_T_or_more_is_full_bptt(T, extra, seed, B):
    params, X, y = problem(seed=seed, T=T, B=B)
    _, full = rnn.loss_and_grads(params, X, y)
    _, truncated = rnn.loss_and_grads(params, X, y, truncate=T + extra)
    assert_same(truncated, full)


def test_truncate_1_is_the_explicit_part_only():
    # ∂ℓ_t/∂W ≈ ∂ℓ_t/∂s_t ∂⁺s_t/∂W: s_{t−1} held constant, computed here directly.
    params, X, y = problem(seed=6)
    _, grads = rnn.loss_and_grads(params, X, y, truncate=1)
    U, W, b, V, c = (params[k] for k in "UWbVc")
    expected = {k: np.zeros_like(v) for k, v in params.items()}
    for i in range(B):
        s_prev = np.zeros(D)
        for t in range(T):
            s = np.tanh(U @ X[i, t] + W @ s_prev + b)
            o = V @ s + c
            p = np.exp(o) / np.exp(o).sum()
            p[y[i, t]] -= 1
            g = (V.T @ p) * (1 - s**2) / B
            expected["W"] += np.outer(g, s_prev)
            expected["U"] += np.outer(g, X[i, t])
            expected["b"] += g
            expected["V"] += np.outer(p, s) / B
            expected["c"] += p / B
            s_prev = s
    assert_same(grads, expected)
    _, full = rnn.loss_and_grads(params, X, y)
    assert gradcheck.relative_error(full["W"], grads["W"]) > 1e-3  # the implicit part matters


# --- masks ------------------------------------------------------------------------------------


@given(lengths=st.lists(st.integers(1, 6), min_size=1, max_size=4), seed=st.integers(0, 99))
def test_padded_steps_contribute_nothing(lengths, seed):
    """A padded batch gives the loss and gradients of its sequences run one by one, unpadded."""
    params, X, y = problem(seed=seed, B=len(lengths), T=max(lengths))
    mask = (np.arange(max(lengths)) < np.array(lengths)[:, None]).astype(float)
    rng = np.random.default_rng(seed)
    X_junk = np.where(mask[..., None] > 0, X, rng.standard_normal(X.shape) * 5)
    y_junk = np.where(mask > 0, y, rng.integers(K, size=y.shape))
    for truncate in (None, 2):
        loss, grads = rnn.loss_and_grads(params, X_junk, y_junk, mask=mask, truncate=truncate)
        expected = {k: np.zeros_like(v) for k, v in params.items()}
        total = 0.0
        for i, n in enumerate(lengths):
            li, gi = reference(params, X[i, :n], y[i, :n], truncate)
            total += li / len(lengths)
            for k in expected:
                expected[k] += gi[k] / len(lengths)
        assert loss == pytest.approx(total, rel=1e-12)
        assert_same(grads, expected)


def test_many_to_one_scores_only_the_last_real_step():
    params, X, y = problem(seed=7)
    mask = ragged_mask()
    labels = y[:, 0]
    loss, _ = rnn.loss_and_grads(params, X, labels, mask=mask, many_to_one=True)
    probs, _ = rnn.forward(params, X, mask=mask)
    last = [3, 1, 5]  # from ragged_mask: lengths 4, 2, 6
    expected = -np.mean([np.log(probs[i, last[i], labels[i]]) for i in range(B)])
    assert loss == pytest.approx(expected, rel=1e-12)
    assert np.array_equal(_recurrent.last_steps(mask), last)


def test_state_is_carried_through_padding():
    params, X, _ = problem(seed=8)
    mask = np.ones((1, T))
    mask[0, 2] = 0.0  # a hole in the middle
    _, cache = rnn.forward(params, X[:1], mask=mask)
    assert np.array_equal(cache["s"][0, 3], cache["s"][0, 2])


# --- forward, cell_step, sampling -------------------------------------------------------------


HAND = {
    "U": np.array([[1.0, 0.0], [0.0, 2.0]]),
    "W": np.array([[0.5, 0.3], [0.0, 0.5]]),  # W s0 = (0.1 − 0.12, −0.2): not Wᵀ s0
    "b": np.array([0.1, -0.1]),
    "V": np.array([[1.0, -1.0], [0.0, 1.0], [2.0, 0.0]]),
    "c": np.array([0.0, 0.5, -0.5]),
}
#: s_1 for x_1 = (1, 1) and s_0 = (0.2, −0.4), by hand.
HAND_S1 = np.tanh([1.0 + (0.1 - 0.12) + 0.1, 2.0 - 0.2 - 0.1])


def test_forward_by_hand_for_one_step():
    probs, cache = rnn.forward(HAND, np.array([[[1.0, 1.0]]]), s0=np.array([[0.2, -0.4]]))
    s1 = HAND_S1
    o = np.array([s1[0] - s1[1], s1[1] + 0.5, 2 * s1[0] - 0.5])
    assert np.allclose(cache["s"][0, 1], s1, rtol=1e-14)
    assert np.allclose(probs[0, 0], np.exp(o) / np.exp(o).sum(), rtol=1e-14)


def test_step_forward_and_backward_by_hand():
    s, cache = rnn.step_forward(HAND, [1.0, 1.0], [0.2, -0.4])
    np.testing.assert_allclose(s, HAND_S1, rtol=1e-15)
    # δa = δs ⊙ (1 − s²); ∂W = δa s0ᵀ, ∂U = δa xᵀ, ∂s0 = Wᵀ δa, ∂x = Uᵀ δa
    ds = np.array([1.0, -2.0])
    da = ds * (1 - HAND_S1**2)
    dx, ds_prev, grads = rnn.step_backward(ds, cache)
    np.testing.assert_allclose(
        grads["W"], [[0.2 * da[0], -0.4 * da[0]], [0.2 * da[1], -0.4 * da[1]]]
    )
    np.testing.assert_allclose(grads["U"], [[da[0], da[0]], [da[1], da[1]]])
    np.testing.assert_allclose(grads["b"], da)
    np.testing.assert_allclose(ds_prev, [0.5 * da[0], 0.3 * da[0] + 0.5 * da[1]])
    np.testing.assert_allclose(dx, [da[0], 2 * da[1]])
    s, _ = rnn.step_forward(HAND, [1.0, 1.0], [0.2, -0.4], activation="logistic")
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-np.arctanh(HAND_S1))), rtol=1e-14)
    with pytest.raises(ValueError, match=r"s_prev must have shape \(2,\)"):
        rnn.step_forward(HAND, [1.0, 1.0], [0.2])


def test_cell_step_reproduces_forward():
    params, X, _ = problem(seed=10)
    probs, cache = rnn.forward(params, X)
    state = None
    for t in range(T):
        p_t, state = rnn.cell_step(params, X[:, t], state)
        assert np.allclose(p_t, probs[:, t], rtol=1e-13)
        assert np.allclose(state, cache["s"][:, t + 1], rtol=1e-13)


def test_greedy_sampling_follows_the_argmax():
    params, _, _ = problem(seed=11, n=K)
    prefix = [1, 2]
    out = rnn.sample(params, prefix, 6, greedy=True)
    tokens = list(prefix)
    for expected in out:  # rerun the whole prefix each time, with forward
        probs, _ = rnn.forward(params, np.eye(K)[tokens][None])
        assert expected == int(np.argmax(probs[0, -1]))
        tokens.append(expected)
    assert len(out) == 6


def test_sampling_is_seeded_and_stops():
    params, _, _ = problem(seed=12, n=K)
    a = rnn.sample(params, [0], 30, rng=5)
    assert a == rnn.sample(params, [0], 30, rng=np.random.default_rng(5))
    assert len(a) == 30 and set(a) <= set(range(K))
    stop = a[3]
    cut = rnn.sample(params, [0], 30, rng=5, stop=stop)
    assert cut == a[: a.index(stop) + 1]
    # a very low temperature is greedy
    assert rnn.sample(params, [0], 8, temperature=1e-6) == rnn.sample(params, [0], 8, greedy=True)


def test_sampling_frequencies_follow_the_softmax():
    params, _, _ = problem(seed=13, n=K)
    probs, _ = rnn.forward(params, np.eye(K)[[2]][None])
    rng = np.random.default_rng(0)
    draws = [rnn.sample(params, [2], 1, rng=rng)[0] for _ in range(4000)]
    freq = np.bincount(draws, minlength=K) / 4000
    assert np.allclose(freq, probs[0, 0], atol=0.03)  # ~4 standard errors


# --- Jacobians (notebook 08) ------------------------------------------------------------------


def test_state_jacobians_match_finite_differences():
    params, X, _ = problem(seed=14)
    x, k = X[0], 2
    J = rnn.state_jacobians(params, x, k=k)
    assert J.shape == (T - k + 1, D, D)
    assert np.array_equal(J[0], np.eye(D))
    _, cache = rnn.forward(params, x[None])
    s_k = cache["s"][0, k]

    def run_from(state):  # states k+1..T starting from s_k = state
        _, c = rnn.forward(params, x[None, k:], s0=state[None])
        return c["s"][0, 1:]

    h = 1e-6
    numeric = np.zeros((T - k, D, D))
    for j in range(D):
        e = np.zeros(D)
        e[j] = h
        numeric[:, :, j] = (run_from(s_k + e) - run_from(s_k - e)) / (2 * h)
    assert gradcheck.relative_error(J[1:], numeric) < 1e-8


@given(omega=st.floats(0.1, 3.0), seed=st.integers(0, 50))
def test_jacobian_norms_obey_the_bound(omega, seed):
    params, X, _ = problem(seed=seed, w_scale=omega, T=12)
    for activation in rnn.ACTIVATIONS:
        J = rnn.state_jacobians(params, X[0], activation=activation)
        norms = np.linalg.norm(J, ord=2, axis=(1, 2))
        bound = (rnn.R[activation] * omega) ** np.arange(len(J))
        assert np.all(norms <= bound * (1 + 1e-9))


@given(omega=st.floats(0.1, 3.0), seed=st.integers(0, 50))
def test_with_an_orthogonal_w_the_slopes_pin_the_jacobian_norm(omega, seed):
    """ω^t ∏ min σ' ≤ ‖∂s_t/∂s_0‖ ≤ ω^t ∏ max σ' for W = ω·Q, and the slopes are σ'(a_t)."""
    params, X, _ = problem(seed=seed, w_scale=omega, T=12)
    for activation in rnn.ACTIVATIONS:
        slopes = rnn.activation_slopes(params, X[0], activation=activation)
        a = params["U"] @ X[0, 0] + params["b"]  # s_0 = 0: the first pre-activation by hand
        first = 1 - np.tanh(a) ** 2 if activation == "tanh" else logistic(a) * (1 - logistic(a))
        np.testing.assert_allclose(slopes[0], first, rtol=1e-12)
        norms = np.linalg.norm(
            rnn.state_jacobians(params, X[0], activation=activation), ord=2, axis=(1, 2)
        )
        low = np.concatenate([[1.0], np.cumprod(omega * slopes.min(1))])
        high = np.concatenate([[1.0], np.cumprod(omega * slopes.max(1))])
        assert np.all(low * (1 - 1e-9) <= norms) and np.all(norms <= high * (1 + 1e-9))


class CountingW(np.ndarray):
    """W that counts the rows multiplied by it: δ @ W for δ of shape (..., d)."""

    rows = 0

    def __rmatmul__(self, other):
        CountingW.rows += int(np.prod(np.shape(other)[:-1]))
        return np.asarray(other) @ np.asarray(self)


@pytest.mark.parametrize("T", [1, 2, 7, 12])
@pytest.mark.parametrize("k", [None, 1, 2, 3, 7, 20])
def test_backward_products_are_counted_in_the_code(T, k):
    """The products with W that _bptt_full / _bptt_truncated make, per sequence (B = 3)."""
    params, X, y = problem(seed=0, T=T)
    _, cache = rnn.forward(params, X)
    d_s = np.random.default_rng(0).standard_normal((len(X), T, params["W"].shape[0]))
    W = params["W"].view(CountingW)
    CountingW.rows = 0
    if k is None:
        rnn._bptt_full(W, cache["s"], cache["mask"], d_s, "tanh")
    else:
        rnn._bptt_truncated(W, cache["s"], cache["mask"], d_s, "tanh", k)
    assert CountingW.rows == len(X) * rnn.backward_products(T, k)


def test_init_params_shapes_and_spectral_norm():
    p = rnn.init_params(7, 5, 3, rng=0, w_scale=0.7)
    assert {k: v.shape for k, v in p.items()} == {
        "U": (5, 7),
        "W": (5, 5),
        "b": (5,),
        "V": (3, 5),
        "c": (3,),
    }
    assert all(v.dtype == np.float64 for v in p.values())
    assert np.linalg.norm(p["W"], 2) == pytest.approx(0.7, rel=1e-12)
    assert np.abs(np.linalg.eigvals(p["W"])).max() == pytest.approx(0.7, rel=1e-10)
    q = rnn.init_params(7, 5, 3, rng=0, w_scale=0.7)
    assert all(np.array_equal(p[k], q[k]) for k in p)


@given(max_norm=st.floats(1e-3, 10.0), seed=st.integers(0, 100))
def test_clipping_rnn_gradients_keeps_direction_and_bounds_norm(max_norm, seed):
    params, X, y = problem(seed=seed, w_scale=2.5)
    _, grads = rnn.loss_and_grads(params, X, y)
    clipped = optim.clip_grad_norm(grads, max_norm)
    norm = optim.global_norm(grads)
    assert optim.global_norm(clipped) == pytest.approx(min(norm, max_norm), rel=1e-12)
    flat = np.concatenate([grads[k].ravel() for k in rnn.KEYS])
    flat_c = np.concatenate([clipped[k].ravel() for k in rnn.KEYS])
    assert flat @ flat_c == pytest.approx(np.linalg.norm(flat) * np.linalg.norm(flat_c))


# --- input checks -----------------------------------------------------------------------------


def test_bad_inputs_give_clear_errors():
    params, X, y = problem()
    with pytest.raises(ValueError, match="X must be 3-D"):
        rnn.forward(params, X[0])
    with pytest.raises(ValueError, match="4 features"):
        rnn.forward(params, X[..., :3])
    with pytest.raises(ValueError, match="at least one step"):
        rnn.forward(params, X[:, :0])
    with pytest.raises(ValueError, match=r"targets must be in \[0, 4\)"):
        rnn.loss_and_grads(params, X, y + 4)
    with pytest.raises(ValueError, match=r"targets must be in \[0, 4\)"):
        rnn.loss_and_grads(params, X, y - 1)
    with pytest.raises(TypeError, match="targets must be integer"):
        rnn.loss_and_grads(params, X, y.astype(float))
    with pytest.raises(ValueError, match=r"targets must have shape \(3, 6\)"):
        rnn.loss_and_grads(params, X, y[:, :2])
    with pytest.raises(ValueError, match="many_to_one"):
        rnn.loss_and_grads(params, X, y, many_to_one=True)
    with pytest.raises(ValueError, match="mask must have shape"):
        rnn.forward(params, X, mask=np.ones((B, T + 1)))
    with pytest.raises(ValueError, match="only 0"):
        rnn.forward(params, X, mask=np.full((B, T), 0.5))
    empty = np.ones((B, T))
    empty[1] = 0
    with pytest.raises(ValueError, match="sequence 1 of the batch is empty"):
        rnn.loss_and_grads(params, X, y[:, 0], mask=empty, many_to_one=True)
    with pytest.raises(ValueError, match="the batch is empty"):
        rnn.forward(params, X, mask=np.zeros((B, T)))
    with pytest.raises(ValueError, match="truncate must be >= 1"):
        rnn.loss_and_grads(params, X, y, truncate=0)
    with pytest.raises(ValueError, match=r"params\['W'\] must have shape \(5, 5\)"):
        rnn.forward({**params, "W": np.zeros((5, 4))}, X)
    with pytest.raises(ValueError, match="missing keys"):
        rnn.forward({k: v for k, v in params.items() if k != "c"}, X)
    with pytest.raises(ValueError, match="unknown keys"):  # an LSTM's parameters
        rnn.forward({**params, "Wf": params["W"]}, X)
    with pytest.raises(ValueError, match="s0 must have shape"):
        rnn.forward(params, X, s0=np.zeros(D + 1))
    with pytest.raises(ValueError, match="activation must be one of"):
        rnn.forward(params, X, activation="relu")
    with pytest.raises(ValueError, match=r"prefix must hold ids in \[0, 4\)"):
        rnn.sample(params, [7], 3)
    with pytest.raises(TypeError, match="prefix must be integer"):
        rnn.sample(params, [1.0], 3)
    with pytest.raises(ValueError, match="at least one token"):
        rnn.sample(params, [], 3)
    with pytest.raises(TypeError, match="unknown options"):
        rnn.init_params(3, 4, 3, reset_after=True)
