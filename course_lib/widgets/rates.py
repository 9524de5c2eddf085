"""Notebook 02's rate map: how fast GD, momentum or NAG converge on a quadratic bowl, over
the whole (η, γ) plane, with one run beside it."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import momentum_theory, optim, plots, surfaces
from ._common import FLOOR, first_outside, run_status
from .base import Explorer, log_slider, slider

#: The map's grid: η from 0 to 4.2 in units of 1/λ_max (momentum's limit 2(1 + γ) < 4),
#: γ from 0 to 0.99 (the γ slider's range).
ETAS = np.linspace(0.01, 4.2, 220)
GAMMAS = np.linspace(0.0, 0.99, 100)
#: Steps of the run drawn beside the map.
STEPS = 300


def bowl(kappa: float) -> surfaces.Surface:
    """The bowl ½(w²/κ + b²): curvatures 1/κ (along w) and 1 (along b), so η is in units
    of 1/λ_max and the stability limits do not move with κ."""
    return surfaces.quadratic_bowl(1.0 / kappa, 1.0)


class RateMapExplorer(Explorer):
    """The rate ρ of GD, momentum or NAG on the bowl ½(w²/κ + b²) over (η, γ), with the
    stability limits of all three drawn on it and the best (η, γ) for κ starred.

    Controls: method, η, γ (GD has none), κ (on release: the map and the contours are
    recomputed, a full redraw). Clicking the map (where ipympl delivers clicks) moves η and
    γ there.
    Beside the map: the run from (w, b) = (-2.5, 2) on the bowl's contours, and its distance
    to the minimum per step against the slope ρ^t the 2x2 recurrence predicts; the readout
    compares the predicted rate with the one measured on the run.
    """

    title = "Rate-map explorer"

    def __init__(
        self, method: str = "Momentum", kappa: float = 10.0, lr: float = 1.0, gamma: float = 0.5
    ):
        self.method = widgets.Dropdown(
            options=list(momentum_theory.METHODS), value=method, description="method"
        )
        self.lr = slider("η", lr, 0.01, 4.2, 0.01)
        self.gamma = slider("γ", gamma, 0.0, 0.99, 0.01)
        self.kappa = log_slider("κ", kappa, 1.0, 1000.0)
        self.kappa.continuous_update = False  # a new map and new contours: a full redraw
        self._maps: dict[tuple[str, float], np.ndarray] = {}
        self._shown: tuple[str, float] | None = None

        fig, axes = plots.new_figure(1, 3, figsize=(12, 3.9), width_ratios=[1.35, 1, 1])
        self.ax_map, self.ax_path, self.ax_dist = axes
        self.image = plots.rate_map(self.ax_map, ETAS, GAMMAS, np.zeros((GAMMAS.size, ETAS.size)))
        self.boundaries = {
            m: plots.stability_boundary(self.ax_map, m, GAMMAS, lw=1.2, ls="--")
            for m in momentum_theory.METHODS
        }
        self.ax_map.set(xlim=(0, ETAS[-1]), ylim=(0, GAMMAS[-1]))
        (self.best,) = self.ax_map.plot([], [], "*", ms=13, color="white", mec="black")
        (self.point,) = self.ax_map.plot([], [], "o", ms=9, mfc="none", mec="white", mew=2.5)
        # what a new method changes on the map, redrawn with every move (about 13 ms) so
        # that picking a method needs no full redraw; only a new κ's contours do
        self._map_artists = [self.image, *self.ax_map.spines.values(),
                             *self.boundaries.values(), self.best, self.ax_map.title]  # fmt: skip
        self.ax_dist.set_yscale("log")
        self.ax_dist.set(xlim=(0, STEPS), ylim=(FLOOR, 1e4), xlabel="step t")
        # five labelled decades, no minor ticks: tick labels are most of a full redraw's cost
        self.ax_dist.set_yticks([1e-12, 1e-8, 1e-4, 1.0, 1e4])
        self.ax_dist.minorticks_off()
        self.ax_dist.set_ylabel(r"$\|\theta_t - \theta^*\|$")
        self.ax_dist.set_title("distance to the minimum")
        (self.distance,) = self.ax_dist.plot([], [], lw=1.5)
        (self.predicted,) = self.ax_dist.plot([], [], "k--", lw=1, label=r"slope $\rho^t$")
        self.ax_dist.legend(loc="upper right")
        self.surface = None
        fig.canvas.mpl_connect("button_press_event", self._on_click)
        self._finish([self.method, self.lr, self.gamma, self.kappa], fig)

    # -- the static part: map, boundaries, contours (per method and κ) -----------------------
    def rates(self, method: str, kappa: float) -> np.ndarray:
        """The map's rates, shape (len(GAMMAS), len(ETAS)), computed once per (method, κ)."""
        key = (method, kappa)
        if key not in self._maps:
            gammas = 0 * GAMMAS if method == "GD" else GAMMAS
            self._maps[key] = momentum_theory.rate(
                method, ETAS[None, :], gammas[:, None], [1.0 / kappa, 1.0]
            )
        return self._maps[key]

    def _set_static(self, method: str, kappa: float) -> None:
        plots.set_rate_map(self.image, self.rates(method, kappa))
        for m, line in self.boundaries.items():
            line.set_linestyle("-" if m == method else "--")
            line.set_linewidth(2.2 if m == method else 1.0)
        best = momentum_theory.optimal(method, kappa)
        self.best.set_data([best.eta], [best.gamma])
        self.ax_map.set_title(f"{method}'s rate, κ = {kappa:.4g}", pad=14)
        if self.surface is None or self._shown is None or self._shown[1] != kappa:
            self.surface = bowl(kappa)
            self._draw_contours()
            self.invalidate()
        self.distance.set_color(plots.COLORS[method])
        self.path_line.set_color(plots.COLORS[method])
        self.start_ring.set_markeredgecolor(plots.COLORS[method])
        self.gamma.disabled = method == "GD"
        self._shown = (method, kappa)

    def _draw_contours(self) -> None:
        ax = self.ax_path
        ax.clear()
        plots.contour(ax, self.surface)
        ax.set_title(r"the run on $\frac{1}{2}(w^2/\kappa + b^2)$")
        self.path_line = plots.draw_path(ax, [self.surface.start])
        self.start_ring = ax.lines[-1]
        self.status = plots.status_text(ax)
        self.dynamic = [*self._map_artists, self.point, self.start_ring, self.path_line,
                        self.status, self.distance, self.predicted]  # fmt: skip

    # -- a move ------------------------------------------------------------------------------
    def _on_click(self, event) -> None:
        """A click on the map moves η (and γ, unless the method is GD) to the clicked point."""
        if event.inaxes is not self.ax_map or event.xdata is None or event.ydata is None:
            return
        self._busy = True  # one update for both values, not one each
        try:
            self.lr.value = float(np.clip(round(event.xdata, 2), self.lr.min, self.lr.max))
            if not self.gamma.disabled:
                gamma = float(np.clip(round(event.ydata, 2), self.gamma.min, self.gamma.max))
                self.gamma.value = gamma
        finally:
            self._busy = False
        self._on_change(None)

    def update(self) -> None:
        method, kappa = self.method.value, float(self.kappa.value)
        if self._shown != (method, kappa):
            self._set_static(method, kappa)
        eta = float(self.lr.value)
        gamma = 0.0 if method == "GD" else float(self.gamma.value)
        opt = optim.GD(eta) if method == "GD" else optim.OPTIMIZERS[method](eta, gamma)
        s = self.surface
        self.run = optim.run(opt, s.grad_fn, s.params(), STEPS)
        path = self.run.path
        distance = np.hypot(path[:, 0], path[:, 1])
        outside = first_outside(path, s.window)  # drawn up to the first point outside
        plots.set_path(self.path_line, path if outside is None else path[: outside + 1])
        self.point.set_data([eta], [gamma])
        self.distance.set_data(np.arange(len(distance)), np.clip(distance, FLOOR, 1e5))
        predicted = momentum_theory.rate(method, eta, gamma, [1.0 / kappa, 1.0])
        measured = self._measured(path)
        self._draw_prediction(distance, predicted)
        status = run_status(self.run, s.window)
        plots.set_status(self.status, status)
        self.readout.value = self._readout(method, kappa, eta, gamma, predicted, measured, status)

    def _measured(self, path: np.ndarray) -> float | None:
        """The rate measured on the run, or None when it is too short to say."""
        if len(path) < 5:
            return None
        return momentum_theory.measured_rate(path, self.surface.minimum)

    def _draw_prediction(self, distance: np.ndarray, predicted: float) -> None:
        """The predicted slope ρ^t, through the run's state size half-way (see measured_rate)."""
        mid = max(len(distance) // 2, 1)
        anchor = np.hypot(distance[mid], distance[mid - 1])
        if predicted == 0 or anchor == 0:
            self.predicted.set_data([], [])
            return
        t = np.arange(STEPS + 1)
        with np.errstate(over="ignore", under="ignore"):
            line = anchor * np.exp((t - mid) * np.log(predicted))
        self.predicted.set_data(t, np.clip(line, FLOOR / 10, 1e5))

    @staticmethod
    def _readout(method, kappa, eta, gamma, predicted, measured, status) -> str:
        gamma_text = "GD has no γ" if method == "GD" else f"γ = {gamma:.2f}"
        best = momentum_theory.optimal(method, kappa)
        verdict = "converges" if predicted < 1 else "does not converge"
        shown = "—" if measured is None else f"{measured:.4f}"
        news = f" · <b>{html.escape(status)}</b>" if status else ""
        return (
            f"{method}, κ = {kappa:.4g}, η = {eta:.2f}, {gamma_text}: predicted rate "
            f"ρ = <b>{predicted:.4f}</b> per step ({verdict}), measured on {STEPS} steps: "
            f"<b>{shown}</b>{news}<br>best for κ = {kappa:.4g} (★): η* = {best.eta:.3f}, "
            f"γ* = {best.gamma:.3f}, ρ* = {best.rate:.4f}"
        )
