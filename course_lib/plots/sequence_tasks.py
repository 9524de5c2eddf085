"""Figures of notebooks 06 and 07: a sequence task drawn as the notes draw it (inputs below,
the network's states in the middle, outputs above, scored outputs marked), and the terms of
BPTT's sum over paths against k with the full and the truncated gradient beside them.

Both are built once with room for the longest input and then changed in place (``set_…``),
so an explorer redraws only these artists when a control moves.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle
from matplotlib.path import Path

from .. import _validate as check
from . import _args
from .theme import COLORS, STATE_CMAP

#: Most steps a task diagram has room for (the longest example review has 13 words).
MAX_STEPS = 14
_FILL = {"input": "#e8f1fa", "state": "#fdebd9", "scored": "#e3f4ec", "unscored": "#f2f2f2"}
_ROWS = (0.0, 1.0, 2.1)  # heights of the inputs, the states and the outputs
# A box 1.7 times as wide as it is tall, as a marker: drawing all boxes of a row as one
# collection costs a fraction of one text box per step (the explorer redraws them per key).
_BOX = Path([(-0.85, -0.5), (0.85, -0.5), (0.85, 0.5), (-0.85, 0.5), (-0.85, -0.5)], closed=True)


def task_diagram(ax: Axes, max_steps: int = MAX_STEPS) -> dict:
    """Room for up to ``max_steps`` columns x_t → s_t → ŷ_t (and s_{t−1} → s_t), drawn
    empty; :func:`set_task_diagram` fills them. Returns the artists: ``"boxes"`` (one
    collection per row), ``"shafts"`` and ``"heads"`` of the arrows, ``"inputs"`` and
    ``"outputs"`` (one text per column) and ``"mark"`` (the frame of the marked step)."""
    ax, max_steps = _args.axes("ax", ax), check.integer("max_steps", max_steps, minimum=1)
    art: dict = {"boxes": []}
    for fill in ("input", "state", "scored"):
        art["boxes"].append(ax.scatter([], [], s=900, marker=_BOX, fc=_FILL[fill],
                                       ec=COLORS["data"], lw=1.0, zorder=2))  # fmt: skip
    art["shafts"] = LineCollection([], colors=COLORS["data"], lw=1.0, zorder=1)
    ax.add_collection(art["shafts"])
    art["heads"] = [ax.plot([], [], m, color=COLORS["data"], ms=5, ls="none", zorder=1)[0]
                    for m in ("^", ">")]  # fmt: skip
    text = {"ha": "center", "va": "center", "fontsize": "x-small", "zorder": 3}
    art["inputs"] = [ax.text(t, _ROWS[0], "", **text) for t in range(max_steps)]
    art["outputs"] = [ax.text(t, _ROWS[2], "", **text) for t in range(max_steps)]
    art["mark"] = Rectangle((0, -0.45), 0.9, 3.0, fill=False, ec=COLORS["accent"], lw=2)
    ax.add_patch(art["mark"])
    for label, y in zip(("input $x_t$", "state $s_t$", "output $\\hat y_t$"), _ROWS, strict=True):
        ax.text(-0.6, y, label, ha="right", va="center", fontsize="small")
    ax.set(xlim=(-1.5, max_steps - 0.4), ylim=(-0.55, 2.65))
    ax.axis("off")
    return art


def set_task_diagram(art: dict, inputs, targets, scored, step: int | None = None) -> None:
    """Show one task view: column t holds input ``inputs[t]`` and above it the target
    ``targets[t]`` where ``scored[t]`` (green box, solid edge: this output enters the loss)
    or "none" (grey, dashed: computed, not scored). The columns are centred; ``step``
    (1-based) is framed."""
    _diagram(art)
    inputs = check.texts("inputs", inputs)
    T = len(inputs)
    if T > len(art["inputs"]):
        raise ValueError(f"inputs: at most {len(art['inputs'])} steps fit the diagram, got {T}")
    targets = check.texts("targets", targets, size=T)
    scored = _args.mask("scored", scored, size=T)
    if step is not None and not 1 <= check.integer("step", step) <= T:
        raise ValueError(f"step must be in 1..{T} (1-based) or None, got {step}")
    t = np.arange(T, dtype=float) + (len(art["inputs"]) - T) // 2  # centred
    for box, y in zip(art["boxes"], _ROWS, strict=True):
        box.set_offsets(np.column_stack([t, np.full(T, y)]))
    art["boxes"][2].set_facecolors([_FILL["scored"] if m else _FILL["unscored"] for m in scored])
    art["boxes"][2].set_edgecolors([COLORS["RNN"] if m else "#999999" for m in scored])
    art["boxes"][2].set_linestyles(["-" if m else "--" for m in scored])
    up = [[(x, y0 + 0.28), (x, y0 + 0.62)] for x in t for y0 in _ROWS[:2]]
    across = [[(x - 0.55, 1.0), (x - 0.45, 1.0)] for x in t[1:]]
    art["shafts"].set_segments(up + across)
    art["heads"][0].set_data(np.repeat(t, 2), np.tile([0.62, 1.62], T))
    art["heads"][1].set_data(t[1:] - 0.45, np.ones(T - 1))
    for i, (x_text, y_text) in enumerate(zip(art["inputs"], art["outputs"], strict=True)):
        show = i < T
        x_text.set_visible(show)
        y_text.set_visible(show)
        if show:
            x_text.set(text=inputs[i], x=t[i])
            y_text.set(text=targets[i] if scored[i] else "none", x=t[i])
            y_text.set_color("black" if scored[i] else "#666666")
    art["mark"].set_visible(step is not None)
    if step is not None:
        art["mark"].set_x(t[step - 1] - 0.45)


def diagram_artists(art: dict) -> list:
    """Every artist of a task diagram (what an explorer redraws on a move)."""
    _diagram(art)
    return [*art["boxes"], art["shafts"], *art["heads"], *art["inputs"], *art["outputs"],
            art["mark"]]  # fmt: skip


# --- BPTT's terms (notebook 07) ------------------------------------------------------------------


def path_terms(ax: Axes, T: int) -> dict:
    """‖term j‖ / max_j ‖term j‖ against the path's start j = 1..T on a log axis from 1e-16
    to 2: the terms a truncation at k keeps (j > t − k, filled) and drops (hollow), and the
    line j = t − k + ½ where it cuts (k is the truncation length, as in notebook 08).
    Returns the artists for :func:`set_path_terms`."""
    ax, T = _args.axes("ax", ax), check.integer("T", T, minimum=1)
    j = np.arange(1, T + 1)
    kept = ax.plot(j, np.full(T, np.nan), "o-", color=COLORS["RNN"], label="kept (j > t − k)")[0]
    dropped = ax.plot(j, np.full(T, np.nan), "o--", mfc="none", color=COLORS["accent"],
                      label="dropped by truncation")[0]  # fmt: skip
    cut = ax.axvline(np.nan, color=COLORS["data"], lw=1, ls=":")
    ax.set(yscale="log", ylim=(1e-16, 2), xlim=(0.5, T + 0.5), xlabel="j (the step the path "
           "starts from)", ylabel="‖term j‖ / largest term")  # fmt: skip
    ax.set_xticks(j)
    ax.legend(loc="lower right", fontsize="small")
    return {"kept": kept, "dropped": dropped, "cut": cut}


def set_path_terms(art: dict, norms: np.ndarray, k: int) -> None:
    """Show ``norms`` (t,) of terms j = 1..t, scaled by their largest, with the terms
    j ≤ t − k (dropped by a truncation at k) hollow. A zero term (j = 1 when s_0 = 0) is
    left out (log axis). ``k`` >= 1 is the truncation length (k >= t keeps every term)."""
    if not isinstance(art, dict) or not {"kept", "dropped", "cut"} <= set(art):
        raise TypeError(f"art must be the dict plots.path_terms returns, got {type(art).__name__}")
    norms, k = check.float_array("norms", norms, ndim=1), check.integer("k", k, minimum=1)
    if not len(norms) or norms.min() < 0:
        raise ValueError(f"norms must be one or more norms >= 0, got {norms}")
    t = len(norms)
    rel = norms / norms.max() if norms.max() > 0 else np.zeros(t)
    j = np.arange(1, t + 1)
    shown = rel > 0  # a zero term has no place on a log axis
    rel = np.maximum(rel, 1e-16)  # below the axis: drawn at its floor
    keep = j > t - k
    art["kept"].set_data(j[keep & shown], rel[keep & shown])
    art["dropped"].set_data(j[~keep & shown], rel[~keep & shown])
    art["cut"].set_xdata([t - k + 0.5] * 2)


def gradient_images(axes, d: int) -> list:
    """Two d × d heatmaps (the full ∂ℓ_t/∂W and the truncated sum), one colour scale."""
    axes, d = _args.axes_list("axes", axes, count=2), check.integer("d", d, minimum=1)
    images = []
    for ax, title in zip(axes, ("full ∂ℓ_t/∂W", "truncated sum (j > t − k)"), strict=True):
        images.append(ax.imshow(np.zeros((d, d)), cmap=STATE_CMAP, vmin=-1, vmax=1))
        ax.set_title(title, fontsize="small")
        ax.set_xticks([])
        ax.set_yticks([])
    return images


def set_gradient_images(images: list, full: np.ndarray, truncated: np.ndarray) -> None:
    """Both gradients divided by the full one's largest |entry| (so the colours compare)."""
    if (
        not isinstance(images, list | tuple)
        or len(images) != 2
        or not all(isinstance(im, AxesImage) for im in images)
    ):
        raise TypeError(f"images must be the two images plots.gradient_images returns, got "
                        f"{type(images).__name__} {images!r:.60}")  # fmt: skip
    full = check.float_array("full", full, ndim=2)
    truncated = check.float_array("truncated", truncated, ndim=2)
    if full.shape != truncated.shape:
        raise ValueError(f"truncated must have full's shape {full.shape}, got {truncated.shape}")
    scale = float(np.abs(full).max()) or 1.0
    images[0].set_data(full / scale)
    images[1].set_data(truncated / scale)


def _diagram(art: object) -> dict:
    if not isinstance(art, dict) or not {"boxes", "inputs", "outputs", "mark"} <= set(art):
        raise TypeError(f"art must be the dict plots.task_diagram returns, got "
                        f"{type(art).__name__} {art!r:.60}")  # fmt: skip
    return art
