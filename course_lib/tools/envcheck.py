"""Notebook 00's environment check: versions, and whether widgets can render.

The kernel can see which packages and JupyterLab extensions are installed, but only the
browser knows whether a widget actually rendered. :func:`widget_probe` covers that: it is a
widget whose plain-text stand-in (what Jupyter shows when the widget extension is missing or
mismatched) is a sentence telling the student what to do.
"""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path

PACKAGES = [
    "numpy",
    "matplotlib",
    "ipywidgets",
    "ipympl",
    "jupyterlab",
    "jupyterlab_widgets",
    "tqdm",
]
# JupyterLab front-end extensions the explorers need, by their npm package names.
LAB_EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "jupyterlab_widgets",
    "jupyter-matplotlib": "ipympl",
}


def versions() -> dict[str, str | None]:
    """Installed version of each package the course needs (None when missing)."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def lab_extensions() -> dict[str, str | None]:
    """Version of each needed JupyterLab extension found in the data paths (None if absent)."""
    try:
        from jupyter_core.paths import jupyter_path
    except ImportError:  # no Jupyter at all
        return dict.fromkeys(LAB_EXTENSIONS)
    found: dict[str, str | None] = dict.fromkeys(LAB_EXTENSIONS)
    for root in jupyter_path("labextensions"):
        for name in LAB_EXTENSIONS:
            package = Path(root, *name.split("/"), "package.json")
            if found[name] is None and package.exists():
                found[name] = json.loads(package.read_text()).get("version", "?")
    return found


def problems() -> list[str]:
    """Plain-language problems with the installation; empty when everything is in place."""
    found = []
    for name, version in versions().items():
        if version is None:
            found.append(
                f"The package {name} is missing: run `python course.py lab` again (it installs it)."
            )
    for ext, version in lab_extensions().items():
        if version is None:
            found.append(
                f"JupyterLab's extension {ext} (from the package {LAB_EXTENSIONS[ext]}) is not "
                "installed where this kernel's Jupyter looks: explorers will show as text."
            )
    return found


def report() -> str:
    """A short Markdown report: versions table, then problems or an all-clear."""
    rows = [f"| {k} | {v or '**missing**'} |" for k, v in versions().items()]
    rows += [f"| {k} (lab extension) | {v or '**missing**'} |" for k, v in lab_extensions().items()]
    issues = problems()
    verdict = (
        "\n".join(f"- ⚠️ {p}" for p in issues)
        if issues
        else "- ✅ Every package and JupyterLab extension the course needs is installed."
    )
    return "| component | version |\n|---|---|\n" + "\n".join(rows) + "\n\n" + verdict


def widget_probe():
    """A widget that says "widgets work" where it renders, and explains the fix where not."""
    import ipywidgets as widgets

    class _Probe(widgets.HTML):
        def _repr_mimebundle_(self, **kwargs):
            bundle = super()._repr_mimebundle_(**kwargs)
            bundle["text/plain"] = (
                "⚠️ WIDGETS ARE NOT RENDERING: you are seeing this text instead of a green box. "
                "The explorers of this course will not work here. See README.md, "
                "'Troubleshooting: widgets shown as text'."
            )
            return bundle

    return _Probe(
        value="<div style='padding:6px 10px;background:#e6f4ea;border-left:4px solid #1e8e3e'>"
        "✅ <b>Widgets render in this browser.</b> The explorers of the course will work.</div>"
    )
