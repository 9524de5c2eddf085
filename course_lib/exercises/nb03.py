"""Checks for notebook 03 (batch, stochastic and mini-batch gradient descent)."""

from __future__ import annotations

import math

import numpy as np

from .. import neuron
from ._feedback import Checker


def check_updates_per_epoch(updates_per_epoch) -> bool:
    """``updates_per_epoch(n, batch_size)``: ⌈n / B⌉, the last partial batch included."""
    with Checker("updates per epoch") as c:
        for n, size in [(1000, 1000), (1000, 1), (1000, 100), (1000, 64), (10, 3), (7, 7)]:
            got = c.call(updates_per_epoch, n, size)
            c.equal(f"N={n}, B={size}", got, math.ceil(n / size), slips={
                f"the last {n % size} points form one more (smaller) batch": n // size,
            })  # fmt: skip
    return c.report()


_DATA = neuron.make_dataset(n=30, seed=7)


def check_minibatch_gradient(minibatch_gradient) -> bool:
    """``minibatch_gradient(w, b, X, Y, idx)`` -> (∇w, ∇b): the mean over the points ``idx``."""
    with Checker("mini-batch gradient") as c:
        X, Y = _DATA
        for w, b, idx in [
            (0.5, -0.5, np.array([3, 7, 11])),
            (-1.0, 2.0, np.arange(30)),
            (2.0, 0.0, np.array([4])),
        ]:
            got = c.call(minibatch_gradient, w, b, X, Y, idx)
            sum_w, sum_b = neuron.gradient(w, b, X[idx], Y[idx])
            all_w, all_b = neuron.gradient(w, b, X, Y)
            what = f"(∇w, ∇b) at w={w}, b={b} on points {idx.tolist()[:5]}"
            c.close(what, got, (sum_w / len(idx), sum_b / len(idx)), slips={
                "that is the sum over the batch: divide by the batch size for the mean":
                    (sum_w, sum_b),
                "you used every point: index the batch first, X[idx] and Y[idx]":
                    (all_w / len(X), all_b / len(X)),
            })  # fmt: skip
    return c.report()


def check_variance_factor(answer) -> bool:
    """By what factor does the gradient estimate's variance fall when B goes from 10 to 250
    (N = 1000, without replacement)? σ²/B · (N − B)/(N − 1), so 25 · 990/750 = 33."""
    n, small, large = 1000, 10, 250
    right = (n - small) / small / ((n - large) / large)
    with Checker("how the variance scales with B") as c:
        value = c.number(answer)
        if not np.isclose(value, right, rtol=1e-3):
            slip = c.slip(value, {
                "25 is σ²/B alone: batches drawn without replacement also carry (N − B)/(N − 1), "
                "which is far from 1 for B = 250": large / small,
                "that is how the standard deviation falls (the square root); the question asks "
                "for the variance": math.sqrt(right),
                "that is the rule of thumb's standard deviation, √25": 5.0,
                "that is the new variance as a fraction of the old; the factor it falls by is "
                "its inverse": 1 / right,
                "the correction multiplies: (N − B)/(N − 1), so the larger batch keeps 750/999, "
                "the smaller 990/999": large / small * (n - large) / (n - small),
            }, rtol=1e-3)  # fmt: skip
            c.fail(slip or f"{value:g} is not it: write the variance for B = 10 and for B = 250 "
                   "with the formula of section 6 and divide")  # fmt: skip
    return c.report()
