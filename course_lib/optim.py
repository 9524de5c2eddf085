r"""The course's optimizers, written as the equations of the notes, and the loop that runs them.

Convention (DESIGN.md): parameters and gradients are ``dict[str, np.ndarray]`` with the
same keys and shapes. An optimizer's step has two halves, as in the notes:

* :meth:`Optimizer.gradient_point` says where the gradient is taken: at :math:`w_t` for
  every method except NAG, which takes it at its look-ahead point;
* :meth:`Optimizer.apply_gradient` applies the update equations to ``params`` in place.

``step(params, grad_fn)`` does both, calling ``grad_fn`` once. ``lr`` (η), ``gamma`` (γ),
``beta``... are plain attributes, so a schedule may change them between steps;
:data:`HYPERPARAMETERS` says which values each may take, for the constructors and the
schedules alike.

:func:`run` takes ``steps`` steps from a start point and records the path (a :class:`Run`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from . import _validate as check

Params = dict[str, np.ndarray]
GradFn = Callable[[Params], Mapping[str, np.ndarray]]


def _fraction(name: str, value: object) -> float:
    """A decay rate or momentum: a real number in [0, 1)."""
    return check.in_range(name, value, 0.0, 1.0)


#: Hyperparameter -> its check (value -> float, or a ValueError/TypeError naming it).
#: The constructors check their arguments here and :class:`Scheduler` every scheduled value,
#: so a schedule can never set a value the constructor would refuse.
HYPERPARAMETERS: dict[str, Callable[[str, object], float]] = {
    "lr": check.positive,
    "gamma": _fraction,
    "beta": _fraction,
    "beta1": _fraction,
    "beta2": _fraction,
    "eps": check.positive,
}


def _hyperparameter(name: str, value: object) -> float:
    return HYPERPARAMETERS[name](name, value)


class Optimizer:
    """Base class: η, the step count t and per-parameter state.

    Subclasses define :meth:`apply_gradient` (and NAG :meth:`gradient_point`).
    """

    def __init__(self, lr: float):
        self.lr = _hyperparameter("lr", lr)
        self.reset()

    def reset(self) -> None:
        """Forget all accumulated state (as if no step had been taken): t = 0."""
        self.t = 0

    def hyperparameters(self) -> list[str]:
        """The attributes a schedule may set: ``["lr"]``, ``["lr", "gamma"]``, ..."""
        return [name for name in HYPERPARAMETERS if name in vars(self)]

    def gradient_point(self, params: Params) -> Params:
        """Where the gradient of step t is taken: :math:`w_t` itself."""
        return params

    def apply_gradient(self, params: Params, grads: Params) -> None:  # pragma: no cover
        """The update equations: change ``params`` in place using ``grads``; t += 1."""
        raise NotImplementedError

    def step(self, params: Params, grad_fn: GradFn) -> Params:
        """One step: ``grads = grad_fn(gradient_point(params))``, then
        ``apply_gradient(params, grads)``. Returns ``grads`` (float64 arrays).

        Keys and shapes of the gradient are checked at the first step after a reset (every
        :func:`run` starts with one); a ``grad_fn`` that is right once stays right.
        """
        grads = grad_fn(self.gradient_point(params))
        if self.t == 0:
            check.same_keys_and_shapes("grad_fn(params)", grads, params)
        grads = {k: np.asarray(g, dtype=np.float64) for k, g in grads.items()}
        self.apply_gradient(params, grads)
        return grads

    def __repr__(self) -> str:
        hyper = ", ".join(f"{name}={getattr(self, name):g}" for name in self.hyperparameters())
        return f"{type(self).__name__}({hyper})"


class GD(Optimizer):
    r"""Vanilla gradient descent.

    .. math:: w_{t+1} = w_t - \eta\, \nabla w_t

    Args:
        lr: η > 0.
    """

    def apply_gradient(self, params: Params, grads: Params) -> None:
        for k in params:
            params[k] -= self.lr * grads[k]
        self.t += 1


class Momentum(Optimizer):
    r"""Momentum-based gradient descent (the notes' form).

    .. math:: \text{update}_0 = 0

              \text{update}_t = \gamma\,\text{update}_{t-1} + \eta\, \nabla w_t

              w_{t+1} = w_t - \text{update}_t

    Args:
        lr: η > 0.
        gamma: γ in [0, 1), the weight of the previous update (γ = 0 is gradient descent).

    The state ``update`` maps each key to :math:`\text{update}_t` after the last step.
    """

    def __init__(self, lr: float, gamma: float = 0.9):
        self.gamma = _hyperparameter("gamma", gamma)
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.update: Params = {}

    def _velocity(self, k: str, like: np.ndarray) -> np.ndarray:
        r""":math:`\text{update}_{t-1}` of parameter ``k`` (:math:`\text{update}_0 = 0`)."""
        return self.update[k] if k in self.update else np.zeros_like(like)

    def apply_gradient(self, params: Params, grads: Params) -> None:
        for k in params:
            self.update[k] = self.gamma * self._velocity(k, params[k]) + self.lr * grads[k]
            params[k] -= self.update[k]
        self.t += 1


class NAG(Momentum):
    r"""Nesterov accelerated gradient: look before you leap.

    Momentum's update, with the gradient taken at the look-ahead point:

    .. math:: w_{\text{look-ahead}} = w_t - \gamma\,\text{update}_{t-1}

              \text{update}_t = \gamma\,\text{update}_{t-1}
              + \eta\, \nabla w_{\text{look-ahead}}

              w_{t+1} = w_t - \text{update}_t

    Args:
        lr: η > 0.
        gamma: γ in [0, 1).

    ``step`` calls ``grad_fn`` at the look-ahead point, never at :math:`w_t`;
    ``apply_gradient`` is :class:`Momentum`'s.
    """

    def gradient_point(self, params: Params) -> Params:
        r"""The look-ahead point :math:`w_t - \gamma\,\text{update}_{t-1}`."""
        return {k: params[k] - self.gamma * self._velocity(k, params[k]) for k in params}


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan & Singer, 2011): decay η by the history of squared gradients.

    .. math:: v_0 = 0, \qquad v_t = v_{t-1} + (\nabla w_t)^2

              w_{t+1} = w_t - \frac{\eta}{\sqrt{v_t} + \epsilon}\, \nabla w_t

    Args:
        lr: η > 0.
        eps: ε > 0, added outside the square root.
    """

    def __init__(self, lr: float, eps: float = 1e-8):
        self.eps = _hyperparameter("eps", eps)
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.v: Params = {}

    def effective_lr(self) -> Params:
        r"""Per-parameter step size :math:`\eta / (\sqrt{v_t} + \epsilon)` after the last step."""
        return {k: self.lr / (np.sqrt(v) + self.eps) for k, v in self.v.items()}

    def apply_gradient(self, params: Params, grads: Params) -> None:
        for k in params:
            v = self.v[k] if k in self.v else np.zeros_like(params[k])  # v_0 = 0
            self.v[k] = v + grads[k] ** 2
            params[k] -= self.lr / (np.sqrt(self.v[k]) + self.eps) * grads[k]
        self.t += 1


class RMSProp(AdaGrad):
    r"""RMSProp (Tieleman & Hinton, 2012): an exponentially decaying average instead of a sum.

    .. math:: v_0 = 0, \qquad v_t = \beta v_{t-1} + (1-\beta)(\nabla w_t)^2

              w_{t+1} = w_t - \frac{\eta}{\sqrt{v_t} + \epsilon}\, \nabla w_t

    Args:
        lr: η > 0.
        beta: β in [0, 1), the decay of the average.
        eps: ε > 0, added outside the square root.
    """

    def __init__(self, lr: float, beta: float = 0.9, eps: float = 1e-8):
        self.beta = _hyperparameter("beta", beta)
        super().__init__(lr, eps)

    def apply_gradient(self, params: Params, grads: Params) -> None:
        for k in params:
            v = self.v[k] if k in self.v else np.zeros_like(params[k])  # v_0 = 0
            self.v[k] = self.beta * v + (1 - self.beta) * grads[k] ** 2
            params[k] -= self.lr / (np.sqrt(self.v[k]) + self.eps) * grads[k]
        self.t += 1


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015): momentum on the gradient, RMSProp on its square.

    .. math:: m_0 = v_0 = 0

              m_t = \beta_1 m_{t-1} + (1-\beta_1)\nabla w_t, \qquad
              v_t = \beta_2 v_{t-1} + (1-\beta_2)(\nabla w_t)^2

              \hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t}

              w_{t+1} = w_t - \frac{\eta\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}

    With ``amsgrad=True`` (AMSGrad, Reddi, Kale & Kumar, 2018) the denominator uses the
    running maximum of :math:`v`, so the effective step size never grows (without bias
    correction; with it, only through :math:`1-\beta_2^t`):

    .. math:: v^{\max}_0 = 0, \qquad v^{\max}_t = \max(v^{\max}_{t-1}, v_t), \qquad
              \hat v_t = \frac{v^{\max}_t}{1-\beta_2^t}

    The maximum is taken of the uncorrected :math:`v_t`, then divided by
    :math:`1-\beta_2^t`, as ``torch.optim.Adam(amsgrad=True)`` does (its documented
    algorithm and its code); the paper has no bias correction (``bias_correction=False``).

    Args:
        lr: η > 0.
        beta1, beta2: β₁, β₂ in [0, 1), the decays of the two averages.
        eps: ε > 0, added outside the square root.
        bias_correction: with ``False`` the hats are dropped (m and v used as they are).
        amsgrad: with ``True``, :math:`v^{\max}_t` replaces :math:`v_t` in the step.

    The state ``m``, ``v`` (and ``v_max`` with AMSGrad) maps each key to its value after
    the last step.
    """

    def __init__(
        self,
        lr: float,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        bias_correction: bool = True,
        amsgrad: bool = False,
    ):
        self.beta1 = _hyperparameter("beta1", beta1)
        self.beta2 = _hyperparameter("beta2", beta2)
        self.eps = _hyperparameter("eps", eps)
        for name, flag in (("bias_correction", bias_correction), ("amsgrad", amsgrad)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be True or False, got {flag!r}")
        self.bias_correction, self.amsgrad = bias_correction, amsgrad
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.m: Params = {}
        self.v: Params = {}
        self.v_max: Params = {}

    def _corrected(self) -> tuple[float, float]:
        r""":math:`(1-\beta_1^t, 1-\beta_2^t)`, or (1, 1) without bias correction or at t = 0."""
        if not self.bias_correction or self.t == 0:
            return 1.0, 1.0
        return 1 - self.beta1**self.t, 1 - self.beta2**self.t

    def _second_moment(self) -> Params:
        r"""What the step divides by (before the correction): :math:`v_t`, or
        :math:`v^{\max}_t` with AMSGrad."""
        return self.v_max if self.amsgrad else self.v

    def effective_lr(self) -> Params:
        r"""Per-parameter step size :math:`\eta / (\sqrt{\hat v_t} + \epsilon)`."""
        _, c2 = self._corrected()
        return {k: self.lr / (np.sqrt(v / c2) + self.eps) for k, v in self._second_moment().items()}

    def apply_gradient(self, params: Params, grads: Params) -> None:
        self.t += 1
        c1, c2 = self._corrected()
        for k in params:
            m = self.m[k] if k in self.m else np.zeros_like(params[k])  # m_0 = 0
            v = self.v[k] if k in self.v else np.zeros_like(params[k])  # v_0 = 0
            self.m[k] = self.beta1 * m + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * v + (1 - self.beta2) * grads[k] ** 2
            if self.amsgrad:  # v_max_0 = 0, so the first maximum is v_1
                self.v_max[k] = np.maximum(self.v_max.get(k, 0.0), self.v[k])
            v_step = self._second_moment()[k]
            params[k] -= self.lr * (self.m[k] / c1) / (np.sqrt(v_step / c2) + self.eps)


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
        # a scalar is squared directly: this runs at every step of every run, and np.vdot's
        # call overhead would dominate a two-parameter step (test_bench_foundation)
        # and as v * v: a Python float's ** 2 raises OverflowError where * gives inf
        total += g.item() * g.item() if g.size == 1 else float(np.vdot(g, g))
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


# --- schedules --------------------------------------------------------------------------------


class Scheduler:
    """Sets an optimizer's scheduled hyperparameters: the one place where schedules are
    checked and applied (by :func:`run`, ``batching.minibatch_run``, ``tuning.train_neuron``
    and ``train.train_recurrent``).

    ``schedules`` maps a hyperparameter of ``optimizer`` (``"lr"``, ``"gamma"``, ...) to a
    function of t. ``unit`` says what t counts: ``"step"`` (the schedules are applied by
    :meth:`before_step`, t = 0, 1, ... over the whole run) or ``"epoch"`` (by
    :meth:`start_epoch`). Every value a schedule returns is checked against the range the
    optimizer's constructor accepts (:data:`HYPERPARAMETERS`); a value outside it is a
    ValueError naming the schedule and the step.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedules: Mapping[str, Callable[[int], float]] | None = None,
        unit: str = "step",
    ):
        if unit not in ("step", "epoch"):
            raise ValueError(f"unit must be 'step' or 'epoch', got {unit!r}")
        self.optimizer, self.unit = check_optimizer(optimizer), unit
        self.schedules = self._checked(schedules or {})

    def _checked(self, schedules: object) -> dict:
        if not isinstance(schedules, Mapping):
            raise TypeError(
                f"schedules must be a dict of hyperparameter -> function of t, "
                f"got {type(schedules).__name__}"
            )
        allowed = self.optimizer.hyperparameters()
        for name, schedule in schedules.items():
            if name not in allowed:
                raise ValueError(
                    f"schedules key {name!r} is not an attribute of "
                    f"{type(self.optimizer).__name__} that a schedule may set: "
                    f"choose from {allowed}"
                )
            if not callable(schedule):
                raise TypeError(
                    f"schedules[{name!r}] must be a function of the {self.unit} t "
                    f"(e.g. lambda t: 0.1 / (1 + t)), got {type(schedule).__name__} {schedule!r}"
                )
        return dict(schedules)

    def before_step(self, step: int) -> None:
        """Apply the schedules for ``step`` (0-based) if they count steps."""
        if self.schedules and self.unit == "step":
            self._apply(step)

    def start_epoch(self, epoch: int) -> None:
        """Apply the schedules for ``epoch`` (0-based) if they count epochs."""
        if self.schedules and self.unit == "epoch":
            self._apply(epoch)

    def _apply(self, t: int) -> None:
        for name, schedule in self.schedules.items():
            value = schedule(t)
            try:
                value = _hyperparameter(name, value)
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"schedules[{name!r}] at {self.unit} {t}: {exc}") from None
            setattr(self.optimizer, name, value)


