"""Notebook 03's explorer: batch, stochastic and mini-batch descent on a 1,000-point data set."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import batching, batching_fused, neuron, plots
from ._common import follow_drags, run_status
from .base import Explorer, int_slider, log_slider, slider

METHODS = ("GD", "Momentum", "NAG")
_MAX_EPOCHS = 5
#: Loss points per update curve: enough for the eye, cheap for any batch size.
_MAX_LOSS_POINTS = 600
#: Runs with more updates than this recompute on slider release only: every run on the
#: default 1,000 points (at most 5 epochs x 1,000 updates) follows a drag.
_LIVE_UPDATES = 5_000


def batch_size_options(n: int) -> list[int]:
    """1, 2, 5, 10, 20, 50, … up to n, always ending with n itself (batch GD)."""
    steps = [m * 10**k for k in range(7) for m in (1, 2, 5)]
    return [b for b in steps if b < n] + [n]


def batch_kind(batch_size: int, n: int) -> str:
    """ "batch" (B = N), "stochastic" (B = 1) or "mini-batch" (anything between)."""
    return "batch" if batch_size == n else "stochastic" if batch_size == 1 else "mini-batch"


class BatchExplorer(Explorer):
    """One optimizer, any batch size from 1 (stochastic) to N (batch): the path and the loss.

    Left: the path on the data set's error surface (mean loss). Middle: the loss after
    every update (at most 600 of them drawn, evenly spaced). Right: the loss after every
    epoch, the fair comparison: each epoch costs the same N point-gradients whatever B is.
    Batch size and epochs act on release; η, γ and the seed follow a drag while a run has
    at most 5,000 updates (a stochastic run of 5 epochs over the default 1,000 points).
    """

    title = "Batch-size explorer"

    def __init__(
        self,
        X: object = None,
        Y: object = None,
        batch_size: int = 20,
        lr: float = 1.0,
        method: str = "GD",
        gamma: float = 0.9,
        epochs: int = 2,
    ):
        if (X is None) != (Y is None):
            raise ValueError(
                f"give both X and Y, or neither (the default data); got X={X!r:.30}, Y={Y!r:.30}"
            )
        if X is None and Y is None:
            X, Y = neuron.make_dataset(n=1000, seed=0)
        self.surface = batching.error_surface(X, Y)
        self.X, self.Y = self.surface.extras["X"], self.surface.extras["Y"]
        options = batch_size_options(len(self.X))
        if batch_size not in options:
            raise ValueError(f"batch_size must be one of {options}, got {batch_size!r}")
        if method not in METHODS:
            raise ValueError(f"method must be 'GD', 'Momentum' or 'NAG', got {method!r}")
        controls = self._make_controls(options, batch_size, lr, method, gamma, epochs)
        fig, (self.ax_path, self.ax_update, self.ax_epoch) = plots.new_figure(
            1, 3, figsize=(12.5, 3.9), width_ratios=[1.2, 1, 0.8]
        )
        self._draw_path_panel()
        self._draw_loss_panels()
        self.dynamic = [
            self.path_line,
            self.end_marker,
            self.status,
            self.update_line,
            self.epoch_line,
        ]
        self._finish(controls, fig)

    def _make_controls(self, options, batch_size, lr, method, gamma, epochs) -> list:
        """The six controls, in the order they are shown."""
        self.batch_size = widgets.SelectionSlider(
            options=options,
            value=batch_size,
            description="batch size B",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.lr = log_slider("η", lr, 1e-2, 1e2)
        self.method = widgets.Dropdown(options=list(METHODS), value=method, description="method")
        self.gamma = slider("γ", gamma, 0.0, 0.99, 0.01)
        self.epochs = int_slider("epochs", epochs, 1, _MAX_EPOCHS, continuous_update=False)
        self.seed = int_slider("shuffle seed", 0, 0, 9)
        return [self.batch_size, self.lr, self.method, self.gamma, self.epochs, self.seed]

    def _draw_path_panel(self) -> None:
        """Contours of the mean loss, the start ring, and the path, its end and the banner
        (empty until the first update)."""
        ax = self.ax_path
        plots.contour(ax, self.surface, n=100)
        ax.set_title(f"path on the error surface ({len(self.X)} points)")
        (self.path_line,) = ax.plot([], [], "-", color=plots.COLORS["GD"], lw=1)
        (self.end_marker,) = ax.plot([], [], "o", color="white", mec="k", ms=7)
        ax.plot(*self.surface.start, "o", mfc="none", mec="white", ms=10, mew=2)
        self.status = plots.status_text(ax)

    def _draw_loss_panels(self) -> None:
        """The loss per update and per epoch, on one fixed log range spanning the surface."""
        _, _, Z = self.surface.grid(48)
        ylim = (0.5 * Z.min(), 2 * Z.max())
        self.update_line = plots.loss_curve(self.ax_update, [1.0])
        # Updates are placed by the epoch they fall in, so the axis depends on the epochs
        # slider only: a new B redraws the curve, not the axes (a move within budget).
        self.ax_update.set(
            title="loss after each update", xlabel="epoch (an update is B/N of one)", ylim=ylim
        )
        (self.epoch_line,) = self.ax_epoch.plot([], [], "-o", color=plots.COLORS["GD"])
        self.ax_epoch.set(
            title="loss after each epoch",
            xlabel="epoch",
            yscale="log",
            xlim=(-0.2, _MAX_EPOCHS + 0.2),
            ylim=ylim,
        )

    def update(self) -> None:
        B, method = int(self.batch_size.value), self.method.value
        # the fused path: the run minibatch_run gives (tests/unit/test_batching_fused.py),
        # several times faster, so a stochastic run of 5,000 updates can follow a drag
        self.run = run = batching_fused.neuron_minibatch_run(
            method,
            float(self.lr.value),
            float(self.gamma.value),
            self.X,
            self.Y,
            B,
            int(self.epochs.value),
            self.surface.params(),
            rng=int(self.seed.value),
        )
        # a run of more updates (a larger data set) acts on release
        follow_drags((self.lr, self.gamma, self.seed), run.steps, _LIVE_UPDATES)
        self._draw_run(run, plots.COLORS[method])
        message = run_status(run, self.surface.window, unit="update")
        plots.set_status(self.status, message)
        self.readout.value = self._describe(run, message)

    def _draw_run(self, run: batching.BatchRun, color: str) -> None:
        """The path and its end, the loss at (at most 600) evenly spaced updates, and the
        loss after each epoch (kept as ``epoch_losses``)."""
        path, loss = run.path, self.surface.loss
        for line in (self.path_line, self.update_line, self.epoch_line):
            line.set_color(color)
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.end_marker.set_data(path[-1:, 0], path[-1:, 1])
        plotted = np.linspace(0, run.steps, min(run.steps + 1, _MAX_LOSS_POINTS))
        plotted = np.unique(plotted.astype(int))
        losses = np.asarray(loss(path[plotted, 0], path[plotted, 1]), dtype=float)
        per_epoch = batching.updates_per_epoch(len(self.X), int(self.batch_size.value))
        self.update_line.set_data(plotted / per_epoch, losses)
        self.ax_update.set_xlim(0, int(self.epochs.value))
        epoch_ends = np.concatenate([[0], run.epoch_ends])
        self.epoch_losses = np.asarray(loss(path[epoch_ends, 0], path[epoch_ends, 1]), dtype=float)
        self.epoch_line.set_data(np.arange(len(epoch_ends)), self.epoch_losses)

    def _describe(self, run: batching.BatchRun, message: str | None) -> str:
        """The readout: the kind of descent and its settings, updates per epoch, the cost in
        updates and point-gradients, the loss per epoch, and the banner's news."""
        n, B, method = len(self.X), int(self.batch_size.value), self.method.value
        per_epoch = batching.updates_per_epoch(n, B)
        last = n % B
        gamma = f", γ = {self.gamma.value:.2f}" if method != "GD" else ""
        return (
            f"{batch_kind(B, n)} {html.escape(method)}, B = {B}, η = {float(self.lr.value):.3g}"
            f"{gamma}: {per_epoch} update{'s' if per_epoch > 1 else ''} per epoch"
            + (f" (the last with {last} points)" if last else "")
            + f" · {run.steps} updates, {run.points_seen[-1]:,} point-gradients · "
            f"loss per epoch: {' → '.join(f'{v:.3g}' for v in self.epoch_losses)}"
            + (f" · <b>{html.escape(message)}</b>" if message else "")
        )
