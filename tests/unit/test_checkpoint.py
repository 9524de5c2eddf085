"""Checkpoints: a save/load round trip gives back exactly what was saved; anything that is
not a checkpoint, or does not fit its model, gives a clear error."""

import io
import zipfile

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


# -- files that are not checkpoints: a clear error naming the file, nothing allocated -----
def _saved(tmp_path, name="good.npz"):
    return checkpoint.save(tmp_path / name, lstm.init_params(3, 2, 3, rng=0), model="lstm",
                           vocab=list("abc"))  # fmt: skip


def _npy(header: dict, data: bytes) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + data


def _archive(path, members: dict, meta: object = None, compress=zipfile.ZIP_STORED):
    """An .npz written by hand: members are name -> .npy bytes or arrays."""
    good = dict(np.load(_saved(path.parent, "source.npz")))
    meta_text = good.pop("__meta__") if meta is None else np.array(meta)
    with zipfile.ZipFile(path, "w", compress) as zf:
        for name, value in {**good, "__meta__": meta_text, **members}.items():
            if isinstance(value, np.ndarray):
                buf = io.BytesIO()
                np.lib.format.write_array(buf, value, allow_pickle=True)
                value = buf.getvalue()
            zf.writestr(name if name.endswith(".npy") else name + ".npy", value)
    return path


def _load_error(path, kind=ValueError) -> str:
    with pytest.raises(kind) as info:
        checkpoint.load(path)
    message = str(info.value)
    assert str(path) in message
    return message


def test_an_empty_file(tmp_path):
    (tmp_path / "empty.npz").write_bytes(b"")
    assert "the file is empty (0 bytes)" in _load_error(tmp_path / "empty.npz")


def test_a_single_npy_array_renamed(tmp_path):
    np.save(tmp_path / "w.npy", np.zeros(3))
    (tmp_path / "w.npy").rename(tmp_path / "w.npz")
    assert "saved with np.save (.npy)" in _load_error(tmp_path / "w.npz")


def test_a_directory(tmp_path):
    assert "is a directory" in _load_error(tmp_path, IsADirectoryError)


@pytest.mark.parametrize(
    ("meta", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "has no format"),
        ('{"format": "course_lib checkpoint", "version": true}', "'version' must be a whole"),
        ('{"format": "course_lib checkpoint", "version": "1"}', "'version' must be a whole"),
        ('{"format": "course_lib checkpoint", "version": 1}', "has no 'model'"),
        ('{"format": "course_lib checkpoint", "version": 1, "model": "lstm", "vocab": null, '
         '"options": {}}', "has no 'info'"),
        ('{"format": "course_lib checkpoint", "version": 1, "model": 3, "vocab": null, '
         '"options": {}, "info": {}}', "'model' has the wrong type (int)"),
        ('{"format": "course_lib checkpoint", "version": 1, "model": "cnn", "vocab": null, '
         '"options": {}, "info": {}}', "'model' must be one of"),
        ('{"format": "course_lib checkpoint", "version": 1, "model": "lstm", "vocab": [1, 2, 3], '
         '"options": {}, "info": {}}', "'vocab' must be a list of strings"),
        ('{"format": "course_lib checkpoint", "version": 1, "model": "lstm", "vocab": ["a"], '
         '"options": {}, "info": {}}', "vocabulary has 1 symbols but the model reads n = 3"),
        (np.zeros(2), "metadata is not one text entry"),
    ],
)  # fmt: skip
def test_bad_metadata(tmp_path, meta, words):
    path = _archive(tmp_path / "meta.npz", {}, meta=meta)
    assert words in _load_error(path)


def test_parameters_that_are_nan_complex_text_or_objects(tmp_path):
    W = lstm.init_params(3, 2, 3, rng=0)["W"]
    nan = W.copy()
    nan[0, 1] = np.nan
    cases = {
        "nan": (nan, "parameter 'W' holds 1 NaN or infinite values"),
        "complex": (W + 0j, "parameter 'W' is complex (complex128)"),
        "text": (np.array(["a", "b"]), "parameter 'W' has dtype <U1"),
        "objects": (np.array([{}, None], dtype=object), "Python objects or records"),
    }
    for name, (value, words) in cases.items():
        assert words in _load_error(_archive(tmp_path / f"{name}.npz", {"W": value}))


def test_parameters_that_do_not_fit_the_model(tmp_path):
    path = _archive(tmp_path / "shape.npz", {"W": np.zeros((5, 5))})
    assert "the parameters do not fit a lstm" in _load_error(path)


