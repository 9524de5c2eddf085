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

**Speed.** The four blocks share their inputs, so they are computed *stacked*: with
U⁽⁴⁾ = [U_o; U_i; U_f; U] (4d, n), W⁽⁴⁾ likewise (4d, d) and b⁽⁴⁾ (4d,), the input part
U⁽⁴⁾x_t + b⁽⁴⁾ of all T steps is ONE matrix product before the time loop, and each step adds
ONE product W⁽⁴⁾h_{t−1}. The backward pass accumulates the weight gradients of all steps with
one product each after its loop. The parameter dict keeps the notes' named keys.

Loss, masks, truncation and the many-to-one mode are as in ``rnn`` (see ``_recurrent``).
A padded step (mask 0) passes the state through unchanged: h_t = h_{t−1}, s_t = s_{t−1}.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _recurrent as rec
from . import _validate as check

KEYS = ("Uo", "Wo", "bo", "Ui", "Wi", "bi", "Uf", "Wf", "bf", "U", "W", "b", "V", "c")
#: Order of the stacked blocks: output, input, forget gates, then the candidate ("").
GATES = ("o", "i", "f", "")
#: Shape pattern of each key (see ``_recurrent.check_params``).
_LAYOUT = {k + g: p for g in GATES for k, p in (("U", "dn"), ("W", "dd"), ("b", "d"))}
_LAYOUT.update(V="Kd", c="K")

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
    rng = rec.rng_from(rng)
    params = rec.gate_params(rng, GATES, n_in, d)
    params["bf"] += forget_bias
    if chrono is not None:
        chrono = check.integer("chrono", chrono, minimum=3)
        params["bf"] = np.log(rng.uniform(1.0, chrono - 1.0, d))
        params["bi"] = -params["bf"]
    params["V"] = rng.standard_normal((n_out, d)) / np.sqrt(d)
    params["c"] = np.zeros(n_out)
    return {k: params[k] for k in KEYS}


def sizes(params: Params) -> tuple[int, int, int]:
    """``(n_in, d, K)`` of valid LSTM parameters, or a clear error naming the bad key."""
    return rec.check_params("LSTM", params, _LAYOUT)


