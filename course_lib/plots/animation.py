"""A race of optimizers replayed step by step, for presenting (notebook 02).

Saving an animation redraws every frame in full, and contours with tick labels cost far
more to draw than a few paths (the race-animation row of ``make bench``,
tests/benchmarks/test_bench_momentum_batching.py). So :func:`animate_race` renders the
static part (contours, axes, legend) once into an image, and its frames draw only the paths
over that image, in pixel coordinates.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from .. import _validate as check
from ..surfaces import Surface
from . import _args
from .paths import contour
from .theme import COLORS

#: One panel of the race in display pixels: series name -> (k, 2) points, the panel's box
#: (x, y, width, height) to clip them to, and the line style they are drawn with.
PixelPanel = tuple[dict[str, np.ndarray], tuple[float, float, float, float], str]


def animate_race(
    surface: Surface,
    paths: dict,
    losses: dict | None = None,
    frames: int = 40,
    interval: int = 120,
    figsize: tuple[float, float] = (9.0, 3.6),
    dpi: int | None = None,
) -> FuncAnimation:
    """A race of optimizers drawn step by step, for presenting: returns a ``FuncAnimation``.

    ``paths`` maps a method name (a key of :data:`COLORS`) to its path (k + 1, 2); ``losses``
    maps the same names to their losses (k + 1,) for a second panel. At most ``frames``
    frames are rendered (steps 0, s, 2s, … and the last). Show it with
    ``IPython.display.HTML(plots.animation_html(anim))``; ``dpi`` defaults to ``savefig.dpi``, the
    resolution at which the frames are saved.
    """
    surface, paths, losses, frames, interval, figsize, dpi = _race_arguments(
        surface, paths, losses, frames, interval, figsize, dpi
    )
    longest = max(len(p) for p in paths.values())
    colors = {name: COLORS.get(name, COLORS["accent"]) for name in paths}
    dpi = _saved_dpi() if dpi is None else dpi
    background, panels = _race_background(surface, paths, losses, colors, figsize, dpi)
    fig, lines, label = _race_overlay(background, panels, colors, dpi)

    def show(t: int) -> list:
        for line, xy in lines:
            line.set_data(xy[: t + 1, 0], xy[: t + 1, 1])
        label.set_text(f"step {t}")
        return [line for line, _ in lines] + [label]

    steps = _frame_steps(longest, frames)
    return FuncAnimation(fig, show, frames=steps, interval=interval, blit=False)


def animation_html(anim: FuncAnimation, frame_format: str = "jpeg") -> str:
    """``anim.to_jshtml()`` with JPEG frames: a third of the size of PNG, encoded faster.

    Constrained layout is switched off while saving: :func:`animate_race`'s frames are laid
    out by hand, and matplotlib would otherwise restore the rc default layout engine on them.
    """
    _args.instance("anim", anim, FuncAnimation, "a FuncAnimation (as plots.animate_race returns)")
    if frame_format not in ("png", "jpeg", "tiff", "svg"):
        raise ValueError(
            f"frame_format must be one of 'png', 'jpeg', 'tiff', 'svg', got {frame_format!r}"
        )
    rc = {"animation.frame_format": frame_format, "figure.constrained_layout.use": False}
    with mpl.rc_context(rc):
        return anim.to_jshtml()


def _race_arguments(surface, paths, losses, frames, interval, figsize, dpi) -> tuple:
    """:func:`animate_race`'s arguments checked: paths (k + 1, 2) per name, losses (k + 1,)
    for the same names."""
    _args.instance("surface", surface, Surface, "a surfaces.Surface (surfaces.get(name))")
    paths = {
        name: _args.points(f"paths[{name!r}]", p)
        for name, p in _args.series("paths", paths).items()
    }
    if losses is not None:
        losses = _args.series("losses", losses, ndim=1)
        if set(losses) != set(paths) or any(len(losses[n]) != len(paths[n]) for n in paths):
            raise ValueError("losses must have a loss (k + 1,) for each path of paths, same names")
    frames, interval = check.integer("frames", frames, 1), check.integer("interval", interval, 1)
    figsize = _args.pair("figsize", figsize, positive=True)
    dpi = None if dpi is None else check.integer("dpi", dpi, minimum=1)
    return surface, paths, losses, frames, interval, figsize, dpi


def _frame_steps(longest: int, frames: int) -> list[int]:
    """At most ``frames`` steps out of 0 … longest − 1, evenly strided, always the last."""
    stride = max(1, int(np.ceil((longest - 1) / max(1, frames - 1))))
    return sorted({*range(0, longest, stride), longest - 1})


def _saved_dpi() -> float:
    """The resolution frames are saved at (``savefig.dpi``, or ``figure.dpi`` for "figure"):
    the background is rendered at the same, so that it is pasted pixel for pixel."""
    saved = mpl.rcParams["savefig.dpi"]
    return mpl.rcParams["figure.dpi"] if saved == "figure" else saved


def _agg_figure(**kwargs) -> Figure:
    """A figure made directly (not by pyplot) on an Agg canvas: nothing is shown or kept
    open, and whatever the notebook's backend, the frames render the same way."""
    fig = Figure(**kwargs)
    FigureCanvasAgg(fig)
    return fig


