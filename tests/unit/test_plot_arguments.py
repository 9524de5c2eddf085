"""Plot helpers accept every value their argument checks accept (a check and the drawing
must agree on what is valid), and the per-move setters keep their contracts."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from course_lib import plots
from course_lib.plots._args import LINESTYLES


@pytest.mark.parametrize("style", LINESTYLES)
def test_norm_curve_draws_every_line_style_its_check_accepts(style):
    ax = Figure().subplots()
    line = plots.norm_curve(ax, np.array([1.0, 0.1, 0.01]), style=style)
    expected = {"solid": "-", "dashed": "--", "dashdot": "-.", "dotted": ":"}.get(style, style)
    assert line.get_linestyle() == expected


def test_set_sticks_takes_one_value_per_stick():
    ax = Figure().subplots()
    sticks = plots.probability_sticks(ax, ["a", "b", "c"])
    plots.set_sticks(sticks, [0.1, 0.6, 0.3])
    assert [seg[1][1] for seg in sticks.get_segments()] == [0.1, 0.6, 0.3]
    with pytest.raises(ValueError, match="values"):
        plots.set_sticks(sticks, [0.5, 0.5])
