"""What several explorers share: start sliders fitted to a surface, sliders that follow a
drag only while an update is cheap, the status of a run, and a race's runs and paths.

Notebook 01's gradient-descent explorer, notebook 02's race, notebook 03's batch-size
explorer, notebook 04's schedule explorer and notebook 05's six-optimizer race all say the
same two things when a run goes wrong ("diverged at step k", "left the plotted window at
step k"); the two races draw their paths the same way. One copy of each lives here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import adaptive, optim, plots
from ..surfaces import Surface

#: Bottom of the log loss axes: a loss of exactly 0 would vanish from them.
FLOOR = 1e-12
#: Optimizer steps per update (all racers together) up to which a race's sliders follow a
#: drag live (3 methods x 300 steps).
LIVE_STEPS = 900

Window = tuple[tuple[float, float], tuple[float, float]]


def fit_start_sliders(w_slider, b_slider, surface: Surface) -> None:
    """Give the start-point sliders the range of ``surface.window`` and its start as value."""
    (w0, w1), (b0, b1) = surface.window
    for control, lo, hi, start in (
        (w_slider, w0, w1, surface.start[0]),
        (b_slider, b0, b1, surface.start[1]),
    ):
        control.min, control.max = -1e9, 1e9  # widen first so min <= max always holds
        control.min, control.max, control.value = lo, hi, start


def follow_drags(controls: Iterable, work: int, budget: int) -> None:
    """Let ``controls`` redraw on every tick of a drag while an update does at most ``budget``
    units of ``work`` (optimizer steps, updates); beyond, they act on release, so that a drag
    does not queue up slow updates."""
    for control in controls:
        control.continuous_update = work <= budget


def first_outside(path: np.ndarray, window: Window) -> int | None:
    """The first row of ``path`` (k, 2) whose (w, b) lies outside ``window``, or None."""
    (w0, w1), (b0, b1) = window
    w, b = path[:, 0], path[:, 1]
    outside = (w < w0) | (w > w1) | (b < b0) | (b > b1)
    return int(np.argmax(outside)) if outside.any() else None


def run_status(run: optim.Run, window: Window, unit: str = "step", reason: bool = False):
    """What the status banner says about ``run``: "diverged at step k" (with ``run.reason``
    after a colon when ``reason``), "left the plotted window at step k", or None when the
    whole path stayed finite and inside ``window``. ``unit`` names what k counts."""
    if run.diverged:
        said = f"diverged at {unit} {run.diverged_at}"
        return f"{said}: {run.reason}" if reason and run.reason else said
    k = first_outside(run.path, window)
    return None if k is None else f"left the plotted window at {unit} {k}"


def run_on_surface(
    optimizer: optim.Optimizer, surface: Surface, params0, steps: int, trace: bool = False
) -> tuple[optim.Run, np.ndarray]:
    """A run of ``optimizer`` from ``params0`` on ``surface`` and the loss at every point of its
    path, computed in one vectorised call rather than once per step. With ``trace`` the run
    is an :class:`adaptive.TracedRun` that also holds the effective learning rates."""
    runner = adaptive.traced_run if trace else optim.run
    run = runner(optimizer, surface.grad_fn, params0, steps)
    path = run.path
    return run, np.asarray(surface.loss(path[:, 0], path[:, 1]), dtype=float)


def race_axes(
    ax: Axes, surface: Surface, names: Iterable[str], ms: float = 3, lw: float = 1.5
) -> tuple[dict[str, Line2D], Line2D, Text]:
    """Clear ``ax`` and draw ``surface``'s contours with an empty path line per racer (in its
    course colour), a ring for the start and the status banner; returns the three."""
    ax.clear()
    plots.contour(ax, surface)
    ax.set_title(surface.name)
    paths = {
        n: ax.plot([], [], "-o", color=plots.COLORS[n], ms=ms, lw=lw, label=n, zorder=3)[0]
        for n in names
    }
    (start,) = ax.plot([], [], "o", mfc="none", mec="white", ms=11, mew=2)
    return paths, start, plots.status_text(ax)


def join_status(messages: Iterable[str | None], most: int | None = None) -> str | None:
    """The racers' news in one banner line ("; "-separated), or None when there is none;
    beyond ``most`` messages the rest are counted ("+2 more") so the banner stays short."""
    said = [m for m in messages if m]
    if most is not None and len(said) > most:
        said = [*said[:most], f"+{len(said) - most} more"]
    return "; ".join(said) or None