def test_a_header_that_claims_more_than_the_file_holds(tmp_path):
    """A 1 KB member declaring 10¹⁰ floats (80 GB): refused before anything is allocated."""
    huge = _npy({"descr": "<f8", "fortran_order": False, "shape": (10**10,)}, bytes(1000))
    path = _archive(tmp_path / "claims.npz", {"W": huge})
    assert path.stat().st_size < 10_000
    message = _load_error(path)
    assert "W.npy declares shape (10000000000,) of float64 (76293.9 MiB)" in message
    short = _npy({"descr": "<f8", "fortran_order": False, "shape": (2, 2)}, bytes(8))
    assert "but holds 8 bytes" in _load_error(_archive(tmp_path / "short.npz", {"W": short}))


def test_a_compressed_file_that_would_expand_beyond_the_limit_is_not_expanded(
    tmp_path, monkeypatch
):
    """The zip directory's sizes are read first: nothing is opened, let alone expanded."""
    bomb = _npy({"descr": "<f8", "fortran_order": False, "shape": (2**21,)}, bytes(2**24))
    path = _archive(tmp_path / "bomb.npz", {"W": bomb}, compress=zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 2**20 / 8  # 16 MiB of zeros deflate to under 128 KiB
    monkeypatch.setattr(checkpoint, "MAX_BYTES", 2**20)

    def no_opening(*args, **kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_opening)
    assert "would take 16.0 MiB once expanded, more than the 1.0 MiB" in _load_error(path)


def test_the_default_limit_refuses_a_gigabyte():
    assert 2**20 < checkpoint.MAX_BYTES < 2**30


def test_other_members_and_damaged_archives(tmp_path):
    path = tmp_path / "extra.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "'readme.txt', which is not a NumPy array" in _load_error(path)
    data = bytearray(_saved(tmp_path).read_bytes())
    middle = len(data) // 3  # inside the compressed data of a member
    data[middle] ^= 0xFF
    (tmp_path / "flipped.npz").write_bytes(bytes(data))
    message = _load_error(tmp_path / "flipped.npz")
    assert "is not a course_lib checkpoint" in message


@given(cut=st.floats(0, 1, exclude_max=True))
def test_any_truncated_checkpoint_is_named_in_a_value_error(tmp_path_factory, cut):
    source = _saved(tmp_path_factory.mktemp("cut"))
    data = source.read_bytes()
    source.write_bytes(data[: int(cut * len(data))])
    _load_error(source)


@given(where=st.floats(0, 1, exclude_max=True), value=st.integers(0, 255))
def test_a_changed_byte_gives_a_clear_error_or_the_same_checkpoint(tmp_path_factory, where, value):
    source = _saved(tmp_path_factory.mktemp("byte"))
    original = checkpoint.load(source)
    data = bytearray(source.read_bytes())
    data[int(where * len(data))] = value
    source.write_bytes(bytes(data))
    try:
        ckpt = checkpoint.load(source)
    except ValueError as exc:
        assert str(source) in str(exc)
    else:  # a byte the reader does not use (a timestamp, a comment): nothing changed
        assert ckpt.vocab == original.vocab and ckpt.model == original.model
        assert all(np.array_equal(ckpt.params[k], original.params[k]) for k in original.params)


def test_save_refuses_a_directory_a_diverged_model_and_a_vocab_of_another_size(tmp_path):
    params = lstm.init_params(3, 2, 3, rng=0)
    with pytest.raises(IsADirectoryError, match="name the checkpoint file"):
        checkpoint.save(tmp_path, params, model="lstm")
    (tmp_path / "models.npz").mkdir()
    with pytest.raises(IsADirectoryError, match="models.npz is a directory"):
        checkpoint.save(tmp_path / "models", params, model="lstm")
    params["b"][0] = np.inf
    with pytest.raises(ValueError, match=r"params\['b'\] holds NaN or infinite"):
        checkpoint.save(tmp_path / "inf", params, model="lstm")
    with pytest.raises(ValueError, match="vocab has 2 symbols but the model reads n = 3"):
        checkpoint.save(tmp_path / "v", lstm.init_params(3, 2, 3), model="lstm", vocab="ab")
    assert not list(tmp_path.glob("*.npz.npz")) and not (tmp_path / "inf.npz").exists()


def test_the_shipped_checkpoints_load_as_np_load_reads_them():
    for name in ("words_rnn", "words_lstm", "words_gru"):
        path = checkpoint.shipped(name)
        ckpt = checkpoint.load(path)
        with np.load(path) as raw:
            assert all(np.array_equal(ckpt.params[k], raw[k]) for k in ckpt.params)
            assert set(raw.files) == {*ckpt.params, "__meta__"}
