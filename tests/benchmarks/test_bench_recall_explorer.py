"""Latency of notebook 10's recall explorer (make bench)."""

from course_lib.widgets import RecallExplorer

TABLE = "Notebook 10: recall explorer"


def test_recall_explorer_latency(bench):
    explorer = RecallExplorer(model="lstm", gap=40)
    bench.latency(
        "recall explorer: next filler draw (LSTM, gap 40)",
        lambda v: setattr(explorer.fill_draw, "value", v),
        [i % 20 for i in range(1, 41)],
    )


def test_recall_explorer_key_latency(bench):
    explorer = RecallExplorer(model="gru", gap=40)
    keys = ["ab", "cd", "ef", "gh", "ha", "bc", "de", "fg"] * 4
    bench.latency(
        "recall explorer: type a new key (GRU, gap 40)",
        lambda v: setattr(explorer.key, "value", v),
        keys,
    )
