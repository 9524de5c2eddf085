"""Notebook 02's race explorer and notebook 03's batch-size explorer, driven without a browser."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.animation import FuncAnimation
from widget_testing import extremes, shared

from course_lib import batching, neuron, optim, plots, surfaces
from course_lib.widgets import BatchExplorer, RaceExplorer


def _xy(line):
    return np.column_stack(
        [np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)]
    )


def test_race_default_view_tells_the_story():
    e = RaceExplorer()
    assert e.last_error is None and e.methods == ("GD", "Momentum", "NAG")
    paths = {m: _xy(e.paths[m]) for m in e.methods}
    assert all(p.shape == (151, 2) and np.allclose(p[0], [-3.5, 1.5]) for p in paths.values())
    # the same runs as optim.run with the controls' values
    s = surfaces.sharp_valley()
    mom = optim.run(optim.Momentum(0.04, 0.9), s.grad_fn, s.params(), 150)
    assert np.allclose(paths["Momentum"], mom.path)
    text = e.readout.value
    assert "η = 0.04, γ = 0.90, 150 steps" in text and "u-turns" in text
    assert not e.status.get_visible()


def test_race_every_control_extreme_on_every_surface():
    e = RaceExplorer()
    for name in surfaces.SURFACES:
        e.surface_name.value = name
        assert ("u-turns" in e.readout.value) == (name == "sharp valley")
        for control in (e.lr, e.gamma, e.w0, e.b0, e.steps):  # one at a time, others at defaults
            default = control.value
            for value in extremes(control):
                before, old = {m: _xy(e.paths[m]) for m in e.methods}, control.value
                control.value = value
                assert e.last_error is None
                for m in e.methods:
                    after = _xy(e.paths[m])
                    assert np.all(np.isfinite(after))
                    assert len(e.curves[m].get_xdata()) == len(after)
                changed = any(
                    before[m].shape != _xy(e.paths[m]).shape
                    or not np.allclose(before[m], _xy(e.paths[m]))
                    for m in e.methods
                )
                assert changed or old == value
            control.value = default


@given(
    surface=st.sampled_from(list(surfaces.SURFACES)),
    log_lr=st.floats(-3, 2),
    gamma=st.floats(0, 0.99),
    u=st.floats(0, 1),
    v=st.floats(0, 1),
    steps=st.integers(1, 500),
)
def test_race_random_values(surface, log_lr, gamma, u, v, steps):
    e = shared(RaceExplorer, "race_random_values")
    e.surface_name.value = surface
    (w0, w1), (b0, b1) = e.surface.window
    e.lr.value, e.gamma.value = 10**log_lr, gamma
    e.w0.value, e.b0.value, e.steps.value = w0 + u * (w1 - w0), b0 + v * (b1 - b0), steps
    assert e.last_error is None
    for m in e.methods:
        path = _xy(e.paths[m])
        assert np.allclose(path[0], [e.w0.value, e.b0.value])
        assert 1 <= len(path) <= steps + 1
        if e.results[m].diverged:
            assert e.status.get_visible()
            assert f"{m} diverged at step {e.results[m].diverged_at}" in plots.status_message(
                e.status
            )


def test_race_shows_divergence_per_method():
    e = RaceExplorer(surface="quadratic bowl", steps=200)
    e.lr.value = 0.15  # GD converges below 2/10; momentum with γ = 0.9 too
    e.gamma.value = 0.0
    assert not e.status.get_visible()
    e.lr.value = 0.25  # everyone diverges above 2/10 (with γ = 0 they are all GD)
    text = plots.status_message(e.status)
    assert all(f"{m} diverged at step" in text for m in e.methods)
    assert "(diverged)" in e.readout.value


def test_race_drags_live_only_while_the_race_is_cheap():
    e = RaceExplorer(steps=150)
    assert e.lr.continuous_update and e.w0.continuous_update and not e.steps.continuous_update
    e.steps.value = 500  # 1,500 optimizer steps per update
    assert not e.lr.continuous_update and not e.gamma.continuous_update
    six = RaceExplorer(methods=tuple(optim.OPTIMIZERS), steps=200)
    assert not six.lr.continuous_update  # 6 x 200 steps > 900


def test_race_takes_any_subset_of_the_optimizers():
    e = RaceExplorer(methods=tuple(optim.OPTIMIZERS), surface="plateau", lr=0.1)
    assert set(e.paths) == set(optim.OPTIMIZERS) and e.uses_gamma
    assert type(e.optimizer("Adam")) is optim.Adam and e.optimizer("NAG").gamma == 0.9
    adaptive = RaceExplorer(methods=("AdaGrad", "Adam"), options={"Adam": {"beta1": 0.5}})
    assert not adaptive.uses_gamma and adaptive.gamma not in adaptive.controls
    assert adaptive.optimizer("Adam").beta1 == 0.5
    with pytest.raises(ValueError, match="methods must be a non-empty subset"):
        RaceExplorer(methods=("GD", "SGD"))
    with pytest.raises(ValueError, match="methods must be a non-empty subset"):
        RaceExplorer(methods=())
    with pytest.raises(ValueError, match="surface must be one of"):
        RaceExplorer(surface="nope")


@pytest.mark.filterwarnings("ignore:Animation was deleted without rendering")
def test_race_animation_replays_the_current_race():
    e = RaceExplorer(steps=100)
    anim = e.animation(frames=11)
    assert isinstance(anim, FuncAnimation)
    frames = list(anim.new_frame_seq())
    assert frames == list(range(0, 101, 10))
    anim._func(50)  # what the writer calls for the frame at step 50
    lines = anim._fig.axes[0].lines
    assert len(lines) == 2 * len(e.methods)  # a path and a loss curve per method
    assert all(len(line.get_xdata()) == 51 for line in lines)
    html = plots.animation_html(anim)
    assert "<script" in html and html.count("data:image/jpeg;base64") == 11


def test_batch_default_view():
    e = BatchExplorer()
    assert e.last_error is None
    X, Y = neuron.make_dataset(n=1000, seed=0)
    run = batching.minibatch_run(optim.GD(1.0), X, Y, 20, 2, e.surface.params(), rng=0)
    assert np.allclose(_xy(e.path_line), run.path)
    assert "50 updates per epoch" in e.readout.value and "100 updates" in e.readout.value
    assert np.allclose(e.epoch_losses, run.epoch_losses)


def test_batch_every_control_extreme():
    e = BatchExplorer()
    for B in e.batch_size.options:
        e.batch_size.value = B
        assert e.run.steps == 2 * batching.updates_per_epoch(1000, B)
        if 1000 % B:
            assert f"the last with {1000 % B} points" in e.readout.value
    e.batch_size.value = 20  # (with B = N the shuffle seed cannot matter)
    for method in ("GD", "Momentum", "NAG"):
        e.method.value = method
        for control in (e.lr, e.gamma, e.epochs, e.seed):
            for value in extremes(control):
                before, old = _xy(e.path_line), control.value
                control.value = value
                assert e.last_error is None
                after = _xy(e.path_line)
                assert np.all(np.isfinite(after))
                if old != value and not (control is e.gamma and method == "GD"):
                    assert before.shape != after.shape or not np.allclose(before, after)
    assert e.batch_size.options[0] == 1 and e.batch_size.options[-1] == 1000


@given(
    B=st.sampled_from([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]),
    log_lr=st.floats(-2, 2),
    method=st.sampled_from(["GD", "Momentum", "NAG"]),
    gamma=st.floats(0, 0.99),
    epochs=st.integers(1, 2),
)
def test_batch_random_values(B, log_lr, method, gamma, epochs):
    e = shared(BatchExplorer, "batch_random_values")
    e.batch_size.value, e.lr.value, e.method.value = B, 10**log_lr, method
    e.gamma.value, e.epochs.value = gamma, epochs
    assert e.last_error is None
    assert len(e.epoch_line.get_xdata()) == e.run.epochs + 1
    (w0, w1), (b0, b1) = e.surface.window
    path = e.run.path
    outside = (path[:, 0] < w0) | (path[:, 0] > w1) | (path[:, 1] < b0) | (path[:, 1] > b1)
    assert e.status.get_visible() == (e.run.diverged or bool(outside.any()))
    if e.run.diverged:
        assert f"diverged at update {e.run.diverged_at}" in plots.status_message(e.status)
    elif outside.any():
        assert f"left the plotted window at update {np.argmax(outside)}" in plots.status_message(
            e.status
        )


def test_batch_explorer_drags_live_only_while_runs_are_cheap():
    e = BatchExplorer(batch_size=1, epochs=5)  # 5,000 updates, the most on 1,000 points
    assert e.lr.continuous_update and e.gamma.continuous_update and e.seed.continuous_update
    assert not e.batch_size.continuous_update and not e.epochs.continuous_update
    X, Y = neuron.make_dataset(n=2000, seed=1)
    big = BatchExplorer(X, Y, batch_size=1, epochs=3)  # 6,000 updates
    assert not big.lr.continuous_update and not big.seed.continuous_update
    big.epochs.value = 2  # 4,000
    assert big.lr.continuous_update


def test_batch_explorer_draws_the_readable_paths_run():
    """The explorer computes with the fused path; what it draws is minibatch_run's run."""
    e = BatchExplorer(batch_size=1, method="NAG", lr=3.0, gamma=0.8)
    e.seed.value = 4
    run = batching.minibatch_run(
        optim.NAG(3.0, 0.8), e.X, e.Y, 1, 2, e.surface.params(), rng=4, loss=None
    )
    assert np.array_equal(_xy(e.path_line), run.path)
    assert np.array_equal(e.run.epoch_ends, run.epoch_ends)


def test_batch_explorer_says_when_a_run_leaves_the_window():
    e = BatchExplorer(method="Momentum", lr=30.0)
    assert e.status.get_visible() and "left the plotted window" in plots.status_message(e.status)
    assert "left the plotted window" in e.readout.value


def test_batch_explorer_bad_arguments():
    with pytest.raises(ValueError, match="batch_size must be one of"):
        BatchExplorer(batch_size=3)
    with pytest.raises(ValueError, match="method must be"):
        BatchExplorer(method="Adam")
