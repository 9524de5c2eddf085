"""An explorer's background render that comes out with transparent holes is redone with a
fresh Agg renderer (under ipympl a reused renderer can leave a panel without its axes)."""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from course_lib.widgets import GDExplorer


def test_a_blank_render_is_redone_with_a_new_renderer(monkeypatch):
    e = GDExplorer()
    canvas = e.fig.canvas
    bad = canvas.get_renderer()
    draw = FigureCanvasAgg.draw

    def draw_into_a_broken_renderer(c):
        draw(c)
        if c.renderer is bad:
            bad.clear()  # as if the render had left everything transparent

    monkeypatch.setattr(FigureCanvasAgg, "draw", draw_into_a_broken_renderer)
    e.invalidate()
    e.lr.value = e.lr.value * 1.5
    assert canvas.get_renderer() is not bad
    assert np.asarray(canvas.buffer_rgba())[..., 3].min() == 255
