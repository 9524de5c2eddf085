r"""The long short-term memory network (LSTM) of the notes: selective write, read and forget.

Column-vector maths as in the notes, for one sequence and time steps t = 1, ..., T:

.. math::
    o_t &= \sigma(W_o h_{t-1} + U_o x_t + b_o)  &\text{output gate (selective write)}\\
    i_t &= \sigma(W_i h_{t-1} + U_i x_t + b_i)  &\text{input gate (selective read)}\\
    f_t &= \sigma(W_f h_{t-1} + U_f x_t + b_f)  &\text{forget gate (selective forget)}\\
    \tilde s_t &= \tanh(W h_{t-1} + U x_t + b)  &\text{candidate state}\\
    s_t &= f_t \odot s_{t-1} + i_t \odot \tilde s_t, \qquad h_t = o_t \odot \tanh(s_t),
    \qquad \hat y_t = \operatorname{softmax}(V h_t + c)

with σ the logistic function, x_t ∈ R^n, h_t, s_t ∈ R^d, ŷ_t ∈ R^K: every U is (d, n), every
W (d, d), every b (d,), V (K, d), c (K,). The carried state is the pair (h_t, s_t).

**Read** :func:`step_forward` and :func:`step_backward`: one step of one sequence, these
equations line by line. **Run** :func:`forward`, :func:`loss_and_grads` and the others:
the same equations, stacked and fused, for B sequences and T steps
(tests/unit/test_lstm.py holds the two equal to round-off). The fused kernel computes the
four blocks *stacked*: with U⁽⁴⁾ = [U_o; U_i; U_f; U] (4d, n), W⁽⁴⁾ likewise (4d, d) and
b⁽⁴⁾ (4d,), the input part U⁽⁴⁾x_t + b⁽⁴⁾ of all T steps is one product before the time
loop, and each step adds ONE product W⁽⁴⁾h_{t−1}. It keeps the batch's states as the notes'
column vectors side by side (s_t is (d, B); see ``course_lib._recurrent`` for the layouts),
uses one ``exp`` for all four blocks and one allocation for its arrays
(``course_lib._kernels``), and its backward pass adds δz of a block of steps to the weight
gradients with one product per weight. The parameter dict keeps the notes' named keys.

Loss, masks, truncation and the many-to-one mode are as in ``rnn`` (see ``_recurrent``).
A padded step (mask 0) passes the state through unchanged: h_t = h_{t−1}, s_t = s_{t−1}.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _validate as check
from ._kernels import activate, activation_scale, carve, matmul, tanh_into
from ._recurrent import (
    block_params,
    check_batch,
    check_param_shapes,
    check_stacked,
    check_truncate,
    initial_state,
    output_layer,
    param_layout,
    probabilities,
    sample_loop,
    vector,
)
from .functions import logistic

KEYS = ("Uo", "Wo", "bo", "Ui", "Wi", "bi", "Uf", "Wf", "bf", "U", "W", "b", "V", "c")
#: The four blocks, in the order the fused kernel stacks them, each with its keys (U, W, b):
#: the output, input and forget gates, and the candidate state s̃, whose keys have no suffix.
BLOCKS = {
    "o": ("Uo", "Wo", "bo"),
    "i": ("Ui", "Wi", "bi"),
    "f": ("Uf", "Wf", "bf"),
    "s_tilde": ("U", "W", "b"),
}
#: Shape pattern of each key (see ``_recurrent.check_param_shapes``).
LAYOUT = param_layout(BLOCKS)

Params = dict[str, np.ndarray]


# --- parameters -------------------------------------------------------------------------------


def init_params(
    n_in: int,
    d: int,
    n_out: int,
    rng=None,
    forget_bias: float = 1.0,
    chrono: int | None = None,
    **options,
) -> Params:
    r"""Random parameters: every U ~ N(0, 1/n), every W a random orthogonal matrix (so that
    ‖W‖₂ = 1), V ~ N(0, 1/d), biases 0 except b_f = ``forget_bias``.

    A positive forget bias starts f_t near σ(1) ≈ 0.73, so the state is kept rather than
    wiped while training begins (Gers et al. 2000; Jozefowicz et al. 2015). For dependencies
    up to about ``chrono`` steps, the *chrono* initialisation (Tallec & Ollivier 2018) draws
    b_f = log u, u ~ U(1, chrono − 1), per unit, and sets b_i = −b_f: unit j then forgets
    on a time scale of about u_j steps, and writes little so as not to overwrite.
    Returns the dict of :data:`KEYS`, float64. ``rng``: a Generator, an int seed, or None (0).
    """
    if options:
        raise TypeError(f"unknown options for lstm.init_params: {sorted(options)}")
    n_in = check.integer("n_in", n_in, minimum=1)
    d = check.integer("d", d, minimum=1)
    n_out = check.integer("n_out", n_out, minimum=1)
    forget_bias = check.real("forget_bias", forget_bias)
    rng = check.generator("rng", rng)
    params = block_params(rng, BLOCKS, n_in, d)
    params["bf"] += forget_bias
    if chrono is not None:
        chrono = check.integer("chrono", chrono, minimum=3)
        params["bf"] = np.log(rng.uniform(1.0, chrono - 1.0, d))
        params["bi"] = -params["bf"]
    params["V"] = rng.standard_normal((n_out, d)) / np.sqrt(d)
    params["c"] = np.zeros(n_out)
    return {k: params[k] for k in KEYS}


def check_params(params: Params) -> tuple[int, int, int]:
    """``(n_in, d, K)`` of valid LSTM parameters (exactly the keys of :data:`KEYS`, every U
    (d, n), W (d, d), b (d,), V (K, d), c (K,)), or a clear error naming the bad key."""
    return check_param_shapes("LSTM", params, LAYOUT)


def _stack_arguments(params: object) -> tuple:
    check_params(params)
    return (params,)


def _unstack_arguments(U4: object, W4: object, b4: object) -> tuple:
    return check_stacked(4, U4, W4, b4)


@check.checked_by(_stack_arguments)
def stack(params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stacked weights ``U⁽⁴⁾ (4d, n), W⁽⁴⁾ (4d, d), b⁽⁴⁾ (4d,)``, blocks in
    :data:`BLOCKS` order."""
    return tuple(np.concatenate([params[keys[j]] for keys in BLOCKS.values()]) for j in range(3))


