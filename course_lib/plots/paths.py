"""Error surfaces and the paths optimizers take on them (notebooks 01-05).

Contours of a :class:`~course_lib.surfaces.Surface` with a path on top (notebook 01 on),
the same surface in 3-D, NAG's look-ahead steps (notebook 02) and the directions single
points ask for against the true gradient (notebook 03).
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import _validate as check
from ..surfaces import Surface
from . import _args
from .theme import COLORS, SURFACE_CMAP


def contour(
    ax: Axes, surface: Surface, n: int = 200, levels: int = 25, colorbar: bool = False
) -> object:
    """Filled contours of ``surface`` over its window, minimum marked; returns the contour set."""
    ax, surface = _args.axes("ax", ax), _surface(surface)
    n, levels = check.integer("n", n, minimum=2), check.integer("levels", levels, minimum=2)
    colorbar = check.flag("colorbar", colorbar)
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
    ax, path = _args.axes("ax", ax), _args.points("path", path)
    color, label = _args.color("color", color), check.optional_text("label", label)
    (line,) = ax.plot(
        path[:, 0], path[:, 1], "-o", color=color, ms=3, lw=1.5, label=label, zorder=3
    )
    ax.plot(path[:1, 0], path[:1, 1], "o", mfc="none", mec=color, ms=10, mew=2, zorder=3)
    return line


def set_path(line: Line2D, path: np.ndarray) -> None:
    """Replace a trajectory's data in place (for explorers)."""
    line = _args.instance("line", line, Line2D, "a path's line (as plots.draw_path returns)")
    path = _args.points("path", path)
    line.set_data(path[:, 0], path[:, 1])


def surface_3d(
    ax, surface: Surface, path: np.ndarray | None = None, n: int = 80, color: str = COLORS["GD"]
):
    """3-D surface with its contours projected on the floor, and an optional path on it.

    ``ax`` must be a 3-D axes (``subplot_kw={"projection": "3d"}``).
    """
    ax, surface = _args.axes("ax", ax, three_d=True), _surface(surface)
    n, color = check.integer("n", n, minimum=2), _args.color("color", color)
    if path is not None:
        path = _args.points("path", path)
    W, B, Z = surface.grid(n)
    floor = Z.min() - 0.35 * (Z.max() - Z.min())
    ax.plot_surface(W, B, Z, cmap=SURFACE_CMAP, alpha=0.75, linewidth=0, antialiased=True)
    ax.contour(W, B, Z, levels=15, zdir="z", offset=floor, cmap=SURFACE_CMAP, linewidths=0.8)
    if path is not None:
        z = surface.loss(path[:, 0], path[:, 1])
        ax.plot(path[:, 0], path[:, 1], z, "-o", color=color, ms=3, lw=2, zorder=5)
        ax.plot(path[:, 0], path[:, 1], np.full(len(path), floor), "-", color=color, lw=1)
    ax.set(xlabel="w", ylabel="b", zlim=(floor, Z.max()))
    ax.set_zlabel(r"$\mathcal{L}(w, b)$", labelpad=2)
    ax.set_box_aspect(None, zoom=0.88)  # leave room for the z label inside the figure
    return ax


def draw_look_ahead(
    ax: Axes,
    points: np.ndarray,
    look_aheads: np.ndarray,
    color: str = COLORS["NAG"],
    label: str | None = "look-ahead",
) -> list:
    """NAG's "look before you leap", one step per row.

    ``points`` (k + 1, 2) holds w_0 … w_k and ``look_aheads`` (k, 2) the look-ahead points
    w_t − γ·update_{t−1}. For each step: a dashed arrow w_t → look-ahead (the momentum
    part, taken blindly), a cross at the look-ahead where the gradient is evaluated, and a
    solid arrow look-ahead → w_{t+1} (the correction by that gradient). Returns the artists.
    """
    ax, points, look = (
        _args.axes("ax", ax),
        _args.points("points", points),
        _args.points("look_aheads", look_aheads),
    )
    color, label = _args.color("color", color), check.optional_text("label", label)
    if len(points) != len(look) + 1:
        raise ValueError(f"points must have one row more than look_aheads (w_0 … w_k and k "
                         f"look-aheads), got {len(points)} and {len(look)}")  # fmt: skip
    artists = []
    arrow = {"arrowstyle": "-|>", "mutation_scale": 14, "shrinkA": 0, "shrinkB": 0}
    for t, ahead in enumerate(look):
        for start, end, ls in ((points[t], ahead, "--"), (ahead, points[t + 1], "-")):
            if np.allclose(start, end):
                continue
            artists.append(
                ax.annotate(
                    "", end, start, arrowprops={**arrow, "color": color, "ls": ls, "lw": 2.0}
                )
            )
    artists += ax.plot(look[:, 0], look[:, 1], "x", color=color, ms=8, mew=2, label=label)
    artists += ax.plot(points[:, 0], points[:, 1], "o", color=color, ms=5, mfc="white")
    return artists


def _unit_arrows(ax: Axes, directions: np.ndarray, color: str, label: str, **style):
    """Arrows from the origin to each row of ``directions`` (m, 2), in data units."""
    m = len(directions)
    origin = np.zeros(m)
    return ax.quiver(
        origin,
        origin,
        directions[:, 0],
        directions[:, 1],
        color=color,
        label=label,
        angles="xy",
        scale_units="xy",
        scale=1,
        **style,
    )


def gradient_fan(
    ax: Axes, vectors: np.ndarray, true_vector: np.ndarray, max_arrows: int = 60, seed: int = 0
) -> list:
    """The direction each point asks us to move (−∇ of its own loss) against the true one.

    ``vectors`` (N, 2) per-point gradients, ``true_vector`` (2,) their mean. Unit arrows from
    the origin: green where a point's direction agrees with the true one (positive dot
    product), red where following that point alone would *raise* the total loss to first
    order. At most ``max_arrows`` points are drawn (a seeded sample). Returns the artists.
    """
    ax, vectors = _args.axes("ax", ax), _args.points("vectors", vectors)
    true = check.float_array("true_vector", true_vector, ndim=1)
    if true.shape != (2,) or not true.any():
        raise ValueError(f"true_vector must be a non-zero vector (2,), got {true}")
    max_arrows, seed = check.integer("max_arrows", max_arrows, 1), check.integer("seed", seed, 0)
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(vectors), size=min(max_arrows, len(vectors)), replace=False)
    norms = np.linalg.norm(vectors[idx], axis=1, keepdims=True)
    dirs = -vectors[idx] / np.where(norms > 0, norms, 1.0)
    agree = vectors[idx] @ true > 0
    artists = []
    for mask, colour, text in ((agree, "#009E73", "agrees"), (~agree, "#D55E00", "disagrees")):
        if mask.any():
            label = f"one point's −∇ ({text})"
            artists.append(_unit_arrows(ax, dirs[mask], colour, label, alpha=0.5, width=0.004))
    steepest = (-true / np.linalg.norm(true)).reshape(1, 2)
    artists.append(_unit_arrows(ax, steepest, "black", "true −∇ (all points)", width=0.012))
    ax.set(
        xlim=(-1.2, 1.2),
        ylim=(-1.2, 1.2),
        aspect="equal",
        xlabel="w direction",
        ylabel="b direction",
    )
    return artists


def _surface(surface: object) -> Surface:
    return _args.instance("surface", surface, Surface, "a surfaces.Surface (surfaces.get(name))")