# --- runs -------------------------------------------------------------------------------------


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


def out_of_bounds(params: Mapping[str, np.ndarray], max_abs: float) -> str | None:
    """Why ``params`` cannot be kept (a non-finite entry, or one larger than ``max_abs``
    in absolute value), or None."""
    for k, p in params.items():
        # a scalar parameter (every 2-D surface) needs no NumPy reduction; this runs at
        # every step of every explorer's run (test_bench_momentum_batching)
        biggest = abs(p.item()) if p.size == 1 else float(np.abs(p).max())
        if not math.isfinite(biggest):
            return f"{k} became non-finite"
        if biggest > max_abs:
            return f"|{k}| exceeded {max_abs:g}"
    return None


class Recorder:
    """Builds a :class:`Run` one step at a time, until a step diverges.

    ``record`` keeps the point a step reached, its loss (when ``loss_fn`` is given), the
    gradient's global norm and η; a step that made a value non-finite or larger than
    ``max_abs`` is not kept: the recorder notes where and why, and records nothing more.
    """

    def __init__(
        self,
        params: Mapping[str, np.ndarray],
        loss_fn: Callable[[Params], float] | None = None,
        max_abs: float = 1e6,
    ):
        self.loss_fn, self.max_abs = loss_fn, max_abs
        self.trajectory = {k: [v.copy()] for k, v in params.items()}
        self.losses = None if loss_fn is None else [float(loss_fn(params))]
        self.grad_norms: list[float] = []
        self.lrs: list[float] = []
        self.diverged_at: int | None = None
        self.reason: str | None = None

    @property
    def steps(self) -> int:
        """Steps recorded so far."""
        return len(self.grad_norms)

    def record(self, params: Mapping[str, np.ndarray], grads: Params, lr: float) -> bool:
        """Record the step that led to ``params`` using ``grads`` with η = ``lr``.
        Returns False, and records nothing, if it diverged."""
        norm = global_norm(grads)
        reason = "the gradient became non-finite" if not math.isfinite(norm) else None
        reason = reason or out_of_bounds(params, self.max_abs)
        loss = None
        if reason is None and self.loss_fn is not None:
            loss = float(self.loss_fn(params))
            if not math.isfinite(loss):
                reason = "the loss became non-finite"
        if reason is not None:
            self.diverged_at, self.reason = self.steps + 1, reason
            return False
        for k, v in params.items():
            self.trajectory[k].append(v.copy())
        if self.losses is not None:
            self.losses.append(loss)
        self.grad_norms.append(norm)
        self.lrs.append(float(lr))
        return True

    def run(self) -> Run:
        """The recorded steps as a :class:`Run` of arrays."""
        return Run(
            trajectory={k: np.array(v) for k, v in self.trajectory.items()},
            losses=None if self.losses is None else np.array(self.losses),
            grad_norms=np.array(self.grad_norms),
            lrs=np.array(self.lrs),
            diverged_at=self.diverged_at,
            reason=self.reason,
        )


