r"""What the recurrent models (``rnn``, ``lstm``, ``gru``) share: argument checks, initial
states, the softmax output layer with its cross-entropy loss, and the sampling loop. This
module imports no model; each model imports it.

**The output layer.** Every model computes per step a state h_t (the RNN's and GRU's s_t,
the LSTM's h_t), and from it

.. math:: \hat y_t = \operatorname{softmax}(V h_t + c), \qquad
          \mathcal{L} = \frac{1}{B}\sum_{i=1}^{B}\sum_{t=1}^{T} w_{it}\,
          \bigl(-\log \hat y_{it,\,y_{it}}\bigr),

where w is the mask (1 on real steps, 0 on padding), or, in the many-to-one mode, 1 only at
each sequence's last real step.

**Layouts.** One convention, three places:

- The readable one-step functions (``step_forward``, ``step_backward`` of each model) use
  the notes' column vectors for ONE sequence: x (n,), s (d,), U (d, n), W (d, d), so that
  a_t = U x_t + W s_{t−1} + b reads as in the notes.
- Every public function that runs whole sequences takes and returns batch-major arrays:
  X (B, T, n), masks and targets (B, T), states (B, T + 1, d), probabilities (B, T, K).
  Batch-major arrays are what ``sequences`` builds and what a student indexes (``[b, t]``).
- Inside, each fast kernel keeps the layout in which its time loop reads contiguous memory,
  and returns batch-major *views* of it (no copy):

  - ``rnn``: batch-major (B, T, d), the public layout. Its forward pass and BPTT are the
    course's reference code (notebooks 07 and 08 show them), so they are written in the
    layout the student sees; each step's slice ``s[:, t]`` is a strided (B, d) view.
  - ``lstm``: time-major *columns*: gates (T, 4d, B), cell states (T + 1, d, B), the notes'
    column vectors of the B sequences side by side, so each gate's (d, B) block of one step
    is contiguous for the element-wise work; the outputs h_t are (T + 1, B, d) rows, because
    the output layer and the weight-gradient products read them as (T·B, d) rows.
  - ``gru``: time-major rows (T, B, ·): one step's (B, 3d) slice of the gates is contiguous
    and its product s_{t−1} W⁽³⁾ᵀ is one row-major matrix product.

  A kernel's layout is a speed choice: a change of it must keep the kernel's rows in
  tests/benchmarks/test_bench_recurrent.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import _validate as check
from ._kernels import matmul
from .functions import safe_log, softmax

Params = dict[str, np.ndarray]


# --- parameters -------------------------------------------------------------------------------


def orthogonal(rng: np.random.Generator, d: int) -> np.ndarray:
    """A random (d, d) orthogonal matrix, uniformly distributed (QR of a Gaussian matrix)."""
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))  # the signs make Q uniform over orthogonal matrices


def block_params(
    rng: np.random.Generator, blocks: dict[str, tuple[str, str, str]], n_in: int, d: int
) -> Params:
    """For each block's keys (U, W, b) in ``blocks``: U (d, n_in) Gaussian / √n_in, W (d, d)
    orthogonal, b zeros. E.g. ``{"o": ("Uo", "Wo", "bo"), "s_tilde": ("U", "W", "b")}``."""
    params = {}
    for U, W, b in blocks.values():
        params[U] = rng.standard_normal((d, n_in)) / np.sqrt(n_in)
        params[W] = orthogonal(rng, d)
        params[b] = np.zeros(d)
    return params


def param_layout(blocks: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """The shape pattern of every key (see :func:`check_param_shapes`): each block's keys
    (U, W, b) as (d, n), (d, d), (d,), then V (K, d) and c (K,)."""
    layout = {}
    for U, W, b in blocks.values():
        layout.update({U: "dn", W: "dd", b: "d"})
    return {**layout, "V": "Kd", "c": "K"}


def check_stacked(blocks: int, U: object, W: object, b: object) -> tuple:
    """The stacked weights of a fused kernel with ``blocks`` blocks (``U{blocks}`` (blocks·d, n),
    ``W{blocks}`` (blocks·d, d), ``b{blocks}`` (blocks·d,)), as float arrays, or a clear error
    naming the bad one."""
    names = [f"{key}{blocks}" for key in "UWb"]
    W = check.float_array(names[1], W, ndim=2)
    d = W.shape[1]
    if d == 0 or W.shape[0] != blocks * d:
        raise ValueError(f"{names[1]} must have shape ({blocks}d, d) with d >= 1, got {W.shape}")
    U = check.float_array(names[0], U, ndim=2)
    if U.shape[0] != blocks * d:
        raise ValueError(
            f"{names[0]} must have shape ({blocks}d, n) = ({blocks * d}, n), got {U.shape}"
        )
    b = check.float_array(names[2], b, ndim=1)
    if b.shape != (blocks * d,):
        raise ValueError(f"{names[2]} must have shape ({blocks * d},), got {b.shape}")
    return U, W, b


def check_param_shapes(model: str, params, layout: dict[str, str]) -> tuple[int, int, int]:
    """``(n_in, d, K)`` of valid parameters, or a clear error naming the bad key.

    ``layout`` maps each key to its shape pattern: "dn" (d, n), "dd" (d, d), "d" (d,),
    "Kd" (K, d), "K" (K,). d and n come from ``U``, K from ``V``. Keys that are not in
    ``layout`` are an error too (an LSTM's parameters are not an RNN's).
    """
    params = check.params_dict("params", params)
    missing = [k for k in layout if k not in params]
    if missing:
        raise ValueError(f"params is missing keys {missing}; a {model} needs {list(layout)}")
    extra = [k for k in params if k not in layout]
    if extra:
        raise ValueError(f"params has unknown keys {extra}; a {model} has exactly {list(layout)}")
    d, n = params["U"].shape if params["U"].ndim == 2 else (None, None)
    K = params["V"].shape[0] if params["V"].ndim == 2 else None
    dims = {"d": d, "n": n, "K": K}
    for key, pattern in layout.items():
        shape = tuple(dims[c] for c in pattern)
        if None in shape or params[key].shape != shape:
            raise ValueError(
                f"params[{key!r}] must have shape {shape} (from U (d, n) and V (K, d)), "
                f"got {params[key].shape}"
            )
    return n, d, K


# --- inputs -----------------------------------------------------------------------------------


def check_batch(X, n: int, d: int, mask=None) -> tuple[np.ndarray, np.ndarray]:
    """Validate a batch for a model with n inputs and d units.

    Returns ``(X float64 (B, T, n), mask float (B, T) of 0/1 (ones if None))``; raises
    ValueError/TypeError naming the argument for a wrong shape, an empty batch, a mask that
    is not 0/1 or one that is all 0. A single sequence whose mask is all 0 is allowed (the
    tail of a short sequence, when a padded batch is run in chunks): its state passes
    through and it adds nothing to the loss; only the many-to-one loss, which scores each
    sequence's last real step, rejects it (:func:`loss_weights`).
    """
    X = check.float_array("X", X, ndim=3)
    B, T, n_x = X.shape
    if B == 0 or T == 0:
        raise ValueError(f"X must hold at least one sequence of at least one step, got {X.shape}")
    if n_x != n:
        raise ValueError(f"X must have {n} features per step (U is ({d}, {n})), got {n_x}")
    if mask is None:
        return X, np.ones((B, T))
    mask = check.float_array("mask", mask, ndim=2)
    if mask.shape != (B, T):
        raise ValueError(f"mask must have shape {(B, T)} like X's first two axes, got {mask.shape}")
    if not np.all((mask == 0) | (mask == 1)):
        raise ValueError("mask must hold only 0 (padding) and 1 (real step)")
    if not mask.any():
        raise ValueError("the batch is empty: its mask is all 0 (no real step)")
    return X, mask


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


def check_truncate(truncate) -> int | None:
    """``truncate``: None (full BPTT) or a number of steps k >= 1."""
    return None if truncate is None else check.integer("truncate", truncate, minimum=1)


def initial_state(name: str, value, B: int, d: int) -> np.ndarray:
    """A new (B, d) float array from None (zeros), a (d,) vector (shared) or a (B, d) array."""
    if value is None:
        return np.zeros((B, d))
    value = check.float_array(name, value)
    if value.shape == (d,):
        value = np.broadcast_to(value, (B, d))
    if value.shape != (B, d):
        raise ValueError(f"{name} must have shape ({B}, {d}) or ({d},), got {value.shape}")
    return np.array(value)


def vector(name: str, value, size: int) -> np.ndarray:
    """A float (size,) column vector of the notes, or a clear error naming ``name``."""
    value = check.float_array(name, value, ndim=1)
    if value.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {value.shape}")
    return value


# --- the output layer and the loss ------------------------------------------------------------


def last_steps(mask: np.ndarray) -> np.ndarray:
    """Index of each sequence's last real step, int (B,), from a (B, T) 0/1 mask."""
    T = mask.shape[1]
    return T - 1 - np.argmax(mask[:, ::-1] > 0, axis=1)


