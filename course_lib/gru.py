r"""The gated recurrent unit (GRU) of the notes: an LSTM with tied input and forget gates.

Column-vector maths as in the notes, for one sequence and time steps t = 1, ..., T:

.. math::
    o_t &= \sigma(W_o s_{t-1} + U_o x_t + b_o)  &\text{reset gate}\\
    i_t &= \sigma(W_i s_{t-1} + U_i x_t + b_i)  &\text{update gate}\\
    \tilde s_t &= \tanh(W (o_t \odot s_{t-1}) + U x_t + b)  &\text{candidate state}\\
    s_t &= (1 - i_t) \odot s_{t-1} + i_t \odot \tilde s_t,
    \qquad \hat y_t = \operatorname{softmax}(V s_t + c)

There is no forget gate: 1 − i_t plays its part (input and forget tied), and the gates read
s_{t−1} directly (no h_{t−1}). Shapes: every U (d, n), every W (d, d), every b (d,),
V (K, d), c (K,).

**Where the reset gate goes.** In the notes (and Cho et al. 2014) it multiplies the state
*before* W, so W(o_t ⊙ s_{t−1}) can only be computed once o_t is known: two dependent
matrix products per step. cuDNN and PyTorch apply it *after* W (``reset_after=True``):

.. math:: \tilde s_t = \tanh(U x_t + b + o_t \odot (W s_{t-1})),

so W s_{t−1} joins the gates' products: ONE stacked product [W_o; W_i; W] s_{t−1} per step.
The two are different functions of the same parameters (equal only when o_t = 1).

**Read** :func:`step_forward` and :func:`step_backward`: one step of one sequence, these
equations line by line. **Run** :func:`forward`, :func:`loss_and_grads` and the others:
the same equations, stacked and fused, for B sequences and T steps
(tests/unit/test_gru.py holds the two equal to round-off). As in ``lstm``, the fused kernel
computes the input part of all steps in one product before the loop and uses one ``exp``
for both gates (``course_lib._kernels``); its layout is time-major (``_recurrent``).
``reset_after`` is a keyword of every function that runs the model (the notes' form is the
default). Loss, masks, truncation and the many-to-one mode are as in ``rnn``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _validate as check
from ._kernels import activate, activation_scale, matmul, matmul_rows
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

KEYS = ("Uo", "Wo", "bo", "Ui", "Wi", "bi", "U", "W", "b", "V", "c")
#: The three blocks, in the order the fused kernel stacks them, each with its keys (U, W, b):
#: the reset gate o, the update gate i, and the candidate state s̃, whose keys have no suffix.
BLOCKS = {"o": ("Uo", "Wo", "bo"), "i": ("Ui", "Wi", "bi"), "s_tilde": ("U", "W", "b")}
#: Shape pattern of each key (see ``_recurrent.check_param_shapes``).
LAYOUT = param_layout(BLOCKS)

Params = dict[str, np.ndarray]


# --- parameters -------------------------------------------------------------------------------


def init_params(
    n_in: int,
    d: int,
    n_out: int,
    rng=None,
    update_bias: float = -1.0,
    chrono: int | None = None,
    **options,
) -> Params:
    r"""Random parameters: every U ~ N(0, 1/n), every W a random orthogonal matrix (so that
    ‖W‖₂ = 1), V ~ N(0, 1/d), biases 0 except b_i = ``update_bias``.

    A negative update bias starts i_t near σ(−1) ≈ 0.27, so 1 − i_t ≈ 0.73 of the state is
    kept at each step, as with the LSTM's forget bias of 1 (the two gates play one part).
    ``chrono`` (as in ``lstm.init_params``) draws b_i = −log u, u ~ U(1, chrono − 1).

    Both placements of the reset gate use these same keys and shapes, so ``reset_after`` is
    not an option here but of :func:`forward`, :func:`loss_and_grads`, :func:`cell_step` and
    :func:`sample`. Returns the dict of :data:`KEYS`, float64.
    """
    if "reset_after" in options:
        raise TypeError(
            "reset_after is not a parameter option: both placements use the same keys and "
            "shapes. Pass reset_after=... to forward, loss_and_grads, cell_step and sample "
            "(or model_options={'reset_after': True} to train.train_recurrent)."
        )
    if options:
        raise TypeError(f"unknown options for gru.init_params: {sorted(options)}")
    n_in = check.integer("n_in", n_in, minimum=1)
    d = check.integer("d", d, minimum=1)
    n_out = check.integer("n_out", n_out, minimum=1)
    update_bias = check.real("update_bias", update_bias)
    rng = check.generator("rng", rng)
    params = block_params(rng, BLOCKS, n_in, d)
    params["bi"] += update_bias
    if chrono is not None:
        chrono = check.integer("chrono", chrono, minimum=3)
        params["bi"] = -np.log(rng.uniform(1.0, chrono - 1.0, d))
    params["V"] = rng.standard_normal((n_out, d)) / np.sqrt(d)
    params["c"] = np.zeros(n_out)
    return {k: params[k] for k in KEYS}


def check_params(params: Params) -> tuple[int, int, int]:
    """``(n_in, d, K)`` of valid GRU parameters (exactly the keys of :data:`KEYS`, every U
    (d, n), W (d, d), b (d,), V (K, d), c (K,)), or a clear error naming the bad key."""
    return check_param_shapes("GRU", params, LAYOUT)


def _stack_arguments(params: object) -> tuple:
    check_params(params)
    return (params,)


def _unstack_arguments(U3: object, W3: object, b3: object) -> tuple:
    return check_stacked(3, U3, W3, b3)


@check.checked_by(_stack_arguments)
def stack(params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stacked weights ``U⁽³⁾ (3d, n), W⁽³⁾ (3d, d), b⁽³⁾ (3d,)`` in :data:`BLOCKS`
    order."""
    return tuple(np.concatenate([params[keys[j]] for keys in BLOCKS.values()]) for j in range(3))


