"""Recurrent nets: forward + backward speed against the machine's matmul throughput, and
character-level training throughput of the batched trainer against a min-char-rnn loop.

FLOPs counted for one forward + backward pass (matrix products only; the backward pass
does twice the forward's): 6·B·T·(G·d·(n + d) + K·d), G = 1 (RNN), 3 (GRU), 4 (LSTM),
with K = n (character-level: as many outputs as inputs).
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import Bench, matmul_product

TABLE = (
    "Recurrent nets: forward + backward, float64 "
    "(share of the 2048² matmul's GFLOP/s, timed in turns with it; GFLOP/s in brackets)"
)
SHAPES = [(32, 50, 64, 128), (1, 100, 65, 100), (64, 200, 128, 256)]
GATE_BLOCKS = {"rnn": 1, "gru": 3, "lstm": 4}
TARGETS = {("lstm", 0): 0.35, ("lstm", 2): 0.45}


def _model(name):
    if name == "rnn":
        return pytest.importorskip("course_lib.rnn")
    return importlib.import_module(f"course_lib.{name}")


def measure(name: str, shape: tuple[int, int, int, int], **options) -> tuple[float, float]:
    """``(seconds, yardstick)``: best seconds of one ``loss_and_grads`` (forward + full BPTT)
    at ``shape``, and the GFLOP/s of the 2048² matmul, timed in turns (6 rounds of at least
    0.5 s each), so that the share compares the two in the same conditions."""
    B, T, n, d = shape
    model = _model(name)
    rng = np.random.default_rng(0)
    params = model.init_params(n, d, n, rng=0)
    X = np.eye(n)[rng.integers(n, size=(B, T))]
    y = rng.integers(n, size=(B, T))
    product, flops = matmul_product()
    best = Bench.alternate(
        {"net": lambda: model.loss_and_grads(params, X, y, **options), "matmul": product},
        rounds=6,
    )
    return best["net"], flops / best["matmul"] / 1e9


def _row(bench, name, j, measured, label=""):
    seconds, yardstick = measured
    B, T, n, d = SHAPES[j]
    flops = 6 * B * T * (GATE_BLOCKS[name] * d * (n + d) + n * d)
    share = flops / seconds / 1e9 / yardstick
    target = TARGETS.get((name, j))
    verdict = (
        ""
        if target is None
        else f"  target {target:.0%}: " + ("ok" if share >= target else "MISSED")
    )
    bench.row(
        f"{name.upper():4} (B, T, n, d) = {SHAPES[j]}{label}",
        f"{1e3 * seconds:8.1f} ms  {flops / seconds / 1e9:5.1f} GFLOP/s  "
        f"{share:4.0%} of matmul ({yardstick:3.0f}){verdict}",
    )


@pytest.mark.parametrize("name", ["lstm", "gru", "rnn"])
def test_forward_backward(bench, name):
    """Each row's share is against the matmul GFLOP/s (in brackets) timed in turns with it."""
    _model(name)
    for j, shape in enumerate(SHAPES):
        _row(bench, name, j, measure(name, shape))
    if name == "gru":
        _row(bench, "gru", 0, measure("gru", SHAPES[0], reset_after=True), ", reset_after=True")


def run_with_one_blas_thread(code: str) -> str:
    """What ``python -c code`` prints, run in a subprocess limited to one BLAS thread (the
    limit must be set before NumPy loads, hence the subprocess)."""
    limits = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    env = {**os.environ, **dict.fromkeys(limits, "1")}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_lstm_with_one_blas_thread(bench):
    """Each step's recurrent product is small ((B, d) x (d, 4d)): on a busy 2-core machine a
    multi-threaded BLAS can spend more time waking its threads than multiplying. So the
    same code is also timed in a subprocess with one BLAS thread, against the matmul
    throughput of that one thread (measured in the same subprocess)."""
    code = (
        "import sys; sys.path.insert(0, 'tests/benchmarks'); "
        "from test_bench_recurrent import measure, SHAPES; "
        "print(repr([measure('lstm', s) for s in SHAPES]))"
    )
    out = run_with_one_blas_thread(code)
    rows = ast.literal_eval(out.strip().splitlines()[-1])
    for j, measured in enumerate(rows):
        _row(bench, "lstm", j, measured, ", 1 BLAS thread (vs 1-thread matmul)")


# --- character-level training throughput -----------------------------------------------------


