"""Explorer of notebook 07: the terms of BPTT's sum over paths, one per step j where a path
starts, for a small RNN reading a word; sliders for t, the truncation length k (notebook
08's symbol), the scale ω = ‖W‖₂, and the activation."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import gradcheck, plots, rnn
from .. import sequences as sq
from ..plots import sequence_tasks as drawing
from .base import Explorer, int_slider, log_slider

WORDS = ("sequences", "deep", "learning", "remember")


def toy_rnn(d: int = 6, seed: int = 0) -> dict:
    """The explorer's RNN: ``rnn.init_params(27, d, 27, rng=seed, w_scale=1)`` over the
    letters and ⟨stop⟩, so W = Q is orthogonal and W = ω·Q has ‖W‖₂ = ρ(W) = ω."""
    return rnn.init_params(len(sq.LETTERS), d, len(sq.LETTERS), rng=seed)


def word_problem(word: str) -> tuple[np.ndarray, np.ndarray]:
    """``(x (T, 27), y (T,))``: the word's letters one-hot, the next letter as target."""
    ids, targets = sq.next_char_pairs(word, sq.LETTERS)
    return sq.LETTERS.one_hot(ids), np.array(targets)


def terms_at(params: dict, word: str, t: int, omega: float, activation: str) -> np.ndarray:
    """The path terms of ∂ℓ_t/∂W, (t, d, d), for ``params`` with W scaled to ω·W."""
    x, y = word_problem(word)
    return rnn.bptt_terms(dict(params, W=omega * params["W"]), x, y, t, activation=activation)


class BPTTExplorer(Explorer):
    """Left: ‖term j‖ of ∂ℓ_t/∂W = Σ_j ∂ℓ_t/∂s_t · ∂s_t/∂s_j · ∂⁺s_j/∂W against j, scaled by
    the largest; the terms a truncation at k drops (j ≤ t − k) are hollow. Right: the full
    ∂ℓ_t/∂W and the truncated sum Σ_{j > t−k} as heatmaps on one colour scale. The readout
    checks that the terms add up to ``rnn.loss_and_grads``'s gradient of ℓ_t and gives the
    truncation's relative error.
    """

    title = "BPTT explorer"

    def __init__(self, word: str = "sequences", d: int = 6, seed: int = 0):
        if word not in WORDS:
            raise ValueError(f"word must be one of {WORDS}, got {word!r}")
        self.params = toy_rnn(d, seed)
        T = len(word)
        style = {"description_width": "initial"}
        self.word = widgets.Dropdown(options=WORDS, value=word, description="word", style=style)
        self.activation = widgets.Dropdown(
            options=rnn.ACTIVATIONS, value="tanh", description="σ", style=style
        )
        self.t = int_slider("loss at step t", T, 1, T)
        self.k = int_slider("truncate k", 3, 1, T)
        self.omega = log_slider("ω = ‖W‖₂", 1.0, 0.25, 4.0)
        fig, axes = plots.new_figure(
            1, 3, figsize=(9.0, 3.3), width_ratios=[2.2, 1, 1], layout="constrained"
        )
        self.terms_art = drawing.path_terms(axes[0], max(len(w) for w in WORDS))
        self.images = drawing.gradient_images(axes[1:], d)
        self.dynamic = [*self.terms_art.values(), *self.images]
        controls = [self.t, self.k, self.omega, self.activation, self.word]
        self._finish(controls, fig)

    def update(self) -> None:
        word, T = self.word.value, len(self.word.value)
        self.t.max = self.k.max = T
        t, k, omega = self.t.value, min(self.k.value, self.t.value), float(self.omega.value)
        terms = terms_at(self.params, word, t, omega, self.activation.value)
        norms = np.linalg.norm(terms, axis=(1, 2))
        full, truncated = terms.sum(axis=0), terms[t - k :].sum(axis=0)
        drawing.set_path_terms(self.terms_art, norms, k)
        drawing.set_gradient_images(self.images, full, truncated)
        self.terms, self.full, self.truncated = terms, full, truncated
        self.sum_error = self._check_sum(word, t, omega, full)
        lost = gradcheck.relative_error(truncated, full)
        self.readout.value = (
            f"'{word}', σ = {self.activation.value}, ω = {omega:.3g}, loss at step t = {t}, "
            f"truncate k = {self.k.value}: ‖∂ℓ_t/∂W‖ = {np.linalg.norm(full):.3g}; "
            f"largest term j = {int(norms.argmax()) + 1}, oldest path (j = 2) / newest (j = t) = "
            f"{_ratio(norms, t)} · truncated sum: relative error "
            f"<b>{lost:.2g}</b> · Σ terms vs loss_and_grads: {self.sum_error:.1e}"
        )

    def _check_sum(self, word: str, t: int, omega: float, full: np.ndarray) -> float:
        """Relative error between the sum of the terms and ``rnn.loss_and_grads``'s ∂ℓ_t/∂W
        (ℓ_t alone is the many-to-one loss of the first t steps)."""
        x, y = word_problem(word)
        params = dict(self.params, W=omega * self.params["W"])
        _, grads = rnn.loss_and_grads(
            params, x[None, :t], y[t - 1 : t], many_to_one=True, activation=self.activation.value
        )
        return gradcheck.relative_error(full, grads["W"])


def _ratio(norms: np.ndarray, t: int) -> str:
    """‖term 2‖ / ‖term t‖ (term j = 1 of ∂ℓ_t/∂W is 0: it holds s_0 = 0)."""
    if t < 2:
        return "— (one term only)"
    return "∞" if norms[-1] == 0 else f"{norms[1] / norms[-1]:.2g}"
