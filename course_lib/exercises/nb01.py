"""Checks for notebook 01 (gradient descent and error surfaces)."""

from __future__ import annotations

import numpy as np

from .. import gradcheck, neuron
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


def check_max_stable_lr(answer) -> bool:
    """The largest η for which GD converges on 𝓛 = ½(w² + 10 b²) (answer: 2/10)."""
    with Checker("largest stable learning rate on ½(w² + 10b²)") as c:
        value = c.number(answer)
        # b_{t+1} = (1 - 10η) b_t shrinks iff |1 - 10η| < 1, i.e. 0 < η < 2/10; w needs η < 2.
        if not np.isclose(value, 0.2, rtol=1e-3):
            slip = c.slip(value, {
                "η < 2 is what w needs; the steeper b direction (curvature 10) is stricter": 2.0,
                "η = 0.1 makes b jump to the minimum in one step, but larger η still converge":
                    0.1,
            }, rtol=1e-3)  # fmt: skip
            c.fail(slip or f"{value:g} is not it: write one GD step for b alone, "
                   "b_(t+1) = (1 − 10η) b_t, and ask when |1 − 10η| < 1")  # fmt: skip
    return c.report()
