"""Curves against the step or the epoch (notebooks 01-05).

Loss and gradient-norm curves (notebook 01 on) and their in-place update for explorers,
the distance across the sharp valley (notebook 02), the learning-rate search and
per-epoch curves of the schedules (notebook 04), effective learning rates (notebook 05).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import _validate as check
from ..tuning import Search
from . import _args
from .theme import COLORS, SCHEDULE_COLORS


def curve(
    ax: Axes,
    values: Sequence[float],
    label: str | None = None,
    color: str = COLORS["GD"],
    log: bool = True,
    ylabel: str = "",
) -> Line2D:
    """A per-step curve (loss, gradient norm, ...) against the step number."""
    ax, values = _args.axes("ax", ax), check.float_array("values", values, ndim=1)
    label, color = check.optional_text("label", label), _args.color("color", color)
    log, ylabel = check.flag("log", log), check.text("ylabel", ylabel)
    (line,) = ax.plot(np.arange(len(values)), values, color=color, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="step t", ylabel=ylabel)
    return line


def loss_curve(ax: Axes, losses, label=None, color=COLORS["GD"], log=True) -> Line2D:
    """Loss against step (log scale by default)."""
    losses = check.float_array("losses", losses, ndim=1)
    return curve(ax, losses, label, color, log, ylabel=r"loss $\mathcal{L}$")


def grad_norm_curve(ax: Axes, norms, label=None, color=COLORS["GD"], log=True) -> Line2D:
    """Gradient magnitude ‖∇‖ against step: small on plateaus, large on steep slopes."""
    norms = check.float_array("norms", norms, ndim=1)
    return curve(ax, norms, label, color, log, ylabel=r"$\|\nabla \mathcal{L}\|$")


def set_curve(
    line: Line2D, values: Sequence[float], xlim: tuple[float, float] | None = None
) -> None:
    """Replace a curve's data in place (for explorers).

    With ``xlim`` the x-axis is set to it and the y-axis is left alone (explorers fix it so
    that runs stay comparable); without, both axes are rescaled to the data.
    """
    line = _args.instance("line", line, Line2D, "a curve's line (as plots.curve returns)")
    values = check.float_array("values", values, ndim=1)
    if xlim is not None:
        xlim = _args.pair("xlim", xlim)
    line.set_data(np.arange(len(values)), values)
    ax = line.axes
    if xlim is not None:
        if tuple(ax.get_xlim()) != tuple(map(float, xlim)):
            ax.set_xlim(*xlim)
        return
    ax.relim()
    ax.autoscale_view()


def across_valley(ax: Axes, distances: dict, half_width: float) -> list[Line2D]:
    """Distance across a valley per step, u_t (see :mod:`course_lib.measures`), per method.

    ``distances`` maps a method name to its u (k + 1,). The band |u| <= ``half_width`` (the
    valley) is shaded, so leaving and re-entering the valley is visible at a glance.
    """
    ax, distances = _args.axes("ax", ax), _args.series("distances", distances, ndim=1)
    half_width = check.positive("half_width", half_width)
    ax.axhspan(-half_width, half_width, color="0.8", zorder=0, label="in the valley")
    ax.axhline(0, color="0.4", lw=0.8, zorder=1)
    lines = [
        ax.plot(u, color=COLORS.get(name, COLORS["accent"]), label=name, lw=1.4)[0]
        for name, u in distances.items()
    ]
    ax.set(xlabel="step t", ylabel=r"distance across the valley $u_t$")
    ax.legend(loc="upper right")
    return lines


def search_plot(ax: Axes, search, title: str | None = None) -> None:
    """Validation loss after a few epochs against η (log-log) for a ``tuning.Search``:
    coarse trials as large dots, fine ones as small dots, the best as a star."""
    ax, title = _args.axes("ax", ax), check.optional_text("title", title)
    _args.instance("search", search, Search, "a tuning.Search (as tuning.lr_search returns)")
    for stage, style in (("coarse", {"ms": 9, "color": COLORS["GD"]}),
                         ("fine", {"ms": 5, "color": COLORS["accent"]})):  # fmt: skip
        lrs, val = search.column("lr", stage), search.column("val_loss", stage)
        ax.plot(lrs, val, "o", label=f"{stage} search", **style)
    lrs, val = search.column("lr"), search.column("val_loss")
    ax.plot(lrs, val, "-", color="0.6", lw=1, zorder=0)
    best = search.best
    ax.plot([best], [val[np.argmin(np.abs(lrs - best))]], "*", ms=16, color="gold", mec="black",
            label=f"best η = {best:.3g}")  # fmt: skip
    ax.set(xscale="log", yscale="log", xlabel="learning rate η",
           ylabel=f"validation loss after {search.epochs} epochs")  # fmt: skip
    ax.set_title(title or "tuning η: coarse, then fine")
    ax.legend()


def epoch_curves(
    ax: Axes,
    curves: dict,
    colors: dict | None = None,
    ylabel: str = "",
    log: bool = True,
    steps: bool = False,
) -> dict[str, Line2D]:
    """Several per-epoch curves on one axes; returns name -> line. Colours default to
    :data:`SCHEDULE_COLORS`, then the optimizers'.

    ``curves`` maps a name to values of shape (E + 1,), epoch 0 (before training) first, such
    as losses; with ``steps=True`` to values of shape (E,) that hold *during* each epoch, such
    as η, drawn as a staircase from epoch e to e + 1.
    """
    ax, curves = _args.axes("ax", ax), _args.series("curves", curves, ndim=1)
    ylabel, log, steps = (
        check.text("ylabel", ylabel),
        check.flag("log", log),
        check.flag("steps", steps),
    )
    if colors is not None:
        if not isinstance(colors, dict):
            raise TypeError(f"colors must be a dict of name -> colour or None, got "
                            f"{type(colors).__name__}")  # fmt: skip
        colors = {key: _args.color(f"colors[{key!r}]", c) for key, c in colors.items()}
    colors = {**SCHEDULE_COLORS, **COLORS, **(colors or {})}
    lines = {}
    for name, values in curves.items():
        if steps and not len(values):
            raise ValueError(f"curves[{name!r}] must hold at least one value with steps=True")
        style = {"color": colors.get(name), "label": name}
        if steps:
            values = np.append(values, values[-1:])
            style["drawstyle"] = "steps-post"
        (lines[name],) = ax.plot(np.arange(len(values)), values, **style)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel=ylabel)
    ax.legend()
    return lines


def effective_lr_curve(ax: Axes, rates, label=None, color=COLORS["Adam"], ls="-") -> Line2D:
    """A parameter's effective learning rate η/(√v̂ + ε) against the step (log scale)."""
    ax, rates = _args.axes("ax", ax), check.float_array("rates", rates, ndim=1)
    label, color, ls = (
        check.optional_text("label", label),
        _args.color("color", color),
        _args.linestyle("ls", ls),
    )
    (line,) = ax.plot(np.arange(1, len(rates) + 1), rates, color=color, ls=ls, label=label)
    ax.set(yscale="log", xlabel="step t", ylabel=r"effective $\eta$")
    return line
