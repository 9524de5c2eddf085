"""Notebook 04's explorer: choose a learning-rate schedule and watch it train the neuron."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import neuron, optim, plots, schedules, tuning
from ._common import run_status
from .base import Explorer, int_slider, log_slider, slider

#: What the dropdown offers, in the order of the notes.
CHOICES = ("constant", "step decay", "halve on validation rise", "exponential", "1/t")
_EPOCHS = 20
_BATCH = 20
_START = {"w": np.array(-2.0), "b": np.array(-2.0)}
_WINDOW = ((-3.0, 8.0), (-7.0, 2.0))
_LOSS_LIM = (8e-4, 0.5)
_LR_LIM = (2e-3, 400.0)
_COLOR = plots.COLORS["accent"]  # the schedule; the reference run is grey
#: The reference: a constant η at the value notebook 04's search picks for this set-up
#: (mean loss over each mini-batch of 20, notebook 03's convention; the notes' sum: 20x smaller).
TUNED_LR = 20.0


class ScheduleExplorer(Explorer):
    """Mini-batch gradient descent on the notebook-03 data set for 20 epochs, with η
    following the chosen schedule; the tuned constant η = 20 is drawn in grey for comparison
    (computed once: a slider move trains one run of 800 steps). The loss of a mini-batch is
    the mean over its 20 points, as in notebooks 03 and 04.

    Left: η per epoch. Middle: validation (and training) loss per epoch. Right: the path of
    (w, b) over all steps on the training loss surface.
    """

    title = "Learning-rate schedule explorer"

    def __init__(self, schedule: str = "step decay", lr0: float = 100.0, seed: int = 0):
        if schedule not in CHOICES:
            raise ValueError(f"schedule must be one of {CHOICES}, got {schedule!r}")
        X, Y = neuron.make_dataset(n=1000, seed=0)
        self.train_set, self.val_set = tuning.split(X, Y, val_fraction=0.2, seed=0)
        self.seed = seed
        self.schedule = widgets.Dropdown(options=CHOICES, value=schedule, description="schedule")
        self.lr0 = log_slider("η₀", lr0, 0.2, 200.0)
        self.drop = slider("drop", 0.5, 0.1, 0.9, 0.05)
        self.every = int_slider("every (epochs)", 5, 1, 10)
        self.k = log_slider("k", 0.1, 0.005, 2.0)
        self._cache: dict[tuple, tuning.NeuronHistory] = {}
        self.reference = self._train(TUNED_LR)

        fig, (self.ax_lr, self.ax_loss, self.ax_path) = plots.new_figure(
            1, 3, figsize=(12, 3.8), width_ratios=[1, 1, 1.1]
        )
        self._build_axes()
        controls = [self.schedule, self.lr0, self.drop, self.every, self.k]
        self._finish(controls, fig)

    def _build_axes(self) -> None:
        epochs = np.arange(_EPOCHS + 1)
        self.ax_lr.set(
            yscale="log", ylim=_LR_LIM, xlim=(0, _EPOCHS), xlabel="epoch", title="η per epoch"
        )
        ref = self.reference
        self.ax_lr.axhline(TUNED_LR, color="0.6", ls="--", lw=1.5)
        (self.lr_line,) = self.ax_lr.step(epochs, epochs * 0 + 1, where="post", color=_COLOR, lw=2)
        ax = self.ax_loss
        ax.set(yscale="log", ylim=_LOSS_LIM, xlim=(0, _EPOCHS), xlabel="epoch")
        ax.set(title="loss per example", ylabel=r"$\mathcal{L}$")
        ax.plot(epochs, ref.val_loss, color="0.6", label=f"tuned η = {TUNED_LR:g}: val")
        (self.train_line,) = ax.plot(epochs, epochs * 0 + 1, color=_COLOR, lw=1, ls=":")
        self.train_line.set_label("schedule: train")
        (self.val_line,) = ax.plot(
            epochs, epochs * 0 + 1, color=_COLOR, lw=2, label="schedule: val"
        )
        ax.legend(loc="upper right")
        (w0, w1), (b0, b1) = _WINDOW
        ws, bs = np.linspace(w0, w1, 120), np.linspace(b0, b1, 120)
        Z = neuron.loss_grid(ws, bs, *self.train_set) / self.train_set[0].size
        levels = np.unique(np.quantile(Z, np.linspace(0, 1, 25)))
        self.ax_path.contourf(ws, bs, Z, levels=levels, cmap=plots.SURFACE_CMAP, alpha=0.85)
        self.ax_path.set(xlim=(w0, w1), ylim=(b0, b1), xlabel="w", ylabel="b")
        self.ax_path.set_title("path of (w, b), every step")
        self.ax_path.grid(False)
        self.ax_path.plot(ref.path[:, 0], ref.path[:, 1], "-", color="0.85", lw=0.8)
        (self.path_line,) = self.ax_path.plot([], [], "-", color=_COLOR, lw=1.2)
        (self.end_marker,) = self.ax_path.plot([], [], "o", color=_COLOR, mec="black", ms=7)
        self.status = plots.status_text(self.ax_path)
        self.dynamic = [
            self.lr_line,
            self.train_line,
            self.val_line,
            self.path_line,
            self.end_marker,
            self.status,
        ]

    def _train(self, lr0: float, **kwargs) -> tuning.NeuronHistory:
        return tuning.train_neuron(
            optim.GD(lr0),
            self.train_set,
            _START,
            _EPOCHS,
            batch_size=_BATCH,
            val=self.val_set,
            seed=self.seed,
            **kwargs,
        )

    def _history(self, name: str, lr0: float) -> tuning.NeuronHistory:
        """The training history of schedule ``name`` from ``lr0`` with the sliders' settings,
        trained once per setting (the cache is emptied past 128 settings)."""
        relevant = {  # the sliders this schedule uses; the others are disabled
            "step decay": (self.drop.value, self.every.value),
            "halve on validation rise": (self.drop.value,),
            "exponential": (self.k.value,),
            "1/t": (self.k.value,),
        }.get(name, ())
        key = (name, lr0, *relevant)
        if key not in self._cache:
            if len(self._cache) > 128:
                self._cache.clear()
            self._cache[key] = self._train(lr0, **self._schedule_kwargs(name, lr0))
        return self._cache[key]

    def _schedule_kwargs(self, name: str, lr0: float) -> dict:
        """The keyword arguments of ``tuning.train_neuron`` that give schedule ``name``."""
        if name == "halve on validation rise":
            return {"val_rule": schedules.HalveOnValidationRise(float(self.drop.value))}
        if name == "step decay":
            schedule = schedules.step_decay(lr0, float(self.drop.value), int(self.every.value))
        elif name == "exponential":
            schedule = schedules.exponential_decay(lr0, float(self.k.value))
        elif name == "1/t":
            schedule = schedules.inverse_time_decay(lr0, float(self.k.value))
        else:
            schedule = schedules.constant(lr0)
        return {"schedules": {"lr": schedule}}

    def _describe(self, name: str) -> str:
        """Schedule ``name`` with its settings, in words, for the readout."""
        if name == "step decay":
            return f"step decay (drop {self.drop.value:.2f} every {self.every.value} epochs)"
        if name == "halve on validation rise":
            return f"× {self.drop.value:.2f} when the validation loss rises"
        if name in ("exponential", "1/t"):
            return f"{name} decay, k = {self.k.value:.3g} per epoch"
        return "constant"

    def update(self) -> None:
        name, lr0 = self.schedule.value, float(self.lr0.value)
        self.drop.disabled = name not in ("step decay", "halve on validation rise")
        self.every.disabled = name != "step decay"
        self.k.disabled = name not in ("exponential", "1/t")
        hist = self.history = self._history(name, lr0)
        ref = self.reference
        floor = _LOSS_LIM[0]
        lrs = np.append(hist.epoch_lrs, hist.epoch_lrs[-1:]) if hist.epochs else [lr0]
        self.lr_line.set_data(np.arange(len(lrs)), np.clip(lrs, *_LR_LIM))
        for line, values in (
            (self.val_line, hist.val_loss),
            (self.train_line, hist.train_loss),
        ):
            line.set_data(np.arange(len(values)), np.maximum(values, floor))
        self.path_line.set_data(hist.path[:, 0], hist.path[:, 1])
        self.end_marker.set_data(hist.path[-1:, 0], hist.path[-1:, 1])
        message = run_status(hist.run, _WINDOW, unit="update")
        plots.set_status(self.status, message)
        last_lr = hist.lrs[-1] if hist.lrs.size else lr0
        self.readout.value = (
            f"{html.escape(self._describe(name))}, η₀ = {lr0:.3g}: after {hist.epochs} epochs "
            f"η = {last_lr:.3g}, validation loss <b>{hist.val_loss[-1]:.4g}</b> "
            f"(tuned constant η = {TUNED_LR:g}: {ref.val_loss[-1]:.4g}); spread over the last "
            f"5 epochs {np.ptp(hist.val_loss[-5:]):.2g} (tuned: {np.ptp(ref.val_loss[-5:]):.2g})"
            + (f" · <b>{html.escape(message)}</b>" if message else "")
        )
