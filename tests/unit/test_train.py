"""The training loop, evaluation, and the model registry."""

import numpy as np
import pytest

from course_lib import models, optim, rnn, train
from course_lib import sequences as sq


def test_registry_gets_modules_by_name_or_module():
    assert models.get("rnn") is rnn and models.get("RNN") is rnn and models.get(rnn) is rnn
    assert "rnn" in models.available() and models.name(rnn) == "RNN"
    with pytest.raises(ValueError, match="model must be one of"):
        models.get("transformer")
    with pytest.raises(TypeError, match="not a recurrent model"):
        models.get(optim)
    with pytest.raises(TypeError, match="a name or a module"):
        models.get(3)


def test_training_learns_deep():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4, rng=0)
    history = train.train_recurrent(
        "rnn", params, data, optim.Adam(0.05), epochs=150, progress=False
    )
    assert history.steps == 150 and not history.diverged
    assert history.losses[-1] < 0.01 * history.losses[0]
    # the loss recorded at step t is the loss of the parameters before update t
    loss, _ = rnn.loss_and_grads(params, data.X, data.targets)
    assert loss < history.losses[-1]
    assert train.evaluate(rnn, params, data)["accuracy"] == 1.0


def test_one_gd_step_with_clipping_moves_exactly_lr_times_clip():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4, rng=1, w_scale=3.0)
    before = {k: v.copy() for k, v in params.items()}
    _, grads = rnn.loss_and_grads(before, data.X, data.targets)
    norm = optim.global_norm(grads)
    clip = norm / 10
    history = train.train_recurrent(rnn, params, data, optim.GD(0.5), clip=clip, progress=False)
    moved = {k: before[k] - params[k] for k in params}
    assert optim.global_norm(moved) == pytest.approx(0.5 * clip, rel=1e-12)
    for k in params:  # same direction as the unclipped gradient
        assert np.allclose(moved[k], 0.5 * grads[k] / 10, rtol=1e-10, atol=1e-15)
    assert history.grad_norms == [pytest.approx(norm, rel=1e-12)] and history.clipped == [True]


def test_schedules_by_step_and_by_epoch():
    data = sq.pos_task(n=40, seed=0)
    params = rnn.init_params(len(sq.POS_WORDS), 6, len(sq.TAGS), rng=0)
    h = train.train_recurrent(
        rnn, params, data, optim.GD(1.0), epochs=2, batch_size=10,
        schedules={"lr": lambda t: 0.1 / (1 + t)}, progress=False,
    )  # fmt: skip
    assert np.allclose(h.lrs, [0.1 / (1 + t) for t in range(8)])
    h = train.train_recurrent(
        rnn, params, data, optim.Momentum(1.0), epochs=2, batch_size=10,
        schedules={"lr": lambda e: 0.1 * 0.5**e, "gamma": lambda e: 0.5}, schedule_unit="epoch",
        progress=False,
    )  # fmt: skip
    assert np.allclose(h.lrs, [0.1] * 4 + [0.05] * 4)
    assert len(h.epoch_losses) == 2
    with pytest.raises(ValueError, match="not an attribute"):
        train.train_recurrent(
            rnn, params, data, optim.GD(0.1), schedules={"beta": abs}, progress=False
        )


def test_divergence_is_reported_and_the_bad_update_is_not_kept():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4, rng=0)
    h = train.train_recurrent(
        rnn, params, data, optim.GD(1e9), epochs=5, max_abs=1e3, progress=False
    )
    assert h.diverged_at == 1 and "exceeded" in h.reason and h.steps == 0
    assert all(np.abs(v).max() < 1e3 for v in params.values())
    assert "diverged at step 1" in repr(h)


def test_validation_metrics_and_max_steps():
    data = sq.remember_first_task(n=64, length=3, seed=0)
    tr, va = data.split(48)
    params = rnn.init_params(4, 8, 4, rng=0)
    h = train.train_recurrent(
        rnn, params, tr, optim.Adam(0.01), epochs=3, batch_size=16, validation=va,
        progress=False,
    )  # fmt: skip
    assert h.steps == 9 and len(h.val_accuracy) == len(h.val_losses) == 3
    scores = train.evaluate(rnn, params, va)
    assert scores["accuracy"] == h.val_accuracy[-1] and scores["loss"] == h.val_losses[-1]
    h = train.train_recurrent(rnn, params, tr, optim.GD(0.1), epochs=3, batch_size=16, max_steps=4,
                    progress=False)  # fmt: skip
    assert h.steps == 4


def test_evaluate_and_predict_by_hand():
    data = sq.sentiment_task(n=30, seed=0)
    params = rnn.init_params(len(sq.SENTIMENT_WORDS), 5, 2, rng=3)
    pred = train.predict(rnn, params, data, batch_size=7)
    expected, losses = [], []
    for i in range(len(data)):
        n = data.lengths[i]
        probs, _ = rnn.forward(params, data.X[i : i + 1, :n])
        expected.append(int(probs[0, -1].argmax()))
        losses.append(-np.log(probs[0, -1, data.targets[i]]))
    assert pred.tolist() == expected
    scores = train.evaluate(rnn, params, data, batch_size=7)
    assert scores["accuracy"] == pytest.approx(np.mean(np.array(expected) == data.targets))
    assert scores["loss"] == pytest.approx(np.mean(losses), rel=1e-12)

    tags = sq.pos_task(n=20, seed=0)
    p2 = rnn.init_params(len(sq.POS_WORDS), 5, len(sq.TAGS), rng=0)
    pred = train.predict(rnn, p2, tags, batch_size=6)
    probs, _ = rnn.forward(p2, tags.X, mask=tags.mask)
    assert np.array_equal(pred * tags.mask, probs.argmax(-1) * tags.mask)
    acc = ((probs.argmax(-1) == tags.targets) * tags.mask).sum() / tags.mask.sum()
    assert train.evaluate(rnn, p2, tags)["accuracy"] == pytest.approx(acc)


