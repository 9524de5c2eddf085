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


def check_momentum_schedule(gamma_schedule) -> bool:
    """``gamma_schedule(t, gamma_max)`` must return min(1 − 2^(−1−log2(⌊t/250⌋+1)), γ_max)."""
    with Checker("momentum schedule") as c:
        for t, cap in [(0, 0.99), (249, 0.99), (250, 0.99), (750, 0.99), (1749, 0.99),
                       (750, 0.7)]:  # fmt: skip
            got = c.call(gamma_schedule, t, cap)
            n = t // 250 + 1
            c.close(f"γ at t={t} with γ_max={cap}", got, min(1 - 1 / (2 * n), cap), slips={
                "cap it: the schedule is the *minimum* of the formula and γ_max": 1 - 1 / (2 * n),
                "γ rises in blocks of 250 steps: use ⌊t/250⌋ (t // 250), not t":
                    min(1 - 2.0 ** (-1 - math.log2(t + 1)), cap),
                "the base is 2 (the notes write α): 2 ** (−1 − log2(⌊t/250⌋ + 1))":
                    min(1 - math.exp(-1 - math.log2(n)), cap),
            })  # fmt: skip
    return c.report()


def check_gamma_reaches(step) -> bool:
    """The first step t with γ_t ≥ 0.95 under the momentum schedule (γ_max = 0.999)."""
    with Checker("when γ reaches 0.95") as c:
        value = c.number(step)
        # γ_t = 1 − 1/(2(k+1)), k = ⌊t/250⌋: ≥ 0.95 from k = 9 on, i.e. from t = 9 · 250.
        if value != 2250:
            slip = c.slip(value, {
                "that is the last step *below* 0.95; the question asks for the first at or above":
                    2249,
                "γ_t ≥ 0.95 needs k + 1 ≥ 10 with k = ⌊t/250⌋: so k = 9, not 10 (t counts from 0)":
                    2500,
                "that is where γ reaches 0.9 (k = 4)": 1000,
                "k + 1 = 10 blocks: the block number is k = 9, so t = 9 · 250": 2000,
            })  # fmt: skip
            c.fail(slip or f"{value:g} is not it: write γ_t = 1 − 1/(2(⌊t/250⌋ + 1)) and solve "
                   "γ_t ≥ 0.95 for ⌊t/250⌋")  # fmt: skip
    return c.report()


def check_plateau_by_hand(lr) -> bool:
    """η after the losses of exercise 6 under ReduceLROnPlateau(0.5, patience=1, threshold=0.05)."""
    with Checker("PyTorch's plateau rule by hand") as c:
        value = c.number(lr)
        # traced in the notebook's solution: reductions after 0.92 and after 0.93
        if not math.isclose(value, 0.25, rel_tol=1e-9):
            slip = c.slip(value, {
                "that is the notes' rule (halve on every rise); this one compares with the best "
                "so far and waits for more than `patience` epochs without progress": 0.125,
                "progress must beat the best by the threshold: 0.88 is not below 0.95 · 0.90":
                    0.5,
                "η is reduced only when the count *exceeds* patience (two epochs with patience 1)":
                    0.03125,
                "nothing happened? 0.95 and 0.92 are two epochs in a row without a new best": 1.0,
            })  # fmt: skip
            c.fail(slip or f"{value:g} is not it: keep the best loss, count the epochs that do "
                   "not beat 95 % of it, and halve η when the count reaches 2")  # fmt: skip
    return c.report()
