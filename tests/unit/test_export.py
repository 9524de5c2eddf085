"""`make html`: executed notebooks as static pages whose figures need no kernel and whose
widgets never show as text."""

import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_lib.tools import export

VIEW = {"version_major": 2, "version_minor": 0, "model_id": "abc"}
PNG = "iVBORw0KGgo="


def notebook_with(*outputs, markdown="text"):
    cell = new_code_cell("x")
    cell.outputs = list(outputs)
    nb = new_notebook(cells=[new_markdown_cell(markdown), cell])
    nb.metadata["widgets"] = {export.WIDGET_STATE: {"state": {}}}
    return nb


def display(**data):
    return new_output("display_data", data=data)


def test_explorer_and_figure_outputs_keep_only_their_snapshot():
    nb = notebook_with(
        display(
            **{
                export.WIDGET_VIEW: VIEW,
                "image/png": PNG,
                "text/html": "<div>Figure 1</div><img>",
                "text/plain": "Canvas(toolbar=...)",
            }
        )
    )
    out = export.static_outputs(nb)
    assert set(out.cells[1].outputs[0].data) == {"image/png", "text/plain"}
    assert "widgets" not in out.metadata  # no widget state: nothing to fetch from a CDN
    assert export.WIDGET_VIEW in nb.cells[1].outputs[0].data  # the input is left alone


def test_a_widget_without_snapshot_becomes_a_note_not_its_repr():
    nb = notebook_with(display(**{export.WIDGET_VIEW: VIEW, "text/plain": "IntSlider(value=3)"}))
    data = export.static_outputs(nb).cells[1].outputs[0].data
    assert data["text/html"] == export.STATIC_NOTE
    assert "IntSlider" not in str(data)


def test_plain_outputs_are_untouched():
    stream = new_output("stream", name="stdout", text="hello\n")
    figure = display(**{"image/png": PNG, "text/plain": "<Figure>"})
    out = export.static_outputs(notebook_with(stream, figure))
    assert out.cells[1].outputs == [stream, figure]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("[01 GD](01_gradient_descent.ipynb)", "[01 GD](01_gradient_descent.html)"),
        ("[s](02_momentum.ipynb#Summary)", "[s](02_momentum.html#Summary)"),
        ("[x](https://example.org/a.ipynb)", "[x](https://example.org/a.ipynb)"),
        ("[r](README.md)", "[r](README.md)"),
    ],
)
def test_links_between_notebooks_point_to_the_pages(markdown, expected):
    out = export.static_outputs(notebook_with(markdown=markdown))
    assert out.cells[0].source == expected


def test_index_lists_every_page_in_order(tmp_path):
    pages = [tmp_path / "01_b.html", tmp_path / "00_a.html"]
    text = export.index_html(pages)
    assert text.index('href="00_a.html"') < text.index('href="01_b.html"')


def test_export_all_needs_notebooks(tmp_path):
    with pytest.raises(ValueError, match="notebooks must list"):
        export.export_all(tmp_path, [])


@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_export_runs_a_notebook_and_embeds_its_figures(tmp_path, monkeypatch, transport):
    if transport == "tcp":  # what Windows uses: run it here too
        monkeypatch.setattr(export, "kernel_transport", lambda sockets: ("tcp", "127.0.0.1"))
    source = Path(__file__).parents[1] / "browser" / "fixtures" / "harness_selftest.ipynb"
    page = export.export_notebook(source, tmp_path)
    text = page.read_text(encoding="utf-8")
    assert text.count('src="data:image/png;base64,') >= 2  # the sine and the explorer
    for fallback in ("Canvas(", "VBox(", "static snapshot", "widget-view+json"):
        assert fallback not in text
    assert not list(source.parent.glob(".export-*"))  # nothing left beside the notebook
    nbformat.validate(nbformat.read(source, as_version=4))


def test_kernel_sockets_are_private_ipc_on_unix_and_loopback_tcp_on_windows(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert export.kernel_transport(tmp_path) == ("ipc", str(tmp_path / "kernel"))
    monkeypatch.setattr(sys, "platform", "win32")  # ZeroMQ has no ipc transport there
    assert export.kernel_transport(tmp_path) == ("tcp", "127.0.0.1")