def test_truncate_and_model_options_reach_the_model():
    data = sq.pos_task(n=16, seed=0)
    results = []
    for options in (
        {"truncate": 1},
        {"truncate": None},
        {"model_options": {"activation": "logistic"}},
    ):
        params = rnn.init_params(len(sq.POS_WORDS), 5, len(sq.TAGS), rng=0)
        train.train_recurrent(
            rnn, params, data, optim.GD(0.5), batch_size=16, progress=False, **options
        )
        results.append(params["W"].copy())
    assert not np.allclose(results[0], results[1]) and not np.allclose(results[1], results[2])


def test_bad_arguments():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4)
    with pytest.raises(TypeError, match="optimizer must be"):
        train.train_recurrent(rnn, params, data, "adam", progress=False)
    with pytest.raises(TypeError, match="SequenceData"):
        train.train_recurrent(rnn, params, (data.X, data.targets), optim.GD(0.1), progress=False)
    with pytest.raises(ValueError, match="clip must be > 0"):
        train.train_recurrent(rnn, params, data, optim.GD(0.1), clip=0, progress=False)
    with pytest.raises(ValueError, match="schedule_unit"):
        train.train_recurrent(
            rnn, params, data, optim.GD(0.1), schedule_unit="batch", progress=False
        )


def test_every_course_optimizer_trains_deep():
    data = sq.deep_task()
    for name, make in optim.OPTIMIZERS.items():
        params = rnn.init_params(4, 8, 4, rng=0)
        lr = {"GD": 0.5, "Momentum": 0.2, "NAG": 0.2, "AdaGrad": 0.2}.get(name, 0.05)
        h = train.train_recurrent(rnn, params, data, make(lr), epochs=100, progress=False)
        assert not h.diverged and h.losses[-1] < 0.5 * h.losses[0], name


def test_every_argument_is_checked_before_the_first_step():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4, rng=0)
    before = {k: v.copy() for k, v in params.items()}
    bad = [
        (
            {"schedules": {"lr": 0.1}},
            TypeError,
            r"schedules\['lr'\] must be a function of the step",
        ),
        ({"validation": (data.X, data.targets)}, TypeError, "validation must be a sequences"),
        ({"validation": sq.pos_task(n=4)}, ValueError, "validation must hold sequences of inputs"),
        ({"truncate": 0}, ValueError, "truncate must be >= 1"),
        ({"rng": "seed"}, TypeError, "rng must be"),
        ({"model_options": ["tanh"]}, TypeError, "model_options must be a dict"),
        ({"max_steps": 0}, ValueError, "max_steps must be >= 1"),
    ]
    for kwargs, error, words in bad:
        with pytest.raises(error, match=words):
            train.train_recurrent(rnn, params, data, optim.GD(0.1), progress=False, **kwargs)
    assert all(np.array_equal(params[k], before[k]) for k in params)  # nothing trained


def test_a_schedule_value_out_of_range_names_the_schedule_and_the_step():
    data = sq.pos_task(n=40, seed=0)
    params = rnn.init_params(len(sq.POS_WORDS), 6, len(sq.TAGS), rng=0)
    with pytest.raises(ValueError, match=r"schedules\['gamma'\] at step 2: gamma must be in"):
        train.train_recurrent(
            rnn, params, data, optim.Momentum(0.1), batch_size=10, progress=False,
            schedules={"gamma": lambda t: 0.5 * t},
        )  # fmt: skip


def test_non_finite_parameters_are_refused_before_any_step():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4, rng=0)
    params["V"][0, 0] = np.inf
    before = {k: v.copy() for k, v in params.items()}
    with pytest.raises(ValueError, match=r"params\['V'\] holds NaN or infinite"):
        train.train_recurrent(rnn, params, data, optim.Adam(0.1), epochs=3, progress=False)
    assert all(np.array_equal(params[k], before[k]) for k in params)


def test_a_non_finite_loss_is_reported_and_nothing_is_applied():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4, rng=0)
    before = {k: v.copy() for k, v in params.items()}

    def overflowing(p, X, targets, mask=None):  # what a loss that overflowed returns
        loss, grads = rnn.loss_and_grads(p, X, targets, mask=mask)
        return np.inf, grads

    batch = next(data.batches(4, shuffle=False))
    step = train.train_step(overflowing, params, batch, optim.Adam(0.1))
    assert step.problem is not None and "non-finite" in step.problem
    assert all(np.array_equal(params[k], before[k]) for k in params)


def test_nag_records_the_loss_at_its_look_ahead_point():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4, rng=0)
    opt = optim.NAG(0.3, 0.9)
    h = train.train_recurrent(rnn, params, data, opt, epochs=2, progress=False)
    look_ahead = opt.gradient_point(params)  # where step 3 would take its gradient
    h3 = train.train_recurrent(rnn, params, data, opt, epochs=1, progress=False)
    loss, _ = rnn.loss_and_grads(look_ahead, data.X, data.targets)
    assert h.steps == 2 and h3.losses == [pytest.approx(loss, rel=1e-12)]


def test_evaluate_needs_sequences():
    data = sq.deep_task()
    params = rnn.init_params(4, 8, 4, rng=0)
    with pytest.raises(ValueError, match="at least one sequence"):
        train.evaluate(rnn, params, data.subset([]))
    with pytest.raises(TypeError, match="SequenceData"):
        train.predict(rnn, params, data.X)
