r"""Learning-rate and momentum schedules: how η (and γ) change as training goes on.

A schedule is a pure function of the step or epoch number t = 0, 1, 2, ... It plugs into
any optimizer by setting its ``lr`` (or ``gamma``) attribute before a step, which is what
``optim.run(..., schedules={"lr": f})`` and ``tuning.train_neuron(..., schedules=...)`` do.
Every schedule accepts a single t (returns a float) or an array of t (returns an array of
the same shape), so ``f(np.arange(50))`` gives the whole curve for a plot.

The rule that halves η when the validation loss rises depends on losses, not only on t;
it is the small stateful class :class:`HalveOnPlateau` (and the pure :func:`halve_on_rise`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import _validate as check

Schedule = Callable[[object], object]


def _check_t(t: object) -> np.ndarray:
    """t as a float64 array of finite values >= 0 (the step or epoch number)."""
    arr = check.float_array("t", t)
    if np.any(arr < 0):
        raise ValueError(f"t must be >= 0, got {arr.min():g}")
    return arr


def _float_if_scalar(values: np.ndarray) -> float | np.ndarray:
    return float(values) if values.ndim == 0 else values


def constant(lr0: float) -> Schedule:
    r""":math:`\eta_t = \eta_0` for every t (the baseline the others are compared with)."""
    lr0 = check.positive("lr0", lr0)

    def schedule(t):
        return _float_if_scalar(np.full(np.shape(_check_t(t)), lr0))

    schedule.__qualname__ = f"constant(lr0={lr0:g})"
    return schedule


def step_decay(lr0: float, drop: float = 0.5, every: int = 5) -> Schedule:
    r"""Step decay: multiply η by ``drop`` after every ``every`` epochs.

    .. math:: \eta_t = \eta_0 \cdot \text{drop}^{\lfloor t / \text{every} \rfloor}

    ``step_decay(lr0, 0.5, 5)`` is the notes' "halve the learning rate after every 5 epochs".
    """
    lr0 = check.positive("lr0", lr0)
    drop = check.in_range("drop", drop, 0.0, 1.0, lo_open=True, hi_open=False)
    every = check.integer("every", every, minimum=1)

    def schedule(t):
        return _float_if_scalar(lr0 * drop ** np.floor(_check_t(t) / every))

    schedule.__qualname__ = f"step_decay(lr0={lr0:g}, drop={drop:g}, every={every})"
    return schedule


def exponential_decay(lr0: float, k: float) -> Schedule:
    r"""Exponential decay :math:`\eta_t = \eta_0\, e^{-k t}` (the notes write :math:`\eta_0^{-kt}`,
    a slip: with η₀ < 1 that would *grow*)."""
    lr0 = check.positive("lr0", lr0)
    k = check.in_range("k", k, 0.0, np.inf)

    def schedule(t):
        return _float_if_scalar(lr0 * np.exp(-k * _check_t(t)))

    schedule.__qualname__ = f"exponential_decay(lr0={lr0:g}, k={k:g})"
    return schedule


def inverse_time_decay(lr0: float, k: float) -> Schedule:
    r"""1/t decay :math:`\eta_t = \dfrac{\eta_0}{1 + k t}`."""
    lr0 = check.positive("lr0", lr0)
    k = check.in_range("k", k, 0.0, np.inf)

    def schedule(t):
        return _float_if_scalar(lr0 / (1.0 + k * _check_t(t)))

    schedule.__qualname__ = f"inverse_time_decay(lr0={lr0:g}, k={k:g})"
    return schedule


def momentum_schedule(t: object, mu_max: float) -> float | np.ndarray:
    r"""The momentum schedule of Sutskever, Martens, Dahl & Hinton (2013).

    .. math:: \mu_t = \min\bigl(1 - 2^{-1 - \log_2(\lfloor t/250 \rfloor + 1)},\ \mu_{\max}\bigr)
              = \min\Bigl(1 - \frac{1}{2(\lfloor t/250 \rfloor + 1)},\ \mu_{\max}\Bigr)

    γ starts at 1/2 and rises in blocks of 250 steps (3/4, 5/6, 7/8, ...) until it reaches
    the cap μ_max (the paper tries 0.999, 0.995, 0.99, 0.9, 0.7). The notes write the base
    as α; it is 2. ``t`` is a step number or an array of them.
    """
    mu_max = check.in_range("mu_max", mu_max, 0.0, 1.0)
    block = np.floor(_check_t(t) / 250.0)
    return _float_if_scalar(np.minimum(1.0 - 2.0 ** (-1.0 - np.log2(block + 1.0)), mu_max))


class HalveOnPlateau:
    r"""Halve η after an epoch whose validation loss is higher than the previous epoch's.

    .. math:: \eta \leftarrow \begin{cases} \text{factor}\cdot\eta &
              \text{if } \mathcal{L}_{\text{val}}(\text{epoch } e) >
              \mathcal{L}_{\text{val}}(\text{epoch } e-1) \\ \eta & \text{otherwise} \end{cases}

    Call it once with the validation loss before training (nothing to compare with yet:
    η is returned unchanged), then after every epoch: ``lr = rule(lr, val_loss)``.
    Only a strict rise halves η; an equal or lower loss leaves it alone.
    """

    def __init__(self, factor: float = 0.5):
        self.factor = check.in_range("factor", factor, 0.0, 1.0, lo_open=True)
        self.previous: float | None = None

    def __call__(self, lr: float, val_loss: float) -> float:
        lr = check.positive("lr", lr)
        val_loss = check.real("val_loss", val_loss)
        rose = self.previous is not None and val_loss > self.previous
        self.previous = val_loss
        return lr * self.factor if rose else lr

    def __repr__(self) -> str:
        return f"HalveOnPlateau(factor={self.factor:g})"


def halve_on_rise(lr0: float, val_losses: Sequence[float], factor: float = 0.5) -> np.ndarray:
    """The η in force after each entry of ``val_losses`` under :class:`HalveOnPlateau`.

    ``val_losses`` has shape (E + 1,): the validation loss before training, then after each
    of E epochs. Returns shape (E + 1,): entry e is the η used in epoch e + 1.
    """
    losses = check.float_array("val_losses", val_losses, ndim=1)
    rule = HalveOnPlateau(factor)
    lrs, lr = [], check.positive("lr0", lr0)
    for loss in losses:
        lr = rule(lr, loss)
        lrs.append(lr)
    return np.array(lrs)


#: Display name -> factory taking (lr0, **hyperparameters); explorers offer these.
LR_SCHEDULES: dict[str, Callable[..., Schedule]] = {
    "constant": constant,
    "step decay": step_decay,
    "exponential": exponential_decay,
    "1/t": inverse_time_decay,
}
