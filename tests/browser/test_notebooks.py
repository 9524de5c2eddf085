"""Every notebook as a student meets it in JupyterLab: open it, Run All, wait for the kernel,
and see no error, no widget shown as text, every figure drawn; then move each explorer's
sliders (keyboard and mouse) and see its figure and readout follow.

Screenshots (whole notebook, page by page, and each explorer after its moves) go to
tests/browser/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat
import pages
import pytest
from conftest import course_notebooks

from course_lib.tools import export


def check_static_export(saved: Path, shots: Path) -> list[str]:
    """make html's conversion applied to the notebook as JupyterLab saved it after the run:
    every figure output must be an embedded image, and no widget may show as text."""
    nb = nbformat.read(saved, as_version=4)
    figures = sum(
        1
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    )
    html = export.to_html(nb)
    (shots / "static.html").write_text(html, encoding="utf-8")
    problems = []
    embedded = html.count('src="data:image/png;base64,')
    if embedded < figures:
        problems.append(f"static export: {embedded} images embedded for {figures} figures")
    for text in ("Error displaying widget", "a static snapshot. The controls need"):
        if text in html:
            problems.append(f"static export shows {text!r}")
    return problems


def check_notebook(page, rel: str, artifacts, root: Path) -> dict:
    """Run notebook ``rel`` in JupyterLab and collect every problem a student would see."""
    stem = rel.rsplit("/", 1)[-1].removesuffix(".ipynb")
    shots = artifacts / stem
    shots.mkdir(parents=True, exist_ok=True)
    clock = pages.Clock()
    pages.open_notebook(page, rel)
    try:
        clock.lap("open")
        seconds = pages.run_all(page)
        clock.lap("run all")
        problems = pages.wait_figures(page)
        clock.lap("figures drawn")
        problems += pages.lab_problems(page)
        # A laptop's notebook column is ~930 px wide with the file browser open (as a
        # student works), ~1230 px with it closed. A figure cut off in either fails.
        pages.set_file_browser(page, True)
        problems += [
            pages.Problem(f"with the file browser open, {p.where}", p.what)
            for p in pages.clipped_figures(page)
        ]
        pages.set_file_browser(page, False)
        problems += pages.clipped_figures(page)
        pages.wait_idle(page)  # the layout change may have asked figures for a redraw
        explorer_count = pages.explorers(page).count()
        moves, found, move_warnings = pages.exercise_explorers(
            page, shots, settle=lambda: pages.wait_idle(page)
        )
        problems += found
        pages.wait_idle(page)
        clock.lap("explorers")
        pages.screenshot_pages(page, ".jp-NotebookPanel .jp-WindowedPanel-outer", shots, "notebook")
        clock.lap("screenshots")
        problems += pages.console_problems(page.console_log)
    finally:
        pages.save_and_close(page)
        pages.set_file_browser(page, True)
    problems += check_static_export(root / rel, shots)
    summary = {
        "notebook": rel,
        "run_all_seconds": round(seconds, 1),
        "explorers": explorer_count,
        "seconds": clock.laps,
        "moves": [
            {
                "how": m.how,
                "slider": m.slider,
                "from": m.before[0],
                "to": m.after[0],
                "response_ms": pages.milliseconds(m.seconds),
                "figure": [m.before[2], m.after[2]],  # size:hash:drawn share, for diagnosis
            }
            for m in moves
        ],
        "problems": [str(p) for p in problems],
        "warnings": [str(w) for w in move_warnings],
        "console_errors": page.console_log,
    }
    (shots / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    for w in summary["warnings"]:
        warnings.warn(f"{rel}: {w}", stacklevel=1)
    return summary


def _report(summary: dict) -> str:
    lines = [f"{summary['notebook']}: {len(summary['problems'])} problem(s)"]
    lines += [f"  - {p}" for p in summary["problems"]]
    return "\n".join(lines)


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: p.stem)
def test_notebook_as_a_student_sees_it(lab_page, artifacts, workspace, path):
    summary = check_notebook(lab_page, f"notebooks/{path.name}", artifacts, workspace)
    assert not summary["problems"], _report(summary)


def test_harness_passes_a_working_notebook_and_moves_its_explorer(lab_page, artifacts, workspace):
    summary = check_notebook(lab_page, "fixtures/harness_selftest.ipynb", artifacts, workspace)
    assert not summary["problems"], _report(summary)
    assert summary["explorers"] == 1
    assert {"keyboard", "mouse drag"} <= {m["how"] for m in summary["moves"]}


def test_harness_flags_what_a_student_would_see_as_broken(lab_page, artifacts, workspace):
    summary = check_notebook(lab_page, "fixtures/broken_on_purpose.ipynb", artifacts, workspace)
    found = "\n".join(summary["problems"])
    assert "raised ZeroDivisionError" in found, found
    assert "wrote to stderr" in found, found
    assert "IntSlider(value=3" in found, found  # a widget shown as its plain-text repr
    assert "no rendered widget view" in found or "Error displaying widget" in found, found
    # An explorer that ignores its last slider: after a drag, the readout never states the
    # value the slider shows.
    assert "the readout does not state the new value" in found, found
    # Its figure is 960 px wide: cut off in the ~930 px column with the file browser open,
    # whole in the ~1230 px one with it closed.
    clipped = [p for p in summary["problems"] if "px are cut" in p]
    assert clipped, found
    assert all(p.startswith("with the file browser open, figure ") for p in clipped), found


def test_harness_types_into_text_boxes_and_picks_from_dropdowns(lab_page, artifacts, workspace):
    summary = check_notebook(lab_page, "fixtures/harness_text_controls.ipynb", artifacts, workspace)
    moves = {(m["how"], m["slider"]): m for m in summary["moves"]}
    typed = [m for m in summary["moves"] if m["how"] == "typing"]
    picked = [m for m in summary["moves"] if m["how"] == "picking"]
    assert len(typed) == 2 and len(picked) == 2, moves
    # The first explorer: "deep" with its first letter typed again, the task changed.
    assert typed[0]["from"] == "deep" and typed[0]["to"] == "deepd", typed
    assert picked[0]["from"] == "autocompletion" and picked[0]["to"] == "tagging", picked
    assert typed[0]["response_ms"] is not None and picked[0]["response_ms"] is not None
    # Only the second explorer's text box is flagged: it changed, nothing followed.
    assert summary["problems"] == [
        "explorer 2, text box 'or type' (typing): neither figure nor readout changed "
        "(deep -> deepd)"
    ], _report(summary)
