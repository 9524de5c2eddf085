"""The student's workspace: personal copies of the notebooks that ``git pull`` never touches.

The course's notebooks live in ``notebooks/`` (tracked by git). ``make lab`` opens copies in
``my-notebooks/`` (git-ignored), made and kept up to date by :func:`sync`:

* a notebook the student does not have is copied in (also one they deleted: deleting a copy
  is how to get a fresh one, and a deleted copy holds no work to protect);
* a copy whose cell sources the student has not changed (they only ran it: outputs,
  execution counts and metadata differ) is replaced by the course's new version;
* a copy whose sources the student changed is merged three ways (``merge``), the course
  version it was copied from as the base: the course's changes to cells the student did not
  touch are applied, the student's edits stay, and the copy before the merge is kept in
  ``course-backups/``. Only a real conflict (a cell both changed) leaves the copy as it is,
  with the course's new version beside it as ``<name>.course-update.ipynb`` and a message
  naming the cells;
* a notebook the course renamed gets the student's edits from the old name merged in; the
  old copy stays as it is.

What was copied is kept in ``my-notebooks/.course-sync.json`` (the SHA-256 of each course
file as copied) and ``my-notebooks/.course-base/`` (the notebooks as copied: the merge's
base). A manifest of the first format (fingerprints only) is migrated: the base is the
course's file if it still has that fingerprint, else the copy if the student never changed
it, else the version with that fingerprint in the course's git history.

Run as ``python -m course_lib.tools.workspace sync`` (from the course's folder, or with
``--course DIR``; ``--source``/``--target`` name any two folders, as a JupyterHub server
start does). The same command line runs the other checkout tools: ``present`` (notebook
shown with Voilà), ``html`` (static export) and ``student`` (the release without
solutions, ``release``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .. import _validate as check
from . import _checks, checkout

MANIFEST = ".course-sync.json"
BASES = ".course-base"
BACKUPS = "course-backups"
UPDATE_SUFFIX = ".course-update"
#: Smallest share of cells in common for a new course notebook to count as a renamed one.
RENAMED = 0.5


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _course_files(source: Path) -> dict[str, Path]:
    skip = {".ipynb_checkpoints", "__pycache__"}
    return {
        p.relative_to(source).as_posix(): p
        for p in sorted(source.rglob("*"))
        if p.is_file() and not skip.intersection(p.parts)
    }


def read_manifest(target: Path) -> dict[str, str]:
    """``{relative path: SHA-256 of the course file as copied}``, from either format; an
    unreadable manifest counts as none (every copy then is the student's own)."""
    target = check.path("target", target)
    try:
        data = json.loads((target / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    if isinstance(data, dict) and data.get("format") == 2:
        data = data.get("copied", {})
    if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
        return dict(data)
    return {}


def _write_manifest(target: Path, copied: dict[str, str]) -> None:
    text = json.dumps({"format": 2, "copied": copied}, indent=1, sort_keys=True)
    (target / MANIFEST).write_text(text)


def _notebook(data: bytes | None):
    """The notebook in ``data`` (nbformat v4), or None if it is not one."""
    if data is None:
        return None
    import nbformat

    try:
        return nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception:  # not JSON, not a notebook, not UTF-8: handled as plain bytes
        return None


def _from_git(source: Path, rel: str, sha: str, limit: int = 200) -> bytes | None:
    """The version of ``source/rel`` whose SHA-256 is ``sha``, from git's history, if any."""
    if shutil.which("git") is None:
        return None
    git = ["git", "-C", str(source)]
    try:
        log = subprocess.run(
            [*git, "log", f"-{limit}", "--format=%H", "--", rel],
            capture_output=True,
            check=True,
            timeout=30,
        )
        for commit in log.stdout.decode().split():
            blob = subprocess.run(
                [*git, "show", f"{commit}:./{rel}"], capture_output=True, timeout=30
            ).stdout
            if _digest(blob) == sha:
                return blob
    except (OSError, subprocess.SubprocessError):
        return None
    return None


class _Workspace:
    """One sync: the two folders, what was copied, and the files it writes."""

    def __init__(self, source: Path, target: Path):
        self.source, self.target = source, target
        self.copied = read_manifest(target)

    def base(self, rel: str, course: bytes, mine: bytes) -> bytes | None:
        """The course file that the copy ``rel`` was made from, or None if unknown."""
        sha = self.copied.get(rel)
        if sha is None:
            return None
        kept = self.target / BASES / rel
        if kept.is_file() and _digest(kept.read_bytes()) == sha:
            return kept.read_bytes()
        for candidate in (course, mine):  # migration from the first format
            if _digest(candidate) == sha:
                return candidate
        return _from_git(self.source, rel, sha)

    def record(self, rel: str, course: bytes) -> None:
        """Note that the copy ``rel`` now comes from ``course`` (and keep it as its base)."""
        self.copied[rel] = _digest(course)
        if rel.endswith(".ipynb"):
            kept = self.target / BASES / rel
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(course)

    def forget(self, rel: str) -> None:
        self.copied.pop(rel, None)
        (self.target / BASES / rel).unlink(missing_ok=True)

    def write(self, rel: str, data: bytes) -> None:
        path = self.target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def side(self, rel: str) -> Path:
        path = self.target / rel
        return path.with_name(path.stem + UPDATE_SUFFIX + path.suffix)

    def put_beside(self, rel: str, course: bytes) -> str:
        self.side(rel).write_bytes(course)
        return self.side(rel).name

    def drop_stale_side(self, rel: str, course: bytes) -> None:
        """Remove a ``.course-update`` file this sync wrote that is no longer needed."""
        side = self.side(rel)
        if side.is_file() and side.read_bytes() == course:
            side.unlink()

    def backup(self, rel: str, mine: bytes) -> str:
        """Keep the student's copy ``rel`` as it was, in course-backups/; its path there."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.target / BACKUPS / f"{Path(rel).stem}-{stamp}{Path(rel).suffix}"
        n = 1
        while path.exists():
            n += 1
            path = path.with_name(f"{Path(rel).stem}-{stamp}-{n}{Path(rel).suffix}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(mine)
        return path.relative_to(self.target).as_posix()


def _sync_file(ws: _Workspace, rel: str, course: bytes) -> str:
    """Bring the copy of one course file up to date; returns what happened."""
    path = ws.target / rel
    if not path.exists():
        again = rel in ws.copied
        ws.write(rel, course)
        ws.record(rel, course)
        return "added again (you had deleted or renamed your copy)" if again else "added"
    mine = path.read_bytes()
    if mine == course:
        ws.record(rel, course)
        ws.drop_stale_side(rel, course)
        return "unchanged"
    base = ws.base(rel, course, mine)
    notebooks = [_notebook(b) for b in (base, mine, course)] if rel.endswith(".ipynb") else []
    if len(notebooks) == 3 and notebooks[1] is not None and notebooks[2] is not None:
        return _sync_notebook(ws, rel, course, mine, base, *notebooks)
    # Any other file, or a copy that is not a notebook any more: compared as bytes.
    if base is not None and _digest(course) == ws.copied.get(rel):
        return "yours (edited; the course has not changed it)"
    if base == mine:
        ws.write(rel, course)
        ws.record(rel, course)
        return "updated"
    name = ws.put_beside(rel, course)
    return f"kept your version; the course's new version is {name}"


def _sync_notebook(ws, rel, course, mine, base, base_nb, mine_nb, course_nb) -> str:
    from .merge import merge, sources

    if _digest(course) == ws.copied.get(rel) and base is not None:
        ws.record(rel, course)  # keeps the base (a migrated manifest had none)
        if sources(mine_nb) == sources(base_nb):
            return "unchanged"
        return "yours (edited; the course has not changed it)"
    if sources(mine_nb) == sources(course_nb):
        ws.record(rel, course)
        ws.drop_stale_side(rel, course)
        return "unchanged (your copy has the course's text)"
    if base_nb is None:
        name = ws.put_beside(rel, course)
        return (
            "kept your version; the version it was copied from is not known, so it cannot "
            f"be merged: the course's new version is {name}"
        )
    if sources(mine_nb) == sources(base_nb):
        ws.write(rel, course)
        ws.record(rel, course)
        return "updated (you had only run it: its outputs are cleared)"
    merged = merge(base_nb, mine_nb, course_nb)
    if merged.notebook is None:
        name = ws.put_beside(rel, course)
        return (
            f"kept your version: you and the course both changed {', '.join(merged.conflicts)}; "
            f"the course's new version is {name}"
        )
    import nbformat

    saved = ws.backup(rel, mine)
    ws.write(rel, nbformat.writes(merged.notebook).encode("utf-8") + b"\n")
    ws.record(rel, course)
    ws.drop_stale_side(rel, course)
    return f"merged: your edits kept, the course's changes applied (your copy before: {saved})"


def _renames(ws: _Workspace, files: dict[str, Path]) -> dict[str, str]:
    """``{new name: old name}`` for course notebooks that replace one the course removed
    (at least :data:`RENAMED` of their cells in common with the old one's base)."""
    from .merge import similarity

    gone = [r for r in ws.copied if r.endswith(".ipynb") and r not in files]
    new = [r for r in files if r.endswith(".ipynb") and r not in ws.copied]
    bases = {r: _notebook(ws.base(r, b"", b"")) for r in gone}
    pairs = {}
    for rel in new:
        course_nb = _notebook(files[rel].read_bytes())
        scores = [(similarity(b, course_nb), old) for old, b in bases.items() if b and course_nb]
        best = max(scores, default=(0.0, None))
        if best[0] >= RENAMED and best[1] not in pairs.values():
            pairs[rel] = best[1]
    return pairs


def _sync_renamed(ws: _Workspace, rel: str, old: str, course: bytes) -> str:
    """The course renamed ``old`` to ``rel``: a new copy, with the student's edits in
    ``old`` merged in when there are any and they merge; ``old`` stays as it is."""
    from .merge import merge, sources

    base_nb = _notebook(ws.base(old, b"", b""))
    old_path = ws.target / old
    mine_nb = _notebook(old_path.read_bytes()) if old_path.is_file() else None
    course_nb = _notebook(course)
    ws.record(rel, course)
    note = f"the course renamed {old} to it; your {old} is left as it is"
    if mine_nb is None or base_nb is None or sources(mine_nb) == sources(base_nb):
        ws.write(rel, course)
        return f"added ({note})"
    merged = merge(base_nb, mine_nb, course_nb)
    if merged.notebook is None:
        ws.write(rel, course)
        return f"added ({note}; your edits could not be merged: {', '.join(merged.conflicts)})"
    import nbformat

    ws.write(rel, nbformat.writes(merged.notebook).encode("utf-8") + b"\n")
    return f"added with your edits in {old} merged in ({note})"


def sync(source: Path, target: Path) -> dict[str, str]:
    """Bring ``target`` up to date with ``source`` without losing any edit made in ``target``.

    Returns ``{relative path: what happened}`` for every course file (and for copies of
    notebooks the course no longer has): "added", "added again ...", "unchanged", "updated
    ...", "merged: ..." (with the backup's path), "yours (edited; ...)", "kept your version
    ..." (the course's new version saved beside it), "renamed by the course ..." or "no
    longer in the course ...".
    """
    source, target = check.path("source", source), check.path("target", target)
    if not source.is_dir():
        raise ValueError(f"source must be a directory of notebooks, got {source}")
    target.mkdir(parents=True, exist_ok=True)
    ws = _Workspace(source, target)
    files = _course_files(source)
    renamed = _renames(ws, files)
    report = {}
    for rel, src in files.items():
        course = src.read_bytes()
        if rel in renamed and not (target / rel).exists():
            report[rel] = _sync_renamed(ws, rel, renamed[rel], course)
        else:
            report[rel] = _sync_file(ws, rel, course)
    for old in [r for r in ws.copied if r not in files]:
        if (target / old).exists():
            new = [r for r, o in renamed.items() if o == old]
            report[old] = (
                f"renamed by the course to {new[0]}; your copy is left as it is"
                if new
                else "no longer in the course; your copy is left as it is"
            )
        ws.forget(old)
    _write_manifest(target, ws.copied)
    return report


def _print_sync(report: dict[str, str], target: Path) -> None:
    quiet = ("unchanged", "yours")
    changes = {k: v for k, v in report.items() if not v.startswith(quiet)}
    print(f"Your notebooks are in {target}: {len(report)} files, {len(changes)} changed.")
    for rel, action in changes.items():
        print(f"  {rel}: {action}")


def main(argv: list[str] | None = None) -> int:
    """Run the checkout tool that the command line ``argv`` names (a list of str; None:
    ``sys.argv[1:]``); returns the exit status. A bad command line exits with argparse's
    usage (status 2)."""
    argv = _checks.argv("argv", argv)
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
