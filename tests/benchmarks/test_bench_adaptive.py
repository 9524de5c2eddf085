"""Schedules and adaptive optimizers: the two explorers' update latency and the training they do."""

import numpy as np

from course_lib import adaptive, neuron, optim, surfaces, tuning
from course_lib.widgets import AdaptiveRaceExplorer, ScheduleExplorer

TABLE = "Notebooks 04-05: learning-rate schedules and the six-optimizer race"


def test_training_costs(bench):
    X, Y = neuron.make_dataset(n=1000, seed=0)
    train_set, val_set = tuning.split(X, Y)
    start = {"w": np.array(-2.0), "b": np.array(-2.0)}
    seconds = bench.time(  # η = 20: notebook 04's tuned rate for the batch's mean loss
        lambda: tuning.train_neuron(
            optim.GD(20.0), train_set, start, 20, batch_size=20, val=val_set
        ),
        repeat=3,
    )
    bench.row(
        "tuning.train_neuron: 20 epochs x 40 mini-batches (800 steps)", f"{1e3 * seconds:7.1f} ms"
    )
    seconds = bench.time(lambda: tuning.lr_search(optim.GD, train_set, val_set, start), repeat=2)
    bench.row("tuning.lr_search: 11 trials x 3 epochs (notebook 04)", f"{1e3 * seconds:7.1f} ms")
    seconds = bench.time(
        lambda: tuning.random_search(optim.GD, train_set, val_set, start), repeat=2
    )
    bench.row("tuning.random_search: the same budget (notebook 04)", f"{1e3 * seconds:7.1f} ms")
    seconds = bench.time(
        lambda: adaptive.projected_online_run(
            optim.Adam(0.5, 0.0, 0.1, amsgrad=True),
            adaptive.reddi_gradient,
            np.linspace(-1, 1, 5),
            1000,
        )
    )
    bench.row(
        "adaptive.projected_online_run: AMSGrad, 1000 steps x 5 starts (notebook 05)",
        f"{1e3 * seconds:7.1f} ms",
    )
    s = surfaces.sparse_feature()
    for name in ("GD", "AdaGrad", "Adam"):
        seconds = bench.time(
            lambda name=name: adaptive.traced_run(
                optim.OPTIMIZERS[name](0.1), s.grad_fn, s.params(), 200, loss_fn=s.loss_fn
            )
        )
        bench.row(f"adaptive.traced_run: {name}, 200 steps", f"{1e3 * seconds:7.1f} ms")


def test_race_explorer_latency(bench):
    rng = np.random.default_rng(0)
    e = AdaptiveRaceExplorer()
    lrs = 10 ** rng.uniform(-3, 0, 40)
    bench.latency(
        "race: move Adam's η (one optimizer recomputed, 200 steps)",
        lambda v: setattr(e.hyper["Adam"]["lr"], "value", v),
        lrs,
    )
    bench.latency(
        "race: move RMSProp's β",
        lambda v: setattr(e.hyper["RMSProp"]["beta"], "value", v),
        rng.uniform(0, 0.999, 40),
    )
    bench.latency(
        "race: switch the effective-η panel between w and b (cached runs)",
        lambda v: setattr(e.rate_of, "value", v),
        ["w", "b"] * 20,
    )
    bench.latency(
        "race: move the start w (all six recomputed; updates on release)",
        lambda v: setattr(e.w0, "value", v),
        rng.uniform(-6, 6, 12),
        warmup=2,
    )
    bench.cpu_latency(
        "  the same, CPU time only", lambda v: setattr(e.w0, "value", v), rng.uniform(-6, 6, 12)
    )
    bench.row(
        "  for reference: one full Agg redraw of its figure",
        f"{bench.time(e.fig.canvas.draw) * 1e3:6.1f} ms",
    )


def test_schedule_explorer_latency(bench):
    rng = np.random.default_rng(1)
    e = ScheduleExplorer()
    bench.latency(
        "schedules: move drop (one 20-epoch run, 800 steps)",
        lambda v: setattr(e.drop, "value", v),
        rng.uniform(0.1, 0.9, 20),
    )
    bench.latency(
        "schedules: move η₀ (one 20-epoch run, 800 steps)",
        lambda v: setattr(e.lr0, "value", v),
        10 ** rng.uniform(np.log10(0.2), np.log10(200), 20),  # the slider's range
    )
    bench.cpu_latency(  # fresh values: a value seen before would come from the cache
        "  the same, CPU time only",
        lambda v: setattr(e.lr0, "value", v),
        10 ** rng.uniform(np.log10(0.2), np.log10(200), 20),
    )