@check.checked_by(_unstack_arguments)
def unstack(U3: np.ndarray, W3: np.ndarray, b3: np.ndarray) -> Params:
    """The inverse of :func:`stack`: named keys (without V and c)."""
    d = W3.shape[1]
    out = {}
    for j, (U, W, b) in enumerate(BLOCKS.values()):
        rows = slice(j * d, (j + 1) * d)
        out[U], out[W], out[b] = U3[rows], W3[rows], b3[rows]
    return out


def _check_reset_after(reset_after) -> bool:
    if not isinstance(reset_after, bool | np.bool_):
        raise TypeError(f"reset_after must be True or False, got {reset_after!r}")
    return bool(reset_after)


# --- one step, as in the notes -----------------------------------------------------------------


def step_forward(params: Params, x, s_prev, reset_after: bool = False) -> tuple[np.ndarray, dict]:
    r"""One GRU step for ONE sequence, in the notes' column vectors.

    .. math::
        o_t &= \sigma(W_o s_{t-1} + U_o x_t + b_o), \qquad
        i_t = \sigma(W_i s_{t-1} + U_i x_t + b_i), \\
        \tilde s_t &= \tanh(W (o_t \odot s_{t-1}) + U x_t + b)
        \quad \text{or, with } \texttt{reset\_after}, \quad
        \tanh(U x_t + b + o_t \odot (W s_{t-1})), \\
        s_t &= (1 - i_t) \odot s_{t-1} + i_t \odot \tilde s_t

    ``x`` = x_t (n,), ``s_prev`` = s_{t−1} (d,); every U (d, n), W (d, d), b (d,). Returns
    ``(s, cache)``: s_t (d,), and what :func:`step_backward` needs, with the gates ``o``
    (reset), ``i`` (update) and the candidate ``s_tilde`` (d,).
    """
    reset_after = _check_reset_after(reset_after)
    n, d, _ = check_params(params)
    x, s_prev = vector("x", x, n), vector("s_prev", s_prev, d)
    p = params
    o = logistic.unchecked(p["Wo"] @ s_prev + p["Uo"] @ x + p["bo"])  # reset gate
    i = logistic.unchecked(p["Wi"] @ s_prev + p["Ui"] @ x + p["bi"])  # update gate
    if reset_after:
        s_tilde = np.tanh(p["U"] @ x + p["b"] + o * (p["W"] @ s_prev))
    else:
        s_tilde = np.tanh(p["W"] @ (o * s_prev) + p["U"] @ x + p["b"])
    s = (1.0 - i) * s_prev + i * s_tilde
    cache = {"params": p, "x": x, "s_prev": s_prev, "o": o, "i": i, "s_tilde": s_tilde}
    return s, dict(cache, s=s, reset_after=reset_after)


