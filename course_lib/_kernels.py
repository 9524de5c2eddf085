r"""Speed helpers of the fused kernels in ``lstm`` and ``gru``: the split matrix product, one
``exp`` for σ and tanh at once, and arrays carved from one allocation.

None of these changes *what* is computed; each makes the same arithmetic cheaper. The
readable one-step functions (``lstm.step_forward``, ``gru.step_forward``, ...) use none of
them, and tests/unit/test_lstm.py and test_gru.py hold the kernels equal to those steps.
"""

from __future__ import annotations

import numpy as np


def activation_scale(n_sigmoid: int, n_tanh: int) -> np.ndarray:
    """Row factors (−1 for the σ rows, −2 for the tanh rows) that :func:`activate` expects
    its input to be multiplied by; the kernels fold them into their stacked weights."""
    return np.concatenate([np.full(n_sigmoid, -1.0), np.full(n_tanh, -2.0)])


def activate(z: np.ndarray, n_sigmoid: int) -> np.ndarray:
    r"""In place: σ(a) on the first ``n_sigmoid`` columns, tanh(a) on the rest, given
    z = −a on the first and z = −2a on the rest (see :func:`activation_scale`).

    .. math:: \sigma(a) = \frac{1}{1 + e^{-a}}, \qquad \tanh(a) = 2\sigma(2a) - 1

    so ONE ``np.exp`` over the stacked blocks serves all gates and the candidate, instead of
    one ``exp`` and one ``tanh`` call: NumPy's float64 ``exp`` costs less than its ``tanh``
    (tests/benchmarks/test_bench_recurrent.py times the kernels). e^z = inf for a < −709
    gives σ = 0, as it should (callers ignore the overflow warning).
    """
    np.exp(z, out=z)
    z += 1.0
    np.divide(1.0, z, out=z)
    cand = z[..., n_sigmoid:]
    cand *= 2.0
    cand -= 1.0
    return z


def tanh_into(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    r""":math:`\tanh(x) = 2/(1 + e^{-2x}) - 1` into ``out`` (same reason as :func:`activate`)."""
    np.multiply(x, -2.0, out=out)
    return activate(out, 0)


def carve(*shapes: tuple[int, ...]) -> list[np.ndarray]:
    """Fresh float64 arrays of the given ``shapes``, carved out of ONE allocation (contents
    uninitialised, as ``np.empty``).

    Why: a forward pass needs a few arrays of several MB. The C allocator returns blocks that
    large to the system when they are freed, so separate arrays would be mapped afresh, page
    by page at first touch, on every call. One block as large as all of them stays in the
    allocator's heap once freed and is reused, already mapped, by the next call. Guarded by
    tests/benchmarks/test_bench_recurrent.py::test_forward_backward (the LSTM rows).
    """
    sizes = [int(np.prod(s)) for s in shapes]
    block = np.empty(sum(sizes))
    ends = np.cumsum(sizes)
    return [block[e - m : e].reshape(s) for s, m, e in zip(shapes, sizes, ends, strict=True)]


#: OpenBLAS computes a product single-threaded when M·N·K is at most this ...
_ONE_THREAD = 65_536 * 4
#: ... and products below this size are cut into such pieces (see :func:`matmul`).
_SPLIT_BELOW = 1 << 21


def matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` for 2-D arrays, medium-sized products cut into single-threaded pieces.

    Why: a multi-threaded BLAS wakes its threads for every product above a small size. For
    the medium products of small recurrent nets that costs more than it saves, and when
    another process holds the other core, a product waits for a thread. Large products,
    where threads pay off, are left whole. The result is the same product. Guarded by
    tests/benchmarks/test_bench_recurrent.py (test_lstm_with_one_blas_thread,
    test_char_training_throughput).
    """
    m, k = a.shape
    n = b.shape[1]
    size = m * n * k
    if size <= _ONE_THREAD or size >= _SPLIT_BELOW:
        return np.matmul(a, b, out=out)
    if out is None:
        out = np.empty((m, n), dtype=np.result_type(a, b))
    if m >= k:  # cut the rows
        step = max(1, _ONE_THREAD // (n * k))
        for i in range(0, m, step):
            np.matmul(a[i : i + step], b, out=out[i : i + step])
        return out
    step = max(1, _ONE_THREAD // (m * n))  # cut the summed-over axis
    np.matmul(a[:, :step], b[:step], out=out)
    for j in range(step, k, step):
        out += a[:, j : j + step] @ b[j : j + step]
    return out


def matmul_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for ``a`` (..., m) and ``b`` (m, p) as ONE :func:`matmul` of all rows of
    ``a`` (its leading axes flattened): shape (..., p)."""
    return matmul(a.reshape(-1, a.shape[-1]), b).reshape(*a.shape[:-1], b.shape[-1])
