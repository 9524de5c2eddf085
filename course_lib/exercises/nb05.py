"""Checks for notebook 05 (adaptive learning rates: AdaGrad, RMSProp, Adam).

The reference updates are written here from the papers' equations, not taken from
``course_lib.optim``, so a bug there cannot make a wrong answer pass.
"""

from __future__ import annotations

import numpy as np

from ._feedback import Checker


def _same(got, expected) -> bool:
    try:
        return bool(np.allclose(np.asarray(got, dtype=float), expected, rtol=1e-9, atol=1e-12))
    except (TypeError, ValueError):
        return False


def _tuple(c: Checker, got, n: int, names: str) -> bool:
    if c.crashed:
        return False
    if not c.returned(got):
        return False
    return c.require(
        isinstance(got, tuple | list) and len(got) == n,
        f"expected a tuple ({names}), got {type(got).__name__}",
    )


# w, v (or m), g, lr, eps with a large eps so that where eps goes makes a difference
_ADAGRAD_CASES = [
    (1.0, 0.0, 2.0, 0.1, 1e-8),
    (np.array([1.0, -2.0]), np.array([4.0, 0.25]), np.array([3.0, 0.0]), 0.5, 1e-8),
    (0.5, 9.0, -4.0, 0.2, 0.5),
]


def check_adagrad_step(adagrad_step) -> bool:
    """``adagrad_step(w, v, g, lr, eps)`` must return ``(w_new, v_new)``."""
    c = Checker("one AdaGrad step")
    for w, v, g, lr, eps in _ADAGRAD_CASES:
        got = c.call(adagrad_step, np.copy(w), np.copy(v), np.copy(g), lr, eps)
        if not _tuple(c, got, 2, "w_new, v_new"):
            break
        v_new = v + g**2
        w_new = w - lr / (np.sqrt(v_new) + eps) * g
        ok_v = c.close_to("v_new", got[1], v_new)
        ok_w = ok_v and c.close_to(f"w_new (w={w}, v={v}, g={g}, η={lr}, ε={eps})", got[0], w_new)
        if ok_w:
            continue
        if not ok_v and _same(got[1], g**2):
            c.fail("v must *accumulate*: v_t = v_(t−1) + g², the whole history of squares")
        elif not ok_v and _same(got[1], v + g):
            c.fail("accumulate the *squared* gradient, g ** 2")
        elif _same(got[0], w - lr / np.sqrt(v_new + eps) * g):
            c.fail("ε goes outside the square root: η / (√v + ε)")
        elif _same(got[0], w - lr / (np.sqrt(v) + eps) * g):
            c.fail("use the new v (including this step's g²) in the update")
        break
    return c.report()


def check_rmsprop_step(rmsprop_step) -> bool:
    """``rmsprop_step(w, v, g, lr, beta, eps)`` must return ``(w_new, v_new)``."""
    c = Checker("one RMSProp step")
    for (w, v, g, lr, eps), beta in zip(_ADAGRAD_CASES, (0.9, 0.5, 0.99), strict=True):
        got = c.call(rmsprop_step, np.copy(w), np.copy(v), np.copy(g), lr, beta, eps)
        if not _tuple(c, got, 2, "w_new, v_new"):
            break
        v_new = beta * v + (1 - beta) * g**2
        w_new = w - lr / (np.sqrt(v_new) + eps) * g
        ok_v = c.close_to(f"v_new (β={beta})", got[1], v_new)
        if ok_v and c.close_to(f"w_new (w={w}, v={v}, g={g}, η={lr}, ε={eps})", got[0], w_new):
            continue
        if not ok_v and _same(got[1], v + g**2):
            c.fail("that is AdaGrad's running sum: RMSProp decays it, β·v + (1 − β)·g²")
        elif not ok_v and _same(got[1], (1 - beta) * v + beta * g**2):
            c.fail("β weighs the old average and 1 − β the new g², not the other way round")
        elif ok_v and _same(got[0], w - lr / np.sqrt(v_new + eps) * g):
            c.fail("ε goes outside the square root: η / (√v + ε)")
        break
    return c.report()


def check_adam_step(adam_step) -> bool:
    """``adam_step(w, m, v, g, t, lr, beta1, beta2, eps)`` must return ``(w_new, m_new, v_new)``
    with t = 1 for the first step."""
    c = Checker("one Adam step")
    cases = [  # t > 1 first, so that a β^(t−1) slip is caught before it divides by zero
        (np.array([0.5, -1.0]), np.array([0.2, 0.0]), np.array([0.1, 0.01]),
         np.array([-1.0, 3.0]), 3, 0.01, 0.8, 0.99, 1e-8),
        (1.0, 0.0, 0.0, 2.0, 1, 0.1, 0.9, 0.999, 1e-8),
        (2.0, -0.3, 0.4, 0.5, 10, 0.05, 0.9, 0.999, 1e-8),
    ]  # fmt: skip
    for w, m, v, g, t, lr, b1, b2, eps in cases:
        got = c.call(adam_step, np.copy(w), np.copy(m), np.copy(v), np.copy(g), t, lr, b1, b2, eps)
        if not _tuple(c, got, 3, "w_new, m_new, v_new"):
            break
        m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
        m_hat, v_hat = m_new / (1 - b1**t), v_new / (1 - b2**t)
        w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        where = f"(t={t}, g={g}, β₁={b1}, β₂={b2})"
        ok_mv = c.close_to(f"m_new {where}", got[1], m_new) and c.close_to(
            f"v_new {where}", got[2], v_new
        )
        if ok_mv and c.close_to(f"w_new {where}", got[0], w_new):
            continue
        if _same(got[1], m_hat) or _same(got[2], v_hat):
            c.fail("return (and store) m and v themselves; the hats are only for the update")
        elif _same(got[0], w - lr * m_new / (np.sqrt(v_new) + eps)):
            c.fail("bias correction missing: divide m by 1 − β₁^t and v by 1 − β₂^t")
        elif t > 1 and _same(
            got[0],
            w - lr * m_new / (1 - b1 ** (t - 1)) / (np.sqrt(v_new / (1 - b2 ** (t - 1))) + eps),
        ):
            c.fail("t counts from 1 at the first step: use β^t, not β^(t−1)")
        break
    return c.report()


def check_first_step_without_correction(ratio) -> bool:
    """Adam's first step without bias correction, in units of η (β₁ = 0.9, β₂ = 0.999)."""
    c = Checker("Adam's first step without bias correction")
    try:
        value = float(ratio)
    except (TypeError, ValueError):
        c.fail(f"expected a number, got {ratio!r}")
        return c.report()
    # m_1 = (1 − β₁) g, v_1 = (1 − β₂) g², so |step| = η (1 − β₁)/√(1 − β₂) |g|/|g| (ε → 0).
    expected = (1 - 0.9) / np.sqrt(1 - 0.999)
    if not np.isclose(value, expected, rtol=1e-3):
        if np.isclose(value, 1.0, rtol=1e-3):
            c.fail("1 is the step *with* correction (m̂₁ = g, v̂₁ = g²); drop the hats")
        elif np.isclose(value, 0.1, rtol=1e-3):
            c.fail("m₁ = 0.1 g is small, but so is √v₁ = √0.001 |g|: divide one by the other")
        else:
            c.fail(
                f"{value:g} is not it: write m₁ and v₁ after one step from m₀ = v₀ = 0, then "
                "the step η m₁ / √v₁"
            )
    return c.report()
