"""The student's workspace: personal copies of the notebooks that ``git pull`` never touches.

The course's notebooks live in ``notebooks/`` (tracked by git). ``make lab`` opens copies in
``my-notebooks/`` (git-ignored), made by :func:`sync`:

* a notebook the student does not have yet is copied in;
* a copy the student has not changed since it was copied is replaced by the new version;
* a copy the student has changed is never touched: the new version is written beside it
  as ``<name>.course-update.ipynb`` so the two can be compared.

Whether a copy was changed is decided by the SHA-256 of the file as it was copied, kept in
``my-notebooks/.course-sync.json``. Run as ``python -m course_lib.tools.workspace sync``
(from the course's folder, or with ``--course DIR``; ``--source``/``--target`` name any two
folders, as a JupyterHub server start does).

The same command line runs the other checkout tools: ``present`` (notebook shown with Voilà),
``html`` (static export) and ``student`` (the release without solutions, ``release``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

from . import checkout

MANIFEST = ".course-sync.json"
UPDATE_SUFFIX = ".course-update"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _course_files(source: Path) -> list[Path]:
    skip = {".ipynb_checkpoints", "__pycache__"}
    return sorted(p for p in source.rglob("*") if p.is_file() and not skip.intersection(p.parts))


def sync(source: Path, target: Path) -> dict[str, str]:
    """Bring ``target`` up to date with ``source`` without losing any edit made in ``target``.

    Returns ``{relative path: what happened}`` for every course file: "added", "updated",
    "unchanged", "yours (edited; ...)" or "kept your version; ..." (the course's new version
    saved beside it).
    """
    source, target = Path(source), Path(target)
    if not source.is_dir():
        raise ValueError(f"source must be a directory of notebooks, got {source}")
    target.mkdir(parents=True, exist_ok=True)
    manifest_path = target / MANIFEST
    copied = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    report = {}
    for src in _course_files(source):
        rel = src.relative_to(source).as_posix()
        dst = target / rel
        new = _digest(src)
        if not dst.exists():
            action = "added"
        elif _digest(dst) == new:
            action = "unchanged"
        elif copied.get(rel) == new:
            report[rel] = "yours (edited; the course has not changed it)"
            continue
        elif _digest(dst) == copied.get(rel):
            action = "updated"  # the student never edited this copy
        else:
            side = dst.with_name(dst.stem + UPDATE_SUFFIX + dst.suffix)
            shutil.copyfile(src, side)
            report[rel] = f"kept your version; the course's new version is {side.name}"
            continue
        if action != "unchanged":
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
        copied[rel] = new
        report[rel] = action
    manifest_path.write_text(json.dumps(copied, indent=1, sort_keys=True))
    return report


def _print_sync(report: dict[str, str], target: Path) -> None:
    changes = {k: v for k, v in report.items() if v in ("added", "updated") or v.startswith("kept")}
    print(f"Your notebooks are in {target}: {len(report)} files, {len(changes)} changed.")
    for rel, action in changes.items():
        print(f"  {rel}: {action}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.tools.workspace", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--course", type=Path, help="the course's folder (default: found from the current one)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_sync = sub.add_parser("sync", help="copy new course notebooks into my-notebooks/")
    p_sync.add_argument("--source", type=Path, help="default: the course's notebooks/")
    p_sync.add_argument("--target", type=Path, help="default: the course's my-notebooks/")
    p_present = sub.add_parser("present", help="show one notebook with Voila, without code")
    p_present.add_argument("notebook", help='a number ("02"), a name or a path')
    p_present.add_argument("--port", type=int, default=8866)
    p_present.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p_html = sub.add_parser("html", help="export every notebook, executed, to static HTML")
    p_html.add_argument("--out", type=Path, help="default: the course's build/html")
    p_html.add_argument("notebooks", nargs="*", type=Path, help="default: all of notebooks/")
    p_html.add_argument(
        "--solutions", action="store_true", help="keep the solutions, folded (for instructors)"
    )
    p_student = sub.add_parser("student", help="write the student release (no solutions)")
    p_student.add_argument("--out", type=Path, help="default: the course's build/student")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except (FileNotFoundError, ValueError) as exc:  # no checkout, or an NB that names none
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    explicit = args.command == "sync" and args.source and args.target
    course = None if explicit else checkout.find(args.course)
    if args.command == "sync":
        source = args.source or course / checkout.NOTEBOOKS
        target = args.target or course / checkout.STUDENT_COPIES
        _print_sync(sync(source, target), target)
    elif args.command == "present":
        from .present import present

        return present(
            args.notebook, args.port, course / checkout.NOTEBOOKS, open_browser=not args.no_browser
        )
    elif args.command == "html":
        from .export import export_all

        notebooks = args.notebooks or sorted((course / checkout.NOTEBOOKS).glob("*.ipynb"))
        out = args.out or course / "build" / "html"
        pages = export_all(out, notebooks, solutions=args.solutions)
        kept = "with their solutions folded" if args.solutions else "without solutions"
        print(f"Wrote {len(pages)} notebooks ({kept}) and index.html to {out}")
    elif args.command == "student":
        from .release import write_release

        out = args.out or course / "build" / "student"
        removed = write_release(course, out)
        print(
            f"Wrote the student release to {out}: {len(removed)} notebooks, "
            f"{sum(removed.values())} solution cells left out."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
