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
    assert "λ = 4.00" in e.readout.value and "T = 10" in e.readout.value
    assert "press <i>train</i>" in e.readout.value
    assert e.last_error is None


def test_every_control_extreme():
    e = GradientFlowExplorer()
    extremes = {e.lam: (e.lam.min, e.lam.max), e.T: (e.T.min, e.T.max)}
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


@given(lam=st.floats(0.1, 4.0), T=st.integers(2, 100), act=st.sampled_from(rnn.ACTIVATIONS))
def test_drawn_values_keep_measured_below_bound(lam, T, act):
    e = shared_explorer()
    e.lam.value, e.T.value, e.activation.value = lam, T, act
    lam = e.lam.value  # the slider rounds to its step
    measured, bound = ydata(e.jac_line), ydata(e.bound_line)
    assert len(measured) == T + 1
    assert np.all(measured <= np.maximum(bound, 1e-16) * (1 + 1e-9))
    assert f"γλ = {rnn.GAMMA[act] * lam:.3g}" in e.readout.value


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
    e = GradientFlowExplorer(lam=4.0, T=100)
    e.progress = False
    assert nan_anywhere(e) == [] and len(ydata(e.raw_line)) == 0  # nothing trained yet
    e.run_training()
    assert e.runs["raw"].diverged_at == 1
    assert "without clipping diverged at step 1" in e.readout.value
    assert "without clipping: diverged at step 1" in plots.status_message(e.train_status)
    assert nan_anywhere(e) == []
    e.lam.value, e.T.value = 0.5, 10  # a later run that converges leaves no trace of it
    e.run_training()
    assert "diverged" not in e.readout.value and nan_anywhere(e) == []


def test_training_button_draws_histories_and_reports_explosion():
    e = GradientFlowExplorer()  # λ = 4, T = 10, clip 1, 60 steps: the notebook's run
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
    assert "trained with λ = 4.00" in e.readout.value
    e.lam.value = 0.5
    e.button.click()
    assert not e.train_status.get_visible()
    e.clip.value = 0.01
    assert np.allclose(e.threshold.get_ydata(), 0.01)
