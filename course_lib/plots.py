"""Every figure of the course, drawn one way.

One look for all notebooks (:func:`use_style`), a larger presentation look for lecture
halls (``use_style(presentation=True)``), one colour per optimizer (:data:`COLORS`), and
helpers that return the artists they create so explorers can update them in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .surfaces import Surface

#: One colour per method, used by every figure and explorer (colour-blind-safe Okabe-Ito).
COLORS = {
    "GD": "#0072B2",
    "Momentum": "#D55E00",
    "NAG": "#009E73",
    "AdaGrad": "#CC79A7",
    "RMSProp": "#E69F00",
    "Adam": "#000000",
    "RNN": "#0072B2",
    "LSTM": "#D55E00",
    "GRU": "#009E73",
    "data": "#333333",
    "accent": "#D55E00",
}
SURFACE_CMAP = "viridis"

_BASE = {
    "figure.dpi": 96,
    "savefig.dpi": 96,
    "figure.figsize": (7.0, 4.2),
    "figure.constrained_layout.use": True,
    "figure.max_open_warning": 0,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "image.cmap": SURFACE_CMAP,
    "figure.hooks": ["course_lib.plots:_tidy_canvas"],
}
_PRESENTATION = {
    "figure.dpi": 110,
    "figure.figsize": (10.0, 6.0),
    "font.size": 16,
    "axes.titlesize": 18,
    "axes.labelsize": 16,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "lines.linewidth": 3.0,
    "lines.markersize": 8,
}


def _tidy_canvas(fig: Figure) -> None:
    """Hook run on every pyplot figure: drop ipympl's "Figure 1" header and footer."""
    for attr in ("header_visible", "footer_visible"):
        if hasattr(fig.canvas, attr):
            setattr(fig.canvas, attr, False)


def style(presentation: bool = False) -> dict:
    """The rcParams of the course look (larger fonts and lines when ``presentation``)."""
    return {**_BASE, **(_PRESENTATION if presentation else {})}


def use_style(presentation: bool = False) -> None:
    """Apply the course look to every later figure (notebooks call this once at the top)."""
    mpl.rcParams.update(style(presentation))


@contextmanager
def style_context(presentation: bool = False):
    """The course look for the figures made inside a ``with`` block only."""
    with mpl.rc_context(style(presentation)):
        yield


def new_figure(
    nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None, **kwargs
) -> tuple[Figure, np.ndarray | Axes]:
    """A figure that is not shown until displayed (for explorers), chrome hidden under ipympl.

    Returns ``(fig, axes)`` like :func:`matplotlib.pyplot.subplots`.
    """
    with plt.ioff():
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, **kwargs)
    canvas = fig.canvas
    for attr in ("header_visible", "footer_visible", "toolbar_visible", "resizable"):
        if hasattr(canvas, attr):  # only ipympl's canvas has these
            setattr(canvas, attr, False)
    return fig, axes


def contour(
    ax: Axes, surface: Surface, n: int = 200, levels: int = 25, colorbar: bool = False
) -> object:
    """Filled contours of ``surface`` over its window, minimum marked; returns the contour set."""
    W, B, Z = surface.grid(n)
    # Level lines spaced in the loss's quantiles so that flat plateaus and steep walls
    # both get lines, instead of all lines crowding into the steep part.
    lv = np.unique(np.quantile(Z, np.linspace(0, 1, levels)))
    cs = ax.contourf(W, B, Z, levels=lv, cmap=SURFACE_CMAP, alpha=0.85)
    ax.contour(W, B, Z, levels=lv, colors="white", linewidths=0.4, alpha=0.5)
    if surface.minimum is not None:
        ax.plot(*surface.minimum, marker="*", color="white", markersize=12, mec="black")
    (w0, w1), (b0, b1) = surface.window
    ax.set(xlim=(w0, w1), ylim=(b0, b1), xlabel="w", ylabel="b", aspect="auto")
    ax.grid(False)
    if colorbar:
        bar = ax.figure.colorbar(
            cs, ax=ax, label=r"loss $\mathcal{L}(w, b)$", spacing="proportional"
        )
        bar.locator = mpl.ticker.MaxNLocator(6)
        bar.update_ticks()
    return cs


