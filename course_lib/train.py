r"""Training recurrent models on the course's sequence tasks: one loop for every model.

``train`` takes a model (the module ``course_lib.rnn``, ``lstm``, ``gru``, or its name), its
parameters (updated in place), a :class:`~course_lib.sequences.SequenceData`, and any
``course_lib.optim`` optimizer. Each step draws a mini-batch, computes the loss and the
gradient by BPTT, optionally clips the gradient by its global norm,

.. math:: g \leftarrow g \cdot \min\bigl(1, \text{clip} / \|g\|\bigr),

and lets the optimizer update the parameters. The :class:`History` it returns holds the loss
and the gradient norm (before clipping) at every step, and per epoch the mean training loss
and, when ``validation`` data is given, the validation loss and accuracy.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np
from tqdm.auto import tqdm

from . import _validate as check
from . import models, optim
from .functions import safe_log
from .sequences import SequenceData


@dataclass
class History:
    """What a training run recorded.

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

    def __repr__(self) -> str:
        end = f"diverged at step {self.diverged_at}" if self.diverged else "finished"
        last = f", last loss {self.losses[-1]:.4g}" if self.losses else ""
        return f"History({self.steps} steps, {end}{last})"


class _Diverged(Exception):
    pass


def train(
    model: str | ModuleType,
    params: dict[str, np.ndarray],
    data: SequenceData,
    optimizer: optim.Optimizer,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    clip: float | None = None,
    truncate: int | None = None,
    schedules: Mapping[str, Callable[[int], float]] | None = None,
    schedule_unit: str = "step",
    validation: SequenceData | None = None,
    rng: np.random.Generator | int | None = None,
    max_steps: int | None = None,
    max_abs: float = 1e6,
    progress: bool = True,
    model_options: Mapping | None = None,
) -> History:
    """Train ``params`` (in place) on ``data`` for ``epochs`` passes of shuffled mini-batches.

    ``schedules`` maps optimizer attributes ("lr", "gamma", ...) to functions of the step
    (``schedule_unit="step"``) or of the epoch (``"epoch"``), counted from 0 and applied
    before each step, like :func:`course_lib.optim.run`. ``max_steps`` stops early.
    ``model_options`` go to the model's functions (e.g. ``{"activation": "logistic"}``).
    ``progress`` shows a tqdm bar (in notebooks too); tests and CI pass ``progress=False``.
    """
    model = models.get(model)
    check.params_dict("params", params)
    if not isinstance(data, SequenceData):
        raise TypeError(f"data must be a sequences.SequenceData, got {type(data).__name__}")
    if not isinstance(optimizer, optim.Optimizer):
        raise TypeError(
            f"optimizer must be a course_lib.optim optimizer, got {type(optimizer).__name__}"
        )
    epochs = check.integer("epochs", epochs, minimum=1)
    clip = None if clip is None else check.positive("clip", clip)
    max_abs = check.positive("max_abs", max_abs)
    if schedule_unit not in ("step", "epoch"):
        raise ValueError(f"schedule_unit must be 'step' or 'epoch', got {schedule_unit!r}")
    for name in schedules or {}:
        if not hasattr(optimizer, name):
            raise ValueError(
                f"schedules key {name!r} is not an attribute of {type(optimizer).__name__}"
            )
    options = dict(model_options or {})
    n_batches = math.ceil(len(data) / check.integer("batch_size", batch_size, minimum=1))
    total = epochs * n_batches
    if max_steps is not None:
        total = min(total, check.integer("max_steps", max_steps, minimum=1))
    rng = check.generator("rng", rng)

    history = History()
    start = time.perf_counter()
    bar = tqdm(total=total, disable=not progress, desc=f"training {models.name(model)}")
    step = 0
    with bar, np.errstate(all="ignore"):  # divergence is reported in the history instead
        for epoch in range(epochs):
            epoch_losses = []
            for X, targets, mask in data.batches(batch_size, rng):
                if step >= total:
                    break
                for name, schedule in (schedules or {}).items():
                    setattr(
                        optimizer, name, float(schedule(step if schedule_unit == "step" else epoch))
                    )
                seen: dict = {}

                def grad_fn(p, X=X, targets=targets, mask=mask, seen=seen):
                    loss, grads = model.loss_and_grads(
                        p,
                        X,
                        targets,
                        truncate=truncate,
                        mask=mask,
                        many_to_one=data.many_to_one,
                        **options,
                    )
                    norm = optim.global_norm(grads)
                    if "loss" not in seen:  # NAG calls grad_fn once, at its look-ahead point
                        seen.update(loss=loss, norm=norm)
                    if not (math.isfinite(loss) and math.isfinite(norm)):
                        raise _Diverged("the loss or the gradient became non-finite")
                    if clip is not None and norm > clip:
                        seen["clipped"] = True
                        return optim.clip_grad_norm(grads, clip)
                    return grads

                saved = {k: v.copy() for k, v in params.items()}
                try:
                    optimizer.step(params, grad_fn)
                    _check_params(params, max_abs)
                except _Diverged as exc:
                    params.update(saved)  # the update that diverged is not kept
                    history.diverged_at, history.reason = step + 1, str(exc)
                    break
                step += 1
                history.losses.append(seen["loss"])
                history.grad_norms.append(seen["norm"])
                history.clipped.append(seen.get("clipped", False))
                history.lrs.append(float(optimizer.lr))
                epoch_losses.append(seen["loss"])
                bar.update()
                if step % 10 == 0 or step == total:
                    bar.set_postfix(loss=f"{seen['loss']:.4g}", refresh=False)
            if epoch_losses:
                history.epoch_losses.append(float(np.mean(epoch_losses)))
            if validation is not None and epoch_losses:
                scores = evaluate(model, params, validation, model_options=options)
                history.val_losses.append(scores["loss"])
                history.val_accuracy.append(scores["accuracy"])
            if history.diverged or step >= total:
                break
    history.seconds = time.perf_counter() - start
    return history


def _check_params(params: Mapping[str, np.ndarray], max_abs: float) -> None:
    for k, p in params.items():
        biggest = float(np.abs(p).max())
        if not math.isfinite(biggest):
            raise _Diverged(f"{k} became non-finite")
        if biggest > max_abs:
            raise _Diverged(f"|{k}| exceeded {max_abs:g}")


def _scored(model, params, data, batch_size, options):
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
    out = []
    T = data.mask.shape[1]
    for probs, _, mask in _scored(model, params, data, batch_size, dict(model_options or {})):
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
    loss = correct = count = 0.0
    for probs, y, w in _scored(model, params, data, batch_size, dict(model_options or {})):
        p_true = np.take_along_axis(probs, y[..., None], axis=-1)[..., 0]
        loss -= float((w * safe_log(p_true)).sum())
        correct += float(((probs.argmax(axis=-1) == y) * w).sum())
        count += float(w.sum())
    return {"loss": loss / len(data), "accuracy": correct / count}
