"""Recurrent nets: RNN forward + backward (BPTT) against the machine's matmul throughput."""

import os
import subprocess
import sys

import numpy as np
from conftest import Bench, matmul_gflops

from course_lib import rnn

TABLE = "Notebooks 07-08: RNN forward and backward (float64)"

B, T, N, D, K = 32, 50, 64, 128, 64


def flops(truncate=None):
    """Multiply-adds x 2 of one forward + backward pass.

    Forward: U x (n·d), W s (d²), V s (d·K) per step and sequence. Backward: dU (n·d),
    dW (d²), the carry δ W (d², once per lag when truncated), dV and δ V (2·d·K).
    """
    lags = 1 if truncate is None else min(truncate, T)
    per_step = 2 * N * D + (2 + lags) * D * D + 3 * D * K
    return 2 * B * T * per_step


def measure(truncate=None) -> float:
    rng = np.random.default_rng(0)
    params = rnn.init_params(N, D, K, rng=0)
    X = rng.standard_normal((B, T, N))
    y = rng.integers(K, size=(B, T))
    return Bench.time(lambda: rnn.loss_and_grads(params, X, y, truncate=truncate))


def test_rnn_forward_backward(bench):
    rng = np.random.default_rng(0)
    params = rnn.init_params(N, D, K, rng=0)
    X = rng.standard_normal((B, T, N))
    peak = matmul_gflops()
    bench.row("numpy float64 matmul 2048x2048 (this run)", f"{peak:7.1f} GFLOP/s")
    shape = f"B={B}, T={T}, n={N}, d={D}, K={K}"
    seconds = bench.time(lambda: rnn.forward(params, X), repeat=7)
    bench.row(f"forward only ({shape})", f"{1e3 * seconds:7.2f} ms")
    for truncate in (None, 10):
        seconds = measure(truncate)
        rate = flops(truncate) / seconds / 1e9
        name = "full BPTT" if truncate is None else f"truncate={truncate} (the notes' exact form)"
        bench.row(
            f"forward + backward, {name}",
            f"{1e3 * seconds:7.2f} ms   {rate:6.2f} GFLOP/s = {100 * rate / peak:5.1f}% of matmul",
        )


def test_rnn_with_one_blas_thread(bench):
    """The recurrence is T small (B, d) x (d, d) products: on a busy machine a multi-threaded
    BLAS spends more time waking threads than multiplying, so one thread can be faster."""
    code = (
        "import sys; sys.path.insert(0, 'tests/benchmarks'); "
        "from test_bench_rnn import measure; print(measure())"
    )
    env = {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )  # fmt: skip
    seconds = float(out.stdout.strip().splitlines()[-1])
    rate = flops() / seconds / 1e9
    bench.row(
        "forward + backward, full BPTT, OPENBLAS_NUM_THREADS=1",
        f"{1e3 * seconds:7.2f} ms   {rate:6.2f} GFLOP/s",
    )


def test_gradient_flow_explorer_latency(bench):
    from course_lib.widgets import GradientFlowExplorer

    rng = np.random.default_rng(0)
    explorer = GradientFlowExplorer()
    bench.latency(
        "gradient-flow explorer: move ω (T = 10)",
        lambda v: setattr(explorer.omega, "value", v),
        rng.uniform(0.1, 3.0, 40),
    )
    explorer.T.value = 100
    bench.latency(
        "gradient-flow explorer: move ω (T = 100)",
        lambda v: setattr(explorer.omega, "value", v),
        rng.uniform(0.1, 3.0, 40),
    )
    bench.latency(
        "gradient-flow explorer: move T",
        lambda v: setattr(explorer.T, "value", int(v)),
        rng.integers(2, 101, 40),
    )
    explorer.progress = False
    seconds = bench.time(explorer.run_training, repeat=1)
    bench.row("gradient-flow explorer: train button (2 runs x 60 steps)", f"{seconds:6.2f} s")
