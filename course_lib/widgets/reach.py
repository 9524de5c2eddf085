"""Explorer of notebook 09: how far back the gradient reaches through the RNN, the LSTM and
the GRU, from the shipped long-range runs (``course_lib.gated``)."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import gated, gradflow, plots
from .base import Explorer, int_slider

_FLOOR, _CEIL = 1e-12, 1e4  # fixed log axis: the background is reused between moves
_YLABEL = r"$\|\partial\mathcal{L}_T/\partial s_k\| / \|\partial\mathcal{L}_T/\partial s_T\|$"
_STAGES = {"at the start": None, "after 200 steps": "trained"}


#: A marker per gated model, so two lines that run together (the chrono LSTM and GRU at the
#: start) stay apart without colour; staggered so the markers do not sit on each other.
_MARKERS = {"LSTM": ("o", (0, 8)), "GRU": ("s", (4, 8))}


def _style(name: str) -> dict:
    """Colour of the model, dashed for the default gate biases, a marker per gated model."""
    model = name.split(",")[0]
    style = {"color": plots.COLORS[model], "ls": "--" if "bias" in name else "-"}
    if model in _MARKERS:
        marker, every = _MARKERS[model]
        style |= {"marker": marker, "markevery": every, "ms": 4}
    return style


class GradientReachExplorer(Explorer):
    r"""The sequence length T, the seed of the run and the stage (at the start or after
    :data:`course_lib.gated.STEPS` steps of training).

    One line per start of :data:`course_lib.gated.STARTS`: the relative reach
    ‖∂𝓛_T/∂s_k‖ / ‖∂𝓛_T/∂s_T‖ against k, mean over 16 held-out sequences of the
    remember-the-first-symbol task (loss at the last step), computed on each move with
    ``gradflow.state_gradient_norms``; the shipped parameters (``gated.shipped()``) mean
    nothing is trained here. A reach that vanishes below 1e-12 is drawn at the floor.
    """

    title = "Gradient-reach explorer"

    def __init__(self, T: int = gated.LENGTH, seed: int = 0, stage: str = "after 200 steps"):
        if stage not in _STAGES:
            raise ValueError(f"stage must be one of {tuple(_STAGES)}, got {stage!r}")
        self.results = gated.shipped()
        self.T = int_slider("length T", T, 5, gated.LENGTH)
        self.seed = int_slider("seed", seed, 0, len(self.results.seeds) - 1)
        self.stage = widgets.ToggleButtons(options=list(_STAGES), value=stage)
        self._data = {s: gated.task(s)[1] for s in self.results.seeds}
        fig, self.ax = plots.new_figure(1, 1, figsize=(8, 3.8))
        self.lines = {}
        for name in gated.STARTS:
            (self.lines[name],) = self.ax.semilogy([], [], label=name, lw=1.6, **_style(name))
        self.ax.set(
            xlim=(1, gated.LENGTH), ylim=(_FLOOR, _CEIL), xlabel="step k",
            ylabel=_YLABEL,
            title="how far back the loss at step T reaches",
        )  # fmt: skip
        self.ax.legend(loc="lower right", fontsize="small")
        self.dynamic = list(self.lines.values())
        self.reach: dict[str, np.ndarray] = {}
        self._seen: dict[tuple, dict[str, np.ndarray]] = {}  # (T, seed, stage) -> reach
        self._finish([self.T, self.seed, self.stage], fig)

    def _params(self, name: str, seed: int) -> tuple[str, dict]:
        if _STAGES[self.stage.value] is None:
            return gated.start(name, seed)
        return gated.STARTS[name][0], self.results.params[name][self.results.seeds.index(seed)]

    def _reach(self, T: int, seed: int) -> dict[str, np.ndarray]:
        """‖∂𝓛_T/∂s_k‖ / ‖∂𝓛_T/∂s_T‖, k = 1..T, of every start (kept: a revisit is free)."""
        key = (T, seed, self.stage.value)
        if key not in self._seen:
            data = self._data[seed]
            X, y = data.X[:16, :T], data.targets[:16]
            out = {}
            for name in self.lines:
                norms = gradflow.state_gradient_norms(*self._params(name, seed), X, y)
                out[name] = norms[1:] / norms[T] if norms[T] > 0 else np.zeros(T)
            self._seen[key] = out
        return self._seen[key]

    def update(self) -> None:
        T, seed = int(self.T.value), int(self.seed.value)
        self.reach = self._reach(T, seed)
        for name, line in self.lines.items():
            reach = self.reach[name]
            finite = np.where(np.isfinite(reach), reach, _CEIL)
            line.set_data(np.arange(1, T + 1), np.clip(finite, _FLOOR, _CEIL))
        first = " · ".join(f"{name}: {r[0]:.1e}" for name, r in self.reach.items())
        text = (f"T = {T}, seed {seed}, {self.stage.value}: the share of the gradient that "
                "reaches step 1, ‖∂L_T/∂s_1‖ / ‖∂L_T/∂s_T‖ = ")  # fmt: skip
        self.readout.value = f"{html.escape(text)}<b>{html.escape(first)}</b>"
