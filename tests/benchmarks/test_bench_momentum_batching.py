"""Notebooks 02-03: race-explorer and batch-size-explorer latency, the race animation, and the
cost of an epoch for each batch size."""

import time

import numpy as np
import pytest

from course_lib import batching, batching_fused, neuron, optim, plots
from course_lib.widgets import BatchExplorer, RaceExplorer

TABLE = "Notebooks 02-03: momentum race and mini-batches"


def test_race_explorer_latency(bench):
    rng = np.random.default_rng(0)
    e = RaceExplorer()
    bench.latency(
        "race explorer: move η (sharp valley, 3 methods, 150 steps)",
        lambda v: setattr(e.lr, "value", v),
        10 ** rng.uniform(-3, 0, 60),
    )
    bench.cpu_latency(
        "  the same, CPU time only",
        lambda v: setattr(e.lr, "value", v),
        10 ** rng.uniform(-3, 0, 30),
    )
    bench.latency(
        "race explorer: move γ", lambda v: setattr(e.gamma, "value", v), rng.uniform(0, 0.99, 60)
    )
    bench.latency(
        "race explorer: move start w", lambda v: setattr(e.w0, "value", v), rng.uniform(-4, 4, 60)
    )
    e.steps.value = 500
    bench.latency(
        "race explorer: move η at 500 steps (acts on release)",
        lambda v: setattr(e.lr, "value", v),
        10 ** rng.uniform(-3, 0, 30),
    )
    e.surface_name.value = "sigmoid neuron"
    e.steps.value = 150
    bench.latency(
        "race explorer: move η (sigmoid neuron)",
        lambda v: setattr(e.lr, "value", v),
        10 ** rng.uniform(-3, 2, 60),
    )
    bench.row(
        "  for reference: one full Agg redraw of its figure",
        f"{bench.time(e.fig.canvas.draw) * 1e3:6.1f} ms",
    )


@pytest.mark.filterwarnings("ignore:Animation was deleted without rendering")
def test_race_animation(bench):
    e = RaceExplorer()
    start = time.perf_counter()
    html = plots.animation_html(e.animation(frames=40))
    seconds = time.perf_counter() - start
    bench.row(
        "race animation: 40 frames to HTML (JPEG)", f"{seconds:6.2f} s, {len(html) / 1e6:.1f} MB"
    )


def test_batch_explorer_latency(bench):
    rng = np.random.default_rng(1)
    e = BatchExplorer()
    bench.latency(
        "batch explorer: move η (B = 20, 2 epochs = 100 updates)",
        lambda v: setattr(e.lr, "value", v),
        10 ** rng.uniform(-2, 2, 40),
    )
    e.batch_size.value = 1
    for method in ("GD", "NAG"):
        e.method.value = method
        bench.latency(
            f"batch explorer: move η ({method}, B = 1, 2 epochs = 2,000 updates; live)",
            lambda v: setattr(e.lr, "value", v),
            10 ** rng.uniform(-2, 1, 30),
        )
    e.epochs.value = 5
    bench.latency(
        "batch explorer: move η (NAG, B = 1, 5 epochs = 5,000 updates; live)",
        lambda v: setattr(e.lr, "value", v),
        10 ** rng.uniform(-2, 1, 30),
    )
    e.epochs.value = 2
    sizes = [1, 1000, 20, 100, 2, 500, 50] * 3
    bench.latency(
        "batch explorer: change B (on release; the axes stay)",
        lambda v: setattr(e.batch_size, "value", v),
        sizes,
        warmup=1,
    )


def test_fused_batch_runs_against_the_readable_path(bench):
    """The explorer's fused path and minibatch_run, timed in turns on the same run."""
    X, Y = neuron.make_dataset(n=1000, seed=0)
    p0 = {"w": np.array(-2.0), "b": np.array(2.0)}
    for size in (1, 20):
        best = bench.alternate(
            {
                "readable": lambda size=size: batching.minibatch_run(
                    optim.NAG(1.0, 0.9), X, Y, size, 2, p0, loss=None
                ),
                "fused": lambda size=size: batching_fused.neuron_minibatch_run(
                    "NAG", 1.0, 0.9, X, Y, size, 2, p0
                ),
            },
            budget=0.3,
        )
        bench.row(
            f"NAG, B = {size:<2}, 2 epochs: minibatch_run / batching_fused",
            f"{1e3 * best['readable']:6.1f} / {1e3 * best['fused']:5.1f} ms"
            f" = {best['readable'] / best['fused']:4.1f}x",
        )


def test_epoch_cost_by_batch_size(bench):
    X, Y = neuron.make_dataset(n=1000, seed=0)
    p0 = {"w": np.array(-2.0), "b": np.array(2.0)}
    for size in (1, 10, 100, 1000):
        seconds = bench.time(
            lambda size=size: batching.minibatch_run(optim.NAG(1.0, 0.9), X, Y, size, 1, p0),
            repeat=3,
        )
        bench.row(
            f"one epoch of NAG, N = 1,000, B = {size:<4} ({1000 // size:>4} updates)",
            f"{1e3 * seconds:7.1f} ms",
        )
