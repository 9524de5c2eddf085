"""Recurrent nets: forward + backward speed against the machine's matmul throughput, and
character-level training throughput of the batched trainer against a min-char-rnn loop.

FLOPs counted for one forward + backward pass (matrix products only; the backward pass
does twice the forward's): 6·B·T·(G·d·(n + d) + K·d), G = 1 (RNN), 3 (GRU), 4 (LSTM),
with K = n (character-level: as many outputs as inputs).
"""

from __future__ import annotations

import importlib
import time

import numpy as np
import pytest
from conftest import Bench, matmul_gflops

from course_lib import gru, lstm

TABLE = "Recurrent nets: forward + backward, float64 (share of this run's 2048² matmul GFLOP/s)"
SHAPES = [(32, 50, 64, 128), (1, 100, 65, 100), (64, 200, 128, 256)]
GATE_BLOCKS = {"rnn": 1, "gru": 3, "lstm": 4}
TARGETS = {("lstm", 0): 0.35, ("lstm", 2): 0.45}


@pytest.fixture(scope="module")
def yardstick():
    return matmul_gflops()


def _model(name):
    if name == "rnn":
        return pytest.importorskip("course_lib.rnn")
    return {"lstm": lstm, "gru": gru}[name]


@pytest.mark.parametrize("name", ["lstm", "gru", "rnn"])
def test_forward_backward(bench, yardstick, name):
    model = _model(name)
    if name == "lstm":
        bench.row("NumPy matmul 2048 x 2048 (the yardstick)", f"{yardstick:6.1f} GFLOP/s")
    for j, (B, T, n, d) in enumerate(SHAPES):
        rng = np.random.default_rng(0)
        params = model.init_params(n, d, n, rng=0)
        X = np.eye(n)[rng.integers(n, size=(B, T))]
        y = rng.integers(n, size=(B, T))
        repeat = 3 if B * T * d > 1e6 else 7
        seconds = Bench.time(lambda: model.loss_and_grads(params, X, y), repeat=repeat)
        flops = 6 * B * T * (GATE_BLOCKS[name] * d * (n + d) + n * d)
        share = flops / seconds / 1e9 / yardstick
        target = TARGETS.get((name, j))
        verdict = "" if target is None else f"  target {target:.0%}: " + (
            "ok" if share >= target else "MISSED"
        )
        bench.row(
            f"{name.upper():4} (B, T, n, d) = {(B, T, n, d)}",
            f"{1e3 * seconds:8.1f} ms  {flops / seconds / 1e9:5.1f} GFLOP/s  "
            f"{share:4.0%} of matmul{verdict}",
        )
    if name == "gru":
        B, T, n, d = SHAPES[0]
        rng = np.random.default_rng(0)
        params = gru.init_params(n, d, n, rng=0)
        X = np.eye(n)[rng.integers(n, size=(B, T))]
        y = rng.integers(n, size=(B, T))
        seconds = Bench.time(lambda: gru.loss_and_grads(params, X, y, reset_after=True))
        bench.row(f"GRU  {(B, T, n, d)}, reset_after=True", f"{1e3 * seconds:8.1f} ms")


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


def test_char_training_throughput(bench):
    sequences = pytest.importorskip("course_lib.sequences")
    train = pytest.importorskip("course_lib.train")
    from course_lib import optim

    data = sequences.word_task()
    chars = int(data.mask.sum())
    n = data.X.shape[2]
    d = 128

    # min-char-rnn: one word at a time, as column vectors
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
    start, done, seen = time.perf_counter(), 0, 0
    while time.perf_counter() - start < 3.0:
        i = done % len(data)
        length = int(data.lengths[i])
        min_char_rnn_step(p, mem, ids[i, :length], data.targets[i, :length], np.zeros((d, 1)), 0.1)
        done += 1
        seen += length
    loop_rate = seen / (time.perf_counter() - start)
    bench.row(f"char training, min-char-rnn loop (RNN, d={d}, 1 word/step)", f"{loop_rate:9.0f} chars/s")

    for name in ("rnn", "lstm", "gru"):
        model = importlib.import_module(f"course_lib.{name}")
        params = model.init_params(n, d, n, rng=0)
        start = time.perf_counter()
        history = train.train(
            name, params, data, optim.Adam(0.01), epochs=1, batch_size=64, clip=5.0, progress=False
        )
        rate = chars / (time.perf_counter() - start)
        verdict = f"{rate / loop_rate:5.1f}x the loop" + (
            ("  (target 10x: " + ("ok)" if rate >= 10 * loop_rate else "MISSED)"))
            if name == "rnn"
            else ""
        )
        bench.row(
            f"char training, batched train.train ({name.upper()}, d={d}, batch 64)",
            f"{rate:9.0f} chars/s  {verdict}  ({history.steps} steps)",
        )
