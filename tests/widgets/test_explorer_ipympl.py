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
