"""Start and stop the servers the browser tests talk to: JupyterLab and Voilà.

Both listen on 127.0.0.1 only, on a free port picked at random, with a random token, and run
from the same environment as ``make lab`` (this interpreter's ``jupyter``). JupyterLab gets
its own config, data, settings and workspace folders, so nothing from the user's own Jupyter
set-up leaks in (no stray kernels or extensions) and nothing leaks out.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# Settings a fresh JupyterLab would otherwise ask about or fetch from the network.
# windowingMode "none" keeps every cell in the DOM, so every output can be inspected.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # Saving with the widget state makes the saved notebook a faithful "executed" copy.
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running server process: its base URL, token and log file."""

    name: str
    proc: subprocess.Popen
    url: str
    token: str
    log: Path
    extra: dict = field(default_factory=dict)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 15) -> None:
        """SIGINT twice (Jupyter's clean shutdown, kernels included), then kill if needed."""
        if self.proc.poll() is not None:
            return
        for sig in (signal.SIGINT, signal.SIGINT, signal.SIGTERM):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=timeout / 3)
                return
            except subprocess.TimeoutExpired:
                continue
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=5)


def _wait_ready(server: Server, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = f"{server.url}{path}"
    last = None
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with code {server.proc.returncode} before it was ready:"
                f"\n{server.log_tail()}"
            )
        try:
            req = urllib.request.Request(url, headers={"Authorization": f"token {server.token}"})
            with urllib.request.urlopen(req, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = exc
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(
        f"{server.name} did not answer {path} within {timeout:.0f} s ({last}):\n{server.log_tail()}"
    )


def _spawn(name: str, cmd: list[str], log: Path, env: dict, cwd: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        # A session of its own, so stop() reaches the kernels the server started too.
        return subprocess.Popen(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )


def isolated_env(home: Path) -> dict:
    """Environment for a server whose Jupyter folders are all under ``home``."""
    env = dict(os.environ)
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "mpl"),
    ):
        env[var] = str(home / sub)
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.pop("MPLBACKEND", None)  # tests/conftest.py sets Agg; notebooks choose their own
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def start_lab(root: Path, home: Path, log: Path, timeout: float = 60) -> Server:
    """JupyterLab serving ``root`` on 127.0.0.1, a random port and a random token."""
    settings = home / "lab-settings"
    for rel, value in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={home / 'lab-workspaces'}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.extension_manager=readonly",
        "--LabApp.news_url=None",
        "--ServerApp.open_browser=False",
    ]
    if os.geteuid() == 0:  # CI runs as root; JupyterLab refuses that unless told
        cmd.append("--allow-root")
    proc = _spawn("JupyterLab", cmd, log, isolated_env(home), root)
    server = Server("JupyterLab", proc, f"http://127.0.0.1:{port}", token, log)
    _wait_ready(server, "/api/status", timeout)
    return server


def start_voila(
    cmd: list[str], token: str, port: int, home: Path, log: Path, cwd: Path, timeout: float = 60
) -> Server:
    """Run a Voilà command line (from ``course_lib.tools.present``) and wait until it answers."""
    proc = _spawn("Voila", cmd, log, isolated_env(home), cwd)
    server = Server("Voila", proc, f"http://127.0.0.1:{port}", token, log)
    _wait_ready(server, "/voila/static/voila.js", timeout)
    return server
