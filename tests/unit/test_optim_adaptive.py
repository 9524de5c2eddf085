"""AdaGrad, RMSProp and Adam against sums written out in the test, and their input checks."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import optim, surfaces

grads_1d = st.lists(st.floats(-50, 50, allow_subnormal=False), min_size=1, max_size=40)


def feed(opt, gs, w0=0.0):
    """Step ``opt`` through the gradient sequence ``gs`` on one scalar weight."""
    params = {"w": np.array(w0)}
    history = []
    for g in gs:
        opt.step(params, lambda p, g=g: {"w": np.array(g)})
        history.append(float(params["w"]))
    return params, history


@given(gs=grads_1d, lr=st.floats(1e-3, 10))
def test_adagrad_effective_lr_never_increases(gs, lr):
    opt = optim.AdaGrad(lr)
    params = {"w": np.array(0.0)}
    rates = []
    for g in gs:
        opt.step(params, lambda p, g=g: {"w": np.array(g)})
        rates.append(float(opt.effective_lr()["w"]))
    assert all(b <= a for a, b in zip(rates, rates[1:], strict=False))
    assert rates[-1] == pytest.approx(lr / (np.sqrt(np.sum(np.square(gs))) + opt.eps))


def test_adagrad_steps_by_hand():
    opt = optim.AdaGrad(0.1, eps=1e-8)
    _, ws = feed(opt, [3.0, 4.0], w0=1.0)
    # v1 = 9: w1 = 1 - 0.1*3/(3+1e-8); v2 = 25: w2 = w1 - 0.1*4/(5+1e-8)
    w1 = 1 - 0.1 * 3 / (3 + 1e-8)
    assert ws == pytest.approx([w1, w1 - 0.1 * 4 / (5 + 1e-8)], rel=1e-14)


@given(gs=grads_1d, beta=st.floats(0.0, 0.999))
def test_rmsprop_v_is_the_exponential_average(gs, beta):
    opt = optim.RMSProp(0.01, beta=beta)
    feed(opt, gs)
    t = len(gs)
    explicit = (1 - beta) * sum(beta ** (t - tau) * gs[tau - 1] ** 2 for tau in range(1, t + 1))
    assert float(opt.v["w"]) == pytest.approx(explicit, rel=1e-9, abs=1e-12)


def test_rmsprop_step_uses_eps_outside_the_root():
    opt = optim.RMSProp(1.0, beta=0.5, eps=1.0)
    _, ws = feed(opt, [2.0])
    # v = 0.5 * 4 = 2; step = 1 * 2 / (sqrt(2) + 1)   (eps inside would give 2 / sqrt(3))
    assert ws[0] == pytest.approx(-2 / (np.sqrt(2) + 1), rel=1e-14)


@given(
    g=st.floats(1e-3, 1e3) | st.floats(-1e3, -1e-3),
    lr=st.floats(1e-4, 1.0),
    beta1=st.floats(0.0, 0.99),
    beta2=st.floats(0.0, 0.9999),
)
def test_adam_first_step_is_lr_times_sign_of_g(g, lr, beta1, beta2):
    opt = optim.Adam(lr, beta1, beta2, eps=1e-8)
    _, ws = feed(opt, [g])
    # m_hat = g and v_hat = g^2 exactly, so the step is lr * g / (|g| + eps).
    assert ws[0] == pytest.approx(-lr * np.sign(g), rel=1e-8 / abs(g) + 1e-12)


def test_adam_first_step_without_bias_correction_is_larger():
    opt = optim.Adam(0.1, 0.9, 0.999, eps=1e-8, bias_correction=False)
    _, ws = feed(opt, [2.0])
    # m = 0.1 * 2, v = 0.001 * 4: step = 0.1 * 0.2 / (sqrt(0.004) + 1e-8) = 0.1 * 0.1/sqrt(0.001)
    assert ws[0] == pytest.approx(-0.1 * 0.2 / (np.sqrt(0.004) + 1e-8), rel=1e-12)
    assert abs(ws[0]) == pytest.approx(0.1 * 0.1 / np.sqrt(0.001), rel=1e-6)  # about 3.16 lr


@given(gs=grads_1d, beta1=st.floats(0.0, 0.99), beta2=st.floats(0.0, 0.999))
def test_adam_moments_and_update_match_the_paper(gs, beta1, beta2):
    lr, eps = 0.01, 1e-8
    opt = optim.Adam(lr, beta1, beta2, eps)
    _, ws = feed(opt, gs)
    t = len(gs)
    m = (1 - beta1) * sum(beta1 ** (t - k) * gs[k - 1] for k in range(1, t + 1))
    v = (1 - beta2) * sum(beta2 ** (t - k) * gs[k - 1] ** 2 for k in range(1, t + 1))
    assert float(opt.m["w"]) == pytest.approx(m, rel=1e-9, abs=1e-12)
    assert float(opt.v["w"]) == pytest.approx(v, rel=1e-9, abs=1e-12)
    last = lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    before = ws[-2] if t > 1 else 0.0
    assert ws[-1] == pytest.approx(before - last, rel=1e-9, abs=1e-12)
    assert float(opt.effective_lr()["w"]) == pytest.approx(
        lr / (np.sqrt(v / (1 - beta2**t)) + eps), rel=1e-9
    )


# AMSGrad by hand: beta1 = beta2 = 0.5, lr = 1, gradients 2, 0, 0, -1 from w = 0. Without
# bias correction (the paper's form): m = 1, 1/2, 1/4, -3/8; v = 2, 1, 1/2, 3/4, so
# v_max = 2 throughout and each step is m_t / sqrt(2).
AMSGRAD_RAW = np.cumsum(
    [-1 / np.sqrt(2), -0.5 / np.sqrt(2), -0.25 / np.sqrt(2), 0.375 / np.sqrt(2)]
)
# With bias correction (torch's placement: the maximum of the raw v, then divided by
# 1 - beta2^t): m_hat = 2, 2/3, 2/7, -2/5 and v_hat = 2 / (1 - 2^-t) = 4, 8/3, 16/7, 32/15.
AMSGRAD_TORCH = np.cumsum(
    [-2 / 2, -(2 / 3) / np.sqrt(8 / 3), -(2 / 7) / np.sqrt(16 / 7), 0.4 / np.sqrt(32 / 15)]
)
# Taking the maximum of the *corrected* v_hat instead (4, 4/3, 4/7, 4/5: max 4) would give
# steps 1, 1/3, 1/7, -1/5: the test tells the two placements apart.
AMSGRAD_MAX_OF_HATS = np.cumsum([-1, -1 / 3, -1 / 7, 1 / 5])


@pytest.mark.parametrize(
    ("bias_correction", "expected"), [(False, AMSGRAD_RAW), (True, AMSGRAD_TORCH)]
)
def test_amsgrad_steps_by_hand(bias_correction, expected):
    opt = optim.Adam(1.0, 0.5, 0.5, eps=1e-12, bias_correction=bias_correction, amsgrad=True)
    _, ws = feed(opt, [2.0, 0.0, 0.0, -1.0])
    assert ws == pytest.approx(expected, rel=1e-10)
    assert not np.allclose(ws, AMSGRAD_MAX_OF_HATS)
    assert float(opt.v_max["w"]) == 2.0 and float(opt.v["w"]) == 0.75


def test_amsgrad_differs_from_adam_only_once_v_falls():
    adam, ams = optim.Adam(1.0, 0.5, 0.5), optim.Adam(1.0, 0.5, 0.5, amsgrad=True)
    _, w_adam = feed(adam, [2.0, 3.0, 0.0])  # v rises, rises, falls
    _, w_ams = feed(ams, [2.0, 3.0, 0.0])
    assert w_adam[:2] == pytest.approx(w_ams[:2], rel=1e-14)
    assert abs(w_adam[2] - w_adam[1]) > abs(w_ams[2] - w_ams[1])  # AMSGrad's step is smaller


def amsgrad_reference(gs, lr, beta1, beta2, eps, bias_correction):
    """AMSGrad on one scalar in plain Python: the update equations, written again here."""
    w = m = v = v_max = 0.0
    ws = []
    for t, g in enumerate(gs, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        c1, c2 = (1 - beta1**t, 1 - beta2**t) if bias_correction else (1.0, 1.0)
        w -= lr * (m / c1) / ((v_max / c2) ** 0.5 + eps)
        ws.append(w)
    return ws


@given(
    gs=grads_1d,
    beta1=st.floats(0.0, 0.99),
    beta2=st.floats(0.0, 0.999),
    bias_correction=st.booleans(),
)
def test_amsgrad_matches_the_plain_python_reference(gs, beta1, beta2, bias_correction):
    opt = optim.Adam(0.01, beta1, beta2, 1e-8, bias_correction=bias_correction, amsgrad=True)
    _, ws = feed(opt, gs)
    expected = amsgrad_reference(gs, 0.01, beta1, beta2, 1e-8, bias_correction)
    assert ws == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(gs=grads_1d, beta2=st.floats(0.0, 0.999))
def test_amsgrad_effective_lr_never_increases_without_bias_correction(gs, beta2):
    opt = optim.Adam(0.1, 0.9, beta2, bias_correction=False, amsgrad=True)
    params, rates = {"w": np.array(0.0)}, []
    for g in gs:
        opt.step(params, lambda p, g=g: {"w": np.array(g)})
        rates.append(float(opt.effective_lr()["w"]))
    assert all(b <= a for a, b in zip(rates, rates[1:], strict=False))


@pytest.mark.parametrize(
    ("make", "steps", "tol"),
    [
        (lambda: optim.GD(0.1), 1000, 1e-12),
        (lambda: optim.Momentum(0.05, 0.9), 1000, 1e-12),
        (lambda: optim.NAG(0.05, 0.9), 1000, 1e-12),
        (lambda: optim.AdaGrad(0.5), 1000, 1e-12),
        (lambda: optim.Adam(0.05), 2000, 1e-12),
    ],
)
def test_each_optimizer_converges_on_a_convex_quadratic(make, steps, tol):
    bowl = surfaces.quadratic_bowl(a=1.0, c=10.0)
    result = optim.run(make(), bowl.grad_fn, bowl.params(), steps, loss_fn=bowl.loss_fn)
    assert not result.diverged
    assert result.losses[-1] < tol
    assert np.abs(result.path[-1]).max() < 1e-6


def test_rmsprop_converges_to_within_eta_of_the_minimum():
    # With a constant eta RMSProp's steps stay about eta long (v tracks g^2), so it ends
    # in a small oscillation around the minimum rather than at it: within eta, not 1e-12.
    bowl = surfaces.quadratic_bowl(a=1.0, c=10.0)
    lr = 0.01
    result = optim.run(optim.RMSProp(lr, 0.9), bowl.grad_fn, bowl.params(), 3000)
    assert np.abs(result.path[-200:]).max() <= lr
    assert bowl.loss(*result.path[-1]) < 1e-4 * bowl.loss(*bowl.start)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: optim.AdaGrad(0.0), "lr must be > 0"),
        (lambda: optim.AdaGrad(-1.0), "lr must be > 0"),
        (lambda: optim.AdaGrad(0.1, eps=0.0), "eps must be > 0"),
        (lambda: optim.RMSProp(0.0), "lr must be > 0"),
        (lambda: optim.RMSProp(0.1, beta=1.0), r"beta must be in \[0.0, 1.0\)"),
        (lambda: optim.RMSProp(0.1, beta=-0.1), r"beta must be in \[0.0, 1.0\)"),
        (lambda: optim.RMSProp(0.1, eps=-1e-8), "eps must be > 0"),
        (lambda: optim.Adam(-0.1), "lr must be > 0"),
        (lambda: optim.Adam(0.1, beta1=1.0), r"beta1 must be in \[0.0, 1.0\)"),
        (lambda: optim.Adam(0.1, beta2=1.5), r"beta2 must be in \[0.0, 1.0\)"),
        (lambda: optim.Adam(0.1, beta2=-0.5), r"beta2 must be in \[0.0, 1.0\)"),
        (lambda: optim.Adam(0.1, eps=0), "eps must be > 0"),
        (lambda: optim.Adam(0.1, bias_correction="yes"), "bias_correction must be True or False"),
        (lambda: optim.Adam(0.1, amsgrad=1), "amsgrad must be True or False"),
        (lambda: optim.Momentum(0.1, gamma=1.0), r"gamma must be in \[0.0, 1.0\)"),
    ],
)
def test_bad_hyperparameters_raise_clear_errors(make, words):
    with pytest.raises((ValueError, TypeError), match=words):
        make()
