"""Imports go one way, maths -> train -> plots -> widgets: the figure helpers draw what the
maths modules return and import neither the explorers nor ipywidgets, so a static figure or
an export never needs the widget stack."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import course_lib.plots

PLOTS = Path(course_lib.plots.__file__).parent
FORBIDDEN = ("course_lib.widgets", "ipywidgets")


def imported_names(source: str, package: str) -> set[str]:
    """Every module (or ``from`` target) the code of a module in ``package`` imports,
    relative imports resolved to absolute names."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            if node.module is None:
                names.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                names.add(module)
    return names


def forbidden_imports(source: str, package: str = "course_lib.plots") -> list[str]:
    return sorted(
        name
        for name in imported_names(source, package)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )


@pytest.mark.parametrize("path", sorted(PLOTS.glob("*.py")), ids=lambda p: p.name)
def test_no_plots_module_imports_widgets(path):
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source, found",
    [
        ("from .. import widgets", ["course_lib.widgets"]),
        ("from ..widgets.base import Explorer", ["course_lib.widgets.base"]),
        ("import ipywidgets as w", ["ipywidgets"]),
        ("from ipywidgets import HTML", ["ipywidgets"]),
        ("from .theme import COLORS\nfrom ..surfaces import Surface", []),
        ("from .. import optim, plots", []),
    ],
)
def test_the_scan_resolves_relative_imports(source, found):
    assert forbidden_imports(source) == found


def test_importing_plots_loads_no_widget_module():
    code = (
        "import sys, course_lib.plots\n"
        "bad = [m for m in sys.modules if m.startswith(('ipywidgets', 'course_lib.widgets'))]\n"
        "print(bad)\n"
    )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "[]", (done.stdout, done.stderr)