@check.checked_by(_unstack_arguments)
def unstack(U4: np.ndarray, W4: np.ndarray, b4: np.ndarray) -> Params:
    """The inverse of :func:`stack`: named keys (without V and c)."""
    d = W4.shape[1]
    out = {}
    for j, (U, W, b) in enumerate(BLOCKS.values()):
        rows = slice(j * d, (j + 1) * d)
        out[U], out[W], out[b] = U4[rows], W4[rows], b4[rows]
    return out


# --- one step, as in the notes -----------------------------------------------------------------


def step_forward(params: Params, x, h_prev, s_prev) -> tuple[np.ndarray, np.ndarray, dict]:
    r"""One LSTM step for ONE sequence, in the notes' column vectors.

    .. math::
        o_t &= \sigma(W_o h_{t-1} + U_o x_t + b_o), \quad
        i_t = \sigma(W_i h_{t-1} + U_i x_t + b_i), \quad
        f_t = \sigma(W_f h_{t-1} + U_f x_t + b_f), \\
        \tilde s_t &= \tanh(W h_{t-1} + U x_t + b), \quad
        s_t = f_t \odot s_{t-1} + i_t \odot \tilde s_t, \quad h_t = o_t \odot \tanh(s_t)

    ``x`` = x_t (n,); ``h_prev``, ``s_prev`` = h_{t−1}, s_{t−1} (d,); every U (d, n),
    W (d, d), b (d,). Returns ``(h, s, cache)``: h_t and s_t (d,), and what
    :func:`step_backward` needs, with the gates ``o``, ``i``, ``f`` and ``s_tilde`` (d,).
    """
    n, d, _ = check_params(params)
    x, h_prev, s_prev = vector("x", x, n), vector("h_prev", h_prev, d), vector("s_prev", s_prev, d)
    p = params
    o = logistic.unchecked(p["Wo"] @ h_prev + p["Uo"] @ x + p["bo"])  # output gate: selective write
    i = logistic.unchecked(p["Wi"] @ h_prev + p["Ui"] @ x + p["bi"])  # input gate: selective read
    f = logistic.unchecked(
        p["Wf"] @ h_prev + p["Uf"] @ x + p["bf"]
    )  # forget gate: selective forget
    s_tilde = np.tanh(p["W"] @ h_prev + p["U"] @ x + p["b"])  # candidate state
    s = f * s_prev + i * s_tilde
    h = o * np.tanh(s)
    cache = {"params": p, "x": x, "h_prev": h_prev, "s_prev": s_prev, "s": s}
    cache.update(o=o, i=i, f=f, s_tilde=s_tilde)
    return h, s, cache


