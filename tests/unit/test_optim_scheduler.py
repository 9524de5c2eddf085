"""The one home of the schedule checks (optim.Scheduler), the reset rule of optim.run, and the
two halves of a step (gradient_point, apply_gradient)."""

import math

import numpy as np
import pytest

from course_lib import optim, surfaces

BOWL = surfaces.quadratic_bowl()

# The ranges the notes and the papers give, written out here rather than read from
# optim.HYPERPARAMETERS: (optimizer, attribute, accepted values, refused values).
RANGES = [
    (optim.GD(0.1), "lr", [1e-9, 0.5, 1e3], [0.0, -0.1, math.inf, math.nan]),
    (optim.Momentum(0.1), "gamma", [0.0, 0.5, 0.999], [1.0, 1.5, -0.1, math.nan]),
    (optim.NAG(0.1), "gamma", [0.0, 0.9], [1.0, -1e-9]),
    (optim.AdaGrad(0.1), "eps", [1e-12, 1.0], [0.0, -1e-8]),
    (optim.RMSProp(0.1), "beta", [0.0, 0.9], [1.0, 2.0]),
    (optim.Adam(0.1), "beta1", [0.0, 0.9], [1.0, -0.5]),
    (optim.Adam(0.1), "beta2", [0.0, 0.999], [1.0, 1.001]),
]


@pytest.mark.parametrize(("opt", "name", "good", "bad"), RANGES)
def test_schedules_and_constructors_accept_the_same_values(opt, name, good, bad):
    for value in good:
        optim.Scheduler(opt, {name: lambda t, v=value: v}).before_step(0)
        assert getattr(opt, name) == value
    for value in bad:
        scheduler = optim.Scheduler(opt, {name: lambda t, v=value: v})
        with pytest.raises(ValueError, match=rf"schedules\['{name}'\] at step 0: {name} must"):
            scheduler.before_step(0)
        with pytest.raises(ValueError, match=name):
            kwargs = {"lr": 0.1, name: value}
            type(opt)(**kwargs)


def test_issue_15_a_momentum_schedule_above_one_is_an_error_naming_the_step():
    with pytest.raises(ValueError, match=r"schedules\['gamma'\] at step 0: gamma must be in"):
        optim.run(
            optim.Momentum(0.1), BOWL.grad_fn, BOWL.params(), 50, schedules={"gamma": lambda t: 1.5}
        )
    # a value that leaves the range later is caught at that step, before it is used
    opt = optim.Momentum(0.1, 0.5)
    with pytest.raises(ValueError, match=r"at step 3: gamma must be in \[0.0, 1.0\), got 1.0"):
        optim.run(opt, BOWL.grad_fn, BOWL.params(), 10, schedules={"gamma": lambda t: t / 3})
    assert opt.gamma == pytest.approx(2 / 3)  # the last accepted value


def test_a_schedule_must_be_a_function_of_the_step():
    with pytest.raises(TypeError, match=r"schedules\['lr'\] must be a function of the step t"):
        optim.run(optim.GD(0.1), BOWL.grad_fn, BOWL.params(), 5, schedules={"lr": 0.1})
    with pytest.raises(TypeError, match="schedules must be a dict"):
        optim.Scheduler(optim.GD(0.1), [("lr", abs)])
    with pytest.raises(TypeError, match=r"schedules\['lr'\] at step 0: lr must be a real number"):
        optim.run(optim.GD(0.1), BOWL.grad_fn, BOWL.params(), 5, schedules={"lr": lambda t: "0.1"})


def test_only_hyperparameters_can_be_scheduled():
    # t, update, v and bias_correction are attributes too, but not a schedule's business
    for opt, name in [(optim.Momentum(0.1), "update"), (optim.Adam(0.1), "t"),
                      (optim.GD(0.1), "gamma"), (optim.Adam(0.1), "bias_correction")]:  # fmt: skip
        with pytest.raises(ValueError, match=f"schedules key '{name}' is not an attribute"):
            optim.Scheduler(opt, {name: lambda t: 0.5})
    assert optim.Adam(0.1).hyperparameters() == ["lr", "beta1", "beta2", "eps"]


def test_a_scheduler_applies_only_in_its_unit():
    opt = optim.GD(1.0)
    by_epoch = optim.Scheduler(opt, {"lr": lambda e: 0.5**e}, unit="epoch")
    by_epoch.before_step(3)
    assert opt.lr == 1.0
    by_epoch.start_epoch(2)
    assert opt.lr == 0.25
    with pytest.raises(ValueError, match=r"schedules\['lr'\] at epoch 7: lr must be > 0"):
        optim.Scheduler(opt, {"lr": lambda e: 0.0 * e}, unit="epoch").start_epoch(7)
    with pytest.raises(ValueError, match="unit must be 'step' or 'epoch'"):
        optim.Scheduler(opt, {}, unit="batch")


def test_run_resets_the_optimizer_so_the_same_call_gives_the_same_run():
    for name, cls in optim.OPTIMIZERS.items():
        opt = cls(0.05)
        first = optim.run(opt, BOWL.grad_fn, BOWL.params(), 30)
        assert opt.t == 30
        again = optim.run(opt, BOWL.grad_fn, BOWL.params(), 30)
        fresh = optim.run(cls(0.05), BOWL.grad_fn, BOWL.params(), 30)
        assert np.array_equal(first.path, again.path) and np.array_equal(first.path, fresh.path), (
            name
        )


def test_a_used_optimizer_still_checks_the_gradient_of_a_new_run():
    opt = optim.Momentum(0.1)
    optim.run(opt, BOWL.grad_fn, BOWL.params(), 5)
    with pytest.raises(ValueError, match=r"grad_fn\(params\) must have keys \['b', 'w'\]"):
        optim.run(opt, lambda p: {"w": p["w"]}, BOWL.params(), 5)


def test_hyperparameters_are_kept_across_the_reset():
    opt = optim.GD(1.0)
    optim.run(opt, BOWL.grad_fn, BOWL.params(), 4, schedules={"lr": lambda t: 0.1 / (1 + t)})
    assert opt.lr == pytest.approx(0.1 / 4)  # the last scheduled value, as documented
    unscheduled = optim.run(opt, BOWL.grad_fn, BOWL.params(), 3)
    assert np.allclose(unscheduled.lrs, 0.1 / 4)


@pytest.mark.parametrize("name", list(optim.OPTIMIZERS))
def test_a_step_is_its_two_halves(name):
    # step(params, grad_fn) == apply_gradient(params, grad_fn(gradient_point(params))), which
    # is what train.train_recurrent does when it needs the gradient between the two
    make = optim.OPTIMIZERS[name]
    a, b = make(0.1), make(0.1)
    pa, pb = BOWL.params(1.0, -2.0), BOWL.params(1.0, -2.0)
    for _ in range(6):
        a.step(pa, BOWL.grad_fn)
        b.apply_gradient(pb, BOWL.grad_fn(b.gradient_point(pb)))
    assert all(np.array_equal(pa[k], pb[k]) for k in pa) and a.t == b.t == 6
