"""The shared pieces of lstm and gru: the split matrix product and the one-exp activations."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from course_lib import _recurrent as rec


@given(
    m=st.integers(1, 300),
    k=st.integers(1, 300),
    n=st.integers(1, 300),
    seed=st.integers(0, 100),
    transposed=st.booleans(),
)
def test_split_product_is_the_product(m, k, n, seed, transposed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((k, m)).T if transposed else rng.standard_normal((m, k))
    b = rng.standard_normal((k, n))
    np.testing.assert_allclose(rec.matmul(a, b), a @ b, rtol=1e-12, atol=1e-12)
    out = np.empty((m, n))
    assert rec.matmul(a, b, out=out) is out
    np.testing.assert_allclose(out, a @ b, rtol=1e-12, atol=1e-12)


def test_both_ways_of_cutting_are_used():
    rng = np.random.default_rng(0)
    for shape in ((512, 64, 16), (16, 4096, 16)):  # many rows; a long summed-over axis
        m, k, n = shape
        assert rec._ONE_THREAD < m * k * n < rec._SPLIT_BELOW
        a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
        np.testing.assert_allclose(rec.matmul(a, b), a @ b, rtol=1e-12, atol=1e-12)


@given(a=st.lists(st.floats(-800, 800), min_size=1, max_size=20), n_sig=st.integers(0, 20))
def test_one_exp_gives_sigmoid_and_tanh(a, n_sig):
    a = np.array(a)
    n_sig = min(n_sig, len(a))
    z = a * rec.activation_scale(n_sig, len(a) - n_sig)
    with np.errstate(over="ignore"):
        rec.activate(z, n_sig)
    expected = np.concatenate([0.5 * (1 + np.tanh(a[:n_sig] / 2)), np.tanh(a[n_sig:])])
    np.testing.assert_allclose(z, expected, rtol=0, atol=1e-15)
    out = np.empty_like(a)
    with np.errstate(over="ignore"):
        rec.tanh_into(a, out)
    np.testing.assert_allclose(out, np.tanh(a), rtol=0, atol=1e-15)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(1, 3)), min_size=1, max_size=5))
def test_carved_arrays_have_their_shapes_and_share_no_memory(shapes):
    arrays = rec.carve(*shapes)
    assert [a.shape for a in arrays] == shapes
    assert all(a.dtype == np.float64 and a.flags.c_contiguous for a in arrays)
    for j, a in enumerate(arrays):  # writing one array leaves every other one as it was
        for b in arrays:
            b[...] = -1.0
        a[...] = j
        assert all(np.all(b == -1.0) for b in arrays if b is not a)
