"""Notebook 05's six-optimizer race, driven without a browser."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from widget_testing import extremes, shared

from course_lib import optim, plots, surfaces
from course_lib.widgets import AdaptiveRaceExplorer
from course_lib.widgets.adaptive import DEFAULTS


def xy(line):
    return np.column_stack([np.asarray(line.get_xdata(), float), line.get_ydata()])


def check_view(e):
    assert e.last_error is None
    steps = e.steps.value
    for name in DEFAULTS:
        shown = e.show[name].value
        assert e.path_lines[name].get_visible() == shown
        if not shown:
            continue
        path = xy(e.path_lines[name])
        assert np.allclose(path[0], [e.w0.value, e.b0.value])
        assert 2 <= len(path) <= steps + 1 and np.all(np.isfinite(path))
        assert len(e.loss_lines[name].get_xdata()) == len(path)
        assert len(e.rate_lines[name].get_xdata()) == len(path) - 1
        if e.runs[name].diverged:
            assert e.status.get_visible()
            assert "diverged at step" in plots.status_message(
                e.status
            ) or "more" in plots.status_message(e.status)
    assert f"{steps} steps" in e.readout.value


def test_default_view_races_all_six_on_the_sparse_surface():
    e = AdaptiveRaceExplorer()
    check_view(e)
    assert e.surface.name == "sparse feature"
    assert all(e.path_lines[n].get_visible() for n in DEFAULTS)
    assert not e.status.get_visible()
    # The adaptive methods leave the start far behind along w; GD barely moves w.
    w_end = {n: xy(e.path_lines[n])[-1, 0] for n in DEFAULTS}
    assert w_end["Adam"] > 2.5 and w_end["GD"] < -4.5


def test_paths_are_the_optimizers_runs():
    e = AdaptiveRaceExplorer()
    e.surface_name.value = "quadratic bowl"
    s = surfaces.quadratic_bowl()
    e.hyper["RMSProp"]["beta"].value = 0.5
    expected = optim.run(optim.RMSProp(0.1, beta=0.5), s.grad_fn, s.params(), e.steps.value)
    assert np.allclose(xy(e.path_lines["RMSProp"]), expected.path)
    e.hyper["RMSProp"]["beta"].value = 0.9


def test_moving_one_slider_recomputes_one_optimizer():
    e = AdaptiveRaceExplorer()
    before = len(e._cache)
    others = {n: xy(e.path_lines[n]) for n in DEFAULTS if n != "Adam"}
    e.hyper["Adam"]["lr"].value = 0.05
    assert len(e._cache) == before + 1
    assert all(np.array_equal(xy(e.path_lines[n]), p) for n, p in others.items())


def test_hiding_and_switching_the_rate_panel():
    e = AdaptiveRaceExplorer()
    e.show["GD"].value = False
    assert not e.loss_lines["GD"].get_visible() and "GD (" not in e.readout.value
    rate_w = xy(e.rate_lines["AdaGrad"])
    e.rate_of.value = "b"
    assert not np.array_equal(rate_w, xy(e.rate_lines["AdaGrad"]))
    assert np.allclose(xy(e.rate_lines["GD"])[:, 1], e.hyper["GD"]["lr"].value)  # GD: η itself
    for name in DEFAULTS:
        e.show[name].value = False
    assert "tick an optimizer" in e.readout.value
    check_view(e)


def test_divergence_is_shown():
    e = AdaptiveRaceExplorer(surface="quadratic bowl")
    assert e.status.get_visible()  # GD's default η = 0.4 > 2/10 on this bowl
    assert "GD diverged at step" in plots.status_message(e.status)
    assert "diverged at step" in e.readout.value
    e.hyper["GD"]["lr"].value = 0.1
    check_view(e)
    assert "GD" not in plots.status_message(e.status)


def test_every_control_extreme_on_every_surface():
    e = AdaptiveRaceExplorer()
    for surface in surfaces.SURFACES:
        e.surface_name.value = surface
        controls = [e.steps, e.w0, e.b0] + [s for h in e.hyper.values() for s in h.values()]
        for control in controls:
            default = control.value
            for value in extremes(control):
                control.value = value
                check_view(e)
            control.value = default


@settings(max_examples=15)
@given(
    surface=st.sampled_from(list(surfaces.SURFACES)),
    name=st.sampled_from(list(DEFAULTS)),
    log_lr=st.floats(-4, 1),
    u=st.floats(0, 1),
    v=st.floats(0, 1),
    rate_of=st.sampled_from(["w", "b"]),
)
def test_random_values(surface, name, log_lr, u, v, rate_of):
    e = shared(AdaptiveRaceExplorer, "adaptive race: random values")
    e.surface_name.value = surface
    (w0, w1), (b0, b1) = e.surface.window
    e.w0.value, e.b0.value = w0 + u * (w1 - w0), b0 + v * (b1 - b0)
    e.hyper[name]["lr"].value = 10**log_lr
    e.rate_of.value = rate_of
    check_view(e)


def test_the_start_follows_a_drag_only_while_the_race_is_cheap():
    e = AdaptiveRaceExplorer()  # six racers x 200 steps = 1,200 optimizer steps per update
    assert not (e.w0.continuous_update or e.b0.continuous_update or e.steps.continuous_update)
    e.show["GD"].value = False
    e.show["NAG"].value = False  # four racers x 200 = 800
    assert e.w0.continuous_update and e.b0.continuous_update
    e.steps.value = 300  # 4 x 300 = 1,200
    assert not e.w0.continuous_update
    assert e.hyper["Adam"]["lr"].continuous_update  # one racer recomputed: always live
