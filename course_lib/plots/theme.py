"""The course look: rcParams, one colour per method, figures that fit the notebook column.

Every notebook calls :func:`use_style` once at the top (``use_style(presentation=True)``
gives the larger look for a lecture hall, ``use_style(dark=True)`` figures for JupyterLab's
dark theme); explorers make their figures with
:func:`new_figure`; every figure is at most :func:`full_width` wide.
"""

from __future__ import annotations

import inspect
from contextlib import AbstractContextManager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import ArtistInspector
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import _validate as check
from . import _args
from .accessible import describe_when_shown

#: One colour per method, used by every figure and explorer: the colour-blind-safe Okabe-Ito
#: colours that keep a contrast of at least 3:1 (WCAG's for graphics) both on white and on
#: JupyterLab's dark theme (#111, #212121), since explorer readouts colour text with them on
#: whatever the theme is; Okabe-Ito's orange is darkened to ochre (2.3:1 on white) and black
#: becomes mid grey (1.1:1 on #111). tests/unit/test_palette.py checks every colour.
COLORS = {
    "GD": "#0072B2",
    "Momentum": "#D55E00",
    "NAG": "#009E73",
    "AdaGrad": "#CC79A7",
    "RMSProp": "#B07800",
    "Adam": "#7F7F7F",
    "RNN": "#0072B2",
    "LSTM": "#D55E00",
    "GRU": "#009E73",
    "data": "#6E6E6E",
    "accent": "#D55E00",
}

#: One colour per learning-rate schedule (the same rule; distinct from the optimizer colours
#: where they share a figure).
SCHEDULE_COLORS = {
    "constant": "#808080",
    "step decay": "#0072B2",
    "halve on validation rise": "#D55E00",
    "exponential": "#009E73",
    "1/t": "#CC79A7",
}

#: The backgrounds every colour above is checked against: JupyterLab's light theme, and its
#: dark theme's two layout colours (outputs sit on either).
THEME_BACKGROUNDS = {"light": ("#FFFFFF",), "dark": ("#111111", "#212121")}

SURFACE_CMAP = "viridis"  # loss surfaces
GATE_CMAP = "viridis"  # gates live in (0, 1)
STATE_CMAP = "RdBu_r"  # states and candidates are signed

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
    "figure.hooks": ["course_lib.plots.theme:_tidy_canvas"],
}
#: The dark look (``use_style(dark=True)``): figures on JupyterLab's dark background, with
#: light text and axes (contrast checked in tests/unit/test_palette.py).
DARK_BACKGROUND = "#111111"
_DARK = {
    "figure.facecolor": DARK_BACKGROUND,
    "savefig.facecolor": DARK_BACKGROUND,
    "axes.facecolor": DARK_BACKGROUND,
    "axes.edgecolor": "#C8C8C8",
    "axes.labelcolor": "#E6E6E6",
    "text.color": "#E6E6E6",
    "xtick.color": "#C8C8C8",
    "ytick.color": "#C8C8C8",
    "grid.color": "#9A9A9A",
    "legend.labelcolor": "#E6E6E6",
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
    """Hook run on every pyplot figure: drop ipympl's "Figure 1" header and footer, and let
    the figure carry its text description when shown (``describe``)."""
    for attr in ("header_visible", "footer_visible"):
        if hasattr(fig.canvas, attr):
            setattr(fig.canvas, attr, False)
    describe_when_shown(fig)


def style(presentation: bool = False, dark: bool = False) -> dict:
    """The rcParams of the course look (larger fonts and lines when ``presentation``, light
    text on a dark background for JupyterLab's dark theme when ``dark``)."""
    presentation, dark = check.flag("presentation", presentation), check.flag("dark", dark)
    return {**_BASE, **(_PRESENTATION if presentation else {}), **(_DARK if dark else {})}


def use_style(presentation: bool = False, dark: bool = False) -> None:
    """Apply the course look to every later figure (notebooks call this once at the top)."""
    mpl.rcParams.update(style(presentation, dark))


def style_context(presentation: bool = False, dark: bool = False) -> AbstractContextManager:
    """The course look for the figures made inside a ``with`` block only."""
    return mpl.rc_context(style(presentation, dark))  # checked now, not at the ``with``


def new_figure(
    nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None, **kwargs
) -> tuple[Figure, np.ndarray | Axes]:
    """A figure that is not shown until displayed (for explorers), chrome hidden under ipympl.

    Returns ``(fig, axes)`` like :func:`matplotlib.pyplot.subplots`; ``kwargs`` go to it.
    """
    nrows, ncols = check.integer("nrows", nrows, minimum=1), check.integer("ncols", ncols, 1)
    if figsize is not None:
        figsize = _args.pair("figsize", figsize, positive=True)
    unknown = sorted(set(kwargs) - _SUBPLOTS_KEYWORDS)
    if unknown:
        raise TypeError(f"new_figure got unknown keyword(s) {unknown}: it takes those of "
                        f"plt.subplots and plt.figure (width_ratios, layout, dpi ...)")  # fmt: skip
    with plt.ioff():
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, **kwargs)
    canvas = fig.canvas
    for attr in ("header_visible", "footer_visible", "toolbar_visible", "resizable"):
        if hasattr(canvas, attr):  # only ipympl's canvas has these
            setattr(canvas, attr, False)
    return fig, axes


#: The keywords ``new_figure`` passes on: plt.subplots', plt.figure's and a Figure's
#: properties (matplotlib would raise an AttributeError that names no argument).
_SUBPLOTS_KEYWORDS = (
    set(inspect.signature(plt.subplots).parameters)
    | set(inspect.signature(plt.figure).parameters)
    | set(inspect.signature(Figure).parameters)
    | set(ArtistInspector(Figure).get_setters())
) - {"nrows", "ncols", "figsize", "fig_kw", "kwargs"}

#: Widest a figure may be, in pixels. JupyterLab's notebook column on a 1366-px laptop screen
#: with the file browser open is ~930 px, and ipympl shows a figure at its full size: what
#: does not fit is cut off on the right, not scaled down. tests/unit/test_figure_width.py
#: checks the notebooks' figure sizes against it, tests/browser (``clipped_figures``) what
#: JupyterLab shows.
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
    if presentation is not None:
        presentation = check.flag("presentation", presentation)
    if presentation is None:
        look = style(presentation=True)
        presentation = all(mpl.rcParams[k] == look[k] for k in ("figure.dpi", "font.size"))
    width_px = PRESENTATION_WIDTH_PX if presentation else MAX_WIDTH_PX
    return width_px / style(presentation)["figure.dpi"]
