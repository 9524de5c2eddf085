"""The checkout tools find the course's notebooks explicitly: --course DIR, or the nearest
folder at or above the current one with notebooks/00_orientation.ipynb; nowhere else."""

from pathlib import Path

import pytest

from course_lib.tools import checkout, workspace


def make_course(root: Path) -> Path:
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "00_orientation.ipynb").write_text("{}")
    (root / "notebooks" / "01_gradient_descent.ipynb").write_text("{}")
    return root


def test_found_from_the_course_folder_and_below(tmp_path, monkeypatch):
    course = make_course(tmp_path / "course")
    (course / "my-notebooks" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(course / "my-notebooks" / "deeper")
    assert checkout.find() == course.resolve()
    assert checkout.find(start=course) == course.resolve()


def test_not_found_outside_a_checkout_says_how_to_name_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="--course DIR"):
        checkout.find()


def test_an_explicit_course_must_be_one(tmp_path):
    course = make_course(tmp_path / "course")
    assert checkout.find(course) == course.resolve()
    with pytest.raises(FileNotFoundError, match="course must be the course's folder"):
        checkout.find(tmp_path)  # its parent is not a checkout, even though one is inside


def test_sync_command_uses_the_named_course(tmp_path, monkeypatch, capsys):
    course = make_course(tmp_path / "course")
    monkeypatch.chdir(tmp_path)
    assert workspace.main(["--course", str(course), "sync"]) == 0
    assert (course / "my-notebooks" / "01_gradient_descent.ipynb").exists()
    assert "2 files, 2 changed" in capsys.readouterr().out


def test_sync_command_with_both_folders_needs_no_checkout(tmp_path, monkeypatch):
    course = make_course(tmp_path / "srv")
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "home" / "alice"
    args = ["sync", "--source", str(course / "notebooks"), "--target", str(home / "my-notebooks")]
    assert workspace.main(args) == 0
    assert (home / "my-notebooks" / "00_orientation.ipynb").exists()


def test_commands_outside_a_checkout_fail_with_a_message_not_a_traceback(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    for args in (["sync"], ["present", "01", "--no-browser"], ["html"]):
        assert workspace.main(args) == 2
        assert "no course checkout" in capsys.readouterr().err


def test_present_names_the_available_notebooks(tmp_path, capsys):
    course = make_course(tmp_path / "course")
    assert workspace.main(["--course", str(course), "present", "07", "--no-browser"]) == 2
    assert "available: 00_orientation, 01_gradient_descent" in capsys.readouterr().err


def test_no_maths_plots_or_widgets_module_imports_the_tools():
    """The tooling sits apart: course_lib.tools may import the rest, never the other way."""
    import ast

    package = Path(__file__).resolve().parents[2] / "course_lib"
    for path in package.rglob("*.py"):
        if "tools" in path.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [a.name for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any("tools" in n.split(".") for n in names), f"{path.name} imports {names}"
