r"""A task where memory matters, for notebook 10: recall a key after a gap.

Each sequence is a **key** of :data:`KEY_LEN` letters drawn from ``a``–``h``, then ``gap``
filler letters drawn from ``s``–``z``, then the marker ``=``, then the key again::

    c f | x s z u y … t | = | c f

A model reads it as the word models read words: at every step it predicts the next symbol
(trained with **teacher forcing**: the true previous symbol is fed in, never the model's own
guess). The fillers and the first key are random, so nothing predicts them; the key after
``=`` is predictable only by a model that still holds the key ``gap + 1`` steps later. The
score is the **recall accuracy**: the fraction of the :data:`KEY_LEN` recall steps at which
the most probable symbol is the key's letter (chance: 1/8), and the **recall loss** in nats
per recall step (chance: log 8 ≈ 2.08, perfect: 0).

:func:`recall_run` trains one model (seeded) by :data:`RECIPE`; :func:`measure` runs
every model over :data:`GAPS` and :data:`SEEDS`; ``data/train_checkpoints.py recall``
writes the table to ``course_lib/data/recall.npz`` (:func:`shipped` reads it), and
``data/train_checkpoints.py recall-models`` the seed-0 models of :data:`CHECKPOINT_GAPS`
(:func:`shipped_model`), which notebook 10's explorer reads (:func:`sequence_probs`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np

from . import DATA_DIR, checkpoint, models, optim, train
from . import _validate as check
from .sequences import SequenceData, Vocab, one_hot

KEYS = "abcdefgh"
FILLERS = "stuvwxyz"
MARKER = "="
VOCAB = Vocab(list(KEYS) + list(FILLERS) + [MARKER], stop=False)
KEY_LEN = 2
#: How every run is trained: d units, Adam, clipping, a fixed number of steps. The LSTM and
#: GRU start from the chrono initialisation (notebook 09) for dependencies of ``gap + 4``
#: steps, the RNN from an orthogonal W (notebook 08).
RECIPE = {"d": 32, "n_train": 1024, "n_test": 512, "steps": 1500, "batch_size": 32,
          "lr": 0.01, "clip": 1.0}  # fmt: skip
GAPS = (5, 10, 20, 40)
SEEDS = (0, 1, 2)
NAMES = ("rnn", "lstm", "gru")


def recall_task(n: int = 512, gap: int = 10, seed: int = 0) -> SequenceData:
    """``n`` sequences key · ``gap`` fillers · ``=`` · key as next-symbol prediction over
    :data:`VOCAB`: inputs (n, T, 17) and targets (n, T) with T = 2·KEY_LEN + gap, the last
    KEY_LEN targets being the recall steps. Seeded."""
    n = check.integer("n", n, minimum=1)
    gap = check.integer("gap", gap, minimum=0)
    rng = np.random.default_rng(check.integer("seed", seed, minimum=0))
    key = rng.integers(len(KEYS), size=(n, KEY_LEN))
    fill = len(KEYS) + rng.integers(len(FILLERS), size=(n, gap))
    marker = np.full((n, 1), VOCAB.encode([MARKER])[0])
    seq = np.concatenate([key, fill, marker, key], axis=1)
    ids, targets = seq[:, :-1], seq[:, 1:]
    T = ids.shape[1]
    X = one_hot(ids, len(VOCAB))
    tokens = [VOCAB.decode(s, " ") for s in seq]
    return SequenceData(X, targets.copy(), np.ones((n, T)), False, VOCAB, VOCAB, tokens)


def recall_scores(probs, data: SequenceData) -> dict[str, float]:
    """``{"accuracy", "loss"}`` on the recall steps (the last KEY_LEN of each sequence):
    the fraction predicted right, and the mean −log P(key letter) in nats per recall step.
    ``probs`` (N, T, 17) from a model's forward pass on ``data``."""
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be a sequences.SequenceData, got {type(data).__name__}")
    probs = check.float_array("probs", probs, ndim=3)
    if probs.shape[:2] != data.targets.shape:
        raise ValueError(
            f"probs must have shape (N, T, K) with (N, T) = {data.targets.shape}, got {probs.shape}"
        )
    p, y = probs[:, -KEY_LEN:], data.targets[:, -KEY_LEN:]
    p_true = np.take_along_axis(p, y[..., None], axis=-1)[..., 0]
    return {
        "accuracy": float(np.mean(p.argmax(-1) == y)),
        "loss": float(-np.mean(np.log(np.maximum(p_true, 1e-300)))),
    }


