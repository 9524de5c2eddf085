"""Notebook 09's gradient-reach explorer, driven without a browser: every control works, no
line ever holds NaN or leaves the axis, and what is drawn is the measurement (recomputed)."""

import numpy as np
import pytest

from course_lib import gated, gradflow
from course_lib.widgets import GradientReachExplorer


def _drawn(e):
    return {name: np.asarray(line.get_ydata(), dtype=float) for name, line in e.lines.items()}


def test_every_control_extreme_draws_finite_lines_inside_the_axis():
    e = GradientReachExplorer()
    for stage in e.stage.options:
        e.stage.value = stage
        for control in (e.T, e.seed):
            for value in (control.min, control.max):
                control.value = value
                assert e.last_error is None
                for y in _drawn(e).values():
                    assert len(y) == e.T.value and np.all(np.isfinite(y))
                    assert np.all((y >= 1e-12) & (y <= 1e4))
                assert f"T = {e.T.value}" in e.readout.value


def test_the_lines_are_the_measurement():
    e = GradientReachExplorer()
    e.stage.value, e.seed.value, e.T.value = "after 200 steps", 1, 30
    data = gated.task(1)[1]
    params = gated.shipped().params["LSTM, chrono"][1]
    norms = gradflow.state_gradient_norms("lstm", params, data.X[:16, :30], data.targets[:16])
    expected = norms[1:] / norms[30]
    assert np.allclose(_drawn(e)["LSTM, chrono"], np.clip(expected, 1e-12, 1e4))
    assert f"{expected[0]:.1e}" in e.readout.value
    # at the start the chrono LSTM reaches step 1, the RNN does not (section 7's claim)
    e.stage.value, e.T.value = "at the start", 60
    assert e.reach["LSTM, chrono"][0] > 0.05 and e.reach["RNN"][0] < 1e-5


def test_a_revisit_is_served_from_what_was_computed():
    e = GradientReachExplorer()
    e.T.value, e.seed.value = 40, 0
    before = {k: v.copy() for k, v in e.reach.items()}
    e.T.value = 41
    e.T.value = 40
    assert all(np.array_equal(before[k], e.reach[k]) for k in before)


def test_unknown_stage_is_a_clear_error():
    with pytest.raises(ValueError, match="stage must be one of"):
        GradientReachExplorer(stage="trained")
