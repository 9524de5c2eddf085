r"""The recurrent neural network of the notes, with backpropagation through time.

Column-vector maths as in the notes, for one sequence and time steps t = 1, ..., T:

.. math:: a_t = U x_t + W s_{t-1} + b, \qquad s_t = \sigma(a_t), \qquad
          \hat y_t = \operatorname{softmax}(V s_t + c)

with x_t ∈ R^n, s_t ∈ R^d, ŷ_t ∈ R^K, so U is (d, n), W (d, d), b (d,), V (K, d), c (K,),
and σ = tanh (``activation="logistic"`` gives the logistic function, for notebook 08).

:func:`step_forward` and :func:`step_backward` are one step of one sequence, written in these
column vectors. :func:`forward` and :func:`loss_and_grads` compute the same equations for B
sequences at once, one per row: ``X`` is (B, T, n) and the states are (B, T + 1, d), so
every product is written transposed (``x @ U.T`` is U x for each row); tests/unit/test_rnn.py
holds them equal to the steps. The layouts of all three models are explained in
``course_lib._recurrent``.

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
from ._recurrent import (
    check_batch,
    check_param_shapes,
    check_truncate,
    cross_entropy,
    initial_state,
    orthogonal,
    sample_loop,
    vector,
)
from .functions import logistic, softmax

KEYS = ("U", "W", "b", "V", "c")
#: Shape pattern of each key (see ``_recurrent.check_param_shapes``).
LAYOUT = {"U": "dn", "W": "dd", "b": "d", "V": "Kd", "c": "K"}
ACTIVATIONS = ("tanh", "logistic")
#: r = max σ'(a), the bound on σ' in ‖∂s_t/∂s_k‖ ≤ (rω)^(t−k) (notebook 08; ω bounds ‖W‖₂).
R = {"tanh": 1.0, "logistic": 0.25}

Params = dict[str, np.ndarray]


# --- parameters and checks --------------------------------------------------------------------


def init_params(n_in: int, d: int, n_out: int, rng=None, w_scale: float = 1.0, **options) -> Params:
    r"""Random parameters: U ~ N(0, 1/n), V ~ N(0, 1/d), b = c = 0, and W = ω·Q with Q a
    random orthogonal matrix and ω = ``w_scale``, so that ‖W‖₂ = ρ(W) = ω exactly
    (notebook 08 sets ω to put rω below or above 1).

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
    W = w_scale * orthogonal(rng, d)
    return {
        "U": rng.standard_normal((d, n_in)) / np.sqrt(n_in),
        "W": W,
        "b": np.zeros(d),
        "V": rng.standard_normal((n_out, d)) / np.sqrt(d),
        "c": np.zeros(n_out),
    }


def check_params(params: Params) -> tuple[int, int, int]:
    """``(n_in, d, K)`` of valid RNN parameters (exactly the keys of :data:`KEYS`, shapes
    U (d, n), W (d, d), b (d,), V (K, d), c (K,)), or a clear error naming the bad key."""
    return check_param_shapes("RNN", params, LAYOUT)


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    return activation


