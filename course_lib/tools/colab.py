"""The first code cell of every notebook: on Google Colab it sets the notebook up; anywhere
else (JupyterLab, Voilà, nbval, the browser tests) it does nothing.

Colab opens one notebook of the repository, in an environment without course_lib and with
its widget manager limited to the standard widgets, so the explorers (ipywidgets, ipympl)
would show as text. On Colab the cell

1. installs the course from the repository (pip, from git) and restarts the session once,
   because Colab has already imported matplotlib and ipywidgets and must load the new ones
   (the student then runs the notebook again: Runtime → Run all);
2. on that run, finds course_lib installed and turns on Colab's custom widget manager.

Colab is recognised by its own module, ``google.colab``, which its kernel has loaded.

``python -m course_lib.tools.colab notebooks/*.ipynb`` writes the current cell into
notebooks (replacing an older one, found by its tag); tests/unit/test_colab.py checks that
every notebook has it and runs it with a stand-in ``google.colab``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .. import _validate as check
from . import _checks
from .catalog import REPOSITORY

TAG = "colab-setup"
CELL_ID = "colab-setup"


def cell_source(repository: str = REPOSITORY) -> str:
    """The code of the set-up cell for the course published at ``repository``."""
    repository = check.text("repository", repository)
    return f"""# Google Colab only: install the course, show its explorers. Elsewhere: nothing.
import sys

if "google.colab" in sys.modules:
    import importlib.util
    import subprocess

    if importlib.util.find_spec("course_lib") is None:
        url = "git+{repository}"
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", url], check=True)
        print("Course installed; the session restarts. Then: Runtime > Run all.")
        get_ipython().kernel.do_shutdown(restart=True)
    else:
        from google.colab import output

        output.enable_custom_widget_manager()"""


def cell(repository: str = REPOSITORY) -> dict:
    """The set-up cell as nbformat 4 JSON (skipped in slides, no outputs)."""
    repository = check.text("repository", repository)
    source = cell_source(repository).splitlines(keepends=True)
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": CELL_ID,
        "metadata": {"slideshow": {"slide_type": "skip"}, "tags": [TAG]},
        "outputs": [],
        "source": source,
    }


def with_setup_cell(nb: dict, repository: str = REPOSITORY) -> dict:
    """``nb`` (nbformat 4 JSON) with the current set-up cell as its first code cell: an
    older one is replaced, else the cell goes right after the title."""
    nb, repository = _checks.notebook_json("nb", nb), check.text("repository", repository)
    cells = [c for c in nb["cells"] if TAG not in c.get("metadata", {}).get("tags", [])]
    position = 1 if cells and cells[0]["cell_type"] == "markdown" else 0
    return {**nb, "cells": cells[:position] + [cell(repository)] + cells[position:]}


def write(path: Path, repository: str = REPOSITORY) -> bool:
    """Put the set-up cell into the notebook at ``path``; returns whether the file changed.
    Written as nbformat writes (sorted keys, one-space indent), so diffs stay small."""
    path, repository = check.path("path", path), check.text("repository", repository)
    text = path.read_text(encoding="utf-8")
    nb = with_setup_cell(json.loads(text), repository)
    new = json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    """Write the set-up cell into the notebooks named on the command line ``argv`` (a list
    of str; None: ``sys.argv[1:]``). A bad command line exits with argparse's usage."""
    argv = _checks.argv("argv", argv)
    parser = argparse.ArgumentParser(prog="python -m course_lib.tools.colab", description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"{path}: {'updated' if write(path) else 'already current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
