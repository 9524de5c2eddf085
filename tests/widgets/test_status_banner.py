"""The banner that reports "diverged at step k" and similar news stays inside its panel."""

import matplotlib.pyplot as plt
import pytest

from course_lib import plots


@pytest.mark.parametrize("width", [2.5, 4.0, 9.0])
def test_a_long_message_is_wrapped_to_the_width_of_its_axes(width):
    fig, ax = plt.subplots(figsize=(width, 3))
    banner = plots.status_text(ax)
    message = "left the plotted window at update 242 after the learning rate grew too large"
    plots.set_status(banner, message)
    fig.canvas.draw()
    box = banner.get_window_extent()
    assert banner.get_visible() and banner.get_text().split() == message.split()
    assert box.x0 >= ax.bbox.x0 - 1 and box.x1 <= ax.bbox.x1 + 1, (box, ax.bbox)
    plt.close(fig)


def test_no_message_hides_the_banner():
    fig, ax = plt.subplots()
    banner = plots.status_text(ax)
    plots.set_status(banner, "diverged at step 3")
    plots.set_status(banner, None)
    assert not banner.get_visible() and banner.get_text() == ""
    plt.close(fig)
