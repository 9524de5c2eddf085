"""The course in two commands, on Linux, macOS and Windows alike (standard library only):

    python course.py lab     open the course in JupyterLab (first time: sets everything up)
    python course.py test    run every check: lint, unit and widget tests, notebooks, browser

(On Windows type ``py course.py lab``; where ``python`` is Python 2, ``python3 course.py lab``.)
This file parses on Python 3.7 and newer, so an older Python is told what to do instead.

The first run creates a virtual environment in ``.venv`` with the Python that runs this file,
installs the course into it, and reinstalls whenever pyproject.toml (or, with ``--locked``,
constraints.txt) changes. ``lab`` then brings your own copies in ``my-notebooks/`` up to date
(never overwriting your edits) and serves JupyterLab on 127.0.0.1 only, with a token.
``python course.py --help`` lists the other commands (sync, present, html, student, bench,
clean).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MINIMUM_PYTHON = (3, 10)
SUGGESTED_PYTHON = "3.12"
LOCK_FILE = "constraints.txt"
STAMP = ".course-installed.json"
#: What each command needs installed: [lab] to open the course, [lab,test] to check it,
#: [lab,test,deploy] for the deployment tests.
EXTRAS = {"lab": ("lab",), "test": ("lab", "test"), "deploy": ("lab", "test", "deploy")}
TEST_PARTS = ("lint", "unit", "notebooks", "browser")
#: Not part of a plain ``test``: Binder's files, the Colab cell and JupyterHub for a class,
#: which need repo2docker, JupyterHub and Node's configurable-http-proxy (README).
EXTRA_PARTS = ("deploy",)
IGNORED_BY_UNIT = ("browser", "benchmarks", "deploy")
# Tests run two at a time on two cores: a multithreaded BLAS would then fight itself for the
# cores and make the recurrent nets' small matrix products much slower (tests/benchmarks).
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def is_windows() -> bool:
    return sys.platform == "win32"


def venv_python(venv: Path) -> Path:
    """The environment's Python: Scripts\\python.exe on Windows, bin/python elsewhere."""
    if is_windows():
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def python_hint(command: str = "lab") -> str:
    """How to run this launcher with a newer Python on this platform."""
    if is_windows():  # the py launcher chooses among the installed Pythons
        return f"py -{SUGGESTED_PYTHON} course.py {command}"
    return f"python{SUGGESTED_PYTHON} course.py {command}"


def check_python(version: tuple[int, ...] | None = None) -> str | None:
    """None when ``version`` (default: this Python's) can run the course, else what to do."""
    version = tuple(sys.version_info) if version is None else tuple(version)
    if version[:2] >= MINIMUM_PYTHON:
        return None
    need = ".".join(map(str, MINIMUM_PYTHON))
    have = ".".join(map(str, version[:3]))
    return f"This course needs Python {need} or newer; this is Python {have}. Try: {python_hint()}"


def is_root() -> bool:
    """Whether we run as root (Unix only; Windows has no such user)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def run(cmd: list, env: dict | None = None) -> int:
    """Run ``cmd`` (no shell, so the same on every OS), echoing it first."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    try:
        return subprocess.call([str(c) for c in cmd], cwd=HERE, env=env)
    except KeyboardInterrupt:
        return 130


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def wanted_install(extras: tuple[str, ...], locked: bool) -> dict:
    """What the environment must hold: the extras, and the files the install came from."""
    return {
        "extras": sorted(extras),
        "pyproject": _digest(HERE / "pyproject.toml"),
        "constraints": _digest(HERE / LOCK_FILE) if locked else None,
    }


def _read_stamp(stamp: Path) -> dict:
    try:
        return json.loads(stamp.read_text())
    except (OSError, ValueError):
        return {}


def is_up_to_date(stamp: Path, want: dict) -> bool:
    """Whether the install recorded in ``stamp`` covers ``want`` (same files, extras a superset)."""
    have = _read_stamp(stamp)
    same_files = all(have.get(k) == want[k] for k in ("pyproject", "constraints"))
    return same_files and set(want["extras"]) <= set(have.get("extras", []))


def install_command(python: Path, extras: tuple[str, ...], locked: bool) -> list:
    """pip command installing the course (editable) with ``extras``, pinned when ``locked``."""
    cmd = [python, "-m", "pip", "install", "--quiet", "-e", f".[{','.join(extras)}]"]
    if locked:
        cmd += ["--constraint", LOCK_FILE]
    return cmd


def ensure_environment(venv: Path, command: str, locked: bool) -> Path:
    """Create ``venv`` if needed and install what ``command`` needs; returns its Python."""
    if locked and not (HERE / LOCK_FILE).exists():
        raise SystemExit(f"--locked needs {LOCK_FILE} beside course.py; it is not there.")
    python = venv_python(venv)
    if not python.exists():
        print(f"Creating the course's environment in {venv} (first time only).")
        if run([sys.executable, "-m", "venv", venv]) != 0 or not python.exists():
            raise SystemExit(
                "Could not create a virtual environment. On Debian/Ubuntu install the venv "
                "module first (sudo apt install python3-venv), then run this again."
            )
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    stamp = venv / STAMP
    want = wanted_install(EXTRAS[command], locked)
    if is_up_to_date(stamp, want):
        return python
    # Reinstall what was there too, so that every installed package follows the same files.
    extras = tuple(sorted(set(EXTRAS[command]) | set(_read_stamp(stamp).get("extras", []))))
    want["extras"] = list(extras)
    print(f"Installing the course with [{','.join(extras)}] (a few minutes the first time).")
    if run(install_command(python, extras, locked)) != 0:
        raise SystemExit("pip could not install the course; see its message above.")
    stamp.write_text(json.dumps(want))
    return python


