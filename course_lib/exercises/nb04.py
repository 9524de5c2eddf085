"""Checks for notebook 04 (learning-rate tuning and schedules)."""

from __future__ import annotations

import math

import numpy as np

from ._feedback import Checker


def _same(got, expected) -> bool:
    try:
        return bool(np.allclose(np.asarray(got, dtype=float), expected, rtol=1e-9, atol=1e-12))
    except (TypeError, ValueError):
        return False


def check_exponential_decay(exponential_decay) -> bool:
    """``exponential_decay(lr0, k, t)`` must return η₀·e^(−kt)."""
    c = Checker("exponential decay")
    for lr0, k, t in [(0.5, 0.1, 10), (2.0, 0.01, 0), (0.1, 1.0, 3), (0.8, 0.05, 40)]:
        got = c.call(exponential_decay, lr0, k, t)
        if c.close_to(f"η at t={t} for η₀={lr0}, k={k}", got, lr0 * math.exp(-k * t), rtol=1e-9):
            continue
        if _same(got, lr0 ** (-k * t)):
            c.fail("that is the notes' slip η₀^(−kt); the schedule is η₀·e^(−kt) (np.exp)")
        elif _same(got, lr0 * math.exp(k * t)):
            c.fail("your η grows with t: the exponent is −k·t")
        elif _same(got, lr0 / (1 + k * t)):
            c.fail("that is 1/t decay, η₀/(1 + kt); exponential decay is η₀·e^(−kt)")
        break
    return c.report()


def check_step_decay(step_decay) -> bool:
    """``step_decay(lr0, drop, every, t)`` must return η₀·drop^⌊t/every⌋."""
    c = Checker("step decay")
    for lr0, drop, every, t in [
        (1.0, 0.5, 5, 0),
        (1.0, 0.5, 5, 4),
        (1.0, 0.5, 5, 5),
        (0.3, 0.1, 3, 7),
    ]:
        got = c.call(step_decay, lr0, drop, every, t)
        expected = lr0 * drop ** (t // every)
        if c.close_to(f"η at epoch t={t} (η₀={lr0}, drop={drop}, every={every})", got, expected):
            continue
        if _same(got, lr0 * drop ** (t / every)):
            c.fail("η must stay constant for `every` epochs and then jump: use t // every")
        elif _same(got, lr0 * drop ** ((t + 1) // every)) or _same(
            got, lr0 * drop ** math.ceil(t / every)
        ):
            c.fail("off by one: the first drop happens at t = every (epochs 0..every−1 use η₀)")
        break
    return c.report()


def _rule(lr0, losses, *, best=False, equal=False):
    lrs, lr, ref = [lr0], lr0, losses[0]
    for loss in losses[1:]:
        if loss > ref or (equal and loss == ref):
            lr /= 2
        ref = min(ref, loss) if best else loss
        lrs.append(lr)
    return lrs


def check_halving(halve_on_rise) -> bool:
    """``halve_on_rise(lr0, val_losses)`` must return the η after each validation loss."""
    c = Checker("halve η when the validation loss rises")
    cases = [
        [1.0, 0.8, 0.9, 0.85, 0.95, 0.7],
        [1.0, 0.5, 0.8, 0.7, 0.7, 0.6],
        [0.3, 0.3, 0.2],
    ]
    for losses in cases:
        got = c.call(halve_on_rise, 1.0, list(losses))
        if c.crashed:
            break
        if not c.returned(got):
            break
        if not c.require(
            np.shape(got) == (len(losses),),
            f"expected one η per validation loss ({len(losses)} values), got shape {np.shape(got)}",
        ):
            break
        if c.close_to(f"η after the losses {losses}", got, _rule(1.0, losses)):
            continue
        falls = [1.0]
        for prev, cur in zip(losses, losses[1:], strict=False):
            falls.append(falls[-1] / 2 if cur < prev else falls[-1])
        if _same(got, falls):
            c.fail("you halved when the loss fell: halve only when it *rises*")
        elif _same(got, _rule(1.0, losses, best=True)):
            c.fail("compare with the previous epoch's loss, not with the best so far")
        elif _same(got, _rule(1.0, losses, equal=True)):
            c.fail("an unchanged loss is not a rise: only a strictly larger loss halves η")
        break
    return c.report()


def check_momentum_schedule(mu) -> bool:
    """``mu(t, mu_max)`` must return min(1 − 2^(−1−log2(⌊t/250⌋+1)), μ_max)."""
    c = Checker("momentum schedule")
    for t, mu_max in [(0, 0.99), (249, 0.99), (250, 0.99), (750, 0.99), (1749, 0.99), (750, 0.7)]:
        got = c.call(mu, t, mu_max)
        n = t // 250 + 1
        if c.close_to(f"μ at t={t} with μ_max={mu_max}", got, min(1 - 1 / (2 * n), mu_max)):
            continue
        if _same(got, 1 - 1 / (2 * n)):
            c.fail("cap it: the schedule is the *minimum* of the formula and μ_max")
        elif _same(got, min(1 - 2.0 ** (-1 - math.log2(t + 1)), mu_max)):
            c.fail("γ rises in blocks of 250 steps: use ⌊t/250⌋ (t // 250), not t")
        elif _same(got, min(1 - math.exp(-1 - math.log2(n)), mu_max)):
            c.fail("the base is 2 (the notes write α): 2 ** (−1 − log2(⌊t/250⌋ + 1))")
        break
    return c.report()


def check_mean_lr(mean_lr) -> bool:
    """``mean_lr(lr_sum, batch_size)`` must return B·η_sum: the mean's gradient is the sum's / B."""
    c = Checker("the notes' η in the mean convention")
    for lr_sum, batch_size in [(1.0, 20), (0.05, 1), (0.003, 128), (0.2, 50)]:
        got = c.call(mean_lr, lr_sum, batch_size)
        what = f"η for the mean with η_sum = {lr_sum}, B = {batch_size}"
        if c.close_to(what, got, lr_sum * batch_size, rtol=1e-9):
            continue
        if _same(got, lr_sum / batch_size):
            c.fail(
                "the other way round: the mean's gradient is B times *smaller* than the sum's, "
                "so η must be B times *larger* for the same step"
            )
        elif _same(got, lr_sum) and batch_size > 1:
            c.fail("the step is η times the gradient, and the mean's gradient is the sum's / B")
        elif _same(got, lr_sum * math.sqrt(batch_size)):
            c.fail(
                "√B is a rule of thumb for noise; the same *steps* need η_mean = B · η_sum "
                "exactly (η · sum / B = η_sum · sum)"
            )
        break
    return c.report()
