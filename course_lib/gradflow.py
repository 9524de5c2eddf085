r"""How far back the loss reaches: ‖∂𝓛/∂s_k‖ for every step k, for any recurrent model.

For the RNN the gradient with respect to a state obeys the recursion of notebook 08,

.. math:: \frac{\partial \mathcal L}{\partial s_{k}} = \frac{\partial \ell_k}{\partial s_k}
          + \frac{\partial \mathcal L}{\partial s_{k+1}}\,
            \operatorname{diag}(\sigma'(a_{k+1}))\,W ,

a product of Jacobians whose norm is at most (rω)^(T−k) (r bounds σ', ω bounds ‖W‖₂).
Every model computes this quantity with its own backward pass, ``model.state_grads``
(``rnn``, ``lstm``, ``gru`` alike); for the LSTM, s_k is the cell state, whose direct path
back one step is the forget gate, ∂s_k/∂s_{k−1} = diag(f_k) + (terms through h_{k−1}).
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from . import models


def state_gradient_norms(
    model: str | ModuleType, params, X, targets, many_to_one: bool = True, **options
) -> np.ndarray:
    r"""Mean over the batch of ‖∂𝓛/∂s_k‖ for k = 0..T, shape (T + 1,).

    With ``many_to_one`` (the default) 𝓛 is the loss at the last step only, so entry k is
    the notes' ‖∂𝓛_T/∂s_k‖: how much the final answer can still learn from step k.
    ``options`` are the model's (``activation`` for the RNN, ``reset_after`` for the GRU).
    """
    model = models.get(model)
    grads = model.state_grads(params, X, targets, many_to_one=many_to_one, **options)["s"]
    return np.linalg.norm(grads, axis=-1).mean(axis=0)
