"""The student's workspace: personal copies of the notebooks that ``git pull`` never touches.

The course's notebooks live in ``notebooks/`` (tracked by git). ``make lab`` opens copies in
``my-notebooks/`` (git-ignored), made by :func:`sync`:

* a notebook the student does not have yet is copied in;
* a copy the student has not changed since it was copied is replaced by the new version;
* a copy the student has changed is never touched: the new version is written beside it
  as ``<name>.course-update.ipynb`` so the two can be compared.

Whether a copy was changed is decided by the SHA-256 of the file as it was copied, kept in
``my-notebooks/.course-sync.json``. Run as ``python -m course_lib.workspace sync``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

from . import ROOT

SOURCE = ROOT / "notebooks"
TARGET = ROOT / "my-notebooks"
MANIFEST = ".course-sync.json"
UPDATE_SUFFIX = ".course-update"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _course_files(source: Path) -> list[Path]:
    skip = {".ipynb_checkpoints", "__pycache__"}
    return sorted(p for p in source.rglob("*") if p.is_file() and not skip.intersection(p.parts))


def sync(source: Path = SOURCE, target: Path = TARGET) -> dict[str, str]:
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
        prog="python -m course_lib.workspace", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_sync = sub.add_parser("sync", help="copy new course notebooks into my-notebooks/")
    p_sync.add_argument("--source", type=Path, default=SOURCE)
    p_sync.add_argument("--target", type=Path, default=TARGET)
    p_present = sub.add_parser("present", help="show one notebook with Voila, without code")
    p_present.add_argument("notebook", help='a number ("02"), a name or a path')
    p_present.add_argument("--port", type=int, default=8866)
    p_present.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p_html = sub.add_parser("html", help="export every notebook, executed, to static HTML")
    p_html.add_argument("--out", type=Path, default=ROOT / "build" / "html")
    p_html.add_argument("notebooks", nargs="*", type=Path, help="default: all of notebooks/")
    args = parser.parse_args(argv)
    if args.command == "sync":
        _print_sync(sync(args.source, args.target), args.target)
    elif args.command == "present":
        from .present import present

        try:
            return present(args.notebook, args.port, open_browser=not args.no_browser)
        except ValueError as exc:  # an NB that names no notebook: say which ones exist
            print(f"present: {exc}", file=sys.stderr)
            return 2
    elif args.command == "html":
        from .export import export_all

        pages = export_all(args.out, args.notebooks or None)
        print(f"Wrote {len(pages)} notebooks and index.html to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