def _sigma(a: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(a)
    return logistic.unchecked(a)


def _dsigma(s: np.ndarray, activation: str) -> np.ndarray:
    """σ'(a) written with s = σ(a): 1 − s² for tanh, s(1 − s) for the logistic."""
    return 1.0 - s * s if activation == "tanh" else s * (1.0 - s)


# --- one step, as in the notes -----------------------------------------------------------------


def step_forward(params: Params, x, s_prev, activation: str = "tanh") -> tuple[np.ndarray, dict]:
    r"""One RNN step for ONE sequence, in the notes' column vectors.

    .. math:: a_t = U x_t + W s_{t-1} + b, \qquad s_t = \sigma(a_t)

    ``x`` = x_t (n,), ``s_prev`` = s_{t−1} (d,); U (d, n), W (d, d), b (d,). Returns
    ``(s, cache)``: s = s_t (d,) and what :func:`step_backward` needs. :func:`forward`
    computes the same equation for B sequences and T steps at once (tests/unit/test_rnn.py
    holds the two equal).
    """
    activation = _check_activation(activation)
    n, d, _ = check_params(params)
    x, s_prev = vector("x", x, n), vector("s_prev", s_prev, d)
    a = params["U"] @ x + params["W"] @ s_prev + params["b"]
    s = _sigma(a, activation)
    cache = {"params": params, "x": x, "s_prev": s_prev, "s": s, "activation": activation}
    return s, cache


def step_backward(ds, cache: dict) -> tuple[np.ndarray, np.ndarray, Params]:
    r"""Back through one step: ``ds`` = ∂𝓛/∂s_t (d,), in total (from ℓ_t and from the steps
    after t), and the ``cache`` of :func:`step_forward`.

    .. math:: \delta a = \delta s \odot \sigma'(a_t), \qquad
              \frac{\partial \mathcal L}{\partial U} = \delta a\, x_t^\top, \quad
              \frac{\partial \mathcal L}{\partial W} = \delta a\, s_{t-1}^\top, \quad
              \frac{\partial \mathcal L}{\partial b} = \delta a, \quad
              \frac{\partial \mathcal L}{\partial x_t} = U^\top \delta a, \quad
              \frac{\partial \mathcal L}{\partial s_{t-1}} = W^\top \delta a

    with σ'(a_t) = 1 − s_t² for tanh, s_t(1 − s_t) for the logistic function. Returns
    ``(dx (n,), ds_prev (d,), grads {"U": (d, n), "W": (d, d), "b": (d,)})``: this step's
    share of the weight gradients (full BPTT sums them over the steps).
    """
    p, s = cache["params"], cache["s"]
    ds = vector("ds", ds, s.size)
    da = ds * _dsigma(s, cache["activation"])
    grads = {"U": np.outer(da, cache["x"]), "W": np.outer(da, cache["s_prev"]), "b": da}
    return p["U"].T @ da, p["W"].T @ da, grads


# --- forward ----------------------------------------------------------------------------------


def forward(
    params: Params, X, s0=None, mask=None, activation: str = "tanh"
) -> tuple[np.ndarray, dict]:
    r"""Run the network over whole sequences: :func:`step_forward` for B sequences and T
    steps, each step's B column vectors as the rows of a (B, d) matrix (so W s is ``s @ W.T``).

    .. math:: s_t = m_t\,\sigma(U x_t + W s_{t-1} + b) + (1 - m_t)\, s_{t-1},
              \qquad \hat y_t = \operatorname{softmax}(V s_t + c)

    ``X`` float (B, T, n); ``s0`` (B, d) or (d,) (zeros if None); ``mask`` (B, T) of 0/1.
    Returns ``probs`` (B, T, K) and ``cache`` with ``s`` (B, T + 1, d) (s_0 first), ``X``,
    ``mask`` and ``activation`` (what the backward pass needs), and ``final_state``: s_T
    (B, d), the state after each sequence's last real step, to pass as ``s0`` of the next
    chunk of the same sequences.
    """
    activation = _check_activation(activation)
    n, d, _ = check_params(params)
    X, mask = check_batch(X, n, d, mask)
    B, T, _ = X.shape
    U, W, b, V, c = (params[k] for k in KEYS)
    s = np.empty((B, T + 1, d))
    s[:, 0] = initial_state("s0", s0, B, d)
    Ux = X @ U.T + b  # all steps at once: one large product instead of T small ones
    for t in range(T):
        h = _sigma(Ux[:, t] + s[:, t] @ W.T, activation)
        m = mask[:, t, None]
        s[:, t + 1] = m * h + (1.0 - m) * s[:, t]
    probs = softmax.unchecked(s[:, 1:] @ V.T + c)
    cache = {"s": s, "X": X, "mask": mask, "activation": activation}
    return probs, dict(cache, final_state=s[:, T].copy())


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


def loss_grads_and_state(
    params: Params,
    X,
    targets,
    s0=None,
    truncate: int | None = None,
    mask=None,
    many_to_one: bool = False,
    activation: str = "tanh",
) -> tuple[float, Params, np.ndarray]:
    r"""The loss, its gradient by backpropagation through time, and the final state.

    ``targets`` int (B, T), or (B,) with ``many_to_one`` (only each sequence's last real
    step is scored). The gradient of one loss term is, as in the notes (DESIGN.md form),

    .. math:: \frac{\partial \ell_t}{\partial W} = \frac{\partial \ell_t}{\partial s_t}
              \sum_{k=t-m+1}^{t} \frac{\partial s_t}{\partial s_k}
              \frac{\partial^+ s_k}{\partial W},

    with m = t (all steps back to the first: full BPTT) when ``truncate`` is None, and
    m = min(t, ``truncate``) otherwise: each ℓ_t back-propagates through at most
    ``truncate`` steps (``truncate=1`` keeps only the explicit part ∂⁺s_t/∂W).
    Same for U and b; V and c are not affected by truncation. ``s0`` is a constant: no
    gradient flows into it (so chunks of a long sequence, each started from the
    ``final_state`` of the one before, do not back-propagate across the cut: the practical
    form of truncated BPTT, ``train.train_recurrent(..., chunk=k)``).

    Returns ``(loss, grads, final_state)``: grads with the keys and shapes of ``params``,
    final_state s_T (B, d) as in :func:`forward`.
    """
    truncate = check_truncate(truncate)
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
    return loss, {k: grads[k] for k in KEYS}, cache["final_state"]


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
    """The loss and its gradient by backpropagation through time: ``(loss, grads)``, grads
    with the keys and shapes of ``params``. See :func:`loss_grads_and_state` (the same,
    which also returns the final state) for the maths and the arguments."""
    loss, grads, _ = loss_grads_and_state(
        params, X, targets, s0, truncate, mask, many_to_one, activation
    )
    return loss, grads


def outer_sum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    r""":math:`\sum_t \sum_i a_{it} b_{it}^\top` for a (B, T, p), b (B, T, q): shape (p, q).

    Summed step by step, so that each product is small enough for one BLAS thread: one
    large product would wake every BLAS thread, which at these sizes costs more than it
    saves (tests/benchmarks/test_bench_rnn.py times it with and without BLAS threads).
    """
    out = a[:, 0].T @ b[:, 0]
    for t in range(1, a.shape[1]):
        out += a[:, t].T @ b[:, t]
    return out


def _bptt_full(W, s, mask, d_s, activation) -> np.ndarray:
    r"""∂L/∂a_t for all t by one backward sweep, (B, T, d): :func:`step_backward`'s
    δa = δs ⊙ σ'(a_t) and ∂/∂s_{t−1} = Wᵀ δa for B sequences at once (rows, so Wᵀ δa is
    ``δa @ W``), with the weight gradients summed afterwards (:func:`outer_sum`).

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


def backward_products(T: int, truncate: int | None = None) -> int:
    r"""How many products with W (one per sequence and step row) the backward pass of
    :func:`loss_and_grads` makes over ``T`` steps: T for full BPTT (one sweep,
    :func:`_bptt_full`), and (min(k, T) − 1)(T − 1) for the notes' per-term truncation at
    k = ``truncate`` (:func:`_bptt_truncated`: k − 1 lagged sweeps over T − 1 steps).

    The forward pass makes T more in every case. Training in chunks of k steps
    (``train.train_recurrent(..., chunk=k)``) runs full BPTT on each chunk: Σ over the
    chunks of their lengths, T in all. tests/unit/test_rnn.py counts them in the code.
    """
    T = check.integer("T", T, minimum=1)
    if truncate is None:
        return T
    k = check_truncate(truncate)
    return (min(k, T) - 1) * (T - 1)


def state_grads(
    params: Params,
    X,
    targets,
    s0=None,
    mask=None,
    many_to_one: bool = False,
    activation: str = "tanh",
) -> dict[str, np.ndarray]:
    r"""∂𝓛/∂s_k for k = 0..T (total derivatives, full BPTT): how much the loss depends on
    each state, as ``{"s": (B, T + 1, d)}`` (entry 0 is s_0). From the backward sweep's
    δa_t = ∂𝓛/∂a_t,

    .. math:: \frac{\partial \mathcal L}{\partial s_k} = \frac{\partial \ell_k}{\partial s_k}
              + W^\top \delta a_{k+1}

    (on a padded step k + 1 the state passed through: its ∂𝓛/∂s_{k+1} is added instead).
    With ``many_to_one`` this is ∂𝓛_T/∂s_k of the notes.
    """
    probs, cache = forward(params, X, s0, mask, activation)
    _, d_o = cross_entropy(probs, targets, cache["mask"], many_to_one)
    s, mask = cache["s"], cache["mask"]
    d_s = d_o @ params["V"]  # ∂ℓ_t/∂s_t, (B, T, d): entry t − 1 is step t
    d_a = _bptt_full(params["W"], s, mask, d_s, activation)
    back = d_a @ params["W"]  # ∂𝓛/∂s_{t−1} through a_t, all steps in one product
    B, T, d = d_s.shape
    grads = np.empty((B, T + 1, d))
    grads[:, T] = d_s[:, T - 1]
    for k in range(T - 1, -1, -1):
        grads[:, k] = back[:, k] + (1.0 - mask[:, k, None]) * grads[:, k + 1]
        if k > 0:
            grads[:, k] += d_s[:, k - 1]
    return {"s": grads}


# --- what notebook 08 measures ----------------------------------------------------------------


def state_jacobians(params: Params, x, k: int = 0, s0=None, activation: str = "tanh") -> np.ndarray:
    r"""∂s_t/∂s_k for t = k, ..., T along ONE sequence ``x`` (T, n): shape (T − k + 1, d, d).

    .. math:: \frac{\partial s_t}{\partial s_k} = \prod_{j=k+1}^{t}
              \frac{\partial s_j}{\partial s_{j-1}}
              = \prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(a_j))\, W:

    the slopes σ'(a_j) of the run (:func:`activation_slopes`), then their product
    (:func:`jacobian_products`).
    """
    check_params(params)
    x = check.float_array("x", x, ndim=2)
    k = check.integer("k", k, minimum=0)
    if k > len(x):
        raise ValueError(f"k must be <= T = {len(x)} (the number of steps of x), got {k}")
    return jacobian_products(params["W"], activation_slopes(params, x, s0, activation)[k:])


def jacobian_products(W: np.ndarray, slopes: np.ndarray) -> np.ndarray:
    r"""The products diag(σ'_j) W ⋯ diag(σ'_1) W for j = 0, ..., m, built by
    left-multiplying one factor per step: shape (m + 1, d, d), entry 0 the identity.
    ``W`` (d, d); ``slopes`` (m, d), the σ'(a_j) of the steps in order."""
    d = W.shape[0]
    J = np.empty((len(slopes) + 1, d, d))
    J[0] = np.eye(d)
    for j, slope in enumerate(slopes, start=1):
        J[j] = (slope[:, None] * W) @ J[j - 1]
    return J


