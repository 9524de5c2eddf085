"""The guess-work explorer after many moves: a move costs the same after 20,000 guesses as
after 20 (it re-scored every past guess on every move)."""

import numpy as np

from course_lib.widgets import GuessExplorer

TABLE = "Notebook 01: the guess-work explorer after many moves"


def test_guess_explorer_latency_after_many_guesses(bench):
    explorer = GuessExplorer()
    values = [round(-7 + (i % 239) * 0.05, 2) for i in range(1, 21_000)]  # each differs
    moves = iter(values)
    draw = explorer.draw
    medians = {}
    for guesses in (20, 2_000, 20_000):
        explorer.draw = lambda: None  # fill quickly; the timed moves below draw
        while len(explorer.guesses) < guesses:
            explorer.w.value = next(moves)
        explorer.draw = draw
        timed = [next(moves) for _ in range(300)]  # crosses a move of the trail to the background
        medians[guesses], _ = bench.latency(
            f"move w after {guesses:,} guesses", lambda v: setattr(explorer.w, "value", v), timed
        )
    bench.row(
        "  ratio of medians, 20,000 guesses / 20",
        f"{medians[20_000] / medians[20]:.2f}",
    )
    assert np.isfinite(list(medians.values())).all()
