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
U⁽⁴⁾x_t + b⁽⁴⁾ of all T steps is computed in one call before the time loop, and each step
adds ONE product W⁽⁴⁾h_{t−1}. The batch's states are the notes' column vectors side by side
(s_t is (d, B)), so each gate's block of z_t is contiguous in memory. The backward pass
adds δz of a block of steps to the weight gradients with one product per weight, and the
forward pass's arrays share one allocation (see ``_recurrent.carve``). The parameter dict
keeps the notes' named keys.

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
    rng = check.generator("rng", rng)
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


# --- forward ---------------------------------------------------------------------------------


def _run(params: Params, X, s0, mask) -> dict:
    """The time loop. States are kept as the notes' column vectors, B of them side by side
    (s_t is a (d, B) matrix), so each block of z_t (4d, B) is a contiguous (d, B) matrix and
    the element-wise work runs over contiguous memory. See :func:`forward`."""
    n, d, _ = sizes(params)
    X, mask = rec.check_sequences(X, n, d, mask)
    B, T, _ = X.shape
    h0, c0 = _initial(s0, B, d)
    U4, W4, b4 = stack(params)
    # The activation scale (−1 on the gate rows, −2 on the candidate's) is folded into the
    # weights, so that one exp per step gives all four blocks (see _recurrent.activate).
    scale = rec.activation_scale(3 * d, d)[:, None]
    # One allocation (see _recurrent.carve) for what the backward pass reads: X1 the inputs,
    # time-major; Z the four blocks of every step; H the outputs h_t, one row per sequence
    # as the output layer reads them; S and C the states s_t and tanh(s_t).
    X1, Z, H, S, C = rec.carve(
        (T, B, n + 1), (T, 4 * d, B), (T + 1, B, d), (T + 1, d, B), (T, d, B)
    )
    # A constant 1 appended to every input: U⁽⁴⁾x_t + b⁽⁴⁾ = [U⁽⁴⁾ b⁽⁴⁾][x_t; 1], so the bias
    # rides in the product (and its gradient comes out of the weight gradient's).
    X1[..., :n], X1[..., n] = X.transpose(1, 0, 2), 1.0
    # The input part of all steps before the loop: Z[t] = U⁽⁴⁾ x_t + b⁽⁴⁾ (4d, B).
    np.matmul(np.hstack([U4, b4[:, None]]) * scale, X1.transpose(0, 2, 1), out=Z)
    W4s = W4 * scale
    H[0], S[0] = h0, c0.T
    pad = None if mask is None else mask.T == 0
    rec_part, prod = np.empty((4 * d, B)), np.empty((d, B))
    with np.errstate(over="ignore"):
        for t in range(T):
            z = Z[t]
            z += rec.matmul(W4s, H[t].T, out=rec_part)
            rec.activate(z.T, 3 * d)  # z now holds o_t, i_t, f_t, s̃_t
            o, i, f, s_tilde = z.reshape(4, d, B)
            np.multiply(f, S[t], out=S[t + 1])
            S[t + 1] += np.multiply(i, s_tilde, out=prod)
            rec.tanh_into(S[t + 1], C[t])
            np.multiply(o, C[t], out=H[t + 1].T)
            if pad is not None and pad[t].any():
                H[t + 1, pad[t]], S[t + 1][:, pad[t]] = H[t, pad[t]], S[t][:, pad[t]]
    return {"X1": X1, "H": H, "S": S, "C": C, "Z": Z, "mask": mask, "d": d}


def forward(params: Params, X, s0=None, mask=None) -> tuple[np.ndarray, dict]:
    r"""Run the LSTM over whole sequences.

    ``X`` float (B, T, n); ``s0`` None (zeros) or the pair (h0, s0), each (B, d) or (d,);
    ``mask`` (B, T) of 0/1. Returns ``probs`` (B, T, K) and ``cache``: ``h`` and ``s``
    (B, T + 1, d) (initial state first), the gates ``o``, ``i``, ``f`` and the candidate
    ``s_tilde`` (B, T, d), ``X`` and ``mask``: everything the backward pass needs.
    """
    run = _run(params, X, s0, mask)
    d = run["d"]
    Z = run["Z"]  # views of the same memory, batch-major:
    gates = {
        g or "s_tilde": Z[:, j * d : (j + 1) * d].transpose(2, 0, 1) for j, g in enumerate(GATES)
    }
    cache = {"h": run["H"].transpose(1, 0, 2), "s": run["S"].transpose(2, 0, 1), **gates}
    cache.update(X=run["X1"][..., :-1].transpose(1, 0, 2), mask=mask, _run=run)
    return rec.probabilities(params, run["H"][1:]), cache


