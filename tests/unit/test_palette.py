"""Every colour the course draws or writes with is readable on JupyterLab's light and dark
themes: at least 3:1 against each background (WCAG 2.1's contrast for graphics and large
text, its formula written out here), and the dark style's text at least 4.5:1."""

from __future__ import annotations

import matplotlib as mpl
import pytest

from course_lib import plots
from course_lib.plots import theme


def luminance(color: str) -> float:
    """WCAG relative luminance of a colour (any matplotlib colour spec)."""
    r, g, b = mpl.colors.to_rgb(color)

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_against_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # WCAG's AA grey
    assert contrast("#E69F00", "#FFFFFF") == pytest.approx(2.25, abs=0.01)  # the old RMSProp
    assert contrast("#000000", "#111111") < 1.2  # the old Adam on the dark theme


BACKGROUNDS = [bg for group in theme.THEME_BACKGROUNDS.values() for bg in group]
PALETTE = {**plots.COLORS, **{f"schedule {k}": v for k, v in plots.SCHEDULE_COLORS.items()}}


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("name", sorted(PALETTE))
def test_every_colour_has_3_to_1_on_both_themes(name, background):
    assert contrast(PALETTE[name], background) >= 3.0, (name, PALETTE[name], background)


def test_the_backgrounds_are_jupyterlabs():
    assert theme.THEME_BACKGROUNDS == {"light": ("#FFFFFF",), "dark": ("#111111", "#212121")}


def test_optimizers_keep_distinct_colours():
    optimizers = ["GD", "Momentum", "NAG", "AdaGrad", "RMSProp", "Adam"]
    assert len({plots.COLORS[m] for m in optimizers}) == len(optimizers)


def test_dark_style_text_and_lines_on_its_background():
    dark = plots.style(dark=True)
    bg = dark["figure.facecolor"]
    assert bg == dark["axes.facecolor"] == plots.DARK_BACKGROUND
    for key in ("text.color", "axes.labelcolor", "legend.labelcolor"):
        assert contrast(dark[key], bg) >= 4.5, key
    for key in ("xtick.color", "ytick.color", "axes.edgecolor", "grid.color"):
        assert contrast(dark[key], bg) >= 3.0, key
    for color in PALETTE.values():
        assert contrast(color, bg) >= 3.0
    light = plots.style()
    assert "figure.facecolor" not in light  # the light look is matplotlib's white
    assert plots.style(presentation=True, dark=True)["font.size"] == 16


def test_dark_style_applies_and_is_undone_by_a_context():
    with plots.style_context(dark=True):
        assert mpl.rcParams["figure.facecolor"] == plots.DARK_BACKGROUND
    assert mpl.rcParams["figure.facecolor"] != plots.DARK_BACKGROUND
