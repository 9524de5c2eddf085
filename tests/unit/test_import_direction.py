"""Imports go one way, maths -> train -> plots -> widgets: the figure helpers draw what the
maths modules return and import neither the explorers nor ipywidgets, so a static figure or
an export never needs the widget stack; no module before ``plots`` in that order imports it,
and only the explorers import ``widgets``."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import course_lib

PACKAGE = Path(course_lib.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    """``course_lib.plots.theme`` for course_lib/plots/theme.py (``__init__`` dropped)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module (or ``from`` target) the code of ``module`` imports, relative imports
    resolved to absolute names."""
    package = module if is_package else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            target = ".".join(p for p in (base, node.module or "") if p)
            if node.module is None:
                names.update(f"{target}.{alias.name}" for alias in node.names)
            else:
                names.add(target)
    return names


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def wrong_imports(path: Path) -> list[str]:
    """What ``path`` imports against the one-way order."""
    module = module_name(path)
    if within(module, ("course_lib.widgets",)):
        return []
    forbidden = ("course_lib.widgets", "ipywidgets")
    if not within(module, ("course_lib.plots",)):
        forbidden += ("course_lib.plots",)
    names = imported_names(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    return sorted(n for n in names if within(n, forbidden))


ALLOWED_IPYWIDGETS = {"course_lib.tools.envcheck"}  # reports whether ipywidgets is installed


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_imports_go_one_way(path):
    wrong = wrong_imports(path)
    if module_name(path) in ALLOWED_IPYWIDGETS:
        wrong = [n for n in wrong if n != "ipywidgets"]
    assert wrong == []


@pytest.mark.parametrize(
    "source, module, found",
    [
        ("from .. import widgets", "course_lib.plots.theme", {"course_lib.widgets"}),
        ("from ..widgets.base import Explorer", "course_lib.plots.x", {"course_lib.widgets.base"}),
        ("from .widgets import base", "course_lib.train", {"course_lib.widgets"}),
        ("import ipywidgets as w", "course_lib.plots.theme", {"ipywidgets"}),
        ("from .theme import COLORS", "course_lib.plots.curves", {"course_lib.plots.theme"}),
        (
            "from . import plots, optim",
            "course_lib.train",
            {"course_lib.plots", "course_lib.optim"},
        ),
        ("from .. import plots", "course_lib.widgets.race", {"course_lib.plots"}),
    ],
)
def test_the_scan_resolves_relative_imports(source, module, found):
    assert imported_names(source, module) == found


def test_the_scan_sees_every_kind_of_module():
    names = {module_name(p) for p in MODULES}
    assert {"course_lib", "course_lib.plots", "course_lib.plots.theme", "course_lib.optim"} <= names
    assert "course_lib.widgets.base" in names


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
