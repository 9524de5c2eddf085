"""Argument checks of the tools: texts, paths, argv lists, notebooks and nbdime diffs.

They follow ``course_lib._validate`` (whose checks they reuse): a wrong kind of value is a
TypeError, a right kind with a wrong value a ValueError, and the message names the argument,
says what was expected and shows what was given. A command line's *contents* (an unknown
option, a missing argument) are argparse's to refuse: it prints the usage and exits with
status 2, the convention of every command-line tool; only the Python value (a list of str)
is checked here, since a str given for ``argv`` would be read one character at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .. import _validate as check
from .._validate import _show


def optional_path(name: str, value: object) -> Path | None:
    """A file path (str or pathlib.Path) or None."""
    return None if value is None else check.path(name, value)


def paths(name: str, value: object) -> list[Path]:
    """A list (or tuple) of file paths; a single path is refused (its characters are not
    paths)."""
    if not isinstance(value, list | tuple):
        raise TypeError(
            f"{name} must be a list of file paths, got {type(value).__name__} {_show(value)}"
        )
    return [check.path(f"{name}[{i}]", p) for i, p in enumerate(value)]


def argv(name: str, value: object) -> list[str] | None:
    """A command line as a list of str (None: the program's own, ``sys.argv[1:]``)."""
    return None if value is None else check.texts(name, value)


def notebook_json(name: str, value: object) -> Mapping:
    """A notebook (nbformat v4: a NotebookNode, or the dict ``json.load`` gives): a mapping
    whose "cells" is a list of mappings, each with a "cell_type". Returned as given."""
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{name} must be a notebook (a dict with 'cells'), got "
            f"{type(value).__name__} {_show(value)}"
        )
    cells = value.get("cells")
    if not isinstance(cells, list):
        raise ValueError(
            f"{name} must be a notebook whose 'cells' is a list, got 'cells' = {_show(cells)}"
        )
    for i, cell in enumerate(cells):
        if not isinstance(cell, Mapping) or "cell_type" not in cell:
            raise ValueError(
                f"{name}['cells'][{i}] must be a cell (a dict with 'cell_type'), got {_show(cell)}"
            )
    return value


def notebook(name: str, value: object):
    """A notebook as an nbformat NotebookNode (attribute access): a new one built from a
    plain dict (so the caller's dict is never changed), the caller's own if it is one."""
    import nbformat

    notebook_json(name, value)
    if isinstance(value, nbformat.NotebookNode):
        return value
    value = nbformat.from_dict(value)
    value.setdefault("metadata", nbformat.NotebookNode())
    return value


def cell(name: str, value: object) -> Mapping:
    """A notebook cell (a dict or an nbformat cell)."""
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{name} must be a notebook cell (a dict), got {type(value).__name__} {_show(value)}"
        )
    return value


def diff(name: str, value: object) -> list:
    """An nbdime diff: a list of operations, each a dict with "op" and "key"."""
    if not isinstance(value, list):
        raise TypeError(
            f"{name} must be an nbdime diff (a list of operations), got "
            f"{type(value).__name__} {_show(value)}"
        )
    for i, op in enumerate(value):
        if not isinstance(op, Mapping) or "op" not in op or "key" not in op:
            raise ValueError(
                f"{name}[{i}] must be a diff operation (a dict with 'op' and 'key'), "
                f"got {_show(op)}"
            )
    return value
