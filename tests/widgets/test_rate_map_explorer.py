"""Notebook 02's rate map, driven without a browser."""

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backend_bases import MouseEvent
from widget_testing import extremes, shared

from course_lib import momentum_theory, optim, plots
from course_lib.widgets import RateMapExplorer
from course_lib.widgets.rates import ETAS, GAMMAS, STEPS, bowl


def rates_in_readout(e) -> tuple[float, float | None]:
    """(predicted, measured) as the readout states them."""
    predicted = float(re.search(r"ρ = <b>([\d.]+)</b>", e.readout.value).group(1))
    measured = re.search(r"steps: <b>([\d.]+|—)</b>", e.readout.value).group(1)
    return predicted, None if measured == "—" else float(measured)


def check_view(e):
    assert e.last_error is None
    text = e.readout.value
    assert "nan" not in text.lower() and "inf" not in text.lower()
    method, kappa = e.method.value, e.kappa.value
    eta = e.lr.value
    gamma = 0.0 if method == "GD" else e.gamma.value
    assert np.allclose(np.column_stack(e.point.get_data()), [[eta, gamma]])
    path = np.column_stack(e.path_line.get_data())
    assert np.allclose(path[0], bowl(kappa).start) and np.all(np.isfinite(path))
    predicted, measured = rates_in_readout(e)
    expected = momentum_theory.rate(method, eta, gamma, [1 / kappa, 1.0])
    assert np.isclose(predicted, expected, atol=6e-5)
    assert ("does not converge" in text) == (expected >= 1)
    if expected >= 1.001:
        assert e.run.diverged or measured > 1
    for line in (e.distance, e.predicted):
        assert np.all(np.isfinite(np.asarray(line.get_ydata(), float)))
    assert e.gamma.disabled == (method == "GD")


def test_default_view_states_the_predicted_and_the_measured_rate():
    e = RateMapExplorer()
    check_view(e)
    predicted, measured = rates_in_readout(e)
    assert abs(measured / predicted - 1) < 0.02
    assert not e.status.get_visible()
    best = momentum_theory.optimal("Momentum", 10.0)
    assert np.allclose(np.column_stack(e.best.get_data()), [[best.eta, best.gamma]])


def test_the_map_is_the_spectral_radius_of_the_step_matrices():
    """A few pixels against numpy.linalg.eigvals of the 2x2 matrices, for each method."""
    e = RateMapExplorer(kappa=30.0)
    rng = np.random.default_rng(0)
    for method in momentum_theory.METHODS:
        e.method.value = method
        rates = e.rates(method, 30.0)
        assert rates.shape == (GAMMAS.size, ETAS.size)
        for i, j in zip(
            rng.integers(0, GAMMAS.size, 12), rng.integers(0, ETAS.size, 12), strict=True
        ):
            gamma = 0.0 if method == "GD" else GAMMAS[i]
            radii = [
                np.abs(
                    np.linalg.eigvals(momentum_theory.iteration_matrix(method, ETAS[j], gamma, lam))
                ).max()
                for lam in (1 / 30, 1.0)
            ]
            assert np.isclose(rates[i, j], max(radii), atol=1e-6)


def test_the_run_is_the_optimizers_run():
    e = RateMapExplorer(method="NAG", kappa=50.0, lr=0.8, gamma=0.7)
    s = bowl(50.0)
    expected = optim.run(optim.NAG(0.8, 0.7), s.grad_fn, s.params(), STEPS).path
    assert np.allclose(np.column_stack(e.path_line.get_data()), expected)


def test_the_map_is_computed_once_per_method_and_kappa():
    e = RateMapExplorer()
    maps = dict(e._maps)
    shown = e.image.get_array()
    for value in (0.5, 1.5, 2.5):
        e.lr.value = value
        e.gamma.value = value / 4
    assert e._maps == maps and e.image.get_array() is shown  # moves leave the map alone
    e.method.value = "NAG"  # (NAG, 10)
    e.kappa.value = e.kappa.value * 10**0.5  # (NAG, 31.6): a value on the slider's grid
    e.method.value = "Momentum"  # (Momentum, 31.6)
    e.kappa.value = 10.0  # (Momentum, 10) again: from the cache
    assert len(e._maps) == 4 and e.image.get_array().data is not shown.data


def test_a_new_method_reuses_the_background_and_a_new_kappa_does_not():
    """The map's artists are redrawn with every move, so a method needs no full redraw; a new
    κ has new contours, which live in the background."""
    e = RateMapExplorer()
    e.draw()
    renders = []
    draw_background = e._draw_background
    e._draw_background = lambda: (renders.append(1), draw_background())
    for method in ("NAG", "GD", "Momentum"):
        e.method.value = method
        assert e.ax_map.get_title().startswith(f"{method}'s rate")
        assert e.boundaries[method].get_linestyle() == "-"
    assert renders == []
    e.kappa.value = e.kappa.value * 10**0.5
    assert renders == [1]
    check_view(e)


def test_gd_has_no_gamma_and_the_current_boundary_is_solid():
    e = RateMapExplorer()
    e.method.value = "GD"
    check_view(e)
    assert e.gamma.disabled and "GD has no γ" in e.readout.value
    styles = {m: line.get_linestyle() for m, line in e.boundaries.items()}
    assert styles == {"GD": "-", "Momentum": "--", "NAG": "--"}


def test_a_diverging_point_says_so():
    e = RateMapExplorer(method="NAG", lr=1.7, gamma=0.9)  # NAG's limit at γ = 0.9 is 1.36
    check_view(e)
    assert "does not converge" in e.readout.value
    assert "diverged at step" in plots.status_message(e.status)
    e.method.value = "Momentum"  # ... where momentum (limit 3.8) converges
    check_view(e)
    assert "(converges)" in e.readout.value and not e.status.get_visible()


def test_every_control_extreme_for_every_method():
    e = RateMapExplorer()
    for method in momentum_theory.METHODS:
        e.method.value = method
        for control in (e.lr, e.gamma, e.kappa):
            default = control.value
            for value in extremes(control):
                control.value = value
                check_view(e)
            control.value = default


@settings(max_examples=25)
@given(
    method=st.sampled_from(momentum_theory.METHODS),
    eta=st.floats(0.01, 4.2),
    gamma=st.floats(0.0, 0.99),
)
def test_random_values(method, eta, gamma):
    e = shared(RateMapExplorer, "rate map: random values")
    e.method.value = method
    e.lr.value, e.gamma.value = round(eta, 2), round(gamma, 2)
    check_view(e)


def click(e, ax, x, y):
    px, py = ax.transData.transform((x, y))
    event = MouseEvent("button_press_event", e.fig.canvas, px, py, button=1)
    e.fig.canvas.callbacks.process("button_press_event", event)


def test_a_click_on_the_map_moves_the_point_there_in_one_update():
    e = RateMapExplorer()
    updates = []
    original = e.update
    e.update = lambda: (updates.append(1), original())
    click(e, e.ax_map, 2.347, 0.612)  # off the rounding boundary 2.345
    assert (e.lr.value, e.gamma.value) == (2.35, 0.61) and len(updates) == 1
    check_view(e)
    click(e, e.ax_path, 0.0, 0.0)  # elsewhere: nothing happens
    assert (e.lr.value, e.gamma.value) == (2.35, 0.61) and len(updates) == 1
    e.method.value = "GD"
    click(e, e.ax_map, 1.5, 0.9)
    assert (e.lr.value, e.gamma.value) == (1.5, 0.61)  # GD's γ stays as it was
    check_view(e)
