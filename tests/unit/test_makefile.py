"""`make lab` serves on the loopback interface with token authentication (checked on the
commands make would run, without starting a server)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_lab_binds_loopback_and_keeps_the_token():
    dry = subprocess.run(
        ["make", "-n", "lab", "VENV=.venv-does-not-exist"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lab = [line for line in dry.splitlines() if "jupyter lab" in line or "jupyter-lab" in line]
    assert lab, dry
    command = " ".join(lab)
    assert "--ServerApp.ip=127.0.0.1" in command
    for unsafe in ("0.0.0.0", "token=''", 'token=""', "token= ", "disable_check_xsrf", "password="):
        assert unsafe not in command
    # The personal copies are synced before the server starts.
    assert dry.index("course_lib.tools.workspace sync") < dry.index(lab[0])
