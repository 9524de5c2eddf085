"""Explorer of notebook 10: where a recall sequence's loss is, and whether the key survives."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import _validate as check
from .. import plots, recall
from .base import Explorer, int_slider

_LABELS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
#: Fillers drawn for the explorer: enough for the longest shipped gap.
MAX_GAP = max(recall.CHECKPOINT_GAPS)
#: The filler draws the slider picks from.
DRAWS = 20


def fillers(gap: int, draw: int) -> str:
    """``gap`` random filler letters, the ``draw``-th seeded draw (the same every time)."""
    rng = np.random.default_rng([draw, gap])
    return "".join(recall.FILLERS[i] for i in rng.integers(len(recall.FILLERS), size=gap))


class RecallExplorer(Explorer):
    """A key of two letters (a–h), a model (RNN, LSTM or GRU, each trained on one gap: the
    shipped seed-0 checkpoints), and which random fillers fill the gap (a slider of draws).

    Left: the probability the model gives the true next symbol at every step of the
    sequence, teacher-forced (the first key and the fillers are random, so 1/8 is the best
    possible there, dashed; the two recall steps after “=” are marked). Right: its
    distribution over the eight key letters at the two recall steps, the true letter
    marked. A key that is not two letters of a–h is explained in the readout; nothing
    raises.
    """

    title = "Recall explorer"

    def __init__(self, key: str = "cf", model: str = "rnn", gap: int = 10, draw: int = 0):
        if model not in recall.NAMES:
            raise ValueError(f"model must be one of {list(recall.NAMES)}, got {model!r}")
        if gap not in recall.CHECKPOINT_GAPS:
            raise ValueError(f"gap must be one of {recall.CHECKPOINT_GAPS} (the shipped "
                             f"models), got {gap!r}")  # fmt: skip
        draw = check.integer("draw", draw, minimum=0)
        if draw >= DRAWS:
            raise ValueError(f"draw must be below {DRAWS}, got {draw}")
        self.checkpoints = {
            (name, g): recall.shipped_model(name, g)
            for name in recall.NAMES
            for g in recall.CHECKPOINT_GAPS
        }
        self.key = widgets.Text(
            value=key, description="key", continuous_update=True, placeholder="two letters a–h"
        )
        options = [(f"{_LABELS[n]}, gap {g}", (n, g)) for n, g in self.checkpoints]
        self.model = widgets.Dropdown(options=options, value=(model, gap), description="model")
        self.fill_draw = int_slider("fillers", draw, 0, DRAWS - 1)
        self._build_figure()
        self._finish([self.key, self.model, self.fill_draw], self.fig)

    def _build_figure(self) -> None:
        fig, (self.ax_steps, self.ax_first, self.ax_second) = plots.new_figure(
            1, 3, figsize=(11, 3.4), width_ratios=[1.8, 1, 1]
        )
        T = 2 * recall.KEY_LEN + MAX_GAP
        (self.line,) = self.ax_steps.plot([], [], ".-", color=plots.COLORS["LSTM"], lw=1)
        (self.recall_dots,) = self.ax_steps.plot([], [], "o", color=plots.COLORS["accent"], ms=8)
        self.ax_steps.axhline(1 / len(recall.KEYS), color=plots.COLORS["data"], ls="--", lw=1)
        self.ax_steps.set(xlim=(-1, T), ylim=(0, 1.02), xlabel="step t (big dots: after “=”)")
        self.ax_steps.set(ylabel="P(true next symbol)", title="what the model predicts")
        letters = list(recall.KEYS)
        axes = (self.ax_first, self.ax_second)
        self.sticks = [plots.probability_sticks(ax, letters) for ax in axes]
        self.truth = [ax.plot([], [], "v", color=plots.COLORS["accent"])[0] for ax in axes]
        self.ax_first.set(title="after “=”: P(1st letter)", ylabel="")
        self.ax_second.set(title="then: P(2nd letter)", ylabel="")
        self.status = plots.status_text(self.ax_steps)
        self.fig = fig
        self.dynamic = [self.line, self.recall_dots, *self.sticks, *self.truth, self.status]

    def _clean_key(self) -> str | None:
        key = str(self.key.value or "").strip().lower()
        ok = len(key) == recall.KEY_LEN and not set(key) - set(recall.KEYS)
        return key if ok else None

    def _clear(self, draw: int) -> None:
        self.line.set_data([], [])
        self.recall_dots.set_data([], [])
        for sticks, truth in zip(self.sticks, self.truth, strict=True):
            plots.set_sticks(sticks, np.zeros(len(recall.KEYS)))
            truth.set_data([], [])
        plots.set_status(self.status, "type a key of two letters a–h")
        typed = html.escape(str(self.key.value))
        name, gap = self.model.value
        self.readout.value = (
            f"The key must be two letters from a to h, got “{typed}” · "
            f"{_LABELS[name]} trained on gap {gap}, fillers {draw}"
        )

    def update(self) -> None:
        key, draw = self._clean_key(), int(self.fill_draw.value)
        if key is None:
            self._clear(draw)
            return
        name, gap = self.model.value
        ckpt = self.checkpoints[name, gap]
        probs, targets = recall.sequence_probs(ckpt.model, ckpt.params, key, fillers(gap, draw))
        p_true = probs[np.arange(len(targets)), targets]
        steps = np.arange(len(targets))
        self.line.set_data(steps, p_true)
        self.recall_dots.set_data(steps[-recall.KEY_LEN :], p_true[-recall.KEY_LEN :])
        at_recall = probs[-recall.KEY_LEN :, : len(recall.KEYS)]
        ids = targets[-recall.KEY_LEN :]
        for j, (sticks, truth) in enumerate(zip(self.sticks, self.truth, strict=True)):
            plots.set_sticks(sticks, at_recall[j])
            truth.set_data([ids[j]], [min(at_recall[j, ids[j]] + 0.06, 0.97)])
        plots.set_status(self.status, None)
        recalled = bool(np.all(at_recall.argmax(axis=1) == ids))
        verdict = "recalls the key" if recalled else "does not recall the key"
        guess = "".join(recall.KEYS[i] for i in at_recall.argmax(axis=1))
        self.readout.value = (
            f"{_LABELS[name]} trained on gap {gap}, key “{key}”, fillers {draw}: "
            f"P({key[0]}) = {p_true[-2]:.2f}, P({key[1]} | {key[0]}) = {p_true[-1]:.2f} after "
            f"“=”, so it <b>{verdict}</b> (its likeliest letters: {guess}); held-out recall "
            f"accuracy of this model: {ckpt.info['scores']['accuracy']:.2f}"
        )
