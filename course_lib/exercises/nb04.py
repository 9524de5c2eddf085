"""Checks for notebook 04 (learning-rate tuning and schedules)."""

from __future__ import annotations

import math

from ._feedback import Checker, same


def check_exponential_decay(exponential_decay) -> bool:
    """``exponential_decay(lr0, k, t)`` must return η₀·e^(−kt)."""
    with Checker("exponential decay") as c:
        for lr0, k, t in [(0.5, 0.1, 10), (2.0, 0.01, 0), (0.1, 1.0, 3), (0.8, 0.05, 40)]:
            got = c.call(exponential_decay, lr0, k, t)
            what = f"η at t={t} for η₀={lr0}, k={k}"
            c.close(what, got, lr0 * math.exp(-k * t), rtol=1e-9, slips={
                "that is the notes' slip η₀^(−kt); the schedule is η₀·e^(−kt) (np.exp)":
                    lr0 ** (-k * t),
                "your η grows with t: the exponent is −k·t": lr0 * math.exp(k * t),
                "that is 1/t decay, η₀/(1 + kt); exponential decay is η₀·e^(−kt)":
                    lr0 / (1 + k * t),
            })  # fmt: skip
    return c.report()


def check_step_decay(step_decay) -> bool:
    """``step_decay(lr0, drop, every, t)`` must return η₀·drop^⌊t/every⌋."""
    with Checker("step decay") as c:
        for lr0, drop, every, t in [(1.0, 0.5, 5, 0), (1.0, 0.5, 5, 4), (1.0, 0.5, 5, 5),
                                    (0.3, 0.1, 3, 7)]:  # fmt: skip
            got = c.call(step_decay, lr0, drop, every, t)
            what = f"η at epoch t={t} (η₀={lr0}, drop={drop}, every={every})"
            c.close(what, got, lr0 * drop ** (t // every), slips={
                "η must stay constant for `every` epochs and then jump: use t // every":
                    lr0 * drop ** (t / every),
                "off by one: the first drop happens at t = every (epochs 0..every−1 use η₀)":
                    lambda got: same(got, lr0 * drop ** ((t + 1) // every))
                    or same(got, lr0 * drop ** math.ceil(t / every)),
            })  # fmt: skip
    return c.report()


def _rule(lr0, losses, *, best=False, equal=False, falls=False):
    """η after each loss: halved on a rise, or (the slips) on a rise over the best so far,
    on a rise or a tie, on a fall."""
    lrs, lr, ref = [lr0], lr0, losses[0]
    for loss in losses[1:]:
        if (loss < ref) if falls else (loss > ref or (equal and loss == ref)):
            lr /= 2
        ref = min(ref, loss) if best else loss
        lrs.append(lr)
    return lrs


def check_halving(halve_on_rise) -> bool:
    """``halve_on_rise(lr0, val_losses)`` must return the η after each validation loss."""
    with Checker("halve η when the validation loss rises") as c:
        for losses in [[1.0, 0.8, 0.9, 0.85, 0.95, 0.7], [1.0, 0.5, 0.8, 0.7, 0.7, 0.6],
                       [0.3, 0.3, 0.2]]:  # fmt: skip
            got = c.call(halve_on_rise, 1.0, losses)
            what = f"one η per validation loss, after the losses {losses}"
            c.close(what, got, _rule(1.0, losses), slips={
                "you halved when the loss fell: halve only when it *rises*":
                    _rule(1.0, losses, falls=True),
                "compare with the previous epoch's loss, not with the best so far":
                    _rule(1.0, losses, best=True),
                "an unchanged loss is not a rise: only a strictly larger loss halves η":
                    _rule(1.0, losses, equal=True),
            })  # fmt: skip
    return c.report()


def check_momentum_schedule(mu) -> bool:
    """``mu(t, mu_max)`` must return min(1 − 2^(−1−log2(⌊t/250⌋+1)), μ_max)."""
    with Checker("momentum schedule") as c:
        for t, mu_max in [(0, 0.99), (249, 0.99), (250, 0.99), (750, 0.99), (1749, 0.99),
                          (750, 0.7)]:  # fmt: skip
            got = c.call(mu, t, mu_max)
            n = t // 250 + 1
            c.close(f"μ at t={t} with μ_max={mu_max}", got, min(1 - 1 / (2 * n), mu_max), slips={
                "cap it: the schedule is the *minimum* of the formula and μ_max": 1 - 1 / (2 * n),
                "γ rises in blocks of 250 steps: use ⌊t/250⌋ (t // 250), not t":
                    min(1 - 2.0 ** (-1 - math.log2(t + 1)), mu_max),
                "the base is 2 (the notes write α): 2 ** (−1 − log2(⌊t/250⌋ + 1))":
                    min(1 - math.exp(-1 - math.log2(n)), mu_max),
            })  # fmt: skip
    return c.report()


def check_mean_lr(mean_lr) -> bool:
    """``mean_lr(lr_sum, batch_size)`` must return B·η_sum: the mean's gradient is the sum's / B."""
    with Checker("the notes' η in the mean convention") as c:
        for lr_sum, batch_size in [(1.0, 20), (0.05, 1), (0.003, 128), (0.2, 50)]:
            got = c.call(mean_lr, lr_sum, batch_size)
            what = f"η for the mean with η_sum = {lr_sum}, B = {batch_size}"
            c.close(what, got, lr_sum * batch_size, rtol=1e-9, slips={
                "the other way round: the mean's gradient is B times *smaller* than the sum's, "
                "so η must be B times *larger* for the same step": lr_sum / batch_size,
                "the step is η times the gradient, and the mean's gradient is the sum's / B":
                    lr_sum,
                "√B is a rule of thumb for noise; the same *steps* need η_mean = B · η_sum "
                "exactly (η · sum / B = η_sum · sum)": lr_sum * math.sqrt(batch_size),
            })  # fmt: skip
    return c.report()