def _check_name(name: object) -> None:
    if name not in NAMES:
        raise ValueError(f"name must be one of {list(NAMES)}, got {name!r}")


def _init_params(name: str, gap: int, seed: int) -> dict[str, np.ndarray]:
    """The start of a run: the RNN with an orthogonal W (ω = 1), the LSTM and GRU with the
    chrono initialisation for ``gap + 2·KEY_LEN`` steps."""
    model = models.get(name)
    n = len(VOCAB)
    if model.__name__.endswith("rnn"):
        return model.init_params(n, RECIPE["d"], n, rng=seed)
    return model.init_params(n, RECIPE["d"], n, rng=seed, chrono=gap + 2 * KEY_LEN)


def train_model(name: str, gap: int, seed: int = 0) -> tuple[dict, SequenceData]:
    """Train model ``name`` by :data:`RECIPE` on :func:`recall_task` with ``gap``; return
    its parameters and the held-out sequences."""
    _check_name(name)
    seed = check.integer("seed", seed, minimum=0)
    data = recall_task(RECIPE["n_train"] + RECIPE["n_test"], gap, seed)
    train_set, test_set = data.split(RECIPE["n_train"], seed=seed)
    params = _init_params(name, gap, seed)
    train.train_recurrent(
        name, params, train_set, optim.Adam(RECIPE["lr"]), epochs=10**6,
        batch_size=RECIPE["batch_size"], clip=RECIPE["clip"], max_steps=RECIPE["steps"],
        rng=seed, progress=False,
    )  # fmt: skip
    return params, test_set


def recall_run(name: str, gap: int, seed: int = 0) -> dict[str, float]:
    """Held-out :func:`recall_scores` of :func:`train_model`."""
    params, test_set = train_model(name, gap, seed)
    probs, _ = models.get(name).forward(params, test_set.X)
    return recall_scores(probs, test_set)


def sequence_probs(name: str, params, key: str, fillers: str) -> tuple[np.ndarray, np.ndarray]:
    """What a model predicts at every step of the sequence ``key`` · ``fillers`` · ``=`` ·
    ``key`` (teacher forcing): probabilities (T, 17) and the true next symbols (T,), the
    last KEY_LEN being the recall steps. ``key`` must be KEY_LEN letters of :data:`KEYS`,
    ``fillers`` letters of :data:`FILLERS`."""
    _check_name(name)
    n, _, _ = models.get(name).check_params(params)
    if n != len(VOCAB):
        raise ValueError(f"params must read {len(VOCAB)} inputs (the recall VOCAB), got n = {n}")
    if not isinstance(key, str) or len(key) != KEY_LEN or set(key) - set(KEYS):
        raise ValueError(f"key must be {KEY_LEN} letters of {KEYS!r}, got {key!r}")
    if not isinstance(fillers, str) or set(fillers) - set(FILLERS):
        raise ValueError(f"fillers must be letters of {FILLERS!r}, got {fillers!r}")
    seq = VOCAB.encode([*key, *fillers, MARKER, *key])
    probs, _ = models.get(name).forward(params, one_hot(seq[:-1], len(VOCAB))[None])
    return probs[0], np.array(seq[1:])


#: The gaps whose seed-0 models ship as checkpoints (for the explorer).
CHECKPOINT_GAPS = (10, 40)