def check_optimizer(optimizer: object) -> Optimizer:
    """``optimizer`` if it is one of the course's optimizers, else a TypeError naming it."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be a course_lib.optim optimizer, got {type(optimizer).__name__}"
        )
    return optimizer


def start_point(params0: object) -> Params:
    """A float64 copy of ``params0`` (not modified), checked to be a dict of finite arrays."""
    params = {
        k: np.array(v, dtype=np.float64) for k, v in check.params_dict("params0", params0).items()
    }
    for k, v in params.items():
        if not np.all(np.isfinite(v)):
            raise ValueError(f"params0[{k!r}] must be finite, got {v}")
    return params


def check_run(
    optimizer: object, grad_fn: object, params0: object, steps: object, max_abs: object
) -> tuple[Params, int, float]:
    """The arguments of a run from a start point, checked: returns the start point (a
    float64 copy of ``params0``), ``steps`` and ``max_abs``."""
    check_optimizer(optimizer)
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be callable, got {type(grad_fn).__name__}")
    params = start_point(params0)
    steps = check.integer("steps", steps, minimum=0)
    return params, steps, check.positive("max_abs", max_abs)


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

    The run starts by resetting the optimizer (``optimizer.reset()``: no velocity, no
    averages, t = 0), so the same call always gives the same run. Its hyperparameters are
    kept as they are; a schedule leaves them at their last scheduled values.

    ``schedules`` maps an optimizer attribute (``"lr"``, ``"gamma"``, ...) to a function of
    the step number t = 0, 1, ...; it is applied before each step (:class:`Scheduler`).
    A run that produces a non-finite value or a parameter larger than ``max_abs`` stops
    there and says so in ``diverged_at`` and ``reason``; NumPy's overflow warnings are
    silenced because the divergence is reported instead.
    """
    params, steps, max_abs = check_run(optimizer, grad_fn, params0, steps, max_abs)
    scheduler = Scheduler(optimizer, schedules)
    recorder = Recorder(params, loss_fn, max_abs)
    optimizer.reset()
    with np.errstate(all="ignore"):
        for t in range(steps):
            scheduler.before_step(t)
            grads = optimizer.step(params, grad_fn)
            if not recorder.record(params, grads, optimizer.lr):
                break
    return recorder.run()
