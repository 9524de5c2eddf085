"""Notebook 02's rate map: a move of η or γ (one run of 300 steps and the dynamic artists),
and a new κ, which rebuilds the static part (contours) and acts on release."""

import numpy as np

from course_lib.widgets import RateMapExplorer

TABLE = "Notebook 02: rate map"


def test_rate_map_latency(bench):
    rng = np.random.default_rng(0)
    e = RateMapExplorer()
    bench.latency(
        "rate map: move η (momentum, κ = 10, a 300-step run)",
        lambda v: setattr(e.lr, "value", v),
        np.round(rng.uniform(0.01, 4.2, 60), 2),
    )
    bench.cpu_latency(
        "  the same, CPU time only",
        lambda v: setattr(e.lr, "value", v),
        np.round(rng.uniform(0.01, 4.2, 30), 2),
    )
    bench.latency(
        "rate map: move γ",
        lambda v: setattr(e.gamma, "value", v),
        np.round(rng.uniform(0, 0.99, 60), 2),
    )
    e.method.value = "NAG"
    bench.latency(
        "rate map: move η (NAG)",
        lambda v: setattr(e.lr, "value", v),
        np.round(rng.uniform(0.01, 4.2, 60), 2),
    )
    kappas = [e.kappa.value * 10 ** (0.5 * k) for k in (1, 2, 3, -1, -2, 0, 4)] * 2
    bench.latency(
        "rate map: change κ (on release; new map and contours, a full redraw)",
        lambda v: setattr(e.kappa, "value", v),
        kappas,
        warmup=1,
    )
    bench.latency(
        "rate map: change method (the map redrawn over the kept background)",
        lambda v: setattr(e.method, "value", v),
        ["GD", "Momentum", "NAG"] * 5,
        warmup=1,
    )
    bench.row(
        "  for reference: one full Agg redraw of its figure",
        f"{bench.time(e.fig.canvas.draw) * 1e3:6.1f} ms",
    )
