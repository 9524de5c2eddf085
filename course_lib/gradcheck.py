r"""Finite-difference gradient checking.

The centred difference

.. math:: \frac{\partial f}{\partial \theta_j} \approx
          \frac{f(\theta + h e_j) - f(\theta - h e_j)}{2h}

has error O(h²), against O(h) for the one-sided difference, so with float64 and
h ≈ 1e-5 an analytic gradient that is right agrees to about 1e-9 in relative error, and
one that is wrong (a missing factor, a transposed matrix) shows up as 1e-2 or worse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from . import _validate as check


def numerical_gradient(
    loss: Callable[[dict], float], params: Mapping[str, np.ndarray], h: float = 1e-5
) -> dict[str, np.ndarray]:
    """Centred finite-difference gradient of ``loss(params)`` for every entry of every key.

    ``params`` is perturbed in place one entry at a time and restored, so ``loss`` may
    close over it; the returned dict has the keys and shapes of ``params``.
    """
    if not callable(loss):
        raise TypeError(f"loss must be a function of params, got {type(loss).__name__}")
    params = check.params_dict("params", params)
    h = check.positive("h", h)
    grads = {}
    for key, value in params.items():
        if value.dtype != np.float64:
            raise TypeError(
                f"params[{key!r}] must be float64 for a gradient check, got {value.dtype}"
            )
        g = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            saved = value[idx]
            try:
                value[idx] = saved + h
                up = float(loss(params))
                value[idx] = saved - h
                down = float(loss(params))
            finally:  # the caller's parameters come back even when loss raises
                value[idx] = saved
            g[idx] = (up - down) / (2 * h)
        grads[key] = g
    return grads


def numerical_jacobian(f: Callable[[np.ndarray], object], x, h: float = 1e-5) -> np.ndarray:
    r"""Centred finite-difference Jacobian of ``f`` at ``x``: entry (i, j) is
    (f(x + h e_j)_i − f(x − h e_j)_i) / 2h. ``x`` float (m,); ``f`` returns an array of p
    numbers (any shape, flattened); result (p, m). ``x`` itself is not changed."""
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__}")
    x = check.float_array("x", x, ndim=1).astype(np.float64)
    h = check.positive("h", h)
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        up = np.ravel(np.asarray(f(x + step), dtype=np.float64))
        down = np.ravel(np.asarray(f(x - step), dtype=np.float64))
        columns.append((up - down) / (2 * h))
    return np.stack(columns, axis=1)


def relative_error(a: object, b: object) -> float:
    r"""``‖a − b‖ / max(‖a‖ + ‖b‖, tiny)``: 0 when equal, 1 when one of them is zero.

    Scale-free, so it means the same for a gradient of size 1e-6 and of size 1e6.
    """
    a = check.float_array("a", a)
    b = check.float_array("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    if denom == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / max(denom, np.finfo(float).tiny))


def check_gradients(
    loss: Callable[[dict], float],
    grads: Mapping[str, np.ndarray],
    params: Mapping[str, np.ndarray],
    h: float = 1e-5,
) -> dict[str, float]:
    """Relative error between analytic ``grads`` and finite differences, per key."""
    if not callable(loss):
        raise TypeError(f"loss must be a function of params, got {type(loss).__name__}")
    check.params_dict("params", params)
    check.params_dict("grads", grads)
    check.same_keys_and_shapes("grads", grads, params)
    numeric = numerical_gradient(loss, params, h)
    return {key: relative_error(grads[key], numeric[key]) for key in params}