def loss_weights(mask: np.ndarray | None, B: int, T: int, many_to_one: bool):
    """w (B, T): the weight of each ℓ_t in the loss: the mask, or 1 only at each sequence's
    last real step (``many_to_one``). ``mask=None`` means no padding; then the weights are
    None too unless ``many_to_one`` (every ℓ_t weighs 1)."""
    if not many_to_one:
        return mask
    if mask is not None and not mask.any(axis=1).all():
        empty = np.flatnonzero(~mask.any(axis=1))[0]
        raise ValueError(
            f"sequence {empty} of the batch is empty (its mask is all 0): many_to_one scores "
            "each sequence's last real step"
        )
    w = np.zeros((B, T))
    w[np.arange(B), T - 1 if mask is None else last_steps(mask)] = 1.0
    return w


def cross_entropy(probs: np.ndarray, targets, mask, many_to_one: bool = False):
    r"""The course's loss for softmax outputs ``probs`` (B, T, K), and its gradient with
    respect to the pre-softmax outputs o_t = V h_t + c: ``(loss, d_o (B, T, K))``, a new
    array (``probs`` is not changed).

    .. math:: \mathcal L = \frac1B \sum_{i,t} w_{it}\,(-\log \hat y_{it, y_{it}}),
              \qquad \frac{\partial \mathcal L}{\partial o_{it}}
              = \frac{w_{it}}{B}\,(\hat y_{it} - \mathrm{onehot}(y_{it}))

    with w from :func:`loss_weights` (``mask`` (B, T), or None for no padding).
    """
    B, T, K = probs.shape
    y = check_targets(targets, B, T, K, many_to_one)
    weight = loss_weights(mask, B, T, many_to_one)
    if many_to_one:
        y = np.broadcast_to(y[:, None], (B, T))
    rows = probs.reshape(B * T, K)
    d_o = np.empty_like(rows)
    loss = _cross_entropy_rows(rows, y.reshape(-1), _flat(weight), B, out=d_o)
    return loss, d_o.reshape(B, T, K)


