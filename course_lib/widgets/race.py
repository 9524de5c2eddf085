"""The optimizer race: several methods from the same start, with shared controls.

Notebook 02 races GD, momentum and NAG; any subset of ``optim.OPTIMIZERS`` can run
(``RaceExplorer(methods=("GD", "Momentum", "NAG", "Adam"))``): η is shared, γ goes to the
methods that take it, and ``options`` fixes any other hyperparameter per method.
"""

from __future__ import annotations

import html
import inspect
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import numpy as np

from .. import measures, optim, plots, surfaces
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


def make_optimizer(name: str, lr: float, gamma: float, options: Mapping | None = None):
    """``optim.OPTIMIZERS[name]`` with η, γ if its constructor takes one, and ``options``."""
    cls = optim.OPTIMIZERS[name]
    kwargs = {"lr": lr, **(options or {})}
    if "gamma" in inspect.signature(cls).parameters:
        kwargs.setdefault("gamma", gamma)
    return cls(**kwargs)


class RaceExplorer(Explorer):
    """A race on a chosen surface: the paths on the contours, the losses per step.

    Controls: surface, η (log scale), γ (shown when a racing method uses it), start point,
    number of steps (on release). Sliders follow a drag live while the race costs at most
    900 optimizer steps in all (3 methods x 300 steps), and act on release beyond.

    The readout states, for every method, its final loss, the step from which its loss
    stays below 0.1 % of the starting loss, and on the sharp valley the u-turns it took
    and how often it left the valley (see :mod:`course_lib.measures`).
    :meth:`animation` replays the current race step by step for presenting.
    """

    title = "Optimizer race"

    def __init__(
        self,
        surface: str = "sharp valley",
        methods: Sequence[str] = ("GD", "Momentum", "NAG"),
        lr: float = 0.04,
        gamma: float = 0.9,
        steps: int = 150,
        options: Mapping[str, Mapping] | None = None,
    ):
        unknown = [m for m in methods if m not in optim.OPTIMIZERS]
        if not methods or unknown:
            raise ValueError(
                f"methods must be a non-empty subset of {list(optim.OPTIMIZERS)}, got {methods!r}"
            )
        if surface not in surfaces.SURFACES:
            raise ValueError(f"surface must be one of {list(surfaces.SURFACES)}, got {surface!r}")
        self.methods = tuple(methods)
        self.options = {m: dict((options or {}).get(m, {})) for m in self.methods}
        probes = [make_optimizer(m, lr, gamma, self.options[m]) for m in methods]  # fail early
        self.uses_gamma = any(hasattr(o, "gamma") for o in probes)

        self.surface_name = widgets.Dropdown(
            options=list(surfaces.SURFACES), value=surface, description="surface"
        )
        self.lr = log_slider("η", lr, 1e-3, 1e2)
        self.gamma = slider("γ", gamma, 0.0, 0.99, 0.01)
        self.w0 = slider("start w", 0.0, -1.0, 1.0, 0.05)
        self.b0 = slider("start b", 0.0, -1.0, 1.0, 0.05)
        # The step count rescales the loss axis (a full redraw): it acts on release.
        self.steps = int_slider("steps", steps, 1, 500, continuous_update=False)
        controls = [self.surface_name, self.lr]
        controls += [self.gamma] if self.uses_gamma else []
        controls += [self.w0, self.b0, self.steps]

        fig, (self.ax_path, self.ax_loss) = plots.new_figure(
            1, 2, figsize=(11, 4.0), width_ratios=[1.3, 1]
        )
        self.ax_loss.set_title("loss per step")
        self.curves = {
            m: plots.loss_curve(self.ax_loss, [1.0], label=m, color=plots.COLORS[m])
            for m in self.methods
        }
        self.ax_loss.legend(loc="lower left")
        self.surface = None
        self.results: dict[str, optim.Run] = {}
        self.losses: dict[str, np.ndarray] = {}
        self._finish(controls, fig)

    # -- surface switching: contours, window-sized start sliders, fixed loss axis ----------

    def _set_surface(self, name: str) -> None:
        self.surface = surfaces.get(name)
        fit_start_sliders(self.w0, self.b0, self.surface)
        self.paths, self.start_marker, self.status = race_axes(
            self.ax_path, self.surface, self.methods
        )
        _, _, Z = self.surface.grid(64)
        self.ax_loss.set_ylim(max(FLOOR, 1e-8 * Z.max()), 3 * Z.max())  # eight decades
        self.dynamic = [*self.paths.values(), self.start_marker, self.status]
        self.dynamic += list(self.curves.values())
        self.invalidate()

    def optimizer(self, name: str) -> optim.Optimizer:
        """A fresh optimizer of method ``name`` with the controls' η and γ."""
        return make_optimizer(
            name, float(self.lr.value), float(self.gamma.value), self.options[name]
        )

    def update(self) -> None:
        if self.surface is None or self.surface.name != self.surface_name.value:
            self._set_surface(self.surface_name.value)
        s, steps = self.surface, int(self.steps.value)
        follow_drags((self.lr, self.gamma, self.w0, self.b0), steps * len(self.methods), LIVE_STEPS)
        params0 = s.params(self.w0.value, self.b0.value)
        news, rows = [], []
        for name in self.methods:
            run, losses = run_on_surface(self.optimizer(name), s, params0, steps)
            self.results[name], self.losses[name] = run, losses
            plots.set_path(self.paths[name], run.path)
            plots.set_curve(self.curves[name], np.maximum(losses, FLOOR), xlim=(0, steps))
            status = run_status(run, s.window)
            news.append(status and f"{name} {status}")
            rows.append(self._table_row(name, run, losses))
        self.start_marker.set_data([params0["w"]], [params0["b"]])
        plots.set_status(self.status, join_status(news))
        gamma = f", γ = {self.gamma.value:.2f}" if self.uses_gamma else ""
        self.readout.value = (
            f"η = {float(self.lr.value):.3g}{gamma}, {steps} steps from (w, b) = "
            f"({float(params0['w']):.2f}, {float(params0['b']):.2f}) on {html.escape(s.name)}:"
            "<table style='border-spacing:10px 0'><tr><th align=left>method</th>"
            "<th>final loss</th><th>steps until the loss stays below 0.1 % of the start</th>"
            + ("<th>u-turns</th><th>valley exits</th>" if "normal" in s.extras else "")
            + "</tr>"
            + "".join(rows)
            + "</table>"
        )

    def _table_row(self, name: str, run: optim.Run, losses: np.ndarray) -> str:
        """One method's row of the readout's table: final loss, steps until the loss stays
        below 0.1 % of the start, and on the sharp valley its u-turns and exits."""
        reach = measures.steps_to_reach(losses, 1e-3 * losses[0], stay=True)
        cells = [
            f"<b style='color:{plots.COLORS[name]}'>{name}</b>",
            f"{losses[-1]:.3g}" + (" (diverged)" if run.diverged else ""),
            "not within the steps" if reach is None else str(reach),
        ]
        if "normal" in self.surface.extras:
            valley = measures.valley_summary(self.surface, run.path)
            cells += [str(valley["u_turns"]), str(valley["exits"])]
        return "<tr>" + "".join(f"<td align=center>{c}</td>" for c in cells) + "</tr>"

    def animation(self, frames: int = 40, interval: int = 120):
        """The current race as a ``FuncAnimation`` (see :func:`plots.animate_race`)."""
        paths = {m: self.results[m].path for m in self.methods}
        losses = {m: np.maximum(self.losses[m], FLOOR) for m in self.methods}
        return plots.animate_race(self.surface, paths, losses, frames=frames, interval=interval)
