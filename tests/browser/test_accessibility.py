"""axe-core, the accessibility engine browsers' own audits use, on what the course shows: a
notebook with figures and the six-optimizer race run in JupyterLab (light theme, then dark),
its static HTML export (``make html``) made from that run, and the same notebook presented
with Voilà. The course's own outputs (figures, explorers,
readouts, rendered text) must have no colour-contrast and no image-alt violation; every
violation axe finds there is reported in the artifacts.

axe-core comes from npm (``.ci/run`` installs it; locally ``npm install --prefix DIR
axe-core``) and is found through ``$COURSE_AXE`` (the path of ``axe.min.js``). Without it
these tests are skipped, and in CI they fail.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import nbformat
import pages
import pytest
from conftest import NOTEBOOKS, in_ci
from servers import free_port, start_voila

from course_lib.tools import export, present

#: The notebook audited: figures, and the race whose readout colours each optimizer's name.
AUDITED = next(iter(sorted(NOTEBOOKS.glob("05_*.ipynb"))), None)
#: The rules the course's outputs must pass (goal: no violation at all).
RULES = ["color-contrast", "image-alt", "role-img-alt", "svg-img-alt", "aria-hidden-focus"]
#: The course's own content: outputs and rendered Markdown, not JupyterLab's or Voilà's chrome.
OWN = [".jp-OutputArea-output", ".jp-MarkdownOutput"]


def axe_script() -> Path:
    found = os.environ.get("COURSE_AXE")
    if found and Path(found).is_file():
        return Path(found)
    message = "axe-core not found: set COURSE_AXE to axe.min.js (npm install axe-core)"
    if in_ci():
        pytest.fail(f"CI is set and {message}", pytrace=False)
    pytest.skip(message)


def audit(page, rules=RULES) -> list[dict]:
    """axe's violations of ``rules`` within the course's own content on the page."""
    page.add_script_tag(path=str(axe_script()))
    return page.evaluate(
        """async ([own, rules]) => {
             const context = {include: own.map((s) => [s])};
             const result = await axe.run(context, {runOnly: {type: 'rule', values: rules},
                                                     resultTypes: ['violations']});
             return result.violations.map((v) => ({
               rule: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map((n) => ({target: n.target.join(' '),
                                           html: n.html.slice(0, 200),
                                           summary: n.failureSummary}))}));
           }""",
        [OWN, rules],
    )


def report(name: str, violations: list[dict], artifacts: Path) -> str:
    (artifacts / f"axe-{name}.json").write_text(json.dumps(violations, indent=1))
    lines = [f"{name}: {sum(len(v['nodes']) for v in violations)} violating element(s)"]
    for v in violations:
        for n in v["nodes"][:5]:
            lines.append(f"  {v['rule']} ({v['impact']}): {n['html'][:120]} — {n['summary']}")
    return "\n".join(lines)


def readouts(page) -> list[str]:
    """Each explorer's readout as text (what a screen reader reads)."""
    return [
        pages.shown(pages.explorers(page).nth(i))[1] for i in range(pages.explorers(page).count())
    ]


needs_notebook = pytest.mark.skipif(AUDITED is None, reason="notebook 05 is not there")


@needs_notebook
def test_axe_finds_no_contrast_or_alt_problem_in_a_notebook(
    lab_page, page, artifacts, workspace, tmp_path
):
    axe_script()
    rel = f"notebooks/{AUDITED.name}"
    pages.open_notebook(lab_page, rel)
    try:
        pages.run_all(lab_page)
        assert not pages.wait_figures(lab_page)
        texts = readouts(lab_page)
        assert texts and all(t.strip() for t in texts), texts  # readouts are text
        light = audit(lab_page)
        lab_page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme', "
            "{theme: 'JupyterLab Dark'})"
        )
        lab_page.wait_for_function(
            "() => document.body.dataset.jpThemeLight === 'false'", timeout=15_000
        )
        dark = audit(lab_page)
    finally:
        lab_page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme', "
            "{theme: 'JupyterLab Light'})"
        )
        pages.save_and_close(lab_page)
    # The static export of the notebook as JupyterLab saved it after the run.
    html = tmp_path / f"{AUDITED.stem}.html"
    html.write_text(export.to_html(nbformat.read(workspace / rel, as_version=4)), "utf-8")
    page.goto(html.as_uri())
    static = audit(page)
    # axe only asks for an alt attribute; nbconvert fills a missing one with a placeholder,
    # which axe accepts. Each figure must have its own description instead.
    alts = page.evaluate("() => Array.from(document.images).map((i) => i.alt)")
    (artifacts / "static-html-alts.json").write_text(json.dumps(alts, indent=1))
    assert len(alts) >= 4 and all(a.startswith("Figure: ") for a in alts), alts
    found = "\n".join(
        report(name, violations, artifacts)
        for name, violations in (("jupyterlab-light", light), ("jupyterlab-dark", dark),
                                 ("static-html", static))
    )  # fmt: skip
    assert not light and not dark and not static, found


@needs_notebook
def test_axe_finds_no_contrast_or_alt_problem_in_voila(page, tmp_path, artifacts):
    axe_script()
    port, token = free_port(), secrets.token_hex(24)
    cmd = present.voila_command(AUDITED, port, token=token, open_browser=False)
    log = artifacts / "voila-axe.log"
    server = start_voila(cmd, token, port, tmp_path / "home", log, AUDITED.parent)
    try:
        page.goto(f"{server.url}/?token={token}", timeout=180_000)
        page.wait_for_function("() => !document.getElementById('loading')", timeout=180_000)
        pages.wait_settled(page, ".jp-OutputArea-output, .jupyter-widgets, .course-explorer")
        assert not pages.wait_figures(page)
        violations = audit(page)
    finally:
        server.stop()
    assert not violations, report("voila", violations, artifacts)


def test_audit_sees_a_violation_when_there_is_one(page, tmp_path, chromium_path):
    """The audit can fail: an output with grey-on-white text and an image without alt."""
    axe_script()
    html = tmp_path / "bad.html"
    html.write_text(
        "<html lang='en'><head><title>t</title></head><body>"
        "<div class='jp-OutputArea-output'><p style='color:#E69F00;background:#fff'>"
        "RMSProp</p><img src='data:image/png;base64,iVBORw0KGgo='></div></body></html>"
    )
    page.goto(html.as_uri())
    rules = {v["rule"] for v in audit(page)}
    assert {"color-contrast", "image-alt"} <= rules
