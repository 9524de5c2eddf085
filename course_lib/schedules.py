r"""Learning-rate and momentum schedules: how η (and γ) change as training goes on.

A schedule is a pure function of the step or epoch number t = 0, 1, 2, ... It plugs into
any optimizer by setting its ``lr`` (or ``gamma``) attribute before a step, which is what
``optim.run(..., schedules={"lr": f})`` and ``tuning.train_neuron(..., schedules=...)`` do.
Every schedule accepts a single t (returns a float) or an array of t (returns an array of
the same shape), so ``f(np.arange(50))`` gives the whole curve for a plot.

Rules that set η from the validation loss depend on losses, not only on t: they are small
stateful classes called once per epoch, ``lr = rule(lr, val_loss)``. The notes' rule halves
η whenever the validation loss rises (:class:`HalveOnValidationRise`, and the pure
:func:`halve_on_rise`); PyTorch's ``ReduceLROnPlateau`` waits for a plateau instead
(:class:`ReduceLROnPlateau`, written here from its documentation, for comparison).
"""

from __future__ import annotations

import copy
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


def momentum_schedule(t: object, gamma_max: float) -> float | np.ndarray:
    r"""The momentum schedule of Sutskever, Martens, Dahl & Hinton (2013).

    .. math:: \gamma_t = \min\bigl(1 - 2^{-1 - \log_2(\lfloor t/250 \rfloor + 1)},\
              \gamma_{\max}\bigr)
              = \min\Bigl(1 - \frac{1}{2(\lfloor t/250 \rfloor + 1)},\ \gamma_{\max}\Bigr)

    γ starts at 1/2 and rises in blocks of 250 steps (3/4, 5/6, 7/8, ...) until it reaches
    the cap γ_max (the paper tries 0.999, 0.995, 0.99, 0.9, 0.7 and writes μ for γ). The
    notes write the base as α; it is 2. ``t`` is a step number or an array of them.
    """
    gamma_max = check.in_range("gamma_max", gamma_max, 0.0, 1.0)
    block = np.floor(_check_t(t) / 250.0)
    return _float_if_scalar(np.minimum(1.0 - 2.0 ** (-1.0 - np.log2(block + 1.0)), gamma_max))


