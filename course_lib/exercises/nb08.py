"""Checks for notebook 08 (vanishing and exploding gradients)."""

from __future__ import annotations

import numpy as np

from .. import optim
from ._feedback import Checker


def check_jacobian_bound(bound) -> bool:
    """``bound(activation, lam, lag)`` -> (γλ)^lag, γ = 1 for "tanh" and 1/4 for "logistic"."""
    c = Checker("the bound on ‖∂s_t/∂s_k‖")
    for activation, lam, lag in [("tanh", 0.9, 10), ("logistic", 3.0, 5), ("logistic", 5.0, 7),
                                 ("tanh", 1.5, 0)]:  # fmt: skip
        got = c.call(bound, activation, lam, lag)
        if c.crashed:
            break
        gamma = 1.0 if activation == "tanh" else 0.25
        expected = (gamma * lam) ** lag
        if got is not None and np.ndim(got) == 0 and not np.isclose(got, expected):
            if np.isclose(got, lam**lag):
                c.fail("σ' is at most γ = 1/4 for the logistic function: include γ")
            elif np.isclose(got, gamma * lam**lag) or np.isclose(got, (gamma * lam) * lag):
                c.fail("each of the t − k factors contributes γλ: the bound is (γλ)^(t−k)")
        c.close_to(f"bound for {activation}, λ={lam}, t−k={lag}", got, expected)
        if c.problems:
            break
    return c.report()


def check_clip(clip) -> bool:
    """``clip(grads, max_norm)`` -> new dict scaled by min(1, max_norm / global norm)."""
    c = Checker("gradient clipping by the global norm")
    rng = np.random.default_rng(3)
    cases = [
        ({"W": np.array([[3.0, 4.0]]), "b": np.array([12.0])}, 1.0),  # global norm 13
        ({"W": rng.standard_normal((3, 3)), "b": rng.standard_normal(3)}, 100.0),  # unchanged
        ({"W": 10 * rng.standard_normal((2, 2)), "b": np.array([0.5, -0.5])}, 2.0),
    ]
    for grads, max_norm in cases:
        got = c.call(clip, {k: v.copy() for k, v in grads.items()}, max_norm)
        if c.crashed:
            break
        if not c.require(
            isinstance(got, dict), f"return a dict of arrays, got {type(got).__name__}"
        ):
            break
        if not c.require(set(got) == set(grads), f"return the keys {sorted(grads)}"):
            break
        expected = optim.clip_grad_norm(grads, max_norm)
        per_key = {k: v * min(1, max_norm / np.linalg.norm(v)) for k, v in grads.items()}
        if all(np.allclose(got[k], per_key[k]) for k in grads) and not all(
            np.allclose(got[k], expected[k]) for k in grads
        ):
            c.fail("clip all parameters TOGETHER by their global norm, not each on its own "
                   "(clipping each changes the direction)")  # fmt: skip
            break
        norm = optim.global_norm(grads)
        if norm < max_norm and all(np.allclose(got[k], grads[k] * max_norm / norm) for k in grads):
            c.fail("a gradient already shorter than max_norm must be left unchanged")
            break
        entrywise = {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}
        if norm > max_norm and all(np.allclose(got[k], entrywise[k]) for k in grads):
            c.fail("clip the norm, not each entry: np.clip changes the direction")
            break
        for k in grads:
            c.close_to(f"clipped {k} (max_norm={max_norm})", got[k], expected[k])
        if c.problems:
            break
    return c.report()
