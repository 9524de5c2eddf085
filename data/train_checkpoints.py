"""Make the trained files shipped with the course, each by a seeded job:

    python data/train_checkpoints.py                # the word models of notebook 10:
                                                    #   course_lib/data/words_{rnn,lstm,gru}.npz
    python data/train_checkpoints.py longrange      # notebook 08's long-range table (minutes)
    python data/train_checkpoints.py gated          # notebook 09's gated runs (~10 min)
    python data/train_checkpoints.py recall         # notebook 10's recall table (~10 min)
    python data/train_checkpoints.py recall-models  # the recall explorer's six models
    python data/train_checkpoints.py tune           # notebook 10's η search (a few minutes)

The word models' recipe (sizes, optimizer, epochs, seed) is ``course_lib.wordmodels.RECIPE``,
which the notebook also uses to retrain on demand; each table's recipe is in its module.
Everything is seeded: a rerun on the same NumPy and BLAS gives the same files. See
data/README.md.
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


#: The seeded tables: job name -> (the function that measures, the module that saves it, file).
TABLES = {
    "longrange": (longrange.measure, longrange, "longrange.npz"),
    "gated": (gated.measure, gated, "gated.npz"),
    "recall": (recall.measure, recall, "recall.npz"),
    "tune": (wordtuning.search, wordtuning, "word_lr.npz"),
}


def table(job: str) -> None:
    """Run one job of :data:`TABLES` and write its file into course_lib/data/."""
    measure, module, name = TABLES[job]
    start = time.perf_counter()
    path = ROOT / "course_lib" / "data" / name
    module.save(path, measure())
    print(f"{job}: {time.perf_counter() - start:.0f} s -> {path.name}")


def recall_models() -> None:
    """Notebook 10's recall explorer: ``course_lib.recall.save_checkpoints`` (seed 0)."""
    start = time.perf_counter()
    for path in recall.save_checkpoints(ROOT / "course_lib" / "data"):
        print(f"{path.name} ({path.stat().st_size / 1024:.0f} KiB)")
    print(f"recall-models: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    job = sys.argv[1:]
    if not job:
        main()
    elif job == ["recall-models"]:
        recall_models()
    elif len(job) == 1 and job[0] in TABLES:
        table(job[0])
    else:
        sys.exit(f"unknown job {' '.join(job)!r}: use one of {', '.join(TABLES)}, recall-models")
