"""Every notebook as a student meets it in JupyterLab: open it, Run All, wait for the kernel,
and see no error, no widget shown as text, every figure drawn; then move each explorer's
sliders (keyboard and mouse) and see its figure and readout follow.

Screenshots (whole notebook, page by page, and each explorer after its moves) go to
tests/browser/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json

import pages
import pytest
from conftest import course_notebooks


def check_notebook(page, lab, rel: str, artifacts) -> dict:
    """Run notebook ``rel`` in JupyterLab and collect every problem a student would see."""
    stem = rel.rsplit("/", 1)[-1].removesuffix(".ipynb")
    shots = artifacts / stem
    shots.mkdir(parents=True, exist_ok=True)
    pages.open_notebook(page, lab, rel)
    seconds = pages.run_all(page)
    problems = pages.wait_rendered(page)
    problems += pages.notebook_problems(page)

    moves = []
    n = pages.explorers(page).count()
    for i in range(n):
        for move in (pages.move_with_keyboard, pages.move_with_mouse):
            result = move(page, i)
            if result is None:
                continue
            moves.append(result)
            problems += result.problems()
        pages.explorers(page).nth(i).screenshot(path=str(shots / f"explorer-{i + 1:02d}.png"))
    pages.wait_idle(page)
    problems += pages.console_problems(page.console_log)
    pages.screenshot_pages(page, ".jp-NotebookPanel .jp-WindowedPanel-outer", shots, "notebook")
    pages.save_and_close(page)
    summary = {
        "notebook": rel,
        "run_all_seconds": round(seconds, 1),
        "explorers": n,
        "moves": [
            {"how": m.how, "slider": m.slider, "from": m.before[0], "to": m.after[0],
             "response_ms": round(1000 * m.seconds)}
            for m in moves
        ],
        "problems": [str(p) for p in problems],
        "console_errors": page.console_log,
    }
    (shots / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    return summary


def _report(summary: dict) -> str:
    lines = [f"{summary['notebook']}: {len(summary['problems'])} problem(s)"]
    lines += [f"  - {p}" for p in summary["problems"]]
    return "\n".join(lines)


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: p.stem)
def test_notebook_as_a_student_sees_it(page, lab, artifacts, path):
    summary = check_notebook(page, lab, f"notebooks/{path.name}", artifacts)
    assert not summary["problems"], _report(summary)


def test_harness_passes_a_working_notebook_and_moves_its_explorer(page, lab, artifacts):
    summary = check_notebook(page, lab, "fixtures/harness_selftest.ipynb", artifacts)
    assert not summary["problems"], _report(summary)
    assert summary["explorers"] == 1
    assert {m["how"] for m in summary["moves"]} == {"keyboard", "mouse drag"}


def test_harness_flags_what_a_student_would_see_as_broken(page, lab, artifacts):
    summary = check_notebook(page, lab, "fixtures/broken_on_purpose.ipynb", artifacts)
    found = "\n".join(summary["problems"])
    assert "raised ZeroDivisionError" in found, found
    assert "wrote to stderr" in found, found
    assert "IntSlider(value=3" in found, found  # a widget shown as its plain-text repr
    assert "no rendered view" in found or "Error displaying widget" in found, found
