"""The student release (``python course.py student``) and ``make html``'s choice: no solution
reaches a student who is not meant to have it, and everything else still works.

Generic over the notebooks: the solutions are found by their tag, so exercises added later
are covered without touching these tests. Executing every student notebook is CI's newest
corner's job (.ci/run); here one is executed, and every notebook is checked statically for
a later cell that needs a name only a solution cell defines.
"""

from __future__ import annotations

import ast
import html
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from course_lib.tools import export, release, workspace

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
WITH_SOLUTIONS = [p for p in NOTEBOOKS if any(map(release.is_solution, nbformat.read(p, 4).cells))]


def solution_lines(nb) -> list[str]:
    """The lines of the solution cells that could only come from them (not blank, not a
    comment, not a bare call of a check, which the exercise cells also make)."""
    lines = []
    for cell in filter(release.is_solution, nb.cells):
        for line in cell.source.splitlines():
            text = line.strip()
            if len(text) > 12 and not text.startswith("#") and "check_" not in text:
                lines.append(text)
    return lines


def leaked(nb, lines: list[str]) -> list[str]:
    """The ``lines`` that appear anywhere in notebook ``nb`` (sources, outputs, metadata)."""
    text = json.dumps(nb, ensure_ascii=False)
    return [line for line in lines if json.dumps(line, ensure_ascii=False)[1:-1] in text]


def check_calls(cells) -> set[str]:
    return {
        m for c in cells if c.cell_type == "code" for m in re.findall(r"\b(check_\w+)\(", c.source)
    }


def test_there_are_solutions_to_remove():
    assert len(WITH_SOLUTIONS) >= 10


@pytest.mark.parametrize("path", WITH_SOLUTIONS, ids=lambda p: p.stem)
def test_student_notebook_has_no_solution_and_everything_else(path):
    nb = nbformat.read(path, as_version=4)
    student = release.without_solutions(nb)
    lines = solution_lines(nb)
    assert leaked(nb, lines) == lines  # the check finds them where they are
    assert not leaked(student, lines), "solution lines left in the student notebook"
    assert not any(map(release.is_solution, student.cells))
    kept = [c for c in nb.cells if not release.is_solution(c)]
    assert [c for c in student.cells if release.REMOVED_TAG not in c.metadata.get("tags", [])] == (
        kept
    )
    # One note per solution, where it was, with the solution's id and slide metadata.
    for before, after in zip(nb.cells, student.cells, strict=True):
        if release.is_solution(before):
            assert after.cell_type == "markdown" and after.source == release.REMOVED_NOTE
            assert after.id == before.id and after.metadata["slideshow"]["slide_type"] == "skip"
    nbformat.validate(student)


