"""Presenting a notebook in a lecture hall: Voilà shows its text, figures and explorers
without the code cells.

``make present NB=02`` runs ``python -m course_lib.tools.workspace present 02``, which starts Voilà
on 127.0.0.1 with a token of its own and opens the page. The kernel runs the notebook top
to bottom exactly as JupyterLab would; the explorers stay live.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .. import _validate as check


def find_notebook(spec: str | Path, folder: Path) -> Path:
    """The notebook that ``spec`` names: a number ("2", "02"), a file name with or
    without ".ipynb", or a path to a notebook.

    Raises ValueError naming the notebooks there are when nothing matches.
    """
    spec = check.text("spec", os.fspath(spec) if isinstance(spec, os.PathLike) else spec).strip()
    folder = check.path("folder", folder)
    path = Path(spec)
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    available = sorted(folder.glob("*.ipynb"))
    if re.fullmatch(r"\d{1,2}", spec):
        matches = [p for p in available if p.name.startswith(f"{int(spec):02d}_")]
    else:
        matches = [p for p in available if p.stem == path.stem or p.name == spec]
    if len(matches) != 1:
        names = ", ".join(p.stem for p in available) or "none"
        raise ValueError(
            f"spec (NB) must name one notebook of {folder} (available: {names}), got {spec!r}"
        )
    return matches[0]


def _port(port: object) -> int:
    """A TCP port number, 1 to 65535."""
    port = check.integer("port", port, minimum=1)
    if port > 65535:
        raise ValueError(f"port must be a TCP port, 1 to 65535, got {port}")
    return port


def voila_command(
    notebook: Path, port: int, token: str | None = None, open_browser: bool = True
) -> list[str]:
    """The Voilà command line that serves ``notebook`` on 127.0.0.1:``port``.

    Code cells are stripped, tracebacks are shown (an instructor wants to see what went
    wrong, not a generic error), and a token is required: ``token`` if given, else one
    Voilà generates and prints in the URL.
    """
    notebook, port = check.path("notebook", notebook), _port(port)
    token = check.optional_text("token", token)
    open_browser = check.flag("open_browser", open_browser)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=True",
        "--VoilaConfiguration.theme=light",
        f"--Voila.open_browser={open_browser}",
    ]
    cmd.append(f"--Voila.token={token}" if token else "--Voila.auto_token=True")
    return cmd


def present(spec: str, port: int, folder: Path, open_browser: bool = True) -> int:
    """Serve the notebook of ``folder`` that ``spec`` names with Voilà until Ctrl-C; returns
    Voilà's exit code."""
    notebook, port = find_notebook(spec, folder), _port(port)
    open_browser = check.flag("open_browser", open_browser)
    print(f"Presenting {notebook.name} with Voilà on http://127.0.0.1:{port} (Ctrl-C stops).")
    print("Browser zoom (Ctrl/Cmd +) enlarges text, controls and figures for the back rows.")
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    try:
        return subprocess.call(voila_command(notebook, port, open_browser=open_browser), env=env)
    except KeyboardInterrupt:
        return 0
