"""Error-surface grids and the notebook-01 explorers."""

import numpy as np

from course_lib import neuron
from course_lib.widgets import GDExplorer, GuessExplorer

TABLE = "Notebook 01: error surfaces and explorers"


def test_loss_grid(bench):
    ws = bs = np.linspace(-7, 5, 256)
    seconds = bench.time(lambda: neuron.loss_grid(ws, bs), repeat=7)
    bench.row("loss grid 256x256, lecture's 2 points", f"{1e3 * seconds:6.2f} ms")
    X, Y = neuron.make_dataset(n=1000)
    ws = bs = np.linspace(-4, 4, 96)
    seconds = bench.time(lambda: neuron.loss_grid(ws, bs, X, Y), repeat=3)
    bench.row("loss grid 96x96, 1,000 points", f"{1e3 * seconds:6.2f} ms")


def test_gd_explorer_latency(bench):
    rng = np.random.default_rng(0)
    explorer = GDExplorer()
    lrs = 10 ** rng.uniform(-3, 2, 60)
    bench.latency(
        "GD explorer: move η (sigmoid neuron, 300 steps)",
        lambda v: setattr(explorer.lr, "value", v),
        lrs,
    )
    starts = rng.uniform(-7, 5, 60)
    bench.latency("GD explorer: move start w", lambda v: setattr(explorer.w0, "value", v), starts)
    explorer.surface_name.value = "plateau"
    bench.latency("GD explorer: move η (plateau)", lambda v: setattr(explorer.lr, "value", v), lrs)
    bench.row(
        "  for reference: one full Agg redraw of its figure",
        f"{bench.time(explorer.fig.canvas.draw) * 1e3:6.1f} ms",
    )


def test_guess_explorer_latency(bench):
    rng = np.random.default_rng(1)
    explorer = GuessExplorer()
    bench.latency(
        "guess-work explorer: move w",
        lambda v: setattr(explorer.w, "value", v),
        rng.uniform(-7, 5, 60),
    )
