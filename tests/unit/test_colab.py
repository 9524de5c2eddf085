"""The Colab set-up cell (course_lib.tools.colab), run with a stand-in ``google.colab``: on
Colab it installs the course from the repository, restarts once, then turns on Colab's
custom widget manager; anywhere else it does nothing. And the one-click links."""

import importlib.util
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from course_lib.tools import catalog, colab


class StandIn:
    """What the cell can touch on Colab, recorded: pip, the session restart, the widget manager."""

    def __init__(self, monkeypatch, installed: bool):
        self.pip, self.restarts, self.widget_manager = [], [], 0
        google = types.ModuleType("google")
        google.colab = types.ModuleType("google.colab")
        google.colab.output = types.ModuleType("google.colab.output")
        google.colab.output.enable_custom_widget_manager = self._enable
        for name, module in (
            ("google", google),
            ("google.colab", google.colab),
            ("google.colab.output", google.colab.output),
        ):
            monkeypatch.setitem(sys.modules, name, module)
        real_find_spec = importlib.util.find_spec

        def find_spec(name, *args):
            if name == "course_lib" and not installed:
                return None
            return real_find_spec(name, *args)

        monkeypatch.setattr(importlib.util, "find_spec", find_spec)
        monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: self.pip.append((cmd, kw)))

    def _enable(self):
        self.widget_manager += 1


def run_cell(source: str) -> None:
    kernel = types.SimpleNamespace(do_shutdown=lambda restart: shell.restarts.append(restart))
    shell = types.SimpleNamespace(kernel=kernel, restarts=[])
    exec(compile(source, "<colab cell>", "exec"), {"get_ipython": lambda: shell})
    run_cell.restarts = shell.restarts


def test_elsewhere_the_cell_does_nothing(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    run_cell(colab.cell_source())
    assert calls == [] and run_cell.restarts == []


def test_on_colab_first_run_installs_the_course_from_the_repository_and_restarts(monkeypatch):
    colab_env = StandIn(monkeypatch, installed=False)
    run_cell(colab.cell_source("https://github.com/someone/course"))
    [(cmd, options)] = colab_env.pip
    assert cmd == [
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "git+https://github.com/someone/course",
    ]
    assert options == {"check": True}  # a failed install stops the cell with pip's message
    assert run_cell.restarts == [True]
    assert colab_env.widget_manager == 0  # after the restart, not before


def test_on_colab_second_run_turns_on_the_custom_widget_manager(monkeypatch):
    colab_env = StandIn(monkeypatch, installed=True)
    run_cell(colab.cell_source())
    assert colab_env.pip == [] and run_cell.restarts == []
    assert colab_env.widget_manager == 1


def test_the_cell_goes_after_the_title_once_and_replaces_an_older_one(tmp_path):
    title = {"cell_type": "markdown", "id": "t", "metadata": {}, "source": ["# 01 · Title"]}
    code = {"cell_type": "code", "id": "c", "metadata": {}, "source": ["x = 1"], "outputs": []}
    nb = {"cells": [title, code], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    once = colab.with_setup_cell(nb, "https://github.com/a/b")
    assert [c["id"] for c in once["cells"]] == ["t", colab.CELL_ID, "c"]
    twice = colab.with_setup_cell(once, "https://github.com/c/d")
    assert [c["id"] for c in twice["cells"]] == ["t", colab.CELL_ID, "c"]
    assert "git+https://github.com/c/d" in "".join(twice["cells"][1]["source"])
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    assert colab.write(path) is True and colab.write(path) is False


def test_launch_links_come_from_the_one_repository_address():
    owner_repo = catalog.REPOSITORY.removeprefix("https://github.com/")
    assert catalog.colab_url("01_gradient_descent.ipynb") == (
        f"https://colab.research.google.com/github/{owner_repo}/blob/main/notebooks/"
        "01_gradient_descent.ipynb"
    )
    assert catalog.binder_url().startswith(f"https://mybinder.org/v2/gh/{owner_repo}/main?")
    assert catalog.binder_url().endswith("urlpath=lab/tree/my-notebooks/00_orientation.ipynb")


@pytest.mark.parametrize("local", [True, False])
def test_the_map_links_beside_notebook_00_or_else_to_colab(tmp_path, local):
    if local:
        (tmp_path / catalog.COURSE[0].file).write_text("{}")
    text = catalog.markdown_map(tmp_path)
    second = catalog.COURSE[1]
    expected = second.file if local else catalog.colab_url(second.file)
    assert f"[{second.title}]({expected})" in text
    assert text.count("✅ ready") == sum(e.ready for e in catalog.COURSE)


NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_starts_with_the_current_colab_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert colab.TAG in first_code["metadata"]["tags"]
    assert "".join(first_code["source"]) == colab.cell_source(), (
        f"run: python -m course_lib.tools.colab {path.relative_to(path.parents[1])}"
    )
    assert colab.with_setup_cell(nb) == nb  # exactly one, right after the title


def test_notebook_00_links_binder_and_colab():
    text = (Path(__file__).parents[2] / "notebooks" / "00_orientation.ipynb").read_text("utf-8")
    assert json.dumps(catalog.binder_url())[1:-1] in text
    assert json.dumps(catalog.colab_url("00_orientation.ipynb"))[1:-1] in text