def step_backward(ds, cache: dict) -> tuple[np.ndarray, np.ndarray, Params]:
    r"""Back through one step: ``ds`` = ∂𝓛/∂s_t (d,), in total (from ℓ_t and from the steps
    after t), and the ``cache`` of :func:`step_forward`. With a_g the pre-activation of
    block g and r the reset gate's product (r = o_t ⊙ s_{t−1} in the notes' form, then
    s̃_t = tanh(W r + …); r = W s_{t−1} with ``reset_after``, then s̃_t = tanh(o_t ⊙ r + …)):

    .. math::
        \delta a_{\tilde s} &= \delta s \odot i_t \odot (1 - \tilde s_t^2), \qquad
        \delta a_i = \delta s \odot (\tilde s_t - s_{t-1}) \odot i_t (1 - i_t), \\
        \text{notes:}\quad \delta r &= W^\top \delta a_{\tilde s}, \quad
        \delta a_o = \delta r \odot s_{t-1} \odot o_t(1 - o_t), \quad
        \frac{\partial \mathcal L}{\partial W} = \delta a_{\tilde s}\, r^\top, \\
        \texttt{reset\_after:}\quad \delta r &= \delta a_{\tilde s} \odot o_t, \quad
        \delta a_o = \delta a_{\tilde s} \odot r \odot o_t(1 - o_t), \quad
        \frac{\partial \mathcal L}{\partial W} = \delta r\, s_{t-1}^\top, \\
        \frac{\partial \mathcal L}{\partial s_{t-1}} &= \delta s \odot (1 - i_t)
        + W_o^\top \delta a_o + W_i^\top \delta a_i
        + \bigl(\delta r \odot o_t \ \text{(notes)} \ \text{or} \ W^\top \delta r\bigr),

    and ∂𝓛/∂U_g = δa_g x_tᵀ, ∂𝓛/∂b_g = δa_g, ∂𝓛/∂W_g = δa_g s_{t−1}ᵀ for the two gates,
    ∂𝓛/∂x_t = Σ_g U_gᵀ δa_g. Returns ``(dx (n,), ds_prev (d,), grads)``: grads holds this
    step's share of the gradient of every key of :data:`BLOCKS`.
    """
    c, p = cache, cache["params"]
    ds = vector("ds", ds, c["s"].size)
    x, s_prev, o, i, s_tilde = c["x"], c["s_prev"], c["o"], c["i"], c["s_tilde"]
    da_s = ds * i * (1.0 - s_tilde**2)
    da_i = ds * (s_tilde - s_prev) * i * (1.0 - i)
    if c["reset_after"]:
        r = p["W"] @ s_prev
        dr = da_s * o
        da_o = da_s * r * o * (1.0 - o)
        dW, through_r = np.outer(dr, s_prev), p["W"].T @ dr
    else:
        r = o * s_prev
        dr = p["W"].T @ da_s
        da_o = dr * s_prev * o * (1.0 - o)
        dW, through_r = np.outer(da_s, r), dr * o
    ds_prev = ds * (1.0 - i) + p["Wo"].T @ da_o + p["Wi"].T @ da_i + through_r
    dx = p["Uo"].T @ da_o + p["Ui"].T @ da_i + p["U"].T @ da_s
    grads = {"Uo": np.outer(da_o, x), "Wo": np.outer(da_o, s_prev), "bo": da_o}
    grads.update(Ui=np.outer(da_i, x), Wi=np.outer(da_i, s_prev), bi=da_i)
    grads.update(U=np.outer(da_s, x), W=dW, b=da_s)
    return dx, ds_prev, grads