def cell_step(params: Params, x_t, state=None) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """One time step for B sequences: ``x_t`` (B, n), ``state`` = (h_{t−1}, s_{t−1}) or None.

    Returns ``(probs_t (B, K), (h_t, s_t))``, each state (B, d).
    """
    x_t = check.float_array("x_t", x_t, ndim=2)
    run = _run(params, x_t[:, None, :], state, None)
    h, s = run["H"][1], run["S"][1].T.copy()
    return rec.probabilities(params, h[None])[:, 0], (h, s)


# --- loss and backpropagation through time ----------------------------------------------------
#
# Arrays are column-wise as in the forward pass: δh, δs (d, B) for one step, or (T, d, B) for
# all steps at once (the truncated sweep); ``t`` is a step or ``slice(None)``.


def _blocks(a: np.ndarray, d: int) -> list[np.ndarray]:
    """The four (…, d, B) blocks o, i, f, s̃ of a (…, 4d, B) array (views)."""
    return [a[..., j * d : (j + 1) * d, :] for j in range(4)]


def _pad(run: dict, t):
    """The mask of step(s) ``t`` shaped to multiply columns (…, 1, B), or None."""
    return None if run["mask"] is None else run["mask"].T[t][..., None, :]


def _through_tanh(run: dict, t, dh: np.ndarray, ds: np.ndarray) -> np.ndarray:
    r"""∂𝓛/∂s_t in total: the δs arriving from step t + 1 plus the path through
    h_t = o_t ⊙ tanh(s_t),

    .. math:: \delta s + \delta h \odot o_t \odot (1 - \tanh^2 s_t).

    On a padded step h_t does not depend on s_t: nothing is added."""
    c, o = run["C"][t], _blocks(run["Z"][t], run["d"])[0]
    path = np.multiply(c, c)
    np.subtract(1.0, path, out=path)
    path *= o
    path *= dh
    m = _pad(run, t)
    if m is not None:
        path *= m
    path += ds
    return path


def _back_step(run: dict, t, W4T: np.ndarray, dh, ds, dz: np.ndarray):
    r"""Back through step(s) ``t``, given δh = ∂𝓛/∂h_t and δs = ∂𝓛/∂s_t in total (see
    :func:`_through_tanh`): writes δz = ∂𝓛/∂z_t (…, 4d, B) into ``dz`` and returns
    (∂𝓛/∂h_{t−1}, the part of ∂𝓛/∂s_{t−1} through s_t).

    .. math:: \delta z_o = \delta h \odot \tanh(s_t) \odot o_t(1 - o_t), \quad
              \delta z_i = \delta s \odot \tilde s_t \odot i_t(1 - i_t), \quad
              \delta z_f = \delta s \odot s_{t-1} \odot f_t(1 - f_t),

              \delta z_{\tilde s} = \delta s \odot i_t \odot (1 - \tilde s_t^2), \qquad
              \frac{\partial}{\partial s_{t-1}} = \delta s \odot f_t, \qquad
              \frac{\partial}{\partial h_{t-1}} = (W^{(4)})^\top \delta z.

    A padded step passed its state through: δz = 0 and both derivatives pass unchanged.
    """
    d, z = run["d"], run["Z"][t]
    o, i, f, s_tilde = _blocks(z, d)
    dz_o, dz_i, dz_f, dz_s = _blocks(dz, d)
    np.multiply(dh, run["C"][t], out=dz_o)
    np.multiply(ds, s_tilde, out=dz_i)
    np.multiply(ds, run["S"][:-1][t], out=dz_f)
    sig, dz_sig = z[..., : 3 * d, :], dz[..., : 3 * d, :]
    dz_sig *= sig
    dz_sig *= 1.0 - sig  # σ'(a) = σ(1 − σ) for the three gates at once
    np.multiply(s_tilde, s_tilde, out=dz_s)
    np.subtract(1.0, dz_s, out=dz_s)
    dz_s *= i
    dz_s *= ds  # tanh'(a) = 1 − tanh²
    m = _pad(run, t)
    if m is None:
        ds_prev = ds * f
    else:  # a padded column passes δh and δs straight through
        dz *= m
        ds_prev = ds * (f * m + (1.0 - m))
    dh_prev = rec.matmul(W4T, dz) if dz.ndim == 2 else np.matmul(W4T, dz)
    if m is not None:
        dh_prev += (1.0 - m) * dh
    return dh_prev, ds_prev


#: The backward sweep gathers δz of this many columns (steps x batch) before multiplying them
#: into the weight gradients: enough for an efficient product, few enough to stay in cache.
_BLOCK_COLUMNS = 512


