r"""The recurrent neural network of the notes, with backpropagation through time.

Column-vector maths as in the notes, for one sequence and time steps t = 1, ..., T:

.. math:: a_t = U x_t + W s_{t-1} + b, \qquad s_t = \sigma(a_t), \qquad
          \hat y_t = \operatorname{softmax}(V s_t + c)

with x_t ∈ R^n, s_t ∈ R^d, ŷ_t ∈ R^K, so U is (d, n), W (d, d), b (d,), V (K, d), c (K,),
and σ = tanh (``activation="logistic"`` gives the logistic function, for notebook 08).

The code handles B sequences at once, one per row: ``X`` is (B, T, n) and the states are
(B, T, d), so every product is written transposed (``x @ U.T`` is U x for each row).

Loss (DESIGN.md): the mean over the B sequences of the sum of per-step cross-entropies,

.. math:: \mathcal{L} = \frac{1}{B}\sum_{i=1}^{B}\sum_{t=1}^{T} m_{it}\,
          \bigl(-\log \hat y_{it,\,y_{it}}\bigr),

where the mask m is 1 on real steps and 0 on padding. A padded step contributes nothing:
no loss, and the state passes through it unchanged (s_t = s_{t-1}).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _validate as check
from .functions import logistic, safe_log, softmax

KEYS = ("U", "W", "b", "V", "c")
ACTIVATIONS = ("tanh", "logistic")
#: max σ'(a): the γ of the bound ‖∂s_t/∂s_k‖ ≤ (γλ)^(t−k) in notebook 08.
GAMMA = {"tanh": 1.0, "logistic": 0.25}

Params = dict[str, np.ndarray]


# --- parameters and checks --------------------------------------------------------------------


def init_params(n_in: int, d: int, n_out: int, rng=None, w_scale: float = 1.0, **options) -> Params:
    r"""Random parameters: U ~ N(0, 1/n), V ~ N(0, 1/d), b = c = 0, and W = λ·Q with Q a
    random orthogonal matrix and λ = ``w_scale``, so that ‖W‖₂ = ρ(W) = λ exactly
    (notebook 08 sets λ to put γλ below or above 1).

    Returns ``{"U": (d, n_in), "W": (d, d), "b": (d,), "V": (n_out, d), "c": (n_out,)}``,
    float64. ``rng``: a Generator, an int seed, or None (seed 0).
    """
    if options:
        raise TypeError(f"unknown options for rnn.init_params: {sorted(options)}")
    n_in = check.integer("n_in", n_in, minimum=1)
    d = check.integer("d", d, minimum=1)
    n_out = check.integer("n_out", n_out, minimum=1)
    w_scale = check.real("w_scale", w_scale)
    rng = check.generator("rng", rng)
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    q *= np.sign(np.diag(r))  # makes Q uniformly distributed over orthogonal matrices
    return {
        "U": rng.standard_normal((d, n_in)) / np.sqrt(n_in),
        "W": w_scale * q,
        "b": np.zeros(d),
        "V": rng.standard_normal((n_out, d)) / np.sqrt(d),
        "c": np.zeros(n_out),
    }


def sizes(params: Params) -> tuple[int, int, int]:
    """``(n_in, d, K)`` of valid RNN parameters, or a clear error naming the bad key."""
    params = check.params_dict("params", params)
    missing = [k for k in KEYS if k not in params]
    if missing:
        raise ValueError(f"params is missing keys {missing}; an RNN needs {list(KEYS)}")
    d, n = np.shape(params["U"]) if params["U"].ndim == 2 else (None, None)
    K = params["V"].shape[0] if params["V"].ndim == 2 else None
    expected = {"U": (d, n), "W": (d, d), "b": (d,), "V": (K, d), "c": (K,)}
    for key, shape in expected.items():
        if None in shape or params[key].shape != shape:
            raise ValueError(
                f"params[{key!r}] must have shape {shape} (from U (d, n) and V (K, d)), "
                f"got {params[key].shape}"
            )
    return n, d, K


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    return activation


def _sigma(a: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(a)
    return logistic(a)


def _dsigma(s: np.ndarray, activation: str) -> np.ndarray:
    """σ'(a) written with s = σ(a): 1 − s² for tanh, s(1 − s) for the logistic."""
    return 1.0 - s * s if activation == "tanh" else s * (1.0 - s)


