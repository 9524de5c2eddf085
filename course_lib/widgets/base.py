"""The pattern every explorer follows.

An explorer owns its controls, one matplotlib figure and a readout. Moving a control
calls :meth:`Explorer.update`, plain Python that recomputes and sets the artists' data,
then :meth:`Explorer.draw`. Tests set ``control.value`` and inspect the artists without a
browser; notebooks only construct an explorer and display it.

Where ipympl is the backend (``%matplotlib widget``) the figure's canvas is itself a
widget and is redrawn in place. With any other backend the figure is re-rendered into an
``Output`` widget, so explorers still run (and draw their default view) in CI and exports.
"""

from __future__ import annotations

import base64
import html
import io
import math
import traceback

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import _validate as check
from .. import plots
from ._arguments import checked_init

# Explorers never raise for a value their controls can reach; if a bug slips through, the
# student sees the message in the readout instead of a silent log entry. Tests flip this
# to True so that such a bug fails loudly.
RAISE_ERRORS = False


#: Step of the log sliders, in powers of ten (about 12 % per step).
LOG_STEP = 0.05


def log_slider(description: str, value: float, lo: float, hi: float, **kwargs):
    """A slider over [lo, hi] on a log10 scale, e.g. for the learning rate η.

    The browser snaps a slider's value to the grid min + k·step when it first shows it and
    sends the snapped value back, so the grid must contain ``value`` itself: anchored at lo
    instead, η = 0.4 would run as 0.398, another value than the notebook's text states. So
    the grid is anchored at ``value``; its ends are the first grid points at or beyond lo
    and hi (at most one step, 12 %, beyond). A value outside [lo, hi] starts at the nearer
    end, as the slider itself would put it (tests/widgets/test_explorer_echo.py).
    """
    value = min(max(check.real(f"the initial value of slider {description!r}", value), lo), hi)
    x = math.log10(value)
    below = math.ceil((x - math.log10(lo)) / LOG_STEP - 1e-9)
    above = math.ceil((math.log10(hi) - x) / LOG_STEP - 1e-9)
    return widgets.FloatLogSlider(
        value=value,
        base=10,
        min=x - below * LOG_STEP,
        max=x + above * LOG_STEP,
        step=LOG_STEP,
        description=description,
        readout_format=".3g",
        continuous_update=True,
        style={"description_width": "initial"},
        **kwargs,
    )


def slider(description: str, value: float, lo: float, hi: float, step: float, **kwargs):
    """A float slider with the course's look."""
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=".2f",
        style={"description_width": "initial"},
        **kwargs,
    )


def int_slider(description: str, value: int, lo: int, hi: int, **kwargs):
    """An integer slider with the course's look."""
    return widgets.IntSlider(
        value=value,
        min=lo,
        max=hi,
        description=description,
        style={"description_width": "initial"},
        **kwargs,
    )


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, rendered with Agg whatever the backend."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


#: Widest an explorer's figure may be, in pixels: the notebook column's (see plots.MAX_WIDTH_PX).
MAX_WIDTH_PX = plots.MAX_WIDTH_PX


def _fit_column(fig: Figure) -> None:
    """Narrow a figure wider than :data:`MAX_WIDTH_PX` to that width (height unchanged:
    the panels get narrower, the text keeps its size)."""
    width, height = fig.get_size_inches()
    if width * fig.dpi > MAX_WIDTH_PX:
        fig.set_size_inches(MAX_WIDTH_PX / fig.dpi, height)


