"""Notebook 07's BPTT explorer, driven without a browser: at every setting the terms add up to
the gradient of ℓ_t (loss_and_grads, recomputed here), the truncated sum keeps exactly the
terms j > t − k (k the truncation length), and nothing shown is NaN."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import gradcheck, rnn
from course_lib.widgets import BPTTExplorer
from course_lib.widgets.bptt import WORDS, word_problem

_CACHE = {}


def shared():
    if "e" not in _CACHE:
        _CACHE["e"] = BPTTExplorer()
    return _CACHE["e"]


def grad_of_loss_t(e, word, t, omega, activation):
    x, y = word_problem(word)
    p = dict(e.params, W=omega * e.params["W"])
    return rnn.loss_and_grads(p, x[None, :t], y[t - 1 : t], many_to_one=True,
                              activation=activation)[1]["W"]  # fmt: skip


def test_default_view():
    e = BPTTExplorer()
    assert e.last_error is None and e.t.value == 9 and e.k.value == 3
    assert "Σ terms vs loss_and_grads" in e.readout.value
    kept_k, _ = e.terms_art["kept"].get_data()
    dropped_k, _ = e.terms_art["dropped"].get_data()
    assert list(kept_k) == [7, 8, 9] and list(dropped_k) == [2, 3, 4, 5, 6]  # term 1 is 0


@settings(max_examples=25, deadline=None)
@given(
    t=st.integers(1, 9),
    k=st.integers(1, 9),
    omega=st.floats(0.25, 4.0),
    activation=st.sampled_from(["tanh", "logistic"]),
)
def test_terms_add_up_and_truncation_keeps_the_newest(t, k, omega, activation):
    e = shared()
    e.word.value = "sequences"
    e.activation.value = activation
    e.omega.value = omega
    e.t.value, e.k.value = t, k
    assert e.last_error is None
    omega = float(e.omega.value)  # the slider's grid value
    expected = grad_of_loss_t(e, "sequences", t, omega, activation)
    assert gradcheck.relative_error(e.full, expected) < 1e-10 and e.sum_error < 1e-10
    keep = min(k, t)
    np.testing.assert_allclose(e.truncated, e.terms[t - keep :].sum(axis=0), rtol=1e-12)
    if keep == t:
        np.testing.assert_allclose(e.truncated, e.full, rtol=1e-12)
    for line in (e.terms_art["kept"], e.terms_art["dropped"]):
        y = np.asarray(line.get_ydata(), dtype=float)
        assert not np.isnan(y).any()
    for image in e.images:
        assert np.all(np.isfinite(image.get_array()))
    assert "nan" not in e.readout.value.lower()


@pytest.mark.parametrize("word", WORDS)
def test_every_word_sets_the_sliders_range(word):
    e = BPTTExplorer()
    e.word.value = word
    assert e.t.max == e.k.max == len(word) and e.last_error is None
    assert e.terms.shape == (e.t.value, 6, 6)


def test_small_omega_with_the_logistic_function_vanishes():
    """(rω)^(t−j) bounds ‖∂s_t/∂s_j‖: with r = 1/4 and ω = 0.25 the path from j = 2 to
    t = 9 passes 7 factors of norm at most 1/16; the term it ends in is far below the
    newest one (the other factors, ∂ℓ_t/∂s_t and s_{k−1}, differ by far less)."""
    e = BPTTExplorer()
    e.activation.value = "logistic"
    e.omega.value = 0.25
    norms = np.linalg.norm(e.terms, axis=(1, 2))
    assert norms[1] / norms[-1] < 1e-6
    assert "oldest path (j = 2) / newest (j = t)" in e.readout.value


def test_unknown_word_is_a_clear_error():
    with pytest.raises(ValueError, match="word must be one of"):
        BPTTExplorer("recurrent")
