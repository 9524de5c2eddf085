"""JupyterHub for a class (deploy/jupyterhub/), end to end on 127.0.0.1.

The hub is started with the recipe's own configuration file; only the parts that stand for
the machine's accounts are replaced: a test login (SharedPasswordAuthenticator) and
SimpleLocalProcessSpawner (servers run as this process's user, each in a home of its own).
Two students log in through the login form; each must get a server of their own whose
``my-notebooks/`` holds copies of the course's notebooks, that the other cannot reach, and
where notebook 00 runs from top to bottom in a kernel. Everything is stopped at the end.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from deploy_helpers import REPO, free_port, need_module, need_program

RECIPE = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
STUDENTS = ("alice", "bob")
COURSE_NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))

TEST_CONFIG = """
import os
c = get_config()
load_subconfig({recipe!r})
# Stand-ins for the machine's accounts (the recipe uses PAM and LocalProcessSpawner).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["COURSE_HUB_TEST_PASSWORD"]
c.Authenticator.allowed_users = {students!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
if os.geteuid() == 0:  # CI runs as root; the recipe's servers run as their students
    c.Spawner.args = ["--allow-root"]
# Free ports on the loopback interface, state in the test's folder.
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/cookie_secret"
c.Spawner.start_timeout = c.Spawner.http_timeout = 120
# The test's own API token: reach the students' servers and read their processes' ids.
c.JupyterHub.services = [
    {{"name": "course-test", "api_token": os.environ["COURSE_HUB_TEST_TOKEN"]}}
]
c.JupyterHub.load_roles = [{{
    "name": "course-test",
    "scopes": ["access:servers", "servers", "admin:server_state", "read:users"],
    "services": ["course-test"],
}}]
"""


class Hub:
    def __init__(self, state: Path, port: int, token: str, password: str):
        self.state, self.port, self.token, self.password = state, port, token, password
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None

    def start(self, config: Path) -> None:
        env = {
            **os.environ,
            "COURSE_HUB_TEST_TOKEN": self.token,
            "COURSE_HUB_TEST_PASSWORD": self.password,
        }
        self.log = open(self.state / "jupyterhub.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=self.state,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait(lambda: self.api("GET", "/hub/api")["version"], "the hub to answer", 90)

    def log_tail(self) -> str:
        return (self.state / "jupyterhub.log").read_text(errors="replace")[-4000:]

    def wait(self, probe, what: str, timeout: float):
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"JupyterHub exited while waiting for {what}:\n{self.log_tail()}")
            try:
                return probe()
            except (OSError, ValueError, KeyError):
                if time.monotonic() > deadline:
                    pytest.fail(f"timed out waiting for {what}:\n{self.log_tail()}")
                time.sleep(0.5)

    def api(self, method: str, path: str, body=None):
        """A request with the test's token; returns the decoded JSON (None if empty)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def server_pids(self) -> list[int]:
        pids = []
        for name in STUDENTS:
            try:
                user = self.api("GET", f"/hub/api/users/{name}?include_stopped_servers=0")
            except OSError:
                continue
            for server in (user or {}).get("servers", {}).values():
                pid = (server.get("state") or {}).get("pid")
                if pid:
                    pids.append(int(pid))
        return pids

    def stop(self) -> None:
        """Stop the students' servers through the hub, then the hub and its proxy."""
        if self.proc is None:
            return
        pids = self.server_pids()
        for name in STUDENTS:
            try:
                self.api("DELETE", f"/hub/api/users/{name}/server")
            except OSError:
                pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(timeout=30)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        for pid in pids:  # servers run in sessions of their own: make sure none is left
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


class Student:
    """A browser stand-in: cookies, redirects, and the hub's login form."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[str, bytes]:
        with self.opener.open(self.hub.base + path, timeout=30) as response:
            return response.geturl(), response.read()

    def log_in(self) -> None:
        self.get("/hub/login")
        xsrf = next(c.value for c in self.jar if c.name == "_xsrf")
        form = {"username": self.name, "password": self.hub.password, "_xsrf": xsrf}
        data = urllib.parse.urlencode(form).encode()
        self.opener.open(f"{self.hub.base}/hub/login", data=data, timeout=60).read()

    def open_lab(self, owner: str | None = None) -> str:
        """Open a server's JupyterLab page as a browser would (the first visit goes through the
        hub's OAuth, which sets the server's cookie); returns the URL it lands on."""
        url, _ = self.get(f"/user/{owner or self.name}/lab")
        if "/hub/" in url:
            raise ValueError(f"server not ready: landed on {url}")
        return url

    def status(self) -> dict:
        self.open_lab()
        _, body = self.get(f"/user/{self.name}/api/status")
        return json.loads(body)

    def contents(self, path: str) -> list[str]:
        _, body = self.get(f"/user/{self.name}/api/contents/{path}")
        return sorted(item["name"] for item in json.loads(body)["content"])


def run_cells(hub: Hub, name: str, kernel_id: str, cells: list[str]) -> list[str]:
    """Run ``cells`` in the kernel over its websocket; returns the printed text. Fails on
    the first cell that raises."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{kernel_id}/channels"
    session = uuid.uuid4().hex

    async def main() -> list[str]:
        request = HTTPRequest(url, headers={"Authorization": f"token {hub.token}"})
        conn = await websocket_connect(request)
        printed = []
        try:
            for index, code in enumerate(cells):
                msg_id = uuid.uuid4().hex
                header = {"msg_id": msg_id, "session": session, "username": name}
                header.update(msg_type="execute_request", version="5.3", date="")
                content = {"code": code, "silent": False, "store_history": True}
                content.update(user_expressions={}, allow_stdin=False, stop_on_error=True)
                message = {"header": header, "parent_header": {}, "metadata": {}}
                message.update(content=content, channel="shell", buffers=[])
                await conn.write_message(json.dumps(message))
                # Done when both the reply (shell) and "idle" (iopub, after the cell's outputs)
                # have come: the two channels are not ordered with respect to each other.
                reply, idle = None, False
                while reply is None or not idle:
                    raw = await asyncio.wait_for(conn.read_message(), timeout=120)
                    assert raw is not None, "the kernel's websocket closed"
                    if isinstance(raw, bytes):  # widget messages with binary buffers
                        continue
                    msg = json.loads(raw)
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    if msg["msg_type"] == "stream":
                        printed.append(msg["content"]["text"])
                    elif msg["msg_type"] == "status":
                        idle = msg["content"]["execution_state"] == "idle"
                    elif msg["msg_type"] == "execute_reply":
                        reply = msg["content"]
                assert reply["status"] == "ok", f"cell {index}: {reply}\n{code}"
        finally:
            conn.close()
        return printed

    return asyncio.run(main())


