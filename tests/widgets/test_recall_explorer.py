"""Notebook 10's recall explorer: no typed key raises, the figure shows the shipped model's
probabilities (computed here by hand from a forward pass), the readout states the slider."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import recall
from course_lib.widgets import RecallExplorer
from course_lib.widgets.recall import fillers

_SHARED = {}


def shared():
    if "e" not in _SHARED:
        _SHARED["e"] = RecallExplorer()
    return _SHARED["e"]


def heights(sticks):
    return np.array([seg[1][1] for seg in sticks.get_segments()])


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=12))
def test_any_typed_key_is_handled(text):
    e = shared()
    e.key.value = text
    assert e.last_error is None
    key = text.strip().lower()
    if len(key) == 2 and set(key) <= set("abcdefgh"):
        assert f"key “{key}”" in e.readout.value
    else:
        assert "two letters from a to h" in e.readout.value
        assert all(np.all(heights(s) == 0) for s in e.sticks)


def test_the_bars_are_the_models_recall_probabilities():
    e = RecallExplorer(key="hb", model="gru", gap=10, draw=3)
    ckpt = recall.shipped_model("gru", 10)
    # The sequence by hand: keys are symbols 0-7, fillers 8-15, "=" is 16.
    seq = [7, 1] + [8 + "stuvwxyz".index(ch) for ch in fillers(10, 3)] + [16, 7, 1]
    X = np.eye(17)[seq[:-1]][None]
    from course_lib import gru

    probs, _ = gru.forward(ckpt.params, X)
    np.testing.assert_allclose(heights(e.sticks[0]), probs[0, -2, :8])
    np.testing.assert_allclose(heights(e.sticks[1]), probs[0, -1, :8])
    p_true = probs[0, np.arange(len(seq) - 1), seq[1:]]
    np.testing.assert_allclose(e.line.get_ydata(), p_true)
    assert f"P(h) = {p_true[-2]:.2f}" in e.readout.value


def test_every_model_and_draw_is_shown_and_stated():
    e = RecallExplorer()
    for value in [v for _, v in e.model.options]:
        e.model.value = value
        for draw in (0, 7, 19):
            e.fill_draw.value = draw
            assert e.last_error is None
            assert f"fillers {draw}" in e.readout.value
            acc = recall.shipped_model(*value).info["scores"]["accuracy"]
            assert f"accuracy of this model: {acc:.2f}" in e.readout.value
            assert np.all(np.isfinite(e.line.get_ydata()))


def test_the_verdict_follows_the_likeliest_letters():
    e = RecallExplorer(key="cf", model="lstm", gap=10)
    assert "<b>recalls the key</b>" in e.readout.value  # the LSTM of gap 10 recalls 100 %
    e.model.value = ("rnn", 40)  # at chance on held-out sequences
    first, second = heights(e.sticks[0]), heights(e.sticks[1])
    right = first.argmax() == 2 and second.argmax() == 5
    assert ("<b>recalls the key</b>" in e.readout.value) == right


def test_bad_settings_are_named():
    import pytest

    for kwargs, words in [({"model": "cnn"}, "model"), ({"gap": 20}, "gap"),
                          ({"draw": 20}, "draw"), ({"draw": -1}, "draw"),
                          ({"draw": 1.5}, "draw")]:  # fmt: skip
        with pytest.raises((ValueError, TypeError), match=words):
            RecallExplorer(**kwargs)


def test_with_a_key_it_cannot_read_the_readout_still_follows_the_model():
    """The readout always states the model chosen, so a student who picks another model while
    the key is being typed sees the choice taken (the browser harness picks one)."""
    e = RecallExplorer(key="cfc")
    said = set()
    for option in e.model.options:
        e.model.value = option[1]
        assert "must be two letters" in e.readout.value and e.last_error is None
        said.add(e.readout.value)
    assert len(said) == len(e.model.options)
