"""The character-level word models of notebook 10: one recipe for the checkpoints shipped in
``data/`` (written by data/train_checkpoints.py) and for retraining them in a notebook.

A model reads ``<stop>`` (a word begins) and then a word of data/words.txt, and predicts
every next character and the final ``<stop>`` (``sequences.word_task``).
"""

from __future__ import annotations

from . import _validate as check
from . import checkpoint, models, optim, sequences, train

#: How the shipped checkpoints were trained (notebook 10 retrains with fewer epochs).
RECIPE = {"d": 64, "epochs": 10, "batch_size": 32, "lr": 0.005, "clip": 5.0, "seed": 0}
#: Words held out for validation (the same split everywhere).
N_VALIDATION = 300
NAMES = ("rnn", "lstm", "gru")


def split_words(seed: int = 0) -> tuple[sequences.SequenceData, sequences.SequenceData]:
    """The word task split into training and validation words (seeded)."""
    data = sequences.word_task()
    check.generator("seed", seed)
    return data.split(len(data) - N_VALIDATION, seed=seed)


def train_word_model(
    name: str,
    epochs: int | None = None,
    optimizer: optim.Optimizer | None = None,
    progress: bool = True,
    **changes,
) -> tuple[dict, train.RecurrentHistory]:
    """Train one model (``"rnn"``, ``"lstm"``, ``"gru"``) with :data:`RECIPE`, or with
    ``epochs``, an ``optimizer`` (default Adam at the recipe's η) and other ``changes``
    (``d``, ``batch_size``, ``clip``, ``seed``). Returns ``(params, history)``."""
    if name not in NAMES:
        raise ValueError(f"name must be one of {list(NAMES)}, got {name!r}")
    check.flag("progress", progress)
    unknown = sorted(set(changes) - set(RECIPE))
    if unknown:
        raise TypeError(
            f"train_word_model got unknown settings {unknown}; the recipe has {sorted(RECIPE)}"
        )
    recipe = {**RECIPE, **changes}
    if epochs is not None:
        recipe["epochs"] = epochs
    train_data, val_data = split_words(recipe["seed"])
    n = train_data.X.shape[2]
    params = models.get(name).init_params(n, recipe["d"], n, rng=recipe["seed"])
    history = train.train_recurrent(
        name,
        params,
        train_data,
        optimizer or optim.Adam(recipe["lr"]),
        epochs=recipe["epochs"],
        batch_size=recipe["batch_size"],
        clip=recipe["clip"],
        validation=val_data,
        rng=recipe["seed"],
        progress=progress,
    )
    return params, history


def shipped(name: str) -> checkpoint.Checkpoint:
    """The checkpoint shipped in data/ for model ``name`` (trained with :data:`RECIPE`)."""
    if name not in NAMES:
        raise ValueError(f"name must be one of {list(NAMES)}, got {name!r}")
    return checkpoint.load(checkpoint.shipped(f"words_{name}"))
