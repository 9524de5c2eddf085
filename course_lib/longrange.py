r"""What a plain RNN learns of a long-range dependency: the measurements of notebook 08.

Each function trains one RNN, seeded, and returns its held-out accuracy:

- :func:`echo_run` on :func:`~course_lib.sequences.delayed_echo_task` (the target at every
  step is the symbol seen ``delay`` steps before), with full BPTT, the notes' per-term
  truncation (``truncate=k``), truncation in chunks with the state carried (``chunk=k``),
  or the **control**: the output layer alone, trained on a frozen random network
  (:func:`fit_readout`), which measures how much the random recurrence already carries;
- :func:`first_run` on :func:`~course_lib.sequences.remember_first_task` from one of
  :data:`STARTS`, the initial recurrent matrices compared in notebook 08.

:func:`measure` runs them all over :data:`SEEDS`; ``data/train_checkpoints.py`` writes the
table to ``course_lib/data/longrange.npz`` (:func:`shipped` reads it), so the notebook shows
every seed without training them all. The recipes are :data:`ECHO`, :data:`FIRST` and
:data:`READOUT`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from . import DATA_DIR, optim, rnn, train
from . import _validate as check
from .functions import softmax
from .sequences import SequenceData, delayed_echo_task, echo_accuracy, remember_first_task

#: The delayed-echo runs: an RNN of d units, Adam, clipping at norm 1, sequences of 40 steps.
ECHO = {"d": 32, "length": 40, "n_train": 512, "n_test": 256, "epochs": 10,
        "batch_size": 32, "lr": 0.01, "clip": 1.0}  # fmt: skip
#: The remember-the-first-symbol runs (notebook 09's recipe: 200 steps of Adam).
FIRST = {"d": 16, "n_train": 512, "n_test": 128, "steps": 200, "batch_size": 64,
         "lr": 0.02, "clip": 1.0}  # fmt: skip
#: The control: full-batch Adam on the output layer alone (a convex problem).
READOUT = {"steps": 100, "lr": 0.1}
#: How the echo task is trained: full BPTT, the two truncations, or the output layer alone.
FORMS = ("full", "truncate", "chunk", "readout")
#: The initial recurrent matrices W compared (U, V as rnn.init_params draws them).
STARTS = ("orthogonal ω=0.5", "orthogonal ω=1", "orthogonal ω=1.5", "Gaussian 1/d",
          "Gaussian ‖W‖₂=1")  # fmt: skip
SEEDS = (0, 1, 2, 3, 4)
#: What :func:`measure` runs: the truncation k of each truncated form, the delays, lengths.
GRID = {"k": (4, 8), "delays": (2, 3, 4, 5, 7, 8, 9, 12), "lengths": (20, 30, 40, 60)}

Params = dict[str, np.ndarray]


# --- the control: the output layer alone ------------------------------------------------------


def fit_readout(params: Params, data: SequenceData, steps: int | None = None,
                lr: float | None = None) -> Params:  # fmt: skip
    r"""New parameters: ``params`` with V and c trained on the states of the frozen network
    (U, W, b kept), by ``steps`` full-batch Adam steps (:data:`READOUT` by default).

    The states s_t of every sequence are computed once; what is left is softmax regression
    on the scored steps (every real step, or each sequence's last with ``many_to_one``),

    .. math:: \min_{V, c}\ \mathcal L(V, c) = \frac1N \sum_{(i, t)\ \text{scored}}
              -\log \operatorname{softmax}(V s_{it} + c)_{y_{it}}, \qquad
              \frac{\partial \mathcal L}{\partial V} = \frac1N \sum (\hat y_{it} -
              \mathrm{onehot}(y_{it}))\, s_{it}^\top,

    a convex problem, so its accuracy measures what the random recurrence carries, not what
    training it could add. tests/unit/test_longrange.py checks that rnn.loss_and_grads's
    gradient of V and c vanishes at the result.
    """
    rnn.check_params(params)
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be a sequences.SequenceData, got {type(data).__name__}")
    steps = check.integer("steps", READOUT["steps"] if steps is None else steps, minimum=1)
    lr = check.positive("lr", READOUT["lr"] if lr is None else lr)
    _, cache = rnn.forward(params, data.X, mask=data.mask)
    rows, targets = _scored_states(cache["s"][:, 1:], data)  # fixed from here on
    onehot = np.eye(params["V"].shape[0])[targets]
    head = {"V": params["V"].copy(), "c": params["c"].copy()}
    adam = optim.Adam(lr)
    for _ in range(steps):
        d_o = (softmax.unchecked(rows @ head["V"].T + head["c"]) - onehot) / len(data)
        adam.apply_gradient(head, {"V": d_o.T @ rows, "c": d_o.sum(axis=0)})
    return {k: v.copy() for k, v in params.items()} | head


def _scored_states(states: np.ndarray, data: SequenceData) -> tuple[np.ndarray, np.ndarray]:
    """The states (M, d) of the scored steps and their targets (M,)."""
    if data.many_to_one:
        last = data.mask.shape[1] - 1 - np.argmax(data.mask[:, ::-1] > 0, axis=1)
        return states[np.arange(len(data)), last], data.targets
    real = data.mask > 0
    return states[real], data.targets[real]


# --- the delayed echo: full BPTT, two truncations, the control ---------------------------------


def echo_data(delay: int, seed: int) -> tuple[SequenceData, SequenceData]:
    """Training and held-out sequences of the delayed echo (:data:`ECHO`), seeded."""
    n = ECHO["n_train"] + ECHO["n_test"]
    data = delayed_echo_task(n=n, length=ECHO["length"], delay=delay, seed=seed)
    return data.split(ECHO["n_train"], seed=seed)


def echo_run(form: str, delay: int, k: int | None = None, seed: int = 0) -> float:
    """Held-out accuracy (steps t > delay) of an RNN trained by :data:`ECHO` on the delayed
    echo, in ``form``: "full" (BPTT), "truncate" (the notes' per-term truncation at ``k``),
    "chunk" (chunks of ``k`` steps, state carried) or "readout" (the control)."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, got {form!r}")
    if (k is None) != (form in ("full", "readout")):
        raise ValueError(f"k must be given for truncate and chunk only; got k={k} for {form!r}")
    seed = check.integer("seed", seed, minimum=0)
    train_set, test_set = echo_data(delay, seed)
    params = rnn.init_params(4, ECHO["d"], 4, rng=seed)
    if form == "readout":
        params = fit_readout(params, train_set)
    else:
        train.train_recurrent(
            rnn, params, train_set, optim.Adam(ECHO["lr"]), epochs=ECHO["epochs"],
            batch_size=ECHO["batch_size"], clip=ECHO["clip"], rng=seed, progress=False,
            **({form: k} if k is not None else {}),
        )  # fmt: skip
    probs, _ = rnn.forward(params, test_set.X)
    return echo_accuracy(probs, test_set, delay)


# --- starts: which initial W ------------------------------------------------------------------


def start_params(start: str, d: int, seed: int) -> Params:
    """``rnn.init_params(4, d, 4, rng=seed)`` with W replaced by the ``start``: an orthogonal
    Q times ω, a Gaussian matrix with entries N(0, 1/d) (ρ(W) ≈ 1, ‖W‖₂ ≈ 2), or that
    Gaussian matrix divided by its norm (‖W‖₂ = 1)."""
    if start not in STARTS:
        raise ValueError(f"start must be one of {STARTS}, got {start!r}")
    check.generator("seed", seed)
    params = rnn.init_params(4, d, 4, rng=seed)
    gauss = np.random.default_rng([seed, 1]).standard_normal((d, d)) / np.sqrt(d)
    if start.startswith("orthogonal"):
        params["W"] *= float(start.rpartition("=")[2])
    elif start == "Gaussian 1/d":
        params["W"] = gauss
    else:
        params["W"] = gauss / np.linalg.norm(gauss, 2)
    return params


def first_run(start: str, length: int, seed: int = 0) -> float:
    """Held-out accuracy of an RNN started from ``start``, trained by :data:`FIRST` on
    remembering the first of ``length`` symbols (chance 1/4)."""
    seed = check.integer("seed", seed, minimum=0)
    data = remember_first_task(n=FIRST["n_train"] + FIRST["n_test"], length=length, seed=seed)
    train_set, test_set = data.split(FIRST["n_train"], seed=seed)
    params = start_params(start, FIRST["d"], seed)
    train.train_recurrent(
        rnn, params, train_set, optim.Adam(FIRST["lr"]), epochs=10**6,
        batch_size=FIRST["batch_size"], clip=FIRST["clip"], max_steps=FIRST["steps"], rng=seed,
        progress=False,
    )  # fmt: skip
    return train.evaluate(rnn, params, test_set)["accuracy"]


# --- all of it, shipped -----------------------------------------------------------------------


@dataclass
class Results:
    """What :func:`measure` found: ``echo[(form, k)]`` (delays, seeds) accuracies, with k
    None for "full" and "readout"; ``first[start]`` (lengths, seeds); the grid and recipes."""

    echo: dict
    first: dict
    delays: tuple
    lengths: tuple
    seeds: tuple
    info: dict


def echo_forms() -> list[tuple[str, int | None]]:
    """The (form, k) pairs of :func:`measure`: full, the control, each truncation at each k."""
    cut = [(form, k) for k in GRID["k"] for form in ("truncate", "chunk")]
    return [("full", None), ("readout", None), *cut]


def measure(progress: bool = True) -> Results:
    """Every run of :func:`echo_run` and :func:`first_run` over :data:`GRID` and :data:`SEEDS`
    (minutes: data/train_checkpoints.py calls it)."""
    delays, lengths = GRID["delays"], GRID["lengths"]
    echo = {}
    for form, k in echo_forms():
        echo[form, k] = np.array([[echo_run(form, L, k, s) for s in SEEDS] for L in delays])
        if progress:
            print(f"echo {form} k={k}: mean accuracy by delay {echo[form, k].mean(1).round(2)}")
    first = {}
    for start in STARTS:
        first[start] = np.array([[first_run(start, L, s) for s in SEEDS] for L in lengths])
        if progress:
            print(f"first {start}: mean accuracy by length {first[start].mean(1).round(2)}")
    info = {"echo": ECHO, "first": FIRST, "readout": READOUT, "grid": GRID,
            "numpy": np.__version__}  # fmt: skip
    return Results(echo, first, delays, lengths, SEEDS, info)


def save(path, results: Results) -> None:
    """Write ``results`` as an .npz of plain arrays and one JSON string (no pickles)."""
    path = check.path("path", path)
    if not isinstance(results, Results):
        raise TypeError(f"results must be a longrange.Results, got {type(results).__name__}")
    arrays = {f"echo/{form}/{k}": acc for (form, k), acc in results.echo.items()}
    arrays |= {f"first/{start}": acc for start, acc in results.first.items()}
    meta = {"delays": results.delays, "lengths": results.lengths, "seeds": results.seeds,
            "info": results.info}  # fmt: skip
    np.savez(path, meta=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)


def shipped() -> Results:
    """The results of :func:`measure` shipped in course_lib/data/longrange.npz."""
    with np.load(DATA_DIR / "longrange.npz", allow_pickle=False) as npz:
        meta = json.loads(str(npz["meta"]))
        echo, first = {}, {}
        for name in npz.files:
            kind, _, rest = name.partition("/")
            if kind == "echo":
                form, k = rest.split("/")
                echo[form, None if k == "None" else int(k)] = npz[name]
            elif kind == "first":
                first[rest] = npz[name]
    return Results(echo, first, tuple(meta["delays"]), tuple(meta["lengths"]),
                   tuple(meta["seeds"]), meta["info"])  # fmt: skip
