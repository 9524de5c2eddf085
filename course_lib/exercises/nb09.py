"""Checks for notebook 09 (LSTM and GRU)."""

from __future__ import annotations

import math

import numpy as np

from .. import lstm
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
    c = Checker("one LSTM step")
    for seed in (0, 1, 2):
        p, x, h, s = _lstm_case(seed)
        got = c.call(lstm_step, {k: v.copy() for k, v in p.items()}, x.copy(), h.copy(), s.copy())
        if c.crashed:
            break
        if not c.returned(got):
            break
        if not c.require(
            isinstance(got, tuple | list) and len(got) == 2,
            f"expected a pair (h_t, s_t), got {type(got).__name__}",
        ):
            break
        variants = _lstm_variants(p, x, h, s)
        if c.close_to("(h_t, s_t)", np.array(got, dtype=float), np.array(variants["right"])):
            continue
        for slip, value in variants.items():
            if slip != "right" and np.allclose(np.array(got, dtype=float), np.array(value)):
                c.fail(slip)
        break
    return c.report()


def check_gru_state(gru_state) -> bool:
    """``gru_state(s_prev, i, s_tilde)`` must return s_t = (1 − i) ⊙ s_(t−1) + i ⊙ s̃_t."""
    c = Checker("the GRU's state update")
    rng = np.random.default_rng(3)
    for _ in range(3):
        s_prev, s_tilde = rng.standard_normal(4), rng.standard_normal(4)
        i = rng.uniform(0.05, 0.95, 4)
        got = c.call(gru_state, s_prev.copy(), i.copy(), s_tilde.copy())
        if c.crashed:
            break
        expected = (1 - i) * s_prev + i * s_tilde
        if c.close_to("s_t", got, expected):
            continue
        if got is not None and np.allclose(
            np.asarray(got, dtype=float), i * s_prev + (1 - i) * s_tilde
        ):
            c.fail(
                "i and 1 − i are swapped: the update gate i_t says how much of the "
                "candidate s̃_t is written"
            )
        elif got is not None and np.allclose(np.asarray(got, dtype=float), s_prev + i * s_tilde):
            c.fail(
                "that is the LSTM without a forget gate: in the GRU, 1 − i_t plays the "
                "forget gate's part"
            )
        break
    return c.report()


def check_forget_steps(answer) -> bool:
    """Steps until a forget gate of 0.9 leaves less than 1 % of the state (direct path):
    the smallest k with 0.9^k < 0.01, i.e. 44."""
    c = Checker("how long a forget gate of 0.9 remembers")
    expected = math.floor(math.log(0.01) / math.log(0.9)) + 1
    try:
        value = float(answer)
    except (TypeError, ValueError):
        c.fail(f"expected a number of steps, got {answer!r}")
        return c.report()
    if value != expected:
        if abs(value - math.log(0.01) / math.log(0.9)) < 1:
            c.fail(
                f"close: {value:g} is not the whole number of steps after which 0.9^k "
                "has dropped below 0.01"
            )
        elif value == 10:
            c.fail("0.9 loses 10 % per step, but the losses compound: after k steps 0.9^k is left")
        else:
            c.fail(
                f"{value:g} is not it: after k steps 0.9^k of the state is left; solve 0.9^k < 0.01"
            )
    return c.report()
