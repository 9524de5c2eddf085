"""The launcher course.py: the same two commands on Linux, macOS and Windows.

Its platform logic is checked here with the platform patched (a Windows venv's Scripts\\
folder, the py launcher, no root user, no make); the commands it would run are recorded
instead of run, so no server starts and nothing is installed.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("course_launcher", REPO / "course.py")
course = importlib.util.module_from_spec(spec)
spec.loader.exec_module(course)

PLATFORMS = ["linux", "darwin", "win32"]


@pytest.fixture(params=PLATFORMS)
def platform(request, monkeypatch):
    monkeypatch.setattr(sys, "platform", request.param)
    if request.param == "win32":
        monkeypatch.delattr(os, "geteuid", raising=False)  # Windows has no Unix user ids
    return request.param


@pytest.fixture
def recorded(monkeypatch):
    """The commands the launcher runs, recorded instead of run (each "succeeds")."""
    calls = []
    monkeypatch.setattr(course, "run", lambda cmd, env=None: calls.append((cmd, env)) or 0)
    return calls


def installed_venv(tmp_path, extras=("lab", "test"), locked=False) -> Path:
    """A venv folder whose stamp says the course is installed as it is now (no pip run)."""
    venv = tmp_path / "venv"
    python = course.venv_python(venv)
    python.parent.mkdir(parents=True)
    python.write_text("")
    (venv / course.STAMP).write_text(json.dumps(course.wanted_install(extras, locked)))
    return venv


def test_venv_layout_follows_the_platform(platform):
    parts = course.venv_python(Path(".venv")).parts
    expected = ("Scripts", "python.exe") if platform == "win32" else ("bin", "python")
    assert parts == (".venv", *expected)


def test_too_old_python_gets_the_platforms_way_to_a_newer_one(platform):
    message = course.check_python((3, 9, 18))
    assert "Python 3.10 or newer" in message and "Python 3.9.18" in message
    if platform == "win32":
        assert "py -3.12 course.py lab" in message
    else:
        assert "python3.12 course.py lab" in message
    assert course.check_python((3, 10, 0)) is None
    assert course.check_python((3, 13, 0, "final", 0)) is None


def old_pythons():
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    return sorted(root.glob("3.[7-9].*/bin/python"))[:1]  # course.py parses from 3.7 on


@pytest.mark.skipif(not old_pythons(), reason="no Python older than 3.10 installed (pyenv)")
def test_an_old_python_runs_the_launcher_far_enough_to_say_so():
    """The launcher parses on Pythons from 3.7 on, so the student reads advice, not a
    SyntaxError."""
    done = subprocess.run(
        [str(old_pythons()[0]), str(REPO / "course.py"), "lab"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "needs Python 3.10 or newer" in done.stderr and "Traceback" not in done.stderr


def test_lab_is_loopback_with_a_token_and_opens_the_students_notebook_00(platform):
    cmd = [str(c) for c in course.lab_command(Path("py"), 8890)]
    assert cmd[:3] == ["py", "-m", "jupyterlab"]  # no jupyter script: same on every OS
    assert "--ServerApp.ip=127.0.0.1" in cmd and "--ServerApp.port=8890" in cmd
    assert "--LabApp.default_url=/lab/tree/my-notebooks/00_orientation.ipynb" in cmd
    for part in cmd:  # Jupyter's own token stays on; nothing opens the server wider
        for unsafe in ("0.0.0.0", "token", "password", "disable_check_xsrf"):
            assert unsafe not in part.lower(), part


def test_allow_root_only_for_root_on_unix(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    assert "--allow-root" in course.lab_command(Path("py"), 8888)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert "--allow-root" not in course.lab_command(Path("py"), 8888)
    monkeypatch.delattr(os, "geteuid")  # Windows
    assert "--allow-root" not in course.lab_command(Path("py"), 8888)


def test_lab_syncs_the_students_copies_before_the_server_starts(
    platform, tmp_path, recorded, monkeypatch
):
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no make, no jupyter on PATH
    venv = installed_venv(tmp_path)
    assert course.main(["lab", "--venv", str(venv), "--no-browser"]) == 0
    (sync, _), (lab, _) = recorded
    python = course.venv_python(venv)
    assert sync[0] == lab[0] == python
    assert sync[1:4] == ["-m", "course_lib.tools.workspace", "--course"] and sync[-1] == "sync"
    assert lab[1:3] == ["-m", "jupyterlab"]


def test_test_runs_the_four_parts_with_the_venv_python_and_one_blas_thread(
    platform, tmp_path, recorded
):
    venv = installed_venv(tmp_path)
    assert course.main(["test", "--venv", str(venv)]) == 0
    python = course.venv_python(venv)
    assert all(cmd[0] == python for cmd, _ in recorded)
    modules = [cmd[2] for cmd, _ in recorded]
    assert modules == ["ruff", "ruff", "pytest", "pytest", "pytest"]
    unit, notebooks, browser = (cmd[3:] for cmd, _ in recorded[2:])
    assert "tests" in unit and "--ignore=tests/browser" in unit and "-n" in unit
    assert "--nbval-lax" in notebooks and "notebooks" in notebooks
    assert browser == ["tests/browser"]
    assert all(env["OPENBLAS_NUM_THREADS"] == "1" for _, env in recorded)


def test_test_parts_and_pytest_options_pass_through(tmp_path, recorded):
    venv = installed_venv(tmp_path)
    assert course.main(["test", "unit", "--venv", str(venv), "--", "-k", "sync", "-x"]) == 0
    [(cmd, _)] = recorded
    assert cmd[-3:] == ["-k", "sync", "-x"]
    with pytest.raises(SystemExit):
        course.main(["test", "everything", "--venv", str(venv)])


def test_a_failing_part_stops_the_run_with_its_status(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(course, "run", lambda cmd, env=None: calls.append(cmd) or 3)
    assert course.main(["test", "--venv", str(installed_venv(tmp_path))]) == 3
    assert len(calls) == 1


def test_install_is_redone_only_when_needed(tmp_path, recorded):
    venv = installed_venv(tmp_path, extras=("lab",))
    course.ensure_environment(venv, "lab", locked=False)
    assert recorded == []  # up to date
    course.ensure_environment(venv, "test", locked=False)
    [(install, _)] = recorded
    assert install[-2:] == ["-e", ".[lab,test]"]
    recorded.clear()
    course.ensure_environment(venv, "lab", locked=False)  # [lab] is part of [lab,test]
    assert recorded == []


def test_a_changed_pyproject_reinstalls(tmp_path, recorded):
    venv = installed_venv(tmp_path)
    stamp = json.loads((venv / course.STAMP).read_text())
    (venv / course.STAMP).write_text(json.dumps({**stamp, "pyproject": "an older one"}))
    course.ensure_environment(venv, "lab", locked=False)
    assert len(recorded) == 1


def test_locked_installs_with_the_constraints_file(tmp_path, recorded):
    assert (REPO / course.LOCK_FILE).exists()
    venv = installed_venv(tmp_path)
    course.ensure_environment(venv, "lab", locked=True)
    [(install, _)] = recorded
    assert install[-2:] == ["--constraint", course.LOCK_FILE]
    assert ".[lab,test]" in install  # keeps what was installed


def test_a_new_environment_is_made_with_the_running_python(tmp_path, monkeypatch, platform):
    calls = []

    def fake_run(cmd, env=None):
        calls.append(cmd)
        if cmd[1:3] == ["-m", "venv"]:  # what `python -m venv` makes on this platform
            python = course.venv_python(Path(cmd[3]))
            python.parent.mkdir(parents=True)
            python.write_text("")
        return 0

    monkeypatch.setattr(course, "run", fake_run)
    venv = tmp_path / "fresh"
    python = course.ensure_environment(venv, "lab", locked=False)
    assert calls[0] == [sys.executable, "-m", "venv", venv]
    assert calls[1][:4] == [python, "-m", "pip", "install"]  # pip upgraded, then the course
    assert calls[2][-2:] == ["-e", ".[lab]"]
    assert python == course.venv_python(venv)


def test_clean_removes_the_environment(tmp_path):
    venv = installed_venv(tmp_path)
    assert course.main(["clean", "--venv", str(venv)]) == 0
    assert not venv.exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (["lab"], "course.py lab --port 8888"),
        (["lab", "PORT=8890", "LOCKED=1"], "course.py lab --port 8890 --locked"),
        (["test"], "course.py test"),
        (["unit"], "course.py test unit"),
        (["notebooks"], "course.py test notebooks"),
        (["present", "NB=05"], "course.py present 05 --port 8866"),
        (["html"], "course.py html"),
        (["sync"], "course.py sync"),
    ],
)
def test_make_targets_are_aliases_of_the_launcher(target, expected):
    # Under `make test`, make's variables reach this child make, which would then print
    # "Entering directory" lines and inherit the parent's flags: give it a clean environment.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    dry = subprocess.run(
        ["make", "-n", *target], cwd=REPO, capture_output=True, text=True, check=True, env=env
    ).stdout
    assert dry.split() == ["python3", *expected.split()]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(
    "path", ["notebooks/00_orientation.ipynb", "course.py", ".ci/run", "binder/postBuild"]
)
def test_notebooks_and_scripts_stay_lf_on_every_os(path):
    attrs = subprocess.run(
        ["git", "check-attr", "eol", "text", "--", path],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if attrs.returncode != 0:
        pytest.skip("not a git checkout")
    assert f"{path}: eol: lf" in attrs.stdout and f"{path}: text: set" in attrs.stdout
