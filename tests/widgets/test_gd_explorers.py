"""Notebook 01's explorers, driven without a browser: every reachable control value works."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from widget_testing import extremes, shared

from course_lib import neuron, plots, surfaces
from course_lib.widgets import GDExplorer, GuessExplorer, gd


def _line_data(line):
    return np.column_stack(
        [np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)]
    )


def test_gd_explorer_default_view_is_the_lecture_run():
    e = GDExplorer()
    path = _line_data(e.path_line)
    assert path.shape == (301, 2) and np.allclose(path[0], [-2, -2])
    assert e.last_error is None
    assert "η = 1" in e.readout.value and "300 steps" in e.readout.value
    assert not e.status.get_visible()


def test_gd_explorer_every_control_extreme():
    e = GDExplorer()
    for name in surfaces.SURFACES:
        e.surface_name.value = name
        for control in (e.lr, e.w0, e.b0, e.steps):  # one at a time, the others at defaults
            default = control.value
            for value in extremes(control):
                before, old = _line_data(e.path_line), control.value
                control.value = value
                assert e.last_error is None
                after = _line_data(e.path_line)
                assert np.all(np.isfinite(after))
                if control is e.steps and not e.result.diverged:
                    assert after.shape == (value + 1, 2)
                elif control is not e.steps and old != value:  # a new η or start: a new path
                    assert after.shape != before.shape or not np.allclose(after, before)
            control.value = default


@given(
    surface=st.sampled_from(list(surfaces.SURFACES)),
    log_lr=st.floats(-3, 2),
    u=st.floats(0, 1),
    v=st.floats(0, 1),
    steps=st.integers(1, 1000),
)
def test_gd_explorer_random_values(surface, log_lr, u, v, steps):
    e = shared(GDExplorer, "gd: random values")
    e.surface_name.value = surface
    (w0, w1), (b0, b1) = e.surface.window
    e.lr.value = 10**log_lr
    e.w0.value, e.b0.value, e.steps.value = w0 + u * (w1 - w0), b0 + v * (b1 - b0), steps
    path = _line_data(e.path_line)
    assert np.allclose(path[0], [e.w0.value, e.b0.value])
    assert 2 <= len(path) <= steps + 1
    assert len(e.loss_line.get_xdata()) == len(path)
    assert f"{len(path) - 1} steps" in e.readout.value
    if e.result.diverged:
        assert e.status.get_visible() and "diverged at step" in plots.status_message(e.status)


def test_gd_explorer_shows_divergence_on_the_bowl():
    e = GDExplorer(surface="quadratic bowl")
    e.lr.value = 0.15  # below 2/10: converges, no banner
    assert not e.status.get_visible()
    e.lr.value = 0.3  # above 2/10: diverges
    assert e.status.get_visible()
    assert "diverged at step" in plots.status_message(e.status)
    assert "diverged at step" in e.readout.value


def test_gd_explorer_surface_switch_moves_start_sliders():
    e = GDExplorer()
    e.surface_name.value = "plateau"
    s = surfaces.plateau()
    assert (e.w0.value, e.b0.value) == s.start
    assert (e.w0.min, e.w0.max) == s.window[0]


def test_guess_explorer_tracks_guesses_and_loss():
    e = GuessExplorer()
    e.w.value, e.b.value = 1.0, 0.5
    assert len(e.guesses) == 3  # the start plus two moves
    expected = neuron.loss(1.0, 0.5)
    assert f"{expected:.3g}" in e.readout.value
    fitted = np.asarray(e.fit_line.get_ydata())
    assert np.allclose(fitted, neuron.predict(e._xs, 1.0, 0.5))
    e.reset.click()
    assert len(e.guesses) == 1


def test_guess_explorer_work_per_move_does_not_grow_with_the_moves(monkeypatch):
    """One loss evaluation and at most RECENT + 1 redrawn guesses per move, after 10 moves
    as after 1,000 (it once re-scored every past guess on every move)."""
    e = GuessExplorer()
    evaluations = []
    loss = neuron.loss
    monkeypatch.setattr(neuron, "loss", lambda *a, **k: evaluations.append(1) or loss(*a, **k))
    values = [round(-7 + (i % 239) * 0.05, 2) for i in range(1, 1001)]  # each differs from the last
    for i, v in enumerate(values, start=1):
        before = len(evaluations)
        e.w.value = v
        assert len(evaluations) - before == 1, f"move {i}"
        assert len(e.trail.get_xdata()) <= gd.RECENT + 1, f"move {i}"
    assert len(e.guesses) == 1001
    drawn = np.concatenate([_line_data(e.old_trail), _line_data(e.trail)[1:]])
    assert np.array_equal(drawn, np.array(e.guesses))  # every guess is on the surface once
    by_hand = [loss(w, b) for w, b in e.guesses]  # the best, found the slow way
    best = int(np.argmin(by_hand))
    assert f"best {by_hand[best]:.3g} at (w, b) = ({e.guesses[best][0]:.2f}" in e.readout.value
    e.reset.click()
    assert len(e.guesses) == 1 and len(_line_data(e.old_trail)) == 0
    assert np.allclose(_line_data(e.trail), [[e.w.value, e.b.value]])


@given(w=st.floats(-7, 5), b=st.floats(-7, 5))
def test_guess_explorer_random_values(w, b):
    e = shared(GuessExplorer, "guess: random values")
    e.w.value, e.b.value = w, b
    cur = _line_data(e.current)
    assert np.allclose(cur, [[e.w.value, e.b.value]])
    assert e.last_error is None


def test_explorer_has_static_fallback():
    e = GDExplorer()
    bundle, metadata = e._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert "static snapshot" in bundle["text/plain"]
    assert metadata["image/png"]["alt"].startswith("Figure: ")  # the snapshot's alt text
