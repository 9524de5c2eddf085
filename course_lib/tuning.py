r"""Training the sigmoid neuron epoch by epoch on a data set, and the notes' search for η.

Notebook 04's tools: a train/validation split (:func:`split`), mini-batch epochs in which a
schedule or the halve-on-rise rule changes η between epochs (:func:`train`), and the
tuning recipe of the notes: a coarse search on a log scale, then a finer one around the
best value (:func:`lr_search`).

Loss convention, as in the notes: the loss of a mini-batch B is the *sum* over its points,

.. math:: \mathcal{L}_B(w, b) = \sum_{i \in B} \tfrac12 \bigl(f(x_i) - y_i\bigr)^2, \qquad
          w \leftarrow w - \eta\, \nabla_w \mathcal{L}_B,

so η depends on the batch size (keep B fixed while tuning). The losses *reported* are per
example (:func:`loss`, the mean), so that a training set of 800 points and a validation set
of 200 can be compared on one axis.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _validate as check
from . import neuron, optim
from .schedules import HalveOnPlateau

Data = tuple[np.ndarray, np.ndarray]
Params = dict[str, np.ndarray]

#: The notes' coarse grid: "try different values on a log scale".
COARSE = (0.001, 0.01, 0.1, 1.0, 10.0)
#: Multiples of the best coarse η tried by the finer search (the notes: 0.05, 0.08, 0.1, 0.2
#: around 0.1), spanning the gap to the neighbouring coarse values.
FINE = (0.3, 0.5, 0.8, 1.25, 2.0, 3.0)


def _data(name: str, data: object) -> Data:
    if not isinstance(data, tuple | list) or len(data) != 2:
        raise TypeError(f"{name} must be a pair (X, Y) of 1-D arrays, got {type(data).__name__}")
    X = check.float_array(f"{name}[0] (X)", data[0], ndim=1)
    Y = check.float_array(f"{name}[1] (Y)", data[1], ndim=1)
    if X.shape != Y.shape or X.size == 0:
        raise ValueError(f"{name} must hold X and Y of one non-zero length, got {X.size}, {Y.size}")
    return X, Y


def _params(params: object) -> Params:
    params = check.params_dict("params0", params)
    if set(params) != {"w", "b"} or any(np.shape(v) != () for v in params.values()):
        raise ValueError(f"params0 must be {{'w': array(()), 'b': array(())}}, got {params}")
    return {k: np.array(v, dtype=np.float64) for k, v in params.items()}


def split(X: object, Y: object, val_fraction: float = 0.2, seed: int = 0) -> tuple[Data, Data]:
    """Shuffle (X, Y) once and cut it into a training and a validation set.

    Returns ``((X_train, Y_train), (X_val, Y_val))`` with ``round(val_fraction * n)``
    validation points. The validation set is never trained on: it tells us how well the
    fit generalises, which is what the halve-on-rise rule and the η search look at.
    """
    X, Y = _data("(X, Y)", (X, Y))
    frac = check.in_range("val_fraction", val_fraction, 0.0, 1.0, lo_open=True)
    n_val = int(round(frac * X.size))
    if not 0 < n_val < X.size:
        raise ValueError(
            f"val_fraction={frac:g} leaves {n_val} of {X.size} points for validation; "
            "both sets need at least one"
        )
    order = np.random.default_rng(seed).permutation(X.size)
    val, train = order[:n_val], order[n_val:]
    return (X[train], Y[train]), (X[val], Y[val])


def _batch_loss(params: Mapping[str, np.ndarray], X: np.ndarray, Y: np.ndarray) -> float:
    r""":math:`\sum_i \tfrac12 (f(x_i) - y_i)^2` over the points given (no input checks:
    called at every step)."""
    fx = neuron.sigmoid(params["w"] * X + params["b"])
    return float(0.5 * np.sum((fx - Y) ** 2))


def _batch_grad(params: Mapping[str, np.ndarray], X: np.ndarray, Y: np.ndarray) -> Params:
    r"""Gradient of :func:`_batch_loss`: :math:`\sum_i (f_i - y_i) f_i (1 - f_i)\,(x_i, 1)`."""
    fx = neuron.sigmoid(params["w"] * X + params["b"])
    common = (fx - Y) * fx * (1.0 - fx)
    return {"w": common @ X, "b": common.sum()}  # float64 scalars: shape () like w and b


def loss(params: Mapping[str, np.ndarray], data: object) -> float:
    r"""Loss per example :math:`\frac1n \sum_i \tfrac12 (f(x_i) - y_i)^2` on ``data = (X, Y)``."""
    X, Y = _data("data", data)
    return _batch_loss(_params(params), X, Y) / X.size


@dataclass
class History:
    """What :func:`train` returns.

    Attributes:
        train_loss: shape (E + 1,), loss per example on the training set before training
            and after each completed epoch.
        val_loss: shape (E + 1,) likewise on the validation set, or ``None``.
        lrs: shape (S,), the η used at each of the S steps.
        epoch_lrs: shape (E,), the η at the first step of each epoch.
        path: shape (S + 1, 2), (w, b) before training and after every step.
        steps_per_epoch: ⌈n / batch_size⌉.
        diverged_at: the epoch (1-based) in which a parameter became non-finite or larger
            than ``max_abs``, or ``None``; the arrays stop at the last finite values.
        reason: why training stopped early, or ``None``.
    """

    train_loss: np.ndarray
    val_loss: np.ndarray | None
    lrs: np.ndarray
    epoch_lrs: np.ndarray
    path: np.ndarray
    steps_per_epoch: int
    diverged_at: int | None = None
    reason: str | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.train_loss) - 1

    @property
    def final(self) -> Params:
        return {"w": np.array(self.path[-1, 0]), "b": np.array(self.path[-1, 1])}


def _check_schedules(optimizer, schedules, halve) -> dict:
    schedules = dict(schedules or {})
    for name, f in schedules.items():
        if not hasattr(optimizer, name):
            raise ValueError(f"schedules key {name!r} is not an attribute of {optimizer!r}")
        if not callable(f):
            raise TypeError(f"schedules[{name!r}] must be a function of t, got {f!r}")
    if halve is not None:
        if not isinstance(halve, HalveOnPlateau):
            raise TypeError(f"halve must be a schedules.HalveOnPlateau, got {halve!r}")
        if "lr" in schedules:
            raise ValueError("give either an 'lr' schedule or halve, not both: both set η")
    return schedules


def _one_epoch(optimizer, params, X, Y, order, batch_size, per_step, max_abs, path, lrs):
    """One pass over (X, Y) in ``order``, one step per mini-batch, appending to ``path`` and
    ``lrs``; returns the (1-based) step at which (w, b) became non-finite or left the box
    |·| <= max_abs, or None. ``per_step(t)`` (if given) sets scheduled values before step t."""
    for start in range(0, X.size, batch_size):
        if per_step is not None:
            per_step(len(lrs))
        batch = order[start : start + batch_size]
        lrs.append(float(optimizer.lr))
        optimizer.step(params, functools.partial(_batch_grad, X=X[batch], Y=Y[batch]))
        w, b = params["w"].item(), params["b"].item()
        if not (abs(w) <= max_abs and abs(b) <= max_abs):  # False for nan and inf too
            lrs.pop()
            return len(lrs) + 1
        path.append((w, b))
    return None


def train(
    optimizer: optim.Optimizer,
    data: object,
    params0: Mapping[str, np.ndarray],
    epochs: int,
    *,
    batch_size: int = 20,
    val: object = None,
    schedules: Mapping[str, Callable[[int], float]] | None = None,
    unit: str = "epoch",
    halve: HalveOnPlateau | None = None,
    seed: int = 0,
    max_abs: float = 1e6,
) -> History:
    """Mini-batch training of the sigmoid neuron for ``epochs`` passes over ``data``.

    Each epoch visits the n points of ``data = (X, Y)`` once, in a fresh random order, in
    ⌈n / batch_size⌉ mini-batches, one optimizer step per mini-batch. ``schedules`` maps an
    optimizer attribute (``"lr"``, ``"gamma"``) to a function of t, applied before each
    epoch (``unit="epoch"``, t = 0, 1, ...) or each step (``unit="step"``). ``halve`` (a
    :class:`~course_lib.schedules.HalveOnPlateau`) halves η after any epoch whose
    validation loss rose; it needs ``val``. Neither ``params0`` nor ``halve``'s settings
    are modified; the optimizer's state is (it may be reused to continue training).
    """
    if not isinstance(optimizer, optim.Optimizer):
        raise TypeError(f"optimizer must be a course_lib.optim optimizer, got {optimizer!r}")
    X, Y = _data("data", data)
    valset = None if val is None else _data("val", val)
    params = _params(params0)
    epochs = check.integer("epochs", epochs, minimum=0)
    batch_size = check.integer("batch_size", batch_size, minimum=1)
    max_abs = check.positive("max_abs", max_abs)
    if unit not in ("epoch", "step"):
        raise ValueError(f"unit must be 'epoch' or 'step', got {unit!r}")
    schedules = _check_schedules(optimizer, schedules, halve)
    if halve is not None and valset is None:
        raise ValueError("halve needs a validation set: pass val=(X_val, Y_val)")
    if halve is not None:
        halve = HalveOnPlateau(halve.factor)  # a fresh rule: nothing remembered from before

    rng = np.random.default_rng(seed)
    n = X.size
    steps_per_epoch = math.ceil(n / batch_size)
    train_loss = [_batch_loss(params, X, Y) / n]
    val_loss = None if valset is None else [_batch_loss(params, *valset) / valset[0].size]
    if halve is not None:
        optimizer.lr = halve(optimizer.lr, val_loss[0])
    path, lrs, epoch_lrs = [(params["w"].item(), params["b"].item())], [], []

    def set_hyper(t: int) -> None:
        for name, f in schedules.items():
            setattr(optimizer, name, float(f(t)))

    diverged_at = reason = None
    with np.errstate(all="ignore"):  # a diverging run is reported, not warned about
        for epoch in range(epochs):
            if unit == "epoch":
                set_hyper(epoch)
            order = rng.permutation(n)
            per_step = set_hyper if unit == "step" and schedules else None
            bad_step = _one_epoch(
                optimizer, params, X, Y, order, batch_size, per_step, max_abs, path, lrs
            )
            if bad_step is not None:
                diverged_at = epoch + 1
                reason = f"(w, b) left the finite region |·| <= {max_abs:g} at step {bad_step}"
                break
            epoch_lrs.append(lrs[epoch * steps_per_epoch])
            train_loss.append(_batch_loss(params, X, Y) / n)
            if valset is not None:
                val_loss.append(_batch_loss(params, *valset) / valset[0].size)
            if halve is not None:
                optimizer.lr = halve(optimizer.lr, val_loss[-1])
    return History(
        train_loss=np.array(train_loss),
        val_loss=None if val_loss is None else np.array(val_loss),
        lrs=np.array(lrs),
        epoch_lrs=np.array(epoch_lrs),
        path=np.array(path),
        steps_per_epoch=steps_per_epoch,
        diverged_at=diverged_at,
        reason=reason,
    )


@dataclass(frozen=True)
class Trial:
    """One η tried by :func:`lr_search`: per-example losses after the last epoch."""

    stage: str  # "coarse" or "fine"
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
    validation loss; the fine stage tries ``best_coarse * f`` for f in ``fine``.
    """
    if not callable(make_optimizer):
        raise TypeError(f"make_optimizer must be a function of lr, got {make_optimizer!r}")
    coarse = check.float_array("coarse", coarse, ndim=1)
    fine = check.float_array("fine", fine, ndim=1)
    if coarse.size == 0 or np.any(coarse <= 0) or np.any(fine <= 0):
        raise ValueError("coarse must be non-empty and coarse and fine must hold values > 0")
    if val is None:
        raise ValueError("val must be the validation set (X_val, Y_val): trials are scored on it")
    search = Search(epochs=check.integer("epochs", epochs, minimum=1))

    def trial(stage: str, lr: float) -> None:
        opt = make_optimizer(float(lr))
        if not isinstance(opt, optim.Optimizer):
            raise TypeError(f"make_optimizer({lr:g}) must return an optimizer, got {opt!r}")
        hist = train(opt, data, params0, epochs, batch_size=batch_size, val=val, seed=seed)
        bad = hist.diverged or not np.isfinite(hist.val_loss[-1])
        search.trials.append(
            Trial(
                stage,
                float(lr),
                math.inf if bad else float(hist.train_loss[-1]),
                math.inf if bad else float(hist.val_loss[-1]),
                bool(hist.diverged),
            )
        )

    for lr in coarse:
        trial("coarse", lr)
    best = search.best_coarse
    for f in fine:
        trial("fine", best * f)
    return search
