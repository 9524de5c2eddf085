r"""How far back the loss reaches: ‖∂𝓛/∂s_k‖ for every step k, for any recurrent model.

For the RNN the gradient with respect to a state obeys the recursion of notebook 08,

.. math:: \frac{\partial \mathcal L}{\partial s_{k}} = \frac{\partial \ell_k}{\partial s_k}
          + \frac{\partial \mathcal L}{\partial s_{k+1}}\,
            \operatorname{diag}(\sigma'(a_{k+1}))\,W ,

a product of Jacobians that shrinks like (γλ)^(T−k). The LSTM and GRU compute the same
quantity with their own backward pass (``lstm.state_grads``, ``gru.state_grads``); for the
LSTM, s_k is the cell state, whose direct path back one step is the forget gate,
∂s_k/∂s_{k−1} = diag(f_k) + (terms through h_{k−1}).
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from . import models, rnn


def _rnn_state_grads(params, X, targets, many_to_one: bool, activation: str = "tanh"):
    """∂𝓛/∂s_k, k = 0..T, for the RNN on unpadded sequences: (B, T + 1, d)."""
    probs, cache = rnn.forward(params, X, activation=activation)
    s = cache["s"]
    B, T, K = probs.shape
    y = rnn.check_targets(targets, B, T, K, many_to_one)
    d_o = np.zeros_like(probs)
    if many_to_one:
        d_o[:, -1] = probs[:, -1]
        d_o[np.arange(B), -1, y] -= 1.0
    else:
        d_o[...] = probs
        np.put_along_axis(d_o, y[..., None], np.take_along_axis(probs, y[..., None], -1) - 1, -1)
    d_s = d_o @ params["V"] / B
    deriv = 1.0 - s * s if activation == "tanh" else s * (1.0 - s)
    grads = np.zeros_like(s)
    grads[:, T] = d_s[:, T - 1]
    for k in range(T - 1, -1, -1):
        grads[:, k] = (grads[:, k + 1] * deriv[:, k + 1]) @ params["W"]
        if k > 0:
            grads[:, k] += d_s[:, k - 1]
    return grads


def state_gradient_norms(
    model: str | ModuleType, params, X, targets, many_to_one: bool = True, **options
) -> np.ndarray:
    r"""Mean over the batch of ‖∂𝓛/∂s_k‖ for k = 0..T, shape (T + 1,).

    With ``many_to_one`` (the default) 𝓛 is the loss at the last step only, so entry k is
    the notes' ‖∂𝓛_T/∂s_k‖: how much the final answer can still learn from step k.
    ``options`` are the model's (``activation`` for the RNN, ``reset_after`` for the GRU).
    Sequences must be unpadded.
    """
    model = models.get(model)
    if model is rnn:
        grads = _rnn_state_grads(params, X, targets, many_to_one, **options)
    else:
        grads = model.state_grads(params, X, targets, many_to_one=many_to_one, **options)["s"]
    return np.linalg.norm(grads, axis=-1).mean(axis=0)
