"""Imports inside course_lib go one way: the graph of intra-package imports has no cycle.

Every ``import`` statement of every module counts, including those inside functions (a
function-level import only hides a cycle until the function runs). Imports by name at run
time (``importlib.import_module``, as ``models`` and ``checkpoint`` do) are not statements
and are not followed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import course_lib

PACKAGE = Path(course_lib.__file__).parent


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    """Dotted name -> file of every module of the package (``pkg`` for ``pkg/__init__.py``)."""
    names = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` (at ``path``) imports, anywhere in its code."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]  # what "from ." refers to
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            # "from base import x": x is a module when base.x is one, else a name in base
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # "import a.b.c": the deepest module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    modules = module_names(root)
    return {name: imported(name, path, modules) for name, path in modules.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the directed graph as a list of nodes (first = last), or None."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" after

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, path + [nxt])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for start in sorted(edges):
        if start not in state:
            cycle = visit(start, [start])
            if cycle:
                return cycle
    return None


def is_package_edge(a: str, b: str) -> bool:
    """A package and its own modules: a package's ``__init__`` may import its modules and a
    module its package (Python runs the ``__init__`` first either way)."""
    return a.startswith(b + ".") or b.startswith(a + ".")


def test_course_lib_has_no_import_cycle():
    edges = {a: {b for b in bs if not is_package_edge(a, b)} for a, bs in graph().items()}
    assert "course_lib.rnn" in edges and "course_lib.functions" in edges["course_lib.rnn"]
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("inside_function", [False, True])
def test_a_cycle_is_found_even_through_an_import_inside_a_function(tmp_path, inside_function):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "plumbing.py").write_text("from . import model\nfrom .model import check\n")
    body = (
        "def sample():\n    from . import plumbing\n"
        if inside_function
        else ("from .plumbing import x\n")
    )
    (pkg / "model.py").write_text(body)
    (pkg / "other.py").write_text("import pkg.model\n")
    edges = graph(pkg)
    assert edges["pkg.other"] == {"pkg.model"}
    assert find_cycle(edges) in (
        ["pkg.model", "pkg.plumbing", "pkg.model"],
        ["pkg.plumbing", "pkg.model", "pkg.plumbing"],
    )
    (pkg / "model.py").write_text("import numpy\n")
    assert find_cycle(graph(pkg)) is None
