"""Explorer of notebook 10: type the start of a word, see the most likely completions."""

from __future__ import annotations

import html

import ipywidgets as widgets

from .. import autocomplete, plots, wordmodels
from ..checkpoint import Checkpoint
from .base import Explorer, int_slider

_LABELS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


class AutocompleteExplorer(Explorer):
    """A text box for the start of a word; the ``k`` most likely completions with their
    probabilities (left), and the model's distribution of the next character (right).

    The models are the checkpoints shipped in data/ (instant); "retrain" trains the chosen
    model again with the shipped recipe for the chosen number of epochs (a progress bar
    shows how far it is) and adds it to the model menu. Nothing typed is an error:
    characters the model does not know are dropped and the readout says so.
    """

    title = "Autocompletion explorer"

    def __init__(self, text: str = "lea", model: str = "lstm", k: int = 8, **recipe_changes):
        self.k = k
        self.recipe_changes = recipe_changes
        self.models = {name: wordmodels.shipped(name) for name in wordmodels.NAMES}
        self.symbols = self.models["lstm"].vocab
        self.text = widgets.Text(
            value=text, description="type", continuous_update=True, placeholder="a word…"
        )
        self.model = widgets.Dropdown(
            options=[(f"{_LABELS[n]} (shipped)", n) for n in wordmodels.NAMES],
            value=model,
            description="model",
        )
        self.epochs = int_slider("epochs", 3, 1, 20)
        # It acts through the button: moving it changes the readout, not the figure (the
        # class tells tests/browser/pages.py not to expect the figure to change).
        self.epochs.add_class("course-deferred")
        self.button = widgets.Button(description="retrain", icon="play")
        self.button.on_click(self.retrain)
        self.bar = widgets.Output()
        self.histories: dict = {}

        fig, (self.ax_words, self.ax_next) = plots.new_figure(
            1, 2, figsize=(11, 3.6), width_ratios=[1, 1.6]
        )
        self.bars, self.labels = plots.completion_bars(self.ax_words, k)
        self.ax_words.set_title(f"the {k} most likely completions")
        names = [s if len(s) == 1 else "⏎" for s in self.symbols]  # ⏎: the word ends
        self.next_sticks = plots.probability_sticks(self.ax_next, names)
        self.ax_next.set_title("the next character (⏎ = the word ends)")
        self.status = plots.status_text(self.ax_words)
        self.dynamic = [self.bars, *self.labels, self.next_sticks, self.status]
        controls = [self.text, self.model, self.epochs, self.button]
        self._finish(controls, fig, extra=[self.bar])

    def _checkpoint(self):
        return self.models[self.model.value]

    def update(self) -> None:
        ckpt = self._checkpoint()
        result = autocomplete.complete(
            ckpt.model, ckpt.params, self.symbols, self.text.value, k=self.k, options=ckpt.options
        )
        self.result = result
        words = [c.word for c in result.completions]
        probs = [c.probability for c in result.completions]
        plots.set_completions(self.bars, self.labels, words, probs)
        p_next = autocomplete.next_char_probs(
            ckpt.model, ckpt.params, self.symbols, result.prefix, ckpt.options
        )
        plots.set_sticks(self.next_sticks, p_next)
        plots.set_status(self.status, None if words else "no completion found")
        label = dict((v, lab) for lab, v in self.model.options)[self.model.value]
        best = (
            f"most likely: <b>{html.escape(words[0])}</b> ({100 * probs[0]:.1f} %)"
            if words
            else "no completion"
        )
        note = f" · <i>{html.escape(result.message)}</i>" if result.message else ""
        # The epochs slider acts only through the button; the readout says what it will do.
        self.readout.value = (
            f"{html.escape(label)} reads “{html.escape(result.prefix)}”: {best}; the "
            f"{len(words)} shown cover {100 * sum(probs):.1f} % of the model's belief{note}"
            f"<br>“retrain” trains the {_LABELS[self.model.value.split(':')[0]]} again for "
            f"{int(self.epochs.value)} epochs"
        )

    def retrain(self, _button=None) -> None:
        """Train the selected model again (heavy, so behind the button, with a progress bar)."""
        name = self.model.value.split(":")[0]
        epochs = int(self.epochs.value)
        with self.bar:
            self.bar.clear_output()
            params, history = wordmodels.train_word_model(
                name, epochs=epochs, progress=True, **self.recipe_changes
            )
        key = f"{name}:retrained"
        self.models[key] = Checkpoint(params, name, self.symbols)
        self.histories[key] = history
        options = [o for o in self.model.options if o[1] != key]
        val = history.val_losses[-1] if history.val_losses else float("nan")
        options.append((f"{_LABELS[name]} (retrained, {epochs} epochs, val {val:.2f})", key))
        self.model.options = options
        self.model.value = key
