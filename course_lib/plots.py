"""Every figure of the course, drawn one way.

One look for all notebooks (:func:`use_style`), a larger presentation look for lecture
halls (``use_style(presentation=True)``), one colour per optimizer (:data:`COLORS`), and
helpers that return the artists they create so explorers can update them in place.
"""

from __future__ import annotations

import textwrap
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
    """Show ``message`` in a banner from :func:`status_text`, or hide it when ``None``.

    A message wider than its axes is wrapped onto several lines (a banner running past a
    narrow panel was cut off at the figure's edge)."""
    if message and text.axes is not None:
        px_per_char = 0.62 * text.get_fontsize() * text.figure.dpi / 72  # bold sans, average
        fits = max(12, int(0.92 * text.axes.bbox.width / px_per_char))
        message = textwrap.fill(message, width=fits)
    text.set_text(message or "")
    text.set_visible(bool(message))


def status_message(text: Text) -> str:
    """The message a banner from :func:`status_text` shows, on one line ("" when hidden)."""
    return " ".join(text.get_text().split()) if text.get_visible() else ""


# --- Notebooks 02-03: look-ahead steps, races, gradient directions ------------------------


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
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    look = np.asarray(look_aheads, dtype=float).reshape(-1, 2)
    artists = []
    style = {"arrowstyle": "-|>", "mutation_scale": 14, "shrinkA": 0, "shrinkB": 0}
    for t, ahead in enumerate(look):
        for start, end, ls in ((points[t], ahead, "--"), (ahead, points[t + 1], "-")):
            if np.allclose(start, end):
                continue
            arrow = ax.annotate(
                "", end, start, arrowprops={**style, "color": color, "ls": ls, "lw": 2.0}
            )
            artists.append(arrow)
    artists += ax.plot(look[:, 0], look[:, 1], "x", color=color, ms=8, mew=2, label=label)
    artists += ax.plot(points[:, 0], points[:, 1], "o", color=color, ms=5, mfc="white")
    return artists


def gradient_fan(
    ax: Axes, vectors: np.ndarray, true_vector: np.ndarray, max_arrows: int = 60, seed: int = 0
) -> list:
    """The direction each point asks us to move (−∇ of its own loss) against the true one.

    ``vectors`` (N, 2) per-point gradients, ``true_vector`` (2,) their mean. Unit arrows from
    the origin: green where a point's direction agrees with the true one (positive dot
    product), red where following that point alone would *raise* the total loss to first
    order. At most ``max_arrows`` points are drawn (a seeded sample). Returns the artists.
    """
    vectors = np.asarray(vectors, dtype=float).reshape(-1, 2)
    true = np.asarray(true_vector, dtype=float).reshape(2)
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(vectors), size=min(max_arrows, len(vectors)), replace=False)
    norms = np.linalg.norm(vectors[idx], axis=1, keepdims=True)
    dirs = -vectors[idx] / np.where(norms > 0, norms, 1.0)
    agree = vectors[idx] @ true > 0
    artists = []
    for mask, colour, text in ((agree, "#009E73", "agrees"), (~agree, "#D55E00", "disagrees")):
        if mask.any():
            artists.append(
                ax.quiver(
                    np.zeros(mask.sum()),
                    np.zeros(mask.sum()),
                    dirs[mask, 0],
                    dirs[mask, 1],
                    color=colour,
                    alpha=0.5,
                    angles="xy",
                    scale_units="xy",
                    scale=1,
                    width=0.004,
                    label=f"one point's −∇ ({text})",
                )
            )
    t = -true / np.linalg.norm(true)
    artists.append(
        ax.quiver(
            0,
            0,
            t[0],
            t[1],
            color="black",
            angles="xy",
            scale_units="xy",
            scale=1,
            width=0.012,
            label="true −∇ (all points)",
        )
    )
    ax.set(
        xlim=(-1.2, 1.2),
        ylim=(-1.2, 1.2),
        aspect="equal",
        xlabel="w direction",
        ylabel="b direction",
    )
    return artists


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


