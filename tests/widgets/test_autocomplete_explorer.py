"""Notebook 10's autocompleter: no typed text raises, unknown characters are explained,
the bars show the completions' probabilities, and retraining adds a model to the menu."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from course_lib import autocomplete, wordmodels
from course_lib.widgets import AutocompleteExplorer

_SHARED = {}  # one explorer for all Hypothesis examples of one test (figures close after it)


def shared():
    if "e" not in _SHARED:
        _SHARED["e"] = AutocompleteExplorer()
    return _SHARED["e"]


def widths(e):
    return np.array([seg[1][0] for seg in e.bars.get_segments()])


@given(text=st.text(max_size=40))
def test_any_typed_text_is_handled(text):
    e = shared()
    e.text.value = text
    assert e.last_error is None
    w = widths(e)
    assert np.all((w >= 0) & (w <= 1)) and np.all(np.diff(w) <= 1e-15)  # sorted, in [0, 1]
    assert w.sum() <= 1 + 1e-12
    unknown = {ch for ch in text.split()[-1].lower()} - set(e.symbols) if text.split() else set()
    if unknown:
        assert "the model only knows a–z" in e.readout.value


def test_bars_are_the_completions_of_the_selected_model():
    e = AutocompleteExplorer(text="lea")
    for name in wordmodels.NAMES:
        e.model.value = name
        ckpt = wordmodels.shipped(name)
        result = autocomplete.complete(name, ckpt.params, ckpt.vocab, "lea", k=8)
        probs = [c.probability for c in result.completions]
        np.testing.assert_allclose(widths(e)[: len(probs)], probs)
        assert result.completions[0].word in e.readout.value


def test_long_and_odd_text():
    e = AutocompleteExplorer()
    for text in ("a" * 300, "   ", "ÄÖÜ", "🙂", "two words", "\n\t", "UPPER"):
        e.text.value = text
        assert e.last_error is None
    assert "capital letters were read as lower case" in e.readout.value.lower()


def test_the_epochs_slider_says_what_retrain_will_do():
    e = AutocompleteExplorer(model="gru")
    e.epochs.value = 11
    assert "trains the GRU again for 11 epochs" in e.readout.value
    assert e.model.value == "gru"  # moving the slider alone trains nothing


def test_retraining_adds_and_selects_a_model():
    e = AutocompleteExplorer(text="ab", model="rnn", d=8)
    e.epochs.value = 1
    e.retrain()
    assert e.model.value == "rnn:retrained"
    assert "retrained, 1 epochs" in dict((v, k) for k, v in e.model.options)["rnn:retrained"]
    assert e.last_error is None and len(e.histories["rnn:retrained"].val_losses) == 1
    e.model.value = "lstm"
    e.model.value = "rnn:retrained"
    assert e.last_error is None
