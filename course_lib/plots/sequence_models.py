"""Figures of the sequence-model notebooks (06-10), in course order.

The frames of a clip (notebook 06), the unrolled network and a table of predicted
probabilities (07), norms against the lag (08), gate heatmaps (09), and the completion bars
and next-character sticks of the autocompleter (10).
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import _validate as check
from . import _args
from .theme import COLORS, GATE_CMAP, STATE_CMAP


def frame_strip(axes, clip: np.ndarray, title: str | None = None) -> None:
    """The frames of one clip (frames, h, w) side by side, one per axes in ``axes`` (at most
    one per frame)."""
    clip, title = check.float_array("clip", clip, ndim=3), check.optional_text("title", title)
    axes = _args.axes_list("axes", axes)
    if len(axes) > len(clip):
        raise ValueError(
            f"axes must be at most one per frame of clip ({len(clip)}), got {len(axes)}"
        )
    for f, ax in enumerate(axes):
        ax.imshow(clip[f], cmap="Greys", vmin=0, vmax=1)
        for spine in ax.spines.values():
            spine.set_visible(True)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"frame {f + 1}", fontsize="small")
    if title:
        axes[0].set_ylabel(title)


def unrolled_rnn(ax: Axes, inputs: Sequence[str], outputs: Sequence[str] | None = None) -> None:
    """The recurrent network unrolled over time: one column per step, x_t → s_t → ŷ_t,
    with the shared U, W, V on the arrows (the same matrices at every step)."""
    ax, inputs = _args.axes("ax", ax), check.texts("inputs", inputs)
    T = len(inputs)
    outputs = check.texts("outputs", outputs, size=T) if outputs is not None else [None] * T
    box = {"boxstyle": "round,pad=0.35", "ec": COLORS["data"], "lw": 1.2}
    arrow = {"arrowstyle": "-|>", "color": COLORS["data"], "lw": 1.2, "shrinkA": 14, "shrinkB": 14}
    for t in range(T):
        ax.text(
            t,
            0,
            f"$x_{t + 1}$\n{inputs[t]}",
            ha="center",
            va="center",
            bbox={**box, "fc": "#e8f1fa"},
        )
        ax.text(t, 1, f"$s_{t + 1}$", ha="center", va="center", bbox={**box, "fc": "#fdebd9"})
        label = f"$\\hat y_{t + 1}$" + (f"\n{outputs[t]}" if outputs[t] else "")
        ax.text(t, 2, label, ha="center", va="center", bbox={**box, "fc": "#e3f4ec"})
        ax.annotate("", (t, 1), (t, 0), arrowprops=arrow)
        ax.annotate("", (t, 2), (t, 1), arrowprops=arrow)
        ax.text(t + 0.06, 0.5, "U", fontsize="small", color=COLORS["GD"])
        ax.text(t + 0.06, 1.5, "V", fontsize="small", color=COLORS["GRU"])
        start = (t - 1, 1) if t else (-0.9, 1)
        ax.annotate("", (t, 1), start, arrowprops=arrow)
        ax.text(t - 0.5, 1.08, "W", fontsize="small", color=COLORS["accent"], ha="center")
    ax.text(-0.95, 1, "$s_0$", ha="right", va="center")
    ax.set(xlim=(-1.2, T - 0.5), ylim=(-0.6, 2.6))
    ax.axis("off")


def prob_table(
    ax: Axes, probs: np.ndarray, rows: Sequence[str], cols: Sequence[str], cmap: str = "Blues"
):
    """A matrix of probabilities (rows × cols) as a heatmap with each value written in."""
    ax, probs = _args.axes("ax", ax), check.float_array("probs", probs, ndim=2)
    if probs.min(initial=0.0) < 0 or probs.max(initial=0.0) > 1:
        raise ValueError(f"probs must lie in [0, 1], got values in [{probs.min()}, {probs.max()}]")
    rows = check.texts("rows", rows, size=probs.shape[0])
    cols, cmap = check.texts("cols", cols, size=probs.shape[1]), _args.colormap("cmap", cmap)
    im = ax.imshow(probs, cmap=cmap, vmin=0, vmax=1, aspect="auto")
    for (i, j), p in np.ndenumerate(probs):
        ax.text(
            j,
            i,
            f"{p:.2f}",
            ha="center",
            va="center",
            fontsize="small",
            color="white" if p > 0.6 else "black",
        )
    ax.set_xticks(range(len(cols)), cols)
    ax.set_yticks(range(len(rows)), rows)
    ax.grid(False)
    return im


def norm_curve(
    ax: Axes, values, label=None, color=COLORS["RNN"], style: str = "-", start: int = 0
) -> Line2D:
    """Norms against the lag t − k (log scale), e.g. ‖∂s_t/∂s_k‖ or its bound; ``style`` is
    a line style ("-", "--", ":", "-.")."""
    ax, values = _args.axes("ax", ax), check.float_array("values", values, ndim=1)
    label, color = check.optional_text("label", label), _args.color("color", color)
    style, start = _args.linestyle("style", style), check.integer("start", start)
    (line,) = ax.plot(
        np.arange(start, start + len(values)), values, ls=style, color=color, label=label
    )
    ax.set_yscale("log")
    ax.set_xlabel("t − k (steps back)")
    return line


def heatmap(
    ax: Axes,
    values: np.ndarray,
    xlabels: Sequence[str] | None = None,
    title: str = "",
    signed: bool = False,
    limit: float = 1.0,
    colorbar: bool = True,
):
    """A (units × time) heatmap of gate values in [0, 1], or of a signed quantity in
    [−limit, limit] when ``signed``; fixed colour limits so that updates stay comparable.
    ``xlabels`` label the time steps (e.g. the characters read). Returns the image."""
    ax, values = _args.axes("ax", ax), check.float_array("values", values, ndim=2)
    if xlabels is not None:
        xlabels = check.texts("xlabels", xlabels, size=values.shape[1])
    title, signed = check.text("title", title), check.flag("signed", signed)
    limit, colorbar = check.positive("limit", limit), check.flag("colorbar", colorbar)
    lo, hi = (-limit, limit) if signed else (0.0, 1.0)
    image = ax.imshow(
        values,
        aspect="auto",
        interpolation="nearest",
        cmap=STATE_CMAP if signed else GATE_CMAP,
        vmin=lo,
        vmax=hi,
    )
    ax.set_title(title)
    ax.set_ylabel("unit")
    ax.grid(False)
    if xlabels is not None:
        ax.set_xticks(range(len(xlabels)), list(xlabels))
    else:
        ax.set_xlabel("step t")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.05, pad=0.02)
    return image


def gate_heatmaps(
    axes, panels: dict[str, np.ndarray], xlabels=None, signed=(), limit: float = 1.0
) -> dict:
    """One :func:`heatmap` per entry of ``panels`` (title -> (T, d) values, as a model's
    cache holds them for one sequence); titles in ``signed`` get the signed colour map.
    One colour bar per kind (gates, signed), beside the last panel of that kind.
    Returns title -> image."""
    panels = _args.series("panels", panels, ndim=2)
    names = list(panels)
    axes = _args.axes_list("axes", axes, count=len(names))
    if isinstance(signed, AbstractSet):  # a set of panel names (no order needed)
        signed = list(signed)
    signed = check.texts("signed", signed)
    limit = check.positive("limit", limit)
    if xlabels is not None:
        xlabels = check.texts("xlabels", xlabels, size=len(next(iter(panels.values()))))
    last_of_kind = {[n for n in names if (n in signed) == kind][-1] for kind in (True, False)
                    if any((n in signed) == kind for n in names)}  # fmt: skip
    return {
        name: heatmap(ax, values.T, xlabels, name, name in signed, limit, name in last_of_kind)
        for ax, (name, values) in zip(axes, panels.items(), strict=True)
    }


def completion_bars(ax: Axes, k: int):
    """``k`` horizontal bars on [0, 1] with a text label inside each (for autocompletion).

    The bars are ONE LineCollection of thick lines and the axis ticks stay static, so an
    explorer redraws two dozen artists at most. Returns ``(bars, labels)``; update with
    :func:`set_completions`.
    """
    ax, k = _args.axes("ax", ax), check.integer("k", k, minimum=1)
    bars = ax.hlines(np.arange(k), 0, np.zeros(k), color=COLORS["LSTM"], lw=14, alpha=0.85)
    labels = [ax.text(0.01, i, "", va="center", ha="left", fontsize="medium") for i in range(k)]
    ax.set(xlim=(0, 1), ylim=(k - 0.5, -0.5), xlabel="probability given the prefix")
    ax.set_yticks([])
    return bars, labels


def set_completions(bars, labels, words: Sequence[str], probs: Sequence[float]) -> None:
    """Show up to len(labels) completions; the remaining bars are emptied. Long words are
    shortened with "…" (drawing text is what costs time). ``probs`` holds one probability
    in [0, 1] per word."""
    _args.instance("bars", bars, LineCollection, "the bars plots.completion_bars returns")
    if not isinstance(labels, list) or not all(isinstance(t, Text) for t in labels):
        raise TypeError(f"labels must be the list of texts plots.completion_bars returns, got "
                        f"{type(labels).__name__}")  # fmt: skip
    words = check.texts("words", words)
    probs = _probabilities("probs", probs, size=len(words))
    k = len(labels)
    widths = np.zeros(k)
    widths[: min(k, len(words))] = probs[:k]
    bars.set_segments([[(0.0, i), (w, i)] for i, w in enumerate(widths)])
    for i, label in enumerate(labels):
        if i < len(words):
            word = words[i] if len(words[i]) <= 24 else words[i][:23] + "…"
            label.set_text(f"{word}   {100 * float(probs[i]):.1f} %")
        else:
            label.set_text("")


def probability_sticks(ax: Axes, labels: Sequence[str], color: str = COLORS["GRU"]):
    """A distribution over ``labels`` as vertical sticks (one LineCollection), y in [0, 1].
    Update with :func:`set_sticks`."""
    ax, labels, color = (
        _args.axes("ax", ax),
        check.texts("labels", labels),
        _args.color("color", color),
    )
    n = len(labels)
    sticks = ax.vlines(np.arange(n), 0, np.zeros(n), color=color, lw=9)
    ax.set_xticks(np.arange(n), list(labels))
    ax.set(ylim=(0, 1), xlim=(-0.6, n - 0.4), ylabel="probability")
    return sticks


def set_sticks(sticks, values: Sequence[float]) -> None:
    """Set the heights of :func:`probability_sticks` to ``values`` (one per label, in [0, 1])."""
    _args.instance("sticks", sticks, LineCollection, "the sticks plots.probability_sticks returns")
    values = _probabilities("values", values, size=len(sticks.get_paths()))
    sticks.set_segments([[(i, 0.0), (i, v)] for i, v in enumerate(values)])


def _probabilities(name: str, values: object, size: int) -> np.ndarray:
    """``size`` finite values in [0, 1]."""
    values = check.float_array(name, values, ndim=1)
    if values.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {values.shape}")
    if size and (values.min() < 0 or values.max() > 1):
        raise ValueError(
            f"{name} must lie in [0, 1], got values in [{values.min()}, {values.max()}]"
        )
    return values
