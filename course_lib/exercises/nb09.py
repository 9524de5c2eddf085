"""Checks for notebook 09 (LSTM and GRU)."""

from __future__ import annotations

import math

import numpy as np

from .. import gru, lstm
from ..functions import logistic
from ._feedback import Checker


def _lstm_case(seed: int):
    """Parameters, one input and a previous state (column vectors), d = 3, n = 2."""
    rng = np.random.default_rng(seed)
    params = lstm.init_params(2, 3, 2, rng=seed)
    for k in params:
        params[k] = params[k] + 0.5 * rng.standard_normal(params[k].shape)
    return params, rng.standard_normal(2), rng.standard_normal(3), rng.standard_normal(3)


def _lstm_variants(p, x, h, s):
    """The right step (the library's readable ``lstm.step_forward``) and typical slips, each
    as (h_t, s_t)."""
    h_new, s_new, step = lstm.step_forward(p, x, h, s)
    o, i, f, cand = step["o"], step["i"], step["f"], step["s_tilde"]
    sig_cand = logistic(p["W"] @ h + p["U"] @ x + p["b"])
    return {
        "right": (h_new, s_new),
        "h = o ⊙ s_t: the state goes through tanh before the output gate, h_t = o_t ⊙ tanh(s_t)": (
            o * s_new,
            s_new,
        ),
        "the forget and input gates are swapped: f_t multiplies s_(t−1), i_t the candidate": (
            o * np.tanh(i * s + f * cand),
            i * s + f * cand,
        ),
        "the candidate s̃_t uses tanh, not the logistic σ (only the gates use σ)": (
            o * np.tanh(f * s + i * sig_cand),
            f * s + i * sig_cand,
        ),
        "s_t = f ⊙ s_(t−1) + i ⊙ s̃_t keeps the old state through f, it does not replace it": (
            o * np.tanh(i * cand),
            i * cand,
        ),
    }


def check_lstm_step(lstm_step) -> bool:
    """``lstm_step(params, x, h_prev, s_prev)`` must return ``(h_t, s_t)`` of one LSTM step
    for ONE sequence, with column-vector maths (x (n,), h_prev and s_prev (d,))."""
    with Checker("one LSTM step") as c:
        for seed in (0, 1, 2):
            p, x, h, s = _lstm_case(seed)
            got = c.call(lstm_step, p, x, h, s)
            slips = _lstm_variants(p, x, h, s)
            c.close("(h_t, s_t)", got, slips.pop("right"), slips=slips)
    return c.report()


def check_gru_state(gru_state) -> bool:
    """``gru_state(s_prev, i, s_tilde)`` must return s_t = (1 − i) ⊙ s_(t−1) + i ⊙ s̃_t."""
    with Checker("the GRU's state update") as c:
        rng = np.random.default_rng(3)
        for _ in range(3):
            s_prev, s_tilde = rng.standard_normal(4), rng.standard_normal(4)
            i = rng.uniform(0.05, 0.95, 4)
            got = c.call(gru_state, s_prev, i, s_tilde)
            c.close("s_t", got, (1 - i) * s_prev + i * s_tilde, slips={
                "i and 1 − i are swapped: the update gate i_t says how much of the "
                "candidate s̃_t is written": i * s_prev + (1 - i) * s_tilde,
                "that is the LSTM without a forget gate: in the GRU, 1 − i_t plays the "
                "forget gate's part": s_prev + i * s_tilde,
            })  # fmt: skip
    return c.report()


def check_forget_steps(answer) -> bool:
    """Steps until a forget gate of 0.9 leaves less than 1 % of the state (direct path):
    the smallest k with 0.9^k < 0.01, i.e. 44."""
    with Checker("how long a forget gate of 0.9 remembers") as c:
        value = c.number(answer, "your number of steps")
        exact = math.log(0.01) / math.log(0.9)  # 43.7: 0.9^k < 0.01 from k = 44 on
        if value == math.floor(exact) + 1:
            return c.report()
        if abs(value - exact) < 1:
            c.fail(f"close: {value:g} is not the whole number of steps after which 0.9^k "
                   "has dropped below 0.01")  # fmt: skip
        if value == 10:
            c.fail("0.9 loses 10 % per step, but the losses compound: after k steps 0.9^k is left")
        c.fail(f"{value:g} is not it: after k steps 0.9^k of the state is left; solve 0.9^k < 0.01")
    return c.report()