def _flat(weight):
    return None if weight is None else weight.reshape(-1)


def _cross_entropy_rows(probs, y, weight, B: int, out: np.ndarray) -> float:
    """The computation of :func:`cross_entropy` on rows: ``probs`` (N, K), one target
    ``y`` (N,) and one weight (N,) (None: all 1) per row. Writes ∂𝓛/∂o into ``out``
    (N, K), which may be ``probs`` itself, and returns the loss."""
    rows = np.arange(len(y))
    p_true = probs[rows, y]
    logs = safe_log.unchecked(p_true)
    loss = float(-(logs if weight is None else weight * logs).sum() / B)
    if out is not probs:
        out[...] = probs
    out[rows, y] = p_true - 1.0  # ŷ − onehot(y)
    out *= 1.0 / B if weight is None else weight[:, None] / B
    return loss


def output_layer(
    params: Params, h_tm: np.ndarray, targets, mask, many_to_one: bool
) -> tuple[float, np.ndarray, Params]:
    r""":func:`cross_entropy` of softmax(V h_t + c) for time-major states ``h_tm`` (T, B, d),
    and what back-propagation needs from it: ``(loss, ∂𝓛/∂h_t (T, B, d), {"V", "c"})``,

    .. math:: \frac{\partial \mathcal L}{\partial V} = \sum_t \delta o_t\, h_t^\top, \qquad
              \frac{\partial \mathcal L}{\partial c} = \sum_t \delta o_t, \qquad
              \frac{\partial \mathcal L}{\partial h_t} = V^\top \delta o_t.
    """
    V, c = params["V"], params["c"]
    T, B, d = h_tm.shape
    K = V.shape[0]
    y = check_targets(targets, B, T, K, many_to_one)
    weight = loss_weights(mask, B, T, many_to_one)
    if many_to_one:
        y = np.broadcast_to(y[:, None], (B, T))
    flat = h_tm.reshape(T * B, d)
    logits = matmul(flat, V.T)
    logits += c
    probs = softmax.unchecked(logits)  # rows in time-major order, (T·B, K)
    weight = None if weight is None else weight.T
    d_o = probs  # built in place: the probabilities are not needed after
    loss = _cross_entropy_rows(probs, y.T.reshape(-1), _flat(weight), B, out=d_o)
    grads = {"V": matmul(d_o.T, flat), "c": d_o.sum(axis=0)}
    return loss, matmul(d_o, V).reshape(T, B, d), grads