def draw_path(
    ax: Axes, path: np.ndarray, color: str = COLORS["GD"], label: str | None = None
) -> Line2D:
    """A trajectory (k, 2) as a line with dots, its start as a ring; returns the line."""
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    (line,) = ax.plot(
        path[:, 0], path[:, 1], "-o", color=color, ms=3, lw=1.5, label=label, zorder=3
    )
    ax.plot(path[:1, 0], path[:1, 1], "o", mfc="none", mec=color, ms=10, mew=2, zorder=3)
    return line


def surface_3d(
    ax, surface: Surface, path: np.ndarray | None = None, n: int = 80, color: str = COLORS["GD"]
):
    """3-D surface with its contours projected on the floor, and an optional path on it.

    ``ax`` must be a 3-D axes (``subplot_kw={"projection": "3d"}``).
    """
    W, B, Z = surface.grid(n)
    floor = Z.min() - 0.35 * (Z.max() - Z.min())
    ax.plot_surface(W, B, Z, cmap=SURFACE_CMAP, alpha=0.75, linewidth=0, antialiased=True)
    ax.contour(W, B, Z, levels=15, zdir="z", offset=floor, cmap=SURFACE_CMAP, linewidths=0.8)
    if path is not None:
        path = np.asarray(path, dtype=float).reshape(-1, 2)
        z = surface.loss(path[:, 0], path[:, 1])
        ax.plot(path[:, 0], path[:, 1], z, "-o", color=color, ms=3, lw=2, zorder=5)
        ax.plot(path[:, 0], path[:, 1], np.full(len(path), floor), "-", color=color, lw=1)
    ax.set(xlabel="w", ylabel="b", zlim=(floor, Z.max()))
    ax.set_zlabel(r"$\mathcal{L}(w, b)$", labelpad=2)
    ax.set_box_aspect(None, zoom=0.88)  # leave room for the z label inside the figure
    return ax


def curve(
    ax: Axes,
    values: Sequence[float],
    label: str | None = None,
    color: str = COLORS["GD"],
    log: bool = True,
    ylabel: str = "",
) -> Line2D:
    """A per-step curve (loss, gradient norm, ...) against the step number."""
    values = np.asarray(values, dtype=float)
    (line,) = ax.plot(np.arange(len(values)), values, color=color, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="step t", ylabel=ylabel)
    return line


def loss_curve(ax: Axes, losses, label=None, color=COLORS["GD"], log=True) -> Line2D:
    """Loss against step (log scale by default)."""
    return curve(ax, losses, label, color, log, ylabel=r"loss $\mathcal{L}$")


def grad_norm_curve(ax: Axes, norms, label=None, color=COLORS["GD"], log=True) -> Line2D:
    """Gradient magnitude ‖∇‖ against step: small on plateaus, large on steep slopes."""
    return curve(ax, norms, label, color, log, ylabel=r"$\|\nabla \mathcal{L}\|$")


def set_curve(
    line: Line2D, values: Sequence[float], xlim: tuple[float, float] | None = None
) -> None:
    """Replace a curve's data in place (for explorers).

    With ``xlim`` the x-axis is set to it and the y-axis is left alone (explorers fix it so
    that runs stay comparable); without, both axes are rescaled to the data.
    """
    values = np.asarray(values, dtype=float)
    line.set_data(np.arange(len(values)), values)
    ax = line.axes
    if xlim is not None:
        if tuple(ax.get_xlim()) != tuple(map(float, xlim)):
            ax.set_xlim(*xlim)
        return
    ax.relim()
    ax.autoscale_view()


def set_path(line: Line2D, path: np.ndarray) -> None:
    """Replace a trajectory's data in place."""
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    line.set_data(path[:, 0], path[:, 1])


def status_text(ax: Axes) -> Text:
    """An empty banner at the top of ``ax`` for "diverged at step k" and similar news."""
    return ax.text(
        0.5,
        0.97,
        "",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize="medium",
        fontweight="bold",
        color="white",
        bbox={"boxstyle": "round", "fc": COLORS["accent"], "ec": "none", "alpha": 0.9},
        visible=False,
        zorder=10,
    )


def set_status(text: Text, message: str | None) -> None:
    """Show ``message`` in a banner from :func:`status_text`, or hide it when ``None``."""
    text.set_text(message or "")
    text.set_visible(bool(message))
