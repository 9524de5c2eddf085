"""Checks for notebook 01 (gradient descent and error surfaces)."""

from __future__ import annotations

import numpy as np

from .. import gradcheck, neuron, optim, surfaces
from ._feedback import Checker

# Cases away from the toy data and the start point, so a hard-coded answer cannot pass.
_CASES = [
    (-2.0, -2.0, 1.0, neuron.X_TOY, neuron.Y_TOY),
    (0.7, -0.3, 0.5, np.array([-1.0, 0.0, 2.0]), np.array([0.1, 0.5, 0.7])),
    (3.0, 1.5, 2.0, np.array([0.25]), np.array([0.95])),
]


def check_grad_b(grad_b) -> bool:
    """``grad_b(w, b, X, Y)`` must return ∂𝓛/∂b; compared with centred finite differences."""
    with Checker("∇b of the sigmoid neuron") as c:
        for w, b, _, X, Y in _CASES:
            got = c.call(grad_b, w, b, X, Y)
            numeric = gradcheck.numerical_gradient(
                lambda p, w=w, X=X, Y=Y: neuron.loss(w, p["b"], X, Y), {"b": np.array(b)}
            )["b"]
            grad_w, _ = neuron.gradient(w, b, X, Y)
            c.close(f"∇b at w={w}, b={b}", got, numeric, rtol=1e-6, atol=1e-10, slips={
                "that is ∇w: ∇b has no factor x_i, because ∂(wx+b)/∂b = 1": grad_w,
            })  # fmt: skip
    return c.report()


def check_gd_step(gd_step) -> bool:
    """``gd_step(w, b, eta, X, Y)`` must return (w − η∇w, b − η∇b)."""
    with Checker("one gradient-descent step") as c:
        for w, b, eta, X, Y in _CASES:
            got = c.call(gd_step, w, b, eta, X, Y)
            gw, gb = neuron.gradient(w, b, X, Y)
            what = f"(w, b) after a step from ({w}, {b}) with η={eta}"
            c.close(what, got, (w - eta * gw, b - eta * gb), slips={
                "you moved along the gradient: descent goes against it (w − η∇w)":
                    (w + eta * gw, b + eta * gb),
            })  # fmt: skip
    return c.report()


def check_lr_threshold(answer) -> bool:
    """The threshold η̄ of gradient descent on 𝓛 = ½(w² + 10 b²): it converges from every
    start for every η < η̄ and not for η = η̄ (answer: 2/10). No largest converging η exists,
    so the question asks for this supremum."""
    with Checker("the threshold of η on ½(w² + 10b²)") as c:
        value = c.number(answer)
        # b_{t+1} = (1 - 10η) b_t shrinks iff |1 - 10η| < 1, i.e. 0 < η < 2/10; w needs η < 2.
        if not np.isclose(value, 0.2, rtol=1e-3):
            slip = c.slip(value, {
                "η < 2 is what w needs; the steeper b direction (curvature 10) is stricter": 2.0,
                "η = 0.1 makes b jump to the minimum in one step, but larger η still converge":
                    0.1,
                "2/11 = 2/(1 + 10) is the η that converges fastest; larger ones still converge":
                    2 / 11,
                "that η converges, but so does every η up to the threshold: there is no "
                "largest converging η, so give the threshold itself (the supremum)":
                    lambda v: 0.15 <= v < 0.2,
                "with that η, |1 − 10η| > 1: b grows at every step, so the threshold is lower":
                    lambda v: 0.2 < v <= 0.3,
            }, rtol=1e-3)  # fmt: skip
            c.fail(slip or f"{value:g} is not it: write one GD step for b alone, "
                   "b_(t+1) = (1 − 10η) b_t, and ask when |1 − 10η| < 1")  # fmt: skip
    return c.report()


#: The answers exercise 4 offers, as the student may type them -> the canonical name.
_AT_THRESHOLD = {"converges": "converges", "oscillates": "oscillates", "diverges": "diverges"}


def _b_at_threshold(steps: int = 200) -> np.ndarray:
    """b_t of gradient descent with η = 2/10 on ½(w² + 10 b²) from (w, b) = (1, 1)."""
    bowl = surfaces.quadratic_bowl(1.0, 10.0)
    return optim.run(optim.GD(0.2), bowl.grad_fn, bowl.params(1.0, 1.0), steps).trajectory["b"]


def check_at_threshold(answer) -> bool:
    """What gradient descent does at η = η̄ = 2/10 on ½(w² + 10 b²): 'oscillates' (b flips
    sign at every step and keeps its size; w converges)."""
    with Checker("gradient descent at the threshold") as c:
        key = answer.strip().lower() if isinstance(answer, str) else None
        c.require(key in _AT_THRESHOLD, "answer with one of 'converges', 'oscillates', "
                  f"'diverges', got {answer!r}")  # fmt: skip
        b = _b_at_threshold()
        flips = bool(np.all(b[1:] * b[:-1] < 0))
        seen = f"from b = 1, the run has b = {b[-2]:g}, {b[-1]:g} after {len(b) - 2} and " \
               f"{len(b) - 1} steps"  # fmt: skip
        c.require(key != "converges", f"{seen}: b never gets closer. Only w converges: "
                  "b_(t+1) = (1 − 10·0.2) b_t = −b_t")  # fmt: skip
        c.require(key != "diverges", f"{seen}: |b| never grows, since |1 − 10·0.2| = 1 "
                  "exactly (η̄ is the threshold, not beyond it)")  # fmt: skip
        c.require(flips and abs(b[-1]) == abs(b[0]), f"{seen}")  # the claim, measured
    return c.report()
