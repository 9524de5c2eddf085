"""The pieces the explorers share: start sliders, run status, race paths."""

import ipywidgets as widgets
import numpy as np
import pytest

from course_lib import optim, surfaces
from course_lib.widgets import _common

WINDOW = ((-1.0, 1.0), (-2.0, 2.0))


def run_along(points, diverged_at=None, reason=None):
    path = np.array(points, dtype=float)
    return optim.Run(
        {"w": path[:, 0], "b": path[:, 1]}, None, np.ones(len(path) - 1), None, diverged_at, reason
    )


@pytest.mark.parametrize(
    ("points", "first"),
    [
        ([(0, 0), (0.5, 1.9), (-1, -2)], None),  # the edges count as inside
        ([(0, 0), (1.5, 0), (0, 0)], 1),
        ([(0, 0), (0, 0), (0, -2.5), (3, 3)], 2),
        ([(-1.01, 0)], 0),
    ],
)
def test_first_outside_and_the_status_it_gives(points, first):
    assert _common.first_outside(np.array(points, float), WINDOW) == first
    said = _common.run_status(run_along(points), WINDOW, unit="update")
    assert said == (None if first is None else f"left the plotted window at update {first}")


def test_divergence_is_reported_before_the_window():
    run = run_along([(0, 0), (5, 5)], diverged_at=2, reason="|w| exceeded 10")
    assert _common.run_status(run, WINDOW) == "diverged at step 2"
    assert _common.run_status(run, WINDOW, reason=True) == "diverged at step 2: |w| exceeded 10"


def test_join_status_counts_what_it_leaves_out():
    assert _common.join_status([None, None]) is None
    assert _common.join_status(["a", None, "b"]) == "a; b"
    assert _common.join_status(["a", "b", "c", "d"], most=2) == "a; b; +2 more"
    assert _common.join_status(["a", "b"], most=2) == "a; b"


def test_fit_start_sliders_follow_the_window_whichever_way_it_moves():
    w, b = widgets.FloatSlider(min=-1, max=1), widgets.FloatSlider(min=-1, max=1)
    for name in ("plateau", "sharp valley", "quadratic bowl"):
        s = surfaces.get(name)
        _common.fit_start_sliders(w, b, s)
        assert ((w.min, w.max), (b.min, b.max)) == s.window
        assert (w.value, b.value) == s.start


def test_run_on_surface_gives_the_losses_along_the_path():
    s = surfaces.quadratic_bowl()
    run, losses = _common.run_on_surface(optim.GD(0.05), s, s.params(), 20)
    assert run.steps == 20
    by_hand = [s.loss_fn({"w": w, "b": b}) for w, b in run.path]
    assert np.allclose(losses, by_hand, rtol=1e-12)
    traced, _ = _common.run_on_surface(optim.Adam(0.05), s, s.params(), 5, trace=True)
    assert traced.effective_lrs["w"].shape == (5,)
