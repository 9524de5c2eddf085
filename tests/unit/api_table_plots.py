"""The robustness table's entries for ``course_lib.plots`` (conventions: ``api_table.py``).

Merged into :data:`api_table.ENTRIES` and :data:`api_table.EXCLUDED`.

An Axes or an artist is made anew for every call (:class:`~api_kinds.Fresh`) on a
``matplotlib.figure.Figure`` made directly, not through pyplot: nothing is shown or kept
open, and the figure goes when the call's arguments do.
"""

from __future__ import annotations

import numpy as np
from api_kinds import (
    Array,
    Choice,
    Color,
    Custom,
    Flag,
    Fresh,
    Int,
    Labels,
    Lazy,
    Mask,
    OptArray,
    OptInt,
    OptLabels,
    OptReal,
    OptText,
    Pair,
    Real,
    Series,
    Text,
    Typed,
    call,
)
from matplotlib.figure import Figure

from course_lib import plots, surfaces
from course_lib.tuning import Search, Trial


def _ax():
    return Figure().subplots()


def _axes(n: int):
    return lambda: Figure().subplots(1, n)


VALLEY = Lazy(lambda: surfaces.get("sharp valley"))
PATH = np.array([[1.0, 1.0], [0.5, 0.8], [0.2, 0.3]])
LOOK = np.array([[0.8, 0.9], [0.3, 0.6]])
VECTORS = np.array([[1.0, 0.5], [-0.2, 0.4], [0.3, -0.9], [0.6, 0.1]])
CURVE = np.array([1.0, 0.5, 0.25])
ETAS, GAMMAS, RATES = np.array([0.5, 1.0, 1.5]), np.array([0.0, 0.5]), np.full((2, 3), 0.5)
GATES = np.full((2, 3), 0.5)  # units × time
TRIALS = [Trial("coarse", 0.1, 1.0, 1.2, False), Trial("fine", 0.05, 0.9, 1.1, False)]
SEARCH = Search(trials=TRIALS, epochs=2)
LR_TABLE = {"Adam": {"best": 0.01, "trials": {0.01: [1.0, 1.1], 0.1: [2.0, np.inf]}}}
RACE = Lazy(lambda: plots.animate_race(VALLEY(), {"GD": PATH}, frames=2, figsize=(2.0, 1.5)))

AX = Fresh(_ax)
COLOR = Color("#0072B2")
LINE = Fresh(lambda: _ax().plot(CURVE)[0])
BANNER = Fresh(lambda: plots.status_text(_ax()))
FIG = Fresh(Figure)
PLAIN = {"presentation": Flag(False), "dark": Flag(False)}

