r"""Looking inside the adaptive optimizers: effective learning rates and moving averages.

AdaGrad, RMSProp and Adam (``course_lib.optim``) give every parameter its own step size

.. math:: \eta^{\text{eff}}_t = \frac{\eta}{\sqrt{v_t} + \epsilon}
          \quad (\hat v_t \text{ for Adam}),

while GD, momentum and NAG use the same η for all. :func:`effective_lr` reads it off any
optimizer, :func:`traced_run` records it at every step of a run, and :func:`ema` is the
exponentially weighted average behind RMSProp's v and Adam's m and v, with and without
Adam's bias correction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from . import _validate as check
from . import optim

Params = dict[str, np.ndarray]


def effective_lr(optimizer: optim.Optimizer, params: Mapping[str, np.ndarray]) -> Params:
    r"""Each parameter's step size per unit of gradient, shaped like ``params``.

    :math:`\eta / (\sqrt{v_t} + \epsilon)` for AdaGrad and RMSProp,
    :math:`\eta / (\sqrt{\hat v_t} + \epsilon)` for Adam, with the state the last step left
    (:math:`v_0 = 0` before the first step); η for GD, Momentum and NAG.
    """
    optim.check_optimizer(optimizer)
    return _effective_lr(optimizer, check.params_dict("params", params))


def _effective_lr(optimizer: optim.Optimizer, params: Mapping[str, np.ndarray]) -> Params:
    """:func:`effective_lr` without the argument checks (it runs at every step of a trace)."""
    if not hasattr(optimizer, "effective_lr"):
        return {k: np.full(np.shape(v), float(optimizer.lr)) for k, v in params.items()}
    rates = optimizer.effective_lr()  # no entry for a key before its first step, where v_0 = 0
    before_first_step = optimizer.lr / optimizer.eps
    return {
        k: np.asarray(rates[k], dtype=float)
        if k in rates
        else np.full(np.shape(v), before_first_step)
        for k, v in params.items()
    }


@dataclass
class TracedRun:
    """An :class:`optim.Run` plus ``effective_lrs``: key -> array (k, *param_shape), the
    effective learning rate of each of the k steps taken (the step's own v included)."""

    run: optim.Run
    effective_lrs: Params

    def __getattr__(self, name):  # path, losses, diverged, ... come from the run
        if name == "run":
            raise AttributeError(name)
        return getattr(self.run, name)


def traced_run(
    optimizer: optim.Optimizer,
    grad_fn: Callable[[Params], Mapping[str, np.ndarray]],
    params0: Mapping[str, np.ndarray],
    steps: int,
    *,
    loss_fn: Callable[[Params], float] | None = None,
    max_abs: float = 1e6,
) -> TracedRun:
    """:func:`optim.run` (without schedules), also recording every step's effective
    learning rate, read from the optimizer's state right after the step."""
    params, steps, max_abs = optim.check_run(optimizer, grad_fn, params0, steps, max_abs)
    recorder = optim.Recorder(params, loss_fn, max_abs)
    adaptive = hasattr(optimizer, "effective_lr")
    rates: list[Params] = []
    optimizer.reset()
    with np.errstate(all="ignore"):  # divergence is reported in the run instead
        for _ in range(steps):
            grads = optimizer.step(params, grad_fn)
            if not recorder.record(params, grads, optimizer.lr):
                break
            if adaptive:
                rates.append(_effective_lr(optimizer, params))
    run = recorder.run()
    if adaptive:
        per_step = {k: np.array([r[k] for r in rates]) for k in params}
    else:  # GD, Momentum, NAG: η for every parameter at every step
        per_step = {k: np.multiply.outer(run.lrs, np.ones(np.shape(v))) for k, v in params.items()}
    shaped = {k: per_step[k].reshape(run.steps, *np.shape(v)) for k, v in params.items()}
    return TracedRun(run, shaped)


def ema(values: object, beta: float, bias_correction: bool = False) -> np.ndarray:
    r"""Exponentially weighted moving average of a sequence, as in RMSProp and Adam.

    .. math:: m_0 = 0, \qquad m_t = \beta\, m_{t-1} + (1 - \beta)\, g_t
              = (1 - \beta) \sum_{\tau=1}^{t} \beta^{t-\tau} g_\tau

    With ``bias_correction`` each :math:`m_t` is divided by :math:`1 - \beta^t`, the sum of
    the weights, so that a constant sequence g gives exactly g from the first step on.
    ``values`` has shape (T, ...) (T steps of any shape); the result has the same shape.
    """
    g = check.float_array("values", values)
    if g.ndim == 0 or g.shape[0] == 0:
        raise ValueError(f"values must have shape (T, ...) with T >= 1, got {g.shape}")
    beta = check.in_range("beta", beta, 0.0, 1.0)
    if not isinstance(bias_correction, bool):
        raise TypeError(f"bias_correction must be True or False, got {bias_correction!r}")
    out = np.empty_like(g)
    m = np.zeros_like(g[0])
    for t in range(g.shape[0]):
        m = beta * m + (1.0 - beta) * g[t]
        out[t] = m / (1.0 - beta ** (t + 1)) if bias_correction else m
    return out
