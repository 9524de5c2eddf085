"""The student release: the course without the exercises' solutions.

``python course.py student`` (``make student``) writes ``build/student/``, a copy of the
course that students can run as they would the course itself (``python course.py lab``):
every file of the checkout except the tests and CI (which read the solutions), and every
notebook with its solution cells (tagged ``solution``) replaced by a one-line note. The
exercise cells, their ``check_…`` calls and everything else stay as they are, so the checks
work as in the full course.

Releasing the solutions later needs nothing special: a student's copies in
``my-notebooks/`` are brought up to date from the full notebooks by ``workspace.sync``,
whose three-way merge inserts the solution cells (the notes they replace were never edited).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

from .. import _validate as check
from . import _checks

#: The tag of a solution cell (tests/unit/test_notebook_hygiene.py requires it on each).
SOLUTION_TAG = "solution"
#: The tag of the note that stands where a solution cell was.
REMOVED_TAG = "solution-removed"
REMOVED_NOTE = "*(The solution to this exercise is not included in this copy of the course.)*"
#: Left out of the release: they read the solutions from the notebooks.
NOT_RELEASED = ("tests", ".ci")
#: Left out when the checkout is not a git repository (what git would ignore).
_UNTRACKED = {
    ".git",
    ".venv",
    "build",
    "my-notebooks",
    "__pycache__",
    ".ipynb_checkpoints",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
}
#: Marks a folder written by :func:`write_release`, so that only such a folder is replaced.
MARKER = ".course-student-release"


def is_solution(cell) -> bool:
    """Whether ``cell`` (an nbformat cell or a plain dict) is tagged as a solution."""
    cell = _checks.cell("cell", cell)
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def _note(cell):
    """The markdown cell that stands where solution ``cell`` was (same id, so that a later
    merge with the full notebook sees one cell changed, not one removed and one added)."""
    import nbformat

    note = nbformat.v4.new_markdown_cell(REMOVED_NOTE)
    note.metadata = {"slideshow": {"slide_type": "skip"}, "tags": [REMOVED_TAG]}
    if "id" in cell:
        note["id"] = cell["id"]
    return note


def without_solutions(nb):
    """A copy of notebook ``nb`` (nbformat v4) whose solution cells are replaced by a note."""
    nb = copy.deepcopy(_checks.notebook("nb", nb))
    nb.cells = [_note(c) if is_solution(c) else c for c in nb.cells]
    return nb


def student_notebook(source: Path, target: Path) -> int:
    """Write notebook ``source`` without its solutions to ``target``; returns how many
    solution cells were removed."""
    import nbformat

    source, target = check.path("source", source), check.path("target", target)

    nb = nbformat.read(source, as_version=4)
    removed = sum(map(is_solution, nb.cells))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(without_solutions(nb), target)
    return removed


def _git_files(course: Path) -> list[str] | None:
    """The files git tracks in ``course`` (relative, POSIX), or None without git."""
    if not (course / ".git").exists() or shutil.which("git") is None:
        return None
    try:
        out = subprocess.run(
            # Untracked files too (not the ignored ones): a file not yet committed is part of
            # the course as it is.
            [
                "git",
                "-C",
                str(course),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted({f for f in out.decode().split("\0") if f and (course / f).is_file()})


def _walked_files(course: Path) -> list[str]:
    files = []
    for path in course.rglob("*"):
        rel = path.relative_to(course)
        skip = _UNTRACKED.intersection(rel.parts) or rel.parts[0].endswith(".egg-info")
        if path.is_file() and not skip:
            files.append(rel.as_posix())
    return files


def release_files(course: Path) -> list[str]:
    """The files of ``course`` that the student release holds (relative, POSIX, sorted):
    those git tracks (else every file but environments, caches and build products), without
    :data:`NOT_RELEASED`."""
    course = check.path("course", course)
    files = _git_files(course)
    files = _walked_files(course) if files is None else files
    return sorted(f for f in files if f.split("/")[0] not in NOT_RELEASED)


def _clear(out: Path) -> None:
    """Empty ``out`` if it is an earlier release; refuse any other non-empty folder."""
    if not out.exists():
        return
    if (out / MARKER).is_file():
        shutil.rmtree(out)
    elif any(out.iterdir()):
        raise ValueError(
            f"out must be an empty folder or an earlier student release, got {out}, "
            f"which holds other files (no {MARKER} in it)"
        )


def write_release(course: Path, out: Path) -> dict[str, int]:
    """Write the student release of checkout ``course`` into ``out``.

    Returns ``{notebook path: solution cells removed}`` for every notebook in it.
    """
    course, out = check.path("course", course).resolve(), check.path("out", out).resolve()
    if out == course or course in out.parents and out.parts[len(course.parts)] != "build":
        raise ValueError(f"out must be outside the course or under its build/, got {out}")
    _clear(out)
    out.mkdir(parents=True, exist_ok=True)
    removed = {}
    for rel in release_files(course):
        source, target = course / rel, out / rel
        if rel.endswith(".ipynb"):
            removed[rel] = student_notebook(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (out / MARKER).write_text("Written by python course.py student; replaced on the next run.\n")
    return removed
