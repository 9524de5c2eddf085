r"""The single sigmoid neuron of the lecture, its loss and its gradients.

.. math::
    f(x) = \frac{1}{1 + e^{-(w x + b)}}, \qquad
    \mathcal{L}(w, b) = \sum_i \tfrac12 \bigl(f(x_i) - y_i\bigr)^2

    \nabla w = \sum_i (f(x_i) - y_i)\, f(x_i)\,(1 - f(x_i))\, x_i, \qquad
    \nabla b = \sum_i (f(x_i) - y_i)\, f(x_i)\,(1 - f(x_i))

Parameters follow the course convention: ``{"w": array(()), "b": array(())}``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _validate as check
from .functions import logistic

#: The lecture's two training points.
X_TOY = np.array([0.5, 2.5])
Y_TOY = np.array([0.2, 0.9])


#: The logistic function σ(z) = 1/(1 + e^(−z)) (one home: :mod:`course_lib.functions`).
sigmoid = logistic


def check_points(X: object, Y: object) -> tuple[np.ndarray, np.ndarray]:
    """X and Y as 1-D float64 arrays of one length >= 1, or an error naming the one at fault."""
    X = check.float_array("X", X, ndim=1)
    Y = check.float_array("Y", Y, ndim=1)
    if X.shape != Y.shape:
        raise ValueError(f"X and Y must have the same length, got {X.size} and {Y.size}")
    if X.size == 0:
        raise ValueError("X must hold at least one point, got 0")
    return X, Y


def _predict_arguments(x: object, w: object, b: object) -> tuple:
    return check.float_array("x", x), check.real("w", w), check.real("b", b)


@check.checked_by(_predict_arguments)
def predict(x: np.ndarray | float, w: float, b: float) -> np.ndarray:
    """f(x) = sigmoid(w x + b) for scalar w, b and any-shaped x."""
    return sigmoid.unchecked(w * np.asarray(x, dtype=np.float64) + b)


def loss(w: float, b: float, X: object = X_TOY, Y: object = Y_TOY) -> float:
    r"""Squared-error loss :math:`\sum_i \tfrac12 (f(x_i) - y_i)^2` at one (w, b)."""
    X, Y = check_points(X, Y)
    w, b = check.real("w", w), check.real("b", b)
    return float(0.5 * np.sum((predict.unchecked(X, w, b) - Y) ** 2))


def gradient(w: float, b: float, X: object = X_TOY, Y: object = Y_TOY) -> tuple[float, float]:
    r"""(∇w, ∇b) of the loss at one (w, b); see the module docstring for the formula."""
    X, Y = check_points(X, Y)
    w, b = check.real("w", w), check.real("b", b)
    fx = predict.unchecked(X, w, b)
    common = (fx - Y) * fx * (1.0 - fx)  # dL/dz_i, the part shared by both gradients
    return float(np.sum(common * X)), float(np.sum(common))


def loss_fn(X: object = X_TOY, Y: object = Y_TOY) -> Callable[[dict], float]:
    """Return ``loss(params)`` for the course's optimizers (params = {"w", "b"})."""
    X, Y = check_points(X, Y)
    return lambda params: loss(params["w"], params["b"], X, Y)


def grad_fn(X: object = X_TOY, Y: object = Y_TOY) -> Callable[[dict], dict]:
    """Return ``grad(params) -> {"w": ∇w, "b": ∇b}`` for the course's optimizers."""
    X, Y = check_points(X, Y)

    def grad(params: dict) -> dict:
        gw, gb = gradient(params["w"], params["b"], X, Y)
        return {"w": np.array(gw), "b": np.array(gb)}

    return grad


def loss_grid(
    ws: object, bs: object, X: object = X_TOY, Y: object = Y_TOY, chunk: int = 64
) -> np.ndarray:
    """The loss at every (w, b) of a grid, shape (len(bs), len(ws)), row i is b = bs[i].

    Vectorised over the grid; the data are summed ``chunk`` points at a time so that a
    256 x 256 grid over 1,000 points needs 256*256*64 floats of scratch space, not 500 MB.
    """
    ws = check.float_array("ws", ws, ndim=1)
    bs = check.float_array("bs", bs, ndim=1)
    X, Y = check_points(X, Y)
    check.integer("chunk", chunk, minimum=1)
    W, B = np.meshgrid(ws, bs)
    total = np.zeros_like(W)
    for start in range(0, X.size, chunk):
        x, y = X[start : start + chunk], Y[start : start + chunk]
        fx = sigmoid.unchecked(W[..., None] * x + B[..., None])
        total += 0.5 * np.sum((fx - y) ** 2, axis=-1)
    return total


def make_dataset(
    n: int = 1000, w_true: float = 1.5, b_true: float = -1.0, noise: float = 0.05, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A larger data set for the batching and tuning notebooks, generated, not stored.

    x ~ Uniform(-4, 4); y = sigmoid(w_true x + b_true) + N(0, noise²), clipped to [0, 1]
    so that targets stay valid outputs of a sigmoid neuron. Deterministic for a given seed.
    """
    n = check.integer("n", n, minimum=1)
    w_true, b_true = check.real("w_true", w_true), check.real("b_true", b_true)
    noise = check.real("noise", noise)
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = check.generator("seed", seed)
    X = rng.uniform(-4.0, 4.0, size=n)
    Y = np.clip(predict(X, w_true, b_true) + noise * rng.standard_normal(n), 0.0, 1.0)
    return X, Y
