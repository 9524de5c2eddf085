"""Checks for notebook 08 (vanishing and exploding gradients)."""

from __future__ import annotations

import numpy as np

from .. import optim
from ._feedback import Checker, same


def check_jacobian_bound(bound) -> bool:
    """``bound(activation, lam, lag)`` -> (γλ)^lag, γ = 1 for "tanh" and 1/4 for "logistic"."""
    with Checker("the bound on ‖∂s_t/∂s_k‖") as c:
        for activation, lam, lag in [("tanh", 0.9, 10), ("logistic", 3.0, 5),
                                     ("logistic", 5.0, 7), ("tanh", 1.5, 0)]:  # fmt: skip
            got = c.call(bound, activation, lam, lag)
            gamma = 1.0 if activation == "tanh" else 0.25
            what = f"bound for {activation}, λ={lam}, t−k={lag}"
            c.close(what, got, (gamma * lam) ** lag, slips={
                "σ' is at most γ = 1/4 for the logistic function: include γ": lam**lag,
                "each of the t − k factors contributes γλ: the bound is (γλ)^(t−k)":
                    lambda got: same(got, gamma * lam**lag) or same(got, gamma * lam * lag),
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