def step_backward(dh, ds, cache: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, Params]:
    r"""Back through one step. ``dh`` = ∂𝓛/∂h_t (d,) in total (from ℓ_t and from the steps
    after t); ``ds`` = the part of ∂𝓛/∂s_t that comes through s_{t+1} (d,) (zeros at the
    last step); ``cache`` from :func:`step_forward`. With a_g the pre-activation of block g:

    .. math::
        \delta s &= \mathtt{ds} + \delta h \odot o_t \odot (1 - \tanh^2 s_t)
            \quad \text{(} s_t \text{ reaches the loss through } h_t \text{ too)}, \\
        \delta a_o &= \delta h \odot \tanh(s_t) \odot o_t (1 - o_t), \qquad
        \delta a_i = \delta s \odot \tilde s_t \odot i_t (1 - i_t), \\
        \delta a_f &= \delta s \odot s_{t-1} \odot f_t (1 - f_t), \qquad
        \delta a_{\tilde s} = \delta s \odot i_t \odot (1 - \tilde s_t^2),

    then for every block g: ∂𝓛/∂U_g = δa_g x_tᵀ, ∂𝓛/∂W_g = δa_g h_{t−1}ᵀ, ∂𝓛/∂b_g = δa_g,
    ∂𝓛/∂x_t = Σ_g U_gᵀ δa_g, ∂𝓛/∂h_{t−1} = Σ_g W_gᵀ δa_g, ∂𝓛/∂s_{t−1} = δs ⊙ f_t.

    Returns ``(dx (n,), dh_prev (d,), ds_prev (d,), grads)``: grads holds this step's share
    of the gradient of every key of :data:`BLOCKS` (full BPTT sums them over the steps).
    """
    c, p = cache, cache["params"]
    dh, ds = vector("dh", dh, c["s"].size), vector("ds", ds, c["s"].size)
    o, i, f, s_tilde = c["o"], c["i"], c["f"], c["s_tilde"]
    tanh_s = np.tanh(c["s"])
    ds = ds + dh * o * (1.0 - tanh_s**2)
    da = {
        "o": dh * tanh_s * o * (1.0 - o),
        "i": ds * s_tilde * i * (1.0 - i),
        "f": ds * c["s_prev"] * f * (1.0 - f),
        "s_tilde": ds * i * (1.0 - s_tilde**2),
    }
    grads, dx, dh_prev = {}, np.zeros_like(c["x"]), np.zeros_like(c["h_prev"])
    for block, (U, W, b) in BLOCKS.items():  # the keys of this block's parameters
        grads[U] = np.outer(da[block], c["x"])
        grads[W] = np.outer(da[block], c["h_prev"])
        grads[b] = da[block]
        dx += p[U].T @ da[block]
        dh_prev += p[W].T @ da[block]
    return dx, dh_prev, ds * f, grads


# --- forward: the fused kernel ---------------------------------------------------------------


