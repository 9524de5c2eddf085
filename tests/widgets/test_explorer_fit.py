"""Every explorer's figure fits JupyterLab's notebook column on a laptop (1366 px screen,
file browser open): ipympl does not scale a figure down, it cuts off its right part."""

import inspect

import pytest

from course_lib import widgets
from course_lib.widgets.base import MAX_WIDTH_PX, Explorer, _fit_column

EXPLORERS = [
    cls
    for name in widgets.__all__
    if inspect.isclass(cls := getattr(widgets, name))
    and issubclass(cls, Explorer)
    and cls is not Explorer
]


def test_there_are_explorers():
    assert len(EXPLORERS) >= 2


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_explorer_figure_fits_the_column(cls):
    fig = cls().fig
    assert fig.get_size_inches()[0] * fig.dpi <= MAX_WIDTH_PX + 0.5


def test_fit_column_narrows_only_wide_figures():
    from matplotlib.figure import Figure

    wide, narrow = Figure(figsize=(12, 4), dpi=96), Figure(figsize=(6, 3), dpi=96)
    _fit_column(wide)
    _fit_column(narrow)
    assert tuple(wide.get_size_inches()) == (MAX_WIDTH_PX / 96, 4)  # height kept
    assert tuple(narrow.get_size_inches()) == (6, 3)
