"""`make bench`: speed measured as tables, never asserted in the test suite.

Each benchmark test records rows with the ``bench`` fixture; the tables are printed at the
end of the session (and written to build/bench.txt) so one run gives one comparable report.
"""

from __future__ import annotations

import os
import platform
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

_TABLES: dict[str, list[tuple[str, str]]] = defaultdict(list)


class Bench:
    """Helpers to time things and record them under a table title."""

    def __init__(self, table: str):
        self.table = table

    def row(self, name: str, value: str) -> None:
        _TABLES[self.table].append((name, value))

    @staticmethod
    def time(fn, repeat: int = 5, number: int = 1, budget: float = 0.0) -> float:
        """Best seconds for ``number`` calls of ``fn``, divided by ``number``, over at least
        ``repeat`` repeats and at least ``budget`` seconds. The best is what the code costs
        when nothing else interrupts it; a time budget, rather than a fixed count, gives short
        runs on a shared machine the same chance to meet a quiet moment as long ones."""
        best, spent, done = float("inf"), 0.0, 0
        while done < repeat or spent < budget:
            start = time.perf_counter()
            for _ in range(number):
                fn()
            elapsed = time.perf_counter() - start
            best, spent, done = min(best, elapsed / number), spent + elapsed, done + 1
        return best

    @staticmethod
    def alternate(fns: dict, rounds: int = 4, budget: float = 0.5) -> dict:
        """Best seconds of one call of each of ``fns`` (name -> function), timed in turns:
        ``rounds`` rounds, each giving every function at least one call and ``budget``
        seconds. On a shared machine whose speed drifts from minute to minute, a ratio of
        two such times compares the two in the same conditions, which timing one after the
        other (each over its own seconds) does not."""
        best = dict.fromkeys(fns, float("inf"))
        for _ in range(rounds):
            for name, fn in fns.items():
                best[name] = min(best[name], Bench.time(fn, repeat=1, budget=budget))
        return best

    @staticmethod
    def _samples(set_value, values, warmup: int, clock) -> list[float]:
        """Seconds by ``clock`` of each ``set_value(v)``, after ``warmup`` untimed calls."""
        for v in list(values)[:warmup]:
            set_value(v)
        samples = []
        for v in values:
            start = clock()
            set_value(v)
            samples.append(clock() - start)
        return samples

    def latency(self, name: str, set_value, values, warmup: int = 3) -> tuple[float, float]:
        """Median and p95 of ``set_value(v)`` over ``values`` (ms), recorded as a row."""
        samples = self._samples(set_value, values, warmup, time.perf_counter)
        median, p95 = 1e3 * np.median(samples), 1e3 * np.percentile(samples, 95)
        verdict = "ok" if median < 50 and p95 < 100 else "SLOW (target: median < 50, p95 < 100)"
        self.row(
            name, f"median {median:6.1f} ms   p95 {p95:6.1f} ms   n={len(samples)}   {verdict}"
        )
        return median, p95

    def cpu_latency(self, name: str, set_value, values, warmup: int = 2) -> float:
        """Median CPU time of ``set_value(v)`` (ms), recorded as a row. Unlike wall time it
        is not inflated when other processes share the cores, so rows stay comparable."""
        samples = self._samples(set_value, values, warmup, time.process_time)
        median = 1e3 * np.median(samples)
        self.row(name, f"median {median:6.1f} ms CPU")
        return median


@pytest.fixture
def bench(request):
    return Bench(getattr(request.module, "TABLE", request.module.__name__))


def matmul_product(n: int = 2048):
    """``(fn, flops)``: one n x n float64 matrix product, the yardstick for the nets."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    return (lambda: a @ b), 2 * n**3


def matmul_gflops(n: int = 2048) -> float:
    """Achieved float64 GFLOP/s of an n x n matrix product: the yardstick for the nets."""
    fn, flops = matmul_product(n)
    return flops / Bench.time(fn, repeat=3, budget=2.0) / 1e9


def pytest_sessionfinish(session, exitstatus):
    if not _TABLES:
        return
    lines = [f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}"]
    for table, rows in _TABLES.items():
        width = max(len(name) for name, _ in rows)
        lines += ["", table, "-" * len(table)]
        lines += [f"{name:<{width}}  {value}" for name, value in rows]
    text = "\n".join(lines)
    print("\n\n" + text)
    out = Path(session.config.rootpath) / "build" / "bench.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n")