def check_batch(X, n: int, d: int, s0=None, mask=None) -> tuple:
    """Validate a batch for any recurrent model with n inputs and a (B, d) state.

    Returns ``(X float64 (B, T, n), s0 (B, d) (zeros if None), mask (B, T) (ones if None))``;
    raises ValueError/TypeError naming the argument for a wrong shape, an empty batch or
    sequence, or a mask that is not 0/1. Shared by rnn, lstm and gru.
    """
    X = check.float_array("X", X, ndim=3)
    B, T, n_x = X.shape
    if B == 0 or T == 0:
        raise ValueError(f"X must hold at least one sequence of at least one step, got {X.shape}")
    if n_x != n:
        raise ValueError(f"X must have {n} features per step (U is ({d}, {n})), got {n_x}")
    if s0 is None:
        s0 = np.zeros((B, d))
    else:
        s0 = check.float_array("s0", s0)
        if s0.shape == (d,):
            s0 = np.broadcast_to(s0, (B, d))
        if s0.shape != (B, d):
            raise ValueError(f"s0 must have shape ({B}, {d}) or ({d},), got {s0.shape}")
    if mask is None:
        mask = np.ones((B, T))
    else:
        mask = check.float_array("mask", mask, ndim=2)
        if mask.shape != (B, T):
            raise ValueError(
                f"mask must have shape {(B, T)} like X's first two axes, got {mask.shape}"
            )
        if not np.all((mask == 0) | (mask == 1)):
            raise ValueError("mask must hold only 0 (padding) and 1 (real step)")
        empty = np.flatnonzero(mask.sum(axis=1) == 0)
        if empty.size:
            raise ValueError(f"sequence {empty[0]} of the batch is empty (its mask is all 0)")
    return X, s0, mask


