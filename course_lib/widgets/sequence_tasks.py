"""Explorer of notebook 06: type or pick an input, choose the task, and see per time step the
input, the target and which outputs the loss scores."""

from __future__ import annotations

import html

import ipywidgets as widgets

from .. import plots
from .. import task_views as tv
from ..plots import sequence_tasks as drawing
from .base import Explorer, int_slider

_HOW = {
    "autocompletion": "every step is scored: the target is the next letter (⟨stop⟩ at the end)",
    "tagging": "every step is scored: the target is the word's part of speech",
    "sentiment": "only the last step is scored: the review's label (many-to-one)",
}


class SequenceTaskExplorer(Explorer):
    """The notes' picture of a sequence task: inputs x_t below, states s_t, outputs ŷ_t
    above, with the target of each scored output and "not scored" where the loss ignores it.

    Controls: the task, an example to pick, a text box to type into, and a step slider that
    marks one step and states its input, target and whether it is scored. Text the task
    cannot read (an unknown word, a space in a word) is explained in the readout; the figure
    keeps the last valid input.
    """

    title = "sequence task explorer"

    def __init__(self, task: str = "autocompletion", text: str | None = None):
        task = tv.check_task(task)
        text = tv.EXAMPLES[task][0] if text is None else text
        self.view = tv.task_view(task, text)  # a bad start is the caller's error: raise
        if self.view.T > drawing.MAX_STEPS:
            raise ValueError(f"text must have at most {drawing.MAX_STEPS} steps, got {self.view.T}")
        style = {"description_width": "initial"}
        self.task = widgets.Dropdown(options=tv.TASKS, value=task, description="task", style=style)
        self.example = widgets.Dropdown(
            options=self._examples(task, text), value=text, description="pick", style=style
        )
        self.text = widgets.Text(value=text, description="or type", style=style,
                                 continuous_update=True)  # fmt: skip
        first = self.view.T if self.view.many_to_one else 1  # the scored step, or the first
        self.step = int_slider("step t", first, 1, self.view.T)
        # A fixed layout (not the course style's constrained layout): that would re-run in
        # every full render and move the axes with the frame's position, so no step move
        # could reuse the background.
        fig, ax = plots.new_figure(1, 1, figsize=(9.0, 2.6), layout="none")
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.98)
        self.art = drawing.task_diagram(ax)
        # Only the frame of the marked step moves with the step slider; the rest changes with
        # the text or the task, which re-renders the background (invalidate): a step move then
        # redraws one rectangle instead of every box and label.
        self.dynamic = [self.art["mark"]]
        self.problem: str | None = None
        self._change = None
        self._finish([self.task, self.example, self.text, self.step], fig)

    @staticmethod
    def _examples(task: str, text: str) -> list[str]:
        examples = list(tv.EXAMPLES[task])
        return examples if text in examples else [*examples, text]

    def _on_change(self, change) -> None:
        self._change = change
        super()._on_change(change)

    def update(self) -> None:
        owner = None if self._change is None else self._change["owner"]
        if owner is self.task:  # a new task starts from its first example
            self.example.options = tv.EXAMPLES[self.task.value]
            self.example.value = self.text.value = tv.EXAMPLES[self.task.value][0]
        elif owner is self.example and self.example.value is not None:
            self.text.value = self.example.value
        shown = _key(self.view)
        self._read_text()
        if _key(self.view) != shown:
            self.invalidate()
        T = self.view.T
        self.step.max = T
        self.step.value = min(self.step.value, T)
        if owner in (self.task, self.example, self.text) and self.problem is None:
            self.step.value = T if self.view.many_to_one else 1
        v, t = self.view, self.step.value
        drawing.set_task_diagram(self.art, v.inputs, v.targets, v.scored, step=t)
        self.readout.value = self._describe()

    def _read_text(self) -> None:
        """The view of the text box's text, or (text the task cannot read) the last view,
        with the reason in ``self.problem``."""
        try:
            view = tv.task_view(self.task.value, self.text.value)
            if view.T > drawing.MAX_STEPS:
                raise ValueError(f"at most {drawing.MAX_STEPS} steps fit, got {view.T}")
        except (ValueError, TypeError) as exc:
            self.problem = str(exc)
            return
        self.problem, self.view = None, view

    def _describe(self) -> str:
        v, t = self.view, self.step.value
        target = f"target <b>{html.escape(v.targets[t - 1])}</b>, scored" if v.scored[t - 1] else (
            "no target: ŷ is computed but <b>not scored</b>")  # fmt: skip
        ambiguous = tv.ambiguous_steps(v)
        same = f"; the same input needs different targets at steps {ambiguous}" if ambiguous else ""
        text = (
            f"step t = {t}: input <b>{html.escape(v.inputs[t - 1])}</b>, {target} · "
            f"{v.task}, T = {v.T}: {_HOW[v.task]} ({int(v.scored.sum())} of {v.T} outputs){same}"
        )
        if self.problem is not None:
            sep = "" if v.task == "autocompletion" else " "
            shown = html.escape(sep.join(v.inputs))
            problem = f"<span style='color:#a15c00'>{html.escape(self.problem, quote=False)}</span>"
            text = f"{problem} (still showing '{shown}')<br>{text}"
        return text


def _key(view: tv.TaskView) -> tuple:
    """What the diagram shows of a view (two views with the same key draw the same)."""
    return view.task, tuple(view.inputs), tuple(view.targets), tuple(view.scored.tolist())
