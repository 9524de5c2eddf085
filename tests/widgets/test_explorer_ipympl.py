"""Under ipympl (``%matplotlib widget``) an explorer must not send a frame before a browser
is connected: ipympl stores such a frame as bare base64 (no ``data:`` prefix) and the
browser then never draws the figure (see Explorer._publish)."""

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
            # is redrawn by pyplot after every cell and comm message, and ipympl's front end
            # can lose the first frame of such a burst.
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


def test_a_move_after_ipympl_redraw_reuses_the_background():
    # The browser asks ipympl for full renders (a view shown or resized: twice per explorer
    # when a notebook opens). Constrained layout re-runs in each and moves the axes by
    # ~1e-16 of the figure; the next slider move must not take that for a new layout and
    # re-render the whole background (a full render instead of a restore and blit).
    code = textwrap.dedent(
        """
        from course_lib import plots
        from course_lib.widgets import GDExplorer, GuessExplorer, ScheduleExplorer

        plots.use_style()  # constrained layout, as in the notebooks
        checked = 0
        for cls in (GDExplorer, GuessExplorer, ScheduleExplorer):
            explorer = cls()
            canvas = explorer.fig.canvas
            canvas.syncing_data_url = False  # a browser is connected
            canvas.send = lambda content=None, buffers=None: None
            renders = []
            full_render = explorer._draw_background
            explorer._draw_background = lambda: (renders.append(1), full_render())
            for control in explorer.controls:
                if not hasattr(control, "min"):
                    continue
                for value in (control.min, control.max):
                    canvas.handle_event({"type": "draw"})  # the browser asks for a render
                    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in explorer.fig.axes]
                    before = len(renders)
                    control.value = value
                    if limits != [(ax.get_xlim(), ax.get_ylim()) for ax in explorer.fig.axes]:
                        continue  # new axis limits: a new background is right
                    checked += 1
                    assert len(renders) == before, (cls.__name__, control.description, value)
        assert checked >= 3, checked
        print("ok")
        """
    )
    env = {**os.environ, "MPLBACKEND": "module://ipympl.backend_nbagg"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr[-2000:]
