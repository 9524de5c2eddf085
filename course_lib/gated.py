r"""The gated models on the long-range task: the measurements of notebook 09.

The task is notebook 08's remember-the-first-symbol
(:func:`~course_lib.sequences.remember_first_task`, length :data:`LENGTH`, chance 1/4),
trained by notebook 08's recipe :data:`course_lib.longrange.FIRST` (d = 16, Adam η = 0.02,
mini-batches of 64, clipping at 1), for :data:`STEPS` steps and then on to
:data:`LONG_STEPS`, from each start of :data:`STARTS`:

- the RNN from an orthogonal W (ω = 1, ``rnn.init_params``'s default);
- the LSTM and the GRU with the default gate biases (LSTM: b_f = 1; GRU: b_i = 0), and with
  the *chrono* initialisation (``chrono=LENGTH``: b_f = log u, u ~ U(1, L − 1), b_i = −b_f).

:func:`measure` runs every start over :data:`SEEDS`; ``data/train_checkpoints.py gated``
writes the held-out accuracy curves and the parameters after :data:`STEPS` steps to
``course_lib/data/gated.npz`` (:func:`shipped` reads it), so notebook 09 shows five seeds of
1,200 steps without training. :func:`readback` measures how much of x_1 a linear readout
still finds in s_t.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from . import DATA_DIR, gru, lstm, optim, rnn, train
from . import _validate as check
from .longrange import FIRST
from .sequences import SequenceData, remember_first_task

LENGTH = 60
STEPS = 200
LONG_STEPS = 1200
SEEDS = (0, 1, 2, 3, 4)
#: name -> (model module name, init_params options beyond (4, d, 4, rng=seed))
STARTS = {
    "RNN": ("rnn", {}),
    "LSTM, forget bias 1": ("lstm", {}),
    "LSTM, chrono": ("lstm", {"chrono": LENGTH}),
    "GRU, update bias 0": ("gru", {}),
    "GRU, chrono": ("gru", {"chrono": LENGTH}),
}
_MODULES = {"rnn": rnn, "lstm": lstm, "gru": gru}

Params = dict[str, np.ndarray]


def task(seed: int, length: int = LENGTH) -> tuple[SequenceData, SequenceData]:
    """Training and held-out sequences (:data:`FIRST` sizes) of the long-range task, seeded."""
    seed = check.integer("seed", seed, minimum=0)
    data = remember_first_task(n=FIRST["n_train"] + FIRST["n_test"], length=length, seed=seed)
    return data.split(FIRST["n_train"], seed=seed)


def start(name: str, seed: int) -> tuple[str, Params]:
    """``(model name, initial parameters)`` of the start ``name`` of :data:`STARTS`."""
    if name not in STARTS:
        raise ValueError(f"name must be one of {tuple(STARTS)}, got {name!r}")
    seed = check.integer("seed", seed, minimum=0)
    model, options = STARTS[name]
    return model, _MODULES[model].init_params(4, FIRST["d"], 4, rng=seed, **options)


def run(name: str, seed: int = 0, steps: tuple[int, ...] = (STEPS, LONG_STEPS)):
    """Train the start ``name`` on :func:`task` by :data:`FIRST`, one training run stopped at
    each of ``steps`` (increasing). Returns ``(accuracy, snapshots)``: the held-out accuracy
    after every epoch (8 steps), shape (steps[-1] / 8,), and the parameters at each stop."""
    model, params = start(name, seed)
    _check_stops(steps)
    train_set, test_set = task(seed)
    adam, rng = optim.Adam(FIRST["lr"]), np.random.default_rng(seed)
    accuracy, snapshots, done = [], [], 0
    for stop in steps:
        h = train.train_recurrent(
            model, params, train_set, adam, epochs=10**6, batch_size=FIRST["batch_size"],
            clip=FIRST["clip"], max_steps=stop - done, validation=test_set, rng=rng,
            progress=False,
        )  # fmt: skip
        accuracy += h.val_accuracy
        snapshots.append({k: v.copy() for k, v in params.items()})
        done = stop
    return np.array(accuracy), snapshots


def _check_stops(steps: object) -> None:
    """``steps`` must be a non-empty tuple or list of increasing ints >= 1."""
    if not isinstance(steps, tuple | list) or not steps:
        raise TypeError(f"steps must be a non-empty tuple of step counts, got {steps!r:.40}")
    stops = [check.integer(f"steps[{j}]", s, minimum=1) for j, s in enumerate(steps)]
    if any(b <= a for a, b in zip(stops[:-1], stops[1:], strict=True)):
        raise ValueError(f"steps must increase (one run stopped at each), got {steps!r}")


def _check_results(results: object) -> None:
    if not isinstance(results, Results):
        raise TypeError(f"results must be a gated.Results, got {type(results).__name__}")


@dataclass
class Results:
    """What :func:`measure` found: ``accuracy[name]`` (seeds, epochs), the held-out accuracy
    after every epoch of 8 steps; ``params[name][seed]`` after :data:`STEPS` steps;
    ``readback[name]`` (2, seeds, LENGTH), :func:`readback` at the start and after
    :data:`STEPS` steps."""

    accuracy: dict
    params: dict
    seeds: tuple
    info: dict
    readback: dict

    def at(self, name: str, step: int) -> np.ndarray:
        """Held-out accuracy of every seed after ``step`` steps (a multiple of 8)."""
        return self.accuracy[name][:, step // (FIRST["n_train"] // FIRST["batch_size"]) - 1]


def measure(progress: bool = True) -> Results:
    """Every start of :data:`STARTS` on every seed of :data:`SEEDS` (minutes)."""
    accuracy, params = {}, {}
    for name in STARTS:
        runs = [run(name, seed) for seed in SEEDS]
        accuracy[name] = np.stack([acc for acc, _ in runs])
        params[name] = [snaps[0] for _, snaps in runs]
        if progress:
            print(f"{name}: accuracy at {STEPS} / {LONG_STEPS} steps",
                  accuracy[name][:, STEPS // 8 - 1], accuracy[name][:, -1])  # fmt: skip
    starts = {k: [m, o] for k, (m, o) in STARTS.items()}
    info = {"first": FIRST, "length": LENGTH, "steps": STEPS, "long_steps": LONG_STEPS,
            "starts": starts, "numpy": np.__version__}  # fmt: skip
    return with_readback(Results(accuracy, params, SEEDS, info, {}))


def with_readback(results: Results) -> Results:
    """``results`` with :func:`readback` of every start, at the start and trained, filled in."""
    _check_results(results)
    for name, (model, _) in STARTS.items():
        begin = [readback(model, start(name, s)[1], seed=s) for s in results.seeds]
        end = [
            readback(model, p, seed=s)
            for s, p in zip(results.seeds, results.params[name], strict=True)
        ]
        results.readback[name] = np.array([begin, end])
    return results


def save(path, results: Results) -> None:
    """Write ``results`` as an .npz of plain arrays and one JSON string (no pickles)."""
    path = check.path("path", path)
    _check_results(results)
    arrays = {f"accuracy/{name}": acc for name, acc in results.accuracy.items()}
    arrays |= {f"readback/{name}": r for name, r in results.readback.items()}
    for name, per_seed in results.params.items():
        for seed, p in zip(results.seeds, per_seed, strict=True):
            arrays |= {f"params/{name}/{seed}/{k}": v for k, v in p.items()}
    meta = {"seeds": results.seeds, "info": results.info}
    np.savez_compressed(path, meta=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)


def shipped() -> Results:
    """The results of :func:`measure` shipped in course_lib/data/gated.npz."""
    with np.load(DATA_DIR / "gated.npz", allow_pickle=False) as npz:
        meta = json.loads(str(npz["meta"]))
        accuracy, back, params = {}, {}, {name: {} for name in STARTS}
        for key in npz.files:
            kind, _, rest = key.partition("/")
            if kind == "accuracy":
                accuracy[rest] = npz[key]
            elif kind == "readback":
                back[rest] = npz[key]
            elif kind == "params":
                name, seed, k = rest.split("/")
                params[name].setdefault(int(seed), {})[k] = npz[key]
    seeds = tuple(meta["seeds"])
    per_seed = {name: [p[s] for s in seeds] for name, p in params.items()}
    return Results(accuracy, per_seed, seeds, meta["info"], back)


def states(model: str, params: Params, X) -> np.ndarray:
    """The states s_t (the cell state for the LSTM), t = 0..T, of every sequence of ``X``
    (B, T, n): shape (B, T + 1, d)."""
    if model not in _MODULES:
        raise ValueError(f"model must be one of {tuple(_MODULES)}, got {model!r}")
    return _MODULES[model].forward(params, X)[1]["s"]


def readback(model: str, params: Params, seed: int = 0, n: int = 1024) -> np.ndarray:
    r"""How well x_1 can be read back from s_t: for t = 1..:data:`LENGTH`, the held-out
    accuracy of a linear readout of the first symbol from s_t, shape (LENGTH,).

    The readout is least squares onto the one-hot x_1, :math:`\min_{A} \|[S_t\ 1] A - Y\|^2`,
    fitted on the first half of ``n`` fresh random sequences and scored (argmax) on the
    other half; chance is 1/4.
    """
    n = check.integer("n", n, minimum=16)
    data = remember_first_task(n=n, length=LENGTH, seed=check.integer("seed", seed, minimum=0))
    S = states(model, params, data.X)
    Y = np.eye(4)[data.targets]
    half = n // 2
    out = np.empty(LENGTH)
    for t in range(1, LENGTH + 1):
        A1 = np.hstack([S[:, t], np.ones((n, 1))])
        coef = np.linalg.lstsq(A1[:half], Y[:half], rcond=None)[0]
        out[t - 1] = np.mean(np.argmax(A1[half:] @ coef, axis=1) == data.targets[half:])
    return out
