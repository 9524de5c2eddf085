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
    c = Checker("∇b of the sigmoid neuron")
    for w, b, _, X, Y in _CASES:
        got = c.call(grad_b, w, b, X.copy(), Y.copy())
        params = {"b": np.array(b)}
        numeric = gradcheck.numerical_gradient(
            lambda p, w=w, X=X, Y=Y: neuron.loss(w, p["b"], X, Y), params
        )["b"]
        if c.close_to(f"∇b at w={w}, b={b}", got, numeric, rtol=1e-6, atol=1e-10):
            continue
        gw, _ = neuron.gradient(w, b, X, Y)
        if got is not None and np.isclose(float(np.asarray(got)), gw):
            c.fail("that is ∇w: ∇b has no factor x_i, because ∂(wx+b)/∂b = 1")
        break
    return c.report()


def check_gd_step(gd_step) -> bool:
    """``gd_step(w, b, eta, X, Y)`` must return (w − η∇w, b − η∇b)."""
    c = Checker("one gradient-descent step")
    for w, b, eta, X, Y in _CASES:
        got = c.call(gd_step, w, b, eta, X.copy(), Y.copy())
        if c.crashed:
            break
        if not c.returned(got):
            break
        if not c.require(
            isinstance(got, tuple | list) and len(got) == 2,
            f"expected a pair (w_new, b_new), got {type(got).__name__}",
        ):
            break
        gw, gb = neuron.gradient(w, b, X, Y)
        ok = c.close_to(
            f"(w, b) after a step from ({w}, {b}) with η={eta}", got, (w - eta * gw, b - eta * gb)
        )
        if not ok:
            plus = (w + eta * gw, b + eta * gb)
            if np.allclose(np.asarray(got, dtype=float), plus):
                c.fail("you moved along the gradient: descent goes against it (w − η∇w)")
            break
    return c.report()


def check_max_stable_lr(answer) -> bool:
    """The largest η for which GD converges on 𝓛 = ½(w² + 10 b²) (answer: 2/10)."""
    c = Checker("largest stable learning rate on ½(w² + 10b²)")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        c.fail(f"expected a number, got {answer!r}")
        return c.report()
    # b_{t+1} = (1 - 10η) b_t shrinks iff |1 - 10η| < 1, i.e. 0 < η < 2/10; w needs η < 2.
    if not np.isclose(value, 0.2, rtol=1e-3):
        if np.isclose(value, 2.0, rtol=1e-3):
            c.fail("η < 2 is what w needs; the steeper b direction (curvature 10) is stricter")
        elif np.isclose(value, 0.1, rtol=1e-3):
            c.fail("η = 0.1 makes b jump to the minimum in one step, but larger η still converge")
        else:
            c.fail(
                f"{value:g} is not it: write one GD step for b alone, b_(t+1) = (1 − 10η) b_t, "
                "and ask when |1 − 10η| < 1"
            )
    return c.report()