# --- forward: the fused kernel ---------------------------------------------------------------


def _forward_sweep(params: Params, X, s0, mask, reset_after: bool) -> dict:
    """The equations of :func:`step_forward`, stacked and fused: the time loop for B
    sequences, every array time-major (T, B, ...). Returns the arrays that the backward
    sweeps read (``saved``)."""
    reset_after = _check_reset_after(reset_after)
    n, d, _ = check_params(params)
    X, mask = check_batch(X, n, d, mask)
    B, T, _ = X.shape
    S = np.empty((T + 1, B, d))
    S[0] = initial_state("s0", s0, B, d)
    U3, W3, b3 = stack.unchecked(params)
    # The activation scale (−1 on the gate rows, −2 on the candidate's) is folded into the
    # weights, so that one exp gives both gates (see _kernels.activate).
    scale = activation_scale(2 * d, d)
    Xt = np.ascontiguousarray(X.transpose(1, 0, 2))
    G = matmul_rows(Xt, (U3 * scale[:, None]).T) + b3 * scale  # input part of all steps
    R = np.empty((T, B, d))  # o ⊙ s_{t−1} (notes) or W s_{t−1} (reset_after)
    pad = None if mask.all() else mask.T == 0
    if reset_after:  # ONE product per step: [W_o; W_i; W] s_{t−1}
        W_all = np.ascontiguousarray((W3 * scale[:, None]).T)
    else:  # the gates first, then W (o ⊙ s_{t−1}): two dependent products
        W_gates = np.ascontiguousarray((W3[: 2 * d] * scale[: 2 * d, None]).T)
        W_cand = np.ascontiguousarray(-2.0 * W3[2 * d :].T)
    recurrent_part = np.empty((B, 3 * d if reset_after else 2 * d))
    with np.errstate(over="ignore"):
        for t in range(T):
            z, s = G[t], S[t]
            gates, cand = z[:, : 2 * d], z[:, 2 * d :]
            if reset_after:
                matmul(s, W_all, out=recurrent_part)
                gates += recurrent_part[:, : 2 * d]
                np.multiply(recurrent_part[:, 2 * d :], -0.5, out=R[t])  # W s_{t−1}
            else:
                gates += matmul(s, W_gates, out=recurrent_part)
            activate(gates, 2 * d)  # o_t, i_t
            o, i = gates[:, :d], gates[:, d:]
            if reset_after:
                cand += (-2.0 * o) * R[t]
            else:
                np.multiply(o, s, out=R[t])
                cand += matmul(R[t], W_cand)
            activate(cand, 0)  # s̃_t
            np.subtract(cand, s, out=S[t + 1])
            S[t + 1] *= i
            S[t + 1] += s  # s_t = s_{t−1} + i_t ⊙ (s̃_t − s_{t−1})
            if pad is not None and pad[t].any():
                S[t + 1, pad[t]] = s[pad[t]]
    mask = None if pad is None else mask
    return {"X": Xt, "S": S, "G": G, "R": R, "mask": mask, "d": d, "reset_after": reset_after}


