"""Helpers for the widget tests (imported by name: pytest puts this folder on sys.path)."""

import ipywidgets as widgets

_EXPLORERS: dict = {}


def extremes(control) -> list:
    """A control's two ends; a log slider's min and max are exponents of its base."""
    if isinstance(control, widgets.FloatLogSlider):
        return [control.base**control.min, control.base**control.max]
    return [control.min, control.max]


def shared(make, key):
    """One explorer ``make()`` per ``key`` for all Hypothesis examples of a test (building a
    figure per example is slow). Key it by the test: the autouse fixture closes all figures
    after each test, so an explorer must not outlive the test that made it."""
    if key not in _EXPLORERS:
        _EXPLORERS[key] = make()
    return _EXPLORERS[key]
