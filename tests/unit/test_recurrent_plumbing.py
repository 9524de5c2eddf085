"""What the recurrent models share: the loss and output layer (_recurrent), the fused
kernels' speed helpers (_kernels), and the size of the functions students read."""

import ast
import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import _kernels, _recurrent, gradcheck, gradflow, gru, lstm, models, rnn
from course_lib.functions import softmax

# --- the loss and the output layer ------------------------------------------------------------


def test_cross_entropy_by_hand():
    # B = 2 sequences, T = 2 steps, K = 2 classes; sequence 1 has one real step
    probs = np.array([[[0.25, 0.75], [0.5, 0.5]], [[0.9, 0.1], [0.3, 0.7]]])
    y = np.array([[1, 0], [0, 1]])
    mask = np.array([[1.0, 1.0], [1.0, 0.0]])
    loss, d_o = _recurrent.cross_entropy(probs, y, mask)
    assert loss == pytest.approx(-(np.log(0.75) + np.log(0.5) + np.log(0.9)) / 2, rel=1e-15)
    expected = np.array([[[0.25, -0.25], [-0.5, 0.5]], [[-0.1, 0.1], [0.0, 0.0]]]) / 2
    np.testing.assert_allclose(d_o, expected, rtol=1e-15, atol=1e-17)
    # many-to-one: only each sequence's last real step, (0, 1) and (1, 0), with labels 1, 0
    loss, d_o = _recurrent.cross_entropy(probs, np.array([1, 0]), mask, many_to_one=True)
    assert loss == pytest.approx(-(np.log(0.5) + np.log(0.9)) / 2, rel=1e-15)
    expected = np.array([[[0, 0], [0.5, -0.5]], [[-0.1, 0.1], [0, 0]]]) / 2
    np.testing.assert_allclose(d_o, expected, rtol=1e-15, atol=1e-17)
    assert np.array_equal(_recurrent.last_steps(mask), [1, 0])
    with pytest.raises(ValueError, match="sequence 1 of the batch is empty"):
        _recurrent.cross_entropy(probs, np.array([1, 0]), np.array([[1.0, 1], [0, 0]]), True)


@pytest.mark.parametrize("many_to_one", [False, True])
@pytest.mark.parametrize("padded", [False, True])
def test_output_layer_is_the_cross_entropy_of_its_softmax_with_its_gradients(many_to_one, padded):
    rng = np.random.default_rng(0)
    T, B, d, K = 4, 3, 5, 6
    params = {"V": rng.standard_normal((K, d)), "c": rng.standard_normal(K)}
    h = rng.standard_normal((T, B, d))
    y = rng.integers(K, size=(B,) if many_to_one else (B, T))
    mask = np.ones((B, T))
    if padded:
        mask[0, 2:] = 0.0
    loss, dh, grads = _recurrent.output_layer(params, h, y, mask if padded else None, many_to_one)
    probs = softmax(np.einsum("kd,tbd->btk", params["V"], h) + params["c"])
    assert loss == pytest.approx(_recurrent.cross_entropy(probs, y, mask, many_to_one)[0])

    def loss_of(p):
        return _recurrent.output_layer(
            {"V": p["V"], "c": p["c"]}, p["h"], y, mask if padded else None, many_to_one
        )[0]

    point = {**params, "h": h}
    errors = gradcheck.check_gradients(loss_of, {**grads, "h": dh}, point)
    assert max(errors.values()) < 1e-7, errors


def test_check_param_shapes_names_the_bad_key():
    params = rnn.init_params(3, 4, 2)
    assert _recurrent.check_param_shapes("RNN", params, rnn.LAYOUT) == (3, 4, 2)
    with pytest.raises(ValueError, match=r"params\['b'\] must have shape \(4,\)"):
        _recurrent.check_param_shapes("RNN", {**params, "b": np.zeros(3)}, rnn.LAYOUT)
    with pytest.raises(ValueError, match="an RNN|a RNN"):
        _recurrent.check_param_shapes("RNN", {"U": params["U"]}, rnn.LAYOUT)


# --- the fused kernels' speed helpers ---------------------------------------------------------


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
    np.testing.assert_allclose(_kernels.matmul(a, b), a @ b, rtol=1e-12, atol=1e-12)
    out = np.empty((m, n))
    assert _kernels.matmul(a, b, out=out) is out
    np.testing.assert_allclose(out, a @ b, rtol=1e-12, atol=1e-12)


def test_both_ways_of_cutting_are_used():
    rng = np.random.default_rng(0)
    for shape in ((512, 64, 16), (16, 4096, 16)):  # many rows; a long summed-over axis
        m, k, n = shape
        assert _kernels._ONE_THREAD < m * k * n < _kernels._SPLIT_BELOW
        a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
        np.testing.assert_allclose(_kernels.matmul(a, b), a @ b, rtol=1e-12, atol=1e-12)


def test_matmul_rows_multiplies_every_row():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 4, 5)), rng.standard_normal((5, 2))
    np.testing.assert_allclose(_kernels.matmul_rows(a, b), a @ b, rtol=1e-13)


@given(a=st.lists(st.floats(-800, 800), min_size=1, max_size=20), n_sig=st.integers(0, 20))
def test_one_exp_gives_sigmoid_and_tanh(a, n_sig):
    a = np.array(a)
    n_sig = min(n_sig, len(a))
    z = a * _kernels.activation_scale(n_sig, len(a) - n_sig)
    with np.errstate(over="ignore"):
        _kernels.activate(z, n_sig)
    expected = np.concatenate([0.5 * (1 + np.tanh(a[:n_sig] / 2)), np.tanh(a[n_sig:])])
    np.testing.assert_allclose(z, expected, rtol=0, atol=1e-15)
    out = np.empty_like(a)
    with np.errstate(over="ignore"):
        _kernels.tanh_into(a, out)
    np.testing.assert_allclose(out, np.tanh(a), rtol=0, atol=1e-15)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(1, 3)), min_size=1, max_size=5))
def test_carved_arrays_have_their_shapes_and_share_no_memory(shapes):
    arrays = _kernels.carve(*shapes)
    assert [a.shape for a in arrays] == shapes
    assert all(a.dtype == np.float64 and a.flags.c_contiguous for a in arrays)
    for j, a in enumerate(arrays):  # writing one array leaves every other one as it was
        for b in arrays:
            b[...] = -1.0
        a[...] = j
        assert all(np.all(b == -1.0) for b in arrays if b is not a)


# --- functions a reader can hold --------------------------------------------------------------


@pytest.mark.parametrize("module", [rnn, lstm, gru, _recurrent, _kernels, gradflow, models])
def test_no_function_of_the_recurrent_models_is_longer_than_60_lines(module):
    tree = ast.parse(inspect.getsource(module))
    long = {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > 60
    }
    assert not long, f"{module.__name__}: functions over 60 lines (with docstring): {long}"
