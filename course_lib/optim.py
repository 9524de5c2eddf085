r"""The course's optimizers, written as the equations of the notes.

Convention (DESIGN.md): parameters and gradients are ``dict[str, np.ndarray]`` with the
same keys and shapes; ``step(params, grad_fn)`` updates ``params`` in place, where
``grad_fn(params)`` returns the gradient dict, and returns the gradient it used.
``lr`` (η) and ``gamma`` (γ) are plain attributes so that a schedule may change them
between steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from . import _validate as check

Params = dict[str, np.ndarray]
GradFn = Callable[[Params], Mapping[str, np.ndarray]]


class Optimizer:
    """Base class: holds η and per-parameter state; subclasses define ``step``."""

    def __init__(self, lr: float):
        self.lr = check.positive("lr", lr)
        self.reset()

    def reset(self) -> None:
        """Forget all accumulated state (as if no step had been taken)."""
        self.t = 0

    def step(self, params: Params, grad_fn: GradFn) -> Params:  # pragma: no cover
        raise NotImplementedError

    def gradient(self, grad_fn: GradFn, at: Params, params: Params | None = None) -> Params:
        """``grad_fn(at)`` as float64 arrays, checked against ``params`` on the first step."""
        grads = grad_fn(at)
        if self.t == 0:  # checked once: a grad_fn that is right once stays right
            check.same_keys_and_shapes("grad_fn(params)", grads, at if params is None else params)
        return {k: np.asarray(g, dtype=np.float64) for k, g in grads.items()}

    def __repr__(self) -> str:
        hyper = {k: v for k, v in vars(self).items() if isinstance(v, int | float | bool)}
        return f"{type(self).__name__}({', '.join(f'{k}={v:g}' for k, v in hyper.items())})"


class GD(Optimizer):
    r"""Vanilla gradient descent: :math:`w_{t+1} = w_t - \eta \nabla w_t`."""

    def step(self, params: Params, grad_fn: GradFn) -> Params:
        grads = self.gradient(grad_fn, params)
        for k in params:
            params[k] -= self.lr * grads[k]
        self.t += 1
        return grads


class Momentum(Optimizer):
    r"""Momentum-based gradient descent (the notes' form).

    .. math:: \text{update}_t = \gamma\,\text{update}_{t-1} + \eta \nabla w_t,
              \qquad w_{t+1} = w_t - \text{update}_t, \qquad \text{update}_0 = 0
    """

    def __init__(self, lr: float, gamma: float = 0.9):
        self.gamma = check.in_range("gamma", gamma, 0.0, 1.0)
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.update: Params = {}

    def _velocity(self, k: str, like: np.ndarray) -> np.ndarray:
        v = self.update.get(k)  # not .get(k, zeros_like(...)): that builds zeros every call
        return np.zeros_like(like) if v is None else v

    def step(self, params: Params, grad_fn: GradFn) -> Params:
        grads = self.gradient(grad_fn, params)
        for k in params:
            self.update[k] = self.gamma * self._velocity(k, params[k]) + self.lr * grads[k]
            params[k] -= self.update[k]
        self.t += 1
        return grads


class NAG(Momentum):
    r"""Nesterov accelerated gradient: look before you leap.

    .. math:: w_{\text{look-ahead}} = w_t - \gamma\,\text{update}_{t-1}

              \text{update}_t = \gamma\,\text{update}_{t-1} + \eta \nabla w_{\text{look-ahead}},
              \qquad w_{t+1} = w_t - \text{update}_t

    ``grad_fn`` is called at the look-ahead point, never at ``w_t``.
    """

    def look_ahead(self, params: Params) -> Params:
        """The partially updated point :math:`w_t - \\gamma\\,\\text{update}_{t-1}`."""
        return {k: params[k] - self.gamma * self._velocity(k, params[k]) for k in params}

    def step(self, params: Params, grad_fn: GradFn) -> Params:
        grads = self.gradient(grad_fn, self.look_ahead(params), params)
        for k in params:
            self.update[k] = self.gamma * self._velocity(k, params[k]) + self.lr * grads[k]
            params[k] -= self.update[k]
        self.t += 1
        return grads


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan & Singer, 2011): decay η by the history of squared gradients.

    .. math:: v_t = v_{t-1} + (\nabla w_t)^2, \qquad
              w_{t+1} = w_t - \frac{\eta}{\sqrt{v_t} + \epsilon} \nabla w_t
    """

    def __init__(self, lr: float, eps: float = 1e-8):
        self.eps = check.positive("eps", eps)
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.v: Params = {}

    def effective_lr(self) -> Params:
        r"""Per-parameter step size :math:`\eta / (\sqrt{v_t} + \epsilon)` after the last step."""
        return {k: self.lr / (np.sqrt(v) + self.eps) for k, v in self.v.items()}

    def step(self, params: Params, grad_fn: GradFn) -> Params:
        grads = self.gradient(grad_fn, params)
        for k in params:
            v = self.v[k] if k in self.v else np.zeros_like(params[k])  # v_0 = 0
            self.v[k] = v + grads[k] ** 2
            params[k] -= self.lr / (np.sqrt(self.v[k]) + self.eps) * grads[k]
        self.t += 1
        return grads


class RMSProp(AdaGrad):
    r"""RMSProp (Tieleman & Hinton, 2012): an exponentially decaying average instead of a sum.

    .. math:: v_t = \beta v_{t-1} + (1-\beta)(\nabla w_t)^2, \qquad
              w_{t+1} = w_t - \frac{\eta}{\sqrt{v_t} + \epsilon} \nabla w_t
    """

    def __init__(self, lr: float, beta: float = 0.9, eps: float = 1e-8):
        self.beta = check.in_range("beta", beta, 0.0, 1.0)
        super().__init__(lr, eps)

    def step(self, params: Params, grad_fn: GradFn) -> Params:
        grads = self.gradient(grad_fn, params)
        for k in params:
            v = self.v[k] if k in self.v else np.zeros_like(params[k])  # v_0 = 0
            self.v[k] = self.beta * v + (1 - self.beta) * grads[k] ** 2
            params[k] -= self.lr / (np.sqrt(self.v[k]) + self.eps) * grads[k]
        self.t += 1
        return grads


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015): momentum on the gradient, RMSProp on its square.

    .. math:: m_t = \beta_1 m_{t-1} + (1-\beta_1)\nabla w_t, \qquad
              v_t = \beta_2 v_{t-1} + (1-\beta_2)(\nabla w_t)^2

              \hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t},
              \qquad w_{t+1} = w_t - \frac{\eta\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}

    With ``bias_correction=False`` the hats are dropped (m and v used as they are).
    """

    def __init__(
        self,
        lr: float,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        bias_correction: bool = True,
    ):
        self.beta1 = check.in_range("beta1", beta1, 0.0, 1.0)
        self.beta2 = check.in_range("beta2", beta2, 0.0, 1.0)
        self.eps = check.positive("eps", eps)
        if not isinstance(bias_correction, bool):
            raise TypeError(f"bias_correction must be True or False, got {bias_correction!r}")
        self.bias_correction = bias_correction
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.m: Params = {}
        self.v: Params = {}

    def _corrected(self) -> tuple[float, float]:
        if not self.bias_correction or self.t == 0:
            return 1.0, 1.0
        return 1 - self.beta1**self.t, 1 - self.beta2**self.t

    def effective_lr(self) -> Params:
        r"""Per-parameter step size :math:`\eta / (\sqrt{\hat v_t} + \epsilon)`."""
        _, c2 = self._corrected()
        return {k: self.lr / (np.sqrt(v / c2) + self.eps) for k, v in self.v.items()}

    def step(self, params: Params, grad_fn: GradFn) -> Params:
        grads = self.gradient(grad_fn, params)
        self.t += 1
        c1, c2 = self._corrected()
        for k in params:
            m = self.m[k] if k in self.m else np.zeros_like(params[k])  # m_0 = 0
            v = self.v[k] if k in self.v else np.zeros_like(params[k])  # v_0 = 0
            self.m[k] = self.beta1 * m + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * v + (1 - self.beta2) * grads[k] ** 2
            params[k] -= self.lr * (self.m[k] / c1) / (np.sqrt(self.v[k] / c2) + self.eps)
        return grads


#: Display name -> class, in the order the course introduces them.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "GD": GD,
    "Momentum": Momentum,
    "NAG": NAG,
    "AdaGrad": AdaGrad,
    "RMSProp": RMSProp,
    "Adam": Adam,
}


def global_norm(grads: Mapping[str, np.ndarray]) -> float:
    r""":math:`\sqrt{\sum_k \|g_k\|^2}` over all parameters together."""
    total = 0.0
    for g in grads.values():
        g = np.asarray(g)
        # a scalar is squared directly: np.vdot's overhead would dominate at every step of a run
        total += g.item() ** 2 if g.size == 1 else float(np.vdot(g, g))
    return math.sqrt(total)


def clip_grad_norm(grads: Mapping[str, np.ndarray], max_norm: float) -> Params:
    r"""Rescale all gradients together so that their global norm is at most ``max_norm``.

    .. math:: g \leftarrow g \cdot \min\Bigl(1, \frac{\text{max\_norm}}{\|g\|}\Bigr)

    The direction (over all parameters jointly) is kept; only the length is bounded.
    Returns new arrays; ``grads`` is not modified.
    """
    max_norm = check.positive("max_norm", max_norm)
    norm = global_norm(grads)
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: np.asarray(g, dtype=np.float64) * scale for k, g in grads.items()}


class Run:
    """What :func:`run` returns: the path taken, the losses along it, and how it ended.

    Attributes:
        trajectory: key -> array of shape (k + 1, *param_shape), the initial point first.
        losses: shape (k + 1,), or ``None`` when no ``loss_fn`` was given.
        grad_norms: shape (k,), global norm of the gradient used at each step.
        lrs: shape (k,), the η in force at each step (schedules change it).
        diverged_at: the step (1-based) at which values became non-finite or exceeded
            ``max_abs``, or ``None``; the trajectory stops at the last finite point.
        reason: a sentence saying why the run stopped early, or ``None``.
    """

    def __init__(self, trajectory, losses, grad_norms, lrs, diverged_at, reason):
        self.trajectory = trajectory
        self.losses = losses
        self.grad_norms = grad_norms
        self.lrs = lrs
        self.diverged_at = diverged_at
        self.reason = reason

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def steps(self) -> int:
        """Number of updates actually made."""
        return len(self.grad_norms)

    @property
    def path(self) -> np.ndarray:
        """Shape (k + 1, 2): the (w, b) points, for two-parameter surfaces."""
        return np.column_stack([self.trajectory["w"], self.trajectory["b"]])

    @property
    def final(self) -> Params:
        """The last point as a fresh params dict (0-d arrays stay arrays, not NumPy scalars)."""
        return {k: np.array(v[-1]) for k, v in self.trajectory.items()}

    def __repr__(self) -> str:
        end = f"diverged at step {self.diverged_at}" if self.diverged else "finished"
        return f"Run({self.steps} steps, {end})"


def _problem(params: Params, grad_norm: float, loss: float | None, max_abs: float) -> str | None:
    """Why the run must stop, or None. Scalar checks only: this runs at every step."""
    if not math.isfinite(grad_norm):
        return "the gradient became non-finite"
    for k, p in params.items():
        # a scalar parameter (every 2-D surface) needs no NumPy reductions
        biggest = abs(p.item()) if p.size == 1 else float(np.abs(p).max())
        if not math.isfinite(biggest):
            return f"{k} became non-finite"
        if biggest > max_abs:
            return f"|{k}| exceeded {max_abs:g}"
    if loss is not None and not math.isfinite(loss):
        return "the loss became non-finite"
    return None


def run(
    optimizer: Optimizer,
    grad_fn: GradFn,
    params0: Mapping[str, np.ndarray],
    steps: int,
    *,
    loss_fn: Callable[[Params], float] | None = None,
    schedules: Mapping[str, Callable[[int], float]] | None = None,
    max_abs: float = 1e6,
) -> Run:
    """Take ``steps`` optimizer steps from ``params0`` (not modified) and record the path.

    ``schedules`` maps an optimizer attribute (``"lr"``, ``"gamma"``, ...) to a function of
    the step number t = 0, 1, ...; it is applied before each step. A run that produces a
    non-finite value or a parameter larger than ``max_abs`` stops there and says so in
    ``diverged_at`` and ``reason``; NumPy's overflow warnings are silenced because the
    divergence is reported instead.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be a course_lib.optim optimizer, got {type(optimizer).__name__}"
        )
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be callable, got {type(grad_fn).__name__}")
    params = {
        k: np.array(v, dtype=np.float64) for k, v in check.params_dict("params0", params0).items()
    }
    for k, v in params.items():
        if not np.all(np.isfinite(v)):
            raise ValueError(f"params0[{k!r}] must be finite, got {v}")
    steps = check.integer("steps", steps, minimum=0)
    max_abs = check.positive("max_abs", max_abs)
    schedules = dict(schedules or {})
    for name in schedules:
        if not hasattr(optimizer, name):
            raise ValueError(
                f"schedules key {name!r} is not an attribute of {type(optimizer).__name__}"
            )

    path = {k: [v.copy()] for k, v in params.items()}
    losses = [float(loss_fn(params))] if loss_fn else None
    norms, lrs = [], []
    diverged_at = reason = None
    with np.errstate(all="ignore"):
        for t in range(steps):
            for name, schedule in schedules.items():
                setattr(optimizer, name, float(schedule(t)))
            lrs.append(float(optimizer.lr))
            grads = optimizer.step(params, grad_fn)
            norms.append(global_norm(grads))
            reason = _problem(params, norms[-1], None, max_abs)
            loss = None
            if reason is None and loss_fn is not None:
                loss = float(loss_fn(params))
                if not math.isfinite(loss):
                    reason = "the loss became non-finite"
            if reason is not None:
                diverged_at = t + 1
                norms.pop()  # keep grad_norms and lrs aligned with the finite path
                lrs.pop()
                break
            for k, v in params.items():
                path[k].append(v.copy())
            if losses is not None:
                losses.append(loss)
    return Run(
        trajectory={k: np.array(v) for k, v in path.items()},
        losses=None if losses is None else np.array(losses),
        grad_norms=np.array(norms),
        lrs=np.array(lrs),
        diverged_at=diverged_at,
        reason=reason,
    )
