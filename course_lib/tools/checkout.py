"""The course's checkout: the folder whose ``notebooks/`` the checkout tools work on.

course_lib itself needs no checkout (its data ship inside the package and are read with
importlib.resources). Only the tools that manage a copy of the course (sync, present, html,
the launcher course.py) work on one, and each is told where it is: ``--course DIR`` on the
command line, or else the nearest folder at or above the current one that holds
``notebooks/00_orientation.ipynb``.
"""

from __future__ import annotations

from pathlib import Path

from .. import _validate as check
from . import _checks

NOTEBOOKS = "notebooks"
#: The student's own copies, made by ``workspace.sync`` (git-ignored).
STUDENT_COPIES = "my-notebooks"
FIRST_NOTEBOOK = "00_orientation.ipynb"


def is_checkout(folder: Path | str) -> bool:
    """Whether ``folder`` holds the course's notebooks (``notebooks/00_orientation.ipynb``)."""
    return (check.path("folder", folder) / NOTEBOOKS / FIRST_NOTEBOOK).is_file()


def find(course: Path | str | None = None, start: Path | str | None = None) -> Path:
    """The course checkout: ``course`` if given (it must be one), else the nearest folder at
    or above ``start`` (default: the current directory) that is one.

    Raises FileNotFoundError saying where it looked and how to name the checkout.
    """
    course, start = _checks.optional_path("course", course), _checks.optional_path("start", start)
    if course is not None:
        folder = course.resolve()
        if not is_checkout(folder):
            raise FileNotFoundError(
                f"course must be the course's folder (with {NOTEBOOKS}/{FIRST_NOTEBOOK}), "
                f"got {folder}"
            )
        return folder
    here = (Path.cwd() if start is None else start).resolve()
    for folder in (here, *here.parents):
        if is_checkout(folder):
            return folder
    raise FileNotFoundError(
        f"no course checkout at or above {here} (a folder with {NOTEBOOKS}/{FIRST_NOTEBOOK}); "
        "run this from the course's folder or name it with --course DIR"
    )
