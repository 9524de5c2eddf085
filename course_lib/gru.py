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

As in ``lstm``, the input part of all steps is one product before the loop, and
``reset_after`` is a keyword of every function that runs the model (the notes' form is the
default). Loss, masks, truncation and the many-to-one mode are as in ``rnn``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _recurrent as rec
from . import _validate as check

KEYS = ("Uo", "Wo", "bo", "Ui", "Wi", "bi", "U", "W", "b", "V", "c")
#: Order of the stacked blocks: reset gate, update gate, then the candidate ("").
GATES = ("o", "i", "")
_LAYOUT = {k + g: p for g in GATES for k, p in (("U", "dn"), ("W", "dd"), ("b", "d"))}
_LAYOUT.update(V="Kd", c="K")

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
    params = rec.gate_params(rng, GATES, n_in, d)
    params["bi"] += update_bias
    if chrono is not None:
        chrono = check.integer("chrono", chrono, minimum=3)
        params["bi"] = -np.log(rng.uniform(1.0, chrono - 1.0, d))
    params["V"] = rng.standard_normal((n_out, d)) / np.sqrt(d)
    params["c"] = np.zeros(n_out)
    return {k: params[k] for k in KEYS}


def sizes(params: Params) -> tuple[int, int, int]:
    """``(n_in, d, K)`` of valid GRU parameters, or a clear error naming the bad key."""
    return rec.check_params("GRU", params, _LAYOUT)


