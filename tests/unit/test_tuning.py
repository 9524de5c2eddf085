"""Epoch training and the learning-rate search, checked against a loop written in the test
(the batch's mean gradient, notebook 03's convention)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import batching, neuron, optim, schedules, tuning

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


def sgd_by_hand(lr_of_epoch, epochs, batch_size, seed):
    """Mini-batch GD written out: fresh permutation per epoch, the batch's MEAN gradient
    (notebook 01's summed gradient divided by the batch's size)."""
    (xt, yt) = TRAIN
    rng = np.random.default_rng(seed)
    w, b = -2.0, -2.0
    path = [(w, b)]
    for epoch in range(epochs):
        order = rng.permutation(xt.size)
        for start in range(0, xt.size, batch_size):
            idx = order[start : start + batch_size]
            gw, gb = neuron.gradient(w, b, xt[idx], yt[idx])
            lr = lr_of_epoch(epoch) / idx.size
            w, b = w - lr * gw, b - lr * gb
            path.append((w, b))
    return np.array(path)


@pytest.mark.parametrize("batch_size", [1, 16, 40, 150])
def test_train_neuron_is_mini_batch_gradient_descent_with_the_mean(batch_size):
    hist = tuning.train_neuron(optim.GD(0.3), TRAIN, P0, 2, batch_size=batch_size, seed=4)
    expected = sgd_by_hand(lambda e: 0.3, 2, batch_size, seed=4)
    assert hist.steps_per_epoch == math.ceil(150 / batch_size)
    assert np.allclose(hist.path, expected, rtol=1e-12, atol=1e-14)
    w, b = expected[-1]
    assert hist.train_loss[-1] == pytest.approx(neuron.loss(w, b, *TRAIN) / 150, rel=1e-12)
    assert hist.epochs == 2 and hist.val_loss is None


def test_train_neuron_is_batchings_loop():
    # one mini-batch loop in the course: train_neuron() makes exactly minibatch_run's updates
    hist = tuning.train_neuron(optim.Momentum(2.0, 0.5), TRAIN, P0, 3, batch_size=16, seed=7)
    run = batching.minibatch_run(optim.Momentum(2.0, 0.5), *TRAIN, 16, 3, P0, rng=7)
    assert np.array_equal(hist.path, run.path) and np.array_equal(hist.lrs, run.lrs)
    assert isinstance(hist.run, batching.BatchRun) and hist.run.epochs == 3


def summed_gradient(params, xb, yb):
    """The notes' convention: notebook 01's gradient, summed over the batch."""
    gw, gb = neuron.gradient(params["w"], params["b"], xb, yb)
    return {"w": np.array(gw), "b": np.array(gb)}


@settings(max_examples=20, deadline=None)
@given(batch_size=st.integers(1, 150), lr=st.floats(0.01, 30.0))
def test_the_notes_sum_needs_an_eta_batch_size_times_smaller(batch_size, lr):
    # only full batches (drop_last) have exactly B points, so compare on one epoch of them
    hist = tuning.train_neuron(optim.GD(lr), TRAIN, P0, 1, batch_size=batch_size, seed=1)
    summed = batching.minibatch_run(
        optim.GD(lr / batch_size), *TRAIN, batch_size, 1, P0, rng=1, grad=summed_gradient
    )
    full = 150 // batch_size  # updates on full batches, before any shorter last batch
    assert np.allclose(hist.path[: full + 1], summed.path[: full + 1], rtol=1e-9, atol=1e-12)


def test_epoch_schedule_sets_lr_before_each_epoch():
    f = schedules.step_decay(0.4, 0.5, 2)
    hist = tuning.train_neuron(
        optim.GD(1.0), TRAIN, P0, 5, batch_size=30, schedules={"lr": f}, seed=0
    )
    assert np.allclose(hist.epoch_lrs, [0.4, 0.4, 0.2, 0.2, 0.1])
    assert np.allclose(hist.lrs, np.repeat([0.4, 0.4, 0.2, 0.2, 0.1], 5))
    assert np.allclose(hist.path, sgd_by_hand(f, 5, 30, seed=0), rtol=1e-12)


def test_an_epoch_schedule_is_asked_once_per_epoch():
    asked = []

    def f(t):
        asked.append(t)
        return 0.5 / (1 + t)

    opt = optim.GD(1.0)
    tuning.train_neuron(opt, TRAIN, P0, 4, batch_size=10, schedules={"lr": f})
    assert asked == [0, 1, 2, 3] and opt.lr == 0.5 / 4  # the last epoch's η stays


def test_step_schedule_sets_lr_before_each_step():
    f = schedules.inverse_time_decay(0.5, 0.1)
    hist = tuning.train_neuron(
        optim.GD(1.0), TRAIN, P0, 2, batch_size=50, schedules={"lr": f}, unit="step"
    )
    assert np.allclose(hist.lrs, 0.5 / (1 + 0.1 * np.arange(6)))
    assert np.allclose(hist.epoch_lrs, [0.5, 0.5 / 1.3])


def test_gamma_schedule_per_epoch():
    f = lambda t: [0.0, 0.5, 0.9][t]  # noqa: E731
    opt = optim.Momentum(1.0, 0.0)
    hist = tuning.train_neuron(opt, TRAIN, P0, 3, batch_size=75, schedules={"gamma": f}, seed=2)
    assert hist.epochs == 3 and opt.gamma == 0.9
    # replay by hand: gamma changes only at epoch boundaries (every 2 updates)
    seen, rng, w, b, vw, vb = [], np.random.default_rng(2), -2.0, -2.0, 0.0, 0.0
    for epoch in range(3):
        order = rng.permutation(150)
        for start in (0, 75):
            idx = order[start : start + 75]
            gw, gb = neuron.gradient(w, b, TRAIN[0][idx], TRAIN[1][idx])
            vw, vb = f(epoch) * vw + gw / 75, f(epoch) * vb + gb / 75
            w, b = w - vw, b - vb
            seen.append((w, b))
    assert np.allclose(hist.path[1:], seen, rtol=1e-12)


def test_halving_follows_the_validation_loss():
    hist = tuning.train_neuron(
        optim.GD(30.0),
        TRAIN,
        P0,
        12,
        batch_size=10,
        val=VAL,
        val_rule=schedules.HalveOnValidationRise(),
    )
    rose = np.diff(hist.val_loss) > 0
    assert rose.any()  # eta = 30 bounces, so the rule has something to do
    expected = [30.0]
    for r in rose[:-1]:
        expected.append(expected[-1] / 2 if r else expected[-1])
    assert np.allclose(hist.epoch_lrs, expected)


def test_a_run_that_leaves_the_box_is_reported():
    hist = tuning.train_neuron(optim.GD(7500.0), TRAIN, P0, 3, batch_size=150, max_abs=10.0)
    assert hist.diverged and hist.diverged_at == 1 and "exceeded 10" in hist.reason
    assert hist.epochs == 0 and len(hist.path) == len(hist.lrs) + 1 == 1
    assert np.abs(hist.path).max() <= 10.0


def test_loss_is_per_example():
    assert tuning.loss(P0, VAL) == pytest.approx(neuron.loss(-2.0, -2.0, *VAL) / VAL[0].size)


def test_lr_search_follows_the_recipe():
    search = tuning.lr_search(optim.GD, TRAIN, VAL, P0, epochs=2, batch_size=15)
    coarse = search.column("lr", "coarse")
    assert np.allclose(coarse, tuning.COARSE)
    val = {tr.lr: tr.val_loss for tr in search.trials}
    # every trial re-trains from P0 with the same batches: check one against train_neuron()
    again = tuning.train_neuron(optim.GD(0.1), TRAIN, P0, 2, batch_size=15, val=VAL)
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
        (lambda: tuning.train_neuron("GD", TRAIN, P0, 1), TypeError, "optimizer must be"),
        (lambda: tuning.train_neuron(optim.GD(1), X, P0, 1), TypeError, r"data must be a pair"),
        (
            lambda: tuning.train_neuron(optim.GD(1), TRAIN, {"w": np.array(1.0)}, 1),
            ValueError,
            "params0",
        ),
        (
            lambda: tuning.train_neuron(optim.GD(1), TRAIN, P0, -1),
            ValueError,
            "epochs must be >= 0",
        ),
        (
            lambda: tuning.train_neuron(optim.GD(1), TRAIN, P0, 1, batch_size=0),
            ValueError,
            "batch_size",
        ),
        (
            lambda: tuning.train_neuron(optim.GD(1), TRAIN, P0, 1, batch_size=151),
            ValueError,
            "n = 150",
        ),
        (
            lambda: tuning.train_neuron(optim.GD(1), TRAIN, P0, 1, unit="day"),
            ValueError,
            "unit must be",
        ),
        (
            lambda: tuning.train_neuron(optim.GD(1), TRAIN, P0, 1, schedules={"gamma": abs}),
            ValueError,
            "schedules key 'gamma'",
        ),
        (
            lambda: tuning.train_neuron(
                optim.GD(1), TRAIN, P0, 1, val_rule=schedules.HalveOnValidationRise()
            ),
            ValueError,
            "val_rule needs a validation set",
        ),
        (
            lambda: tuning.train_neuron(
                optim.GD(1),
                TRAIN,
                P0,
                1,
                val=VAL,
                val_rule=schedules.HalveOnValidationRise(),
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


def test_schedules_and_arguments_are_checked_before_training():
    with pytest.raises(TypeError, match=r"schedules\['lr'\] must be a function of the epoch t"):
        tuning.train_neuron(optim.GD(1.0), TRAIN, P0, 2, schedules={"lr": 0.1})
    with pytest.raises(ValueError, match=r"schedules\['gamma'\] at epoch 2: gamma must be in"):
        tuning.train_neuron(
            optim.Momentum(1.0, 0.5), TRAIN, P0, 4, schedules={"gamma": lambda e: 0.5 * e}
        )
    with pytest.raises(TypeError, match="seed must be"):
        tuning.train_neuron(optim.GD(1.0), TRAIN, P0, 1, seed="zero")
    with pytest.raises(ValueError, match=r"params must be \{'w'"):
        tuning.loss({"w": np.array(1.0)}, VAL)


def test_a_reused_optimizer_gives_the_same_training():
    opt = optim.Momentum(2.0, 0.5)
    first = tuning.train_neuron(opt, TRAIN, P0, 2, batch_size=16, seed=3)
    again = tuning.train_neuron(opt, TRAIN, P0, 2, batch_size=16, seed=3)
    assert np.array_equal(first.path, again.path)


def test_pytorch_rule_in_training_follows_the_validation_loss():
    rule = schedules.ReduceLROnPlateau(factor=0.5, patience=1)
    hist = tuning.train_neuron(optim.GD(30.0), TRAIN, P0, 12, batch_size=10, val=VAL, val_rule=rule)
    expected = schedules.lrs_under(rule, 30.0, hist.val_loss)[:-1]
    assert np.allclose(hist.epoch_lrs, expected)
    assert hist.epoch_lrs[-1] < 30.0  # it did reduce
    assert rule.best == np.inf and rule.bad_epochs == 0  # the caller's rule is untouched


def test_random_search_draws_log_uniformly_and_trains_each_draw():
    search = tuning.random_search(optim.GD, TRAIN, VAL, P0, trials=4, low=0.1, high=10, rng=5)
    lrs = [t.lr for t in search.trials]
    expected = 10 ** np.random.default_rng(5).uniform(-1, 1, 4)  # the draws, made again
    assert np.allclose(lrs, expected, rtol=1e-14)
    for t in search.trials:
        hist = tuning.train_neuron(optim.GD(t.lr), TRAIN, P0, 3, batch_size=20, val=VAL)
        assert t.stage == "random" and t.val_loss == hist.val_loss[-1]
    assert search.epochs_trained == 4 * 3
    assert search.best_val_loss == min(t.val_loss for t in search.trials)


def test_a_search_reports_its_cost():
    search = tuning.lr_search(optim.GD, TRAIN, VAL, P0, epochs=2, coarse=[0.1, 1], fine=[0.5, 2])
    assert len(search.trials) == 4 and search.epochs_trained == 8


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"trials": 0}, ValueError, "trials must be >= 1"),
        ({"low": 10, "high": 1}, ValueError, "low must be below high"),
        ({"low": -1}, ValueError, "low must be > 0"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"rng": "a"}, TypeError, "rng"),
    ],
)
def test_random_search_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        tuning.random_search(optim.GD, TRAIN, VAL, P0, **kwargs)
