"""Checks for notebook 02 (momentum and Nesterov accelerated gradient descent)."""

from __future__ import annotations

import numpy as np

from .. import measures, optim, surfaces
from ._feedback import Checker

# (w, update_{t-1}, ∇w, η, γ): scalars and arrays, so a shape-specific answer cannot pass.
_CASES = [
    (1.0, 0.0, 2.0, 0.1, 0.9),
    (-0.5, 0.3, -1.2, 0.05, 0.8),
    (np.array([1.0, -2.0]), np.array([0.1, -0.4]), np.array([0.5, 3.0]), 0.2, 0.5),
]


def _pair(c: Checker, got, what: str) -> bool:
    if not c.returned(got, what):
        return False
    return c.require(
        isinstance(got, tuple | list) and len(got) == 2,
        f"{what}: expected a pair (w_new, update), got {type(got).__name__}",
    )


def check_momentum_step(momentum_step) -> bool:
    """``momentum_step(w, update_prev, grad, lr, gamma)`` -> ``(w_new, update)``, the notes' form:
    update = γ·update_prev + η·grad, w_new = w − update."""
    c = Checker("one momentum step")
    for w, u, g, lr, gamma in _CASES:
        got = c.call(momentum_step, np.copy(w), np.copy(u), np.copy(g), lr, gamma)
        if c.crashed or not _pair(c, got, f"w={w}"):
            break
        update = gamma * u + lr * g
        if c.close_to(
            f"(w_new, update) for w={w}, update_prev={u}, ∇w={g}", got, (w - update, update)
        ):
            continue
        w_new, upd = (np.asarray(x, dtype=float) for x in got)
        if np.allclose(upd, update) and np.allclose(w_new, w + update):
            c.fail("you moved with the update: w_new = w − update (descent goes against ∇w)")
        elif np.any(u != 0) and np.allclose(upd, lr * g):
            c.fail("your update ignores the history: add γ·update_prev (that is what momentum is)")
        elif np.allclose(upd, gamma * u + (1 - gamma) * lr * g):
            c.fail("the notes' form has no (1 − γ) factor: update = γ·update_prev + η·∇w")
        break
    return c.report()


def check_nag_step(nag_step) -> bool:
    """``nag_step(w, update_prev, grad_fn, lr, gamma)`` -> ``(w_new, update)`` with the gradient
    taken at the look-ahead point w − γ·update_prev."""
    c = Checker("one NAG step")
    for w, u, _, lr, gamma in _CASES:
        calls = []

        def grad_fn(x, calls=calls):
            calls.append(np.array(x, dtype=float))
            return 3.0 * np.asarray(x, dtype=float) - 1.0  # the gradient of 1.5x² − x

        got = c.call(nag_step, np.copy(w), np.copy(u), grad_fn, lr, gamma)
        if c.crashed or not _pair(c, got, f"w={w}"):
            break
        look = w - gamma * u
        update = gamma * u + lr * (3.0 * look - 1.0)
        if c.close_to(f"(w_new, update) for w={w}, update_prev={u}", got, (w - update, update)):
            continue
        if calls and np.allclose(calls[-1], w) and not np.allclose(look, w):
            c.fail(
                "you evaluated the gradient at w_t; NAG looks ahead first: "
                "w_look = w − γ·update_prev, then ∇ at w_look"
            )
        elif not calls:
            c.fail("call grad_fn(w_look) to get the gradient at the look-ahead point")
        break
    return c.report()


def check_more_u_turns(answer) -> bool:
    """Which method makes more u-turns across the sharp valley: 'GD', 'Momentum' or 'NAG'?"""
    c = Checker("which method takes more u-turns")
    names = {"gd": "GD", "momentum": "Momentum", "nag": "NAG"}
    key = str(answer).strip().lower() if answer is not None else ""
    if key not in names:
        c.fail(f"answer with one of 'GD', 'Momentum', 'NAG', got {answer!r}")
        return c.report()
    s = surfaces.sharp_valley()
    turns = {}
    for name in names.values():
        opt = optim.GD(0.04) if name == "GD" else optim.OPTIMIZERS[name](0.04, 0.9)
        run = optim.run(opt, s.grad_fn, s.params(), 300)
        turns[name] = measures.valley_summary(s, run.path)["u_turns"]
    most = max(turns, key=turns.get)
    if names[key] != most:
        counts = ", ".join(f"{k} {v}" for k, v in turns.items())
        hint = {
            "GD": "gradient descent has no memory: with a small η it never overshoots the floor",
            "NAG": "NAG looks ahead and brakes before it overshoots, so it turns less",
        }.get(names[key], "")
        c.fail(f"measured u-turns in 300 steps: {counts}. {hint}")
    else:
        print(f"   measured u-turns in 300 steps: {turns}")
    return c.report()
