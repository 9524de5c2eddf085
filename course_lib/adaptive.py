r"""Looking inside the adaptive optimizers: effective learning rates and moving averages.

AdaGrad, RMSProp and Adam (``course_lib.optim``) give every parameter its own step size

.. math:: \eta^{\text{eff}}_t = \frac{\eta}{\sqrt{v_t} + \epsilon}
          \quad (\hat v_t \text{ for Adam}),

while GD, momentum and NAG use the same η for all. :func:`effective_lr` reads it off any
optimizer, :func:`traced_run` records it at every step of a run, and :func:`ema` is the
exponentially weighted average behind RMSProp's v and Adam's m and v, with and without
Adam's bias correction.

Where per-parameter rates fail (notebook 05, section 6): :func:`rotated_bowl` is an
ill-conditioned bowl whose axes are turned away from the coordinate axes, and
:func:`approach_u_turns` counts the zigzags of a run on it; :func:`reddi_gradient` and
:func:`projected_online_run` are the convex problem on which Adam converges to the wrong
point (Reddi, Kale & Kumar, 2018), and AMSGrad (``optim.Adam(amsgrad=True)``) does not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from . import _validate as check
from . import measures, optim, surfaces

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
              = (1 - \beta) \sum_{j=1}^{t} \beta^{t-j} g_j

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


def rotated_bowl(curvatures: tuple[float, float] = (1.0, 100.0), angle: float = 0.0):
    r"""The bowl :math:`\mathcal{L}(p) = \tfrac12 p^\top H p` with curvatures
    :math:`\lambda_1 \le \lambda_2` along axes turned by ``angle`` degrees, p = (w, b):

    .. math:: H = \lambda_1 d_1 d_1^\top + \lambda_2 d_2 d_2^\top, \qquad
              d_1 = (\cos\theta, \sin\theta), \quad d_2 = (-\sin\theta, \cos\theta).

    ``angle=0`` is ``surfaces.quadratic_bowl(λ₁, λ₂)``: the steep axis is b. The minimum is
    the origin; ``extras`` holds ``"normal"`` (d₂, the steep direction, across the valley),
    ``"along"`` (d₁) and ``H``. Loss and gradient broadcast, so w and b may be arrays of
    several start points run at once.
    """
    lam1, lam2 = (check.positive(f"curvatures[{i}]", c) for i, c in enumerate(curvatures))
    if lam1 > lam2:
        raise ValueError(f"curvatures must be (small, large), got ({lam1:g}, {lam2:g})")
    theta = np.deg2rad(check.in_range("angle", angle, -90.0, 90.0, hi_open=False))
    d1 = np.array([np.cos(theta), np.sin(theta)])
    d2 = np.array([-np.sin(theta), np.cos(theta)])
    H = lam1 * np.outer(d1, d1) + lam2 * np.outer(d2, d2)

    def loss(w, b):
        w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
        return 0.5 * (H[0, 0] * w * w + 2 * H[0, 1] * w * b + H[1, 1] * b * b)

    def grad(w, b):  # H p
        w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
        return H[0, 0] * w + H[0, 1] * b, H[1, 0] * w + H[1, 1] * b

    return surfaces.Surface(
        name="rotated bowl",
        loss=loss,
        grad=grad,
        window=((-3.0, 3.0), (-3.0, 3.0)),
        start=tuple(2.5 * (np.cos(0.6) * d1 + np.sin(0.6) * d2)),
        minimum=(0.0, 0.0),
        description=f"bowl with curvatures {lam1:g}, {lam2:g}, axes turned by {angle:g}°",
        extras={"normal": d2, "along": d1, "H": H, "half_width": 1.0},
    )


def approach_u_turns(surface, trajectory, frac: float = 1e-3) -> np.ndarray:
    """The zigzag of each run on its way down: u-turns across the valley
    (:func:`course_lib.measures.u_turns` of the coordinate along ``extras["normal"]``)
    before the loss first falls below ``frac`` times its start value.

    ``trajectory`` is ``optim.Run.trajectory`` with ``"w"`` and ``"b"`` of shape (k + 1,)
    or (k + 1, n) for n runs at once; returns shape (n,) (ints). Stopping at the threshold
    keeps the small oscillation of a method that hovers at the minimum out of the count.
    """
    if not isinstance(surface, surfaces.Surface) or "normal" not in surface.extras:
        raise TypeError(f"surface must be a Surface with a valley axis (extras['normal']), "
                        f"got {surface!r:.60}")  # fmt: skip
    normal = surface.extras["normal"]
    W = np.asarray(trajectory["w"], dtype=np.float64)
    B = np.asarray(trajectory["b"], dtype=np.float64)
    W, B = W.reshape(len(W), -1), B.reshape(len(B), -1)
    frac = check.in_range("frac", frac, 0.0, 1.0, lo_open=True)
    losses = surface.loss(W, B)
    counts = []
    for j in range(W.shape[1]):
        below = np.flatnonzero(losses[:, j] < frac * losses[0, j])
        end = below[0] if below.size else len(W) - 1
        path = np.column_stack([W[: end + 1, j], B[: end + 1, j]])
        counts.append(measures.u_turns(measures.across(path, normal, surface.minimum)))
    return np.array(counts, dtype=int)


def reddi_gradient(t: int, C: float = 3.0) -> float:
    r"""The gradient at step t (1, 2, ...) of Reddi, Kale & Kumar's (2018) online problem on
    x ∈ [−1, 1]: :math:`f_t(x) = Cx` when t mod 3 = 1, else :math:`-x` (C > 2).

    Over each period of three steps the loss is :math:`(C - 2)x`, so the best point is
    x = −1; the one large gradient C is outvoted by two small ones of −1.
    """
    t = check.integer("t", t, minimum=1)
    C = check.positive("C", C)
    return C if t % 3 == 1 else -1.0


def projected_online_run(
    optimizer: optim.Optimizer,
    gradient_at: Callable[[int], object],
    x0: object,
    steps: int,
    *,
    bounds: tuple[float, float] = (-1.0, 1.0),
    lr_decay: bool = True,
) -> np.ndarray:
    r"""Online optimization of one parameter x on an interval, as in Reddi et al. (2018).

    At t = 1, ..., ``steps``: the gradient is ``gradient_at(t)`` (it depends on t, not on
    x: the losses are linear), η is :math:`\eta_t = \eta/\sqrt t` (``lr_decay``), the
    optimizer's update is applied and x is put back into ``bounds`` (the projection).
    ``x0`` may be an array of starts, run at once. Returns the path, shape
    (steps + 1, *x0.shape). The optimizer is reset first and keeps its η.
    """
    optim.check_optimizer(optimizer)
    if not callable(gradient_at):
        raise TypeError(f"gradient_at must be a function of t, got {type(gradient_at).__name__}")
    if isinstance(x0, list | tuple):
        raise TypeError("x0 must be a number or a NumPy array of starts, got a list")
    lr_decay = check.flag("lr_decay", lr_decay)
    lo, hi = (check.real(f"bounds[{i}]", v) for i, v in enumerate(bounds))
    x = check.float_array("x0", x0).copy()
    if lo >= hi or np.any(x < lo) or np.any(x > hi):
        raise ValueError(f"x0 must lie in bounds ({lo:g}, {hi:g}), got {x0!r}")
    steps = check.integer("steps", steps, minimum=0)
    lr, params, path = optimizer.lr, {"x": x}, [x.copy()]
    optimizer.reset()
    try:
        for t in range(1, steps + 1):
            optimizer.lr = lr / np.sqrt(t) if lr_decay else lr
            g = np.broadcast_to(np.asarray(gradient_at(t), dtype=np.float64), x.shape)
            optimizer.apply_gradient(params, {"x": g})
            np.clip(params["x"], lo, hi, out=params["x"])
            path.append(params["x"].copy())
    finally:
        optimizer.lr = lr
    return np.array(path)
