"""Checkpoints: a save/load round trip gives back exactly what was saved; anything that is
not a checkpoint, or does not fit its model, gives a clear error."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import checkpoint, gru, lstm


@given(
    n=st.integers(1, 5),
    d=st.integers(1, 6),
    seed=st.integers(0, 10_000),
    reset_after=st.booleans(),
)
def test_round_trip_is_exact(tmp_path_factory, n, d, seed, reset_after):
    path = tmp_path_factory.mktemp("ckpt") / "model"
    params = gru.init_params(n, d, n, rng=seed)
    params["b"] += np.random.default_rng(seed).standard_normal(d) * 1e-300  # tiny values too
    written = checkpoint.save(
        path,
        params,
        model="gru",
        vocab=list("abcde")[:n],
        options={"reset_after": reset_after},
        info={"steps": 3, "note": "é ü"},
    )
    assert written.suffix == ".npz"
    ckpt = checkpoint.load(written)
    assert ckpt.model == "gru" and ckpt.module is gru
    assert list(ckpt.params) == list(params)
    assert all(np.array_equal(ckpt.params[k], params[k]) for k in params)
    assert ckpt.vocab == list("abcde")[:n]
    assert ckpt.options == {"reset_after": reset_after}
    assert ckpt.info == {"steps": 3, "note": "é ü"}


def test_a_loaded_model_computes_the_same_outputs(tmp_path):
    params = lstm.init_params(4, 3, 4, rng=1)
    X = np.eye(4)[[[0, 1, 2, 3, 2]]]
    path = checkpoint.save(tmp_path / "m.npz", params, model="LSTM")
    ckpt = checkpoint.load(path)
    assert ckpt.model == "lstm" and ckpt.vocab is None and ckpt.options == {}
    np.testing.assert_array_equal(lstm.forward(ckpt.params, X)[0], lstm.forward(params, X)[0])
    assert "LSTM, n=4, d=3, K=4" in repr(ckpt)


def test_errors_are_clear(tmp_path):
    params = lstm.init_params(2, 3, 2)
    with pytest.raises(FileNotFoundError, match="no checkpoint at"):
        checkpoint.load(tmp_path / "missing.npz")
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not a course_lib checkpoint"):
        checkpoint.load(text)
    plain = tmp_path / "plain.npz"
    np.savez(plain, a=np.zeros(2))
    with pytest.raises(ValueError, match="no metadata"):
        checkpoint.load(plain)
    with pytest.raises(ValueError, match="model must be one of"):
        checkpoint.save(tmp_path / "x", params, model="transformer")
    with pytest.raises(ValueError, match="unknown keys"):  # LSTM parameters saved as a GRU
        checkpoint.save(tmp_path / "x", params, model="gru")
    with pytest.raises(TypeError, match="JSON-serialisable"):
        checkpoint.save(tmp_path / "x", params, model="lstm", info={"when": object()})
    newer = tmp_path / "newer.npz"
    meta = '{"format": "course_lib checkpoint", "version": 99, "model": "lstm"}'
    np.savez(newer, **params, __meta__=np.array(meta))
    with pytest.raises(ValueError, match="newer course_lib"):
        checkpoint.load(newer)
    with pytest.raises(FileNotFoundError, match="no shipped checkpoint 'nope'"):
        checkpoint.shipped("nope")
