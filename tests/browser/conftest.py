"""Fixtures for the end-to-end tests: Chromium through Playwright, a JupyterLab server the
session starts itself (127.0.0.1, random port and token) on a temporary COPY of the course's
notebooks, and a place for screenshots.

Without Chromium these tests are skipped, and the summary says so in capitals; with the
``CI`` environment variable set, a missing browser is an error instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = HERE / "artifacts"
FIXTURES = HERE / "fixtures"
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 900}  # a student's laptop screen, browser chrome aside

_SKIPPED: list[str] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_chromium() -> str | None:
    """Debian's Chromium (or $COURSE_CHROMIUM): Playwright's own download is not used."""
    for candidate in (
        os.environ.get("COURSE_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def course_notebooks() -> list[Path]:
    """Every notebook of the course, so a new one is covered without touching the tests."""
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb") if not p.name.startswith("."))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    if find_chromium() is None:
        return "Chromium was not found (install it with: sudo apt-get install -y chromium)"
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    reason = _unavailable()
    if reason:
        if in_ci():
            pytest.fail(f"CI is set and the browser tests cannot run: {reason}", pytrace=False)
        _SKIPPED.append(reason)
        pytest.skip(f"BROWSER TESTS SKIPPED: {reason}")
    return find_chromium()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Path:
    """A copy of the course laid out like the repository, so the tests never write into
    notebooks/ (JupyterLab saves, kernels write checkpoints)."""
    root = tmp_path_factory.mktemp("course")
    if NOTEBOOKS.is_dir():
        shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(FIXTURES, root / "fixtures")
    return root


@pytest.fixture(scope="session")
def lab(chromium_path, workspace, tmp_path_factory, artifacts):
    """One JupyterLab server for the whole session, stopped at the end."""
    from servers import start_lab

    home = tmp_path_factory.mktemp("jupyter-home")
    server = start_lab(workspace, home, artifacts / "jupyterlab.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser):
    """A fresh browser context and page; console errors are kept in ``page.console_log``."""
    from pages import PROBE

    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.add_init_script(path=str(PROBE))
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.console_log = []
    page.on("console", lambda m: m.type == "error" and page.console_log.append(m.text))
    page.on("pageerror", lambda e: page.console_log.append(f"page error: {e}"))
    return context, page


@pytest.fixture(scope="session")
def _lab_page(browser, lab):
    from pages import open_lab

    context, page = new_page(browser)
    open_lab(page, lab)
    yield page
    context.close()


@pytest.fixture
def lab_page(_lab_page):
    """The session's JupyterLab page (loaded once: notebooks are opened in it in turn)."""
    _lab_page.console_log.clear()
    yield _lab_page


@pytest.fixture
def page(browser):
    """A fresh page of its own (for Voila and static HTML)."""
    context, page = new_page(browser)
    yield page
    context.close()


def pytest_terminal_summary(terminalreporter):
    if _SKIPPED:
        terminalreporter.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.line(f"The browser tests did not run: {_SKIPPED[0]}")
        terminalreporter.line("Nothing was checked in a real browser. In CI (CI=1) this fails.")