def _initial_pair(s0, B: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """(h0, s0), each (B, d), from None (zeros) or a pair of (B, d) or (d,) arrays."""
    if s0 is None:
        return np.zeros((B, d)), np.zeros((B, d))
    if not isinstance(s0, tuple | list) or len(s0) != 2:
        got = f"an array of shape {np.shape(s0)}" if hasattr(s0, "shape") else repr(s0)[:40]
        raise TypeError(
            "s0 of an LSTM is the pair (h0, s0): the output and the cell state, each (B, d) "
            f"or (d,); got {got}"
        )
    return initial_state("s0[0] (h0)", s0[0], B, d), initial_state("s0[1]", s0[1], B, d)


def _forward_sweep(params: Params, X, s0, mask) -> dict:
    """The equations of :func:`step_forward`, stacked and fused: the time loop for B
    sequences. States are the notes' column vectors side by side (s_t is a (d, B) matrix),
    so each block of z_t (4d, B) is a contiguous (d, B) matrix. Returns the arrays that the
    backward sweeps read (``saved``)."""
    n, d, _ = check_params(params)
    X, mask = check_batch(X, n, d, mask)
    B, T, _ = X.shape
    h0, c0 = _initial_pair(s0, B, d)
    U4, W4, b4 = stack.unchecked(params)
    # The activation scale (−1 on the gate rows, −2 on the candidate's) is folded into the
    # weights, so that one exp per step gives all four blocks (see _kernels.activate).
    scale = activation_scale(3 * d, d)[:, None]
    # One allocation (see _kernels.carve) for what the backward pass reads: X1 the inputs,
    # time-major; Z the four blocks of every step; H the outputs h_t, one row per sequence
    # as the output layer reads them; S and C the states s_t and tanh(s_t).
    X1, Z, H, S, C = carve((T, B, n + 1), (T, 4 * d, B), (T + 1, B, d), (T + 1, d, B), (T, d, B))
    # A constant 1 appended to every input: U⁽⁴⁾x_t + b⁽⁴⁾ = [U⁽⁴⁾ b⁽⁴⁾][x_t; 1], so the bias
    # rides in the product (and its gradient comes out of the weight gradient's).
    X1[..., :n], X1[..., n] = X.transpose(1, 0, 2), 1.0
    # The input part of all steps before the loop: Z[t] = U⁽⁴⁾ x_t + b⁽⁴⁾ (4d, B).
    np.matmul(np.hstack([U4, b4[:, None]]) * scale, X1.transpose(0, 2, 1), out=Z)
    W4s = W4 * scale
    H[0], S[0] = h0, c0.T
    pad = None if mask.all() else mask.T == 0
    recurrent_part, prod = np.empty((4 * d, B)), np.empty((d, B))
    with np.errstate(over="ignore"):
        for t in range(T):
            z = Z[t]
            z += matmul(W4s, H[t].T, out=recurrent_part)
            activate(z.T, 3 * d)  # z now holds o_t, i_t, f_t, s̃_t
            o, i, f, s_tilde = z.reshape(4, d, B)
            np.multiply(f, S[t], out=S[t + 1])
            S[t + 1] += np.multiply(i, s_tilde, out=prod)
            tanh_into(S[t + 1], C[t])
            np.multiply(o, C[t], out=H[t + 1].T)
            if pad is not None and pad[t].any():
                H[t + 1, pad[t]], S[t + 1][:, pad[t]] = H[t, pad[t]], S[t][:, pad[t]]
    mask = None if pad is None else mask
    return {"X1": X1, "H": H, "S": S, "C": C, "Z": Z, "mask": mask, "d": d}


def forward(params: Params, X, s0=None, mask=None) -> tuple[np.ndarray, dict]:
    r"""Run the LSTM over whole sequences.

    ``X`` float (B, T, n); ``s0`` None (zeros) or the pair (h0, s0), each (B, d) or (d,);
    ``mask`` (B, T) of 0/1. Returns ``probs`` (B, T, K) and ``cache``: ``h`` and ``s``
    (B, T + 1, d) (initial state first), the gates ``o``, ``i``, ``f`` and the candidate
    ``s_tilde`` (B, T, d), ``X`` and ``mask``; and ``final_state``, the pair (h_T, s_T),
    each (B, d), after each sequence's last real step, to pass as ``s0`` of the next chunk
    of the same sequences.
    """
    saved = _forward_sweep(params, X, s0, mask)
    d, Z, H, S = saved["d"], saved["Z"], saved["H"], saved["S"]
    # batch-major views of the same memory:
    cache = {block: Z[:, j * d : (j + 1) * d].transpose(2, 0, 1) for j, block in enumerate(BLOCKS)}
    B, T = H.shape[1], H.shape[0] - 1
    mask = np.ones((B, T)) if saved["mask"] is None else saved["mask"]
    cache.update(h=H.transpose(1, 0, 2), s=S.transpose(2, 0, 1), mask=mask)
    cache.update(X=saved["X1"][..., :-1].transpose(1, 0, 2), final_state=_final_pair(saved))
    return probabilities(params, H[1:]), cache


def _final_pair(saved: dict) -> tuple[np.ndarray, np.ndarray]:
    """(h_T, s_T), each a new (B, d) array."""
    return saved["H"][-1].copy(), saved["S"][-1].T.copy()


def cell_step(params: Params, x_t, state=None) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """One time step for B sequences: ``x_t`` (B, n), ``state`` = (h_{t−1}, s_{t−1}) or None.

    Returns ``(probs_t (B, K), (h_t, s_t))``, each state (B, d).
    """
    x_t = check.float_array("x_t", x_t, ndim=2)
    saved = _forward_sweep(params, x_t[:, None, :], state, None)
    h, s = _final_pair(saved)
    return probabilities(params, h[None])[:, 0], (h, s)


# --- backpropagation through time: the fused kernel --------------------------------------------
#
# The equations of step_backward, for B sequences at once. Arrays are column-wise as in the
# forward sweep: δh, δs (d, B) for one step, or (T, d, B) for all steps at once (the
# truncated sweep); ``t`` is a step or ``slice(None)``; δz is the stacked δa of the four
# blocks, (…, 4d, B).


def _blocks(a: np.ndarray, d: int) -> list[np.ndarray]:
    """The four (…, d, B) blocks o, i, f, s̃ of a (…, 4d, B) array (views)."""
    return [a[..., j * d : (j + 1) * d, :] for j in range(4)]


def _pad(saved: dict, t):
    """The mask of step(s) ``t`` shaped to multiply columns (…, 1, B), or None."""
    return None if saved["mask"] is None else saved["mask"].T[t][..., None, :]


def _through_tanh(saved: dict, t, dh: np.ndarray, ds: np.ndarray) -> np.ndarray:
    r"""∂𝓛/∂s_t in total: the δs arriving from step t + 1 plus the path through
    h_t = o_t ⊙ tanh(s_t),

    .. math:: \delta s + \delta h \odot o_t \odot (1 - \tanh^2 s_t).

    On a padded step h_t does not depend on s_t: nothing is added."""
    c, o = saved["C"][t], _blocks(saved["Z"][t], saved["d"])[0]
    path = np.multiply(c, c)
    np.subtract(1.0, path, out=path)
    path *= o
    path *= dh
    m = _pad(saved, t)
    if m is not None:
        path *= m
    path += ds
    return path


def _back_step(saved: dict, t, W4T: np.ndarray, dh, ds, dz: np.ndarray):
    r"""Back through step(s) ``t``, given δh = ∂𝓛/∂h_t and δs = ∂𝓛/∂s_t in total (see
    :func:`_through_tanh`): writes δz = ∂𝓛/∂z_t (…, 4d, B) into ``dz`` and returns
    (∂𝓛/∂h_{t−1}, the part of ∂𝓛/∂s_{t−1} through s_t), as :func:`step_backward`:

    .. math:: \delta z_o = \delta h \odot \tanh(s_t) \odot o_t(1 - o_t), \quad
              \delta z_i = \delta s \odot \tilde s_t \odot i_t(1 - i_t), \quad
              \delta z_f = \delta s \odot s_{t-1} \odot f_t(1 - f_t),

              \delta z_{\tilde s} = \delta s \odot i_t \odot (1 - \tilde s_t^2), \qquad
              \frac{\partial}{\partial s_{t-1}} = \delta s \odot f_t, \qquad
              \frac{\partial}{\partial h_{t-1}} = (W^{(4)})^\top \delta z.

    A padded step passed its state through: δz = 0 and both derivatives pass unchanged.
    """
    d, z = saved["d"], saved["Z"][t]
    o, i, f, s_tilde = _blocks(z, d)
    dz_o, dz_i, dz_f, dz_s = _blocks(dz, d)
    np.multiply(dh, saved["C"][t], out=dz_o)
    np.multiply(ds, s_tilde, out=dz_i)
    np.multiply(ds, saved["S"][:-1][t], out=dz_f)
    sig, dz_sig = z[..., : 3 * d, :], dz[..., : 3 * d, :]
    dz_sig *= sig
    dz_sig *= 1.0 - sig  # σ'(a) = σ(1 − σ) for the three gates at once
    np.multiply(s_tilde, s_tilde, out=dz_s)
    np.subtract(1.0, dz_s, out=dz_s)
    dz_s *= i
    dz_s *= ds  # tanh'(a) = 1 − tanh²
    m = _pad(saved, t)
    if m is None:
        ds_prev = ds * f
    else:  # a padded column passes δh and δs straight through
        dz *= m
        ds_prev = ds * (f * m + (1.0 - m))
    dh_prev = matmul(W4T, dz) if dz.ndim == 2 else np.matmul(W4T, dz)
    if m is not None:
        dh_prev += (1.0 - m) * dh
    return dh_prev, ds_prev


#: The backward sweep gathers δz of this many columns (steps x batch) before multiplying them
#: into the weight gradients: enough for an efficient product, few enough to stay in cache
#: (tests/benchmarks/test_bench_recurrent.py times it; test_lstm.py checks other sizes).
_BLOCK_COLUMNS = 512


def _backward_sweep(params: Params, saved: dict, dH: np.ndarray) -> Params:
    """Full BPTT: :func:`step_backward` from the last step to the first, for B sequences
    at once, each step's work on cache-resident (d, B) blocks, given ∂𝓛/∂h_t from the
    outputs, ``dH`` (T, B, d).

    Every block of steps adds its δz to the weight gradients (:func:`_weight_products`), so
    δz of all steps is never stored. Returns the weight gradients as named keys (without
    V, c).
    """
    W4T = stack.unchecked(params)[1].T
    T, B, d = dH.shape
    steps = min(T, -(-_BLOCK_COLUMNS // B))
    store, dz = np.empty(4 * d * steps * B), np.empty((4 * d, B))
    dUb, dW4 = np.zeros((4 * d, saved["X1"].shape[2])), np.zeros((4 * d, d))
    dH = np.ascontiguousarray(dH.transpose(0, 2, 1))  # columns, (T, d, B)
    dh, ds = np.zeros((d, B)), np.zeros((d, B))
    for end in range(T, 0, -steps):
        begin = max(0, end - steps)
        dZ = store[: 4 * d * (end - begin) * B].reshape(4 * d, end - begin, B)
        for t in range(end - 1, begin - 1, -1):
            dh += dH[t]
            ds = _through_tanh(saved, t, dh, ds)
            dh, ds = _back_step(saved, t, W4T, dh, ds, dz)
            dZ[:, t - begin] = dz
        dU, dW = _weight_products(saved, dZ, slice(begin, end))
        dUb += dU
        dW4 += dW
    return unstack.unchecked(dUb[:, :-1], dW4, dUb[:, -1])


def _state_sweep(params: Params, saved: dict, dH: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The recursion of :func:`_backward_sweep` without the weight gradients, keeping what
    it passes from step to step: ∂𝓛/∂h_t and ∂𝓛/∂s_t (in total) for t = 0..T, each
    (T + 1, d, B)."""
    W4T = stack.unchecked(params)[1].T
    T, B, d = dH.shape
    dz = np.empty((4 * d, B))
    dH = dH.transpose(0, 2, 1)
    gh, gs = np.empty((T + 1, d, B)), np.empty((T + 1, d, B))
    dh, ds = np.zeros((d, B)), np.zeros((d, B))
    for t in range(T - 1, -1, -1):
        dh = dh + dH[t]
        ds = _through_tanh(saved, t, dh, ds)
        gh[t + 1], gs[t + 1] = dh, ds
        dh, ds = _back_step(saved, t, W4T, dh, ds, dz)
    gh[0], gs[0] = dh, ds
    return gh, gs


def _truncated_sweep(params: Params, saved: dict, dH: np.ndarray, truncate: int) -> Params:
    """BPTT where each ℓ_t may reach back only ``truncate`` = k steps: ``H[r][j]`` =
    ∂ℓ_{j+r}/∂(h_j, s_j) is pushed back one lag at a time for all j at once, and lags
    r = 0..k−1 are summed (k sweeps of large products). Returns the weight gradients as
    named keys (without V, c)."""
    W4T = stack.unchecked(params)[1].T
    T, B, d = dH.shape
    dZ, buf = np.zeros((T, 4 * d, B)), np.empty((T, 4 * d, B))
    Hh, Hs = dH.transpose(0, 2, 1), np.zeros((T, d, B))
    for lag in range(min(truncate, T)):
        Hs = _through_tanh(saved, slice(None), Hh, Hs)
        ph, ps = _back_step(saved, slice(None), W4T, Hh, Hs, buf)
        dZ += buf
        if lag + 1 < min(truncate, T):
            Hh, Hs = np.zeros((T, d, B)), np.zeros((T, d, B))
            Hh[:-1], Hs[:-1] = ph[1:], ps[1:]  # the gradient at j + 1 reaches state j
    dUb, dW4 = _weight_products(saved, dZ.transpose(1, 0, 2), slice(None))
    return unstack.unchecked(dUb[:, :-1], dW4, dUb[:, -1])


def _weight_products(saved: dict, dZ: np.ndarray, steps: slice) -> tuple[np.ndarray, np.ndarray]:
    """The stacked weight gradients' share of the steps ``steps``, whose δz are the columns
    of ``dZ`` (4d, steps, B): with inputs and previous outputs one row per column,
    [∂U⁽⁴⁾ ∂b⁽⁴⁾] = δZ [X 1]ᵀ (the input 1 carries b) and ∂W⁽⁴⁾ = δZ Hᵀ."""
    flat = dZ.reshape(dZ.shape[0], -1)  # a copy only for a strided dZ (the truncated sweep's)
    columns = flat.shape[1]
    dUb = matmul(flat, saved["X1"][steps].reshape(columns, -1))
    dW4 = matmul(flat, saved["H"][:-1][steps].reshape(columns, -1))
    return dUb, dW4


# --- loss and gradients -----------------------------------------------------------------------


def loss_grads_and_state(
    params: Params,
    X,
    targets,
    s0=None,
    truncate: int | None = None,
    mask=None,
    many_to_one: bool = False,
) -> tuple[float, Params, tuple[np.ndarray, np.ndarray]]:
    r"""The loss, its gradient by backpropagation through time, and the final state.

    ``targets`` int (B, T), or (B,) with ``many_to_one`` (only each sequence's last real
    step is scored). ``truncate=k``: each ℓ_t back-propagates through at most k steps (the
    notes' definition, as in ``rnn``); ``None`` = full BPTT. ``s0`` = (h0, s0) is a
    constant: no gradient flows into it. Returns ``(loss, grads, final_state)``: grads with
    exactly the keys and shapes of ``params``, final_state (h_T, s_T) as in :func:`forward`.
    """
    truncate = check_truncate(truncate)
    saved = _forward_sweep(params, X, s0, mask)
    loss, dH, grads = output_layer(params, saved["H"][1:], targets, saved["mask"], many_to_one)
    if truncate is None:
        grads.update(_backward_sweep(params, saved, dH))
    else:
        grads.update(_truncated_sweep(params, saved, dH, truncate))
    return loss, {k: grads[k] for k in KEYS}, _final_pair(saved)


def loss_and_grads(
    params: Params,
    X,
    targets,
    s0=None,
    truncate: int | None = None,
    mask=None,
    many_to_one: bool = False,
) -> tuple[float, Params]:
    """The loss and its gradient by backpropagation through time: ``(loss, grads)``, grads
    with exactly the keys and shapes of ``params``. See :func:`loss_grads_and_state` (the
    same, which also returns the final state) for the arguments."""
    loss, grads, _ = loss_grads_and_state(params, X, targets, s0, truncate, mask, many_to_one)
    return loss, grads


def state_grads(
    params: Params, X, targets, s0=None, mask=None, many_to_one: bool = False
) -> dict[str, np.ndarray]:
    r"""∂𝓛/∂h_k and ∂𝓛/∂s_k for k = 0..T (full BPTT): how much the loss depends on each state.

    Total derivatives: changing s_k changes h_k = o_k ⊙ tanh(s_k) too, so ∂𝓛/∂s_k includes
    that path (at k = 0 the given h_0 and s_0 are independent). Returns
    ``{"h": (B, T + 1, d), "s": (B, T + 1, d)}``, batch-major, entry 0 the initial state.
    With ``many_to_one`` this is ∂𝓛_T/∂s_k of the notes.
    """
    saved = _forward_sweep(params, X, s0, mask)
    _, dH, _ = output_layer(params, saved["H"][1:], targets, saved["mask"], many_to_one)
    gh, gs = _state_sweep(params, saved, dH)
    return {"h": gh.transpose(2, 0, 1), "s": gs.transpose(2, 0, 1)}


# --- the Jacobian of one step (notebook 09) ---------------------------------------------------


def _jacobian_blocks(p: Params, o, i, f, s_tilde, s, s_prev) -> np.ndarray:
    r"""The (…, 2d, 2d) Jacobian of :func:`step_jacobian` from one step's gates (…, d)."""
    d = f.shape[-1]
    diag = lambda v: v[..., :, None] * np.eye(d)  # noqa: E731 - diag(v), batched
    tanh_s = np.tanh(s)
    # ∂s_t/∂h_{t−1}: h_{t−1} enters f_t, i_t and s̃_t, each through its own W
    sh = (
        (s_prev * f * (1 - f))[..., :, None] * p["Wf"]
        + (s_tilde * i * (1 - i))[..., :, None] * p["Wi"]
        + (i * (1 - s_tilde**2))[..., :, None] * p["W"]
    )
    through_s = o * (1 - tanh_s**2)  # ∂h_t/∂s_t = diag(o_t ⊙ (1 − tanh² s_t))
    hh = (tanh_s * o * (1 - o))[..., :, None] * p["Wo"] + through_s[..., :, None] * sh
    J = np.empty((*f.shape[:-1], 2 * d, 2 * d))
    J[..., :d, :d], J[..., :d, d:] = hh, diag(through_s * f)
    J[..., d:, :d], J[..., d:, d:] = sh, diag(f)
    return J


def step_jacobian(params: Params, x, h_prev, s_prev) -> np.ndarray:
    r"""The Jacobian of one step, ∂(h_t, s_t)/∂(h_{t−1}, s_{t−1}): shape (2d, 2d), rows and
    columns ordered (h, s). With D_g the slope of block g (o(1 − o) for a gate, 1 − s̃² for
    the candidate) and s_t' = 1 − tanh² s_t:

    .. math::
        \frac{\partial s_t}{\partial s_{t-1}} &= \operatorname{diag}(f_t)
            \quad\text{(the direct path: no } W\text{, no slope)}, \\
        \frac{\partial s_t}{\partial h_{t-1}} &= \operatorname{diag}(s_{t-1} \odot D_f) W_f
            + \operatorname{diag}(\tilde s_t \odot D_i) W_i
            + \operatorname{diag}(i_t \odot D_{\tilde s}) W, \\
        \frac{\partial h_t}{\partial s_{t-1}} &= \operatorname{diag}(o_t \odot s_t' \odot f_t),
        \qquad \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(\tanh s_t \odot D_o)
            W_o + \operatorname{diag}(o_t \odot s_t')\,\frac{\partial s_t}{\partial h_{t-1}}.

    The carried state is the pair, so ∂(h_t, s_t)/∂(h_k, s_k) is the product of these for
    j = k+1..t; its (s, s) block is diag(∏ f_j) plus the terms through the h's. Arguments as
    :func:`step_forward`: ``x`` (n,), ``h_prev``, ``s_prev`` (d,).
    """
    _, _, c = step_forward(params, x, h_prev, s_prev)
    return _jacobian_blocks(params, c["o"], c["i"], c["f"], c["s_tilde"], c["s"], c["s_prev"])


def step_jacobians(params: Params, x, s0=None) -> np.ndarray:
    """:func:`step_jacobian` at every step t = 1..T along ONE sequence ``x`` (T, n), from the
    state ``s0`` (the pair (h_0, s_0), each (d,), or None for zeros): shape (T, 2d, 2d)."""
    x = check.float_array("x", x, ndim=2)
    _, cache = forward(params, x[None], s0)
    gates = [cache[g][0] for g in ("o", "i", "f", "s_tilde")]
    s = cache["s"][0]
    return _jacobian_blocks(params, *gates, s[1:], s[:-1])


# --- generating from a trained model ----------------------------------------------------------


def sample(
    params: Params,
    prefix: Sequence[int],
    length: int,
    rng=None,
    temperature: float = 1.0,
    greedy: bool = False,
    stop: int | None = None,
) -> list[int]:
    r"""Continue the token ids ``prefix`` by up to ``length`` tokens; returns the NEW tokens.

    Each input is the one-hot vector of a token (size n); each next token is drawn from
    softmax(log ŷ / temperature) (or its argmax when ``greedy``) and fed back in. Stops after
    emitting ``stop`` if given. Needs K ≤ n (outputs are valid inputs).
    """
    n, _, K = check_params(params)

    def run_prefix(X):
        probs, cache = forward(params, X)
        return probs[0, -1], cache["final_state"]

    def step(x, state):
        p, state = cell_step(params, x, state)
        return p[0], state

    return sample_loop(run_prefix, step, n, K, prefix, length, rng, temperature, greedy, stop)
