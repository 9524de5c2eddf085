r"""The fused path of :func:`batching.minibatch_run` for the sigmoid neuron: the same run, fast.

:func:`batching.minibatch_run` is the readable path: any optimizer object, any gradient
function, a recorder that copies every point. Each update costs about 25 µs of Python
around a few flops, so a stochastic run (B = 1) of two epochs over 1,000 points (2,000
updates) takes 45-65 ms, too slow for an explorer that redraws on every move.

:func:`neuron_minibatch_run` computes the same run for the one model and the three
optimizers notebook 03's explorer shows, with the two parameters held as Python floats
and each batch's gradient written out:

.. math:: z_i = w x_i + b, \qquad f_i = \sigma(z_i) = \tfrac12\bigl(1 + \tanh(z_i/2)\bigr),
          \qquad c_i = (f_i - y_i)\, f_i (1 - f_i)

          \nabla w = \frac1B \sum_{i\in\mathcal{B}} c_i x_i, \qquad
          \nabla b = \frac1B \sum_{i\in\mathcal{B}} c_i

then the update of ``optim.GD``, ``optim.Momentum`` or ``optim.NAG`` (NAG takes the
gradient at :math:`(w, b) - \gamma\,\text{update}_{t-1}`). It draws the same shuffles from
``rng``, stops at the same update with the same reason when a run diverges, and returns
the same :class:`batching.BatchRun` (without losses); ``tests/unit/test_batching_fused.py``
holds it equal to the readable path, and ``make bench`` reports the ratio.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from . import _validate as check
from . import batching, optim

METHODS = ("GD", "Momentum", "NAG")


def _gradient(w: float, b: float, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(∇w, ∇b) of the batch (x, y), the operations of ``batching.mean_gradient`` in its
    order, with NumPy's tanh in both, so the two paths agree to the last bit."""
    if x.size == 1:  # one point: Python floats, a fourteenth of the cost of array calls
        xi, yi = float(x[0]), float(y[0])
        f = 0.5 * (1.0 + float(np.tanh(0.5 * (w * xi + b))))
        c = (f - yi) * f * (1.0 - f)
        return c * xi, c
    f = 0.5 * (1.0 + np.tanh(0.5 * (w * x + b)))
    c = (f - y) * f * (1.0 - f)
    return float(c @ x) / x.size, float(c.sum()) / x.size


def _norm(grad: dict[str, float], order: Mapping) -> float:
    """``optim.global_norm``: the squares summed in the parameters' order."""
    total = 0.0
    for k in order:
        total += grad[k] * grad[k]
    return math.sqrt(total)


def _diverged(norm: float, point: dict[str, float], max_abs: float) -> str | None:
    """Why an update cannot be kept, in ``optim.Recorder.record``'s words, or None."""
    if not math.isfinite(norm):
        return "the gradient became non-finite"
    for name, value in point.items():
        if not math.isfinite(value):
            return f"{name} became non-finite"
        if abs(value) > max_abs:
            return f"|{name}| exceeded {max_abs:g}"
    return None


def neuron_minibatch_run(
    method: str,
    lr: float,
    gamma: float,
    X: object,
    Y: object,
    batch_size: int,
    epochs: int,
    params0: Mapping[str, object],
    *,
    rng: np.random.Generator | int | None = 0,
    max_abs: float = 1e6,
) -> batching.BatchRun:
    r"""``batching.minibatch_run(optim.<method>(lr[, gamma]), X, Y, batch_size, epochs,
    params0, rng=rng, loss=None, max_abs=max_abs)`` for the sigmoid neuron, fused.

    Args:
        method: "GD", "Momentum" or "NAG".
        lr: η > 0. gamma: γ in [0, 1) (unused by "GD").
        X, Y: shape (N,), the points.
        batch_size: B in 1 … N. epochs: passes over the data, >= 0.
        params0: {"w": w, "b": b}, real numbers (not modified).
        rng: a Generator or seed; each epoch visits the points in ``rng.permutation(N)``.
        max_abs: a run whose |w| or |b| exceeds it has diverged.

    Returns a :class:`batching.BatchRun` with ``trajectory`` {"w": (k+1,), "b": (k+1,)},
    ``grad_norms``, ``lrs``, ``batch_sizes`` (k,), ``epoch_ends`` and no ``losses``.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    lr = check.positive("lr", lr)
    gamma = check.in_range("gamma", gamma, 0.0, 1.0)
    params = batching._neuron_params("params0", params0)
    _, X, Y = batching._batch_arguments(params, X, Y)
    n, batch_size = batching._check_batch_size(X.size, batch_size)
    epochs = check.integer("epochs", epochs, minimum=0)
    rng = check.generator("rng", rng)
    max_abs = check.positive("max_abs", max_abs)
    recorder = _FusedRecorder(params, lr)
    point = {k: float(v) for k, v in params.items()}
    update = dict.fromkeys(point, 0.0)
    keep = gamma if method != "GD" else 0.0
    ahead = gamma if method == "NAG" else 0.0
    for _ in range(epochs):
        order = rng.permutation(n)
        xs, ys = X[order], Y[order]
        for start in range(0, n, batch_size):
            x, y = xs[start : start + batch_size], ys[start : start + batch_size]
            gw, gb = _gradient(
                point["w"] - ahead * update["w"], point["b"] - ahead * update["b"], x, y
            )
            grad = {"w": gw, "b": gb}
            for k, g in grad.items():
                update[k] = keep * update[k] + lr * g  # GD: keep = 0, update = η g
                point[k] -= update[k]
            norm = _norm(grad, point)
            reason = _diverged(norm, point, max_abs)
            if reason is not None:
                return recorder.stop(reason)
            recorder.record(point, norm, x.size)
        recorder.epoch_ends.append(len(recorder.batch_sizes))
    return recorder.run()


class _FusedRecorder:
    """The lists a :class:`batching.BatchRun` is made of, filled with floats."""

    def __init__(self, params: Mapping[str, np.ndarray], lr: float):
        self.trajectory = {k: [float(v)] for k, v in params.items()}
        self.lr = lr
        self.grad_norms: list[float] = []
        self.batch_sizes: list[int] = []
        self.epoch_ends: list[int] = []
        self.diverged_at: int | None = None
        self.reason: str | None = None

    def record(self, point: dict[str, float], norm: float, size: int) -> None:
        for k, v in point.items():
            self.trajectory[k].append(v)
        self.grad_norms.append(norm)
        self.batch_sizes.append(size)

    def stop(self, reason: str) -> batching.BatchRun:
        self.diverged_at, self.reason = len(self.batch_sizes) + 1, reason
        return self.run()

    def run(self) -> batching.BatchRun:
        run = optim.Run(
            trajectory={k: np.array(v) for k, v in self.trajectory.items()},
            losses=None,
            grad_norms=np.array(self.grad_norms),
            lrs=np.full(len(self.grad_norms), self.lr),
            diverged_at=self.diverged_at,
            reason=self.reason,
        )
        return batching.BatchRun(run, self.batch_sizes, self.epoch_ends)
