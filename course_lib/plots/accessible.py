"""A short text description for every figure: its alt text, and what a screen reader says.

A figure's description is the text given with :func:`describe` (``plots.describe(fig,
"…")``), or else one made from the figure itself (:func:`description`: its panels' titles,
axis labels and legend entries), so every figure has one without any notebook code.

Where it goes, for figures shown through pyplot with ipympl (``%matplotlib widget``, every
notebook) and for the explorers:

- the PNG snapshot that each displayed figure carries gets it as ``alt`` metadata, which
  ``make html`` writes as the image's alt text (``course_lib.tools.export``);
- the figure's plain-text fallback is the description, not ipympl's ``Canvas(...)``;
- in JupyterLab and Voilà a second output holds it as text that is visually hidden but read
  by screen readers (ipympl's canvas element has no way to carry a label of its own).

The hook that does this for pyplot figures is installed by ``theme._tidy_canvas``, which
``use_style`` registers in matplotlib's ``figure.hooks``.
"""

from __future__ import annotations

import html
import re

from matplotlib.figure import Figure

from ._args import instance

_ATTR = "_course_description"
#: Marks the screen-reader output in a notebook (the static export drops it: the image's
#: alt text says the same).
OUTPUT_KEY = "course_figure_description"
# Visually hidden, still read by screen readers (the usual "sr-only" rules, inline because
# an output cannot bring a style sheet).
SR_ONLY = (
    "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
    "clip:rect(0,0,0,0);white-space:nowrap;border:0"
)


def describe(fig: Figure, text: str) -> Figure:
    """Give ``fig`` the description ``text`` (one or two sentences); returns ``fig``."""
    _figure(fig)
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text must be a non-empty string describing the figure, got {text!r}")
    setattr(fig, _ATTR, text.strip())
    return fig


# Mathtext commands written as the symbol a screen reader names ("eta", "nabla").
_SYMBOLS = {
    "nabla": "∇", "eta": "η", "gamma": "γ", "lambda": "λ", "beta": "β", "alpha": "α",
    "epsilon": "ε", "sigma": "σ", "theta": "θ", "mu": "μ", "tau": "τ", "cdot": "·",
    "times": "×", "partial": "∂", "infty": "∞", "|": "‖", "ell": "ℓ", "approx": "≈",
}  # fmt: skip


def _plain(text: str) -> str:
    """Mathtext as text a screen reader can say: '$\\|\\nabla L\\|$' -> '‖∇L‖'."""
    text = re.sub(r"\\(?:mathrm|mathcal|mathbf|mathit|text|operatorname)\{([^}]*)\}", r"\1", text)
    text = re.sub(r"\\(\||[A-Za-z]+) ?", lambda m: _SYMBOLS.get(m.group(1), m.group(1)), text)
    return re.sub(r"[${}]", "", text).replace("_", " ").replace("^", "").strip()


def _figure(fig: object) -> Figure:
    return instance("fig", fig, Figure, "a matplotlib Figure")


def _panel(ax) -> str:
    """'title: 3-D plot of loss over w and b, showing start, end' for one panel."""
    parts = []
    title = _plain(ax.get_title() or ax.get_title("left") or ax.get_title("right"))
    x, y = _plain(ax.get_xlabel()), _plain(ax.get_ylabel())
    if hasattr(ax, "get_zlabel"):
        z = _plain(ax.get_zlabel())
        what = f"3-D plot of {z or 'a surface'}" + (f" over {x} and {y}" if x and y else "")
    elif x and y:
        what = f"plot of {y} against {x}"
    else:
        what = f"plot of {x or y}" if x or y else "plot"
    parts.append(f"{title}: {what}" if title else what)
    legend = [_plain(t) for t in ax.get_legend_handles_labels()[1] if not t.startswith("_")]
    if legend:
        parts.append("showing " + ", ".join(legend[:6]) + (" and more" if len(legend) > 6 else ""))
    return ", ".join(parts)


def _panels(fig: Figure) -> list:
    """The figure's panels, without colour bars (they explain a panel, they are not one)."""
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]


def description(fig: Figure) -> str:
    """The text given with :func:`describe`, else one made from ``fig``'s panels."""
    _figure(fig)
    given = getattr(fig, _ATTR, None)
    if given:
        return given
    panels = _panels(fig)
    suptitle = _plain(fig._suptitle.get_text()) if getattr(fig, "_suptitle", None) else ""
    head = f"Figure: {suptitle}. " if suptitle else "Figure: "
    if not panels:
        return head.rstrip(": .") + "."
    if len(panels) == 1:
        return f"{head}{_panel(panels[0])}."
    listed = "; ".join(f"panel {i + 1}, {_panel(ax)}" for i, ax in enumerate(panels))
    return f"{head}{len(panels)} panels. {listed}."


def alt_metadata(fig: Figure) -> dict:
    """The output metadata that gives a displayed PNG of ``fig`` its alt text."""
    return {"image/png": {"alt": description(fig)}}


def screen_reader_html(fig: Figure) -> str:
    """The description as HTML that is visually hidden and read by screen readers."""
    return f"<div style='{SR_ONLY}'>{html.escape(description(fig))}</div>"


def describe_when_shown(fig: Figure) -> None:
    """Make the figure's canvas carry its description when displayed (ipympl only: its
    canvas is the widget that pyplot displays; other canvases are left alone)."""
    canvas = _figure(fig).canvas
    bundle = getattr(type(canvas), "_repr_mimebundle_", None)
    if bundle is None or getattr(canvas, "_course_described", False):
        return

    def _ipython_display_(**kwargs):
        from IPython.display import display

        data = bundle(canvas, **kwargs)
        data["text/plain"] = description(fig)
        display(data, metadata=alt_metadata(fig), raw=True)
        hidden = {"text/html": screen_reader_html(fig), "text/plain": description(fig)}
        display(hidden, metadata={OUTPUT_KEY: True}, raw=True)

    canvas._ipython_display_ = _ipython_display_
    canvas._course_described = True
