"""Which exercises a student has passed: recorded by every check, shown in the notebooks.

Every ``check_…`` records its verdict (notebook, exercise, passed or not, when) in
``.course-progress.json`` beside the student's own copies, and only there: the file is
written when the kernel runs in a folder that ``workspace.sync`` manages (it holds
``.course-sync.json``, as ``my-notebooks/`` does), so the course's ``notebooks/``, the
package, the tests and CI never get one. A check run from a solution cell (JupyterLab sends
each cell's tags with its code) is not the student's answer and is not recorded. Nothing
here uses the network, and recording never raises: a problem with the file costs the record,
never the check.

In a notebook, :func:`show` displays the table for the whole course (notebook 00) and
:func:`status` one notebook's line (its exercise section).
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import re
import tempfile
import time
from pathlib import Path

#: The progress file, beside the student's copies.
FILE = ".course-progress.json"
#: What marks a folder of student copies: workspace.MANIFEST (tools are not imported here,
#: tests/unit/test_progress.py checks the two names agree).
WORKSPACE_MARKER = ".course-sync.json"
SOLUTION_TAG = "solution"
_CHECK_MODULE = re.compile(r"course_lib\.exercises\.nb(\d\d)$")
PASSED, NOT_YET, NOT_TRIED = "✅", "❌", "–"


def location(folder: Path | str | None = None) -> Path | None:
    """The progress file for ``folder`` (default: the current one, which in Jupyter is the
    notebook's), or None when ``folder`` is not a folder of student copies."""
    folder = Path.cwd() if folder is None else Path(folder)
    return folder / FILE if (folder / WORKSPACE_MARKER).is_file() else None


def read(path: Path | None) -> dict:
    """``{notebook: {check name: record}}`` from the file at ``path``; a missing file is no
    progress yet, and a file that cannot be read is set aside (renamed ``….unreadable``)
    rather than overwritten, and counts as no progress."""
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        results = data["notebooks"]
        if not all(isinstance(v, dict) for v in results.values()):
            raise ValueError("a notebook's results are not a mapping")
        return results
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        try:
            path.replace(path.with_name(path.name + ".unreadable"))
        except OSError:
            pass
        return {}


def _write(path: Path, results: dict) -> None:
    """Write atomically: a kernel stopped half-way leaves the old file, never half a file."""
    text = json.dumps({"format": 1, "notebooks": results}, indent=1, ensure_ascii=False)
    fd, tmp = tempfile.mkstemp(prefix=".course-progress-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def record(notebook: str, check: str, title: str, passed: bool, folder=None) -> Path | None:
    """Add one verdict; returns the file written, or None where nothing is recorded."""
    path = location(folder)
    if path is None:
        return None
    results = read(path)
    entry = results.setdefault(notebook, {}).setdefault(check, {"attempts": 0})
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    entry.update(title=title, passed=bool(passed), last=now, attempts=entry["attempts"] + 1)
    if passed and not entry.get("passed_at"):
        entry["passed_at"] = now
    _write(path, results)
    return path


def _in_solution_cell() -> bool:
    """Whether the code running now is a cell tagged as a solution (JupyterLab sends the
    cell's metadata with the request to run it; other front ends may not: then False)."""
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent() if kernel is not None else {}
        return SOLUTION_TAG in (parent.get("metadata") or {}).get("tags", [])
    except Exception:  # no IPython, an older kernel: not a solution cell as far as we know
        return False


def record_check(frame, title: str, passed: bool) -> str | None:
    """Record the verdict of the check whose frame is ``frame`` (``Checker.report``'s caller)
    and return the line to print under it; None where nothing is recorded. Never raises."""
    try:
        match = _CHECK_MODULE.match(frame.f_globals.get("__name__", ""))
        check = frame.f_code.co_name
        if not match or not check.startswith("check_") or location() is None:
            return None
        if _in_solution_cell():
            return None
        record(match.group(1), check, title, passed)
        return status_line(match.group(1))
    except Exception:  # the record is lost, the check's verdict is not
        return None


# -- what the notebooks show --------------------------------------------------------------


def exercises() -> dict[str, list[str]]:
    """``{notebook: [check names in the order of its module]}`` for every exercise module."""
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        match = re.fullmatch(r"nb(\d\d)", info.name)
        if not match:
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        checks = [
            (fn.__code__.co_firstlineno, name)
            for name, fn in inspect.getmembers(module, inspect.isfunction)
            if name.startswith("check_") and fn.__module__ == module.__name__
        ]
        found[match.group(1)] = [name for _, name in sorted(checks)]
    return dict(sorted(found.items()))


def _mark(entry: dict | None) -> str:
    if not entry:
        return NOT_TRIED
    return PASSED if entry.get("passed_at") else NOT_YET


def _name(check: str) -> str:
    return check.removeprefix("check_")


def status_line(notebook: str, folder=None) -> str:
    """'Notebook 01: 2 of 3 exercises passed (✅ grad_b, ✅ gd_step, ❌ max_stable_lr).'"""
    done = read(location(folder)).get(notebook, {})
    checks = exercises().get(notebook, [])
    passed = sum(bool(done.get(c, {}).get("passed_at")) for c in checks)
    marks = ", ".join(f"{_mark(done.get(c))} {_name(c)}" for c in checks)
    return f"Notebook {notebook}: {passed} of {len(checks)} exercises passed ({marks})."


LEGEND = (
    f"{PASSED} passed (at least once) · {NOT_YET} tried, not passed yet · {NOT_TRIED} not tried"
)
NOT_RECORDED = (
    "*Progress is recorded in your own copies of the notebooks (the folder `my-notebooks/` "
    "that `python course.py lab` opens); this notebook runs elsewhere, so nothing is "
    "recorded here.*"
)


def _titles(folder: Path) -> dict[str, str]:
    """``{"01": "01 gradient descent"}`` from the notebooks' file names in ``folder``."""
    names = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        if ".course-update" not in path.name:
            names.setdefault(path.name[:2], path.stem.replace("_", " "))
    return names


def table(folder=None) -> str:
    """The whole course's progress as a Markdown table, one row per notebook."""
    folder = Path.cwd() if folder is None else Path(folder)
    path = location(folder)
    results, titles = read(path), _titles(folder)
    rows = ["| notebook | passed | exercises |", "|---|---|---|"]
    for notebook, checks in exercises().items():
        done = results.get(notebook, {})
        passed = sum(bool(done.get(c, {}).get("passed_at")) for c in checks)
        marks = " · ".join(f"{_mark(done.get(c))} `{_name(c)}`" for c in checks)
        rows.append(f"| {titles.get(notebook, notebook)} | {passed} of {len(checks)} | {marks} |")
    note = LEGEND if path is not None else NOT_RECORDED
    return "\n".join(rows) + f"\n\n{note}"


def show(folder=None):
    """Notebook 00's view: the table, rendered."""
    from IPython.display import Markdown

    return Markdown(table(folder))


def status(notebook: str, folder=None):
    """One notebook's line for its exercise section, rendered."""
    from IPython.display import Markdown

    if location(folder) is None:
        return Markdown(NOT_RECORDED)
    return Markdown(status_line(notebook, folder))
