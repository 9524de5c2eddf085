"""Notebook 05's explorer: GD, momentum, NAG, AdaGrad, RMSProp and Adam race on one surface."""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np

from .. import adaptive, optim, plots, surfaces
from ._common import (
    FLOOR,
    LIVE_STEPS,
    fit_start_sliders,
    follow_drags,
    join_status,
    race_axes,
    run_on_surface,
    run_status,
)
from .base import Explorer, int_slider, log_slider, slider

_RATE_LIM = (1e-4, 1e5)
#: Default hyperparameters: each method's own good η on the sparse-feature surface.
DEFAULTS = {
    "GD": {"lr": 0.4},
    "Momentum": {"lr": 0.02, "gamma": 0.9},
    "NAG": {"lr": 0.1, "gamma": 0.9},
    "AdaGrad": {"lr": 0.1},
    "RMSProp": {"lr": 0.1, "beta": 0.9},
    "Adam": {"lr": 0.1, "beta1": 0.9, "beta2": 0.999},
}
#: Slider ranges of the hyperparameters other than η: [0, max] (every value is valid).
_RANGES = {
    "gamma": (0.99, 0.01),
    "beta": (0.999, 0.001),
    "beta1": (0.99, 0.01),
    "beta2": (0.9999, 0.0001),
}
_LABELS = {"gamma": "γ", "beta": "β", "beta1": "β₁", "beta2": "β₂"}


