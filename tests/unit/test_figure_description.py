"""Every figure has a short text description: the alt text of its exported image, and what
a screen reader reads in JupyterLab (plots.accessible)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import matplotlib.pyplot as plt
import pytest

from course_lib import plots
from course_lib.plots import accessible


def test_a_figure_describes_itself_from_titles_labels_and_legend():
    fig, (a, b) = plt.subplots(1, 2)
    a.plot([0, 1], label="momentum")
    a.plot([1, 0], label="NAG")
    a.set(title="the race", xlabel="step $t$", ylabel=r"loss $\mathcal{L}$")
    a.legend()
    b.set(title="paths", xlabel="$w$", ylabel="$b$")
    text = plots.description(fig)
    assert text == (
        "Figure: 2 panels. panel 1, the race: plot of loss L against step t, showing momentum, "
        "NAG; panel 2, paths: plot of b against w."
    )
    plt.close(fig)


def test_3d_colorbars_and_suptitle():
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    ax.set(xlabel="w", ylabel="b", zlabel=r"$\|\nabla L\|$")
    image = ax.figure.add_subplot(2, 2, 4).imshow([[0, 1]])
    fig.colorbar(image)
    fig.suptitle("surfaces")
    text = plots.description(fig)
    assert text.startswith("Figure: surfaces. 2 panels. panel 1, 3-D plot of ‖∇L‖ over w and b")
    assert "colorbar" not in text
    plt.close(fig)


def test_a_given_description_wins_and_must_be_text():
    fig, _ = plt.subplots()
    assert plots.describe(fig, "  The loss falls.  ") is fig
    assert plots.description(fig) == "The loss falls."
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        plots.describe(fig, "")
    plt.close(fig)


def test_screen_reader_text_is_escaped_and_hidden():
    fig, ax = plt.subplots()
    ax.set_title("a < b & c")
    html = accessible.screen_reader_html(fig)
    assert "a &lt; b &amp; c" in html and "clip:rect(0,0,0,0)" in html
    assert accessible.alt_metadata(fig) == {"image/png": {"alt": plots.description(fig)}}
    plt.close(fig)


def test_a_pyplot_figure_under_ipympl_is_shown_with_alt_text_and_screen_reader_text():
    """What plt.show() displays in a notebook (%matplotlib widget): the canvas widget whose
    PNG carries the alt text, then the hidden text for screen readers."""
    code = textwrap.dedent(
        """
        import IPython.display
        import matplotlib.pyplot as plt
        from course_lib import plots
        shown = []
        IPython.display.display = lambda *a, **k: shown.append((a, k))
        plots.use_style()
        fig, ax = plt.subplots()
        ax.set(title="loss", xlabel="step", ylabel="L")
        fig.canvas._ipython_display_()
        (figure, f_kw), (hidden, h_kw) = shown
        text = "Figure: loss: plot of L against step."
        assert "image/png" in figure[0] and f_kw["raw"], figure[0].keys()
        assert f_kw["metadata"] == {"image/png": {"alt": text}}, f_kw
        assert figure[0]["text/plain"] == text
        assert hidden[0]["text/plain"] == text and h_kw["metadata"] == {
            "course_figure_description": True}
        print("ok")
        """
    )
    env = {**os.environ, "MPLBACKEND": "module://ipympl.backend_nbagg"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip().endswith("ok"), out.stderr[-2000:]


def test_other_canvases_are_left_alone():
    fig, _ = plt.subplots()
    accessible.describe_when_shown(fig)  # Agg in the tests: no _repr_mimebundle_
    assert not hasattr(fig.canvas, "_course_described")
    plt.close(fig)


def test_the_export_drops_the_screen_reader_output_and_keeps_the_alt_text():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from course_lib.tools import export

    assert export.FIGURE_DESCRIPTION == accessible.OUTPUT_KEY
    image = new_output(
        "display_data",
        data={"image/png": "iVBORw0KGgo=", "text/plain": "Figure: x."},
        metadata={"image/png": {"alt": "Figure: x."}},
    )
    spoken = new_output(
        "display_data",
        data={"text/html": "<div>Figure: x.</div>", "text/plain": "Figure: x."},
        metadata={accessible.OUTPUT_KEY: True},
    )
    cell = new_code_cell("plt.show()")
    cell.outputs = [image, spoken]
    out = export.static_outputs(new_notebook(cells=[cell]))
    assert out.cells[0].outputs == [image]
    assert 'alt="Figure: x."' in export.to_html(out).replace("'", '"')
