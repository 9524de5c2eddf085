r"""Plumbing shared by the gated recurrent models (``lstm``, ``gru``): argument checks, the
softmax output layer with its cross-entropy loss, and the sampling loop.

Every model computes per step a state, and from it the outputs

.. math:: \hat y_t = \operatorname{softmax}(V h_t + c), \qquad
          \mathcal{L} = \frac{1}{B}\sum_{i=1}^{B}\sum_{t=1}^{T} w_{it}\,
          \bigl(-\log \hat y_{it,\,y_{it}}\bigr),

where w is the mask (1 on real steps, 0 on padding), or, in the many-to-one mode, 1 only at
each sequence's last real step. The checks are ``rnn``'s (``check_batch``,
``check_targets``), so that the three models explain a mistake in the same words.

Internally the models work *time-major* (arrays (T, B, ...)), so that the slice of one time
step is contiguous in memory; what they return is batch-major (B, T, ...) as in the
interface, as transposed views of the same memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import _validate as check
from . import rnn
from .functions import safe_log, softmax
from .rnn import check_targets

Params = dict[str, np.ndarray]


def orthogonal(rng: np.random.Generator, d: int) -> np.ndarray:
    """A random (d, d) orthogonal matrix, uniformly distributed (QR of a Gaussian matrix)."""
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def gate_params(rng: np.random.Generator, gates: Sequence[str], n_in: int, d: int) -> Params:
    """``U·`` (d, n_in) Gaussian / √n_in, ``W·`` (d, d) orthogonal and ``b·`` zeros for each
    gate name in ``gates`` (keys "Uo", "Wo", "bo", ...; "" gives the candidate's U, W, b)."""
    params = {}
    for g in gates:
        params["U" + g] = rng.standard_normal((d, n_in)) / np.sqrt(n_in)
        params["W" + g] = orthogonal(rng, d)
        params["b" + g] = np.zeros(d)
    return params


def activation_scale(n_sigmoid: int, n_tanh: int) -> np.ndarray:
    """Row factors (−1 for the σ rows, −2 for the tanh rows) that :func:`activate` expects
    its input to be multiplied by; models fold them into their stacked weights."""
    return np.concatenate([np.full(n_sigmoid, -1.0), np.full(n_tanh, -2.0)])


def activate(z: np.ndarray, n_sigmoid: int) -> np.ndarray:
    r"""In place: σ(a) on the first ``n_sigmoid`` columns, tanh(a) on the rest, given
    z = −a on the first and z = −2a on the rest (see :func:`activation_scale`).

    .. math:: \sigma(a) = \frac{1}{1 + e^{-a}}, \qquad \tanh(a) = 2\sigma(2a) - 1

    so ONE ``np.exp`` serves all gates and the candidate: on x86 NumPy's float64 ``exp`` is
    about twice as fast as its ``tanh``, which otherwise costs more than the step's matrix
    product. e^z = inf for a < −709 gives σ = 0, as it should (callers ignore overflow).
    """
    np.exp(z, out=z)
    z += 1.0
    np.divide(1.0, z, out=z)
    cand = z[..., n_sigmoid:]
    cand *= 2.0
    cand -= 1.0
    return z


def tanh_into(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    r""":math:`\tanh(x) = 2/(1 + e^{-2x}) - 1` into ``out`` (same reason as :func:`activate`)."""
    np.multiply(x, -2.0, out=out)
    return activate(out, 0)


def carve(*shapes: tuple[int, ...]) -> list[np.ndarray]:
    """Fresh float64 arrays of the given ``shapes``, carved out of ONE allocation (contents
    uninitialised, as ``np.empty``).

    Why: the forward pass needs a few arrays of several MB. glibc's malloc takes blocks that
    large from the system afresh, and hands the memory back when the call ends, so each call
    paid a page fault per 4 KB it touched: 3,450 per LSTM call at (B, T, n, d) =
    (32, 50, 64, 128), about 4 µs each on this course's VM, a fifth of the call. Once a block
    has been freed, malloc keeps blocks up to its size in its heap; one block as large as
    all the arrays is then reused by the next call, already mapped (about 100 faults).
    """
    sizes = [int(np.prod(s)) for s in shapes]
    block = np.empty(sum(sizes))
    ends = np.cumsum(sizes)
    return [block[e - m : e].reshape(s) for s, m, e in zip(shapes, sizes, ends, strict=True)]


#: OpenBLAS computes a product single-threaded when M·N·K is at most this ...
_ONE_THREAD = 65_536 * 4
#: ... and products below this size are cut into such pieces (see :func:`matmul`).
_SPLIT_BELOW = 1 << 21


def matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` for 2-D arrays, medium-sized products cut into single-threaded pieces.

    Why: a multi-threaded BLAS wakes its threads for every product above a small size. For
    the medium products of small recurrent nets (well under a millisecond of work) that
    costs more than it saves, and on a busy machine, where the other core is taken, one
    product can wait milliseconds for a thread: training became 5-20x slower. Large
    products, where threads pay off, are left whole. The result is the same product.
    """
    m, k = a.shape
    n = b.shape[1]
    size = m * n * k
    if size <= _ONE_THREAD or size >= _SPLIT_BELOW:
        return np.matmul(a, b, out=out)
    if out is None:
        out = np.empty((m, n), dtype=np.result_type(a, b))
    if m >= k:  # cut the rows
        step = max(1, _ONE_THREAD // (n * k))
        for i in range(0, m, step):
            np.matmul(a[i : i + step], b, out=out[i : i + step])
        return out
    step = max(1, _ONE_THREAD // (m * n))  # cut the summed-over axis
    np.matmul(a[:, :step], b[:step], out=out)
    for j in range(step, k, step):
        out += a[:, j : j + step] @ b[j : j + step]
    return out


def mm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for ``a`` (..., m) as one matrix product (leading axes flattened)."""
    return matmul(a.reshape(-1, a.shape[-1]), b).reshape(*a.shape[:-1], b.shape[-1])


def check_params(model: str, params, layout: dict[str, str]) -> tuple[int, int, int]:
    """``(n_in, d, K)`` of valid parameters, or a clear error naming the bad key.

    ``layout`` maps each key to its shape pattern: "dn" (d, n), "dd" (d, d), "d" (d,),
    "Kd" (K, d), "K" (K,). d and n come from ``U``, K from ``V``.
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


def check_sequences(X, n: int, d: int, mask) -> tuple[np.ndarray, np.ndarray | None]:
    """``X`` as float (B, T, n) and ``mask`` as float (B, T) of 0/1, or None if all ones
    (so that the time loops can skip the masking work); checked by ``rnn.check_batch``."""
    X, _, mask = rnn.check_batch(X, n, d, None, mask)
    return X, (None if mask.all() else mask)


def initial_state(name: str, value, B: int, d: int) -> np.ndarray:
    """A (B, d) float array from None (zeros), a (d,) vector (shared) or a (B, d) array."""
    if value is None:
        return np.zeros((B, d))
    value = check.float_array(name, value)
    if value.shape == (d,):
        value = np.broadcast_to(value, (B, d))
    if value.shape != (B, d):
        raise ValueError(f"{name} must have shape ({B}, {d}) or ({d},), got {value.shape}")
    return np.array(value)


def check_truncate(truncate) -> int | None:
    return None if truncate is None else check.integer("truncate", truncate, minimum=1)


def last_steps(mask: np.ndarray | None, B: int, T: int) -> np.ndarray:
    """Index of each sequence's last real step, int (B,), from a (B, T) 0/1 mask."""
    if mask is None:
        return np.full(B, T - 1)
    return T - 1 - np.argmax(mask[:, ::-1] > 0, axis=1)


def output_layer(
    params: Params, h_tm: np.ndarray, targets, mask, many_to_one: bool
) -> tuple[float, np.ndarray, Params]:
    r"""Loss, ∂𝓛/∂h_t and the gradients of V and c, for time-major states ``h_tm`` (T, B, d).

    For softmax followed by cross-entropy, :math:`\partial \ell_t/\partial o_t =
    \hat y_t - \mathbf{1}_{y_t}` (o_t = V h_t + c), weighted by w_t and divided by B.
    Returns ``(loss, dh (T, B, d), {"V": (K, d), "c": (K,)})``.
    """
    V, c = params["V"], params["c"]
    T, B, d = h_tm.shape
    K = V.shape[0]
    y = check_targets(targets, B, T, K, many_to_one)
    flat = h_tm.reshape(T * B, d)
    logits = matmul(flat, V.T)
    logits += c
    probs = softmax(logits)
    if many_to_one:
        rows = last_steps(mask, B, T) * B + np.arange(B)  # row of (t, b) in the flat layout
        cols = y
        weight = np.zeros(T * B)
        weight[rows] = 1.0  # only each sequence's last real step is scored
    else:
        rows = np.arange(T * B)
        cols = y.T.reshape(-1)  # time-major order, like ``flat``
        weight = None if mask is None else mask.T.reshape(-1)
    p_true = probs[rows, cols]
    logs = safe_log(p_true)
    loss = float(-(logs if weight is None else weight[rows] * logs).sum() / B)
    d_o = probs  # ŷ − 1_y, built in place: the probabilities are not needed after
    d_o[rows, cols] -= 1.0
    d_o *= 1.0 / B if weight is None else weight[:, None] / B
    grads = {"V": matmul(d_o.T, flat), "c": d_o.sum(axis=0)}
    return loss, matmul(d_o, V).reshape(T, B, d), grads


def probabilities(params: Params, h_tm: np.ndarray) -> np.ndarray:
    """softmax(V h_t + c) for time-major states (T, B, d), returned batch-major (B, T, K)."""
    T, B, d = h_tm.shape
    probs = softmax(matmul(h_tm.reshape(T * B, d), params["V"].T) + params["c"])
    return probs.reshape(T, B, -1).transpose(1, 0, 2)


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
            logits = safe_log(p) / temperature
            token = int(rng.choice(K, p=softmax(logits)))
        out.append(token)
        if stop is not None and token == stop:
            break
        p, state = step(eye[[token]], state)
    return out
