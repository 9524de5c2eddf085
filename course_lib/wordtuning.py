r"""The learning rates of notebook 10's optimizer comparison, tuned by notebook 04's search.

The comparison (:data:`COMPARISON`) trains one LSTM on the words (``wordmodels``) for two
epochs with each optimizer of :data:`OPTIMIZERS`. Each η is chosen as notebook 04 does
(``tuning.COARSE`` on a log scale, then ``tuning.FINE`` multiples of the best coarse value),
scored by the **mean validation loss over** :data:`SEEDS` (each seed draws its own start,
mini-batches and split of the words), a diverged or non-finite run scoring +∞.
:func:`search` runs it all; ``data/train_checkpoints.py tune`` writes the table to
``course_lib/data/word_lr.npz`` and :func:`shipped` reads it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import numpy as np

from . import DATA_DIR, optim, tuning, wordmodels
from . import _validate as check

#: What every run of the comparison changes in ``wordmodels.RECIPE``.
COMPARISON = {"d": 32, "batch_size": 64, "epochs": 2}
#: The optimizers compared, as functions of η (momentum with γ = 0.9).
OPTIMIZERS = {
    "GD": optim.GD,
    "Momentum": lambda lr: optim.Momentum(lr, gamma=0.9),
    "Adam": optim.Adam,
}
SEEDS = (0, 1, 2)


def run(name: str, lr: float, seed: int = 0, progress: bool = False):
    """One run of the comparison: ``(params, history)`` of the LSTM trained with optimizer
    ``name`` at ``lr`` from ``seed`` (``wordmodels.train_word_model``)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"name must be one of {list(OPTIMIZERS)}, got {name!r}")
    lr = check.positive("lr", lr)
    seed = check.integer("seed", seed, minimum=0)
    epochs = COMPARISON["epochs"]
    changes = {k: v for k, v in COMPARISON.items() if k != "epochs"}
    return wordmodels.train_word_model(
        "lstm", epochs=epochs, optimizer=OPTIMIZERS[name](lr), progress=progress, seed=seed,
        **changes,
    )  # fmt: skip


def score(name: str, lr: float) -> list[float]:
    """Final validation loss (nats per word) of :func:`run` for every seed; +∞ if it
    diverged."""
    out = []
    for seed in SEEDS:
        _, history = run(name, lr, seed)
        last = history.val_losses[-1] if history.val_losses else math.inf
        out.append(math.inf if history.diverged or not np.isfinite(last) else float(last))
    return out


def search(progress: bool = True) -> dict:
    """For every optimizer: each η tried (coarse, then fine), its losses per seed, and the
    η of lowest mean loss. Minutes (data/train_checkpoints.py calls it)."""
    table = {}
    for name in OPTIMIZERS:
        trials = {float(lr): score(name, lr) for lr in tuning.COARSE}
        best_coarse = min(trials, key=lambda lr: np.mean(trials[lr]))
        for f in tuning.FINE:
            lr = float(f"{best_coarse * f:.6g}")
            trials.setdefault(lr, score(name, lr))
        best = min(trials, key=lambda lr: np.mean(trials[lr]))
        table[name] = {"trials": dict(sorted(trials.items())), "best": best}
        if progress:
            print(f"{name}: best η = {best:g}, mean loss {np.mean(trials[best]):.3f}")
    return table


def save(path, table: dict) -> None:
    """Write :func:`search`'s table as an .npz holding one JSON string (+∞ as null, losses
    rounded to 5 decimals; no pickles). An ``"info"`` entry (:func:`shipped`'s) is replaced
    by this version's."""
    path = check.path("path", path)
    table = _check_table(table)
    out = {
        name: {
            "best": entry["best"],
            "trials": [
                [lr, [None if math.isinf(v) else round(v, 5) for v in losses]]
                for lr, losses in entry["trials"].items()
            ],
        }
        for name, entry in table.items()
    }
    out["info"] = {
        "comparison": COMPARISON,
        "seeds": list(SEEDS),
        "coarse": tuning.COARSE,
        "fine": tuning.FINE,
        "recipe": wordmodels.RECIPE,
        "numpy": np.__version__,
    }
    np.savez(path, table=np.array(json.dumps(out, indent=1)))


def _check_table(table: object) -> dict:
    """``table`` without its "info": ``{name: {"best": η, "trials": {η: losses}}}`` with
    names of :data:`OPTIMIZERS`, or a clear error."""
    if not isinstance(table, Mapping):
        raise TypeError(f"table must be the dict search() returns, got {type(table).__name__}")
    out = {name: entry for name, entry in table.items() if name != "info"}
    for name, entry in out.items():
        if name not in OPTIMIZERS:
            raise ValueError(f"table's names must be of {list(OPTIMIZERS)}, got {name!r}")
        if not isinstance(entry, Mapping) or not {"best", "trials"} <= set(entry):
            raise ValueError(f"table[{name!r}] must be a dict with 'best' and 'trials'")
    return out


def shipped() -> dict:
    """The shipped table: ``{name: {"best": η, "trials": {η: [loss per seed]}}}`` with
    +∞ for a diverged run, and ``"info"``."""
    with np.load(DATA_DIR / "word_lr.npz", allow_pickle=False) as npz:
        raw = json.loads(str(npz["table"]))
    table = {"info": raw.pop("info")}
    for name, entry in raw.items():
        trials = {
            float(lr): [math.inf if v is None else v for v in losses]
            for lr, losses in entry["trials"]
        }
        table[name] = {"best": float(entry["best"]), "trials": trials}
    return table
