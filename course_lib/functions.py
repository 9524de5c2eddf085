r"""The elementary functions every model of the course shares: the logistic function, the
softmax and a logarithm that stays finite at 0.

.. math:: \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad
          \operatorname{softmax}(o)_k = \frac{e^{o_k}}{\sum_j e^{o_j}}, \qquad
          \operatorname{safe\_log}(p) = \log \max(p, p_{\min})

Each is written so that no input overflows: σ as ½(1 + tanh(z/2)), the softmax with the
largest entry subtracted first, and the logarithm with p_min the smallest positive float64,
so a probability that underflowed to 0 gives a large finite loss instead of inf.
"""

from __future__ import annotations

import numpy as np

from . import _validate as check

#: The smallest positive normal float64; log(TINY) ≈ −708.4.
TINY = np.finfo(np.float64).tiny


def _logistic(z: np.ndarray | float) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def logistic(z: object) -> np.ndarray:
    r"""The logistic function :math:`\sigma(z) = 1/(1+e^{-z})`, element-wise, any shape.

    Computed as :math:`\tfrac12(1+\tanh(z/2))`, the same function, so that large ``|z|``
    cannot overflow ``exp``. ``z``: a finite real number or array (a list is converted);
    anything else is an error naming ``z``. ``logistic.unchecked`` skips the check, for
    inner loops whose arrays the course made itself.
    """
    return _logistic(check.float_array("z", z))


def _softmax(o: np.ndarray) -> np.ndarray:
    e = o - o.max(axis=-1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=-1, keepdims=True)
    return e


def softmax(o: object) -> np.ndarray:
    r""":math:`\hat y_k = e^{o_k} / \sum_j e^{o_j}` over the last axis (a new array).

    Subtracting the largest entry first changes nothing mathematically and keeps every
    exponent ≤ 0, so ``exp`` cannot overflow. ``o``: a finite real array of at least one
    dimension (a list is converted); ``softmax.unchecked`` skips the check (float arrays
    only).
    """
    o = check.float_array("o", o)
    if o.ndim == 0 or o.shape[-1] == 0:
        raise ValueError(f"o must have at least one entry along its last axis, got shape {o.shape}")
    return _softmax(o)


def _safe_log(p: np.ndarray | float) -> np.ndarray:
    return np.log(np.maximum(p, TINY))


def safe_log(p: object) -> np.ndarray:
    """``log(max(p, TINY))`` element-wise: finite for probabilities that underflowed to 0.

    ``p``: finite real numbers >= 0 (an array, a list or a number); ``safe_log.unchecked``
    skips the check.
    """
    p = check.float_array("p", p)
    if np.any(p < 0):
        raise ValueError(f"p must hold probabilities >= 0, got a minimum of {p.min()}")
    return _safe_log(p)


# The unchecked forms, for inner loops on arrays the course made itself (the checks cost
# more than the function on the small arrays of a recurrent step).
logistic.unchecked = _logistic
softmax.unchecked = _softmax
safe_log.unchecked = _safe_log
