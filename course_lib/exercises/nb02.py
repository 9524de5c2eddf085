"""Checks for notebook 02 (momentum and Nesterov accelerated gradient descent)."""

from __future__ import annotations

import numpy as np

from .. import measures, optim, surfaces
from ._feedback import Checker, same

# (w, update_{t-1}, ∇w, η, γ): scalars and arrays, so a shape-specific answer cannot pass.
_CASES = [
    (1.0, 0.0, 2.0, 0.1, 0.9),
    (-0.5, 0.3, -1.2, 0.05, 0.8),
    (np.array([1.0, -2.0]), np.array([0.1, -0.4]), np.array([0.5, 3.0]), 0.2, 0.5),
]


def check_momentum_step(momentum_step) -> bool:
    """``momentum_step(w, update_prev, grad, lr, gamma)`` -> ``(w_new, update)``, the notes' form:
    update = γ·update_prev + η·grad, w_new = w − update."""
    with Checker("one momentum step") as c:
        for w, u, g, lr, gamma in _CASES:
            got = c.call(momentum_step, w, u, g, lr, gamma)
            update = gamma * u + lr * g
            what = f"(w_new, update) for w={w}, update_prev={u}, ∇w={g}"
            c.close(what, got, (w - update, update), slips={
                "you moved with the update: w_new = w − update (descent goes against ∇w)":
                    (w + update, update),
                "your update ignores the history: add γ·update_prev (that is what momentum is)":
                    lambda got: np.any(u != 0) and same(got[1], lr * g),
                "the notes' form has no (1 − γ) factor: update = γ·update_prev + η·∇w":
                    lambda got: same(got[1], gamma * u + (1 - gamma) * lr * g),
            })  # fmt: skip
    return c.report()


def check_nag_step(nag_step) -> bool:
    """``nag_step(w, update_prev, grad_fn, lr, gamma)`` -> ``(w_new, update)`` with the gradient
    taken at the look-ahead point w − γ·update_prev."""
    with Checker("one NAG step") as c:
        for w, u, _, lr, gamma in _CASES:
            calls = []

            def grad_fn(x, calls=calls):
                calls.append(np.array(x, dtype=float))
                return 3.0 * np.asarray(x, dtype=float) - 1.0  # the gradient of 1.5x² − x

            got = c.call(nag_step, w, u, grad_fn, lr, gamma)
            look = w - gamma * u
            update = gamma * u + lr * (3.0 * look - 1.0)
            what = f"(w_new, update) for w={w}, update_prev={u}"
            c.close(what, got, (w - update, update), slips={
                "you evaluated the gradient at w_t; NAG looks ahead first: "
                "w_look = w − γ·update_prev, then ∇ at w_look":
                    lambda got: calls and same(calls[-1], w) and not same(look, w),
                "call grad_fn(w_look) to get the gradient at the look-ahead point":
                    lambda got: not calls,
            })  # fmt: skip
    return c.report()


def _u_turns() -> dict[str, int]:
    """U-turns of GD, Momentum and NAG in 300 steps on the sharp valley (η = 0.04, γ = 0.9)."""
    s = surfaces.sharp_valley()
    turns = {}
    for name in ("GD", "Momentum", "NAG"):
        opt = optim.GD(0.04) if name == "GD" else optim.OPTIMIZERS[name](0.04, 0.9)
        run = optim.run(opt, s.grad_fn, s.params(), 300)
        turns[name] = measures.valley_summary(s, run.path)["u_turns"]
    return turns


def check_more_u_turns(answer) -> bool:
    """Which method makes more u-turns across the sharp valley: 'GD', 'Momentum' or 'NAG'?"""
    with Checker("which method takes more u-turns") as c:
        names = {"gd": "GD", "momentum": "Momentum", "nag": "NAG"}
        key = answer.strip().lower() if isinstance(answer, str) else None
        c.require(key in names, f"answer with one of 'GD', 'Momentum', 'NAG', got {answer!r}")
        turns = _u_turns()
        counts = ", ".join(f"{k} {v}" for k, v in turns.items())
        most = max(turns, key=turns.get)
        hint = {
            "GD": "gradient descent has no memory: with a small η it never overshoots the floor",
            "NAG": "NAG looks ahead and brakes before it overshoots, so it turns less",
        }.get(names[key], "")
        c.require(names[key] == most, f"measured u-turns in 300 steps: {counts}. {hint}")
        print(f"   measured u-turns in 300 steps: {turns}")
    return c.report()