@pytest.mark.parametrize("path", WITH_SOLUTIONS, ids=lambda p: p.stem)
def test_exercise_cells_still_call_every_check(path):
    nb = nbformat.read(path, as_version=4)
    solved = check_calls(filter(release.is_solution, nb.cells))
    assert solved, "a solution cell calls no check"
    assert solved <= check_calls(release.without_solutions(nb).cells)


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell binds, its functions' parameters included; names it reads), from its
    Python source (IPython's magics and shell lines left out)."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    return bound, read


@pytest.mark.parametrize("path", WITH_SOLUTIONS, ids=lambda p: p.stem)
def test_no_later_cell_needs_a_name_only_a_solution_defines(path):
    nb = nbformat.read(path, as_version=4)
    only_in_solutions, bound_elsewhere, needed = set(), set(), set()
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        bound, read = _names(cell.source)
        if release.is_solution(cell):
            only_in_solutions |= bound
        else:
            bound_elsewhere |= bound
            needed |= read - bound
    missing = (only_in_solutions - bound_elsewhere) & needed
    assert not missing, f"cells outside the solutions use {sorted(missing)}"


def test_names_finder_sees_definitions_and_uses():
    bound, read = _names("%matplotlib widget\ndef f(x):\n    return g(x)\nimport numpy as np\n")
    assert {"f", "np", "x"} <= bound and "g" in read


def test_one_student_notebook_runs_top_to_bottom_with_its_checks(tmp_path):
    """The exercise cells run as a student who has not answered yet runs them: each check
    prints its feedback ("not yet") instead of failing the notebook. (The same run checks
    that its figures carry their descriptions.)"""
    path = next(p for p in NOTEBOOKS if p.name.startswith("01_"))
    nb = release.without_solutions(nbformat.read(path, as_version=4))
    export.execute(nb, cwd=path.parent)
    printed = "".join(
        out.get("text", "") for c in nb.cells if c.cell_type == "code" for out in c.outputs
    )
    assert printed.count(": not yet.") >= len(check_calls(nb.cells) - {"check_gradients"})
    assert "Traceback" not in printed
    # Every figure it shows carries a text description (plots.accessible): alt text on each
    # image, and a screen-reader output after each pyplot figure.
    outputs = [out for c in nb.cells if c.cell_type == "code" for out in c.outputs]
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert len(images) >= 4
    assert all(out.metadata["image/png"]["alt"].startswith("Figure: ") for out in images)
    spoken = [out for out in outputs if out.get("metadata", {}).get("course_figure_description")]
    explorers = [out for out in images if "static snapshot" in out.data["text/plain"]]
    assert len(spoken) == len(images) - len(explorers) > 0


@pytest.fixture(scope="module")
def student_tree(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "student"
    removed = release.write_release(REPO, out)
    assert sum(removed.values()) >= 2 * len(WITH_SOLUTIONS)
    return out


def test_release_is_the_course_without_tests_and_solutions(student_tree):
    for needed in ("course.py", "pyproject.toml", "README.md", "course_lib/exercises/nb01.py"):
        assert (student_tree / needed).is_file(), needed
    assert {p.name for p in (student_tree / "notebooks").glob("*.ipynb")} == {
        p.name for p in NOTEBOOKS
    }
    assert not (student_tree / "tests").exists() and not (student_tree / ".ci").exists()
    for path in NOTEBOOKS:
        full = nbformat.read(path, as_version=4)
        student = nbformat.read(student_tree / "notebooks" / path.name, as_version=4)
        assert not leaked(student, solution_lines(full)), path.name
    assert (student_tree / "course_lib" / "data" / "words.txt").is_file()  # package data too
    assert not list(student_tree.rglob("__pycache__"))


def test_release_replaces_its_own_folder_and_refuses_others(student_tree, tmp_path):
    (student_tree / "stale.txt").write_text("from an earlier release")
    release.write_release(REPO, student_tree)
    assert not (student_tree / "stale.txt").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("mine")
    with pytest.raises(ValueError, match="out must be an empty folder"):
        release.write_release(REPO, foreign)
    assert (foreign / "thesis.tex").read_text() == "mine"
    with pytest.raises(ValueError, match="out must be outside the course"):
        release.write_release(REPO, REPO / "notebooks")


def test_release_without_git_walks_the_folder(tmp_path):
    course = tmp_path / "course"
    for rel in ("notebooks/00_orientation.ipynb", "course.py", "tests/t.py", ".venv/x"):
        (course / rel).parent.mkdir(parents=True, exist_ok=True)
        (course / rel).write_text("x")
    assert release.release_files(course) == ["course.py", "notebooks/00_orientation.ipynb"]


def page_text(page: str) -> str:
    """The text of an HTML page as a reader sees it (tags removed, entities decoded), so
    that source split into highlighted tokens reads as the source again."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_default_html_has_no_solution_and_the_instructors_folds_them():
    path = next(p for p in NOTEBOOKS if p.name.startswith("01_"))
    nb = nbformat.read(path, as_version=4)  # not executed: the template is what is tested
    student = export.to_html(release.without_solutions(nb))
    instructor = export.to_html(nb)
    lines = solution_lines(nb)
    assert lines and all(line in page_text(instructor) for line in lines)  # the test can fail
    assert not any(line in page_text(student) for line in lines)
    assert "<details" not in student
    folds = instructor.split('<details class="course-solution">')[1:]
    assert len(folds) == sum(map(release.is_solution, nb.cells))
    inside = page_text("".join(fold.split("</details>")[0] for fold in folds))
    assert all(line in inside for line in lines)


def test_workspace_command_line_writes_the_release(tmp_path, capsys):
    out = tmp_path / "student"
    assert workspace.main(["--course", str(REPO), "student", "--out", str(out)]) == 0
    assert "solution cells left out" in capsys.readouterr().out
    assert (out / release.MARKER).is_file()


spec = importlib.util.spec_from_file_location("course_launcher", REPO / "course.py")
launcher = importlib.util.module_from_spec(spec)
spec.loader.exec_module(launcher)


def test_launcher_student_and_html_solutions(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(launcher, "run", lambda cmd, env=None: calls.append(cmd) or 0)
    monkeypatch.setattr(launcher, "ensure_environment", lambda *a: Path("py"))
    assert launcher.main(["student"]) == 0
    assert launcher.main(["html"]) == 0
    assert launcher.main(["html", "--solutions"]) == 0
    student, html, html_solutions = calls
    assert student[-3:] == ["student", "--out", launcher.HERE / "build" / "student"]
    assert html[-3] == "html" and "--solutions" not in html
    assert html_solutions[-1] == "--solutions"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("target", "expected"),
    [(["student"], "course.py student"), (["html", "SOLUTIONS=1"], "course.py html --solutions")],
)
def test_make_student_and_html_solutions(target, expected):
    dry = subprocess.run(
        ["make", "-n", *target], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert dry.split() == ["python3", *expected.split()]
