"""Notebook 08: truncated BPTT in its two forms against full BPTT, timed in turns.

One epoch of ``train.train_recurrent`` on the delayed echo (512 sequences of T steps,
mini-batches of 32, d = 32, Adam): full BPTT, the notes' per-term truncation
(``truncate=k``: about k − 1 backward sweeps, ``rnn.backward_products``) and chunks with the
state carried (``chunk=k``: one sweep, ⌈T/k⌉ updates per mini-batch). Reported as ratios
to full BPTT measured in the same run, with the products with W per sequence beside them.
"""

from __future__ import annotations

from conftest import Bench

from course_lib import optim, rnn, train
from course_lib import sequences as sq

TABLE = "Notebook 08: truncated BPTT, one training epoch (ratios to full BPTT, timed in turns)"


def epoch(data, **options):
    def run():
        params = rnn.init_params(4, 32, 4, rng=0)
        train.train_recurrent(
            rnn, params, data, optim.Adam(0.01), batch_size=32, progress=False, **options
        )

    return run


def test_truncation_forms(bench):
    for T, k in ((40, 8), (100, 10)):
        data = sq.delayed_echo_task(n=512, length=T, delay=3, seed=0)
        forms = {
            "full BPTT": ({}, rnn.backward_products(T)),
            f"per-term, truncate={k}": ({"truncate": k}, rnn.backward_products(T, k)),
            f"chunks, chunk={k}": ({"chunk": k}, T),
        }
        best = Bench.alternate({name: epoch(data, **opt) for name, (opt, _) in forms.items()})
        full = best["full BPTT"]
        for name, (_, products) in forms.items():
            bench.row(
                f"T = {T}: {name}",
                f"{1e3 * best[name]:8.1f} ms/epoch   x{best[name] / full:5.2f}   "
                f"{T} + {products} products with W per sequence",
            )