class Explorer:
    """Base class: subclasses build ``self.fig``, the controls and their artists, then call
    :meth:`_finish`; they implement :meth:`update` (recompute and set artist data).

    Redrawing a whole figure costs several times a move's budget, almost all of it in tick
    labels and titles that do not change when a slider moves (the "one full Agg redraw"
    rows of ``make bench``). So the static part is rendered once into a background, and an
    update only restores it and draws ``self.dynamic`` (the artists update() changes). The
    background is re-rendered whenever an axis' limits or scale change, or when a subclass
    calls :meth:`invalidate`.
    """

    title = "explorer"
    dynamic: list = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:  # arguments checked from their hints (_arguments)
            cls.__init__ = checked_init(cls.__dict__["__init__"])

    def _finish(self, controls: list[widgets.Widget], fig: Figure, extra=()) -> None:
        self.fig = fig
        # The explorer draws its figure itself (draw() and a blit), so an artist change must
        # not also make pyplot redraw the whole figure: under ipympl each full redraw marks
        # the ticks stale again and so asks for the next one, without end, and slider moves
        # wait behind those redraws. Hence no stale callback here, and draw() leaves the
        # figure not stale (tests/widgets/test_explorer_ipympl.py).
        fig.stale_callback = None
        _fit_column(fig)
        self.controls = controls
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self.last_error: str | None = None
        self._busy = False
        self._background = None
        self._background_state = None
        self._static_version = 0
        canvas_is_widget = isinstance(fig.canvas, widgets.DOMWidget)
        if canvas_is_widget:
            _full_frames_only(fig.canvas)
        self._output = None if canvas_is_widget else widgets.Output()
        view = fig.canvas if canvas_is_widget else self._output
        for control in controls:
            control.observe(self._on_change, names="value")
        box = widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([box, *extra, self.readout, view])
        self.widget.add_class("course-explorer")
        self._on_change(None)

    def update(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def invalidate(self) -> None:
        """Say that static content (contours, titles) changed: the next draw is a full one."""
        self._static_version += 1

    def _on_change(self, change) -> None:
        if self._busy:  # a control changed by update() itself
            return
        if change is not None and _float_noise(change["old"], change["new"]):
            # When a slider's view first renders, the browser snaps its value to the step grid
            # in floating point and sends it back (0.9 -> 0.9000000000000001). Nothing shown
            # would change, and an update per such message keeps the kernel busy while a
            # drag's later values wait behind it (ipywidgets sends one value per slider at a
            # time): skip it (tests/widgets/test_explorer_echo.py).
            return
        self._busy = True
        try:
            self.update()
            self.last_error = None
        except Exception as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            self.readout.value = (
                "<span style='color:#b00'>Could not update the figure "
                f"({html.escape(self.last_error)}). Please report this with the control "
                "values.</span>"
            )
            if RAISE_ERRORS:
                raise
            traceback.print_exc()
        finally:
            self._busy = False
        self.draw()

    def _state(self) -> tuple:
        axes = tuple(
            (
                ax.get_position().bounds,
                ax.get_xlim(),
                ax.get_ylim(),
                ax.get_xscale(),
                ax.get_yscale(),
            )
            for ax in self.fig.axes
        )
        return (self._static_version, axes, self.fig.bbox.bounds)

    def draw(self) -> None:
        """Render the figure (background reused when possible) and show it."""
        canvas = self.fig.canvas
        if self._background is None or not _same_state(self._state(), self._background_state):
            self._draw_background()
        else:
            canvas.restore_region(self._background)
            if not _fully_drawn(self.fig):
                self._draw_background()
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        # What is shown is now up to date: pyplot's draw-all (run after every comm message
        # under ipympl) must not ask the browser for yet another full redraw.
        self.fig.stale = False
        self._publish()

    def _draw_background(self) -> None:
        """Render everything but the dynamic artists and keep a copy of it."""
        canvas = self.fig.canvas
        for artist in self.dynamic:
            artist.set_animated(True)  # left out of the background
        try:
            FigureCanvasAgg.draw(canvas)
            if not _fully_drawn(self.fig):
                # Under ipympl an Agg renderer can leave a panel and the figure's face
                # transparent, in this render and every later one, while a new renderer
                # draws correctly: an incomplete render is redone with a new renderer
                # (tests/widgets/test_explorer_render.py).
                canvas._lastKey = None  # FigureCanvasAgg then builds a new renderer
                FigureCanvasAgg.draw(canvas)
        finally:
            for artist in self.dynamic:
                artist.set_animated(False)
        self._background = canvas.copy_from_bbox(self.fig.bbox)
        self._background_state = self._state()

    def _publish(self) -> None:
        if self._output is None:  # ipympl: send the new frame to the browser
            if getattr(self.fig.canvas, "syncing_data_url", False):
                # No browser has connected to this canvas yet (the explorer is drawn before
                # it is displayed). ipympl would keep this frame as bare base64 without the
                # "data:" prefix, which the browser cannot load ("Error setting state ...
                # broken"), and never draw the figure. The browser asks for a full frame
                # when it connects, so nothing is lost by not sending one now
                # (tests/widgets/test_explorer_ipympl.py).
                return
            # A full frame (see _full_frames_only).
            self.fig.canvas.blit(self.fig.bbox)
            return
        from IPython import get_ipython

        if get_ipython() is None:  # plain Python (tests, benchmarks): nothing to show
            return
        from IPython.display import Image, clear_output, display

        with self._output:
            clear_output(wait=True)
            display(Image(data=_buffer_png(self.fig)))

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        png = base64.b64encode(figure_png(self.fig)).decode("ascii")
        # savefig leaves the figure marked stale, and pyplot's draw-all (after every cell
        # and every comm message under ipympl) would then ask the browser for a full redraw
        # each time; ipympl's front end can lose the first frame of such a burst and show a
        # blank figure. So the figure is left not stale (tests/widgets/test_explorer_ipympl.py).
        self.fig.stale = False
        # Fallbacks for frontends without the widget manager (static HTML export, a
        # JupyterLab whose widget extension is missing): the figure and a pointer to help.
        bundle["image/png"] = png
        bundle["text/plain"] = (
            f"[{self.title}: a static snapshot. The controls need JupyterLab with the "
            "ipywidgets and ipympl extensions; see README, 'Troubleshooting'.]"
        )
        return bundle, plots.accessible.alt_metadata(self.fig)  # the snapshot's alt text


#: Largest move of an axes, in pixels, that still counts as the same layout (see _same_state):
#: far above floating-point noise (~1e-13 px) and far below a move that changes any pixel
#: (antialiased edges already change with moves of a thousandth of a pixel).
LAYOUT_TOLERANCE_PX = 1e-6


def _same_state(old: tuple, new: tuple) -> bool:
    """Whether a background rendered in state ``old`` (see ``Explorer._state``) can serve in
    state ``new``: same static version, figure size, axis limits and scales, and every axes
    within :data:`LAYOUT_TOLERANCE_PX` of where it was.

    Constrained layout re-runs in every full render, ipympl's too (the browser asks for one
    whenever a view is shown or resized: twice per explorer when a notebook opens), and moves
    the axes by ~1e-16 of the figure. Compared exactly, every slider move after such a render
    would take that for a new layout and re-render the whole background instead of restoring
    it (test_a_move_after_ipympl_redraw_reuses_the_background in
    tests/widgets/test_explorer_ipympl.py).
    """
    (version, axes, bbox), (new_version, new_axes, new_bbox) = old, new
    if version != new_version or bbox != new_bbox or len(axes) != len(new_axes):
        return False
    width, height = bbox[2], bbox[3]
    scale = (width, height, width, height)
    for (position, *rest), (new_position, *new_rest) in zip(axes, new_axes, strict=True):
        if rest != new_rest:
            return False
        moved = (abs(a - b) * s for a, b, s in zip(position, new_position, scale, strict=True))
        if max(moved) > LAYOUT_TOLERANCE_PX:
            return False
    return True


def _float_noise(old, new) -> bool:
    """Whether a control's change from ``old`` to ``new`` is only floating-point rounding
    (two floats equal to ~9 significant digits, far finer than any slider's step)."""
    floats = all(isinstance(v, float) for v in (old, new))
    return floats and math.isclose(old, new, rel_tol=1e-9)


def _fully_drawn(fig: Figure) -> bool:
    """Whether the Agg buffer of ``fig`` is opaque everywhere, as a complete render of a
    figure with an opaque face colour must be (one pass over the alpha channel: cheap beside
    the render it checks)."""
    if fig.get_facecolor()[3] < 1:
        return True  # transparent by design: nothing to check
    return bool(np.asarray(fig.canvas.buffer_rgba())[..., 3].min() == 255)


def _full_frames_only(canvas) -> None:
    """Make an ipympl canvas send every frame whole, never as a difference to the last one.

    ipympl's front end drops a frame whose image is still loading when the next arrives;
    a later difference frame then lands on the wrong picture or on a canvas cleared by a
    resize, and panels show blank or ghosted. This holds for ipympl's own redraws after a
    resize as well as for the explorer's frames, so the canvas itself is changed
    (tests/widgets/test_explorer_ipympl.py checks the frames sent are full ones).
    """
    send_diff_or_full = canvas.get_diff_image

    def get_full_image():
        canvas._force_full = True
        return send_diff_or_full()

    canvas.get_diff_image = get_full_image


def _buffer_png(fig: Figure) -> bytes:
    """PNG of what the Agg buffer holds now (no re-render)."""
    from matplotlib.image import imsave

    buf = io.BytesIO()
    imsave(buf, np.asarray(fig.canvas.buffer_rgba()), format="png")
    return buf.getvalue()
