"""Progress: every check records its verdict in the student's own copies (and only there),
and notebook 00's table and each notebook's line show it."""

from __future__ import annotations

import json
import types

import IPython
import numpy as np
import pytest

from course_lib.exercises import _feedback, nb01, progress
from course_lib.tools import workspace


@pytest.fixture
def copies(tmp_path, monkeypatch):
    """A folder of student copies (as sync makes it), the kernel's working directory."""
    (tmp_path / workspace.MANIFEST).write_text("{}")
    (tmp_path / "01_gradient_descent.ipynb").write_text("{}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def saved(folder):
    return json.loads((folder / progress.FILE).read_text())["notebooks"]


def test_the_marker_is_the_one_sync_writes():
    assert progress.WORKSPACE_MARKER == workspace.MANIFEST


def test_nothing_is_written_outside_the_students_copies(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert nb01.check_lr_threshold(0.2)
    assert list(tmp_path.iterdir()) == []
    assert "Notebook 01" not in capsys.readouterr().out
    assert progress.NOT_RECORDED in progress.table()


def test_a_right_then_a_wrong_answer_update_the_file_and_the_table(copies, capsys):
    assert nb01.check_lr_threshold(0.2)
    out = capsys.readouterr().out
    assert "Notebook 01: 1 of 4 exercises passed" in out
    entry = saved(copies)["01"]["check_lr_threshold"]
    assert entry["passed"] is True and entry["attempts"] == 1 and entry["passed_at"]
    assert entry["title"].startswith("the threshold of η")

    assert not nb01.check_lr_threshold(2.0)
    entry = saved(copies)["01"]["check_lr_threshold"]
    assert entry["passed"] is False and entry["attempts"] == 2 and entry["passed_at"]

    assert not nb01.check_gd_step(lambda w, b, eta, X, Y: (w, b))
    table = progress.table()
    row = next(line for line in table.splitlines() if line.startswith("| 01 gradient descent"))
    assert "| 1 of 4 |" in row
    assert "✅ `lr_threshold`" in row and "❌ `gd_step`" in row and "– `grad_b`" in row
    assert progress.LEGEND in table


def test_the_table_has_every_notebook_with_exercises_in_order():
    table = progress.table()
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0].startswith("| notebook")
    checks = progress.exercises()
    assert [r.split("|")[1].strip()[:2] for r in rows[1:]] == list(checks)
    assert checks["01"] == [
        "check_grad_b",
        "check_gd_step",
        "check_lr_threshold",
        "check_at_threshold",
    ]
    assert all(f"of {len(v)} |" in rows[i + 1] for i, v in enumerate(checks.values()))


def test_a_corrupted_file_is_set_aside_and_the_check_still_works(copies, capsys):
    (copies / progress.FILE).write_text("{ half a file")
    assert not nb01.check_lr_threshold(0.1)
    assert "not yet" in capsys.readouterr().out
    assert (copies / (progress.FILE + ".unreadable")).read_text() == "{ half a file"
    assert saved(copies)["01"]["check_lr_threshold"]["attempts"] == 1
    (copies / progress.FILE).write_text('{"notebooks": ["not", "a", "mapping"]}')
    assert "– `grad_b`" in progress.table()  # read as no progress


def test_a_missing_file_is_no_progress(copies):
    assert not (copies / progress.FILE).exists()
    assert "| 0 of 4 |" in progress.table()
    assert progress.status("01").data.startswith("Notebook 01: 0 of 4 exercises passed")


def test_a_failing_file_costs_the_record_not_the_check(copies, monkeypatch, capsys):
    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(progress, "_write", broken)
    assert nb01.check_lr_threshold(0.2)
    out = capsys.readouterr().out
    assert "correct" in out and "Traceback" not in out


def kernel_running(tags):
    kernel = types.SimpleNamespace(get_parent=lambda: {"metadata": {"tags": tags}})
    return lambda: types.SimpleNamespace(kernel=kernel)


def test_a_solution_cell_is_not_the_students_answer(copies, monkeypatch):
    monkeypatch.setattr(IPython, "get_ipython", kernel_running(["solution"]))
    assert nb01.check_lr_threshold(0.2)
    assert not (copies / progress.FILE).exists()
    monkeypatch.setattr(IPython, "get_ipython", kernel_running([]))
    assert nb01.check_lr_threshold(0.2)
    assert saved(copies)["01"]["check_lr_threshold"]["passed"]


def test_only_checks_of_exercise_modules_are_recorded(copies):
    with _feedback.Checker("a check written in a test") as c:
        c.close("x", np.array(1.0), np.array(1.0))
    assert c.report()
    assert not (copies / progress.FILE).exists()


def test_notebook_00_shows_the_table():
    path = next(progress.Path(__file__).parents[2].glob("notebooks/00_*.ipynb"))
    sources = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]
    assert any("progress.show()" in s for s in sources)
