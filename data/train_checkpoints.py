"""Train the character-level word models shipped with the course (notebook 10).

    python data/train_checkpoints.py    # writes course_lib/data/words_{rnn,lstm,gru}.npz

and measure notebook 08's long-range runs (several minutes):

    python data/train_checkpoints.py longrange    # writes course_lib/data/longrange.npz

and notebook 10's recall runs (about ten minutes):

    python data/train_checkpoints.py recall    # writes course_lib/data/recall.npz

and the recall models its explorer shows (a few minutes):

    python data/train_checkpoints.py recall-models    # course_lib/data/recall_*_gap*.npz

and tune notebook 10's learning rates (a few minutes):

    python data/train_checkpoints.py tune    # writes course_lib/data/word_lr.npz
and notebook 09's gated models on the long-range task (about ten minutes):

    python data/train_checkpoints.py gated    # writes course_lib/data/gated.npz

The recipe (sizes, optimizer, epochs, seed) is ``course_lib.wordmodels.RECIPE``, which the
notebook also uses to retrain on demand. Everything is seeded: a rerun on the same NumPy and
BLAS gives the same files. See data/README.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's course_lib, not an installed one

from course_lib import (  # noqa: E402
    checkpoint,
    gated,
    longrange,
    recall,
    sequences,
    wordmodels,
    wordtuning,
)


def main() -> None:
    out = ROOT / "course_lib" / "data"
    for name in wordmodels.NAMES:
        start = time.perf_counter()
        params, history = wordmodels.train_word_model(name)
        info = {
            "task": "sequences.word_task() (data/words.txt), boundary=True",
            "recipe": wordmodels.RECIPE,
            "n_validation": wordmodels.N_VALIDATION,
            "epoch_losses": [round(x, 5) for x in history.epoch_losses],
            "val_losses": [round(x, 5) for x in history.val_losses],
            "val_accuracy": [round(x, 5) for x in history.val_accuracy],
            "numpy": np.__version__,
        }
        path = checkpoint.save(
            out / f"words_{name}.npz",
            params,
            model=name,
            vocab=sequences.LETTERS.symbols,
            info=info,
        )
        print(
            f"{name}: validation loss {history.val_losses[-1]:.4f}, accuracy "
            f"{history.val_accuracy[-1]:.3f}, {time.perf_counter() - start:.0f} s -> {path.name} "
            f"({path.stat().st_size / 1024:.0f} KiB)"
        )


def longrange_results() -> None:
    """Notebook 08's table: every run of ``course_lib.longrange.measure`` (seeded)."""
    start = time.perf_counter()
    path = ROOT / "course_lib" / "data" / "longrange.npz"
    longrange.save(path, longrange.measure())
    print(f"longrange: {time.perf_counter() - start:.0f} s -> {path.name}")


def recall_results() -> None:
    """Notebook 10's table: every run of ``course_lib.recall.measure`` (seeded)."""
    start = time.perf_counter()
    path = ROOT / "course_lib" / "data" / "recall.npz"
    recall.save(path, recall.measure())
    print(f"recall: {time.perf_counter() - start:.0f} s -> {path.name}")


def recall_models() -> None:
    """Notebook 10's recall explorer: ``course_lib.recall.save_checkpoints`` (seed 0)."""
    start = time.perf_counter()
    for path in recall.save_checkpoints(ROOT / "course_lib" / "data"):
        print(f"{path.name} ({path.stat().st_size / 1024:.0f} KiB)")
    print(f"recall-models: {time.perf_counter() - start:.0f} s")


def tuned_learning_rates() -> None:
    """Notebook 10's learning rates: ``course_lib.wordtuning.search`` (seeded)."""
    start = time.perf_counter()
    path = ROOT / "course_lib" / "data" / "word_lr.npz"
    wordtuning.save(path, wordtuning.search())
    print(f"tune: {time.perf_counter() - start:.0f} s -> {path.name}")


def gated_results() -> None:
    """Notebook 09's runs: every start of ``course_lib.gated.STARTS`` on five seeds (seeded)."""
    start = time.perf_counter()
    path = ROOT / "course_lib" / "data" / "gated.npz"
    gated.save(path, gated.measure())
    print(f"gated: {time.perf_counter() - start:.0f} s -> {path.name}")


if __name__ == "__main__":
    if sys.argv[1:] == ["longrange"]:
        longrange_results()
    elif sys.argv[1:] == ["recall"]:
        recall_results()
    elif sys.argv[1:] == ["recall-models"]:
        recall_models()
    elif sys.argv[1:] == ["tune"]:
        tuned_learning_rates()
    elif sys.argv[1:] == ["gated"]:
        gated_results()
    else:
        main()
