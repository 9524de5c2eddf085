"""Helpers for the deployment tests (Binder's files, the Colab cell, JupyterHub for a class).

They need tools a student's ``python course.py test`` does not install (repo2docker,
JupyterHub, Node's configurable-http-proxy): without them these tests are skipped, and with
the ``CI`` environment variable set, a missing tool is an error instead. ``.ci/run`` installs
them in its newest corner and runs ``pytest tests/deploy`` there.
"""

from __future__ import annotations

import importlib
import os
import shutil
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str):
    if in_ci():
        pytest.fail(f"CI is set and a deployment test cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def need_module(name: str, package: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(f"the Python package {package} is not installed (pip install {package})")


def need_program(name: str, how: str) -> str:
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not on PATH ({how})")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
