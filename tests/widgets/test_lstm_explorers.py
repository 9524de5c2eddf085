"""Notebook 09's gate explorer, driven without a browser: every slider value works, the
heatmaps change, and the readout's numbers are the cell's (recomputed here)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import lstm
from course_lib.widgets import GateExplorer

MECHANISMS = ["write", "read", "forget", "lstm"]


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_every_slider_extreme_changes_the_heatmaps(mechanism):
    e = GateExplorer(mechanism)
    assert e.last_error is None and "survives to step 16" in e.readout.value
    for control in e.biases.values():
        for value in (control.min, control.max):
            before = [np.array(im.get_array()) for im in e.images.values()]
            control.value = value
            assert e.last_error is None
            after = [np.array(im.get_array()) for im in e.images.values()]
            assert all(np.all(np.isfinite(a)) for a in after)
            assert any(not np.array_equal(a, b) for a, b in zip(after, before, strict=True))


def test_the_forget_gate_decides_what_survives():
    e = GateExplorer("forget")
    e.biases["f"].value = 6.0
    kept_open = float(np.prod(e.cache["f"][1:], axis=0).mean())
    e.biases["f"].value = -6.0
    kept_closed = float(np.prod(e.cache["f"][1:], axis=0).mean())
    assert kept_open > 0.8 and kept_closed < 1e-20
    # the readout reports the same number, from an independent forward pass
    p = dict(e.params, bo=np.zeros(6), bi=np.zeros(6), bf=np.full(6, -6.0))
    _, cache = lstm.forward(p, e.X)
    assert f"{float(np.prod(cache['f'][0, 1:], axis=0).mean()):.3g}" in e.readout.value


@given(bo=st.floats(-6, 6), bi=st.floats(-6, 6), bf=st.floats(-6, 6))
def test_random_biases(bo, bi, bf):
    e = _shared()
    e.biases["o"].value, e.biases["i"].value, e.biases["f"].value = bo, bi, bf
    assert e.last_error is None
    gates = np.array(e.images["f: forget gate"].get_array())
    assert np.all((gates >= 0) & (gates <= 1))


_CACHE = {}


def _shared():
    if "e" not in _CACHE:
        _CACHE["e"] = GateExplorer("lstm")
    return _CACHE["e"]


def test_unknown_mechanism_is_a_clear_error():
    with pytest.raises(ValueError, match="mechanism must be one of"):
        GateExplorer("remember")
