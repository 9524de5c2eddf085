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
    with Checker("one step of the RNN") as c:
        for seed in range(3):
            p, x, s_prev = _case(seed)
            U, W, b, V, c_ = (p[k] for k in "UWbVc")
            got = c.call(step, U, W, b, V, c_, x, s_prev)
            s_got, y_got = c.parts(got, 2, "(s, y_hat)")
            probs, s = rnn.cell_step(p, x[None], s_prev[None])
            c.close("s", s_got, s[0], rtol=1e-8, slips={
                "s forgot the recurrent term W s_prev: that is the feed-forward network":
                    np.tanh(U @ x + b),
                "the course's RNN uses tanh for σ, not the logistic function":
                    logistic(U @ x + W @ s_prev + b),
                "use W s_prev, not Wᵀ s_prev": np.tanh(U @ x + W.T @ s_prev + b),
            })  # fmt: skip
            c.close("y_hat", y_got, probs[0], rtol=1e-8, slips={
                "y_hat must be probabilities: apply softmax to V s + c": V @ s[0] + c_,
            })  # fmt: skip
    return c.report()


def check_bptt_step(bptt_step) -> bool:
    """``bptt_step(delta_next, s_next, W, dl_ds)`` -> δ_t = ∂L/∂s_t, for column vectors:
    δ_t = ∂ℓ_t/∂s_t + Wᵀ[(1 − s_{t+1}²) ⊙ δ_{t+1}]."""
    with Checker("one step of BPTT") as c:
        rng = np.random.default_rng(7)
        for _ in range(3):
            d = 4
            delta_next, dl_ds = rng.standard_normal(d), rng.standard_normal(d)
            s_next, W = rng.uniform(-0.9, 0.9, d), rng.standard_normal((d, d))
            got = c.call(bptt_step, delta_next, s_next, W, dl_ds)
            gate = 1 - s_next**2
            c.close("δ_t", got, dl_ds + W.T @ (gate * delta_next), rtol=1e-8, slips={
                "the Jacobian ∂s_{t+1}/∂s_t = diag(σ')W is applied transposed: use Wᵀ":
                    dl_ds + W @ (gate * delta_next),
                "multiply δ_{t+1} by σ'(a_{t+1}) = 1 − s_{t+1}² before Wᵀ":
                    dl_ds + W.T @ delta_next,
                "add the loss at step t itself, ∂ℓ_t/∂s_t": W.T @ (gate * delta_next),
            })  # fmt: skip
    return c.report()
