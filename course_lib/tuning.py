r"""Learning-rate tuning on a training/validation split, and η changed between epochs.

Notebook 04's tools, built on notebook 03's mini-batch epoch
(:func:`course_lib.batching.run_epoch`), with its convention: the loss of a mini-batch
is the **mean** over its points,

.. math:: \mathcal{L}_B(w, b) = \frac{1}{|B|}\sum_{i \in B} \tfrac12 \bigl(f(x_i) - y_i\bigr)^2,
          \qquad w \leftarrow w - \eta\, \nabla_w \mathcal{L}_B,

(the notes sum instead; with the sum every η here would be |B| times smaller).
What this module adds is what tuning needs: a train/validation split (:func:`split`),
training of the sigmoid neuron that records the losses per example on both sets after
every epoch, with schedules that set η (or γ) once per epoch and the rule that halves η
when the validation loss rises (:func:`train_neuron`), and the notes' search for η: a
coarse search on a log scale, then a finer one around the best value (:func:`lr_search`),
and a random search of the same cost to compare it with (:func:`random_search`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _validate as check
from . import batching, optim
from .schedules import ValidationRule

Data = tuple[np.ndarray, np.ndarray]
Params = dict[str, np.ndarray]

#: The notes' coarse grid: "try different values on a log scale".
COARSE = (0.001, 0.01, 0.1, 1.0, 10.0)
#: Multiples of the best coarse η tried by the finer search (the notes: 0.05, 0.08, 0.1, 0.2
#: around 0.1), spanning the gap to the neighbouring coarse values.
FINE = (0.3, 0.5, 0.8, 1.25, 2.0, 3.0)


def _check_pair(name: str, data: object) -> Data:
    if not isinstance(data, tuple | list) or len(data) != 2:
        raise TypeError(f"{name} must be a pair (X, Y) of 1-D arrays, got {type(data).__name__}")
    X = check.float_array(f"{name}[0] (X)", data[0], ndim=1)
    Y = check.float_array(f"{name}[1] (Y)", data[1], ndim=1)
    if X.shape != Y.shape or X.size == 0:
        raise ValueError(f"{name} must hold X and Y of one non-zero length, got {X.size}, {Y.size}")
    return X, Y


def _check_neuron_params(name: str, params: object) -> Params:
    params = check.params_dict(name, params)
    if set(params) != {"w", "b"} or any(np.shape(v) != () for v in params.values()):
        raise ValueError(f"{name} must be {{'w': array(()), 'b': array(())}}, got {params}")
    return {k: np.array(v, dtype=np.float64) for k, v in params.items()}


def split(X: object, Y: object, val_fraction: float = 0.2, seed: int = 0) -> tuple[Data, Data]:
    """Shuffle (X, Y) once and cut it into a training and a validation set.

    Returns ``((X_train, Y_train), (X_val, Y_val))`` with ``round(val_fraction * n)``
    validation points. The validation set is never trained on: it tells us how well the
    fit generalises, which is what the halve-on-rise rule and the η search look at.
    """
    X, Y = _check_pair("(X, Y)", (X, Y))
    frac = check.in_range("val_fraction", val_fraction, 0.0, 1.0, lo_open=True)
    n_val = int(round(frac * X.size))
    if not 0 < n_val < X.size:
        raise ValueError(
            f"val_fraction={frac:g} leaves {n_val} of {X.size} points for validation; "
            "both sets need at least one"
        )
    order = check.generator("seed", seed).permutation(X.size)
    val, train = order[:n_val], order[n_val:]
    return (X[train], Y[train]), (X[val], Y[val])


def loss(params: Mapping[str, np.ndarray], data: object) -> float:
    r"""Loss per example :math:`\frac1n \sum_i \tfrac12 (f(x_i) - y_i)^2` on ``data = (X, Y)``
    (:func:`course_lib.batching.mean_loss`)."""
    X, Y = _check_pair("data", data)
    return batching.mean_loss.unchecked(_check_neuron_params("params", params), X, Y)


@dataclass
class NeuronHistory:
    """What :func:`train_neuron` returns: the mini-batch run and the losses after every epoch.

    Attributes:
        run: the :class:`~course_lib.batching.BatchRun` of all S updates: ``run.path``
            (S + 1, 2), ``run.lrs`` (S,), ``run.diverged_at`` (the update), ...
        train_loss: shape (E + 1,), loss per example on the training set before training
            and after each of the E completed epochs.
        val_loss: shape (E + 1,) likewise on the validation set, or ``None``.
        steps_per_epoch: ⌈n / batch_size⌉ updates in every epoch.
    """

    run: batching.BatchRun
    train_loss: np.ndarray
    val_loss: np.ndarray | None
    steps_per_epoch: int

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.train_loss) - 1

    @property
    def path(self) -> np.ndarray:
        """Shape (S + 1, 2): (w, b) before training and after every update."""
        return self.run.path

    @property
    def lrs(self) -> np.ndarray:
        """Shape (S,): the η used at each update."""
        return self.run.lrs

    @property
    def epoch_lrs(self) -> np.ndarray:
        """Shape (E,): the η at the first update of each completed epoch."""
        return self.run.lrs[: self.epochs * self.steps_per_epoch : self.steps_per_epoch]

    @property
    def diverged(self) -> bool:
        return self.run.diverged

    @property
    def diverged_at(self) -> int | None:
        """The update (1-based) at which (w, b) became non-finite or too large, or None."""
        return self.run.diverged_at

    @property
    def reason(self) -> str | None:
        return self.run.reason

    @property
    def final(self) -> Params:
        return self.run.final


def _check_val_rule(rule: object, scheduler: optim.Scheduler, val: Data | None) -> None:
    if rule is None:
        return
    if not isinstance(rule, ValidationRule):
        raise TypeError(
            "val_rule must be a schedules.ValidationRule (e.g. HalveOnValidationRise()), "
            f"got {rule!r}"
        )
    if "lr" in scheduler.schedules:
        raise ValueError("give either an 'lr' schedule or val_rule, not both: both set η")
    if val is None:
        raise ValueError("val_rule needs a validation set: pass val=(X_val, Y_val)")


class _EpochLosses:
    """The losses per example on the training set (and the validation set) after each epoch."""

    def __init__(self, data: Data, val: Data | None):
        self.data, self.val = data, val
        self.train: list[float] = []
        self.validation: list[float] | None = None if val is None else []

    def record(self, params: Params) -> None:
        self.train.append(batching.mean_loss.unchecked(params, *self.data))
        if self.val is not None:
            self.validation.append(batching.mean_loss.unchecked(params, *self.val))


def train_neuron(
    optimizer: optim.Optimizer,
    data: object,
    params0: Mapping[str, np.ndarray],
    epochs: int,
    *,
    batch_size: int = 20,
    val: object = None,
    schedules: Mapping[str, Callable[[int], float]] | None = None,
    unit: str = "epoch",
    val_rule: ValidationRule | None = None,
    seed: int = 0,
    max_abs: float = 1e6,
) -> NeuronHistory:
    """Mini-batch training of the sigmoid neuron for ``epochs`` passes over ``data``.

    Each epoch is notebook 03's :func:`course_lib.batching.run_epoch`: the n points of
    ``data = (X, Y)`` once, in a fresh order drawn from ``seed``, in ⌈n / batch_size⌉
    mini-batches, one step of ``optimizer`` (reset first) with the batch's *mean*
    gradient per mini-batch. On top of it, ``schedules`` maps an optimizer attribute
    (``"lr"``, ``"gamma"``) to a function of t, applied before each epoch
    (``unit="epoch"``, t = 0, 1, ...) or each update (``unit="step"``); ``val_rule`` (a
    :class:`~course_lib.schedules.ValidationRule`, e.g. the notes'
    :class:`~course_lib.schedules.HalveOnValidationRise`) sets η before every epoch from
    the validation losses so far (the one before training included), and needs ``val``.
    The losses per example on ``data`` (and ``val``) are recorded after every epoch.
    Neither ``params0`` nor ``val_rule`` is modified (a reset copy of the rule is used).
    """
    X, Y = _check_pair("data", data)
    valset = None if val is None else _check_pair("val", val)
    params = _check_neuron_params("params0", params0)
    epochs = check.integer("epochs", epochs, minimum=0)
    steps_per_epoch = batching.updates_per_epoch(X.size, batch_size)
    if unit not in ("epoch", "step"):
        raise ValueError(f"unit must be 'epoch' or 'step', got {unit!r}")
    scheduler = optim.Scheduler(optimizer, schedules, unit)
    _check_val_rule(val_rule, scheduler, valset)
    rng = check.generator("seed", seed)
    recorder = batching.BatchRecorder(params, None, check.positive("max_abs", max_abs))
    losses = _EpochLosses((X, Y), valset)
    losses.record(params)
    rule = None if val_rule is None else copy.deepcopy(val_rule)
    if rule is not None:
        rule.reset()  # remembers no loss of an earlier run
    optimizer.reset()
    with np.errstate(all="ignore"):  # divergence is reported in the run instead
        for epoch in range(epochs):
            if rule is not None:  # η for this epoch, from the validation loss so far
                optimizer.lr = rule(optimizer.lr, losses.validation[-1])
            scheduler.start_epoch(epoch)
            order = batching.batches(X.size, batch_size, rng)
            if not batching.run_epoch(optimizer, params, X, Y, order, recorder, scheduler):
                break
            losses.record(params)
    return NeuronHistory(
        run=recorder.run(),
        train_loss=np.array(losses.train),
        val_loss=None if valset is None else np.array(losses.validation),
        steps_per_epoch=steps_per_epoch,
    )


@dataclass(frozen=True)
class Trial:
    """One η tried by :func:`lr_search`: per-example losses after the last epoch."""

    stage: str  # "coarse", "fine" or "random"
    lr: float
    train_loss: float
    val_loss: float
    diverged: bool


@dataclass
class Search:
    """The result of :func:`lr_search`: every trial, and the best η of each stage.

    ``best`` is the η with the lowest validation loss over both stages.
    """

    trials: list[Trial] = field(default_factory=list)
    epochs: int = 0

    @property
    def epochs_trained(self) -> int:
        """What the search cost: runs × epochs (every trial trains ``epochs`` epochs)."""
        return len(self.trials) * self.epochs

    @property
    def best_val_loss(self) -> float:
        """The lowest validation loss of all trials."""
        return min(tr.val_loss for tr in self.trials)

    def _best(self, trials: Sequence[Trial]) -> float:
        return min(trials, key=lambda tr: (tr.diverged, tr.val_loss)).lr

    @property
    def best_coarse(self) -> float:
        return self._best([tr for tr in self.trials if tr.stage == "coarse"])

    @property
    def best(self) -> float:
        return self._best(self.trials)

    def column(self, name: str, stage: str | None = None) -> np.ndarray:
        """One field of the trials (``"lr"``, ``"val_loss"``, ...) as an array sorted by η."""
        rows = sorted((tr for tr in self.trials if stage in (None, tr.stage)), key=lambda r: r.lr)
        return np.array([getattr(tr, name) for tr in rows], dtype=float)

    def table(self) -> str:
        """A Markdown table of the trials, sorted by η, the best one marked."""
        lines = [
            f"| stage | η | training loss | validation loss (after {self.epochs} epochs) |",
            "|---|---:|---:|---:|",
        ]
        for tr in sorted(self.trials, key=lambda r: r.lr):
            note = " ← best" if tr.lr == self.best else (" (diverged)" if tr.diverged else "")
            lines.append(
                f"| {tr.stage} | {tr.lr:.4g} | {tr.train_loss:.3e} | {tr.val_loss:.3e}{note} |"
            )
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.table()


def _trial(stage: str, make_optimizer, lr: float, data, val, params0, epochs, batch_size, seed):
    """One η of a search: a fresh optimizer trained ``epochs`` epochs, scored on ``val``."""
    opt = make_optimizer(float(lr))
    if not isinstance(opt, optim.Optimizer):
        raise TypeError(f"make_optimizer({lr:g}) must return an optimizer, got {opt!r}")
    hist = train_neuron(opt, data, params0, epochs, batch_size=batch_size, val=val, seed=seed)
    bad = hist.diverged or not np.isfinite(hist.val_loss[-1])
    return Trial(
        stage,
        float(lr),
        math.inf if bad else float(hist.train_loss[-1]),
        math.inf if bad else float(hist.val_loss[-1]),
        bool(hist.diverged),
    )


def _check_search(make_optimizer: object, val: object, epochs: object) -> int:
    if not callable(make_optimizer):
        raise TypeError(f"make_optimizer must be a function of lr, got {make_optimizer!r}")
    if val is None:
        raise ValueError("val must be the validation set (X_val, Y_val): trials are scored on it")
    return check.integer("epochs", epochs, minimum=1)


def lr_search(
    make_optimizer: Callable[[float], optim.Optimizer],
    data: object,
    val: object,
    params0: Mapping[str, np.ndarray],
    *,
    epochs: int = 3,
    batch_size: int = 20,
    coarse: Sequence[float] = COARSE,
    fine: Sequence[float] = FINE,
    seed: int = 0,
) -> Search:
    """The notes' recipe: try η on a log scale for a few epochs each, then search finer.

    ``make_optimizer(lr)`` builds a fresh optimizer (e.g. ``optim.GD`` or
    ``lambda lr: optim.Momentum(lr, 0.9)``). Every trial starts from ``params0`` with the
    same seed (same mini-batches), trains ``epochs`` epochs on ``data`` and is scored by its
    validation loss; the fine stage tries ``best_coarse * f`` for f in ``fine``. The cost is
    ``len(coarse) + len(fine)`` runs of ``epochs`` epochs (``Search.epochs_trained``).
    """
    epochs = _check_search(make_optimizer, val, epochs)
    coarse = check.float_array("coarse", coarse, ndim=1)
    fine = check.float_array("fine", fine, ndim=1)
    if coarse.size == 0 or np.any(coarse <= 0) or np.any(fine <= 0):
        raise ValueError("coarse must be non-empty and coarse and fine must hold values > 0")
    search = Search(epochs=epochs)
    common = (data, val, params0, epochs, batch_size, seed)
    for lr in coarse:
        search.trials.append(_trial("coarse", make_optimizer, lr, *common))
    best = search.best_coarse
    for f in fine:
        search.trials.append(_trial("fine", make_optimizer, best * f, *common))
    return search


def random_search(
    make_optimizer: Callable[[float], optim.Optimizer],
    data: object,
    val: object,
    params0: Mapping[str, np.ndarray],
    *,
    trials: int = 11,
    low: float = 1e-3,
    high: float = 100.0,
    epochs: int = 3,
    batch_size: int = 20,
    seed: int = 0,
    rng: object = 0,
) -> Search:
    r"""Random search: ``trials`` values of η drawn log-uniformly from [``low``, ``high``],
    :math:`\log_{10}\eta \sim \mathcal{U}(\log_{10}\text{low}, \log_{10}\text{high})`,
    each trained and scored as in :func:`lr_search` (``seed`` sets the mini-batches, ``rng``
    the draws). With ``trials = 11`` it costs what the notes' recipe costs.
    """
    epochs = _check_search(make_optimizer, val, epochs)
    trials = check.integer("trials", trials, minimum=1)
    low, high = check.positive("low", low), check.positive("high", high)
    if low >= high:
        raise ValueError(f"low must be below high, got low={low:g}, high={high:g}")
    draws = 10 ** check.generator("rng", rng).uniform(np.log10(low), np.log10(high), trials)
    search = Search(epochs=epochs)
    for lr in draws:
        search.trials.append(
            _trial("random", make_optimizer, lr, data, val, params0, epochs, batch_size, seed)
        )
    return search