def checkpoint_name(name: str, gap: int) -> str:
    """The shipped checkpoint's name (in course_lib/data/) of model ``name`` at ``gap``."""
    _check_name(name)
    gap = check.integer("gap", gap, minimum=0)
    return f"recall_{name}_gap{gap}"


def save_checkpoints(folder) -> list:
    """Train and save the seed-0 model of every name and gap of :data:`CHECKPOINT_GAPS`
    (the runs of :func:`measure` for seed 0, so their held-out accuracy is the table's)."""
    folder = check.path("folder", folder)
    paths = []
    for name in NAMES:
        for gap in CHECKPOINT_GAPS:
            params, test_set = train_model(name, gap, 0)
            probs, _ = models.get(name).forward(params, test_set.X)
            info = {"task": "recall.recall_task", "gap": gap, "seed": 0, "recipe": RECIPE,
                    "scores": recall_scores(probs, test_set)}  # fmt: skip
            path = folder / f"{checkpoint_name(name, gap)}.npz"
            paths.append(checkpoint.save(path, params, model=name, vocab=VOCAB.symbols,
                                         info=info))  # fmt: skip
    return paths


def shipped_model(name: str, gap: int) -> checkpoint.Checkpoint:
    """The shipped seed-0 model ``name`` trained at ``gap`` (one of :data:`CHECKPOINT_GAPS`)."""
    _check_name(name)
    if gap not in CHECKPOINT_GAPS:
        raise ValueError(f"gap must be one of {CHECKPOINT_GAPS}, got {gap!r}")
    return checkpoint.load(checkpoint.shipped(checkpoint_name(name, gap)))


@dataclass
class Results:
    """What :func:`measure` found: ``accuracy[name]`` and ``loss[name]``, arrays
    (gaps, seeds) of held-out recall scores; the gaps, the seeds and the recipe."""

    accuracy: dict
    loss: dict
    gaps: tuple
    seeds: tuple
    info: dict


def measure(progress: bool = True) -> Results:
    """Every :func:`recall_run` over :data:`NAMES`, :data:`GAPS`, :data:`SEEDS` (minutes)."""
    acc, loss = {}, {}
    for name in NAMES:
        start = time.perf_counter()
        runs = [[recall_run(name, g, s) for s in SEEDS] for g in GAPS]
        acc[name] = np.array([[r["accuracy"] for r in row] for row in runs])
        loss[name] = np.array([[r["loss"] for r in row] for row in runs])
        if progress:
            print(f"recall {name}: mean accuracy by gap {acc[name].mean(1).round(3)} "
                  f"({time.perf_counter() - start:.0f} s)")  # fmt: skip
    info = {"recipe": RECIPE, "key_len": KEY_LEN, "numpy": np.__version__}
    return Results(acc, loss, GAPS, SEEDS, info)


def save(path, results: Results) -> None:
    """Write ``results`` as an .npz holding one JSON string (numbers rounded to 5 decimals;
    no pickles)."""
    path = check.path("path", path)
    if not isinstance(results, Results):
        raise TypeError(f"results must be a recall.Results, got {type(results).__name__}")
    table = {
        "gaps": list(results.gaps),
        "seeds": list(results.seeds),
        "accuracy": {k: np.round(v, 5).tolist() for k, v in results.accuracy.items()},
        "loss": {k: np.round(v, 5).tolist() for k, v in results.loss.items()},
        "info": results.info,
    }
    np.savez(path, table=np.array(json.dumps(table, indent=1)))


def shipped() -> Results:
    """The results of :func:`measure` shipped in course_lib/data/recall.npz."""
    with np.load(DATA_DIR / "recall.npz", allow_pickle=False) as npz:
        table = json.loads(str(npz["table"]))
    acc = {k: np.array(v) for k, v in table["accuracy"].items()}
    loss = {k: np.array(v) for k, v in table["loss"].items()}
    return Results(acc, loss, tuple(table["gaps"]), tuple(table["seeds"]), table["info"])