@pytest.fixture
def hub(tmp_path):
    need_module("jupyterhub", "jupyterhub")
    need_module("tornado", "tornado")
    chp = need_program(
        "configurable-http-proxy", "npm install configurable-http-proxy; .ci/run puts it on PATH"
    )
    state, homes = tmp_path / "state", tmp_path / "homes"
    state.mkdir()
    homes.mkdir()
    ports = {"port": free_port(), "hub_port": free_port(), "api_port": free_port()}
    config = state / "test_config.py"
    config.write_text(
        TEST_CONFIG.format(
            recipe=str(RECIPE), students=set(STUDENTS), homes=str(homes), chp=chp,
            state=state.as_posix(), **ports,
        )
    )  # fmt: skip
    server = Hub(state, ports["port"], secrets.token_hex(32), secrets.token_hex(16))
    server.homes = homes
    try:
        server.start(config)
        yield server
    finally:
        server.stop()


def test_two_students_each_get_their_own_server_copies_and_a_working_kernel(hub):
    students = [Student(hub, name) for name in STUDENTS]
    for student in students:
        student.log_in()
    for student in students:
        hub.wait(student.status, f"{student.name}'s server", 120)

    # Each has the course's notebooks, copied into a my-notebooks/ of their own.
    for student in students:
        names = student.contents("my-notebooks")
        assert [n for n in names if n.endswith(".ipynb")] == COURSE_NOTEBOOKS
        copies = hub.homes / student.name / "my-notebooks"
        assert sorted(p.name for p in copies.glob("*.ipynb")) == COURSE_NOTEBOOKS

    # What one student writes, the other does not see; nor can they reach each other's server.
    alice, bob = students
    note = {"type": "file", "format": "text", "content": "alice was here"}
    hub.api("PUT", "/user/alice/api/contents/my-notebooks/alice-notes.txt", note)
    assert (hub.homes / "alice" / "my-notebooks" / "alice-notes.txt").exists()
    assert "alice-notes.txt" in alice.contents("my-notebooks")
    assert "alice-notes.txt" not in bob.contents("my-notebooks")
    assert alice.open_lab().endswith("/user/alice/lab")
    with pytest.raises(urllib.error.HTTPError) as refused:  # the hub's OAuth says no
        bob.open_lab("alice")
    assert refused.value.code == 403

    # Notebook 00 runs from top to bottom in a kernel on alice's server, in her copies' folder.
    path = "my-notebooks/00_orientation.ipynb"
    session = {"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}}
    session = hub.api("POST", "/user/alice/api/sessions", session)
    notebook = hub.api("GET", f"/user/alice/api/contents/{path}?content=1")["content"]
    cells = [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]
    printed = "".join(run_cells(hub, "alice", session["kernel"]["id"], cells))
    # The catalog finds every notebook beside notebook 00 in the student's own copies.
    assert (
        f"{len(COURSE_NOTEBOOKS)} of {len(COURSE_NOTEBOOKS)} notebooks are in this folder."
        in printed
    )
    hub.api("DELETE", f"/user/alice/api/sessions/{session['id']}")