def min_char_rnn_step(p, mem, inputs, targets, h, lr):
    """One training step in the style of Karpathy's min-char-rnn: column vectors, one
    sequence, a Python loop over time forward and backward, Adagrad update."""
    xs, hs, ps = {}, {-1: h}, {}
    loss = 0.0
    for t, ch in enumerate(inputs):
        xs[t] = np.zeros((p["U"].shape[1], 1))
        xs[t][ch] = 1
        hs[t] = np.tanh(p["U"] @ xs[t] + p["W"] @ hs[t - 1] + p["b"])
        o = p["V"] @ hs[t] + p["c"]
        ps[t] = np.exp(o - o.max()) / np.sum(np.exp(o - o.max()))
        loss -= np.log(ps[t][targets[t], 0])
    g = {k: np.zeros_like(v) for k, v in p.items()}
    dh_next = np.zeros_like(h)
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        g["V"] += dy @ hs[t].T
        g["c"] += dy
        dh = p["V"].T @ dy + dh_next
        da = (1 - hs[t] * hs[t]) * dh
        g["b"] += da
        g["U"] += da @ xs[t].T
        g["W"] += da @ hs[t - 1].T
        dh_next = p["W"].T @ da
    for k in p:
        np.clip(g[k], -5, 5, out=g[k])
        mem[k] += g[k] * g[k]
        p[k] -= lr * g[k] / np.sqrt(mem[k] + 1e-8)
    return loss, hs[len(inputs) - 1]


def char_throughput(rounds: int = 3, seconds: float = 1.0) -> list[tuple[str, float, int]]:
    """(label, characters per second, steps) for the min-char-rnn loop and the batched
    trainer with each model, on the word task. Timed in turns, so in the same conditions:
    each of ``rounds`` rounds runs the loop for ``seconds``, then one epoch of each model
    from the same start; each rate is its best round."""
    from course_lib import optim, sequences, train

    data = sequences.word_task()
    chars = int(data.mask.sum())
    n, d = data.X.shape[2], 128
    rng = np.random.default_rng(0)
    p = {
        "U": rng.standard_normal((d, n)) * 0.01,
        "W": rng.standard_normal((d, d)) * 0.01,
        "b": np.zeros((d, 1)),
        "V": rng.standard_normal((n, d)) * 0.01,
        "c": np.zeros((n, 1)),
    }
    mem = {k: np.zeros_like(v) for k, v in p.items()}
    ids = data.X.argmax(axis=2)
    loop = "min-char-rnn loop (RNN, 1 word per step)"
    best: dict[str, tuple[float, int]] = {}
    done = 0
    for _ in range(rounds):
        start, steps, seen = time.perf_counter(), 0, 0
        while time.perf_counter() - start < seconds:
            i = done % len(data)
            length = int(data.lengths[i])
            min_char_rnn_step(
                p, mem, ids[i, :length], data.targets[i, :length], np.zeros((d, 1)), 0.1
            )
            done, steps, seen = done + 1, steps + 1, seen + length
        rate = seen / (time.perf_counter() - start)
        best[loop] = max(best.get(loop, (0.0, 0)), (rate, steps))
        for name in ("rnn", "lstm", "gru"):
            model = importlib.import_module(f"course_lib.{name}")
            params = model.init_params(n, d, n, rng=0)
            start = time.perf_counter()
            history = train.train_recurrent(
                name,
                params,
                data,
                optim.Adam(0.01),
                epochs=1,
                batch_size=64,
                clip=5.0,
                progress=False,
            )
            rate = chars / (time.perf_counter() - start)
            label = f"batched train.train_recurrent ({name.upper()}, batch 64)"
            best[label] = max(best.get(label, (0.0, 0)), (rate, history.steps))
    return [(label, rate, steps) for label, (rate, steps) in best.items()]


def test_char_training_throughput(bench):
    """One BLAS thread for both sides, so that the ratio measures batching (one matrix
    product for 64 words) against a Python loop over words, not thread scheduling."""
    pytest.importorskip("course_lib.train")
    code = (
        "import sys; sys.path.insert(0, 'tests/benchmarks'); "
        "from test_bench_recurrent import char_throughput; "
        "print(repr(char_throughput()))"
    )
    out = run_with_one_blas_thread(code)
    rows = ast.literal_eval(out.strip().splitlines()[-1])
    loop_rate = rows[0][1]
    for label, rate, steps in rows:
        ratio = "" if label.startswith("min") else f"  {rate / loop_rate:5.1f}x the loop"
        if label.startswith("batched train.train_recurrent (RNN"):
            ratio += "  (target 10x: " + ("ok)" if rate >= 10 * loop_rate else "MISSED)")
        bench.row(
            f"char training, d=128, 1 BLAS thread: {label}",
            f"{rate:9.0f} chars/s{ratio}  ({steps} steps)",
        )
