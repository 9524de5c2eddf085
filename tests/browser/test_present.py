"""Presenting (``make present NB=..``): Voilà shows a notebook without its code, and its
explorers render and respond as in JupyterLab. The static export (``make html``) shows the
figures and no widget as text.

Voilà is started with exactly the command line ``make present`` uses
(course_lib.tools.present.voila_command), on a free port with a token.
"""

from __future__ import annotations

import json
import os
import re
import secrets

import nbformat
import pages
import pytest
from conftest import FIXTURES, course_notebooks
from servers import free_port, start_voila

from course_lib.tools import export, present

VOILA_ERRORS = re.compile(
    r"Traceback \(most recent call last\)|There was an error when executing cell", re.I
)


def presented() -> list:
    """The course notebooks checked live in Voilà.

    Each costs a full run of its notebook and the suite must stay within CI's budget, so by
    default: notebook 01 (the lecture's reference example) and the highest-numbered notebook
    with an explorer (the newest explorers). ``COURSE_PRESENT=all`` checks every notebook
    with an explorer; ``COURSE_PRESENT=02,05`` the ones named.
    """
    with_explorer = [p for p in course_notebooks() if "Explorer(" in p.read_text("utf-8")]
    choice = os.environ.get("COURSE_PRESENT", "").strip()
    if choice == "all":
        return with_explorer
    if choice:
        wanted = {f"{int(n):02d}" for n in choice.split(",") if n.strip().isdigit()}
        return [p for p in course_notebooks() if p.name[:2] in wanted]
    picks = [p for p in with_explorer if p.name.startswith("01_")] + with_explorer[-1:]
    return sorted(set(picks))


PRESENTED = presented()


@pytest.fixture
def voila(chromium_path, tmp_path, artifacts, request):
    """Start ``make present``'s Voilà for one notebook; yields (server, notebook)."""
    servers = []

    def start(notebook):
        port, token = free_port(), secrets.token_hex(24)
        cmd = present.voila_command(notebook, port, token=token, open_browser=False)
        log = artifacts / f"voila-{notebook.stem}.log"
        server = start_voila(cmd, token, port, tmp_path / "home", log, notebook.parent)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def check_presentation(page, server, stem: str, artifacts) -> dict:
    shots = artifacts / f"present-{stem}"
    shots.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server.url}/?token={server.token}", timeout=180_000)
    # Voila streams the page while the kernel runs the notebook, then removes its spinner.
    page.wait_for_function("() => !document.getElementById('loading')", timeout=180_000)
    pages.wait_settled(page, ".jp-OutputArea-output, .jupyter-widgets, .course-explorer")
    problems = pages.wait_figures(page)
    for i, out in enumerate(page.evaluate("() => window.courseProbe.pageOutputs()")):
        where = f"output {i + 1}"
        problems += pages.output_problems(where, out)
        if VOILA_ERRORS.search(out["domText"]) or out["renderedMime"] in (
            "application/vnd.jupyter.stderr",
            "application/vnd.jupyter.error",
        ):
            problems.append(pages.Problem(where, f"shows an error: {out['domText'][:300]!r}"))
    code = page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor").count()
    if code:
        problems.append(
            pages.Problem("page", f"{code} code cells are shown (sources not stripped)")
        )
    problems += pages.clipped_figures(page)
    moves, found, move_warnings = pages.exercise_explorers(page, shots)
    problems += found + pages.console_problems(page.console_log)
    pages.screenshot_pages(page, "#rendered_cells", shots, "voila")
    summary = {
        "notebook": stem,
        "explorers": pages.explorers(page).count(),
        "moves": [
            [m.how, m.slider, m.before[0], m.after[0], pages.milliseconds(m.seconds)] for m in moves
        ],
        "problems": [str(p) for p in problems],
        "warnings": [str(w) for w in move_warnings],
    }
    (shots / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    return summary


def test_present_serves_the_harness_notebook_without_code_and_live(page, voila, artifacts):
    notebook = FIXTURES / "harness_selftest.ipynb"
    summary = check_presentation(page, voila(notebook), notebook.stem, artifacts)
    assert not summary["problems"], "\n".join(summary["problems"])
    assert summary["explorers"] == 1


@pytest.mark.parametrize("path", PRESENTED, ids=lambda p: p.stem)
def test_present_a_course_notebook(page, voila, artifacts, path):
    summary = check_presentation(page, voila(path), path.stem, artifacts)
    assert not summary["problems"], "\n".join(summary["problems"])
    assert summary["explorers"] >= 1


def test_present_needs_the_token(page, voila):
    server = voila(FIXTURES / "harness_selftest.ipynb")
    response = page.goto(f"{server.url}/")
    assert "harness" not in (page.title() or "").lower()
    assert response is None or response.status in (200, 302, 401, 403)
    assert page.locator(".course-explorer").count() == 0


def test_static_html_shows_figures_and_no_widget_text(page, tmp_path, artifacts):
    """make html's pipeline on the harness notebook, looked at in the browser."""
    notebook = nbformat.read(FIXTURES / "harness_selftest.ipynb", as_version=4)
    export.execute(notebook, cwd=FIXTURES)
    mathjax = export.local_mathjax(tmp_path)
    target = tmp_path / "harness_selftest.html"
    target.write_text(export.to_html(notebook, mathjax), encoding="utf-8")
    page.goto(target.as_uri())
    page.wait_for_load_state("load")
    images = page.evaluate(
        "() => Array.from(document.images).map(i => [i.naturalWidth, i.src.slice(0, 22)])"
    )
    figures = [w for w, src in images if src == "data:image/png;base64," and w > 0]
    assert len(figures) == 2, images  # the sine and the explorer's snapshot
    problems = []
    for i, out in enumerate(page.evaluate("() => window.courseProbe.pageOutputs()")):
        problems += pages.output_problems(f"output {i + 1}", out)
    assert not problems, "\n".join(map(str, problems))
    assert page.locator(".course-explorer, .jupyter-widgets").count() == 0
    page.screenshot(path=str(artifacts / "static-html-harness.png"), full_page=True)