def stack(params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stacked weights ``U⁽³⁾ (3d, n), W⁽³⁾ (3d, d), b⁽³⁾ (3d,)`` in :data:`GATES` order."""
    return tuple(np.concatenate([params[k + g] for g in GATES]) for k in "UWb")


def unstack(U3: np.ndarray, W3: np.ndarray, b3: np.ndarray) -> Params:
    """The inverse of :func:`stack`: named keys (without V and c)."""
    d = W3.shape[1]
    out = {}
    for j, g in enumerate(GATES):
        rows = slice(j * d, (j + 1) * d)
        out["U" + g], out["W" + g], out["b" + g] = U3[rows], W3[rows], b3[rows]
    return out


def _check_reset_after(reset_after) -> bool:
    if not isinstance(reset_after, bool | np.bool_):
        raise TypeError(f"reset_after must be True or False, got {reset_after!r}")
    return bool(reset_after)


# --- forward ----------------------------------------------------------------------------------


def _run(params: Params, X, s0, mask, reset_after: bool) -> dict:
    """The time loop; every array is time-major (T, B, ...). See :func:`forward`."""
    reset_after = _check_reset_after(reset_after)
    n, d, _ = sizes(params)
    X, mask = rec.check_sequences(X, n, d, mask)
    B, T, _ = X.shape
    S = np.empty((T + 1, B, d))
    S[0] = rec.initial_state("s0", s0, B, d)
    U3, W3, b3 = stack(params)
    # The activation scale (−1 on the gate rows, −2 on the candidate's) is folded into the
    # weights, so that one exp gives both gates (see _recurrent.activate).
    scale = rec.activation_scale(2 * d, d)
    Xt = np.ascontiguousarray(X.transpose(1, 0, 2))
    G = rec.mm(Xt, (U3 * scale[:, None]).T) + b3 * scale  # input part of all steps at once
    R = np.empty((T, B, d))  # o ⊙ s_{t−1} (notes) or W s_{t−1} (reset_after)
    pad = None if mask is None else mask.T == 0
    if reset_after:  # ONE product per step: [W_o; W_i; W] s_{t−1}
        W_all = np.ascontiguousarray((W3 * scale[:, None]).T)
    else:  # the gates first, then W (o ⊙ s_{t−1}): two dependent products
        W_gates = np.ascontiguousarray((W3[: 2 * d] * scale[: 2 * d, None]).T)
        W_cand = np.ascontiguousarray(-2.0 * W3[2 * d :].T)
    rec_part = np.empty((B, 3 * d if reset_after else 2 * d))
    with np.errstate(over="ignore"):
        for t in range(T):
            z, s = G[t], S[t]
            gates, cand = z[:, : 2 * d], z[:, 2 * d :]
            if reset_after:
                rec.matmul(s, W_all, out=rec_part)
                gates += rec_part[:, : 2 * d]
                np.multiply(rec_part[:, 2 * d :], -0.5, out=R[t])  # W s_{t−1}
            else:
                gates += rec.matmul(s, W_gates, out=rec_part)
            rec.activate(gates, 2 * d)  # o_t, i_t
            o, i = gates[:, :d], gates[:, d:]
            if reset_after:
                cand += (-2.0 * o) * R[t]
            else:
                np.multiply(o, s, out=R[t])
                cand += rec.matmul(R[t], W_cand)
            rec.activate(cand, 0)  # s̃_t
            np.subtract(cand, s, out=S[t + 1])
            S[t + 1] *= i
            S[t + 1] += s  # s_t = s_{t−1} + i_t ⊙ (s̃_t − s_{t−1})
            if pad is not None and pad[t].any():
                S[t + 1, pad[t]] = s[pad[t]]
    return {"X": Xt, "S": S, "G": G, "R": R, "mask": mask, "d": d, "reset_after": reset_after}


def forward(
    params: Params, X, s0=None, mask=None, reset_after: bool = False
) -> tuple[np.ndarray, dict]:
    r"""Run the GRU over whole sequences.

    ``X`` float (B, T, n); ``s0`` (B, d) or (d,) (zeros if None); ``mask`` (B, T) of 0/1;
    ``reset_after`` chooses the reset-gate placement (module docstring). Returns ``probs``
    (B, T, K) and ``cache``: ``s`` (B, T + 1, d) (s_0 first), the gates ``o`` (reset), ``i``
    (update) and the candidate ``s_tilde`` (B, T, d), ``X``, ``mask`` and ``reset_after``.
    """
    run = _run(params, X, s0, mask, reset_after)
    d = run["d"]
    bm = lambda a: a.transpose(1, 0, 2)  # noqa: E731 - batch-major views of the same memory
    gates = {g or "s_tilde": bm(run["G"][..., j * d : (j + 1) * d]) for j, g in enumerate(GATES)}
    cache = {"s": bm(run["S"]), **gates, "X": bm(run["X"]), "mask": mask}
    cache.update(reset_after=run["reset_after"], _run=run)
    return rec.probabilities(params, run["S"][1:]), cache


def cell_step(
    params: Params, x_t, state=None, reset_after: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """One time step for B sequences: ``x_t`` (B, n), ``state`` = s_{t−1} (B, d) or None.

    Returns ``(probs_t (B, K), s_t (B, d))``.
    """
    x_t = check.float_array("x_t", x_t, ndim=2)
    run = _run(params, x_t[:, None, :], state, None, reset_after)
    s = run["S"][1]
    return rec.probabilities(params, s[None])[:, 0], s


# --- loss and backpropagation through time ----------------------------------------------------


def _local_derivatives(run: dict) -> dict:
    r"""Per-step factors of the backward pass, for all steps at once (T, B, ...).

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
    G, S, R, d = run["G"], run["S"], run["R"], run["d"]
    o, i, g = (G[..., j * d : (j + 1) * d] for j in range(3))
    s_prev = S[:-1]
    out = {
        "A_g": i * (1.0 - g * g),
        "A_i": (g - s_prev) * i * (1.0 - i),
        "A_o": (R if run["reset_after"] else s_prev) * o * (1.0 - o),
        "o": o.copy(),
        "F": 1.0 - i,
    }
    if run["mask"] is not None:  # a padded step: no gradient to z, identity to s_{t−1}
        m = run["mask"].T[..., None]
        for key in ("A_g", "A_i", "A_o", "o"):
            out[key] *= m
        out["F"] = out["F"] * m + (1.0 - m)
    return out


def _back_step(k: dict, W3: np.ndarray, reset_after: bool, ds, t, dz: np.ndarray, dr: np.ndarray):
    """Back through step(s) ``t`` (an index, or ``slice(None)`` for all steps at once):
    writes ∂/∂z_t (…, B, 3d) into ``dz`` and ∂/∂r_t into ``dr``; returns ∂/∂s_{t−1}."""
    d = W3.shape[1]
    dz_o, dz_i, dz_g = dz[..., :d], dz[..., d : 2 * d], dz[..., 2 * d :]
    np.multiply(ds, k["A_g"][t], out=dz_g)
    np.multiply(ds, k["A_i"][t], out=dz_i)
    ds_prev = ds * k["F"][t]
    if reset_after:
        np.multiply(dz_g, k["A_o"][t], out=dz_o)
        np.multiply(dz_g, k["o"][t], out=dr)
        gathered = np.concatenate([dz[..., : 2 * d], dr], axis=-1)
        ds_prev += rec.mm(gathered, W3)  # one product: [W_o; W_i; W]ᵀ [δz_o; δz_i; δr]
        return ds_prev
    dr[...] = rec.mm(dz_g, W3[2 * d :])  # ∂/∂(o ⊙ s_{t−1})
    np.multiply(dr, k["A_o"][t], out=dz_o)
    ds_prev += dr * k["o"][t]
    ds_prev += rec.mm(dz[..., : 2 * d], W3[: 2 * d])
    return ds_prev


def _backward(params: Params, run: dict, dS: np.ndarray, truncate: int | None, record=False):
    """∂𝓛/∂z (T, B, 3d) and ∂𝓛/∂r (T, B, d) for every step, given ∂𝓛/∂s_t from the outputs.

    Full BPTT is one backward sweep; ``truncate=k`` sums lags r = 0..k−1 of ∂ℓ_{j+r}/∂s_j
    for all j at once, as in ``lstm``. ``record`` (full BPTT only) also returns ∂𝓛/∂s_t for
    t = 0..T, (T + 1, B, d).
    """
    _, W3, _ = stack(params)
    k = _local_derivatives(run)
    reset_after = run["reset_after"]
    T, B, d = dS.shape
    dZ, dR = np.empty((T, B, 3 * d)), np.empty((T, B, d))
    if truncate is None:
        ds = np.zeros((B, d))
        seen = np.empty((T + 1, B, d)) if record else None
        for t in range(T - 1, -1, -1):
            ds = dS[t] + ds
            if record:
                seen[t + 1] = ds
            ds = _back_step(k, W3, reset_after, ds, t, dZ[t], dR[t])
        if record:
            seen[0] = ds
            return dZ, dR, seen
        return dZ, dR
    dZ.fill(0.0)
    dR.fill(0.0)
    bz, br = np.empty_like(dZ), np.empty_like(dR)
    H = dS
    for lag in range(min(truncate, T)):
        prev = _back_step(k, W3, reset_after, H, slice(None), bz, br)
        dZ += bz
        dR += br
        if lag + 1 < min(truncate, T):
            H = np.zeros_like(dS)
            H[:-1] = prev[1:]  # the gradient at j + 1 reaches state j
    return dZ, dR


def _weight_grads(run: dict, dZ: np.ndarray, dR: np.ndarray) -> Params:
    """The stacked weight gradients from all steps at once, as named keys (without V, c)."""
    T, B, G3 = dZ.shape
    d = G3 // 3
    flat = dZ.reshape(T * B, G3)
    S_prev = run["S"][:-1].reshape(T * B, d)
    dU3 = rec.matmul(flat.T, run["X"].reshape(T * B, -1))
    if run["reset_after"]:  # every block of W multiplies s_{t−1}
        dW3 = rec.matmul(np.concatenate([flat[:, : 2 * d], dR.reshape(T * B, d)], axis=1).T, S_prev)
    else:  # the gates' W multiply s_{t−1}; the candidate's W multiplies o ⊙ s_{t−1}
        dW3 = np.concatenate(
            [
                rec.matmul(flat[:, : 2 * d].T, S_prev),
                rec.matmul(flat[:, 2 * d :].T, run["R"].reshape(T * B, d)),
            ]
        )
    return unstack(dU3, dW3, flat.sum(axis=0))


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
    r"""The loss and its gradient by backpropagation through time.

    ``targets`` int (B, T), or (B,) with ``many_to_one``; ``truncate=k``: each ℓ_t
    back-propagates through at most k steps (None = full BPTT); ``reset_after`` as in
    :func:`forward`. Returns ``(loss, grads)``, grads with exactly the keys of ``params``.
    """
    truncate = rec.check_truncate(truncate)
    run = _run(params, X, s0, mask, reset_after)
    loss, dS, grads = rec.output_layer(params, run["S"][1:], targets, run["mask"], many_to_one)
    dZ, dR = _backward(params, run, dS, truncate)
    grads.update(_weight_grads(run, dZ, dR))
    return loss, {k: grads[k] for k in KEYS}


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
    run = _run(params, X, s0, mask, reset_after)
    _, dS, _ = rec.output_layer(params, run["S"][1:], targets, run["mask"], many_to_one)
    *_, seen = _backward(params, run, dS, None, record=True)
    return {"s": seen.transpose(1, 0, 2)}


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
    n, _, K = sizes(params)
    _check_reset_after(reset_after)

    def run_prefix(X):
        probs, cache = forward(params, X, reset_after=reset_after)
        return probs[0, -1], cache["s"][:, -1]

    def step(x, state):
        p, state = cell_step(params, x, state, reset_after)
        return p[0], state

    return rec.sample_loop(run_prefix, step, n, K, prefix, length, rng, temperature, greedy, stop)
