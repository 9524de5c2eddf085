"""Binder's files (binder/) as repo2docker reads them, checked with repo2docker's own code
(no Docker here: its build packs are asked what they detect and what Dockerfile they write),
and binder/postBuild run as repo2docker runs it: in the repository's folder, after the
requirements are installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_helpers import REPO, need_module


@pytest.fixture
def buildpack(monkeypatch):
    """The build pack repo2docker picks for this repository (the first that detects it)."""
    app_module = need_module("repo2docker.app", "jupyter-repo2docker")
    monkeypatch.chdir(REPO)  # repo2docker reads the repository from the current folder
    app = app_module.Repo2Docker()
    for cls in app.buildpacks:
        pack = cls(base_image=app.base_image)
        if pack.detect():
            pack.platform = "linux/amd64"
            return pack
    pytest.fail("no repo2docker build pack detects this repository")


def test_binder_folder_is_read_with_an_explicit_python(buildpack):
    from repo2docker.buildpacks.conda.supported_python_version import SUPPORTED_PYTHON_VERSION
    from repo2docker.buildpacks.python import PythonBuildPack

    assert type(buildpack) is PythonBuildPack  # binder/ wins over the root environment.yml
    assert buildpack.binder_dir == "binder"
    assert buildpack.python_version == "3.12"
    assert buildpack._python_version_source == "runtime"  # read from runtime.txt, not a default
    assert buildpack.python_version in SUPPORTED_PYTHON_VERSION
    requires = re.search(r'requires-python = ">=(\d+\.\d+)"', (REPO / "pyproject.toml").read_text())
    assert tuple(map(int, buildpack.python_version.split("."))) >= tuple(
        map(int, requires.group(1).split("."))
    )


def test_dockerfile_installs_the_course_from_the_full_repository_then_runs_postbuild(buildpack):
    lines = buildpack.render().splitlines()

    def index(pattern: str) -> int:
        found = [i for i, line in enumerate(lines) if re.search(pattern, line)]
        assert found, f"the Dockerfile has no line matching {pattern!r}"
        return found[0]

    copy_repo = index(r"^COPY .*src/ \$\{REPO_DIR\}/$")
    install = index(r'pip install --no-cache-dir -r "binder/requirements.txt"')
    post_build = index(r"^RUN \./binder/postBuild$")
    # "-e .[lab]" needs the whole repository: repo2docker installs it after copying everything.
    assert copy_repo < install < post_build
    assert buildpack.get_post_build_scripts() == ["binder/postBuild"]
    requirements = (REPO / "binder" / "requirements.txt").read_text().split("\n")
    assert "-e .[lab]" in requirements


def test_postbuild_makes_the_students_copies_that_the_launch_link_opens(tmp_path):
    need_module("repo2docker", "jupyter-repo2docker")
    repo = tmp_path / "repo"
    for folder in ("binder", "notebooks"):
        shutil.copytree(REPO / folder, repo / folder)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, check=True, timeout=120)
    copies = sorted(p.name for p in (repo / "my-notebooks").glob("*.ipynb"))
    assert copies == sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    first = repo / "my-notebooks" / "00_orientation.ipynb"
    assert first.read_bytes() == (REPO / "notebooks" / "00_orientation.ipynb").read_bytes()
