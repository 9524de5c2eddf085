"""Shared test set-up: a non-interactive matplotlib backend, explorers that raise, no leaks."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Explorer sweeps redraw figures; the default 200 ms deadline is too tight on a 2-core CI box.
settings.register_profile("course", deadline=None, max_examples=40)
settings.load_profile("course")


@pytest.fixture(autouse=True)
def _explorers_raise(monkeypatch):
    """In tests an explorer's update error must fail the test, not go to its readout."""
    from course_lib.widgets import base

    monkeypatch.setattr(base, "RAISE_ERRORS", True)
    yield
    plt.close("all")