def check_targets(targets, B: int, T: int, K: int, many_to_one: bool) -> np.ndarray:
    """Validate class ids: int (B, T), or (B,) when ``many_to_one``, each in [0, K)."""
    arr = np.asarray(targets)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"targets must be integer class ids, got dtype {arr.dtype}")
    shape = (B,) if many_to_one else (B, T)
    if arr.shape != shape:
        hint = " (many_to_one=True: one label per sequence)" if many_to_one else ""
        raise ValueError(f"targets must have shape {shape}{hint}, got {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= K):
        raise ValueError(
            f"targets must be in [0, {K}) (V has {K} rows), got {arr.min()}..{arr.max()}"
        )
    return arr.astype(np.int64)


# --- forward ----------------------------------------------------------------------------------


def forward(
    params: Params, X, s0=None, mask=None, activation: str = "tanh"
) -> tuple[np.ndarray, dict]:
    r"""Run the network over whole sequences.

    .. math:: s_t = m_t\,\sigma(U x_t + W s_{t-1} + b) + (1 - m_t)\, s_{t-1},
              \qquad \hat y_t = \operatorname{softmax}(V s_t + c)

    ``X`` float (B, T, n); ``s0`` (B, d) or (d,) (zeros if None); ``mask`` (B, T) of 0/1.
    Returns ``probs`` (B, T, K) and ``cache`` with ``s`` (B, T + 1, d) (s_0 first), ``X``,
    ``mask`` and ``activation``: everything the backward pass needs.
    """
    activation = _check_activation(activation)
    n, d, _ = sizes(params)
    X, s0, mask = check_batch(X, n, d, s0, mask)
    B, T, _ = X.shape
    U, W, b, V, c = (params[k] for k in KEYS)
    s = np.empty((B, T + 1, W.shape[0]))
    s[:, 0] = s0
    Ux = X @ U.T + b  # all steps at once: one large product instead of T small ones
    for t in range(T):
        h = _sigma(Ux[:, t] + s[:, t] @ W.T, activation)
        m = mask[:, t, None]
        s[:, t + 1] = m * h + (1.0 - m) * s[:, t]
    probs = softmax(s[:, 1:] @ V.T + c)
    return probs, {"s": s, "X": X, "mask": mask, "activation": activation}


def cell_step(
    params: Params, x_t, state=None, activation: str = "tanh"
) -> tuple[np.ndarray, np.ndarray]:
    r"""One time step for B sequences: ``x_t`` (B, n), ``state`` = s_{t−1} (B, d) or None.

    Returns ``(probs_t (B, K), s_t (B, d))`` with s_t = σ(U x_t + W s_{t−1} + b).
    """
    x_t = check.float_array("x_t", x_t, ndim=2)
    probs, cache = forward(params, x_t[:, None, :], s0=state, activation=activation)
    return probs[:, 0], cache["s"][:, 1]


# --- loss and backpropagation through time ----------------------------------------------------


def last_steps(mask: np.ndarray) -> np.ndarray:
    """Index of each sequence's last real step, int (B,), from a (B, T) 0/1 mask."""
    T = mask.shape[1]
    return T - 1 - np.argmax(mask[:, ::-1] > 0, axis=1)


def score_weights(mask: np.ndarray, many_to_one: bool) -> np.ndarray:
    """(B, T) weights of each ℓ_t: the mask, or 1 only at the last real step."""
    if not many_to_one:
        return mask
    w = np.zeros_like(mask)
    w[np.arange(len(mask)), last_steps(mask)] = 1.0
    return w


def loss_and_grads(
    params: Params,
    X,
    targets,
    s0=None,
    truncate: int | None = None,
    mask=None,
    many_to_one: bool = False,
    activation: str = "tanh",
) -> tuple[float, Params]:
    r"""The loss and its gradient by backpropagation through time.

    ``targets`` int (B, T), or (B,) with ``many_to_one`` (only each sequence's last real
    step is scored). The gradient of one loss term is, as in the notes (DESIGN.md form),

    .. math:: \frac{\partial \ell_t}{\partial W} = \frac{\partial \ell_t}{\partial s_t}
              \sum_{k=t-\tau+1}^{t} \frac{\partial s_t}{\partial s_k}
              \frac{\partial^+ s_k}{\partial W},

    with τ = t (all steps back to the first: full BPTT) when ``truncate`` is None, and
    τ = min(t, ``truncate``) otherwise: each ℓ_t back-propagates through at most
    ``truncate`` steps (``truncate=1`` keeps only the explicit part ∂⁺s_t/∂W).
    Same for U and b; V and c are not affected by truncation.

    Returns ``(loss, grads)``, grads with the keys and shapes of ``params``.
    """
    if truncate is not None:
        truncate = check.integer("truncate", truncate, minimum=1)
    probs, cache = forward(params, X, s0, mask, activation)
    loss, d_o = cross_entropy(probs, targets, cache["mask"], many_to_one)
    s = cache["s"]
    grads = {"V": outer_sum(d_o, s[:, 1:]), "c": d_o.sum(axis=(0, 1))}
    d_s = d_o @ params["V"]  # ∂ℓ_t/∂s_t, (B, T, d)
    if truncate is None:
        d_a = _bptt_full(params["W"], s, cache["mask"], d_s, activation)
    else:
        d_a = _bptt_truncated(params["W"], s, cache["mask"], d_s, activation, truncate)
    grads["U"] = outer_sum(d_a, cache["X"])
    grads["W"] = outer_sum(d_a, s[:, :-1])
    grads["b"] = d_a.sum(axis=(0, 1))
    return loss, {k: grads[k] for k in KEYS}


def cross_entropy(
    probs: np.ndarray, targets, mask: np.ndarray, many_to_one: bool = False
) -> tuple[float, np.ndarray]:
    r"""The course's loss for softmax outputs ``probs`` (B, T, K), and its gradient with
    respect to the pre-softmax outputs o_t (B, T, K). Shared by rnn, lstm and gru.

    .. math:: \mathcal L = \frac1B \sum_{i,t} w_{it}\,(-\log \hat y_{it, y_{it}}),
              \qquad \frac{\partial \mathcal L}{\partial o_{it}}
              = \frac{w_{it}}{B}\,(\hat y_{it} - \mathrm{onehot}(y_{it}))

    with w the mask, or 1 only at each sequence's last real step when ``many_to_one``.
    """
    B, T, K = probs.shape
    y = check_targets(targets, B, T, K, many_to_one)
    weight = score_weights(mask, many_to_one)
    if many_to_one:
        y = np.broadcast_to(y[:, None], (B, T))
    p_true = np.take_along_axis(probs, y[..., None], axis=-1)[..., 0]
    loss = float(-(weight * safe_log(p_true)).sum() / B)
    d_o = probs.copy()
    np.put_along_axis(d_o, y[..., None], np.take_along_axis(d_o, y[..., None], -1) - 1.0, -1)
    d_o *= weight[..., None] / B
    return loss, d_o


def outer_sum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    r""":math:`\sum_t \sum_i a_{it} b_{it}^\top` for a (B, T, p), b (B, T, q): shape (p, q).

    Summed step by step: T small products stay single-threaded in BLAS, which on a busy
    machine is much faster than one large product that wakes every BLAS thread.
    """
    out = a[:, 0].T @ b[:, 0]
    for t in range(1, a.shape[1]):
        out += a[:, t].T @ b[:, t]
    return out


def _bptt_full(W, s, mask, d_s, activation) -> np.ndarray:
    r"""∂L/∂a_t for all t by one backward sweep, (B, T, d).

    .. math:: \delta_t = \frac{\partial \mathcal L}{\partial s_t}
              = \frac{\partial \ell_t}{\partial s_t}
              + \delta_{t+1} \frac{\partial s_{t+1}}{\partial s_t}, \qquad
              \frac{\partial s_{t+1}}{\partial s_t} = \operatorname{diag}(\sigma'(a_{t+1}))\,W

    (the identity at a padded step).
    """
    B, T, d = d_s.shape
    gate = _dsigma(s[:, 1:], activation) * mask[..., None]  # σ'(a_t) on real steps, else 0
    d_a = np.empty_like(d_s)
    carry = np.zeros((B, d))
    for t in range(T - 1, -1, -1):
        delta = d_s[:, t] + carry
        d_a[:, t] = delta * gate[:, t]
        carry = d_a[:, t] @ W + (1.0 - mask[:, t, None]) * delta
    return d_a


def _bptt_truncated(W, s, mask, d_s, activation, k) -> np.ndarray:
    r"""∂L/∂a_j when each ℓ_t reaches back only to steps j > t − k, (B, T, d).

    Lag by lag: H_0[j] = ∂ℓ_j/∂s_j and H_{r+1}[j] = H_r[j+1] ∂s_{j+1}/∂s_j holds
    ∂ℓ_{j+r}/∂s_j for every j at once; summing r = 0 .. k−1 keeps exactly the k newest
    terms of each ℓ_t's sum over paths. Costs k sweeps of (B·T, d)×(d, d) products, so
    this exact form costs about k times full BPTT.
    """
    T = d_s.shape[1]
    gate = _dsigma(s[:, 1:], activation) * mask[..., None]
    H = d_s.copy()
    d_a = H * gate
    for _ in range(1, min(k, T)):
        nxt = np.zeros_like(H)
        nxt[:, :-1] = (H[:, 1:] * gate[:, 1:]) @ W + (1.0 - mask[:, 1:, None]) * H[:, 1:]
        H = nxt
        d_a += H * gate
    return d_a


# --- what notebook 08 measures ----------------------------------------------------------------


def state_jacobians(params: Params, x, k: int = 0, s0=None, activation: str = "tanh") -> np.ndarray:
    r"""∂s_t/∂s_k for t = k, ..., T along ONE sequence ``x`` (T, n): shape (T − k + 1, d, d).

    .. math:: \frac{\partial s_t}{\partial s_k} = \prod_{j=k+1}^{t}
              \frac{\partial s_j}{\partial s_{j-1}}
              = \prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(a_j))\, W,

    built by left-multiplying one factor per step (entry 0 is the identity, t = k).
    """
    x = check.float_array("x", x, ndim=2)
    k = check.integer("k", k, minimum=0)
    if k > len(x):
        raise ValueError(f"k must be <= T = {len(x)} (the number of steps of x), got {k}")
    _, cache = forward(params, x[None], s0, activation=activation)
    s = cache["s"][0]
    d = s.shape[1]
    J = np.empty((len(s) - k, d, d))
    J[0] = np.eye(d)
    for r in range(1, len(J)):
        J[r] = (_dsigma(s[k + r], activation)[:, None] * params["W"]) @ J[r - 1]
    return J


# --- generating from a trained model ----------------------------------------------------------


def sample(
    params: Params,
    prefix: Sequence[int],
    length: int,
    rng=None,
    temperature: float = 1.0,
    greedy: bool = False,
    stop: int | None = None,
    activation: str = "tanh",
) -> list[int]:
    r"""Continue the token ids ``prefix`` by up to ``length`` tokens; returns the NEW tokens.

    Each input is the one-hot vector of a token (size n); each next token is drawn from
    softmax((V s_t + c) / temperature) (or its argmax when ``greedy``) and fed back in.
    Stops after emitting ``stop`` if given. Needs K ≤ n (outputs are valid inputs).
    """
    from . import _recurrent  # the shared loop (imported here: _recurrent builds on rnn)

    n, _, K = sizes(params)

    def run_prefix(X):
        probs, cache = forward(params, X, activation=activation)
        return probs[0, -1], cache["s"][:, -1]

    def step(x, state):
        p, state = cell_step(params, x, state, activation)
        return p[0], state

    return _recurrent.sample_loop(
        run_prefix, step, n, K, prefix, length, rng, temperature, greedy, stop
    )
