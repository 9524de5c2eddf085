"""The status banner: "diverged at step k" and similar news, drawn over a panel.

Every explorer that runs an optimizer shows one; tests read it back with
:func:`status_message`.
"""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.text import Text

from .. import _validate as check
from . import _args
from .theme import COLORS


def status_text(ax: Axes) -> Text:
    """An empty banner at the top of ``ax`` for "diverged at step k" and similar news."""
    return _args.axes("ax", ax).text(
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

    A message wider than its axes is wrapped onto several lines, so that the banner stays
    inside a narrow panel instead of being cut off at the figure's edge
    (tests/widgets/test_status_banner.py)."""
    _banner(text)
    check.optional_text("message", message)
    if message and text.axes is not None:
        px_per_char = 0.62 * text.get_fontsize() * text.figure.dpi / 72  # bold sans, average
        fits = max(12, int(0.92 * text.axes.bbox.width / px_per_char))
        message = textwrap.fill(message, width=fits)
    text.set_text(message or "")
    text.set_visible(bool(message))


def status_message(text: Text) -> str:
    """The message a banner from :func:`status_text` shows, on one line ("" when hidden)."""
    _banner(text)
    return " ".join(text.get_text().split()) if text.get_visible() else ""


def _banner(text: object) -> Text:
    return _args.instance("text", text, Text, "a banner from plots.status_text")
