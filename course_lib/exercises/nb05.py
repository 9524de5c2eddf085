"""Checks for notebook 05 (adaptive learning rates: AdaGrad, RMSProp, Adam).

The reference updates are written here from the papers' equations, not taken from
``course_lib.optim``, so a bug there cannot make a wrong answer pass.
"""

from __future__ import annotations

import numpy as np

from ._feedback import Checker

# w, v (or m), g, lr, eps with a large eps so that where eps goes makes a difference
_ADAGRAD_CASES = [
    (1.0, 0.0, 2.0, 0.1, 1e-8),
    (np.array([1.0, -2.0]), np.array([4.0, 0.25]), np.array([3.0, 0.0]), 0.5, 1e-8),
    (0.5, 9.0, -4.0, 0.2, 0.5),
]


def check_adagrad_step(adagrad_step) -> bool:
    """``adagrad_step(w, v, g, lr, eps)`` must return ``(w_new, v_new)``."""
    with Checker("one AdaGrad step") as c:
        for w, v, g, lr, eps in _ADAGRAD_CASES:
            w_got, v_got = c.parts(c.call(adagrad_step, w, v, g, lr, eps), 2, "(w_new, v_new)")
            v_new = v + g**2
            c.close(f"v_new (v={v}, g={g})", v_got, v_new, slips={
                "v must *accumulate*: v_t = v_(t−1) + g², the whole history of squares": g**2,
                "accumulate the *squared* gradient, g ** 2": v + g,
            })  # fmt: skip
            what = f"w_new (w={w}, v={v}, g={g}, η={lr}, ε={eps})"
            c.close(what, w_got, w - lr / (np.sqrt(v_new) + eps) * g, slips={
                "ε goes outside the square root: η / (√v + ε)": w - lr / np.sqrt(v_new + eps) * g,
                "use the new v (including this step's g²) in the update":
                    w - lr / (np.sqrt(v) + eps) * g,
            })  # fmt: skip
    return c.report()


def check_rmsprop_step(rmsprop_step) -> bool:
    """``rmsprop_step(w, v, g, lr, beta, eps)`` must return ``(w_new, v_new)``."""
    with Checker("one RMSProp step") as c:
        for (w, v, g, lr, eps), beta in zip(_ADAGRAD_CASES, (0.9, 0.5, 0.99), strict=True):
            got = c.call(rmsprop_step, w, v, g, lr, beta, eps)
            w_got, v_got = c.parts(got, 2, "(w_new, v_new)")
            v_new = beta * v + (1 - beta) * g**2
            c.close(f"v_new (β={beta}, v={v}, g={g})", v_got, v_new, slips={
                "that is AdaGrad's running sum: RMSProp decays it, β·v + (1 − β)·g²": v + g**2,
                "β weighs the old average and 1 − β the new g², not the other way round":
                    (1 - beta) * v + beta * g**2,
            })  # fmt: skip
            what = f"w_new (w={w}, v={v}, g={g}, η={lr}, ε={eps})"
            c.close(what, w_got, w - lr / (np.sqrt(v_new) + eps) * g, slips={
                "ε goes outside the square root: η / (√v + ε)": w - lr / np.sqrt(v_new + eps) * g,
            })  # fmt: skip
    return c.report()


def check_adam_step(adam_step) -> bool:
    """``adam_step(w, m, v, g, t, lr, beta1, beta2, eps)`` must return ``(w_new, m_new, v_new)``
    with t = 1 for the first step."""
    cases = [  # t > 1 first, so that a β^(t−1) slip is caught before it divides by zero
        (np.array([0.5, -1.0]), np.array([0.2, 0.0]), np.array([0.1, 0.01]),
         np.array([-1.0, 3.0]), 3, 0.01, 0.8, 0.99, 1e-8),
        (1.0, 0.0, 0.0, 2.0, 1, 0.1, 0.9, 0.999, 1e-8),
        (2.0, -0.3, 0.4, 0.5, 10, 0.05, 0.9, 0.999, 1e-8),
    ]  # fmt: skip
    with Checker("one Adam step") as c:
        for w, m, v, g, t, lr, b1, b2, eps in cases:
            got = c.call(adam_step, w, m, v, g, t, lr, b1, b2, eps)
            w_got, m_got, v_got = c.parts(got, 3, "(w_new, m_new, v_new)")
            m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
            m_hat, v_hat = m_new / (1 - b1**t), v_new / (1 - b2**t)
            hats = "return (and store) m and v themselves; the hats are only for the update"
            where = f"(t={t}, g={g}, β₁={b1}, β₂={b2})"
            c.close(f"m_new {where}", m_got, m_new, slips={hats: m_hat})
            c.close(f"v_new {where}", v_got, v_new, slips={hats: v_hat})
            back = 1 - b1 ** (t - 1), 1 - b2 ** (t - 1)  # t − 1 = 0 at t = 1: no slip to name
            c.close(f"w_new {where}", w_got, w - lr * m_hat / (np.sqrt(v_hat) + eps), slips={
                "bias correction missing: divide m by 1 − β₁^t and v by 1 − β₂^t":
                    w - lr * m_new / (np.sqrt(v_new) + eps),
                "t counts from 1 at the first step: use β^t, not β^(t−1)":
                    lambda got: t > 1 and np.allclose(
                        got, w - lr * m_new / back[0] / (np.sqrt(v_new / back[1]) + eps)),
            })  # fmt: skip
    return c.report()


