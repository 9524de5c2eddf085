"""The slide route the README recommends for a lecture with live explorers: JupyterLab's own
Presentation Mode with the Simple Interface (one notebook fills the screen, enlarged; the
presenter moves section by section). The sections render, and an explorer's slider moves
and its figure changes there, as in the normal view.

Routes tried and not recommended (README, "For instructors"): jupyterlab-rise 0.43 (its
slideshow app cannot load the ipywidgets manager, "Shared module @jupyterlab/console doesn't
exist in shared scope", nor ipympl, "No provider for jupyterWidgetRegistry": an explorer
shows only its static snapshot), jupyterlab-slideshow 0.3 (shows the Markdown cells of each
slide but not the code cells' outputs, so no explorer), and ``nbconvert --to slides``
(reveal.js from a CDN, no live widgets).
"""

from __future__ import annotations

import pages
import pytest
from conftest import NOTEBOOKS

NOTEBOOK = next(iter(sorted(NOTEBOOKS.glob("00_*.ipynb"))), None)


def _command(page, name: str) -> None:
    page.evaluate("(c) => window.jupyterapp.commands.execute(c)", name)


@pytest.mark.skipif(NOTEBOOK is None, reason="notebook 00 is not there")
def test_presentation_mode_shows_sections_and_a_live_explorer(lab_page, artifacts):
    page = lab_page
    pages.open_notebook(page, f"notebooks/{NOTEBOOK.name}")
    _command(page, "application:toggle-presentation-mode")
    try:
        page.evaluate("() => { window.jupyterapp.shell.mode = 'single-document'; }")
        pages.set_file_browser(page, False)
        page.wait_for_function("() => window.jupyterapp.shell.presentationMode", timeout=10_000)
        pages.run_all(page)
        assert not pages.wait_figures(page)
        headings = page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-MarkdownOutput h2'))"
            ".map((h) => h.innerText)"
        )
        assert len(headings) >= 5 and headings[0].startswith("1 · "), headings
        explorer = pages.explorers(page).nth(0)
        explorer.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "slides-presentation-mode.png"))
        move = pages.move_with_keyboard(page, 0, settle=lambda: pages.wait_idle(page))
        assert move is not None and move.strict
        assert not move.problems(), [str(p) for p in move.problems()]
        assert move.after[2] != move.before[2]  # the figure changed
    finally:
        page.evaluate("() => { window.jupyterapp.shell.mode = 'multiple-document'; }")
        if page.evaluate("() => window.jupyterapp.shell.presentationMode"):
            _command(page, "application:toggle-presentation-mode")
        pages.save_and_close(page)
        pages.set_file_browser(page, True)
