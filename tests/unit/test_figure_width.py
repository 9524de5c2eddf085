"""Every static figure fits JupyterLab's notebook column on a laptop (1366-px screen, file
browser open: ~930 px). ipympl shows a figure at its full size and cuts off what does not
fit, so a figure wider than ``plots.MAX_WIDTH_PX`` at the course's 96 dpi loses its right part.

Checked without running anything: every ``figsize=(w, h)`` and ``set_size_inches(w, h)`` in
the notebooks' code cells must have a width this test can evaluate (a number,
``plots.full_width()``, or + − × ÷ of those) of at most ``plots.full_width()`` under the
course style. Explorers are narrowed at run time (tests/widgets/test_explorer_fit.py).
"""

from __future__ import annotations

import ast
import json
import operator
from pathlib import Path

import numpy as np
import pytest

from course_lib import plots, surfaces
from course_lib.widgets import base

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
DPI = plots.style()["figure.dpi"]
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}  # fmt: skip


class Unknown(Exception):
    """A width written in a way this scan cannot evaluate."""


def width_of(node: ast.expr) -> float:
    """The value of a width expression under the course style: numbers,
    ``plots.full_width()`` and + − × ÷ of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if (
        isinstance(node, ast.Call)
        and ast.unparse(node.func) == "plots.full_width"
        and not node.args
        and not node.keywords
    ):
        return plots.full_width(presentation=False)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](width_of(node.left), width_of(node.right))
    raise Unknown(ast.unparse(node))


def figure_widths(source: str) -> list[tuple[int, str, float | None]]:
    """(line, code, width in inches or None if unknown) for each figure size set in
    ``source``: ``figsize=(w, h)`` keywords and ``.set_size_inches(w, h)`` calls."""
    lines = [ln if not ln.lstrip().startswith(("%", "!")) else "" for ln in source.splitlines()]
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.Call):
            continue
        sizes = [k.value for k in node.keywords if k.arg == "figsize"]
        if isinstance(node.func, ast.Attribute) and node.func.attr == "set_size_inches":
            sizes += [ast.Tuple(elts=node.args) if len(node.args) == 2 else node.args[0]]
        for size in sizes:
            try:
                if not isinstance(size, ast.Tuple | ast.List) or not size.elts:
                    raise Unknown(ast.unparse(size))
                width = width_of(size.elts[0])
            except Unknown:
                width = None
            found.append((node.lineno, ast.unparse(size), width))
    return found


def too_wide(source: str) -> list[str]:
    """What is wrong with the figure sizes in ``source`` (empty when every figure fits)."""
    problems = []
    for line, size, width in figure_widths(source):
        if width is None:
            problems.append(
                f"line {line}: figure size {size} cannot be checked: write the width as a "
                "number or plots.full_width()"
            )
        elif width * DPI > plots.MAX_WIDTH_PX + 0.5:
            problems.append(
                f"line {line}: figure size {size} is {width * DPI:.0f} px wide at {DPI} dpi, "
                f"more than the notebook column's {plots.MAX_WIDTH_PX} px: use at most "
                f"plots.full_width() ({plots.full_width(False):.3f} in) and re-balance the layout"
            )
    return problems


def code_cells(path: Path) -> list[tuple[int, str]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "code"]


def test_full_width_is_the_column_at_each_styles_dpi():
    assert DPI == 96 and plots.style(presentation=True)["figure.dpi"] == 110
    assert base.MAX_WIDTH_PX == plots.MAX_WIDTH_PX == 900  # explorers use the same limit
    assert plots.full_width(presentation=False) == 900 / 96
    assert plots.full_width(presentation=True) == 1200 / 110
    # Without an argument: the style in use.
    with plots.style_context(presentation=True):
        assert plots.full_width() == 1200 / 110
        with plots.style_context():
            assert plots.full_width() == 900 / 96


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_figures_fit_the_column(path):
    problems = [f"cell {i}, {p}" for i, src in code_cells(path) for p in too_wide(src)]
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_the_notebooks_set_figure_sizes():
    """The scan finds what it is meant to check (a parser that saw nothing would pass)."""
    sizes = [w for p in NOTEBOOKS for _, src in code_cells(p) for _, _, w in figure_widths(src)]
    assert len(sizes) >= 30
    assert sum(w == plots.full_width(False) for w in sizes) >= 20


@pytest.mark.parametrize(
    "source, wide",
    [
        ("fig, ax = plt.subplots(figsize=(10, 3.6))", True),
        ("fig = plt.figure(figsize=(9.4, 4))", True),  # 902 px: just too wide
        ("fig, axes = plt.subplots(1, 2, figsize=(plots.full_width() + 1, 3))", True),
        ("fig, ax = plt.subplots(figsize=(plots.full_width(True), 3))", True),  # not checkable
        ("fig.set_size_inches(12, 3)", True),
        ("fig.set_size_inches((12, 3))", True),
        ("w = 4\nfig, ax = plt.subplots(figsize=(3 * w, 3))", True),  # cannot be checked
        ("fig, ax = plt.subplots(figsize=size)", True),
        (
            "%matplotlib widget\nfig, ax = plt.subplots(1, 3, figsize=(plots.full_width(), 3))",
            False,
        ),
        ("fig, ax = plt.subplots(figsize=(9.375, 3))", False),  # exactly 900 px
        ("fig = plt.figure(figsize=(2 * 4.5, 3))", False),
        ("fig, ax = plt.subplots()", False),  # the style's default, checked below
    ],
)
def test_the_scan_flags_wide_figures(source, wide):
    assert bool(too_wide(source)) == wide, too_wide(source)


def test_default_figure_size_fits():
    """A figure made without a figsize, under the course style."""
    assert plots.style()["figure.figsize"][0] * DPI <= plots.MAX_WIDTH_PX


def test_race_animation_fits():
    """The one figure a plots helper makes for a notebook (explorers are checked apart)."""
    surface = surfaces.quadratic_bowl()
    path = np.array([surface.start, surface.minimum], dtype=float)
    with plots.style_context():
        anim = plots.animate_race(surface, {"GD": path}, {"GD": np.array([1.0, 0.1])}, frames=2)
        plots.animation_html(anim)  # renders its frames, as a notebook does
    fig = anim._fig
    assert fig.get_size_inches()[0] * fig.dpi <= plots.MAX_WIDTH_PX + 0.5
