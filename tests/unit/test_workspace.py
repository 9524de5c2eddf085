"""A student's work survives `git pull` + `make lab` (which calls workspace.sync), and the
course's updates reach their copies: unchanged sources are updated, edited ones merged three
ways (nbdime) with the version they were copied from, real conflicts left for the student."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_lib.tools import merge, workspace

REPO = Path(__file__).resolve().parents[2]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def course_v1():
    """A notebook shaped like the course's: prose, code, an exercise and its check."""
    cells = [
        new_markdown_cell("# 01 · A notebook\n\nWhat you will learn."),
        new_code_cell("import numpy as np\nx = np.arange(3)"),
        new_markdown_cell("## 1 · A section\n\nSome teaching text with a typpo."),
        new_code_cell("print(x.sum())"),
        new_markdown_cell("## Exercises\n\nWrite `double(v)`."),
        new_code_cell("def double(v):\n    # Your code here.\n    return None\n\n\ncheck(double)"),
        new_markdown_cell("## Summary\n\nThat was it."),
    ]
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i}"
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )


def save(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def load(path: Path):
    return nbformat.read(path, as_version=4)


def texts(nb) -> list[str]:
    return [c.source for c in nb.cells]


def ran(nb):
    """``nb`` as JupyterLab saves it after Run All: outputs, counts, metadata, no edit."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
        cell.outputs = [new_output("stream", name="stdout", text=f"output {n}\n")]
    nb.cells[1].metadata["collapsed"] = False
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


@pytest.fixture
def folders(tmp_path):
    course, mine = tmp_path / "notebooks", tmp_path / "my-notebooks"
    save(course_v1(), course / "01_a.ipynb")
    assert workspace.sync(course, mine) == {"01_a.ipynb": "added"}
    return course, mine


def course_update(course: Path, change) -> None:
    nb = load(course / "01_a.ipynb")
    change(nb)
    save(nb, course / "01_a.ipynb")


def fix_typo(nb):
    nb.cells[2].source = nb.cells[2].source.replace("typpo", "typo")


def test_a_copy_that_was_only_run_is_updated_in_place(folders):
    course, mine = folders
    save(ran(load(mine / "01_a.ipynb")), mine / "01_a.ipynb")
    course_update(course, fix_typo)
    report = workspace.sync(course, mine)
    assert report["01_a.ipynb"].startswith("updated")
    assert (mine / "01_a.ipynb").read_bytes() == (course / "01_a.ipynb").read_bytes()
    assert not (mine / "01_a.course-update.ipynb").exists()
    assert workspace.sync(course, mine)["01_a.ipynb"] == "unchanged"


def test_edits_elsewhere_are_merged_and_the_copy_before_is_kept(folders):
    course, mine = folders
    copy = ran(load(mine / "01_a.ipynb"))
    copy.cells[5].source = "def double(v):\n    return 2 * v\n\n\ncheck(double)"
    copy.cells.insert(4, new_markdown_cell("My note: sum is 3."))
    save(copy, mine / "01_a.ipynb")
    before = (mine / "01_a.ipynb").read_bytes()

    def update(nb):
        fix_typo(nb)
        nb.cells.insert(6, new_markdown_cell("### Exercise 2 · New"))

    course_update(course, update)
    report = workspace.sync(course, mine)["01_a.ipynb"]
    assert report.startswith("merged")
    merged = load(mine / "01_a.ipynb")
    assert "a typo." in merged.cells[2].source  # the course's fix, in a cell not touched
    assert "return 2 * v" in texts(merged)[6]  # the student's answer
    assert "My note: sum is 3." in texts(merged)  # the student's own cell
    assert "### Exercise 2 · New" in texts(merged)  # the course's new cell
    assert merged.cells[3].outputs[0]["text"] == "output 1\n"  # their run's outputs stay
    assert "widgets" in merged.metadata
    backup = mine / report.split("your copy before: ")[1].rstrip(")")
    assert backup.parent.name == workspace.BACKUPS and backup.read_bytes() == before
    assert workspace.sync(course, mine)["01_a.ipynb"].startswith("yours")


def test_a_real_conflict_leaves_the_copy_and_names_the_cell(folders, capsys):
    course, mine = folders
    copy = load(mine / "01_a.ipynb")
    copy.cells[3].source = "print(x.sum() + 1)  # mine"
    save(copy, mine / "01_a.ipynb")
    before = (mine / "01_a.ipynb").read_bytes()
    course_update(course, lambda nb: setattr(nb.cells[3], "source", "print(x.sum(), x.max())"))
    course_update(course, fix_typo)  # a change elsewhere is not merged either
    for _ in range(2):  # and a second sync does not change that
        report = workspace.sync(course, mine)["01_a.ipynb"]
        assert report.startswith("kept your version: you and the course both changed cell 4")
        assert "`print(x.sum())`" in report
        assert (mine / "01_a.ipynb").read_bytes() == before
        side = mine / "01_a.course-update.ipynb"
        assert side.read_bytes() == (course / "01_a.ipynb").read_bytes()
    workspace._print_sync({"01_a.ipynb": report}, mine)
    assert "cell 4 (`print(x.sum())`)" in capsys.readouterr().out

    # The student settles it by taking the course's line: now the rest merges.
    copy.cells[3].source = "print(x.sum(), x.max())"
    save(copy, mine / "01_a.ipynb")
    assert workspace.sync(course, mine)["01_a.ipynb"].startswith("merged")
    assert "a typo." in load(mine / "01_a.ipynb").cells[2].source
    assert not side.exists()  # no stale update beside it


def test_deleted_cells(folders):
    course, mine = folders
    copy = load(mine / "01_a.ipynb")
    del copy.cells[3]  # the student deletes a cell the course does not change
    save(copy, mine / "01_a.ipynb")
    course_update(course, fix_typo)
    assert workspace.sync(course, mine)["01_a.ipynb"].startswith("merged")
    merged = load(mine / "01_a.ipynb")
    assert "print(x.sum())" not in texts(merged) and "a typo." in merged.cells[2].source

    # ... and one the course then changes: a conflict.
    copy = load(mine / "01_a.ipynb")
    del copy.cells[2]
    save(copy, mine / "01_a.ipynb")
    course_update(course, lambda nb: setattr(nb.cells[2], "source", "## 1 · Rewritten"))
    report = workspace.sync(course, mine)["01_a.ipynb"]
    assert report.startswith("kept your version") and "cell 3 (`## 1 · A section`)" in report


def test_a_deleted_copy_comes_back(folders):
    course, mine = folders
    (mine / "01_a.ipynb").unlink()
    assert workspace.sync(course, mine)["01_a.ipynb"].startswith("added again")
    assert (mine / "01_a.ipynb").read_bytes() == (course / "01_a.ipynb").read_bytes()


def test_a_copy_the_student_renamed_is_left_and_a_fresh_one_added(folders):
    course, mine = folders
    copy = load(mine / "01_a.ipynb")
    copy.cells[5].source = "def double(v):\n    return v + v"
    save(copy, mine / "01_mine.ipynb")
    (mine / "01_a.ipynb").unlink()
    course_update(course, fix_typo)
    report = workspace.sync(course, mine)
    assert report["01_a.ipynb"].startswith("added again")
    assert "return v + v" in load(mine / "01_mine.ipynb").cells[5].source
    assert "01_mine.ipynb" not in report


def test_a_notebook_the_course_renamed_gets_the_students_edits(folders):
    course, mine = folders
    copy = ran(load(mine / "01_a.ipynb"))
    copy.cells[5].source = "def double(v):\n    return 2 * v"
    save(copy, mine / "01_a.ipynb")
    before = (mine / "01_a.ipynb").read_bytes()
    nb = load(course / "01_a.ipynb")
    fix_typo(nb)
    (course / "01_a.ipynb").unlink()
    save(nb, course / "01_renamed.ipynb")
    report = workspace.sync(course, mine)
    assert report["01_renamed.ipynb"].startswith("added with your edits in 01_a.ipynb merged in")
    assert report["01_a.ipynb"].startswith("renamed by the course to 01_renamed.ipynb")
    new = load(mine / "01_renamed.ipynb")
    assert "return 2 * v" in new.cells[5].source and "a typo." in new.cells[2].source
    assert (mine / "01_a.ipynb").read_bytes() == before
    assert set(workspace.read_manifest(mine)) == {"01_renamed.ipynb"}
    assert workspace.sync(course, mine)["01_renamed.ipynb"].startswith("yours")


def test_an_unrelated_new_notebook_is_not_taken_for_a_rename(folders):
    course, mine = folders
    (course / "01_a.ipynb").unlink()
    save(new_notebook(cells=[new_markdown_cell("# Other")]), course / "02_b.ipynb")
    report = workspace.sync(course, mine)
    assert report == {
        "02_b.ipynb": "added",
        "01_a.ipynb": "no longer in the course; your copy is left as it is",
    }


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def first_format(mine: Path, copied: dict) -> None:
    """The manifest as the first version of sync wrote it: fingerprints, no bases."""
    shutil.rmtree(mine / workspace.BASES, ignore_errors=True)
    (mine / workspace.MANIFEST).write_text(json.dumps(copied))


def git_course(tmp_path):
    """A course checkout in git with two notebooks at version 1 committed, and a function
    that commits the course's later changes."""
    repo = tmp_path / "course"
    course = repo / "notebooks"
    save(course_v1(), course / "01_a.ipynb")
    save(course_v1(), course / "02_b.ipynb")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    return course, lambda: subprocess.run([*git, "commit", "-qam", "v2"], check=True)


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_migration_from_the_first_manifest_format(tmp_path):
    """The first sync kept fingerprints only. After `git pull` the bases come from the
    course's git history: a copy that was only run is updated, not put beside."""
    course, commit = git_course(tmp_path)
    mine = tmp_path / "my-notebooks"
    shutil.copytree(course, mine)
    first_format(mine, {r: sha(course / r) for r in ("01_a.ipynb", "02_b.ipynb")})
    save(ran(course_v1()), mine / "01_a.ipynb")  # only run
    edited = course_v1()
    edited.cells[5].source = "def double(v):\n    return 2 * v"
    save(edited, mine / "02_b.ipynb")  # edited
    course_update(course, fix_typo)  # git pull brings a change to 01 only
    commit()
    report = workspace.sync(course, mine)
    assert report["01_a.ipynb"].startswith("updated")
    assert report["02_b.ipynb"].startswith("yours")
    assert json.loads((mine / workspace.MANIFEST).read_text())["format"] == 2
    assert (mine / workspace.BASES / "02_b.ipynb").is_file()  # its base is now kept


@needs_git
def test_migration_finds_the_base_in_git_history_else_keeps_the_copy(tmp_path):
    course, commit = git_course(tmp_path)
    mine = tmp_path / "my-notebooks"
    copy = course_v1()
    copy.cells[5].source = "def double(v):\n    return 2 * v"
    save(copy, mine / "01_a.ipynb")
    first_format(mine, {"01_a.ipynb": sha(course / "01_a.ipynb")})
    course_update(course, fix_typo)
    commit()
    report = workspace.sync(course, mine)["01_a.ipynb"]
    assert report.startswith("merged")
    merged = load(mine / "01_a.ipynb")
    assert "return 2 * v" in merged.cells[5].source and "a typo." in merged.cells[2].source

    # Without the history the base is unknown: the copy is kept, the update put beside it.
    shutil.rmtree(course.parent / ".git")
    save(copy, mine / "01_a.ipynb")
    first_format(mine, {"01_a.ipynb": "0" * 64})
    report = workspace.sync(course, mine)["01_a.ipynb"]
    assert report.startswith("kept your version; the version it was copied from is not known")
    assert load(mine / "01_a.ipynb").cells[5].source == copy.cells[5].source
    assert (mine / "01_a.course-update.ipynb").exists()


def test_other_files_and_broken_copies_are_compared_as_bytes(tmp_path):
    course, mine = tmp_path / "notebooks", tmp_path / "my-notebooks"
    write(course / "images" / "x.png", "png v1")
    save(course_v1(), course / "01_a.ipynb")
    workspace.sync(course, mine)
    write(mine / "01_a.ipynb", "{ not a notebook any more")
    write(course / "images" / "x.png", "png v2")
    course_update(course, fix_typo)
    report = workspace.sync(course, mine)
    assert report["images/x.png"] == "updated"
    assert report["01_a.ipynb"].startswith("kept your version")
    assert (mine / "01_a.ipynb").read_text() == "{ not a notebook any more"


def test_a_corrupted_manifest_loses_nothing(folders):
    course, mine = folders
    copy = load(mine / "01_a.ipynb")
    copy.cells[5].source = "mine"
    save(copy, mine / "01_a.ipynb")
    (mine / workspace.MANIFEST).write_text("{ corrupted")
    course_update(course, fix_typo)
    report = workspace.sync(course, mine)["01_a.ipynb"]
    assert report.startswith("kept your version")
    assert load(mine / "01_a.ipynb").cells[5].source == "mine"


def test_a_real_course_notebook_with_an_answer_and_a_course_fix(tmp_path):
    """Notebook 01 as the course ships it: the student answers exercise 1 and runs it; the
    course then rewrites a paragraph. The merge keeps the answer and takes the paragraph."""
    course, mine = tmp_path / "notebooks", tmp_path / "my-notebooks"
    original = next((REPO / "notebooks").glob("01_*.ipynb"))
    shutil.copy(original, course.mkdir() or course / "01.ipynb")
    workspace.sync(course, mine)
    copy = ran(load(mine / "01.ipynb"))
    exercise = next(i for i, c in enumerate(copy.cells) if "def grad_b(" in c.source)
    copy.cells[exercise].source = copy.cells[exercise].source.replace(
        "    return None",
        "    f = 1 / (1 + np.exp(-(w * X + b)))\n    return np.sum((f - Y) * f * (1 - f))",
    )
    save(copy, mine / "01.ipynb")
    nb = load(course / "01.ipynb")
    nb.cells[0].source += "\n\nA sentence the course added."
    save(nb, course / "01.ipynb")
    assert workspace.sync(course, mine)["01.ipynb"].startswith("merged")
    merged = load(mine / "01.ipynb")
    assert merged.cells[0].source.endswith("A sentence the course added.")
    assert "return np.sum((f - Y) * f * (1 - f))" in merged.cells[exercise].source
    assert len(merged.cells) == len(nb.cells)
    nbformat.validate(merged)


def test_merge_rules_cell_by_cell():
    base = course_v1()

    def changed(edit):
        nb = nbformat.from_dict(json.loads(json.dumps(base)))
        edit(nb)
        return nb

    def both_insert(nb, text):
        nb.cells.insert(4, new_code_cell(text))

    result = merge.merge(
        base, changed(lambda nb: both_insert(nb, "mine")), changed(lambda nb: both_insert(nb, "c"))
    )
    assert texts(result.notebook)[4:6] == ["mine", "c"]  # both kept, the student's first
    tags = merge.merge(
        base,
        changed(lambda nb: nb.cells[3].metadata.update(tags=["mine"], collapsed=True)),
        changed(lambda nb: nb.cells[3].metadata.update(tags=["course"])),
    )
    assert tags.notebook.cells[3].metadata == {"tags": ["course"], "collapsed": True}
    same = merge.merge(base, changed(fix_typo), changed(fix_typo))
    assert same.conflicts == [] and "a typo." in same.notebook.cells[2].source


def test_the_real_my_notebooks_folder_is_git_ignored():
    ignored = (Path(__file__).parents[2] / ".gitignore").read_text().split()
    assert "my-notebooks/" in ignored