def animate_race(
    surface: Surface,
    paths: dict,
    losses: dict | None = None,
    frames: int = 40,
    interval: int = 120,
    figsize: tuple[float, float] = (9.0, 3.6),
    dpi: int | None = None,
):
    """A race of optimizers drawn step by step, for presenting: returns a ``FuncAnimation``.

    ``paths`` maps a method name (a key of :data:`COLORS`) to its path (k + 1, 2); ``losses``
    maps the same names to their losses (k + 1,) for a second panel. At most ``frames``
    frames are rendered (steps 0, s, 2s, … and the last). Show it with
    ``IPython.display.HTML(plots.animation_html(anim))``; ``dpi`` defaults to ``savefig.dpi``, the
    resolution at which the frames are saved.

    Saving an animation redraws every frame in full, and contours with tick labels cost a
    tenth of a second or more each time. So the static part (contours, axes, legend) is
    rendered once into an image, and the frames draw only the paths over that image, in
    pixel coordinates: a frame then costs a few milliseconds.
    """
    from matplotlib.animation import FuncAnimation
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Rectangle

    longest = max(len(p) for p in paths.values())
    stride = max(1, int(np.ceil((longest - 1) / max(1, frames - 1))))
    steps = sorted({*range(0, longest, stride), longest - 1})
    colors = {name: COLORS.get(name, COLORS["accent"]) for name in paths}
    if dpi is None:  # frames are saved at savefig.dpi: render the background at that too
        saved = mpl.rcParams["savefig.dpi"]
        dpi = mpl.rcParams["figure.dpi"] if saved == "figure" else saved

    # 1. The static figure, rendered once.
    ncols = 2 if losses else 1
    # Figures made directly (not by pyplot) with an Agg canvas: nothing is shown or kept
    # open, and whatever the notebook's backend is, the frames render the same way.
    static = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(static)
    axes = static.subplots(1, ncols, squeeze=False)
    ax = axes[0, 0]
    contour(ax, surface)
    for name in paths:
        ax.plot([], [], "-o", color=colors[name], ms=3, label=name)
    ax.plot(*np.asarray(paths[next(iter(paths))])[0], "o", mfc="none", mec="white", ms=10, mew=2)
    ax.legend(loc="upper right")
    ax.set_title(surface.name)
    panels = [(ax, {name: np.asarray(p, dtype=float) for name, p in paths.items()})]
    if losses:
        ax_l = axes[0, 1]
        values = {k: np.asarray(v, dtype=float) for k, v in losses.items()}
        bottom = max(1e-12, min(float(v.min()) for v in values.values()))
        top = max(float(v.max()) for v in values.values())
        ax_l.set(
            xlim=(0, longest - 1),
            ylim=(bottom / 2, top * 2),
            yscale="log",
            xlabel="step t",
            ylabel=r"loss $\mathcal{L}$",
            title="loss per step",
        )
        curves = {
            k: np.column_stack([np.arange(len(v)), np.maximum(v, bottom / 2)])
            for k, v in values.items()
        }
        panels.append((ax_l, curves))
    static.canvas.draw()
    background = np.asarray(static.canvas.buffer_rgba()).copy()
    height, width = background.shape[:2]
    pixels = [  # every series in display pixels, with its panel's box for clipping
        ({k: a.transData.transform(v) for k, v in series.items()}, a.bbox.bounds)
        for a, series in panels
    ]

    # 2. The animated figure: the image, and lines in pixel coordinates on top of it.
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout="none")
    FigureCanvasAgg(fig)
    fig.add_artist(_Backdrop(background))
    over = fig.add_axes((0, 0, 1, 1))
    over.set(xlim=(0, width), ylim=(0, height))
    over.axis("off")
    artists = []
    for series, box in pixels:
        clip = Rectangle(box[:2], box[2], box[3], transform=over.transData)
        for name, xy in series.items():
            style = "-o" if series is pixels[0][0] else "-"
            (line,) = over.plot([], [], style, color=colors.get(name), ms=3, lw=1.6)
            line.set_clip_path(clip)
            artists.append((line, xy))
    label = over.text(
        pixels[0][1][0] + 8,
        pixels[0][1][1] + 8,
        "",
        color="white",
        fontsize=11,
        fontweight="bold",
    )

    def show(t):
        for line, xy in artists:
            line.set_data(xy[: t + 1, 0], xy[: t + 1, 1])
        label.set_text(f"step {t}")
        return [line for line, _ in artists] + [label]

    return FuncAnimation(fig, show, frames=steps, interval=interval, blit=False)