ENTRIES: dict[str, dict] = {
    # -- accessible --
    "plots.accessible.describe": call(fig=FIG, text=Text("A loss curve falling.")),
    "plots.accessible.description": call(fig=FIG),
    "plots.accessible.alt_metadata": call(fig=FIG),
    "plots.accessible.screen_reader_html": call(fig=FIG),
    "plots.accessible.describe_when_shown": call(fig=FIG),
    # -- animation --
    "plots.animation.animate_race": call(
        surface=Typed(VALLEY),
        paths=Series({"GD": PATH, "NAG": PATH}, ndim=2),
        losses=Series({"GD": CURVE, "NAG": CURVE}, ndim=1, optional=True),
        frames=Int(2, lo=1),
        interval=Int(50, lo=1),
        figsize=Pair((2.0, 1.5), positive=True),
        dpi=OptInt(None, lo=1),
    ),  # fmt: skip
    "plots.animation.animation_html": call(anim=Fresh(RACE), frame_format=Choice("jpeg")),
    # -- banner --
    "plots.banner.status_text": call(ax=AX),
    "plots.banner.set_status": call(text=BANNER, message=OptText("diverged at step 3")),
    "plots.banner.status_message": call(text=BANNER),
    # -- capstone --
    "plots.capstone.recall_curves": call(
        ax=AX,
        gaps=Array([1.0, 3.0, 5.0], ndim=1),
        accuracy=Series({"lstm": GATES.T}, ndim=2),
        chance=Real(0.25, lo=0.0, hi=1.0),
    ),  # fmt: skip
    "plots.capstone.lr_curves": call(
        ax=AX,
        table=Custom(
            LR_TABLE,
            bad=[
                ("None", None),
                ("list", [1.0]),
                ("empty dict", {}),
                ("unknown optimizer", {"Nope": LR_TABLE["Adam"]}),
                ("no best", {"Adam": {"trials": LR_TABLE["Adam"]["trials"]}}),
                ("best not tried", {"Adam": {"best": 0.5, "trials": LR_TABLE["Adam"]["trials"]}}),
                ("NaN loss", {"Adam": {"best": 0.01, "trials": {0.01: [np.nan]}}}),
                ("str losses", {"Adam": {"best": 0.01, "trials": {0.01: "abc"}}}),
            ],
        ),
        cap=OptReal(None, lo=0.0, lo_open=True),
    ),  # fmt: skip
    # -- cells --
    "plots.cells.gated_cell": call(ax=AX, kind=Choice("lstm")),
    # -- curves --
    "plots.curves.curve": call(
        ax=AX,
        values=Array(CURVE, ndim=1),
        label=OptText("GD"),
        color=COLOR,
        log=Flag(True),
        ylabel=Text("loss"),
    ),  # fmt: skip
    "plots.curves.loss_curve": call(
        ax=AX, losses=Array(CURVE, ndim=1), label=OptText("GD"), color=COLOR, log=Flag(True)
    ),
    "plots.curves.grad_norm_curve": call(
        ax=AX, norms=Array(CURVE, ndim=1), label=OptText("GD"), color=COLOR, log=Flag(True)
    ),
    "plots.curves.set_curve": call(
        line=LINE, values=Array(CURVE, ndim=1), xlim=Pair((0.0, 3.0), optional=True)
    ),
    "plots.curves.across_valley": call(
        ax=AX,
        distances=Series({"GD": [0.1, -0.2, 0.05]}, ndim=1),
        half_width=Real(0.5, lo=0.0, lo_open=True),
    ),  # fmt: skip
    "plots.curves.search_plot": call(ax=AX, search=Typed(SEARCH), title=OptText("tuning η")),
    "plots.curves.epoch_curves": call(
        ax=AX,
        curves=Series({"constant": CURVE}, ndim=1),
        colors=Custom(
            None,
            bad=[("str", "red"), ("number", 3), ("unknown colour", {"constant": "no such colour"})],
        ),
        ylabel=Text("loss"),
        log=Flag(True),
        steps=Flag(False),
    ),  # fmt: skip
    "plots.curves.effective_lr_curve": call(
        ax=AX, rates=Array(CURVE, ndim=1), label=OptText("w"), color=COLOR, ls=Choice("--")
    ),
    # -- paths --
    "plots.paths.contour": call(
        ax=AX, surface=Typed(VALLEY), n=Int(20, lo=2), levels=Int(10, lo=2), colorbar=Flag(False)
    ),
    "plots.paths.draw_path": call(
        ax=AX, path=Array(PATH, ndim=2), color=COLOR, label=OptText("GD")
    ),
    "plots.paths.set_path": call(line=LINE, path=Array(PATH, ndim=2)),
    "plots.paths.surface_3d": call(
        ax=Fresh(lambda: Figure().add_subplot(projection="3d")),
        surface=Typed(VALLEY),
        path=OptArray(PATH, ndim=2),
        n=Int(10, lo=2),
        color=COLOR,
    ),  # fmt: skip
    "plots.paths.draw_look_ahead": call(
        ax=AX,
        points=Array(PATH, ndim=2),
        look_aheads=Array(LOOK, ndim=2),
        color=COLOR,
        label=OptText("look-ahead"),
    ),  # fmt: skip
    "plots.paths.gradient_fan": call(
        ax=AX,
        vectors=Array(VECTORS, ndim=2),
        true_vector=Array([0.5, -0.2], ndim=1),
        max_arrows=Int(3, lo=1),
        seed=Int(0, lo=0),
    ),  # fmt: skip
    # -- rates --
    "plots.rates.rate_colour_values": call(rates=Array([[0.5, 1.2]])),
    "plots.rates.rate_map": call(
        ax=AX,
        etas=Array(ETAS, ndim=1),
        gammas=Array(GAMMAS, ndim=1),
        rates=Array(RATES, ndim=2),
        colorbar=Flag(False),
    ),  # fmt: skip
    "plots.rates.set_rate_map": call(
        image=Fresh(lambda: plots.rate_map(_ax(), ETAS, GAMMAS, RATES, colorbar=False)),
        rates=Array(RATES, ndim=2),
    ),  # fmt: skip
    "plots.rates.stability_boundary": call(
        ax=AX, method=Choice("Momentum"), gammas=Array(GAMMAS, ndim=1)
    ),
    # -- sequence_models --
    "plots.sequence_models.frame_strip": call(
        axes=Fresh(_axes(2)), clip=Array(np.zeros((2, 3, 3)), ndim=3), title=OptText("clip")
    ),
    "plots.sequence_models.unrolled_rnn": call(
        ax=AX, inputs=Labels(["a", "b"]), outputs=OptLabels(["b", "c"])
    ),
    "plots.sequence_models.prob_table": call(
        ax=AX,
        probs=Array([[0.2, 0.8], [0.5, 0.5]], ndim=2),
        rows=Labels(["a", "b"]),
        cols=Labels(["x", "y"]),
        cmap=Choice("Blues"),
    ),  # fmt: skip
    "plots.sequence_models.norm_curve": call(
        ax=AX,
        values=Array(CURVE, ndim=1),
        label=OptText("measured"),
        color=COLOR,
        style=Choice("--"),
        start=Int(0),
    ),  # fmt: skip
    "plots.sequence_models.heatmap": call(
        ax=AX,
        values=Array(GATES, ndim=2),
        xlabels=OptLabels(["a", "b", "c"]),
        title=Text("forget gate"),
        signed=Flag(False),
        limit=Real(1.0, lo=0.0, lo_open=True),
        colorbar=Flag(False),
    ),  # fmt: skip
    "plots.sequence_models.gate_heatmaps": call(
        axes=Fresh(_axes(2)),
        panels=Series({"f": GATES.T, "c": -GATES.T}, ndim=2),
        xlabels=OptLabels(["a", "b", "c"]),
        signed=Labels(("c",)),
        limit=Real(1.0, lo=0.0, lo_open=True),
    ),  # fmt: skip
    "plots.sequence_models.completion_bars": call(ax=AX, k=Int(3, lo=1)),
    "plots.sequence_models.set_completions": call(
        bars=Fresh(lambda: plots.completion_bars(_ax(), 3)[0]),
        labels=Fresh(lambda: plots.completion_bars(_ax(), 3)[1]),
        words=Labels(["the", "then"]),
        probs=Array([0.5, 0.3], ndim=1),
    ),  # fmt: skip
    "plots.sequence_models.probability_sticks": call(
        ax=AX, labels=Labels(["a", "b", "c"]), color=COLOR
    ),
    "plots.sequence_models.set_sticks": call(
        sticks=Fresh(lambda: plots.probability_sticks(_ax(), ["a", "b"])),
        values=Array([0.3, 0.7], ndim=1),
    ),  # fmt: skip
    # -- sequence_tasks --
    "plots.sequence_tasks.task_diagram": call(ax=AX, max_steps=Int(4, lo=1)),
    "plots.sequence_tasks.set_task_diagram": call(
        art=Fresh(lambda: plots.task_diagram(_ax(), 4)),
        inputs=Labels(["we", "watch"]),
        targets=Labels(["PRON", "VERB"]),
        scored=Mask([True, False]),
        step=OptInt(1, lo=1),
    ),  # fmt: skip
    "plots.sequence_tasks.diagram_artists": call(art=Fresh(lambda: plots.task_diagram(_ax(), 4))),
    "plots.sequence_tasks.path_terms": call(ax=AX, T=Int(4, lo=1)),
    "plots.sequence_tasks.set_path_terms": call(
        art=Fresh(lambda: plots.path_terms(_ax(), 4)),
        norms=Array([0.0, 0.1, 0.5, 1.0], ndim=1),
        k=Int(2, lo=1),
    ),  # fmt: skip
    "plots.sequence_tasks.gradient_images": call(axes=Fresh(_axes(2)), d=Int(3, lo=1)),
    "plots.sequence_tasks.set_gradient_images": call(
        images=Fresh(lambda: plots.gradient_images(_axes(2)(), 3)),
        full=Array(np.eye(3), ndim=2),
        truncated=Array(0.5 * np.eye(3), ndim=2),
    ),  # fmt: skip
    # -- theme --
    "plots.theme.style": call(**PLAIN),
    "plots.theme.use_style": call(**PLAIN),
    "plots.theme.style_context": call(**PLAIN),
    "plots.theme.new_figure": call(
        nrows=Int(1, lo=1), ncols=Int(2, lo=1), figsize=Pair(None, optional=True, positive=True)
    ),
    "plots.theme.full_width": call(presentation=Flag(None)),
}

#: Functions of the package not called with generated arguments, and why.
EXCLUDED: dict[str, str] = {}
