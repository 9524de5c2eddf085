"""Explorer latency of notebooks 09 (gate explorer) and 10 (autocompleter)."""

import numpy as np

from course_lib.widgets import AutocompleteExplorer, GateExplorer

TABLE = "Notebooks 09-10: explorers"


def test_gate_explorer_latency(bench):
    rng = np.random.default_rng(0)
    explorer = GateExplorer("lstm")
    bench.latency(
        "gate explorer (LSTM, 5 heatmaps): move b_f",
        lambda v: setattr(explorer.biases["f"], "value", v),
        rng.uniform(-6, 6, 40),
    )


def test_autocomplete_latency(bench):
    explorer = AutocompleteExplorer(text="")
    words = ["l", "le", "lea", "lear", "learn", "learni", "learnin", "learning"] * 4
    bench.latency("autocompleter: type one more character (LSTM, d=64, k=8)",
                  lambda v: setattr(explorer.text, "value", v), words)  # fmt: skip


def test_gradient_reach_explorer_latency(bench):
    from course_lib.widgets import GradientReachExplorer

    explorer = GradientReachExplorer()
    rng = np.random.default_rng(0)
    bench.latency(
        "gradient-reach explorer (5 models, 16 sequences): move T",
        lambda v: setattr(explorer.T, "value", int(v)),
        rng.integers(5, 61, 40),
    )
