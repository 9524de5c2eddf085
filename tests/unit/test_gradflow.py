"""‖∂𝓛/∂s_k‖ for every model: the RNN's state gradients against finite differences in the
state, and gradflow using every model's state_grads alike."""

import numpy as np
import pytest

from course_lib import gradcheck, gradflow, gru, lstm, rnn
from course_lib.functions import softmax

B, T, N, D = 3, 6, 4, 5


def problem(model, seed=0):
    rng = np.random.default_rng(seed)
    params = model.init_params(N, D, N, rng=seed)
    X = rng.standard_normal((B, T, N))
    return params, X, rng.integers(N, size=(B, T))


@pytest.mark.parametrize("padded", [False, True])
@pytest.mark.parametrize("many_to_one", [True, False])
@pytest.mark.parametrize("activation", ["tanh", "logistic"])
def test_rnn_state_gradients_match_finite_differences(many_to_one, activation, padded):
    params, X, y = problem(rnn)
    y = y[:, 0] if many_to_one else y
    mask = np.ones((B, T))
    if padded:  # a hole in the middle and a short sequence
        mask[0, 2:4], mask[1, 4:] = 0.0, 0.0
    opts = {"many_to_one": many_to_one, "activation": activation, "mask": mask}
    grads = rnn.state_grads(params, X, y, **opts)["s"]
    assert grads.shape == (B, T + 1, D)
    # Entry k is ∂𝓛/∂s_k: restart the sequence at step k from s_k; the loss of the remaining
    # steps, plus ℓ_k = −log softmax(V s_k + c)[y_k] (unless many-to-one or padded), depends
    # on s_k, the earlier ℓ_t do not.
    _, cache = rnn.forward(params, X, mask=mask, activation=activation)

    def loss_from(s, k):
        tail_y = y if many_to_one else y[:, k:]
        tail = dict(opts, mask=mask[:, k:])
        loss = rnn.loss_and_grads(params, X[:, k:], tail_y, s0=s, **tail)[0]
        if k > 0 and not many_to_one:
            probs = softmax(s @ params["V"].T + params["c"])
            loss -= (mask[:, k - 1] * np.log(probs[np.arange(B), y[:, k - 1]])).sum() / B
        return loss

    if padded and many_to_one:  # sequence 1 is scored at s_4: the later states do not count
        assert np.all(grads[1, 5:] == 0)
    # (restarting at k >= 4 would leave sequence 1 no real step, which many-to-one rejects)
    for k in range(4 if padded and many_to_one else T):
        num = gradcheck.numerical_gradient(
            lambda p, k=k: loss_from(p["s"], k), {"s": cache["s"][:, k].copy()}, h=1e-4
        )["s"]
        # h = 1e-4: the gradients far back are small (1e-4 with the logistic), so rounding
        # in the loss, not the O(h²) truncation, limits the finite difference.
        assert gradcheck.relative_error(grads[:, k], num) < 1e-7, k


def test_norms_for_every_model_come_from_its_state_grads():
    for model, opts in (
        (rnn, {"activation": "logistic"}),
        (lstm, {}),
        (gru, {"reset_after": True}),
    ):
        params, X, y = problem(model, seed=1)
        norms = gradflow.state_gradient_norms(model, params, X, y[:, 0], **opts)
        grads = model.state_grads(params, X, y[:, 0], many_to_one=True, **opts)["s"]
        np.testing.assert_allclose(norms, np.linalg.norm(grads, axis=-1).mean(axis=0))
        assert norms.shape == (T + 1,) and np.all(norms >= 0)
    params, X, y = problem(lstm, seed=2)
    expected = np.linalg.norm(lstm.state_grads(params, X, y[:, 0], many_to_one=True)["s"], axis=-1)
    np.testing.assert_allclose(
        gradflow.state_gradient_norms("lstm", params, X, y[:, 0]), expected.mean(axis=0)
    )
