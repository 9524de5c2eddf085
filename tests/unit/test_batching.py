"""Batching: every point once per epoch, updates per epoch, gradient noise, mini-batch runs."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import batching, gradcheck, neuron, optim

X, Y = neuron.make_dataset(n=40, seed=3)
P0 = {"w": np.array(-1.0), "b": np.array(0.5)}


@given(n=st.integers(1, 300), data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_every_point_exactly_once_per_epoch(n, data, seed):
    size = data.draw(st.integers(1, n))
    out = list(batching.batches(n, size, seed))
    assert np.array_equal(np.sort(np.concatenate(out)), np.arange(n))
    assert len(out) == batching.updates_per_epoch(n, size) == -(-n // size)
    assert all(len(b) == size for b in out[:-1])
    assert len(out[-1]) == (n % size or size)  # the last partial batch: the n mod B left over
    assert all(b.dtype.kind == "i" for b in out)


@given(n=st.integers(1, 300), data=st.data(), seed=st.integers(0, 100))
def test_drop_last_skips_the_partial_batch(n, data, seed):
    size = data.draw(st.integers(1, n))
    out = list(batching.batches(n, size, seed, drop_last=True))
    assert len(out) == batching.updates_per_epoch(n, size, drop_last=True) == n // size
    flat = np.concatenate(out)
    assert len(flat) == len(set(flat)) == (n // size) * size  # each at most once, all full


@pytest.mark.parametrize(
    ("n", "size", "updates", "last"),
    [(1000, 1000, 1, 1000), (1000, 1, 1000, 1), (1000, 64, 16, 40), (10, 3, 4, 1), (7, 7, 1, 7)],
)
def test_updates_per_epoch_table(n, size, updates, last):
    # batch: 1; stochastic: N; mini-batch: ⌈N/B⌉ with a last batch of N mod B points
    assert batching.updates_per_epoch(n, size) == updates
    assert len(list(batching.batches(n, size))) == updates
    assert len(list(batching.batches(n, size))[-1]) == last


def test_shuffling_is_seeded_and_fresh_each_epoch():
    a = np.concatenate(list(batching.batches(50, 7, 1)))
    b = np.concatenate(list(batching.batches(50, 7, 1)))
    assert np.array_equal(a, b)
    rng = np.random.default_rng(1)
    first = np.concatenate(list(batching.batches(50, 7, rng)))
    second = np.concatenate(list(batching.batches(50, 7, rng)))
    assert np.array_equal(first, a) and not np.array_equal(first, second)
    ordered = np.concatenate(list(batching.batches(50, 7, shuffle=False)))
    assert np.array_equal(ordered, np.arange(50))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (
            lambda: list(batching.batches(10, 0)),
            ValueError,
            "batch_size must be between 1 and n = 10",
        ),
        (lambda: list(batching.batches(10, -3)), ValueError, "got -3"),
        (lambda: list(batching.batches(10, 11)), ValueError, "batch_size must be between 1 and n"),
        (lambda: list(batching.batches(10, 2.0)), TypeError, "batch_size must be an integer"),
        (lambda: list(batching.batches(0, 1)), ValueError, "n must be >= 1"),
        (lambda: list(batching.batches(10, 2, rng="x")), TypeError, "rng must be a numpy"),
        (lambda: batching.updates_per_epoch(10, 0), ValueError, "batch_size must be between"),
        (lambda: batching.updates_per_epoch(5, 6), ValueError, "got 6"),
        (
            lambda: batching.minibatch_run(optim.GD(1.0), X, Y[:-1], 4, 1, P0),
            ValueError,
            "X and Y must hold the same number of points",
        ),
        (
            lambda: batching.minibatch_run(optim.GD(1.0), X, Y, 41, 1, P0),
            ValueError,
            "batch_size must be between 1 and n = 40",
        ),
        (
            lambda: batching.minibatch_run(optim.GD(1.0), X, Y, 4, -1, P0),
            ValueError,
            "epochs must be >= 0",
        ),
        (
            lambda: batching.minibatch_run(optim.GD(1.0), X, Y, 4, 1, P0, grad=3),
            TypeError,
            "grad must be callable",
        ),
        (
            lambda: batching.minibatch_run(optim.Momentum(1.0, 1.0), X, Y, 4, 1, P0),
            ValueError,
            r"gamma must be in \[0.0, 1.0\)",
        ),
    ],
)
def test_bad_inputs_are_clear_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


# --- the neuron's batch loss and gradients ---------------------------------------------


@given(w=st.floats(-5, 5), b=st.floats(-5, 5), lo=st.integers(0, 30), size=st.integers(1, 10))
def test_mean_gradient_matches_finite_differences(w, b, lo, size):
    Xb, Yb = X[lo : lo + size], Y[lo : lo + size]
    params = {"w": np.array(w), "b": np.array(b)}
    grads = batching.mean_gradient(params, Xb, Yb)
    numeric = gradcheck.numerical_gradient(lambda p: batching.mean_loss(p, Xb, Yb), params)
    for key in params:
        if abs(numeric[key]) > 1e-4:
            assert gradcheck.relative_error(grads[key], numeric[key]) < 1e-7
        else:  # the difference's rounding error ~1e-12 swamps a relative comparison
            assert abs(grads[key] - numeric[key]) < 1e-10


def test_mean_is_the_notes_sum_divided_by_n():
    w, b = 0.3, -0.2
    assert batching.mean_loss({"w": w, "b": b}, X, Y) == pytest.approx(neuron.loss(w, b, X, Y) / 40)
    g = batching.mean_gradient({"w": np.array(w), "b": np.array(b)}, X, Y)
    gw, gb = neuron.gradient(w, b, X, Y)
    assert float(g["w"]) == pytest.approx(gw / 40) and float(g["b"]) == pytest.approx(gb / 40)
    G = batching.point_gradients({"w": w, "b": b}, X, Y)
    assert G.shape == (40, 2)
    assert np.allclose(G[7], neuron.gradient(w, b, X[7:8], Y[7:8]))
    assert np.allclose(G.mean(axis=0), [gw / 40, gb / 40])


def test_error_surface_is_the_mean_loss_on_grids():
    big_x, big_y = neuron.make_dataset(n=150, seed=0)  # > 64 points: the chunks must add up
    s = batching.error_surface(big_x, big_y)
    W, B, Z = s.grid(9)
    assert Z[2, 5] == pytest.approx(neuron.loss(W[2, 5], B[2, 5], big_x, big_y) / 150)
    gw, gb = s.grad(W, B)
    assert gw.shape == (9, 9)
    expected = np.array(neuron.gradient(W[4, 1], B[4, 1], big_x, big_y)) / 150
    assert np.allclose([gw[4, 1], gb[4, 1]], expected)
    params = s.params(0.4, -0.7)
    numeric = gradcheck.numerical_gradient(s.loss_fn, params)
    analytic = s.grad_fn(params)
    assert all(gradcheck.relative_error(analytic[k], numeric[k]) < 1e-7 for k in params)


def test_error_surface_knows_its_minimum():
    Xn, Yn = neuron.make_dataset(n=1000, seed=0)
    s = batching.error_surface(Xn, Yn)
    w, b = s.minimum
    assert np.hypot(*s.grad(w, b)) < 1e-9
    _, _, Z = s.grid(60)
    assert s.loss(w, b) <= Z.min()
    assert abs(w - 1.5) < 0.1 and abs(b + 1.0) < 0.1  # near the generating (1.5, -1)


# --- gradient noise ---------------------------------------------------------------------


def test_gradient_variance_against_all_subsets():
    # Enumerate every batch of size B of a small set: the exact variance, no formula used.
    G = batching.point_gradients({"w": 0.5, "b": -1.0}, X[:9], Y[:9])
    true = G.mean(axis=0)
    for size in (1, 2, 4, 9):
        sq = [
            np.sum((G[list(c)].mean(axis=0) - true) ** 2)
            for c in itertools.combinations(range(9), size)
        ]
        assert batching.gradient_variance(G, size) == pytest.approx(
            np.mean(sq), rel=1e-10, abs=1e-18
        )
    assert batching.gradient_variance(G, 9) == pytest.approx(0.0, abs=1e-18)


def test_sampled_variance_agrees_and_falls_as_one_over_b():
    Xn, Yn = neuron.make_dataset(n=1000, seed=0)
    G = batching.point_gradients({"w": -2.0, "b": 2.0}, Xn, Yn)
    sizes = np.array([1, 2, 4, 8, 16, 32, 64])
    sampled = [batching.sampled_gradient_variance(G, int(b), draws=3000, rng=5) for b in sizes]
    exact = [batching.gradient_variance(G, int(b)) for b in sizes]
    # 3000 draws: relative sampling error ~ sqrt(2 / 3000) ~ 3 %, heavier tails at B = 1
    assert np.allclose(sampled, exact, rtol=0.15)
    slope = np.polyfit(np.log(sizes), np.log(sampled), 1)[0]
    assert slope == pytest.approx(-1.0, abs=0.1)


# --- mini-batch runs ----------------------------------------------------------------------


def test_full_batch_run_is_plain_gradient_descent():
    run = batching.minibatch_run(optim.GD(0.7), X, Y, 40, 6, P0)
    reference = optim.run(
        optim.GD(0.7), lambda p: batching.mean_gradient(p, X, Y), P0, 6
    ).trajectory
    for k in P0:
        assert np.allclose(run.trajectory[k], reference[k], rtol=0, atol=1e-14)
    assert run.steps == 6 and run.epochs == 6 and list(run.batch_sizes) == [40] * 6


def test_stochastic_run_is_the_per_point_loop():
    w, b, eta = -1.0, 0.5, 0.5
    for _epoch in range(2):  # without shuffling: points in order, one update each
        for x, y in zip(X, Y, strict=True):
            f = 1 / (1 + np.exp(-(w * x + b)))
            common = (f - y) * f * (1 - f)
            w, b = w - eta * common * x, b - eta * common
    run = batching.minibatch_run(optim.GD(eta), X, Y, 1, 2, P0, shuffle=False)
    assert run.steps == 80 and float(run.final["w"]) == pytest.approx(w, abs=1e-12)
    assert float(run.final["b"]) == pytest.approx(b, abs=1e-12)


@pytest.mark.parametrize("cls", [optim.GD, optim.Momentum, optim.NAG])
def test_each_update_sees_one_batch_and_each_epoch_every_point(cls):
    seen = []

    def recording(params, Xb, Yb):
        seen.append(Xb.copy())
        return batching.mean_gradient(params, Xb, Yb)

    run = batching.minibatch_run(cls(0.5), X, Y, 6, 3, P0, grad=recording, rng=2)
    assert [len(s) for s in seen] == [6] * 6 + [4] + [6] * 6 + [4] + [6] * 6 + [4]
    for epoch in range(3):
        points = np.concatenate(seen[7 * epoch : 7 * epoch + 7])
        assert np.array_equal(np.sort(points), np.sort(X))
    assert list(run.epoch_ends) == [7, 14, 21] and run.points_seen[-1] == 120
    assert run.losses.shape == (22,) and run.epoch_losses.shape == (4,)
    assert run.epoch_losses[-1] == pytest.approx(batching.mean_loss(run.final, X, Y))


def test_nag_takes_the_batch_gradient_at_its_look_ahead():
    points = []

    def recording(params, Xb, Yb):
        points.append(float(params["w"]))
        return batching.mean_gradient(params, Xb, Yb)

    run = batching.minibatch_run(optim.NAG(0.5, 0.9), X, Y, 8, 2, P0, grad=recording)
    w = run.trajectory["w"]
    previous_update = np.concatenate([[0.0], w[:-2] - w[1:-1]])
    assert np.allclose(points, w[:-1] - 0.9 * previous_update)


def test_seeded_runs_repeat_and_schedules_count_updates_across_epochs():
    a = batching.minibatch_run(optim.Momentum(0.3, 0.9), X, Y, 5, 2, P0, rng=4)
    b = batching.minibatch_run(optim.Momentum(0.3, 0.9), X, Y, 5, 2, P0, rng=4)
    assert np.array_equal(a.path, b.path)
    run = batching.minibatch_run(
        optim.GD(1.0), X, Y, 10, 3, P0, schedules={"lr": lambda t: 1.0 / (1 + t)}
    )
    assert np.allclose(run.lrs, 1.0 / (1 + np.arange(12)))


def test_epoch_callback_can_change_the_optimizer_and_stop():
    log = []

    def halve_then_stop(epoch, params, optimizer):
        log.append((epoch, optimizer.lr))
        optimizer.lr /= 2
        return epoch == 2

    run = batching.minibatch_run(optim.GD(0.8), X, Y, 20, 10, P0, on_epoch_end=halve_then_stop)
    assert log == [(0, 0.8), (1, 0.4), (2, 0.2)] and run.epochs == 3
    assert np.allclose(run.lrs, [0.8, 0.8, 0.4, 0.4, 0.2, 0.2])


def test_divergence_is_reported_with_the_update_number():
    def loud(p, Xb, Yb):
        return {"w": np.array(1e5), "b": np.array(0.0)}

    run = batching.minibatch_run(optim.GD(1.0), X, Y, 10, 5, P0, grad=loud)
    # |w| grows by 1e5 per update and exceeds max_abs = 1e6 at update 10, in epoch 3
    assert run.diverged_at == 10 and "|w| exceeded" in run.reason
    assert run.steps == 9 == len(run.batch_sizes) and run.epochs == 2
    assert len(run.trajectory["w"]) == 10 and len(run.losses) == 10


def test_zero_epochs_and_loss_none():
    run = batching.minibatch_run(optim.GD(1.0), X, Y, 4, 0, P0)
    assert run.steps == 0 and run.losses.shape == (1,) and run.epochs == 0
    assert float(run.final["w"]) == -1.0
    quiet = batching.minibatch_run(optim.GD(1.0), X, Y, 4, 1, P0, loss=None)
    assert quiet.losses is None and quiet.epoch_losses is None and quiet.steps == 10
    assert float(P0["w"]) == -1.0  # params0 untouched