def probabilities(params: Params, h_tm: np.ndarray) -> np.ndarray:
    """softmax(V h_t + c) for time-major states (T, B, d), returned batch-major (B, T, K)."""
    T, B, d = h_tm.shape
    probs = softmax.unchecked(matmul(h_tm.reshape(T * B, d), params["V"].T) + params["c"])
    return probs.reshape(T, B, -1).transpose(1, 0, 2)


# --- generating -------------------------------------------------------------------------------


def token_ids(name: str, ids, size: int) -> list[int]:
    """A 1-D sequence of integer ids in [0, size), as a list."""
    arr = np.asarray(ids)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be integer token ids, got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of token ids, got shape {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= size):
        raise ValueError(f"{name} must hold ids in [0, {size}), got {arr.min()}..{arr.max()}")
    return [int(i) for i in arr]


def sample_loop(
    run_prefix: Callable[[np.ndarray], tuple[np.ndarray, object]],
    step: Callable[[np.ndarray, object], tuple[np.ndarray, object]],
    n: int,
    K: int,
    prefix: Sequence[int],
    length: int,
    rng,
    temperature: float,
    greedy: bool,
    stop: int | None,
) -> list[int]:
    r"""Feed ``prefix`` (one-hot), then draw each next token from
    softmax(log ŷ / temperature) (or take its argmax when ``greedy``) and feed it back.

    ``run_prefix(X (1, T, n))`` returns the last step's probabilities (K,) and the state;
    ``step(x (1, n), state)`` does one more step. Returns the NEW tokens only.
    """
    if K > n:
        raise ValueError(f"sampling feeds outputs back as inputs: needs K <= n, got K={K}, n={n}")
    prefix = token_ids("prefix", prefix, n)
    if not prefix:
        raise ValueError("prefix must hold at least one token id (the first input)")
    length = check.integer("length", length, minimum=0)
    temperature = check.positive("temperature", temperature)
    if stop is not None:
        stop = check.integer("stop", stop, minimum=0)
    rng = check.generator("rng", rng)
    eye = np.eye(n)
    p, state = run_prefix(eye[prefix][None])
    out: list[int] = []
    for _ in range(length):
        if greedy:
            token = int(np.argmax(p))
        else:
            logits = safe_log.unchecked(p) / temperature
            token = int(rng.choice(K, p=softmax.unchecked(logits)))
        out.append(token)
        if stop is not None and token == stop:
            break
        p, state = step(eye[[token]], state)
    return out
