"""Explorer of notebook 09: the LSTM's three gates as the whiteboard's selective write, read
and forget, on a small cell reading a fixed sequence."""

from __future__ import annotations

import numpy as np

from .. import lstm, plots
from .base import Explorer, slider

#: What each mechanism shows: panel title -> function of the cache of one sequence.
_PANELS = {
    "write": {
        "o: output gate": lambda c: c["o"],
        "tanh(s): the board": lambda c: np.tanh(c["s"][1:]),
        "h = o ⊙ tanh(s): written out": lambda c: c["h"][1:],
    },
    "read": {
        "i: input gate": lambda c: c["i"],
        "s̃: candidate": lambda c: c["s_tilde"],
        "i ⊙ s̃: read in": lambda c: c["i"] * c["s_tilde"],
    },
    "forget": {
        "f: forget gate": lambda c: c["f"],
        "s: the board": lambda c: c["s"][1:],
        "Π f: kept of step 1": lambda c: np.cumprod(
            np.vstack([np.ones_like(c["f"][:1]), c["f"][1:]]), axis=0
        ),
    },
    "lstm": {
        "o: output gate": lambda c: c["o"],
        "i: input gate": lambda c: c["i"],
        "f: forget gate": lambda c: c["f"],
        "s: the board": lambda c: c["s"][1:],
        "h: written out": lambda c: c["h"][1:],
    },
}
_SIGNED = {"tanh(s): the board", "h = o ⊙ tanh(s): written out", "s̃: candidate",
           "i ⊙ s̃: read in", "s: the board", "h: written out"}  # fmt: skip
_SLIDERS = {"write": ("o",), "read": ("i",), "forget": ("f",), "lstm": ("o", "i", "f")}
_NAMES = {"o": "b_o (write)", "i": "b_i (read)", "f": "b_f (forget)"}
_DEFAULTS = {"o": 0.0, "i": 0.0, "f": 1.0}


def toy_cell(d: int = 6, T: int = 16, seed: int = 0) -> tuple[dict, np.ndarray, list[str]]:
    """The explorer's small LSTM cell and its input: ``(params, X (1, T, 4), symbols)``.

    Random parameters (``lstm.init_params``) with the input weights tripled, so that the
    gates vary from step to step, and a random sequence of T symbols from {A, B, C, D}.
    """
    rng = np.random.default_rng(seed)
    params = lstm.init_params(4, d, 4, rng=seed)
    for key in ("Uo", "Ui", "Uf", "U"):
        params[key] *= 3.0
    symbols = [chr(ord("A") + k) for k in rng.integers(4, size=T)]
    X = np.eye(4)[[ord(s) - ord("A") for s in symbols]][None]
    return params, X, symbols


class GateExplorer(Explorer):
    """A small LSTM cell (d units) reads a fixed random sequence of T symbols; sliders shift
    the gate biases b_o, b_i, b_f, pushing every unit's gate towards 0 (closed) or 1 (open).

    ``mechanism`` is "write" (output gate: how much of the board goes to h), "read" (input
    gate: how much of the candidate goes onto the board), "forget" (forget gate: how much
    of the board survives a step), or "lstm" (all three together). The heatmaps show units
    (rows) over time (columns); the gates live in (0, 1).
    """

    title = "LSTM gate explorer"

    def __init__(self, mechanism: str = "lstm", d: int = 6, T: int = 16, seed: int = 0):
        if mechanism not in _PANELS:
            raise ValueError(f"mechanism must be one of {list(_PANELS)}, got {mechanism!r}")
        self.mechanism = mechanism
        self.params, self.X, self.symbols = toy_cell(d, T, seed)
        self.biases = {
            g: slider(_NAMES[g], _DEFAULTS[g], -6.0, 6.0, 0.25) for g in _SLIDERS[mechanism]
        }
        panels = _PANELS[mechanism]
        ncols = len(panels)
        fig, axes = plots.new_figure(1, ncols, figsize=(3.6 * ncols, 3.0))
        cache = self._forward_cache()
        self.images = plots.gate_heatmaps(
            axes,
            {name: f(cache) for name, f in panels.items()},
            xlabels=self.symbols,
            signed=_SIGNED,
        )
        for ax in np.ravel(axes):
            ax.tick_params(axis="x", labelsize="small")
            # Units are interchangeable, so their indices carry nothing; and text is most of
            # the cost of a full redraw (the browser asks for several while a notebook runs):
            # no unit labels, three ticks per colour bar.
            ax.set_yticks([])
            ax.set_ylabel("")
        np.ravel(axes)[0].set_ylabel(f"{d} units")
        for ax in np.ravel(axes)[1:]:  # the same steps in every panel: symbols named once
            ax.tick_params(axis="x", labelbottom=False)
        for bar in fig.axes[ncols:]:
            lo, hi = bar.get_ylim()
            bar.set_yticks([lo, (lo + hi) / 2, hi])
        self.dynamic = list(self.images.values())
        self._finish(list(self.biases.values()), fig)

    def _forward_cache(self) -> dict:
        """The cell's gates and states over the sequence, each (T, d) or (T + 1, d), with the
        gate biases the sliders set (the defaults for gates without a slider)."""
        params = dict(self.params)
        for g in ("o", "i", "f"):
            value = self.biases[g].value if g in self.biases else _DEFAULTS[g]
            params["b" + g] = np.full(self.params["b"].shape, float(value))
        _, cache = lstm.forward(params, self.X)
        return {k: v[0] for k, v in cache.items() if k in ("o", "i", "f", "s_tilde", "s", "h")}

    def update(self) -> None:
        cache = self._forward_cache()
        for name, f in _PANELS[self.mechanism].items():
            self.images[name].set_data(np.asarray(f(cache)).T)
        self.cache = cache
        kept = float(np.prod(cache["f"][1:], axis=0).mean())
        biases = ", ".join(f"b_{g} = {float(s.value):+.2f}" for g, s in self.biases.items())
        gates = ", ".join(f"{g} = {cache[g].mean():.2f}" for g in ("o", "i", "f"))
        self.readout.value = (
            f"{biases}: mean gates {gates} · of what was on the board after step 1, a "
            f"fraction <b>{kept:.3g}</b> survives to step {len(self.symbols)} along the "
            f"direct path (Π f) · ‖h_T‖ = {np.linalg.norm(cache['h'][-1]):.3g}"
        )