def _gru_case(seed: int):
    """GRU parameters away from the initialisation, an input and a previous state, d = 3."""
    rng = np.random.default_rng(seed)
    params = gru.init_params(2, 3, 2, rng=seed)
    params = {k: v + 0.5 * rng.standard_normal(v.shape) for k, v in params.items()}
    return params, rng.standard_normal(2), rng.standard_normal(3)


def _gru_jacobian_slips(p, x, s_prev) -> dict:
    """Typical wrong Jacobians of one GRU step (notes' form), each a (d, d) matrix."""
    _, c = gru.step_forward(p, x, s_prev)
    o, i, s_tilde = c["o"], c["i"], c["s_tilde"]
    right = gru.step_jacobian(p, x, s_prev)
    gate = np.diag((s_tilde - s_prev) * i * (1 - i)) @ p["Wi"]
    cand = np.diag(i * (1 - s_tilde**2))
    return {
        "only the direct path diag(1 − i_t): s_(t−1) also enters i_t and s̃_t, through W_i, W "
        "and the reset gate": np.diag(1 - i),
        "the direct path is diag(1 − i_t), not diag(i_t): 1 − i_t is what the GRU keeps": right
        - np.diag(1 - i)
        + np.diag(i),
        "a transposed matrix: row j of ∂s_t/∂s_(t−1) is the gradient of s_t[j]": right.T,
        "the reset gate depends on s_(t−1) too: the candidate's term needs "
        "W diag(s_(t−1) ⊙ o_t(1 − o_t)) W_o besides W diag(o_t)": np.diag(1 - i)
        + gate
        + cand @ (p["W"] * o[None, :]),
    }


def check_gru_jacobian(gru_jacobian) -> bool:
    """``gru_jacobian(params, x, s_prev)`` must return ∂s_t/∂s_(t−1) (d, d) of one GRU step
    in the notes' form (reset gate before W); checked against ``gru.step_jacobian``, itself
    checked against finite differences (tests/unit/test_step_jacobians.py)."""
    with Checker("the Jacobian of one GRU step") as c:
        for seed in (0, 1, 2):
            p, x, s_prev = _gru_case(seed)
            got = c.call(gru_jacobian, p, x, s_prev)
            expected = gru.step_jacobian(p, x, s_prev)
            c.close("∂s_t/∂s_(t−1)", got, expected, slips=_gru_jacobian_slips(p, x, s_prev))
    return c.report()


#: The chrono unit of the reasoning exercise: b_f = log u, so f = σ(log u) = u / (1 + u).
CHRONO_U = 20


def check_chrono_survival(answer) -> bool:
    """The share of a chrono unit's cell state (b_f = log 20, gate input 0 otherwise) left
    after 20 steps along the direct path: (20/21)^20 ≈ 0.377."""
    with Checker("what a chrono unit keeps") as c:
        value = c.number(answer, "your share")
        u = CHRONO_U
        f = logistic(math.log(u))  # = u / (1 + u)
        exact = f**u
        if abs(value - exact) <= 2e-3:
            return c.report()
        if abs(value - math.exp(-1)) < 2e-3:
            c.fail(f"{value:.3f} is e^(−1), the limit of (u/(1 + u))^u for large u; "
                   f"compute it for u = {u}")  # fmt: skip
        if abs(value - f) < 2e-3:
            c.fail(f"{value:.3f} is what one step keeps; the direct path multiplies "
                   f"{u} of them")  # fmt: skip
        if abs(value - 0.5**u) < 1e-6 or abs(value - logistic(float(u)) ** u) < 1e-3:
            c.fail("the forget bias is b_f = log u, so f = σ(log u); σ(a) = 1/(1 + e^(−a)) "
                   "and e^(−log u) = 1/u")  # fmt: skip
        c.fail(f"{value:g} is not it: find f = σ(b_f) first, then what {u} steps keep")
    return c.report()