def forward(
    params: Params, X, s0=None, mask=None, reset_after: bool = False
) -> tuple[np.ndarray, dict]:
    r"""Run the GRU over whole sequences.

    ``X`` float (B, T, n); ``s0`` (B, d) or (d,) (zeros if None); ``mask`` (B, T) of 0/1;
    ``reset_after`` chooses the reset-gate placement (module docstring). Returns ``probs``
    (B, T, K) and ``cache``: ``s`` (B, T + 1, d) (s_0 first), the gates ``o`` (reset), ``i``
    (update) and the candidate ``s_tilde`` (B, T, d), ``X``, ``mask`` and ``reset_after``;
    and ``final_state``: s_T (B, d), the state after each sequence's last real step, to pass
    as ``s0`` of the next chunk of the same sequences.
    """
    saved = _forward_sweep(params, X, s0, mask, reset_after)
    d, G, S = saved["d"], saved["G"], saved["S"]
    B, T = S.shape[1], S.shape[0] - 1
    bm = lambda a: a.transpose(1, 0, 2)  # noqa: E731 - batch-major views of the same memory
    cache = {block: bm(G[..., j * d : (j + 1) * d]) for j, block in enumerate(BLOCKS)}
    mask = np.ones((B, T)) if saved["mask"] is None else saved["mask"]
    cache.update(s=bm(S), X=bm(saved["X"]), mask=mask, reset_after=saved["reset_after"])
    cache.update(final_state=S[T].copy())
    return probabilities(params, S[1:]), cache


