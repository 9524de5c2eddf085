"""Notebook 03's explorer: batch, stochastic and mini-batch descent on a 1,000-point data set."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import batching, neuron, plots
from ._common import follow_drags, run_status
from .base import Explorer, int_slider, log_slider, slider
from .race import make_optimizer

_MAX_EPOCHS = 5
_MAX_PLOTTED = 600  # loss points per curve: enough for the eye, cheap for any batch size
_LIVE_UPDATES = 400  # runs with more updates than this recompute on slider release only


def batch_size_options(n: int) -> list[int]:
    """1, 2, 5, 10, 20, 50, … up to n, always ending with n itself (batch GD)."""
    steps = [m * 10**k for k in range(7) for m in (1, 2, 5)]
    return [b for b in steps if b < n] + [n]


class BatchExplorer(Explorer):
    """One optimizer, any batch size from 1 (stochastic) to N (batch): the path and the loss.

    Left: the path on the data set's error surface (mean loss). Middle: the loss after
    every update (at most 600 of them drawn, evenly spaced). Right: the loss after every
    epoch, the fair comparison: each epoch costs the same N point-gradients whatever B is.
    Batch size and epochs act on release (a stochastic run of 5 epochs is 5,000 updates);
    η, γ and the seed follow a drag live while a run has at most 400 updates.
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
        if X is None and Y is None:
            X, Y = neuron.make_dataset(n=1000, seed=0)
        self.surface = batching.error_surface(X, Y)
        self.X, self.Y = self.surface.extras["X"], self.surface.extras["Y"]
        n = len(self.X)
        options = batch_size_options(n)
        if batch_size not in options:
            raise ValueError(f"batch_size must be one of {options}, got {batch_size!r}")
        if method not in ("GD", "Momentum", "NAG"):
            raise ValueError(f"method must be 'GD', 'Momentum' or 'NAG', got {method!r}")
        self.batch_size = widgets.SelectionSlider(
            options=options,
            value=batch_size,
            description="batch size B",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.lr = log_slider("η", lr, 1e-2, 1e2)
        self.method = widgets.Dropdown(
            options=["GD", "Momentum", "NAG"], value=method, description="method"
        )
        self.gamma = slider("γ", gamma, 0.0, 0.99, 0.01)
        self.epochs = int_slider("epochs", epochs, 1, _MAX_EPOCHS, continuous_update=False)
        self.seed = int_slider("shuffle seed", 0, 0, 9)

        fig, axes = plots.new_figure(1, 3, figsize=(12.5, 3.9), width_ratios=[1.2, 1, 0.8])
        self.ax_path, self.ax_update, self.ax_epoch = axes
        plots.contour(self.ax_path, self.surface, n=100)
        self.ax_path.set_title(f"path on the error surface ({n} points)")
        (self.path_line,) = self.ax_path.plot([], [], "-", color=plots.COLORS["GD"], lw=1)
        (self.end_marker,) = self.ax_path.plot([], [], "o", color="white", mec="k", ms=7)
        self.ax_path.plot(*self.surface.start, "o", mfc="none", mec="white", ms=10, mew=2)
        self.status = plots.status_text(self.ax_path)
        _, _, Z = self.surface.grid(48)
        ylim = (0.5 * Z.min(), 2 * Z.max())
        self.update_line = plots.loss_curve(self.ax_update, [1.0])
        self.ax_update.set(title="loss after each update", xlabel="update", ylim=ylim)
        (self.epoch_line,) = self.ax_epoch.plot([], [], "-o", color=plots.COLORS["GD"])
        self.ax_epoch.set(
            title="loss after each epoch",
            xlabel="epoch",
            yscale="log",
            xlim=(-0.2, _MAX_EPOCHS + 0.2),
            ylim=ylim,
        )
        self.dynamic = [
            self.path_line,
            self.end_marker,
            self.status,
            self.update_line,
            self.epoch_line,
        ]
        controls = [self.batch_size, self.lr, self.method, self.gamma, self.epochs, self.seed]
        self._finish(controls, fig)

    def update(self) -> None:
        B, method = int(self.batch_size.value), self.method.value
        lr, epochs = float(self.lr.value), int(self.epochs.value)
        optimizer = make_optimizer(method, lr, float(self.gamma.value))
        run = batching.minibatch_run(
            optimizer,
            self.X,
            self.Y,
            B,
            epochs,
            self.surface.params(),
            rng=int(self.seed.value),
            loss=None,  # computed below, vectorised, for the plotted updates only
        )
        self.run = run
        # thousands of updates (small B, several epochs) act on release
        follow_drags((self.lr, self.gamma, self.seed), run.steps, _LIVE_UPDATES)
        path, s = run.path, self.surface
        color = plots.COLORS[method]
        for line in (self.path_line, self.update_line, self.epoch_line):
            line.set_color(color)
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.end_marker.set_data(path[-1:, 0], path[-1:, 1])
        shown = np.unique(np.linspace(0, run.steps, min(run.steps + 1, _MAX_PLOTTED)).astype(int))
        losses = np.asarray(s.loss(path[shown, 0], path[shown, 1]), dtype=float)
        self.update_line.set_data(shown, losses)
        per_epoch = batching.updates_per_epoch(len(self.X), B)
        self.ax_update.set_xlim(0, max(1, epochs * per_epoch))
        ends = np.concatenate([[0], run.epoch_ends])
        epoch_losses = np.asarray(s.loss(path[ends, 0], path[ends, 1]), dtype=float)
        self.epoch_line.set_data(np.arange(len(ends)), epoch_losses)
        self.epoch_losses = epoch_losses

        message = run_status(run, s.window, unit="update")
        plots.set_status(self.status, message)
        n = len(self.X)
        kind = "batch" if B == n else "stochastic" if B == 1 else "mini-batch"
        last = n % B
        gamma = f", γ = {self.gamma.value:.2f}" if method != "GD" else ""
        self.readout.value = (
            f"{kind} {html.escape(method)}, B = {B}, η = {lr:.3g}{gamma}: "
            f"{per_epoch} update{'s' if per_epoch > 1 else ''} per epoch"
            + (f" (the last with {last} points)" if last else "")
            + f" · {run.steps} updates, {run.points_seen[-1]:,} point-gradients · "
            f"loss per epoch: {' → '.join(f'{v:.3g}' for v in epoch_losses)}"
            + (f" · <b>{html.escape(message)}</b>" if message else "")
        )