def animation_html(anim, frame_format: str = "jpeg") -> str:
    """``anim.to_jshtml()`` with JPEG frames: a third of the size of PNG, encoded faster.

    Constrained layout is switched off while saving: :func:`animate_race`'s frames are laid
    out by hand, and matplotlib would otherwise restore the rc default layout engine on them.
    """
    rc = {"animation.frame_format": frame_format, "figure.constrained_layout.use": False}
    with mpl.rc_context(rc):
        return anim.to_jshtml()


def across_valley(ax: Axes, distances: dict, half_width: float) -> list[Line2D]:
    """Distance across a valley per step, u_t (see :mod:`course_lib.measures`), per method.

    ``distances`` maps a method name to its u (k + 1,). The band |u| <= ``half_width`` (the
    valley) is shaded, so leaving and re-entering the valley is visible at a glance.
    """
    ax.axhspan(-half_width, half_width, color="0.8", zorder=0, label="in the valley")
    ax.axhline(0, color="0.4", lw=0.8, zorder=1)
    lines = [
        ax.plot(np.asarray(u), color=COLORS.get(name, COLORS["accent"]), label=name, lw=1.4)[0]
        for name, u in distances.items()
    ]
    ax.set(xlabel="step t", ylabel=r"distance across the valley $u_t$")
    ax.legend(loc="upper right")
    return lines


# --- sequence models (notebooks 06-08) --------------------------------------------------------


def unrolled_rnn(ax: Axes, inputs: Sequence[str], outputs: Sequence[str] | None = None) -> None:
    """The recurrent network unrolled over time: one column per step, x_t → s_t → ŷ_t,
    with the shared U, W, V on the arrows (the same matrices at every step)."""
    T = len(inputs)
    outputs = list(outputs) if outputs is not None else [None] * T
    box = {"boxstyle": "round,pad=0.35", "ec": COLORS["data"], "lw": 1.2}
    arrow = {"arrowstyle": "-|>", "color": COLORS["data"], "lw": 1.2, "shrinkA": 14, "shrinkB": 14}
    for t in range(T):
        ax.text(
            t,
            0,
            f"$x_{t + 1}$\n{inputs[t]}",
            ha="center",
            va="center",
            bbox={**box, "fc": "#e8f1fa"},
        )
        ax.text(t, 1, f"$s_{t + 1}$", ha="center", va="center", bbox={**box, "fc": "#fdebd9"})
        label = f"$\\hat y_{t + 1}$" + (f"\n{outputs[t]}" if outputs[t] else "")
        ax.text(t, 2, label, ha="center", va="center", bbox={**box, "fc": "#e3f4ec"})
        ax.annotate("", (t, 1), (t, 0), arrowprops=arrow)
        ax.annotate("", (t, 2), (t, 1), arrowprops=arrow)
        ax.text(t + 0.06, 0.5, "U", fontsize="small", color=COLORS["GD"])
        ax.text(t + 0.06, 1.5, "V", fontsize="small", color=COLORS["GRU"])
        start = (t - 1, 1) if t else (-0.9, 1)
        ax.annotate("", (t, 1), start, arrowprops=arrow)
        ax.text(t - 0.5, 1.08, "W", fontsize="small", color=COLORS["accent"], ha="center")
    ax.text(-0.95, 1, "$s_0$", ha="right", va="center")
    ax.set(xlim=(-1.2, T - 0.5), ylim=(-0.6, 2.6))
    ax.axis("off")


def prob_table(
    ax: Axes, probs: np.ndarray, rows: Sequence[str], cols: Sequence[str], cmap: str = "Blues"
):
    """A matrix of probabilities (rows × cols) as a heatmap with each value written in."""
    probs = np.asarray(probs, dtype=float)
    im = ax.imshow(probs, cmap=cmap, vmin=0, vmax=1, aspect="auto")
    for (i, j), p in np.ndenumerate(probs):
        ax.text(
            j,
            i,
            f"{p:.2f}",
            ha="center",
            va="center",
            fontsize="small",
            color="white" if p > 0.6 else "black",
        )
    ax.set_xticks(range(len(cols)), cols)
    ax.set_yticks(range(len(rows)), rows)
    ax.grid(False)
    return im


