"""Checks for notebook 08 (vanishing and exploding gradients)."""

from __future__ import annotations

import numpy as np

from .. import optim, rnn
from ._feedback import Checker, same


def check_jacobian_bound(bound) -> bool:
    """``bound(activation, omega, lag)`` -> (rω)^lag, r = 1 for "tanh", 1/4 for "logistic"."""
    with Checker("the bound on ‖∂s_t/∂s_k‖") as c:
        for activation, omega, lag in [("tanh", 0.9, 10), ("logistic", 3.0, 5),
                                       ("logistic", 5.0, 7), ("tanh", 1.5, 0)]:  # fmt: skip
            got = c.call(bound, activation, omega, lag)
            r = 1.0 if activation == "tanh" else 0.25
            what = f"bound for {activation}, ω={omega}, t−k={lag}"
            c.close(what, got, (r * omega) ** lag, slips={
                "σ' is at most r = 1/4 for the logistic function: include r": omega**lag,
                "each of the t − k factors contributes rω: the bound is (rω)^(t−k)":
                    lambda got: same(got, r * omega**lag) or same(got, r * omega * lag),
            })  # fmt: skip
    return c.report()


def check_clip(clip) -> bool:
    """``clip(grads, max_norm)`` -> new dict scaled by min(1, max_norm / global norm)."""
    rng = np.random.default_rng(3)
    cases = [
        ({"W": np.array([[3.0, 4.0]]), "b": np.array([12.0])}, 1.0),  # global norm 13
        ({"W": rng.standard_normal((3, 3)), "b": rng.standard_normal(3)}, 100.0),  # unchanged
        ({"W": 10 * rng.standard_normal((2, 2)), "b": np.array([0.5, -0.5])}, 2.0),
    ]
    with Checker("gradient clipping by the global norm") as c:
        for grads, max_norm in cases:
            got = c.call(clip, grads, max_norm)
            norm = optim.global_norm(grads)
            per_key = {k: v * min(1, max_norm / np.linalg.norm(v)) for k, v in grads.items()}
            slips = {
                "clip all parameters TOGETHER by their global norm, not each on its own "
                "(clipping each changes the direction)": per_key,
            }
            if norm < max_norm:
                slips["a gradient already shorter than max_norm must be left unchanged"] = {
                    k: v * max_norm / norm for k, v in grads.items()
                }
            else:
                slips["clip the norm, not each entry: np.clip changes the direction"] = {
                    k: np.clip(v, -max_norm, max_norm) for k, v in grads.items()
                }
            what = f"the clipped gradients (max_norm={max_norm}, global norm {norm:.4g})"
            c.close(what, got, optim.clip_grad_norm(grads, max_norm), slips=slips)
    return c.report()


def _chunked(params, X, y, k, carry=True):
    """Σ over chunks of k steps of each chunk's loss and gradient, each chunk started from
    the state the one before ended in (``carry``), the last chunk kept even when shorter."""
    loss, grads, state = 0.0, {key: np.zeros_like(v) for key, v in params.items()}, None
    for start in range(0, X.shape[1], k):
        piece = slice(start, start + k)
        l, g, end = rnn.loss_grads_and_state(params, X[:, piece], y[:, piece], s0=state)
        loss, state = loss + l, end if carry else None
        grads = {key: grads[key] + g[key] for key in grads}
    return loss, grads


def _chunk_cases():
    rng = np.random.default_rng(8)
    cases = []
    for B, T, k, d in [(2, 7, 3, 3), (3, 8, 4, 4), (1, 5, 2, 3)]:
        params = rnn.init_params(3, d, 3, rng=int(rng.integers(100)), w_scale=1.3)
        params["b"] = 0.3 * rng.standard_normal(d)
        cases.append((params, rng.standard_normal((B, T, 3)), rng.integers(3, size=(B, T)), k))
    return cases


def check_chunked_gradient(chunked_gradient) -> bool:
    """``chunked_gradient(params, X, y, k)`` -> (Σ chunk losses, Σ chunk gradients): chunks of
    k steps, each started from the final state of the one before (zeros for the first)."""
    with Checker("truncated BPTT in chunks, state carried") as c:
        for params, X, y, k in _chunk_cases():
            got = c.call(chunked_gradient, params, X, y, k)
            loss, grads = c.parts(got, 2, "(loss, grads)")
            T = X.shape[1]
            expected = _chunked(params, X, y, k)
            mean = [_scaled(expected, 1 / -(-T // k)), _scaled(expected, k / T)]
            zeros = _chunked(params, X, y, k, carry=False)  # every chunk from s = 0
            per_term = rnn.loss_and_grads(params, X, y, truncate=k)[1]
            c.close(f"the loss for T = {T}, chunks of k = {k}", loss, expected[0], slips={
                "start each chunk from the state the chunk before ended in (the final state "
                "loss_grads_and_state returns), not from zeros": zeros[0],
                "add up the chunks' losses (you took their mean)":
                    lambda got: any(same(got, m[0]) for m in mean),
                "keep the last chunk, shorter when k does not divide T":
                    _chunked(params, X[:, : T // k * k], y[:, : T // k * k], k)[0],
            })  # fmt: skip
            c.close(f"the gradient for T = {T}, chunks of k = {k}", grads, expected[1], slips={
                "this is the full BPTT gradient: no gradient may cross a cut between chunks":
                    rnn.loss_and_grads(params, X, y)[1],
                "this is the notes' per-term truncation (truncate=k), another approximation: "
                "cut the sequence into chunks instead": per_term,
                "start each chunk from the state the chunk before ended in": zeros[1],
                "add up the chunks' gradients (you took their mean)":
                    lambda got: any(same(got, m[1]) for m in mean),
            })  # fmt: skip
    return c.report()


def _scaled(result, factor):
    loss, grads = result
    return loss * factor, {key: g * factor for key, g in grads.items()}


def check_slope_bound(largest) -> bool:
    """The largest ‖∂s_20/∂s_0‖ of a tanh RNN with orthogonal W when every |a_ji| ≥ 0.5:
    each factor stretches by at most max_i σ'(a_ji) ≤ 1 − tanh²(0.5)."""
    with Checker("how far an orthogonal W lets the gradient reach") as c:
        value = c.number(largest, "largest")
        slope = 1 - np.tanh(0.5) ** 2
        c.close("the largest ‖∂s_20/∂s_0‖", value, slope**20, rtol=1e-4, slips={
            "1 is (rω)^20, the bound for ANY run; here no unit's slope exceeds σ'(0.5)": 1.0,
            "σ'(a) = 1 − tanh²(a) for tanh, not 1 − a²": 0.75**20,
            "that is one step's factor; there are 20 steps from s_0 to s_20": slope,
            "σ'(0.5) = 1 − tanh²(0.5) is the slope; tanh(0.5) is the state": np.tanh(0.5) ** 20,
            "r = 1/4 is the logistic function's bound; this RNN uses tanh": 0.25**20,
            "the slopes shrink a vector: ‖∂s_20/∂s_0‖ is at most the PRODUCT of the 20 "
            "largest slopes, not their sum": 20 * slope,
        })  # fmt: skip
    return c.report()
