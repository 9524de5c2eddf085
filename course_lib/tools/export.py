"""A static HTML copy of every notebook, executed, for reading without a kernel.

``make html`` runs ``python -m course_lib.tools.workspace html --out build/html``: each notebook in
``notebooks/`` is executed (two at a time), its widget outputs are replaced by what can be
shown without a kernel, and it is written as one self-contained HTML file with its figures
embedded, beside an ``index.html`` that lists them.

By default the pages hold no solutions: solution cells are replaced as in the student release
(``release.without_solutions``) before the notebook runs. ``--solutions`` (``make html
SOLUTIONS=1``) keeps them, each folded in a ``<details>`` element that the reader opens.
Every figure's PNG carries its text description as ``alt`` (``plots.description``).

Widgets need a live kernel. In the export an explorer or an ipympl figure shows the PNG
snapshot it carries in its output (taken when it was displayed); any other widget (a slider
on its own, a progress bar) becomes a one-line note saying where it works.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .. import _validate as check
from . import _checks

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
STATIC_NOTE = (
    "<p style='color:#555;font-style:italic'>(An interactive control: it works when this "
    "notebook runs in JupyterLab, <code>make lab</code>.)</p>"
)
#: The metadata key of a figure's screen-reader output (plots.accessible.OUTPUT_KEY; the
#: tools import no plots module, tests/unit/test_figure_description.py checks they agree).
FIGURE_DESCRIPTION = "course_figure_description"
_LINK = re.compile(r"\]\(((?![a-z][a-z0-9+.-]*:)[^)#\s]+)\.ipynb(#[^)\s]*)?\)", re.I)


def static_outputs(nb):
    """A copy of notebook ``nb`` (nbformat v4) whose outputs need no kernel and no network.

    - An output with a widget view and a PNG (explorers, ipympl figures) keeps only the PNG
      and its text: the widget view and ipympl's HTML (which labels it "Figure 1") go.
    - Any other widget output becomes :data:`STATIC_NOTE`.
    - The saved widget state is dropped (it would load widget code from a CDN).
    - A figure's screen-reader output goes (the image's alt text holds the same words).
    - Links to other notebooks of the course point to their HTML pages.
    """
    nb = copy.deepcopy(_checks.notebook("nb", nb))
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.get("outputs"):  # a figure's screen-reader text: its image's alt says it
            cell.outputs = [
                o for o in cell.outputs if not o.get("metadata", {}).get(FIGURE_DESCRIPTION)
            ]
        if cell.cell_type == "markdown":
            cell.source = _LINK.sub(
                lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", cell.source
            )
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            if "image/png" in data:
                out["data"] = {k: v for k, v in data.items() if k in ("image/png", "text/plain")}
                out.setdefault("metadata", {}).pop(WIDGET_VIEW, None)
            else:
                out["data"] = {"text/html": STATIC_NOTE, "text/plain": "(interactive control)"}
    return nb


def kernel_transport(sockets: Path) -> tuple[str, str]:
    """(transport, address) for a kernel's ZeroMQ sockets.

    On Linux and macOS: IPC sockets in the private folder ``sockets``, so only this user can
    reach the kernel. ZeroMQ's ipc transport is Unix-only, so on Windows: TCP on 127.0.0.1
    (Jupyter's default), where the connection file's key signs every message.
    """
    sockets = check.path("sockets", sockets)
    if sys.platform == "win32":
        return "tcp", "127.0.0.1"
    return "ipc", str(sockets / "kernel")


def execute(nb, cwd: Path, timeout: int = 600):
    """Run every cell of ``nb`` in a fresh kernel (the notebook's kernelspec) from ``cwd``,
    each cell for at most ``timeout`` seconds; ``nb`` gets the outputs and is returned (a
    NotebookNode: a plain dict is run as a new NotebookNode, returned)."""
    nb, cwd = _checks.notebook("nb", nb), check.path("cwd", cwd)
    timeout = check.integer("timeout", timeout, minimum=1)
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="course-export-") as sockets:
        km = KernelManager(kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"))
        km.transport, km.ip = kernel_transport(Path(sockets))
        NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            resources={"metadata": {"path": str(cwd)}},
            store_widget_state=False,
        ).execute()
    return nb


#: nbconvert's lab template with two changes: a solution cell is folded in ``<details>``,
#: and a PNG output's ``alt`` metadata (``plots.description``) becomes the image's alt text.
COURSE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block any_cell %}
{%- if 'solution' in cell.metadata.get('tags', []) -%}
<details class="course-solution"><summary>Solution (open after trying)</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock any_cell %}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set width = output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width={{ width | escape_html }}{% endif -%}
{%- set height = output | get_metadata('height', 'image/png') -%}
{%- if height is not none %} height={{ height | escape_html }}{% endif %}
alt="{{ output | get_metadata('alt', 'image/png') | default('Figure', true) | escape_html }}">
</div>
{% endblock data_png %}
"""


def to_html(nb, mathjax_url: str | None = None) -> str:
    """One HTML page (JupyterLab's look, figures embedded, solution cells folded) of ``nb``.

    Equations are typeset by MathJax from ``mathjax_url`` (default: nbconvert's CDN).
    """
    nb = _checks.notebook("nb", nb)
    mathjax_url = check.optional_text("mathjax_url", mathjax_url)
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    options = {"mathjax_url": mathjax_url} if mathjax_url else {}
    exporter = HTMLExporter(
        template_name="lab",
        template_file="course.html.j2",
        extra_loaders=[DictLoader({"course.html.j2": COURSE_TEMPLATE})],
        embed_images=True,
        **options,
    )
    body, _ = exporter.from_notebook_node(static_outputs(nb))
    return body


def local_mathjax(out: Path) -> str | None:
    """Copy MathJax beside the pages when the package jupyter-server-mathjax is installed,
    so that equations render offline; returns the relative URL to use, or None (CDN)."""
    out = check.path("out", out)
    try:
        import jupyter_server_mathjax
    except ImportError:
        return None
    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (static / "MathJax.js").exists():
        return None
    shutil.copytree(static, out / "mathjax", dirs_exist_ok=True)
    return "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


def export_notebook(
    path: Path, out: Path, mathjax_url: str | None = None, solutions: bool = False
) -> Path:
    """Execute notebook ``path`` (without its solutions unless ``solutions``) and write
    ``out/<name>.html``; returns the page's path."""
    import nbformat

    path, out = check.path("path", path), check.path("out", out)
    mathjax_url = check.optional_text("mathjax_url", mathjax_url)
    solutions = check.flag("solutions", solutions)

    from .release import without_solutions

    nb = nbformat.read(path, as_version=4)
    if not solutions:
        nb = without_solutions(nb)
    execute(nb, cwd=path.parent)
    target = out / f"{path.stem}.html"
    target.write_text(to_html(nb, mathjax_url), encoding="utf-8")
    return target


def index_html(pages: list[Path]) -> str:
    """A page linking every exported notebook, in course order."""
    pages = _checks.paths("pages", pages)
    items = "\n".join(
        f'<li><a href="{html.escape(p.name)}">{html.escape(p.stem.replace("_", " "))}</a></li>'
        for p in sorted(pages)
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Course notebooks</title>"
        "<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.6}"
        "</style></head><body><h1>Course notebooks (static copies)</h1>"
        "<p>Executed copies for reading without a kernel. The explorers show a snapshot; to "
        "move their sliders, open the course in JupyterLab (<code>make lab</code>).</p>"
        f"<ol start='0'>{items}</ol></body></html>"
    )


def export_all(
    out: Path, notebooks: list[Path], workers: int = 2, solutions: bool = False
) -> list[Path]:
    """Export each of ``notebooks`` to ``out`` (with their solutions if ``solutions``),
    plus an index, running ``workers`` notebooks at a time."""
    out, notebooks = check.path("out", out), _checks.paths("notebooks", notebooks)
    workers = check.integer("workers", workers, minimum=1)
    solutions = check.flag("solutions", solutions)
    if not notebooks:
        raise ValueError("notebooks must list at least one .ipynb file, got none")
    out.mkdir(parents=True, exist_ok=True)
    mathjax = local_mathjax(out)
    if mathjax is None:
        print("Equations will be typeset by MathJax from its CDN (needs a network when read);")
        print("install jupyter-server-mathjax to ship MathJax beside the pages instead.")
    n = len(notebooks)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pages = list(
            pool.map(export_notebook, notebooks, [out] * n, [mathjax] * n, [solutions] * n)
        )
    (out / "index.html").write_text(index_html(pages), encoding="utf-8")
    return pages
