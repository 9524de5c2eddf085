"""Explorer latency of notebooks 06 (sequence tasks) and 07 (BPTT terms)."""

import numpy as np

from course_lib.widgets import BPTTExplorer, SequenceTaskExplorer

TABLE = "Notebooks 06-07: explorers"


def test_sequence_task_explorer_latency(bench):
    e = SequenceTaskExplorer()
    typed = ["s", "se", "seq", "sequ", "seque", "sequen", "sequenc", "sequence"] * 4
    bench.latency("sequence tasks: type one more letter", lambda v: setattr(e.text, "value", v),
                  typed)  # fmt: skip
    e.task.value = "sentiment"
    e.example.value = "the film was not very good"
    steps = [1, 2, 3, 4, 5, 6, 5, 4, 3, 2] * 4
    bench.latency("sequence tasks: move the step slider (6 words)",
                  lambda v: setattr(e.step, "value", v), steps)  # fmt: skip

    def pick(i):
        e.task.value = ("autocompletion", "tagging", "sentiment")[i % 3]

    bench.latency("sequence tasks: pick another task", pick, list(range(30)))


def test_bptt_explorer_latency(bench):
    rng = np.random.default_rng(0)
    e = BPTTExplorer()
    bench.latency("BPTT explorer: move ω (9 steps, d=6)",
                  lambda v: setattr(e.omega, "value", v), rng.uniform(0.25, 4, 40))  # fmt: skip
    bench.latency("BPTT explorer: move t", lambda v: setattr(e.t, "value", int(v)),
                  rng.integers(1, 10, 40))  # fmt: skip
    bench.latency("BPTT explorer: move k", lambda v: setattr(e.k, "value", int(v)),
                  rng.integers(1, 10, 40))  # fmt: skip
