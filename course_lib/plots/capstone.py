"""Figures of notebook 10: recall accuracy against the gap, and the learning-rate searches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from .. import _validate as check
from . import _args
from .theme import COLORS


def recall_curves(
    ax: Axes, gaps: Sequence[int], accuracy: Mapping[str, np.ndarray], chance: float
) -> None:
    """Held-out recall accuracy against the gap: per model (``"rnn"``, ``"lstm"``,
    ``"gru"``) the mean over seeds as a line and every seed as a dot; ``accuracy[name]``
    is (gaps, seeds). A dashed line marks ``chance``."""
    ax, gaps = _args.axes("ax", ax), check.float_array("gaps", gaps, ndim=1)
    accuracy = _args.series("accuracy", accuracy, ndim=2)
    for name, acc in accuracy.items():
        if not isinstance(name, str) or name.upper() not in ("RNN", "LSTM", "GRU"):
            raise ValueError(f"accuracy's keys must be 'rnn', 'lstm' or 'gru', got {name!r}")
        if acc.shape[0] != len(gaps) or not acc.shape[1]:
            raise ValueError(f"accuracy[{name!r}] must have shape (len(gaps), seeds) = "
                             f"({len(gaps)}, seeds), got {acc.shape}")  # fmt: skip
    chance = check.in_range("chance", chance, 0.0, 1.0, hi_open=False)
    for name, acc in accuracy.items():
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
    ax, table = _args.axes("ax", ax), _lr_table(table)
    cap = None if cap is None else check.positive("cap", cap)
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


def _lr_table(table: object) -> Mapping[str, Mapping]:
    """``{name: {"best": η, "trials": {η: [loss per seed]}}}``, names of :data:`COLORS`;
    losses may be infinite (a diverged run), never NaN."""
    if not isinstance(table, Mapping) or not table:
        raise TypeError(f"table must be a non-empty dict name -> {{'best', 'trials'}}, got "
                        f"{type(table).__name__} {table!r:.60}")  # fmt: skip
    for name, entry in table.items():
        if name not in COLORS:
            raise ValueError(f"table's keys must be optimizer names of plots.COLORS, got {name!r}")
        if not isinstance(entry, Mapping) or not {"best", "trials"} <= set(entry):
            raise ValueError(f"table[{name!r}] must be a dict with 'best' and 'trials'")
        trials = entry["trials"]
        if not isinstance(trials, Mapping) or not trials or entry["best"] not in trials:
            raise ValueError(f"table[{name!r}]['trials'] must be a dict η -> losses holding "
                             f"the best η {entry['best']!r}")  # fmt: skip
        for lr, losses in trials.items():
            check.positive(f"table[{name!r}]['trials'] key", lr)
            losses = np.asarray(losses)
            if losses.dtype.kind not in "if" or not losses.size or np.isnan(losses).any():
                raise ValueError(f"table[{name!r}]['trials'][{lr!r}] must be losses (numbers, "
                                 f"not NaN), got {losses!r:.60}")  # fmt: skip
    return table
