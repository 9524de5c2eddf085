"""Readable references for the recurrent models' fused kernels, shared by test_rnn.py,
test_lstm.py, test_gru.py and test_model_contract.py.

- :func:`run_steps` and :func:`steps_loss_and_grads` run a model's readable one-step
  functions (``step_forward``, ``step_backward``: one sequence, column vectors) over a
  batch, one sequence and one step at a time, with the output layer written out per step.
  The fused kernels must equal them to round-off. The steps themselves are checked
  independently: :func:`step_backward_error` against finite differences, and each model's
  test file checks ``step_forward`` against hand values and closed forms.
- :func:`frozen_state_loss` makes truncated BPTT checkable by finite differences.

Every model's step has the form ``step_forward(params, x, *state) -> (*new_state, cache)``
and ``step_backward(*d_new_state, cache) -> (dx, *d_state, grads)``: the state is (s,) for
the RNN and GRU, (h, s) for the LSTM, and the output layer reads the first component. For
the LSTM, the second derivative passed back is the part of ∂𝓛/∂s_t through s_{t+1} only.
"""

from __future__ import annotations

import numpy as np

from course_lib import gradcheck


def softmax(o):
    e = np.exp(o - o.max())
    return e / e.sum()


def as_tuple(state):
    return tuple(state) if isinstance(state, tuple | list) else (state,)


def initial_states(model, params, B, s0):
    """Per sequence, the initial state as a tuple of (d,) vectors."""
    d = params["W"].shape[0]
    parts = as_tuple(s0) if s0 is not None else (None,) * (2 if "Wf" in params else 1)
    per_part = [np.zeros((B, d)) if p is None else np.broadcast_to(p, (B, d)) for p in parts]
    return [tuple(p[b] for p in per_part) for b in range(B)]


def run_steps(model, params, X, s0=None, mask=None, **options):
    """The states along every sequence by ``model.step_forward``: a list over the batch of
    arrays (T + 1, parts, d) (the initial state first), and the step caches (None on a
    padded step, where the state passes through unchanged)."""
    B, T, _ = X.shape
    mask = np.ones((B, T)) if mask is None else mask
    states, caches = [], []
    for b, state in enumerate(initial_states(model, params, B, s0)):
        seq, seq_caches = [state], []
        for t in range(T):
            if mask[b, t]:
                *state, cache = model.step_forward(params, X[b, t], *state, **options)
                state = tuple(state)
            else:
                cache = None
            seq.append(state)
            seq_caches.append(cache)
        states.append(np.array(seq))
        caches.append(seq_caches)
    return states, caches


def sequence_by_steps(model, params, x, *state, **options) -> dict[str, np.ndarray]:
    """ONE sequence x (T, n) by ``model.step_forward`` from ``state`` (zeros if not given):
    per step t = 1..T, the new state ("h" and "s" for the LSTM, "s" otherwise), the gates
    the step returns in its cache (o, i, f, s_tilde) and the outputs ŷ_t ("y"), each (T, ·)."""
    d = params["W"].shape[0]
    state = state or tuple(np.zeros(d) for _ in range(2 if "Wf" in params else 1))
    out: dict[str, list] = {}
    for x_t in x:
        *state, cache = model.step_forward(params, x_t, *state, **options)
        found = {"h": state[0]} if len(state) == 2 else {}
        found.update({k: v for k, v in cache.items() if k in ("o", "i", "f", "s_tilde", "s")})
        found["y"] = softmax(params["V"] @ state[0] + params["c"])
        for key, value in found.items():
            out.setdefault(key, []).append(value)
    return {k: np.array(v) for k, v in out.items()}


def steps_loss_and_grads(model, params, X, y, s0=None, mask=None, many_to_one=False, **options):
    """Loss and gradients by the readable steps: forward step by step, softmax output per
    step, then ``model.step_backward`` from the last step to the first, one sequence at a
    time. Returns ``(loss, grads, states)``."""
    B, T, _ = X.shape
    mask = np.ones((B, T)) if mask is None else mask
    weight = mask.copy()
    if many_to_one:
        weight = np.zeros((B, T))
        weight[np.arange(B), T - 1 - np.argmax(mask[:, ::-1] > 0, axis=1)] = 1.0
        y = np.repeat(np.asarray(y)[:, None], T, axis=1)
    states, caches = run_steps(model, params, X, s0, mask, **options)
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    loss = 0.0
    for b in range(B):
        d_state = np.zeros_like(states[b][0])  # (parts, d): ∂𝓛/∂ of the state after step t
        for t in range(T - 1, -1, -1):
            h = states[b][t + 1][0]  # what the output layer reads
            p = softmax(params["V"] @ h + params["c"])
            loss -= weight[b, t] * np.log(p[y[b, t]]) / B
            d_o = (p - np.eye(len(p))[y[b, t]]) * weight[b, t] / B
            grads["V"] += np.outer(d_o, h)
            grads["c"] += d_o
            d_state[0] = d_state[0] + params["V"].T @ d_o
            if caches[b][t] is None:  # padding: the state passed through, so does ∂𝓛
                continue
            _, *d_prev, step_grads = model.step_backward(*d_state, caches[b][t])
            d_state = np.array(d_prev)
            for key, g in step_grads.items():
                grads[key] += g
    return loss, grads, states


def step_backward_error(model, params, x, state, seed=0, **options) -> dict[str, float]:
    """Relative errors of ``model.step_backward`` against centred finite differences of
    L = Σ_k g_k · (new state)_k, random g, with respect to every parameter that the step
    reads, the input and the previous state (float64)."""
    rng = np.random.default_rng(seed)
    names = [f"state{j}" for j in range(len(state))]

    def new_state(v):
        p = {k: v.get(k, params[k]) for k in params}
        *out, cache = model.step_forward(p, v["x"], *[v[name] for name in names], **options)
        return out, cache

    point = {k: v.copy() for k, v in params.items() if k not in ("V", "c")}
    point.update(x=x.copy(), **{name: s.copy() for name, s in zip(names, state, strict=True)})
    out, cache = new_state(point)
    g = [rng.standard_normal(v.shape) for v in out]
    dx, *d_state, grads = model.step_backward(*g, cache)
    analytic = dict(grads, x=dx, **dict(zip(names, d_state, strict=True)))
    assert set(analytic) == set(point)

    def loss(v):
        return sum(float(gk @ ok) for gk, ok in zip(g, new_state(v)[0], strict=True))

    return gradcheck.check_gradients(loss, analytic, point)


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
