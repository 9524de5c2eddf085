"""A student's edits survive `git pull` + `make lab` (which calls workspace.sync)."""

import json
from pathlib import Path

from course_lib.tools import workspace


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_sync_never_loses_student_edits(tmp_path):
    course, mine = tmp_path / "notebooks", tmp_path / "my-notebooks"
    write(course / "01_a.ipynb", "v1 of 01")
    write(course / "02_b.ipynb", "v1 of 02")
    assert workspace.sync(course, mine) == {"01_a.ipynb": "added", "02_b.ipynb": "added"}

    # The student edits 01; the course then changes both 01 and 02 and adds 03 (git pull).
    write(mine / "01_a.ipynb", "my notes in 01")
    write(course / "01_a.ipynb", "v2 of 01")
    write(course / "02_b.ipynb", "v2 of 02")
    write(course / "03_c.ipynb", "v1 of 03")
    report = workspace.sync(course, mine)

    assert (mine / "01_a.ipynb").read_text() == "my notes in 01"  # never overwritten
    assert (mine / "01_a.course-update.ipynb").read_text() == "v2 of 01"
    assert report["01_a.ipynb"].startswith("kept your version")
    assert (mine / "02_b.ipynb").read_text() == "v2 of 02"  # unedited: updated
    assert report["02_b.ipynb"] == "updated"
    assert (mine / "03_c.ipynb").read_text() == "v1 of 03"
    assert report["03_c.ipynb"] == "added"

    # Running again changes nothing and still keeps the edit.
    again = workspace.sync(course, mine)
    assert (mine / "01_a.ipynb").read_text() == "my notes in 01"
    assert again["02_b.ipynb"] == again["03_c.ipynb"] == "unchanged"


def test_an_edited_copy_of_an_unchanged_notebook_is_left_alone(tmp_path):
    course, mine = tmp_path / "notebooks", tmp_path / "my-notebooks"
    write(course / "01_a.ipynb", "v1")
    workspace.sync(course, mine)
    write(mine / "01_a.ipynb", "mine")
    report = workspace.sync(course, mine)
    assert (mine / "01_a.ipynb").read_text() == "mine"
    assert not (mine / "01_a.course-update.ipynb").exists()
    assert report["01_a.ipynb"].startswith("yours")


def test_deleted_copies_come_back_and_manifest_is_json(tmp_path):
    course, mine = tmp_path / "notebooks", tmp_path / "my-notebooks"
    write(course / "01_a.ipynb", "v1")
    write(course / "images" / "x.png", "png")
    workspace.sync(course, mine)
    (mine / "01_a.ipynb").unlink()
    assert workspace.sync(course, mine)["01_a.ipynb"] == "added"
    assert (mine / "images" / "x.png").exists()
    assert set(json.loads((mine / workspace.MANIFEST).read_text())) == {
        "01_a.ipynb",
        "images/x.png",
    }


def test_the_real_my_notebooks_folder_is_git_ignored():
    ignored = (Path(__file__).parents[2] / ".gitignore").read_text().split()
    assert "my-notebooks/" in ignored
