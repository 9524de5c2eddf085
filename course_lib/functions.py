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

#: The smallest positive normal float64; log(TINY) ≈ −708.4.
TINY = np.finfo(np.float64).tiny


def logistic(z: np.ndarray | float) -> np.ndarray:
    r"""The logistic function :math:`\sigma(z) = 1/(1+e^{-z})`, element-wise, any shape.

    Computed as :math:`\tfrac12(1+\tanh(z/2))`, the same function, so that large ``|z|``
    cannot overflow ``exp``.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def softmax(o: np.ndarray) -> np.ndarray:
    r""":math:`\hat y_k = e^{o_k} / \sum_j e^{o_j}` over the last axis (a new array).

    Subtracting the largest entry first changes nothing mathematically and keeps every
    exponent ≤ 0, so ``exp`` cannot overflow.
    """
    e = o - o.max(axis=-1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=-1, keepdims=True)
    return e


def safe_log(p: np.ndarray | float) -> np.ndarray:
    """``log(max(p, TINY))`` element-wise: finite for probabilities that underflowed to 0."""
    return np.log(np.maximum(p, TINY))
