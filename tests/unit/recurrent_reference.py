"""Independent step-by-step LSTM and GRU written from the equations (column vectors, one
sequence, no stacking), and the "frozen-state" loss that makes truncated BPTT checkable by
finite differences. Shared by test_lstm.py and test_gru.py."""

from __future__ import annotations

import numpy as np


def logistic(a):
    return 1.0 / (1.0 + np.exp(-a))


def softmax(o):
    e = np.exp(o - o.max())
    return e / e.sum()


def lstm_sequence(p, x, h0=None, s0=None):
    """One sequence x (T, n): lists of h_t, s_t, gates (o, i, f, s̃) and ŷ_t, t = 1..T."""
    d = p["W"].shape[0]
    h = np.zeros(d) if h0 is None else h0
    s = np.zeros(d) if s0 is None else s0
    out = {"h": [], "s": [], "o": [], "i": [], "f": [], "s_tilde": [], "y": []}
    for x_t in x:
        o = logistic(p["Wo"] @ h + p["Uo"] @ x_t + p["bo"])
        i = logistic(p["Wi"] @ h + p["Ui"] @ x_t + p["bi"])
        f = logistic(p["Wf"] @ h + p["Uf"] @ x_t + p["bf"])
        s_tilde = np.tanh(p["W"] @ h + p["U"] @ x_t + p["b"])
        s = f * s + i * s_tilde
        h = o * np.tanh(s)
        for key, value in zip(
            out, (h, s, o, i, f, s_tilde, softmax(p["V"] @ h + p["c"])), strict=True
        ):
            out[key].append(value)
    return {k: np.array(v) for k, v in out.items()}


def gru_sequence(p, x, s0=None, reset_after=False):
    """One sequence x (T, n): lists of s_t, gates (o, i, s̃) and ŷ_t, t = 1..T."""
    d = p["W"].shape[0]
    s = np.zeros(d) if s0 is None else s0
    out = {"s": [], "o": [], "i": [], "s_tilde": [], "y": []}
    for x_t in x:
        o = logistic(p["Wo"] @ s + p["Uo"] @ x_t + p["bo"])
        i = logistic(p["Wi"] @ s + p["Ui"] @ x_t + p["bi"])
        if reset_after:
            s_tilde = np.tanh(p["U"] @ x_t + p["b"] + o * (p["W"] @ s))
        else:
            s_tilde = np.tanh(p["W"] @ (o * s) + p["U"] @ x_t + p["b"])
        s = (1 - i) * s + i * s_tilde
        for key, value in zip(out, (s, o, i, s_tilde, softmax(p["V"] @ s + p["c"])), strict=True):
            out[key].append(value)
    return {k: np.array(v) for k, v in out.items()}


def frozen_state_loss(model, params, params0, X, y, k, mask=None, many_to_one=False, **options):
    r"""Σ_t w_t ℓ_t / B where ℓ_t runs only steps t−k+1..t with ``params``, starting from the
    state that ``params0`` reaches at step t−k (held constant).

    At params = params0 its gradient is, term by term, ∂ℓ_t/∂θ through the last k steps only:
    exactly truncated BPTT. So finite differences of this function check ``truncate=k``.
    Padded steps count as steps, as they do in the models' lag counting.
    """
    B, T, _ = X.shape
    mask = np.ones((B, T)) if mask is None else mask
    _, cache = model.forward(params0, X, mask=mask, **options)
    weight = np.zeros((B, T))
    if many_to_one:
        last = T - 1 - np.argmax(mask[:, ::-1] > 0, axis=1)
        weight[np.arange(B), last] = 1.0
        y = np.repeat(np.asarray(y)[:, None], T, axis=1)
    else:
        weight = mask
    total = 0.0
    for b in range(B):
        for t in range(T):
            if weight[b, t] == 0:
                continue
            start = max(0, t - k + 1)
            if "h" in cache:  # LSTM: the carried state is the pair (h, s)
                state = (cache["h"][b, start], cache["s"][b, start])
            else:
                state = cache["s"][b, start]
            window = mask[b : b + 1, start : t + 1]
            probs, _ = model.forward(
                params, X[b : b + 1, start : t + 1], s0=state, mask=window, **options
            )
            # the last real step of the window is t itself (weight[b, t] != 0)
            total -= np.log(probs[0, -1, y[b, t]])
    return total / B
