"""Checks for notebook 03 (batch, stochastic and mini-batch gradient descent)."""

from __future__ import annotations

import math

import numpy as np

from .. import neuron
from ._feedback import Checker


def check_updates_per_epoch(updates_per_epoch) -> bool:
    """``updates_per_epoch(n, batch_size)``: ⌈n / B⌉, the last partial batch included."""
    c = Checker("updates per epoch")
    for n, size in [(1000, 1000), (1000, 1), (1000, 100), (1000, 64), (10, 3), (7, 7)]:
        got = c.call(updates_per_epoch, n, size)
        if c.crashed:
            break
        expected = math.ceil(n / size)
        if not c.returned(got):
            break
        if isinstance(got, float) and not float(got).is_integer():
            c.fail(f"N={n}, B={size}: got {got}; a number of updates is a whole number")
            break
        if got != expected:
            if got == n // size:
                c.fail(
                    f"N={n}, B={size}: got {got}, expected {expected}: the last "
                    f"{n % size} points form one more (smaller) batch"
                )
            else:
                c.fail(f"N={n}, B={size}: expected {expected}, got {got}")
            break
    return c.report()


_DATA = neuron.make_dataset(n=30, seed=7)


def check_minibatch_gradient(minibatch_gradient) -> bool:
    """``minibatch_gradient(w, b, X, Y, idx)`` -> (∇w, ∇b): the mean over the points ``idx``."""
    c = Checker("mini-batch gradient")
    X, Y = _DATA
    for w, b, idx in [
        (0.5, -0.5, np.array([3, 7, 11])),
        (-1.0, 2.0, np.arange(30)),
        (2.0, 0.0, np.array([4])),
    ]:
        got = c.call(minibatch_gradient, w, b, X.copy(), Y.copy(), idx.copy())
        if c.crashed:
            break
        sum_w, sum_b = neuron.gradient(w, b, X[idx], Y[idx])
        expected = (sum_w / len(idx), sum_b / len(idx))
        if c.close_to(f"(∇w, ∇b) at w={w}, b={b} on points {idx.tolist()[:5]}", got, expected):
            continue
        if got is None or np.shape(got) != (2,):
            break
        got = np.asarray(got, dtype=float)
        if np.allclose(got, (sum_w, sum_b)):
            c.fail("that is the sum over the batch: divide by the batch size for the mean")
        elif np.allclose(got, np.array(neuron.gradient(w, b, X, Y)) / len(X)):
            c.fail("you used every point: index the batch first, X[idx] and Y[idx]")
        break
    return c.report()


def check_variance_factor(answer) -> bool:
    """By what factor does the gradient estimate's variance fall when B goes from 10 to 40?"""
    c = Checker("how the variance scales with B")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        c.fail(f"expected a number, got {answer!r}")
        return c.report()
    if not np.isclose(value, 4.0, rtol=0.05):
        if np.isclose(value, 2.0, rtol=0.05):
            c.fail("2 is how the standard deviation falls (√4); the variance falls as 1/B")
        elif np.isclose(value, 0.25, rtol=0.05):
            c.fail("0.25 is the new variance as a fraction of the old; the factor it falls by is 4")
        else:
            c.fail(f"{value:g} is not it: the variance of a mean of B points is σ²/B")
    return c.report()