class ValidationRule:
    """A rule that sets η after every epoch from the validation loss: ``lr = rule(lr, val_loss)``.

    Call it once with the validation loss before training, then after every epoch; the η
    it returns is the one for the next epoch. :meth:`reset` forgets the losses seen, so
    that one rule object can start a new training run (``tuning.train_neuron`` works on a
    reset copy and leaves the caller's rule as it was).
    """

    def reset(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def __call__(self, lr: float, val_loss: float) -> float:  # pragma: no cover
        raise NotImplementedError


class HalveOnValidationRise(ValidationRule):
    r"""The notes' rule: halve η after an epoch whose validation loss is higher than the
    previous epoch's.

    .. math:: \eta \leftarrow \begin{cases} \text{factor}\cdot\eta &
              \text{if } \mathcal{L}_{\text{val}}(\text{epoch } e) >
              \mathcal{L}_{\text{val}}(\text{epoch } e-1) \\ \eta & \text{otherwise} \end{cases}

    The first call (the loss before training) has nothing to compare with: η is returned
    unchanged. Only a strict rise halves η; an equal or lower loss leaves it alone. Unlike
    PyTorch's :class:`ReduceLROnPlateau` it compares with the *previous* epoch, not the best
    so far, and acts at the first rise (no patience, no threshold, no cooldown).
    """

    def __init__(self, factor: float = 0.5):
        self.factor = check.in_range("factor", factor, 0.0, 1.0, lo_open=True)
        self.reset()

    def reset(self) -> None:
        self.previous: float | None = None

    def __call__(self, lr: float, val_loss: float) -> float:
        lr = check.positive("lr", lr)
        val_loss = check.real("val_loss", val_loss)
        rose = self.previous is not None and val_loss > self.previous
        self.previous = val_loss
        return lr * self.factor if rose else lr

    def __repr__(self) -> str:
        return f"HalveOnValidationRise(factor={self.factor:g})"


class ReduceLROnPlateau(ValidationRule):
    r"""PyTorch's ``torch.optim.lr_scheduler.ReduceLROnPlateau``, for comparison with the
    notes' rule (written from PyTorch's documentation; no torch needed).

    It keeps the best loss so far and counts the epochs that do not improve on it by more
    than ``threshold``; after more than ``patience`` of them in a row it multiplies η by
    ``factor`` (never below ``min_lr``), then ignores ``cooldown`` epochs. Per call, with
    ``mode="min"``:

    .. math:: 	ext{better} = egin{cases} L < L_{	ext{best}}\,(1 - 	ext{threshold}) &
                ext{rel} \ L < L_{	ext{best}} - 	ext{threshold} & 	ext{abs}\end{cases}
              \qquad (L_{	ext{best}} = +\infty 	ext{ at first})

    better: :math:`L_{	ext{best}} \leftarrow L`, bad = 0; else bad += 1. In cooldown: the
    counter falls by 1 and bad = 0. If bad > patience: :math:`\eta \leftarrow
    \max(	ext{factor}\cdot\eta, 	ext{min\_lr})` (unless that changes η by at most
    ``eps``), cooldown starts, bad = 0. ``mode="max"`` watches a quantity that should rise.
    The defaults are PyTorch's.
    """

    def __init__(
        self,
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
        mode: str = "min",
    ):
        self.factor = check.in_range("factor", factor, 0.0, 1.0, lo_open=True)
        self.patience = check.integer("patience", patience, minimum=0)
        self.threshold = check.in_range("threshold", threshold, 0.0, np.inf)
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.threshold_mode, self.mode = threshold_mode, mode
        self.cooldown = check.integer("cooldown", cooldown, minimum=0)
        self.min_lr = check.in_range("min_lr", min_lr, 0.0, np.inf)
        self.eps = check.in_range("eps", eps, 0.0, np.inf)
        self.reset()

    def reset(self) -> None:
        self.best = np.inf if self.mode == "min" else -np.inf
        self.bad_epochs = 0
        self.cooldown_left = 0

    def _better(self, loss: float) -> bool:
        sign = 1.0 if self.mode == "min" else -1.0  # "max" is "min" of the negated quantity
        if self.threshold_mode == "rel":
            return sign * loss < sign * self.best * (1.0 - sign * self.threshold)
        return sign * loss < sign * self.best - self.threshold

    def __call__(self, lr: float, val_loss: float) -> float:
        lr = check.positive("lr", lr)
        val_loss = check.real("val_loss", val_loss)
        if self._better(val_loss):
            self.best, self.bad_epochs = val_loss, 0
        else:
            self.bad_epochs += 1
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            self.bad_epochs = 0  # epochs in cooldown do not count
        if self.bad_epochs > self.patience:
            reduced = max(lr * self.factor, self.min_lr)
            lr = reduced if lr - reduced > self.eps else lr
            self.cooldown_left, self.bad_epochs = self.cooldown, 0
        return lr

    def __repr__(self) -> str:
        return (
            f"ReduceLROnPlateau(factor={self.factor:g}, patience={self.patience}, "
            f"threshold={self.threshold:g}, threshold_mode={self.threshold_mode!r}, "
            f"cooldown={self.cooldown}, min_lr={self.min_lr:g}, mode={self.mode!r})"
        )


def lrs_under(rule: ValidationRule, lr0: float, val_losses: Sequence[float]) -> np.ndarray:
    """The η in force after each entry of ``val_losses`` under ``rule`` (from a reset).

    ``val_losses`` has shape (E + 1,): the validation loss before training, then after each
    of E epochs. Returns shape (E + 1,): entry e is the η used in epoch e + 1. ``rule`` is
    not changed (a reset copy is used).
    """
    if not isinstance(rule, ValidationRule):
        raise TypeError(f"rule must be a schedules.ValidationRule, got {rule!r}")
    losses = check.float_array("val_losses", val_losses, ndim=1)
    rule = copy.deepcopy(rule)
    rule.reset()
    lrs, lr = [], check.positive("lr0", lr0)
    for loss in losses:
        lr = rule(lr, loss)
        lrs.append(lr)
    return np.array(lrs)


def halve_on_rise(lr0: float, val_losses: Sequence[float], factor: float = 0.5) -> np.ndarray:
    """The η in force after each entry of ``val_losses`` under :class:`HalveOnValidationRise`
    (shapes as :func:`lrs_under`)."""
    return lrs_under(HalveOnValidationRise(factor), lr0, val_losses)


#: Display name -> factory taking (lr0, **hyperparameters); explorers offer these.
LR_SCHEDULES: dict[str, Callable[..., Schedule]] = {
    "constant": constant,
    "step decay": step_decay,
    "exponential": exponential_decay,
    "1/t": inverse_time_decay,
}