def workspace(python: Path, *args) -> list:
    """The course's checkout tools (sync, present, html) on this checkout."""
    return [python, "-m", "course_lib.tools.workspace", "--course", HERE, *args]


def lab_command(python: Path, port: int, open_browser: bool = True) -> list:
    """JupyterLab on 127.0.0.1 only, with Jupyter's own token, opening notebook 00 of your copies.

    Jupyter refuses to run as root unless told; containers (Binder, CI) often are root.
    """
    cmd = [
        python,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={int(port)}",
        f"--ServerApp.root_dir={HERE}",
        f"--ServerApp.open_browser={open_browser}",
        "--LabApp.default_url=/lab/tree/my-notebooks/00_orientation.ipynb",
    ]
    return cmd + (["--allow-root"] if is_root() else [])


def test_commands(python: Path, parts: list[str], pytest_args: list[str]) -> list[list]:
    """The commands of ``python course.py test [PART ...]``, in order."""
    pytest = [python, "-m", "pytest"]
    commands = {
        "lint": [
            [python, "-m", "ruff", "check", "."],
            [python, "-m", "ruff", "format", "--check", "."],
        ],
        "unit": [[*pytest, "-n", "2", "tests", *(f"--ignore=tests/{d}" for d in IGNORED_BY_UNIT)]],
        "notebooks": [
            [
                *pytest,
                "-n",
                "2",
                "--dist",
                "loadfile",
                "--nbval-lax",
                "--nbval-current-env",
                "notebooks",
            ]
        ],
        # Real-browser tests (Chromium through Playwright); without Chromium they are skipped
        # and the summary says so; with CI set, a missing browser fails.
        "browser": [[*pytest, "tests/browser"]],
        "deploy": [[*pytest, "tests/deploy"]],
    }
    out = []
    for part in parts:
        for cmd in commands[part]:
            out.append(cmd + (pytest_args if "pytest" in cmd else []))
    return out


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The command and its options; what follows ``--`` goes to pytest (test, bench)."""
    extra: list[str] = []
    if "--" in argv:
        argv, extra = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--venv", type=Path, default=HERE / ".venv", help="default: .venv")
    common.add_argument(
        "--locked", action="store_true", help=f"install the exact versions in {LOCK_FILE}"
    )
    parser = argparse.ArgumentParser(
        prog="python course.py",
        description="The course in two commands: `lab` opens it, `test` checks everything.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=text, description=text, parents=[common])

    p_lab = command("lab", "set up if needed, sync my-notebooks/, open JupyterLab (127.0.0.1)")
    p_lab.add_argument("--port", type=int, default=8888)
    p_lab.add_argument("--no-browser", action="store_true", help="only print the link")
    p_test = command("test", "run the checks (default: all parts; pytest options after --)")
    p_test.add_argument("parts", nargs="*", metavar="PART", help=" ".join(TEST_PARTS + EXTRA_PARTS))
    p_setup = command("setup", "only create .venv and install (what lab or test needs)")
    p_setup.add_argument("needs", nargs="?", choices=sorted(EXTRAS), default="lab")
    command("sync", "copy new course notebooks into my-notebooks/ (never over your edits)")
    p_present = command("present", "show one notebook with Voila, without code, for a lecture")
    p_present.add_argument("notebook", help='a number ("02"), a name or a path')
    p_present.add_argument("--port", type=int, default=8866)
    p_html = command("html", "export every notebook, executed, to static HTML in build/html")
    p_html.add_argument(
        "--solutions", action="store_true", help="keep the solutions, folded (instructors)"
    )
    command("student", "write build/student: the course without the exercises' solutions")
    command("bench", "measure speed (tests/benchmarks; writes build/bench.txt)")
    command("clean", "remove the environment and build products")
    args = parser.parse_args(argv)
    known = TEST_PARTS + EXTRA_PARTS
    unknown = [p for p in getattr(args, "parts", []) if p not in known]
    if unknown:
        parser.error(f"test parts must be among {', '.join(known)}; got {', '.join(unknown)}")
    return args, extra


def main(argv: list[str] | None = None) -> int:
    problem = check_python()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    args, extra = parse(sys.argv[1:] if argv is None else argv)
    venv = args.venv if args.venv.is_absolute() else HERE / args.venv
    if args.command == "clean":
        for name in (
            venv,
            HERE / "build",
            *(HERE / n for n in (".pytest_cache", ".ruff_cache", ".hypothesis")),
        ):
            shutil.rmtree(name, ignore_errors=True)
        return 0
    needs = "test" if args.command in ("test", "bench") else getattr(args, "needs", "lab")
    if "deploy" in getattr(args, "parts", []):
        needs = "deploy"
    python = ensure_environment(venv, needs, args.locked)
    if args.command == "setup":
        return 0
    if args.command == "lab":
        status = run(workspace(python, "sync"))
        return status or run(lab_command(python, args.port, not args.no_browser))
    if args.command == "test":
        env = {**os.environ, **ONE_BLAS_THREAD}
        for cmd in test_commands(python, args.parts or list(TEST_PARTS), extra):
            status = run(cmd, env)
            if status:
                return status
        return 0
    if args.command == "sync":
        return run(workspace(python, "sync"))
    if args.command == "present":
        return run(workspace(python, "present", args.notebook, "--port", str(args.port)))
    if args.command == "html":
        solutions = ["--solutions"] if args.solutions else []
        return run(workspace(python, "html", "--out", HERE / "build" / "html", *solutions))
    if args.command == "student":
        return run(workspace(python, "student", "--out", HERE / "build" / "student"))
    if args.command == "bench":
        return run([python, "-m", "pytest", "tests/benchmarks", "-s", "-q", *extra])
    return 2


if __name__ == "__main__":
    sys.exit(main())