class AdaptiveRaceExplorer(Explorer):
    """All six optimizers from one start point, each with its own hyperparameters.

    Left: the paths on the contours. Middle: loss per step. Right: the effective learning
    rate of w or b per step, η/(√v̂ + ε) for the adaptive methods and η for the others.
    Runs are cached, so moving one optimizer's slider recomputes only that optimizer; the
    start point re-runs every racer and follows a drag live while that costs at most 900
    optimizer steps (e.g. four racers x 200 steps), acting on release beyond.
    ``runs[name]`` and ``losses[name]`` hold what is drawn (the losses along the path).
    """

    title = "Optimizer race"

    def __init__(
        self, surface: str = "sparse feature", steps: int = 200, show: Sequence[str] | None = None
    ):
        show = list(DEFAULTS) if show is None else list(show)
        unknown = set(show) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"show must list names from {list(DEFAULTS)}, got {sorted(unknown)}")
        self.surface_name = widgets.Dropdown(
            options=list(surfaces.SURFACES), value=surface, description="surface"
        )
        # These re-run every racer: the step count (which rescales the axes) acts on release,
        # the start follows a drag while the race is cheap (see update).
        self.steps = int_slider("steps", steps, 10, 500, continuous_update=False)
        self.w0 = slider("start w", 0.0, -1.0, 1.0, 0.1)
        self.b0 = slider("start b", 0.0, -1.0, 1.0, 0.1)
        self.rate_of = widgets.ToggleButtons(options=["w", "b"], value="w")
        self.rate_of.description = "effective η of"
        self.show, self.hyper = {}, {}
        for name, values in DEFAULTS.items():
            self.show[name] = widgets.Checkbox(value=name in show, description=name, indent=False)
            self.show[name].layout.width = "110px"
            self.hyper[name] = {"lr": log_slider("η", values["lr"], 1e-4, 10.0)}
            for key, value in values.items():
                if key != "lr":
                    hi, step = _RANGES[key]
                    s = slider(_LABELS[key], value, 0.0, hi, step)
                    s.readout_format = ".4f" if key == "beta2" else ".3f"
                    self.hyper[name][key] = s
        self._cache: dict[tuple, tuple[adaptive.TracedRun, np.ndarray]] = {}
        self.surface = None

        fig, axes = plots.new_figure(1, 3, figsize=(12.5, 4.0), width_ratios=[1.25, 1, 1])
        self.ax_path, self.ax_loss, self.ax_rate = axes
        self.ax_loss.set(yscale="log", xlabel="step t", ylabel=r"loss $\mathcal{L}$")
        self.ax_loss.set_title("loss per step")
        self.ax_rate.set(yscale="log", ylim=_RATE_LIM, xlabel="step t")
        self.ax_rate.set_title("effective learning rate")
        self.loss_lines, self.rate_lines = {}, {}
        for name in DEFAULTS:
            color = plots.COLORS[name]
            (self.loss_lines[name],) = self.ax_loss.plot([0], [1], color=color, label=name)
            (self.rate_lines[name],) = self.ax_rate.plot([0], [1], color=color)
        self.ax_loss.legend(loc="lower left", ncols=2, fontsize="small")

        top = [self.surface_name, self.steps, self.w0, self.b0, self.rate_of]
        rows = [self.show[n] for n in DEFAULTS]
        sliders = [s for n in DEFAULTS for s in self.hyper[n].values()]
        self._finish(top + rows + sliders, fig)
        self._layout(top)

    def _layout(self, top) -> None:
        """One row per optimizer (colour, on/off, its sliders) instead of one long wrap."""
        view = self.widget.children[-1]
        lines = []
        for name in DEFAULTS:
            swatch = widgets.HTML(f"<span style='color:{plots.COLORS[name]}'>■</span>")
            lines.append(widgets.HBox([swatch, self.show[name], *self.hyper[name].values()]))
        box = widgets.HBox(top, layout=widgets.Layout(flex_flow="row wrap"))
        self.widget.children = (box, widgets.VBox(lines), self.readout, view)

    def _set_surface(self, name: str) -> None:
        self.surface = s = surfaces.get(name)
        fit_start_sliders(self.w0, self.b0, s)
        self.path_lines, self.start_marker, self.status = race_axes(
            self.ax_path, s, DEFAULTS, ms=2, lw=1.3
        )
        _, _, Z = s.grid(64)
        self.ax_loss.set_ylim(FLOOR, 3 * Z.max())
        self.dynamic = [
            *self.path_lines.values(),
            self.start_marker,
            self.status,
            *self.loss_lines.values(),
            *self.rate_lines.values(),
        ]
        self.invalidate()

    def _hyperparameters(self, name: str) -> dict[str, float]:
        """An optimizer's hyperparameters as its sliders set them: name -> value."""
        return {k: float(s.value) for k, s in self.hyper[name].items()}

    def _cached_run(self, name: str) -> tuple[adaptive.TracedRun, np.ndarray]:
        """Optimizer ``name``'s run and its losses for the current surface, start, steps and
        hyperparameters, computed once per setting (the cache is emptied past 256 settings)."""
        hyper = self._hyperparameters(name)
        start = (float(self.w0.value), float(self.b0.value))
        key = (self.surface.name, start, int(self.steps.value), name, tuple(hyper.items()))
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            optimizer = optim.OPTIMIZERS[name](**hyper)
            self._cache[key] = run_on_surface(
                optimizer, self.surface, self.surface.params(*start), key[2], trace=True
            )
        return self._cache[key]

    def _settings(self, name: str) -> str:
        """An optimizer's hyperparameters as its sliders show them: "η=0.1, β₁=0.900, …"."""
        return ", ".join(
            f"η={s.value:.3g}" if key == "lr" else f"{_LABELS[key]}={s.value:{s.readout_format}}"
            for key, s in self.hyper[name].items()
        )

    def update(self) -> None:
        if self.surface is None or self.surface.name != self.surface_name.value:
            self._set_surface(self.surface_name.value)
        steps = int(self.steps.value)
        racers = sum(bool(box.value) for box in self.show.values())
        follow_drags((self.w0, self.b0), steps * racers, LIVE_STEPS)
        for ax in (self.ax_loss, self.ax_rate):
            if ax.get_xlim() != (0.0, float(steps)):
                ax.set_xlim(0, steps)
        self.start_marker.set_data([self.w0.value], [self.b0.value])
        self.runs, self.losses, problems, parts = {}, {}, [], []
        for name in DEFAULTS:
            shown = bool(self.show[name].value)
            for line in (self.path_lines[name], self.loss_lines[name], self.rate_lines[name]):
                line.set_visible(shown)
            if not shown:
                continue
            result, losses = self._cached_run(name)
            self.runs[name], self.losses[name] = result, losses
            plots.set_path(self.path_lines[name], result.path)
            self.loss_lines[name].set_data(np.arange(len(losses)), np.maximum(losses, FLOOR))
            rate = result.effective_lrs[self.rate_of.value]
            self.rate_lines[name].set_data(np.arange(1, len(rate) + 1), np.clip(rate, *_RATE_LIM))
            problem = run_status(result, self.surface.window)
            if problem:
                problems.append(f"{name} {problem}")
            parts.append(
                f"<span style='color:{plots.COLORS[name]}'>■</span> {name} "
                f"({self._settings(name)}): 𝓛 = <b>{losses[-1]:.2e}</b>"
                + (f" ({html.escape(problem)})" if problem else "")
            )
        plots.set_status(self.status, join_status(problems, most=2))  # one line at most
        self.readout.value = (
            f"{steps} steps from (w, b) = ({self.w0.value:.2f}, {self.b0.value:.2f}), ε = 1e-8: "
            + (" · ".join(parts) if parts else "tick an optimizer to race it")
        )
