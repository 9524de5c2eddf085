"""Epoch training and the learning-rate search, checked against a loop written in the test."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import gradcheck, neuron, optim, schedules, tuning

X, Y = neuron.make_dataset(n=200, seed=3)
TRAIN, VAL = tuning.split(X, Y, val_fraction=0.25, seed=1)
P0 = {"w": np.array(-2.0), "b": np.array(-2.0)}


def test_split_is_a_seeded_partition():
    (xt, yt), (xv, _) = TRAIN, VAL
    assert xv.size == 50 and xt.size == 150
    assert np.array_equal(np.sort(np.concatenate([xt, xv])), np.sort(X))
    pairs = {(a, b) for a, b in zip(X, Y, strict=True)}
    assert {(a, b) for a, b in zip(xt, yt, strict=True)} <= pairs
    again = tuning.split(X, Y, val_fraction=0.25, seed=1)
    assert np.array_equal(again[1][0], xv)
    assert not np.array_equal(tuning.split(X, Y, 0.25, seed=2)[1][0], xv)


@given(w=st.floats(-5, 5), b=st.floats(-5, 5))
def test_batch_gradient_matches_finite_differences(w, b):
    params = {"w": np.array(w), "b": np.array(b)}
    xb, yb = X[:20], Y[:20]
    errors = gradcheck.check_gradients(
        lambda p: tuning._batch_loss(p, xb, yb), tuning._batch_grad(params, xb, yb), params
    )
    numeric = gradcheck.numerical_gradient(lambda p: tuning._batch_loss(p, xb, yb), params)
    for key, err in errors.items():
        if abs(numeric[key]) > 1e-4:
            assert err < 1e-7
        else:  # a flat direction: rounding in the difference (~1e-11) swamps the relative error
            assert abs(tuning._batch_grad(params, xb, yb)[key] - numeric[key]) < 1e-9
    # and it is the lecture's summed gradient
    assert np.allclose(
        [tuning._batch_grad(params, xb, yb)[k] for k in "wb"], neuron.gradient(w, b, xb, yb)
    )


def sgd_by_hand(lr_of_epoch, epochs, batch_size, seed):
    """Mini-batch GD written out: fresh permutation per epoch, summed gradient per batch."""
    (xt, yt) = TRAIN
    rng = np.random.default_rng(seed)
    w, b = -2.0, -2.0
    path = [(w, b)]
    for epoch in range(epochs):
        order = rng.permutation(xt.size)
        for start in range(0, xt.size, batch_size):
            idx = order[start : start + batch_size]
            gw, gb = neuron.gradient(w, b, xt[idx], yt[idx])
            lr = lr_of_epoch(epoch)
            w, b = w - lr * gw, b - lr * gb
            path.append((w, b))
    return np.array(path)


@pytest.mark.parametrize("batch_size", [1, 16, 150, 500])
def test_train_is_mini_batch_gradient_descent(batch_size):
    hist = tuning.train(optim.GD(0.3), TRAIN, P0, 2, batch_size=batch_size, seed=4)
    expected = sgd_by_hand(lambda e: 0.3, 2, batch_size, seed=4)
    assert hist.steps_per_epoch == math.ceil(150 / batch_size)
    assert np.allclose(hist.path, expected, rtol=1e-12, atol=1e-14)
    w, b = expected[-1]
    assert hist.train_loss[-1] == pytest.approx(neuron.loss(w, b, *TRAIN) / 150, rel=1e-12)
    assert hist.epochs == 2 and hist.val_loss is None


def test_epoch_schedule_sets_lr_before_each_epoch():
    f = schedules.step_decay(0.4, 0.5, 2)
    hist = tuning.train(optim.GD(1.0), TRAIN, P0, 5, batch_size=30, schedules={"lr": f}, seed=0)
    assert np.allclose(hist.epoch_lrs, [0.4, 0.4, 0.2, 0.2, 0.1])
    assert np.allclose(hist.lrs, np.repeat([0.4, 0.4, 0.2, 0.2, 0.1], 5))
    assert np.allclose(hist.path, sgd_by_hand(f, 5, 30, seed=0), rtol=1e-12)


def test_step_schedule_sets_lr_before_each_step():
    f = schedules.inverse_time_decay(0.5, 0.1)
    hist = tuning.train(
        optim.GD(1.0), TRAIN, P0, 2, batch_size=50, schedules={"lr": f}, unit="step"
    )
    assert np.allclose(hist.lrs, 0.5 / (1 + 0.1 * np.arange(6)))
    assert np.allclose(hist.epoch_lrs, [0.5, 0.5 / 1.3])


def test_halving_follows_the_validation_loss():
    hist = tuning.train(
        optim.GD(3.0), TRAIN, P0, 12, batch_size=10, val=VAL, halve=schedules.HalveOnPlateau()
    )
    rose = np.diff(hist.val_loss) > 0
    assert rose.any()  # eta = 3 bounces, so the rule has something to do
    expected = [3.0]
    for r in rose[:-1]:
        expected.append(expected[-1] / 2 if r else expected[-1])
    assert np.allclose(hist.epoch_lrs, expected)


def test_a_run_that_leaves_the_box_is_reported():
    hist = tuning.train(optim.GD(50.0), TRAIN, P0, 3, batch_size=150, max_abs=10.0)
    assert hist.diverged and hist.diverged_at == 1 and "left" in hist.reason
    assert len(hist.path) == len(hist.lrs) + 1
    assert np.abs(hist.path).max() <= 10.0


def test_loss_is_per_example():
    assert tuning.loss(P0, VAL) == pytest.approx(neuron.loss(-2.0, -2.0, *VAL) / VAL[0].size)


def test_lr_search_follows_the_recipe():
    search = tuning.lr_search(optim.GD, TRAIN, VAL, P0, epochs=2, batch_size=15)
    coarse = search.column("lr", "coarse")
    assert np.allclose(coarse, tuning.COARSE)
    val = {tr.lr: tr.val_loss for tr in search.trials}
    # every trial re-trains from P0 with the same batches: check one against train()
    again = tuning.train(optim.GD(0.1), TRAIN, P0, 2, batch_size=15, val=VAL)
    assert val[0.1] == pytest.approx(again.val_loss[-1], rel=1e-12)
    best_coarse = min(tuning.COARSE, key=lambda lr: val[lr])
    assert search.best_coarse == best_coarse
    assert np.allclose(search.column("lr", "fine"), np.sort(best_coarse * np.array(tuning.FINE)))
    assert search.best == min(val, key=val.get)
    table = search.table()
    assert table.count("\n") == 2 + len(tuning.COARSE) + len(tuning.FINE) - 1
    assert "← best" in table and search._repr_markdown_() == table


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: tuning.split(X, Y[:5]), ValueError, "one non-zero length"),
        (lambda: tuning.split(X, Y, val_fraction=1.0), ValueError, "val_fraction"),
        (lambda: tuning.split(X[:2], Y[:2], 0.1), ValueError, "both sets"),
        (lambda: tuning.train("GD", TRAIN, P0, 1), TypeError, "optimizer must be"),
        (lambda: tuning.train(optim.GD(1), X, P0, 1), TypeError, r"data must be a pair"),
        (lambda: tuning.train(optim.GD(1), TRAIN, {"w": np.array(1.0)}, 1), ValueError, "params0"),
        (lambda: tuning.train(optim.GD(1), TRAIN, P0, -1), ValueError, "epochs must be >= 0"),
        (lambda: tuning.train(optim.GD(1), TRAIN, P0, 1, batch_size=0), ValueError, "batch_size"),
        (lambda: tuning.train(optim.GD(1), TRAIN, P0, 1, unit="day"), ValueError, "unit must be"),
        (
            lambda: tuning.train(optim.GD(1), TRAIN, P0, 1, schedules={"gamma": abs}),
            ValueError,
            "schedules key 'gamma'",
        ),
        (
            lambda: tuning.train(optim.GD(1), TRAIN, P0, 1, halve=schedules.HalveOnPlateau()),
            ValueError,
            "halve needs a validation set",
        ),
        (
            lambda: tuning.train(
                optim.GD(1),
                TRAIN,
                P0,
                1,
                val=VAL,
                halve=schedules.HalveOnPlateau(),
                schedules={"lr": schedules.constant(1.0)},
            ),
            ValueError,
            "not both",
        ),
        (lambda: tuning.lr_search(optim.GD, TRAIN, None, P0), ValueError, "val must be"),
        (lambda: tuning.lr_search(3, TRAIN, VAL, P0), TypeError, "make_optimizer must be"),
        (lambda: tuning.lr_search(str, TRAIN, VAL, P0), TypeError, "must return an optimizer"),
        (lambda: tuning.lr_search(optim.GD, TRAIN, VAL, P0, coarse=[0.1, -1]), ValueError, "> 0"),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()
