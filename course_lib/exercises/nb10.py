"""Checks for notebook 10 (the capstone: character-level autocompletion)."""

from __future__ import annotations

import math

import numpy as np

from ._feedback import Checker, same

_DISTS = [
    np.array([0.5, 0.3, 0.15, 0.05]),
    np.array([0.1, 0.2, 0.3, 0.4]),
    np.array([0.97, 0.01, 0.01, 0.01]),
]


def check_temperature(with_temperature) -> bool:
    r"""``with_temperature(p, tau)`` must return softmax(log p / τ) = p^(1/τ) / Σ p^(1/τ)."""
    with Checker("sampling with a temperature") as c:
        for p in _DISTS:
            for tau in (0.5, 1.0, 2.0):
                got = c.call(with_temperature, p, tau)
                expected = p ** (1 / tau) / np.sum(p ** (1 / tau))
                c.close(f"p = {p}, τ = {tau}", got, expected, slips={
                    "that multiplies log p by τ: divide by τ, so that τ < 1 sharpens":
                        p**tau / np.sum(p**tau),
                    "the probabilities do not sum to 1: normalise them":
                        lambda got: not np.isclose(np.sum(got), 1.0),
                })  # fmt: skip
    return c.report()


def check_completion_probability(completion_probability) -> bool:
    """``completion_probability(char_probs, stop_prob)``: the chain rule, the product of the
    probabilities of each added character and of ⟨stop⟩ after them."""
    with Checker("the probability of a completion") as c:
        for chars, stop in [
            ([0.5, 0.4], 0.3),
            ([0.9], 0.8),
            ([], 0.25),
            ([0.2, 0.5, 0.5, 0.9], 0.6),
        ]:
            got = c.call(completion_probability, chars, stop)
            c.close(f"characters {chars}, stop {stop}", got, math.prod(chars) * stop, slips={
                "the word must also END there: multiply by the probability of ⟨stop⟩":
                    lambda got: chars and same(got, math.prod(chars)),
                "probabilities of successive characters multiply (chain rule), not add":
                    lambda got: chars and (same(got, sum(chars) + stop)
                                           or same(got, (sum(chars) + stop) / (len(chars) + 1))),
            })  # fmt: skip
    return c.report()


def check_perplexity(perplexity) -> bool:
    """``perplexity(loss_per_char)`` = e^loss for a loss in nats (natural logarithm)."""
    with Checker("perplexity from the loss") as c:
        for loss in (0.0, 1.0, 2.1, 3.2958):
            got = c.call(perplexity, loss)
            c.close(f"loss {loss} nats per character", got, math.exp(loss), slips={
                "the course's loss uses the natural logarithm (nats): use e^loss, not 2^loss":
                    2**loss,
            })  # fmt: skip
    return c.report()


def check_half_remembered(loss) -> bool:
    """The recall loss of a model that is sure of the key's first letter and spreads the
    second evenly over the 8 key letters: (−log 1 − log(1/8)) / 2 = (log 8) / 2 nats."""
    with Checker("the recall loss of a half-remembered key") as c:
        value = c.number(loss, "loss")
        c.close("the recall loss in nats per recall step", value, math.log(8) / 2, rtol=1e-4,
                slips={
            "log 8 is the loss of a model that remembers nothing (or the sum over both "
            "steps): the first letter, given probability 1, costs −log 1 = 0": math.log(8),
            "nats use the natural logarithm, not log base 2": math.log2(8) / 2,
            "the model knows a key letter comes: 8 choices, not all 17 symbols":
                math.log(17) / 2,
            "the loss is −log of the probability of the true letter, not the probability":
                (1 + 1 / 8) / 2,
        })  # fmt: skip
    return c.report()