def activation_slopes(params: Params, x, s0=None, activation: str = "tanh") -> np.ndarray:
    r"""σ'(a_t) for t = 1, ..., T along ONE sequence ``x`` (T, n): shape (T, d), the
    diagonal of each factor diag(σ'(a_t)) W of :func:`state_jacobians`.

    Since ‖diag(σ'(a_j)) W v‖ lies between min_i σ'(a_{ji}) and max_i σ'(a_{ji}) times
    ‖W v‖, for an orthogonal W (‖W v‖ = ‖v‖) these slopes pin the Jacobians' norm:

    .. math:: \prod_{j=k+1}^{t} \min_i \sigma'(a_{ji}) \le
              \Bigl\|\frac{\partial s_t}{\partial s_k}\Bigr\| \le
              \prod_{j=k+1}^{t} \max_i \sigma'(a_{ji})

    (times ω^(t−k) for W = ω·Q; the upper bound holds for any W with ‖W‖₂ ≤ ω).
    """
    x = check.float_array("x", x, ndim=2)
    _, cache = forward(params, x[None], s0, activation=activation)
    return _dsigma(cache["s"][0, 1:], activation)


# --- the sum over paths, term by term (notebook 07) -------------------------------------------


def bptt_terms(
    params: Params, x, y, t: int, key: str = "W", s0=None, activation: str = "tanh"
) -> np.ndarray:
    r"""The k-th terms of BPTT's sum over paths for the loss ℓ_t at step ``t`` of ONE
    sequence, for k = 1, ..., t: shape (t, *params[key].shape), entry k − 1 the k-th term.

    .. math:: \frac{\partial \ell_t}{\partial W} = \sum_{k=1}^{t}
              \underbrace{\frac{\partial \ell_t}{\partial s_t}
              \frac{\partial s_t}{\partial s_k}
              \frac{\partial^+ s_k}{\partial W}}_{\text{term } k},
              \qquad \frac{\partial s_t}{\partial s_k}
              = \prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(a_j))\,W .

    In column vectors: with g_k = (∂s_t/∂s_k)ᵀ ∂ℓ_t/∂s_t (so g_t = Vᵀ(ŷ_t − e_{y_t}) and
    g_{k−1} = Wᵀ(σ'(a_k) ⊙ g_k)) and δ_k = σ'(a_k) ⊙ g_k, term k is δ_k s_{k−1}ᵀ for
    ``key`` = "W" (the explicit part ∂⁺s_k/∂W_ij = σ'(a_k,i) s_{k−1,j} collapses the 3-D
    tensor to this outer product), δ_k x_kᵀ for "U" and δ_k for "b". The terms add up to
    ∂ℓ_t/∂``key``; keeping only the newest m terms (k > t − m) and summing over t is
    ``loss_and_grads(..., truncate=m)``, the notes' truncation.

    ``x`` float (T, n), ``y`` int (T,) (only y_t is used), ``t`` in 1..T; ``s0`` (d,) or None.
    """
    n, d, K = check_params(params)
    if key not in ("W", "U", "b"):
        raise ValueError(f"key must be 'W', 'U' or 'b' (the weights BPTT sums over), got {key!r}")
    x = check.float_array("x", x, ndim=2)
    if x.shape[1] != n:
        raise ValueError(f"x must have shape (T, {n}), got {x.shape}")
    T = len(x)
    t = check.integer("t", t, minimum=1)
    if t > T:
        raise ValueError(f"t must be <= T = {T} (the number of steps of x), got {t}")
    y = np.asarray(y)
    if y.shape != (T,) or not np.issubdtype(y.dtype, np.integer) or not 0 <= y[t - 1] < K:
        raise ValueError(f"y must be {T} integer targets in [0, {K}), got {y!r}")
    probs, cache = forward(params, x[None, :t], s0, activation=activation)
    s = cache["s"][0]  # s_0 .. s_t
    slopes = _dsigma(s[1:], activation)  # σ'(a_k), k = 1..t
    g = params["V"].T @ (probs[0, t - 1] - np.eye(K)[y[t - 1]])  # ∂ℓ_t/∂s_t
    explicit = {"W": s[:-1], "U": x[:t], "b": None}[key]
    terms = np.empty((t, *params[key].shape))
    for k in range(t, 0, -1):
        delta = slopes[k - 1] * g
        terms[k - 1] = delta if explicit is None else np.outer(delta, explicit[k - 1])
        g = params["W"].T @ delta
    return terms


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
    n, _, K = check_params(params)

    def run_prefix(X):
        probs, cache = forward(params, X, activation=activation)
        return probs[0, -1], cache["s"][:, -1]

    def step(x, state):
        p, state = cell_step(params, x, state, activation)
        return p[0], state

    return sample_loop(run_prefix, step, n, K, prefix, length, rng, temperature, greedy, stop)