def frame_strip(axes, clip: np.ndarray, title: str | None = None) -> None:
    """The frames of one clip (frames, h, w) side by side, one per axes in ``axes``."""
    for f, ax in enumerate(np.ravel(axes)):
        ax.imshow(clip[f], cmap="Greys", vmin=0, vmax=1)
        for spine in ax.spines.values():
            spine.set_visible(True)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"frame {f + 1}", fontsize="small")
    if title:
        np.ravel(axes)[0].set_ylabel(title)


def norm_curve(
    ax: Axes, values, label=None, color=COLORS["RNN"], style: str = "-", start: int = 0
) -> Line2D:
    """Norms against the lag t − k (log scale), e.g. ‖∂s_t/∂s_k‖ or its bound."""
    values = np.asarray(values, dtype=float)
    (line,) = ax.plot(
        np.arange(start, start + len(values)), values, style, color=color, label=label
    )
    ax.set_yscale("log")
    ax.set_xlabel("t − k (steps back)")
    return line


# --- Learning-rate tuning, schedules and adaptive optimizers (notebooks 04 and 05) ---

#: One colour per learning-rate schedule (Okabe-Ito, distinct from the optimizer colours
#: where they share a figure).
SCHEDULE_COLORS = {
    "constant": "#999999",
    "step decay": "#0072B2",
    "halve on validation rise": "#D55E00",
    "exponential": "#009E73",
    "1/t": "#CC79A7",
}


def search_plot(ax: Axes, search, title: str | None = None) -> None:
    """Validation loss after a few epochs against η (log-log) for a ``tuning.Search``:
    coarse trials as large dots, fine ones as small dots, the best as a star."""
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
    colors = {**SCHEDULE_COLORS, **COLORS, **(colors or {})}
    lines = {}
    for name, values in curves.items():
        values = np.asarray(values, dtype=float)
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
    rates = np.asarray(rates, dtype=float)
    (line,) = ax.plot(np.arange(1, len(rates) + 1), rates, color=color, ls=ls, label=label)
    ax.set(yscale="log", xlabel="step t", ylabel=r"effective $\eta$")
    return line


# --- LSTM and GRU (notebooks 09 and 10) -------------------------------------------------------

GATE_CMAP = "viridis"  # gates live in (0, 1)
STATE_CMAP = "RdBu_r"  # states and candidates are signed


def heatmap(
    ax: Axes,
    values: np.ndarray,
    xlabels: Sequence[str] | None = None,
    title: str = "",
    signed: bool = False,
    limit: float = 1.0,
    colorbar: bool = True,
):
    """A (units × time) heatmap of gate values in [0, 1], or of a signed quantity in
    [−limit, limit] when ``signed``; fixed colour limits so that updates stay comparable.
    ``xlabels`` label the time steps (e.g. the characters read). Returns the image."""
    values = np.asarray(values, dtype=float)
    lo, hi = (-limit, limit) if signed else (0.0, 1.0)
    image = ax.imshow(
        values,
        aspect="auto",
        interpolation="nearest",
        cmap=STATE_CMAP if signed else GATE_CMAP,
        vmin=lo,
        vmax=hi,
    )
    ax.set_title(title)
    ax.set_ylabel("unit")
    ax.grid(False)
    if xlabels is not None:
        ax.set_xticks(range(len(xlabels)), list(xlabels))
    else:
        ax.set_xlabel("step t")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.05, pad=0.02)
    return image