def _sweep(params: Params, run: dict, dH: np.ndarray, record: bool = False):
    """Full BPTT, one backward sweep over the steps, each step's work on cache-resident
    (d, B) blocks, given ∂𝓛/∂h_t from the outputs, ``dH`` (T, B, d).

    Every block of steps adds its δz to the weight gradients (:func:`_weight_products`), so
    δz of all steps is never stored. Returns the stacked weight gradients as named keys
    (without V, c), or with ``record`` ∂𝓛/∂h_t and ∂𝓛/∂s_t for t = 0..T, each (T + 1, d, B).
    """
    W4T = stack(params)[1].T
    T, B, d = dH.shape
    steps = min(T, -(-_BLOCK_COLUMNS // B))
    store, dz = np.empty(4 * d * steps * B), np.empty((4 * d, B))
    dUb, dW4 = np.zeros((4 * d, run["X1"].shape[2])), np.zeros((4 * d, d))
    dH = np.ascontiguousarray(dH.transpose(0, 2, 1))  # columns, (T, d, B)
    dh, ds = np.zeros((d, B)), np.zeros((d, B))
    seen = (np.empty((T + 1, d, B)), np.empty((T + 1, d, B))) if record else None
    for end in range(T, 0, -steps):
        begin = max(0, end - steps)
        dZ = store[: 4 * d * (end - begin) * B].reshape(4 * d, end - begin, B)
        for t in range(end - 1, begin - 1, -1):
            dh += dH[t]
            ds = _through_tanh(run, t, dh, ds)
            if record:
                seen[0][t + 1], seen[1][t + 1] = dh, ds
            dh, ds = _back_step(run, t, W4T, dh, ds, dz)
            dZ[:, t - begin] = dz
        if not record:
            dU, dW = _weight_products(run, dZ, slice(begin, end))
            dUb += dU
            dW4 += dW
    if record:
        seen[0][0], seen[1][0] = dh, ds
        return seen
    return unstack(dUb[:, :-1], dW4, dUb[:, -1])


def _truncated(params: Params, run: dict, dH: np.ndarray, truncate: int) -> Params:
    """BPTT where each ℓ_t may reach back only ``truncate`` = k steps: ``H[r][j]`` =
    ∂ℓ_{j+r}/∂(h_j, s_j) is pushed back one lag at a time for all j at once, and lags
    r = 0..k−1 are summed (k sweeps of large products). Returns the stacked weight gradients
    as named keys (without V, c)."""
    W4T = stack(params)[1].T
    T, B, d = dH.shape
    dZ, buf = np.zeros((T, 4 * d, B)), np.empty((T, 4 * d, B))
    Hh, Hs = dH.transpose(0, 2, 1), np.zeros((T, d, B))
    for lag in range(min(truncate, T)):
        Hs = _through_tanh(run, slice(None), Hh, Hs)
        ph, ps = _back_step(run, slice(None), W4T, Hh, Hs, buf)
        dZ += buf
        if lag + 1 < min(truncate, T):
            Hh, Hs = np.zeros((T, d, B)), np.zeros((T, d, B))
            Hh[:-1], Hs[:-1] = ph[1:], ps[1:]  # the gradient at j + 1 reaches state j
    dUb, dW4 = _weight_products(run, dZ.transpose(1, 0, 2), slice(None))
    return unstack(dUb[:, :-1], dW4, dUb[:, -1])


def _weight_products(run: dict, dZ: np.ndarray, steps: slice) -> tuple[np.ndarray, np.ndarray]:
    """The stacked weight gradients' share of the steps ``steps``, whose δz are the columns
    of ``dZ`` (4d, steps, B): with inputs and previous outputs one row per column,
    [∂U⁽⁴⁾ ∂b⁽⁴⁾] = δZ [X 1]ᵀ (the input 1 carries b) and ∂W⁽⁴⁾ = δZ Hᵀ."""
    flat = dZ.reshape(dZ.shape[0], -1)  # a copy only for a strided dZ (the truncated sweep's)
    columns = flat.shape[1]
    dUb = rec.matmul(flat, run["X1"][steps].reshape(columns, -1))
    dW4 = rec.matmul(flat, run["H"][:-1][steps].reshape(columns, -1))
    return dUb, dW4


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
    if truncate is None:
        grads.update(_sweep(params, run, dH))
    else:
        grads.update(_truncated(params, run, dH, truncate))
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
    gh, gs = _sweep(params, run, dH, record=True)
    return {"h": gh.transpose(2, 0, 1), "s": gs.transpose(2, 0, 1)}


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
