"""Checks for notebook 07 (recurrent networks and backpropagation through time)."""

from __future__ import annotations

import numpy as np

from .. import gradcheck, rnn, sequences
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


def _backward(p, xs, ys, transpose=True, slope=True, from_the_end=True, previous=True):
    """Gradients of Σ_t −log ŷ_{t, y_t} for ONE sequence, as a student writes them, with
    switches for the usual slips: Wᵀ in the recursion (``transpose``), the factor
    σ'(a_t) = 1 − s_t² (``slope``), the sweep from t = T down to 1 (``from_the_end``) and
    s_{t−1} in ∂L/∂W (``previous``). All switches on: the right answer."""
    U, W, b, V, c = (p[k] for k in "UWbVc")
    s = [np.zeros(W.shape[0])]
    probs = []
    for x in xs:
        s.append(np.tanh(U @ x + W @ s[-1] + b))
        o = V @ s[-1] + c
        probs.append(np.exp(o - o.max()) / np.exp(o - o.max()).sum())
    g = {k: np.zeros_like(v) for k, v in p.items()}
    carry = np.zeros(W.shape[0])
    T = len(xs)
    for t in range(T, 0, -1) if from_the_end else range(1, T + 1):
        do = probs[t - 1] - np.eye(len(c))[ys[t - 1]]  # ŷ_t − one-hot(y_t)
        g["V"] += np.outer(do, s[t])
        g["c"] += do
        da = (V.T @ do + carry) * ((1 - s[t] ** 2) if slope else 1.0)
        g["U"] += np.outer(da, xs[t - 1])
        g["W"] += np.outer(da, s[t - 1] if previous else s[t])
        g["b"] += da
        carry = (W.T if transpose else W) @ da
    return g


def check_rnn_backward(backward) -> bool:
    """``backward(U, W, b, V, c, xs, ys)`` -> dict of ∂L/∂U, W, b, V, c for one sequence
    (xs (T, n), ys (T,) ints, s_0 = 0, tanh), L = Σ_t −log ŷ_{t, y_t}; compared with
    centred finite differences of L."""
    with Checker("the full backward pass of the RNN") as c:
        for seed, T in ((0, 5), (1, 3), (2, 6)):
            p, _, _ = _case(seed)
            rng = np.random.default_rng(10 + seed)
            xs, ys = rng.standard_normal((T, 3)), rng.integers(3, size=T)
            got = c.call(backward, *(p[k] for k in "UWbVc"), xs, ys)

            def loss(q, xs=xs, ys=ys):
                probs, _ = rnn.forward(q, xs[None])
                return -np.log(probs[0, np.arange(len(ys)), ys]).sum()

            expected = gradcheck.numerical_gradient(loss, {k: v.copy() for k, v in p.items()})
            c.close(f"the gradients for a sequence of T = {T} steps (seed {seed})", got,
                    expected, rtol=1e-6, atol=1e-8, slips={
                "the state's gradient flows back through Wᵀ, not W: ∂a_{t+1}/∂s_t = W, so "
                "∂L/∂s_t gets Wᵀ ∂L/∂a_{t+1}": _backward(p, xs, ys, transpose=False),
                "multiply ∂L/∂s_t by tanh'(a_t) = 1 − s_t² to get ∂L/∂a_t":
                    _backward(p, xs, ys, slope=False),
                "sum from the end: ∂L/∂s_t needs ∂L/∂s_{t+1}, so the loop runs t = T, ..., 1":
                    _backward(p, xs, ys, from_the_end=False),
                "the explicit part of ∂a_t/∂W holds s_{t−1}, the state W multiplies, not s_t":
                    _backward(p, xs, ys, previous=False),
            })  # fmt: skip
    return c.report()


def truncation_lengths(seed: int = 0) -> tuple[int, int]:
    """The smallest truncation length k whose truncated sum of ∂ℓ_9/∂W on "sequences" is
    within 5 % (relative error) of the full one, at ω = 0.5 and at ω = 1 (tanh; the BPTT
    explorer's RNN)."""
    params = rnn.init_params(27, 6, 27, rng=seed)
    ids, targets = sequences.next_char_pairs("sequences", sequences.LETTERS)
    x = sequences.LETTERS.one_hot(ids)
    out = []
    for omega in (0.5, 1.0):
        terms = rnn.bptt_terms(dict(params, W=omega * params["W"]), x, np.array(targets), 9)
        full = terms.sum(axis=0)
        errors = [gradcheck.relative_error(terms[9 - k :].sum(0), full) for k in range(1, 10)]
        out.append(next(k for k, e in enumerate(errors, start=1) if e < 0.05))
    return out[0], out[1]


def check_truncation_lengths(lengths) -> bool:
    """``lengths`` = (smallest k at ω = 0.5, smallest k at ω = 1), read off the BPTT explorer."""
    with Checker("how far back the gradient must reach") as c:
        got = c.parts(lengths, 2, "(k at ω = 0.5, k at ω = 1)")
        expected = truncation_lengths()
        for what, g, e, other in zip(("ω = 0.5", "ω = 1"), got, expected, expected[::-1],
                                     strict=True):  # fmt: skip
            slips = {
                "that is the value for the other ω: a smaller ‖W‖₂ makes old terms shrink "
                "faster, so it needs the shorter truncation": other,
                "the smallest k whose relative error is BELOW 0.05, not the last one above": e - 1,
            }
            if e == 8:
                slips["k = 9 also keeps term j = 1, which is 0 (it holds s_0 = 0): k = 8 keeps "
                      "the same terms"] = 9  # fmt: skip
            c.equal(f"the smallest k at {what}", g, e, slips=slips)
    return c.report()
