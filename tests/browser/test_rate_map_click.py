"""Notebook 02's rate map in JupyterLab: a click on the map moves η and γ to the clicked
point (ipympl delivers the click to the kernel), as the notebook tells the student."""

from __future__ import annotations

import json
import re
import time

import pages


def test_a_click_on_the_rate_map_moves_eta_and_gamma_there(lab_page, artifacts):
    page = lab_page
    pages.open_notebook(page, "fixtures/rate_map_click.ipynb")
    pages.run_all(page)
    assert not pages.wait_figures(page)
    printed = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    x, y = json.loads(re.search(r"CLICK (\[.*\])", printed).group(1))
    explorer = pages.explorers(page).first
    canvas = explorer.locator(".jupyter-matplotlib-canvas-div canvas").first
    canvas.scroll_into_view_if_needed()
    _, before, figure = pages.shown(explorer)
    assert "η = 1.00, γ = 0.50" in before, before
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    deadline, readout, now = time.monotonic() + 30, before, figure
    while time.monotonic() < deadline and ("η = 3.00, γ = 0.20" not in readout or now == figure):
        time.sleep(0.2)
        _, readout, now = pages.shown(explorer)
    pages.wait_idle(page)
    time.sleep(1.0)  # the frame that goes with the readout
    explorer.screenshot(path=str(artifacts / "rate-map-after-click.png"))
    pages.save_and_close(page)
    assert "η = 3.00, γ = 0.20" in readout, readout
    assert now != figure, "the readout changed but the figure did not"