def stack(params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stacked weights ``U⁽⁴⁾ (4d, n), W⁽⁴⁾ (4d, d), b⁽⁴⁾ (4d,)``, blocks in :data:`GATES`
    order."""
    return tuple(np.concatenate([params[k + g] for g in GATES]) for k in "UWb")


def unstack(U4: np.ndarray, W4: np.ndarray, b4: np.ndarray) -> Params:
    """The inverse of :func:`stack`: named keys (without V and c)."""
    d = W4.shape[1]
    out = {}
    for j, g in enumerate(GATES):
        rows = slice(j * d, (j + 1) * d)
        out["U" + g], out["W" + g], out["b" + g] = U4[rows], W4[rows], b4[rows]
    return out


def _initial(s0, B: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    if s0 is None:
        return np.zeros((B, d)), np.zeros((B, d))
    if not isinstance(s0, tuple | list) or len(s0) != 2:
        got = f"an array of shape {np.shape(s0)}" if hasattr(s0, "shape") else repr(s0)[:40]
        raise TypeError(
            "s0 of an LSTM is the pair (h0, s0): the output and the cell state, each (B, d) "
            f"or (d,); got {got}"
        )
    return rec.initial_state("s0[0] (h0)", s0[0], B, d), rec.initial_state("s0[1]", s0[1], B, d)


# --- forward ----------------------------------------------------------------------------------


def _run(params: Params, X, s0, mask) -> dict:
    """The time loop; every array is time-major (T, B, ...). See :func:`forward`."""
    n, d, _ = sizes(params)
    X, mask = rec.check_sequences(X, n, d, mask)
    B, T, _ = X.shape
    h0, c0 = _initial(s0, B, d)
    U4, W4, b4 = stack(params)
    # The activation scale (−1 on the gate rows, −2 on the candidate's) is folded into the
    # weights, so that one exp per step gives all four blocks (see _recurrent.activate).
    scale = rec.activation_scale(3 * d, d)
    Xt = np.ascontiguousarray(X.transpose(1, 0, 2))
    G = rec.mm(Xt, (U4 * scale[:, None]).T)  # input part of all steps at once
    G += b4 * scale  # in place: G is the largest array of the pass (T·B·4d)
    WT = np.ascontiguousarray((W4 * scale[:, None]).T)
    H, S, C = np.empty((T + 1, B, d)), np.empty((T + 1, B, d)), np.empty((T, B, d))
    H[0], S[0] = h0, c0
    pad = None if mask is None else mask.T == 0
    rec_part, prod = np.empty((B, 4 * d)), np.empty((B, d))
    with np.errstate(over="ignore"):
        for t in range(T):
            z = G[t]
            z += rec.matmul(H[t], WT, out=rec_part)
            rec.activate(z, 3 * d)  # z now holds o_t, i_t, f_t, s̃_t
            np.multiply(z[:, 2 * d : 3 * d], S[t], out=S[t + 1])
            S[t + 1] += np.multiply(z[:, d : 2 * d], z[:, 3 * d :], out=prod)
            rec.tanh_into(S[t + 1], C[t])
            np.multiply(z[:, :d], C[t], out=H[t + 1])
            if pad is not None and pad[t].any():
                H[t + 1, pad[t]], S[t + 1, pad[t]] = H[t, pad[t]], S[t, pad[t]]
    return {"X": Xt, "H": H, "S": S, "C": C, "G": G, "mask": mask, "d": d}


def forward(params: Params, X, s0=None, mask=None) -> tuple[np.ndarray, dict]:
    r"""Run the LSTM over whole sequences.

    ``X`` float (B, T, n); ``s0`` None (zeros) or the pair (h0, s0), each (B, d) or (d,);
    ``mask`` (B, T) of 0/1. Returns ``probs`` (B, T, K) and ``cache``: ``h`` and ``s``
    (B, T + 1, d) (initial state first), the gates ``o``, ``i``, ``f`` and the candidate
    ``s_tilde`` (B, T, d), ``X`` and ``mask``: everything the backward pass needs.
    """
    run = _run(params, X, s0, mask)
    d = run["d"]
    bm = lambda a: a.transpose(1, 0, 2)  # noqa: E731 - batch-major views of the same memory
    gates = {g or "s_tilde": bm(run["G"][..., j * d : (j + 1) * d]) for j, g in enumerate(GATES)}
    cache = {"h": bm(run["H"]), "s": bm(run["S"]), **gates, "X": bm(run["X"]), "mask": mask}
    cache["_run"] = run
    return rec.probabilities(params, run["H"][1:]), cache


def cell_step(params: Params, x_t, state=None) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """One time step for B sequences: ``x_t`` (B, n), ``state`` = (h_{t−1}, s_{t−1}) or None.

    Returns ``(probs_t (B, K), (h_t, s_t))``, each state (B, d).
    """
    x_t = check.float_array("x_t", x_t, ndim=2)
    run = _run(params, x_t[:, None, :], state, None)
    h, s = run["H"][1], run["S"][1]
    return rec.probabilities(params, h[None])[:, 0], (h, s)


# --- loss and backpropagation through time ----------------------------------------------------


def _local_derivatives(run: dict, t=slice(None)) -> dict:
    r"""Factors of the backward pass at step(s) ``t`` (an index, or ``slice(None)`` for all
    steps at once, arrays (T, B, ...)).

    With δh = ∂/∂h_t and δs = ∂/∂s_t arriving at step t:

    .. math:: \delta s \mathrel{+}= \delta h \odot o_t \odot (1 - \tanh^2 s_t), \qquad
              \delta z_o = \delta h \odot \tanh(s_t) \odot o_t(1 - o_t),

              \delta z_i = \delta s \odot \tilde s_t \odot i_t(1-i_t), \quad
              \delta z_f = \delta s \odot s_{t-1} \odot f_t(1-f_t), \quad
              \delta z_{\tilde s} = \delta s \odot i_t \odot (1 - \tilde s_t^2),

              \frac{\partial}{\partial s_{t-1}} = \delta s \odot f_t, \qquad
              \frac{\partial}{\partial h_{t-1}} = (W^{(4)})^\top \delta z.

    On a padded step every factor is 0 except the pass-through (f → 1, and h's identity).
    """
    Gt, Ct, d = run["G"][t], run["C"][t], run["d"]
    o, i, f, g = (Gt[..., j * d : (j + 1) * d] for j in range(4))
    A = np.empty((*Gt.shape[:-1], 4, d))  # the factor multiplying δh (block 0) or δs (1-3)
    for j, (gate, times) in enumerate(((o, Ct), (i, g), (f, run["S"][:-1][t]))):
        blk = A[..., j, :]
        np.subtract(1.0, gate, out=blk)
        blk *= gate
        blk *= times  # σ'(a) = σ(1 − σ), times what the gate multiplies
    blk = A[..., 3, :]
    np.multiply(g, g, out=blk)
    np.subtract(1.0, blk, out=blk)
    blk *= i  # tanh'(a) = 1 − tanh², times the input gate
    A_s = np.multiply(Ct, Ct)
    np.subtract(1.0, A_s, out=A_s)
    A_s *= o
    out = {"A": A, "A_s": A_s, "F": f, "keep": None}
    if run["mask"] is not None:
        m = run["mask"].T[t][..., None]
        A *= m[..., None]
        A_s *= m
        out["F"] = f * m + (1.0 - m)
        out["keep"] = 1.0 - m
    return out


def _back_step(k: dict, W4: np.ndarray, dh, ds, out: np.ndarray):
    """Back through the step(s) whose factors ``k`` holds: writes ∂/∂z (…, B, 4d) into
    ``out`` and returns (∂/∂h_{t−1}, ∂/∂s_{t−1})."""
    ds = ds + dh * k["A_s"]
    blocks = out.reshape(*out.shape[:-1], 4, -1)
    np.multiply(dh, k["A"][..., 0, :], out=blocks[..., 0, :])
    np.multiply(ds[..., None, :], k["A"][..., 1:, :], out=blocks[..., 1:, :])
    dh_prev = rec.mm(out, W4)
    if k["keep"] is not None:
        dh_prev += k["keep"] * dh
    return dh_prev, ds * k["F"]


def _backward(params: Params, run: dict, dH: np.ndarray, truncate: int | None, record=False):
    """∂𝓛/∂z for every step (T, B, 4d), given ∂𝓛/∂h_t from the outputs, ``dH`` (T, B, d).

    Full BPTT is one backward sweep; each step's factors are computed as it is reached (they
    stay in the cache, where all T steps' factors at once would not). With ``truncate=k``
    each ℓ_t may reach back only k steps: ``H[r][j]`` = ∂ℓ_{j+r}/∂(h_j, s_j) is pushed back
    one lag at a time for all j at once, and lags r = 0..k−1 are summed (k sweeps of large
    products). ``record`` (full BPTT only) also returns ∂𝓛/∂h_t and ∂𝓛/∂s_t for t = 0..T,
    each (T + 1, B, d).
    """
    _, W4, _ = stack(params)
    T, B, d = dH.shape
    dZ = np.empty((T, B, 4 * d))
    if truncate is None:
        dh, ds = np.zeros((B, d)), np.zeros((B, d))
        seen = (np.empty((T + 1, B, d)), np.empty((T + 1, B, d))) if record else None
        for t in range(T - 1, -1, -1):
            k = _local_derivatives(run, t)
            dh = dH[t] + dh
            if record:
                seen[0][t + 1], seen[1][t + 1] = dh, ds + dh * k["A_s"]
            dh, ds = _back_step(k, W4, dh, ds, dZ[t])
        if record:
            seen[0][0], seen[1][0] = dh, ds
            return dZ, seen
        return dZ
    k = _local_derivatives(run)
    dZ.fill(0.0)
    buf = np.empty_like(dZ)
    Hh, Hs = dH, np.zeros_like(dH)
    for lag in range(min(truncate, T)):
        ph, ps = _back_step(k, W4, Hh, Hs, buf)
        dZ += buf
        if lag + 1 < min(truncate, T):
            Hh, Hs = np.zeros_like(dH), np.zeros_like(dH)
            Hh[:-1], Hs[:-1] = ph[1:], ps[1:]  # the gradient at j + 1 reaches state j
    return dZ


def _weight_grads(run: dict, dZ: np.ndarray) -> Params:
    """The stacked weight gradients from all steps at once, as named keys (without V, c)."""
    T, B, G4 = dZ.shape
    flat = dZ.reshape(T * B, G4)
    X, H = run["X"], run["H"]
    dU4 = rec.matmul(flat.T, X.reshape(T * B, -1))
    dW4 = rec.matmul(flat.T, H[:-1].reshape(T * B, -1))
    return unstack(dU4, dW4, flat.sum(axis=0))


def loss_and_grads(
    params: Params,
    X,
    targets,
    s0=None,
    truncate: int | None = None,
    mask=None,
    many_to_one: bool = False,
) -> tuple[float, Params]:
    r"""The loss and its gradient by backpropagation through time.

    ``targets`` int (B, T), or (B,) with ``many_to_one`` (only each sequence's last real
    step is scored). ``truncate=k``: each ℓ_t back-propagates through at most k steps (the
    notes' definition, as in ``rnn``); ``None`` = full BPTT. Returns ``(loss, grads)``,
    grads with exactly the keys and shapes of ``params``.
    """
    truncate = rec.check_truncate(truncate)
    run = _run(params, X, s0, mask)
    loss, dH, grads = rec.output_layer(params, run["H"][1:], targets, run["mask"], many_to_one)
    grads.update(_weight_grads(run, _backward(params, run, dH, truncate)))
    return loss, {k: grads[k] for k in KEYS}


def state_grads(
    params: Params, X, targets, s0=None, mask=None, many_to_one: bool = False
) -> dict[str, np.ndarray]:
    r"""∂𝓛/∂h_k and ∂𝓛/∂s_k for k = 0..T (full BPTT): how much the loss depends on each state.

    Total derivatives: changing s_k changes h_k = o_k ⊙ tanh(s_k) too, so ∂𝓛/∂s_k includes
    that path (at k = 0 the given h_0 and s_0 are independent). Returns
    ``{"h": (B, T + 1, d), "s": (B, T + 1, d)}``, batch-major, entry 0 the initial state.
    With ``many_to_one`` this is ∂𝓛_T/∂s_k of the notes.
    """
    run = _run(params, X, s0, mask)
    _, dH, _ = rec.output_layer(params, run["H"][1:], targets, run["mask"], many_to_one)
    _, (gh, gs) = _backward(params, run, dH, None, record=True)
    return {"h": gh.transpose(1, 0, 2), "s": gs.transpose(1, 0, 2)}


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
    n, _, K = sizes(params)

    def run_prefix(X):
        probs, cache = forward(params, X)
        return probs[0, -1], (cache["h"][:, -1], cache["s"][:, -1])

    def step(x, state):
        p, state = cell_step(params, x, state)
        return p[0], state

    return rec.sample_loop(run_prefix, step, n, K, prefix, length, rng, temperature, greedy, stop)
