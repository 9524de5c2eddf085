"""Trajectory measures: u-turns, valley exits, overshoot, steps to a threshold."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import measures, optim, surfaces


def test_u_turns_by_hand():
    # Δu = 1, 1, −1, −1, 1: two sign changes
    assert measures.u_turns([0, 1, 2, 1, 0, 1]) == 2
    assert measures.u_turns([0, 1, 2, 3]) == 0
    assert measures.u_turns([5.0]) == 0 and measures.u_turns([]) == 0


def test_tiny_steps_neither_make_nor_break_a_u_turn():
    # The 1e-9 wobble is ignored; the turn from rising to falling still counts once.
    # Δu = 1, −1e-9, +1e-9, −1: three sign changes, of which only one is a real turn.
    assert measures.u_turns([0, 1, 1 - 1e-9, 1, 0]) == 1
    assert measures.u_turns([0, 1, 1 - 1e-9, 1, 0], tol=0) == 3
    assert measures.u_turns([0, 1e-12, -1e-12, 1e-12]) == 0


sequences = st.lists(st.floats(-100, 100), min_size=0, max_size=40)


@given(u=sequences, shift=st.floats(-10, 10))
def test_u_turns_are_symmetric_and_shift_invariant(u, shift):
    u = np.array(u)
    n = measures.u_turns(u, tol=1e-6)
    assert measures.u_turns(-u, tol=1e-6) == n
    # A shift changes differences by rounding only: use a coarser tol to stay clear of it.
    assert measures.u_turns(u + shift, tol=1e-3) == measures.u_turns(u, tol=1e-3)


@given(u=st.lists(st.floats(-100, 100), min_size=2, max_size=40))
def test_monotone_paths_never_turn(u):
    assert measures.u_turns(np.sort(u)) == 0


def test_u_turns_of_a_sampled_wave_are_its_extrema():
    t = np.linspace(0, 5 * np.pi, 500)  # extrema at π/2, 3π/2, ..., 9π/2: five of them
    assert measures.u_turns(np.sin(t)) == 5


def test_valley_exits_and_overshoot_by_hand():
    u = [2.0, 0.05, 0.5, 0.05, 0.01, -0.3]
    assert measures.valley_exits(u, 0.1) == 2
    assert measures.overshoot([1.0, 0.5, -0.3, -0.6, 0.2]) == pytest.approx(0.6)
    assert measures.overshoot([-1.0, 0.4, -0.2]) == pytest.approx(0.4)
    assert measures.overshoot([1.0, 0.5, 0.1]) == 0.0
    assert measures.overshoot([0.0, 1e-9, 0.3, -0.1]) == pytest.approx(0.1)  # side from 0.3


def test_steps_to_reach():
    assert measures.steps_to_reach([3.0, 2.0, 1.0, 0.5], 1.0) == 2
    assert measures.steps_to_reach([3.0, 2.0], 1.0) is None
    assert measures.steps_to_reach([0.1, 2.0], 1.0) == 0
    # dips below at 1, climbs out at 2, settles from 3 on
    assert measures.steps_to_reach([3.0, 0.5, 2.0, 0.9, 0.1], 1.0) == 1
    assert measures.steps_to_reach([3.0, 0.5, 2.0, 0.9, 0.1], 1.0, stay=True) == 3
    assert measures.steps_to_reach([3.0, 0.5, 2.0], 1.0, stay=True) is None
    assert measures.steps_to_reach([0.5, 0.1], 1.0, stay=True) == 0


def test_across_is_the_signed_distance():
    path = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    # the line b = w through the origin, normal (−1, 1) (not unit on purpose)
    u = measures.across(path, [-1.0, 1.0], [0.0, 0.0])
    assert np.allclose(u, [0.0, 0.0, -np.sqrt(2)])


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: measures.across(np.zeros((3, 3)), [0, 1], [0, 0]), ValueError, "shape"),
        (lambda: measures.across(np.zeros((3, 2)), [0, 0], [0, 0]), ValueError, "zero vector"),
        (lambda: measures.u_turns([1, 2], tol=-1), ValueError, "tol must be >= 0"),
        (lambda: measures.u_turns([[1, 2]]), ValueError, "u must be 1-D"),
        (lambda: measures.valley_exits([1, 2], 0), ValueError, "half_width must be > 0"),
        (lambda: measures.steps_to_reach([1, np.nan], 0.5), ValueError, "finite"),
        (
            lambda: measures.valley_summary(surfaces.plateau(), np.zeros((2, 2))),
            ValueError,
            "valley axis",
        ),
    ],
)
def test_bad_inputs(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_valley_summary_on_the_sharp_valley():
    s = surfaces.sharp_valley()
    run = optim.run(optim.Momentum(0.04, 0.9), s.grad_fn, s.params(), 300)
    summary = measures.valley_summary(s, run.path)
    u = (run.path - np.array(s.minimum)) @ s.extras["normal"]
    # an independent count of the sign changes of the across-valley step
    du = np.diff(u)
    du = du[np.abs(du) > 1e-6]
    assert summary["u_turns"] == np.sum(du[1:] * du[:-1] < 0) > 0
    assert summary["overshoot"] == pytest.approx(max(0.0, np.max(-np.sign(u[0]) * u)))
