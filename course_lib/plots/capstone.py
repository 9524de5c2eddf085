"""Figures of notebook 10: recall accuracy against the gap, and the learning-rate searches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from .theme import COLORS


def recall_curves(
    ax: Axes, gaps: Sequence[int], accuracy: Mapping[str, np.ndarray], chance: float
) -> None:
    """Held-out recall accuracy against the gap: per model (``"rnn"``, ``"lstm"``,
    ``"gru"``) the mean over seeds as a line and every seed as a dot; ``accuracy[name]``
    is (gaps, seeds). A dashed line marks ``chance``."""
    for name, acc in accuracy.items():
        acc = np.asarray(acc, dtype=float)
        color = COLORS[name.upper()]
        ax.plot(gaps, acc.mean(axis=1), "-", color=color, label=name.upper())
        for j in range(acc.shape[1]):
            ax.plot(gaps, acc[:, j], "o", color=color, alpha=0.5, markersize=4)
    ax.axhline(chance, color=COLORS["data"], ls="--", lw=1)
    ax.annotate("chance", (gaps[-1], chance), xytext=(0, 4), textcoords="offset points",
                ha="right", color=COLORS["data"])  # fmt: skip
    ax.set(xlabel="gap (filler symbols between the key and its recall)",
           ylabel="recall accuracy (held out)", ylim=(0, 1.05), xticks=list(gaps))  # fmt: skip
    ax.legend()


def lr_curves(ax: Axes, table: Mapping[str, Mapping], cap: float | None = None) -> None:
    """Mean validation loss against η (log scale) for each optimizer of ``table``
    (``{name: {"best": η, "trials": {η: [loss per seed]}}}``), the chosen η circled.
    Losses above ``cap`` (diverging runs) are drawn at ``cap``."""
    for name, entry in table.items():
        lrs = np.array(sorted(entry["trials"]))
        mean = np.array([np.mean(entry["trials"][lr]) for lr in lrs])
        if cap is not None:
            mean = np.minimum(mean, cap)
        color = COLORS[name]
        ax.plot(lrs, mean, "o-", color=color, label=name, markersize=4)
        best = entry["best"]
        ax.plot([best], [np.mean(entry["trials"][best])], "o", mfc="none", mec=color,
                markersize=12, mew=2)  # fmt: skip
    ax.set_xscale("log")
    ax.set(xlabel="learning rate η", ylabel="validation loss after 2 epochs (nats per word)")
    ax.legend()
