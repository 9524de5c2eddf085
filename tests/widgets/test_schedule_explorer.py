"""Notebook 04's schedule explorer, driven without a browser."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from widget_testing import extremes, shared

from course_lib import plots
from course_lib.widgets import ScheduleExplorer
from course_lib.widgets.schedules import CHOICES


def ydata(line):
    return np.asarray(line.get_ydata(), float)


def expected_lrs(e):
    """The η of each of the 20 epochs, from the notes' formulas (not from the library)."""
    name, lr0, t = e.schedule.value, e.lr0.value, np.arange(20)
    if name == "step decay":
        return lr0 * e.drop.value ** (t // e.every.value)
    if name == "exponential":
        return lr0 * np.exp(-e.k.value * t)
    if name == "1/t":
        return lr0 / (1 + e.k.value * t)
    if name == "constant":
        return np.full(20, lr0)
    val = ydata(e.val_line)  # halving: x drop after every epoch whose validation loss rose
    lrs = [lr0]
    for prev, cur in zip(val[:-2], val[1:-1], strict=True):
        lrs.append(lrs[-1] * (e.drop.value if cur > prev else 1.0))
    return np.array(lrs)


def check_view(e):
    assert e.last_error is None
    lrs = ydata(e.lr_line)[:-1]
    assert np.allclose(lrs, np.clip(expected_lrs(e), 2e-3, 400.0), rtol=1e-12)
    for line in (e.val_line, e.train_line):
        assert len(ydata(line)) == 21 and np.all(np.isfinite(ydata(line)))
    path = np.column_stack([e.path_line.get_xdata(), e.path_line.get_ydata()])
    assert path.shape == (801, 2) and np.allclose(path[0], [-2, -2])
    # no run diverges (|w|, |b| stay far below 1e6), but a large η₀ can leave the plotted window
    (w0, w1), (b0, b1) = (-3.0, 8.0), (-7.0, 2.0)
    out = (path[:, 0] < w0) | (path[:, 0] > w1) | (path[:, 1] < b0) | (path[:, 1] > b1)
    assert e.status.get_visible() == out.any()
    if out.any():
        said = f"left the plotted window at update {np.argmax(out)}"
        assert said in plots.status_message(e.status) and said in e.readout.value
    assert f"η₀ = {e.lr0.value:.3g}" in e.readout.value


def test_default_view_is_step_decay_from_a_large_rate():
    e = ScheduleExplorer()
    check_view(e)
    assert not e.status.get_visible()
    assert e.schedule.value == "step decay" and e.lr0.value == 100.0
    assert "drop 0.50 every 5 epochs" in e.readout.value
    # the annealed run settles within 5 % of the tuned constant rate (notebook 04's claim)
    tuned = e.reference.val_loss[-1]
    assert abs(ydata(e.val_line)[-1] - tuned) < 0.05 * tuned
    e.schedule.value = "constant"  # while a constant 100 keeps bouncing far above it
    assert ydata(e.val_line)[-1] > 3 * tuned
    assert f"{tuned:.4g}" in e.readout.value


def test_reference_is_static_and_runs_are_cached():
    e = ScheduleExplorer()
    reference = e.reference
    assert np.all(reference.lrs == 20.0) and reference.epochs == 20  # the tuned constant η
    e.lr0.value = 40.0
    e.lr0.value = 100.0
    assert e.reference is reference and len(e._cache) == 2
    e.schedule.value = "constant"
    e.k.value = 0.5  # not used by the constant schedule: no new run
    assert len(e._cache) == 3


def test_every_schedule_and_every_control_extreme():
    e = ScheduleExplorer()
    seen_status = False
    for name in CHOICES:
        e.schedule.value = name
        for control in (e.lr0, e.drop, e.every, e.k):
            for value in extremes(control):
                before = ydata(e.val_line).copy()
                control.value = value
                check_view(e)
                seen_status |= e.status.get_visible()
                if not control.disabled and control is e.lr0:
                    assert not np.array_equal(before, ydata(e.val_line))
        assert e.k.disabled == (name not in ("exponential", "1/t"))
        assert e.every.disabled == (name != "step decay")
        e.lr0.value, e.drop.value, e.every.value, e.k.value = 100.0, 0.5, 5, 0.1
    assert seen_status  # η₀ = 200 throws (w, b) out of the plotted window


@settings(max_examples=12)
@given(
    name=st.sampled_from(CHOICES),
    log_lr0=st.floats(np.log10(0.2), np.log10(200.0)),
    drop=st.floats(0.1, 0.9),
    every=st.integers(1, 10),
    log_k=st.floats(np.log10(0.005), np.log10(2.0)),
)
def test_random_values(name, log_lr0, drop, every, log_k):
    e = shared(ScheduleExplorer, "schedules: random values")
    e.schedule.value = name
    e.lr0.value, e.drop.value, e.every.value, e.k.value = 10**log_lr0, drop, every, 10**log_k
    check_view(e)
