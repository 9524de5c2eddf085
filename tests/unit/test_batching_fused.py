"""The fused path of notebook 03's explorer against the readable path and a hand calculation.

``batching_fused.neuron_minibatch_run`` must give the run ``batching.minibatch_run`` gives
with ``optim.GD``, ``optim.Momentum`` or ``optim.NAG``: the same points to the last bit
(both take tanh from NumPy and do the same operations in the same order), the same
shuffles, and the same divergence at the same update with the same words.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib import batching, batching_fused, neuron, optim

X, Y = neuron.make_dataset(n=300, seed=2)
START = {"w": np.array(-2.0), "b": np.array(2.0)}
OPTIMIZERS = {"GD": lambda lr, g: optim.GD(lr), "Momentum": optim.Momentum, "NAG": optim.NAG}


def readable(method, lr, gamma, batch_size, epochs, seed, max_abs=1e6, x=X, y=Y):
    return batching.minibatch_run(
        OPTIMIZERS[method](lr, gamma), x, y, batch_size, epochs, START,
        rng=seed, loss=None, max_abs=max_abs,
    )  # fmt: skip


def assert_same_run(a: batching.BatchRun, b: batching.BatchRun) -> None:
    assert (a.diverged_at, a.reason) == (b.diverged_at, b.reason)
    for k in ("w", "b"):
        assert np.array_equal(a.trajectory[k], b.trajectory[k]), k
    assert np.array_equal(a.grad_norms, b.grad_norms)
    assert np.array_equal(a.lrs, b.lrs)
    assert np.array_equal(a.batch_sizes, b.batch_sizes)
    assert np.array_equal(a.epoch_ends, b.epoch_ends)
    assert np.array_equal(a.points_seen, b.points_seen)
    assert b.losses is None


@pytest.mark.parametrize("method", ["GD", "Momentum", "NAG"])
@pytest.mark.parametrize("batch_size", [1, 2, 7, 300])
@pytest.mark.parametrize(("lr", "gamma"), [(0.05, 0.5), (1.0, 0.9), (5.0, 0.99), (100.0, 0.9)])
def test_the_same_run_as_the_readable_path(method, batch_size, lr, gamma):
    """η = 100 at B = 1 is chaotic (a difference of one ulp grows to a different path
    within a few hundred updates), so equality there means the same operations."""
    for seed in (0, 5):
        fused = batching_fused.neuron_minibatch_run(
            method, lr, gamma, X, Y, batch_size, 3, START, rng=seed
        )
        assert_same_run(readable(method, lr, gamma, batch_size, 3, seed), fused)


@pytest.mark.parametrize("method", ["GD", "Momentum", "NAG"])
def test_a_diverging_run_stops_where_the_readable_one_does(method):
    fused = batching_fused.neuron_minibatch_run(
        method, 60.0, 0.9, X, Y, 1, 2, START, rng=1, max_abs=3.0
    )
    assert fused.diverged and fused.reason.startswith("|")
    assert_same_run(readable(method, 60.0, 0.9, 1, 2, 1, max_abs=3.0), fused)


def test_a_generator_is_drawn_from_as_the_readable_path_draws():
    fused = batching_fused.neuron_minibatch_run(
        "NAG", 1.0, 0.9, X, Y, 4, 2, START, rng=np.random.default_rng(9)
    )
    assert_same_run(readable("NAG", 1.0, 0.9, 4, 2, np.random.default_rng(9)), fused)


def sigma(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def hand_gradient(w: float, b: float, x: float, y: float) -> tuple[float, float]:
    """d/dw, d/db of ½(σ(wx + b) − y)², with σ from exp (not the code's tanh form)."""
    f = sigma(w * x + b)
    c = (f - y) * f * (1 - f)
    return c * x, c


@pytest.mark.parametrize("method", ["GD", "Momentum", "NAG"])
def test_two_updates_by_hand(method):
    """One point (x, y) = (2, 1) visited twice (two epochs) from (w, b) = (0.5, −1)."""
    lr, gamma, x, y = 0.1, 0.6, 2.0, 1.0
    keep = 0.0 if method == "GD" else gamma
    ahead = gamma if method == "NAG" else 0.0
    w, b, uw, ub, path = 0.5, -1.0, 0.0, 0.0, [(0.5, -1.0)]
    for _ in range(2):
        gw, gb = hand_gradient(w - ahead * uw, b - ahead * ub, x, y)
        uw, ub = keep * uw + lr * gw, keep * ub + lr * gb
        w, b = w - uw, b - ub
        path.append((w, b))
    assert path[1] == pytest.approx((0.525, -0.9875), abs=1e-15)  # z = 0: c = −1/8
    run = batching_fused.neuron_minibatch_run(
        method, lr, gamma, [x], [y], 1, 2, {"w": 0.5, "b": -1.0}, rng=0
    )
    np.testing.assert_allclose(run.path, path, rtol=1e-14, atol=1e-15)
    assert list(run.epoch_ends) == [1, 2] and list(run.batch_sizes) == [1, 1]


def test_leaves_its_arguments_as_they_were():
    x, y, start = X.copy(), Y.copy(), {"w": np.array(-2.0), "b": np.array(2.0)}
    batching_fused.neuron_minibatch_run("NAG", 1.0, 0.9, x, y, 5, 1, start)
    assert np.array_equal(x, X) and np.array_equal(y, Y)
    assert float(start["w"]) == -2.0 and float(start["b"]) == 2.0


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"method": "Adam"}, "method"),
        ({"lr": 0.0}, "lr"),
        ({"gamma": 1.0}, "gamma"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 301}, "batch_size"),
        ({"epochs": -1}, "epochs"),
        ({"params0": {"w": 1.0}}, "params0"),
        ({"X": np.ones((300, 2))}, "X"),
        ({"rng": "seed"}, "rng"),
        ({"max_abs": -1.0}, "max_abs"),
    ],
)
def test_bad_arguments_are_named(change, named):
    args = dict(method="GD", lr=1.0, gamma=0.9, X=X, Y=Y, batch_size=1, epochs=1, params0=START)
    with pytest.raises((ValueError, TypeError), match=named):
        batching_fused.neuron_minibatch_run(**{**args, **change})
