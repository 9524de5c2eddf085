"""What the browser sends back when a slider's view first renders: its value snapped to the
step grid in floating point (0.9 -> 0.9000000000000001; the values below are the ones the
browser sends the kernel for notebook 05's race).
That is no change a student could see, so it must not cost an update and a redraw; a real
step, however small, must still be drawn, and the last value of a drag must be the one shown.
"""

import math

import pytest

from course_lib.widgets import AdaptiveRaceExplorer
from course_lib.widgets.base import log_slider


@pytest.fixture
def race(monkeypatch):
    e = AdaptiveRaceExplorer()
    e.updates = 0
    update = e.update

    def counted():
        e.updates += 1
        update()

    monkeypatch.setattr(e, "update", counted)
    return e


def test_a_value_the_browser_only_rounded_is_not_redrawn(race):
    beta2 = race.hyper["Adam"]["beta2"]
    readout = race.readout.value
    snapped = 0.9990000000000001  # the browser's grid value for 0.999
    assert snapped != 0.999  # the case only exists because the two floats differ
    beta2.value = snapped
    for name in ("Momentum", "NAG"):
        race.hyper[name]["gamma"].value = 0.9000000000000001
    assert race.updates == 0
    assert race.readout.value == readout


def test_the_smallest_step_is_still_drawn(race):
    beta2 = race.hyper["Adam"]["beta2"]
    beta2.value = 0.999 - beta2.step
    assert race.updates == 1
    assert "β₂=0.9989" in race.readout.value


def test_the_last_value_of_a_drag_is_what_the_readout_states(race):
    beta2 = race.hyper["Adam"]["beta2"]
    before = race.losses["Adam"][-1]
    for value in (0.9990000000000001, 0.9570000000000002, 0.6630000000000001):
        beta2.value = value
    assert race.updates == 2  # 0.957 and 0.663; the rounded 0.999 cost nothing
    assert "β₂=0.6630" in race.readout.value
    assert "β₂=0.9990" not in race.readout.value
    assert race.losses["Adam"][-1] != before


@pytest.mark.parametrize(
    ("value", "lo", "hi"),
    [(0.4, 1e-4, 10.0), (0.02, 1e-4, 10.0), (0.1, 1e-3, 1e2), (5.0, 0.01, 100)],
)
def test_a_log_slider_starts_on_its_own_grid_and_covers_its_range(value, lo, hi):
    """The browser snaps the value to min + k·step when it shows the slider, so the value
    must be a grid point: with the grid starting at lo, η = 0.4 would run as 0.398 (10^-0.4)."""
    s = log_slider("η", value, lo, hi)
    assert s.value == value
    k = (math.log10(value) - s.min) / s.step
    assert abs(k - round(k)) < 1e-9  # the value is a grid point: nothing to snap
    assert s.min <= math.log10(lo) + 1e-12 and s.max >= math.log10(hi) - 1e-12
    assert s.min > math.log10(lo) - s.step and s.max < math.log10(hi) + s.step


@pytest.mark.parametrize(("value", "start"), [(0.0, 1e-3), (-1.0, 1e-3), (1e6, 1e2)])
def test_a_log_slider_given_a_value_out_of_range_starts_at_the_nearer_end(value, start):
    s = log_slider("η", value, 1e-3, 1e2)
    assert s.value == pytest.approx(start)
    k = (math.log10(s.value) - s.min) / s.step
    assert abs(k - round(k)) < 1e-9


def test_a_log_slider_names_a_value_that_is_no_number():
    with pytest.raises(TypeError, match="slider 'η'.*str"):
        log_slider("η", "fast", 1e-3, 1e2)
