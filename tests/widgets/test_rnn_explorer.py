"""Notebook 08's gradient-flow explorer, driven without a browser."""

import functools
import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.lines import Line2D
from matplotlib.text import Text

from course_lib import plots, rnn
from course_lib.widgets import GradientFlowExplorer


@functools.cache
def shared_explorer():
    """One explorer for all Hypothesis examples (a figure per example would pile up)."""
    return GradientFlowExplorer()


def ydata(line):
    return np.asarray(line.get_ydata(), float)


def test_default_view_shows_measured_norms_under_the_bound():
    e = GradientFlowExplorer()
    measured, bound = ydata(e.jac_line), ydata(e.bound_line)
    assert len(measured) == len(bound) == 11  # t = 0..T, T = 10
    assert measured[0] == 1.0 and np.all(measured <= bound * (1 + 1e-9))
    assert np.allclose(bound, 4.0 ** np.arange(11))
    assert "ω = 4.00" in e.readout.value and "T = 10" in e.readout.value
    assert "press <i>train</i>" in e.readout.value
    assert e.last_error is None


def test_every_control_extreme():
    e = GradientFlowExplorer()
    extremes = {e.omega: (e.omega.min, e.omega.max), e.T: (e.T.min, e.T.max)}
    extremes[e.clip] = (10**e.clip.min, 10**e.clip.max)  # a log slider's min/max are exponents
    for control, values in extremes.items():
        for value in values:
            before = ydata(e.jac_line).copy()
            control.value = value
            assert e.last_error is None
            after = ydata(e.jac_line)
            assert np.all(np.isfinite(after))
            assert control is e.clip or not np.array_equal(before, after)
    for act in rnn.ACTIVATIONS:
        e.activation.value = act
        assert f"σ = {act}" in e.readout.value


@given(omega=st.floats(0.1, 4.0), T=st.integers(2, 100), act=st.sampled_from(rnn.ACTIVATIONS))
def test_drawn_values_keep_measured_below_bound(omega, T, act):
    e = shared_explorer()
    e.omega.value, e.T.value, e.activation.value = omega, T, act
    omega = e.omega.value  # the slider rounds to its step
    measured, bound = ydata(e.jac_line), ydata(e.bound_line)
    assert len(measured) == T + 1
    assert np.all(measured <= np.maximum(bound, 1e-16) * (1 + 1e-9))
    assert f"rω = {rnn.R[act] * omega:.3g}" in e.readout.value
    # the bound of this run's slopes lies between the measured norm and (rω)^t
    most = ydata(e.slope_lines[0])
    assert np.all(measured <= most * (1 + 1e-9)) and np.all(
        most <= np.maximum(bound, 1e-16) * (1 + 1e-9)
    )


def nan_anywhere(e) -> list[str]:
    """Every artist of the explorer's figure, and its readout, that shows a NaN."""
    found = [] if "nan" not in e.readout.value.lower() else ["readout"]
    for artist in e.fig.findobj():
        if isinstance(artist, Line2D) and np.isnan(np.asarray(artist.get_xydata(), float)).any():
            found.append(f"line {artist.get_label()!r}")
        if isinstance(artist, Text) and re.search(r"\bnan\b", artist.get_text(), re.I):
            found.append(f"text {artist.get_text()!r}")
    return found


def test_a_run_that_diverges_at_once_reports_it_and_draws_no_nan():
    e = GradientFlowExplorer(omega=4.0, T=100)
    e.progress = False
    assert nan_anywhere(e) == [] and len(ydata(e.raw_line)) == 0  # nothing trained yet
    e.run_training()
    assert e.runs["raw"].diverged_at == 1
    assert "without clipping diverged at step 1" in e.readout.value
    assert "without clipping: diverged at step 1" in plots.status_message(e.train_status)
    assert nan_anywhere(e) == []
    e.omega.value, e.T.value = 0.5, 10  # a later run that converges leaves no trace of it
    e.run_training()
    assert "diverged" not in e.readout.value and nan_anywhere(e) == []


def test_training_button_draws_histories_and_reports_explosion():
    e = GradientFlowExplorer()  # ω = 4, T = 10, clip 1, 60 steps: the notebook's run
    assert len(ydata(e.raw_line)) == 0
    e.progress = False
    e.button.click()
    raw, clipped = ydata(e.raw_line), ydata(e.clip_line)
    assert len(raw) == len(clipped) == 60 and np.all(np.isfinite(raw))
    assert raw.max() > 10  # gradients explode without clipping ...
    assert e.train_status.get_visible() and "without clipping" in plots.status_message(
        e.train_status
    )
    assert "with clipping:" not in plots.status_message(e.train_status)  # ... and are tamed with it
    assert "trained with ω = 4.00" in e.readout.value
    e.omega.value = 0.5
    e.button.click()
    assert not e.train_status.get_visible()
    e.clip.value = 0.01
    assert np.allclose(e.threshold.get_ydata(), 0.01)


def test_with_tanh_and_omega_1_the_norm_vanishes_under_a_bound_of_1_as_the_slopes_say():
    """The bound (rω)^t is 1, yet the norm vanishes, and follows ∏ ω·rms σ' (notebook 08 §2)."""
    e = GradientFlowExplorer(omega=1.0, T=60)
    measured, bound = ydata(e.jac_line), ydata(e.bound_line)
    most, typical = (ydata(line) for line in e.slope_lines)
    assert np.allclose(bound, 1.0) and measured[-1] < 1e-5
    rate, typical_rate = measured[-1] ** (1 / 60), typical[-1] ** (1 / 60)
    assert abs(rate / typical_rate - 1) < 0.1 and most[-1] > 0.5
    assert "this run's slopes: at most" in e.readout.value
