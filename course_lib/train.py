r"""Training recurrent models on the course's sequence tasks: one loop for every model.

:func:`train_recurrent` takes a model (the module ``course_lib.rnn``, ``lstm``, ``gru``, or
its name), its parameters (updated in place), a :class:`~course_lib.sequences.SequenceData`,
and any ``course_lib.optim`` optimizer. It is a loop over epochs (Dive into Deep Learning's
``train`` / ``train_epoch`` split): :func:`train_epoch` draws the shuffled mini-batches of
one epoch, and :func:`train_step` makes one update on one of them: the loss and the
gradient by BPTT at the optimizer's gradient point, the gradient optionally clipped by its
global norm,

.. math:: g \leftarrow g \cdot \min\bigl(1, \text{clip} / \|g\|\bigr),

and applied by the optimizer. The :class:`RecurrentHistory` it returns holds the loss and the
gradient norm (before clipping) at every step, and per epoch the mean training loss and,
when ``validation`` data is given, the validation loss and accuracy.

Truncated BPTT comes in two forms. ``truncate=k`` is the notes' definition: each loss term
ℓ_t back-propagates through at most k steps, one update per mini-batch. ``chunk=k`` is the
form used in practice: each mini-batch is cut into chunks of k steps (:func:`chunks`), one
update per chunk, each chunk started from the state the one before ended in
(:class:`CarriedState`), so the forward pass sees whole sequences while no gradient crosses
a cut.
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import NamedTuple

import numpy as np
from tqdm.auto import tqdm

from . import _validate as check
from . import models, optim
from .functions import safe_log
from .sequences import SequenceData

Params = dict[str, np.ndarray]
Batch = tuple[np.ndarray, np.ndarray, np.ndarray]
#: ``loss_and_grads(params, X, targets, mask=mask) -> (loss, grads)``: a model's
#: ``loss_and_grads`` with the training's options (truncation, many-to-one, ...) bound.
LossAndGrads = Callable[..., tuple[float, Params]]


@dataclass
class RecurrentHistory:
    """What :func:`train_recurrent` recorded.

    Per step: ``losses`` (mini-batch loss before the update), ``grad_norms`` (global norm of
    the gradient before clipping), ``clipped`` (whether clipping shortened it), ``lrs``.
    Per epoch: ``epoch_losses`` (mean of the step losses), and with validation data
    ``val_losses`` and ``val_accuracy``. ``diverged_at`` is the 1-based step at which the
    loss or the gradient became non-finite or a parameter exceeded ``max_abs`` (that step's
    update is not applied), with ``reason``; ``seconds`` is the wall time.
    """

    losses: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    clipped: list[bool] = field(default_factory=list)
    lrs: list[float] = field(default_factory=list)
    epoch_losses: list[float] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    diverged_at: int | None = None
    reason: str | None = None
    seconds: float = 0.0

    @property
    def steps(self) -> int:
        return len(self.losses)

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    def record_step(self, loss: float, grad_norm: float, clipped: bool, lr: float) -> None:
        self.losses.append(loss)
        self.grad_norms.append(grad_norm)
        self.clipped.append(clipped)
        self.lrs.append(float(lr))

    def record_epoch(self, mean_loss: float, scores: Mapping[str, float] | None = None) -> None:
        """The epoch's mean step loss, and :func:`evaluate`'s scores on the validation data."""
        self.epoch_losses.append(mean_loss)
        if scores is not None:
            self.val_losses.append(scores["loss"])
            self.val_accuracy.append(scores["accuracy"])

    def __repr__(self) -> str:
        end = f"diverged at step {self.diverged_at}" if self.diverged else "finished"
        last = f", last loss {self.losses[-1]:.4g}" if self.losses else ""
        return f"RecurrentHistory({self.steps} steps, {end}{last})"


class Step(NamedTuple):
    """What :func:`train_step` did: the batch's loss and the gradient's global norm (before
    clipping), whether clipping shortened it, and why the update was undone, or None."""

    loss: float
    grad_norm: float
    clipped: bool
    problem: str | None


def train_step(
    loss_and_grads: LossAndGrads,
    params: Params,
    batch: Batch,
    optimizer: optim.Optimizer,
    clip: float | None = None,
    max_abs: float = 1e6,
) -> Step:
    """One update of ``params`` (in place) on one mini-batch ``(X, targets, mask)``.

    The gradient is taken at the optimizer's gradient point (NAG: its look-ahead), its norm
    noted, clipped to ``clip`` when longer, and applied. If the loss or the gradient is not
    finite, nothing is applied; if a parameter becomes non-finite or exceeds ``max_abs``,
    the update is undone. ``problem`` then says why.
    """
    X, targets, mask = batch
    loss, grads = loss_and_grads(optimizer.gradient_point(params), X, targets, mask=mask)
    norm = optim.global_norm(grads)
    if not (math.isfinite(loss) and math.isfinite(norm)):
        return Step(loss, norm, False, "the loss or the gradient became non-finite")
    clipped = clip is not None and norm > clip
    before = {k: v.copy() for k, v in params.items()}
    optimizer.apply_gradient(params, optim.clip_grad_norm(grads, clip) if clipped else grads)
    problem = optim.out_of_bounds(params, max_abs)
    if problem is not None:
        for k, v in before.items():
            params[k][...] = v
    return Step(loss, norm, clipped, problem)


def train_epoch(
    loss_and_grads: LossAndGrads,
    params: Params,
    batches: Iterable[Batch],
    optimizer: optim.Optimizer,
    history: RecurrentHistory,
    *,
    scheduler: optim.Scheduler,
    clip: float | None = None,
    max_abs: float = 1e6,
    bar: tqdm | None = None,
    chunk: int | None = None,
    max_steps: int | None = None,
) -> float | None:
    """One :func:`train_step` per batch of ``batches`` (per chunk of ``chunk`` steps of
    each batch, when ``chunk`` is given; then ``loss_and_grads`` is a
    :class:`CarriedState`, reset at each batch), each recorded in ``history``.

    Stops at the first step that diverges (noted in ``history``), or once ``history``
    holds ``max_steps`` steps. Returns the mean loss of the steps made, or None if there
    were none.
    """
    losses = []
    for batch in batches:
        if chunk is not None:
            loss_and_grads.reset()
        for piece in chunks(batch, chunk):
            if max_steps is not None and history.steps >= max_steps:
                break
            scheduler.before_step(history.steps)
            step = train_step(loss_and_grads, params, piece, optimizer, clip, max_abs)
            if step.problem is not None:
                history.diverged_at, history.reason = history.steps + 1, step.problem
                return float(np.mean(losses)) if losses else None
            history.record_step(step.loss, step.grad_norm, step.clipped, optimizer.lr)
            losses.append(step.loss)
            if bar is not None:
                bar.update()
                if history.steps % 10 == 0 or history.steps == bar.total:
                    bar.set_postfix(loss=f"{step.loss:.4g}", refresh=False)
    return float(np.mean(losses)) if losses else None


# --- truncated BPTT in its practical form: chunks with the state carried ----------------------


def chunks(batch: Batch, k: int | None) -> Iterator[Batch]:
    """The mini-batch ``(X, targets, mask)`` cut along time into chunks of ``k`` steps (the
    last one may be shorter); the whole batch when ``k`` is None.

    A chunk in which every sequence is padding is left out: it would add no loss, and the
    states pass through padding unchanged, so leaving it out changes nothing. A sequence
    that ends before a chunk is padding all through it: its state passes through.
    """
    if k is not None:
        k = check.integer("k", k, minimum=1)
    X, targets, mask = batch
    if k is None:
        yield batch
        return
    for start in range(0, X.shape[1], k):
        cut = slice(start, start + k)
        if mask[:, cut].any():
            yield X[:, cut], targets[:, cut], mask[:, cut]


class CarriedState:
    r"""A model's ``loss_grads_and_state`` as the ``loss_and_grads`` of :func:`train_step`,
    each call started from the state the call before ended in:

    .. math:: s^{(c)}_0 = s^{(c-1)}_{k}, \qquad
              \text{no gradient flows into } s^{(c)}_0 \text{ (a constant)},

    so consecutive chunks of the same sequences run as one forward pass while their
    gradients stop at the cut. :meth:`reset` starts the next sequences from zeros. With NAG
    the carried state is the one computed at the look-ahead point, where the gradient was.
    """

    def __init__(self, loss_grads_and_state: Callable[..., tuple[float, Params, object]]):
        self.loss_grads_and_state = loss_grads_and_state
        self.state = None

    def reset(self) -> None:
        self.state = None

    def __call__(self, params: Params, X, targets, mask=None) -> tuple[float, Params]:
        loss, grads, self.state = self.loss_grads_and_state(
            params, X, targets, s0=self.state, mask=mask
        )
        return loss, grads


def _check_chunk(chunk, truncate, data: SequenceData) -> int | None:
    """``chunk``: None or a number of steps k >= 1, with data scored at every step."""
    if chunk is None:
        return None
    chunk = check.integer("chunk", chunk, minimum=1)
    if truncate is not None:
        raise ValueError(
            f"give truncate (the notes' per-term truncation) or chunk (chunks with the state "
            f"carried), not both; got truncate={truncate}, chunk={chunk}"
        )
    if data.many_to_one:
        raise ValueError(
            "chunk needs data with a target at every step; this data is many-to-one (one "
            "label per sequence, scored at its last step), so every chunk but the last would "
            "have no loss and make an update without a gradient: use truncate=k instead"
        )
    return chunk


def _check_training(
    params, data, optimizer, *, epochs, batch_size, clip, truncate, schedule_unit,
    validation, max_steps, max_abs, model_options, progress,
) -> int:  # fmt: skip
    """Check the arguments of :func:`train_recurrent` (all of them, before the first step);
    returns the number of steps to make."""
    check.params_dict("params", params)
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be a sequences.SequenceData, got {type(data).__name__}")
    optim.check_optimizer(optimizer)
    steps = check.integer("epochs", epochs, minimum=1) * math.ceil(
        len(data) / check.integer("batch_size", batch_size, minimum=1)
    )
    if max_steps is not None:
        steps = min(steps, check.integer("max_steps", max_steps, minimum=1))
    if clip is not None:
        check.positive("clip", clip)
    if truncate is not None:
        check.integer("truncate", truncate, minimum=1)
    if schedule_unit not in ("step", "epoch"):
        raise ValueError(f"schedule_unit must be 'step' or 'epoch', got {schedule_unit!r}")
    check.positive("max_abs", max_abs)
    check.flag("progress", progress)
    if model_options is not None and not isinstance(model_options, Mapping):
        raise TypeError(f"model_options must be a dict, got {type(model_options).__name__}")
    if validation is not None:
        _check_validation(validation, data)
    return steps


def _check_validation(validation: object, data: SequenceData) -> None:
    if not isinstance(validation, SequenceData):
        raise TypeError(
            f"validation must be a sequences.SequenceData, got {type(validation).__name__}"
        )
    if len(validation) == 0 or validation.X.shape[2:] != data.X.shape[2:]:
        raise ValueError(
            f"validation must hold sequences of inputs like data's, shape (N, T, "
            f"{data.X.shape[2]}), got shape {validation.X.shape}"
        )
    if validation.many_to_one != data.many_to_one:
        raise ValueError("validation and data must both be many-to-one, or both not")


def train_recurrent(
    model: str | ModuleType,
    params: dict[str, np.ndarray],
    data: SequenceData,
    optimizer: optim.Optimizer,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    clip: float | None = None,
    truncate: int | None = None,
    chunk: int | None = None,
    schedules: Mapping[str, Callable[[int], float]] | None = None,
    schedule_unit: str = "step",
    validation: SequenceData | None = None,
    rng: np.random.Generator | int | None = None,
    max_steps: int | None = None,
    max_abs: float = 1e6,
    progress: bool = True,
    model_options: Mapping | None = None,
) -> RecurrentHistory:
    """Train ``params`` (in place) on ``data`` for ``epochs`` passes of shuffled mini-batches.

    ``schedules`` maps optimizer attributes ("lr", "gamma", ...) to functions of the step
    (``schedule_unit="step"``) or of the epoch (``"epoch"``), counted from 0 and applied
    before each step or epoch (:class:`course_lib.optim.Scheduler`). ``max_steps`` stops
    early. ``model_options`` go to the model's functions (e.g. ``{"activation": "logistic"}``).
    ``progress`` shows a tqdm bar; tests pass ``progress=False``. Every argument is checked
    before the first step. The optimizer is not reset: calling again continues training.

    Truncated BPTT: ``truncate=k`` is the notes' per-term truncation (each ℓ_t reaches back
    k steps; one update per mini-batch). ``chunk=k`` is the practical form: each mini-batch
    is cut into chunks of k steps (:func:`chunks`) and every chunk makes one update, started
    from the state the chunk before ended in (:class:`CarriedState`; zeros at each new
    mini-batch) and back-propagated within the chunk only. Then a step is a chunk:
    ``losses`` holds each chunk's loss (its steps only), ``epoch_losses`` their mean,
    ``max_steps`` and step schedules count chunks. Padding passes the state through; a
    chunk of padding only is skipped. ``chunk`` needs a target at every step (not
    many-to-one data) and excludes ``truncate``.
    """
    model = models.get(model)
    steps = _check_training(
        params, data, optimizer, epochs=epochs, batch_size=batch_size, clip=clip,
        truncate=truncate, schedule_unit=schedule_unit, validation=validation,
        max_steps=max_steps, max_abs=max_abs, model_options=model_options, progress=progress,
    )  # fmt: skip
    chunk = _check_chunk(chunk, truncate, data)
    scheduler = optim.Scheduler(optimizer, schedules, schedule_unit)
    rng = check.generator("rng", rng)
    options = dict(model_options or {})
    loss_and_grads = functools.partial(
        model.loss_and_grads, truncate=truncate, many_to_one=data.many_to_one, **options
    )
    if chunk is not None:
        loss_and_grads = CarriedState(functools.partial(model.loss_grads_and_state, **options))
        most = epochs * math.ceil(len(data) / batch_size) * math.ceil(data.X.shape[1] / chunk)
        steps = most if max_steps is None else min(most, max_steps)

    history = RecurrentHistory()
    start = time.perf_counter()
    bar = tqdm(total=steps, disable=not progress, desc=f"training {models.name(model)}")
    with bar, np.errstate(all="ignore"):  # divergence is reported in the history instead
        for epoch in range(epochs):
            scheduler.start_epoch(epoch)
            batches = itertools.islice(data.batches(batch_size, rng), steps - history.steps)
            mean_loss = train_epoch(
                loss_and_grads, params, batches, optimizer, history,
                scheduler=scheduler, clip=clip, max_abs=max_abs, bar=bar,
                chunk=chunk, max_steps=steps,
            )  # fmt: skip
            if mean_loss is not None:
                history.record_epoch(mean_loss, _scores_on(validation, model, params, options))
            if history.diverged or history.steps >= steps:
                break
        if chunk is not None and not history.diverged:
            bar.total = history.steps  # ``steps`` was an upper bound: batches vary in length
            bar.refresh()
    history.seconds = time.perf_counter() - start
    return history


def _scores_on(validation, model, params, options) -> dict[str, float] | None:
    """:func:`evaluate` on the validation data, or None without validation data."""
    if validation is None:
        return None
    return evaluate(model, params, validation, model_options=options)


def _check_scored_data(data: object) -> None:
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be a sequences.SequenceData, got {type(data).__name__}")
    if len(data) == 0:
        raise ValueError("data must hold at least one sequence, got 0")


def _scored_steps(model, params, data, batch_size, options):
    """Per batch: probabilities of the scored steps (B, T', K), their targets and weights."""
    for X, targets, mask in data.batches(batch_size, shuffle=False):
        probs, _ = model.forward(params, X, mask=mask, **options)
        if data.many_to_one:
            last = mask.shape[1] - 1 - np.argmax(mask[:, ::-1] > 0, axis=1)
            yield probs[np.arange(len(X)), last][:, None], targets[:, None], np.ones((len(X), 1))
        else:
            yield probs, targets, mask


def predict(
    model: str | ModuleType,
    params: dict[str, np.ndarray],
    data: SequenceData,
    batch_size: int = 512,
    model_options: Mapping | None = None,
) -> np.ndarray:
    """The most probable class: (N,) at each sequence's last real step when ``many_to_one``,
    else (N, T) at every step (0 on padding; use ``data.mask``)."""
    model = models.get(model)
    _check_scored_data(data)
    out = []
    T = data.mask.shape[1]
    for probs, _, mask in _scored_steps(model, params, data, batch_size, dict(model_options or {})):
        pred = probs.argmax(axis=-1) * (mask > 0)
        out.append(
            pred[:, 0] if data.many_to_one else np.pad(pred, ((0, 0), (0, T - pred.shape[1])))
        )
    return np.concatenate(out)


def evaluate(
    model: str | ModuleType,
    params: dict[str, np.ndarray],
    data: SequenceData,
    batch_size: int = 512,
    model_options: Mapping | None = None,
) -> dict[str, float]:
    r"""``{"loss", "accuracy"}`` on ``data``: the loss of DESIGN.md (mean over sequences of
    the summed per-step cross-entropies) and the fraction of correct predictions, counted
    over real steps, or over sequences when ``many_to_one``."""
    model = models.get(model)
    _check_scored_data(data)
    loss = correct = count = 0.0
    for probs, y, w in _scored_steps(model, params, data, batch_size, dict(model_options or {})):
        p_true = np.take_along_axis(probs, y[..., None], axis=-1)[..., 0]
        loss -= float((w * safe_log.unchecked(p_true)).sum())
        correct += float(((probs.argmax(axis=-1) == y) * w).sum())
        count += float(w.sum())
    return {"loss": loss / len(data), "accuracy": correct / count}
