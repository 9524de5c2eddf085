"""Checks for notebook 07 (recurrent networks and backpropagation through time)."""

from __future__ import annotations

import numpy as np

from .. import rnn
from ..functions import logistic
from ._feedback import Checker


def _case(seed: int, n: int = 3, d: int = 4, K: int = 3):
    rng = np.random.default_rng(seed)
    params = rnn.init_params(n, d, K, rng=seed, w_scale=0.9)
    params["b"] = 0.3 * rng.standard_normal(d)
    params["c"] = 0.3 * rng.standard_normal(K)
    return params, rng.standard_normal(n), rng.uniform(-0.8, 0.8, d)


def check_rnn_step(step) -> bool:
    """``step(U, W, b, V, c, x, s_prev)`` -> (s, y_hat): s = tanh(Ux + Ws_prev + b),
    ŷ = softmax(Vs + c), for column vectors (1-D arrays)."""
    c = Checker("one step of the RNN")
    for seed in range(3):
        p, x, s_prev = _case(seed)
        got = c.call(step, p["U"], p["W"], p["b"], p["V"], p["c"], x.copy(), s_prev.copy())
        if c.crashed:
            break
        probs, s = rnn.cell_step(p, x[None], s_prev[None])
        if got is None or not isinstance(got, tuple | list) or len(got) != 2:
            c.fail("return the pair (s, y_hat)")
            break
        s_got, y_got = (np.asarray(v, dtype=float) for v in got)
        if s_got.shape == s[0].shape and not np.allclose(s_got, s[0]):
            if np.allclose(s_got, np.tanh(p["U"] @ x + p["b"])):
                c.fail("s forgot the recurrent term W s_prev: that is the feed-forward network")
            elif np.allclose(s_got, logistic(p["U"] @ x + p["W"] @ s_prev + p["b"])):
                c.fail("the course's RNN uses tanh for σ, not the logistic function")
            elif np.allclose(s_got, np.tanh(p["U"] @ x + p["W"].T @ s_prev + p["b"])):
                c.fail("use W s_prev, not Wᵀ s_prev")
        c.close_to("s", s_got, s[0], rtol=1e-8)
        if y_got.shape == probs[0].shape and np.allclose(y_got, p["V"] @ s[0] + p["c"]):
            c.fail("y_hat must be probabilities: apply softmax to V s + c")
        c.close_to("y_hat", y_got, probs[0], rtol=1e-8)
        if c.problems:
            break
    return c.report()


def check_bptt_step(bptt_step) -> bool:
    """``bptt_step(delta_next, s_next, W, dl_ds)`` -> δ_t = ∂L/∂s_t, for column vectors:
    δ_t = ∂ℓ_t/∂s_t + Wᵀ[(1 − s_{t+1}²) ⊙ δ_{t+1}]."""
    c = Checker("one step of BPTT")
    rng = np.random.default_rng(7)
    for _ in range(3):
        d = 4
        delta_next, dl_ds = rng.standard_normal(d), rng.standard_normal(d)
        s_next, W = rng.uniform(-0.9, 0.9, d), rng.standard_normal((d, d))
        got = c.call(bptt_step, delta_next.copy(), s_next.copy(), W.copy(), dl_ds.copy())
        if c.crashed:
            break
        gate = 1 - s_next**2
        expected = dl_ds + W.T @ (gate * delta_next)
        if got is not None and np.shape(got) == (d,) and not np.allclose(got, expected):
            if np.allclose(got, dl_ds + W @ (gate * delta_next)):
                c.fail("the Jacobian ∂s_{t+1}/∂s_t = diag(σ')W is applied transposed: use Wᵀ")
            elif np.allclose(got, dl_ds + W.T @ delta_next):
                c.fail("multiply δ_{t+1} by σ'(a_{t+1}) = 1 − s_{t+1}² before Wᵀ")
            elif np.allclose(got, W.T @ (gate * delta_next)):
                c.fail("add the loss at step t itself, ∂ℓ_t/∂s_t")
        c.close_to("δ_t", got, expected, rtol=1e-8)
        if c.problems:
            break
    return c.report()