def _race_background(
    surface: Surface, paths: dict, losses: dict | None, colors: dict, figsize, dpi
) -> tuple[np.ndarray, list[PixelPanel]]:
    """The static figure rendered once: its RGBA image (h, w, 4) and, per panel, the series
    to animate in that image's pixels (see :data:`PixelPanel`)."""
    static = _agg_figure(figsize=figsize, dpi=dpi)
    axes = static.subplots(1, 2 if losses else 1, squeeze=False)[0]
    panels = [(axes[0], _paths_panel(axes[0], surface, paths, colors), "-o")]
    if losses:
        longest = max(len(p) for p in paths.values())
        panels.append((axes[1], _losses_panel(axes[1], losses, longest), "-"))
    static.canvas.draw()
    background = np.asarray(static.canvas.buffer_rgba()).copy()
    in_pixels = [
        ({name: ax.transData.transform(xy) for name, xy in series.items()}, ax.bbox.bounds, ls)
        for ax, series, ls in panels
    ]
    return background, in_pixels


def _paths_panel(ax: Axes, surface: Surface, paths: dict, colors: dict) -> dict:
    """Contours, legend and start ring of the race; returns name -> path (k + 1, 2)."""
    contour(ax, surface)
    for name in paths:
        ax.plot([], [], "-o", color=colors[name], ms=3, label=name)
    ax.plot(*np.asarray(paths[next(iter(paths))])[0], "o", mfc="none", mec="white", ms=10, mew=2)
    ax.legend(loc="upper right")
    ax.set_title(surface.name)
    return {name: np.asarray(p, dtype=float) for name, p in paths.items()}


def _losses_panel(ax: Axes, losses: dict, longest: int) -> dict:
    """Log loss axes for ``longest`` steps; returns name -> (step, loss) points (k + 1, 2),
    losses raised to the axes' bottom so that none vanishes from the log scale."""
    values = {name: np.asarray(v, dtype=float) for name, v in losses.items()}
    bottom = max(1e-12, min(float(v.min()) for v in values.values()))
    top = max(float(v.max()) for v in values.values())
    ax.set(
        xlim=(0, longest - 1),
        ylim=(bottom / 2, top * 2),
        yscale="log",
        xlabel="step t",
        ylabel=r"loss $\mathcal{L}$",
        title="loss per step",
    )
    return {
        name: np.column_stack([np.arange(len(v)), np.maximum(v, bottom / 2)])
        for name, v in values.items()
    }


def _race_overlay(
    background: np.ndarray, panels: list[PixelPanel], colors: dict, dpi
) -> tuple[Figure, list[tuple[Line2D, np.ndarray]], Text]:
    """The animated figure: ``background`` pasted at its origin, and on top of it one empty
    line per series in pixel coordinates, clipped to its panel, and a step label.
    Returns the figure, (line, its points) pairs and the label."""
    height, width = background.shape[:2]
    fig = _agg_figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout="none")
    fig.add_artist(_Backdrop(background))
    over = fig.add_axes((0, 0, 1, 1))
    over.set(xlim=(0, width), ylim=(0, height))
    over.axis("off")
    lines = []
    for series, box, ls in panels:
        clip = Rectangle(box[:2], box[2], box[3], transform=over.transData)
        for name, xy in series.items():
            (line,) = over.plot([], [], ls, color=colors.get(name), ms=3, lw=1.6)
            line.set_clip_path(clip)
            lines.append((line, xy))
    x0, y0 = panels[0][1][:2]
    label = over.text(x0 + 8, y0 + 8, "", color="white", fontsize=11, fontweight="bold")
    return fig, lines, label


class _Backdrop(mpl.artist.Artist):
    """A pre-rendered RGBA image (h, w, 4) pasted at the figure's origin, pixel for pixel."""

    def __init__(self, rgba: np.ndarray):
        super().__init__()
        self.rgba = np.ascontiguousarray(rgba[::-1])  # Agg's image origin is the bottom row
        self.set_zorder(-1)

    def draw(self, renderer) -> None:
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self.rgba)
        gc.restore()
