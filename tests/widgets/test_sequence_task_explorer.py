"""Notebook 06's sequence task explorer, driven without a browser: every task and example,
typed text (good and bad), the step slider; the diagram shows what task_views computes
(recomputed here from the text, not read from the explorer)."""

import warnings

import numpy as np
import pytest

from course_lib import plots
from course_lib import task_views as tv
from course_lib.widgets import SequenceTaskExplorer


def shown(e):
    """(inputs, outputs) as the diagram's visible texts read them."""
    inputs = [a.get_text() for a in e.art["inputs"] if a.get_visible()]
    outputs = [a.get_text() for a in e.art["outputs"] if a.get_visible()]
    return inputs, outputs


def test_default_is_deep_with_every_step_scored():
    e = SequenceTaskExplorer()
    assert e.last_error is None
    assert shown(e) == (list("deep"), ["e", "e", "p", "<stop>"])
    assert "step t = 1: input <b>d</b>, target <b>e</b>, scored" in e.readout.value
    assert "steps [2, 3]" in e.readout.value  # 'e' is followed by 'e' and by 'p'
    assert e.step.max == 4


@pytest.mark.parametrize("task", tv.TASKS)
def test_every_example_of_every_task(task):
    e = SequenceTaskExplorer()
    e.task.value = task
    for text in tv.EXAMPLES[task]:
        e.example.value = text
        assert e.last_error is None and e.problem is None and e.text.value == text
        view = tv.task_view(task, text)
        expected_out = [y if m else "none" for y, m in zip(view.targets, view.scored, strict=True)]
        assert shown(e) == (view.inputs, expected_out)
        assert e.step.max == view.T
        edges = e.art["boxes"][2].get_linestyles()
        assert len(e.art["boxes"][2].get_offsets()) == view.T and len(edges) == view.T


def test_sentiment_scores_only_the_last_output():
    e = SequenceTaskExplorer("sentiment", "dull but fun")
    assert shown(e)[1] == ["none", "none", "positive"]
    assert e.step.value == 3 and "1 of 3 outputs" in e.readout.value
    e.step.value = 1
    assert "step t = 1: input <b>dull</b>, no target" in e.readout.value
    assert "not scored" in e.readout.value


def test_typing_updates_and_bad_text_is_explained_not_raised():
    e = SequenceTaskExplorer()
    for partial in ["b", "ba", "ban", "bana", "banan", "banana"]:
        e.text.value = partial
        assert e.last_error is None and e.problem is None
        assert "".join(shown(e)[0]) == partial
    assert "steps [2, 4, 6]" in e.readout.value
    e.text.value = "banana split"
    assert e.last_error is None and "letters a-z" in e.readout.value
    assert "still showing 'banana'" in e.readout.value and shown(e)[0] == list("banana")
    e.text.value = ""
    assert e.last_error is None and "must not be empty" in e.readout.value
    e.text.value = "x" * 15
    assert e.last_error is None and "at most 14 steps" in e.readout.value
    e.task.value = "tagging"
    e.text.value = "we watch tv"
    assert "'tv'" in e.readout.value and shown(e)[0] == ["we", "watch", "the", "watch"]


def test_the_step_slider_moves_the_frame_and_states_the_step():
    e = SequenceTaskExplorer("tagging", "we watch the watch")
    xs = []
    for t in range(1, 5):
        e.step.value = t
        assert f"step t = {t}:" in e.readout.value
        xs.append(e.art["mark"].get_x())
    assert np.allclose(np.diff(xs), 1.0)
    assert "input <b>watch</b>, target <b>NOUN</b>" in e.readout.value


def test_a_shorter_text_pulls_the_step_back():
    e = SequenceTaskExplorer(text="sequence")
    e.step.value = 8
    e.text.value = "abc"
    assert e.step.max == 3 and e.step.value <= 3 and e.last_error is None


def test_bad_start_is_a_clear_error():
    with pytest.raises(ValueError, match="task must be one of"):
        SequenceTaskExplorer("translation")
    with pytest.raises(ValueError, match="letters a-z"):
        SequenceTaskExplorer(text="two words")


def test_a_step_move_reuses_the_background_and_new_text_does_not():
    e = SequenceTaskExplorer("sentiment", "the film was not very good")
    renders = []
    draw_background = e._draw_background
    e._draw_background = lambda: (renders.append(1), draw_background())
    for t in (1, 2, 3, 4, 5, 6):
        e.step.value = t
    assert renders == []  # only the frame moved: the boxes and labels come from the background
    e.text.value = "good , not bad"
    assert len(renders) == 1 and shown(e)[0] == ["good", ",", "not", "bad"]


def test_in_the_course_style_it_warns_nothing_and_still_reuses_the_background():
    """The course style turns constrained layout on; the explorer's fixed layout must not
    clash with it (a warning is text on stderr under the figure) nor move with the frame."""
    with plots.style_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        e = SequenceTaskExplorer("tagging", "we watch the watch")
        renders = []
        draw_background = e._draw_background
        e._draw_background = lambda: (renders.append(1), draw_background())
        for t in (2, 3, 4):
            e.step.value = t
    # Deprecation notices of older ipywidgets/ipykernel (CI's oldest corner) are not text a
    # student sees under the figure; any other warning is.
    shown = [str(w.message) for w in caught if not issubclass(w.category, DeprecationWarning)]
    assert shown == [] and renders == [] and e.last_error is None
