"""Explorers of notebook 01: guessing (w, b) by hand, and gradient descent on a surface."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import neuron, optim, plots, surfaces
from ._common import FLOOR, fit_start_sliders, run_on_surface, run_status
from .base import Explorer, int_slider, log_slider, slider


def _fmt(x: float) -> str:
    return f"{x:.3g}"


#: Guesses redrawn on every move; older ones are drawn once into the static background, so
#: that a move costs the same after 20,000 guesses as after 20.
RECENT = 256


class GuessExplorer(Explorer):
    """The notes' guess-work: move w and b by hand and watch the fit and the loss.

    Left: the lecture's two points and the sigmoid f(x) = σ(wx + b). Right: every guess
    so far on the error surface, so the student sees the search they are doing by hand.
    Each move evaluates one loss and redraws at most :data:`RECENT` guesses, however many
    came before (older ones are drawn into the background every RECENT moves).
    """

    title = "Guess-work explorer"

    def __init__(self, X=neuron.X_TOY, Y=neuron.Y_TOY, w: float = -2.0, b: float = -2.0):
        self.surface = surfaces.sigmoid_neuron(X, Y)
        self.X, self.Y = self.surface.extras["X"], self.surface.extras["Y"]
        (w0, w1), (b0, b1) = self.surface.window
        self.w = slider("w", w, w0, w1, 0.05)
        self.b = slider("b", b, b0, b1, 0.05)
        self.reset = widgets.Button(description="forget guesses", icon="eraser")
        self.reset.on_click(self._forget)
        self.guesses: list[tuple[float, float]] = []
        self._trail = np.empty((RECENT, 2))  # the guesses as an array, grown by doubling
        self._drawn = 0  # guesses drawn into the background (self.old_trail)
        self._best: tuple[float, float, float] | None = None  # (loss, w, b)

        fig, (ax_fit, ax_surf) = plots.new_figure(1, 2, figsize=(10, 3.8))
        ax_fit.scatter(self.X, self.Y, s=60, color=plots.COLORS["data"], zorder=3, label="data")
        lo, hi = min(self.X.min(), 0) - 1, self.X.max() + 1
        self._xs = np.linspace(lo, hi, 200)
        (self.fit_line,) = ax_fit.plot(self._xs, self._xs * 0, color=plots.COLORS["GD"])
        ax_fit.set(xlim=(lo, hi), ylim=(-0.05, 1.05), xlabel="x", ylabel="f(x)", title="the fit")
        plots.contour(ax_surf, self.surface)
        ax_surf.set_title(r"your guesses on $\mathcal{L}(w, b)$")
        (self.old_trail,) = ax_surf.plot([], [], ":o", color="white", ms=3, lw=1)
        (self.trail,) = ax_surf.plot([], [], ":o", color="white", ms=3, lw=1)
        (self.current,) = ax_surf.plot([], [], "o", color=plots.COLORS["accent"], ms=9)
        self.dynamic = [self.fit_line, self.trail, self.current]
        self._finish([self.w, self.b, self.reset], fig)

    def _forget(self, _button=None) -> None:
        self.guesses.clear()
        self._best, self._drawn = None, 0
        self.old_trail.set_data([], [])
        self.invalidate()
        self._on_change(None)

    def _remember(self, w: float, b: float, loss: float) -> None:
        """Add a guess in constant time, whatever the number of guesses so far: the loss of
        each guess is computed once, the best is kept as it goes, and the trail's array
        doubles when full (tests/widgets/test_gd_explorers.py counts the work per move)."""
        n = len(self.guesses)
        if n == len(self._trail):
            self._trail = np.concatenate([self._trail, np.empty_like(self._trail)])
        self._trail[n] = w, b
        self.guesses.append((w, b))
        if self._best is None or loss < self._best[0]:
            self._best = (loss, w, b)

    def update(self) -> None:
        w, b = float(self.w.value), float(self.b.value)
        loss = neuron.loss(w, b, self.X, self.Y)
        self._remember(w, b, loss)
        self.fit_line.set_ydata(neuron.predict(self._xs, w, b))
        n = len(self.guesses)
        if n - self._drawn > RECENT:  # the recent trail is full: move it to the background
            self._drawn = n
            self.old_trail.set_data(self._trail[:n, 0], self._trail[:n, 1])
            self.invalidate()
        recent = self._trail[max(self._drawn - 1, 0) : n]  # from the last old guess on
        self.trail.set_data(recent[:, 0], recent[:, 1])
        self.current.set_data([w], [b])
        best, best_w, best_b = self._best
        self.readout.value = (
            f"w = {w:.2f}, b = {b:.2f}: loss 𝓛 = <b>{_fmt(loss)}</b> · "
            f"{n} guesses, best {_fmt(best)} at (w, b) = ({best_w:.2f}, {best_b:.2f})"
        )


class GDExplorer(Explorer):
    """Gradient descent on a chosen surface: η (log scale), start point, number of steps.

    Left: the path on the contours. Middle: the loss per step. Right: the gradient's
    magnitude per step, which explains the speed: small on plateaus, large on slopes.
    A run that diverges or leaves the window says so on the plot.
    """

    title = "Gradient-descent explorer"

    def __init__(self, surface: str = "sigmoid neuron", lr: float = 1.0, steps: int = 300):
        self.surface_name = widgets.Dropdown(
            options=list(surfaces.SURFACES), value=surface, description="surface"
        )
        self.lr = log_slider("η", lr, 1e-3, 1e2)
        self.w0 = slider("start w", 0.0, -1.0, 1.0, 0.1)
        self.b0 = slider("start b", 0.0, -1.0, 1.0, 0.1)
        self.steps = int_slider("steps", steps, 1, 1000)
        fig, axes = plots.new_figure(1, 3, figsize=(12, 3.8), width_ratios=[1.2, 1, 1])
        self.ax_path, self.ax_loss, self.ax_grad = axes
        self.loss_line = plots.loss_curve(self.ax_loss, [1.0])
        self.grad_line = plots.grad_norm_curve(self.ax_grad, [1.0])
        self.ax_loss.set_title("loss per step")
        self.ax_grad.set_title("gradient magnitude per step")
        self.surface = None
        self._finish([self.surface_name, self.lr, self.w0, self.b0, self.steps], fig)

    def _set_surface(self, name: str) -> None:
        """Redraw the contours and fit the start-point sliders to the new window."""
        self.surface = surfaces.get(name)
        fit_start_sliders(self.w0, self.b0, self.surface)
        ax = self.ax_path
        ax.clear()
        plots.contour(ax, self.surface)
        ax.set_title(self.surface.name)
        self.path_line = plots.draw_path(ax, [self.surface.start])
        self.start_marker = ax.lines[-1]
        self.status = plots.status_text(ax)
        # Fixed axes per surface: curves for different η are comparable, and the static
        # background need not be re-rendered on every slider move.
        W, B, Z = self.surface.grid(64)
        gw, gb = self.surface.grad(W, B)
        self.ax_loss.set_ylim(FLOOR, 3 * Z.max())
        self.ax_grad.set_ylim(FLOOR, 3 * np.hypot(gw, gb).max())
        self.dynamic = [
            self.path_line,
            self.start_marker,
            self.status,
            self.loss_line,
            self.grad_line,
        ]
        self.invalidate()

    def update(self) -> None:
        if self.surface is None or self.surface.name != self.surface_name.value:
            self._set_surface(self.surface_name.value)
        s, lr = self.surface, float(self.lr.value)
        params0 = s.params(self.w0.value, self.b0.value)
        result, self.losses = run_on_surface(optim.GD(lr), s, params0, int(self.steps.value))
        self.result = result
        path = result.path
        plots.set_path(self.path_line, path)
        self.start_marker.set_data(path[:1, 0], path[:1, 1])
        steps = int(self.steps.value)
        plots.set_curve(self.loss_line, np.maximum(self.losses, FLOOR), xlim=(0, steps))
        plots.set_curve(self.grad_line, np.maximum(result.grad_norms, FLOOR), xlim=(0, steps))
        message = run_status(result, s.window, reason=True)
        plots.set_status(self.status, message)
        w, b = path[-1]
        self.readout.value = (
            f"η = {_fmt(lr)}, {result.steps} steps from (w, b) = ({path[0, 0]:.2f}, "
            f"{path[0, 1]:.2f}): final loss <b>{_fmt(self.losses[-1])}</b> at "
            f"({_fmt(w)}, {_fmt(b)})" + (f" · <b>{html.escape(message)}</b>" if message else "")
        )
