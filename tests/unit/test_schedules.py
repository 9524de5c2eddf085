"""Schedules against their closed forms, computed here independently with `math`."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import schedules

lr0s = st.floats(1e-4, 10.0)
ts = st.integers(0, 5000)


@given(lr0=lr0s, drop=st.floats(0.05, 1.0), every=st.integers(1, 20), t=ts)
def test_step_decay_is_lr0_times_drop_to_the_floor(lr0, drop, every, t):
    assert schedules.step_decay(lr0, drop, every)(t) == pytest.approx(lr0 * drop ** (t // every))


def test_step_decay_halves_every_five_epochs():
    f = schedules.step_decay(0.8, 0.5, 5)
    assert [f(t) for t in range(11)] == [0.8] * 5 + [0.4] * 5 + [0.2]


@given(lr0=lr0s, k=st.floats(0.0, 2.0), t=ts)
def test_exponential_decay_is_lr0_e_to_the_minus_kt(lr0, k, t):
    assert schedules.exponential_decay(lr0, k)(t) == pytest.approx(lr0 * math.exp(-k * t))


def test_exponential_decay_is_not_the_notes_slip():
    # The notes' eta0^(-kt) would grow for eta0 < 1; e^(-kt) always decays.
    f = schedules.exponential_decay(0.5, 0.1)
    assert f(10) == pytest.approx(0.5 * math.exp(-1.0))
    assert f(10) < f(0) and 0.5 ** (-0.1 * 10) > 0.5


@given(lr0=lr0s, k=st.floats(0.0, 2.0), t=ts)
def test_inverse_time_decay_is_lr0_over_1_plus_kt(lr0, k, t):
    assert schedules.inverse_time_decay(lr0, k)(t) == pytest.approx(lr0 / (1 + k * t))


def test_constant_and_arrays_of_t():
    t = np.arange(12)
    assert np.array_equal(schedules.constant(0.3)(t), np.full(12, 0.3))
    for f in (
        schedules.step_decay(1.0, 0.5, 3),
        schedules.exponential_decay(1.0, 0.2),
        schedules.inverse_time_decay(1.0, 0.2),
    ):
        values = f(t)
        assert isinstance(values, np.ndarray) and values.shape == (12,)
        assert np.allclose(values, [f(int(i)) for i in t])
        assert isinstance(f(3), float)


@pytest.mark.parametrize(
    ("t", "expected"),
    # 1 - 2^(-1 - log2(n)) = 1 - 1/(2n) with n = floor(t/250) + 1, worked by hand.
    [(0, 1 / 2), (249, 1 / 2), (250, 3 / 4), (750, 7 / 8), (1749, 1 - 1 / 14), (2500, 1 - 1 / 22)],
)
def test_momentum_schedule_at_given_steps(t, expected):
    assert schedules.momentum_schedule(t, 0.999) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("t", "gamma_max", "expected"),
    [(0, 0.3, 0.3), (750, 0.7, 0.7), (750, 0.9, 7 / 8), (1749, 0.9, 0.9), (10**6, 0.999, 0.999)],
)
def test_momentum_schedule_is_capped_at_gamma_max(t, gamma_max, expected):
    assert schedules.momentum_schedule(t, gamma_max) == pytest.approx(expected, rel=1e-12)


@given(t=ts, gamma_max=st.sampled_from([0.999, 0.995, 0.99, 0.9, 0.7]))
def test_momentum_schedule_closed_form_and_monotone(t, gamma_max):
    n = t // 250 + 1
    gamma = schedules.momentum_schedule(t, gamma_max)
    assert gamma == pytest.approx(min(1 - 1 / (2 * n), gamma_max), rel=1e-12)
    assert schedules.momentum_schedule(t + 1, gamma_max) >= gamma


def test_momentum_schedule_on_arrays():
    t = np.array([0, 249, 250, 750, 1749])
    assert np.allclose(
        schedules.momentum_schedule(t, 0.99), [0.5, 0.5, 0.75, 0.875, 1 - 1 / 14], rtol=1e-12
    )


def rule_by_hand(lr0, losses, factor):
    """Independent statement of the notes' rule: halve when this epoch's loss beats the last."""
    lrs, lr = [], lr0
    for i, loss in enumerate(losses):
        if i > 0 and loss > losses[i - 1]:
            lr *= factor
        lrs.append(lr)
    return lrs


def test_halve_on_validation_rise_halves_only_when_validation_loss_rises():
    losses = [1.0, 0.8, 0.9, 0.9, 0.7, 0.75, 0.74]
    assert list(schedules.halve_on_rise(1.0, losses)) == [1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]
    rule = schedules.HalveOnValidationRise()
    assert rule(1.0, 5.0) == 1.0  # the first loss has nothing to compare with
    assert rule(1.0, 5.0) == 1.0  # equal is not a rise
    assert rule(1.0, 4.0) == 1.0
    assert rule(1.0, 4.5) == 0.5


@given(
    losses=st.lists(st.floats(0, 10), min_size=1, max_size=30),
    factor=st.floats(0.1, 0.9),
)
def test_halve_on_rise_matches_the_rule_by_hand(losses, factor):
    assert np.allclose(
        schedules.halve_on_rise(2.0, losses, factor), rule_by_hand(2.0, losses, factor)
    )


# PyTorch's ReduceLROnPlateau, traced by hand from its documented algorithm (best so far,
# counter of bad epochs, reduce when the counter exceeds patience, then cooldown).
PLATEAU_CASES = [
    # patience 2, absolute threshold 0: reduce at the third epoch in a row without a new best
    ({"factor": 0.1, "patience": 2, "threshold": 0.0, "threshold_mode": "abs"},
     [5, 4, 4, 4, 4, 3, 3.5, 3.2, 3.1, 2],
     [1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01]),
    # patience 0 still differs from the notes' rule: 0.85 is below 0.9 but not below the best
    ({"factor": 0.5, "patience": 0, "threshold": 0.0, "threshold_mode": "abs"},
     [1.0, 0.8, 0.9, 0.85, 0.95, 0.7],
     [1, 1, 0.5, 0.25, 0.125, 0.125]),
    # cooldown 1: the epoch after a reduction is not counted
    ({"factor": 0.5, "patience": 0, "threshold": 0.0, "threshold_mode": "abs", "cooldown": 1},
     [1, 2, 3, 4, 5],
     [1, 0.5, 0.5, 0.25, 0.25]),
    # relative threshold 1e-4: 0.99995 is no improvement on 1.0, 0.9998 is
    ({"factor": 0.5, "patience": 0}, [1.0, 0.99995, 0.9998], [1, 0.5, 0.5]),
    # min_lr floors η; a reduction of at most eps is skipped
    ({"factor": 0.1, "patience": 0, "min_lr": 0.05}, [1, 2, 3, 4], [1, 0.1, 0.05, 0.05]),
    # mode "max": a quantity that should rise
    ({"factor": 0.5, "patience": 0, "threshold": 0.0, "threshold_mode": "abs", "mode": "max"},
     [0.1, 0.2, 0.15, 0.3],
     [1, 1, 0.5, 0.5]),
]  # fmt: skip


@pytest.mark.parametrize(("settings", "losses", "expected"), PLATEAU_CASES)
def test_reduce_lr_on_plateau_by_hand(settings, losses, expected):
    rule = schedules.ReduceLROnPlateau(**settings)
    assert schedules.lrs_under(rule, 1.0, losses) == pytest.approx(expected, rel=1e-12)
    assert rule.best == np.inf or settings.get("mode") == "max"  # lrs_under used a copy


def test_the_two_rules_differ_where_the_aside_says():
    losses = [1.0, 0.8, 0.9, 0.85, 0.95, 0.7]
    notes = schedules.halve_on_rise(1.0, losses)
    torch_like = schedules.lrs_under(schedules.ReduceLROnPlateau(0.5, 0, 0.0, "abs"), 1.0, losses)
    assert list(notes) == [1, 1, 0.5, 0.5, 0.25, 0.25]
    assert list(torch_like) == [1, 1, 0.5, 0.25, 0.125, 0.125]


def test_rules_reset():
    for rule in (schedules.HalveOnValidationRise(), schedules.ReduceLROnPlateau(patience=0)):
        rule(1.0, 1.0)
        assert rule(1.0, 2.0) < 1.0
        rule.reset()
        assert rule(1.0, 5.0) == 1.0  # a fresh start: nothing to compare with


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: schedules.step_decay(0, 0.5, 5), ValueError, "lr0 must be > 0"),
        (lambda: schedules.step_decay(1, 0, 5), ValueError, "drop must be in"),
        (lambda: schedules.step_decay(1, 1.5, 5), ValueError, "drop must be in"),
        (lambda: schedules.step_decay(1, 0.5, 0), ValueError, "every must be >= 1"),
        (lambda: schedules.step_decay(1, 0.5, 2.5), TypeError, "every must be an integer"),
        (lambda: schedules.exponential_decay(-1, 0.1), ValueError, "lr0 must be > 0"),
        (lambda: schedules.exponential_decay(1, -0.1), ValueError, "k must be in"),
        (lambda: schedules.inverse_time_decay(1, -1), ValueError, "k must be in"),
        (lambda: schedules.constant("1"), TypeError, "lr0 must be a real number"),
        (lambda: schedules.step_decay(1, 0.5, 5)(-1), ValueError, "t must be >= 0"),
        (lambda: schedules.exponential_decay(1, 0.5)("a"), TypeError, "t must hold"),
        (lambda: schedules.momentum_schedule(10, 1.0), ValueError, "gamma_max must be in"),
        (lambda: schedules.momentum_schedule(-3, 0.9), ValueError, "t must be >= 0"),
        (lambda: schedules.HalveOnValidationRise(1.5), ValueError, "factor must be in"),
        (lambda: schedules.HalveOnValidationRise()(0.0, 1.0), ValueError, "lr must be > 0"),
        (
            lambda: schedules.HalveOnValidationRise()(1.0, np.nan),
            ValueError,
            "val_loss must be finite",
        ),
        (lambda: schedules.halve_on_rise(1.0, [[1.0]]), ValueError, "val_losses must be 1-D"),
        (lambda: schedules.ReduceLROnPlateau(factor=1.0), ValueError, "factor must be in"),
        (lambda: schedules.ReduceLROnPlateau(patience=-1), ValueError, "patience must be >= 0"),
        (lambda: schedules.ReduceLROnPlateau(patience=1.5), TypeError, "patience must be an"),
        (lambda: schedules.ReduceLROnPlateau(threshold=-1), ValueError, "threshold must be in"),
        (lambda: schedules.ReduceLROnPlateau(threshold_mode="x"), ValueError, "threshold_mode"),
        (lambda: schedules.ReduceLROnPlateau(mode="low"), ValueError, "mode must be"),
        (lambda: schedules.ReduceLROnPlateau(cooldown=-2), ValueError, "cooldown must be >= 0"),
        (lambda: schedules.ReduceLROnPlateau(min_lr=-1), ValueError, "min_lr must be in"),
        (lambda: schedules.ReduceLROnPlateau()(1.0, np.inf), ValueError, "val_loss must be"),
        (lambda: schedules.lrs_under(abs, 1.0, [1.0]), TypeError, "rule must be"),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()