def cell_step(
    params: Params, x_t, state=None, reset_after: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """One time step for B sequences: ``x_t`` (B, n), ``state`` = s_{t−1} (B, d) or None.

    Returns ``(probs_t (B, K), s_t (B, d))``.
    """
    x_t = check.float_array("x_t", x_t, ndim=2)
    saved = _forward_sweep(params, x_t[:, None, :], state, None, reset_after)
    s = saved["S"][1]
    return probabilities(params, s[None])[:, 0], s


# --- backpropagation through time: the fused kernel --------------------------------------------


def _local_derivatives(saved: dict) -> dict:
    r"""Per-step factors of :func:`step_backward`, for all steps at once (T, B, ...).

    With δs = ∂/∂s_t arriving at step t, and z the pre-activations:

    .. math:: \delta z_{\tilde s} = \delta s \odot i_t \odot (1 - \tilde s_t^2), \qquad
              \delta z_i = \delta s \odot (\tilde s_t - s_{t-1}) \odot i_t(1 - i_t),

    then, in the notes' form, δr = Wᵀ δz_s̃ is the gradient of r = o_t ⊙ s_{t−1} and
    δz_o = δr ⊙ s_{t−1} ⊙ o_t(1 − o_t); with ``reset_after``, r = W s_{t−1},
    δr = δz_s̃ ⊙ o_t and δz_o = δz_s̃ ⊙ r ⊙ o_t(1 − o_t). Finally

    .. math:: \frac{\partial}{\partial s_{t-1}} = \delta s \odot (1 - i_t)
              + [\delta z_o; \delta z_i]^\top [W_o; W_i]
              + \bigl(o_t \odot W^\top \delta z_{\tilde s} \text{ or } W^\top \delta r\bigr).
    """
    G, S, R, d = saved["G"], saved["S"], saved["R"], saved["d"]
    o, i, g = (G[..., j * d : (j + 1) * d] for j in range(3))
    s_prev = S[:-1]
    out = {
        "A_g": i * (1.0 - g * g),
        "A_i": (g - s_prev) * i * (1.0 - i),
        "A_o": (R if saved["reset_after"] else s_prev) * o * (1.0 - o),
        "o": o.copy(),
        "F": 1.0 - i,
    }
    if saved["mask"] is not None:  # a padded step: no gradient to z, identity to s_{t−1}
        m = saved["mask"].T[..., None]
        for key in ("A_g", "A_i", "A_o", "o"):
            out[key] *= m
        out["F"] = out["F"] * m + (1.0 - m)
    return out


def _back_step(
    local: dict, W3: np.ndarray, reset_after: bool, ds, t, dz: np.ndarray, dr: np.ndarray
):
    """Back through step(s) ``t`` (an index, or ``slice(None)`` for all steps at once), with
    the factors ``local`` of :func:`_local_derivatives`: writes ∂/∂z_t (…, B, 3d) into
    ``dz`` and ∂/∂r_t into ``dr``; returns ∂/∂s_{t−1}."""
    d = W3.shape[1]
    dz_o, dz_i, dz_g = dz[..., :d], dz[..., d : 2 * d], dz[..., 2 * d :]
    np.multiply(ds, local["A_g"][t], out=dz_g)
    np.multiply(ds, local["A_i"][t], out=dz_i)
    ds_prev = ds * local["F"][t]
    if reset_after:
        np.multiply(dz_g, local["A_o"][t], out=dz_o)
        np.multiply(dz_g, local["o"][t], out=dr)
        gathered = np.concatenate([dz[..., : 2 * d], dr], axis=-1)
        ds_prev += matmul_rows(gathered, W3)  # one product: [W_o; W_i; W]ᵀ [δz_o; δz_i; δr]
        return ds_prev
    dr[...] = matmul_rows(dz_g, W3[2 * d :])  # ∂/∂(o ⊙ s_{t−1})
    np.multiply(dr, local["A_o"][t], out=dz_o)
    ds_prev += dr * local["o"][t]
    ds_prev += matmul_rows(dz[..., : 2 * d], W3[: 2 * d])
    return ds_prev


def _backward_sweep(params: Params, saved: dict, dS: np.ndarray):
    """Full BPTT: :func:`step_backward` from the last step to the first, for B sequences at
    once. Returns ∂𝓛/∂z (T, B, 3d) and ∂𝓛/∂r (T, B, d) for every step, given ∂𝓛/∂s_t from
    the outputs, ``dS`` (T, B, d); the weight gradients follow from them (:func:`_weight_grads`)."""
    W3, local = stack.unchecked(params)[1], _local_derivatives(saved)
    T, B, d = dS.shape
    dZ, dR = np.empty((T, B, 3 * d)), np.empty((T, B, d))
    ds = np.zeros((B, d))
    for t in range(T - 1, -1, -1):
        ds = _back_step(local, W3, saved["reset_after"], dS[t] + ds, t, dZ[t], dR[t])
    return dZ, dR


def _state_sweep(params: Params, saved: dict, dS: np.ndarray) -> np.ndarray:
    """The recursion of :func:`_backward_sweep`, keeping what it passes from step to step:
    ∂𝓛/∂s_t in total for t = 0..T, (T + 1, B, d)."""
    W3, local = stack.unchecked(params)[1], _local_derivatives(saved)
    T, B, d = dS.shape
    dz, dr = np.empty((B, 3 * d)), np.empty((B, d))
    seen = np.empty((T + 1, B, d))
    ds = np.zeros((B, d))
    for t in range(T - 1, -1, -1):
        seen[t + 1] = ds = dS[t] + ds
        ds = _back_step(local, W3, saved["reset_after"], ds, t, dz, dr)
    seen[0] = ds
    return seen


def _truncated_sweep(params: Params, saved: dict, dS: np.ndarray, truncate: int):
    """BPTT where each ℓ_t may reach back only ``truncate`` = k steps: lags r = 0..k−1 of
    ∂ℓ_{j+r}/∂s_j, pushed back one lag at a time for all j at once (as in ``lstm``) and
    summed. Returns ∂𝓛/∂z (T, B, 3d) and ∂𝓛/∂r (T, B, d)."""
    W3, local = stack.unchecked(params)[1], _local_derivatives(saved)
    T, B, d = dS.shape
    dZ, dR = np.zeros((T, B, 3 * d)), np.zeros((T, B, d))
    bz, br = np.empty_like(dZ), np.empty_like(dR)
    H = dS
    for lag in range(min(truncate, T)):
        prev = _back_step(local, W3, saved["reset_after"], H, slice(None), bz, br)
        dZ += bz
        dR += br
        if lag + 1 < min(truncate, T):
            H = np.zeros_like(dS)
            H[:-1] = prev[1:]  # the gradient at j + 1 reaches state j
    return dZ, dR


def _weight_grads(saved: dict, dZ: np.ndarray, dR: np.ndarray) -> Params:
    """The stacked weight gradients from all steps at once, as named keys (without V, c)."""
    T, B, G3 = dZ.shape
    d = G3 // 3
    flat = dZ.reshape(T * B, G3)
    S_prev = saved["S"][:-1].reshape(T * B, d)
    dU3 = matmul(flat.T, saved["X"].reshape(T * B, -1))
    if saved["reset_after"]:  # every block of W multiplies s_{t−1}
        dW3 = matmul(np.concatenate([flat[:, : 2 * d], dR.reshape(T * B, d)], axis=1).T, S_prev)
    else:  # the gates' W multiply s_{t−1}; the candidate's W multiplies o ⊙ s_{t−1}
        dW3 = np.concatenate(
            [
                matmul(flat[:, : 2 * d].T, S_prev),
                matmul(flat[:, 2 * d :].T, saved["R"].reshape(T * B, d)),
            ]
        )
    return unstack(dU3, dW3, flat.sum(axis=0))


# --- loss and gradients -----------------------------------------------------------------------


def loss_grads_and_state(
    params: Params,
    X,
    targets,
    s0=None,
    truncate: int | None = None,
    mask=None,
    many_to_one: bool = False,
    reset_after: bool = False,
) -> tuple[float, Params, np.ndarray]:
    r"""The loss, its gradient by backpropagation through time, and the final state.

    ``targets`` int (B, T), or (B,) with ``many_to_one``; ``truncate=k``: each ℓ_t
    back-propagates through at most k steps (None = full BPTT); ``reset_after`` as in
    :func:`forward`. ``s0`` is a constant: no gradient flows into it. Returns
    ``(loss, grads, final_state)``: grads with exactly the keys of ``params``, final_state
    s_T (B, d) as in :func:`forward`.
    """
    truncate = check_truncate(truncate)
    saved = _forward_sweep(params, X, s0, mask, reset_after)
    loss, dS, grads = output_layer(params, saved["S"][1:], targets, saved["mask"], many_to_one)
    if truncate is None:
        dZ, dR = _backward_sweep(params, saved, dS)
    else:
        dZ, dR = _truncated_sweep(params, saved, dS, truncate)
    grads.update(_weight_grads(saved, dZ, dR))
    return loss, {k: grads[k] for k in KEYS}, saved["S"][-1].copy()


def loss_and_grads(
    params: Params,
    X,
    targets,
    s0=None,
    truncate: int | None = None,
    mask=None,
    many_to_one: bool = False,
    reset_after: bool = False,
) -> tuple[float, Params]:
    """The loss and its gradient by backpropagation through time: ``(loss, grads)``, grads
    with exactly the keys of ``params``. See :func:`loss_grads_and_state` (the same, which
    also returns the final state) for the arguments."""
    loss, grads, _ = loss_grads_and_state(
        params, X, targets, s0, truncate, mask, many_to_one, reset_after
    )
    return loss, grads


def state_grads(
    params: Params,
    X,
    targets,
    s0=None,
    mask=None,
    many_to_one: bool = False,
    reset_after: bool = False,
) -> dict[str, np.ndarray]:
    r"""∂𝓛/∂s_k for k = 0..T (total derivatives, full BPTT), as ``{"s": (B, T + 1, d)}``
    (entry k = 0 is s_0). With ``many_to_one`` this is ∂𝓛_T/∂s_k of the notes."""
    saved = _forward_sweep(params, X, s0, mask, reset_after)
    _, dS, _ = output_layer(params, saved["S"][1:], targets, saved["mask"], many_to_one)
    return {"s": _state_sweep(params, saved, dS).transpose(1, 0, 2)}


# --- the Jacobian of one step (notebook 09) ---------------------------------------------------


def _jacobian(p: Params, o, i, s_tilde, s_prev, reset_after: bool) -> np.ndarray:
    r"""The (…, d, d) Jacobian of :func:`step_jacobian` from one step's gates (…, d)."""
    d = i.shape[-1]
    rows = lambda v, M: v[..., :, None] * M  # noqa: E731 - diag(v) M, batched
    if reset_after:  # a = Ux + b + o ⊙ (W s): ∂a/∂s = diag(o) W + diag(W s ⊙ o(1 − o)) W_o
        Ws = s_prev @ p["W"].T
        da = rows(o, p["W"]) + rows(Ws * o * (1 - o), p["Wo"])
    else:  # a = W (o ⊙ s) + Ux + b: ∂a/∂s = W diag(o) + W diag(s ⊙ o(1 − o)) W_o
        da = p["W"] * o[..., None, :] + p["W"] @ rows(s_prev * o * (1 - o), p["Wo"])
    direct = (1 - i)[..., :, None] * np.eye(d)
    return direct + rows((s_tilde - s_prev) * i * (1 - i), p["Wi"]) + rows(i * (1 - s_tilde**2), da)


def step_jacobian(params: Params, x, s_prev, reset_after: bool = False) -> np.ndarray:
    r"""∂s_t/∂s_{t−1} of one GRU step, shape (d, d). With a_t the candidate's pre-activation:

    .. math::
        \frac{\partial s_t}{\partial s_{t-1}} = \operatorname{diag}(1 - i_t)
        + \operatorname{diag}\bigl((\tilde s_t - s_{t-1}) \odot i_t(1 - i_t)\bigr) W_i
        + \operatorname{diag}\bigl(i_t \odot (1 - \tilde s_t^2)\bigr)
          \frac{\partial a_t}{\partial s_{t-1}},

    with ∂a_t/∂s_{t−1} = W diag(o_t) + W diag(s_{t−1} ⊙ o_t(1 − o_t)) W_o in the notes' form
    and diag(o_t) W + diag(W s_{t−1} ⊙ o_t(1 − o_t)) W_o with ``reset_after``. The first
    term is the direct path: no W, no slope. Arguments as :func:`step_forward`.
    """
    _, c = step_forward(params, x, s_prev, reset_after)
    return _jacobian(params, c["o"], c["i"], c["s_tilde"], c["s_prev"], c["reset_after"])


def step_jacobians(params: Params, x, s0=None, reset_after: bool = False) -> np.ndarray:
    """:func:`step_jacobian` at every step t = 1..T along ONE sequence ``x`` (T, n), from
    ``s0`` (d,) or None (zeros): shape (T, d, d)."""
    x = check.float_array("x", x, ndim=2)
    _, cache = forward(params, x[None], s0, reset_after=reset_after)
    s = cache["s"][0]
    o, i, s_tilde = cache["o"][0], cache["i"][0], cache["s_tilde"][0]
    return _jacobian(params, o, i, s_tilde, s[:-1], cache["reset_after"])


# --- generating from a trained model ----------------------------------------------------------


def sample(
    params: Params,
    prefix: Sequence[int],
    length: int,
    rng=None,
    temperature: float = 1.0,
    greedy: bool = False,
    stop: int | None = None,
    reset_after: bool = False,
) -> list[int]:
    r"""Continue the token ids ``prefix`` by up to ``length`` tokens; returns the NEW tokens.

    Each next token is drawn from softmax(log ŷ / temperature) (or its argmax when
    ``greedy``) and fed back in; stops after emitting ``stop`` if given. Needs K ≤ n.
    """
    n, _, K = check_params(params)
    _check_reset_after(reset_after)

    def run_prefix(X):
        probs, cache = forward(params, X, reset_after=reset_after)
        return probs[0, -1], cache["final_state"]

    def step(x, state):
        p, state = cell_step(params, x, state, reset_after)
        return p[0], state

    return sample_loop(run_prefix, step, n, K, prefix, length, rng, temperature, greedy, stop)