def gate_heatmaps(
    axes, panels: dict[str, np.ndarray], xlabels=None, signed=(), limit: float = 1.0
) -> dict:
    """One :func:`heatmap` per entry of ``panels`` (title -> (T, d) values, as a model's
    cache holds them for one sequence); titles in ``signed`` get the signed colour map.
    One colour bar per kind (gates, signed), beside the last panel of that kind.
    Returns title -> image."""
    names = list(panels)
    last_of_kind = {[n for n in names if (n in signed) == kind][-1] for kind in (True, False)
                    if any((n in signed) == kind for n in names)}  # fmt: skip
    return {
        name: heatmap(
            ax, np.asarray(values).T, xlabels, name, name in signed, limit, name in last_of_kind
        )
        for ax, (name, values) in zip(np.ravel(axes), panels.items(), strict=True)
    }


def completion_bars(ax: Axes, k: int):
    """``k`` horizontal bars on [0, 1] with a text label inside each (for autocompletion).

    The bars are ONE LineCollection of thick lines and the axis ticks stay static, so an
    explorer redraws two dozen artists at most. Returns ``(bars, labels)``; update with
    :func:`set_completions`.
    """
    bars = ax.hlines(np.arange(k), 0, np.zeros(k), color=COLORS["LSTM"], lw=14, alpha=0.85)
    labels = [ax.text(0.01, i, "", va="center", ha="left", fontsize="medium") for i in range(k)]
    ax.set(xlim=(0, 1), ylim=(k - 0.5, -0.5), xlabel="probability given the prefix")
    ax.set_yticks([])
    return bars, labels


def set_completions(bars, labels, words: Sequence[str], probs: Sequence[float]) -> None:
    """Show up to len(labels) completions; the remaining bars are emptied. Long words are
    shortened with "…" (drawing text is what costs time)."""
    k = len(labels)
    widths = np.zeros(k)
    widths[: min(k, len(words))] = np.asarray(probs, dtype=float)[:k]
    bars.set_segments([[(0.0, i), (w, i)] for i, w in enumerate(widths)])
    for i, label in enumerate(labels):
        if i < len(words):
            word = words[i] if len(words[i]) <= 24 else words[i][:23] + "…"
            label.set_text(f"{word}   {100 * float(probs[i]):.1f} %")
        else:
            label.set_text("")


def probability_sticks(ax: Axes, labels: Sequence[str], color: str = COLORS["GRU"]):
    """A distribution over ``labels`` as vertical sticks (one LineCollection), y in [0, 1].
    Update with :func:`set_sticks`."""
    n = len(labels)
    sticks = ax.vlines(np.arange(n), 0, np.zeros(n), color=color, lw=9)
    ax.set_xticks(np.arange(n), list(labels))
    ax.set(ylim=(0, 1), xlim=(-0.6, n - 0.4), ylabel="probability")
    return sticks


def set_sticks(sticks, values: Sequence[float]) -> None:
    values = np.asarray(values, dtype=float)
    sticks.set_segments([[(i, 0.0), (i, v)] for i, v in enumerate(values)])


# --- Figures that fit the notebook column -------------------------------------------------

#: Widest a figure may be, in pixels. JupyterLab's notebook column on a 1366-px laptop screen
#: with the file browser open is ~930 px, and ipympl shows a figure at its full size: what
#: does not fit is cut off on the right, not scaled down (the browser tests showed it).
MAX_WIDTH_PX = 900

#: The same for the presentation style: a lecture shows a notebook with the side panels
#: closed (JupyterLab's Presentation Mode, Voilà), where the column is ~1230 px wide.
PRESENTATION_WIDTH_PX = 1200


def full_width(presentation: bool | None = None) -> float:
    """The width in inches of a figure that fills the notebook column, as in
    ``plt.subplots(1, 2, figsize=(plots.full_width(), 3.6))``.

    Course style: :data:`MAX_WIDTH_PX` at 96 dpi, 9.375 in. Presentation style:
    :data:`PRESENTATION_WIDTH_PX` at 110 dpi, ~10.9 in (its larger fonts need the room).
    ``presentation=None`` picks the style in use (as set by :func:`use_style` or
    :func:`style_context`).
    """
    if presentation is None:
        look = style(presentation=True)
        presentation = all(mpl.rcParams[k] == look[k] for k in ("figure.dpi", "font.size"))
    width_px = PRESENTATION_WIDTH_PX if presentation else MAX_WIDTH_PX
    return width_px / style(presentation)["figure.dpi"]
