"""Checks for notebook 02 (momentum and Nesterov accelerated gradient descent)."""

from __future__ import annotations

import numpy as np

from .. import measures, momentum_theory, optim, surfaces
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


#: Exercises 3 and 4 run on the bowl ½(w² + 10 b²): curvatures 1 and 10.
_BOWL_CURVATURES = (1.0, 10.0)
_METHODS = {"gd": "GD", "momentum": "Momentum", "nag": "NAG"}


def _bowl_rates(lr: float, gamma: float) -> dict[str, tuple[float, float]]:
    """(predicted, measured) rate of GD, Momentum and NAG on ½(w² + 10 b²): the 2×2
    recurrence's spectral radius, and the contraction of a 300-step run of ``optim``."""
    bowl = surfaces.quadratic_bowl(*_BOWL_CURVATURES)
    rates = {}
    for name in _METHODS.values():
        g = 0.0 if name == "GD" else gamma
        opt = optim.GD(lr) if name == "GD" else optim.OPTIMIZERS[name](lr, g)
        run = optim.run(opt, bowl.grad_fn, bowl.params(), 300)
        predicted = momentum_theory.rate(name, lr, g, _BOWL_CURVATURES)
        rates[name] = predicted, momentum_theory.measured_rate(run.path, bowl.minimum)
    return rates


def check_fastest(answer) -> bool:
    """Which of 'GD', 'Momentum', 'NAG' converges fastest on ½(w² + 10 b²) with η = 0.1 and
    γ = 0.5 (answer: 'Momentum', rate √0.5 ≈ 0.707 against NAG's 0.75 and GD's 0.9)?"""
    with Checker("the fastest method at η = 0.1, γ = 0.5") as c:
        key = answer.strip().lower() if isinstance(answer, str) else None
        c.require(key in _METHODS, f"answer with one of 'GD', 'Momentum', 'NAG', got {answer!r}")
        rates = _bowl_rates(0.1, 0.5)
        table = ", ".join(f"{k} {p:.4f} (measured {m:.4f})" for k, (p, m) in rates.items())
        fastest = min(rates, key=lambda k: rates[k][0])
        hint = {
            "NAG": "NAG shrinks its memory to γ(1 − ηλ) in every direction, the slow one too: "
            "for λ = 1 that is 0.45, and its rate there is a real root, 0.75",
            "GD": "without memory the slow direction (λ = 1) shrinks only by 1 − ηλ = 0.9 a step",
        }.get(_METHODS[key], "")
        c.require(_METHODS[key] == fastest, f"rates per step: {table}. {hint}")
        print(f"   rates per step: {table}")
    return c.report()


def check_momentum_rate(answer) -> bool:
    """The rate of momentum with η = 0.05, γ = 0.5 on ½(w² + 10 b²): the larger root for
    λ = 1, (1.45 + √0.1025)/2 ≈ 0.8851 (for λ = 10 the roots are complex, |z| = √0.5)."""
    with Checker("momentum's rate at η = 0.05, γ = 0.5") as c:
        value = c.number(answer)
        predicted, measured = _bowl_rates(0.05, 0.5)["Momentum"]
        if not np.isclose(value, predicted, rtol=1e-3):
            small = momentum_theory.eigenvalues("Momentum", 0.05, 0.5, 1.0)[1].real
            slip = c.slip(value, {
                "√γ is the rate only where the roots are complex: for λ = 1, "
                "(1 + γ − ηλ)² − 4γ > 0, so the roots are real": 0.5**0.5,
                "that is gradient descent's rate, 1 − ηλ_min: momentum's matrix has γ in it": 0.95,
                "that is the smaller root for λ = 1: the larger one sets the rate": small,
                "that is γ, the product of the two roots, not the larger of them": 0.5,
            }, rtol=1e-3)  # fmt: skip
            c.fail(slip or f"{value:g} is not it: for each curvature (1 and 10) solve "
                   "z² − (1 + γ − ηλ) z + γ = 0; the rate is the largest |z| of all")  # fmt: skip
        print(f"   measured on a 300-step run: {measured:.4f}")
    return c.report()


#: Exercise 5: momentum on the sharp valley must keep its loss below 0.1 % of the start from
#: this step on (the race explorer's readout column), from the valley's usual start.
VALLEY_BUDGET = 100


def valley_settles(lr: float, gamma: float, steps: int = 300) -> tuple[int | None, optim.Run]:
    """(the step from which momentum's loss stays below 0.1 % of its start, or None; the run)
    on the sharp valley from its usual start."""
    valley = surfaces.sharp_valley()
    run = optim.run(optim.Momentum(lr, gamma), valley.grad_fn, valley.params(), steps)
    losses = valley.loss(run.path[:, 0], run.path[:, 1])
    reach = None if run.diverged else measures.steps_to_reach(losses, 1e-3 * losses[0], stay=True)
    return reach, run


def check_valley_tuning(answer) -> bool:
    """``(lr, gamma)`` with which momentum settles below 0.1 % of its starting loss on the
    sharp valley within :data:`VALLEY_BUDGET` steps (the notebook's default (0.04, 0.9) needs
    about 190)."""
    with Checker(f"momentum on the sharp valley within {VALLEY_BUDGET} steps") as c:
        lr, gamma = c.parts(answer, 2, "(η, γ)")
        lr, gamma = c.number(lr, "η"), c.number(gamma, "γ")
        c.require(lr > 0, f"η must be > 0, got {lr:g}")
        c.require(0 <= gamma < 1, f"γ must be in [0, 1), got {gamma:g}")
        reach, run = valley_settles(lr, gamma)
        said = f"with η = {lr:g}, γ = {gamma:g}"
        c.require(not run.diverged, f"{said} the run diverged at step {run.diverged_at}: "
                  "η is too large for the steep walls")  # fmt: skip
        c.require(reach is not None, f"{said} the loss does not stay below 0.1 % of its "
                  "start within 300 steps: too slow along the floor (η/(1 − γ) is the speed "
                  "there), or still swinging across the valley")  # fmt: skip
        c.require(reach <= VALLEY_BUDGET, f"{said} it settles from step {reach}, over the "
                  f"budget of {VALLEY_BUDGET}")  # fmt: skip
        print(f"   {said}: below 0.1 % of the start for good from step {reach}")
    return c.report()