def check_second_step_without_correction(ratio) -> bool:
    """Adam's second step without bias correction, in units of η (β₁ = 0.9, β₂ = 0.99,
    gradients 2 then 1, ε → 0)."""
    b1, b2, g1, g2 = 0.9, 0.99, 2.0, 1.0
    m1, v1 = (1 - b1) * g1, (1 - b2) * g1**2
    m2, v2 = b1 * m1 + (1 - b1) * g2, b2 * v1 + (1 - b2) * g2**2
    right = m2 / np.sqrt(v2)  # 0.28 / √0.0496
    with Checker("Adam's second step without bias correction") as c:
        value = c.number(ratio)
        if not np.isclose(value, right, rtol=1e-3):
            slip = c.slip(value, {
                "that is the step *with* bias correction (m̂₂ = m₂/(1 − β₁²), v̂₂ = v₂/(1 − β₂²)); "
                "drop the hats": (m2 / (1 - b1**2)) / np.sqrt(v2 / (1 - b2**2)),
                "that is the first step (m₁/√v₁); the second needs m₂ and v₂": m1 / np.sqrt(v1),
                "β₂ is 0.99 here, not the default 0.999":
                    m2 / np.sqrt(0.999 * 0.001 * g1**2 + 0.001 * g2**2),
                "m and v are averages that start from the first step's values: "
                "m₂ = β₁ m₁ + (1 − β₁) g₂, v₂ = β₂ v₁ + (1 − β₂) g₂²":
                    (1 - b1) * g2 / np.sqrt((1 - b2) * g2**2),
                "β weighs the old average and 1 − β the new gradient, not the other way round":
                    (b1 * g2 + (1 - b1) * b1 * g1) / np.sqrt(b2 * g2**2 + (1 - b2) * b2 * g1**2),
            }, rtol=1e-3)  # fmt: skip
            c.fail(slip or f"{value:g} is not it: write m₁, v₁ after the first step from "
                   "m₀ = v₀ = 0, then m₂, v₂, then the step η m₂ / √v₂")  # fmt: skip
    return c.report()


def check_amsgrad_step(amsgrad_step) -> bool:
    """``amsgrad_step(w, m, v, v_max, g, t, lr, beta1, beta2, eps)`` must return
    ``(w_new, m_new, v_new, v_max_new)``: PyTorch's placement, the maximum of the raw v,
    then the bias correction."""
    cases = [  # the first case has v falling below v_max, where AMSGrad differs from Adam
        (np.array([0.5, -1.0]), np.array([0.2, 0.1]), np.array([0.5, 0.01]),
         np.array([0.9, 0.01]), np.array([0.1, 3.0]), 3, 0.01, 0.8, 0.9, 1e-8),
        (1.0, 0.0, 0.0, 0.0, 2.0, 1, 0.1, 0.9, 0.999, 1e-8),
        (2.0, -0.3, 0.4, 0.6, 0.5, 10, 0.05, 0.9, 0.99, 1e-8),
    ]  # fmt: skip
    with Checker("one AMSGrad step") as c:
        for w, m, v, v_max, g, t, lr, b1, b2, eps in cases:
            got = c.call(amsgrad_step, w, m, v, v_max, g, t, lr, b1, b2, eps)
            w_got, m_got, v_got, vmax_got = c.parts(got, 4, "(w_new, m_new, v_new, v_max_new)")
            m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
            vmax_new = np.maximum(v_max, v_new)
            c1, c2 = 1 - b1**t, 1 - b2**t
            where = f"(t={t}, g={g}, v_max={v_max})"
            c.close(f"m_new {where}", m_got, m_new)
            c.close(f"v_new {where}", v_got, v_new, slips={
                "return v itself; v_max is the fourth value": vmax_new,
            })  # fmt: skip
            c.close(f"v_max_new {where}", vmax_got, vmax_new, slips={
                "keep the maximum of the raw v (not of v / (1 − β₂^t)): the correction comes after":
                    np.maximum(v_max, v_new / c2),
                "the maximum is taken of v_t, the average, not of g²": np.maximum(v_max, g**2),
                "v_max must be the running maximum, max(v_max, v_new)": v_new,
            })  # fmt: skip
            c.close(f"w_new {where}", w_got, w - lr * (m_new / c1) / (np.sqrt(vmax_new / c2) + eps),
                    slips={
                "that is Adam's step: divide by √v̂ with v̂ = v_max / (1 − β₂^t)":
                    w - lr * (m_new / c1) / (np.sqrt(v_new / c2) + eps),
                "bias correction missing: divide m by 1 − β₁^t and v_max by 1 − β₂^t":
                    w - lr * m_new / (np.sqrt(vmax_new) + eps),
                "the maximum of the corrected v (older PyTorch documentation) is not what the "
                "code does: take max(v_max, v_t), then divide by 1 − β₂^t":
                    w - lr * (m_new / c1) / (np.sqrt(np.maximum(v_max, v_new / c2)) + eps),
            })  # fmt: skip
    return c.report()
