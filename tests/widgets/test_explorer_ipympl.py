"""Under ipympl (``%matplotlib widget``) an explorer must not send a frame before a browser
is connected: ipympl stores such a frame as bare base64 (no ``data:`` prefix) and the
browser then never draws the figure (found by the browser tests; see Explorer._publish)."""

import os
import subprocess
import sys
import textwrap


def test_explorer_built_before_display_leaves_no_broken_first_frame():
    code = textwrap.dedent(
        """
        from course_lib.widgets import GDExplorer, GuessExplorer
        for cls in (GDExplorer, GuessExplorer):
            explorer = cls()
            canvas = explorer.fig.canvas
            assert type(canvas).__module__.startswith("ipympl"), type(canvas)
            url = canvas._data_url
            assert url is None or url.startswith("data:image/png;base64,"), url[:40]
            explorer.controls[1].value = explorer.controls[1].max  # an update before display
            url = canvas._data_url
            assert url is None or url.startswith("data:image/png;base64,"), url[:40]
            # Not stale after drawing nor after displaying (which saves a PNG): a stale figure
            # is redrawn by pyplot after every cell and comm message, and the burst of frames
            # lost the first one in the browser.
            assert not explorer.fig.stale
            explorer._repr_mimebundle_()
            assert not explorer.fig.stale
            # Once a browser is connected every frame is a full one (ipympl's front end
            # loses difference frames that arrive while the previous image still loads).
            canvas.syncing_data_url = False
            sent = []
            canvas.send = lambda content=None, buffers=None: sent.append(bool(buffers))
            explorer.controls[1].value = explorer.controls[1].min
            assert any(sent) and canvas._current_image_mode == "full"
        print("ok")
        """
    )
    env = {**os.environ, "MPLBACKEND": "module://ipympl.backend_nbagg"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr[-2000:]


def test_browser_draw_requests_reuse_the_explorers_background():
    """The browser asks for a draw whenever ipympl's view is shown, refreshed or resized
    (twice per figure when a notebook opens). ipympl's answer, a full render of every
    artist, cost 0.3-0.7 s per explorer in the browser and slider moves queued behind it;
    the explorer answers from its cached background, re-rendering only after a resize."""
    code = textwrap.dedent(
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from course_lib.widgets import GDExplorer
        renders = []
        full_render = FigureCanvasAgg.draw
        def counted(canvas):
            renders.append(canvas.figure.bbox.size.copy())
            full_render(canvas)
        FigureCanvasAgg.draw = counted
        explorer = GDExplorer()
        canvas = explorer.fig.canvas
        canvas.syncing_data_url = False  # a browser is connected
        sent = []
        canvas.send = lambda content=None, buffers=None: sent.append(bool(buffers))
        renders.clear()
        for _ in range(3):
            canvas.manager.handle_json({"type": "refresh"})
            canvas.manager.handle_json({"type": "draw"})
        assert renders == [], f"{len(renders)} full renders for unchanged draw requests"
        assert sum(sent) >= 3, sent  # every request was answered with a frame
        w, h = explorer.fig.bbox.size
        canvas.manager.handle_json({"type": "resize", "width": int(w) - 40, "height": int(h)})
        canvas.manager.handle_json({"type": "draw"})
        assert len(renders) == 1 and renders[0][0] < w, renders  # the new size, drawn once
        print("ok")
        """
    )
    env = {**os.environ, "MPLBACKEND": "module://ipympl.backend_nbagg"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr[-2000:]
