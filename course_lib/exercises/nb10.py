"""Checks for notebook 10 (the capstone: character-level autocompletion)."""

from __future__ import annotations

import math

import numpy as np

from ._feedback import Checker

_DISTS = [
    np.array([0.5, 0.3, 0.15, 0.05]),
    np.array([0.1, 0.2, 0.3, 0.4]),
    np.array([0.97, 0.01, 0.01, 0.01]),
]


def check_temperature(with_temperature) -> bool:
    r"""``with_temperature(p, tau)`` must return softmax(log p / τ) = p^(1/τ) / Σ p^(1/τ)."""
    c = Checker("sampling with a temperature")
    for p in _DISTS:
        for tau in (0.5, 1.0, 2.0):
            got = c.call(with_temperature, p.copy(), tau)
            if c.crashed:
                return c.report()
            expected = p ** (1 / tau) / np.sum(p ** (1 / tau))
            if c.close_to(f"p = {p}, τ = {tau}", got, expected):
                continue
            if got is not None:
                g = np.asarray(got, dtype=float)
                if g.shape == p.shape and np.allclose(g, p**tau / np.sum(p**tau)):
                    c.fail("that multiplies log p by τ: divide by τ, so that τ < 1 sharpens")
                elif g.shape == p.shape and not np.isclose(g.sum(), 1.0):
                    c.fail(f"the probabilities sum to {g.sum():.4g}: normalise them")
            return c.report()
    return c.report()


def check_completion_probability(completion_probability) -> bool:
    """``completion_probability(char_probs, stop_prob)``: the chain rule, the product of the
    probabilities of each added character and of ⟨stop⟩ after them."""
    c = Checker("the probability of a completion")
    cases = [([0.5, 0.4], 0.3), ([0.9], 0.8), ([], 0.25), ([0.2, 0.5, 0.5, 0.9], 0.6)]
    for chars, stop in cases:
        got = c.call(completion_probability, list(chars), stop)
        if c.crashed:
            break
        expected = math.prod(chars) * stop
        if c.close_to(f"characters {chars}, stop {stop}", got, expected):
            continue
        if got is not None and chars:
            value = float(np.asarray(got, dtype=float))
            if np.isclose(value, math.prod(chars)):
                c.fail("the word must also END there: multiply by the probability of ⟨stop⟩")
            elif np.isclose(value, sum(chars) + stop) or np.isclose(
                value, (sum(chars) + stop) / (len(chars) + 1)
            ):
                c.fail("probabilities of successive characters multiply (chain rule), not add")
        break
    return c.report()


def check_perplexity(perplexity) -> bool:
    """``perplexity(loss_per_char)`` = e^loss for a loss in nats (natural logarithm)."""
    c = Checker("perplexity from the loss")
    for loss in (0.0, 1.0, 2.1, 3.2958):
        got = c.call(perplexity, loss)
        if c.crashed:
            break
        if c.close_to(f"loss {loss} nats per character", got, math.exp(loss)):
            continue
        if got is not None and np.isclose(float(np.asarray(got, dtype=float)), 2**loss):
            c.fail("the course's loss uses the natural logarithm (nats): use e^loss, not 2^loss")
        break
    return c.report()
